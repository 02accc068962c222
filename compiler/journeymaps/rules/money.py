"""Money that adds up: no contact paid for twice, no revenue at risk without a price."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map
from journeymaps.money import overlap_groups
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map

_TWICE = """pain_points:
  - id: waits
    at: discovery
    kind: process
    summary: Waits six hours for a reply.
    volume: 350
{extra}    evidence: [{{source: zendesk, kind: tickets, ref: "tag:locked_out"}}]
  - id: repeats
    at: discovery
    kind: emotional
    summary: Has to repeat the whole story.
    volume: 350
    evidence: [{{source: zendesk, kind: tickets, ref: "tag:locked_out"}}]
"""


@map_rule(
    "contacts-counted-twice",
    "JM607",
    Severity.WARNING,
    "Two pain points count the same tickets, or are the same contacts counted in different units.",
    bad=with_map(GOOD_MAP + _TWICE.format(extra="")),
    good=with_map(GOOD_MAP + _TWICE.format(extra="    same_contacts_as: [repeats]\n")),
)
def contacts_counted_twice(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Every total (a map's, a team's, the portfolio's, an opportunity's value) adds pain points
    up; two pain points felt on the same contacts would be paid for twice. Pain points linked
    with `same_contacts_as` count once, as the largest of them. Two open pain points at the
    same place whose volume comes from the same tickets (the same evidence `source` and `ref`)
    are the same contacts: link them, or give one its own evidence. Pain points linked as the
    same contacts must count in the same `volume_unit` (contacts, or customers).
    """
    groups = overlap_groups(m)
    open_pains = [p for p in m.open_pain_points if p.volume is not None]
    seen: dict[tuple[str, str, str], str] = {}
    for p in open_pains:
        for e in p.evidence:
            if e.ref is None or e.kind != "tickets":
                continue
            key = (p.at, e.source, e.ref)
            other = seen.setdefault(key, p.id)
            if other != p.id and groups.get(other) != groups.get(p.id):
                yield Finding.at(
                    p.loc,
                    f"pain points '{other}' and '{p.id}' count the same tickets ({e.source} {e.ref}) at "
                    f"{p.at}: every total would pay for them twice; add same_contacts_as: [{other}] "
                    "(or give each its own evidence)",
                    "volume",
                )
                break
    for p in m.pain_points:
        for i, ref in enumerate(p.same_contacts_as):
            other_pain = m.pain_point(ref)
            if other_pain is not None and other_pain.volume_unit != p.volume_unit:
                yield Finding.at(
                    p.loc,
                    f"same_contacts_as: '{p.id}' counts {p.volume_unit} and '{ref}' counts "
                    f"{other_pain.volume_unit}: the same contacts are counted in one unit",
                    "same_contacts_as",
                    i,
                )


_RISK = """pain_points:
  - id: renewal-doubts
    at: resolution
    kind: emotional
    summary: Admins doubt the product after a lockout.
    volume: 610
    volume_unit: customers
    customers_at_risk: 12
{extra}"""


@map_rule(
    "revenue-at-risk-unpriced",
    "JM608",
    Severity.WARNING,
    "A pain point gives customers at risk but nothing says what they are worth, or gives two amounts.",
    bad=with_map(GOOD_MAP + _RISK.format(extra="")),
    good=with_map(GOOD_MAP + _RISK.format(extra="    value_per_customer: 1200\n")),
)
def revenue_at_risk_unpriced(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    The revenue at risk of a pain point is `customers_at_risk` x `value_per_customer` (or the
    project's `value-per-customer` setting), or a stated `revenue_at_risk`. Customers at risk
    with no value shows no revenue at risk at all; a stated amount next to customers at risk
    is two answers to one question (the stated amount is shown).
    """
    for p in m.pain_points:
        if p.customers_at_risk is None:
            continue
        if p.revenue_at_risk is not None:
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' gives both revenue_at_risk and customers_at_risk: the stated "
                "amount is shown; keep one",
                "revenue_at_risk",
            )
        elif p.value_per_customer is None and ctx.settings.value_per_customer is None:
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' has {p.customers_at_risk} customers at risk but no value: add "
                "value_per_customer here or value-per-customer in the project settings",
                "customers_at_risk",
            )
