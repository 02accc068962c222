"""Baselines and --changed-since, on a real git repository made by the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import BASE, write_files
from conftest import jm as run_jm
from in_process import jm_here

GOOD = textwrap.dedent(BASE).strip() + "\n"
NO_OWNER = GOOD.replace("owner: support\nreviewed", "reviewed")
JM = (sys.executable, "-m", "journeymaps")


def jm(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``journeymaps ARGS`` run in this process (see :mod:`in_process`), for the tests about
    what lint and baseline say; those about the process itself use :func:`jm_run`."""
    return jm_here(cwd, *args, "--today", "2026-11-22")


def jm_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``journeymaps ARGS`` in a process of its own, as a user (or CI) runs it."""
    return run_jm(cwd, *args, "--today", "2026-11-22")


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
    }
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env).stdout


def test_baseline_hides_known_findings_and_shows_new_ones(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"old.yaml": NO_OWNER})
    assert jm_run(tmp_path, "lint").returncode == 1
    recorded = jm_run(tmp_path, "baseline")
    assert recorded.returncode == 0 and "Recorded 1 finding in" in recorded.stdout
    data = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())
    assert data["version"] == 2 and data["fingerprints"] == "journeymaps/v2"
    assert data["findings"][0]["rule"] == "missing-owner" and data["findings"][0]["map"] == "m"

    quiet = jm_run(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert quiet.returncode == 0 and "1 known finding" in quiet.stderr
    # Lines moving does not resurface a known finding...
    path = tmp_path / "maps" / "old.yaml"
    path.write_text("# moved down\n\n" + path.read_text())
    assert jm_run(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json").returncode == 0
    # ...but a new one fails.
    write_files(tmp_path / "maps", {"new.yaml": NO_OWNER.replace("id: m\n", "id: n\n")})
    new = jm_run(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json", "--format", "json")
    assert new.returncode == 1
    assert [f["file"] for f in json.loads(new.stdout)["findings"]] == ["maps/new.yaml"]


def test_a_file_that_cannot_be_read_is_never_baselined(tmp_path: Path) -> None:
    """A baseline recorded with a broken map hid its yaml-syntax error: "All checks passed"
    while nothing in that map was checked and the site listed it as unreadable."""
    write_files(tmp_path / "maps", {"old.yaml": NO_OWNER, "broken.yaml": "id: b\ntitle: [Draft\n"})
    recorded = jm(tmp_path, "baseline")
    assert recorded.returncode == 0 and "Recorded 1 finding in" in recorded.stdout
    assert "Not recorded: maps/broken.yaml:2:8: JM001 [yaml-syntax]" in recorded.stderr
    result = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json", "--format", "json")
    assert result.returncode == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["yaml-syntax"]
    # Even an entry for it, from an older journeymaps, hides nothing.
    entries = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())
    broken = json.loads(jm(tmp_path, "lint", "--format", "gitlab").stdout)  # with fingerprints
    entries["findings"] += [
        {"fingerprint": f["fingerprint"]} for f in broken if f["check_name"] == "yaml-syntax"
    ]
    (tmp_path / ".journeymaps-baseline.json").write_text(json.dumps(entries))
    assert jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json").returncode == 1


@pytest.mark.parametrize(
    "flaw",
    [
        pytest.param(("x_note: legacy\n", "JM004 [schema]"), id="schema"),
        pytest.param(("title: Again\n", "JM003 [duplicate-key]"), id="duplicate-key"),
    ],
)
def test_a_map_checked_no_further_is_never_baselined(tmp_path: Path, flaw: tuple[str, str]) -> None:
    """A baselined schema error (or duplicate key) kept the rest of its map from being
    checked for good: a pull request gave a stage an owner no team list has, and lint
    --baseline said "All checks passed"."""
    extra, said = flaw
    write_files(tmp_path / "maps", {"m.yaml": GOOD + extra})
    recorded = jm(tmp_path, "baseline")
    assert recorded.returncode == 0 and "Recorded 0 findings in" in recorded.stdout
    assert f"Not recorded: maps/m.yaml:15:1: {said}" in recorded.stderr
    path = tmp_path / "maps" / "m.yaml"
    path.write_text(path.read_text().replace("    owner: product\n", "    owner: nobody-knows\n"))
    result = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert result.returncode == 1, result.stdout
    assert said in result.stdout and "checked no further" in result.stdout
    # An entry for it, from an older journeymaps or written by hand, hides nothing either:
    # recorded with its rule, it is said to be unusable, not stale ("fixed, or changed").
    found = json.loads(jm(tmp_path, "lint", "--format", "gitlab").stdout)
    older = [{"fingerprint": f["fingerprint"], "rule": f["check_name"], "file": "maps/m.yaml"} for f in found]
    (tmp_path / "old.json").write_text(
        json.dumps({"version": 2, "fingerprints": "journeymaps/v2", "findings": older})
    )
    result = jm(tmp_path, "lint", "--baseline", "old.json")
    assert result.returncode == 1 and "cannot be used" in result.stderr and "fixed" not in result.stderr
    entries = {
        "version": 2,
        "fingerprints": "journeymaps/v2",
        "findings": [{"fingerprint": f["fingerprint"]} for f in found],
    }
    (tmp_path / ".journeymaps-baseline.json").write_text(json.dumps(entries))
    assert jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json").returncode == 1


def test_a_broken_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    (tmp_path / "b.json").write_text("{not json")
    result = jm(tmp_path, "lint", "--baseline", "b.json")
    assert result.returncode == 2 and "not a journeymaps baseline" in result.stderr


def test_a_baseline_that_is_a_device_is_a_usage_error_and_a_pipe_is_read(tmp_path: Path) -> None:
    """--baseline /dev/zero read until the OOM killer ended the run."""
    write_files(tmp_path / "maps", {"old.yaml": NO_OWNER})
    result = jm(tmp_path, "lint", "--baseline", "/dev/zero")
    assert result.returncode == 2
    assert "/dev/zero is not a journeymaps baseline (it is a character device)" in result.stderr
    # A pipe is what `--baseline <(git show main:baseline.json)` names: read.
    assert jm(tmp_path, "baseline", "-o", "b.json").returncode == 0
    recorded = (tmp_path / "b.json").read_text()
    shown = subprocess.run(
        [
            "bash",
            "-c",
            'exec "$@" --baseline <(printf %s "$BASELINE")',
            "-",
            *JM,
            "lint",
            "--today",
            "2026-11-22",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "BASELINE": recorded},
    )
    assert shown.returncode == 0 and "1 known finding" in shown.stderr


def test_changed_since_reports_only_changed_maps_with_the_whole_folder_as_context(tmp_path: Path) -> None:
    future = GOOD.replace("id: m\ntitle: T\n", "id: f\ntitle: F\nstate: future\nbased_on: m\n")
    write_files(tmp_path / "maps", {"current.yaml": NO_OWNER, "future.yaml": future})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    assert "No map changed" in jm(tmp_path, "lint", "--changed-since", base).stderr
    # Change the future map: the unchanged current map's error is not reported, and
    # based_on still resolves because the whole folder is read.
    path = tmp_path / "maps" / "future.yaml"
    path.write_text(path.read_text().replace("title: F", "title: F2") + "x-note: changed\n")
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    document = json.loads(result.stdout)
    assert result.returncode == 0, document
    assert document["findings"] == [] and document["summary"]["files"] == 1
    # A new, untracked map counts as changed.
    write_files(tmp_path / "maps", {"added.yaml": NO_OWNER.replace("id: m\n", "id: a\n")})
    added = json.loads(jm(tmp_path, "lint", "--changed-since", base, "--format", "json").stdout)
    assert {f["file"] for f in added["findings"]} == {"maps/added.yaml"}


def test_changed_since_an_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    git(tmp_path, "init", "-q")
    result = jm(tmp_path, "lint", "--changed-since", "no-such-rev")
    assert result.returncode == 2 and "--changed-since no-such-rev: unknown revision" in result.stderr


def test_a_revision_a_shallow_clone_lacks_says_to_fetch_the_history(tmp_path: Path) -> None:
    """CI checkouts are shallow: HEAD~1 or origin/main is missing, and "not a branch, tag or
    commit of this repository" sent CI engineers looking for a typo."""
    origin = tmp_path / "origin"
    _committed(origin, {"maps/m.yaml": GOOD})
    write_files(origin / "maps", {"m.yaml": GOOD.replace("title: T", "title: T2")})
    git(origin, "commit", "-qam", "second")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    clone = tmp_path / "clone"
    for args in (("lint", "--changed-since", "HEAD~1"), ("diff", "HEAD~1")):
        result = jm(clone, *args)
        assert result.returncode == 2
        assert "unknown revision 'HEAD~1' (not in this shallow clone: fetch the history" in result.stderr
        assert "fetch-depth: 0" in result.stderr and "Traceback" not in result.stderr


# Fingerprints follow meaning: the rule, the map id and the ids of what a finding is about.

UNOWNED_STAGE = GOOD.replace("    owner: product\n", "")  # stage 'two' has no owner


def sarif_fingerprints(cwd: Path) -> dict[str, str]:
    results = json.loads(jm(cwd, "lint", "--format", "sarif").stdout)["runs"][0]["results"]
    return {r["message"]["text"]: r["partialFingerprints"]["journeymaps/v2"] for r in results}


def test_a_new_finding_never_takes_the_fingerprint_of_a_fixed_one(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": UNOWNED_STAGE})
    assert jm(tmp_path, "baseline").returncode == 0
    before = sarif_fingerprints(tmp_path)
    # Give stage 'two' its owner and insert a new unowned stage above it: the new stage is
    # at the list position the old finding had.
    fixed = GOOD.replace(
        "  - id: two\n",
        "  - id: new\n    name: New\n    evidence: [{source: zendesk, kind: tickets}]\n  - id: two\n",
    )
    (tmp_path / "maps" / "m.yaml").write_text(fixed)
    result = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert result.returncode == 1, result.stdout
    assert "stage 'new' has no owner" in result.stdout and "All checks passed" not in result.stdout
    assert "1 baseline entry" in result.stderr and "matches no finding any more" in result.stderr
    after = sarif_fingerprints(tmp_path)
    assert set(after.values()).isdisjoint(before.values())
    gitlab = json.loads(jm(tmp_path, "lint", "--format", "gitlab").stdout)
    assert (
        gitlab[0]["fingerprint"]
        == after["stage 'new' has no owner: set its owner to the id of the team that owns it"]
    )


def test_fingerprints_ignore_list_positions_and_lines(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": UNOWNED_STAGE})
    before = sarif_fingerprints(tmp_path)
    moved = UNOWNED_STAGE.replace(
        "stages:\n",
        "stages:\n  - id: zero\n    name: Zero\n    owner: support\n    evidence: [{source: zendesk, kind: tickets}]\n",
    )
    (tmp_path / "maps" / "m.yaml").write_text("# a comment\n" + moved)
    assert sarif_fingerprints(tmp_path) == before


#: An unused suppression: a finding with no ids, known by its line's text (a duplicate key
#: or a schema error is one too, but those are never baselined: see the test above).
UNUSED = GOOD.replace(
    "    owner: product\n", "    owner: product  # journeymaps: ignore[missing-owner] legacy\n"
)


def test_a_finding_with_no_ids_is_known_by_its_text_not_its_line(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": UNUSED})
    first = jm(tmp_path, "lint")
    assert "reports nothing on line 13" in first.stdout
    assert jm(tmp_path, "baseline").returncode == 0
    path = tmp_path / "maps" / "m.yaml"
    path.write_text(path.read_text().replace("stages:\n", "# the stages, in journey order\n\nstages:\n"))
    moved = jm(tmp_path, "lint")
    assert "reports nothing on line 15" in moved.stdout  # the message moved with the line...
    quiet = jm(tmp_path, "lint", "--strict", "--baseline", ".journeymaps-baseline.json")
    assert quiet.returncode == 0, quiet.stdout  # ...the fingerprint did not
    assert "1 known finding" in quiet.stderr


def test_a_baseline_entry_hides_one_finding(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": UNUSED})
    assert jm(tmp_path, "baseline").returncode == 0
    # The same line in another stage has the same fingerprint: a second finding.
    twice = UNUSED.replace(
        "    owner: support\n    evidence",
        "    owner: product  # journeymaps: ignore[missing-owner] legacy\n    evidence",
        1,
    )
    (tmp_path / "maps" / "m.yaml").write_text(twice)
    assert jm(tmp_path, "lint").stdout.count("unused suppression") == 2
    result = jm(tmp_path, "lint", "--strict", "--baseline", ".journeymaps-baseline.json", "--format", "json")
    assert result.returncode == 1
    assert len(json.loads(result.stdout)["findings"]) == 1
    assert "1 known finding in" in result.stderr


def test_stale_entries_are_reported_and_pruned(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER, "n.yaml": NO_OWNER.replace("id: m\n", "id: n\n")})
    assert jm(tmp_path, "baseline").returncode == 0
    (tmp_path / "maps" / "m.yaml").write_text(GOOD)  # fixed
    result = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert result.returncode == 0
    assert "1 baseline entry in .journeymaps-baseline.json matches no finding any more" in result.stderr
    assert "--prune -o .journeymaps-baseline.json' removes it." in result.stderr
    assert "maps/m.yaml: [missing-owner] map 'm' has no owner" in result.stderr
    assert "journeymaps baseline --prune" in result.stderr
    # Checking only n.yaml does not call m.yaml's entry stale: it was not checked.
    only_n = jm(tmp_path, "lint", "maps/n.yaml", "--baseline", ".journeymaps-baseline.json")
    assert "no finding any more" not in only_n.stderr
    pruned = jm(tmp_path, "baseline", "--prune")
    assert pruned.returncode == 0 and "Removed 1 stale entry" in pruned.stdout and "kept 1" in pruned.stdout
    data = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())
    assert [e["map"] for e in data["findings"]] == ["n"]
    clean = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert clean.returncode == 0 and "no finding any more" not in clean.stderr


def test_a_deleted_map_s_entries_are_stale(tmp_path: Path) -> None:
    """A deleted map's file is never among those checked, so its entries were never called
    stale: lint said nothing, prune said "Removed 0 stale entries" and kept them forever
    (ready to hide the same finding of a new map given that id)."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER, "n.yaml": NO_OWNER.replace("id: m\n", "id: n\n")})
    assert jm(tmp_path, "baseline").returncode == 0
    (tmp_path / "maps" / "m.yaml").unlink()
    result = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert result.returncode == 0
    assert "1 baseline entry in .journeymaps-baseline.json matches no finding any more" in result.stderr
    assert "maps/m.yaml: [missing-owner] map 'm' has no owner" in result.stderr
    only_n = jm(tmp_path, "lint", "maps/n.yaml", "--baseline", ".journeymaps-baseline.json")
    assert "no finding any more" not in only_n.stderr  # a run over some files judges only theirs
    assert jm(tmp_path, "baseline", "--prune", "maps/n.yaml").stdout.startswith("Removed 0 stale entries")
    pruned = jm(tmp_path, "baseline", "--prune")
    assert pruned.stdout == "Removed 1 stale entry from .journeymaps-baseline.json; kept 1.\n"
    data = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())
    assert [e["map"] for e in data["findings"]] == ["n"]


def test_a_deleted_file_s_entries_are_stale_for_a_run_over_its_folder(tmp_path: Path) -> None:
    """A run over a folder judged only the files it found there: a file deleted from it
    kept its entries, unlisted by lint and kept by prune."""
    write_files(
        tmp_path / "maps",
        {
            "team/m.yaml": NO_OWNER,
            "team/n.yaml": NO_OWNER.replace("id: m\n", "id: n\n"),
            "o.yaml": NO_OWNER.replace("id: m\n", "id: o\n"),
        },
    )
    assert jm(tmp_path, "baseline").returncode == 0
    (tmp_path / "maps" / "team" / "m.yaml").unlink()
    (tmp_path / "maps" / "o.yaml").unlink()  # outside the folder asked about: not judged by it
    result = jm(tmp_path, "lint", "maps/team", "--baseline", ".journeymaps-baseline.json")
    assert result.returncode == 0
    assert "1 baseline entry in .journeymaps-baseline.json matches no finding any more" in result.stderr
    assert "maps/team/m.yaml: [missing-owner] map 'm' has no owner" in result.stderr
    pruned = jm(tmp_path, "baseline", "--prune", "maps/team/")
    assert pruned.stdout == "Removed 1 stale entry from .journeymaps-baseline.json; kept 2.\n"


def test_recording_some_files_keeps_the_entries_of_the_others(tmp_path: Path) -> None:
    """``journeymaps baseline maps/m.yaml`` wrote m's findings only: the entries of every
    other file went without a word, and the next full lint failed on their findings."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER, "n.yaml": NO_OWNER.replace("id: m\n", "id: n\n")})
    assert jm(tmp_path, "baseline").returncode == 0
    recorded = tmp_path / ".journeymaps-baseline.json"
    document = json.loads(recorded.read_text())
    recorded.write_text(
        json.dumps({**document, "findings": [*document["findings"], {"file": "maps/n.yaml"}]})
    )
    (tmp_path / "maps" / "m.yaml").write_text(GOOD)  # fixed, then recorded again
    again = jm(tmp_path, "baseline", "maps/m.yaml")
    assert again.stdout == (
        "Recorded 0 findings in .journeymaps-baseline.json; kept 1 entry of files not checked; "
        "removed 1 unusable entry (without a fingerprint, with a file that is not text, or of a "
        "finding that keeps its file from being checked).\n"
    )
    data = json.loads(recorded.read_text())
    assert [e["map"] for e in data["findings"]] == ["n"]
    result = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert result.returncode == 0, result.stdout
    assert "no finding any more" not in result.stderr
    (tmp_path / "maps" / "n.yaml").unlink()  # a deleted file's entry goes with its folder
    assert jm(tmp_path, "baseline", "maps").stdout == "Recorded 0 findings in .journeymaps-baseline.json.\n"
    assert json.loads(recorded.read_text())["findings"] == []


def test_a_file_that_is_no_baseline_or_another_version_is_said_in_json_s_words(tmp_path: Path) -> None:
    """``[]`` was "not a journeymaps baseline (version 2)", which read as the file's own
    version; ``"version": true`` was said as Python's ``True``."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    (tmp_path / "b.json").write_text("[]")
    said = jm(tmp_path, "lint", "--baseline", "b.json").stderr
    assert 'b.json is not a journeymaps baseline (it is a JSON list without a "findings" list)' in said
    assert "journeymaps baseline -o b.json" in said and "(version" not in said
    (tmp_path / "b.json").write_text(json.dumps({"version": True, "findings": []}))
    said = jm(tmp_path, "lint", "--baseline", "b.json").stderr
    assert "(baseline version true; this one reads version" in said and "True" not in said


def test_an_old_baseline_says_what_to_do(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    (tmp_path / "old.json").write_text(json.dumps({"version": 1, "findings": [{"fingerprint": "ab" * 16}]}))
    result = jm(tmp_path, "lint", "--baseline", "old.json")
    assert result.returncode == 2
    assert "recorded by another version of journeymaps" in result.stderr
    assert "journeymaps baseline -o old.json" in result.stderr


# --changed-since: what a change breaks elsewhere.

TEAMS = "teams:\n  - {id: support, name: Support}\n  - {id: product, name: Product}\n"


def committed(tmp_path: Path, files: dict[str, str]) -> str:
    write_files(tmp_path, files)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    return git(tmp_path, "rev-parse", "HEAD").strip()


def test_changed_since_reports_what_a_deleted_team_breaks(tmp_path: Path) -> None:
    base = committed(tmp_path, {"maps/teams.yaml": TEAMS, "maps/m.yaml": GOOD})
    (tmp_path / "maps" / "teams.yaml").write_text(TEAMS.replace("  - {id: product, name: Product}\n", ""))
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    assert result.returncode == 1, result.stdout
    found = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in found] == [("maps/m.yaml", "unknown-team")]
    assert "maps/teams.yaml changed: the maps that use it are checked" in result.stderr
    # only named, it is not said to have changed (a newcomer's try-out)
    named = jm(tmp_path, "lint", "maps/teams.yaml")
    assert "maps/teams.yaml is named: the maps that use it are checked" in named.stderr
    assert " changed" not in named.stderr
    (tmp_path / "maps" / "teams.yaml").unlink()  # deleted: owners are no longer checked, nothing breaks
    assert jm(tmp_path, "lint", "--changed-since", base).returncode == 0


def test_changed_since_reports_what_a_change_breaks_through_a_linked_maps_folder(tmp_path: Path) -> None:
    """maps is a link to docs/journeys: git names docs/journeys/teams.yaml changed, lint
    reads maps/teams.yaml, and "No map changed since" passed a deleted team its maps own."""
    files = {
        "docs/journeys/teams.yaml": TEAMS,
        "docs/journeys/m.yaml": GOOD,
        "journeymaps.toml": "paths = ['maps']\n",
    }
    write_files(tmp_path, files)
    (tmp_path / "maps").symlink_to(Path("docs") / "journeys")
    base = committed(tmp_path, {})
    (tmp_path / "docs" / "journeys" / "teams.yaml").write_text(
        TEAMS.replace("  - {id: product, name: Product}\n", "")
    )
    assert _changed_findings(tmp_path, base, "unknown-team") == (1, ["maps/m.yaml"])


def test_changed_since_reports_a_map_that_is_a_link_whose_file_changed(tmp_path: Path) -> None:
    """maps/m.yaml is a link to shared/m.yaml: git names shared/m.yaml changed; with its id
    changed too, no map matched, and "No map changed since" passed the owner no team has."""
    write_files(tmp_path, {"maps/teams.yaml": TEAMS, "shared/m.yaml": GOOD})
    (tmp_path / "maps" / "m.yaml").symlink_to(Path("..") / "shared" / "m.yaml")
    base = committed(tmp_path, {})
    shared = tmp_path / "shared" / "m.yaml"
    shared.write_text(GOOD.replace("id: m\n", "id: renamed\n").replace("owner: product", "owner: nobody"))
    assert _changed_findings(tmp_path, base, "unknown-team") == (1, ["maps/m.yaml"])
    hook = jm(tmp_path, "lint", "--force-exclude", "shared/m.yaml")  # as pre-commit names it
    assert hook.returncode == 1 and hook.stdout.startswith("maps/m.yaml:"), hook.stdout


def test_changed_since_reports_maps_based_on_a_changed_map(tmp_path: Path) -> None:
    future = GOOD.replace("id: m\ntitle: T\n", "id: f\ntitle: F\nstate: future\nbased_on: m\n")
    base = committed(tmp_path, {"maps/current.yaml": GOOD, "maps/future.yaml": future})
    path = tmp_path / "maps" / "current.yaml"
    path.write_text(path.read_text().replace("id: m\n", "id: m2\n"))
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    found = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in found] == [("maps/future.yaml", "unknown-reference")]
    path.unlink()  # a deleted map breaks its future-state maps too
    found = json.loads(jm(tmp_path, "lint", "--changed-since", base, "--format", "json").stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in found] == [("maps/future.yaml", "unknown-reference")]


def test_changed_since_a_settings_change_checks_everything(tmp_path: Path) -> None:
    base = committed(tmp_path, {"maps/m.yaml": GOOD, "journeymaps.toml": "paths = ['maps']\n"})
    (tmp_path / "journeymaps.toml").write_text("paths = ['maps']\nreview-cadence-days = 7\n")
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["stale-map"]
    assert "journeymaps.toml changed: every file is checked" in result.stderr


def test_a_revision_is_never_an_option_to_git(tmp_path: Path) -> None:
    committed(tmp_path, {"maps/m.yaml": GOOD})
    for args in (["lint", "--changed-since=--output=written"], ["diff", "--", "--output=written"]):
        result = run_jm(tmp_path, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "'--output=written' is not a revision" in result.stderr
        assert not (tmp_path / "written").exists()


def test_changed_since_sees_files_with_spaces_and_accents(tmp_path: Path) -> None:
    base = committed(tmp_path, {"maps/m.yaml": GOOD})
    write_files(tmp_path / "maps", {"Billing café.yaml": NO_OWNER.replace("id: m\n", "id: b\n")})
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["maps/Billing café.yaml"]
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "b")  # tracked and changed, not only untracked
    path = tmp_path / "maps" / "Billing café.yaml"
    path.write_text(path.read_text().replace("title: T", "title: T2"))
    again = jm(tmp_path, "lint", "--changed-since", "HEAD", "--format", "json")
    assert [f["file"] for f in json.loads(again.stdout)["findings"]] == ["maps/Billing café.yaml"]


def test_prune_survives_a_hand_edited_baseline(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    entries = [{"fingerprint": "0" * 32}, {"fingerprint": "1" * 32, "file": None, "rule": 3}]
    (tmp_path / "b.json").write_text(
        json.dumps({"version": 2, "fingerprints": "journeymaps/v2", "findings": entries})
    )
    listed = jm(tmp_path, "lint", "--baseline", "b.json")  # each listed in words, not "None: [None] None"
    assert listed.stderr.splitlines()[1:] == ["  (no file): [?]", "  (no file): [3]"]
    result = jm(tmp_path, "baseline", "--prune", "-o", "b.json")
    assert result.returncode == 0, result.stderr
    # They match no finding of the project, which was checked whole: stale, whatever file they name.
    assert "Removed 2 stale entries" in result.stdout


def test_a_hand_edited_entry_whose_file_is_not_text_is_left_out(tmp_path: Path) -> None:
    """``"file": [1]`` (or an object) ended lint --baseline and baseline --prune in
    'internal error: TypeError: unhashable type'."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    assert jm(tmp_path, "baseline", "-o", "b.json").returncode == 0
    document = json.loads((tmp_path / "b.json").read_text())
    document["findings"] += [{"fingerprint": "0" * 32, "file": [1]}, {"fingerprint": "1" * 32, "file": {}}]
    (tmp_path / "b.json").write_text(json.dumps(document))
    result = jm(tmp_path, "lint", "--baseline", "b.json")
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "All checks passed: 1 file (1 map).")
    assert jm(tmp_path, "baseline", "--prune", "-o", "b.json").returncode == 0


def test_lint_says_a_baseline_holds_entries_it_cannot_use(tmp_path: Path) -> None:
    """An entry without a fingerprint hides nothing, so the finding it was written for
    shows and fails the run: lint said nothing about the entry."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    assert jm(tmp_path, "baseline", "-o", "b.json").returncode == 0
    document = json.loads((tmp_path / "b.json").read_text())
    del document["findings"][0]["fingerprint"]  # a merge conflict resolved by hand
    (tmp_path / "b.json").write_text(json.dumps(document))
    result = jm(tmp_path, "lint", "--baseline", "b.json")
    assert result.returncode == 1 and "[missing-owner]" in result.stdout
    assert result.stderr.splitlines() == [
        "1 baseline entry in b.json cannot be used (without a fingerprint, with a file that is not "
        "text, or of a finding that keeps its file from being checked): it hides nothing; "
        "'journeymaps baseline --prune -o b.json' removes it."
    ]


def test_prune_counts_the_unusable_entries_it_drops(tmp_path: Path) -> None:
    """Entries left out on reading (no fingerprint, a file that is not text) were not
    written back, and prune said "Removed 0 stale entries": four entries went unsaid."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    assert jm(tmp_path, "baseline", "-o", "b.json").returncode == 0
    document = json.loads((tmp_path / "b.json").read_text())
    document["findings"] += [
        {"fingerprint": "0" * 32, "file": [1]},
        {"file": "maps/m.yaml"},
        3,
        {"fingerprint": 7},
    ]
    (tmp_path / "b.json").write_text(json.dumps(document))
    result = jm(tmp_path, "baseline", "--prune", "-o", "b.json")
    assert (result.returncode, result.stdout) == (
        0,
        "Removed 0 stale entries and 4 unusable entries (without a fingerprint, with a file that "
        "is not text, or of a finding that keeps its file from being checked) from b.json; kept 1.\n",
    )
    assert len(json.loads((tmp_path / "b.json").read_text())["findings"]) == 1
    again = jm(tmp_path, "baseline", "--prune", "-o", "b.json")
    assert again.stdout == "Removed 0 stale entries from b.json; kept 1.\n"


def test_a_stale_entry_s_words_are_shown_on_one_line_with_no_control(tmp_path: Path) -> None:
    """lint listed a stale entry's file, rule and message as the baseline file wrote them:
    a hand-edited message started a line of its own (``::error`` on stderr is a command to
    GitHub's runner), and wrote a terminal escape and a direction control raw."""
    write_files(tmp_path / "maps", {"m.yaml": NO_OWNER})
    assert jm(tmp_path, "baseline", "-o", "b.json").returncode == 0
    document = json.loads((tmp_path / "b.json").read_text())
    message = "fixed\n::error file=maps/m.yaml,line=1::injected \x1b[31mred"
    document["findings"].append(
        {"fingerprint": "f" * 32, "file": "maps/m.yaml", "rule": "x\u202ey", "message": message}
    )
    (tmp_path / "b.json").write_text(json.dumps(document))
    result = jm(tmp_path, "lint", "--baseline", "b.json")
    assert result.returncode == 0
    assert result.stderr.splitlines()[-1] == (
        "  maps/m.yaml: [x\\u202ey] fixed\\n::error file=maps/m.yaml,line=1::injected \\x1b[31mred"
    )
    assert not any(line.startswith("::") for line in result.stderr.splitlines())


def test_changed_since_reports_maps_that_name_a_changed_persona(tmp_path: Path) -> None:
    personas = "personas:\n  - {id: admin, name: Admin}\n"
    shared = GOOD.replace("persona: {name: Admin}", "persona: admin")
    base = committed(
        tmp_path,
        {
            "maps/personas.yaml": personas,
            "maps/shared.yaml": shared,
            "maps/inline.yaml": GOOD.replace("id: m\n", "id: i\n"),
        },
    )
    (tmp_path / "maps" / "personas.yaml").write_text(personas.replace("id: admin", "id: administrator"))
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    document = json.loads(result.stdout)
    assert [(f["file"], f["rule"]) for f in document["findings"]] == [
        ("maps/shared.yaml", "unknown-reference")
    ]
    assert document["summary"]["files"] == 2  # personas.yaml and the map that names a persona


# --changed-since must not pass a change that breaks a file it did not touch.


def _committed(root: Path, files: dict[str, str]) -> str:
    """A git repository at ``root`` holding ``files`` (paths relative to it); its commit."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "maps")
    return git(root, "rev-parse", "HEAD").strip()


def _with_pain(map_id: str, pain: str, caused_by: str | None = None) -> str:
    cause = f", caused_by: [{caused_by}]" if caused_by else ""
    return GOOD.replace("id: m\n", f"id: {map_id}\n") + (
        f"pain_points:\n  - {{id: {pain}, at: one, kind: process, summary: S{cause}}}\n"
    )


def _changed_findings(root: Path, base: str, rule: str) -> tuple[int, list[str]]:
    """lint --changed-since's exit code, and the files it reports ``rule`` in."""
    result = jm(root, "lint", "--changed-since", base, "--format", "json")
    found = json.loads(result.stdout)["findings"]
    return result.returncode, sorted(f["file"] for f in found if f["rule"] == rule)


def test_changed_since_reports_a_map_whose_caused_by_a_change_broke(tmp_path: Path) -> None:
    # Renaming a pain point broke the unchanged map pointing at it (caused_by: a/p1): the
    # gate passed the pull request with exit 0.
    base = _committed(
        tmp_path,
        {"maps/a.yaml": _with_pain("a", "p1"), "maps/b.yaml": _with_pain("b", "q", caused_by="a/p1")},
    )
    path = tmp_path / "maps" / "a.yaml"
    path.write_text(path.read_text().replace("id: p1", "id: p2"))
    assert _changed_findings(tmp_path, base, "unknown-reference") == (1, ["maps/b.yaml"])
    assert "caused_by leads to a changed map" in jm(tmp_path, "lint", "--changed-since", base).stderr


def test_changed_since_reports_a_caused_by_loop_through_maps_nobody_touched(tmp_path: Path) -> None:
    base = _committed(
        tmp_path,
        {
            "maps/a.yaml": _with_pain("a", "p"),
            "maps/b.yaml": _with_pain("b", "p", caused_by="a/p"),
            "maps/c.yaml": _with_pain("c", "p", caused_by="b/p"),
        },
    )
    path = tmp_path / "maps" / "a.yaml"
    path.write_text(path.read_text().replace("summary: S", "summary: S, caused_by: [c/p]"))
    _, found = _changed_findings(tmp_path, base, "caused-by-cycle")
    assert found == ["maps/a.yaml", "maps/b.yaml", "maps/c.yaml"]


def test_changed_since_reports_a_map_whose_snapshot_changed(tmp_path: Path) -> None:
    from journeymaps.rules.measured import _project, _snap, _with_kpi

    example = _project(_with_kpi(8), _snap({"2026-10": {"contacts": 900, "frt": 360.0}}))
    base = _committed(
        tmp_path,
        {k.removeprefix("../") if k.startswith("../") else f"maps/{k}": v for k, v in example.items()},
    )
    snapshot = tmp_path / "metrics" / "admin-locked-out.json"
    # The measured first reply time now misses its 8-hour target: only the snapshot changed.
    snapshot.write_text(snapshot.read_text().replace("360.0", "600.0"))
    assert _changed_findings(tmp_path, base, "kpi-off-target") == (0, ["maps/map.yaml"])
    assert "metrics snapshot changed" in jm(tmp_path, "lint", "--changed-since", base).stderr


def test_changed_since_reports_a_map_whose_persona_photo_changed(tmp_path: Path) -> None:
    with_photo = GOOD.replace("persona: {name: Admin}", "persona: {name: Admin, photo: maps/admin.gif}")
    base = _committed(tmp_path, {"maps/m.yaml": with_photo, "maps/admin.gif": "GIF89a\x01\x00\x01\x00"})
    assert _changed_findings(tmp_path, base, "persona-photo") == (0, [])
    (tmp_path / "maps" / "admin.gif").write_text("not an image at all")
    assert _changed_findings(tmp_path, base, "persona-photo") == (1, ["maps/m.yaml"])


def test_changed_since_reports_the_maps_pointing_at_a_deleted_schema_copy(tmp_path: Path) -> None:
    comment = "# yaml-language-server: $schema=../schema/journey-map.schema.json\n"
    assert run_jm(tmp_path, "schema", "--write", "schema").returncode == 0
    base = _committed(tmp_path, {"maps/m.yaml": comment + GOOD})
    (tmp_path / "schema" / "journey-map.schema.json").unlink()
    assert _changed_findings(tmp_path, base, "schema-reference") == (0, ["maps/m.yaml"])


def test_changed_since_checks_every_file_when_the_settings_file_was_deleted(tmp_path: Path) -> None:
    # The settings turned a rule off; the pull request deletes them. Nothing else changed, so
    # the gate checked nothing and passed: the next full lint failed on a map nobody touched.
    off = "[rules]\nunknown-team = 'off'\n"
    bad = GOOD.replace("owner: product", "owner: nobody")
    base = _committed(tmp_path, {"journeymaps.toml": off, "maps/teams.yaml": TEAMS, "maps/m.yaml": bad})
    (tmp_path / "journeymaps.toml").unlink()
    assert _changed_findings(tmp_path, base, "unknown-team") == (1, ["maps/m.yaml"])
    assert (
        "journeymaps.toml was deleted: every file is checked"
        in jm(tmp_path, "lint", "--changed-since", base).stderr
    )


def test_changed_since_ignores_a_pyproject_without_journeymaps_settings(tmp_path: Path) -> None:
    # A dependency bump in the repository's pyproject.toml is no change of the settings: the
    # gate must not start reporting every old finding of every map.
    bad = GOOD.replace("owner: product", "owner: nobody")
    project = "[project]\nname = 'x'\n"
    base = _committed(tmp_path, {"pyproject.toml": project, "maps/teams.yaml": TEAMS, "maps/m.yaml": bad})
    (tmp_path / "pyproject.toml").write_text(project + "version = '2'\n")
    assert _changed_findings(tmp_path, base, "unknown-team") == (0, [])


def test_changed_since_survives_a_map_whose_id_is_a_list(tmp_path: Path) -> None:
    # id: [b] is a schema error of its own; the gate ended in "internal error: TypeError:
    # unhashable type: 'list'" as soon as any other map changed.
    base = _committed(
        tmp_path,
        {
            "maps/a.yaml": GOOD.replace("id: m\n", "id: a\n"),
            "maps/b.yaml": GOOD.replace("id: m\n", "id: [b]\n"),
        },
    )
    path = tmp_path / "maps" / "a.yaml"
    path.write_text(path.read_text().replace("title: T", "title: T2"))
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    assert "internal error" not in result.stderr
    assert result.returncode == 0 and json.loads(result.stdout)["findings"] == []


def test_changed_since_reports_a_map_whose_long_header_hides_its_schema_comment(tmp_path: Path) -> None:
    # The rule reads the comment anywhere in a file's first 2,048 characters, and the copy by
    # any name: a map with a long licence header, pointing at schema/map.json, was left out.
    header = "".join(
        f"# licence line {i:02} of the header every file of this repository carries\n" for i in range(20)
    )
    comment = "# yaml-language-server: $schema=../schema/map.json\n"
    assert 1024 < len(header) < 2000
    base = _committed(tmp_path, {"maps/m.yaml": header + comment + GOOD, "schema/map.json": "{}\n"})
    (tmp_path / "schema" / "map.json").unlink()
    assert _changed_findings(tmp_path, base, "schema-reference") == (0, ["maps/m.yaml"])


def test_changed_since_reports_a_map_whose_photo_is_a_link_to_a_changed_file(tmp_path: Path) -> None:
    with_photo = GOOD.replace("persona: {name: Admin}", "persona: {name: Admin, photo: maps/admin.gif}")
    base = _committed(tmp_path, {"maps/m.yaml": with_photo, "assets/admin.gif": "GIF89a\x01\x00\x01\x00"})
    (tmp_path / "maps" / "admin.gif").symlink_to("../assets/admin.gif")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "link")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    (tmp_path / "assets" / "admin.gif").write_text("not an image at all")
    assert _changed_findings(tmp_path, base, "persona-photo") == (1, ["maps/m.yaml"])


def test_changed_since_checks_every_file_when_the_baseline_changed(tmp_path: Path) -> None:
    # A pull request that drops a baseline entry shows a known finding again, in a map it did
    # not touch: the gate (lint --changed-since --baseline) passed, the next full lint failed.
    bad = NO_OWNER
    base_files = {
        "maps/teams.yaml": TEAMS,
        "maps/m.yaml": bad,
        "maps/n.yaml": GOOD.replace("id: m\n", "id: n\n"),
    }
    write_files(tmp_path, base_files)
    assert jm(tmp_path, "baseline").returncode == 0
    base = _committed(tmp_path, {})
    recorded = tmp_path / ".journeymaps-baseline.json"
    data = json.loads(recorded.read_text())
    data["findings"] = []
    recorded.write_text(json.dumps(data))
    args = ("lint", "--changed-since", base, "--baseline", ".journeymaps-baseline.json", "--format", "json")
    result = jm(tmp_path, *args)
    assert result.returncode == 1, result.stderr
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["maps/m.yaml"]
    assert ".journeymaps-baseline.json changed: every file is checked" in result.stderr


def test_changed_since_asks_the_repository_the_maps_are_in(tmp_path: Path) -> None:
    # Run from another repository, the changes were that one's: a map there sharing an id
    # with one here put this unchanged map on the report; run from a folder in no
    # repository, HEAD was "not a branch, tag or commit of this repository".
    here = tmp_path / "maps-repo"
    base = _committed(here, {"journeymaps.toml": "", "maps/teams.yaml": TEAMS, "maps/m.yaml": NO_OWNER})
    (here / "maps" / "new.yaml").write_text(GOOD.replace("id: m\n", "id: new\n"))
    other = tmp_path / "other-repo"
    _committed(other, {"maps/m.yaml": GOOD})
    (other / "maps" / "m.yaml").write_text(GOOD.replace("title: T", "title: Changed"))
    elsewhere = tmp_path / "no-repo"
    elsewhere.mkdir()
    for cwd in (other, elsewhere):
        result = jm(cwd, "lint", str(here / "maps"), "--changed-since", base, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["summary"]["files"] == 1  # new.yaml, nothing else
        assert json.loads(result.stdout)["findings"] == []


def test_changed_since_in_no_repository_says_so(tmp_path: Path) -> None:
    # It said "unknown revision 'HEAD' (not a branch, tag or commit of this repository)".
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    result = jm(tmp_path, "lint", "--changed-since", "HEAD")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("/maps is in no git repository"), result.stderr


def test_a_revision_in_a_repository_with_no_commit_says_so(tmp_path: Path) -> None:
    # 'diff HEAD' or '--changed-since HEAD' right after 'git init' said HEAD was "not a
    # branch, tag or commit of this repository".
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    for args in (("diff", "HEAD"), ("lint", "--changed-since", "HEAD")):
        result = jm(tmp_path, *args)
        assert result.returncode == 2, result.stderr
        assert (
            "unknown revision 'HEAD' (the repository has no commit yet: commit the maps first)"
            in result.stderr
        )


def test_changed_since_reports_a_map_whose_snapshot_changed_through_a_linked_folder(tmp_path: Path) -> None:
    from journeymaps.rules.measured import _project, _snap, _with_kpi

    example = _project(_with_kpi(8), _snap({"2026-10": {"contacts": 900, "frt": 360.0}}))
    files = {
        k.replace("../metrics/", "shared/metrics/")
        if k.startswith("../metrics/")
        else k.removeprefix("../")
        if k.startswith("../")
        else f"maps/{k}": v
        for k, v in example.items()
    }
    base = _committed(tmp_path, files)
    (tmp_path / "metrics").symlink_to("shared/metrics")  # the settings' metrics folder, a link
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "link")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    snapshot = tmp_path / "shared" / "metrics" / "admin-locked-out.json"
    snapshot.write_text(snapshot.read_text().replace("360.0", "600.0"))
    assert _changed_findings(tmp_path, base, "kpi-off-target") == (0, ["maps/map.yaml"])


def test_changed_since_checks_every_file_when_pyproject_loses_its_settings(tmp_path: Path) -> None:
    off = "[project]\nname = 'x'\n\n[tool.journeymaps.rules]\nunknown-team = 'off'\n"
    bad = GOOD.replace("owner: product", "owner: nobody")
    base = _committed(tmp_path, {"pyproject.toml": off, "maps/teams.yaml": TEAMS, "maps/m.yaml": bad})
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert _changed_findings(tmp_path, base, "unknown-team") == (1, ["maps/m.yaml"])


def test_changed_since_a_settings_file_that_never_applied_checks_nothing_more(tmp_path: Path) -> None:
    # Settings are found above the paths linted: one in a subfolder of the maps never applied,
    # and deleting it must not put every old finding of every map on the pull request.
    base = _committed(
        tmp_path,
        {
            "journeymaps.toml": "",
            "maps/teams.yaml": TEAMS,
            "maps/m.yaml": GOOD.replace("owner: product", "owner: nobody"),
            "maps/old/journeymaps.toml": "[rules]\nunknown-team = 'off'\n",
            "maps/old/n.yaml": GOOD.replace("id: m\n", "id: n\n"),
        },
    )
    (tmp_path / "maps" / "old" / "journeymaps.toml").unlink()
    assert _changed_findings(tmp_path, base, "unknown-team") == (0, [])


def test_changed_since_with_settings_above_the_repository(tmp_path: Path) -> None:
    # The settings may sit above the repository (a pyproject.toml of the folder it is in):
    # the repository asked is the maps', not the settings' folder's.
    (tmp_path / "journeymaps.toml").write_text("paths = ['repo/maps']\n")
    repo = tmp_path / "repo"
    base = _committed(repo, {"maps/teams.yaml": TEAMS, "maps/m.yaml": NO_OWNER})
    (repo / "maps" / "new.yaml").write_text(GOOD.replace("id: m\n", "id: new\n"))
    result = jm(repo, "lint", "--changed-since", base, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["files"] == 1


def test_changed_since_reads_a_file_after_a_folder_of_the_same_name_type(tmp_path: Path) -> None:
    # A folder named x.yaml at the revision (now a file): git prints the folder's listing, and
    # the reader took it for the next file's header, so y.yaml's bytes then were misread.
    from journeymaps.git import changed_since

    base = _committed(
        tmp_path, {"maps/x.yaml/inner.yaml": GOOD, "maps/y.yaml": GOOD.replace("id: m\n", "id: y\n")}
    )
    assert base
    inner = tmp_path / "maps" / "x.yaml" / "inner.yaml"
    inner.unlink()
    inner.parent.rmdir()
    (tmp_path / "maps" / "x.yaml").write_text(GOOD.replace("id: m\n", "id: x\n"))
    changes = changed_since("HEAD", tmp_path)
    x, y = tmp_path / "maps" / "x.yaml", tmp_path / "maps" / "y.yaml"
    found = changes.before([x, y])
    assert found == {x: None, y: GOOD.replace("id: m\n", "id: y\n").encode()}


def test_pre_commit_reports_a_map_a_named_file_broke(tmp_path: Path) -> None:
    """pre-commit names the changed files only: renaming a pain point in a.yaml passed the
    hook while b.yaml's caused_by a/p1 pointed at nothing (the CI gate saw it, too late)."""
    _committed(
        tmp_path,
        {
            "maps/a.yaml": _with_pain("a", "p1"),
            "maps/b.yaml": _with_pain("b", "q", caused_by="a/p1"),
            "maps/c.yaml": _with_pain("c", "r"),
        },
    )
    path = tmp_path / "maps" / "a.yaml"
    path.write_text(path.read_text().replace("id: p1", "id: p2"))
    (tmp_path / "maps" / "c.yaml").write_text(_with_pain("c", "r").replace("owner: support", "owner: nobody"))
    result = jm(tmp_path, "lint", "--force-exclude", "maps/a.yaml", "--format", "json")
    assert result.returncode == 1, result.stdout
    found = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in found if f["severity"] == "error"] == [
        ("maps/b.yaml", "unknown-reference")
    ]  # c.yaml's own problem is not a.yaml's doing: not reported here
    assert "caused_by leads to a changed map are checked (1 more)" in result.stderr
    alone = jm(tmp_path, "lint", "--force-exclude", "maps/c.yaml")
    assert "maps/b.yaml" not in alone.stdout and "maps/c.yaml" in alone.stdout  # itself only


def test_a_folder_named_beside_a_registry_is_reported_whole(tmp_path: Path) -> None:
    """``lint maps/personas.yaml maps/support``: the folder's maps that name no shared persona
    were dropped from the report (only the registry's users were kept)."""
    shutil.copytree(Path(__file__).parents[1] / "maps", tmp_path / "maps")
    result = jm(tmp_path, "lint", "maps/personas.yaml", "maps/support")
    assert "in 5 files (4 maps)" in result.stdout, result.stdout


def test_a_run_of_some_rules_judges_only_their_entries(tmp_path: Path) -> None:
    """``lint --select X --baseline b.json`` listed every other rule's entries as stale
    ("no finding any more") and suggested --prune, which keeps them: they were not checked."""
    placeholder = NO_OWNER.replace("title: T", "title: TODO")
    write_files(tmp_path / "maps", {"m.yaml": placeholder})
    assert jm(tmp_path, "baseline").returncode == 0
    recorded = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())["findings"]
    assert sorted(e["rule"] for e in recorded) == ["missing-owner", "placeholder-text"]
    for options in (["--select", "missing-owner"], ["--select", "JM9"], ["--ignore", "placeholder-text"]):
        result = jm(tmp_path, "lint", *options, "--baseline", ".journeymaps-baseline.json")
        assert result.returncode == 0, result.stderr
        assert "no finding any more" not in result.stderr and "--prune" not in result.stderr, options
        assert "1 known finding in .journeymaps-baseline.json not shown" in result.stderr
    # an entry of a selected rule whose finding is gone is still stale
    (tmp_path / "maps" / "m.yaml").write_text(GOOD.replace("title: T", "title: TODO"))
    fixed = jm(tmp_path, "lint", "--select", "missing-owner", "--baseline", ".journeymaps-baseline.json")
    assert "1 baseline entry in .journeymaps-baseline.json matches no finding any more" in fixed.stderr
    assert "maps/m.yaml: [missing-owner] map 'm' has no owner" in fixed.stderr


def test_changed_since_checks_the_maps_a_submodule_changed(tmp_path: Path) -> None:
    """A submodule is one path to git ("maps/shared"), not a YAML file: its maps, changed
    by moving it to another commit, were never checked ("No map changed")."""
    shared = tmp_path / "shared"
    write_files(shared, {"remote.yaml": GOOD.replace("id: m\n", "id: remote\n")})
    git(shared, "init", "-q", "-b", "main")
    git(shared, "add", ".")
    git(shared, "commit", "-q", "-m", "shared")
    project = tmp_path / "project"
    write_files(project / "maps", {"m.yaml": GOOD})
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "protocol.file.allow=always", "submodule", "add", "-q", shared.as_uri(), "maps/shared")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "maps")
    base = git(project, "rev-parse", "HEAD").strip()
    sub = project / "maps" / "shared"
    (sub / "remote.yaml").write_text(NO_OWNER.replace("id: m\n", "id: remote\n"))
    git(sub, "commit", "-q", "-am", "no owner")
    git(project, "commit", "-q", "-am", "submodule moved on")
    result = jm(project, "lint", "--changed-since", base, "--format", "json")
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"maps/shared/remote.yaml"}
    assert result.returncode == 1
    # A submodule the revision does not have: all its maps are new.
    git(project, "rm", "-q", "--cached", "maps/shared")
    write_files(project / "maps", {"other.yaml": GOOD.replace("id: m\n", "id: o\n")})
    git(project, "add", "maps/other.yaml")
    git(project, "commit", "-q", "-m", "no submodule")
    before = git(project, "rev-parse", "HEAD").strip()
    git(
        project,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        "-f",
        shared.as_uri(),
        "maps/shared",
    )
    git(project, "commit", "-q", "-m", "submodule again")
    result = jm(project, "lint", "--changed-since", before, "--format", "json")
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"maps/shared/remote.yaml"}


def test_recording_some_files_replaces_their_entries_recorded_from_another_folder(tmp_path: Path) -> None:
    """Recorded in maps/ (``"file": "old.yaml"``), then again at the top for one map: its
    entries were kept as "files not checked" beside the new ones, so each finding had two
    entries, and a second finding with the same fingerprint was hidden too."""
    write_files(
        tmp_path / "maps", {"old.yaml": NO_OWNER, "other.yaml": NO_OWNER.replace("id: m\n", "id: o\n")}
    )
    assert jm(tmp_path / "maps", "baseline", "-o", "../b.json", ".").returncode == 0
    first = json.loads((tmp_path / "b.json").read_text())["findings"]
    result = jm(tmp_path, "baseline", "-o", "b.json", "maps/old.yaml")
    assert result.returncode == 0, result.stderr
    entries = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert len(entries) == len(first)
    assert sorted(e["file"] for e in entries) == sorted(
        ("maps/old.yaml" if e["file"] == "old.yaml" else e["file"]) for e in first
    )


def test_a_baseline_recorded_in_a_subfolder_is_the_one_recorded_at_the_top(tmp_path: Path) -> None:
    """Run from maps/billing, ``journeymaps baseline`` wrote maps/billing/.journeymaps-baseline.json
    (which the project's ``lint --baseline .journeymaps-baseline.json`` never read), naming
    the files there by name and every other one by its absolute path, in a file meant to be
    committed. It now goes beside the settings file, its files named from its own folder."""
    (tmp_path / "journeymaps.toml").write_text('paths = ["maps"]\n')
    write_files(
        tmp_path / "maps",
        {"billing/refund.yaml": NO_OWNER, "cancel.yaml": NO_OWNER.replace("id: m\n", "id: n\n")},
    )
    billing = tmp_path / "maps" / "billing"
    recorded = tmp_path / ".journeymaps-baseline.json"
    below = jm(billing, "baseline")
    assert below.stdout == "Recorded 2 findings in ../../.journeymaps-baseline.json.\n"
    assert not (billing / ".journeymaps-baseline.json").exists()
    from_below = recorded.read_bytes()
    assert sorted(e["file"] for e in json.loads(from_below)["findings"]) == [
        "maps/billing/refund.yaml",
        "maps/cancel.yaml",
    ]
    assert jm(tmp_path, "baseline").stdout == "Recorded 2 findings in .journeymaps-baseline.json.\n"
    assert recorded.read_bytes() == from_below
    # Read from below, its entries are the files lint checks there: a run over this folder
    # judges refund's entry (fixed: stale), and prune keeps cancel's under its name.
    (billing / "refund.yaml").write_text(GOOD)
    result = jm(billing, "lint", ".", "--baseline", "../../.journeymaps-baseline.json")
    assert result.returncode == 0
    assert "refund.yaml: [missing-owner] map 'm' has no owner" in result.stderr
    assert "1 baseline entry in ../../.journeymaps-baseline.json matches no finding any more" in result.stderr
    pruned = jm(billing, "baseline", "--prune", ".", "-o", "../../.journeymaps-baseline.json")
    assert pruned.stdout == "Removed 1 stale entry from ../../.journeymaps-baseline.json; kept 1.\n"
    assert [e["file"] for e in json.loads(recorded.read_bytes())["findings"]] == ["maps/cancel.yaml"]
    # Another file's entries are kept when this folder's files are recorded again.
    (billing / "refund.yaml").write_text(NO_OWNER)
    again = jm(billing, "baseline", "refund.yaml")
    assert again.stdout == (
        "Recorded 1 finding in ../../.journeymaps-baseline.json; kept 1 entry of files not checked.\n"
    )
    assert recorded.read_bytes() == from_below
    # One in the folder it is recorded from names a file outside it from there too (the
    # run names that file by its absolute path).
    assert jm(billing, "baseline", "-o", "here.json").returncode == 0
    here = sorted(e["file"] for e in json.loads((billing / "here.json").read_text())["findings"])
    assert here == ["../cancel.yaml", "refund.yaml"]
    assert jm(billing, "lint", "--baseline", "here.json").returncode == 0


def test_a_baseline_recorded_in_a_subfolder_before_is_read_as_it_was_meant(tmp_path: Path) -> None:
    """A baseline an older journeymaps wrote in maps/billing (this folder's files by name,
    the others by absolute path) names the same files now: a run over that folder from the
    top judges its entries (they were read as files at the top, never checked), and pruning
    names the files from the baseline's folder."""
    (tmp_path / "journeymaps.toml").write_text('paths = ["maps"]\n')
    write_files(
        tmp_path / "maps",
        {"billing/refund.yaml": NO_OWNER, "cancel.yaml": NO_OWNER.replace("id: m\n", "id: n\n")},
    )
    assert jm(tmp_path, "baseline").returncode == 0
    document = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())
    cancel = (tmp_path / "maps" / "cancel.yaml").as_posix()
    old = {"maps/billing/refund.yaml": "refund.yaml", "maps/cancel.yaml": cancel}
    document["findings"] = [{**e, "file": old[e["file"]]} for e in document["findings"]]
    billing = tmp_path / "maps" / "billing"
    (billing / "old.json").write_text(json.dumps(document))
    (billing / "refund.yaml").write_text(GOOD)
    result = jm(tmp_path, "lint", "maps/billing", "--baseline", "maps/billing/old.json")
    assert result.returncode == 0
    assert "1 baseline entry in maps/billing/old.json matches no finding any more" in result.stderr
    assert "  maps/billing/refund.yaml: [missing-owner] map 'm' has no owner" in result.stderr
    pruned = jm(tmp_path, "baseline", "--prune", "maps/billing", "-o", "maps/billing/old.json")
    assert pruned.stdout == "Removed 1 stale entry from maps/billing/old.json; kept 1.\n"
    assert [e["file"] for e in json.loads((billing / "old.json").read_text())["findings"]] == [
        "../cancel.yaml"
    ]
