"""The example site printed as a support director prints it before a meeting: the print
dialog's defaults (A4, scale 100 %, the page's own orientation), nothing cut at the paper's
edge, no sheet wasted on a heading alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures
from test_presenting import text_runs_per_sheet


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


def printed(page, paper: str = "A4") -> bytes:  # type: ignore[no-untyped-def]
    """What the print dialog makes at its defaults: the page's own orientation (its @page
    size), scale 100 %."""
    return page.pdf(format=paper, prefer_css_page_size=True)


@pytest.mark.parametrize("name", ["billing-dispute.journey", "admin-locked-out.blueprint"])
def test_a_full_size_diagram_prints_whole_on_one_sheet(site: Path, browser, name: str) -> None:
    """Printed, the full-size diagram page showed its zoomable frame as it was on screen:
    the diagram cut at the frame's right edge (billing's Chargeback stage half gone), and its
    caption pushed onto a second sheet of its own."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "diagrams" / f"{name}.html").as_uri())
    assert len(text_runs_per_sheet(printed(page))) == 1
    # On paper the whole drawing is inside the frame: nothing left to scroll to.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1062, "height": 733})  # A4 landscape inside 8 mm margins
    view = page.locator("#diagram-view")
    assert view.evaluate("v => v.scrollWidth <= v.clientWidth + 1 && v.scrollHeight <= v.clientHeight + 1")
    frame = view.bounding_box()
    drawing = view.locator("svg").bounding_box()
    assert frame and drawing
    assert (
        drawing["x"] >= frame["x"] - 1 and drawing["x"] + drawing["width"] <= frame["x"] + frame["width"] + 1
    )
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter", "A3"])
@pytest.mark.parametrize("name", ["billing-dispute", "admin-locked-out"])
def test_the_canvas_page_prints_on_one_sheet_at_the_dialog_s_defaults(
    site: Path, browser, name: str, paper: str
) -> None:
    """The canvas page asked for the print dialog's scale at 70 % on A4 or Letter; left at
    100 % (what a director does) it printed three sheets, the first holding only the title."""
    page = browser.new_page()
    page.goto((site / "maps" / f"{name}.canvas.html").as_uri())
    assert len(text_runs_per_sheet(printed(page, paper))) == 1
    assert "scale at about 70" not in page.inner_text("main")
    # Landscape chosen in the dialog, as the page's own words ("one landscape sheet") invite:
    # the canvas was scaled for A3 and printed on three A4 sheets, the title alone on one.
    landscape = page.pdf(format=paper, landscape=True, prefer_css_page_size=False)
    assert len(text_runs_per_sheet(landscape)) == 1
    page.close()


def test_a_step_card_on_a_phone_shows_no_label_without_a_value(site: Path, browser) -> None:
    """On a phone each step reads as a card of labelled values: a backstage step, which the
    customer does not see and so has no emotion, ended with the label "Emotion" and nothing
    under it, as if the value had failed to load."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    card = page.locator("table.steps tr", has_text="Finance investigates the seat true-up")
    assert card.is_visible()
    shown = card.locator("td[data-label]").evaluate_all(
        "cells => cells.filter(c => c.offsetParent !== null).map(c => [c.dataset.label, c.innerText.trim()])"
    )
    assert [label for label, _ in shown] == ["Row on the map · channel", "Owner", "Does / thinks / feels"]
    assert all(value for _, value in shown), shown
    page.close()


def test_a_finding_s_severity_is_named_as_the_counts_name_it(site: Path, browser) -> None:
    """The findings page counts "0 errors, 3 warnings and 9 notes", then labelled each of the
    nine "INFO" (the lint level's name), with a warning's yellow count beside its rule."""
    page = browser.new_page()
    page.goto((site / "findings.html").as_uri())
    lead = page.locator("p.lead").inner_text()
    notes = re.search(r"(\d+) notes", lead)
    assert notes, lead  # each an off-target KPI of the examples
    labels = page.locator(".finding .sev").all_inner_texts()
    assert labels.count("NOTE") == 2 * int(notes[1])  # by rule, then by team
    assert set(labels) == {"WARNING", "NOTE"}
    count = page.locator("#rule-kpi-off-target-title .badge")
    assert count.inner_text() == notes[1] and "warning" not in (count.get_attribute("class") or "")
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    assert page.locator(".finding .sev").all_inner_texts() == ["WARNING", "NOTE", "NOTE"]
    page.close()


@pytest.mark.parametrize("name", ["billing-dispute.html", "billing-dispute.canvas.html"])
def test_a_kpi_s_target_is_said_in_words_on_the_canvas_as_on_the_map(site: Path, browser, name: str) -> None:
    """The canvas, the page put on a slide, wrote a KPI's target as an arrow ("now 95% → 80%",
    read as a fall to come); the map page beside it says "target 80%"."""
    page = browser.new_page()
    page.goto((site / "maps" / name).as_uri())
    canvas = page.locator(".canvas").inner_text()
    assert "CSAT of billing tickets: now 95% measured, as of Oct 2026, target 80%" in canvas
    assert "Time to resolution: now 6 days, target 2 days" in canvas
    assert "\u2192" not in canvas.split("KPIs", 1)[1]
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", ["billing-dispute", "production-outage", "admin-locked-out-future"])
def test_a_printed_map_leaves_no_heading_alone_on_a_sheet(site: Path, browser, name: str, paper: str) -> None:
    """A map's diagrams print on landscape sheets, but the diagram was sized for a portrait
    one (a print media query reads the default page): too tall to follow its heading, it left
    "Diagrams" alone on a sheet (8 runs of text) before the sheet it was on."""
    page = browser.new_page()
    page.goto((site / "maps" / f"{name}.html").as_uri())
    runs = text_runs_per_sheet(printed(page, paper))
    assert min(runs[:-1]) > 30, runs  # the last sheet may hold a line or two
    page.close()


@pytest.mark.parametrize("name", ["findings.html"])  # the Teams page counts them, linked there
def test_a_finding_listed_away_from_its_map_names_the_map(site: Path, browser, name: str) -> None:
    """The findings and teams pages said where a finding is as "JM804 kpi-off-target
    maps/support/admin-locked-out.yaml:29:15": a director does not know which journey that
    is. Each finding now names its map by title, linked to its page, before what is wrong;
    the rule and the place in the file follow for the map's author."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / name).as_uri())
    rows = page.locator("li.finding")
    assert rows.count() > 0
    for i in range(rows.count()):
        row = rows.nth(i)
        where = row.locator(".where").inner_text()
        title = row.locator("a.in-map")
        slug = where.split(" · ")[-1].rsplit("/", 1)[-1].split(".yaml")[0]
        assert title.get_attribute("href", timeout=1000).endswith(f"maps/{slug}.html"), where
        # on the first line, beside the severity; what is wrong below it
        sev, named, message = (row.locator(x).bounding_box() for x in (".sev", "a.in-map", ".message"))
        assert sev and named and message
        assert named["y"] < sev["y"] + sev["height"] and sev["y"] < named["y"] + named["height"], where
        assert message["y"] >= named["y"] + named["height"] - 1, where
    shown = page.locator("#team-finance a.in-map" if name == "teams.html" else "a.in-map")
    first = (
        "Unexpected charge on the monthly invoice"
        if name == "teams.html"
        else "Admin locked out of their account"
    )
    assert shown.first.inner_text() == first
    page.close()


WRAPPED_BADGES = """[...document.querySelectorAll("main .badge")].filter((b) => b.offsetParent !== null)
  .map((b) => {
    const s = getComputedStyle(b), line = parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);
    return {text: b.innerText, lines: Math.round((b.clientHeight - parseFloat(s.paddingTop)
      - parseFloat(s.paddingBottom)) / line), radius: parseFloat(s.borderTopLeftRadius), line};
  }).filter((b) => b.lines > 1)"""


@pytest.mark.parametrize("width", [1440, 390])
def test_a_badge_of_several_lines_keeps_its_words_inside_it(site: Path, browser, width: int) -> None:
    """A badge is a pill; in a narrow column "lost: the customer repeats themselves" took four
    lines and the pill's round ends made an oval, its first and last words outside the
    colour."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    wrapped = page.evaluate(WRAPPED_BADGES)
    assert any("lost: the" in b["text"] for b in wrapped)  # the case in point
    assert all(b["radius"] <= b["line"] / 2 + 1 for b in wrapped), wrapped
    page.close()


@pytest.mark.parametrize("name", ["billing-dispute.html", "billing-dispute.canvas.html"])
def test_a_phone_is_told_the_canvas_scrolls_sideways_on_both_pages(site: Path, browser, name: str) -> None:
    """On a phone the canvas is wider than the screen and scrolls in its frame: the map page
    said so, the canvas page (the link a director is sent) did not, and its cut-off columns
    read as a broken page."""
    hint = "Scroll the canvas sideways to follow the journey."
    for width, shown in ((390, True), (1440, False)):
        page = browser.new_page(viewport={"width": width, "height": 844})
        page.goto((site / "maps" / name).as_uri())
        assert (hint in page.inner_text("main")) is shown, (name, width)
        page.close()


def test_the_diagrams_say_a_handoff_s_sla_and_a_team_as_the_pages_do(site: Path, browser) -> None:
    """The teams page lists "SLA 1 business day, context lost" under a diagram that said
    "SLA 1bd", "⚠ 1 lose context" and each team's YAML id under its name ("Finance /
    finance"); the journey diagrams said "context lost, SLA 1bd" too."""
    page = browser.new_page()

    def drawn(locator) -> str:  # type: ignore[no-untyped-def]
        """The words drawn (text elements, wrapped lines joined), not the tooltips."""
        return " ".join(" ".join(locator.locator("text").all_text_contents()).split())

    page.goto((site / "diagrams" / "team-handoffs.html").as_uri())
    svg = page.locator("#diagram-view svg")
    assert drawn(svg.locator("#team-finance")) == "Finance"
    assert drawn(svg.locator("#team-identity")) == "Identity & Access"
    words = drawn(svg)
    assert "SLA 1 business day" in words and "1 handoff loses context" in words
    assert "SLA 30 minutes, 4 hours" in words
    assert "1bd" not in words and "1 lose context" not in words
    for name in ("billing-dispute.journey", "billing-dispute.blueprint"):
        page.goto((site / "diagrams" / f"{name}.html").as_uri())
        words = drawn(page.locator("#diagram-view svg"))
        assert "SLA 1 business day" in words and "1bd" not in words, name
    page.close()


def sheet_lines(pdf: bytes) -> list[list[str]]:
    """Each printed sheet's lines of words, as pdftotext (poppler) reads them."""
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [[line.strip() for line in sheet.splitlines() if line.strip()] for sheet in text.split("\f")[:-1]]


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", ["scorecard.html", "maps/admin-locked-out.html"])
def test_no_printed_sheet_ends_with_a_heading(
    site: Path, browser, name: str, paper: str, landscape: bool
) -> None:
    """On A4 landscape the scorecard's "Customer Success" stood alone at a sheet's foot (its
    counts on the next sheet, cut from it); in portrait, "Finance"."""
    page = browser.new_page()
    page.goto((site / name).as_uri())
    headings = {t.split("\n")[0].strip() for t in page.locator("main h2, main h3").all_inner_texts()}
    sheets = sheet_lines(page.pdf(format=paper, landscape=landscape))
    assert len(sheets) > 1
    feet = [(n, lines[-1]) for n, lines in enumerate(sheets[:-1], 1) if lines]
    assert [(n, foot) for n, foot in feet if foot in headings] == []
    page.close()


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_the_printed_portfolio_totals_once_and_names_no_filter_it_left_out(
    site: Path, browser, landscape: bool
) -> None:
    """Printed landscape, the cost by team broke after three rows and its "All teams" total
    was repeated under them, read as their subtotal; and the paper said "The team chosen
    above filters these too" of a filter it does not print."""
    page = browser.new_page()
    page.goto((site / "portfolio.html").as_uri())
    words = "\n".join("\n".join(sheet) for sheet in sheet_lines(page.pdf(format="A4", landscape=landscape)))
    assert words.count("All teams, each pain point once") == 1
    assert "chosen above" not in words
    page.close()


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_portfolio_keeps_the_matrix_s_heading_and_caption_with_it(
    site: Path, browser, paper: str, landscape: bool
) -> None:
    """On A4 the first sheet ended with "Opportunities: impact x effort" and half of the
    matrix's caption ("… resource traps bottom"), its other half and the matrix on the next
    sheet: a heading over nothing, and a sentence cut in two by the sheet's edge."""
    page = browser.new_page()
    page.goto((site / "portfolio.html").as_uri())
    sheets = sheet_lines(page.pdf(format=paper, landscape=landscape))
    page.close()
    words = [" ".join(" ".join(line.split()) for line in lines) for lines in sheets]
    heading = next(n for n, said in enumerate(words) if "Opportunities: impact \u00d7 effort" in said)
    assert "Quick wins" in words[heading], words[heading][-300:]  # the matrix's first row
    caption = "Quick wins are top left, resource traps bottom right."
    assert any(caption in said for said in words), [said[-200:] for said in words]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_portfolio_takes_three_sheets_at_9_pt(site: Path, browser, paper: str) -> None:
    """The portfolio printed on four sheets, A4 or Letter, the last half empty (on A4 the
    second a quarter empty: the ranked pain points' heading, header and first row did not fit
    under the matrix). Its matrix and ranked pain points print as dense tables do, still at
    9 pt: three sheets, each card whole (the matrix's cards are kept whole, as before)."""
    page = browser.new_page()
    page.goto((site / "portfolio.html").as_uri())
    sheets = [" ".join(" ".join(lines).split()) for lines in sheet_lines(printed(page, paper))]
    page.emulate_media(media="print")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("table.matrix li.card, #ranked-pains td")]
          .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    page.close()
    assert len(sheets) == 3, [said[-120:] for said in sheets]
    assert sizes and min(sizes) >= 12, min(sizes)  # 12 CSS px: 9 pt


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_teams_page_starts_its_landscape_sheets_with_the_handoff_diagram(
    site: Path, browser, paper: str
) -> None:
    """Printed landscape, the first sheet held the title and one line: the handoff diagram,
    sized for a sheet of its own, went whole to the second."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    first = sheet_lines(page.pdf(format=paper, landscape=True))[0]
    # The diagram whole: the title it draws at its top and the handoff it draws lowest.
    assert "Team handoffs across all journeys" in first, first
    assert any("SLA 15 minutes" in " ".join(line.split()) for line in first), first
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_teams_page_prints_without_a_sheet_a_team(site: Path, browser, paper: str) -> None:
    """Each team's section was kept whole, so each began a new sheet: the teams page took 7
    to 9 sheets, one of them holding 88 runs of text where a full one holds 300 to 800."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    runs = text_runs_per_sheet(printed(page, paper))
    # The sheets run on: none but the last is less than a third full (that one held 88).
    assert min(runs[:-1]) >= 200 and len(runs) <= 8, runs
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_findings_page_prints_its_findings_from_the_first_sheet(site: Path, browser, paper: str) -> None:
    """Each rule's findings, and the 'By rule' section around them, were kept whole: too tall
    for what the title left of the first sheet, they all moved on, and the first sheet held
    the title and one line (101 runs of text of 5 sheets' 1,900)."""
    page = browser.new_page()
    page.goto((site / "findings.html").as_uri())
    runs = text_runs_per_sheet(printed(page, paper))
    assert runs[0] >= sorted(runs)[len(runs) // 2] / 2, runs
    assert len(runs) <= 4, runs
    page.close()


def test_two_kpis_of_one_map_on_one_metric_are_told_apart_on_the_scorecard(site: Path, browser) -> None:
    """Under "First reply time" two lines both read "Admin locked out of their account" (its
    median and its slowest replies); a KPI named otherwise than its metric says its name."""
    page = browser.new_page()
    page.goto((site / "scorecard.html").as_uri())
    heading = page.locator("h3", has_text="First reply time")
    lines = heading.locator(
        "xpath=../following-sibling::ul[1]/li"
    ).all_inner_texts()  # the heading is in .metric-head
    admin = [line.split(":")[0] for line in lines if line.startswith("Admin locked out")]
    assert admin == [
        "Admin locked out of their account · First reply time (email)",
        "Admin locked out of their account · Slowest first replies (email)",
    ]
    page.close()


def test_a_map_card_counts_the_pain_points_the_portfolio_ranks(site: Path, browser) -> None:
    """The billing map's card said "Pain points 5" beside the portfolio's four: the card
    counted the resolved one, which costs nothing and is not ranked."""
    page = browser.new_page()
    page.goto((site / "portfolio.html").as_uri())
    ranked: dict[str, int] = {}
    for href in page.locator("#ranked-pains tbody tr th a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    ):
        ranked[href.split("#")[0]] = ranked.get(href.split("#")[0], 0) + 1
    page.goto((site / "index.html").as_uri())
    cards = {}
    for card in page.locator("li.card").all():
        href = card.locator("h2 a").get_attribute("href")
        cards[href] = int(
            card.locator("div", has=page.locator("dt", has_text="Open pain points"))
            .locator("dd")
            .inner_text()
        )
    assert cards == {href: ranked.get(href, 0) for href in cards}
    assert cards["maps/billing-dispute.html"] == 4
    page.close()


def test_a_handoff_within_one_team_is_listed_once_as_such(site: Path, browser) -> None:
    """The billing map's bot hands over to an agent, both Support's: the team's page listed
    it twice, "Out to Customer Support (Tier 1)" and "In from Customer Support (Tier 1)"."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    items = page.locator("#team-support li").all_inner_texts()
    billing = [
        i for i in items if i.endswith("— Unexpected charge on the monthly invoice") and "SLA 5 minutes" in i
    ]
    assert billing == [
        "Within the team, SLA 5 minutes, context carried — Unexpected charge on the monthly invoice"
    ]
    assert not any("Customer Support (Tier 1)," in i for i in items), items
    page.close()


def test_the_canvas_gives_a_pain_point_the_volume_its_cost_is_counted_from(site: Path, browser) -> None:
    """The canvas said "40/month · $5,904/year": the map's declared 40 beside a cost counted
    from the measured 41 a month, which the portfolio shows."""
    page = browser.new_page()
    page.goto((site / "maps" / "admin-locked-out.canvas.html").as_uri())
    note = page.locator("li", has_text="Reset emails land in spam").locator(".figures").first.inner_text()
    assert note == "41 contacts/month measured · $5,904/year"
    page.close()


def test_the_scorecard_says_where_its_numbers_come_from_in_plain_words(site: Path, browser) -> None:
    """The scorecard's first paragraph sent a director to "the snapshots `journeymaps
    measure` writes": a command, in code type, where they need to know what "as of" means."""
    page = browser.new_page()
    page.goto((site / "scorecard.html").as_uri())
    lead = page.locator("p.lead")
    assert lead.locator("code").count() == 0
    assert "journeymaps" not in lead.inner_text() and "snapshot" not in lead.inner_text()
    assert "monthly total counted in the support tools" in lead.inner_text()
    page.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_the_map_cards_say_persona_and_owner_in_the_same_place(site: Path, browser, width: int) -> None:
    """On the home page the billing card's short persona sat beside its state badge, the
    others' under it: side by side, the cards did not line up."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "index.html").as_uri())
    places = page.locator("ul.cards:not([hidden]) > li.card .meta").evaluate_all(
        """metas => metas.map(m => {
          const [state, ...rest] = m.children, left = m.getBoundingClientRect().left;
          return rest.map(s => [s.textContent.split(':')[0], Math.round(s.getBoundingClientRect().left - left),
                                s.getBoundingClientRect().top >= state.getBoundingClientRect().bottom - 1]);
        })"""
    )
    assert len(places) == 4
    for card in places:
        assert [p[0] for p in card] == ["Persona", "Owner"]
        assert all(p[1] == 0 and p[2] for p in card), places  # each under the badge, at the left
    page.close()


CARD_FACTS = """cards => cards.map(card => {
  const dl = card.querySelector("dl.facts"), left = dl.getBoundingClientRect().left;
  return [...dl.children].map(d => [d.querySelector("dt").textContent,
    Math.round(d.getBoundingClientRect().left - left), Math.round(d.getBoundingClientRect().top),
    Math.round(d.getBoundingClientRect().width / dl.getBoundingClientRect().width * 100)])
    .sort((a, b) => a[2] - b[2] || a[1] - b[1]).map(([t, x, , w]) => [t, x, w]);
})"""


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps two cards a page: the filters show cards site.js makes."""
    import dataclasses

    from conftest import ROOT, TODAY
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    out = tmp_path_factory.mktemp("paged") / "site"
    build([ROOT / "maps"], dataclasses.replace(load_settings(ROOT), maps_per_page=2), ROOT, out, today=TODAY)
    return out


def test_a_map_card_s_figures_are_in_the_same_place_in_every_card(site: Path, paged: Path, browser) -> None:
    """The figures flowed by their width: Reviewed and Health side by side in one card, on
    lines of their own in the next, and Open opportunities alone on a line, so a row of cards
    could not be read across. In every card now (those the filters make too) each figure is
    in the same column, the cost of inaction last, across the card."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "index.html").as_uri())
    cards = page.locator("ul.cards > li.card").evaluate_all(CARD_FACTS)
    page.goto((paged / "index.html").as_uri())
    page.select_option("select[data-filter=persona]", "Workspace admin")
    page.wait_for_selector("ul.cards[data-filtered] > li.card")  # made by site.js from cards.js
    filtered = page.locator("ul.cards[data-filtered] > li.card").evaluate_all(CARD_FACTS)
    assert len(cards) == 4 and len(filtered) == 2
    for facts in cards + filtered:
        if facts[-1][0] == "Cost of inaction":
            assert facts[-1][1:] == [0, 100], facts
            facts = facts[:-1]
        assert facts == cards[1], (facts, cards[1])  # the future state has no cost
    page.close()


def test_a_pain_point_s_link_on_the_canvas_underlines_its_words_only(site: Path, browser) -> None:
    """The canvas's pain point links ("3 Seat true-ups appear...") underlined the space
    between the number and the words, a stray stroke before each name on the slide."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "maps" / "billing-dispute.canvas.html").as_uri())
    links = page.locator(".canvas a:has(.pain-num)")
    assert links.count() == 4
    gaps = links.evaluate_all(
        """links => links.map(a => {
          const num = a.querySelector(".pain-num"), words = num.nextSibling;
          const r = document.createRange(); r.setStart(words, 0); r.setEnd(words, 1);
          return [words.textContent[0], r.getBoundingClientRect().left - num.getBoundingClientRect().right];
        })"""
    )
    for first, gap in gaps:
        assert not first.isspace() and gap >= 3, gaps  # apart, by a margin the link does not underline
    page.close()


#: The diagrams a page shows as images, and whether each has been loaded.
DIAGRAM_IMAGES = """[...document.querySelectorAll("figure.diagram img")]
  .map((img) => [img.getAttribute("src"), img.complete && img.naturalWidth > 0])"""


@pytest.mark.parametrize("name", ["maps/admin-locked-out.html", "teams.html"])
def test_a_printed_page_prints_its_diagrams_not_only_their_captions(site: Path, browser, name: str) -> None:
    """The diagrams were loaded lazily, when scrolled near: printed at once (the meeting's
    print-out), a map had its "Diagrams" sheet with both captions and no diagram, one time
    in three (printing does not wait for them). They are loaded with the page, before its
    load event, wherever they are on it (far below the fold on a phone)."""
    page = browser.new_page(viewport={"width": 390, "height": 600})
    page.goto((site / name).as_uri())
    shown = page.evaluate(DIAGRAM_IMAGES)
    assert shown and all(loaded for _, loaded in shown), shown
    page.close()


@pytest.mark.parametrize(
    "name", ["scorecard.html", "portfolio.html", "maps/billing-dispute.html", "maps/admin-locked-out.html"]
)
def test_a_printed_date_is_never_broken_at_its_hyphen(site: Path, browser, name: str) -> None:
    """Printed, a KPI's "as of 2026-10" broke as "as of 2026-" over "10" in the scorecard's,
    the portfolio's and a map's narrow columns (A4 landscape, Letter both ways)."""
    import re
    import subprocess

    page = browser.new_page()
    page.goto((site / name).as_uri())
    for paper in ("A4", "Letter"):
        for landscape in (False, True):
            pdf = page.pdf(format=paper, landscape=landscape)
            words = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
            cut = re.findall(r".{0,20}\b20\d\d-(?!\d)", words.stdout.decode("utf-8"))
            assert cut == [], (paper, landscape)
    page.close()


@pytest.mark.parametrize("name", ["changes.html", "scorecard.html", "maps/billing-dispute.html"])
def test_on_a_phone_a_date_is_never_broken_at_its_hyphen(site: Path, browser, name: str) -> None:
    """At 390 px the What changed page's lead read "(09c86baa, 2026-12-" over "04)"."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site / name).as_uri())
    lines = page.eval_on_selector_all(
        "main .date", "els => els.map(e => [e.textContent, e.getClientRects().length])"
    )
    assert lines and [text for text, n in lines if n != 1] == []
    page.close()


def test_a_step_s_row_words_cost_the_printed_map_no_sheet(site: Path, browser) -> None:
    """Under each step its row's meaning in the canvas key's words ("our teams' work on the
    case that the customer does not see") took the outage map onto a ninth A4 sheet, three
    quarters empty. On paper a step names its row as the printed canvas does: eight sheets."""
    page = browser.new_page()
    page.goto((site / "maps" / "production-outage.html").as_uri())
    sheets = sheet_lines(printed(page, "A4"))
    page.close()
    assert len(sheets) == 8, [lines[-3:] for lines in sheets]
    assert not any("customer does not see" in line for lines in sheets for line in lines)


def headings_alone(page, pdf: bytes) -> list[tuple[int, list[str]]]:  # type: ignore[no-untyped-def]
    """The sheets of ``pdf``, printed from ``page``, that hold nothing but the page's headings
    (under the site's name), or that end with one while another sheet follows: each as its
    number and last lines."""
    heads = {" ".join(t.split()) for t in page.locator("main :is(h1, h2, h3, h4)").all_inner_texts()}
    brand = page.locator(".brand").inner_text().strip()
    sheets = sheet_lines(pdf)
    alone = []
    for n, lines in enumerate(sheets, 1):
        words = [" ".join(line.split()) for line in lines if line != brand]
        if words and (all(w in heads for w in words) or (n < len(sheets) and words[-1] in heads)):
            alone.append((n, lines[-3:]))
    return alone


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_format_page_s_example_map_prints_whole_under_its_heading(
    site: Path, browser, paper: str
) -> None:
    """On Letter the format page's example map was cut after "stages:", its first stage alone
    on a tenth sheet, 12 % full: half a map, which no newcomer can read or copy."""
    page = browser.new_page()
    page.goto((site / "format.html").as_uri())
    sheets = sheet_lines(printed(page, paper))
    page.close()
    first, last = (
        "# yaml-language-server: $schema=",
        'evidence: [{source: zendesk, kind: tickets, ref: "tag:locked_out"}]',
    )
    holding = [
        n
        for n, lines in enumerate(sheets)
        for line in lines
        for part in ("A small example", first, last)
        if line.startswith(part)
    ]
    assert len(holding) == 3 and len(set(holding)) == 1, (holding, len(sheets))
    assert len(sheets[-1]) >= 10, sheets[-1]
