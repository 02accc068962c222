from __future__ import annotations

from conftest import BASE, TEAMS, at

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


def test_an_agent_escalating_from_the_frontstage_is_a_handoff(project):
    """Support's agent in the chat, then Finance investigates: the escalation a support
    director most wants declared was no handoff, its first step being frontstage."""
    text = MAP.replace("LANE", "frontstage").replace("lane: frontstage}", "lane: frontstage, actor: agent}")
    found = project({"teams.yaml": TEAMS, "m.yaml": text})
    assert at(found, "undeclared-handoff") == [(19, 10)]
    assert "from support (contact.gather) to finance (review.investigate)" in found[0].message


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
    # It said only that the customer repeats themselves, not what ends the finding.
    lost = next(d for d in found if d.rule == "handoff-context-lost")
    assert lost.message.endswith("(reported until its notes travel with the case: then set context: carried)")


def test_a_backstage_handoff_losing_context_says_the_team_asks_again_not_the_customer(project):
    """Support's agent escalating to Finance behind the scenes, notes lost: the finding said
    "the customer must repeat themselves", as if the customer had been handed to Finance.
    It says Finance starts without Support's notes; a handed-on customer still repeats."""
    text = MAP.replace("LANE", "backstage") + (
        "handoffs:\n  - {from: contact.gather, to: review.investigate, sla: 4h, context: lost}\n"
    )
    (lost,) = project({"teams.yaml": TEAMS, "m.yaml": text})
    assert lost.message == (
        "handoff contact.gather -> review.investigate loses context: finance receives the case "
        "without support's notes and must ask again for what is already known, of support or of "
        "the customer (reported until its notes travel with the case: then set context: carried)"
    )
    found = project({"m.yaml": BOT + "handoffs: [{from: one.bot, to: one.agent, sla: 5m, context: lost}]\n"})
    assert [d.message for d in found] == [
        "handoff one.bot -> one.agent loses context: the customer must repeat themselves "
        "(reported until its notes travel with the case: then set context: carried)"
    ]


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


BOT = BASE.replace(
    "    name: One\n",
    "    name: One\n    steps:\n"
    "      - {id: bot, name: Bot answers, lane: frontstage, channel: whatsapp, actor: bot}\n"
    "      - {id: agent, name: Agent takes over, lane: frontstage, channel: whatsapp, actor: agent}\n",
)


def test_a_bot_to_human_transfer_in_one_team_is_a_handoff(project) -> None:
    found = project({"m.yaml": BOT})
    assert [d.message for d in found if d.rule == "undeclared-handoff"] == [
        "a bot (one.bot) hands the case to a human agent (one.agent) but no handoff is declared: "
        "add {from: one.bot, to: one.agent, sla: ..., context: ...} under handoffs"
    ]


def test_a_declared_bot_handoff_is_checked_like_the_others(project) -> None:
    found = project({"m.yaml": BOT + "handoffs: [{from: one.bot, to: one.agent, context: lost}]\n"})
    assert sorted(d.rule for d in found) == ["handoff-context-lost", "handoff-without-sla"]
    assert (
        project({"m.yaml": BOT + "handoffs: [{from: one.bot, to: one.agent, sla: 5m, context: carried}]\n"})
        == []
    )


def test_an_agent_passing_back_to_a_bot_or_the_customer_acting_is_no_handoff(project) -> None:
    for first, second in (("agent", "bot"), ("customer", "agent"), ("system", "agent")):
        text = BOT.replace("actor: bot}", "actor: FIRST}").replace("actor: agent}", "actor: SECOND}")
        text = text.replace("FIRST", first).replace("SECOND", second)
        assert [d for d in project({"m.yaml": text}) if d.rule == "undeclared-handoff"] == [], (first, second)
