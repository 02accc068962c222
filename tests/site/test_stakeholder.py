"""The example site as read by people who never open a YAML file: a VP of Customer Experience
preparing a quarterly review, a team lead checking what their team owns, someone on a phone
following a link to one map; with JavaScript off as well as on (the site opens from file://)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_pb_examples  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def site(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> Path:
    """The example maps' site, built once per test process (read-only)."""
    return pb_examples[0]


#: Each table's frame shown: its name for a screen reader, whether it is wider than its
#: frame, and whether "Scroll sideways for more columns" is shown above it.
REGIONS = """ws => ws.filter(w => w.offsetParent !== null)
  .map(w => [w.getAttribute("aria-label"), w.scrollWidth > w.clientWidth + 1,
             /Scroll sideways/.test(getComputedStyle(w, "::before").content)])"""


@pytest.mark.parametrize("javascript", [False, True])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_table_says_it_scrolls_sideways_only_when_it_does_with_or_without_javascript(
    site: Path, browser, width: int, javascript: bool
) -> None:
    """Every table's frame was written "Teams (scrolls sideways)", "Pain points (scrolls
    sideways)", … and the script took the words off a table that fits: with JavaScript off
    (a page opened from a mail or a file share, a locked-down browser) a screen reader
    announced a sideways scroll on every table, at 1280 px where none scrolls. The page says
    only the table's name; the script adds "(scrolls sideways)" to a table wider than its
    frame (the format page's keys on a phone). So with the words shown above a table on a
    phone: without the script the cost by team and the matrix, which fit, said "Scroll
    sideways for more columns"."""
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    seen: list[tuple[str, str, bool, bool]] = []
    page = context.new_page()  # one page, each file opened in it in turn (a page each cost more)
    for path in sorted(site.rglob("*.html")):
        if 'class="table-wrap' not in path.read_text("utf-8"):
            continue
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        seen += [(path.name, *region) for region in page.locator(".table-wrap").evaluate_all(REGIONS)]
    context.close()
    assert len({name for name, *_ in seen}) >= 4, seen  # the portfolio, teams, scorecard, a map…
    if javascript:
        said = [
            (name, label, hint)
            for name, label, scrolls, hint in seen
            if scrolls != ("(scrolls sideways)" in label)
        ]
        assert said == [], said
        shown = [(name, label) for name, label, scrolls, hint in seen if hint != (scrolls and width < 500)]
        assert shown == [], shown
        assert width > 500 or any(
            scrolls for _, _, scrolls, _ in seen
        )  # the case in point: the format page's keys
    else:  # without the script nothing measures the table: no claim either way
        claims = [(name, label, hint) for name, label, _, hint in seen if "scrolls sideways" in label or hint]
        assert claims == [], claims


def _search(page, query: str) -> tuple[list[str], str]:
    """The results' titles and kinds ("KPI in", "step in") a query shows, and the list's words."""
    page.locator("#search-input").fill(query)
    page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
    shown = "[...document.querySelectorAll('#search-results a')].map(a => a.childNodes[0].textContent + ': ' + a.childNodes[1].textContent)"
    return list(page.evaluate(shown)), page.locator("#search-results").inner_text()


def test_a_kpi_is_found_by_its_name_and_leads_to_its_stage(site: Path, browser) -> None:
    """A VP preparing a review typed "first contact resolution", "CSAT" or "escalation rate"
    in the search box, the names the scorecard and every map show: "Nothing found" (or a
    survey's evidence), the KPIs being in no search. Each KPI is found by its name, and its
    result opens its map at the stage it measures."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    first, _ = _search(page, "first contact resolution")
    csat, _ = _search(page, "CSAT")
    assert first[:2] == ["KPI in: First contact resolution"] * 2, first  # the lockout's and the billing map's
    assert csat[0] == "KPI in: CSAT of billing tickets", csat
    page.locator("#search-results a", has_text="CSAT of billing tickets").click()
    page.wait_for_url("**/maps/billing-dispute.html#stage-*")
    stage = page.evaluate("location.hash.slice(1)")
    listed = page.locator(f"#{stage} .kpis").inner_text()
    page.close()
    assert "CSAT of billing tickets" in listed, listed


def test_a_search_that_finds_nothing_says_which_word_and_what_to_try(site: Path, browser) -> None:
    """ "billing SLA" said "Nothing found", where "billing" alone finds ten things: a search
    needs every word, and nothing said which one matched nothing nor what to do. The list
    names the word no map or team has and says to search without it; a query none of whose
    words is anywhere says to try another word."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    billing, _ = _search(page, "billing")
    _, one_word_missing = _search(page, "billing SLA")
    spoken = page.locator("#search-status").inner_text()
    _, nothing = _search(page, "xyzzy")
    page.close()
    assert len(billing) >= 5, billing
    assert one_word_missing.startswith("Nothing found"), one_word_missing
    assert "“sla”" in one_word_missing and "without it" in one_word_missing, one_word_missing
    assert "“sla”" in spoken, spoken  # a screen reader hears it too
    assert nothing.startswith("Nothing found") and "another word" in nothing, nothing


#: Each row of the canvas named for a lane of the blueprint, and each line between them; and
#: the key's terms with their meanings, as shown.
ROWS_AND_KEY = """() => [
  [...document.querySelectorAll(".canvas .lane-label, .canvas .blueprint-line span")].map(e => e.innerText.trim()),
  Object.fromEntries([...document.querySelectorAll(".lane-key dt")].filter(dt => dt.checkVisibility())
    .map(dt => [dt.innerText.trim(), dt.nextElementSibling.innerText.trim()]))]"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_canvas_s_rows_say_in_plain_words_what_they_hold(site: Path, browser, width: int) -> None:
    """Someone following a link to a map from a chat read rows named "Frontstage",
    "Backstage", "Support processes" and "Line of visibility", service blueprint words,
    with nothing on the page saying what they mean. Above the canvas a key, one tap away,
    says each in plain words."""
    page = browser.new_page(viewport={"width": width, "height": 844}, is_mobile=width < 500)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    page.get_by_text("What the rows mean").click()
    rows, key = page.evaluate(ROWS_AND_KEY)
    page.close()
    assert {"Frontstage", "Backstage", "Support processes", "Line of visibility"} <= set(rows), rows
    assert set(rows) <= set(key), (rows, key)
    assert all(len(meaning.split()) >= 4 for meaning in key.values()), key
    assert "customer" in key["Frontstage"] and "not see" in key["Backstage"], key


def test_a_team_s_counts_say_what_they_count(site: Path, browser) -> None:
    """A team lead read "Overdue 0" and "Findings 11" under the team's name: overdue what,
    found by whom? The counts name what they count, the findings' count (by severity in its title), linked
    to the team's findings on the Findings page."""
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    team = page.locator("section.team").filter(has=page.locator("h2", has_text="Finance")).first
    counts = team.locator("dl.facts dt").all_inner_texts()
    link = team.locator("dl.facts dd a")
    said = (link.inner_text(), link.get_attribute("title"))
    page.close()
    assert counts == [
        "Maps owned",
        "Stages owned",
        "Steps owned",
        "Handoffs made",
        "Handoffs received",
        "Open opportunities",
        "Opportunities overdue",
        "Findings in its maps",
    ], counts
    assert said == ("3", "1 warning and 2 notes, on the Findings page"), said


#: Each step's row cell as shown: its label (on a phone, the card's), the row's name and the
#: words under it.
STEP_ROWS = """() => [...document.querySelectorAll("table.steps tbody tr")].map(tr => {
  const cell = tr.querySelectorAll("td")[0], says = cell.querySelector(".lane-says");
  return [cell.dataset.label, cell.firstChild.textContent.split(" · ")[0].trim(), says && says.checkVisibility() ? says.innerText.trim() : null];
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_step_s_row_on_the_map_is_said_in_the_key_s_plain_words(site: Path, browser, width: int) -> None:
    """Each step said "Lane · channel: Support processes" (on a phone, the label of its card):
    "lane" and the blueprint's names, words a support director never met. The step names its
    row as the canvas does and, under it, says what the row holds in the words of the
    canvas's key ("What the rows mean")."""
    page = browser.new_page(viewport={"width": width, "height": 844}, is_mobile=width < 500)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    page.get_by_text("What the rows mean").click()
    _, key = page.evaluate(ROWS_AND_KEY)
    steps = page.evaluate(STEP_ROWS)
    page.close()
    assert steps and {"Backstage", "Support processes"} <= {row for _, row, _ in steps}, steps
    for label, row, says in steps:
        assert "lane" not in label.lower(), label
        assert says == key[row], (row, says)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_format_page_s_example_says_it_scrolls_sideways_only_when_it_does(
    site: Path, browser, width: int
) -> None:
    """The format page's example map was named "An example map (scrolls sideways)" for a
    screen reader at every width: at 1280 px, where it fits, it announced a scroll there is
    not. Named as the tables are: the words only while it is wider than its frame."""
    page = browser.new_page(viewport={"width": width, "height": 844}, is_mobile=width < 500)
    page.goto((site / "format.html").as_uri())
    example = page.locator("pre", has_text="id: admin-locked-out")
    name, scrolls = example.evaluate('p => [p.getAttribute("aria-label"), p.scrollWidth > p.clientWidth + 1]')
    page.close()
    assert scrolls == (width < 500), (width, name)
    assert name == ("An example map (scrolls sideways)" if scrolls else "An example map"), name


#: Each shown card of the Portfolio's ranked pain points: each value's label -> the top and
#: left of its cell.
RANKED_CARDS = """() => [...document.querySelectorAll("#ranked-pains tbody tr")].filter(tr => tr.checkVisibility())
  .map(tr => Object.fromEntries([...tr.querySelectorAll("td[data-label]")].map(td => {
    const box = td.getBoundingClientRect();
    return [td.dataset.label, [Math.round(box.top), Math.round(box.left)]];
  })))"""


def test_a_ranked_pain_point_on_a_phone_shows_its_figures_side_by_side(site: Path, browser) -> None:
    """On a phone each of the Portfolio's ranked pain points was a card of eight lines, one a
    figure (kind, volume, severity, their product, cost, revenue at risk), 330-400 px high:
    two pain points a screen. Its figures now stand three a line, and the team filter still
    hides the pain points of other teams."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / "portfolio.html").as_uri())
    cards = page.evaluate(RANKED_CARDS)
    page.select_option("select[data-filter=team]", "finance")
    filtered = page.evaluate(RANKED_CARDS)
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert cards
    for card in cards:
        figures = {top for label, (top, _) in card.items() if label not in ("Rank", "Journey")}
        assert len(figures) == 2, card  # six figures on two lines
        assert card["Kind"][0] == card["Volume / month"][0] == card["Severity"][0], card
        assert card["Kind"][1] < card["Volume / month"][1] < card["Severity"][1], card
        assert card["Volume \u00d7 severity"][0] > card["Kind"][0], card
    assert 0 < len(filtered) < len(cards)
    assert wide <= 390


@pytest.mark.parametrize("name", ["billing-dispute", "admin-locked-out"])
def test_a_map_s_pain_point_on_a_phone_shows_its_figures_side_by_side(site: Path, browser, name: str) -> None:
    """A map's pain points on a phone were the Portfolio's cards: a figure a line. Its figures
    stand three a line too; a cost counted once says so under it, on a line of its own."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / "maps" / f"{name}.html").as_uri())
    cards = page.evaluate(RANKED_CARDS.replace("#ranked-pains", ".phone-cards > table.ranked"))
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert cards and wide <= 390
    for card in cards:
        assert card["Kind"][0] == card["Volume / month"][0] == card["Severity"][0], card
        assert card["Kind"][1] < card["Volume / month"][1] < card["Severity"][1], card
        assert card["Volume \u00d7 severity"][0] > card["Kind"][0], card


@pytest.mark.parametrize("width", [390, 1280])
def test_a_stage_s_owner_reads_as_one_phrase(site: Path, browser, width: int) -> None:
    """Each stage said "Owner:" and, a wide gap further, its team ("Owner:     Finance"), as
    if they were two things: the line lays its parts out with gaps between them, and the
    words and the team's link were two of its parts. They read "Owner: Finance", as the
    map's own owner does at its top."""
    page = browser.new_page(viewport={"width": width, "height": 844}, is_mobile=width < 500)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    gaps = page.evaluate("""() => [...document.querySelectorAll("li.stage > .meta a")].map(a => {
      const words = document.createRange(), link = a.getBoundingClientRect();
      const owner = [...a.parentNode.childNodes].find(n => n.nodeType === 3 && n.textContent.includes("Owner:"));
      words.selectNodeContents(owner);
      return Math.round(link.left - words.getBoundingClientRect().right);
    })""")
    page.close()
    assert gaps and all(gap < 8 for gap in gaps), gaps  # a space, not the line's gap (16 px)
