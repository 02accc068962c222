"""The KPI model: standard metrics, their direction, and a map's numbers read from its snapshot.

Everything here reads the model and a snapshot, never raw data: lint, the site and diff
use it in CI without access to the exports.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from journeymaps import business_time
from journeymaps.measure import snapshot
from journeymaps.model import Evidence, Handoff, Kpi, Map, PainPoint, Stage
from journeymaps.records import record
from journeymaps.settings import Settings


@record
class Metric:
    name: str
    field: str | None  # the snapshot's column; None: not measured from tickets or surveys
    better: str  # higher | lower
    kind: str  # rate (0-1) | minutes | count | score
    title: str


STANDARD: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("csat", "csat", "higher", "rate", "CSAT (share satisfied)"),
        Metric("ces", "ces", "lower", "score", "Customer effort score"),
        Metric("nps", "nps", "higher", "score", "Net promoter score"),
        Metric("fcr", "fcr", "higher", "rate", "First contact resolution"),  # measured: one agent reply
        Metric("aht", "aht", "lower", "minutes", "Average handling time"),
        Metric("frt", "frt", "lower", "minutes", "First reply time"),
        Metric("ttr", "ttr", "lower", "minutes", "Time to resolution"),
        Metric("reopen", "reopen", "lower", "rate", "Reopen rate"),
        Metric("sla-breach", "sla_breach", "lower", "rate", "Handoff SLA breach rate"),
        Metric("escalation", "escalation", "lower", "rate", "Escalation rate"),
        Metric("contacts", "contacts", "lower", "count", "Contacts"),
        Metric("customers", "customers", "lower", "count", "Customers"),
        Metric("deflection", None, "higher", "rate", "Deflection"),
    )
}
SURVEY_FIELDS = frozenset({"ces", "nps"})
_UNITS = {"h": 60.0, "hour": 60.0, "hours": 60.0, "hrs": 60.0, "d": 1440.0, "day": 1440.0, "days": 1440.0}


#: How a target reads with the way that is better ("target 0.6 or less"): a number and a
#: target alone did not say whether 0.92 against 0.6 was good or bad.
MORE_OR_LESS = {"higher": "more", "lower": "less"}


def direction(k: Kpi) -> str | None:
    if k.direction:
        return k.direction
    std = STANDARD.get(k.metric or "")
    return std.better if std else None


def to_kpi_unit(k: Kpi, value: float) -> float:
    """A snapshot value in the KPI's unit (durations are stored in minutes, rates as 0-1)."""
    std = STANDARD.get(k.metric or "")
    unit = (k.unit or "").strip().lower()
    if std and std.kind == "minutes":
        return value / _UNITS.get(unit, 1.0)
    if std and std.kind == "rate" and unit == "%":
        return value * 100
    return value


#: Units KPIs are commonly counted in, as one of them reads: "target 1 hour", not "1 hours".
_SINGULAR = {
    "hours": "hour",
    "minutes": "minute",
    "seconds": "second",
    "days": "day",
    "business days": "business day",
    "weeks": "week",
    "months": "month",
    "contacts": "contact",
    "tickets": "ticket",
    "customers": "customer",
}
#: Standard rates a KPI with no unit holds as 0-1 and people read as percentages.
_PERCENT_METRICS = frozenset({"csat", "fcr", "reopen", "sla-breach", "escalation", "deflection"})


def unit_after(unit: str, shown: str) -> str:
    """``unit`` as it reads after the number ``shown``: singular after exactly 1; a unit the
    map spells otherwise is left as written."""
    return _SINGULAR.get(unit, unit) if shown.strip() == "1" else unit


def value_text(value: float | None, k: Kpi | None, *, fine: bool = False) -> str:
    """A KPI's value as people read it ("41%", "6 hours", "1,240 contacts", "—" for none):
    the same words on the site and in lint's findings. ``fine``: a rate to a tenth of a
    percent, for a trend whose steps can be smaller than one (0.4138 → 0.4091 read "41% →
    41%" as "got worse")."""
    if value is None:
        return "\u2014"
    if k is not None and k.unit == "%":
        return f"{_fixed(value, 1)}%"
    if k is not None and k.metric in _PERCENT_METRICS and not k.unit:
        return f"{_fixed(value * 100, 1 if fine else 0)}%"
    shown = _fixed(value, 0, ",") if abs(value) >= 100 else _fixed(value, 2, "", "g")
    unit = _unit_of(k)
    return f"{shown} {unit_after(unit, shown)}" if unit else shown


def _unit_of(k: Kpi | None) -> str | None:
    """The unit a KPI's value is read in: its own, else what a standard count counts ("28
    contacts": a bare "28, target 20 or less" left a reader asking 28 what)."""
    if k is None or k.unit:
        return k.unit if k is not None else None
    std = STANDARD.get(k.metric or "")
    return std.name if std and std.kind == "count" else None


def _fixed(value: float, places: int, group: str = "", kind: str = "f") -> str:
    """``value`` rounded to ``places`` decimals and written with ``group``ed thousands
    (``kind`` "g": without trailing zeros). A value that rounds to zero is "0", never "-0"
    (-0.0 is a number YAML reads, and -0.001 rounds to it); one too large to write out in
    digits is in powers of ten (1e300 was a 300-digit number)."""
    if not math.isfinite(value) or abs(value) >= 1e16:
        return f"{value:.3g}"
    rounded = round(value, places) + 0.0  # + 0.0: -0.0 becomes 0.0
    return f"{rounded:{group}.{places}f}" if kind == "f" else f"{rounded:g}"


def ref_control(ref: str | None) -> tuple[int, int, str] | None:
    """Where a ref's (an evidence's or a KPI's) first control character is (a NUL spelled as
    YAML's ``"\\0"``), its offset in the ref, its code and its escape, or None. The map holds
    it as its escape (``\\x00``), which a selector read as text: measured as the tag
    'billx00ing', it matched nothing, exit 0. Such a ref is not measured (the
    invalid-selector rule says why). Found by its escape in the text, as a site's drawing
    workers have the map's data, not which texts held one."""
    if not ref or "\\" not in ref:
        return None
    found = _escapes().search(ref)
    if found is None:
        return None
    escape = found.group()
    return found.start(), int(escape[2:], 16), escape


@functools.cache
def _escapes() -> re.Pattern[str]:
    from journeymaps.direction_controls import ESCAPED

    return re.compile("|".join(re.escape(shown) for shown in ESCAPED.values()))


def measured_selector(e: Evidence, sources: Mapping[str, Any]) -> str | None:
    """The canonical selector of evidence that names a configured source; None otherwise
    (or when the ref does not parse: the invalid-selector rule says so)."""
    if e.source not in sources or not e.ref or ref_control(e.ref) is not None:
        return None
    from journeymaps.measure import selectors  # here: only maps with a configured source need it

    try:
        return selectors.canonical(e.ref)
    except selectors.SelectorError:
        return None


def sla_minutes(text: str | None) -> float | None:
    """A calendar-time SLA in minutes. A business-time one (4bh, 2bd) is None: its length
    depends on when the clock starts, which the breach rate does not measure yet."""
    return business_time.calendar_minutes(text)


#: How a handoff's SLA reads after its length, by the clock it is held against.
CLOCK_WORDS = {"resolution": "", "first-reply": " to the first reply"}


def handoff_sla(h: Handoff) -> snapshot.Sla | None:
    """A handoff's SLA as measured (its calendar length and clock), or None: none, or one
    in business time."""
    minutes = sla_minutes(h.sla)
    return None if minutes is None else snapshot.Sla(minutes, h.sla_clock)


def handoff_evidence(m: Map, h: Handoff) -> tuple[Evidence, ...]:
    """The tickets of a handoff: its own evidence, else the receiving stage's."""
    if h.evidence:
        return h.evidence
    stage = m.stage(h.to_step.stage_id) if h.to_step else None
    return stage.evidence if stage else ()


def handoff_selectors(m: Map, h: Handoff, sources: Mapping[str, Any]) -> list[tuple[Evidence, str]]:
    """The tickets a handoff's SLA is measured on: each evidence of a configured ticket
    source with its canonical selector (none when the SLA is not measured: see
    :func:`handoff_sla`)."""
    if handoff_sla(h) is None:
        return []
    out = []
    for e in handoff_evidence(m, h):
        sel = measured_selector(e, sources)
        if sel is not None and sources[e.source].get("kind", "tickets") == "tickets":
            out.append((e, sel))
    return out


def handoff_keys(m: Map, h: Handoff, sources: Mapping[str, Any]) -> list[str]:
    sla = handoff_sla(h)
    return [snapshot.series_key(e.source, sel, sla) for e, sel in handoff_selectors(m, h, sources)]


def kpi_key(m: Map, stage: Stage, k: Kpi, sources: Mapping[str, Any]) -> str | None:
    """The series a standard KPI is measured on, or None."""
    std = STANDARD.get(k.metric or "")
    if std is None or std.field is None:
        return None
    if std.name == "sla-breach":
        for h in m.handoffs:
            if h.to_step is not None and h.to_step.stage_id == stage.id:
                keys = handoff_keys(m, h, sources)
                if keys:
                    return keys[0]
        return None
    wants_survey = std.field in SURVEY_FIELDS
    if k.source and k.ref:
        own = own_selector(k, sources)
        return None if own is None else snapshot.series_key(k.source, own)
    candidates = [*stage.evidence, *(e for st in stage.steps for e in st.evidence)]
    for e in candidates:
        if k.source and e.source != k.source:
            continue
        sel = measured_selector(e, sources)
        if sel is None:
            continue
        is_survey = sources[e.source].get("kind", "tickets") == "survey"
        if is_survey == wants_survey or (std.field == "csat"):
            return snapshot.series_key(e.source, sel)
    return None


def own_selector(k: Kpi, sources: Mapping[str, Any]) -> str | None:
    """The canonical selector of a KPI's own ``source`` and ``ref`` when the source is
    configured; None otherwise (or when the ref does not parse)."""
    if not (k.source and k.ref and k.source in sources) or ref_control(k.ref) is not None:
        return None
    from journeymaps.measure import selectors

    try:
        return selectors.canonical(k.ref)
    except selectors.SelectorError:
        return None


def snapshot_field(k: Kpi) -> str | None:
    std = STANDARD.get(k.metric or "")
    if std is None or std.field is None:
        return None
    if std.field in ("frt", "ttr") and k.percentile == 90:
        return f"{std.field}_p90"
    return std.field


@record
class MeasuredKpi:
    """A KPI with the numbers its snapshot gives, in its own unit."""

    kpi: Kpi
    stage: Stage
    key: str | None
    current: float | None  # measured when key has data, else the declared current
    history: tuple[tuple[str, float | None], ...]  # (month, value)
    as_of: str | None  # the month the current value is from, when measured
    direction: str | None
    #: The months after ``as_of`` with no figure, each with why (``Snapshot.no_figure``):
    #: a trend "to 2026-11" beside a value "as of 2026-10" says why November is not shown.
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def measured(self) -> bool:
        return self.as_of is not None

    @property
    def on_target(self) -> bool | None:
        if self.current is None or self.kpi.target is None or self.direction is None:
            return None
        if self.direction == "higher":
            return self.current >= self.kpi.target
        return self.current <= self.kpi.target

    def worsening_run(self) -> int:
        """How many of the latest months in a row each got worse than the month before."""
        values = [v for _, v in self.history]
        run = 0
        for before, after in zip(reversed(values[:-1]), reversed(values[1:]), strict=True):
            if before is None or after is None or self.direction is None:
                break
            worse = after < before if self.direction == "higher" else after > before
            if not worse:
                break
            run += 1
        return run


def measure_kpi(
    m: Map, stage: Stage, k: Kpi, snap: snapshot.Snapshot | None, sources: Mapping[str, Any]
) -> MeasuredKpi:
    key = kpi_key(m, stage, k, sources)
    field = snapshot_field(k)
    history: list[tuple[str, float | None]] = []
    if snap is not None and key is not None and field is not None:
        history = [
            (month, None if v is None else round(to_kpi_unit(k, v), 4))
            for month, v in snap.values(key, field)
        ]
    latest = next(((mo, v) for mo, v in reversed(history) if v is not None), None)
    current = latest[1] if latest else k.current
    missing: tuple[tuple[str, str], ...] = ()
    if snap is not None and key is not None and field is not None and latest is not None:
        missing = tuple((mo, snap.no_figure(key, field, mo)) for mo, _ in history if mo > latest[0])
    as_of = latest[0] if latest else None
    return MeasuredKpi(k, stage, key, current, tuple(history), as_of, direction(k), missing)


def map_kpis(m: Map, settings: Settings) -> list[MeasuredKpi]:
    snap = load_for(m, settings)
    return [measure_kpi(m, s, k, snap, settings.sources) for s in m.stages for k in s.kpis]


def load_for(m: Map, settings: Settings) -> snapshot.Snapshot | None:
    return snapshot.load(metrics_folder(settings), m.id)


def metrics_folder(settings: Settings) -> Path:
    return _joined(settings.root, settings.measure.metrics)


@functools.lru_cache(maxsize=16)
def _joined(root: Path, folder: str) -> Path:
    """``root / folder``, made once: the rules ask for the snapshots folder ~8 times a map
    (80,000 Paths made for a lint of 10,000 maps, ~0.2 s)."""
    return root / folder


@record
class MeasuredVolume:
    """A pain point's monthly volume from its evidence: the mean of the latest three months."""

    pain: PainPoint
    volume: float | None
    unit: str  # contacts | customers
    as_of: str | None
    history: tuple[tuple[str, float | None], ...]
    keys: tuple[str, ...]


def pain_volume(
    p: PainPoint, snap: snapshot.Snapshot | None, sources: Mapping[str, Any]
) -> MeasuredVolume | None:
    """None when no evidence of the pain point is measured."""
    keys = []
    for e in p.evidence:
        sel = measured_selector(e, sources)
        if sel is not None and sources[e.source].get("kind", "tickets") == "tickets":
            keys.append(snapshot.series_key(e.source, sel))
    if not keys:
        return None
    field = "customers" if p.volume_unit == "customers" else "contacts"
    if snap is None:
        return MeasuredVolume(p, None, field, None, (), tuple(keys))
    # Several evidence entries of one pain point add up (they should not overlap).
    by_month: dict[str, float | None] = {}
    for key in keys:
        for month, v in snap.values(key, field):
            if month in snap.months_of(key) and snap.months_of(key)[month].get("suppressed"):
                v = None
            prev = by_month.get(month, 0.0)
            by_month[month] = None if v is None or prev is None else prev + v
    history = tuple(sorted(by_month.items()))
    complete = history
    if history and snap.as_of and snap.as_of < month_end(history[-1][0]).isoformat():
        complete = history[:-1]  # the export stops mid-month: that month's count is partial
    recent = [v for _, v in complete[-3:] if v is not None]
    volume = round(sum(recent) / len(recent), 1) if recent else None
    return MeasuredVolume(p, volume, field, complete[-1][0] if complete else None, history, tuple(keys))


def measured_volumes(m: Map, snap: snapshot.Snapshot | None, sources: Mapping[str, Any]) -> dict[str, float]:
    """Each pain point's measured monthly volume by its id, where one is measured: what the
    site shows in place of the volume the map declares, as its ranked pain points do."""
    found = {}
    for p in m.pain_points:
        measured = pain_volume(p, snap, sources)
        if measured is not None and measured.volume is not None:
            found[p.id] = measured.volume
    return found


def all_series(
    m: Map, sources: Mapping[str, Any]
) -> Iterator[tuple[str, str, snapshot.Sla | None, Evidence | None]]:
    """(source, canonical selector, a handoff's SLA, the evidence) of everything a map measures."""
    for e in m.all_evidence():
        sel = measured_selector(e, sources)
        if sel is not None:
            yield e.source, sel, None, e
    for h in m.handoffs:
        sla = handoff_sla(h)
        for e in handoff_evidence(m, h):
            sel = measured_selector(e, sources)
            if sla is not None and sel is not None and sources[e.source].get("kind", "tickets") == "tickets":
                yield e.source, sel, sla, e
    for stage in m.stages:
        for k in stage.kpis:
            own = own_selector(k, sources)
            if k.source and own is not None:
                yield k.source, own, None, None


def month_end(month: str) -> dt.date:
    y, mo = (int(x) for x in month.split("-"))
    first_next = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)
