"""The example site in a support director's plain words: no word said twice, no tool's name
or raw selector in the text they read, months as people write them, and pages that read on a
phone and on paper."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_examples

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


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
