"""A printed map's first sheet as a director hands it round: the summary's tiles packed by
height, so the cost of inaction is on the first sheet instead of a second one a third blank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures

#: Inside the site's 12 mm margins, in CSS px: A4 portrait is 703 x 1033, Letter 725 x 964.
SHEETS = {"A4": (703, 1033), "Letter": (725, 964)}


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


@pytest.mark.parametrize("paper", SHEETS)
@pytest.mark.parametrize("name", ["admin-locked-out", "billing-dispute"])
def test_the_cost_of_inaction_prints_on_the_first_sheet(site: Path, browser, name: str, paper: str) -> None:
    """The summary was rows of three tiles, each row as tall as its tallest and kept whole:
    the second row (cost of inaction, open opportunities, freshness) did not fit under the
    first and went to the second sheet, leaving the first a third blank. Every tile is still
    whole, and none is taller than a sheet."""
    width, high = SHEETS[paper]
    page = browser.new_page(viewport={"width": width, "height": high})
    page.emulate_media(media="print")
    page.goto((site / "maps" / f"{name}.html").as_uri())
    tiles = page.locator(".summary .tile")
    boxes = {
        tiles.nth(i).locator("h3").inner_text(): tiles.nth(i).evaluate(
            "e => { const r = e.getBoundingClientRect(); return [r.top + scrollY, r.bottom + scrollY]; }"
        )
        for i in range(tiles.count())
    }
    cost = next(box for title, box in boxes.items() if title.lower() == "cost of inaction")
    assert cost[1] <= high, (name, paper, boxes)
    assert all(bottom - top < high for top, bottom in boxes.values()), boxes
    styles = tiles.first.evaluate("e => getComputedStyle(e).breakInside")
    assert styles == "avoid"  # a tile is never split between sheets
    page.close()


@pytest.mark.parametrize("paper", SHEETS)
@pytest.mark.parametrize(
    "name", ["admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage"]
)
def test_the_summary_prints_on_one_sheet_and_the_canvas_on_the_next(
    site: Path, browser, name: str, paper: str
) -> None:
    """The lockout map's summary ran two lines past its first sheet (A4; an opportunity and
    its freshness on Letter), and the canvas starts a landscape sheet of its own: the second
    sheet held those lines alone, the rest of it blank. Its tiles' text was printed in rem,
    11.4 pt against the page's 10.5 pt; at the page's size the whole summary fits the first
    sheet, and the canvas is on the second."""
    from test_presenting_paper import sheet_lines

    page = browser.new_page()
    page.goto((site / "maps" / f"{name}.html").as_uri())
    sheets = sheet_lines(page.pdf(format=paper, prefer_css_page_size=True))
    page.close()
    first = "\n".join(sheets[0])
    assert "FRESHNESS" in first and re.search(r"Reviewed \d+ \w{3} 2026", first), (
        name,
        paper,
        sheets[1][:8],
    )  # its last tile
    assert sheets[1][0] == "Map canvas", (name, paper, sheets[1][:8])
