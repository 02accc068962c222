"""Findings on measured numbers that a change leaves unmeasured: not fixed.

A handoff's SLA breach is measured on a series keyed by its evidence and its SLA (see
:func:`journeymaps.measure.kpis.handoff_keys`). A change that relaxes the SLA (5 minutes →
1 hour), drops the handoff's evidence or moves its receiving step to a stage without any has
no month measured for it until ``journeymaps measure`` runs again, so the rule is silent and
diff said the breach was "fixed" (a pull request that only loosened the promise passed as a
repair). A KPI is measured on its own ``source`` and ``ref`` or its stage's evidence: its
``kpi-off-target`` and ``kpi-worsening`` go silent alike when either changes. Those findings
are said as no longer measured instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from journeymaps.diagnostics import Diagnostic
from journeymaps.finding_changes import moved_steps
from journeymaps.map_changes import Change
from journeymaps.measure import kpis
from journeymaps.model import Map
from journeymaps.quotes import quoted

#: A handoff's anchor in a fingerprint: ``handoffs[triage.verify->resolution.unlock].sla``.
_HANDOFF = re.compile(r"^handoffs\[(.+?->.+?)\]")
#: A KPI's: ``stages[contact].kpis[First reply time].name`` (a KPI is named by its name).
_KPI = re.compile(r"^stages\[([^\]]*)\]\.kpis\[(.*)\]\.name$")


@dataclass(frozen=True)
class Side:
    """A map as one side of the change has it, with that side's snapshot of it."""

    map: Map
    snap: Any
    sources: Mapping[str, Any]


def _handoff_unmeasured(d: Diagnostic, was: Side | None, now: Side, anchor: str) -> bool:
    """Whether HEAD still has the breach's handoff but no month of its breach rate."""
    found = _HANDOFF.match(anchor)
    if found is None:
        return False
    m = now.map
    handoff = next((h for h in m.handoffs if f"{h.from_ref}->{h.to_ref}" == found.group(1)), None)
    if handoff is None:
        return False  # the handoff is gone: its breach went with it
    keys = kpis.handoff_keys(m, handoff, now.sources)
    return now.snap is None or not any(
        v is not None for k in keys for _, v in now.snap.values(k, "sla_breach")
    )


def _kpi_measured(side: Side, anchor: str) -> bool | None:
    """Whether a side measures the KPI an anchor names; None: that side has no such KPI."""
    found = _KPI.match(anchor)
    stage = side.map.stage(found.group(1)) if found else None
    kpi = next((k for k in stage.kpis if k.name == found.group(2)), None) if found and stage else None
    if stage is None or kpi is None:
        return None
    return kpis.measure_kpi(side.map, stage, kpi, side.snap, side.sources).measured


def _kpi_unmeasured(d: Diagnostic, was: Side | None, now: Side, anchor: str) -> bool:
    """Whether the KPI was measured in BASE and HEAD still has it, with no measured value
    (its ``ref`` or its stage's evidence changed). One judged by its declared ``current``
    on both sides is judged as ever; one removed took its finding with it."""
    return was is not None and _kpi_measured(was, d.anchor) is True and _kpi_measured(now, anchor) is False


#: Rules whose findings come from measured numbers, with how to tell that HEAD no longer
#: measures what a BASE finding was about (``was``: BASE's map, None when not known;
#: ``anchor``: the finding's anchor as HEAD places it).
MEASURED: dict[str, Callable[[Diagnostic, Side | None, Side, str], bool]] = {
    "sla-breached": _handoff_unmeasured,
    "kpi-off-target": _kpi_unmeasured,
    "kpi-worsening": _kpi_unmeasured,
}


def unmeasured(
    fixed: list[Diagnostic],
    models: tuple[Mapping[str, Map], Mapping[str, Map]],
    snapshots: tuple[Mapping[str, Any], Mapping[str, Any]],
    sources: Mapping[str, Any],
    rescoped: Mapping[str, str],
    restaged: Mapping[str, dict[str, str]],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(fixed, no longer measured): ``fixed`` split by whether HEAD still measures what each
    finding was about. ``models`` and ``snapshots``: each side's, by map id (BASE's by its
    own). ``rescoped`` and ``restaged``: BASE's files whose map's id the change renames, or
    whose steps or stages it retypes (see :func:`journeymaps.finding_changes.match_findings`)."""
    still: list[Diagnostic] = []
    gone: list[Diagnostic] = []
    for d in fixed:
        judge = MEASURED.get(d.rule)
        m = models[1].get(rescoped.get(d.file, d.map_id or "")) if judge else None
        if judge is None or m is None or not d.anchor:
            still.append(d)
            continue
        anchor = moved_steps(d.anchor, restaged.get(d.file, {}))
        old = models[0].get(d.map_id or "")
        was = Side(old, snapshots[0].get(old.id), sources) if old is not None else None
        (gone if judge(d, was, Side(m, snapshots[1].get(m.id), sources), anchor) else still).append(d)
    return still, gone


def left_behind(
    introduced: list[Diagnostic],
    models: tuple[Mapping[str, Map], Mapping[str, Map]],
    snapshots: tuple[Mapping[str, Any], Mapping[str, Any]],
    sources: Mapping[str, Any],
    was_ids: Mapping[str, str],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(introduced, no longer measured): ``introduced`` less the findings of a map whose id
    the change renames (``was_ids``: HEAD's id → BASE's) away from its snapshot, kept by map
    id (``metrics/<id>.json``): BASE's measured it, HEAD has none under the new id, so a KPI
    falls back to its declared value, and one measured on target read as a new
    ``kpi-off-target``. Not measured since the change, as a finding :func:`unmeasured` keeps."""
    still: list[Diagnostic] = []
    gone: list[Diagnostic] = []
    for d in introduced:
        then = was_ids.get(d.map_id or "")
        old, now = models[0].get(then or ""), models[1].get(d.map_id or "")
        stranded = (
            d.rule in MEASURED
            and old is not None
            and now is not None
            and snapshots[0].get(old.id) is not None
            and snapshots[1].get(now.id) is None
        )
        if stranded and old is not None and d.anchor and _KPI.match(d.anchor):
            stranded = _kpi_measured(Side(old, snapshots[0].get(old.id), sources), d.anchor) is True
        (gone if stranded else still).append(d)
    return still, gone


@dataclass(frozen=True)
class _OneSide:
    """How a KPI measured on one side of the change only reads: ``said`` is filled with the
    KPI's name, its measured ``value``, ``when`` (from ``as_of``) and ``declared``, the other
    side's declared value (``declared`` filled) or ``undeclared`` when it has none."""

    said: str
    as_of: str
    declared: str
    undeclared: str
    keeps_after: bool  # a value HEAD no longer measures has no ``after`` to show


_ONE_SIDE = {
    "base": _OneSide(
        "KPI {name}: no longer measured ({value} in the base{when}; {declared})",
        ", as of {}",
        "its declared {} is not a measurement",
        "it declares no current value",
        keeps_after=False,
    ),
    "head": _OneSide(
        "KPI {name}: now measured, {value}{when} ({declared})",
        " as of {}",
        "the base had only its declared {}",
        "the base had no value",
        keeps_after=True,
    ),
}


def kpis_left(changes: list[Change], old: Side, new: Side) -> list[Change]:
    """``changes`` with each ``kpi-measured`` of a KPI measured on one side only said so: one
    BASE measured and HEAD does not (its map's id renamed away from its snapshot, its
    ``ref`` edited) as no longer measured, ``after`` null; one HEAD measures first as now
    measured. Each read as a move (`2.83 hours → 6 hours, worse`): a measured value against
    a declared one, a movement of the number no one measured."""
    out: list[Change] = []
    for c in changes:
        stage = new.map.stage(c.ids.get("stage", "")) if c.kind == "kpi-measured" else None
        then = old.map.stage(c.ids.get("stage", "")) if stage is not None else None
        k = next((k for k in stage.kpis if k.name == c.ids.get("kpi")), None) if stage else None
        was = next((k for k in then.kpis if k.name == c.ids.get("kpi")), None) if then else None
        if stage is None or then is None or k is None or was is None:
            out.append(c)
            continue
        before = kpis.measure_kpi(old.map, then, was, old.snap, old.sources)
        after = kpis.measure_kpi(new.map, stage, k, new.snap, new.sources)
        # The side that measures it, and the other, each with its own KPI (for its unit).
        (side, (got, kpi), (other, its)) = (
            ("base", (before, was), (after, k)) if before.measured else ("head", (after, k), (before, was))
        )
        if before.measured == after.measured or got.current is None:
            out.append(c)
            continue
        how = _ONE_SIDE[side]
        declared = (
            how.declared.format(kpis.value_text(other.current, its, fine=True))
            if other.current is not None
            else how.undeclared
        )
        text = how.said.format(
            name=quoted(k.name),
            value=kpis.value_text(got.current, kpi, fine=True),
            when=how.as_of.format(got.as_of) if got.as_of else "",
            declared=declared,
        )
        out.append(Change(c.kind, text, c.ids, c.field, c.before, c.after if how.keeps_after else None))
    return out
