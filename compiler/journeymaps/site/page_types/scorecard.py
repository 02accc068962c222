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


def _scorecard_part_shown(s: SiteData, page: Page) -> str | None:
    """What one page of a team's KPIs or of a metric across maps shows (scorecard-part.html),
    as a digest: whose or which, which page of how many, and its rows as the scorecard
    shows them. An edit then renders the pages its KPIs are on. None for the scorecard's
    first page, which shows every row (``_scorecard_shown``)."""
    _, template, context = page
    if template != "scorecard-part.html":
        return None
    pager = context["pager"]
    if "t" in context:  # a team's KPIs
        t = context["t"]
        whose: tuple[Any, ...] = ("team", t.team_id, t.name, context["counts"], t.rows)
    else:  # a metric across maps: counted over all its pages
        whose = ("metric", context["name"], len(context["all"]), context["rows"])
    *head, rows = whose
    return s.inputs_key(
        "scorecard-part",
        *head,
        context["title"],
        context["heading"],
        context["sub"],
        (pager.number, pager.pages, pager.stem),
        [_score_row(r) for r in rows],
    )


def _score_rows_shown(s: SiteData, m: Map) -> str:
    """``m``'s KPI rows as the scorecard shows them, each with its team, as one digest."""
    return keys.page_inputs_key("", [[(owner, _score_row(r)) for owner, r in s.score_rows(m)]])


def scorecard(s: SiteData) -> Iterator[Page]:
    yield from measured.scorecard_pages(s.maps, s.settings, s.team_names, rows_of=s.score_rows)
