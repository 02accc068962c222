"""The portfolio: the money, the impact x effort matrix (a page per cell when summarised) and
the ranked pain points in numbered pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from journeymaps import keys
from journeymaps.diagrams.style import volume_figure
from journeymaps.model import Map
from journeymaps.quotes import curly
from journeymaps.site import pages, paging, words
from journeymaps.site.portfolio_data import open_opportunities
from journeymaps.site.site_data import Page, SiteData, draft_of
from journeymaps.templating import money_text, money_words


def _portfolio_inputs(s: SiteData) -> str:
    """What the portfolio shows: the open opportunities in the matrix, the ranked pain
    points (with their maps' pages and titles) and the teams to filter by."""
    # Each map's part, in the maps' order, by one digest kept while the map is unchanged
    # (8,000 rows and 3,000 opportunities written out again every edit cost ~0.2 s):
    # - its open opportunities, each with its cell of the matrix: the cells list them in
    #   the maps' order;
    # - its ranked pain points: the ranking is theirs sorted by (score, map id, pain id),
    #   stable in the maps' order: these digests fix it;
    # - its opportunities' values (looked up by map page and opportunity).
    matrix = [s.per_map("matrix shown", m, lambda m: _matrix_shown(s, m)) for m in s.maps]
    ranked = [s.per_map("ranked shown", m, lambda m: _ranked_shown(s, m)) for m in s.maps]
    values = [s.per_map("values shown", m, lambda m: _values_shown(s, m)) for m in s.maps]
    totals = {k: v for k, v in s.portfolio_money.items() if k != "values"}
    return s.inputs_key(matrix, ranked, values, s.portfolio_teams, totals)


def _portfolio_page_shown(s: SiteData, page: Page) -> str | None:
    """What one of the portfolio's later pages of pain points (portfolio-2.html...) or one
    page of a cell's opportunities shows, as a digest: its page, the filter's teams and
    counts, and each row as the page writes it. An edit then renders the pages its rows are
    on. None for the first page (the money and the matrix: every row's totals) and the
    filter's scripts (every row of a team): they are rendered again with any change."""
    _, template, c = page
    if template not in ("portfolio.html", "opportunities.html"):
        return None
    pager = (c["pager"].number, c["pager"].pages, c["pager"].stem)
    shared = (c["teams"], c["team_names"], c["per_page"], c["first"], pager)
    drafts = c["drafts"]
    if template == "portfolio.html" and c["pager"].number > 1:
        rows: list[Any] = [(_pain_row(r), drafts.get(r.map.slug)) for r in c["ranked"]]
        said = (c["total_pains"], c["costed"], c["at_risk"], c["uncosted"])
        return s.inputs_key("portfolio", *shared, said, rows)
    if template == "opportunities.html":
        values, outworth = c["values"], c["outworth"]
        rows = [
            (
                m.slug,
                m.title,
                drafts.get(m.slug),
                o.id,
                o.believe,
                o.owner,
                o.status,
                (m.slug, o.id) in outworth,
                values.get((m.slug, o.id)),
            )
            for m, o in c["items"]
        ]
        cell = (c["impact"], c["effort"], c["quadrant"], c["total"], c["scripts"])
        return s.inputs_key("portfolio cell", *shared, cell, rows)
    return None


def _matrix_shown(s: SiteData, m: Map) -> str:
    """``m``'s open opportunities as the matrix shows them, with their cells, as one digest;
    with whether ``m`` is a draft (its opportunities are marked)."""
    rows = [
        (impact, effort, m.slug, o.owner, o.id, o.believe, o.status)
        for impact, effort, o in open_opportunities(m)
    ]
    return keys.page_inputs_key("", [rows, s.per_map("draft", m, draft_of) if rows else None])


def _values_shown(s: SiteData, m: Map) -> str:
    """``m``'s opportunities' values as the portfolio looks them up (by its page), as one digest."""
    values = s.per_map("values", m, lambda m: pages.map_opportunity_values(m, s.ranked_of(m)))
    return keys.page_inputs_key("", [m.slug, values])


def _ranked_shown(s: SiteData, m: Map) -> str:
    """``m``'s ranked pain points as the portfolio shows (and orders) them, as one digest;
    with whether ``m`` is a draft (its pain points are marked)."""
    rows = [(r.map.id, _pain_row(r)) for r in s.ranked_of(m)]
    return keys.page_inputs_key("", [rows, s.per_map("draft", m, draft_of) if rows else None])


def _pain_row(r: pages.RankedPain) -> tuple[Any, ...]:
    """A ranked pain point as the portfolio's table writes it (its map by page and title)."""
    return (
        r.team,
        r.map.slug,
        r.map.title,
        r.pain.id,
        r.pain.summary,
        r.pain.kind,
        r.measured_as_of,
        r.volume,
        r.pain.volume,
        r.pain.severity,
        r.score,
        r.yearly_cost,
        r.revenue_at_risk,
        r.pain.customers_at_risk,
        r.pain.revenue_at_risk,
    )


def _ranked_paged(s: SiteData) -> bool:
    """The ranked pain points are in numbered pages (more than ``rows-per-page``)."""
    return len(s.ranked) > s.settings.rows_per_page


def _matrix_cells(s: SiteData) -> list[tuple[str, str, str | None, list[tuple[Map, Any]]]]:
    """Each cell of the impact x effort matrix: impact, effort, quadrant, opportunities."""
    matrix = s.matrix
    return [(impact, effort, q, items) for impact, cells in matrix for effort, q, items in cells]


def _high_worth(s: SiteData) -> float | None:
    """What the most valuable open high-impact opportunity is worth a year in contacts (None:
    none is costed). An opportunity a map calls of lower impact that is worth more is marked
    on the matrix: a "filler" worth $64,800 a year beside a $5,904 "quick win" left a
    director unable to tell which to believe."""
    values = s.portfolio_money["values"]
    worth = [
        v.contact_cost
        for impact, effort, _, items in _matrix_cells(s)
        if impact == "high"
        for m, o in items
        if (v := values.get((m.slug, o.id))) is not None and v.contact_cost is not None
    ]
    return max(worth, default=None)


def _outworth(s: SiteData) -> frozenset[tuple[str, str]]:
    """The open opportunities (map page, opportunity id) a map calls of lower impact that
    are worth more than every high-impact one: the matrix's cards and its cells' pages ask
    whether their impact is right."""
    high = _high_worth(s)
    if high is None:
        return frozenset()
    values = s.portfolio_money["values"]
    return frozenset(
        (m.slug, o.id)
        for impact, _, _, items in _matrix_cells(s)
        if impact != "high"
        for m, o in items
        if (v := values.get((m.slug, o.id))) is not None
        and v.contact_cost is not None
        and v.contact_cost > high
    )


def _matrix_summarised(s: SiteData) -> bool:
    """The matrix shows counts linking to a page per cell (more than ``rows-per-page``
    open opportunities), rather than every opportunity."""
    return sum(len(items) for *_, items in _matrix_cells(s)) > s.settings.rows_per_page


def cell_path(impact: str, effort: str, number: int = 1) -> str:
    """A page listing the open opportunities of one cell of the matrix (its first, or its
    ``number``-th page of ``rows-per-page``)."""
    return paging.page_path(number, cell_stem(impact, effort))


def cell_stem(impact: str, effort: str) -> str:
    return f"portfolio-{impact}-impact-{effort}-effort"


def cell_scripts(impact: str, effort: str) -> str:
    """Where a cell's team filter finds each team's opportunities in it (<team>.js)."""
    return f"static/opportunities/{impact}-{effort}/"


def _team_counts(items: list[tuple[Map, Any]]) -> str:
    """How many of a cell's opportunities each team owns, for its filter ("support=3 x=1")."""
    counts: dict[str, int] = {}
    for _, o in items:
        counts[o.owner or ""] = counts.get(o.owner or "", 0) + 1
    return " ".join(f"{team}={n}" for team, n in sorted(counts.items()) if team)


def _portfolio_paths(s: SiteData) -> list[str]:
    """The portfolio's files: its numbered pages of pain points (with each team's rows for
    the filter when there are several), and the matrix's cells when it is summarised."""
    count = paging.page_count(len(s.ranked), s.settings.rows_per_page)
    paths = [paging.page_path(n, "portfolio") for n in range(1, count + 1)]
    if count > 1:
        paths += [f"{paging.PAINS_SCRIPTS}{team}.js" for team in s.portfolio_teams]
    if _matrix_summarised(s):
        for impact, effort, _, items in _matrix_cells(s):
            cell_pages = paging.page_count(len(items), s.settings.rows_per_page) if items else 0
            paths += [cell_path(impact, effort, n) for n in range(1, cell_pages + 1)]
            if cell_pages > 1:
                paths += [f"{cell_scripts(impact, effort)}{team}.js" for team in s.portfolio_teams]
    return paths


def _pain_rows(s: SiteData) -> list[dict[str, Any]]:
    """Every ranked pain point as the portfolio's table shows it, for its filter."""
    currency = s.settings.currency
    costed = _any_costed(s)
    at_risk = _any_at_risk(s)
    rows = []
    for number, r in enumerate(s.ranked, 1):
        # as the table's template writes them (its first page is HTML, the others these rows)
        if r.measured_as_of and r.volume is not None:
            volume: Any = {
                "t": volume_figure(r.volume),
                "s": f"measured, as of {words.month_words(r.measured_as_of)}",
            }
        else:
            volume = f"{r.pain.volume:,}" if r.pain.volume is not None else "—"
        cost = [money_text(r.yearly_cost, currency) if r.yearly_cost is not None else "—"] if costed else []
        if at_risk:
            cost.append(_risk_cell(r, currency))
        rows.append(
            {
                "f": {"team": r.team or ""},
                "c": [
                    str(number),
                    {"t": curly(r.pain.summary), "u": f"maps/{r.map.slug}.html#pain-{r.pain.id}"},
                    {"t": r.map.title, "b": words.draft_badge(draft)}
                    if (draft := s.drafts.get(r.map.slug))
                    else r.map.title,
                    r.pain.kind,
                    volume,
                    f"{r.pain.severity}/5" if r.pain.severity is not None else "—",
                    f"{r.score:,}",
                    *cost,
                ],
            }
        )
    return rows


def _risk_cell(r: pages.RankedPain, currency: str) -> Any:
    """A pain point's revenue at risk as the portfolio's table writes it: the yearly amount,
    with how many customers when it is counted from them (as on the map's page)."""
    if r.revenue_at_risk is None:
        return "—"
    said = money_text(r.revenue_at_risk, currency)
    if r.pain.customers_at_risk is not None and r.pain.revenue_at_risk is None:
        customers = r.pain.customers_at_risk
        return {"t": said, "s": f"{customers} customer{'' if customers == 1 else 's'} at risk"}
    return said


def _any_at_risk(s: SiteData) -> bool:
    """Whether any pain point has revenue at risk: the portfolio's headline adds it up, and
    its ranking said nothing of which pain points it came from."""
    return any(r.revenue_at_risk is not None for r in s.ranked)


def _any_costed(s: SiteData) -> bool:
    """Whether any pain point has a cost of inaction: a column of "—" in every row says
    nothing, so without one the table has no cost column and a note says why once."""
    return any(r.yearly_cost is not None for r in s.ranked)


def portfolio(s: SiteData) -> Iterator[Page]:
    """The money, the impact x effort matrix and the ranked pain points; past
    ``rows-per-page`` of them, the pain points in numbered pages (portfolio.html,
    portfolio-2.html...) whose team filter searches every row, and past as many open
    opportunities, the matrix as counts linking to a page per cell."""
    summarised = _matrix_summarised(s)
    shared = {
        **s.portfolio_money,
        "matrix": s.matrix,
        "summarised": summarised,
        "cell_path": cell_path,
        "cell_teams": {(i, e): _team_counts(items) for i, e, _, items in _matrix_cells(s)},
        "teams": s.portfolio_teams,
        "team_names": s.team_names,
        "total_pains": len(s.ranked),
        "per_page": s.settings.rows_per_page,
        "uncosted": sum(1 for r in s.ranked if r.yearly_cost is None and r.pain.volume is not None),
        "costed": _any_costed(s),
        "at_risk": _any_at_risk(s),
        "outworth": _outworth(s),
        "drafts": s.drafts,
    }
    chunks = paging.paged(s.ranked, s.settings.rows_per_page, "portfolio")
    for pager, chunk in chunks:
        first = (pager.number - 1) * s.settings.rows_per_page
        yield (
            paging.page_path(pager.number, "portfolio"),
            "portfolio.html",
            {**shared, "ranked": chunk, "first": first, "pager": pager},
        )
    if len(chunks) > 1:
        rows_of: dict[str, list[dict[str, Any]]] = {team: [] for team in s.portfolio_teams}
        for row in _pain_rows(s):
            if row["f"]["team"] in rows_of:
                rows_of[row["f"]["team"]].append(row)
        for team, rows in rows_of.items():
            script = paging.rows_script(team, rows).decode()
            yield f"{paging.PAINS_SCRIPTS}{team}.js", "cards.js", {"script": script}
    if summarised:
        for impact, effort, quadrant, items in _matrix_cells(s):
            if items:
                yield from _cell_pages(s, shared, impact, effort, quadrant, items)


def _cell_pages(
    s: SiteData,
    shared: dict[str, Any],
    impact: str,
    effort: str,
    quadrant: str | None,
    items: list[tuple[Map, Any]],
) -> Iterator[Page]:
    """One cell's open opportunities, in numbered pages of ``rows-per-page`` whose team
    filter finds every one of the cell (each team's rows: ``cell_scripts``)."""
    per_page = s.settings.rows_per_page
    cell = {**shared, "impact": impact, "effort": effort, "quadrant": quadrant, "total": len(items)}
    cell["scripts"] = cell_scripts(impact, effort)
    chunks = paging.paged(items, per_page, cell_stem(impact, effort))
    for pager, chunk in chunks:
        first = (pager.number - 1) * per_page
        yield (
            pager_path(pager),
            "opportunities.html",
            {**cell, "items": chunk, "first": first, "pager": pager},
        )
    if len(chunks) == 1:
        return
    values = shared["values"]
    rows_of: dict[str, list[dict[str, Any]]] = {team: [] for team in shared["teams"]}
    for number, (m, o) in enumerate(items, 1):
        worth = values.get((m.slug, o.id))
        heading: dict[str, Any] = {"t": o.believe, "u": f"maps/{m.slug}.html#opportunity-{o.id}"}
        if (m.slug, o.id) in shared["outworth"]:  # the badge the page's row shows
            heading["b"] = ["badge warning outworth", words.OUTWORTH]
        journey: Any = m.title
        if (draft := shared["drafts"].get(m.slug)) is not None:  # the badge the page's row shows
            journey = {"t": m.title, "b": words.draft_badge(draft)}
        row = {
            "f": {"team": o.owner or ""},
            "c": [
                str(number),
                heading,
                journey,
                s.team_names.get(o.owner, o.owner) if o.owner else "no owner",
                words.state_words(o.status),
                money_words(worth, s.settings.currency) if worth else "—",
            ],
        }
        if o.owner in rows_of:
            rows_of[o.owner].append(row)
    for team, rows in rows_of.items():
        yield f"{cell['scripts']}{team}.js", "cards.js", {"script": paging.rows_script(team, rows).decode()}


def pager_path(pager: paging.Pager) -> str:
    return paging.page_path(pager.number, pager.stem)
