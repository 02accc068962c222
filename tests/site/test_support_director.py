"""What a support director still found wrong on the example site: a trend that stops short
of its months without saying why, findings that start lower-case where they stand as
sentences, a diagram's title said twice, a map's last words alone on a printed sheet."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures

from conftest import site_of


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


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
    gap = "No figure for Nov 2026: too few responses (at least 5 needed)."
    assert ("Jan 2026 to Nov 2026", gap, True) in said, trends
    assert all(months.endswith("Oct 2026") for months, g, _ in trends if g is None), trends
    if name.startswith("maps/"):  # a handoff's SLA, whose last two months crossed too few tickets
        sla = "No figure for Sep 2026 to Oct 2026: too few tickets that crossed the handoff (at least 5 needed)."
        assert ("Jan 2026 to Oct 2026", sla, True) in said, trends


#: The first letter of each finding's words as the page shows them.
FIRST_LETTERS = """els => els.map(e => e.innerText.trim()).filter(t => /^[A-Za-z]/.test(t)).map(t => t[0])"""


@pytest.mark.parametrize("name", ["findings.html", "maps/admin-locked-out.html"])
def test_a_finding_on_the_site_reads_as_a_sentence(site: Path, browser, name: str) -> None:
    """A finding stood on the findings page and under a map as lint writes it to follow
    "file:line:col: JM… warning:": "the handoff from “Agent verifies identity” to …", lower-case
    where a director reads it as a sentence."""
    page = browser.new_page()
    page.goto((site / name).as_uri())
    messages = page.locator(".findings .message")
    firsts = messages.evaluate_all(FIRST_LETTERS)
    handoff = messages.filter(has_text="andoff from “Agent verifies identity”").first.inner_text()
    page.close()
    assert firsts and all(c.isupper() for c in firsts), firsts
    assert handoff.startswith("The handoff from “Agent verifies identity”"), handoff


def test_a_map_that_cannot_be_read_is_said_in_sentences_on_the_home_page(tmp_path: Path, browser) -> None:
    """The home page listed a file that could not be read as "Z: missing required key 'stages'"
    and "a NUL character (U+0000) is not allowed in YAML": each now starts as a sentence does.
    The findings page names the place as the home page does, by the stage's id here (its
    schema's path, "stages[0]", is for the author: see test_director_presents)."""
    site = site_of(
        tmp_path,
        {
            "z.yaml": "id: z\ntitle: Z\nowner: support\n",
            "nul.yaml": "id: n\x00\n",
            "half.yaml": "id: h\ntitle: H\nowner: support\nstages:\n  - id: a\n",
        },
    )
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    problems = page.locator(".alert li").all_inner_texts()
    page.goto((site / "findings.html").as_uri())
    paths = page.locator(".findings .message", has_text="Stage “a”").all_inner_texts()
    page.close()
    assert any(p.startswith("Z: Missing required key 'stages'") for p in problems), problems
    assert any(p.startswith("A NUL character") for p in problems), problems
    assert paths and all(p.startswith("Stage “a”: ") for p in paths), paths


@pytest.mark.parametrize("width", [1280, 390])
def test_the_teams_page_says_its_handoff_diagram_s_title_once(site: Path, browser, width: int) -> None:
    """The diagram draws its title at its top ("Team handoffs across all journeys"), and its
    caption said it again right under it. The caption keeps the way to open it full size."""
    drawn = (site / "diagrams" / "team-handoffs.svg").read_text("utf-8")
    assert ">Team handoffs across all journeys</text>" in drawn  # the title the diagram draws
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page.goto((site / "teams.html").as_uri())
    figure = page.locator("figure.diagram")
    caption = figure.locator("figcaption").inner_text()
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    page.close()
    assert "Team handoffs" not in caption, caption
    assert caption.startswith("Open it full size"), caption


def _sheets(pdf: bytes) -> list[str]:
    """Each printed sheet's words, as pdftotext (poppler) reads them, spaces squeezed."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(sheet.split()) for sheet in text.decode("utf-8").split("\f")[:-1]]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_printed_map_never_starts_a_sheet_with_the_journey_s_end(site: Path, browser, paper: str) -> None:
    """Printed on A4, the lockout map's eighth sheet began with "The journey ends here." alone,
    under it the next section: its stage's last words cut from it. It is kept with its stage's
    last lines, in no more sheets than before (see test_director's sheet counts)."""
    page = browser.new_page()
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    sheets = _sheets(page.pdf(format=paper, prefer_css_page_size=True))
    page.close()
    assert len(sheets) <= 12, len(sheets)
    ends = [n for n, words in enumerate(sheets) if "The journey ends here." in words]
    assert ends and not sheets[ends[0]].startswith("The journey ends here."), sheets[ends[0]][:200]
