"""lint --changed-since and the pre-commit hook with teams.yaml deleted, on a real git
repository: without one no owner is checked, so the owners are judged with the one deleted."""

from __future__ import annotations

import json
from pathlib import Path

from test_baseline_and_changes import GOOD, TEAMS, committed, git, jm

GHOST = GOOD.replace("    owner: product\n", "    owner: ghost\n", 1)
WHY = "and without one no owner is checked"


def test_changed_since_judges_owners_with_the_teams_yaml_deleted_since(tmp_path: Path) -> None:
    """Deleting teams.yaml made every owner unchecked: a map naming a team that does not
    exist passed lint --changed-since, and nothing said teams.yaml had gone."""
    base = committed(tmp_path, {"maps/teams.yaml": TEAMS, "maps/m.yaml": GOOD})
    (tmp_path / "maps" / "teams.yaml").unlink()
    (tmp_path / "maps" / "m.yaml").write_text(GHOST)
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    found = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"], f["severity"]) for f in found] == [
        ("maps/m.yaml", "unknown-team", "error")
    ]
    assert found[0]["message"].endswith(f"; that teams.yaml was deleted since {base}, {WHY}"), found[0]
    assert (
        f"--changed-since {base}: maps/teams.yaml was deleted: without a teams.yaml no owner is checked, "
        f"so the maps' owners are checked against it as it was at {base}"
    ) in result.stderr


def test_changed_since_a_teams_yaml_deleted_alone_passes_and_says_so(tmp_path: Path) -> None:
    """Every owner is in the teams.yaml deleted: nothing new is wrong (as diff --check), but
    the run says what it checked them against."""
    base = committed(tmp_path, {"maps/teams.yaml": TEAMS, "maps/m.yaml": GOOD})
    (tmp_path / "maps" / "teams.yaml").unlink()
    result = jm(tmp_path, "lint", "--changed-since", base)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "maps/teams.yaml was deleted: the maps that use it are checked (1 more); without a teams.yaml no "
        "owner is checked"
    ) in result.stderr


def test_the_pre_commit_hook_judges_owners_with_the_staged_deleted_teams_yaml(tmp_path: Path) -> None:
    committed(tmp_path, {"maps/teams.yaml": TEAMS, "maps/m.yaml": GOOD})
    git(tmp_path, "rm", "-q", "maps/teams.yaml")
    (tmp_path / "maps" / "m.yaml").write_text(GHOST)
    git(tmp_path, "add", "maps/m.yaml")
    result = jm(tmp_path, "lint", "--force-exclude", "--staged-deletions", "maps/m.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[unknown-team]" in result.stdout
    assert f"; that teams.yaml is deleted (staged), {WHY}" in result.stdout


def test_the_pre_commit_hook_says_a_deleted_teams_yaml_once(tmp_path: Path) -> None:
    """Its deletion was said three times on stderr: "maps/teams.yaml is deleted (staged)",
    "maps/teams.yaml was deleted: the maps that use it are checked (1 more)" (not what the
    hook calls it), and the note on what owners are checked against."""
    committed(tmp_path, {"maps/teams.yaml": TEAMS, "maps/m.yaml": GOOD})
    git(tmp_path, "rm", "-q", "maps/teams.yaml")
    result = jm(tmp_path, "lint", "--force-exclude", "--staged-deletions")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "maps/teams.yaml is deleted (staged): the maps that use it are checked (1 more); without a "
        "teams.yaml no owner is checked, so the maps' owners are checked against it as it was at HEAD"
    ]
    (tmp_path / "maps" / "m.yaml").write_text(GHOST)
    git(tmp_path, "add", "maps/m.yaml")
    named = jm(tmp_path, "lint", "--force-exclude", "--staged-deletions", "maps/m.yaml")
    assert named.returncode == 1, named.stdout + named.stderr
    assert sum("maps/teams.yaml" in line for line in named.stderr.splitlines()) == 1, named.stderr


def test_changed_since_says_a_deleted_teams_yaml_once(tmp_path: Path) -> None:
    """ "was deleted: the maps that use it are checked" and "was deleted: without a teams.yaml
    no owner is checked" were two lines of one deletion."""
    base = committed(
        tmp_path,
        {"maps/teams.yaml": TEAMS, "maps/m.yaml": GOOD, "maps/n.yaml": GOOD.replace("id: ", "id: n-", 1)},
    )
    (tmp_path / "maps" / "teams.yaml").unlink()
    result = jm(tmp_path, "lint", "--changed-since", base)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line for line in result.stderr.splitlines() if "teams.yaml" in line] == [
        f"--changed-since {base}: maps/teams.yaml was deleted: the maps that use it are checked (2 more); "
        "without a teams.yaml no owner is checked, so the maps' owners are checked against it as it was at "
        f"{base}"
    ], result.stderr
