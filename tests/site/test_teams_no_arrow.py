"""The Teams page of a project where no team hands a case to another: no handoff diagram
(every team an unconnected box in a column, printed at ~3.5 pt for fourteen teams, told a
support director nothing), a sentence saying why (the team links below it name the teams),
and nothing in the site pointing at a diagram that is not made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_presenting_paper import sheet_lines

from conftest import MAP_HEAD, write_files
from in_process import jm_here

#: Fourteen teams, one map owned by the last, whose steps stay with it: no handoff.
TEAMS = "teams:\n" + "".join(
    f"  - {{id: t{i:02d}, name: Team {i:02d}, contact: '#t{i:02d}'}}\n" for i in range(14)
)
STAGES = "".join(
    f"  - id: st{i}\n    name: Stage {i}\n    steps:\n      - {{id: s{i}, name: Step {i}}}\n"
    for i in range(3)
)
MAP = "id: m\ntitle: M\n" + MAP_HEAD.replace("owner: support", "owner: t13") + "stages:\n" + STAGES
#: The sentence stops there: it named the fourteen teams after it, which the row of team
#: links right below it names again.
SAID = "No team hands a case to another in any journey, so there are no handoffs to draw."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project's site, built by the CLI, and what the build said."""
    project = tmp_path_factory.mktemp("no-handoff")
    write_files(project, {"journeymaps.toml": "", "maps/m.yaml": MAP, "maps/teams.yaml": TEAMS})
    result = jm_here(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site", result.stdout


def test_the_teams_page_shows_no_diagram_and_says_no_team_hands_a_case_on(
    built: tuple[Path, str], browser
) -> None:
    site, _ = built
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "teams.html").as_uri())
    section = page.locator("section[aria-labelledby=handoff-diagram]")
    assert section.locator("img, figure, a").count() == 0
    said = section.locator(".no-handoffs")
    assert said.inner_text() == SAID
    # every team is still named, in the links right below the sentence
    assert page.locator("nav[aria-label=Teams] a").all_inner_texts() == [f"Team {i:02d}" for i in range(14)]
    box = said.bounding_box()
    assert box and box["x"] + box["width"] <= 1280
    page.close()


def test_the_printed_teams_page_has_no_diagram_and_says_why_on_its_first_sheet(
    built: tuple[Path, str], browser
) -> None:
    """Printed, the column of fourteen boxes was scaled to 8.5 cm: names ~3.5 pt."""
    site, _ = built
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator("main img:visible, main svg:visible").count() == 0
    first = " ".join(sheet_lines(page.pdf(format="Letter"))[0])
    assert SAID in first
    page.close()


def test_no_page_points_at_a_team_handoff_diagram_that_is_not_made(built: tuple[Path, str]) -> None:
    """Neither the diagram nor its full-size page is written, and no page, search entry or
    home link leads to them; the home page's and the search's links to teams arrive."""
    site, _ = built
    assert not list(site.glob("diagrams/team-handoffs.*"))
    written = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".js")]
    assert [p.name for p in written if "team-handoffs" in p.read_text("utf-8")] == []
    teams_page = (site / "teams.html").read_text("utf-8")
    ids = set(re.findall(r'id="([^"]+)"', teams_page))
    search = " ".join(p.read_text("utf-8") for p in (site / "static" / "search" / "m").glob("*.js"))
    wanted = re.findall(r'"teams\.html#([^"]+)"', search)
    assert len(wanted) == 14 and set(wanted) <= ids, set(wanted) - ids
    assert 'href="teams.html"' in (site / "index.html").read_text("utf-8")


def test_the_build_counts_only_the_diagrams_it_drew(built: tuple[Path, str]) -> None:
    site, said = built
    drawn = list(site.glob("diagrams/*.svg"))
    assert len(drawn) == 2, drawn  # the map's journey and blueprint
    # drawn here or taken from the cache: either way two, not three
    assert re.search(r"1 map, 2 diagrams \(\d drawn, \d from the cache\)", said), said
