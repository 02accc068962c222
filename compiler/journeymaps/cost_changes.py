"""What a change does to a map's costs, for ``journeymaps diff``: its yearly cost of inaction
and revenue at risk, before → after (see :mod:`journeymaps.money`)."""

from __future__ import annotations

from typing import Any

from journeymaps import money, setting_words
from journeymaps.map_changes import Change
from journeymaps.model import Map
from journeymaps.settings import Settings


def money_changes(old: Map, new: Map, settings: Settings, old_snap: Any, new_snap: Any) -> list[Change]:
    """The map's yearly cost of inaction and revenue at risk, before → after, each contact
    counted once (journeymaps.money), with measured volumes where the snapshots have them."""
    from journeymaps.measure import kpis

    def volumes(m: Map, snap: Any) -> dict[str, float]:
        if snap is None or not settings.sources:
            return {}
        out = {}
        for p in m.open_pain_points:
            measured = kpis.pain_volume(p, snap, settings.sources)
            if measured is not None and measured.volume is not None:
                out[p.id] = measured.volume
        return out

    a = money.map_total(old, settings, volumes(old, old_snap))
    b = money.map_total(new, settings, volumes(new, new_snap))
    out = []
    for name, words, x, y, key in (
        ("contact_cost", "cost of inaction (contacts)", a.contact_cost, b.contact_cost, "cost-per-contact"),
        ("revenue_at_risk", "revenue at risk", a.revenue_at_risk, b.revenue_at_risk, "value-per-customer"),
    ):
        if x != y:
            shown = [settings.currency + f"{v:,.0f}" if v is not None else "none" for v in (x, y)]
            # The price beside the cost: both sides count at HEAD's, which a reader of the
            # What changed page (no settings there) could not otherwise know.
            own = any(
                getattr(p, key.replace("-", "_")) is not None for p in [*old.pain_points, *new.pain_points]
            )
            at = None if own else setting_words.price(settings, key)  # a pain point's own price: not one
            text = f"{words} a year: {shown[0]} → {shown[1]}" + (f" ({at})" if at else "")
            out.append(Change("cost-changed", text, {}, name, x, y))
    return out
