"""Findings on paper, as a director hands them round: no sheet left holding one finding, and
no words that only a screen can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures
from test_presenting_paper import printed, sheet_lines

MAPS = ["admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage"]


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


@pytest.mark.parametrize("name", [f"maps/{m}.html" for m in MAPS] + ["findings.html"])
def test_no_printed_sheet_holds_a_lone_finding(site: Path, browser, name: str) -> None:
    """Each finding printed as the screen's three lines (severity, message, then rule and
    file): the lockout map's eleven left their last alone on a twelfth A4 sheet, 7 % full."""
    page = browser.new_page()
    page.goto((site / name).as_uri())
    sheets = sheet_lines(printed(page, "A4"))
    page.close()
    assert len(sheets) > 1
    assert len(sheets[-1]) >= 6, sheets[-1]


def test_a_printed_finding_runs_its_rule_on_after_its_message(site: Path, browser) -> None:
    """On paper a finding is one paragraph: its rule and line follow its message's words on
    the same line where they fit, as a printed reference does."""
    page = browser.new_page()
    page.goto((site / "maps/admin-locked-out.html").as_uri())
    page.emulate_media(media="print")
    short = page.locator("li.finding", has_text="Reopen rate").first
    message = short.locator(".message").bounding_box()
    where = short.locator(".where").bounding_box()
    page.close()
    assert message and where
    assert where["y"] < message["y"] + message["height"], (message, where)  # same line
    assert where["x"] > message["x"] + message["width"] - 1


def test_the_printed_findings_say_no_why_they_cannot_open(site: Path, browser) -> None:
    """Each rule's "Why this matters" printed as a lone line over nothing (its explanation
    folded away, and paper cannot unfold it)."""
    page = browser.new_page()
    page.goto((site / "findings.html").as_uri())
    words = "\n".join("\n".join(lines) for lines in sheet_lines(printed(page, "A4")))
    page.close()
    assert "Why this matters" not in words
    assert "A KPI (measured, else declared) is on the wrong side of its target." in " ".join(words.split())
