"""The teams page: what each team owns, hands off and has promised, and its findings; past
``rows-per-page`` items, an overview and a page per team."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from journeymaps import keys
from journeymaps.diagrams import Diagram
from journeymaps.diagrams.teams import crossed, crossings
from journeymaps.model import Map
from journeymaps.site import paging, words
from journeymaps.site.site_data import Page, SiteData, draft_of, finding_key


def teams_are_split(s: SiteData) -> bool:
    return s.teams_split


def _teams_shown(s: SiteData, made: list[Page]) -> str:
    """What the teams pages show, from the overview's context, which holds every team: its
    lists' items as they are shown (a map by page and title), the handoff diagram's
    outcome and text (the SVG is a file of its own), and the team names."""
    first = made[0][2]
    h = first["handoffs"]
    # Each team's lists are each map's parts, in the maps' order (one digest per map, kept
    # while it is unchanged: every team's lists written out again cost ~0.1 s an edit),
    # and its findings those of the files it owns (see findings_owned).
    teams = [(t.team_id, t.name, t.contact) for t in first["teams"]]
    parts = [s.per_map("teams shown", m, lambda m: _team_parts_shown(s, m)) for m in s.shown.maps]
    pains = [s.per_map("team pains shown", m, lambda m: _team_pains_shown(s, m)) for m in s.maps]
    handoffs = (h.ok, h.error, h.diagram.title, h.diagram.description) if h is not None else None
    return s.inputs_key(
        first["per_team"],
        first["findings_split"],
        handoffs,
        first["no_handoffs"],
        teams,
        parts,
        pains,
        s.findings_owned,
        s.team_names,
        [p for p, _, _ in made],
    )


def _team_list_shown(s: SiteData, page: Page) -> str | None:
    """What one page of a team's list shows (team-list.html), as a digest: the team, which
    list, which page of how many, and each item on it as the page words it (a map by page
    and title; a future state's stages and pain points may come from the map it is based
    on, so never by its own file alone; the settings, registries and date are the base's).
    An edit then renders the pages its map's items are on, not every team's lists (~570
    pages of 1,000 maps). None for the teams page and each team's page: they show every
    list, and are rendered again when any of it changed (``_teams_shown``)."""
    _, template, context = page
    if template != "team-list.html":
        return None
    t, kind, pager, items = context["t"], context["kind"], context["pager"], context["items"]
    drafts = s.drafts
    shown: list[Any]
    if kind == "findings":  # as the findings pages name them, under each map with its counts
        said, named = s.finding_words, s.finding_maps
        shown = [(finding_key(d, said), t.counts_in(d.file), named.get(d.file)) for d in items]
    elif kind == "pains":
        shown = [
            (
                r.map.slug,
                r.map.title,
                r.pain.id,
                r.pain.summary,
                r.volume,
                r.pain.volume_unit,
                r.measured_as_of,
                r.yearly_cost,
                r.pain.status,
                r.pain.stage.name if r.pain.stage else None,
                drafts.get(r.map.slug),
            )
            for r in items
        ]
    elif kind == "opportunities":
        shown = [
            (m.slug, m.title, o.id, o.believe, o.due, t.is_overdue(o), drafts.get(m.slug)) for m, o in items
        ]
    elif kind == "maps":
        shown = [(m.slug, m.title) for m in items]
    else:  # stages, steps, handoffs: a map and words
        shown = [tuple((x.slug, x.title) if isinstance(x, Map) else x for x in item) for item in items]
    return s.inputs_key(
        "team-list",
        t.team_id,
        t.name,
        kind,
        context["noun"],
        context["total"],
        (pager.number, pager.pages, pager.stem),
        s.team_names,
        shown,
    )


def _team_parts_shown(s: SiteData, m: Map) -> str:
    """What ``m`` gives the teams pages as they show it (a map by page and title), as one digest."""
    shown: list[tuple[Any, ...]] = []
    draft = s.per_map("draft", m, draft_of)  # once a map, not once an opportunity
    for team, kind, item in s.team_parts(m):
        if kind == "maps":
            shown.append((team, kind, item.slug, item.title))
        elif kind in ("opportunities", "overdue"):  # marked when ``m`` is a draft
            o = item[1]
            shown.append((team, kind, m.slug, m.title, o.id, o.believe, o.due, draft))
        else:  # stages, handoffs: (map, *what)
            shown.append((team, kind, m.slug, m.title, *item[1:]))
    return keys.page_inputs_key("", [shown])


def _team_pains_shown(s: SiteData, m: Map) -> str:
    """``m``'s open pain points as the teams pages show (and order) them, as one digest."""
    ranked = s.ranked_of(m)
    said = [(r.team, r.pain.id, r.pain.summary, r.pain.volume_unit, r.pain.status) for r in ranked]
    where = [r.pain.stage.name if r.pain.stage else None for r in ranked]
    costs = [(r.volume, r.measured_as_of, r.yearly_cost, r.score) for r in ranked]
    return keys.page_inputs_key(
        "", [m.id, m.slug, m.title, said, where, costs, s.per_map("draft", m, draft_of)]
    )


def teams(s: SiteData) -> Iterator[Page]:
    """Every team: what it owns, hands off, has promised and its findings; past
    ``rows-per-page`` of those in all, an overview with each team's counts, and a page per
    team (teams/<id>.html)."""
    handing = crossed(crossings(s.shown, s.per_map))
    # The diagram leaves out the teams with no handoff (while some have one): named under it.
    # With none at all there is no arrow to draw, and no diagram (nor its full-size page):
    # the page says so and names every team.
    no_handoffs = [t.name for t in s.team_pages if t.team_id not in handing]
    handoffs = None
    if s.handoffs is not None:
        handoffs = s.drawing.diagram(s.handoffs)
        s.publisher.put(handoffs, keep=True)
        s.full_size.append((handoffs, "../teams.html", "Teams"))
    cap = s.settings.rows_per_page
    per_team = teams_are_split(s)
    shared = {"maps": s.maps, "team_names": s.team_names, "per_team": per_team, "drafts": s.drafts}
    yield (
        "teams.html",
        "teams.html",
        {
            **shared,
            "teams": s.team_pages,
            "handoffs": handoffs,
            "no_handoffs": no_handoffs,
            "heading": "h2",
            "sub": "h3",
            "cap": None,
            # findings.html lists each team's findings unless split: then only here
            "findings_split": len(s.diagnostics) > cap,
        },
    )
    if not per_team:
        return
    for t in s.team_pages:
        yield (
            f"teams/{t.team_id}.html",
            "team.html",
            {**shared, "t": t, "heading": "h1", "sub": "h2", "cap": cap},
        )
        lists: list[tuple[str, str, list[Any]]] = [
            ("maps", "maps", t.maps),
            ("stages", "stages", t.stages),
            ("steps", "steps", t.steps),
            ("pains", "pain points to fix", t.pains),
            (
                "handoffs-made",
                "handoffs made",
                [(words.WITHIN if h[1] == t.team_id else "To", *h) for h in t.handoffs_out],
            ),
            ("handoffs-received", "handoffs received", [("From", *h) for h in t.handoffs_in]),
            ("opportunities", "open opportunities", t.opportunities),
            ("findings", "findings", t.findings),
        ]
        for kind, noun, items in lists:
            if len(items) <= cap:
                continue
            for pager, chunk in paging.paged(items, cap, kind):
                context = {**shared, "t": t, "kind": kind, "noun": noun, "total": len(items)}
                path = f"teams/{t.team_id}/{paging.page_path(pager.number, kind)}"
                yield path, "team-list.html", {**context, "items": chunk, "pager": pager}


def teams_ahead(s: SiteData) -> list[Diagram]:
    """The diagram the teams page shows, to draw before the pages (see :attr:`PageType.ahead`)."""
    return [s.handoffs] if s.handoffs is not None else []
