"""The home page in numbered pages (issue 18: a 10,000-map site must not ship 10,000 cards in
one page), whose filters still search every map, in a real browser; and the page numbers
shown around the current page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from shared_sites import pb_screenshot, pooled_browser, shared_pb_examples  # noqa: F401 - fixtures
from test_accessibility import AXE, SETUP, serious
from test_browser import Watch

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build
from journeymaps.site.paging import Pager, paged


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four example maps, one card a page."""
    out = tmp_path_factory.mktemp("site") / "site"
    settings = dataclasses.replace(load_settings(ROOT), maps_per_page=1)
    build([ROOT / "maps"], settings, ROOT, out, today=TODAY)
    return out


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed: run `{SETUP}` in the repository")
    return AXE.read_text("utf-8")


def cards(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The visible cards of the page: each map's link -> the card's text as shown."""
    shown = page.locator(".card:visible")
    return {c.locator("h2 a").get_attribute("href"): c.inner_text() for c in shown.all()}


def test_the_home_page_is_in_numbered_pages_and_its_filters_search_every_map(
    site: Path, browser, screenshots: Path
) -> None:
    assert sorted(p.name for p in site.glob("index*.html")) == [
        "index-2.html",
        "index-3.html",
        "index-4.html",
        "index.html",
    ]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    watch = Watch(page)
    # Page by page, with the numbers and Next: each page shows its own card, and every map once.
    page.goto((site / "index.html").as_uri())
    static: dict[str, str] = {}
    for number in range(1, 5):
        pager = page.get_by_role("navigation", name="Pages of maps")
        assert pager.locator("[aria-current=page]").text_content() == f"Page {number}"
        assert page.get_by_role("link", name="Maps", exact=True).get_attribute("aria-current") == "page"
        assert f"(page {number} of 4)" in page.locator(".filter-count").inner_text()
        shown = cards(page)
        assert len(shown) == 1 and not set(shown) & set(static)
        static |= shown
        if number < 4:
            pager.get_by_role("link", name="Next page").click()
            # The click returns once the next page's document is in, maybe before its
            # stylesheet: a card read then had no styles ("current state Persona: …" for
            # "CURRENT STATE", seen once on a loaded CI machine).
            page.wait_for_load_state("load")
    assert page.get_by_role("link", name="Next page").count() == 0
    page.get_by_role("link", name="Page 1", exact=True).click()
    assert page.url.endswith("/index.html")
    assert len(static) == 4

    # A filter on page 2 finds the matching maps of every page, shown as their pages show them.
    page.goto((site / "index-2.html").as_uri())
    page.locator("select[data-filter=state]").select_option("current")
    page.wait_for_selector("[data-filtered] .card")
    assert page.locator("[data-pager]").is_hidden()
    assert page.locator(".filter-count").inner_text() == "3 of 4 maps shown"
    assert len(cards(page)) == 1  # a page of matches at a time
    pb_screenshot(page, screenshots, "home-filtered-1440.png", full_page=True)
    more = page.locator("[data-more] button")
    assert more.inner_text() == "Show more maps (2 not shown yet)"
    more.click()
    assert more.inner_text() == "Show more maps (1 not shown yet)"
    assert page.evaluate("document.activeElement.closest('.card') !== null")  # on to the new card
    more.click()
    assert more.is_hidden()
    found = cards(page)
    current = {href: text for href, text in static.items() if "current state" in text.lower()}
    assert found == current and len(found) == 3
    assert "#state=current" in page.url

    # Filters combine across pages; none matching says so; clearing them brings the page back.
    page.locator("select[data-filter=team]").select_option("identity")
    assert all(
        "identity" in (c.get_attribute("data-team") or "") for c in page.locator(".card:visible").all()
    )
    page.locator("select[data-filter=persona]").select_option("Workspace admin")
    page.locator("select[data-filter=state]").select_option("future")
    assert page.locator(".filter-count").inner_text() == "1 of 4 maps shown"
    page.locator("select[data-filter=persona]").select_option("")
    page.locator("select[data-filter=team]").select_option("finance")
    assert cards(page) == {} and page.get_by_text("No map matches these filters.").is_visible()
    for name in ("team", "state"):
        page.locator(f"select[data-filter={name}]").select_option("")
    assert page.locator("[data-pager]").is_visible()
    assert cards(page) == {h: t for h, t in static.items() if h in cards(page)} and len(cards(page)) == 1
    assert page.locator(".filter-count").inner_text() == "1 of 4 maps shown (page 2 of 4)"

    # A link with filters opens filtered, on any page.
    page.goto((site / "index-3.html").as_uri() + "#state=future")
    page.wait_for_selector("[data-filtered] .card")
    assert set(cards(page)) == {h for h, t in static.items() if "future state" in t.lower()}
    assert watch.errors == [] and watch.dialogs == [] and watch.outside() == []
    page.close()


def test_paged_home_pages_at_phone_width_and_for_axe(
    site: Path, browser, screenshots: Path, axe: str
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site / "index-2.html").as_uri())
    pb_screenshot(page, screenshots, "home-page-2-390.png", full_page=True)
    pager = page.get_by_role("navigation", name="Pages of maps")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the page numbers wrap, nothing scrolls sideways
    for link in pager.get_by_role("link").all():  # big enough to tap
        box = link.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44
    assert serious(page) == []
    page.locator("select[data-filter=state]").select_option("current")
    page.wait_for_selector("[data-filtered] .card")
    assert serious(page) == []
    page.emulate_media(media="print")
    assert pager.is_hidden()
    page.close()


def test_a_small_portfolio_is_one_page_as_before(
    pb_examples: tuple[Path, dict[str, list[str]], set[str]],
) -> None:
    out = pb_examples[0]  # the examples with the repository's settings (built once, read-only)
    html = (out / "index.html").read_text("utf-8")
    assert html.count('class="card"') == 4
    assert "Pages of maps" not in html and "data-filtered" not in html
    assert not (out / "index-2.html").exists() and not (out / "static" / "cards.js").exists()


def test_page_numbers_show_the_ends_and_the_neighbours_of_the_current_page() -> None:
    def numbers(number: int, pages: int) -> list[int | None]:
        return [link[0] if link else None for link in Pager(number, pages).links]

    assert numbers(1, 1) == [1]
    assert numbers(1, 4) == [1, 2, 3, 4]
    assert numbers(100, 209) == [1, None, 98, 99, 100, 101, 102, None, 209]
    assert numbers(4, 209) == [1, 2, 3, 4, 5, 6, None, 209]
    assert numbers(209, 209) == [1, None, 207, 208, 209]
    assert Pager(1, 3).previous is None and Pager(1, 3).next == "index-2.html"
    assert Pager(2, 3).previous == "index.html" and Pager(3, 3).next is None
    assert [len(c) for _, c in paged(list(range(10)), 4)] == [4, 4, 2]
    assert paged([], 4) == [(Pager(1, 1), [])]


def test_the_team_filter_lists_teams_by_name(site: Path) -> None:
    """It listed them by id: "Engineering (on-call)" before "Customer Support (Tier 1)",
    "Technical Support (Tier 2)" (tier-2) last but out of place among the names people read."""
    import re

    html = (site / "index.html").read_text()
    team_filter = html.split('data-filter="team"', 1)[1].split("</select>", 1)[0]
    names = re.findall(r'<option value="[^"]+">([^<]+)</option>', team_filter)
    assert len(names) >= 5 and names == sorted(names), names
    assert names.index("Customer Support (Tier 1)") < names.index("Engineering (on-call)")


def test_a_card_built_from_data_dates_its_review_as_the_page_does(site: Path, browser) -> None:
    """A card's "Reviewed" read "2026-11-10", a date as a database writes it; the cards a
    filter builds from data (site.js) must read as the page's own: "10 Nov 2026", the ISO
    date kept in the <time>'s datetime."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    reviewed = "ts => ts.map((t) => [t.closest('.card').querySelector('h2 a').href, t.dateTime, t.innerText])"
    static: list[list[str]] = []
    for name in ("index.html", "index-2.html", "index-3.html", "index-4.html"):
        page.goto((site / name).as_uri())
        static += page.locator(".card:visible .facts time").evaluate_all(reviewed)
    page.locator("select[data-filter=state]").select_option("current")
    page.wait_for_selector("[data-filtered] .card")
    while page.locator("[data-more] button").is_visible():
        page.locator("[data-more] button").click()
    built = page.locator("[data-filtered] .card .facts time").evaluate_all(reviewed)
    page.close()
    assert len(static) == 4 and ["2026-11-10", "10 Nov 2026"] in [s[1:] for s in static], static
    assert len(built) == 3 and all(b in static for b in built), (built, static)
