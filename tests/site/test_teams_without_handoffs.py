"""The teams' handoff diagram as a support director reads it: only the teams that hand cases
on or receive them are drawn among the arrows; the others are named under it, not left
floating as lone boxes that make the reader wonder what they mean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_presenting_paper import headings_alone, sheet_lines

from conftest import MAP_HEAD, build_examples, site_of


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


def _drawn_teams(site: Path) -> set[str]:
    svg = (site / "diagrams" / "team-handoffs.svg").read_text("utf-8")
    return {t.replace("&#45;", "-") for t in re.findall(r'<g id="team&#45;([^"]+)" class="node">', svg)}


@pytest.mark.parametrize("width", [1280, 390])
def test_teams_with_no_handoff_are_named_under_the_diagram_not_drawn_alone(
    site: Path, browser, width: int
) -> None:
    """Customer Success and Product hand nothing on and receive nothing: they were drawn as
    two boxes with no arrow, among the teams that do."""
    drawn = _drawn_teams(site)
    assert drawn == {"support", "tier-2", "engineering", "identity", "finance"}, drawn
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page.goto((site / "teams.html").as_uri())
    said = page.locator("#handoff-diagram ~ .no-handoffs")
    assert said.is_visible()
    assert said.inner_text() == "No handoffs: Customer Success, Product."
    # Right under the diagram, inside the page's width (a phone's too).
    figure = page.locator("figure.diagram").bounding_box()
    box = said.bounding_box()
    assert figure and box and 0 <= box["y"] - (figure["y"] + figure["height"]) < 60, (figure, box)
    assert box["x"] + box["width"] <= width
    page.close()


def test_the_printed_teams_page_names_the_teams_with_no_handoff(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".no-handoffs").is_visible()
    page.close()


def test_with_no_handoff_at_all_no_diagram_is_drawn_and_the_page_says_why(tmp_path: Path, browser) -> None:
    """No journey hands a case on: the teams drawn as a column of unconnected boxes told a
    director nothing. No diagram: the page says there is no handoff (the team links below it
    name the teams; the sentence named them too)."""
    body = "stages:\n  - id: a\n    name: A\n    steps:\n      - {id: s, name: Asks, owner: support}\n"
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"
    site = site_of(tmp_path, {"m.yaml": "id: m\ntitle: M\n" + MAP_HEAD + body, "teams.yaml": teams})
    assert not (site / "diagrams" / "team-handoffs.svg").exists()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "teams.html").as_uri())
    assert page.locator(".no-handoffs").inner_text() == (
        "No team hands a case to another in any journey, so there are no handoffs to draw."
    )
    assert page.locator("main figure, main img").count() == 0
    page.close()


@pytest.mark.parametrize(("paper", "sheets"), [("A4", 2), ("Letter", 2)])
def test_with_no_handoff_at_all_the_printed_teams_follow_the_diagram(
    tmp_path: Path, browser, paper: str, sheets: int
) -> None:
    """Fourteen teams, no handoff, one team owning the map: each other team prints only its
    name, contact and counts, whose "keep with the next list" ran on past the team's end and
    tied every team to the next. The whole run of teams began the second sheet, the first
    holding the title and the diagram alone, 41 % empty (three A4 sheets for two). With no
    diagram drawn (there is no arrow to show), Letter needs two sheets, not three."""
    teams = "teams:\n" + "".join(
        f"  - {{id: t{i:02d}, name: Team {i:02d}, contact: '#t{i:02d}'}}\n" for i in range(14)
    )
    stages = "".join(
        f"  - id: st{i}\n    name: Stage {i}\n    steps:\n      - {{id: s{i}, name: Step {i}}}\n"
        for i in range(3)
    )
    head = MAP_HEAD.replace("owner: support", "owner: t13")
    site = site_of(
        tmp_path, {"m.yaml": "id: m\ntitle: M\n" + head + "stages:\n" + stages, "teams.yaml": teams}
    )
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    pdf = page.pdf(format=paper)
    printed = sheet_lines(pdf)
    assert any(line.startswith("No team hands a case to another in any journey") for line in printed[0])
    assert "Contact: #t00" in printed[0], printed[0][-3:]
    assert len(printed) == sheets, [lines[-3:] for lines in printed]
    assert sum(line == f"Contact: #t{i:02d}" for lines in printed for line in lines for i in range(14)) == 14
    assert headings_alone(page, pdf) == []
    page.close()
