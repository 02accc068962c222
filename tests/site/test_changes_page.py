"""The "What changed" page as a support director reads it: what changed in which journey,
when and by whom, in words; the commits for whoever looks them up in git, out of the way.

Every test drives Debian's Chromium over a site built from a real git history."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from history_repo import git
from shared_sites import pooled_browser  # noqa: F401 - a fixture
from test_director import text_bottom_per_sheet

from conftest import ROOT
from in_process import jm_here

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: A commit as git abbreviates it: hex, with a digit and a letter (not a year, not a word).
HASH = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b")


def _short(project: Path, rev: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short=8", rev], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_page_says_when_and_who_in_words_and_keeps_hashes_in_hover_titles(
    quarter: Path, browser, viewport: dict[str, int]
) -> None:
    """The lead said "the 90 days before the latest commit (0fb71d5f, 12 Nov 2026). The maps
    at 16854b20 ..." and every change ended "8 Oct 2026 · Marco Rossi · 497c4ebc": hashes a
    director has no use for, in the first thing the page says."""
    page = browser.new_page(viewport=viewport)
    page.goto((quarter / "site" / "changes.html").as_uri())
    text = page.locator("main").inner_text()
    assert HASH.findall(text) == []
    lead = page.locator("main p.lead").inner_text()
    assert lead.startswith(
        "From 14 Aug 2026 to 12 Nov 2026, the 90 days up to the latest change: 6 edits to the maps"
    )
    assert "the maps as they were on 12 Aug 2026" in lead
    # Who made a change and when, in words; the commit is there for who hovers.
    when = page.locator("main li:has-text('Chargeback (customer gives up)') .when").first
    assert when.inner_text() == "8 Oct 2026 · Marco Rossi"
    head = _short(quarter, "HEAD")
    assert page.locator(f"main p.lead [title='commit {head}']").count() == 1
    assert page.locator("main .when[title^='commit ']").count() >= 10
    page.close()


def test_the_commits_are_said_small_and_folded(quarter: Path, browser) -> None:
    """ "6 commits touched this map" was as large and as blue as the changes above it, and
    opened on commit subjects as their authors wrote them ("Seed 82e33daa maintainers")."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((quarter / "site" / "changes.html").as_uri())
    fold = page.locator("main details.commits")
    assert fold.get_attribute("open") is None
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    change = page.locator("main ul.changes > li").first.evaluate(size)
    assert fold.locator("summary").evaluate(size) < change
    assert not page.get_by_text("Billing maps get their own folder").is_visible()
    page.close()


def test_the_counts_say_only_what_changed(quarter: Path, browser) -> None:
    """The counts at the top said "0 maps added" and "0 maps removed" beside what did change:
    two boxes a reader reads to learn that nothing happened."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((quarter / "site" / "changes.html").as_uri())
    counts = page.locator("main .change-counts li").all_inner_texts()
    assert counts and all(not c.startswith("0") for c in counts), counts
    assert "1\npain point resolved" in counts
    page.close()


def test_the_printed_page_ends_on_a_filled_sheet(quarter: Path, browser) -> None:
    """Printed on A4, the page ran to a second sheet a fifth full: the folds of other changes
    and of the commits, which a reader cannot open on paper, and the counts' tall boxes."""
    page = browser.new_page()
    page.goto((quarter / "site" / "changes.html").as_uri())
    filled = text_bottom_per_sheet(page.pdf(format="A4", prefer_css_page_size=True))
    assert len(filled) == 1 or filled[-1] >= 0.35, filled
    page.close()


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Maps committed in March; since then only the README changed: nothing in the period."""
    project = tmp_path_factory.mktemp("quiet") / "journeys"
    shutil.copytree(ROOT / "tests" / "site" / "fixture", project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "Refund map", when="2026-03-02T10:00:00+00:00")
    (project / "README.md").write_text("Our journeys.\n")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "README", when="2026-11-12T10:00:00+00:00")
    result = jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(project.parent / "cache")})
    assert result.returncode == 0, result.stderr
    return project


def test_a_quiet_period_says_plainly_that_nothing_changed(quiet: Path, browser) -> None:
    """With no map changed, the page showed nine boxes of "0" (pain points opened, resolved,
    ... maps removed) and then "No map changed in this period." below them."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((quiet / "site" / "changes.html").as_uri())
    empty = page.locator("main .empty-state")
    assert empty.count() == 1, page.locator("main").inner_text()
    assert empty.inner_text().startswith("Nothing changed in the maps in these 90 days")
    lead = page.locator("main p.lead").inner_text()
    assert lead == "From 14 Aug 2026 to 12 Nov 2026, the 90 days up to the latest change."
    assert page.locator("main .change-counts").count() == 0
    assert HASH.findall(page.locator("main").inner_text()) == []
    page.close()


def test_a_map_page_says_the_period_as_the_what_changed_page_does(quarter: Path, browser) -> None:
    """Each map's page said "the 90 days before the latest commit (12 Nov 2026)" where the
    What changed page says "From 14 Aug 2026 to 12 Nov 2026, the 90 days up to the latest
    change": two wordings of one period, one of them a commit. A map's page says whose that
    latest change is (any map's), then the map's own (test_map_latest_change)."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((quarter / "site" / "maps" / "billing-dispute.html").as_uri())
    said = page.locator("main p.history-period").inner_text()
    assert (
        said == "From 14 Aug 2026 to 12 Nov 2026, the 90 days up to the latest change to the maps. Every map."
    ), said
    page.goto((quarter / "site" / "maps" / "admin-locked-out.html").as_uri())
    section = page.locator("main section:has(#map-changed)").inner_text()
    assert (
        "No change to this map from 14 Aug 2026 to 12 Nov 2026, the 90 days up to the latest change to the maps."
        " Every map.\n\nThis map's latest change: "
    ) in section, section
    assert section.startswith("What changed since 14 Aug 2026"), section
    page.close()
