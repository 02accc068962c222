"""journeymaps serve with a teams.yaml (or personas.yaml) that cannot be read: every map's
owners and people hang on it, so the site built without it was silently another one (teams
shown by their ids, their contacts gone) and no page said why; only the home page listed it,
as a "map missing from the site". As for broken settings, the last good site stays served
and every open page says why, ``file:line:col`` and rule, until the file is fixed."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import http_get, jm, serving

FIXTURE = Path(__file__).parent / "fixture"
BANNER = "#journeymaps-rebuild-failed"
TEAMS_HEADING = 'id="team-finance-title">Finance</h2>'


def _project(tmp_path: Path) -> tuple[Path, Path, str]:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    teams = project / "maps" / "teams.yaml"
    return project, teams, teams.read_text()


def test_an_open_page_says_why_teams_yaml_broke_and_clears_once_it_is_fixed(
    tmp_path: Path, fixture_cache: Path, browser, screenshots: Path
) -> None:
    """Saved with a brace never closed while a map's page is open: that page says the rebuild
    failed, with the terminal's line; the teams keep their names (the last good site), and
    a page opened meanwhile says it too. Fixed, the page reloads where it was, clean."""
    project, teams, good = _project(tmp_path)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page()
        try:
            with page.expect_request(lambda r: "/__journeymaps/build?after=" in r.url):
                page.goto(served.base + "maps/refund.html#pain-twice")
            teams.write_text("teams:\n  - {id: support, name: Support\n")
            finding = served.until("[yaml-syntax]").strip()  # (not a save seen half written)
            said = served.until("the rebuild failed")
            assert "still serving the last site that built" in said
            assert re.fullmatch(r"maps/teams\.yaml:2:5: JM001 \[yaml-syntax\] error: .+", finding)

            banner = page.locator(BANNER)
            banner.wait_for(state="visible", timeout=20000)
            assert finding in banner.inner_text()
            assert page.title().startswith("Rebuild failed")
            assert page.url.endswith("maps/refund.html#pain-twice")
            page.screenshot(path=screenshots / "serve-teams-broken.png")
            status, body = http_get(served.base + "teams.html")
            assert status == 200 and "This page is out of date" in body
            assert TEAMS_HEADING in body  # not "finance", its id: the site is the last good one

            teams.write_text(good)
            page.wait_for_function("!document.querySelector('#journeymaps-rebuild-failed')", timeout=20000)
            assert not page.title().startswith("Rebuild failed")
            assert page.url.endswith("maps/refund.html#pain-twice")
            assert page.locator("h1").inner_text() == "Refund takes too long"
        finally:
            page.close()
        served.stop()


def test_markup_and_control_characters_from_teams_yaml_show_as_text(
    tmp_path: Path, fixture_cache: Path, browser
) -> None:
    """A schema error quotes the key the user wrote: ``<script>`` in it is shown, never run."""
    project, teams, good = _project(tmp_path)
    hostile = "<img src=x onerror=document.title=1>"  # short: a long key is cut in the message
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page()
        try:
            with page.expect_request(lambda r: "/__journeymaps/build?after=" in r.url):
                page.goto(served.base + "teams.html")
            teams.write_text(good.replace("name: Finance}", f'name: Finance, "{hostile}": 1}}'))
            served.until("[schema]")
            served.until("the rebuild failed")
            banner = page.locator(BANNER)
            banner.wait_for(state="visible", timeout=20000)
            text = banner.inner_text()
            assert hostile in text and "maps/teams.yaml:3:" in text and "[schema]" in text
            assert page.locator(f"{BANNER} script, {BANNER} img").count() == 0
            assert page.title().startswith("Rebuild failed") and not page.title().endswith("1")

            teams.write_text(good.replace("name: Finance}", "name: Fin\x1bance\x07}"))  # raw, in the file
            served.until("the rebuild failed")
            # The new failure reloads the page: while the new page is parsed, its banner may
            # not be there yet (CI saw querySelector's null once), so none counts as not yet.
            page.wait_for_function(
                "(document.querySelector('#journeymaps-rebuild-failed pre') || {textContent: ''})"
                ".textContent.includes('control')",
                timeout=20000,
            )
            shown = page.locator(f"{BANNER} pre").inner_text()
            assert "\x1b" not in shown and "\x07" not in shown
            assert "maps/teams.yaml:3:" in shown
        finally:
            page.close()
        served.stop()


def _settles(url: str, done: Callable[[str], bool], timeout: float = 60) -> str:
    """The page at ``url`` once ``done`` holds for it (a rebuild may still be under way)."""
    deadline = time.monotonic() + timeout
    while not done(body := http_get(url)[1]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return body


def _unreadable(teams: Path, make: Callable[[], object]) -> None:
    """teams.yaml removed, and something else made in its place by ``make``."""
    teams.unlink()
    make()


def test_teams_yaml_attacked_while_serving(tmp_path: Path, fixture_cache: Path) -> None:
    """A link to itself, a huge file, a folder in its place: each said on the page, as build
    says it (an unreadable-file error); the folder removed is a change too (nothing was
    rebuilt, the page said "a folder" until another file was saved). Deleted: no registry,
    as build has it, and serve serves that site, unmarked. Broken and fixed within
    milliseconds, five times: the site as it was once it settles. Never a traceback."""
    project, teams, good = _project(tmp_path)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        url = served.base + "maps/refund.html"
        for make, said in (
            (lambda: os.symlink("teams.yaml", teams), "a loop of links"),  # noqa: PTH211
            (lambda: teams.write_bytes(b"teams:\n" + b"  - {id: a, name: A}\n" * 600_000), "over the limit"),
            (teams.mkdir, "the file is a folder"),
        ):
            _unreadable(teams, make)
            served.until("the rebuild failed")
            body = _settles(url, lambda b, said=said: said in b)
            assert "This page is out of date" in body
            assert "maps/teams.yaml:1:1: JM005 [unreadable-file] error: the file" in body and said in body

        teams.rmdir()  # deleted: no teams.yaml, no team checked
        served.until("Rebuilt in")
        assert "This page is out of date" not in http_get(url)[1]

        for _ in range(5):  # broken and fixed again quickly
            teams.write_text("teams: [\n")
            time.sleep(0.01)
            teams.write_text(good)
        teams_page = _settles(
            served.base + "teams.html", lambda b: TEAMS_HEADING in b and "This page is out of date" not in b
        )
        assert TEAMS_HEADING in teams_page and "This page is out of date" not in teams_page
        assert "This page is out of date" not in http_get(url)[1]
        out = served.stop()
        assert "Traceback" not in out and "internal error" not in out


def test_a_personas_yaml_that_cannot_be_read_is_said_on_every_page(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """personas.yaml is the other registry every map may name: the same as teams.yaml."""
    project, _, _ = _project(tmp_path)
    personas = project / "maps" / "personas.yaml"
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        personas.write_text("personas:\n  - id: owner\n    name: [Account owner\n")
        served.until("[yaml-syntax]")
        served.until("the rebuild failed")
        status, body = http_get(served.base + "index.html")
        assert status == 200 and "This page is out of date" in body
        assert re.search(r"maps/personas\.yaml:\d+:\d+: JM001 \[yaml-syntax\] error: ", body)
        personas.unlink()
        served.until("Rebuilt in")
        assert "This page is out of date" not in http_get(served.base + "index.html")[1]
        served.stop()


def test_serve_started_with_a_broken_teams_yaml_and_no_site_says_so_on_every_page(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """No site yet, so no last good one to keep: the site is built as build builds it
    (without the file), and its pages say so, and why, rather than showing teams by their ids
    as if nothing were wrong. Fixed, they reload without it."""
    project, teams, good = _project(tmp_path)
    teams.write_text("teams:\n  - {id: support, name: Support\n")
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        assert any("maps/teams.yaml:2:5: JM001 [yaml-syntax] error: " in s for s in served.said)
        status, body = http_get(served.base + "teams.html")
        assert status == 200 and "built without a file it needs" in body
        assert "maps/teams.yaml:2:5: JM001 [yaml-syntax] error: " in body
        assert "This page is out of date" not in body  # there is no other site
        # A map edited meanwhile is shown: the site kept would be no better one.
        refund = project / "maps" / "refund.yaml"
        refund.write_text(
            refund.read_text().replace("title: Refund takes too long", "title: Refund is quick")
        )
        served.until("Rebuilt in")
        status, body = http_get(served.base + "maps/refund.html")
        assert "<h1>Refund is quick</h1>" in body and "built without a file it needs" in body
        teams.write_text(good)
        served.until("Rebuilt in")
        status, body = http_get(served.base + "teams.html")
        assert "journeymaps-rebuild-failed" not in body and TEAMS_HEADING in body
        served.stop()


def test_serve_started_on_a_site_built_with_a_broken_teams_yaml_says_so(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """build wrote the site without teams.yaml (exit 1); serve found it up to date and
    served it as if nothing were wrong."""
    project, teams, _ = _project(tmp_path)
    teams.write_text("teams:\n  - {id: support, name: Support\n")
    env = {"JOURNEYMAPS_CACHE": str(fixture_cache)}
    assert jm(project, "build", env=env).returncode == 1
    with serving(project, env=env) as served:
        status, body = http_get(served.base + "index.html")
        assert status == 200 and "built without a file it needs" in body
        assert "maps/teams.yaml:2:5: JM001 [yaml-syntax] error: " in body
        served.stop()


def test_a_team_removed_from_teams_yaml_that_maps_still_name_is_said_on_every_page(
    tmp_path: Path, fixture_cache: Path, browser
) -> None:
    """teams.yaml reads, and no longer lists a team the maps name (renamed, or deleted):
    lint fails on it (unknown-team, exit 1); serve showed the team by its id on the Teams
    page, the reason only in the map page's findings, and said nothing on the terminal. The
    site is rebuilt, as build builds it, and every page, and the terminal, say which owners
    are unknown, until teams.yaml and the maps agree again."""
    project, teams, good = _project(tmp_path)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page()
        try:
            with page.expect_request(lambda r: "/__journeymaps/build?after=" in r.url):
                page.goto(served.base + "teams.html#team-support")
            teams.write_text(good.replace("name: Finance}", "name: Billing}").replace("finance", "billing"))
            served.until("Rebuilt in")
            finding = "maps/refund.yaml:20:12: JM103 [unknown-team] error: owner: team 'finance' is not in maps/teams.yaml"
            assert any(finding in s for s in served.said)
            banner = page.locator(BANNER)
            banner.wait_for(state="visible", timeout=20000)
            text = banner.inner_text()
            assert "not listed in teams.yaml" in text and finding in text
            assert "maps/refund.yaml:38:12: JM103 [unknown-team]" in text
            assert "out of date" not in text  # the site is the new one
            assert page.locator("#team-billing-title").inner_text() == "Billing"
            assert page.url.endswith("teams.html#team-support")

            teams.write_text(good)
            page.wait_for_function("!document.querySelector('#journeymaps-rebuild-failed')", timeout=20000)
            assert page.locator("#team-finance-title").inner_text() == "Finance"
            assert page.url.endswith("teams.html#team-support")
        finally:
            page.close()
        served.stop()


@pytest.mark.parametrize("built_before", [False, True], ids=["no-site", "up-to-date-site"])
def test_serve_started_with_owners_naming_unlisted_teams_says_so(
    tmp_path: Path, fixture_cache: Path, built_before: bool
) -> None:
    """Started on such a project, its site built now or up to date already (build wrote it:
    findings, not unreadable files, exit 0): the pages say so from the start, not only after
    the next save."""
    project, teams, good = _project(tmp_path)
    teams.write_text(good.replace("  - {id: finance, name: Finance}\n", ""))
    env = {"JOURNEYMAPS_CACHE": str(fixture_cache)}
    if built_before:
        assert jm(project, "build", env=env).returncode == 0
    with serving(project, env=env) as served:
        status, body = http_get(served.base + "teams.html")
        assert status == 200 and "not listed in teams.yaml" in body
        assert "maps/refund.yaml:20:12: JM103 [unknown-team] error: owner: team &#x27;finance&#x27;" in body
        served.stop()


def test_owners_naming_unlisted_teams_are_said_again_once_a_failed_rebuild_is_undone(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """The settings broken and restored (the site up to date again): the pages said
    nothing more of the unknown owners the site still has."""
    project, teams, good = _project(tmp_path)
    teams.write_text(good.replace("  - {id: finance, name: Finance}\n", ""))
    settings = project / "journeymaps.toml"
    kept = settings.read_text()
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        url = served.base + "index.html"
        assert "not listed in teams.yaml" in http_get(url)[1]
        settings.write_text(kept + "bogus = 1\n")
        served.until("the rebuild failed")
        assert "This page is out of date" in http_get(url)[1]
        settings.write_text(kept)
        served.until("Rebuilt in")  # the pages change: they stop saying it failed
        body = http_get(url)[1]
        assert "This page is out of date" not in body and "not listed in teams.yaml" in body
        served.stop()
