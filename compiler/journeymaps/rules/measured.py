"""Measured maps: the map checked against the numbers its data gives (``journeymaps measure``).

These rules read the committed snapshots (``metrics/<map-id>.json``), never the raw data,
so they run in CI like any other.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from journeymaps import business_time
from journeymaps.diagnostics import Severity, Span
from journeymaps.fingerprints import lines_of
from journeymaps.measure import kpis, snapshot
from journeymaps.model import Evidence, Handoff, Loc, Map
from journeymaps.rules import Context, Finding, Kind, Rule, map_rule, register
from journeymaps.rules.examples import GOOD_MAP, TEAMS

INVALID_SELECTOR = "invalid-selector"
UNREADABLE_SNAPSHOT = "unreadable-snapshot"
UNWRITABLE_SNAPSHOT = "unwritable-snapshot"

_SETTINGS = """
[sources.zendesk]
preset = "zendesk"
path = "exports/zendesk.csv"
timezone = "Europe/Paris"
"""


def _snap(
    months: Mapping[str, Mapping[str, object]],
    key: str = "zendesk|tag:locked_out",
    sla: float | None = None,
    also: tuple[str, ...] = (),
) -> str:
    """A snapshot as `journeymaps measure` writes it, for the examples; ``also``: more keys
    (without an SLA) with the same months."""
    source, selector = key.split("|")[:2]
    series = {key: {"source": source, "selector": selector, "sla_minutes": sla, "months": months}}
    for other in also:
        src, sel = other.split("|")[:2]
        series[other] = {"source": src, "selector": sel, "sla_minutes": None, "months": months}
    return json.dumps(
        {
            "version": 1,
            "map": "admin-locked-out",
            "k": 5,
            "timezone": "UTC",
            "as_of": f"{max(months)}-28",
            "months": sorted(months),
            "sources": {"zendesk": {"kind": "tickets", "preset": "zendesk"}},
            "series": series,
        },
        indent=1,
        sort_keys=True,
    )


def _project(map_text: str, snap: str | None = None) -> dict[str, str]:
    files = {"teams.yaml": TEAMS, "map.yaml": map_text, "../journeymaps.toml": _SETTINGS}
    if snap is not None:
        files["../metrics/admin-locked-out.json"] = snap
    return files


def _shown(path: Path, ctx: Context) -> str:
    """A snapshot's path as the settings name it: relative to the project."""
    return Path(os.path.relpath(path, ctx.settings.root)).as_posix()


def _selector_span(loc: Loc, offset: int) -> Span:
    """The column of ``offset`` inside the ref's text (of the evidence or KPI at ``loc``), as
    the file shows it."""
    span = loc.span("ref")
    lines = lines_of(loc.src.text)
    line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    quoted = span.column - 1 < len(line) and line[span.column - 1] in "'\""
    column = span.column + offset + (1 if quoted else 0)
    if span.end_line != span.line:  # a folded or block scalar: point at its start
        column = span.column
    return Span(span.line, column, span.line, column + 1)


def _measured_evidence(m: Map, ctx: Context) -> Iterator[Evidence]:
    for e in m.all_evidence():
        if e.source in ctx.settings.sources and e.ref:
            yield e


@map_rule(
    INVALID_SELECTOR,
    "JM801",
    Severity.ERROR,
    "Evidence or a KPI of a configured source has a ref that is not a selector.",
    bad=_project(GOOD_MAP.replace('ref: "tag:locked_out"', 'ref: "tag:locked_out and (channel:email"')),
    good=_project(
        GOOD_MAP.replace('ref: "tag:locked_out"', 'ref: "tag:locked_out and (channel:email or channel:chat)"')
    ),
)
def invalid_selector(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    When an evidence entry's `source` names a source configured in the settings
    (`[sources.NAME]`), its `ref` is a selector that `journeymaps measure` counts:
    `tag:x`, `channel:x`, `group:x` or `form:x`, combined with `and`, `or`, `not` and
    parentheses; quote a value with spaces: `group:"Tier 2"`. A ref that does not parse
    would measure nothing, so it is an error, reported at the column where it goes wrong;
    so is a control character in it (a NUL written `"tag:bill\\0ing"`), which no export's
    value holds. A KPI's own `source` and `ref` are checked alike.
    """
    refs: list[tuple[Loc, str | None, str | None]] = [
        (e.loc, e.source, e.ref) for e in _measured_evidence(m, ctx)
    ]
    # A KPI's own ref too: one that did not parse was measured on nothing, and said nowhere.
    refs += [
        (k.loc, k.source, k.ref)
        for stage in m.stages
        for k in stage.kpis
        if k.source in ctx.settings.sources and k.ref
    ]
    for loc, source, ref in refs:
        assert ref is not None
        control = kpis.ref_control(ref)
        if control is not None:
            offset, code, escape = control
            yield _at_ref(
                loc,
                offset,
                f"ref is not a selector for source '{source}': it holds U+{code:04X} (shown as {escape}), "
                "a control character that no tag, channel, group or form of an export holds: remove it",
            )
            continue
        from journeymaps.measure import selectors  # here: only maps with a measured ref need it

        try:
            selectors.parse(ref)
        except selectors.SelectorError as exc:
            yield _at_ref(
                loc,
                exc.offset,
                f"ref is not a selector for source '{source}': {exc} "
                f"(at column {exc.offset + 1} of the selector)",
            )


def _at_ref(loc: Loc, offset: int, message: str) -> Finding:
    """A finding at character ``offset`` of the selector in ``loc``'s ``ref``, placed by
    path and ids as :meth:`Finding.at` places one (SARIF's path, the fingerprint)."""
    at = Finding.at(loc, message, "ref")
    return Finding(at.src, _selector_span(loc, offset), message, at.path, at.anchor)


_MONTHS = {"2026-08": {"contacts": 1190}, "2026-09": {"contacts": 1140}, "2026-10": {"contacts": 1160}}


@map_rule(
    "evidence-matches-nothing",
    "JM802",
    Severity.WARNING,
    "Measured evidence matched no ticket in the data: a renamed tag, a typo.",
    bad=_project(GOOD_MAP, _snap({m: {"contacts": 0} for m in _MONTHS})),
    good=_project(GOOD_MAP, _snap(_MONTHS)),
)
def evidence_matches_nothing(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Evidence is only as good as the query behind it. When a tag is renamed in the help
    desk, the evidence that names the old tag silently matches nothing, and the stage it
    "validates" is a guess again. A measured selector whose every month counts zero
    contacts is reported: fix the ref, or remove the evidence.
    """
    snap = kpis.load_for(m, ctx.settings)
    if snap is None:
        return
    for e in _measured_evidence(m, ctx):
        sel = kpis.measured_selector(e, ctx.settings.sources)
        if sel is None:
            continue
        months = snap.months_of(snapshot.series_key(e.source, sel))
        if months and all(
            not cell.get("suppressed") and not (cell.get("contacts") or cell.get("responses"))
            for cell in months.values()
        ):
            yield Finding.at(
                e.loc,
                f"'{e.ref}' matched nothing in {e.source} from {min(months)} to {max(months)}: "
                "was the tag renamed? Fix the ref or remove this evidence",
                "ref",
            )


_PAIN = """pain_points:
  - id: lockouts
    at: discovery
    kind: technical
    summary: Admins get locked out.
    volume: {volume}
    severity: 3
    evidence: [{{source: zendesk, kind: tickets, ref: "tag:locked_out"}}]
"""


@map_rule(
    "volume-mismatch",
    "JM803",
    Severity.WARNING,
    "A pain point's declared volume is far from the volume its evidence measures.",
    bad=_project(GOOD_MAP + _PAIN.format(volume=300), _snap(_MONTHS)),
    good=_project(GOOD_MAP + _PAIN.format(volume=1150), _snap(_MONTHS)),
)
def volume_mismatch(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Pain points are ranked by volume x severity, and their cost of inaction is volume x
    cost per contact: a volume typed by hand a year ago misranks the portfolio. When the
    pain point's evidence is measured, its volume is the mean of the latest three months
    (contacts, or customers with `volume_unit: customers`); a declared `volume` further
    from it than `volume-tolerance` (default 50%) is reported. The site shows the measured
    one either way.
    """
    snap = kpis.load_for(m, ctx.settings)
    tolerance = ctx.settings.measure.volume_tolerance
    for p in m.pain_points:
        measured = kpis.pain_volume(p, snap, ctx.settings.sources)
        if measured is None or measured.volume is None or p.volume is None:
            continue
        if abs(p.volume - measured.volume) > tolerance * max(measured.volume, 1):
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' declares {p.volume} {measured.unit} a month but its evidence measures "
                f"{measured.volume:g} (mean of the 3 months to {measured.as_of}): update volume",
                "volume",
            )


_KPI = """    kpis:
      - {{name: First reply time, metric: frt, unit: hours, target: {target}}}
"""
_FRT = {
    "2026-08": {"contacts": 900, "frt": 300.0},
    "2026-09": {"contacts": 900, "frt": 330.0},
    "2026-10": {"contacts": 900, "frt": 360.0},
}


def _with_kpi(target: float) -> str:
    return GOOD_MAP.replace(
        "    evidence:\n      - {source: zendesk",
        _KPI.format(target=target) + "    evidence:\n      - {source: zendesk",
    )


@map_rule(
    "kpi-off-target",
    "JM804",
    Severity.INFO,
    "A KPI (measured, else declared) is on the wrong side of its target.",
    bad=_project(_with_kpi(1), _snap({"2026-10": {"contacts": 900, "frt": 360.0}})),
    good=_project(_with_kpi(8), _snap({"2026-10": {"contacts": 900, "frt": 360.0}})),
)
def kpi_off_target(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A KPI with a `target` and a standard `metric` (or a `direction`) is judged by its
    latest measured month (or its declared `current` when it is not measured): below the
    target when higher is better, above it when lower is better, it is reported with
    both numbers and the month. It is an info by default: a KPI off target is the state of
    the journey, which the map exists to show, not a defect of the map (make it a warning
    or an error in `[rules]` to gate on it).
    """
    for mk in kpis.map_kpis(m, ctx.settings):
        if mk.on_target is False:
            assert mk.current is not None
            when = f"in {mk.as_of}" if mk.as_of else "(declared)"
            yield Finding.at(
                mk.kpi.loc,
                f"KPI '{mk.kpi.name}' is {kpis.value_text(mk.current, mk.kpi)} {when}; the target "
                f"is {kpis.value_text(mk.kpi.target, mk.kpi)} ({mk.direction} is better)",
                "name",
            )


@map_rule(
    "kpi-worsening",
    "JM805",
    Severity.WARNING,
    "A measured KPI got worse several months in a row.",
    bad=_project(_with_kpi(8), _snap({"2026-07": {"contacts": 900, "frt": 290.0}} | _FRT)),
    good=_project(
        _with_kpi(8),
        _snap(
            {
                "2026-07": {"contacts": 900, "frt": 350.0},
                "2026-08": {"contacts": 900, "frt": 300.0},
                "2026-09": {"contacts": 900, "frt": 330.0},
            }
        ),
    ),
)
def kpi_worsening(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A KPI can be on target and sliding. When its measured value got worse (in its
    direction) for `worsening-periods` months in a row (default 3), it is reported before
    it crosses the target: the trend is the early warning.
    """
    periods = ctx.settings.measure.worsening_periods
    for mk in kpis.map_kpis(m, ctx.settings):
        run = mk.worsening_run()
        if mk.measured and run >= periods:
            recent = [
                kpis.value_text(v, mk.kpi, fine=True) for _, v in mk.history[-(run + 1) :] if v is not None
            ]
            yield Finding.at(
                mk.kpi.loc,
                f"KPI '{mk.kpi.name}' got worse {run} months in a row ({' → '.join(recent)} to {mk.as_of})",
                "name",
            )


@map_rule(
    "evidence-behind-data",
    "JM806",
    Severity.WARNING,
    "Evidence's as_of is older than the data measured for it: its note and numbers are out of date.",
    bad=_project(
        GOOD_MAP.replace(
            'ref: "tag:locked_out", as_of: 2026-10-30', 'ref: "tag:locked_out", as_of: 2026-06-30'
        ),
        _snap(_MONTHS),
    ),
    good=_project(GOOD_MAP, _snap(_MONTHS)),
)
def evidence_behind_data(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    `as_of` says when the evidence was pulled, and its `note` quotes what the data said
    then. When the snapshot holds data for that selector more than a month newer than
    `as_of`, the note describes an older journey: read the measured values, update the
    note and move `as_of` (or drop them and let the site show the measured numbers).
    """
    snap = kpis.load_for(m, ctx.settings)
    if snap is None:
        return
    for e in _measured_evidence(m, ctx):
        sel = kpis.measured_selector(e, ctx.settings.sources)
        if sel is None or e.as_of is None:
            continue
        months = snap.months_of(snapshot.series_key(e.source, sel))
        if not months:
            continue
        data_end = kpis.month_end(max(months))
        if snap.as_of and snap.as_of < data_end.isoformat():
            import datetime as dt

            data_end = dt.date.fromisoformat(snap.as_of)
        if (data_end - e.as_of).days > 31:
            yield Finding.at(
                e.loc,
                f"evidence is as of {e.as_of} but {e.source} data for '{e.ref}' runs to {data_end}: "
                "update the note and as_of",
                "as_of",
            )


_HANDOFF_MAP = (
    GOOD_MAP.replace(
        "    emotion: 2\n",
        "    emotion: 2\n    steps:\n"
        "      - {id: unlock, name: Identity unlocks the account, lane: backstage}\n",
    ).replace(
        "    emotion: -1\n",
        "    emotion: -1\n    steps:\n      - {id: verify, name: Agent verifies identity, lane: support}\n",
    )
    + "handoffs:\n  - {from: discovery.verify, to: resolution.unlock, sla: 4h, context: carried,\n"
    + '     evidence: [{source: zendesk, kind: tickets, ref: "tag:locked_out"}]}\n'
)
_SLA_KEY = "zendesk|tag:locked_out|sla=240m"


def _ends(h: Handoff) -> str:
    """A handoff's ends as people read them (the site shows findings too); the location says
    which handoff in the file."""
    return " to ".join(
        f'"{step.name}"' if step is not None else ref
        for step, ref in ((h.from_step, h.from_ref), (h.to_step, h.to_ref))
    )


@map_rule(
    "sla-breached",
    "JM807",
    Severity.WARNING,
    "A handoff's SLA was breached more often than the threshold in the latest month.",
    bad=_project(_HANDOFF_MAP, _snap({"2026-10": {"contacts": 400, "sla_breach": 0.31}}, _SLA_KEY, 240)),
    good=_project(_HANDOFF_MAP, _snap({"2026-10": {"contacts": 400, "sla_breach": 0.04}}, _SLA_KEY, 240)),
)
def sla_breached(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A declared `sla` is a promise between teams. Its breach rate is measured on the
    tickets that cross the handoff (its `evidence`, else the receiving stage's): the share
    of them (escalated ones, where the export records a change of group) resolved later
    than the SLA; with `sla_clock: first-reply` (a bot or a form handing over to the first
    person to reply), the share first answered later than the SLA. Above
    `sla-breach-threshold` (default 10%) in the latest month, the handoff is reported.
    """
    snap = kpis.load_for(m, ctx.settings)
    if snap is None:
        return
    limit = ctx.settings.measure.sla_breach_threshold
    for h in m.handoffs:
        for key in kpis.handoff_keys(m, h, ctx.settings.sources):
            values = [(mo, v) for mo, v in snap.values(key, "sla_breach") if v is not None]
            if values and values[-1][1] > limit:
                month, rate = values[-1]
                yield Finding.at(
                    h.loc,
                    f"the handoff from {_ends(h)}: {rate:.0%} of its tickets missed its SLA of "
                    f"{business_time.words(h.sla) if h.sla else h.sla}{kpis.CLOCK_WORDS[h.sla_clock]} "
                    f"in {month} (threshold {limit:.0%})",
                    "sla",
                )


@map_rule(
    UNREADABLE_SNAPSHOT,
    "JM808",
    Severity.ERROR,
    "A map's metrics snapshot is there but cannot be used: its measured numbers are left out.",
    bad=_project(_with_kpi(8), '{"version": 1, "map": "admin-locked-out", "months": [}'),
    good=_project(_with_kpi(8), _snap({"2026-10": {"contacts": 900, "frt": 360.0}})),
)
def unreadable_snapshot(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    `journeymaps measure` writes each map's measured numbers into `metrics/<map-id>.json`, a
    committed file that lint, the site and diff read. A snapshot that is not JSON (a merge
    conflict's markers, a hand edit), not in the shape `measure` writes, from another
    journeymaps, or not a regular file cannot be used, and the map then reads as never
    measured: its KPIs fall back to their declared values everywhere. It is reported at the
    map, with why; run `journeymaps measure` again (or restore the file from git).
    """
    folder = kpis.metrics_folder(ctx.settings)
    why = snapshot.problem(folder, m.id)
    if why is not None:
        shown = _shown(snapshot.path_for(folder, m.id), ctx)
        yield Finding.at(
            m.loc,
            f"the metrics snapshot {shown} {why}: the map's measured numbers are left out of lint, "
            "the site and diff; run 'journeymaps measure' again, or restore the file",
            "id",
        )


def _duration(minutes: float) -> str:
    """``60`` → ``1 hour``: an SLA's length as the map would write it."""
    for unit, size in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes >= size and minutes % size == 0:
            n = minutes / size
            return f"{n:g} {unit}{'' if n == 1 else 's'}"
    return f"{minutes:g} minutes"


#: A measured SLA's clock after its length, when it differs from the handoff's.
_OTHER_CLOCK = {"resolution": " to resolution", "first-reply": " to the first reply"}


def _measured_slas(snap: snapshot.Snapshot, source: str, selector: str, clock: str) -> list[str]:
    """The SLAs the snapshot measured ``selector`` at, in words, sorted by length."""
    found: set[tuple[float, str]] = set()
    for entry in snap.series.values():
        minutes = snapshot.measured_number(entry.get("sla_minutes"))
        if entry.get("source") == source and entry.get("selector") == selector and minutes is not None:
            found.add((minutes, str(entry.get("sla_clock") or "resolution")))
    return [
        _duration(minutes) + (_OTHER_CLOCK.get(other, "") if other != clock else "")
        for minutes, other in sorted(found)
    ]


def _since(snap: snapshot.Snapshot, source: str) -> str:
    """What the snapshot was measured before: the map's words, or the source itself (a
    source configured since counted nothing for the snapshot, however old the evidence)."""
    return "it was written" if source in snap.sources else f"source '{source}' was configured"


_STALE_SNAP = {
    "2026-10": {"contacts": 400, "sla_breach": 0.04},
}


@map_rule(
    "not-measured-since-change",
    "JM810",
    Severity.WARNING,
    "A map changed what it measures since its snapshot was taken: those numbers are missing.",
    bad=_project(
        _HANDOFF_MAP.replace("sla: 4h", "sla: 8h"),
        _snap(_STALE_SNAP, _SLA_KEY, 240, also=("zendesk|tag:locked_out",)),
    ),
    good=_project(_HANDOFF_MAP, _snap(_STALE_SNAP, _SLA_KEY, 240, also=("zendesk|tag:locked_out",))),
)
def not_measured_since_change(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A map's measured numbers are kept by what they measure: evidence by its source and
    selector, a KPI with its own `ref` by that, a handoff's breach rate by its tickets and
    its SLA. Relax a handoff's `sla` (5m to 1h), rename the tag an evidence names, move a
    step to a stage measured on other tickets or change a KPI's `ref`, and the snapshot has
    no numbers for what the map now says until `journeymaps measure` runs again:
    `sla-breached`, `kpi-off-target`, `kpi-worsening` and the measured volumes go silent or
    fall back to declared values, in lint and on the site, and nothing said the numbers
    were behind the map.
    Each such thing of a configured source is reported where the map says it (the evidence,
    the KPI's `ref`, the handoff's `sla`) while the map has a snapshot; a map never
    measured has nothing to be behind. Run `journeymaps measure` (and commit the snapshot).
    """
    snap = kpis.load_for(m, ctx.settings)
    if snap is None:
        return
    sources = ctx.settings.sources
    shown = _shown(snap.path, ctx)
    for e in m.all_evidence():
        sel = kpis.measured_selector(e, sources)
        if sel is not None and snapshot.series_key(e.source, sel) not in snap.series:
            yield Finding.at(
                e.loc,
                f"evidence '{e.ref}' in {e.source} has no numbers in {shown}, measured before "
                f"{_since(snap, e.source)}: run 'journeymaps measure'",
                "ref",
            )
    for stage in m.stages:
        for k in stage.kpis:
            own = kpis.own_selector(k, sources)
            if k.source and own is not None and snapshot.series_key(k.source, own) not in snap.series:
                yield Finding.at(
                    k.loc,
                    f"KPI '{k.name}' is measured on '{k.ref}' in {k.source}, but {shown} has no numbers "
                    f"for it, measured before {_since(snap, k.source)}: run 'journeymaps measure'",
                    "ref",
                )
    for h in m.handoffs:
        sla = kpis.handoff_sla(h)
        if sla is None:  # none, or one in business time: not measured, nothing to be behind
            continue
        for e, sel in kpis.handoff_selectors(m, h, sources):
            if snapshot.series_key(e.source, sel, sla) in snap.series:
                continue
            if snapshot.series_key(e.source, sel) not in snap.series:
                continue  # its evidence is reported, where the change is
            at = f"an SLA of {_duration(sla.minutes)}{kpis.CLOCK_WORDS[sla.clock]}"
            others = _measured_slas(snap, e.source, sel, sla.clock)
            if others:
                said = f"is measured at {at}, but {shown} has it at {' and '.join(others)} only"
            else:
                said = (
                    f"is measured on '{e.ref}' in {e.source} at {at}, but {shown} has no breach rate for it"
                )
            yield Finding.at(h.loc, f"the handoff from {_ends(h)} {said}: run 'journeymaps measure'", "sla")


register(
    Rule(
        UNWRITABLE_SNAPSHOT,
        "JM809",
        Severity.ERROR,
        "`journeymaps measure` cannot write a map's metrics snapshot.",
        """
    The snapshots folder (`[measure] metrics`) is a file, a folder on the way cannot be made,
    the disk is full, or the folder is not writable. Reported at the snapshot it could not
    write; snapshots are written all or none, so none of this run's is, and the last ones
    are kept. `measure` exits 2. Free the space, or move what is in the way.
    """,
        kind=Kind.RUN,
    )
)
