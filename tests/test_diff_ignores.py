"""journeymaps diff on a real git repository: a map moved under a ``per-file-ignores``
pattern is a change in what is ignored, judged as a rule turned off by the change."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from test_diff import diff_here, ghost_owners, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

OLD = "maps/support/billing-dispute.yaml"
NEW = "maps/legacy/billing-dispute.yaml"
IGNORES = '[per-file-ignores]\n"maps/legacy/*" = ["unknown-team"]\n'


def with_ignores(repo: Path) -> None:
    """The base has the pattern: reviewed when it landed."""
    (repo / "journeymaps.toml").write_text(IGNORES)
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "legacy maps keep their old teams")


def move_to_legacy(repo: Path) -> None:
    (repo / NEW).parent.mkdir()
    git(repo, "mv", OLD, NEW)


def test_a_map_moved_under_an_ignore_cannot_hide_the_error_it_comes_with(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Moved under ``maps/legacy/*`` with an unknown owner added in the same change,
    the map's new error was ignored in HEAD and ``--check`` passed, saying nothing."""
    with_ignores(repo)
    move_to_legacy(repo)
    path = repo / NEW
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: ghost-team\n", 1))
    assert diff_here(repo, "HEAD", "--check").returncode == 1  # the working tree, as a revision
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "billing is legacy now, and owned by a ghost")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    said = (
        "journeymaps.toml ignores unknown-team in maps/legacy/* (per-file-ignores), where this "
        f"change moves {OLD}: 1 error that HEAD~1's settings report is no longer shown "
        "(1 of them new in this change)"
    )
    assert f"! settings: {said}" in result.stdout.splitlines(), result.stdout
    assert "fixed" not in result.stdout
    assert (
        "journeymaps diff --check: journeymaps.toml's per-file-ignores hide 1 error the change "
        "brings in the maps it moves under them, judged as introduced"
    ) in result.stderr, result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert data["summary"]["findings_silenced"] == 1
    assert [(f["rule"], f["file"], f["new"]) for f in data["settings"]["findings_silenced"]] == [
        ("unknown-team", NEW, True)
    ]
    assert data["settings"]["text"] == [said]
    comment = diff_here(repo, "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert comment.splitlines()[2].startswith(
        "**settings unchanged, maps moved under its per-file-ignores** · 1 map changed"
    ), comment
    site = tmp_path_factory.mktemp("review")
    assert diff_here(repo, "HEAD~1", "HEAD", "--site", str(site)).returncode == 0
    page = html.unescape((site / "index.html").read_text())
    assert "The settings are alike on both sides: a map the change moves under their" in page
    assert f"<li>{said}</li>" in page
    annotations = diff_here(repo, "HEAD~1", "HEAD", "--format", "github").stdout.splitlines()
    assert annotations[0].startswith(f"::error file={NEW},line="), annotations
    assert annotations[0].endswith(
        f"(brought by this change, and ignored where it moves {OLD} (per-file-ignores))"
    )


def test_a_map_moved_under_an_ignore_with_its_old_errors_is_reported_not_judged(repo: Path) -> None:
    """The errors the base had go under the ignore with the map: not fixed, not failing."""
    with_ignores(repo)
    ghost_owners(repo, 1)
    git(repo, "commit", "-qam", "a ghost owner")
    move_to_legacy(repo)
    git(repo, "commit", "-qm", "billing is legacy now")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "! settings: journeymaps.toml ignores unknown-team in maps/legacy/* (per-file-ignores), "
        f"where this change moves {OLD}: 1 error that HEAD~1's settings report is no longer shown"
    ) in result.stdout.splitlines(), result.stdout
    assert "fixed" not in result.stdout


def test_an_error_under_an_ignore_both_sides_have_for_the_file_is_not_judged(repo: Path) -> None:
    """The file under the pattern on both sides: the ignore was reviewed when it landed,
    so a new error there passes, as a rule off on both sides, and nothing is said."""
    move_to_legacy(repo)
    git(repo, "commit", "-qm", "billing is legacy")
    with_ignores(repo)
    path = repo / NEW
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: ghost-team\n", 1))
    git(repo, "commit", "-qam", "a ghost owner in a legacy map")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "settings" not in result.stdout, result.stdout
    assert result.stderr == ""
