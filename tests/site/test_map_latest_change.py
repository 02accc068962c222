"""A map page's "latest change" is the map's own: the last commit that touched its file.
The page said "the 90 days up to the latest change" with the repository's latest commit
(another map's folder move), under a map untouched for months: a director read the map as
edited that day."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from shared_sites import pooled_browser  # noqa: F401 - a fixture


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


def test_a_shallow_clone_does_not_date_every_map_on_its_first_commit(tmp_path: Path) -> None:
    """In a shallow clone (actions/checkout's default depth of 1) git says the clone's first
    commit adds every file: each map page said "This map's latest change" was that commit, a
    map untouched for a month as changed that day. A change the clone cannot see is not said."""
    from in_process import jm_here

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
    }
    full, clone = tmp_path / "full", tmp_path / "clone"
    full.mkdir()
    assert jm_here(full, "init").returncode == 0

    def git(cwd: Path, *args: str, **extra: str) -> None:
        subprocess.run(["git", *args], cwd=cwd, env={**env, **extra}, check=True, capture_output=True)

    git(full, "init", "-q", "-b", "main")
    git(full, "add", ".")
    month_ago = (dt.date.today() - dt.timedelta(days=30)).isoformat() + "T10:00:00"
    git(full, "commit", "-qm", "maps", GIT_AUTHOR_DATE=month_ago, GIT_COMMITTER_DATE=month_ago)
    (full / "notes.txt").write_text("not a map\n", "utf-8")
    git(full, "add", ".")
    git(full, "commit", "-qm", "notes")
    git(tmp_path, "clone", "-q", "--depth", "1", full.as_uri(), "clone")
    assert jm_here(clone, "build").returncode in (0, 1)
    page = (clone / "site" / "maps" / "first-journey.html").read_text("utf-8")
    assert f'title="commit {_head(clone)}"' not in page.split('class="map-latest"', 1)[-1].split("</p>")[0]
    # The full repository's page says the map's own commit, a month ago.
    assert jm_here(full, "build").returncode in (0, 1)
    page = (full / "site" / "maps" / "first-journey.html").read_text("utf-8")
    short, _, _ = _last_commit(full, "maps/first-journey.yaml")
    assert f'class="map-latest">This map\'s latest change: <span class="when" title="commit {short}"' in page
