"""A second director's review of the site: which way a KPI should go, a page for a broken
link, the billing blueprint's labels, and the scorecard on a phone."""

from __future__ import annotations

import functools
import http.server
import io
import re
import threading
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures

from conftest import MAP_HEAD, site_of


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


KPIS = (
    "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n"
    "  - id: a\n    name: Asks\n    owner: support\n    evidence: [{source: zendesk, kind: tickets}]\n"
    "    kpis:\n"
    "      - {name: Search-to-ticket ratio, current: 0.92, target: 0.6, direction: lower, owner: support}\n"
    "      - {name: Self-served share, current: 0.7, target: 0.5, direction: higher, owner: support}\n"
)


def test_a_kpi_says_which_way_is_better_and_whether_it_is_on_target_wherever_it_is_shown(
    tmp_path: Path,
) -> None:
    """ "Search-to-ticket ratio: now 0.92, target 0.6" on the canvas and the map's stages left a
    director guessing whether 0.92 was good; the scorecard said "off target" but not which way
    the number should go. Now each says it in the same words: "target 0.6 or less", and the
    verdict."""
    out = site_of(tmp_path, {"m.yaml": KPIS, "teams.yaml": "teams:\n  - {id: support, name: Support}\n"})
    canvas = _words((out / "maps" / "m.canvas.html").read_text("utf-8"))
    page = _words((out / "maps" / "m.html").read_text("utf-8"))
    for text in (canvas, page):
        assert "Search-to-ticket ratio: now 0.92, target 0.6 or less off target" in text
        assert "Self-served share: now 0.7, target 0.5 or more on target" in text
    score = (out / "scorecard.html").read_text("utf-8")
    rows = {_words(r).split(" 0")[0]: _words(r) for r in re.findall(r"<tr>(.*?)</tr>", score, re.S)}
    assert "0.6 or less off target" in rows["Search-to-ticket ratio"]
    assert "0.5 or more on target" in rows["Self-served share"]


class _Host(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages is one: the site under ``prefix``, and its 404.html, with
    the status 404, for any address it has no file for."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?")[0]
        site = Path(self.directory)
        if path.startswith(self.prefix):
            file = site / path[len(self.prefix) :]
            if file.is_file():
                self.path = "/" + path[len(self.prefix) :]
                return super().send_head()
        body = (site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.mark.parametrize("prefix", ["/", "/journeys/"])
def test_an_address_with_no_page_is_answered_by_a_page_that_leads_back_to_the_maps(
    site: Path, browser, prefix: str
) -> None:
    """The site had no 404.html: a link to a renamed map ended on the host's bare "404", with
    no way back. Served for any depth of address, at a domain's top or in a folder (a
    project's GitHub Pages), its stylesheet loads and its links lead to the site's pages."""
    handler = functools.partial(type("Host", (_Host,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    top = f"http://127.0.0.1:{server.server_port}{prefix}"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for address in ("nowhere", "maps/renamed-map.html", "a/b/c/d"):
            answer = page.goto(top + address)
            assert answer is not None and answer.status == 404
            assert page.locator("h1").inner_text() == "Page not found"
            home = page.get_by_role("link", name="All maps")
            page.wait_for_function(f"() => document.querySelector('main a').href === {top + 'index.html'!r}")
            # Styled: the site's header is its dark bar, not a browser's default white.
            page.wait_for_function(
                "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
                " !== 'rgba(0, 0, 0, 0)'"
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            nav = page.locator(".site-header nav a", has_text="Scorecard").evaluate("a => a.href")
            assert nav == top + "scorecard.html"
            home.click()
            page.wait_for_url(top + "index.html")
            assert page.locator("h1").count() == 1 and "Page not found" not in page.title()
    finally:
        page.close()
        server.shutdown()
        server.server_close()


#: Each handoff arrow of a diagram (its id), and the handoff labels it runs through: the
#: arrow's path sampled every 2 px, and its arrowhead's corners, inside a label's box.
ARROWS_THROUGH_LABELS = """() => {
  const svg = document.querySelector("svg");
  const labels = [...svg.querySelectorAll('g.edge-label[id^="handoff-"], g.node[id^="handoff-"]')].map(g => [g.id, g.getBBox()]);
  const inside = (p, b) => p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1;
  const found = [];
  for (const edge of svg.querySelectorAll('g.edge[id^="handoff-"]')) {
    const points = [];
    for (const path of edge.querySelectorAll("path")) {
      for (let at = 0; at <= path.getTotalLength(); at += 2) points.push(path.getPointAtLength(at));
    }
    for (const head of edge.querySelectorAll("polygon")) points.push(...head.points);
    for (const [id, box] of labels) if (points.some(p => inside(p, box))) found.push([edge.id, id]);
  }
  return [labels.map(([id]) => id), found];
}"""


def test_no_handoff_arrow_runs_through_a_handoff_s_words_on_the_billing_blueprint(
    site: Path, browser
) -> None:
    """The billing map's handoff down the Contact support column ran through the orange
    "context lost, handoff, SLA 1 business day" of the handoff to Finance: Graphviz keeps an
    edge's words off the nodes, not off the other edges."""
    page = browser.new_page()
    page.goto((site / "diagrams" / "billing-dispute.blueprint.svg").as_uri())
    labels, through = page.evaluate(ARROWS_THROUGH_LABELS)
    page.close()
    lost = "handoff-contact.agent-gathers-finance-review.finance-investigates-label"
    assert lost in labels and len(labels) == 2  # both handoffs have their words
    assert not [(arrow, words) for arrow, words in through if words == lost or not words.startswith(arrow)]


#: Each KPI row of the page's KPI tables: its name, and each cell shown as [its label (the
#: text over or beside it), left, right, top, bottom]; and the page's width.
KPI_CARDS = """() => [[...document.querySelectorAll("table.kpi-table tbody tr")].map(tr => [
  tr.querySelector("th").innerText,
  [...tr.querySelectorAll("td")].filter(td => td.checkVisibility()).map(td => {
    const box = td.getBoundingClientRect();
    return [getComputedStyle(td, "::before").content, box.left, box.right, box.top, box.bottom];
  })]), document.documentElement.clientWidth, document.documentElement.scrollWidth]"""


@pytest.mark.parametrize("name", ["scorecard.html", "maps/admin-locked-out.html"])
def test_on_a_phone_each_kpi_is_a_card_of_labelled_values(site: Path, browser, name: str) -> None:
    """At 390 px the scorecard's tables scrolled sideways behind each KPI's name, every row as
    tall as its trend line and a few words a line: a KPI's status, trend and journey were off
    the screen. Each KPI is now a card: every value on the screen, under its name, beside
    its column's name."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / name).as_uri())
    rows, width, scrolled = page.evaluate(KPI_CARDS)
    page.close()
    assert rows and scrolled <= width
    for kpi, cells in rows:
        labels = [label for label, *_ in cells]
        assert labels[:3] == ['"Current"', '"Target"', '"Status"'], (kpi, labels)
        for label, left, right, _, _ in cells:
            assert left >= 0 and right <= width, (kpi, label, left, right)
        tops = [top for _, _, _, top, _ in cells]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), (kpi, tops)  # one under another


def test_a_kpi_s_verdict_on_the_canvas_is_never_broken_over_two_lines(site: Path, browser) -> None:
    """In the canvas's narrow KPI cells "off target" broke as "off" at a line's end and
    "target" on the next."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "maps" / "admin-locked-out.canvas.html").as_uri())
    lines = page.locator(".canvas .kpis .badge").evaluate_all("bs => bs.map(b => b.getClientRects().length)")
    page.close()
    assert lines and set(lines) == {1}, lines


def test_the_personas_page_says_a_journey_s_state_once(site: Path) -> None:
    """The future-state map, titled "Admin locked out of their account (future state)", was
    listed under its persona as "... (future state) (future state)"."""
    text = _words((site / "personas.html").read_text("utf-8"))
    assert "Admin locked out of their account (future state)" in text
    assert "(future state) (future state)" not in text
    assert "Admin locked out of their account (current state)" in text  # a title that does not say it
