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
