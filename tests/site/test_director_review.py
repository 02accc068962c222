"""A support director's review of the site: what the canvas, the handoff tables, the personas
page and the scorecard say to someone presenting them to leadership, without the YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MAP_HEAD, TODAY, build_examples, site_of
from journeymaps.diagrams.teams import TEAMS_LEGEND
from journeymaps.settings import load_settings
from journeymaps.site.build import build


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


def _stage_heads(page: Path) -> list[str]:
    """The text of each stage's head on a canvas, tags dropped and spaces squeezed."""
    heads = re.findall(r'<div class="stage-head[^"]*"[^>]*>(.*?)</div>', page.read_text("utf-8"), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in heads]


def test_each_stage_of_the_canvas_says_how_much_data_backs_it(tmp_path: Path) -> None:
    """How many data sources validate a stage was shown nowhere on the canvas: a director saw
    a guessed stage drawn like a measured one. A future-state map is a hypothesis: not judged."""
    current = (
        "id: now\ntitle: Now\n" + MAP_HEAD + "stages:\n"
        "  - id: a\n    name: Asks\n    evidence: [{source: zendesk, kind: tickets}]\n"
        "  - id: b\n    name: Waits\n"
        "  - id: c\n    name: Hears back\n    evidence: [{source: delighted, kind: survey}]\n"
        "    steps: [{id: s, name: Reads, lane: customer, evidence: [{source: intercom, kind: transcript}]}]\n"
    )
    future = (
        "id: next\ntitle: Next\nstate: future\nbased_on: now\n"
        + MAP_HEAD
        + "stages:\n  - id: a\n    name: Asks\n"
    )
    out = site_of(tmp_path, {"now.yaml": current, "next.yaml": future})
    heads = _stage_heads(out / "maps" / "now.html")
    assert heads == [
        "1 Asks No owner Backed by 1 data source",
        "2 Waits No owner No data behind it: a guess",
        "3 Hears back No owner Backed by 2 data sources ■ The journey ends here",
    ]
    assert not any("data" in h for h in _stage_heads(out / "maps" / "next.html"))


def test_what_happens_to_the_customer_s_story_reads_in_words(tmp_path: Path) -> None:
    """The handoff and channel-switch tables said "Context: carried" and, where the map is
    silent, "not said": jargon, and a refusal where nothing was written down."""
    body = (
        "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n"
        "  - id: a\n    name: A\n    evidence: [{source: zendesk, kind: tickets}]\n    steps:\n"
        "      - {id: chat, name: Chats, lane: support, channel: chat, owner: support}\n"
        "      - {id: call, name: Calls, lane: support, channel: phone, owner: finance, context: carried}\n"
        "      - {id: mail, name: Mails, lane: frontstage, channel: email, owner: finance}\n"
        "handoffs:\n  - {from: a.chat, to: a.call, sla: 4h, context: carried}\n"
    )
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"
    page = (site_of(tmp_path, {"m.yaml": body, "teams.yaml": teams}) / "maps" / "m.html").read_text("utf-8")
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", r).split())
        for r in re.findall(r"<tr><td[^>]*>(.*?)</tr>", page, re.S)
    ]
    # both steps behind the scenes: the case moves between teams, the customer is not handed on
    assert (
        "Chats (Support) Calls (Finance) 4 hours carried: the notes travel with the case not recorded on the map"
        in (rows)
    )
    assert "Chats (Chat) Calls (Phone) carried: the customer is not asked again" in rows, rows
    assert "Calls (Phone) Mails (Email) not recorded on the map" in rows, rows
    assert "not said" not in page


#: Each fact of each persona: [persona, label, label's box, value's box], and each photo's box.
PERSONA_FACTS = """() => [...document.querySelectorAll("section.persona")].map(s => ({
  name: s.querySelector("h2").textContent,
  photo: s.querySelector(".persona-photo")?.getBoundingClientRect().toJSON() ?? null,
  facts: [...s.querySelectorAll("dt")].map(dt => [dt.textContent,
    dt.getBoundingClientRect().toJSON(), dt.nextElementSibling.getBoundingClientRect().toJSON()]),
}))"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_persona_s_facts_are_laid_out_alike_beside_its_photo(site: Path, browser, width: int) -> None:
    """The workspace admin's archetype and goal were a list of label and value, then came its
    photo, then proficiency, channels and frustrations in a row of columns, labels above: two
    layouts for one persona, the photo between them. Now every fact is laid out as the first
    (label left of the value on a screen, above it on a phone) and the photo beside them."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "personas.html").as_uri())
    personas = page.evaluate(PERSONA_FACTS)
    page.close()
    admin = next(p for p in personas if p["name"] == "Workspace admin")
    assert [f[0] for f in admin["facts"]] == ["Archetype", "Goal", "Proficiency", "Prefers", "Frustrations"]
    for p in personas:
        labels = {round(dt["x"]) for _, dt, _ in p["facts"]}
        values = {round(dd["x"]) for _, _, dd in p["facts"]}
        assert len(labels) == 1 and len(values) == 1, p  # one column of labels, one of values
        for name, dt, dd in p["facts"]:
            beside = abs(dt["y"] - dd["y"]) < 4 and dd["x"] > dt["x"] + dt["width"]
            above = dd["y"] >= dt["y"] + dt["height"] - 1
            assert beside if width > 600 else above, (p["name"], name)
    photo, facts = admin["photo"], admin["facts"]
    assert photo and photo["x"] >= max(dd["x"] for _, _, dd in facts)  # beside them, not between
    assert photo["y"] < facts[1][1]["y"]  # level with the first facts


#: Each trend line's months as its hover title says them ("Jan 2026 to Oct 2026"), and the
#: months shown under it.
TREND_MONTHS = """svgs => svgs.map(svg => [
  svg.querySelector("title").textContent.match(/([A-Z][a-z]{2} \\d{4}) to ([A-Z][a-z]{2} \\d{4})/).slice(1).join(" to "),
  svg.nextElementSibling?.checkVisibility() ? svg.nextElementSibling.innerText : null,
  svg.nextElementSibling ? svg.nextElementSibling.getBoundingClientRect().top >= svg.getBoundingClientRect().bottom - 1 : null,
])"""


@pytest.mark.parametrize("name", ["scorecard.html", "maps/admin-locked-out.html"])
def test_a_trend_line_shows_the_months_it_covers(site: Path, browser, name: str) -> None:
    """The scorecard's Trend column was a squiggle: whether it ran over a quarter or a year
    was in a hover title only, which paper and phones never show; a map's was headed "Trend
    (12 months)" above lines of ten."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / name).as_uri())
    trends = page.locator("svg.spark").evaluate_all(TREND_MONTHS)
    assert "12 months" not in page.locator("main").inner_text()
    page.close()
    assert trends and all(shown == said and under for said, shown, under in trends), trends


def test_a_pain_point_s_volume_and_rank_figure_are_written_with_thousands_separators(tmp_path: Path) -> None:
    """Beside "$129,600" the ranked pain points read "3600" (volume times severity) and a declared
    volume "1200": figures a director reads aloud, written as the money beside them is."""
    body = (
        "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n"
        "  - id: a\n    name: A\n    evidence: [{source: zendesk, kind: tickets}]\n"
        "pain_points:\n  - {id: p, at: a, kind: process, summary: Waits., volume: 1200, severity: 4}\n"
    )
    out = site_of(tmp_path, {"m.yaml": body})
    for page in (out / "maps" / "m.html", out / "portfolio.html"):
        row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Waits\.(?:(?!</tr>).)*</tr>", page.read_text("utf-8"), re.S)
        assert row, page
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
        ]
        assert "1,200" in cells and "4,800" in cells, (page.name, cells)


#: Each cell of the impact x effort matrix shown: [its label, left, right], and the page's width.
MATRIX_CELLS = """() => [[...document.querySelectorAll("table.matrix td")].filter(td => td.checkVisibility())
  .map(td => [getComputedStyle(td, "::before").content, td.getBoundingClientRect().left,
              td.getBoundingClientRect().right, td.querySelectorAll("li").length]),
  document.documentElement.clientWidth]"""


def test_on_a_phone_the_impact_effort_matrix_is_a_list_of_labelled_cells(site: Path, browser) -> None:
    """At 390 px the matrix's three columns of opportunities were 140 px wide each, the words
    a few to a line, and the high-effort column was off the screen behind a sideways scroll."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((site / "portfolio.html").as_uri())
    cells, width = page.evaluate(MATRIX_CELLS)
    shown = sum(n for *_, n in cells)
    total = page.locator("table.matrix li").count()
    page.close()
    assert cells and shown == total  # every opportunity, and only cells that hold some
    for label, left, right, n in cells:
        assert re.fullmatch(r'"(high|medium|low) impact, (low|medium|high) effort"', label), label
        assert left >= 0 and right <= width and right - left > width * 0.8 and n, (label, left, right)


def test_the_teams_page_says_a_handoff_s_missing_context_as_the_map_page_does(tmp_path: Path) -> None:
    """A handoff whose map does not say whether the context travels read "context unknown" on
    the teams page and "not said" on the map's: now "not recorded" on both."""
    body = (
        "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n"
        "  - id: a\n    name: A\n    evidence: [{source: zendesk, kind: tickets}]\n    steps:\n"
        "      - {id: chat, name: Chats, lane: support, owner: support}\n"
        "      - {id: call, name: Calls, lane: support, owner: finance}\n"
        "handoffs:\n  - {from: a.chat, to: a.call, sla: 4h}\n"
    )
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"
    page = (site_of(tmp_path, {"m.yaml": body, "teams.yaml": teams}) / "teams.html").read_text("utf-8")
    said = {" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li>(.*?)</li>", page, re.S)}
    assert "To Finance , SLA 4 hours, context not recorded — M" in said, said
    assert "unknown" not in page


def test_a_site_of_one_folder_lists_on_its_teams_page_only_the_maps_it_has(tmp_path: Path) -> None:
    """Built from maps/b of a project whose maps/a holds another map, the site's home page
    listed map b alone, but its teams page listed map a too, linked to a page never written."""

    (tmp_path / "pyproject.toml").write_text("[tool.journeymaps]\n", "utf-8")
    maps = tmp_path / "maps"
    for name in ("a", "b"):
        (maps / name).mkdir(parents=True)
        (maps / name / f"{name}.yaml").write_text(
            f"id: map-{name}\ntitle: Map {name}\n"
            + MAP_HEAD
            + "stages:\n  - {id: s, name: S, owner: support}\n",
            "utf-8",
        )
    out = tmp_path / "site"
    build([maps / "b"], load_settings(tmp_path), tmp_path, out, today=TODAY)
    linked = set(re.findall(r'href="maps/([^"#]+)\.html', (out / "teams.html").read_text("utf-8")))
    assert linked == {"map-b"}, linked
    assert sorted(p.name for p in (out / "maps").iterdir()) == ["map-b.canvas.html", "map-b.html"]


def test_the_team_handoff_legend_takes_no_more_than_a_quarter_of_its_diagram(site: Path, browser) -> None:
    """Its lines wrapped at 44 characters, the teams page's legend stood nine lines high, a
    third of the diagram's height, above the six teams it explains. Each of its statements
    is one line now. (The diagram no longer draws the teams with no handoff, so it is lower
    than it was with seven boxes: the legend's four lines are 28 % of its height.)"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "diagrams" / "team-handoffs.svg").as_uri())
    legend, whole, lines = page.evaluate(
        "() => [document.getElementById('legend').getBoundingClientRect().height,"
        " document.querySelector('svg').getBoundingClientRect().height,"
        " [...document.querySelectorAll('#legend-words text')].map(t => t.textContent)]"
    )
    page.close()
    # Each line one whole statement of the legend, in its order: none wrapped.
    assert lines == [line for line in TEAMS_LEGEND.values() if line in lines], lines
    assert len(lines) >= 3, lines
    assert legend < whole / 3, (legend, whole)
