"""The portfolio, teams and scorecard pages split past ``rows-per-page`` items (issue 18: at
10,000 maps they were 41, 33 and 15 MB), in a real browser: the pain points in numbered
pages whose team filter still finds every row, the matrix as counts linking to a page per
cell, a page per team, and nothing lost: every row of the one-page site is on the split one."""

from __future__ import annotations

import dataclasses
import json
import urllib.parse
from pathlib import Path

import pytest
from shared_sites import pb_screenshot, pooled_browser, shared_pb_examples  # noqa: F401 - fixtures
from test_accessibility import AXE, SETUP, serious
from test_browser import Watch

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build
from journeymaps.site.paging import rows_script

#: Rows a page on the split site: the example maps' busiest cell of the matrix has three.
PER = 2


def _build(out: Path, rows_per_page: int) -> Path:
    settings = dataclasses.replace(load_settings(ROOT), rows_per_page=rows_per_page)
    build([ROOT / "maps"], settings, ROOT, out, today=TODAY)
    return out


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps, two rows a page."""
    return _build(tmp_path_factory.mktemp("split") / "site", PER)


@pytest.fixture(scope="module")
def whole(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> Path:
    """The example maps as the default makes them (100 rows a page): every page whole. Built
    once per test process, read-only."""
    return pb_examples[0]


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed: run `{SETUP}` in the repository")
    return AXE.read_text("utf-8")


def rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The visible rows of the ranked pain points, as shown."""
    return [r.inner_text() for r in page.locator("#ranked-pains tbody tr:visible").all()]


def texts(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [x.inner_text() for x in page.locator(selector).all()]


def test_the_example_site_is_not_split_by_default(whole: Path) -> None:
    assert not (whole / "portfolio-2.html").exists()
    assert not (whole / "teams").exists() and not (whole / "scorecard").exists()
    assert not (whole / "static" / "pains").exists()
    assert not list(whole.glob("portfolio-*-impact-*.html"))
    assert not (whole / "findings").exists()


def test_pain_points_in_numbered_pages_and_the_team_filter_finds_every_row(
    split: Path, whole: Path, browser, screenshots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    watch = Watch(page)
    page.goto((whole / "portfolio.html").as_uri())
    everything = rows(page)
    page.locator("select[data-filter=team]").select_option("finance")
    finance = rows(page)
    assert PER < len(finance) < len(everything)  # more than a page of them, and not all

    # Page by page: two rows each, numbered on, together every row of the whole page.
    page.goto((split / "portfolio.html").as_uri())
    pages = -(-len(everything) // PER)
    last = len(everything) - PER * (pages - 1)
    seen: list[str] = []
    for number in range(1, pages + 1):
        pager = page.get_by_role("navigation", name="Pages of pain points")
        assert pager.locator("[aria-current=page]").text_content() == f"Page {number}"
        assert page.get_by_role("link", name="Portfolio", exact=True).get_attribute("aria-current") == "page"
        shown = rows(page)
        assert len(shown) == min(PER, len(everything) - len(seen))
        assert (
            f"of {len(everything)} pain points shown (page {number} of {pages})"
            in page.locator(".filter-count").inner_text()
        )
        seen += shown
        if number < pages:
            follow(page, pager.get_by_role("link", name="Next page"))
    assert seen == everything

    # The filter on a later page: every finance row of every page, two at a time.
    page.locator("select[data-filter=team]").select_option("finance")
    page.wait_for_selector("[data-filtered] tr")
    assert page.locator("[data-pager]").is_hidden()
    assert (
        page.locator(".filter-count").inner_text() == f"{len(finance)} of {len(everything)} pain points shown"
    )
    more = page.locator("[data-more] button")
    while more.is_visible():
        more.click()
    assert rows(page) == finance
    assert "#team=finance" in page.url
    pb_screenshot(page, screenshots, "portfolio-filtered-1440.png", full_page=True)
    # No filter: this page's rows and the page numbers again.
    page.locator("select[data-filter=team]").select_option("")
    assert page.locator("[data-pager]").is_visible() and len(rows(page)) == last
    assert page.locator(".filter-count").inner_text() == (
        f"{last} of {len(everything)} pain points shown (page {pages} of {pages})"
    )
    assert watch.errors == [] and watch.dialogs == [] and watch.outside() == []
    page.close()


def hrefs(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.get_attribute("href") or "" for a in page.locator(selector).all()]


def test_the_matrix_counts_link_to_every_opportunity_of_their_cell(split: Path, whole: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    watch = Watch(page)
    page.goto((whole / "portfolio.html").as_uri())
    every = sorted(hrefs(page, ".matrix .card a"))
    page.locator("select[data-filter=team]").select_option("support")
    supports = sorted(hrefs(page, ".matrix .card:visible a"))
    assert 0 < len(supports) < len(every)

    page.goto((split / "portfolio.html").as_uri())
    assert page.locator(".matrix .card").count() == 0  # counts, not the opportunities
    counts = [int(c) for c in texts(page, "[data-cell-count]")]
    assert sum(counts) == len(every) and max(counts) > PER
    assert page.locator(".filter-count [data-count]").inner_text() == f"{len(every)} opportunities"
    found: list[str] = []
    cell = browser.new_page()
    for link in hrefs(page, "[data-cell-link]"):
        cell.goto((split / link).as_uri())
        while True:  # a cell of more than a page of opportunities is in pages too
            assert len(hrefs(cell, "#cell-opportunities tbody th a")) <= PER
            found += hrefs(cell, "#cell-opportunities tbody th a")
            following = cell.get_by_role("link", name="Next page")
            if not following.count():
                break
            follow(cell, following)
    assert sorted(found) == every

    # A team: each cell counts that team's, and its link opens the whole cell filtered to it.
    page.locator("select[data-filter=team]").select_option("support")
    counts = [int(c) for c in texts(page, "[data-cell-count]")]
    assert sum(counts) == len(supports)
    assert page.locator(".filter-count [data-count]").inner_text() == f"{len(supports)} opportunities"
    found = []
    for i, link in enumerate(page.locator("[data-cell-link]").all()):
        href = link.get_attribute("href") or ""
        assert href.endswith("#team=support")
        cell.goto((split / href.split("#")[0]).as_uri() + "#team=support")
        if counts[i]:
            cell.wait_for_selector("#cell-opportunities tbody tr:visible")
        more = cell.locator("[data-more] button")
        while more.is_visible():
            more.click()
        shown = hrefs(cell, "#cell-opportunities tbody tr:visible th a")
        assert len(shown) == counts[i]
        assert cell.locator(".filter-count").inner_text().startswith(f"{counts[i]} of ")
        found += shown
    assert sorted(found) == supports
    assert watch.errors == [] and watch.outside() == []
    page.close()
    cell.close()


def follow(page, link) -> None:  # type: ignore[no-untyped-def]
    """Click ``link`` to another page and wait until that page is in, its stylesheet too: a
    click can return once the next page's document is in, before its styles, and on a
    loaded CI machine an item read then was its unstyled text ("note Admin locked out ..."
    for "NOTE\nAdmin locked out ...", 2026-12-04), as test_paging.py saw with cards."""
    before = page.url
    link.click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state("load")


def every_page(page, url: str, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The items ``selector`` finds on the page at ``url`` and on each page after it (Next)."""
    page.goto(url)
    found: list[str] = []
    while True:
        found += texts(page, selector)
        following = page.get_by_role("link", name="Next page")
        if not following.count():
            return found
        follow(page, following)


def test_a_page_per_team_with_every_item_of_its_lists(split: Path, whole: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((whole / "teams.html").as_uri())
    sections = {
        s.get_attribute("id"): s.locator("li").all_inner_texts() for s in page.locator("section.team").all()
    }
    # Whole, the teams page counts each team's findings and links to them on the Findings
    # page, which lists them by team: split, a team's own page lists them.
    page.goto((whole / "findings.html").as_uri())
    # A team's own page names each map once above its findings, not on each finding's line.
    page.evaluate(
        "document.querySelectorAll('section[aria-labelledby=by-team] .in-map').forEach(a => a.remove())"
    )
    for heading in page.locator("section[aria-labelledby=by-team] h3[id]").all():
        listed = heading.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
        sections[heading.get_attribute("id") or ""] += listed
    page.goto((split / "teams.html").as_uri())
    assert page.locator("section.team").count() == 0
    hrefs = [a.get_attribute("href") or "" for a in page.locator(".team-overview tbody th a").all()]
    assert len(hrefs) == len(sections)
    split_some = False
    for href in hrefs:
        team = href.removeprefix("teams/").removesuffix(".html")
        page.goto((split / href).as_uri())
        assert (
            page.get_by_role("heading", level=1).inner_text() == page.locator("section.team h1").inner_text()
        )
        items = page.locator("section.team li").all_inner_texts()
        # A list longer than a page shows its first rows and links to all of it, in pages.
        for more in [a.get_attribute("href") or "" for a in page.locator("section.team .more-link a").all()]:
            split_some = True
            everything = every_page(page, (split / "teams" / more).as_uri(), ".team-list > li, li.finding")
            assert everything[:PER] == [x for x in items if x in everything]
            items = [x for x in items if x not in everything] + everything
        assert sorted(items) == sorted(sections[f"team-{team}"]), team
    assert split_some
    page.close()


def test_the_scorecard_per_team_and_metric_loses_no_kpi(split: Path, whole: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((whole / "scorecard.html").as_uri())
    kpis = sorted(texts(page, ".kpi-table tbody tr"))
    across = sorted(texts(page, "ul.across li"))
    page.goto((split / "scorecard.html").as_uri())
    assert page.locator(".kpi-table").count() == 0
    found: list[str] = []
    for href in [a.get_attribute("href") or "" for a in page.locator(".team-overview a").all()]:
        found += every_page(page, (split / href).as_uri(), ".kpi-table tbody tr")
    assert sorted(found) == kpis
    page.goto((split / "scorecard.html").as_uri())
    found = []
    for href in [a.get_attribute("href") or "" for a in page.locator("ul.across a").all()]:
        found += every_page(page, (split / href).as_uri(), "ul.across li")
    assert sorted(found) == across
    page.close()


def test_findings_by_rule_in_numbered_pages_lose_none(split: Path, whole: Path, browser) -> None:
    """Past ``rows-per-page`` findings (7.4 MB of findings.html at 10,000 maps), the page is
    each rule's and each team's counts, and each rule's findings are in numbered pages: every
    finding of the one-page site is there, once, and each team's count leads to its page."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((whole / "findings.html").as_uri())
    by_rule = {
        (s.get_attribute("id") or "").removeprefix("rule-"): sorted(s.locator("li.finding").all_inner_texts())
        for s in page.locator("section.rule").all()
    }
    team_counts = {
        h.inner_text(): h.locator("xpath=following-sibling::ul[1]/li").count()
        for h in page.locator("#by-team ~ h3").all()
    }
    assert sum(map(len, by_rule.values())) > PER and team_counts
    page.goto((split / "findings.html").as_uri())
    assert page.locator("li.finding").count() == 0
    found: dict[str, list[str]] = {}
    pages_of_rule = browser.new_page(viewport={"width": 1440, "height": 900})
    for section in page.locator("section.rule").all():
        rule = (section.get_attribute("id") or "").removeprefix("rule-")
        href = section.locator(".more-link a").get_attribute("href") or ""
        found[rule] = sorted(every_page(pages_of_rule, (split / href).as_uri(), "li.finding"))
    pages_of_rule.close()
    assert found == by_rule
    many = max(by_rule, key=lambda r: len(by_rule[r]))
    assert (split / "findings" / f"{many}-2.html").is_file()
    page.goto((split / "findings.html").as_uri())
    shown = {a.inner_text(): a.get_attribute("href") or "" for a in page.locator("#by-team ~ ul a").all()}
    assert set(shown) == set(team_counts)
    for name, href in shown.items():
        assert (
            f": {team_counts[name]} finding"
            in page.locator("li", has=page.get_by_role("link", name=name, exact=True)).inner_text()
        )
        assert (split / href.split("#")[0]).is_file(), href
    page.close()


@pytest.mark.parametrize(
    "path",
    [
        "portfolio.html",
        "portfolio-2.html",
        "portfolio-high-impact-low-effort.html",
        "teams.html",
        "teams/support.html",
        "teams/support/stages.html",
        "scorecard.html",
        "findings.html",
        "findings/kpi-off-target-2.html",
    ],
)
def test_split_pages_at_phone_width_and_for_axe(
    split: Path, browser, screenshots: Path, axe: str, path: str
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((split / path).as_uri())
    pb_screenshot(page, screenshots, f"split-{path.replace('/', '-')}-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious(page) == []
    if (select := page.locator("select[data-filter=team]")).count():
        select.select_option(index=1)
        assert serious(page) == []
    page.close()


def test_row_data_is_inert_in_html_and_shown_as_text(tmp_path: Path, browser) -> None:
    """A pain point's words reach the filtered rows as text, never as markup."""
    hostile = '</script><img src=x onerror="window.pwned=1">&amp;'
    script = rows_script(
        "support", [{"f": {"team": "support"}, "c": ["1", {"t": hostile, "u": "maps/a.html"}]}]
    )
    assert b"<" not in script and b">" not in script and b"&" not in script
    site = tmp_path / "site"
    (site / "static/pains").mkdir(parents=True)
    (site / "static/pains/support.js").write_bytes(script)
    (site / "static/site.js").write_bytes((ROOT / "templates/static/site.js").read_bytes())
    (site / "p.html").write_text(
        '<form><select data-filter="team"><option value=""></option><option value="support">S</option></select>'
        '<span data-count-rows="#t tbody tr"></span></form><table id="t">'
        '<tbody data-filtered data-rows-script="static/pains/" data-page-size="2" hidden></tbody>'
        '<tbody data-paged><tr class="filterable" data-team="x"><td>1</td></tr></tbody></table>'
        '<script src="static/site.js" data-root=""></script>',
        "utf-8",
    )
    page = browser.new_page()
    page.goto((site / "p.html").as_uri() + "#team=support")
    page.wait_for_selector("[data-filtered] tr")
    assert page.locator("[data-filtered] th").inner_text() == hostile
    assert page.locator("[data-filtered] img").count() == 0 and page.evaluate("window.pwned") is None
    page.close()


def test_owner_links_and_search_lead_to_the_team_when_the_teams_page_is_split(
    split: Path, whole: Path, browser
) -> None:
    """A map page links its owner and each stage's owner to where the team is shown: its
    own page when the teams page is split (``teams.html#team-x`` then led to the overview,
    which has no such section), its section of the teams page otherwise; the search
    index's team entries too."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    for site, is_split in ((split, True), (whole, False)):
        page.goto((site / "maps/billing-dispute.html").as_uri())
        owners = page.locator("main a[href*='teams']")
        hrefs = sorted({a.get_attribute("href") or "" for a in owners.all()})
        names = {(a.get_attribute("href") or ""): a.inner_text() for a in owners.all()}
        assert len(hrefs) >= 2, hrefs  # the map's owner and its stages' owners
        here = page.url
        for href in hrefs:
            page.goto(urllib.parse.urljoin(here, href))
            team = href.rsplit("/", 1)[-1].removeprefix("teams.html#team-").removesuffix(".html")
            section = page.locator(f"section#team-{team}")
            assert section.count() == 1, (site.name, href)  # the overview has none: split, it has rows
            heading = section.locator("h1" if is_split else "h2").first.inner_text()
            assert heading.startswith(names[href]), href
        assert all(h.startswith("../teams/") == is_split for h in hrefs), hrefs
        # The teams' entries: the last part of the search index's entries.
        index = sorted((site / "static/search/m").glob("*.js"), key=lambda p: int(p.stem))[-1].read_text(
            "utf-8"
        )
        entries = json.loads(index[index.index(",") + 1 : index.rindex(")")])
        teams = [e["u"] for e in entries if e["k"] == "team"]
        assert teams and all(u.startswith("teams/") == is_split for u in teams), teams
        for u in teams:
            file, _, anchor = u.partition("#")
            assert (site / file).is_file(), u
            assert f'id="{anchor or "team-" + file.removeprefix("teams/").removesuffix(".html")}"' in (
                site / file
            ).read_text("utf-8"), u
    page.close()
