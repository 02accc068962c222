"""Words a support director reads on the site, who never opens the YAML: where a file that
could not be read is wrong, said by the names on its map, not by the schema's path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import MAP_HEAD, TODAY, site_of
from journeymaps.site.words import DRAFT_WHY

TEAMS = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"


def _visible(html: str) -> str:
    """The page's words as a reader sees them (no tags, no attributes)."""
    return " ".join(re.sub(r"<[^>]+>", "", html).replace("&#39;", "'").split())


def test_a_file_that_could_not_be_read_says_where_by_the_names_on_its_map(tmp_path: Path) -> None:
    """The home page's alert said "stages[1].steps[0].channel: 'pigeon' is not one of …": the
    schema's path, jargon to a director. It names the map by its title and the place by its
    stage's and step's names; the file and line stay for the author, the path in a tooltip."""
    broken = (
        "id: refund\ntitle: Refund request\n" + MAP_HEAD + "stages:\n"
        "  - id: ask\n    name: Asks for a refund\n    owner: support\n"
        "    steps:\n      - {id: form, name: Fills in the form, channel: web}\n"
        "  - id: pay\n    name: Refund paid\n    owner: finance\n"
        "    steps:\n      - {id: mail, name: Gets the refund email, channel: pigeon}\n"
    )
    site = site_of(tmp_path, {"refund.yaml": broken, "teams.yaml": TEAMS})
    home = (site / "index.html").read_text("utf-8")
    alert = _visible(
        home[home.index('<div class="alert"') : home.index("</div>", home.index('class="alert"'))]
    )
    assert "Refund request: Stage “Refund paid”, step “Gets the refund email”, channel: 'pigeon'" in alert
    assert "in maps/refund.yaml, line 16" in alert
    assert "stages[" not in alert and "$." not in alert
    assert 'title="stages[1].steps[0].channel"' in home


def test_serve_s_kept_page_of_a_map_that_could_not_be_read_says_where_by_its_names(tmp_path: Path) -> None:
    """serve keeps a broken map's last page with a banner: it said "This map could not be
    read: maps/refund.yaml:16:… stages[1].steps[0].channel: 'pigeon' is not one of …", the
    schema's path the home page's alert no longer shows. It says the place by its stage's and
    step's names; the file, line and column stay for the author, the path in a tooltip."""
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "teams.yaml").write_text(TEAMS, "utf-8")
    refund = maps / "refund.yaml"
    written = (
        "id: refund\ntitle: Refund request\n" + MAP_HEAD + "stages:\n"
        "  - id: ask\n    name: Asks for a refund\n    owner: support\n"
        "    steps:\n      - {id: form, name: Fills in the form, channel: web}\n"
        "  - id: pay\n    name: Refund paid\n    owner: finance\n"
        "    steps:\n      - {id: mail, name: Gets the refund email, channel: email}\n"
    )
    refund.write_text(written, "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY, keep_broken=True)
    refund.write_text(written.replace("channel: email", "channel: pigeon"), "utf-8")
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY, keep_broken=True)
    page = (out / "maps" / "refund.html").read_text("utf-8")
    banner = page[page.index('<div class="alert"') : page.index("</div>", page.index('class="alert"'))]
    said = _visible(banner)
    assert said.startswith(
        "This map could not be read: Stage “Refund paid”, step “Gets the refund email”, channel: 'pigeon'"
    ), said
    assert "This is its last page that built" in said
    assert re.search(r"In maps/refund\.yaml:16:\d+$", said), said
    assert "stages[" not in said
    assert 'title="stages[1].steps[0].channel"' in banner


def _map(map_id: str, title: str, pains: str) -> str:
    return (
        f"id: {map_id}\ntitle: {title}\n" + MAP_HEAD + "stages:\n"
        "  - id: ask\n    name: Asks for a refund\n    owner: support\n"
        "    steps:\n      - {id: form, name: Fills in the form, channel: web}\n"
        + ("pain_points:\n" + pains if pains else "")
    )


def test_a_cause_in_another_map_that_no_longer_exists_is_said_in_words(tmp_path: Path) -> None:
    """A pain point caused by another map's pain point that was removed (or by a map that was)
    showed "billing/db-down" as a link to nowhere. It says so in words, with the map's title
    when there is one, and links the finding that reports it."""
    pain = "  - {{id: slow, at: ask, kind: process, summary: Refunds are slow, caused_by: [{refs}]}}\n"
    site = site_of(
        tmp_path,
        {
            "teams.yaml": TEAMS,
            "billing.yaml": _map("billing", "Invoice dispute", pain.format(refs="ask-first")),
            "refund.yaml": _map("refund", "Refund request", pain.format(refs="billing/db-down, ops/outage")),
        },
    )
    page = (site / "maps" / "refund.html").read_text("utf-8")
    said = _visible(page[page.index('<tr id="pain-slow">') :].split("</tr>")[0])
    assert (
        "Caused by: a pain point of Invoice dispute that no longer exists (see the finding); "
        "a pain point of “ops”, a map that no longer exists (see the finding)"
    ) in said, said
    assert "billing/db-down" not in said and "ops/outage" not in said
    assert page.count('<a href="#map-findings">see the finding</a>') == 2
    findings = _visible(page[page.index('id="map-findings"') :])
    assert "caused_by: no pain point 'db-down' in map 'billing'" in findings
    assert "caused_by: no map with id 'ops'" in findings
    # one of its own map that no longer exists, too
    billing = _visible((site / "maps" / "billing.html").read_text("utf-8"))
    assert "Caused by: a pain point of this map that no longer exists (see the finding)" in billing


def test_a_map_whose_steps_are_still_placeholders_is_marked_a_draft_on_its_card(
    tmp_path: Path, browser
) -> None:
    """A map made by `journeymaps new` with its steps still "TODO …" had a card like any
    finished journey's: a director took it for one. Its card says it is a draft, and how many
    steps are not written yet; on the page and as the filters draw it from the cards' data."""
    (tmp_path / "journeymaps.toml").write_text("maps-per-page = 1\n")
    steps = "    steps:\n      - {id: a, name: TODO the customer notices, channel: web}\n"
    steps += "      - {id: b, name: Searches the help center, channel: web}\n"
    draft = "id: draft\ntitle: Locked out\n" + MAP_HEAD + "stages:\n  - id: s\n    name: Start\n" + steps
    site = site_of(
        tmp_path, {"teams.yaml": TEAMS, "draft.yaml": draft, "refund.yaml": _map("refund", "Refund", "")}
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    static = {}
    for name in ("index.html", "index-2.html"):
        page.goto((site / name).as_uri())
        card = page.locator(".card").first
        static[card.locator("h2").inner_text()] = card.inner_text()
    assert "DRAFT: 1 OF 2 STEPS NOT WRITTEN YET" in static["Locked out"].upper()
    assert "draft" not in static["Refund"].lower()
    page.goto((site / "index-2.html").as_uri())
    page.locator("select[data-filter=state]").select_option("current")
    page.wait_for_selector("[data-filtered] .card")
    drawn = page.locator("[data-filtered] .card").first
    assert drawn.locator("h2").inner_text() == "Locked out"
    assert drawn.inner_text() == static["Locked out"]
    page.close()


def test_a_draft_map_s_page_and_canvas_say_it_is_a_draft_at_its_title(tmp_path: Path) -> None:
    """The home page's card and the portfolio marked a map whose steps are still "TODO …",
    but its own page and its canvas (printed, or saved as a PDF for a slide) showed it as
    any finished journey: a director opened it from its card and presented it. Both say it
    is a draft beside its state, as its card does."""
    files = {
        "teams.yaml": TEAMS,
        "draft.yaml": _with_opportunity("draft", "Locked out", "TODO the customer notices"),
        "refund.yaml": _with_opportunity("refund", "Refund", "Fills in the form"),
    }
    site = site_of(tmp_path, files)
    for name in ("draft.html", "draft.canvas.html"):
        page = (site / "maps" / name).read_text("utf-8")
        meta = page[page.index('<p class="meta">') :]
        meta = _visible(meta[: meta.index("</p>")])
        assert re.search("current state ?draft: 1 of 2 steps not written yet", meta), (name, meta)
        assert f'title="{DRAFT_WHY}"' in page
    for name in ("refund.html", "refund.canvas.html"):
        assert "not written yet" not in (site / "maps" / name).read_text("utf-8"), name


def _with_opportunity(map_id: str, title: str, step: str) -> str:
    return (
        f"id: {map_id}\ntitle: {title}\n" + MAP_HEAD + "stages:\n  - id: s\n    name: Start\n"
        "    steps:\n      - {id: a, name: " + step + ", channel: web}\n"
        "      - {id: b, name: Searches the help center, channel: web}\n"
        "opportunities:\n  - {id: o, believe: " + title + " fixed, will: fewer contacts, owner: support}\n"
    )


def test_an_opportunity_of_a_draft_map_is_marked_on_the_portfolio(tmp_path: Path) -> None:
    """The home page marks a map whose steps are still "TODO …" a draft; its opportunities
    on the portfolio's matrix looked like a finished journey's, and a director weighed them
    as such. Each says its map is a draft, on the matrix's cards and on a cell's own pages
    (the matrix past ``rows-per-page``), as the filters draw them too."""
    files = {
        "teams.yaml": TEAMS,
        "draft.yaml": _with_opportunity("draft", "Locked out", "TODO the customer notices"),
        "refund.yaml": _with_opportunity("refund", "Refund", "Fills in the form"),
    }
    site = site_of(tmp_path, files)
    portfolio = (site / "portfolio.html").read_text("utf-8")
    cards = {
        _visible(card).split(" fixed")[0]: _visible(card)
        for card in re.findall(r'<li class="card".*?</li>', portfolio)
    }
    assert "draft map: 1 of 2 steps not written yet" in cards["Locked out"], cards
    assert "draft" not in cards["Refund"]
    # The matrix as counts, each cell's opportunities on pages of their own.
    (tmp_path / "journeymaps.toml").write_text("rows-per-page = 1\n")
    shutil.rmtree(tmp_path / "maps")
    site = site_of(tmp_path, files)
    journeys = {}  # each opportunity's Journey cell
    for name in (
        "portfolio-medium-impact-medium-effort.html",
        "portfolio-medium-impact-medium-effort-2.html",
    ):
        page = (site / name).read_text("utf-8")
        for row in re.findall(r'<tr class="filterable".*?</tr>', page):
            cells = [_visible(cell) for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row)]
            journeys[cells[1]] = cells[2]
    assert journeys == {
        "Locked out fixed": "Locked out draft map: 1 of 2 steps not written yet",
        "Refund fixed": "Refund",
    }
    script = (site / "static/opportunities/medium-medium/support.js").read_text("utf-8")
    assert '"draft map: 1 of 2 steps not written yet"' in script
    assert script.count("draft map") == 1


def _draft_with_pain(map_id: str, title: str, step: str) -> str:
    """A map with one step named ``step``, a pain point and an opportunity, owned by support."""
    return _with_opportunity(map_id, title, step) + (
        "pain_points:\n  - {id: p, at: a, kind: process, summary: "
        + title
        + " hurts, volume: 40, severity: 3}\n"
    )


def test_a_pain_point_of_a_draft_map_is_marked_on_the_portfolio(tmp_path: Path, browser) -> None:
    """The portfolio marked a draft's opportunities but not its pain points: a placeholder
    map's pain point ranked among the real ones, and a director presented it as one. Its
    Journey cell says the map is a draft, on every page of the ranking and as the team
    filter draws the rows from their data (the ranking past ``rows-per-page``)."""
    (tmp_path / "journeymaps.toml").write_text("rows-per-page = 1\n")
    files = {
        "teams.yaml": TEAMS,
        "draft.yaml": _draft_with_pain("draft", "Locked out", "TODO the customer notices"),
        "refund.yaml": _draft_with_pain("refund", "Refund", "Fills in the form"),
    }
    site = site_of(tmp_path, files)
    journeys = {}  # each pain point's Journey cell, as each page writes it
    for name in ("portfolio.html", "portfolio-2.html"):
        page = (site / name).read_text("utf-8")
        body = page[page.index('<table class="ranked"') :]
        for row in re.findall(r'<tr class="filterable".*?</tr>', body):
            cells = [_visible(cell) for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row)]
            journeys[cells[1]] = cells[2]
    assert journeys == {
        "Locked out hurts": "Locked out draft map: 1 of 2 steps not written yet",
        "Refund hurts": "Refund",
    }
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "portfolio-2.html").as_uri())
    page.locator("select[data-filter=team]").first.select_option("support")
    page.wait_for_selector("#ranked-pains [data-filtered] tr")
    drawn = page.locator("#ranked-pains [data-filtered] tr", has_text="Locked out hurts")
    badge = drawn.locator(".badge.draft")
    assert badge.inner_text().lower() == "draft map: 1 of 2 steps not written yet"
    assert badge.get_attribute("title") == DRAFT_WHY
    page.close()


def test_an_opportunity_of_a_draft_map_is_marked_on_its_team_s_pages(tmp_path: Path) -> None:
    """A team's open opportunities listed a draft map's like a finished journey's. Each says
    its map is a draft: on the teams page, and past ``rows-per-page`` on the team's own
    page and its list of every open opportunity."""
    files = {
        "teams.yaml": TEAMS,
        "draft.yaml": _with_opportunity("draft", "Locked out", "TODO the customer notices"),
        "refund.yaml": _with_opportunity("refund", "Refund", "Fills in the form"),
    }

    def items(page: str) -> dict[str, str]:
        html = page[page.index(">Open opportunities</h") :]
        html = html[: html.index("</ul>")]
        return {_visible(li).split(" fixed")[0]: _visible(li) for li in re.findall(r"<li>.*?</li>", html)}

    site = site_of(tmp_path, files)
    listed = items((site / "teams.html").read_text("utf-8"))
    assert listed["Locked out"].endswith("draft map: 1 of 2 steps not written yet"), listed
    assert "draft" not in listed["Refund"]
    # A page per team, and its open opportunities on a page of their own.
    (tmp_path / "journeymaps.toml").write_text("rows-per-page = 1\n")
    shutil.rmtree(tmp_path / "maps")
    site = site_of(tmp_path, files)
    first = items((site / "teams/support.html").read_text("utf-8"))
    assert list(first) == ["Locked out"]
    assert first["Locked out"].endswith("draft map: 1 of 2 steps not written yet"), first
    every = (site / "teams/support/opportunities.html").read_text("utf-8")
    every += (site / "teams/support/opportunities-2.html").read_text("utf-8")
    rows = {_visible(li).split(" fixed")[0]: _visible(li) for li in re.findall(r"<li>.*?</li>", every)}
    assert rows["Locked out"].endswith("draft map: 1 of 2 steps not written yet"), rows
    assert "draft" not in rows["Refund"]
    assert f'title="{DRAFT_WHY}"' in every


def test_a_draft_map_and_what_it_holds_are_marked_in_the_search_results(tmp_path: Path, browser) -> None:
    """The home page, the portfolio, the team pages, the map's page and its canvas mark a map
    whose steps are still "TODO …" a draft; the search box listed it, its steps and its
    opportunities like a finished journey's, and a director opened one from there. Each result
    of a draft says so, with the badge the cards have; a finished map's results do not."""
    files = {
        "teams.yaml": TEAMS,
        "draft.yaml": _with_opportunity("draft", "Locked out", "TODO the customer notices"),
        "refund.yaml": _with_opportunity("refund", "Refund", "Fills in the form"),
    }
    site = site_of(tmp_path, files)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "index.html").as_uri())
    page.locator("#search-input").fill("fixed")  # both maps' opportunities
    page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
    found = page.locator("#search-results a")
    said = {
        found.nth(i).evaluate("a => a.childNodes[1].textContent"): found.nth(i) for i in range(found.count())
    }
    assert set(said) == {"Locked out fixed", "Refund fixed"}, said
    badge = said["Locked out fixed"].locator(".badge.draft")
    assert badge.inner_text().lower() == "draft map: 1 of 2 steps not written yet"
    assert badge.get_attribute("title") == DRAFT_WHY
    assert said["Refund fixed"].locator(".badge").count() == 0
    page.locator("#search-input").fill("locked out")  # the map itself, first
    page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
    first = page.locator("#search-results a").first
    assert first.evaluate("a => a.childNodes[1].textContent") == "Locked out"
    assert first.locator(".badge.draft").inner_text().lower() == "draft: 1 of 2 steps not written yet"
    page.close()


def test_the_portfolio_s_ranking_says_which_pain_points_put_revenue_at_risk(tmp_path: Path, browser) -> None:
    """The portfolio's headline adds up "$36,000 revenue at risk a year", its teams' table too,
    but its ranking of pain points had no such column: a director asked which pain point it
    was and had to open each map (whose own ranking has the column). It says so beside each
    pain point, on every page of the ranking and as the team filter draws the rows."""
    (tmp_path / "journeymaps.toml").write_text(
        "cost-per-contact = 10\nvalue-per-customer = 1000\nrows-per-page = 1\n"
    )
    churn = _draft_with_pain("refund", "Refund", "Fills in the form").replace(
        "severity: 3}", "severity: 3, customers_at_risk: 3}"
    )
    files = {
        "teams.yaml": TEAMS,
        "refund.yaml": churn,
        "late.yaml": _draft_with_pain("late", "Late", "Waits").replace("severity: 3}", "severity: 2}"),
    }
    site = site_of(tmp_path, files)
    cells = {}  # each pain point's row, as each page writes it
    for name in ("portfolio.html", "portfolio-2.html"):
        page = (site / name).read_text("utf-8")
        body = page[page.index('<table class="ranked"') :]
        heads = [_visible(h) for h in re.findall(r'<th scope="col">(.*?)</th>', body)]
        assert heads[-1] == "Revenue at risk / year", heads
        for row in re.findall(r'<tr class="filterable".*?</tr>', body):
            row_cells = [_visible(cell) for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row)]
            cells[row_cells[1]] = row_cells[-1]
    assert cells == {"Refund hurts": "$3,000 3 customers at risk", "Late hurts": "—"}, cells
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "portfolio-2.html").as_uri())
    page.locator("select[data-filter=team]").first.select_option("support")
    page.wait_for_selector("#ranked-pains [data-filtered] tr")
    drawn = page.locator("#ranked-pains [data-filtered] tr", has_text="Refund hurts").locator("td").last
    assert " ".join(drawn.inner_text().split()) == "$3,000 3 customers at risk"
    page.close()


def test_the_portfolio_not_costed_yet_names_the_setting_and_its_file(tmp_path: Path) -> None:
    """The portfolio said "Not costed yet: … set cost-per-contact in the project settings",
    and a director looked for a page of settings. It names the file to write it in, as the
    home page hints, and what the setting is."""
    pain = "  - {id: slow, at: ask, kind: process, summary: Refunds are slow, volume: 40, severity: 3}\n"
    site = site_of(tmp_path, {"teams.yaml": TEAMS, "refund.yaml": _map("refund", "Refund request", pain)})
    portfolio = _visible((site / "portfolio.html").read_text("utf-8"))
    assert (
        "Not costed yet: give pain points a volume (contacts a month) and set cost-per-contact "
        "(what one contact costs) in journeymaps.toml, the project settings, to see what they cost a year."
    ) in portfolio


def test_a_handoff_behind_the_scenes_losing_context_says_the_team_asks_again(tmp_path: Path) -> None:
    """Support passing a case to Finance out of the customer's sight, its notes lost: the
    map page's handoffs table and the canvas card said "the customer repeats themselves",
    while the finding said the receiving team asks again. A customer handed on still
    repeats themselves."""
    steps = (
        "    steps:\n"
        "      - {id: log, name: Logs the dispute, channel: web, lane: backstage, owner: support}\n"
        "      - {id: check, name: Checks the invoice, channel: web, lane: backstage, owner: finance}\n"
        "      - {id: call, name: Calls the customer, channel: phone, lane: frontstage, owner: finance}\n"
    )
    text = (
        "id: dispute\ntitle: Invoice dispute\n" + MAP_HEAD + "stages:\n"
        "  - id: work\n    name: Works the dispute\n    owner: support\n" + steps + "handoffs:\n"
        "  - {from: work.log, to: work.check, sla: 1d, context: lost}\n"
        "  - {from: work.check, to: work.call, sla: 1d, context: lost}\n"
    )
    site = site_of(tmp_path, {"dispute.yaml": text, "teams.yaml": TEAMS})
    html = (site / "maps" / "dispute.html").read_text("utf-8")
    rows: dict[str, str] = {}  # the handoffs table's, which comes before the channel switches'
    for row in re.findall(r"<tr><td[^>]*>.*?</tr>", html):
        rows.setdefault(_visible(row).split(" (")[0], _visible(row))
    assert "lost: the receiving team asks again" in rows["Logs the dispute"]
    assert "customer" not in rows["Logs the dispute"]
    assert "lost: the customer repeats themselves" in rows["Checks the invoice"]
    canvas = _visible((site / "maps" / "dispute.canvas.html").read_text("utf-8"))
    assert "Handoff to Finance, SLA 1 day; context lost: the receiving team asks again" in canvas
