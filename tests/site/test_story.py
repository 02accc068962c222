"""What a support director sees and presents: the map canvas, the summary above it, people's
words instead of ids, and the filter, search, focus and print behaviour stakeholders rely on.
Every test drives Debian's Chromium over the site built from the example maps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_sites import pb_screenshot, pooled_browser, shared_pb_examples  # noqa: F401 - fixtures

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> Path:
    """The example maps' site, built once per test process (read-only)."""
    return pb_examples[0]


def visible(page, selector: str) -> int:  # type: ignore[no-untyped-def]
    return page.locator(f"{selector}:visible").count()


# --- the canvas ----------------------------------------------------------------------------

#: Every text of the canvas smaller than 12 px (text drawn in its SVG included).
SMALL_TEXT = """root => {
  const small = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest('title, desc')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12) small.push(`${size}px: ${node.textContent.trim().slice(0, 30)}`);
  }
  return small;
}"""


@pytest.mark.parametrize("map_id", EXAMPLES)
def test_the_canvas_fits_one_wide_screen_with_readable_text(
    site: Path, browser, screenshots: Path, map_id: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / f"{map_id}.html").as_uri())
    scroller = page.locator(".canvas-scroll")
    assert scroller.count() == 1
    # No sideways scrolling at 1440 px, for the page or inside the canvas.
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), map_id
    assert scroller.evaluate(SMALL_TEXT) == []
    stages = page.locator(".canvas .stage-head")
    assert stages.count() == page.locator("ol.stages > li.stage").count()
    assert page.locator(".canvas").is_visible()  # what its screenshot waited for
    pb_screenshot(page.locator(".canvas"), screenshots, f"canvas-desktop-{map_id}.png")
    page.close()


def test_the_canvas_on_a_phone_scrolls_sideways_with_readable_text(site: Path, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page does not
    scroller = page.locator(".canvas-scroll")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # the canvas does
    assert scroller.evaluate(SMALL_TEXT) == []
    assert page.get_by_text("Scroll the canvas sideways to follow the journey.").is_visible()
    page.close()


def _centres(page, selector: str) -> list[float]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        selector, "els => els.map(e => { const r = e.getBoundingClientRect(); return r.x + r.width / 2; })"
    )


@pytest.mark.parametrize("width", [1440, 1000])
def test_curve_points_sit_exactly_under_their_steps(site: Path, browser, width: int) -> None:
    """At step resolution: each step with an emotion has a point, centred on its column
    (at any width: the canvas scrolls rather than squeezing the columns apart)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    cards = dict(
        zip(
            page.eval_on_selector_all(".canvas .step-card a", "els => els.map(e => e.textContent)"),
            _centres(page, ".canvas .step-card"),
            strict=True,
        )
    )
    points = page.eval_on_selector_all(
        ".canvas-curve circle.point",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.querySelector('title').textContent, r.x + r.width / 2]; })",
    )
    named = {title.split(":")[0]: x for title, x in points}
    # Both -3 steps are on the curve, not averaged away into their stages.
    assert "Requests a password reset email" in named and "Agent sends the password-reset macro" in named
    for name, x in named.items():
        # A card is inset a few pixels in its column: the column centre is the card's.
        assert abs(cards[name] - x) <= 1.5, (name, cards[name], x)
    page.close()


def test_a_branch_is_its_own_dashed_line_and_peak_and_end_follow_the_main_path(site: Path, browser) -> None:
    """billing-dispute: the journey ends at Resolution; Chargeback is a branch off Contact
    support. The solid line must not run Resolution -> Chargeback, and the end is Resolution's."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    point = {
        t.split(":")[0]: (x, y)
        for t, x, y in page.eval_on_selector_all(
            ".canvas-curve circle.point",
            "els => els.map(e => [e.querySelector('title').textContent, e.cx.baseVal.valueInSpecifiedUnits, e.cy.baseVal.value])",
        )
    }
    main = page.eval_on_selector_all(
        ".canvas-curve line.main",
        "els => els.map(e => [e.x1.baseVal.valueInSpecifiedUnits, e.x2.baseVal.valueInSpecifiedUnits])",
    )
    branch = page.eval_on_selector_all(
        ".canvas-curve line.branch",
        "els => els.map(e => [e.x1.baseVal.valueInSpecifiedUnits, e.x2.baseVal.valueInSpecifiedUnits, getComputedStyle(e).strokeDasharray])",
    )
    refund, bank = point["Refund confirmation email"], point["Opens a dispute with the bank"]
    assert [refund[0], bank[0]] not in main and [bank[0], refund[0]] not in main
    assert any(b[1] == bank[0] and b[2] not in ("none", "") for b in branch)  # dashed, into the chargeback
    end = page.locator(".canvas-curve circle.end title").text_content() or ""
    peak = page.locator(".canvas-curve circle.peak title").text_content() or ""
    assert end.startswith("Refund confirmation email") and peak.startswith("Finance asks the customer")
    labels = page.eval_on_selector_all(".canvas-curve text.value", "els => els.map(e => e.textContent)")
    assert sum("end" in t for t in labels) == 1 and sum("worst" in t for t in labels) == 1
    # "-3 peak" read as the best moment to a director who does not know the peak-end rule
    assert not any("peak" in t or "best" in t for t in labels)
    assert "the journey's most intense moment (its peak)" in peak
    assert page.locator(".canvas .stage-head.off-path").inner_text().count("Chargeback") == 1
    page.close()


def test_pain_points_are_marked_on_the_curve_and_listed_under_their_stage(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    marks = page.locator(".canvas-curve .pain-mark").count()
    assert marks == 5  # every pain point of the map
    cells = page.locator(".canvas .cell.pains")
    assert "Reset emails land in spam" in cells.all_inner_texts()[0] + cells.all_inner_texts()[1]
    # Under its stage: the cell spans the stage's columns, as the stage header does.
    head = page.locator(
        ".canvas .stage-head", has=page.locator(".stage-name", has_text="Self-service attempt")
    ).bounding_box()
    cell = page.locator(".canvas .cell.pains", has_text="Reset emails land in spam").bounding_box()
    assert head and cell and abs(head["x"] - cell["x"]) <= 4 and abs(head["width"] - cell["width"]) <= 4
    page.close()


def test_the_canvas_shows_whole_and_wide_maps_scroll_sideways_row_labels_in_view(site: Path, browser) -> None:
    """On the map page the canvas is shown whole (a director presents it; it used to be held
    to one screen high, scrolling inside a box), and a wide one scrolls sideways, by mouse or
    keyboard, with each row's label kept in view."""
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    scroller = page.locator(".canvas-scroll")
    assert scroller.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # whole: nothing hidden below
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than the screen: it scrolls
    assert scroller.get_attribute("tabindex") == "0"  # and the keyboard can scroll it
    scroller.evaluate("e => { e.scrollIntoView(); e.scrollLeft = 300; }")
    frame = scroller.bounding_box()
    label = page.locator(".canvas .row-label").first.bounding_box()
    assert frame and label and abs(label["x"] - frame["x"]) <= 2
    page.close()


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)]


@pytest.mark.parametrize("map_id", EXAMPLES)
def test_the_canvas_prints_on_one_landscape_page(site: Path, browser, map_id: str) -> None:
    """A3 and Tabloid as they are; A4 and Letter scaled (the print dialog's "scale" or "fit")."""
    page = browser.new_page()
    page.goto((site / "maps" / f"{map_id}.canvas.html").as_uri())
    for paper, scale in (("A3", 1.0), ("Tabloid", 1.0), ("A4", 0.7), ("Letter", 0.7)):
        pdf = page.pdf(format=paper, landscape=True, scale=scale, print_background=True)
        pages = _pages(pdf)
        assert len(pages) == 1, (map_id, paper, len(pages))
        assert pages[0][0] > pages[0][1]  # landscape
    page.emulate_media(media="print")
    assert page.locator(".canvas .stage-head").count() >= 4
    assert not page.locator(".site-header nav").is_visible()
    page.close()


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_printed_map_page_keeps_the_canvas_on_one_sheet_and_cuts_no_card(
    site: Path, browser, paper: str
) -> None:
    """Printing billing-dispute on Letter cut the Open opportunities card ("Customer Support
    (Tier 1) · in-progr") and split the canvas over two sheets."""
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    sheets = ["landscape" if w > h else "portrait" for w, h in _pages(page.pdf(format=paper))]
    first = sheets.index("landscape")
    # The canvas: one sheet, then each of the two diagrams on one of its own (printed right
    # after the canvas, so that the landscape sheets do not break the portrait sections).
    assert sheets[first : first + 4] == ["landscape"] * 3 + ["portrait"], sheets
    assert sheets.count("landscape") == 3, sheets
    # The summary cards as laid out on the paper's width (portrait, 12 mm margins).
    width = {"Letter": 8.5 * 96, "A4": 210 / 25.4 * 96}[paper] - 2 * 12 / 25.4 * 96
    page.set_viewport_size({"width": int(width), "height": 1000})
    page.emulate_media(media="print")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.summary .tile')].flatMap(tile => {
             const edge = tile.getBoundingClientRect().right;
             return [...tile.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > edge + 0.5)
               .map(e => e.textContent.trim().slice(0, 40));
           })"""
    )
    assert cut == [], cut
    page.close()


def test_the_map_page_opens_with_a_one_screen_summary_and_contents(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    summary = page.locator(".summary")
    box = summary.bounding_box()
    assert box and box["y"] + box["height"] <= DESKTOP["height"]  # one screen, with the title
    text = summary.inner_text()
    for expected in (
        "Account owner",
        "Understand the charge and get a refund date they can rely on.",
        "Worst",
        "Finance asks the customer for the contract again",
        "End",
        "Refund confirmation email",  # the journey's end, not the chargeback branch
        # The total cost of inaction a year, from the volumes measured in the examples' data
        # (examples/metrics): the true-up pain point's 310 declared contacts are ~28 measured.
        "$71,069",
        "Seat true-ups appear on the invoice with no warning email. $3,989/year",
        "Finance · planned",
        "Reviewed 10 Nov 2026 (12 days ago)",
    ):
        assert expected in text, expected
    toc = page.get_by_role("navigation", name="On this page")
    for link in toc.locator("a").all():
        target = link.get_attribute("href") or ""
        assert page.locator(target).count() == 1, target
    page.close()


# --- people's words, not ids --------------------------------------------------------------


def _ids(site_root: Path) -> set[str]:
    """Every internal reference a person should never read: stage.step refs, pain and
    opportunity ids, team ids that are not words."""
    from journeymaps.lint import lint

    report = lint([ROOT / "maps"], load_settings(ROOT), TODAY, ROOT)
    assert report.project is not None
    found: set[str] = set()
    for m in report.project.maps:
        found |= {st.ref for st in m.steps()}
        found |= {p.id for p in m.pain_points} | {o.id for o in m.opportunities}
    found |= {t for t in (report.project.teams or {}) if "-" in t}  # tier-2
    return found


@pytest.mark.parametrize(
    "name",
    [
        "maps/admin-locked-out.html",
        "maps/billing-dispute.html",
        "portfolio.html",
        "teams.html",
        "index.html",
        "maps/billing-dispute.canvas.html",
    ],
)
def test_pages_say_names_not_ids(site: Path, browser, name: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / name).as_uri())
    # What a person reads: the page's text, and the options of its filters.
    text = page.locator("main").inner_text() + "\n" + "\n".join(page.locator("main option").all_inner_texts())
    shown = sorted(i for i in _ids(site) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
    assert shown == [], name
    page.close()


@pytest.mark.parametrize(
    ("name", "where"), [("changes.html", "main"), ("maps/billing-dispute.html", "section:has(#map-changed)")]
)
def test_what_changed_says_names_not_ids(quarter: Path, browser, name: str, where: str) -> None:
    """The What changed page and a map's section of it said "resolved by invoice-pdf-attached",
    "at review", "support → finance" and gave authors' setup hints to stakeholders."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((quarter / "site" / name).as_uri())
    text = page.locator(where).inner_text()
    assert "Pain points resolved" in text  # the section is there
    shown = sorted(i for i in _ids(quarter) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
    assert shown == [], name
    for said in (" at review", "chargeback)", "finance-review", "support → finance", "kpi: {name, target}"):
        assert said not in text, said
    assert "by “Attaching the invoice PDF to the invoice email”" in text
    assert "did not have.” at “Invoice review”" in text
    assert "Customer Support (Tier 1) → Finance" in text
    assert "no KPI named to check it against" in text
    page.close()


def test_cost_of_inaction_is_never_a_setup_hint_in_a_row(site: Path, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    costs = page.locator("table.ranked td:nth-last-child(2)").all_inner_texts()  # then revenue at risk
    assert costs and all(c.startswith("$") for c in costs), costs  # the examples set cost-per-contact
    # A project without the setting: said once on the page, never in the rows.
    project = tmp_path / "p"
    (project / "maps").mkdir(parents=True)
    text = (ROOT / "maps" / "support" / "admin-locked-out.yaml").read_text("utf-8")
    (project / "maps" / "m.yaml").write_text(
        text.replace("persona: workspace-admin\n", "persona: {name: Admin}\n")
    )
    (project / "maps" / "teams.yaml").write_text((ROOT / "maps" / "teams.yaml").read_text("utf-8"))
    build([project / "maps"], load_settings(project), project, project / "site", today=TODAY)
    page.goto((project / "site" / "maps" / "admin-locked-out.html").as_uri())
    body = page.locator("main").inner_text()
    assert body.count("cost-per-contact") == 1
    assert "set cost-per-contact" not in " ".join(page.locator("table.ranked td").all_inner_texts())
    page.close()


# --- filters ----------------------------------------------------------------------------------


def test_back_from_a_map_shows_the_maps_the_filter_says(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    page.select_option("select[data-filter=team]", "finance")
    assert visible(page, ".cards > .card") == 1
    page.locator(".cards > .card:visible a").first.click()
    page.wait_for_url("**/maps/billing-dispute.html")
    page.go_back()
    page.wait_for_url("**/index.html*")
    assert page.locator("select[data-filter=team]").input_value() == "finance"
    assert visible(page, ".cards > .card") == 1
    assert page.locator("[data-count]").inner_text() == "1"
    page.close()


def test_filters_live_in_the_url(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    page.select_option("select[data-filter=state]", "future")
    assert "state=future" in page.url
    link = page.url
    other = browser.new_page(viewport=DESKTOP)
    other.goto(link)  # a link someone shared
    assert other.locator("select[data-filter=state]").input_value() == "future"
    assert visible(other, ".cards > .card") == 1
    other.close()
    page.select_option("select[data-filter=state]", "")
    assert "state=" not in page.url
    page.close()


def test_the_portfolio_team_filter_filters_the_pain_ranking(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "portfolio.html").as_uri())
    rows = "table.ranked tbody tr"
    everyone = visible(page, rows)
    page.select_option("select[data-filter=team]", "finance")
    assert 0 < visible(page, rows) < everyone
    shown = " ".join(page.locator(f"{rows}:visible").all_inner_texts())
    assert "Seat true-ups" in shown and "Reset emails land in spam" not in shown
    assert "Finance" in page.locator("select[data-filter=team] option:checked").inner_text()
    page.close()


# --- search ------------------------------------------------------------------------------------


def test_search_results_say_their_map_and_lead_to_the_step(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    page.locator("#search-input").fill("password-reset macro")
    first = page.locator("#search-results a").first
    assert "Admin locked out of their account" in first.inner_text()
    first.click()
    page.wait_for_url("**/maps/admin-locked-out.html#step-contact.macro-reply")
    assert page.evaluate(
        "document.getElementById(decodeURIComponent(location.hash.slice(1))).textContent.trim()"
    ).startswith("Agent sends the password-reset macro")
    page.close()


def test_evidence_can_be_found(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    page.locator("#search-input").fill("Q3 billing interviews")
    # The index arrives after the typing (its list of shards, the shards, the entries shown).
    page.locator("#search-results a", has_text="Unexpected charge on the monthly invoice").first.wait_for()
    results = page.locator("#search-results a").all_inner_texts()
    assert any(
        "evidence" in r.lower() and "Unexpected charge on the monthly invoice" in r for r in results
    ), results
    page.close()


# --- accessibility and print ---------------------------------------------------------------------

RING_CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    const [r, g, b] = rgb(c); return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bg = null;
  for (let e = el.parentElement; e && !bg; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (!/rgba\\(0, 0, 0, 0\\)|transparent/.test(c)) bg = c;
  }
  bg = bg || 'rgb(255, 255, 255)';
  const ring = getComputedStyle(el).outlineColor;
  const [hi, lo] = [lum(ring), lum(bg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


def test_the_focus_ring_stands_out(site: Path, browser) -> None:
    """WCAG 2.2 focus appearance: at least 3:1 against what surrounds it, in the header and
    in the page."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name, in the dark header
    assert page.evaluate("document.activeElement.className") == "brand"
    assert page.evaluate(f"({RING_CONTRAST})(document.activeElement)") >= 3
    link = page.locator("main a").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused by keyboard: :focus-visible applies
    assert page.evaluate(f"({RING_CONTRAST})(document.activeElement)") >= 3
    page.close()


def test_tables_on_a_phone_scroll_visibly_and_by_keyboard(site: Path, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    # The maps' and the portfolio's tables are cards on a phone since (test_director_presents):
    # the format page's tables of keys are the ones still wider than a phone.
    for name in ("format.html",):
        page.goto((site / name).as_uri())
        wide = page.eval_on_selector_all(
            "main table:not(.steps)",
            "ts => ts.filter(t => t.scrollWidth > t.parentElement.clientWidth + 1 || t.scrollWidth > t.clientWidth + 1)"
            ".map(t => { const w = t.closest('[tabindex]');"
            " return [t.className, !!w && w.getAttribute('tabindex') === '0' && !!w.getAttribute('aria-label'),"
            " w ? getComputedStyle(w, '::before').content : '']; })",
        )
        assert wide, name  # the phone is narrower than these tables
        for cls, focusable, hint in wide:
            assert focusable, (name, cls)
            assert "Scroll sideways" in hint, (name, cls)
    page.close()


def test_print_uses_the_paper_in_the_printer(site: Path, browser) -> None:
    """Letter stays Letter (the stylesheet once forced A4), and captions do not ask to select."""
    page = browser.new_page()
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    pdf = page.pdf(format="Letter", prefer_css_page_size=True)
    assert _pages(pdf)[0] == (612.0, 792.0)
    page.emulate_media(media="print")
    printed = page.locator("main").inner_text().lower()
    assert "select to open" not in printed and "open it full size" not in printed
    page.close()


# --- diagrams full size ------------------------------------------------------------------------


def test_a_diagram_opens_full_size_in_the_site_with_zoom_and_pan(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    page.locator("figure.diagram a").first.click()
    page.wait_for_url("**/diagrams/admin-locked-out.journey.html")
    assert page.locator("header nav").count() == 1  # inside the site frame
    assert page.get_by_role("link", name="Back to Admin locked out of their account").count() == 1
    svg = page.locator("#diagram-view svg")
    view = page.locator("#diagram-view")
    width = svg.evaluate("s => s.getBoundingClientRect().width")
    view.focus()
    for _ in range(3):
        page.keyboard.press("+")
    assert svg.evaluate("s => s.getBoundingClientRect().width") > width * 1.9
    view.evaluate("v => { v.scrollLeft = 0; v.scrollTop = 0; }")  # from the left edge: room to move
    before = view.evaluate("v => v.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # The keyboard pans: Chromium animates a key's scroll, so wait for it to move (read at
    # once, it was still 0 in a clean CI run on a busy machine).
    view.evaluate(
        "(v, before) => new Promise((done) => { const t = Date.now(); (function look() { if (v.scrollLeft > before || Date.now() - t > 5000) done(); else requestAnimationFrame(look); })(); })",
        before,
    )
    assert view.evaluate("v => v.scrollLeft") > before
    box = view.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 200, box["y"] + box["height"] / 2 - 100, steps=4)
    page.mouse.up()
    assert view.evaluate("v => v.scrollLeft") > before + 150  # and so does dragging
    page.keyboard.press("0")  # fit: the whole diagram in the window
    fitted = svg.bounding_box()
    assert fitted and fitted["width"] <= box["width"] + 1 and fitted["height"] <= box["height"] + 1
    page.locator('#diagram-view g.node[id$="-title"] a text').first.click()  # a stage's title
    assert "/maps/admin-locked-out.html#stage-" in page.url
    page.close()


def test_the_canvas_row_labels_stay_in_their_column_on_a_phone(site: Path, browser) -> None:
    """At 390 px "Opportunities" ran out of its label column into the first cell's text."""
    page = browser.new_page(viewport=PHONE)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    spilled = page.locator(".canvas .row-label").evaluate_all(
        "labels => labels.filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)"
    )
    assert spilled == []
    label = page.locator(".canvas .row-label", has_text="Opportu").bounding_box()
    cell = page.locator(".canvas .cell.opportunities").first.bounding_box()
    assert label and cell and label["x"] + label["width"] <= cell["x"] + 0.5
    page.close()


#: Each word of the canvas's cards and cells that is split over two lines ("somethin/g").
SPLIT_WORDS = """root => {
  const split = [];
  for (const el of root.querySelectorAll('.step-card, .cell')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


def test_a_wide_canvas_keeps_whole_words_and_scrolls_sideways(
    tmp_path: Path, browser, screenshots: Path
) -> None:
    """Six stages of fifteen long-named steps broke words mid-word ("somethin/g")."""
    stages = []
    for s in range(6):
        steps = "".join(
            f"      - {{id: t{n}, name: Step {n} where the customer does something, lane: frontstage,"
            f" does: The customer does a fairly long thing here., emotion: {n % 5 - 2}}}\n"
            for n in range(s * 3, s * 3 + (3 if s < 5 else 0))
        )
        stages.append(
            f"  - id: s{s}\n    name: Stage number {s} with a longer name\n    owner: support\n"
            "    evidence: [{source: zendesk, kind: tickets}]\n" + (f"    steps:\n{steps}" if steps else "")
        )
    project = tmp_path / "p"
    (project / "maps").mkdir(parents=True)
    (project / "maps" / "wide.yaml").write_text(
        "id: wide\ntitle: Fifteen steps\nowner: support\nreviewed: 2026-11-20\npersona: {name: P}\n"
        "stages:\n" + "".join(stages)
    )
    build([project / "maps"], load_settings(project), project, project / "site", today=TODAY)
    page = browser.new_page(viewport=DESKTOP)
    page.goto((project / "site" / "maps" / "wide.html").as_uri())
    scroller = page.locator(".canvas-scroll")
    assert page.locator(".canvas .step-card").count() == 15
    assert scroller.evaluate(SPLIT_WORDS) == []
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls sideways instead
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]  # the page does not
    assert scroller.is_visible()  # what its screenshot waited for
    pb_screenshot(scroller, screenshots, "canvas-wide-1440.png")
    page.close()
