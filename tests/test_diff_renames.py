"""journeymaps diff on a real git repository: a map whose file is renamed and whose id
changes in the same change is one map, told by its content as git tells a renamed file."""

from __future__ import annotations

import json
from pathlib import Path

from journeymaps.likeness import SIMILAR, similarity
from test_diff import SUPPRESS_TEAMS, diff_here, ghost_owners, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

OLD = "maps/support/billing-dispute.yaml"
NEW = "maps/support/invoice-dispute.yaml"


def rename_and_reid(repo: Path) -> Path:
    """``git mv`` the billing map and change its id, as one change."""
    git(repo, "mv", OLD, NEW)
    path = repo / NEW
    path.write_text(path.read_text().replace("id: billing-dispute\n", "id: invoice-dispute\n", 1))
    return path


def statuses(data: dict) -> list[tuple[str, str]]:
    return sorted((m["status"], m["id"]) for m in data["maps"])


def test_a_map_renamed_with_its_id_changed_is_one_map_with_its_findings(repo: Path) -> None:
    """It read as one map removed "and its findings with it" and a new one added: the
    comment said "removed" and "added", and every finding of the map was new."""
    ghost_owners(repo, 1)
    git(repo, "commit", "-qam", "an unknown owner")
    rename_and_reid(repo)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "introduced" not in result.stdout and "removed" not in result.stdout, result.stdout
    assert f"file renamed: {OLD} → {NEW}" in result.stdout, result.stdout
    assert "map id changed: billing-dispute → invoice-dispute" in result.stdout
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert statuses(data) == [("changed", "invoice-dispute")]
    assert [(c["kind"], c["field"], c["before"], c["after"]) for c in data["changes"]] == [
        ("map-id-changed", "id", "billing-dispute", "invoice-dispute"),
        ("map-moved", "file", OLD, NEW),
    ]
    assert (data["findings_introduced"], data["findings_fixed"]) == ([], [])
    assert data["maps"][0]["findings_gone"] == []
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "map id changed: billing-dispute → invoice-dispute" in comment, comment
    assert "removed" not in comment.lower(), comment


def test_a_suppression_added_to_a_renamed_and_reidentified_map_is_judged(repo: Path) -> None:
    """Renaming the file and changing the id made the map "new", whose suppressions are only
    reported: ignore[unknown-team] above its id with new unknown owners passed --check."""
    path = rename_and_reid(repo)
    path.write_text(
        path.read_text().replace("id: invoice-dispute\n", SUPPRESS_TEAMS + "id: invoice-dispute\n")
    )
    ghost_owners_in(path, 3)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "a suppression this change adds hides 3 errors (3 of them new in this change)" in result.stdout
    assert "suppression comments the change adds hide 3 errors it brings" in result.stderr, result.stderr


def ghost_owners_in(path: Path, count: int) -> None:
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: ghost-team\n", count))


def grown(was: str, now: str, target: float) -> str:
    """``now`` with unique notes appended while it stays ``target`` alike to ``was`` (an
    ``x-`` key: valid, and not checked)."""
    text = now + "x-notes:\n"
    n = 0
    while similarity(was, text + f"  - note {n} on a rewrite\n") >= target:
        text += f"  - note {n} on a rewrite\n"
        n += 1
    return text


def test_a_map_half_rewritten_is_another_map_and_one_more_alike_is_the_same(repo: Path) -> None:
    """Either side of the threshold (git's 50 %): just alike enough, one map renamed; just
    under it, one map removed and another added."""
    was = (repo / OLD).read_text()
    path = rename_and_reid(repo)
    now = path.read_text()
    for under in (False, True):
        text = grown(was, now, SIMILAR) + ("  - one more note, on a rewrite\n" if under else "")
        path.write_text(text)
        assert (similarity(was, text) < SIMILAR) is under
        data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
        want = (
            [("added", "invoice-dispute"), ("removed", "billing-dispute")]
            if under
            else [("changed", "invoice-dispute")]
        )
        assert statuses(data) == want, (under, similarity(was, text))


def test_an_unrelated_map_added_as_one_is_deleted_is_not_paired(repo: Path) -> None:
    """Two maps that only share the format's keys (7-12 % alike) are not one map renamed."""
    git(repo, "rm", "-q", OLD)
    outage = (repo / "maps" / "support" / "production-outage.yaml").read_text()
    (repo / "maps" / "support" / "new-map.yaml").write_text(
        outage.replace("id: production-outage\n", "id: new-map\n", 1)
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert statuses(data) == [("added", "new-map"), ("removed", "billing-dispute")]


def test_a_broken_map_renamed_reidentified_and_repaired_has_its_suppressions_judged(repo: Path) -> None:
    """A map that did not parse in the base has no id to follow: renamed and repaired with a
    new id, it read as removed and added, and a suppression added to it passed --check."""
    base = repo / OLD
    base.write_text(base.read_text() + "  - [broken\n")
    git(repo, "commit", "-qam", "broken")
    path = rename_and_reid(repo)
    text = path.read_text().removesuffix("  - [broken\n")
    path.write_text(text.replace("id: invoice-dispute\n", SUPPRESS_TEAMS + "id: invoice-dispute\n"))
    ghost_owners_in(path, 3)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "suppression comments the change adds hide 3 errors" in result.stderr, result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert statuses(data) == [("repaired", "invoice-dispute")]


def test_a_map_taking_a_deleted_maps_id_is_not_that_map_moved(repo: Path) -> None:
    """A pull request deleting production-outage (whose owner the base already reported
    unknown) and giving billing-dispute its id with an unknown owner: paired by id, the billing
    map read as production-outage moved, its new error matched the deleted map's, and passed
    --check. It is the map that was in its file, its id changed."""
    outage = repo / "maps" / "support" / "production-outage.yaml"
    outage.write_text(outage.read_text().replace("\nowner: tier-2\n", "\nowner: ghost-team\n", 1))
    git(repo, "commit", "-qam", "an unknown owner")
    git(repo, "rm", "-q", "maps/support/production-outage.yaml")
    path = repo / OLD
    text = path.read_text().replace("id: billing-dispute\n", "id: production-outage\n", 1)
    path.write_text(text.replace("\nowner: finance\n", "\nowner: ghost-team\n", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "map id changed: billing-dispute → production-outage" in result.stdout, result.stdout
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert statuses(data) == [("changed", "production-outage"), ("removed", "production-outage")]
    assert [(d["rule"], d["line"]) for d in data["findings_introduced"]] == [("unknown-team", 4)]
    # Two maps swapping ids are two ids changed, not two maps moved into each other's files.
    git(repo, "checkout", "-q", "HEAD", "--", ".")
    outage.write_text(outage.read_text().replace("id: production-outage\n", "id: billing-dispute\n", 1))
    path.write_text(path.read_text().replace("id: billing-dispute\n", "id: production-outage\n", 1))
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [c["text"] for c in data["changes"]] == [
        "map id changed: production-outage → billing-dispute",
        "map id changed: billing-dispute → production-outage",
    ], data["changes"]
