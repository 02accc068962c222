"""journeymaps diff on a real git repository: a map moved into a folder the settings exclude
and edited in the same change. The edit is checked as the move of a map under a
``per-file-ignores`` pattern is: what the move brings is the change's, judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diff_helpers import ARCHIVED, archive_billing_dispute, exclude_archive
from test_diff import diff_here, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

ADVICE = (
    "to move a map where the settings exclude it, move it in a change of its own (or fix the errors first)"
)


def _owner_line(moved: Path) -> int:
    """The line of the unknown owner the move adds, in the moved file."""
    return moved.read_text().splitlines().index("    owner: finanse") + 1


def test_a_map_moved_where_the_settings_exclude_it_cannot_hide_the_error_it_comes_with(repo: Path) -> None:
    """Moved into the excluded archive with an unknown owner added in the move: the new
    error was in no check, and ``diff --check`` passed (a per-file-ignores move failed)."""
    exclude_archive(repo)
    moved = archive_billing_dispute(repo, misspell_owner=True)
    line = _owner_line(moved)
    said = (
        "journeymaps diff --check: 1 error the change brings in 1 map it moves where the settings "
        f"exclude it (billing-dispute, now at {ARCHIVED}), judged as introduced; {ADVICE}"
    )
    working = diff_here(repo, "HEAD", "--check")
    assert working.returncode == 1, working.stdout + working.stderr
    assert said in working.stderr.splitlines(), working.stderr
    git(repo, "commit", "-qam", "archive billing, and a new owner")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert said in result.stderr.splitlines(), result.stderr
    [new] = [ln for ln in result.stdout.splitlines() if ln.startswith("! excluded (new): ")]
    assert new.startswith(f"! excluded (new): {ARCHIVED}:{line}:"), new
    assert "[unknown-team] error" in new, new
    assert "fixed" not in result.stdout.replace("not fixed", ""), result.stdout
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    [archived] = [m for m in data["maps"] if m["id"] == "billing-dispute"]
    assert archived["excluded_file"] == ARCHIVED
    assert [(f["rule"], f["file"], f["line"]) for f in archived["findings_excluded_new"]] == [
        ("unknown-team", ARCHIVED, line)
    ]
    assert data["summary"]["findings_excluded_new"] == 1
    assert data["findings_fixed"] == []
    annotations = diff_here(repo, "HEAD~1", "HEAD", "--format", "github").stdout.splitlines()
    assert annotations[0].startswith(f"::error file={ARCHIVED},line={line},"), annotations
    assert annotations[0].endswith(
        "(brought by this change, in a map it moves where the settings exclude it)"
    ), annotations[0]
    comment = diff_here(repo, "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert (
        "<details open><summary>Findings the change brings in maps it moves where the settings "
        "exclude them (1)</summary>"
    ) in comment, comment


def test_a_map_moved_where_the_settings_exclude_it_unedited_is_reported_not_judged(repo: Path) -> None:
    """The move alone, with the errors the map had: reported, not failing, as before."""
    exclude_archive(repo)
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: finanse\n", 1))
    git(repo, "commit", "-qam", "an unknown owner")
    archive_billing_dispute(repo)
    git(repo, "commit", "-qm", "archive billing")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reported, not judged" in result.stderr, result.stderr
    assert "judged as introduced" not in result.stderr, result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    [archived] = [m for m in data["maps"] if m["id"] == "billing-dispute"]
    assert archived["findings_excluded_new"] == []


def test_a_map_moved_out_with_its_old_error_and_an_edit_brings_nothing_new(repo: Path) -> None:
    """Edited in the move (its title), with the unknown owner the base had: the error is
    the base's, not brought; the gate passes and says the edit was checked."""
    exclude_archive(repo)
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: finanse\n", 1))
    git(repo, "commit", "-qam", "an unknown owner")
    moved = archive_billing_dispute(repo)
    text = moved.read_text()
    title = next(ln for ln in text.splitlines() if ln.startswith("title: "))
    moved.write_text(text.replace(title, title + " (archived)", 1))
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "edited in the move, with no finding the base's map did not have" in result.stdout, result.stdout
    assert "! excluded (new)" not in result.stdout, result.stdout


def test_the_review_site_lists_what_a_move_out_of_the_checks_brings(repo: Path, browser) -> None:
    """The page said "1 brought by edits in maps moved where the settings exclude them" and
    no more: which finding, where, was in the CI log only (the others each have a list)."""
    exclude_archive(repo)
    moved = archive_billing_dispute(repo, misspell_owner=True)
    line = _owner_line(moved)
    result = diff_here(repo, "HEAD", "--site", "review")
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    page.goto((repo / "review" / "index.html").as_uri())
    heading = page.locator("h2#findings-excluded")
    assert heading.inner_text() == (
        "Findings the change brings in maps it moves where the settings exclude them (1)"
    )
    section = page.locator("section", has=heading)
    [row] = section.locator("li.finding").all_inner_texts()
    assert "JM103 Unknown team" in row and f"{ARCHIVED}:{line}:" in row, row
    assert "finanse" in row, row
    # After the list of what the change introduces, as the comment has them.
    headings = page.locator("h2[id^=findings-]").evaluate_all("hs => hs.map(h => h.id)")
    assert headings.index("findings-excluded") == (1 if "findings-introduced" in headings else 0), headings
    # Its map named, leading to the map's section (moved out of the checks).
    section.locator("a.in-map").click()
    assert page.evaluate("location.hash") == "#map-billing-dispute"
    # The summary leads to the list when nothing else is introduced.
    summary = page.locator("main > p", has_text="brought by edits in maps moved")
    link = summary.locator("a")
    assert link.inner_text() == "They are listed below the maps"
    assert link.get_attribute("href") == "#findings-excluded"
    page.close()


def _decoy(repo: Path, name: str) -> None:
    """An exact copy of BASE's billing-dispute, at ``name`` in the excluded archive."""
    original = git(repo, "show", "HEAD:maps/support/billing-dispute.yaml")
    (repo / "maps" / "archive" / name).write_text(original)


@pytest.mark.parametrize("name", ["billing-dispute-copy.yaml", "a-copy.yaml", "zz.yaml"])
def test_a_copy_of_the_map_beside_its_edited_move_cannot_hide_the_error(repo: Path, name: str) -> None:
    """The map moved into the archive with an unknown owner, and an exact copy of BASE's map
    added there too: the move paired with the copy, read as unedited, and passed. Every
    excluded file the change adds or edits, half alike to a map it moves out, is judged."""
    exclude_archive(repo)
    moved = archive_billing_dispute(repo, misspell_owner=True)
    line = _owner_line(moved)
    _decoy(repo, name)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "archive billing, a copy, and a new owner")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    [new] = [ln for ln in result.stdout.splitlines() if ln.startswith("! excluded (new): ")]
    assert new.startswith(f"! excluded (new): {ARCHIVED}:{line}:"), new
    assert "[unknown-team] error" in new, new
    assert (
        "journeymaps diff --check: 1 error the change brings in 1 map it moves where the settings "
        f"exclude it (billing-dispute, now at {ARCHIVED}), judged as introduced; {ADVICE}"
    ) in result.stderr.splitlines(), result.stderr
    said = (
        f"map moved to maps/archive/{name}, which the settings exclude: no longer linted, compared "
        f"or published (unedited; {ARCHIVED}, which the change adds or edits there too, is at least "
        "half alike to it: checked as an edited move, with 1 finding the base's map did not have)"
    )
    assert said in result.stdout, result.stdout
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    [archived] = [m for m in data["maps"] if m["id"] == "billing-dispute"]
    assert (archived["excluded_file"], archived["excluded_alike"]) == (f"maps/archive/{name}", [ARCHIVED])
    assert [(f["rule"], f["file"], f["line"]) for f in archived["findings_excluded_new"]] == [
        ("unknown-team", ARCHIVED, line)
    ]


def test_a_copy_already_in_the_archive_cannot_hide_the_edited_move(repo: Path) -> None:
    """The copy in the base already (archived before, unchanged): the move paired with it."""
    exclude_archive(repo)
    _decoy(repo, "billing-dispute-2025.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "an archived copy")
    moved = archive_billing_dispute(repo, misspell_owner=True)
    line = _owner_line(moved)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    [new] = [ln for ln in result.stdout.splitlines() if ln.startswith("! excluded (new): ")]
    assert new.startswith(f"! excluded (new): {ARCHIVED}:{line}:"), new


def test_an_unchanged_copy_in_the_archive_is_not_judged_again(repo: Path) -> None:
    """A copy with the base's error, archived before: moving the map there unedited (with
    the same error) passes, and the old copy brings nothing (it is not the change's)."""
    exclude_archive(repo)
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: finanse\n", 1))
    git(repo, "commit", "-qam", "an unknown owner")
    (repo / "maps" / "archive" / "old.yaml").write_text(path.read_text().replace("step", "stap", 1))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "an archived copy")
    archive_billing_dispute(repo)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "! excluded (new)" not in result.stdout, result.stdout
