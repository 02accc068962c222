"""The pre-commit hook's ``--output`` report when pre-commit splits a long list of files into
several runs of the hook (``require_serial`` keeps them serial, not one: pre-commit cuts the
command line at 128 KiB of names): the report holds every run's findings, not the last's."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import jm
from test_integrations import GIT_ENV, _pre_commit

#: Files enough, with names long enough, for more than 128 KiB of command line.
FILLERS = 1400


def _report_files(path: Path) -> set[str]:
    return {f["file"] for f in json.loads(path.read_text("utf-8"))["findings"] if f["severity"] == "error"}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, env={**os.environ, **GIT_ENV}, capture_output=True)


def test_a_report_of_a_commit_split_into_several_hook_runs_holds_them_all(tmp_path: Path) -> None:
    """Each run wrote the report whole: it held the last run's findings only, and the
    first run's error (early/early.yaml) was in no report."""
    assert jm(tmp_path, "init").returncode == 0
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text("utf-8").replace('paths = ["maps"]', 'paths = ["early", "maps"]'))
    first = tmp_path / "maps" / "first-journey.yaml"
    clean = first.read_text("utf-8")
    (tmp_path / "early").mkdir()
    early = tmp_path / "early" / "early.yaml"
    early.write_text(clean.replace("id: first-journey", "id: early"), "utf-8")
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(
        config.read_text("utf-8").replace(
            "        types_or:", "        args: [--output, json=report.json]\n        types_or:"
        ),
        "utf-8",
    )
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "start")
    # A commit breaking a map pre-commit names first, and one it names last, with files
    # enough between them that it splits the list (it names them in git's order).
    for path in (first, early):
        path.write_text(path.read_text("utf-8").replace("owner: support", "owner: nobody", 1), "utf-8")
    fill = tmp_path / "fill"
    fill.mkdir()
    for i in range(FILLERS):
        (fill / f"{i:05}-{'x' * 90}.yaml").write_text("a: 1\n", "utf-8")
    _git(tmp_path, "add", ".")
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("Found ") >= 2, "pre-commit ran the hook once: " + result.stdout[-2000:]
    assert _report_files(tmp_path / "report.json") == {"early/early.yaml", "maps/first-journey.yaml"}
    # The next pre-commit run's report is its own: the early map fixed, it is not in it.
    early.write_text(early.read_text("utf-8").replace("owner: nobody", "owner: support"), "utf-8")
    _git(tmp_path, "add", ".")
    again = _pre_commit(tmp_path, "run")
    assert again.returncode == 1, again.stdout + again.stderr
    assert _report_files(tmp_path / "report.json") == {"maps/first-journey.yaml"}


def test_the_hook_run_again_on_a_file_writes_a_report_of_its_own(tmp_path: Path) -> None:
    """Runs of one pre-commit run name each file once, and their reports are merged; a run
    naming a file named before is the hook run again (here: by the same test process, as by
    hand from one shell), whose report is its own, not the fixed findings of the one before."""
    assert jm(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    second = tmp_path / "maps" / "second.yaml"
    second.write_text(first.read_text("utf-8").replace("id: first-journey", "id: second"), "utf-8")
    for path in (first, second):
        path.write_text(path.read_text("utf-8").replace("owner: support", "owner: nobody", 1), "utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    hook = ("lint", "--pre-commit", "--force-exclude", "--output", "json=report.json")
    report = tmp_path / "report.json"
    assert jm(tmp_path, *hook, "maps/first-journey.yaml").returncode == 1
    assert _report_files(report) == {"maps/first-journey.yaml"}
    assert jm(tmp_path, *hook, "maps/second.yaml").returncode == 1  # as pre-commit's next run
    assert _report_files(report) == {"maps/first-journey.yaml", "maps/second.yaml"}
    first.write_text(first.read_text("utf-8").replace("owner: nobody", "owner: support"), "utf-8")
    assert jm(tmp_path, *hook, "maps/first-journey.yaml").returncode == 0  # the hook again
    assert _report_files(report) == set()


def test_a_staged_deletion_is_said_once_for_the_runs_of_one_commit(tmp_path: Path) -> None:
    """Each run pre-commit split a commit into said the staged deletion again ("maps/teams.yaml
    is deleted (staged): ..."): runs of the same pre-commit run (the same parent process,
    here this test's) naming other files say it once; the hook run again says it again."""
    assert jm(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    for name in ("x1", "x2"):
        (tmp_path / "maps" / f"{name}.yaml").write_text(
            first.read_text("utf-8").replace("id: first-journey", f"id: {name}"), "utf-8"
        )
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "start")
    _git(tmp_path, "rm", "-q", "maps/teams.yaml")
    hook = ("lint", "--pre-commit", "--force-exclude", "--staged-deletions")
    said = "maps/teams.yaml is deleted (staged): the maps that use it are checked"
    assert said in jm(tmp_path, *hook, "maps/x1.yaml").stderr
    assert said not in jm(tmp_path, *hook, "maps/x2.yaml").stderr  # as pre-commit's next run
    assert said in jm(tmp_path, *hook, "maps/x2.yaml").stderr  # the hook again


def test_the_hook_lints_and_writes_its_report_where_runs_cannot_be_kept(tmp_path: Path) -> None:
    """A repository whose ``.git`` cannot hold the hook's folder (read-only, or a file already
    under its name): every run as the hook failed with exit 2 ("... is a file, not a folder")
    before linting, and the --output report of the run before was left as if it were this
    one's. Each run now lints and writes its own report (none to merge with)."""
    assert jm(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    first.write_text(first.read_text("utf-8").replace("owner: support", "owner: nobody", 1), "utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    (tmp_path / ".git" / "journeymaps-hook").write_text("not a folder\n", "utf-8")
    report = tmp_path / "report.json"
    hook = ("lint", "--pre-commit", "--force-exclude", "--staged-deletions", "--output", "json=report.json")
    result = jm(tmp_path, *hook, "maps/first-journey.yaml")
    assert result.returncode == 1, result.stderr
    assert "error:" not in result.stderr.replace("] error:", "")
    assert _report_files(report) == {"maps/first-journey.yaml"}


def test_a_damaged_notes_file_of_the_hook_is_not_a_crash(tmp_path: Path) -> None:
    """The notes the runs of one commit said, kept in ``.git/journeymaps-hook/notes.json``,
    holding lists or numbers (a damaged or forged file, of this very pre-commit run): the
    hook stopped with "internal error: TypeError"; they are left out."""
    assert jm(tmp_path, "init").returncode == 0
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    hook = ("lint", "--pre-commit", "--force-exclude", "--staged-deletions")
    assert jm(tmp_path, *hook, "maps/first-journey.yaml").returncode == 0
    kept = tmp_path / ".git" / "journeymaps-hook" / "notes.json"
    state = json.loads(kept.read_text("utf-8"))  # this test process's run: the same session
    for data in ([["a list"], 1], ["a line", 2]):
        kept.write_text(json.dumps({**state, "named": ["other.yaml"], "data": data}), "utf-8")
        result = jm(tmp_path, *hook, "maps/teams.yaml")
        assert result.returncode == 0, result.stderr
        assert "internal error" not in result.stderr


def test_a_hook_run_naming_no_files_writes_a_report_of_its_own(tmp_path: Path) -> None:
    """The hook run twice naming no files (the whole project: pass_filenames: false, or by
    hand from one shell), the map fixed between: the second run exited 0 and its report
    still held the first run's 8 fixed errors, as a later split run of the same commit."""
    assert jm(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    clean = first.read_text("utf-8")
    first.write_text(clean.replace("owner: support", "owner: nobody", 1), "utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    hook = ("lint", "--pre-commit", "--output", "json=report.json")
    report = tmp_path / "report.json"
    assert jm(tmp_path, *hook).returncode == 1
    assert _report_files(report) == {"maps/first-journey.yaml"}
    first.write_text(clean, "utf-8")
    assert jm(tmp_path, *hook).returncode == 0
    assert _report_files(report) == set()
    first.write_text(clean.replace("owner: support", "owner: nobody", 1), "utf-8")
    assert jm(tmp_path, *hook).returncode == 1
    first.write_text(clean, "utf-8")
    assert jm(tmp_path, *hook, "maps/first-journey.yaml").returncode == 0  # after the whole: its own
    assert _report_files(report) == set()
