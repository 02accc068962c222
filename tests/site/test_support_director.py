"""What a support director still found wrong on the example site: a trend that stops short
of its months without saying why, findings that start lower-case where they stand as
sentences, a diagram's title said twice, a map's last words alone on a printed sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_examples


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


#: Each trend of the page: its months as shown under it, the words under those (if any), and
#: whether those words lie within the trend's cell (a phone's card).
TRENDS = """svgs => svgs.map(svg => {
  const gap = svg.parentElement.querySelector(".trend-gap");
  const cell = svg.closest("td, li").getBoundingClientRect();
  const box = gap && gap.checkVisibility() ? gap.getBoundingClientRect() : null;
  return [svg.parentElement.querySelector(".trend-months").innerText, box ? gap.innerText : null,
          box ? box.left >= cell.left && box.right <= cell.right + 0.5 : null];
})"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["scorecard.html", "maps/admin-locked-out.html"])
def test_a_trend_without_a_figure_for_its_last_month_says_why(
    site: Path, browser, name: str, width: int
) -> None:
    """The customer effort score read "3.85 as of 2026-10" beside a trend "2026-01 to 2026-11":
    November had too few survey responses to show (journeymaps measure keeps only that they
    were fewer than k), and nothing said so; a director read it as data lost by mistake. The
    trend now says why, on a phone too; a trend whose last month has a figure says nothing more."""
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page.goto((site / name).as_uri())
    trends = page.locator("svg.spark").evaluate_all(TRENDS)
    page.close()
    said = {(months, gap, inside) for months, gap, inside in trends if gap is not None}
    gap = "No figure for 2026-11: too few responses (at least 5 needed)."
    assert ("2026-01 to 2026-11", gap, True) in said, trends
    assert all(months.endswith("2026-10") for months, g, _ in trends if g is None), trends
