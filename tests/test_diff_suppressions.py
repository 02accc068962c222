"""journeymaps diff on a real git repository: suppressions the pull request keeps, and the
gate's other blind spots around suppressions and a deleted teams.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from test_diff import SUPPRESS_TEAMS, diff_here, edit, ghost_owners, git, repo, suppress_whole_map

__all__ = ["repo"]  # the fixture, shared with test_diff

KEPT = (
    "a suppression both sides have also hides 1 error new in this change: ignore[unknown-team] at "
    "maps/support/billing-dispute.yaml:2 covers the whole map (reported, not judged: the suppression "
    "was in the base)"
)


def test_a_suppression_both_sides_have_says_the_new_error_it_hides(repo: Path) -> None:
    """The base suppresses unknown-team in the whole map (one unknown owner); the pull request
    adds another unknown owner under it: diff said nothing of it and --check passed silently."""
    suppress_whole_map(repo)
    ghost_owners(repo, 1)
    git(repo, "commit", "-qam", "an unknown owner, suppressed")
    ghost_owners(repo, 1)  # the next "owner: finance", line 70: new in this change
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr  # reported, not judged
    lines = result.stdout.splitlines()
    assert f"! suppression: {KEPT}" in lines, result.stdout
    hidden = [line for line in lines if line.startswith("! hidden")]
    assert hidden == [
        "! hidden (new, by a suppression in the base): maps/support/billing-dispute.yaml:70:12: JM103 "
        "[unknown-team] error: owner: team 'ghost-team' is not in maps/teams.yaml: add it there, or name "
        "a team it lists (engineering, finance, identity, product, success, support, tier-2)"
    ], result.stdout
    assert "the suppression was in the base" in result.stderr
    assert "1 error new in this change" in result.stderr

    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["summary"]["findings_suppressed"] == 0
    assert data["summary"]["findings_suppressed_in_base"] == 1
    [kept] = data["findings_suppressed_in_base"]
    assert (kept["line"], kept["new"], kept["suppression"]["line"]) == (70, True, 2)
    assert data["suppressions_text"] == [KEPT]

    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert f"- ⚠️ **Suppression**: {KEPT}" in comment, comment
    assert (
        "<details open><summary>Findings hidden by suppressions HEAD has too (reported, not judged) (1)"
        in comment
    )
    annotations = diff_here(repo, "HEAD", "--format", "github").stdout
    [note] = [line for line in annotations.splitlines() if line.startswith("::")]
    # A warning: a run --check passes showed an error annotation on the pull request.
    assert note.startswith("::warning file=maps/support/billing-dispute.yaml,line=70,"), note
    assert "reported, not judged" in note
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    assert "a suppression both sides have also hides 1 error" in (site / "index.html").read_text()


def test_errors_a_kept_suppression_already_hid_are_not_reported_again(repo: Path) -> None:
    """Only what the change brings: an unrelated edit says nothing of the base's hidden errors."""
    suppress_whole_map(repo)
    ghost_owners(repo, 2)
    git(repo, "commit", "-qam", "two unknown owners, suppressed")
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["findings_suppressed_in_base"], data["suppressions_text"], result.stderr) == ([], [], "")


def test_a_team_deleted_under_a_kept_suppression_is_said(repo: Path) -> None:
    """The map untouched, its owners made unknown by a team deleted from teams.yaml: the
    suppression both sides have hid them all, and diff said "No change to any journey map"."""
    suppress_whole_map(repo)
    git(repo, "commit", "-qam", "suppressed")
    teams = repo / "maps" / "teams.yaml"
    gone = "  - id: finance\n    name: Finance\n    contact: billing-ops@example.com\n"
    assert gone in teams.read_text()
    teams.write_text(teams.read_text().replace(gone, ""))
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    kept = data["findings_suppressed_in_base"]
    assert kept and {(f["rule"], f["new"], f["file"]) for f in kept} == {
        ("unknown-team", True, "maps/support/billing-dispute.yaml")
    }
    assert data["suppressions_text"][0].startswith(
        f"a suppression both sides have also hides {len(kept)} errors new"
    )
    assert "No change" not in diff_here(repo, "HEAD").stdout


def test_a_suppression_added_with_teams_yaml_deleted_cannot_hide_a_new_owner(repo: Path) -> None:
    """Deleting teams.yaml in the same change: its unknown owners are judged with the base's
    registry, but one a suppression the change adds hid was in no format, and --check passed."""
    (repo / "maps" / "teams.yaml").unlink()
    suppress_whole_map(repo)
    ghost_owners(repo, 1)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "! suppression: a suppression this change adds hides 1 error (1 of them new in this change): "
        "ignore[unknown-team] at maps/support/billing-dispute.yaml:2 covers the whole map"
    ) in result.stdout.splitlines(), result.stdout
    [hidden] = [line for line in result.stdout.splitlines() if line.startswith("! hidden")]
    assert hidden.startswith("! hidden (new): maps/support/billing-dispute.yaml:17:12: JM103 [unknown-team]")
    assert hidden.endswith("this change deletes that teams.yaml, and without one no owner is checked")
    assert "suppression comments the change adds hide 1 error it brings" in result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [(f["rule"], f["new"]) for f in data["findings_suppressed"]] == [("unknown-team", True)]


def test_a_kept_suppression_with_teams_yaml_deleted_says_the_new_owner(repo: Path) -> None:
    """As above, the suppression in the base: reported, not judged."""
    suppress_whole_map(repo)
    ghost_owners(repo, 1)
    git(repo, "commit", "-qam", "an unknown owner, suppressed")
    (repo / "maps" / "teams.yaml").unlink()
    ghost_owners(repo, 1)
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(f["line"], f["new"]) for f in data["findings_suppressed_in_base"]] == [(70, True)]
    assert (
        data["findings_introduced"] == []
    )  # nor "unused suppression": it hides what the base's teams.yaml finds
    assert not [f for f in data["findings_fixed"] if f["rule"] == "unknown-team"]
    assert "hide 1 error new in this change: reported, not judged" in result.stderr


def test_a_suppression_removed_with_teams_yaml_deleted_shows_the_base_owner_again(repo: Path) -> None:
    """The base's unknown owner hid by a suppression the change removes, teams.yaml deleted
    with it: the owner is the base's, shown again, not introduced."""
    suppress_whole_map(repo)
    ghost_owners(repo, 1)
    git(repo, "commit", "-qam", "an unknown owner, suppressed")
    (repo / "maps" / "teams.yaml").unlink()
    edit(repo, "billing-dispute.yaml", SUPPRESS_TEAMS, "")
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["findings_introduced"] == []
    assert [f["rule"] for f in data["findings_unsuppressed"]] == ["unknown-team"]


DUPLICATE_TEAM = "  - id: finance\n    name: Finance again\n"


def test_a_suppression_in_teams_yaml_cannot_hide_the_error_it_comes_with(repo: Path) -> None:
    """Suppressions in teams.yaml silence its findings as a map's do (a second team
    'finance', duplicate-id), but only maps' were compared: a pull request adding one with
    the error it hides passed --check, and no format said a word of it."""
    teams = repo / "maps" / "teams.yaml"
    teams.write_text(
        teams.read_text() + "  # journeymaps: ignore[duplicate-id] merging soon\n" + DUPLICATE_TEAM
    )
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "! suppression: a suppression this change adds hides 1 error (1 of them new in this change): "
        "ignore[duplicate-id] at maps/teams.yaml:26 covers lines 27-28"
    ) in result.stdout.splitlines(), result.stdout
    assert "suppression comments the change adds hide 1 error it brings" in result.stderr


def test_a_suppression_teams_yaml_keeps_says_the_new_error_it_hides(repo: Path) -> None:
    """Above ``teams:`` it covers the whole file: a duplicate team added under it is said."""
    teams = repo / "maps" / "teams.yaml"
    teams.write_text(
        teams.read_text().replace("teams:\n", "# journeymaps: ignore[duplicate-id]\nteams:\n", 1)
    )
    git(repo, "commit", "-qam", "suppressed")
    teams.write_text(teams.read_text() + DUPLICATE_TEAM)
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(f["file"], f["rule"], f["new"]) for f in data["findings_suppressed_in_base"]] == [
        ("maps/teams.yaml", "duplicate-id", True)
    ]
    # removed in a later change: the base's error shown again, not introduced
    git(repo, "commit", "-qam", "duplicate")
    teams.write_text(teams.read_text().replace("# journeymaps: ignore[duplicate-id]\n", ""))
    removed = json.loads(diff_here(repo, "HEAD", "--check", "--format", "json").stdout)
    assert [f["rule"] for f in removed["findings_unsuppressed"]] == ["duplicate-id"]
    assert removed["findings_introduced"] == []


def test_a_link_left_at_a_moved_maps_place_does_not_take_its_pairing(repo: Path) -> None:
    """The map moved, a link to it committed where it was: the link was paired with the
    base's map and the real file read as a new map, whose suppressions are only reported, so
    ignore[duplicate-id] added there hid the error the link brings and --check passed."""
    suppress_whole_map(repo)
    git(repo, "commit", "-qam", "suppressed")
    folder = repo / "maps" / "support"
    git(repo, "mv", "maps/support/billing-dispute.yaml", "maps/support/moved.yaml")
    moved = folder / "moved.yaml"
    moved.write_text(moved.read_text().replace("ignore[unknown-team]", "ignore[unknown-team, duplicate-id]"))
    (folder / "billing-dispute.yaml").symlink_to("moved.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "moved, a link where it was")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "    file renamed: maps/support/billing-dispute.yaml → maps/support/moved.yaml" in lines, (
        result.stdout
    )
    assert "suppression comments the change adds hide 1 error it brings" in result.stderr


def test_a_suppression_in_a_map_that_loads_again_cannot_hide_the_error_it_comes_with(repo: Path) -> None:
    """A map broken in the base, repaired with a suppression over the whole map and an
    unknown owner under it: the map's visible errors were judged (the base could not show
    them), its hidden ones in no format, and --check passed."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    good = path.read_text()
    path.write_text(good + "bad: [\n")
    git(repo, "commit", "-qam", "broken")
    path.write_text(good)
    suppress_whole_map(repo)
    ghost_owners(repo, 1)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "! suppression: a suppression this change adds hides 1 error (1 of them new in this change): "
        "ignore[unknown-team] at maps/support/billing-dispute.yaml:2 covers the whole map"
    ) in result.stdout.splitlines(), result.stdout
    assert "suppression comments the change adds hide 1 error it brings" in result.stderr


def test_a_suppression_in_a_teams_yaml_that_loads_again_cannot_hide_its_error(repo: Path) -> None:
    teams = repo / "maps" / "teams.yaml"
    good = teams.read_text()
    teams.write_text(good + "bad: [\n")
    git(repo, "commit", "-qam", "broken")
    teams.write_text(good + "  # journeymaps: ignore[duplicate-id] merging soon\n" + DUPLICATE_TEAM)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ignore[duplicate-id] at maps/teams.yaml:26 covers lines 27-28" in result.stdout, result.stdout


def test_a_suppression_in_personas_yaml_cannot_hide_the_error_it_comes_with(repo: Path) -> None:
    personas = repo / "maps" / "personas.yaml"
    personas.write_text(
        personas.read_text()
        + "  # journeymaps: ignore[duplicate-id]\n  - id: account-owner\n    name: Again\n"
    )
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ignore[duplicate-id] at maps/personas.yaml:18 covers lines 19-20" in result.stdout, result.stdout


def test_a_whole_map_suppression_is_kept_when_the_maps_id_changes(repo: Path) -> None:
    """Matched by the text of the line below it (``id: billing-dispute``), a suppression over
    the whole map read as removed and added again when the id changed: "a suppression this
    change adds hides 1 error" of one nobody added."""
    suppress_whole_map(repo)
    ghost_owners(repo, 1)
    git(repo, "commit", "-qam", "an unknown owner, suppressed")
    edit(repo, "billing-dispute.yaml", "id: billing-dispute\n", "id: invoice-dispute\n")
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["findings_suppressed"], data["findings_suppressed_in_base"], data["suppressions_text"]) == (
        [],
        [],
        [],
    )
