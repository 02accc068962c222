"""The home page's alert of files that could not be read, when one is teams.yaml or
personas.yaml: it said "These maps are missing from the site until they are fixed" and
listed the file as one of them. No map is missing: every map is there, its teams shown by
their ids (their names and contacts gone), or its shared persona left out. A support
director read of a map that was not there, and nothing of what was wrong on every page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import http_get, jm, serving
from in_process import jm_here

FIXTURE = Path(__file__).parent / "fixture"
MISSING = "These maps are missing from the site"
TEAMS_SAID = "The list of teams could not be read"
TEAMS_MEANWHILE = (
    "No map is missing because of it: until it is fixed, the teams it lists are shown by their ids, "
    "without their names or contacts."
)
#: teams.yaml broken in each way a director may meet: (its text, or None for a folder in its
#: place; where its finding is).
BROKEN_TEAMS = {
    "invalid-yaml": ("teams:\n  - {id: support, name: Support\n", "maps/teams.yaml:2:5"),
    "schema-invalid": ("teams:\n  - {id: support, name: Support, colour: red}\n", "maps/teams.yaml:2:"),
    "a-folder": (None, "maps/teams.yaml:1:1"),
}


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    return project


def _break_teams(project: Path, text: str | None) -> None:
    teams = project / "maps" / "teams.yaml"
    teams.unlink()
    if text is None:
        teams.mkdir()
    else:
        teams.write_text(text)


def _alert(page_html: str) -> str:
    """The home page's alert as a reader reads it (no tags), spaces squeezed."""
    start = page_html.index('<div class="alert"')
    shown = re.sub(r"<[^>]+>", "", page_html[start : page_html.index("</div>", start)])
    return " ".join(shown.replace("&#39;", "'").replace("&amp;", "&").split())


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("case", list(BROKEN_TEAMS))
def test_a_broken_teams_yaml_is_said_as_the_teams_not_as_a_missing_map(
    tmp_path: Path, fixture_cache: Path, browser, screenshots: Path, case: str, width: int
) -> None:
    """Which file, where (file:line:col), and what the site shows meanwhile; no map said
    missing. Seen in a browser, on a desktop and a phone."""
    text, where = BROKEN_TEAMS[case]
    project = _project(tmp_path)
    _break_teams(project, text)
    result = jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(fixture_cache)})
    assert result.returncode == 1, result.stderr
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page.goto((project / "site" / "index.html").as_uri())
        alert = page.locator(".alert")
        said = " ".join(alert.inner_text().split())
        alert.screenshot(path=screenshots / f"home-unread-teams-{case}-{width}.png")
        fits = alert.evaluate("a => a.scrollWidth <= a.clientWidth")
        cards = page.locator(".card").count()
    finally:
        page.close()
    assert MISSING not in said, said
    assert TEAMS_SAID in said and TEAMS_MEANWHILE in said, said
    assert f"in {where}" in said, said
    assert fits, "the alert is wider than the page"
    assert cards == 1  # the map is there


def test_a_broken_personas_yaml_says_its_personas_are_left_out(tmp_path: Path, fixture_cache: Path) -> None:
    """The map naming a shared persona shows none while personas.yaml cannot be read."""
    project = _project(tmp_path)
    refund = project / "maps" / "refund.yaml"
    refund.write_text(re.sub(r"(?m)^persona: .*$", "persona: owner", refund.read_text()))
    (project / "maps" / "personas.yaml").write_text("personas:\n  - id: owner\n    name: [Account owner\n")
    assert jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(fixture_cache)}).returncode == 1
    said = _alert((project / "site" / "index.html").read_text("utf-8"))
    assert MISSING not in said, said
    assert (
        "The list of personas could not be read (maps/personas.yaml). No map is missing because of it: until it is "
        "fixed, the personas it lists are left out, and maps that name one show no persona."
    ) in said, said
    assert "in maps/personas.yaml:3:11" in said, said


def test_a_broken_map_and_a_broken_teams_yaml_are_each_said_as_what_they_are(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """The maps' case kept: a map that cannot be read is still listed as missing, by itself."""
    project = _project(tmp_path)
    _break_teams(project, "teams:\n  - {id: support, name: Support\n")
    (project / "maps" / "broken.yaml").write_text("id: broken\ntitle: Broken map\nowner: support\n")
    assert jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(fixture_cache)}).returncode == 1
    said = _alert((project / "site" / "index.html").read_text("utf-8"))
    assert TEAMS_SAID in said and TEAMS_MEANWHILE in said, said
    maps = said[said.index(MISSING) :]
    assert maps.startswith(f"{MISSING} until they are fixed: Broken map: Missing required key 'stages'"), said
    assert "teams.yaml" not in maps, said


def test_markup_in_teams_yaml_is_shown_as_text_on_the_home_page(tmp_path: Path, fixture_cache: Path) -> None:
    """A schema error quotes the key the user wrote; a top-level ``title`` is no map's title."""
    project = _project(tmp_path)
    hostile = "<img src=x onerror=alert(1)>"
    _break_teams(
        project, f'title: "<b>Map</b>"\nteams:\n  - {{id: support, name: Support, "{hostile}": 1}}\n'
    )
    assert jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(fixture_cache)}).returncode == 1
    index = (project / "site" / "index.html").read_text("utf-8")
    alert = index[index.index('<div class="alert"') : index.index("</div>", index.index('class="alert"'))]
    assert "<img" not in alert and "<b>" not in alert
    assert "&lt;img src=x onerror=alert(1)&gt;" in alert
    assert TEAMS_SAID in _alert(index)


def test_serve_on_a_site_built_without_teams_yaml_says_it_on_the_home_page(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """serve's "built without a file it needs" case: its banner says so, and the home page's
    alert under it says the same file, not a missing map."""
    project = _project(tmp_path)
    _break_teams(project, "teams:\n  - {id: support, name: Support\n")
    env = {"JOURNEYMAPS_CACHE": str(fixture_cache)}
    assert jm(project, "build", env=env).returncode == 1
    with serving(project, env=env) as served:
        status, body = http_get(served.base + "index.html")
        served.stop()
    assert status == 200 and "built without a file it needs" in body
    said = _alert(body[body.index('<div class="alert"') :])
    assert MISSING not in said, said
    assert TEAMS_SAID in said and TEAMS_MEANWHILE in said and "in maps/teams.yaml:2:5" in said, said


def test_a_teams_yaml_with_many_problems_lists_the_first_few_and_counts_the_rest(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """300 teams each with a stray key: the alert listed all 300, every map's card far below."""
    project = _project(tmp_path)
    _break_teams(
        project, "teams:\n" + "".join(f"  - {{id: t{i}, name: T, colour{i}: red}}\n" for i in range(300))
    )
    assert jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(fixture_cache)}).returncode == 1
    index = (project / "site" / "index.html").read_text("utf-8")
    said = _alert(index)
    assert said.count("in maps/teams.yaml:") == 5, said
    assert said.endswith("…and 295 more problems in this file: see every finding"), said
