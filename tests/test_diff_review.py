"""`journeymaps diff` read as a support director reads a pull request: what changed and what
it means for the customer, in words, without the YAML or the TOML."""

from __future__ import annotations

import html
import re
from pathlib import Path

from test_diff import diff_here, edit, git
from test_diff import repo as repo  # the fixture: the example maps, committed on main


def _priced(repo: Path, old: int, new: int) -> None:
    (repo / "journeymaps.toml").write_text(f"cost-per-contact = {old}\n")
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "price")
    (repo / "journeymaps.toml").write_text(f"cost-per-contact = {new}\n")


def test_a_price_change_says_the_old_and_the_new_price_in_every_format(repo: Path, tmp_path: Path) -> None:
    """The settings line said "journeymaps.toml (changed in the working tree): cost-per-contact",
    beside a map's cost of inaction that nearly doubled: a director could not tell the price
    from 12 to 25 a contact, nor that the costs listed count both sides at the new price. The
    What changed page did not mention the settings at all."""
    _priced(repo, 12, 25)
    edit(repo, "production-outage.yaml", "    volume: 900\n", "    volume: 1800\n")
    said = "journeymaps.toml (changed in the working tree): cost-per-contact $12 → $25"
    meant = "the cost of inaction this comparison lists counts both sides at $25 a contact"
    text = diff_here(repo, "HEAD").stdout
    assert f"! settings: {said}" in text.splitlines(), text
    assert meant in text
    # ...and the price beside the cost it counts (the What changed page shows no settings).
    assert (
        "    cost of inaction (contacts) a year: $303,000 → $573,000 (at $25 a contact)" in text.splitlines()
    )
    markdown = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert said in markdown and meant in markdown
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = (tmp_path / "review" / "index.html").read_text()
    assert said in page and meant in page


def test_a_handoff_and_an_opportunity_read_as_the_site_says_them(repo: Path) -> None:
    """ "handoff added: ... (sla 2h, context lost)", "sla of handoff ...: 1bd → 4h" and
    "opportunity ...: in-progress → shipped" were the YAML's words; the site says "SLA 2
    hours", "1 business day" and "in progress"."""
    edit(
        repo,
        "production-outage.yaml",
        "  - from: fix.fix-deployed\n",
        "  - from: escalation.on-call-paged\n    to: fix.fix-deployed\n    sla: 2h\n    context: lost\n"
        "  - from: fix.fix-deployed\n",
    )
    edit(repo, "production-outage.yaml", "    status: in-progress\n", "    status: shipped\n")
    edit(repo, "billing-dispute.yaml", "    sla: 1bd\n", "    sla: 4h\n")
    text = diff_here(repo, "HEAD").stdout
    assert 'handoff added: "On-call engineer paged" → "Fix deployed" (SLA 2 hours, context lost)' in text
    assert ": 1 business day → 4 hours" in text
    assert ": in progress → shipped" in text
    assert "in-progress" not in text and " 2h" not in text and "1bd" not in text


def test_a_renamed_map_shows_no_emotion_journey_that_did_not_change(repo: Path) -> None:
    """A map renamed, nothing else: the comment offered "The emotion journey, before and
    after", two charts alike but for their titles, for a director to hunt for a difference."""
    edit(
        repo,
        "billing-dispute.yaml",
        "title: Unexpected charge on the monthly invoice",
        "title: Surprise seat true-up on the monthly invoice",
    )
    markdown = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "- title: \u201cUnexpected charge on the monthly invoice\u201d → \u201cSurprise seat" in markdown
    assert "The emotion journey, before and after" not in markdown
    edit(repo, "billing-dispute.yaml", "        emotion: -2\n", "        emotion: 1\n")
    assert "The emotion journey, before and after" in diff_here(repo, "HEAD", "--format", "markdown").stdout


def test_the_what_changed_page_says_before_or_after_above_each_diagram(
    repo: Path, tmp_path: Path, browser
) -> None:
    """Each diagram's "Before" or "After" was written under it: a director scrolling down
    the page met a full-width journey without knowing which side it was, both titled
    "(current state)", until its end."""
    edit(repo, "production-outage.yaml", "    volume: 900\n", "    volume: 1800\n")
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((tmp_path / "review" / "index.html").as_uri())
    figures = page.locator("figure.diagram").evaluate_all(
        """fs => fs.map(f => [f.querySelector('figcaption').innerText,
          f.querySelector('figcaption').getBoundingClientRect().bottom,
          f.querySelector('img').getBoundingClientRect().top])"""
    )
    assert [words.split(" · ")[0] for words, _, _ in figures] == ["Before the change", "After the change"]
    assert all(caption <= img for _, caption, img in figures), figures
    page.close()


def test_an_owner_removed_reads_no_owner(repo: Path) -> None:
    """ "owner of stage "Contact support": Customer Support (Tier 1) → none": a director reads
    "none" as a team's name or a slip; it is the accountability gap the practice warns of."""
    edit(
        repo,
        "billing-dispute.yaml",
        "    name: Contact support\n    owner: support\n",
        "    name: Contact support\n",
    )
    text = diff_here(repo, "HEAD").stdout
    assert 'owner of stage "Contact support": Customer Support (Tier 1) → no owner' in text.splitlines()[2]


def _handoff_and_owner_findings(repo: Path) -> None:
    """A change bringing findings about a step and a handoff (an error and two warnings)."""
    edit(
        repo,
        "production-outage.yaml",
        "    name: Detection\n    owner: engineering\n",
        "    name: Detection\n",
    )
    edit(repo, "production-outage.yaml", "    sla: 15m\n    context: carried\n", "    context: lost\n")


#: As the comment says them: the names it puts in place in curly marks, as its changes name them.
STEP_SAID = "step \u201cDetection \u203a Checks the status page\u201d has no owner"
HANDOFF_SAID = "handoff \u201cTier 2 acknowledges\u201d → \u201cOn-call engineer paged\u201d has no sla"
#: As the --site page says them: typeset, as the site's pages (lint's own marks too).
STEP_SHOWN = "Step \u201cDetection \u203a Checks the status page\u201d has no owner"
HANDOFF_SHOWN = "Handoff \u201cTier 2 acknowledges\u201d → \u201cOn-call engineer paged\u201d has no sla"


def test_a_comment_opens_with_what_the_change_brings_in_words_the_rule_after(repo: Path) -> None:
    """The comment's first words after its title were counts ("1 map changed · findings: 1
    introduced"), and each finding opened with its rule ("error `JM201` missing-owner"): a
    reviewer decoded the rule before reading what happened. It opens with the new error in
    words; each finding says what happened first, its rule last."""
    _handoff_and_owner_findings(repo)
    lines = diff_here(repo, "HEAD", "--format", "markdown").stdout.splitlines()
    first = next(line for line in lines[1:] if line)
    assert first == f"**1 new error** in **Production API outage during business hours**: {STEP_SAID}, " + (
        "and neither has its stage: set owner on the stage or the step"
    ), lines[:4]
    found = [line for line in lines if line.startswith(("- error", "- warning"))]
    assert found and all(line.startswith(("- error in **", "- warning in **")) for line in found), found
    assert all(
        re.search(r"\(maps/support/production-outage\.yaml:\d+\) · `JM\d+` [a-z-]+$", line) for line in found
    )


def test_findings_in_the_comment_name_steps_and_handoffs_as_the_site_does(repo: Path) -> None:
    """The comment's findings said "step 'detection.checks-status'" and "handoff report.ack
    -> escalation.on-call-paged" beside changes that said "Tier 2 acknowledges": a director
    read the YAML's ids. The file and line stay, for whoever fixes it; a fixed finding is
    named as its base has it."""
    _handoff_and_owner_findings(repo)
    markdown = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert f"- error in **Production API outage during business hours**: {STEP_SAID}, and" in markdown
    assert f"{HANDOFF_SAID}: how long may it wait? (maps/support/production-outage.yaml:104)" in markdown
    assert "detection.checks-status" not in markdown and "report.ack" not in markdown
    git(repo, "commit", "-qam", "findings")
    edit(repo, "production-outage.yaml", "    name: Detection\n", "    name: Detection\n    owner: tier-2\n")
    fixed = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "Findings fixed (1)" in fixed and STEP_SAID in fixed, fixed


def test_the_what_changed_page_shows_the_changes_first_and_findings_in_the_sites_words(
    repo: Path, tmp_path: Path
) -> None:
    """The page listed the findings, by YAML ids, above the maps' changes: a director read
    "handoff report.ack -> escalation.on-call-paged" before what the change was."""
    _handoff_and_owner_findings(repo)
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    assert page.index("Production API outage") < page.index("Findings this change introduces")
    # ...and the summary above the maps leads to them.
    assert 'introduced (1 error). <a href="#findings-introduced">They are listed below the maps</a>.' in page
    assert STEP_SHOWN in page and HANDOFF_SHOWN in page
    assert "report.ack" not in page and "detection.checks-status" not in page
    assert "maps/support/production-outage.yaml:104:11" in page


def test_a_finding_on_the_what_changed_page_reads_as_on_the_sites_findings_page(
    repo: Path, tmp_path: Path
) -> None:
    """A row led with its code, rule and file, its words last, and no map named: the site's
    findings page names the map, says what is wrong, then where to fix it (the rule by its
    title: "missing-owner" was the slug)."""
    _handoff_and_owner_findings(repo)
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    row = page[page.index('<li class="finding error">') :]
    row = row[: row.index("</li>")]
    named = '<a class="in-map" href="#map-production-outage">Production API outage during business hours</a>'
    assert row.index(named) < row.index(STEP_SHOWN) < row.index("maps/support/production-outage.yaml:23:9")
    assert "<code>JM201</code> Missing owner · " in row  # the rule by its title, as the site's rows


def test_a_renamed_map_has_no_before_and_after_diagrams_on_the_what_changed_page(
    repo: Path, tmp_path: Path
) -> None:
    """Renamed, nothing else: the page drew the map twice, alike but for the title, for a
    director to hunt for a difference (the comment already left its charts out)."""
    edit(
        repo,
        "billing-dispute.yaml",
        "title: Unexpected charge on the monthly invoice",
        "title: Surprise seat true-up on the monthly invoice",
    )
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = (tmp_path / "review" / "index.html").read_text()
    assert "title: \u201cUnexpected charge on the monthly invoice\u201d → " in page
    assert "<figure" not in page
    assert not list((tmp_path / "review").glob("*.svg"))
    edit(repo, "billing-dispute.yaml", "        emotion: -2\n", "        emotion: 1\n")
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "again")).returncode == 0
    assert (tmp_path / "again" / "index.html").read_text().count("<figure") == 2


def test_the_what_changed_page_typesets_the_quotes_around_names(repo: Path, tmp_path: Path) -> None:
    """The page said `step renamed: "Checks the status page" → "Checks the "all green"
    page"` in straight marks, nested in each other, while every other page of the site
    typesets them: on the page and in the pull-request comment, the marks are curly; the
    terminal's stay straight, the name's own escaped (see test_diff_words.py)."""
    edit(repo, "production-outage.yaml", "name: Checks the status page", 'name: Checks the "all green" page')
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    items = re.findall(r"<li>(.*?)</li>", (tmp_path / "review" / "index.html").read_text())
    said = [html.unescape(i) for i in items if "all green" in i]
    assert said == [
        "step renamed: \u201cChecks the status page\u201d \u2192 \u201cChecks the \u2018all green\u2019 page\u201d"
    ], said
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert (
        "- step renamed: \u201cChecks the status page\u201d \u2192 \u201cChecks the \u2018all green\u2019 page\u201d\n"
        in comment
    )
    assert 'Checks the \\"all green\\" page"\n' in diff_here(repo, "HEAD").stdout


def test_on_a_phone_each_drawing_of_the_what_changed_page_says_how_to_read_it(
    repo: Path, tmp_path: Path, browser
) -> None:
    """At 390 px the before and after journeys were shrunk to a thumbnail of unreadable
    text, and nothing said that tapping one opens it whole: each caption now offers it full
    size, a link to the drawing itself, which the browser zooms."""
    edit(repo, "production-outage.yaml", "    volume: 900\n", "    volume: 1800\n")
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((tmp_path / "review" / "index.html").as_uri())
    links = page.locator("figure.diagram figcaption a")
    assert links.evaluate_all("as => as.map(a => [a.innerText, a.getAttribute('href')])") == [
        ["open it full size", "production-outage.before.svg"],
        ["open it full size", "production-outage.after.svg"],
    ]
    assert all(links.nth(i).is_visible() for i in range(2))
    page.close()


def test_a_change_the_diagram_does_not_draw_is_said_on_the_what_changed_page(
    repo: Path, tmp_path: Path
) -> None:
    """A KPI's target moved, nothing else: the page promised "What changed, drawn" and then
    showed no diagram and no word why, as if the drawing had failed to load."""
    edit(repo, "production-outage.yaml", "current: 17, target: 5,", "current: 17, target: 10,")
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "review" / "index.html").read_text()))
    assert "<figure" not in (tmp_path / "review" / "index.html").read_text()
    assert "Its journey diagram reads the same before and after: not drawn twice." in page


def test_a_reflowed_map_reads_no_change_on_the_what_changed_page_and_promises_no_drawing(
    repo: Path, tmp_path: Path
) -> None:
    """A scenario reflowed and a step's keys reordered: the page said "No change to any
    journey map" under "What changed, drawn. Stages and steps the change touched have a thick
    purple outline", a key to drawings that were not there."""
    edit(
        repo,
        "billing-dispute.yaml",
        "charge they did not expect on the monthly invoice, two days\n  before",
        "charge they did not expect\n  on the monthly invoice, two days before",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "        lane: physical-evidence\n        channel: email\n",
        "        channel: email\n        lane: physical-evidence\n",
    )
    assert (
        diff_here(repo, "HEAD").stdout == "No change to any journey map between HEAD and the working tree.\n"
    )
    assert diff_here(repo, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "review" / "index.html").read_text()))
    assert "No change to any journey map." in page
    assert "purple outline" not in page
