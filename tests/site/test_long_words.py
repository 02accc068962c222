"""The site of a team that writes as teams do: init's own example persona ("TODO persona
(behavioural, e.g. workspace admin)"), a team named in 60 characters, a URL pasted into a
scenario, a pain point named in one long word. Every page keeps to a phone's screen and to a
desktop's, and says what it means when every pain point is resolved."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from shared_sites import pooled_browser  # noqa: F401 - a fixture

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PERSONA = "TODO persona (behavioural, e.g. workspace admin)"
TEAM = "Customer Support and Success Operations Europe Middle East Africa"
URL = "https://billing.example.com/accounts/1234567890/invoices/consolidated/2026-11/download?format=pdf&entity=all"
WORD = "Supercalifragilisticexpialidociousinvoicegenerationtimeoutfailure"
#: In the name of the step where that pain point is felt (the ranked table's "Where").
STEP_URL = "https://billing.example.com/refunds/status/consolidated"

#: A pain point of the future-state map, resolved by an opportunity that shipped: the only one.
RESOLVED = """
pain_points:
  - id: unlock-invisible
    at: resolution.unlock
    kind: process
    summary: The manual unlock was invisible; the admin got no status until it was done.
    volume: 40
    severity: 3
    status: resolved
    since: 2026-11-01
    resolved_by: unlock-email

opportunities:
  - id: unlock-email
    addresses: [unlock-invisible]
    believe: Emailing the admin when the unlock is done
    will: end the wait in silence
    signal: No "is it done yet" follow-ups
    owner: identity
    status: shipped
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long")
    maps = root / "maps"
    shutil.copytree(ROOT / "maps", maps)
    _edit(maps / "personas.yaml", "name: Account owner", f'name: "{PERSONA}"')
    _edit(maps / "teams.yaml", "name: Finance\n", f"name: {TEAM}\n")
    billing = maps / "support" / "billing-dispute.yaml"
    text = billing.read_text("utf-8")
    text = re.sub(r"scenario: >\n(?:  .*\n)+", f"scenario: {URL} returns 500\n", text, count=1)
    billing.write_text(text, "utf-8")
    _edit(
        billing,
        "summary: The agent promises 5-7 days, the email says 2; customers stop trusting both.",
        f"summary: {WORD}",
    )
    _edit(billing, "name: Refund confirmation email", f"name: Refund confirmation email {STEP_URL}")
    _edit(maps / "support" / "admin-locked-out-future.yaml", "\nopportunities:\n", RESOLVED)
    out = root / "site"
    # The project's settings, its maps folder this copy: with ROOT's own maps folder, both
    # copies were one project, and which one kept the plain slugs (billing-dispute.html, not
    # billing-dispute--2.html) depended on where the checkout is (CI's /tmp/ciclone sorts
    # before the test's /tmp/pytest-of-root, /work/... after it).
    settings = dataclasses.replace(load_settings(ROOT), paths=(str(maps),))
    build([maps], settings, ROOT, out, today=TODAY)
    return out


@pytest.mark.parametrize("name", ["index.html", "portfolio.html"])
def test_the_filters_keep_to_a_phone_s_screen(site: Path, browser, name: str) -> None:
    """A select is as wide as its longest option: the persona filter was 418 px on a 390 px
    phone with init's own example persona (585 px with the team's name), and the whole page
    scrolled sideways. Each filter keeps inside the filters' box (the home page as a whole:
    see the card's test below)."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto((site / name).as_uri())
    box = page.locator(".filters").bounding_box()
    assert box
    rights = page.locator(".filters select").evaluate_all(
        "ss => ss.map(s => s.getBoundingClientRect().right)"
    )
    assert rights and all(right <= box["x"] + box["width"] for right in rights), (rights, box)
    assert page.locator(".filters").evaluate("f => f.scrollWidth <= f.clientWidth")
    options = page.locator(".filters select option").all_inner_texts()
    assert TEAM in options  # still there, whole
    page.close()


#: Each summary tile: its right edge, and whether what it holds runs out of it.
TILES = """ts => ts.map(t => [t.getBoundingClientRect().right, t.scrollWidth > t.clientWidth + 1])"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_url_in_the_scenario_breaks_inside_the_map_s_tiles(
    site: Path, browser, viewport: dict[str, int]
) -> None:
    """At 390 px the URL widened every summary tile to 540 px, the persona and the goal cut
    off at the screen's edge; on a desktop the pain point named in one word ran out of its
    tile and the page scrolled sideways. Each tile keeps to its column and holds its words."""
    page = browser.new_page(viewport=viewport, is_mobile=viewport is PHONE)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    tiles = page.locator(".tile").evaluate_all(TILES)
    assert len(tiles) == 6
    assert all(right <= viewport["width"] and not spills for right, spills in tiles), tiles
    persona = page.locator(".tile.who strong").bounding_box()
    assert persona and persona["x"] + persona["width"] <= viewport["width"]
    assert URL in page.locator(".tile .scenario").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_url_in_the_scenario_breaks_inside_its_card_on_the_home_page(
    site: Path, browser, viewport: dict[str, int]
) -> None:
    """The URL ran out of its map's card: the home page scrolled sideways to 1,407 px on a
    1280 px desktop."""
    page = browser.new_page(viewport=viewport, is_mobile=viewport is PHONE)
    page.goto((site / "index.html").as_uri())
    cards = page.locator("li.card").evaluate_all(TILES)
    assert len(cards) == 4
    assert all(right <= viewport["width"] and not spills for right, spills in cards), cards
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.close()


#: How many lines each word of the ranked table's row names is on, by word.
LINES_OF_WORDS = """t => { const lines = {};
  for (const th of t.querySelectorAll("tbody th[scope=row]")) {
    const walk = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode())
      for (const m of n.textContent.matchAll(/\\S+/g)) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        lines[m[0]] = Math.max(lines[m[0]] || 0, new Set([...r.getClientRects()].map(b => Math.round(b.top))).size);
      }
  }
  return lines; }"""


def test_a_pain_point_named_in_one_word_breaks_inside_its_row_of_the_ranked_table(
    site: Path, browser
) -> None:
    """On a 1280 px desktop the name (with a URL in the name of its step) pushed the ranked
    table past its box, its last columns out of sight. It breaks inside its row's name; the
    rest of the row keeps its words whole."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    table = page.locator("table.ranked")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    lines = table.evaluate(LINES_OF_WORDS)
    assert lines[WORD] >= 2, lines
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.close()


def test_on_a_phone_a_pain_point_s_evidence_keeps_its_words_whole(site: Path, browser) -> None:
    """Only the name breaks anywhere: its evidence's words (“reset, its selector's once it
    was shown: test_director_plain), wider than the row names' least width on a phone, still
    set that column's width."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    lines = page.locator("table.ranked").evaluate(LINES_OF_WORDS)
    assert lines["Evidence:"] == lines["Zendesk"] == lines["“reset"] == 1, lines
    page.close()


def test_the_summary_says_when_every_pain_point_is_resolved(site: Path, browser) -> None:
    """The tile said "No pain points recorded." of a map whose pain point is resolved, while
    the same page said further down "Every pain point on this map is resolved." It says there
    are none open, and how many are resolved, a link to them."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "admin-locked-out-future.html").as_uri())
    tile = page.locator(".tile.pains-top")
    assert tile.locator("p").inner_text() == "No open pain points: 1 resolved."
    tile.locator("a", has_text="1 resolved").click()
    assert page.evaluate("location.hash") == "#pains-resolved"
    assert "Every pain point on this map is resolved." in page.locator("section:has(#pains)").inner_text()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())  # open ones: the top three, as before
    assert page.locator(".tile.pains-top ol li").count() == 3
    page.close()
