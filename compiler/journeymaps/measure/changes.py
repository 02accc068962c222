"""What a change did to a map's measured numbers, for ``journeymaps diff``: KPIs and pain
point volumes before and after, whether the map or its snapshot changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journeymaps.map_changes import Change
from journeymaps.measure import kpis
from journeymaps.measure.snapshot import Snapshot
from journeymaps.model import Kpi, Map
from journeymaps.quotes import quoted


def _shown(value: float | None, k: Kpi | None = None) -> str:
    """A measured value in the site's words ("40.9%", "2.83 hours"); a volume as a number."""
    if value is None:
        return "none"
    if k is not None:
        return kpis.value_text(value, k, fine=True)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _as_written(value: float | None) -> float | int | None:
    """A whole value as a whole number, as the map writes its declared ones: diff's JSON gave
    a measured count as ``28.0`` beside its declared ``"target": 20``."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def measure_changes(
    old: Map, new: Map, old_snap: Snapshot | None, new_snap: Snapshot | None, sources: Mapping[str, Any]
) -> list[Change]:
    """Each KPI whose measured value moved, each pain point whose measured volume moved, and
    the data's new as-of date. (Declared values and targets are compared with the rest of the
    map, by :func:`journeymaps.map_changes.compare_maps`.)"""
    out: list[Change] = []
    if old_snap is not None and new_snap is not None and old_snap.as_of != new_snap.as_of:
        text = f"measured data: as of {old_snap.as_of or 'never'} → {new_snap.as_of or 'never'}"
        out.append(Change("data-changed", text, {}, "as_of", old_snap.as_of, new_snap.as_of))
    elif new_snap is not None and old_snap is None:
        out.append(
            Change(
                "data-added", f"now measured: data as of {new_snap.as_of}", {}, "as_of", None, new_snap.as_of
            )
        )
    before = {
        (s.id, k.name): kpis.measure_kpi(old, s, k, old_snap, sources) for s in old.stages for k in s.kpis
    }
    for stage in new.stages:
        for k in stage.kpis:
            after = kpis.measure_kpi(new, stage, k, new_snap, sources)
            prev = before.get((stage.id, k.name))
            if prev is None or not (prev.measured or after.measured):
                continue
            if prev.current != after.current:
                when = f" (measured, as of {after.as_of})" if after.as_of else ""
                trend = ""
                if prev.current is not None and after.current is not None and after.direction:
                    better = (after.current > prev.current) == (after.direction == "higher")
                    trend = ", better" if better else ", worse"
                was, now = _shown(prev.current, prev.kpi), _shown(after.current, k)
                out.append(
                    Change(
                        "kpi-measured",
                        f"KPI {quoted(k.name)}: {was} → {now}{when}{trend}",
                        {"stage": stage.id, "kpi": k.name},
                        "current",
                        _as_written(prev.current),
                        _as_written(after.current),
                    )
                )
    old_pains = {p.id: p for p in old.pain_points}
    for p in new.pain_points:
        if p.id not in old_pains:
            continue
        a = kpis.pain_volume(old_pains[p.id], old_snap, sources)
        b = kpis.pain_volume(p, new_snap, sources)
        va, vb = (a.volume if a else None), (b.volume if b else None)
        if vb is not None and va != vb:
            unit = b.unit if b else "contacts"
            to = b.as_of if b else "?"
            out.append(
                Change(
                    "pain-point-measured",
                    f"measured volume of {quoted(p.summary)}: {_shown(va)} → {_shown(vb)} {unit} a month"
                    f" (to {to})",
                    {"pain_point": p.id},
                    "volume",
                    _as_written(va),
                    _as_written(vb),
                )
            )
    return out
