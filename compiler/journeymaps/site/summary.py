"""The one-screen summary at the top of a map page: what a director says in the first minute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from journeymaps import money
from journeymaps.model import Map, Opportunity
from journeymaps.money import Total
from journeymaps.records import record
from journeymaps.site.canvas import Canvas, Point
from journeymaps.site.pages import RankedPain


@record
class Freshness:
    reviewed: dt.date | None
    days: int | None  # since the review
    stale: str | None  # the severity of the stale-map finding, as lint reports it (None: none)
    oldest_evidence: dt.date | None


@record
class Summary:
    worst: Point | None
    end: Point | None
    top_pains: tuple[RankedPain, ...]
    #: Pain points below the top three that put revenue at risk, the largest first (two at
    #: most): ranked by volume x severity, the churn a map's whole revenue at risk came from
    #: was left off the tile a director reads first.
    at_risk: tuple[RankedPain, ...]
    total: Total  # the yearly money of the pains whose cost is known, each contact once
    uncosted: int  # pains with a volume but no cost per contact
    opportunities: tuple[tuple[Opportunity, str], ...]  # open ones, with the owner's name
    freshness: Freshness

    @property
    def total_cost(self) -> float | None:
        return self.total.contact_cost


def summarise(
    m: Map,
    canvas: Canvas,
    pains: Sequence[RankedPain],
    team_names: Mapping[str, str],
    today: dt.date,
    stale: str | None,
) -> Summary:
    # The worst moment: the one the curve marks, the main path's lowest (the first, on a tie).
    worst = canvas.curve.worst if canvas.curve else None
    evidence = [
        e.as_of
        for e in (
            *(e for s in m.stages for e in s.evidence),
            *(e for st in m.steps() for e in st.evidence),
            *(e for p in m.pain_points for e in p.evidence),
        )
        if e.as_of is not None
    ]
    return Summary(
        worst=worst,
        end=canvas.curve.end if canvas.curve else None,
        top_pains=tuple(pains[:3]),
        at_risk=tuple(
            sorted(
                (r for r in pains[3:] if r.revenue_at_risk is not None and r.revenue_at_risk > 0),
                key=lambda r: -(r.revenue_at_risk or 0),
            )[:2]
        ),
        total=money.total(pains),
        uncosted=sum(
            1
            for r in pains
            if r.yearly_cost is None and r.pain.volume is not None and r.pain.volume_unit == "contacts"
        ),
        opportunities=tuple(
            (o, team_names.get(o.owner, o.owner) if o.owner else "No owner")
            for o in m.opportunities
            if o.open
        ),
        freshness=Freshness(m.reviewed, m.review_age(today), stale, min(evidence) if evidence else None),
    )
