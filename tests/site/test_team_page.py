"""A team's own page (the teams page split past ``rows-per-page``) as its lead reads it: the
steps the team owns, the handoffs it makes and receives apart, and its findings under each of
its maps once, with how many of each kind, in a real browser."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_pb_examples  # noqa: F401 - fixtures
from test_director import text_bottom_per_sheet
from test_presenting_paper import headings_alone, printed, sheet_lines

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps with a page per team, each list whole (30 rows a list)."""
    out = tmp_path_factory.mktemp("teams") / "site"
    settings = dataclasses.replace(load_settings(ROOT), rows_per_page=30)
    build([ROOT / "maps"], settings, ROOT, out, today=TODAY)
    assert (out / "teams/support.html").is_file()
    return out


def test_a_team_page_lists_the_steps_its_team_owns(split: Path, browser) -> None:
    """Identity owns "Requests a password reset email" in a stage Support owns: its page
    listed only stages, so its lead never saw that step was theirs."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams/identity.html").as_uri())
    steps = page.locator("section.team").get_by_role("heading", name="Steps", exact=False)
    assert steps.is_visible()
    items = steps.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
    assert any(i.startswith("Requests a password reset email") for i in items), items
    facts = page.locator("dl.facts").inner_text()
    assert f"Steps owned\n{len(items)}" in facts, facts
    page.close()


def test_a_team_page_says_the_handoffs_it_makes_and_receives_apart(split: Path, browser) -> None:
    """Handoffs out and in were one list ("Out to …", "In from …" mixed): a lead asking "what
    do we receive, and with what SLA" read every line."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams/identity.html").as_uri())
    team = page.locator("section.team")
    received = team.get_by_role("heading", name="Handoffs received")
    assert received.is_visible()
    assert received.inner_text() == "Handoffs received (2)"
    items = received.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
    assert len(items) == 2 and all(i.startswith("From Customer Support (Tier 1), SLA ") for i in items), items
    assert team.get_by_role("heading", name="Handoffs made").count() == 0  # it makes none
    page.goto((split / "teams/support.html").as_uri())
    made = page.locator("section.team").get_by_role("heading", name="Handoffs made")
    assert made.inner_text() == "Handoffs made (4)"
    facts = page.locator("dl.facts").inner_text()
    assert "Handoffs made\n4" in facts and "Handoffs received\n0" in facts, facts
    page.close()


def test_a_team_page_names_each_map_of_its_findings_once_with_counts(split: Path, browser) -> None:
    """Support's 11 findings each repeated their map's title (11 times "Admin locked out of
    their account") and the page never said how many were warnings."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams/support.html").as_uri())
    findings = page.locator("section.team-findings")
    text = findings.inner_text()
    assert text.count("Admin locked out of their account") == 1, text
    group = findings.get_by_role("heading", name="Admin locked out of their account")
    assert group.is_visible()
    assert group.inner_text() == "Admin locked out of their account: 2 warnings and 9 notes"
    assert findings.locator("li.finding").count() == 11
    facts = page.locator("dl.facts").inner_text()
    assert "Findings in its maps\n11 (2 warnings and 9 notes)" in facts, facts
    page.close()


def test_the_teams_overview_counts_each_team_s_steps_and_handoffs_each_way(split: Path, browser) -> None:
    """The overview counted handoffs made and received as one number and no steps, unlike
    the team pages it links to."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams.html").as_uri())
    table = page.locator("table.team-overview")
    heads = table.locator("thead th").all_inner_texts()
    assert heads[1:6] == ["Maps owned", "Stages owned", "Steps owned", "Handoffs made", "Handoffs received"]
    identity = table.locator("tbody tr", has=page.get_by_role("link", name="Identity & Access"))
    assert identity.locator("td").all_inner_texts()[:5] == ["1", "3", "6", "0", "2"]
    page.close()


def test_the_one_teams_page_prints_without_each_team_s_steps(
    pb_examples: tuple[Path, dict[str, list[str]], set[str]], browser
) -> None:
    """Every team's steps listed on the one Teams page took it from four printed sheets to
    six, and their count and the handoffs' two wrapped each team's counts onto a second
    line (the first Letter sheet 12 % empty): on paper it is as before, the handoffs
    counted by their headings; a team's own page (split) prints its steps."""
    out = pb_examples[0]  # the examples with the repository's settings (built once, read-only)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((out / "teams.html").as_uri())
    support = page.locator("#team-support")
    steps = support.get_by_role("heading", name="Steps", exact=True)
    assert steps.is_visible()
    page.emulate_media(media="print")
    assert not steps.is_visible()
    facts = support.locator("dl.facts").inner_text()
    assert "Steps owned" not in facts and "Handoffs made" not in facts, facts
    assert support.get_by_role("heading", name="Handoffs made (4)").is_visible()
    page.close()


def test_the_printed_teams_overview_keeps_every_team_on_its_first_sheet(split: Path, browser) -> None:
    """With a column each for steps and handoffs made and received, team names wrapped onto
    two lines and the last team's row went alone onto a second A4 sheet."""
    page = browser.new_page()
    page.goto((split / "teams.html").as_uri())
    sheets = sheet_lines(printed(page, "A4"))
    page.close()
    assert len(sheets) == 1, [lines[-3:] for lines in sheets]
    assert any(line.startswith("Technical Support (Tier 2)") for line in sheets[0]), sheets[0][-5:]


def test_a_step_named_as_its_stage_is_not_said_twice(split: Path, browser) -> None:
    """Customer Success's page read "Post-incident survey — in Post-incident survey, …"."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams/success.html").as_uri())
    steps = page.locator("section.team").get_by_role("heading", name="Steps", exact=True)
    items = steps.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
    page.close()
    assert "Post-incident survey — Production API outage during business hours" in items, items
    assert "Receives a CES survey — in Follow-up survey, Admin locked out of their account" in items, items


def _pains(page, heading: str) -> list[str]:
    found = page.locator("section.team").get_by_role("heading", name=heading)
    assert found.is_visible()
    return found.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()


def test_a_team_page_lists_the_pain_points_it_must_fix_most_costly_first(split: Path, browser) -> None:
    """Finance's page listed its steps, handoffs and findings but none of the four open pain
    points it owns: its lead never saw what to fix, nor what each costs."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams/finance.html").as_uri())
    items = _pains(page, "Pain points to fix (4)")
    page.close()
    assert items[0] == (
        "The Support to Finance handoff loses the agent\u2019s notes; the customer sends the contract twice."
        " 180 contacts/month · $38,880/year mitigated — in Finance review, Unexpected charge on the monthly invoice"
    ), items
    yearly = [float(i.split("/year")[0].rpartition("$")[2].replace(",", "")) for i in items]
    assert yearly == sorted(yearly, reverse=True), items
    assert not any("invoice email linked to a PDF" in i for i in items), items  # resolved


def test_a_pain_point_is_listed_for_the_team_it_names_as_owner(tmp_path: Path, browser) -> None:
    """A pain point's own owner is the team accountable for it, wherever it sits: the one
    Teams page listed it under no team."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    dispute = maps / "support/billing-dispute.yaml"
    text = dispute.read_text()
    at = "  - id: surprise-true-up\n    at: review\n"
    assert at in text
    dispute.write_text(text.replace(at, at + "    owner: support\n"))
    out = tmp_path / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((out / "teams.html").as_uri())
    support = page.locator("#team-support")
    items = support.get_by_role("heading", name="Pain points to fix (3)").locator(
        "xpath=following-sibling::ul[1]/li"
    )
    said = items.all_inner_texts()
    finance = page.locator("#team-finance").get_by_role("heading", name="Pain points to fix (3)")
    assert finance.is_visible()
    page.close()
    assert said[-1].startswith("Seat true-ups appear on the invoice with no warning email."), said
    assert said[-1].endswith("— in Invoice review, Unexpected charge on the monthly invoice"), said


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_printed_team_page_ends_on_a_near_empty_sheet(split: Path, browser, paper: str) -> None:
    """Printed, a team's own page kept the screen's air between its lists, and their last
    lines went onto a sheet of their own: Identity's on Letter 4 % full, Tier 2's 12 %,
    Finance's last three findings 17 %."""
    page = browser.new_page()
    filled = {}
    for team in sorted((split / "teams").glob("*.html")):
        page.goto(team.as_uri())
        filled[team.stem] = text_bottom_per_sheet(printed(page, paper))
    page.close()
    assert {t: f for t, f in filled.items() if len(f) > 1 and f[-1] < 0.2} == {}, filled


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_team_page_that_fits_a_sheet_prints_on_one(split: Path, browser, paper: str) -> None:
    """Finance's page printed 98 % of a Letter sheet, then its findings whole on a second one,
    23 % full (90 % of an A4 sheet, then 22 %), at the screen's leading: on paper it is one
    sheet, its last finding on it. No team's page leaves a heading alone on a sheet."""
    page = browser.new_page()
    page.goto((split / "teams/finance.html").as_uri())
    sheets = sheet_lines(printed(page, paper))
    assert len(sheets) == 1, [lines[-3:] for lines in sheets]
    assert any(line.startswith("NOTE") and "Time to resolution" in line for line in sheets[0]), sheets[0][-4:]
    alone = {}
    for team in sorted((split / "teams").glob("*.html")):
        page.goto(team.as_uri())
        alone[team.stem] = headings_alone(page, printed(page, paper))
    page.close()
    assert {t: a for t, a in alone.items() if a} == {}


def test_the_teams_overview_counts_each_team_s_pain_points_to_fix(split: Path, browser) -> None:
    """The overview counted each team's maps, handoffs, opportunities and findings but not
    the pain points its page lists: Finance's four were in no column."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((split / "teams.html").as_uri())
    table = page.locator("table.team-overview")
    heads = table.locator("thead th").all_inner_texts()
    finance = table.locator("tbody tr", has=page.get_by_role("link", name="Finance", exact=True))
    cells = dict(zip(heads[1:], finance.locator("td").all_inner_texts(), strict=True))
    caption = table.locator("caption").inner_text()
    page.close()
    assert cells["Pain points to fix"] == "4", cells
    assert "pain points to fix" in caption, caption
