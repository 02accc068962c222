"""The example site as a support director reads, presents and prints it: the canvas whole on
the map page, the map's own fields and statuses in words, every column of a table readable on
a phone, the curve's labels clear of its lines, and no sheet of a printed map left near empty."""

from __future__ import annotations

import base64
import statistics
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures
from test_presenting import glyphs_per_sheet, sheet_texts

EXAMPLES = ["admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


@pytest.mark.parametrize("name", ["billing-dispute", "admin-locked-out"])
def test_the_map_page_shows_its_canvas_whole(site: Path, browser, name: str) -> None:
    """The canvas's frame was held to one screen high: the billing canvas (1,359 px) showed
    782 px of it at 1280 x 800 and scrolled the rest inside a box, the KPIs out of sight."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((site / "maps" / f"{name}.html").as_uri())
    frame = page.locator(".canvas-scroll")
    height, whole = frame.evaluate("e => [e.clientHeight, e.scrollHeight]")
    assert height >= whole > 800, (height, whole)
    kpis = page.locator(".canvas .cell.kpis").last.bounding_box()
    box = frame.bounding_box()
    assert kpis and box and kpis["y"] + kpis["height"] <= box["y"] + box["height"] + 1
    page.close()


def test_a_map_s_own_field_is_labelled_in_words() -> None:
    from journeymaps.site.words import field_label

    assert field_label("x-sla-tier") == "SLA tier"  # was "Sla tier"
    assert field_label("x-csat-target") == "CSAT target"
    assert field_label("x-ticket-id") == "Ticket ID"
    assert field_label("x-Q3-goal") == "Q3 goal"  # capitals as written
    assert field_label("x-slack") == "Slack"  # a word, not the abbreviation in it
    assert field_label("x-jira") == "Jira"
    assert field_label("x-cost_centre") == "Cost centre"
    assert field_label("x-") == "x-"  # nothing after the prefix: the key as written


def test_a_map_s_own_field_shows_a_label_not_its_yaml_key(site: Path, browser) -> None:
    """The billing map's `x-jira: BILL-214` showed as "x-jira" over "BILL-214": a key of the
    file, not a word for a reader."""
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    fields = page.locator("dl.extras > div").evaluate_all(
        "ds => ds.map(d => [d.querySelector('dt').innerText, d.querySelector('dd').innerText])"
    )
    assert fields == [["Jira", "BILL-214"]]
    assert "x-jira" not in page.inner_text("main")
    page.close()


def test_a_status_reads_as_words() -> None:
    from journeymaps.site.words import state_words

    assert state_words("in-progress") == "in progress"
    assert state_words("shipped") == "shipped"


@pytest.mark.parametrize(
    "name", ["maps/billing-dispute.html", "maps/billing-dispute.canvas.html", "portfolio.html"]
)
def test_an_opportunity_in_progress_says_so_in_words(site: Path, browser, name: str) -> None:
    """ "Status: in-progress" (the YAML value) where the page says everything else in words."""
    page = browser.new_page()
    page.goto((site / name).as_uri())
    text = page.inner_text("main")
    assert "in-progress" not in text
    assert "in progress" in text
    if name == "maps/billing-dispute.html":
        assert "Status: in progress" in text
    page.close()


def test_an_opportunity_in_progress_says_so_on_a_page_the_filter_makes(tmp_path: Path, browser) -> None:
    """A cell of the matrix in pages: the rows the team filter makes come from a script."""
    import dataclasses

    from conftest import ROOT, TODAY
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    out = tmp_path / "site"
    settings = dataclasses.replace(load_settings(ROOT), rows_per_page=1)
    build([ROOT / "maps"], settings, ROOT, out, today=TODAY)
    scripts = "".join(p.read_text() for p in out.rglob("*.js") if "opportunit" in str(p.parent))
    assert "in progress" in scripts and "in-progress" not in scripts


#: Each table of a page that scrolls sideways: scrolled to its end, whether its last column
#: is inside the frame and whether each row's name (its row header) still is.
SCROLLED_TO_THE_END = """ws => ws.filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)
  .map(w => {
    w.scrollLeft = w.scrollWidth;
    const frame = w.getBoundingClientRect(), heads = [...w.querySelectorAll("thead th")];
    const last = heads[heads.length - 1].getBoundingClientRect();
    const named = [...w.querySelectorAll("tbody tr")].filter(r => r.offsetParent !== null).map(r => {
      const th = r.querySelector("th[scope=row]");
      if (!th) return true;
      const box = th.getBoundingClientRect();
      return box.left >= frame.left - 1 && box.right <= frame.right + 1 && box.width > 0;
    });
    return [w.getAttribute("aria-label"), last.right <= frame.right + 1, named.every(Boolean)];
  })"""


@pytest.mark.parametrize("name", ["format.html"])
def test_on_a_phone_every_column_is_read_beside_its_row_s_name(site: Path, browser, name: str) -> None:
    """At 390 px the scorecard's KPI tables showed KPI, current and target, and the status
    column cut at the frame's edge; scrolled to read it, the KPI it belongs to had gone
    off the left. Each row's name now stays while the other columns scroll (the scorecard's
    KPIs are cards on a phone since, and the ranked pain points, the handoffs and channel
    switches too: the format page's tables of keys are the ones left to scroll there, see
    test_director_presents)."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto((site / name).as_uri())
    tables = page.locator(".table-wrap").evaluate_all(SCROLLED_TO_THE_END)
    assert tables, name  # the case in point: tables wider than a phone
    assert all(last and named for _, last, named in tables), tables
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


#: Each table's frame: its name for a screen reader, and whether it is wider than its frame.
REGIONS = """ws => ws.filter(w => w.offsetParent !== null)
  .map(w => [w.getAttribute("aria-label"), w.scrollWidth > w.clientWidth + 1])"""


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
@pytest.mark.parametrize("name", ["scorecard.html", "portfolio.html", "maps/billing-dispute.html"])
def test_a_table_says_it_scrolls_sideways_only_when_it_does(
    site: Path, browser, name: str, width: int
) -> None:
    """On a phone the scorecard's KPIs are cards, none wider than the screen, yet a screen
    reader still announced "KPIs owned by Finance (scrolls sideways)"; at 1280 px every
    table fits and every one said so. Only a table wider than its frame says it scrolls."""
    page = browser.new_page(viewport={**PHONE, "width": width}, is_mobile=width < 500)
    page.goto((site / name).as_uri())
    regions = page.locator(".table-wrap").evaluate_all(REGIONS)
    assert regions, name
    for label, scrolls in regions:
        assert ("(scrolls sideways)" in label) == scrolls, (width, label)
    if name == "scorecard.html" and width == PHONE["width"]:
        assert "KPIs owned by Finance" in [label for label, _ in regions]
    page.close()


@pytest.mark.parametrize("name", ["billing-dispute", "production-outage"])
def test_on_a_phone_the_canvas_rows_keep_their_names_to_the_last_step(site: Path, browser, name: str) -> None:
    """At 390 px the canvas scrolls sideways under its row names ("Customer actions",
    "Frontstage"...); past the first ~250 px the names slid off to the left with the steps
    ("ntstage", "ckstage"), the grid as wide as its box held them in it."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto((site / "maps" / f"{name}.html").as_uri())
    frame = page.locator(".canvas-scroll")
    left, scrolled = frame.evaluate(
        "e => { e.scrollLeft = e.scrollWidth; return [e.getBoundingClientRect().left + e.clientLeft, e.scrollLeft]; }"
    )
    assert scrolled > 300, scrolled  # the case in point: a canvas much wider than a phone
    names = page.locator(".canvas .row-label").evaluate_all(
        "ls => ls.map(l => [l.textContent.trim(), l.getBoundingClientRect().left])"
    )
    assert len(names) >= 6, names
    assert all(abs(x - left) <= 1 for _, x in names), (left, names)
    page.close()


#: A screenshot's pixels of a line's dark blue (#0b3a5d): blue well above red.
LINE_PIXELS = """async (png) => {
  const img = new Image(); img.src = "data:image/png;base64," + png; await img.decode();
  const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
  const g = c.getContext("2d"); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 2] - d[i] > 40 && d[i + 2] > 60) n++;
  return n;
}"""


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_line_of_the_curve_runs_through_a_point_s_label(site: Path, browser, name: str) -> None:
    """The billing curve's branch (dashed, from "-1" to its end at "-3") ran through the
    words "-3 peak", and the admin lockout's main line through "-3 peak ★ moment of truth"."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "maps" / f"{name}.html").as_uri())
    labels = page.locator(".canvas-curve text.value")
    crossed = []
    for i in range(labels.count()):
        label = labels.nth(i)
        label.scroll_into_view_if_needed()
        box = label.bounding_box()  # the words and their halo: 2 px in is the words
        assert box
        words = {"x": box["x"] + 2, "y": box["y"] + 2, "width": box["width"] - 4, "height": box["height"] - 4}
        png = base64.b64encode(page.screenshot(clip=words)).decode()
        if page.evaluate(LINE_PIXELS, png):
            crossed.append(label.text_content())
    assert crossed == []
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_printed_map_fills_its_sheets(site: Path, browser, name: str, paper: str) -> None:
    """Each stage and section was kept whole: one that did not fit what was left of a sheet
    began the next, and the billing map printed 14 sheets, one holding its first stage alone
    (213 runs of text where a sheet holds 600 or more), one "Resolved" alone (144); the
    diagrams' landscape sheets, last, left the lines before them alone on a sheet."""
    page = browser.new_page()
    page.goto((site / "maps" / f"{name}.html").as_uri())
    runs = glyphs_per_sheet(page.pdf(format=paper, prefer_css_page_size=True))
    usual = statistics.median(runs)
    assert all(r >= usual / 3 for r in runs[:-1]), runs  # the last sheet may hold a line or two
    page.close()


#: Sheets the example maps' pages print on (A4 and Letter alike), at most: on A4 the lockout
#: map printed 14, its tables' text larger than the text around them, three sheets a quarter
#: empty; the billing map 11 (13 on Letter).
SHEETS = {"admin-locked-out": 12, "billing-dispute": 10}


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", sorted(SHEETS))
def test_a_printed_map_takes_no_more_sheets_than_it_needs(site: Path, browser, name: str, paper: str) -> None:
    """A director handing a map out counts its sheets: the lockout map ran to 14 A4 sheets.
    On paper, what the screen sizes in rem (a table's text at .95rem) printed larger than the
    10.5 pt text around it; an opportunity's card kept the screen's air."""
    page = browser.new_page()
    page.goto((site / "maps" / f"{name}.html").as_uri())
    sheets = len(sheet_texts(page.pdf(format=paper, prefer_css_page_size=True)))
    assert sheets <= SHEETS[name], sheets
    page.emulate_media(media="print")
    body, cell = page.evaluate(
        "[document.body, document.querySelector('table.steps td')].map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert cell <= body, (cell, body)  # a table's text no larger than the sheet's
    page.close()


#: Each text of a curve that another overlaps, or that runs past the curve's edge: [one, other].
LABELS_CLASHING = """svg => {
  const frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].filter(t => t.textContent.trim());
  const boxes = texts.map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
  const clash = [];
  boxes.forEach(([a, r], i) => {
    if (r.left < frame.left - 1 || r.right > frame.right + 1) clash.push([a, "past the edge"]);
    boxes.slice(i + 1).forEach(([b, s]) => {
      const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (x > 1 && y > 1) clash.push([a, b]);
    });
  });
  return clash;
}"""


@pytest.mark.parametrize("width", [1366, 1280, 390])
@pytest.mark.parametrize("page_name", ["{}.html", "{}.canvas.html"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_label_of_the_curve_covers_another(
    site: Path, browser, name: str, page_name: str, width: int
) -> None:
    """The future-state lockout's branch rejoins the path at its end: its label, set left of
    where the branch ends, ran under "+3 peak end ✦ wow" and showed as "branch: still locked
    (SSO-enforced w". On a phone, where a column is 90 px wide, "+3 peak end ✦ wow" centred
    on the last one was cut at the curve's right edge ("+3 peak end ✦ wo")."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "maps" / page_name.format(name)).as_uri())
    assert page.locator(".canvas-curve").first.evaluate(LABELS_CLASHING) == []
    page.close()


def text_bottom_per_sheet(pdf: bytes, margin_mm: float = 12) -> list[float]:
    """How far down each sheet of a PDF that Chromium printed its text goes, as a share of
    the sheet's height inside the site's margins (``@page { margin: 12mm }``): the baseline
    of the lowest text. Chromium writes text positions in CSS pixels from the top of the
    document's flow, each sheet a page-height further down; portrait sheets of one size."""
    import re

    box = re.search(rb"/MediaBox \[0 0 [\d.]+ ([\d.]+)\]", pdf)
    assert box
    high = float(box.group(1)) / 0.75 - 2 * margin_mm / 25.4 * 96  # points -> CSS px, less margins
    filled = []
    for i, text in enumerate(sheet_texts(pdf)):
        ys = [float(y) for y in re.findall(rb"1 0 0 -1 [-\d.]+ ([-\d.]+) Tm", text)]
        filled.append(round((max(ys) - i * high) / high, 2) if ys else 0.0)
    return filled


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", ["portfolio", "scorecard", "personas", "teams", "findings", "changes"])
def test_a_printed_overview_fills_its_sheets(site: Path, browser, name: str, paper: str) -> None:
    """A section was kept whole on paper: one longer than what was left of a sheet began the
    next. The portfolio printed three sheets in a row filled to 77, 61 and 64 % on A4 (its
    summary, then its matrix, then its ranked pain points each began a sheet), the scorecard on
    Letter a sheet filled to 24 % ("Across journeys" went to the next), the personas page on
    Letter a first sheet filled to 60 %. (On Letter the portfolio's summary fills 73 %: the
    matrix's heading and first row need more than what is left, and start the next sheet.)"""
    page = browser.new_page()
    page.goto((site / f"{name}.html").as_uri())
    filled = text_bottom_per_sheet(page.pdf(format=paper, prefer_css_page_size=True))
    assert all(f >= 0.7 for f in filled[:-1]), filled  # the last sheet holds what is left
    page.close()


def test_the_teams_are_listed_by_name(site: Path, browser) -> None:
    """The teams page listed the teams by their ids in teams.yaml: "Engineering (on-call),
    Finance, Identity & Access, Product, Customer Success, Customer Support (Tier 1), ..."
    (engineering, finance, identity, product, success, support, tier-2): in no order a
    reader sees, where the home page's and the portfolio's team filters go by name."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    names = page.locator("section.team > h2").all_inner_texts()
    assert len(names) == 7 and names == sorted(names, key=str.casefold), names
    contents = page.locator("nav.toc[aria-label=Teams] a").all_inner_texts()
    assert contents == names, contents
    page.close()


def test_a_handoff_s_sla_reads_as_words(site: Path, browser) -> None:
    """The billing map's handoff to Finance showed its SLA as "1bd: 1 business day (Mon-Fri
    09:00-17:00), up to 3 days for the customer": the value of the YAML file first."""
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    slas = page.locator("td.sla").all_inner_texts()
    assert "1 business day (Mon\u2013Fri 09:00\u201317:00), up to 3 days for the customer" in slas, slas
    assert not any("1bd" in s for s in slas), slas
    page.close()


def test_a_trend_line_says_its_values_as_the_page_does(site: Path, browser) -> None:
    """A trend's words (on hover, and what a screen reader says) were its raw numbers: the
    scorecard's first contact resolution, "41%" beside it, "2026-10 0.409"; first reply time,
    "2.83 hours", "2026-10 2.83"; the billing map's SLA breach rate, "93%", "2026-10 0.93"."""
    page = browser.new_page()
    titles = "ss => ss.map(s => s.querySelector('title').textContent)"
    page.goto((site / "scorecard.html").as_uri())
    trends = page.locator("svg.spark").evaluate_all(titles)
    assert any(t.startswith("First contact resolution,") and "Oct 2026 40.9%" in t for t in trends), trends
    assert any(t.startswith("First reply time (email),") and "Oct 2026 2.83 hours" in t for t in trends), (
        trends
    )
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    trends = page.locator("svg.spark").evaluate_all(titles)
    assert any(t.startswith("SLA breach rate,") and t.endswith("Oct 2026 93%") for t in trends), trends
    assert any(t.startswith("Seat true-ups") and " contacts" in t for t in trends), trends
    page.close()


def test_the_scorecard_lists_teams_with_as_many_kpis_off_target_by_name(tmp_path: Path, browser) -> None:
    """Worst first, then by id: teams with as many KPIs off target came in the order of their
    ids (on a 60-map site: "Engineering (on-call), Finance, Identity & Access, Product,
    Customer Success, Customer Support (Tier 1), ...")."""
    from conftest import ROOT, TODAY
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "teams.yaml").write_text(
        "teams:\n  - {id: alpha, name: Zebra crossing}\n  - {id: zeta, name: Accounts payable}\n", "utf-8"
    )
    for team in ("alpha", "zeta"):
        (maps / f"{team}.yaml").write_text(
            f"id: {team}-map\ntitle: Journey of {team}\nowner: {team}\nreviewed: 2026-11-16\n"
            "persona: {name: Account owner, archetype: no-code user}\nstages:\n"
            f"  - id: contact\n    name: Contact\n    owner: {team}\n    emotion: -1\n"
            "    evidence: [{source: zendesk, kind: tickets}]\n"
            "    kpis: [{name: Backlog age, current: 5, target: 3}]\n",
            "utf-8",
        )
    out = tmp_path / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    page = browser.new_page()
    page.goto((out / "scorecard.html").as_uri())
    teams = page.locator("main h2").evaluate_all("hs => hs.map(h => h.firstChild.textContent.trim())")
    assert teams[:2] == ["Accounts payable", "Zebra crossing"], teams
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_home_page_sets_two_cards_a_row(site: Path, browser, paper: str) -> None:
    """On paper the home page's cards were one a row, each a third of a sheet high: the four
    example maps took three Letter sheets, filled to 63, 77 and 40 %; 60 maps 25 sheets."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    sheets = text_bottom_per_sheet(page.pdf(format=paper, prefer_css_page_size=True))
    assert len(sheets) <= 2, sheets
    page.emulate_media(media="print")
    tops = page.locator(".cards > .card").evaluate_all("cs => cs.map(c => c.getBoundingClientRect().top)")
    assert len(tops) == 4 and tops[0] == tops[1] and tops[2] == tops[3] > tops[0], tops
    page.close()


def test_a_rule_is_headed_in_words_with_its_code_and_name_beside() -> None:
    from journeymaps.site.words import rule_title

    assert rule_title("kpi-off-target") == "KPI off target"
    assert rule_title("yaml-syntax") == "YAML syntax"  # was "Yaml syntax"
    assert rule_title("handoff-without-sla") == "Handoff without SLA"


def test_the_findings_page_heads_each_rule_in_words(site: Path, browser) -> None:
    """Each rule's heading was its code and id ("JM804 kpi-off-target"): words of the
    linter, where a director reads a title. The code and id stay beside it, smaller."""
    page = browser.new_page()
    page.goto((site / "findings.html").as_uri())
    heading = page.locator("#rule-kpi-off-target-title")
    assert heading.inner_text().split()[:5] == ["KPI", "off", "target", "JM804", "kpi-off-target"]
    size = heading.evaluate(
        "h => [getComputedStyle(h).fontSize, getComputedStyle(h.querySelector('.rule-id')).fontSize]"
    )
    assert float(size[1].removesuffix("px")) < float(size[0].removesuffix("px"))
    page.close()


def test_a_level_trend_is_drawn_at_mid_height_not_along_the_bottom() -> None:
    """The billing SLA's breach rate, 100 % every month, was a line along the bottom of its
    box: where a trend's lowest values go, so it read as "low"."""
    from journeymaps.site.measured import sparkline

    level = sparkline([("2026-08", 1.0), ("2026-09", None), ("2026-10", 1.0), ("2026-11", 1.0)], height=28)
    assert level is not None
    heights = {float(y) for y in level.path.split()[2::3]}
    assert heights == {14.0}
    rising = sparkline([("2026-09", 0.2), ("2026-10", 0.9)], height=28)
    assert rising is not None and rising.path.split()[2::3] == ["25.0", "3.0"]  # as before


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Adding send time to the email", "adding send time to the email"),
        ("Pre-filling the checklist", "pre-filling the checklist"),
        ("No repeat explanations", "no repeat explanations"),
        ("Median first reply under 60 minutes", "median first reply under 60 minutes"),
        ("Zendesk side conversations", "Zendesk side conversations"),  # a name: kept
        ("CES below 3.0", "CES below 3.0"),
        ("Search-to-ticket ratio below 0.6", "Search-to-ticket ratio below 0.6"),
        ("30% fewer tickets", "30% fewer tickets"),
    ],
)
def test_a_hypothesis_reads_as_one_sentence(written: str, read: str) -> None:
    """The map page said "We believe Adding send time ... will cut ..." and "We will know we
    succeeded when No ...": a capital mid-sentence, read as a typo by the people it is shown
    to. A word that may be a name keeps its capital."""
    from journeymaps.site.words import in_sentence

    assert in_sentence(written) == read
