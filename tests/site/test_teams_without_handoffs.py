"""The teams' handoff diagram as a support director reads it: only the teams that hand cases
on or receive them are drawn among the arrows; the others are named under it, not left
floating as lone boxes that make the reader wonder what they mean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def test_with_no_handoff_at_all_every_team_is_drawn_and_the_page_says_why(tmp_path: Path, browser) -> None:
    """No journey hands a case on: the diagram still shows the teams, and says there is no arrow."""
    body = "stages:\n  - id: a\n    name: A\n    steps:\n      - {id: s, action: Asks, owner: support}\n"
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"
    site = site_of(tmp_path, {"m.yaml": "id: m\ntitle: M\n" + MAP_HEAD + body, "teams.yaml": teams})
    assert _drawn_teams(site) == {"support", "finance"}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "teams.html").as_uri())
    assert page.locator(".no-handoffs").inner_text() == "No team hands a case to another in any journey."
    page.close()
