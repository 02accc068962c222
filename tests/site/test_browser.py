"""The site in a real browser (Debian's Chromium via Playwright), as stakeholders use it."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from shared_sites import pb_screenshot, pooled_browser, shared_pb_examples  # noqa: F401 - fixtures

from conftest import ROOT, TODAY
from journeymaps.settings import Settings, load_settings
from journeymaps.site.build import build

#: Pages visited besides the first made with each template of the page registry (see
#: ``build_examples``): the other example maps put other parts of the templates on screen.
MORE_PAGES = [
    "maps/admin-locked-out.html",
    "maps/billing-dispute.html",
    "maps/billing-dispute.canvas.html",
    "diagrams/billing-dispute.journey.html",
]


@pytest.fixture(scope="module")
def built(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> tuple[Path, dict[str, list[str]]]:
    """The examples' site (built once per test process, read-only) and each template's pages."""
    return pb_examples[0], pb_examples[1]


@pytest.fixture(scope="module")
def site(built: tuple[Path, dict[str, list[str]]]) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def pages(built: tuple[Path, dict[str, list[str]]]) -> list[str]:
    """One page of each template, then :data:`MORE_PAGES`."""
    first = [paths[0] for _, paths in sorted(built[1].items())]
    return first + [p for p in MORE_PAGES if p not in first]


class Watch:
    """Console errors, dialogs (alert/confirm/prompt) and every request a page makes."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

        def dialog(d) -> None:  # type: ignore[no-untyped-def]
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]


@dataclass
class Visit:
    """What one page of :func:`pages` showed in Chromium (at the default 1280 x 720)."""

    #: How many h1, main and header nav elements it has.
    h1: int
    main: int
    nav: int
    #: The levels of its headings in main, in order.
    levels: list[int]
    #: Its text under AA contrast (:data:`CONTRAST`).
    low_contrast: list[str]
    #: Each image's alt text and source, and whether it loaded once scrolled into view.
    images: list[tuple[str | None, str | None, bool]]


@dataclass
class Visits:
    """Every page of :func:`pages` opened once in one browser page, for the tests that only
    read what it showed (each opened all of them again)."""

    pages: dict[str, Visit]
    errors: list[str]
    dialogs: list[str]
    outside: list[str]


@pytest.fixture(scope="module")
def visits(site: Path, pages: list[str], browser) -> Visits:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    watch = Watch(page)
    seen: dict[str, Visit] = {}
    loaded = "i => i.decode().then(() => i.naturalWidth > 0, () => false)"
    for name in pages:
        page.goto((site / name).as_uri())
        levels = page.eval_on_selector_all(
            "main h1, main h2, main h3, main h4", "hs => hs.map(h => +h.tagName[1])"
        )
        low_contrast = page.evaluate(CONTRAST)  # before any scrolling, as a reader first sees it
        images = []
        for img in page.locator("img").all():
            img.scroll_into_view_if_needed()  # loaded lazily, below the canvas
            images.append((img.get_attribute("alt"), img.get_attribute("src"), bool(img.evaluate(loaded))))
        seen[name] = Visit(
            page.locator("h1").count(),
            page.locator("main").count(),
            page.locator("header nav").count(),
            levels,
            low_contrast,
            images,
        )
    page.close()
    return Visits(seen, list(watch.errors), list(watch.dialogs), watch.outside())


def test_every_page_loads_clean_and_stays_on_the_site(visits: Visits) -> None:
    for name, visit in visits.pages.items():
        assert visit.h1 == 1, name
        assert visit.main == 1 and visit.nav == 1, name
        for alt, src, loaded in visit.images:
            assert alt, (name, src)
            assert loaded, (name, src)
    assert visits.errors == [] and visits.dialogs == []
    assert visits.outside == []


def test_headings_are_in_order(visits: Visits) -> None:
    for name, visit in visits.pages.items():
        levels = visit.levels
        assert levels[0] == 1, name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (name, levels)


def test_navigation_by_clicking_and_keyboard(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Portfolio", exact=True).click()  # the site's menu, not "See the Portfolio"
    assert page.locator("h1").inner_text() == "Portfolio"
    page.get_by_role("link", name="Maps", exact=True).click()
    page.get_by_role("link", name="Unexpected charge on the monthly invoice").click()
    assert page.locator("h1").inner_text() == "Unexpected charge on the monthly invoice"
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()


TARGET_EXISTS = "document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null"


def test_a_full_size_diagram_leads_to_what_it_shows(site: Path, browser) -> None:
    """From a map page, a diagram opens full size; its stages, steps and pain points are
    links back to their sections of the page."""
    page = browser.new_page()
    watch = Watch(page)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    page.locator("figure.diagram a").first.click()
    page.wait_for_url("**/diagrams/billing-dispute.journey.html")  # full size, in the site (loaded)
    step = page.locator('g.node[id^="step-"] a').first
    href = step.get_attribute("xlink:href") or ""
    shape = step.locator("polygon, path, ellipse").first
    before = shape.evaluate("e => getComputedStyle(e).strokeWidth")
    step.hover()
    assert shape.evaluate("e => getComputedStyle(e).strokeWidth") == "3px" != before  # a cue
    step.click()
    # Waiting for the page to load, not only for its address: under load the check could
    # run before the section was parsed.
    page.wait_for_url("**/maps/billing-dispute.html" + href[href.index("#") :])
    assert page.evaluate(TARGET_EXISTS)  # a section that exists
    page.go_back()
    page.locator('g.node[id$="-title"] a text').first.click()  # a stage title
    page.wait_for_url("**/maps/billing-dispute.html#stage-*")
    page.goto((site / "diagrams" / "team-handoffs.html").as_uri())
    page.locator("g.node a").first.click()
    page.wait_for_url("**/teams.html#team-*")
    assert page.evaluate(TARGET_EXISTS)
    assert watch.errors == [] and watch.outside() == []
    page.close()


def test_filters_work_by_choosing(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    visible = lambda: page.locator(".cards > .card:visible").count()  # noqa: E731
    assert visible() == 4
    page.select_option("select[data-filter=state]", "future")
    assert visible() == 1 and page.locator("[data-count]").inner_text() == "1"
    page.select_option("select[data-filter=state]", "")
    page.select_option("select[data-filter=team]", "finance")
    assert visible() == 1
    page.select_option("select[data-filter=team]", "")
    page.select_option("select[data-filter=persona]", "Workspace admin")
    assert visible() == 2
    # The portfolio's count reads as English at one: it said "1 opportunities and 1 pain points".
    page.goto((site / "portfolio.html").as_uri())
    ones = 0
    for team in page.locator("select[data-filter=team] option").evaluate_all("os => os.map(o => o.value)"):
        page.select_option("select[data-filter=team]", team)
        said = page.locator(".filter-count").first.inner_text()
        opportunities = page.locator(".matrix .card:visible").count()
        pains = page.locator("#ranked-pains tbody tr:visible").count()
        assert said == (
            f"{opportunities} opportunit{'y' if opportunities == 1 else 'ies'} and "
            f"{pains} pain point{'' if pains == 1 else 's'} shown"
        )
        ones += opportunities == 1 or pains == 1
    assert ones  # the case it is about
    page.close()


def test_search_by_typing(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    page.locator("#search-input").fill("refund timeline")
    results = page.locator("#search-results a")
    results.first.wait_for()  # the index loads when the search box is first used
    assert "refund" in results.first.inner_text().lower()
    page.locator("#search-input").press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/maps/billing-dispute.html*")
    page.locator("#search-input").fill("zzzz-nothing")  # a new page: 'Searching…' until its index is in
    page.locator("#search-results li", has_text="Nothing found").wait_for()
    assert page.locator("#search-results").inner_text().startswith("Nothing found\n")
    page.close()


def test_an_id_pasted_from_the_yaml_or_a_ci_log_finds_what_it_names(site: Path, browser) -> None:
    """ "refund" did not find the pain point `conflicting-refund-timelines` (its summary says
    "The agent promises 5-7 days, the email says 2"), nor a step's ref pasted from a finding
    its step: only teams were found by their ids."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())

    def search(query: str) -> list[str]:
        page.locator("#search-input").fill(query)
        page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
        titles = "[...document.querySelectorAll('#search-results a')].map(a => a.childNodes[1].textContent)"
        return list(page.evaluate(titles))

    promised = "The agent promises 5-7 days, the email says 2; customers stop trusting both."
    assert promised in search("refund")
    assert search("conflicting-refund-timelines") == [promised]
    assert search("escalation.on-call-paged") == ["On-call engineer paged"]
    assert "Unexpected charge on the monthly invoice" in search("billing-dispute")
    page.close()


def _search_requests(watch: Watch) -> set[str]:
    return {u.split("/static/search/", 1)[1] for u in watch.requests if "/static/search/" in u}


def test_a_query_loads_only_the_shards_of_its_words_and_the_entries_shown(
    site: Path, browser, screenshots: Path
) -> None:
    """A site ships no search index with its pages. A query loads the list of shards, the
    shard of each of its words (by their first two characters) and the entries of the maps
    of the results shown: not the whole index. From ``file://``, where fetch is not allowed."""
    page = browser.new_page()
    watch = Watch(page)
    page.goto((site / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert not _search_requests(watch)  # nothing until someone searches
    page.locator("#search-input").fill("production outage")  # the last map, by path
    results = page.locator("#search-results a")
    results.first.wait_for()
    assert "production-outage" in (results.first.get_attribute("href") or "")
    loaded = _search_requests(watch)
    shards = {"w/70-72.js", "w/6f-75.js"}  # "pr", "ou"
    assert shards | {"shards.js"} <= loaded
    parts = loaded - shards - {"shards.js"}
    assert parts and all(p.startswith("m/") for p in parts), loaded
    shown = {(a.get_attribute("href") or "").split("#")[0] for a in results.all()}
    for part in parts:  # each one holds a result shown
        text = (site / "static/search" / part).read_text("utf-8")
        assert any(f'"u":"{href.removeprefix("./")}' in text for href in shown), (part, shown)
    every = {p.relative_to(site / "static/search").as_posix() for p in (site / "static/search").rglob("*.js")}
    assert len(loaded) < len(every) / 10, (len(loaded), len(every))
    page.locator("#search-input").fill("zzzz-nothing")  # no shard "zz": nothing to load
    page.locator("#search-results li", has_text="Nothing found").wait_for()
    assert _search_requests(watch) == loaded
    assert not watch.errors
    pb_screenshot(page, screenshots, "search.png")
    page.close()


def test_search_matches_the_beginnings_of_words_titles_first(tmp_path: Path, browser) -> None:
    """A query word finds the words it begins ("lock" finds "locked" and "locked-out"), in
    any case and without accents; entries whose title holds every word come first; a word
    that only occurs inside another finds nothing; one letter waits for the next."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    (maps / "cafe.yaml").write_text(
        (ROOT / "maps/support/admin-locked-out.yaml")
        .read_text("utf-8")
        .replace("id: admin-locked-out", "id: cafe-creme")
        .replace(
            "title: Admin locked out of their account", "title: Crème brûlée at the Café Zürich — Москва"
        ),
        "utf-8",
    )
    out = tmp_path / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    page = browser.new_page()
    watch = Watch(page)
    page.goto((out / "index.html").as_uri())

    def search(query: str) -> list[str]:
        page.locator("#search-input").fill(query)
        page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
        titles = "[...document.querySelectorAll('#search-results a')].map(a => a.childNodes[1].textContent)"
        return list(page.evaluate(titles))

    locked = search("LOCK")
    in_title = ["lock" in r.lower() for r in locked]  # "locked", "lockout": begun by "lock"
    assert len(locked) == 20 and in_title == sorted(in_title, reverse=True), locked  # titles first
    assert {"Lockout screen with no next step", "Admin locked out of their account (future state)"} <= set(
        locked
    )
    assert locked[0].startswith("Admin locked out of their account"), locked
    titled = [("locked" in r.lower() and "out" in r.lower()) for r in search("locked out")]
    assert titled[0] and not titled[-1] and titled == sorted(titled, reverse=True), titled  # titles first
    assert search("creme brulee zurich")[0].startswith("Crème brûlée at the Café Zürich")
    assert search("моск")[0].startswith("Crème brûlée at the Café Zürich — Москва")
    assert search("ocked") == []  # inside a word: not a match
    assert page.locator("#search-results").inner_text().startswith("Nothing found\n")
    page.locator("#search-input").fill("l")
    page.locator("#search-results li.none", has_text="Type another letter").wait_for()
    assert page.locator("#search-status").inner_text() == "Type another letter to search"
    assert not watch.errors
    page.close()


def _many_entries_map(map_id: str, title: str, steps: list[str]) -> str:
    lines = [
        f"id: {map_id}",
        f"title: {title}",
        "owner: support",
        "reviewed: 2026-11-16",
        "persona: {name: Account owner, archetype: no-code user}",
        "stages:",
        "  - id: contact",
        "    name: Contact support",
        "    owner: support",
        "    emotion: -1",
        "    evidence: [{source: zendesk, kind: tickets}]",
        "    steps:",
        *(f"      - {{id: s{i}, name: {name}, lane: frontstage}}" for i, name in enumerate(steps)),
    ]
    return "\n".join(lines) + "\n"


def test_a_map_named_by_the_query_comes_first_and_a_cut_list_says_so(tmp_path: Path, browser) -> None:
    """On a site of 60 maps, "refund" listed 20 steps of the first two maps (every word
    of their titles ties) and stopped there: the maps titled with the word, later by path,
    were not among them, and nothing said that 300 more entries matched."""
    maps = tmp_path / "maps"
    maps.mkdir()
    shutil.copy(ROOT / "maps/teams.yaml", maps / "teams.yaml")
    steps = [f"Refund question {i}" for i in range(24)]
    (maps / "a-questions.yaml").write_text(
        _many_entries_map("questions", "Invoice questions", steps), "utf-8"
    )
    (maps / "z-refund.yaml").write_text(
        _many_entries_map("refund-promised", "Refund promised twice", ["Agent promises a date"]), "utf-8"
    )
    out = tmp_path / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    page.locator("#search-input").fill("refund")
    page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
    first = page.locator("#search-results a").first
    assert "Refund promised twice" in first.inner_text(), first.inner_text()
    assert first.get_attribute("href") == "maps/refund-promised.html"
    assert page.locator("#search-results a").count() == 20
    last = page.locator("#search-results li").last
    # 24 steps; the other map, its stage, step and evidence (its title is part of what finds them)
    assert last.inner_text() == "20 of 28 shown: add a word to narrow the search", last.inner_text()
    assert page.locator("#search-status").inner_text().startswith("20 of 28 results")
    page.close()


def test_the_browser_splits_and_folds_words_as_the_index_does(browser) -> None:
    """site.js folds a query and splits it into words as search.py does the index's text:
    accented, compatibility and non-Latin text, character by character too."""
    from journeymaps.site import search

    page = browser.new_page()
    page.set_content('<input id="search-input"><ul id="search-results"></ul>')
    page.add_script_tag(path=str(ROOT / "templates/static/site.js"))
    samples = [
        "Café crème — naïve «Zürich» locked-out; don't",
        "ΟΔΟΣ Ὀδυσσεύς Москва Ёлка İstanbul straße ﬁne ① ½ x²",
        "हिन्दी भाषा 東京都 한국어 עִבְרִית العربية ไทย",
        "e\u0301te\u0301 \uff26\uff35\uff2c\uff2c\u3000\uff57\uff49\uff44\uff54\uff48 \u212b \u2126 \u212a",
        "Pass\u00adword re\u200bset by e\u2060mail\ufeff \u202eevil",  # pasted: invisible characters
    ]
    # Every character of planes 0-2 that Python's Unicode knows (Chromium's may be newer),
    # one at a time.
    unknown = ("Cn", "Cs", "Co")
    chars = [chr(c) for c in range(0x20, 0x30000) if search.unicodedata.category(chr(c)) not in unknown]
    # The ~140,000 texts cross to the page and back as one JSON string each way: as a list,
    # Playwright's driver and Python (de)serialized each text and word on its own (5 of the
    # 8 CPU-seconds of this test, 2026-12-06).
    theirs = json.loads(
        page.evaluate(
            "texts => JSON.stringify(JSON.parse(texts).map(t => window.JOURNEYMAPS_SEARCH_WORDS_OF(t)))",
            json.dumps(samples + chars),
        )
    )
    ours = [search.words(search.fold(t)) for t in samples + chars]
    assert theirs[: len(samples)] == ours[: len(samples)]
    pairs = zip(chars, ours[len(samples) :], theirs[len(samples) :], strict=True)
    differ = [(c, f"{ord(c):04x}", o, t) for c, o, t in pairs if o != t]
    assert not differ, differ[:20]
    page.close()


def test_print_hides_navigation(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert page.locator("h1").is_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.close()


@pytest.mark.parametrize(("width", "height", "label"), [(1280, 900, "desktop"), (390, 844, "phone")])
def test_screenshots_of_each_page_type(
    site: Path, pages: list[str], browser, screenshots: Path, width: int, height: int, label: str
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    for name in pages:
        page.goto((site / name).as_uri())
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + 1, (name, label, scroll_width)  # nothing forces sideways scrolling
        pb_screenshot(page, screenshots, f"site-{label}-{name.replace('/', '-')}.png", full_page=True)
    page.close()


def test_a_map_full_of_naughty_strings_executes_no_script(tmp_path: Path, browser) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "diagrams"))
    from test_naughty_strings import STRINGS, dump, naughty_map

    maps = tmp_path / "maps"
    maps.mkdir()
    teams = [{"id": "support", "name": "Support"}, {"id": "finance", "name": "Finance"}]
    (maps / "teams.yaml").write_text(dump({"teams": teams}), "utf-8")
    for c in range(0, len(STRINGS), 32):  # 32 strings a map, in every kind of text field
        chunk = STRINGS[c : c + 32]

        def pick(i: int, chunk: list[str] = chunk) -> str:
            return chunk[i % len(chunk)]

        data = naughty_map(c, pick(0))
        data["stages"] = [
            {
                "id": f"s{k}",
                "name": pick(k),
                "owner": "support",
                "thinking": pick(k + 1),
                "steps": [
                    {
                        "id": f"p{k}-{j}",
                        "name": pick(4 * k + j),
                        "does": pick(4 * k + j + 1),
                        "lane": "customer",
                        "emotion": -1,
                    }
                    for j in range(4)
                ],
            }
            for k in range(8)
        ]
        data["pain_points"] = [
            {
                "id": f"pain{k}",
                "at": f"s{k}",
                "kind": "process",
                "summary": pick(k + 8),
                "volume": 5,
                "severity": 2,
            }
            for k in range(8)
        ]
        data["opportunities"] = [
            {
                "id": f"o{k}",
                "addresses": [f"pain{k}"],
                "believe": pick(k + 16),
                "will": pick(k + 24),
                "signal": pick(k + 3),
                "owner": "support",
                "due": "2027-01-01",
                "impact": "high",
                "effort": "low",
            }
            for k in range(8)
        ]
        (maps / f"m{c:03d}.yaml").write_text(dump(data), "utf-8")
    out = tmp_path / "site"
    build([maps], Settings(root=tmp_path), tmp_path, out, today=dt.date(2026, 11, 22))
    page = browser.new_page()
    page.add_init_script(
        "window.__pwned = 0; for (const f of ['alert','confirm','prompt']) window[f] = () => { window.__pwned++; };"
    )
    watch = Watch(page)
    names = ["index.html", "portfolio.html", "teams.html", "personas.html", "findings.html"]
    for folder in ("maps", "diagrams"):  # map pages and their canvases, full-size diagrams
        names += sorted(p.relative_to(out).as_posix() for p in (out / folder).glob("*.html"))
    for name in names:
        page.goto((out / name).as_uri())
        assert page.evaluate("window.__pwned") == 0, name
    page.goto((out / "index.html").as_uri())
    for s in STRINGS[::7]:  # the search renders strings too
        page.locator("#search-input").fill(s[:40])
    assert page.evaluate("window.__pwned") == 0
    assert watch.dialogs == [] and watch.errors == [] and watch.outside() == []
    page.close()
    shutil.rmtree(out)


CONTRAST = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text) continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) bad.push(`${el.tagName} "${text.slice(0, 30)}" ${ratio.toFixed(2)} < ${needed}`);
  }
  return bad;
}"""


def test_text_meets_aa_contrast(site: Path, visits: Visits, browser) -> None:
    for name, visit in visits.pages.items():
        assert visit.low_contrast == [], name
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.add_style_tag(content=".lead { color: #bbbbbb }")  # the check itself catches grey on white
    assert any(line.startswith("P ") for line in page.evaluate(CONTRAST))
    page.close()


@pytest.mark.parametrize("width", [1152, 1280, 1440])
def test_the_search_box_sits_beside_the_navigation_on_a_desktop(browser, site: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    """At a fixed 16rem the box wrapped under the navigation at 1280 px: a second dark row
    with nothing in it but the box, above every page."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((site / "index.html").as_uri())
    box = page.locator("#search-input").bounding_box()
    nav = page.locator(".site-header nav").bounding_box()
    header = page.locator(".site-header").bounding_box()
    assert box is not None and nav is not None and header is not None
    assert box["y"] < nav["y"] + nav["height"], f"the box is below the navigation at {width} px"
    assert header["height"] < 1.8 * box["height"], header  # one dark row, not two
    assert box["width"] >= 160  # room for a query
    page.close()
