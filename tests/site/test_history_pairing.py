"""The What changed page of maps renamed in the period that ``diff`` could tell from the
others by a few files only (maps of one template, renamed with new ids): diff says each is
"paired by its rarest lines and its name only", and why once. The page said "(moved from
…)" as if sure, and listed the changes against that file. Now each says it is so paired,
and the page says why once, as the diff --site page's "Pairing" section does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from history_repo import ROOT, git

from in_process import jm_here
from journeymaps.likeness import CANDIDATES
from journeymaps.reporters.base import plural
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
    assert re.search(r"\.\S", said) is None, said  # sentences apart (they ran together)
    assert fits
    gone = f"maps/support/j{DELETED}.yaml (no rename of it found by its rarest lines and its name only)"
    assert gone in files
    assert said.endswith(
        "1 map shown removed was looked for among the maps added the same way, none found alike "
        "enough: one of those added could be its rename."
    ), said


#: Past the maps one is measured against, as in test_diff_moves_renamed's maps moved out.
OUT = CANDIDATES + 10


@pytest.fixture(scope="module")
def moved_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository whose ``OUT`` maps of one template, differing only in their ids, were
    moved in the period into ``maps/archive/``, which the settings exclude, each with a new
    id, a new name and an edit (so that nothing but a few files' likeness pairs them); its
    site, and what ``journeymaps diff`` says of the period."""
    from test_diff_moves_renamed import _misspell_owner

    repo = tmp_path_factory.mktemp("history-moved-out")
    shutil.copytree(ROOT / "maps", repo / "maps")
    before = "2026-03-01T10:00:00+00:00"
    git(repo, "init", "-q", "-b", "main")
    (repo / "journeymaps.toml").write_text('exclude = ["maps/archive/*"]\n')
    (repo / "maps" / "archive").mkdir()
    for i in range(OUT):
        (repo / "maps" / "support" / f"b{i}.yaml").write_text(_map(f"billing-{i}", i, own_title=False))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many maps of one template", when=before)
    for i in range(OUT):
        (repo / "maps" / "support" / f"b{i}.yaml").unlink()
        if i == DELETED:  # deleted, not moved: looked for among the excluded files, not found
            continue
        text = _misspell_owner(_map(f"archived-{i}", i, own_title=False))
        (repo / "maps" / "archive" / f"{OUT - i:04d}.yaml").write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "archived", when="2026-12-01T10:00:00+00:00")
    said = jm_here(repo, "diff", "HEAD~1", "HEAD").stdout
    result = jm_here(repo, "build")
    assert result.returncode == 0, result.stderr
    return repo / "site", said


def test_maps_moved_where_the_settings_exclude_them_by_a_few_files_say_so(
    moved_out: tuple[Path, str], browser
) -> None:
    """Maps moved out of the checks and paired with the excluded files by a few files only
    showed as "map removed", nothing said of the move nor of the guess: each now says what
    ``diff`` says of it, and the Pairing section counts them and says why once."""
    site, diff_said = moved_out
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "changes.html").as_uri())
        note = " ".join(page.locator("#changes-pairing").locator("xpath=..").inner_text().split())
        files = page.locator(".map-changes .file").all_inner_texts()
        body = page.locator("main").inner_text()
    finally:
        page.close()
    moves = [line for line in diff_said.splitlines() if "map moved to maps/archive/" in line]
    paired = [line for line in moves if line.endswith(f"; {SHORT}")]
    unfound = diff_said.count("; no move of it found by its rarest lines and its name only")
    assert len(paired) >= CANDIDATES and len(paired) + unfound == OUT and unfound, diff_said[:2000]
    for line in paired:  # diff's words, each on the page, but its findings (the page has none)
        file = line[line.index("map moved to ") :].split(",", 1)[0].removeprefix("map moved to ")
        said = f"map moved to {file}, which the settings exclude: no longer linted, compared or published"
        assert said in line and f"M{said[1:]}; {SHORT}" in body, line  # the page's capital
    assert sum(1 for f in files if f.endswith(f"; {SHORT})")) == len(paired), files[:3]
    assert body.count("no move of it found by its rarest lines and its name only") == 2 * unfound
    assert f"{len(paired)} maps shown removed were moved where the settings exclude them" in note, note
    assert WHY in note and body.count(WHY) == 1, note
    assert re.search(r"\.\S", note) is None, note  # sentences apart (they ran together)
    assert note.endswith(
        f"{plural(unfound, 'map')} shown removed {'was' if unfound == 1 else 'were'} looked for among the"
        " files the settings exclude the same way, none found alike enough: one of those files could be"
        f" {'its' if unfound == 1 else 'one' + chr(39) + 's'} move."
    ), note
