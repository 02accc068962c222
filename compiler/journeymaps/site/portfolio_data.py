"""The portfolio's figures :class:`~journeymaps.site.site_data.SiteData` holds once for every
page that shows them: the teams it filters by, its money (each map's groups of pain points on
the same contacts, added up as ``money.total`` adds them) and each map's open opportunities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymaps import money
from journeymaps.model import Map

if TYPE_CHECKING:
    from journeymaps.site.site_data import SiteData


def open_opportunities(m: Map) -> list[tuple[str, str, Any]]:
    """``m``'s open opportunities with their cell of the matrix (impact, effort)."""
    return [(o.impact or "medium", o.effort or "medium", o) for o in m.opportunities if o.open]


def portfolio_money(s: SiteData) -> dict[str, Any]:
    """The portfolio's money: today's total, each team's, and each opportunity's value.
    Today's money: a future-state map's pain points are a forecast of the same journey, and
    adding them would count its contacts twice. Each total is ``money.total`` over the
    current maps' rows (a team's: the rows it owns, as ``pages.team_totals``), recombined
    from each map's groups (kept while the map is unchanged: adding up 8,000 rows again
    every edit cost ~0.1 s), added up in the order ``money.total`` adds them, the order of
    each group's first row in the ranking, so that every sum is the same to the last bit."""
    slug_of = {id(m): m.slug for m in s.maps}
    position = {id(r): n for n, r in enumerate(s.ranked)}
    found: dict[str | None, list[tuple[int, _Group]]] = {}
    for m in s.maps:
        if m.state != "current":
            continue
        rows = s.ranked_of(m)
        for team, groups in s.per_map("money groups", m, lambda m: _money_groups(s, m)).items():
            found.setdefault(team, []).extend((position[id(rows[g[0]])], g) for g in groups)
    totals = {team: _added_up(groups) for team, groups in found.items()}
    overall = totals.pop(None, money.Total())
    teams = {team: totals[team] for team in sorted(t for t in totals if t is not None)}
    return {
        "total": overall,
        "team_totals": dict(sorted(teams.items(), key=lambda kv: s.team_names.get(kv[0], kv[0]))),
        "values": {(slug_of[key], o): v for (key, o), v in s.opportunity_values.items()},
    }


#: A group of one map's pain points on the same contacts, as ``money.total`` adds it up: its
#: first row (by its place in the map's ranked rows), its largest cost and revenue at risk
#: (None: none known), and the groups counted once (None: not shared).
_Group = tuple[int, float | None, float | None, money.Shared | None]


def _money_groups(s: SiteData, m: Map) -> dict[str | None, list[_Group]]:
    """``m``'s groups as ``money.total`` makes them: over all its rows (None), and over each
    team's (as ``pages.team_totals``), each in the order of its first row."""
    rows = s.ranked_of(m)
    of_map = s.groups[id(m)]
    members: dict[str | None, dict[str, list[int]]] = {None: {}}
    for n, r in enumerate(rows):
        group = of_map.get(r.pain.id, r.pain.id)
        members[None].setdefault(group, []).append(n)
        if r.team:
            members.setdefault(r.team, {}).setdefault(group, []).append(n)
    out: dict[str | None, list[_Group]] = {}
    for team, groups in members.items():
        made: list[_Group] = []
        for numbers in groups.values():
            costs = [c for n in numbers if (c := rows[n].yearly_cost) is not None]
            risks = [x for n in numbers if (x := rows[n].revenue_at_risk) is not None]
            shared = None
            if len(numbers) > 1 and (len(costs) > 1 or len(risks) > 1):
                shared = money.Shared(
                    tuple(rows[n].pain.summary for n in numbers),
                    max(costs, default=0.0) + max(risks, default=0.0),
                    sum(costs) + sum(risks),
                )
            made.append((numbers[0], max(costs) if costs else None, max(risks) if risks else None, shared))
        out[team] = made
    if not rows:
        del out[None]
    return out


def _added_up(groups: list[tuple[int, _Group]]) -> money.Total:
    """Groups added up as ``money.total`` does, in the ranking's order."""
    cost: float | None = None
    risk: float | None = None
    shared = []
    for _, (_, most, at_risk, counted_once) in sorted(groups, key=lambda g: g[0]):
        if most is not None:
            cost = (cost or 0.0) + most
        if at_risk is not None:
            risk = (risk or 0.0) + at_risk
        if counted_once is not None:
            shared.append(counted_once)
    return money.Total(cost, risk, tuple(shared))


def portfolio_teams(s: SiteData) -> list[str]:
    owners = {o.owner for m in s.maps for o in m.opportunities if o.owner}
    teams = owners | {r.team for r in s.ranked if r.team}
    return sorted(teams, key=lambda t: s.team_names.get(t, t))
