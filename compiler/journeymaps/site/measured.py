"""What the site shows of measured numbers: a map's KPIs, volumes and SLAs with their trend,
and the scorecard page that rolls KPIs up by team and across maps.

All of it is read from the committed snapshots (journeymaps measure), never the raw data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from journeymaps.measure import kpis
from journeymaps.model import Handoff, Map, Opportunity
from journeymaps.records import record
from journeymaps.settings import Settings
from journeymaps.site.paging import page_path, paged
from journeymaps.site.words import month_words


@record
class Spark:
    """A small inline trend line: SVG coordinates of the months that have a value."""

    width: int
    height: int
    path: str
    last: tuple[float, float] | None  # the latest point, drawn as a dot
    first_month: str
    last_month: str
    low: float
    high: float
    description: str
    #: Why its last months have no figure, as a sentence ("No figure for Nov 2026: too few
    #: responses (at least 5 needed)."); "" when its last month has one.
    gap: str = ""


def sparkline(
    history: Sequence[tuple[str, float | None]],
    width: int = 120,
    height: int = 28,
    words: Callable[[float], str] | None = None,
    missing: Sequence[tuple[str, str]] = (),
) -> Spark | None:
    """A trend from (month, value); None with fewer than two values. A suppressed month
    breaks the line rather than pretending a value. ``words``: a value as the page writes
    it, for the trend's description ("41%", not "0.409"); ``missing``: its last months
    without a figure, each with why (see :func:`gap_words`)."""
    values = [v for _, v in history if v is not None]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = high - low
    step = (width - 4) / max(len(history) - 1, 1)
    parts: list[str] = []
    pen_up = True
    last: tuple[float, float] | None = None
    for i, (_, v) in enumerate(history):
        if v is None:
            pen_up = True
            continue
        x = round(2 + i * step, 1)
        # A level trend at mid-height: along the bottom (its lowest) it read as "low", a
        # breach rate of 100 % every month like one near zero.
        y = round(height - 3 - (v - low) / span * (height - 6), 1) if span else height / 2
        parts.append(f"{'M' if pen_up else 'L'} {x} {y}")
        pen_up = False
        last = (x, y)
    say = words or _short
    shown = ", ".join(f"{month_words(m)} {say(v)}" for m, v in history if v is not None)
    first, final = history[0][0], history[-1][0]
    return Spark(width, height, " ".join(parts), last, first, final, low, high, shown, gap_words(missing))


def gap_words(missing: Sequence[tuple[str, str]]) -> str:
    """Months without a figure and why, as a sentence; months in a row for one reason said
    once ("No figure for Oct 2026 to Nov 2026: ..."). A trend "to 2026-11" beside a value "as
    of 2026-10" read as data lost by mistake when nothing said why."""
    runs: list[tuple[str, str, str]] = []  # (first month, last month, why)
    for month, why in missing:
        if runs and runs[-1][2] == why:
            runs[-1] = (runs[-1][0], month, why)
        else:
            runs.append((month, month, why))
    said = [f"{month_words(a)}{'' if a == b else f' to {month_words(b)}'}: {why}" for a, b, why in runs]
    return f"No figure for {'; for '.join(said)}." if said else ""


def _short(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"


@record
class HandoffSla:
    handoff: Handoff
    rate: float | None
    month: str | None
    spark: Spark | None
    breached: bool


@record
class Signal:
    opportunity: Opportunity
    kpi: kpis.MeasuredKpi | None
    hit: bool | None  # None: not measured yet


@dataclass
class MapMeasures:
    """Everything measured about one map, ready for templates/_measured.html."""

    as_of: str | None = None
    sources: list[str] = field(default_factory=list)
    kpi_rows: list[tuple[kpis.MeasuredKpi, Spark | None]] = field(default_factory=list)
    volumes: list[tuple[kpis.MeasuredVolume, Spark | None]] = field(default_factory=list)
    slas: list[HandoffSla] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    # Each stage's KPIs (by the stage's position), measured or as declared: its KPI list.
    by_stage: list[list[kpis.MeasuredKpi]] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.as_of or any(k.kpi.metric for k, _ in self.kpi_rows))


def map_measures(m: Map, settings: Settings) -> MapMeasures:
    snap = kpis.load_for(m, settings)
    sources = settings.sources
    out = MapMeasures(as_of=snap.as_of if snap else None, sources=sorted(snap.sources) if snap else [])
    measured = kpis.map_kpis(m, settings)
    out.kpi_rows = [(mk, _kpi_trend(mk)) for mk in measured if mk.kpi.metric or mk.measured]
    it = iter(measured)  # map_kpis goes stage by stage, KPI by KPI
    out.by_stage = [[next(it) for _ in st.kpis] for st in m.stages]
    for p in m.pain_points:
        vol = kpis.pain_volume(p, snap, sources)
        if vol is not None and vol.history:
            out.volumes.append((vol, sparkline(vol.history[-12:], words=_counted(vol.unit))))
    limit = settings.measure.sla_breach_threshold
    for h in m.handoffs:
        for key in kpis.handoff_keys(m, h, sources):
            history = snap.values(key, "sla_breach") if snap else []
            latest = next(((mo, v) for mo, v in reversed(history) if v is not None), None)
            after = [mo for mo, _ in history if latest and mo > latest[0]]
            missing = [(mo, snap.no_figure(key, "sla_breach", mo)) for mo in after] if snap else []
            out.slas.append(
                HandoffSla(
                    h,
                    latest[1] if latest else None,
                    latest[0] if latest else None,
                    sparkline(history[-12:], words=lambda v: f"{v * 100:.0f}%", missing=missing),
                    bool(latest and latest[1] > limit),
                )
            )
    by_name = {mk.kpi.name: mk for mk in measured}
    for o in m.opportunities:
        if o.kpi_name is None or o.kpi_target is None:
            continue
        mk = by_name.get(o.kpi_name)
        hit: bool | None = None
        if mk is not None and mk.current is not None and mk.direction is not None:
            hit = mk.current >= o.kpi_target if mk.direction == "higher" else mk.current <= o.kpi_target
        out.signals.append(Signal(o, mk, hit))
    return out


@record
class ScoreRow:
    map: Map
    kpi: kpis.MeasuredKpi
    spark: Spark | None


@dataclass
class TeamScore:
    team_id: str
    name: str
    rows: list[ScoreRow] = field(default_factory=list)

    @property
    def on_target(self) -> int:
        return sum(1 for r in self.rows if r.kpi.on_target is True)

    @property
    def off_target(self) -> int:
        return sum(1 for r in self.rows if r.kpi.on_target is False)


def scored_kpis(m: Map, settings: Settings) -> list[tuple[kpis.MeasuredKpi, Spark | None]]:
    """Each KPI of ``m`` as measured, with its sparkline: what the scorecard shows of a map."""
    return [(mk, _kpi_trend(mk)) for mk in kpis.map_kpis(m, settings)]


def _counted(unit: str) -> Callable[[float], str]:
    """A volume in words: "180 contacts"."""
    return lambda v: f"{v:,.0f} {unit}"


def _kpi_trend(mk: kpis.MeasuredKpi) -> Spark | None:
    """A KPI's last 12 months, its values in words as the page writes the current one."""
    return sparkline(
        mk.history[-12:], words=lambda v: kpis.value_text(v, mk.kpi, fine=True), missing=mk.missing
    )


def score_rows(m: Map, settings: Settings) -> list[tuple[str, ScoreRow]]:
    """Each KPI of ``m`` as the scorecard shows it, with the team it is listed under."""
    return [
        (mk.kpi.owner or m.owner or "nobody", ScoreRow(m, mk, spark))
        for mk, spark in scored_kpis(m, settings)
    ]


def metric_title(name: str, rows: Sequence[ScoreRow]) -> str:
    """A metric's heading across journeys: a standard metric's title; a custom metric's id
    says nothing a reader can use ("lockout-rate lockout-rate"), so the name of its first
    map's KPI stands for it."""
    if name in kpis.STANDARD:
        return kpis.STANDARD[name].title
    return min(rows, key=lambda r: (r.map.id, r.kpi.kpi.name)).kpi.kpi.name


def scorecard_pages(
    maps: Sequence[Map],
    settings: Settings,
    team_names: dict[str, str],
    rows_of: Callable[[Map], list[tuple[str, ScoreRow]]] | None = None,
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The scorecard: every KPI by owning team, and each standard metric across maps; past
    ``rows-per-page`` KPIs, an overview with each team's and each metric's counts, and a
    page for each (scorecard/teams/<id>.html, scorecard/metrics/<name>.html). Each page as
    (path, template, context), like every page the build writes. ``rows_of``: each map's
    :func:`score_rows`, when kept from an earlier build."""
    teams: dict[str, TeamScore] = {}
    by_metric: dict[str, list[ScoreRow]] = {}
    for m in maps:
        for owner, row in rows_of(m) if rows_of else score_rows(m, settings):
            teams.setdefault(owner, TeamScore(owner, team_names.get(owner, owner))).rows.append(row)
            if row.kpi.kpi.metric:
                by_metric.setdefault(row.kpi.kpi.metric, []).append(row)
    # Worst first; as many off target, by name (as a reader looks for a team), not by id.
    ordered = sorted(teams.values(), key=lambda t: (-t.off_target, t.name.casefold(), t.team_id))
    for t in ordered:
        t.rows.sort(key=lambda r: (r.kpi.on_target is not False, r.map.id, r.kpi.kpi.name))
    metrics = [
        (name, metric_title(name, rows), sorted(rows, key=lambda r: r.map.id))
        for name, rows in sorted(by_metric.items())
    ]
    split = sum(len(t.rows) for t in ordered) > settings.rows_per_page
    shared = {"split": split, "heading": "h2", "sub": "h3"}
    yield "scorecard.html", "scorecard.html", {**shared, "teams": ordered, "metrics": metrics}
    if not split:
        return
    per_page = settings.rows_per_page
    for t in ordered:
        # Counted once for all of the team's pages (counting on each page was quadratic).
        counts = (len(t.rows), t.on_target, t.off_target)
        for pager, chunk in paged(t.rows, per_page, "kpis"):
            part = TeamScore(t.team_id, t.name, chunk)
            yield (
                f"scorecard/teams/{t.team_id}/{page_path(pager.number, 'kpis')}",
                "scorecard-part.html",
                {**shared, "t": part, "counts": counts, "title": t.name, "heading": "h1", "pager": pager},
            )
    for name, title, rows in metrics:
        for pager, chunk in paged(rows, per_page, "journeys"):
            yield (
                f"scorecard/metrics/{name}/{page_path(pager.number, 'journeys')}",
                "scorecard-part.html",
                {
                    **shared,
                    "name": name,
                    "title": title,
                    "rows": chunk,
                    "all": rows,
                    "sub": "h1",
                    "pager": pager,
                },
            )
