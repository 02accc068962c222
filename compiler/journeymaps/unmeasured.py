"""Findings on measured numbers that a change leaves unmeasured: not fixed.

A handoff's SLA breach is measured on a series keyed by its evidence and its SLA (see
:func:`journeymaps.measure.kpis.handoff_keys`). A change that relaxes the SLA (5 minutes →
1 hour), drops the handoff's evidence or moves its receiving step to a stage without any has
no month measured for it until ``journeymaps measure`` runs again, so the rule is silent and
diff said the breach was "fixed" (a pull request that only loosened the promise passed as a
repair). Those findings are said as no longer measured instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from journeymaps.diagnostics import Diagnostic
from journeymaps.finding_changes import moved_steps
from journeymaps.measure import kpis
from journeymaps.model import Map

#: A handoff's anchor in a fingerprint: ``handoffs[triage.verify->resolution.unlock].sla``.
_HANDOFF = re.compile(r"^handoffs\[(.+?->.+?)\]")


def _handoff_unmeasured(d: Diagnostic, m: Map, snap: Any, sources: Mapping[str, Any], anchor: str) -> bool:
    """Whether HEAD still has the breach's handoff but no month of its breach rate."""
    found = _HANDOFF.match(anchor)
    if found is None:
        return False
    handoff = next((h for h in m.handoffs if f"{h.from_ref}->{h.to_ref}" == found.group(1)), None)
    if handoff is None:
        return False  # the handoff is gone: its breach went with it
    keys = kpis.handoff_keys(m, handoff, sources)
    return snap is None or not any(v is not None for k in keys for _, v in snap.values(k, "sla_breach"))


#: Rules whose findings come from measured numbers, with how to tell that HEAD no longer
#: measures what a BASE finding was about.
MEASURED: dict[str, Callable[[Diagnostic, Map, Any, Mapping[str, Any], str], bool]] = {
    "sla-breached": _handoff_unmeasured,
}


def unmeasured(
    fixed: list[Diagnostic],
    models: Mapping[str, Map],
    snapshots: Mapping[str, Any],
    sources: Mapping[str, Any],
    rescoped: Mapping[str, str],
    restaged: Mapping[str, dict[str, str]],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(fixed, no longer measured): ``fixed`` split by whether HEAD (``models`` and
    ``snapshots`` by map id) still measures what each finding was about. ``rescoped`` and
    ``restaged``: BASE's files whose map's id the change renames, or whose steps it moves
    (see :func:`journeymaps.finding_changes.match_findings`)."""
    still: list[Diagnostic] = []
    gone: list[Diagnostic] = []
    for d in fixed:
        judge = MEASURED.get(d.rule)
        m = models.get(rescoped.get(d.file, d.map_id or "")) if judge else None
        if judge is None or m is None or not d.anchor:
            still.append(d)
            continue
        anchor = moved_steps(d.anchor, restaged.get(d.file, {}))
        (gone if judge(d, m, snapshots.get(m.id), sources, anchor) else still).append(d)
    return still, gone
