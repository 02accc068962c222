"""The example site as a support director presents it to leadership (1280 px, a phone at
390 px, A4 and Letter): a diagram's caption that adds to the drawing rather than repeat its
title, a stage's way on ("Next: …") printed with its stage, the measured pain point volumes
and the ranked pain points readable on a phone, and a map that cannot be read said in its
own words."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures

from conftest import ROOT, TODAY, site_of
from journeymaps.settings import load_settings
from journeymaps.site.build import build


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


def _sheets(pdf: bytes) -> list[str]:
    """Each printed sheet's words, as pdftotext (poppler) reads them, spaces squeezed."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(sheet.split()) for sheet in text.decode("utf-8").split("\f")[:-1]]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_map_s_diagram_caption_does_not_say_its_drawn_title_again(site: Path, browser, width: int) -> None:
    """Under a diagram titled "Service blueprint: Admin locked out…" the caption said "Service
    blueprint of Admin locked out…", and under the journey "Journey of …": the title twice,
    one under the other. The caption keeps only what the drawing does not say (where to open
    it full size); the figure keeps its name for a screen reader."""
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    title = page.locator("h1").inner_text()
    captions = page.locator("figure.diagram figcaption").all_inner_texts()
    named = [
        page.get_by_role("figure", name=re.compile(rf"^{kind}.*{re.escape(title)}")).count()
        for kind in ("Journey", "Service blueprint")
    ]
    page.close()
    assert len(captions) == 2, captions
    for caption in captions:
        assert title not in caption and not caption.startswith(("Journey", "Service blueprint")), caption
        assert caption.startswith("Open it full size"), caption
    assert named == [1, 1], named


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", ["admin-locked-out", "admin-locked-out-future", "billing-dispute"])
def test_a_printed_map_never_starts_a_sheet_with_the_way_to_the_next_stage(
    site: Path, browser, name: str, paper: str
) -> None:
    """The future lockout map's sixth sheet (A4 and Letter) and the billing map's (Letter)
    began with "Next: …" alone, its stage on the sheet before. It is kept with its stage's
    last lines, in no more sheets than before (see test_director's sheet counts)."""
    page = browser.new_page()
    page.goto((site / "maps" / f"{name}.html").as_uri())
    sheets = _sheets(page.pdf(format=paper, prefer_css_page_size=True))
    page.close()
    alone = [n for n, words in enumerate(sheets) if words.startswith("Next:")]
    assert alone == [], [sheets[n][:120] for n in alone]
    assert any("Next:" in words for words in sheets)  # the case in point: stages that say it


#: Each cell of the measured volumes table: whether it lies within the table's frame, and the
#: column's name shown with it (on a phone, where no column heads are shown).
VOLUME_CELLS = """wrap => {
  const frame = wrap.getBoundingClientRect();
  const heads = wrap.querySelector("thead").checkVisibility();
  return [wrap.scrollWidth <= wrap.clientWidth + 1, [...wrap.querySelectorAll("tbody td")].map(td => {
    const box = td.getBoundingClientRect();
    const label = getComputedStyle(td, "::before").content;
    return [box.left >= frame.left - 1 && box.right <= frame.right + 1,
            heads ? "shown above" : label.replace(/^"|"$/g, "")];
  })];
}"""


@pytest.mark.parametrize("name", ["admin-locked-out", "billing-dispute"])
def test_the_pain_point_volumes_are_read_on_a_phone_without_scrolling_sideways(
    site: Path, browser, name: str
) -> None:
    """At 390 px the "Pain point volumes" table showed the pain point and its declared volume,
    the measured one cut at the screen's edge ("mean of 3 months to 20…") and the trend off
    it, behind a sideways scroll. Each pain point is a card, as the KPIs above it are, each
    value beside its column's name."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / "maps" / f"{name}.html").as_uri())
    wrap = page.locator(
        "section.measured .table-wrap", has=page.locator("caption", has_text="Pain point volumes")
    )
    fits, cells = wrap.evaluate(VOLUME_CELLS)
    label = wrap.get_attribute("aria-label")
    page.close()
    assert fits and cells and all(inside for inside, _ in cells), cells
    assert {said for _, said in cells} <= {"Declared / month", "Measured / month", "Trend"}, cells
    assert "scrolls sideways" not in label, label


@pytest.mark.parametrize(
    ("caption", "columns"),
    [
        ("Handoffs between teams", {"From", "To", "SLA", "Context", "How the case travels"}),
        ("Where the customer changes channel", {"From", "To", "Context"}),
    ],
)
def test_a_map_s_handoffs_and_channel_switches_are_read_on_a_phone_without_scrolling_sideways(
    site: Path, browser, caption: str, columns: set[str]
) -> None:
    """At 390 px the billing map's Handoffs table squeezed From, To, SLA and Context into
    columns a word or two wide ("1 business day (Mon-Fri 09:00-17:00), up to 3 days…" over
    nine lines) and left "How the case travels", the words that say why context is lost,
    off the screen; the channel switches likewise. Each is a card, each value beside its
    column's name, as the pain points and KPIs above them are."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    wrap = page.locator(".table-wrap", has=page.locator("caption", has_text=caption))
    fits, cells = wrap.evaluate(VOLUME_CELLS)
    label = wrap.get_attribute("aria-label")
    page.close()
    assert fits and cells and all(inside for inside, _ in cells), cells
    assert {said for _, said in cells} == columns, cells
    assert "scrolls sideways" not in label, label


def test_a_map_that_cannot_be_read_names_its_places_on_the_findings_page(tmp_path: Path, browser) -> None:
    """The findings page listed a map the schema rejects as "stages[1].owner: expected text,
    got 12" and "stages[2]: missing required key 'id'": the schema's path, where the home
    page said "Stage “Second stage”, owner: …". The place is said by the stage's name, or its
    id, or its place in the list, as the file allows; the file and line stay beside it."""
    site = site_of(
        tmp_path,
        {
            "bad.yaml": "id: bad\ntitle: Bad map\nowner: support\nreviewed: 2026-11-16\nstages:\n"
            "  - id: first\n    name: First stage\n    owner: support\n"
            "  - id: second\n    name: Second stage\n    owner: 12\n"
            "  - {id: third, owner: [x]}\n  - owner: 3\n",
        },
    )
    page = browser.new_page()
    page.goto((site / "findings.html").as_uri())
    rows = page.locator(".findings li.finding", has_text="bad.yaml")
    messages = rows.locator(".message").all_inner_texts()
    where = rows.locator(".where").all_inner_texts()
    page.close()
    assert (
        "Stage “Second stage”, owner: expected text, got 12 (put it in quotes to keep it as text)" in messages
    )
    assert "Stage “third”: missing required key 'name'" in messages  # its id, as it has no name
    assert "Stage “third”, owner: expected text, got a list" in messages
    assert any(m.startswith("The 4th stage") for m in messages), messages
    assert not any("stages[" in m or "stages/" in m for m in messages), messages
    assert all("bad.yaml:" in w for w in where), where


#: Each row of the ranked pain points table shown: its cells' [inside the table's frame, the
#: words shown as its column's name]; and whether the table fits its frame.
RANKED_CELLS = """table => {
  const wrap = table.closest(".table-wrap"), frame = wrap.getBoundingClientRect();
  const heads = table.querySelector("thead").checkVisibility();
  const names = [...table.querySelectorAll("thead th")].map(th => th.innerText.trim());
  const rows = [...table.querySelectorAll("tbody tr")].filter(tr => tr.checkVisibility());
  return [wrap.scrollWidth <= wrap.clientWidth + 1, rows.map(tr => [...tr.children].map((cell, i) => {
    const box = cell.getBoundingClientRect();
    const label = cell.tagName === "TH" ? names[i] : getComputedStyle(cell, "::before").content.replace(/^"|"$/g, "");
    return [box.left >= frame.left - 1 && box.right <= frame.right + 1, heads ? names[i] : label];
  }))];
}"""


@pytest.mark.parametrize("name", ["portfolio.html", "maps/billing-dispute.html"])
def test_the_ranked_pain_points_are_read_on_a_phone_without_scrolling_sideways(
    site: Path, browser, name: str
) -> None:
    """At 390 px the ranked pain points (the Portfolio's, a map's) showed each pain point's
    name, journey or place and kind; its volume, severity and cost of inaction a year, what
    a director shows leadership, were behind a sideways scroll, column by column. Each pain
    point is a card, its name on top and each value beside its column's name."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / name).as_uri())
    table = page.locator("table.ranked")
    heads = table.locator("thead th").all_inner_texts()
    fits, rows = table.evaluate(RANKED_CELLS)
    page.close()
    assert fits and rows, rows
    assert "Cost of inaction / year" in heads, heads
    for row in rows:
        assert all(inside for inside, _ in row), row
        assert [said for _, said in row] == [h if h != "#" else "Rank" for h in heads], row


def test_the_ranked_pain_points_filtered_across_pages_are_cards_on_a_phone(tmp_path: Path, browser) -> None:
    """A portfolio split into pages finds a team's pain points on every page with its filter,
    writing their rows in the browser: on a phone each must be a card as the page's own rows
    are (each value beside its column's name), and the page's own rows, which the filter hides,
    stay hidden under them."""
    out = tmp_path / "site"
    build([ROOT / "maps"], dataclasses.replace(load_settings(ROOT), rows_per_page=2), ROOT, out, today=TODAY)
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((out / "portfolio.html").as_uri())
    page.locator("select[data-filter=team]").select_option("finance")
    page.wait_for_selector("[data-filtered] tr")
    table = page.locator("table.ranked")
    heads = table.locator("thead th").all_inner_texts()
    fits, rows = table.evaluate(RANKED_CELLS)
    filtered = page.locator("[data-filtered] tr").count()
    page.close()
    assert fits and len(rows) == filtered >= 2, rows
    for row in rows:
        assert all(inside for inside, _ in row), row
        assert [said for _, said in row] == [h if h != "#" else "Rank" for h in heads], row


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_printed_team_keeps_its_counts_under_their_names(site: Path, browser, paper: str) -> None:
    """Printed on A4, the teams page's fifth sheet ended with Technical Support (Tier 2)'s
    "Maps owned  Stages owned  Open opportunities  Overdue  Findings", and the sixth began
    with "1 1 2 0 1": each count a sheet away from its name. Each name stays with its count,
    in no more sheets than before."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    sheets = _sheets(page.pdf(format=paper, prefer_css_page_size=True))
    page.close()
    assert len(sheets) <= 6, len(sheets)
    cut = [n for n, words in enumerate(sheets) if words.endswith("Findings") or re.match(r"\d+ \d+ ", words)]
    assert cut == [], [(sheets[n][:60], sheets[n][-60:]) for n in cut]
    assert sum(words.count("Maps owned") for words in sheets) >= 7  # every team's counts printed
