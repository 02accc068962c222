"""The site in a real browser (Debian's Chromium via Playwright), as stakeholders use it."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, build_examples
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
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    out = tmp_path_factory.mktemp("site") / "site"
    return out, build_examples(out)[0]


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


def test_every_page_loads_clean_and_stays_on_the_site(site: Path, pages: list[str], browser) -> None:
    page = browser.new_page()
    watch = Watch(page)
    for name in pages:
        page.goto((site / name).as_uri())
        assert page.locator("h1").count() == 1, name
        assert page.locator("main").count() == 1 and page.locator("header nav").count() == 1
        for img in page.locator("img").all():
            assert img.get_attribute("alt"), name
            img.scroll_into_view_if_needed()  # loaded lazily, below the canvas
            loaded = "i => i.decode().then(() => i.naturalWidth > 0, () => false)"
            assert img.evaluate(loaded), (name, img.get_attribute("src"))
    assert watch.errors == [] and watch.dialogs == []
    assert watch.outside() == []
    page.close()


def test_headings_are_in_order(site: Path, pages: list[str], browser) -> None:
    page = browser.new_page()
    for name in pages:
        page.goto((site / name).as_uri())
        levels = page.eval_on_selector_all(
            "main h1, main h2, main h3, main h4", "hs => hs.map(h => +h.tagName[1])"
        )
        assert levels[0] == 1, name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (name, levels)
    page.close()


def test_navigation_by_clicking_and_keyboard(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Portfolio").click()
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
    step = page.locator("g.node a").first
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
    page.locator("g.cluster a text").first.click()  # the stage title (its steps cover the rest)
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
    assert page.locator("#search-results").inner_text() == "Nothing found"
    page.close()


def test_search_index_loads_by_part_only_when_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser
) -> None:
    """A large site ships no search index with its pages: the parts load when the search box
    is first used, and a match in the last part is found."""
    from journeymaps.site import build as site_build

    monkeypatch.setattr(site_build, "SEARCH_PART_MAPS", 1)  # one part per map: 4 parts
    out = tmp_path / "site"
    build([ROOT / "maps"], load_settings(ROOT), ROOT, out, today=TODAY)
    assert sorted(p.name for p in (out / "static" / "search").iterdir()) == ["0.js", "1.js", "2.js", "3.js"]
    page = browser.new_page()
    watch = Watch(page)
    page.goto((out / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert not [u for u in watch.requests if "/static/search/" in u]  # nothing until someone searches
    page.locator("#search-input").fill("production outage")  # the last map, by path
    results = page.locator("#search-results a")
    results.first.wait_for()
    assert "production-outage" in (results.first.get_attribute("href") or "")
    assert len([u for u in watch.requests if "/static/search/" in u]) == 4
    page.locator("#search-input").fill("zzzz-nothing")
    assert page.locator("#search-results").inner_text() == "Nothing found"
    assert not watch.errors
    page.screenshot(path=str(tmp_path / "search.png"))
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
        page.screenshot(path=str(screenshots / f"site-{label}-{name.replace('/', '-')}.png"), full_page=True)
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


def test_text_meets_aa_contrast(site: Path, pages: list[str], browser) -> None:
    page = browser.new_page()
    for name in pages:
        page.goto((site / name).as_uri())
        assert page.evaluate(CONTRAST) == [], name
    page.goto((site / "index.html").as_uri())
    page.add_style_tag(content=".lead { color: #bbbbbb }")  # the check itself catches grey on white
    assert any(line.startswith("P ") for line in page.evaluate(CONTRAST))
    page.close()
