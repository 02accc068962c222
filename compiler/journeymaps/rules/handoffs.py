"""Handoffs: where cases change teams behind the scenes, SLAs break and context gets lost."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Handoff, Map, bot_to_human
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import TEAMS

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


@map_rule(
    "undeclared-handoff",
    "JM401",
    Severity.WARNING,
    "The case changes team behind the scenes or from an agent, but no handoff is declared.",
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
    declared under `handoffs` with its SLA and whether context is carried. So is an agent's
    step in the `frontstage` lane (`actor: agent`) followed by another team's step: the agent
    escalates the case (Support's agent to Billing). A customer choosing to reach out (from
    a `customer` step, or a `frontstage` one no agent acts in, such as a help-center page) is
    not a handoff, and neither is the customer acting next (a `customer` or
    `physical-evidence` step): a team must receive the case. A step whose `actor` is a bot
    followed by a human agent's step is a handoff too, even inside one team: the
    bot-to-human transfer is where omnichannel journeys most often lose what the customer
    already said.
    """
    declared = {(h.from_ref, h.to_ref) for h in m.handoffs}
    for a, b in m.implied_handoffs():
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
    "A handoff loses context: the customer, or the team receiving the case, is asked again.",
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
    `context: lost` records that notes and history do not travel with the case, so someone
    is asked again for what was said: the pain the practice hears most. Where the customer
    is handed on (a bot to an agent, an agent escalating from the conversation), the
    customer repeats themselves. Where the case moves between teams behind the scenes (both
    steps `backstage` or `support`: Support to Finance), the customer is not there: the
    receiving team starts without the other's notes, and asks again, that team or the
    customer. The finding stays until the handoff carries context (or an opportunity fixes
    it and the map is updated).
    """
    for h in m.handoffs:
        if h.context == "lost":
            yield Finding.at(
                h.loc,
                f"handoff {h.from_ref} -> {h.to_ref} loses context: {_asked_again(h)} "
                "(reported until its notes travel with the case: then set context: carried)",
                "context",
            )


def _asked_again(h: Handoff) -> str:
    """Who is asked again when ``h`` loses context: the team receiving the case when it moves
    behind the scenes (the customer was not handed off), else the customer."""
    a, b = h.from_step, h.to_step
    if a is None or b is None or not h.behind_the_scenes:
        return "the customer must repeat themselves"
    if a.owner and b.owner and a.owner != b.owner:
        return (
            f"{b.owner} receives the case without {a.owner}'s notes and must ask again "
            f"for what is already known, of {a.owner} or of the customer"
        )
    return (
        "the next team receives the case without the notes and must ask again for what is "
        "already known, of the team before or of the customer"
    )


_SWITCH_MAP = """
id: damaged-delivery
title: Damaged delivery complaint
owner: support
reviewed: 2026-11-01
persona: {{name: Online shopper}}
stages:
  - id: contact
    name: Contact
    owner: support
    evidence: [{{source: zendesk, kind: tickets, as_of: 2026-10-30}}]
    steps:
      - {{id: chat, name: Reports the damage in chat, channel: chat}}
      - {{id: call, name: Is called back by phone, channel: phone, context: {context}}}
"""


@map_rule(
    "channel-switch-context-lost",
    "JM404",
    Severity.WARNING,
    "The customer changes channel and must repeat themselves.",
    bad={"teams.yaml": TEAMS, "map.yaml": _SWITCH_MAP.format(context="lost")},
    good={"teams.yaml": TEAMS, "map.yaml": _SWITCH_MAP.format(context="carried")},
)
def channel_switch_context_lost(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A channel switch is the customer moving from one channel to another between two steps
    (chat → phone → email): the next step with a channel, in flow order, is on another one.
    Each switch is counted on the map's page and in `diff`. A step says what happens to
    the customer's story when they arrive on its channel with `context`: `carried` (the
    agent on the phone sees the chat) or `lost` (the customer tells it all again). A switch
    that loses context is the omnichannel failure customers notice most, reported like a
    handoff that loses context.
    """
    for a, b in m.channel_switches():
        if b.context == "lost":
            yield Finding.at(
                b.loc,
                f"the customer switches from {a.channel} ({a.ref}) to {b.channel} ({b.ref}) and must repeat "
                "themselves: the context is lost",
                "context",
                about=f"{a.ref}->{b.ref}",
            )
