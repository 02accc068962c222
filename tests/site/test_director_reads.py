"""The example site as a support director presenting it reads it: a full-size diagram opens
no smaller than on its map page, KPIs and evidence said in words with the ids and selectors
an engineer needs kept small beside them."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures
from test_presenting import text_runs_per_sheet

from conftest import ROOT, TODAY

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

#: How large the diagram is drawn: its width on screen over its width at 100 % (Graphviz
#: points, 4/3 of a CSS pixel).
DRAWN_SCALE = "s => s.getBoundingClientRect().width / (s.viewBox.baseVal.width * 4 / 3)"
IMG_SCALE = "i => i.getBoundingClientRect().width / i.naturalWidth"


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize(
    ("name", "index"),
    [("billing-dispute.journey", 0), ("billing-dispute.blueprint", 1), ("admin-locked-out.journey", 0)],
)
def test_a_full_size_diagram_opens_no_smaller_than_on_its_map_page(
    site: Path, browser, name: str, index: int, viewport: dict[str, int]
) -> None:
    """Opened full size, billing's journey was fitted whole into the window: 50 % at 1366 px,
    smaller than the 61 % of the map page it was opened from, its text 9 px tall. It opens
    filling the window's width (the rest a scroll down), its start in view."""
    page = browser.new_page(viewport=viewport)
    page.goto((site / "maps" / f"{name.split('.')[0]}.html").as_uri())
    img = page.locator("figure.diagram img").nth(index)
    img.scroll_into_view_if_needed()
    img.evaluate("i => i.decode()")
    on_map_page = img.evaluate(IMG_SCALE)
    page.goto((site / "diagrams" / f"{name}.html").as_uri())
    svg = page.locator("#diagram-view svg")
    view = page.locator("#diagram-view")
    full_size = svg.evaluate(DRAWN_SCALE)
    assert full_size >= on_map_page - 0.005, (full_size, on_map_page)
    shown = page.locator("[data-zoom-level]").inner_text()
    assert shown == f"{round(full_size * 100)}\u2009%"
    if viewport is DESKTOP:
        assert view.evaluate("v => [v.scrollLeft, v.scrollTop]") == [0, 0]
    else:  # on a phone it pans past any margin before its first shape, and past the band
        # above it its title left (said above the view there): nothing drawn above the frame
        tops = view.evaluate(
            """v => [...v.querySelectorAll("g.node, g.cluster, g.edge")]
              .map((g) => g.getBoundingClientRect().top - v.getBoundingClientRect().top)"""
        )
        assert 0 <= min(tops) <= 10, min(tops)
    if viewport is DESKTOP:
        assert page.evaluate(WORDS_PX) >= 11
        if name.endswith(".journey"):  # the whole width in view, none of it a scroll sideways away
            assert view.evaluate("v => v.scrollWidth <= v.clientWidth + 1")
    page.close()


#: How tall the drawing's words are on screen: the smallest font size of its shapes' texts
#: (Graphviz points, 4/3 of a CSS pixel) at the scale it is drawn, in CSS pixels.
WORDS_PX = f"""() => {{
  const svg = document.querySelector("#diagram-view svg"), scale = ({DRAWN_SCALE})(svg);
  return Math.min(...[...svg.querySelectorAll("g.node text")]
    .map((t) => parseFloat(t.getAttribute("font-size")) * 4 / 3 * scale));
}}"""

#: How far the journey's own shapes (all but the legend's) reach past the view's right
#: edge, in CSS pixels.
PAST_THE_VIEW = """() => {
  const view = document.getElementById("diagram-view"), frame = view.getBoundingClientRect();
  const shapes = [...view.querySelectorAll("g.node")]
    .filter((g) => !g.querySelector("title").textContent.startsWith("__legend"))
    .map((g) => g.getBoundingClientRect());
  return Math.max(...shapes.map((r) => r.right)) - frame.right;
}"""


@pytest.mark.parametrize("width", [1280, 1366, 1440])
@pytest.mark.parametrize("map_id", ["admin-locked-out", "billing-dispute", "production-outage"])
def test_a_blueprint_opens_with_its_words_readable_on_a_desktop(
    site: Path, browser, map_id: str, width: int
) -> None:
    """Fitted to the window's width (its legend beside it makes it wide), billing's blueprint
    opened at 50 % at 1280 px, its words 9 px tall. It opens with them at the site's 12 px
    floor, every stage and step in view and the legend a scroll sideways away; Fit still
    shows it whole."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((site / "diagrams" / f"{map_id}.blueprint.html").as_uri())
    assert page.evaluate(WORDS_PX) >= 11  # fitted down to 11 px, else at the floor
    view = page.locator("#diagram-view")
    assert view.evaluate("v => [v.scrollLeft, v.scrollTop]") == [0, 0]
    right = page.evaluate(PAST_THE_VIEW)
    assert right <= 0, f"the journey's shapes reach {right:.0f} px past the view's right"
    page.get_by_role("button", name="Fit").click()
    assert view.evaluate("v => v.scrollWidth <= v.clientWidth + 1 && v.scrollHeight <= v.clientHeight + 1")
    page.close()


#: Each KPI name shown with its metric id: the name's text, the id's text, and how each is set.
NAMED_IDS = """els => els.map((e) => {
  const id = e.querySelector(".metric-id") || e.querySelector("code");
  const look = (x) => { const s = getComputedStyle(x); return [parseFloat(s.fontSize), s.fontFamily, s.color]; };
  return {text: e.innerText, id: id && id.innerText, title: id && id.title, name: look(e), idLook: id && look(id)};
})"""


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("maps/billing-dispute.html", "table.kpi-table tbody th"),
        ("scorecard.html", "section[aria-labelledby=across] .metric-head"),
    ],
)
def test_a_kpi_reads_by_its_name_with_its_metric_id_small_beside_it(
    site: Path, browser, name: str, where: str
) -> None:
    """ "First contact resolution `fcr`": the metric id in code type, as large as the name,
    beside every KPI of the map's Measured table and every heading of the scorecard's Across
    journeys. A director reads the name; the id stays, small and grey as a finding's rule
    id is, with what it is in its title."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / name).as_uri())
    shown = page.locator(where).evaluate_all(NAMED_IDS)
    assert "fcr" in {s["id"] for s in shown}
    # "Billing dispute contacts", "CSAT of ..." already say their metric: no id beside them
    # (test_director_plain).
    for s in [s for s in shown if s["id"]]:
        (size, _, colour), (id_size, id_font, id_colour) = s["name"], s["idLook"]
        assert "monospace" not in id_font, s
        assert id_size < size and id_colour != colour, s
        assert s["title"].startswith(f"Metric {s['id']}"), s
        assert s["text"].endswith(s["id"]) and not s["text"].startswith(s["id"]), s
    page.close()


def test_an_evidence_entry_reads_as_words() -> None:
    import datetime as dt

    from journeymaps.model import Evidence
    from journeymaps.site.evidence_words import evidence_words

    def said(source: str, kind: str, ref: str | None) -> tuple[str, str | None]:
        e = Evidence(source, kind, ref, None, dt.date(2026, 11, 3), None, None)  # type: ignore[arg-type]
        w = evidence_words(e)
        return w.text, w.selector

    assert said("zendesk", "tickets", "tag:billing_dispute") == (
        "Support tickets from Zendesk tagged “billing dispute”",
        "tag:billing_dispute",
    )
    assert said("zendesk", "tickets", "tag:locked_out and not (channel:mail or group:identity)")[0] == (
        "Support tickets from Zendesk tagged “locked out” and not (received by mail or in group “identity”)"
    )
    # A ref that is no selector is a name to find the data by: as written, in parentheses.
    assert said("intercom", "transcript", "sample of 25") == (
        "Conversation transcripts from Intercom (sample of 25)",
        None,
    )
    assert said("customer interviews", "interview", None) == ("Customer interviews", None)
    assert said("PagerDuty", "analytics", None) == ("Analytics from PagerDuty", None)


def test_evidence_reads_in_words_with_its_selector_in_its_title(site: Path, browser) -> None:
    """The billing map's evidence read "tickets from zendesk (tag:billing_dispute)": the
    YAML's kind, source and selector as written. It reads "Support tickets from Zendesk tagged
    “billing dispute”", the selector kept in its title for the map's author (shown beside it,
    it was a query a director could not read: test_director_plain)."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    line = page.locator("#stage-contact ul.evidence li").first
    assert line.inner_text().startswith("Support tickets from Zendesk tagged “billing dispute”, as of")
    words = line.locator(".evidence-words")
    assert words.get_attribute("title") == "As the map selects it: tag:billing_dispute"
    assert "(tag:" not in page.inner_text("main")
    page.close()


def test_the_search_lists_evidence_in_the_words_of_the_page(site: Path, browser) -> None:
    """Searching "zendesk billing" listed "tickets from zendesk": the YAML's words, where the
    map page it leads to says "Support tickets from Zendesk"."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    page.locator("#search-input").fill("zendesk billing")
    page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
    found = page.locator("#search-results a").all_inner_texts()
    assert any("\nSupport tickets from Zendesk tagged “billing dispute”\n" in f for f in found), found
    assert not any("tickets from zendesk" in f for f in found), found
    page.close()


#: Each table's columns: its header and whether every row's cell in it is "—".
EMPTY_COLUMNS = """t => { const heads = [...t.tHead.rows[0].cells].map((c) => c.innerText);
  const rows = [...t.tBodies].filter((b) => !b.hidden).flatMap((b) => [...b.rows]);
  return heads.filter((_, i) => rows.length && rows.every((r) => r.cells[i].innerText.trim() === "—")); }"""


@pytest.fixture(scope="module")
def uncosted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples but the billing map (whose pain points set their own cost per contact),
    built without the `cost-per-contact` setting: no pain point has a cost of inaction."""
    import dataclasses
    import shutil

    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    tmp = tmp_path_factory.mktemp("uncosted")
    shutil.copytree(ROOT / "maps", tmp / "maps", ignore=shutil.ignore_patterns("billing-dispute.yaml"))
    settings = dataclasses.replace(load_settings(ROOT), cost_per_contact=None)
    build([tmp / "maps"], settings, ROOT, tmp / "site", today=TODAY)
    return tmp / "site"


@pytest.mark.parametrize("costed", [False, True], ids=["uncosted", "costed"])
def test_the_portfolio_shows_no_column_of_dashes(
    site: Path, uncosted_site: Path, browser, costed: bool
) -> None:
    """Uncosted, the portfolio's pain points had a "Cost of inaction / year" column of "—" in
    every row. The column is left out, and one note says why; costed, it stays."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(((site if costed else uncosted_site) / "portfolio.html").as_uri())
    table = page.locator("table#ranked-pains")
    heads = table.locator("thead th").all_inner_texts()
    assert ("Cost of inaction / year" in heads) is costed
    assert table.evaluate(EMPTY_COLUMNS) == []
    why = page.locator("section:has(#ranked-pains) p.note").all_inner_texts()
    if not costed:
        assert len(why) == 1 and why[0].startswith("No pain point has a cost of inaction yet"), why
    page.close()


@pytest.mark.parametrize("name", ["production-outage", "admin-locked-out", "billing-dispute"])
def test_a_map_s_pain_points_show_no_column_of_dashes(site: Path, browser, name: str) -> None:
    """The production outage's pain points had a "Revenue at risk / year" column of "—" in
    every row: none of them puts customers or revenue at risk."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / f"{name}.html").as_uri())
    table = page.locator("section:has(#pains) table.ranked")
    assert table.evaluate(EMPTY_COLUMNS) == []
    assert "Cost of inaction / year" in table.locator("thead th").all_inner_texts()
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_home_page_s_first_sheet_holds_two_rows_of_cards(site: Path, browser, paper: str) -> None:
    """Printed, the home page's first sheet held its title and one row of cards (two thirds
    of it), each card's figures a label over a value; the second row began a sheet of its own.
    Each figure is on one line now ("Stages 6"): the four example maps print on one sheet."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    sheets = text_runs_per_sheet(page.pdf(format=paper, prefer_css_page_size=True))
    assert len(sheets) == 1, sheets
    page.emulate_media(media="print")
    facts = page.locator(".cards > .card").first.locator(".facts > div")
    label, value = facts.first.locator("dt"), facts.first.locator("dd")
    assert label.bounding_box()["y"] == pytest.approx(value.bounding_box()["y"], abs=4)  # type: ignore[index]
    page.close()


def test_a_cause_in_another_map_reads_as_its_pain_point(site: Path, browser) -> None:
    """The production outage's "Asked again for logs" said "Caused by:
    admin-locked-out/repeat-information": a reference of the YAML. It names that pain point
    and its journey, and leads to it."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "production-outage.html").as_uri())
    told = page.locator("#pain-logs-asked-twice .pain-life")
    assert "admin-locked-out/" not in told.inner_text()
    assert "Caused by: The admin repeats details already given in the ticket form. in Admin locked out" in (
        told.inner_text()
    )
    told.get_by_role("link", name="The admin repeats details").click()
    assert page.url.endswith("/maps/admin-locked-out.html#pain-repeat-information")
    assert page.locator("#pain-repeat-information").is_visible()
    page.close()


def test_the_findings_page_lists_the_rules_with_warnings_before_those_with_notes(site: Path, browser) -> None:
    """By rule, the findings page began with nine "KPI off target" notes, in the order of the
    rules' codes; its three warnings came after them, out of sight of the first screen."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "findings.html").as_uri())
    worst = page.locator("section.rule").evaluate_all(
        "rs => rs.map(r => [...r.querySelectorAll('.findings .sev')].map(s => s.innerText.trim().toLowerCase()))"
    )
    ranks = [min({"error": 0, "warning": 1, "note": 2}.get(s, 2) for s in sevs) for sevs in worst if sevs]
    assert len(ranks) >= 3 and ranks == sorted(ranks), worst
    page.close()


def test_the_measured_numbers_name_their_source_as_the_evidence_does(site: Path, browser) -> None:
    """The billing map's Measured section said "From zendesk", the source's id, where its
    evidence says "Support tickets from Zendesk"."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    assert (
        page.locator("section.measured > p.meta").inner_text().startswith("Counted from Zendesk data, as of")
    )
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_each_open_opportunity_of_the_summary_has_its_owner_on_a_line_of_its_own(
    site: Path, browser, viewport: dict[str, int]
) -> None:
    """In the billing map's Open opportunities tile, "Finance · proposed" sat after the third
    title, on its line, where the first two had theirs on a line below: entries that did not
    line up."""
    page = browser.new_page(viewport=viewport)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    lefts = page.locator(".tile li:has(.who)").evaluate_all(
        "ls => ls.map(l => [l.querySelector('a').getClientRects()[0].left, l.querySelector('.who').getBoundingClientRect().left])"
    )
    assert len(lefts) == 3 and all(abs(title - who) < 1 for title, who in lefts), lefts
    page.close()


def test_a_rule_s_badge_is_coloured_by_its_findings_configured_severity(tmp_path: Path) -> None:
    """The findings page coloured each rule's count by the rule's default severity: a team
    that made "KPI off target" an error saw its errors counted in a note's grey badge."""
    import re
    import shutil

    from in_process import jm_here

    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    (tmp_path / "journeymaps.toml").write_text('[rules]\nkpi-off-target = "error"\n', "utf-8")
    result = jm_here(tmp_path, "build", "maps", "-o", "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "findings.html").read_text("utf-8")
    section = html[html.index('id="rule-kpi-off-target"') :]
    section = section[: section.index("</section>")]
    assert re.search(r'<span class="badge error">\d+</span>', section), section[:600]
    assert section.count('<li class="finding error">') >= 1


def test_the_home_page_says_what_it_all_costs_and_each_card_that_its_checks_pass(
    tmp_path_factory: pytest.TempPathFactory, site: Path, browser
) -> None:
    """ "Health: healthy" on the production outage's card, beside a $145,440 a year cost of
    inaction, read to a director as the journey being fine; it meant lint found nothing. The
    card says what it is, in the page's cards and in those the filters make alike."""
    import dataclasses

    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    assert page.locator("p.summary:not(.money-line)").inner_text().startswith("Map checks across all maps:")
    said = page.locator("p.money-line").inner_text()
    assert said.startswith("Cost of inaction across the current maps: $") and "See the Portfolio" in said
    outage = page.locator("li.card", has_text="Production API outage")
    assert outage.locator("dt", has_text="Checks").count() == 1
    assert outage.locator(".badge.ok").inner_text() == "all pass"
    assert "healthy" not in page.content()
    paged = tmp_path_factory.mktemp("paged") / "site"
    build(
        [ROOT / "maps"], dataclasses.replace(load_settings(ROOT), maps_per_page=2), ROOT, paged, today=TODAY
    )
    page.goto((paged / "index.html").as_uri())
    page.select_option("select[data-filter=team]", index=1)
    page.wait_for_selector("ul.cards[data-filtered] > li.card")  # made by site.js from cards.js
    made = page.locator("ul.cards[data-filtered] > li.card").first
    assert made.locator("dt", has_text="Checks").count() == 1
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_cost_by_team_says_why_its_rows_add_up_to_more_than_the_total(
    site: Path, browser, viewport: dict[str, int]
) -> None:
    """A director added up the by-team rows ($490,253) and read the headline ($425,453) as
    wrong: billing's two pain points felt on the same contacts are owned by two teams, and
    count in each row. The table now ends with the total, each pain point once, and says why
    its rows add up to more."""
    page = browser.new_page(viewport=viewport)
    page.goto((site / "portfolio.html").as_uri())
    table = page.locator("table.team-money")
    rows = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    rows_sum = sum(int(r.strip("$").replace(",", "")) for r in rows if r != "—")
    headline = page.locator(".money-summary .big").first.inner_text().split()[0]
    footer = table.locator("tfoot tr")
    assert footer.locator("th").inner_text() == "All teams, each pain point once"
    assert footer.locator("td").first.inner_text() == headline  # the headline, under the rows
    assert rows_sum > int(headline.strip("$").replace(",", ""))
    caption = table.locator("caption").inner_text()
    assert f"so the rows add up to more than the total (${rows_sum:,} against {headline})" in caption
    assert footer.is_visible()  # on a phone too: in the table's sideways scroll, not cut off


def test_a_map_without_handoffs_lists_none_among_its_jump_links(tmp_path: Path, browser) -> None:
    """A newcomer followed the map page's "Handoffs" jump link to a section saying only that
    there were none. A map that declares no handoffs leaves the link out; its section still
    says so, and that the case changes hands all the same where it does. A map with handoffs
    keeps the link."""
    import shutil

    from in_process import jm_here

    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    future = tmp_path / "maps" / "support" / "admin-locked-out-future.yaml"
    text = future.read_text("utf-8")
    declared = "handoffs:\n  - from: contact.prefilled-check\n    to: resolution.unlock\n    sla: 30m\n    context: carried\n"
    assert declared in text
    future.write_text(text.replace(declared, "", 1), "utf-8")
    built = jm_here(
        tmp_path, "build", "maps", "-o", "site", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    )
    assert built.returncode == 0, built.stderr
    page = browser.new_page()
    page.goto((tmp_path / "site" / "maps" / "admin-locked-out-future.html").as_uri())
    links = page.locator("nav.page-toc a:visible").all_inner_texts()
    assert "Handoffs" not in links and "Opportunities" in links, links
    said = page.locator("section", has=page.locator("h2#handoffs")).locator("p").inner_text()
    assert said == "No handoffs declared, though the case changes hands once on this journey: see Findings."
    page.goto((tmp_path / "site" / "maps" / "admin-locked-out.html").as_uri())  # it declares one
    assert "Handoffs" in page.locator("nav.page-toc a:visible").all_inner_texts()
    page.click("nav.page-toc a:text-is('Handoffs')")
    assert page.locator("section", has=page.locator("h2#handoffs")).locator("tbody tr").count() >= 1
    page.close()
