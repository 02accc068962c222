"""Handoffs: where cases change teams behind the scenes, SLAs break and context gets lost."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map, Step
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import TEAMS

#: Lanes out of the customer's sight: a change of owner after them is a handoff.
BEHIND_THE_SCENES = frozenset({"backstage", "support"})
#: Lanes where the customer acts, or sees an artefact: no team receives the case there.
CUSTOMER_SIDE = frozenset({"customer", "physical-evidence"})

_HANDOFF_MAP = """
id: billing-dispute
title: Unexpected charge on the invoice
owner: support
reviewed: 2026-11-01
persona: {{name: Account owner}}
stages:
  - id: review
    name: Finance review
    owner: support
    evidence: [{{source: zendesk, kind: tickets, as_of: 2026-10-30}}]
    steps:
      - {{id: escalate, name: Agent escalates to Finance, lane: backstage}}
      - {{id: refund, name: Finance issues refund, lane: backstage, owner: identity}}
{handoffs}"""


def flow_pairs(m: Map) -> Iterator[tuple[Step, Step]]:
    """Consecutive steps in flow order: within a stage, then across each transition."""
    for stage in m.stages:
        yield from zip(stage.steps, stage.steps[1:], strict=False)
        if not stage.steps:
            continue
        for target in m.successors(stage):
            if target.steps:
                yield stage.steps[-1], target.steps[0]


def bot_to_human(a: Step, b: Step) -> bool:
    """A bot's step followed by a human agent's: a handoff even inside one team."""
    return a.actor == "bot" and b.actor == "agent"


def implied_handoffs(m: Map) -> Iterator[tuple[Step, Step]]:
    """Pairs where a behind-the-scenes step is followed by a team's step another team owns,
    and bot-to-human transfers."""
    seen: set[tuple[str, str]] = set()
    for a, b in flow_pairs(m):
        team_change = (
            a.lane in BEHIND_THE_SCENES
            and b.lane not in CUSTOMER_SIDE
            and a.owner is not None
            and b.owner is not None
            and a.owner != b.owner
        )
        if (team_change or bot_to_human(a, b)) and (a.ref, b.ref) not in seen:
            seen.add((a.ref, b.ref))
            yield a, b


@map_rule(
    "undeclared-handoff",
    "JM401",
    Severity.WARNING,
    "The case changes team behind the scenes, but no handoff is declared.",
    bad={"teams.yaml": TEAMS, "map.yaml": _HANDOFF_MAP.format(handoffs="")},
    good={
        "teams.yaml": TEAMS,
        "map.yaml": _HANDOFF_MAP.format(
            handoffs="handoffs:\n  - {from: review.escalate, to: review.refund, sla: 2d, context: carried}\n"
        ),
    },
)
def undeclared_handoff(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A step in the `backstage` or `support` lane followed (in flow order) by a step another
    team owns is a handoff: Tier 1 to Tier 2, Support to Engineering, Support to Finance.
    That is where SLAs breach and customers are asked to repeat themselves, so each one is
    declared under `handoffs` with its SLA and whether context is carried. A customer
    choosing to reach out (from a `customer` or `frontstage` step) is not a handoff, and
    neither is the customer acting next (a `customer` or `physical-evidence` step): a team
    must receive the case. A step whose `actor` is a bot followed by a human agent's step is
    a handoff too, even inside one team: the bot-to-human transfer is where omnichannel
    journeys most often lose what the customer already said.
    """
    declared = {(h.from_ref, h.to_ref) for h in m.handoffs}
    for a, b in implied_handoffs(m):
        if (a.ref, b.ref) not in declared:
            moves = (
                f"a bot ({a.ref}) hands the case to a human agent ({b.ref})"
                if bot_to_human(a, b)
                else f"the case moves from {a.owner} ({a.ref}) to {b.owner} ({b.ref})"
            )
            yield Finding.at(
                b.loc,
                f"{moves} but no "
                f"handoff is declared: add {{from: {a.ref}, to: {b.ref}, sla: ..., context: ...}} "
                "under handoffs",
                "id",
                key=True,
                about=f"{a.ref}->{b.ref}",
            )


_DECLARED = "handoffs:\n  - {{from: review.escalate, to: review.refund{extra}}}\n"


@map_rule(
    "handoff-without-sla",
    "JM402",
    Severity.WARNING,
    "A declared handoff has no SLA.",
    bad={
        "teams.yaml": TEAMS,
        "map.yaml": _HANDOFF_MAP.format(handoffs=_DECLARED.format(extra=", context: carried")),
    },
    good={
        "teams.yaml": TEAMS,
        "map.yaml": _HANDOFF_MAP.format(handoffs=_DECLARED.format(extra=", sla: 4h, context: carried")),
    },
)
def handoff_without_sla(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A handoff without a service-level target has no clock: the receiving team has no
    deadline and nobody notices a breach. Write `sla:` as a duration (30m, 4h, 2d).
    """
    for h in m.handoffs:
        if h.sla is None:
            yield Finding.at(
                h.loc, f"handoff {h.from_ref} -> {h.to_ref} has no sla: how long may it wait?", "from"
            )


@map_rule(
    "handoff-context-lost",
    "JM403",
    Severity.WARNING,
    "A handoff loses context: the customer must repeat themselves.",
    bad={
        "teams.yaml": TEAMS,
        "map.yaml": _HANDOFF_MAP.format(handoffs=_DECLARED.format(extra=", sla: 4h, context: lost")),
    },
    good={
        "teams.yaml": TEAMS,
        "map.yaml": _HANDOFF_MAP.format(handoffs=_DECLARED.format(extra=", sla: 4h, context: carried")),
    },
)
def handoff_context_lost(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    `context: lost` records that notes and history do not travel with the case, so the
    customer is asked again for what they already said: the pain the practice hears most.
    The finding stays until the handoff carries context (or an opportunity fixes it and the
    map is updated).
    """
    for h in m.handoffs:
        if h.context == "lost":
            yield Finding.at(
                h.loc,
                f"handoff {h.from_ref} -> {h.to_ref} loses context: the customer must repeat themselves",
                "context",
            )
