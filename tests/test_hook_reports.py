"""The pre-commit hook's ``--output`` report when pre-commit splits a long list of files into
several runs of the hook (``require_serial`` keeps them serial, not one: pre-commit cuts the
command line at 128 KiB of names): the report holds every run's findings, not the last's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import jm
from in_process import jm_here
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
    assert jm_here(tmp_path, "init").returncode == 0
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
    assert jm_here(tmp_path, "init").returncode == 0
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
    assert jm_here(tmp_path, "init").returncode == 0
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
    assert jm_here(tmp_path, "init").returncode == 0
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
    """The notes the runs of one commit said, kept in ``.git/journeymaps-hook/*.notes.json``,
    holding lists or numbers (a damaged or forged file, of this very pre-commit run): the
    hook stopped with "internal error: TypeError"; they are left out."""
    assert jm_here(tmp_path, "init").returncode == 0
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    hook = ("lint", "--pre-commit", "--force-exclude", "--staged-deletions")
    assert jm(tmp_path, *hook, "maps/first-journey.yaml").returncode == 0
    (kept,) = (tmp_path / ".git" / "journeymaps-hook").glob("*.notes.json")
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
    assert jm_here(tmp_path, "init").returncode == 0
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


#: A stand-in for pre-commit: one process running the hook's runs it is asked for (a JSON
#: list of arguments a line), one at a time, as pre-commit runs the parts of a long list.
_RUNNER = """
import json, subprocess, sys
for line in sys.stdin:
    done = subprocess.run([sys.executable, "-m", "journeymaps", *json.loads(line)], capture_output=True, text=True)
    print(json.dumps([done.returncode, done.stderr]), flush=True)
"""


#: This process's environment, less what picks another output format (as conftest.jm's).
_ENV = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}


class _Runner:
    """One pre-commit run (see :data:`_RUNNER`), in ``cwd``."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _RUNNER],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_ENV,
        )

    def run(self, *args: str) -> tuple[int, str]:
        """The exit code and standard error of the hook run with ``args``."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(args) + "\n")
        self.proc.stdin.flush()
        code, err = json.loads(self.proc.stdout.readline())
        return int(code), str(err)

    def __enter__(self) -> _Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


def _broken_maps(tmp_path: Path, *names: str) -> None:
    """A repository (``journeymaps init``, committed) with a map failing lint for each name
    staged."""
    assert jm_here(tmp_path, "init").returncode == 0
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "start")
    first = tmp_path / "maps" / "first-journey.yaml"
    for name in names:
        text = first.read_text("utf-8").replace("id: first-journey", f"id: {name}")
        (tmp_path / "maps" / f"{name}.yaml").write_text(
            text.replace("owner: support", "owner: nobody", 1), "utf-8"
        )
    _git(tmp_path, "add", ".")


HOOK = ("lint", "--pre-commit", "--force-exclude", "--staged-deletions", "--output", "json=report.json")


def test_two_pre_commit_runs_at_once_keep_their_reports_apart(tmp_path: Path) -> None:
    """Two pre-commit runs at once in one repository (two terminals, an editor's beside a
    commit), their parts taking turns: each run's first part reset the other's state, and
    the report of a run's last part held its own findings only, not its earlier parts'."""
    _broken_maps(tmp_path, "a1", "a2", "b1", "b2")
    report = tmp_path / "report.json"
    with _Runner(tmp_path) as a, _Runner(tmp_path) as b:
        assert a.run(*HOOK, "maps/a1.yaml")[0] == 1
        assert b.run(*HOOK, "maps/b1.yaml")[0] == 1
        assert _report_files(report) == {"maps/b1.yaml"}
        assert a.run(*HOOK, "maps/a2.yaml")[0] == 1
        assert _report_files(report) == {"maps/a1.yaml", "maps/a2.yaml"}
        assert b.run(*HOOK, "maps/b2.yaml")[0] == 1
        assert _report_files(report) == {"maps/b1.yaml", "maps/b2.yaml"}


def test_a_staged_deletion_is_said_by_each_of_two_pre_commit_runs_at_once(tmp_path: Path) -> None:
    """The note of a staged deletion, said once per pre-commit run: of two runs at once, the
    first run's next part said it again (the second run's first part had reset the notes
    the first kept)."""
    _broken_maps(tmp_path, "a1", "a2", "b1")
    _git(tmp_path, "rm", "-q", "maps/teams.yaml")
    said = "maps/teams.yaml is deleted (staged)"
    with _Runner(tmp_path) as a, _Runner(tmp_path) as b:
        assert said in a.run(*HOOK, "maps/a1.yaml")[1]
        assert said in b.run(*HOOK, "maps/b1.yaml")[1]
        assert said not in a.run(*HOOK, "maps/a2.yaml")[1]


def test_the_state_of_ended_pre_commit_runs_is_removed_not_that_of_one_going_on(tmp_path: Path) -> None:
    """Each pre-commit run keeps its state in files of its own: those of a run ended long ago
    (here: made an hour and more old) go when a later run starts; those of a run still
    going on, beside it, stay (however old its lock files), and its report still holds all
    its parts."""
    _broken_maps(tmp_path, "a1", "b1", "b2", "c1")
    folder = tmp_path / ".git" / "journeymaps-hook"
    with _Runner(tmp_path) as a:
        assert a.run(*HOOK, "maps/a1.yaml")[0] == 1
    ended = set(folder.iterdir())
    assert ended
    for path in ended:
        os.utime(path, (time.time() - 2 * 3600,) * 2)
    with _Runner(tmp_path) as b, _Runner(tmp_path) as c:
        assert b.run(*HOOK, "maps/b1.yaml")[0] == 1
        going_on = set(folder.iterdir()) - ended
        for path in going_on:  # its lock files made long ago, its state written lately
            if path.suffix == ".lock":
                os.utime(path, (time.time() - 2 * 3600,) * 2)
        assert c.run(*HOOK, "maps/c1.yaml")[0] == 1
        assert _report_files(tmp_path / "report.json") == {"maps/c1.yaml"}
        left = set(folder.iterdir())
        assert not ended & left
        assert going_on < left
        assert b.run(*HOOK, "maps/b2.yaml")[0] == 1
        assert _report_files(tmp_path / "report.json") == {"maps/b1.yaml", "maps/b2.yaml"}


def _sandboxed(tmp_path: Path, script: str, *, proc: bool) -> None:
    """``script`` (``jm ARGS`` for the hook's run) run by a shell that is process 1 of a
    process namespace of its own, as each pre-commit run of a system that uses a process id
    again (here: at once); without ``proc``, with no ``/proc`` to read (as macOS)."""
    probe = subprocess.run(["unshare", "-Urpf", "--mount-proc", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(
            f"user namespaces are not allowed here, so no process namespace can be made: {probe.stderr}"
        )
    hide = "" if proc else "mount -t tmpfs none /proc && "
    shell = f'jm() {{ {sys.executable} -m journeymaps "$@"; }}; {hide}{script}'
    done = subprocess.run(
        ["unshare", "-Urpf", "--mount-proc", "sh", "-c", shell],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=_ENV,
    )
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr


def test_without_proc_a_later_pre_commit_run_with_the_same_process_id_has_a_report_of_its_own(
    tmp_path: Path,
) -> None:
    """Without ``/proc`` (macOS, the BSDs, a ``/proc`` hidden), a pre-commit run was known by
    its process id alone: a later pre-commit run given the same id carried on the earlier
    run's report, whose maps it had not even named. Its state is carried on only while fresh."""
    _broken_maps(tmp_path, "a1", "a2", "b1")
    hook = " ".join(HOOK)
    report = tmp_path / "report.json"
    # One pre-commit run's two parts, with no /proc: the report holds both.
    _sandboxed(tmp_path, f"jm {hook} maps/a1.yaml; jm {hook} maps/a2.yaml", proc=False)
    assert _report_files(report) == {"maps/a1.yaml", "maps/a2.yaml"}
    for path in (tmp_path / ".git" / "journeymaps-hook").iterdir():
        os.utime(path, (time.time() - 20 * 60,) * 2)  # that run, twenty minutes ago
    _sandboxed(tmp_path, f"jm {hook} maps/b1.yaml", proc=False)
    assert _report_files(report) == {"maps/b1.yaml"}


def test_the_state_of_an_ended_pre_commit_run_with_this_ones_process_id_is_removed(tmp_path: Path) -> None:
    """A pre-commit run whose process id an ended one had (its start time differs) has a
    report of its own, and the ended run's files go at once: its process cannot be running."""
    _broken_maps(tmp_path, "a1", "b1")
    hook = " ".join(HOOK)
    folder = tmp_path / ".git" / "journeymaps-hook"
    _sandboxed(tmp_path, f"jm {hook} maps/a1.yaml", proc=True)
    ended = set(folder.iterdir())
    time.sleep(0.05)  # another start time, to the clock's tick
    _sandboxed(tmp_path, f"jm {hook} maps/b1.yaml", proc=True)
    assert _report_files(tmp_path / "report.json") == {"maps/b1.yaml"}
    left = set(folder.iterdir())
    assert left and not ended & left
    assert {path.name.split(".")[0] for path in ended | left} == {"1"}


def test_without_proc_a_process_start_time_is_found_by_ps(tmp_path: Path) -> None:
    """Where ``/proc`` cannot be read, the start time of pre-commit's process was not
    known, and a later pre-commit run with the same process id was taken for the same run:
    ``ps`` says it (to the second), the same for a process each time, another for another."""
    from journeymaps.hook_session import STARTED, started

    without_proc = [way for way in STARTED if way != "proc"]
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    first = subprocess.Popen(sleeper)
    time.sleep(1.2)
    second = subprocess.Popen(sleeper)
    try:
        at = started(first.pid, without_proc)
        assert at
        assert started(first.pid, without_proc) == at
        assert started(second.pid, without_proc) not in ("", at)
    finally:
        for proc in (first, second):
            proc.kill()
            proc.wait()
    assert started(first.pid, without_proc) == ""


def _report_state(tmp_path: Path) -> Path:
    """The one file of a pre-commit run keeping the report so far."""
    (state,) = (p for p in (tmp_path / ".git" / "journeymaps-hook").glob("*.json") if "notes" not in p.name)
    return state


@pytest.mark.parametrize(
    "damage",
    [
        {"raw_names": ["a list"]},
        {"diagnostics": [{"rule": 1}]},
        {"diagnostics": "text"},
        {"targets": [["a", "list"]]},
        {"files": "1e999"},
        {"notifications": [None]},
    ],
)
def test_a_damaged_report_state_of_the_hook_is_not_a_crash(tmp_path: Path, damage: dict[str, object]) -> None:
    """The report so far of a pre-commit run, kept in ``.git/journeymaps-hook/``, damaged (or
    forged) into the wrong shapes: the run's next part stopped with "internal error:
    AttributeError" and wrote no report; it writes a report of its own findings."""
    _broken_maps(tmp_path, "a1", "a2")
    with _Runner(tmp_path) as run:
        assert run.run(*HOOK, "maps/a1.yaml")[0] == 1
        state = _report_state(tmp_path)
        kept = json.loads(state.read_text("utf-8"))
        state.write_text(json.dumps({**kept, "data": {**kept["data"], **damage}}), "utf-8")
        code, err = run.run(*HOOK, "maps/a2.yaml")
    assert code == 1, err
    assert "internal error" not in err and "Traceback" not in err
    assert _report_files(tmp_path / "report.json") == {"maps/a2.yaml"}


def test_a_huge_or_garbled_report_state_of_the_hook_starts_afresh(tmp_path: Path) -> None:
    """A state file over the size read (64 MiB), or not JSON: the run's next part writes a
    report of its own findings, at once, and keeps a state the part after it carries on."""
    _broken_maps(tmp_path, "a1", "a2", "a3", "a4")
    report = tmp_path / "report.json"
    with _Runner(tmp_path) as run:
        assert run.run(*HOOK, "maps/a1.yaml")[0] == 1
        state = _report_state(tmp_path)
        with state.open("r+b") as f:
            f.truncate(65 * 1024 * 1024)
        assert run.run(*HOOK, "maps/a2.yaml")[0] == 1
        assert _report_files(report) == {"maps/a2.yaml"}
        state.write_bytes(b"\xff{[garbled")
        assert run.run(*HOOK, "maps/a3.yaml")[0] == 1
        assert _report_files(report) == {"maps/a3.yaml"}
        assert run.run(*HOOK, "maps/a4.yaml")[0] == 1
        assert _report_files(report) == {"maps/a3.yaml", "maps/a4.yaml"}


def test_the_hook_lints_and_writes_its_report_in_a_read_only_git(tmp_path: Path) -> None:
    """A ``.git`` on a read-only mount (its hook folder there already): each part lints and
    writes a report of its own, with no error."""
    _broken_maps(tmp_path, "a1", "a2")
    hook = " ".join(HOOK)
    (tmp_path / ".git" / "journeymaps-hook").mkdir()
    _sandboxed(
        tmp_path,
        f"mount --bind .git .git && mount -o remount,ro,bind .git && "
        f"jm {hook} maps/a1.yaml 2>err1; jm {hook} maps/a2.yaml 2>err2",
        proc=True,
    )
    for err in ("err1", "err2"):
        assert "error:" not in (tmp_path / err).read_text("utf-8").replace("] error:", "")
    assert _report_files(tmp_path / "report.json") == {"maps/a2.yaml"}
    assert not any((tmp_path / ".git" / "journeymaps-hook").iterdir())


def test_ctrl_c_while_a_part_waits_for_its_state_is_no_traceback(tmp_path: Path) -> None:
    """Ctrl+C on a part of the hook waiting for its run's state (a part started by hand
    beside one of pre-commit's, holding the lock): "journeymaps: interrupted", exit 130, no
    traceback; the report and the state are as the part before left them."""
    import fcntl
    import signal

    _broken_maps(tmp_path, "a1", "a2")
    report = tmp_path / "report.json"
    with _Runner(tmp_path) as run:
        assert run.run(*HOOK, "maps/a1.yaml")[0] == 1
        state = _report_state(tmp_path)
        before = state.read_bytes(), report.read_bytes()
        with Path(f"{state}.lock").open("wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # The runner's part, started as its own child, is the one to stop.
            assert run.proc.stdin is not None
            run.proc.stdin.write(json.dumps([*HOOK, "maps/a2.yaml"]) + "\n")
            run.proc.stdin.flush()
            part = _child_of(run.proc.pid)
            _waiting_for(Path(f"{state}.lock"))
            os.kill(part, signal.SIGINT)
            assert run.proc.stdout is not None
            code, err = json.loads(run.proc.stdout.readline())
    assert code == 130, err
    assert err.strip().splitlines()[-1] == "journeymaps: interrupted"
    assert "Traceback" not in err
    assert (state.read_bytes(), report.read_bytes()) == before


def _child_of(pid: int) -> int:
    """The process id of ``pid``'s child, once it has one."""
    for _ in range(500):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text("ascii").split()
        if children:
            return int(children[0])
        time.sleep(0.01)
    raise AssertionError("no child process")


def _waiting_for(lock: Path) -> None:
    """Back once a process waits for the lock on ``lock`` (``/proc/locks``: a line with ->)."""
    inode = f":{lock.stat().st_ino} "
    for _ in range(3000):
        if any(
            "->" in line and inode in line for line in Path("/proc/locks").read_text("ascii").splitlines()
        ):
            return
        time.sleep(0.01)
    raise AssertionError("nobody waits for the lock")


def test_two_real_pre_commit_runs_at_once_each_write_a_report_of_their_own(tmp_path: Path) -> None:
    """Two real ``pre-commit run``s at once in one repository, each splitting its list into
    parts: their parts reset each other's state, and the report (the one both write) held a
    part's findings, or a mix. It holds all of one run's, and nothing of the other's."""
    _broken_maps(tmp_path, "a1", "a2", "b1", "b2")
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(
        config.read_text("utf-8").replace(
            "        types_or:", "        args: [--output, json=report.json]\n        types_or:"
        ),
        "utf-8",
    )
    named: dict[str, list[str]] = {}
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        fill = [f"{run}/{i:05}-{'x' * 90}.yaml" for i in range(FILLERS)]
        for name in fill:
            (tmp_path / name).write_text("a: 1\n", "utf-8")
        named[run] = [f"maps/{run}1.yaml", *fill, f"maps/{run}2.yaml"]
    _git(tmp_path, "add", ".")
    env = {**_ENV, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / ".cache"), "HOME": str(tmp_path)}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    assert _pre_commit(tmp_path, "install-hooks").returncode == 0  # its store, made once
    runs = [
        subprocess.Popen(
            [pre_commit, "run", "--files", *named[run]],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for run in named
    ]
    for proc in runs:
        said = proc.communicate(timeout=300)[0]
        assert proc.returncode == 1, said
        assert said.count("Found ") >= 2, "pre-commit ran the hook once: " + said[-2000:]
    assert _report_files(tmp_path / "report.json") in (
        {"maps/a1.yaml", "maps/a2.yaml"},
        {"maps/b1.yaml", "maps/b2.yaml"},
    )


def test_a_hook_folder_that_is_a_link_is_not_written_through(tmp_path: Path) -> None:
    """``.git/journeymaps-hook`` a link to another folder: each run kept its state there, and
    a new run removed every ``*.json`` there not written for an hour, as an ended run's. The
    hook lints and writes its report, as where runs cannot be kept, and leaves the folder."""
    _broken_maps(tmp_path, "a1")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kept = elsewhere / "precious.json"
    kept.write_text("{}\n", "utf-8")
    os.utime(kept, (time.time() - 3 * 3600,) * 2)
    (tmp_path / ".git" / "journeymaps-hook").symlink_to(elsewhere, target_is_directory=True)
    result = jm(tmp_path, *HOOK, "maps/a1.yaml")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert _report_files(tmp_path / "report.json") == {"maps/a1.yaml"}
    assert [p.name for p in elsewhere.iterdir()] == ["precious.json"]
