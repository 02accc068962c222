"""The What changed page of maps renamed in the period that ``diff`` could tell from the
others by a few files only (maps of one template, renamed with new ids): diff says each is
"paired by its rarest lines and its name only", and why once. The page said "(moved from
…)" as if sure, and listed the changes against that file. Now each says it is so paired,
and the page says why once, as the diff --site page's "Pairing" section does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from history_repo import ROOT, git

from in_process import jm_here
from journeymaps.likeness import CANDIDATES
from test_diff_moves_renamed import _map

#: Past the maps one is measured against, so each is told from the others by a few only.
COUNT = CANDIDATES + 4
SHORT = "paired by its rarest lines and its name only"
WHY = "too many maps are alike to compare each with each"
#: The map deleted, not renamed: looked for among the maps added the same way, none found.
DELETED = COUNT - 1


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose ``COUNT`` maps of one template, committed before the period, were
    renamed in it (``j<i>.yaml``, id ``j<i>`` → ``k<i>.yaml``, id ``k<i>``), but the last,
    deleted; its site."""
    repo = tmp_path_factory.mktemp("history-pairing")
    shutil.copytree(ROOT / "maps", repo / "maps")
    before = "2026-03-01T10:00:00+00:00"
    git(repo, "init", "-q", "-b", "main")
    for i in range(COUNT):
        (repo / "maps" / "support" / f"j{i}.yaml").write_text(_map(f"j{i}", i, own_title=False))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many maps of one template", when=before)
    for i in range(COUNT):
        (repo / "maps" / "support" / f"j{i}.yaml").unlink()
        if i == DELETED:
            continue
        text = _map(f"k{i}", i, own_title=False).replace(
            "name: Reads the billing email\n", f"name: Email {i}\n"
        )
        (repo / "maps" / "support" / f"k{i}.yaml").write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "renamed", when="2026-12-01T10:00:00+00:00")
    result = jm_here(repo, "build")
    assert result.returncode == 0, result.stderr
    return repo / "site"


@pytest.mark.parametrize("width", [1280, 390])
def test_maps_paired_by_a_few_files_say_so_and_the_page_says_why_once(
    site: Path, browser, screenshots: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page.goto((site / "changes.html").as_uri())
        assert page.locator("#changes-pairing").count() == 1
        note = page.locator("#changes-pairing").locator("xpath=..")
        said = " ".join(note.inner_text().split())
        note.screenshot(path=screenshots / f"history-pairing-{width}.png")
        fits = note.evaluate("n => n.scrollWidth <= n.clientWidth")
        files = page.locator(".map-changes .file").all_inner_texts()
        body = page.locator("main").inner_text()
    finally:
        page.close()
    moved = [f for f in files if "(moved from" in f]
    paired = [f for f in moved if SHORT in f]
    assert len(paired) >= CANDIDATES, moved[:3]
    assert "maps/support/k0.yaml (moved from maps/support/j0.yaml; paired by its rarest lines" in " ".join(
        files
    )
    assert said.startswith(f"Pairing {len(paired)} maps were paired with their earlier files"), said
    assert WHY in said and f"“{SHORT}”" in said, said
    assert body.count(WHY) == 1  # said once, not on each map
    assert fits
    gone = f"maps/support/j{DELETED}.yaml (no rename of it found by its rarest lines and its name only)"
    assert gone in files
    assert said.endswith(
        "1 map shown removed was looked for among the maps added the same way, none found alike "
        "enough: one of those added could be its rename."
    ), said
