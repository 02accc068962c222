"""Money that adds up: what pain points cost a year, counted so that no contact is paid twice.

Two costs are kept apart, never added together: the **contact cost** (contacts a month x cost
per contact x 12; a volume counted in customers has none) and the **revenue at risk** (customers
at risk x value per customer, or a stated amount). Pain points a map links with
``same_contacts_as`` are felt on the same contacts (or customers), so every total (a map, a
team, the portfolio, an opportunity's value) counts such a group once, as its largest member:
the customer who waits six hours and is then asked to repeat themselves is one contact, not two.
Maps are different scenarios, so the portfolio adds the maps up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from journeymaps.model import Map, PainPoint
from journeymaps.records import record
from journeymaps.settings import Settings


def contact_cost(p: PainPoint, volume: float | None, settings: Settings) -> float | None:
    """The yearly contact cost of a pain point at ``volume`` a month; None when unknown or
    when the volume counts customers (a survey's respondents cost no contact)."""
    per_contact = p.cost_per_contact if p.cost_per_contact is not None else settings.cost_per_contact
    if volume is None or per_contact is None or p.volume_unit != "contacts":
        return None
    return volume * per_contact * 12


def revenue_at_risk(p: PainPoint, settings: Settings) -> float | None:
    """The yearly revenue a pain point puts at risk: the stated amount, else customers at
    risk x their value; None when neither is known."""
    if p.revenue_at_risk is not None:
        return float(p.revenue_at_risk)
    value = p.value_per_customer if p.value_per_customer is not None else settings.value_per_customer
    if p.customers_at_risk is None or value is None:
        return None
    return p.customers_at_risk * value


def overlap_groups(m: Map) -> dict[str, str]:
    """Each pain point id -> the id standing for its group of pain points on the same contacts
    (``same_contacts_as`` read both ways, and through each other: A~B and B~C make one group).
    Unknown ids are left out (unknown-reference reports them)."""
    parent = {p.id: p.id for p in m.pain_points}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for p in m.pain_points:
        for other in p.same_contacts_as:
            if other in parent:
                a, b = sorted((root(p.id), root(other)))  # the smaller id stands: deterministic
                parent[b] = a
    return {i: root(i) for i in parent}


class Costed(Protocol):
    """A pain point with its yearly money (journeymaps.site.pages.RankedPain is one)."""

    @property
    def pain(self) -> PainPoint: ...
    @property
    def map(self) -> Map: ...
    @property
    def yearly_cost(self) -> float | None: ...
    @property
    def revenue_at_risk(self) -> float | None: ...


@record
class Shared:
    """Pain points counted once because they are felt on the same contacts."""

    summaries: tuple[str, ...]
    counted: float  # what the group adds to the total: its largest cost
    naive: float  # what adding them up would have said

    @property
    def saved(self) -> float:
        return self.naive - self.counted


@record
class Total:
    """A yearly total: contact cost and revenue at risk, each counted once per contact."""

    contact_cost: float | None = None
    revenue_at_risk: float | None = None
    shared: tuple[Shared, ...] = ()  # the groups that were counted once

    @property
    def known(self) -> bool:
        return self.contact_cost is not None or self.revenue_at_risk is not None


def total(rows: Iterable[Costed], groups: Mapping[int, Mapping[str, str]] | None = None) -> Total:
    """Add up rows, each group of pain points on the same contacts counted as its largest
    member (contact cost and revenue at risk each). ``groups`` maps ``id(map)`` to
    :func:`overlap_groups` of that map, computed when not given."""
    known: dict[int, Mapping[str, str]] = dict(groups or {})
    by_group: dict[tuple[int, str], list[Costed]] = {}
    for r in rows:
        of_map = known.get(id(r.map))
        if of_map is None:
            of_map = known[id(r.map)] = overlap_groups(r.map)
        by_group.setdefault((id(r.map), of_map.get(r.pain.id, r.pain.id)), []).append(r)
    cost: float | None = None
    risk: float | None = None
    shared = []
    for members in by_group.values():
        costs = [r.yearly_cost for r in members if r.yearly_cost is not None]
        risks = [r.revenue_at_risk for r in members if r.revenue_at_risk is not None]
        if costs:
            cost = (cost or 0.0) + max(costs)
        if risks:
            risk = (risk or 0.0) + max(risks)
        if len(members) > 1 and (len(costs) > 1 or len(risks) > 1):
            shared.append(
                Shared(
                    tuple(r.pain.summary for r in members),
                    max(costs, default=0.0) + max(risks, default=0.0),
                    sum(costs) + sum(risks),
                )
            )
    return Total(cost, risk, tuple(shared))


@record
class Row:
    """A pain point with its yearly money, outside the site (``diff``)."""

    pain: PainPoint
    map: Map
    yearly_cost: float | None
    revenue_at_risk: float | None


def map_total(m: Map, settings: Settings, volumes: Mapping[str, float] | None = None) -> Total:
    """A map's yearly money over its open pain points; ``volumes`` (pain id -> a month's
    measured volume) beat the declared ones, as on the site."""
    measured = volumes or {}
    rows = [
        Row(p, m, contact_cost(p, measured.get(p.id, p.volume), settings), revenue_at_risk(p, settings))
        for p in m.open_pain_points
    ]
    return total(rows, {id(m): overlap_groups(m)})
