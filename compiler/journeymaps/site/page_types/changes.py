"""What changed over the period, from the repository's history."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.comparison_words import NOT_FOUND, PAIRED
from journeymaps.site import measured
from journeymaps.site.site_data import Page, SiteData


def changes(s: SiteData) -> Iterator[Page]:
    """What changed over the period: pain points opened and resolved, opportunities shipped
    (and whether their signal is met), owners, emotions, stages and maps."""
    yield (
        "changes.html",
        "changes.html",
        {
            "h": s.history,
            "signals": _signals(s),
            "slugs": _slugs(s),
            "short_pairing": PAIRED,
            "no_move": NOT_FOUND.format("move"),
        },
    )


def _signals(s: SiteData) -> dict[tuple[str, str], measured.Signal]:
    """(map id, opportunity id) -> its signal as measured now, for the opportunities shipped."""
    found: dict[tuple[str, str], measured.Signal] = {}
    shipped = {m.map_id for m in s.history.maps if m.count("shipped")}
    for m in s.maps:
        if m.id in shipped:
            for sig in measured.map_measures(m, s.settings).signals:
                found.setdefault((m.id, sig.opportunity.id), sig)
    return found


def _slugs(s: SiteData) -> dict[str, str]:
    slugs: dict[str, str] = {}
    for m in s.maps:
        slugs.setdefault(m.id, m.slug)
    return slugs
