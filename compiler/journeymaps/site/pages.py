"""What every page shows, computed from the model and the findings before anything renders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from journeymaps import money
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.model import Map, Opportunity, PainPoint, Project, Team
from journeymaps.records import record
from journeymaps.settings import Settings
from journeymaps.site.words import finding_counts

IMPACT = ("high", "medium", "low")
EFFORT = ("low", "medium", "high")
#: The corners of the impact x effort matrix, as the practice names them.
QUADRANTS = {
    ("high", "low"): "Quick wins",
    ("high", "high"): "Strategic projects",
    ("low", "low"): "Fillers",
    ("low", "high"): "Resource traps",
}


@record
class Health:
    """A map's lint findings as its badge says them: what its checks found, not how its
    customers fare ("healthy" beside a $145,440 cost of inaction read as the journey being
    fine)."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0

    @property
    def label(self) -> str:
        if self.errors:
            return f"{self.errors} error{'s' if self.errors != 1 else ''}"
        if self.warnings:
            return f"{self.warnings} warning{'s' if self.warnings != 1 else ''}"
        return "all pass"

    @property
    def level(self) -> str:
        return "error" if self.errors else "warning" if self.warnings else "ok"


@record
class RankedPain:
    pain: PainPoint
    map: Map
    score: int  # volume x severity
    yearly_cost: float | None  # cost of inaction
    volume: float | None = None  # the measured volume when measured, else the declared one
    measured_as_of: str | None = None  # the month the measured volume runs to
    revenue_at_risk: float | None = None  # a year, from churn (journeymaps.money)

    @property
    def team(self) -> str | None:
        """The team that must fix it: its own owner (accountable until it is resolved), else
        the team owning where it hurts: the step's, else the stage's, else the map's."""
        pain = self.pain
        at_step = pain.step.owner if pain.step else None
        return pain.owner or at_step or (pain.stage.owner if pain.stage else None) or self.map.owner


@dataclass
class TeamPage:
    team_id: str
    name: str
    contact: str | None
    maps: list[Map] = field(default_factory=list)
    stages: list[tuple[Map, str]] = field(default_factory=list)
    steps: list[tuple[Map, str, str]] = field(default_factory=list)  # (map, step, its stage)
    opportunities: list[tuple[Map, Opportunity]] = field(default_factory=list)
    overdue: list[tuple[Map, Opportunity]] = field(default_factory=list)
    handoffs_out: list[tuple[Map, str, str, str]] = field(default_factory=list)
    handoffs_in: list[tuple[Map, str, str, str]] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)
    pains: list[RankedPain] = field(default_factory=list)  # open, most costly first (cost_order)

    def is_overdue(self, o: Opportunity) -> bool:
        """One of its open opportunities is past its date (a set: a team may have thousands)."""
        if len(self._overdue) != len(self.overdue):
            self._overdue = {id(x) for _, x in self.overdue}
        return id(o) in self._overdue

    def counts_in(self, file: str) -> str:
        """How many of its findings are in ``file``, of each severity, in words ("1 error and
        2 warnings"). Grouped once: a page of its findings asked it of each map on the page,
        and each time scanned every finding (quadratic: 550,000 tests in 500 small maps)."""
        if self._counted != len(self.findings):
            in_file: dict[str, list[Diagnostic]] = defaultdict(list)
            for d in self.findings:
                in_file[d.file].append(d)
            self._counts = {f: finding_counts(found) for f, found in in_file.items()}
            self._counted = len(self.findings)
        return self._counts.get(file, "")

    _overdue: set[int] = field(default_factory=set, repr=False, compare=False)
    _counts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _counted: int = field(default=-1, repr=False, compare=False)


def health_by_map(diagnostics: list[Diagnostic]) -> dict[str, Health]:
    """By map file (two maps may share an id)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for d in diagnostics:
        if d.map_id:
            counts[d.file][d.severity.rank] += 1
    return {k: Health(*v) for k, v in counts.items()}


def ranked_pains(maps: list[Map], settings: Settings) -> list[RankedPain]:
    """Pain points customers still hit (not resolved) by volume x severity, biggest first,
    with their yearly cost of inaction."""
    from journeymaps.measure import kpis

    ranked = []
    for m in maps:
        snap = kpis.load_for(m, settings) if settings.sources else None
        for p in m.open_pain_points:
            # A measured volume (journeymaps measure) beats the one typed in the map.
            measured = kpis.pain_volume(p, snap, settings.sources) if snap else None
            as_of = measured.as_of if measured and measured.volume is not None else None
            volume = measured.volume if measured and measured.volume is not None else p.volume
            score = round((volume or 0) * (p.severity or 0))
            cost = money.contact_cost(p, volume, settings)
            risk = money.revenue_at_risk(p, settings)
            ranked.append(RankedPain(p, m, score, cost, volume, as_of, risk))
    return sorted(ranked, key=rank_order)


def rank_order(r: RankedPain) -> tuple[int, str, str]:
    """Biggest score first, then by map and pain point id."""
    return (-r.score, r.map.id, r.pain.id)


def cost_order(r: RankedPain) -> tuple[bool, float, float, tuple[int, str, str]]:
    """Most costly first, as a team lead fixes them: by yearly cost where it is known (before
    those whose cost is not), then by contacts a month, then by rank."""
    return (r.yearly_cost is None, -(r.yearly_cost or 0), -(r.volume or 0), rank_order(r))


def team_totals(
    ranked: list[RankedPain], groups: Mapping[int, Mapping[str, str]] | None = None
) -> dict[str, money.Total]:
    """Each team's yearly total over the pain points it must fix (:attr:`RankedPain.team`); a group
    of pain points on the same contacts spanning two teams counts once in each team's.
    ``groups``: each map's :func:`~journeymaps.money.overlap_groups`, when known."""
    teams: dict[str, list[RankedPain]] = {}
    for r in ranked:
        if r.team:
            teams.setdefault(r.team, []).append(r)
    return {team: money.total(rows, groups) for team, rows in sorted(teams.items())}


def opportunity_values(ranked: list[RankedPain]) -> dict[tuple[int, str], money.Total]:
    """(id(map), opportunity id) -> the yearly cost of the open pain points it addresses,
    counted once per contact as every total is."""
    rows_of: dict[int, list[RankedPain]] = {}
    for r in ranked:
        rows_of.setdefault(id(r.map), []).append(r)
    out: dict[tuple[int, str], money.Total] = {}
    for key, rows in rows_of.items():
        out |= {(key, o): v for o, v in map_opportunity_values(rows[0].map, rows).items()}
    return out


def map_opportunity_values(m: Map, ranked: list[RankedPain]) -> dict[str, money.Total]:
    """Opportunity id -> the yearly cost of the open pain points of ``m`` (its rows of
    ``ranked``, in rank order) it addresses, when known."""
    open_pains = {r.pain.id: r for r in ranked}
    out: dict[str, money.Total] = {}
    for o in m.opportunities:
        value = money.total([open_pains[a] for a in o.addresses if a in open_pains])
        if value.known:
            out[o.id] = value
    return out


def matrix(
    maps: list[Map], open_of: Callable[[Map], list[tuple[str, str, Opportunity]]] | None = None
) -> list[tuple[str, list[tuple[str, str | None, list[tuple[Map, Opportunity]]]]]]:
    """Rows of impact, cells of effort, each with its quadrant name and opportunities.
    ``open_of``: each map's open opportunities with their cell (impact, effort), when known."""
    cells: dict[tuple[str, str], list[tuple[Map, Opportunity]]] = defaultdict(list)
    for m in maps:
        if open_of is not None:
            for impact, effort, o in open_of(m):
                cells[(impact, effort)].append((m, o))
            continue
        for o in m.opportunities:
            if o.open:
                cells[(o.impact or "medium", o.effort or "medium")].append((m, o))
    return [
        (impact, [(effort, QUADRANTS.get((impact, effort)), cells[(impact, effort)]) for effort in EFFORT])
        for impact in IMPACT
    ]


#: What one map gives the teams pages: (team id, the list of :class:`TeamPage` it goes to,
#: the item), in the order the pages list them.
TeamPart = tuple[str, str, Any]


def team_parts(m: Map, today: dt.date) -> list[TeamPart]:
    """What ``m`` gives each team's page: its maps, stages, steps, open (and overdue)
    opportunities and handoffs, declared or implied, with the owners at both ends."""
    parts: list[TeamPart] = []
    if m.owner:
        parts.append((m.owner, "maps", m))
    for stage in m.stages:
        if stage.owner:
            parts.append((stage.owner, "stages", (m, stage.name)))
        # A step a team owns in another team's stage was on no page of that team's.
        parts += [(step.owner, "steps", (m, step.name, stage.name)) for step in stage.steps if step.owner]
    for o in m.opportunities:
        if o.owner and o.open:
            parts.append((o.owner, "opportunities", (m, o)))
            if o.due is not None and o.due < today:
                parts.append((o.owner, "overdue", (m, o)))
    declared = set()
    for h in m.handoffs:
        if h.from_step and h.to_step and h.from_step.owner and h.to_step.owner:
            declared.add((h.from_ref, h.to_ref))
            sla = h.sla or "no SLA"
            context = h.context or "not recorded"  # as the map page says it
            parts.append((h.from_step.owner, "handoffs_out", (m, h.to_step.owner, sla, context)))
            if h.to_step.owner != h.from_step.owner:  # within a team (a bot to an agent): once
                parts.append((h.to_step.owner, "handoffs_in", (m, h.from_step.owner, sla, context)))
    for a, b in m.implied_handoffs():
        if (a.ref, b.ref) not in declared and a.owner and b.owner and a.owner != b.owner:
            parts.append((a.owner, "handoffs_out", (m, b.owner, "undeclared", "unknown")))
            parts.append((b.owner, "handoffs_in", (m, a.owner, "undeclared", "unknown")))
    return parts


def team_pages(
    project: Project,
    diagnostics: list[Diagnostic],
    today: dt.date,
    parts: Callable[[Map], list[TeamPart]] | None = None,
    ranked: Sequence[RankedPain] = (),
) -> list[TeamPage]:
    """Every team's page: the registry's teams and every owner named. ``parts``: each map's
    :func:`team_parts`, when kept from an earlier build; ``ranked``: the open pain points,
    each listed on the page of the team that must fix it (:attr:`RankedPain.team`)."""
    teams: dict[str, TeamPage] = {}

    def page(team_id: str) -> TeamPage:
        if team_id not in teams:
            known: Team | None = (project.teams or {}).get(team_id)
            teams[team_id] = TeamPage(
                team_id, known.name if known else team_id, known.contact if known else None
            )
        return teams[team_id]

    for t in (project.teams or {}).values():
        page(t.id)
    for m in project.maps:
        for team_id, kind, item in parts(m) if parts is not None else team_parts(m, today):
            getattr(page(team_id), kind).append(item)
    owner_of = {m.src.display: m.owner for m in project.maps}
    for d in diagnostics:
        owner = owner_of.get(d.file)
        if owner:
            page(owner).findings.append(d)
    for r in sorted(ranked, key=cost_order):
        if r.team:
            page(r.team).pains.append(r)
    # By name, as a reader looks for them (and as the filters list them), not by id.
    return sorted(teams.values(), key=lambda t: (t.name.casefold(), t.team_id))


def severity_order(d: Diagnostic) -> tuple[int, str, int]:
    return (d.severity.rank, d.file, d.line)


def counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    return {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
