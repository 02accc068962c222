"""A map page's "latest change" is the map's own: the last commit that touched its file.
The page said "the 90 days up to the latest change" with the repository's latest commit
(another map's folder move), under a map untouched for months: a director read the map as
edited that day."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest


def _last_commit(project: Path, file: str) -> tuple[str, str, str]:
    """The last commit that touched ``file``, as git says it: short id, day, author."""
    out = subprocess.run(
        ["git", "log", "-1", "--format=%H%x00%cs%x00%aN", "--", file],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    sha, day, author = out.split("\0")
    return sha[:8], day, author


def _day(iso: str) -> str:
    """A day as the site says it: 12 Aug 2026."""
    return dt.date.fromisoformat(iso).strftime("%-d %b %Y")


def _head(project: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()[:8]


@pytest.mark.parametrize(
    ("slug", "file"),
    [
        ("production-outage", "maps/support/production-outage.yaml"),  # untouched in the period
        ("billing-dispute", "maps/billing/billing-dispute.yaml"),  # changed in it, then moved
        ("admin-locked-out", "maps/support/admin-locked-out.yaml"),
    ],
)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_map_page_says_the_map_s_own_latest_change(
    quarter: Path, browser, slug: str, file: str, width: int
) -> None:
    short, day, author = _last_commit(quarter, file)
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page.goto((quarter / "site" / "maps" / f"{slug}.html").as_uri())
    latest = page.locator("#map-changed ~ .map-latest")
    assert latest.is_visible()
    words = latest.inner_text()
    when = latest.locator(".when")
    assert when.get_attribute("title") == f"commit {short}", when.get_attribute("title")
    page.close()
    assert words.startswith("This map's latest change: "), words
    assert author in words, words
    assert _day(day) in words, (day, words)


def test_an_untouched_map_is_not_said_changed_on_the_repository_s_latest_commit(
    quarter: Path, browser
) -> None:
    """production-outage was last touched at the first commit; HEAD moved the billing maps."""
    head = _head(quarter)
    short, day, _ = _last_commit(quarter, "maps/support/production-outage.yaml")
    assert short != head  # the example's history is as this test means it
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((quarter / "site" / "maps" / "production-outage.html").as_uri())
    # Each date or phrase that names a commit: the repository's latest names the maps, not this one.
    named = page.locator("#map-changed ~ * [title^='commit ']").evaluate_all(
        "els => els.map(e => [e.getAttribute('title'), e.innerText])"
    )
    mine = page.locator("#map-changed ~ .map-latest").inner_text()
    page.close()
    assert [words for title, words in named if title == f"commit {head}"] == ["latest change to the maps"], (
        named
    )
    assert f"commit {short}" in [title for title, _ in named] and _day(day) in mine, (named, mine)
