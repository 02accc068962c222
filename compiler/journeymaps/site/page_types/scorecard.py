"""The scorecard: every KPI by team and every metric across maps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from journeymaps import keys
from journeymaps.model import Map
from journeymaps.site import measured
from journeymaps.site.site_data import Page, SiteData


def _score_row(r: measured.ScoreRow) -> tuple[Any, ...]:
    """A KPI's row as the scorecard shows it (its map by page and title; not where in the
    file the KPI is written)."""
    k, mk = r.kpi.kpi, r.kpi
    return (
        r.map.slug,
        r.map.title,
        mk.stage.id,
        (k.name, k.current, k.target, k.unit, k.metric, k.direction, k.owner),
        mk.current,
        mk.as_of,
        mk.direction,
        r.spark,
    )


def _scorecard_shown(s: SiteData, made: list[Page]) -> str:
    """Every team's KPIs and every metric across maps, from the scorecard's first page,
    which holds them all (the other pages are parts of it)."""
    first = made[0][2]
    # Every team's rows and every metric's are each map's rows, in the maps' order (sorted
    # stably by map id, KPI name and whether on target): each map's by one digest kept
    # while it is unchanged (18,000 rows written out again cost ~0.1 s an edit).
    teams = [(t.team_id, t.name) for t in first["teams"]]
    rows = [s.per_map("scorecard shown", m, lambda m: _score_rows_shown(s, m)) for m in s.maps]
    return s.inputs_key(first["split"], teams, rows, [p for p, _, _ in made])


def _score_rows_shown(s: SiteData, m: Map) -> str:
    """``m``'s KPI rows as the scorecard shows them, each with its team, as one digest."""
    return keys.page_inputs_key("", [[(owner, _score_row(r)) for owner, r in s.score_rows(m)]])


def scorecard(s: SiteData) -> Iterator[Page]:
    yield from measured.scorecard_pages(s.maps, s.settings, s.team_names, rows_of=s.score_rows)
