from __future__ import annotations

from conftest import TEAMS, at

MAP = """
id: billing
title: Billing dispute
owner: support
reviewed: 2026-11-01
persona: {name: Owner}
stages:
  - id: contact
    name: Contact
    owner: support
    evidence: [{source: zendesk, kind: tickets}]
    steps:
      - {id: chat, name: Opens chat, lane: customer}
      - {id: gather, name: Agent gathers details, lane: LANE}
  - id: review
    name: Finance review
    owner: finance
    evidence: [{source: zendesk, kind: tickets}]
    steps:
      - {id: investigate, name: Finance investigates, lane: backstage}
"""


def test_backstage_change_of_team_must_be_declared(project):
    found = project({"teams.yaml": TEAMS, "m.yaml": MAP.replace("LANE", "support")})
    assert at(found, "undeclared-handoff") == [(19, 10)]
    assert "from support (contact.gather) to finance (review.investigate)" in found[0].message


def test_customer_reaching_out_is_not_a_handoff(project):
    found = project({"teams.yaml": TEAMS, "m.yaml": MAP.replace("LANE", "frontstage")})
    assert at(found, "undeclared-handoff") == []


def test_declared_handoff_with_sla_and_context_passes(project):
    text = MAP.replace("LANE", "backstage") + (
        "handoffs:\n  - {from: contact.gather, to: review.investigate, sla: 4h, context: carried}\n"
    )
    assert project({"teams.yaml": TEAMS, "m.yaml": text}) == []


def test_handoff_without_sla_and_with_lost_context(project):
    text = MAP.replace("LANE", "backstage") + (
        "handoffs:\n  - from: contact.gather\n    to: review.investigate\n    context: lost\n"
    )
    found = project({"teams.yaml": TEAMS, "m.yaml": text})
    assert at(found, "handoff-without-sla") == [(21, 11)]
    assert at(found, "handoff-context-lost") == [(23, 14)]
    assert at(found, "undeclared-handoff") == []


def test_handoff_inside_a_stage_between_owners(project):
    text = (
        MAP.replace("LANE", "support")
        .replace("      - {id: chat, name: Opens chat, lane: customer}\n", "")
        .replace(
            "lane: support}",
            "lane: support}\n      - {id: tier2, name: Tier 2, lane: backstage, owner: product}",
        )
    )
    found = project({"teams.yaml": TEAMS, "m.yaml": text})
    refs = [d.message for d in found if d.rule == "undeclared-handoff"]
    assert len(refs) == 2
    assert "contact.gather) to product (contact.tier2)" in refs[0]
    assert "contact.tier2) to finance (review.investigate)" in refs[1]


def test_customer_acting_next_is_not_a_handoff(project):
    text = MAP.replace("LANE", "backstage").replace("lane: backstage}\n", "lane: customer}\n", 1)
    text = text.replace(
        "{id: investigate, name: Finance investigates, lane: backstage}",
        "{id: gives-up, name: Files a chargeback, lane: customer}",
    )
    found = project({"teams.yaml": TEAMS, "m.yaml": text})
    assert at(found, "undeclared-handoff") == []
