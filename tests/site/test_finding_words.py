"""Findings on the site name what they are about as the site does (a step by its stage's and
its own name, a pain point by its summary, an opportunity by what we believe, a team by its
name), not by the ids in the YAML that stakeholders never open."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build

#: Between a stage's name and its step's, as the site's breadcrumbs.
IN = "\u203a"

#: A map that trips the rules whose messages name steps, stages, pain points, opportunities
#: and teams.
GAPS = """\
id: escalation-gaps
title: Outage escalation with gaps
owner: support
reviewed: 2026-11-16
persona: {name: Developer, archetype: developer}
stages:
  - id: contact
    name: Contact support
    emotion: -1
    steps:
      - {id: bot-triage, name: Bot triages the ticket, lane: frontstage, actor: bot, channel: chat}
      - {id: agent-takes, name: Agent takes over, lane: frontstage, actor: agent, channel: phone, owner: tier-2}
  - id: escalation
    name: Escalation to engineering
    owner: engineering
    emotion: -2
    next: [contact]
    evidence: [{source: zendesk, kind: tickets}]
    steps:
      - {id: on-call-paged, name: On-call engineer paged, lane: backstage}
pain_points:
  - id: repeats-story
    summary: The customer tells the story twice
    at: contact.agent-takes
    kind: emotional
    severity: 2
    status: resolved
    resolved_by: page-on-sev1
opportunities:
  - id: page-on-sev1
    believe: paging on-call for every sev-1 ticket
    will: cut the wait to 2 minutes
    addresses: [repeats-story]
    status: in-progress
"""


def _messages(page: Path) -> list[str]:
    found = re.findall(r'<span class="message">(.*?)</span>', page.read_text("utf-8"), re.S)
    return [html.unescape(m) for m in found]


def _site(tmp_path: Path, text: str = GAPS) -> Path:
    maps = tmp_path / "maps"
    if not maps.exists():
        maps.mkdir()
        shutil.copy(ROOT / "maps/teams.yaml", maps / "teams.yaml")
    (maps / "gaps.yaml").write_text(text, "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    return out


def test_findings_name_steps_stages_pain_points_opportunities_and_teams(tmp_path: Path) -> None:
    site = _site(tmp_path, GAPS.replace("reviewed: 2026-11-16", "reviewed: 2026-01-10"))
    for page in ("findings.html", "maps/escalation-gaps.html"):  # the Teams page counts them, linked
        said = " | ".join(_messages(site / page))
        assert "Map “Outage escalation with gaps” was last reviewed 316 days ago" in said, page
        assert f"Step “Contact support {IN} Bot triages the ticket” has no owner" in said, page
        assert "Stage “Contact support” has no evidence" in said, page
        assert "Stage “Escalation to engineering” loops back to “Contact support”" in said, page
        assert (
            f"A bot at “Contact support {IN} Bot triages the ticket” hands the case to a human agent at "
            f"“Contact support {IN} Agent takes over”"
        ) in said, page
        assert (
            f"The case moves from Technical Support (Tier 2) at “Contact support {IN} Agent takes over” to "
            f"Engineering (on-call) at “Escalation to engineering {IN} On-call engineer paged”"
        ) in said, page
        assert "Pain point “The customer tells the story twice” is resolved by “paging on-call" in said, page
        assert "Opportunity “paging on-call for every sev-1 ticket” has no owner" in said, page
        # What to type into the YAML stays as lint wrote it: ids there are the instruction.
        assert "add {from: contact.bot-triage, to: contact.agent-takes" in said, page
        # No id in quotes or brackets is left where a name was.
        for ident in (
            "'contact",
            "'escalation'",
            "'repeats-story'",
            "'page-on-sev1'",
            "(contact.",
            "from tier-2",
        ):
            assert ident not in said, (page, ident)


def test_a_step_renamed_renames_it_in_the_findings_of_the_next_build(tmp_path: Path) -> None:
    """The finding itself is the same (same step id): the pages listing it are made again."""
    _site(tmp_path)
    site = _site(tmp_path, GAPS.replace("Bot triages the ticket", "Billing bot sorts the ticket"))
    for page in ("findings.html", "maps/escalation-gaps.html"):  # the Teams page counts them, linked
        said = " | ".join(_messages(site / page))
        assert f"Step “Contact support {IN} Billing bot sorts the ticket” has no owner" in said, page
        assert "Bot triages" not in said, page


def test_a_finding_names_its_rule_in_words_and_its_doc_has_no_backticks(tmp_path: Path) -> None:
    """A row said "JM201 missing-owner" (the rule's slug, a link to its section) and "Why this
    matters" read "lists `evidence`", backticks and all, in lines cut where the source's were."""
    site = _site(tmp_path)
    findings = (site / "findings.html").read_text("utf-8")
    row = re.search(r'<span class="where"><code>JM201</code> <a [^>]*>([^<]*)</a>', findings)
    assert row is not None and row[1] == "Missing owner", row
    docs = re.findall(r'<p class="doc">(.*?)</p>', findings, re.S)
    assert docs and not any("`" in d for d in docs), docs
    assert any("<code>evidence</code>" in d for d in docs), docs
    # Paragraphs, not the source's lines: on a phone those cut every line half-way.
    assert not any(re.search(r"[^\n]\n[^\n]", d) for d in docs), docs
    page = (site / "maps/escalation-gaps.html").read_text("utf-8")
    assert '#rule-undeclared-handoff">Undeclared handoff</a>' in page
