"""The example site in a support director's plain words: no word said twice, no tool's name
or raw selector in the text they read, months as people write them, and pages that read on a
phone and on paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures

from conftest import MAP_HEAD, site_of

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


def test_a_kpi_named_for_its_metric_does_not_say_it_twice(site: Path, browser) -> None:
    """The Measured table read "Billing dispute contacts contacts": the KPI's name, then its
    metric's id, a word the name already says. It reads "Billing dispute contacts"; the id
    stays in the name's title for whoever maintains the numbers."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    head = page.locator("table.kpi-table tbody th", has_text="Billing dispute contacts")
    assert head.inner_text().split() == ["Billing", "dispute", "contacts"]
    assert "Metric contacts" in head.evaluate("h => h.title || h.querySelector('[title]').title")
    page.close()


#: Words of the tool, not of support: what a director should never have to read.
JARGON = ("journeymaps measure", "tag:", "channel:", "group:")


@pytest.mark.parametrize("name", ["billing-dispute", "admin-locked-out", "production-outage"])
def test_a_map_page_says_where_its_numbers_come_from_in_plain_words(site: Path, browser, name: str) -> None:
    """The Measured section read "(counted by journeymaps measure: ...)" and each evidence line
    "... tagged “billing dispute” tag:billing_dispute": a command and a query a director
    cannot read. The words say where the numbers come from; the selector as written is kept
    for the map's author in the evidence line's title."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / f"{name}.html").as_uri())
    text = page.inner_text("main")
    assert not [j for j in JARGON if j in text], [
        line for line in text.splitlines() if any(j in line for j in JARGON)
    ]
    meta = page.locator("section.measured > p.meta").first.inner_text()
    assert meta.startswith("Counted from ") and "Zendesk" in meta, meta
    page.close()


def test_an_evidence_selector_is_kept_in_its_title(site: Path, browser) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    line = page.locator("#stage-contact ul.evidence li").first
    assert line.inner_text().startswith("Support tickets from Zendesk tagged “billing dispute”, as of")
    assert "tag:billing_dispute" in line.locator("[title]").first.get_attribute("title")
    page.close()


#: A month as a machine writes it, standing alone in the page's words ("as of 2026-10").
ISO_MONTH = r"(?<![\d-])\d{4}-\d{2}(?![\d-])"


@pytest.mark.parametrize(
    "name",
    [
        "maps/billing-dispute.html",
        "maps/admin-locked-out.html",
        "scorecard.html",
        "portfolio.html",
        "findings.html",
    ],
)
def test_months_read_as_people_write_them(site: Path, browser, name: str) -> None:
    """KPIs read "now 28 contacts, as of 2026-10", trends "2026-01 to 2026-10": a month as a
    database writes it. They read "as of Oct 2026", "Jan 2026 to Oct 2026"; the ISO month
    stays in each <time>'s datetime for machines."""
    import re

    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / name).as_uri())
    text = page.inner_text("main")
    assert not re.findall(ISO_MONTH, text), [
        line for line in text.splitlines() if re.search(ISO_MONTH, line)
    ][:5]
    if name != "findings.html":  # a finding's message is a sentence: its months in words only
        times = page.locator("main time[datetime]").evaluate_all(
            "ts => ts.map((t) => [t.dateTime, t.innerText])"
        )
        assert ["2026-10", "Oct 2026"] in times, times[:5]
    page.close()


def empty_feet(pdf: bytes, tmp: Path) -> list[float]:
    """Each printed sheet's empty foot: the share of its height under its last ink, as
    poppler's pdftoppm draws it (the sheet's bottom margin, 12 mm, is 4-5 % of it)."""
    import subprocess

    (tmp / "printed.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", str(tmp / "printed.pdf"), str(tmp / "sheet")], check=True
    )
    feet = []
    for sheet in sorted(tmp.glob("sheet-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        _magic, width, height, _, pixels = sheet.read_bytes().split(maxsplit=4)
        w, h = int(width), int(height)
        inked = [y for y in range(h) if min(pixels[y * w : (y + 1) * w]) < 235]
        feet.append((h - 1 - max(inked, default=0)) / h)
    return feet


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_printed_portfolio_leaves_no_sheet_but_its_last_a_fifth_empty(
    site: Path, browser, tmp_path: Path, paper: str
) -> None:
    """On Letter the portfolio's first sheet ended 29 % empty: the impact x effort matrix's
    first row did not fit under the cost by team, whose rows had the screen's air, and the
    matrix began the next sheet. The cost by team prints as tight as the matrix."""
    page = browser.new_page()
    page.goto((site / "portfolio.html").as_uri())
    feet = empty_feet(page.pdf(format=paper), tmp_path)
    page.close()
    assert len(feet) <= 3 and all(foot < 0.15 for foot in feet[:-1]), feet


def test_the_billing_example_says_one_csat(site: Path, browser) -> None:
    """The billing example's KPI read "CSAT of billing tickets: now 95%" and its Resolution's
    evidence "CSAT 61%": two surveys, read by a director as the page contradicting itself.
    The Resolution's survey is the refund follow-up, and says what it found in its own words."""
    import re

    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    text = page.inner_text("main")
    page.close()
    said = set(re.findall(r"CSAT[^%\n]{0,60}?(\d+)%", text))
    assert said == {"95"}, said


#: The teams page's handoff diagram as shown: the size of its words (Graphviz's 14 pt, drawn
#: at the image's scale: a point is 4/3 px at full size), whether its frame scrolls sideways,
#: whether the page does, and the hint above it when it shows.
HANDOFF_DIAGRAM = """() => {
  const img = document.querySelector("section[aria-labelledby=handoff-diagram] figure img");
  const frame = img.closest(".diagram-scroll");
  const hint = document.querySelector("section[aria-labelledby=handoff-diagram] .scroll-hint");
  return {words: img.getBoundingClientRect().width / img.naturalWidth * 14 * 4 / 3,
    scrolls: !!frame && frame.scrollWidth > frame.clientWidth + 1,
    pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
    hint: hint && hint.offsetParent ? hint.innerText : null,
    hintAbove: !!hint && hint.getBoundingClientRect().bottom <= img.getBoundingClientRect().top};
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_team_handoff_diagram_reads_on_a_phone(site: Path, browser, viewport: dict[str, int]) -> None:
    """At 390 px the teams page's handoff diagram was fitted to the screen, its words 5 px
    tall: a link to full size was the only way to read it. On a phone it keeps a readable
    size in a frame that scrolls sideways, with a hint above it as a wide table has; on a
    desktop it fits, with no hint."""
    page = browser.new_page(viewport=viewport)
    page.goto((site / "teams.html").as_uri())
    page.wait_for_load_state("load")
    shown = page.evaluate(HANDOFF_DIAGRAM)
    page.close()
    assert shown["words"] >= 12 and not shown["pageScrolls"], shown
    if viewport is PHONE:
        assert shown["scrolls"] and shown["hintAbove"] and "sideways" in shown["hint"], shown
    else:
        assert not shown["scrolls"] and shown["hint"] is None, shown


def test_a_teams_page_without_handoffs_asks_for_no_scroll_on_a_phone(tmp_path: Path, browser) -> None:
    """One team, one box: on a phone held sideways (600 px) the diagram fitted, and said
    nothing of scrolling. With no handoff no diagram is drawn now (the smallest with an
    arrow, two teams and the legend beside them, is wider than a phone): nothing asks to
    be scrolled, and the page does not scroll sideways."""
    body = "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n  - id: a\n    name: A\n    steps:\n"
    body += "      - {id: s, name: S, lane: customer}\n"
    site = site_of(tmp_path, {"m.yaml": body})
    page = browser.new_page(viewport={"width": 600, "height": 390})
    page.goto((site / "teams.html").as_uri())
    page.wait_for_load_state("load")
    section = page.locator("section[aria-labelledby=handoff-diagram]")
    assert section.locator("img").count() == 0 and not section.locator(".scroll-hint").is_visible()
    assert section.locator(".no-handoffs").inner_text().startswith("No team hands a case to another")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_teams_page_fills_its_first_sheet(
    site: Path, browser, tmp_path: Path, paper: str
) -> None:
    """On A4 the teams page's first sheet ended a tenth empty: the next team's heading,
    contact, counts (each over its value) and first list did not fit under the handoff
    diagram and a row of links that do nothing on paper. The counts print on one line, the
    links not at all, the team's heading with less air: it begins on the first sheet."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    feet = empty_feet(page.pdf(format=paper), tmp_path)
    page.close()
    assert feet[0] < 0.08 and all(foot < 0.16 for foot in feet[:-1]), feet


def test_an_evidence_name_with_parentheses_is_not_put_in_more() -> None:
    """The billing map's interviews read "Customer interviews (Q3 billing interviews (6))":
    parentheses in parentheses. A name that has its own is set off by a dash."""
    import datetime as dt

    from journeymaps.model import Evidence
    from journeymaps.site.evidence_words import evidence_words

    def said(source: str, kind: str, ref: str) -> str:
        e = Evidence(source, kind, ref, None, dt.date(2026, 9, 30), None, None)  # type: ignore[arg-type]
        return evidence_words(e).text

    assert said("customer interviews", "interview", "Q3 billing interviews (6)") == (
        "Customer interviews — Q3 billing interviews (6)"
    )
    assert (
        said("intercom", "transcript", "sample of 25")
        == "Conversation transcripts from Intercom (sample of 25)"
    )


def test_a_metric_heading_named_for_its_key_does_not_say_it_twice(site: Path, browser) -> None:
    """The scorecard's Across journeys headed a metric "Contacts" with "contacts" beside it,
    "Reopen rate" with "reopen": a word said twice. A key the heading already says is left in
    its title; one it does not say ("ces", "fcr") stays beside it."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "scorecard.html").as_uri())
    heads = page.locator("section[aria-labelledby=across] .metric-head").evaluate_all(
        "hs => hs.map((h) => [h.querySelector('h3').innerText, h.innerText.replace(/\\s+/g, ' ').trim(), h.title])"
    )
    page.close()
    shown = {heading: (text, title) for heading, text, title in heads}
    assert shown["Contacts"] == (
        "Contacts",
        "Metric contacts: the figure counted from the support data for this KPI",
    )
    assert shown["Reopen rate"][0] == "Reopen rate"
    assert shown["Customer effort score"][0] == "Customer effort score ces"


@pytest.mark.parametrize(("paper", "sheets"), [("A4", 3), ("Letter", 4)])
def test_the_printed_scorecard_does_not_leave_a_team_s_room_empty(
    site: Path, browser, tmp_path: Path, paper: str, sheets: int
) -> None:
    """The scorecard printed on four A4 sheets, and on Letter its first ended 18 % empty: a
    team's KPI table, rows with the screen's air, did not fit under the one before. Its rows
    print as tight as the portfolio's tables: three A4 sheets, Letter's first one full."""
    page = browser.new_page()
    page.goto((site / "scorecard.html").as_uri())
    feet = empty_feet(page.pdf(format=paper), tmp_path)
    page.close()
    assert len(feet) <= sheets and feet[0] < 0.1 and all(foot < 0.2 for foot in feet[:-1]), feet


ISO_DATE = r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])"


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "maps/billing-dispute.html",
        "maps/billing-dispute.canvas.html",
        "teams.html",
        "changes.html",
    ],
)
def test_dates_read_as_people_write_them(site: Path, browser, name: str) -> None:
    """Months read "Oct 2026" but dates beside them "Reviewed 2026-11-10", "as of
    2026-10-31", "due 2026-12-31": a date as a database writes it. They read "10 Nov 2026";
    the ISO date stays in each <time>'s datetime for machines."""
    import re

    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / name).as_uri())
    text = page.inner_text("body")
    assert not re.findall(ISO_DATE, text), [line for line in text.splitlines() if re.search(ISO_DATE, line)][
        :5
    ]
    times = page.locator("time[datetime]").evaluate_all("ts => ts.map((t) => [t.dateTime, t.textContent])")
    days = [t for t in times if re.fullmatch(ISO_DATE, t[0])]
    assert days and all(re.fullmatch(r"[1-9]\d? [A-Z][a-z]{2} \d{4}", said) for _, said in days), days
    page.close()


def test_the_teams_page_counts_each_teams_findings_and_links_to_them(
    site: Path, browser, tmp_path: Path
) -> None:
    """The teams page listed each team's findings again in full, as the Findings page lists
    them by team: it printed on 6 sheets for a director reading who owns what. It counts
    them, linked to the team's findings there, and prints on fewer sheets."""
    import subprocess

    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "teams.html").as_uri())
    assert page.locator("main .findings li").count() == 0
    link = page.locator("section#team-support dd a[href^='findings.html#team-']")
    said = (link.inner_text(), link.get_attribute("title"))
    assert said == ("11", "2 warnings and 9 notes, on the Findings page"), said
    (tmp_path / "teams.pdf").write_bytes(page.pdf(format="A4"))
    link.click()
    page.wait_for_load_state("load")
    heading = page.locator("h3#team-support")
    listed = heading.locator("xpath=following-sibling::ul[1]/li").count()
    assert heading.inner_text() == "Customer Support (Tier 1)" and listed == 11
    page.close()
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "teams.pdf")], capture_output=True, text=True, check=True
    )
    sheets = int(next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:")))
    assert sheets <= 4, sheets
