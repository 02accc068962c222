"""The example site as a support director presents it to executives: every number says what it
counts, and the table that ranks what to fund first reads its pain points at a glance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_examples


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


#: Where the billing map's "Billing dispute contacts" KPI (metric: contacts, no unit) is read.
CONTACTS_KPI = {
    "scorecard.html": "table tr:has(th:text-is('Billing dispute contacts'))",
    "maps/billing-dispute.html": "#measured ~ div tr:has(th:has-text('Billing dispute contacts'))",
    "maps/billing-dispute.canvas.html": ".cell.kpis li:has-text('Billing dispute contacts')",
}


@pytest.mark.parametrize("name", list(CONTACTS_KPI))
def test_a_counted_kpi_says_what_it_counts(site: Path, browser, name: str) -> None:
    """ "Billing dispute contacts: now 28, target 20 or less": 28 what? A KPI of a standard
    count (contacts, customers) with no unit of its own now reads "28 contacts", its target
    "20 contacts or less", as its pain points' volumes already did ("27.7 contacts")."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((site / name).as_uri())
    text = " ".join(page.locator(CONTACTS_KPI[name]).first.inner_text().split())
    assert re.search(r"\b28 contacts\b", text), text
    assert re.search(r"\b20 contacts or less\b", text), text
    page.close()


def test_a_counted_kpi_s_finding_says_what_it_counts(site: Path) -> None:
    """The finding beside it said "is 28 in 2026-10; the target is 20": the same words now."""
    html = (site / "maps" / "billing-dispute.html").read_text()
    assert "is 28 contacts in Oct 2026; the target is 20 contacts" in html


def test_one_counted_contact_is_singular() -> None:
    from types import SimpleNamespace

    from journeymaps.measure import kpis

    k = SimpleNamespace(metric="customers", unit=None)  # what value_text reads of a Kpi
    assert kpis.value_text(1, k) == "1 customer"
    assert kpis.value_text(1240, k) == "1,240 customers"


#: The ranked pain points' columns (header words -> width) and how many lines each title takes.
RANKED = """t => ({
  widths: Object.fromEntries([...t.querySelectorAll("thead th")].map(
    h => [h.innerText.replace(/\\s+/g, " "), h.getBoundingClientRect().width])),
  lines: [...t.querySelectorAll("tbody th[scope=row] a")].map(
    a => Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight))),
  notes: [...t.querySelectorAll("td .as-of")].map(n => {
    const cell = n.closest("td").getBoundingClientRect(), box = n.getBoundingClientRect();
    return box.left >= cell.left && box.right <= cell.right;
  }),
})"""


def test_the_ranked_pain_points_read_at_a_glance_on_a_laptop(site: Path, browser) -> None:
    """On the Portfolio at 1280 px the "Volume / month" column was 169 px wide: a measured
    volume's note ("measured, as of 2026-10") held on one line, and the pain points, the
    column executives read, wrapped to three lines four times. The note now wraps under its
    number, in its column."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((site / "portfolio.html").as_uri())
    got = page.locator("#ranked-pains").evaluate(RANKED)
    assert got["widths"]["Volume / month"] <= 120, got["widths"]
    assert got["widths"]["Pain point"] >= 2.5 * got["widths"]["Volume / month"], got["widths"]
    assert sum(n > 2 for n in got["lines"]) <= 1, got["lines"]
    assert got["notes"] and all(got["notes"]), got["notes"]
    page.close()


#: Each printed stage heading that names its owner and its evidence: whether the owner's line
#: runs on into the evidence (no "Finance ·" alone on a line), and the most air between two of
#: its lines (name, owner, evidence), in lines of text.
STAGE_HEADS = """hs => hs.filter(h => h.querySelector(".stage-owner") && h.querySelector(".stage-evidence"))
  .map(h => {
    const rects = (e) => { const r = document.createRange(); r.selectNodeContents(e); return [...r.getClientRects()]; };
    const name = h.querySelector(".stage-name").getBoundingClientRect();
    const owner = rects(h.querySelector(".stage-owner")), evidence = rects(h.querySelector(".stage-evidence"));
    const line = parseFloat(getComputedStyle(h).lineHeight);
    return {
      stage: h.querySelector(".stage-name").innerText,
      runsOn: Math.abs(owner[owner.length - 1].top - evidence[0].top) < 2,
      gap: Math.max(0, evidence[0].top - owner[owner.length - 1].bottom, owner[0].top - name.bottom) / line,
    };
  })"""


@pytest.mark.parametrize("name", ["billing-dispute", "production-outage"])
def test_a_printed_canvas_heads_each_stage_in_one_run_of_words(site: Path, browser, name: str) -> None:
    """The canvas printed for a slide headed "Invoice review" with "Finance ·" alone on a
    line, a blank line, then "Backed by 2 data sources": the owner and its evidence wrapped as
    two boxes and the lines spread down the heading's height. They now run on as one line of
    words, wrapping where the column ends, straight under the stage's name."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "maps" / f"{name}.canvas.html").as_uri())
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1062, "height": 733})  # A4 landscape inside 8 mm margins
    heads = page.locator(".canvas .stage-head").evaluate_all(STAGE_HEADS)
    assert heads
    assert all(h["runsOn"] for h in heads), heads
    assert all(h["gap"] < 0.5 for h in heads), heads
    page.close()
