"""Each map's page, its canvas alone, and its diagrams full size."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator
from typing import NamedTuple

from journeymaps.diagnostics import Diagnostic
from journeymaps.model import Map
from journeymaps.site import measured, pages, story
from journeymaps.site.diagrams import Laid
from journeymaps.site.page_types.full_size import back_to_map, full_size_page
from journeymaps.site.page_types.personas import photo_paths
from journeymaps.site.publish import shown_bytes
from journeymaps.site.site_data import Page, SiteData, draft_of


class Cause(NamedTuple):
    """A ``caused_by`` naming another map's pain point, as its page says it: the pain point's
    summary (None when it names nothing any more), its map's title (its id when there is no
    such map) and page (None when none), and whether that map could not be read."""

    summary: str | None
    title: str
    slug: str | None
    unread: bool = False


def _causes(m: Map, by_id: dict[str, Map], ids: Collection[str]) -> dict[str, Cause]:
    """Each ``caused_by`` of ``m``'s pain points that names another map's pain point (``ids``:
    every map id, those that could not be read too): the page says them in words, not
    "map-id/pain-id", which read as a broken link where it names nothing any more."""
    causes: dict[str, Cause] = {}
    for p in m.pain_points:
        for ref in p.caused_by:
            map_id, _, pain_id = ref.rpartition("/")
            if not map_id:
                continue
            other = by_id.get(map_id)
            if other is None:
                causes[ref] = Cause(None, map_id, None, unread=map_id in ids)
            else:
                pain = other.pain_point(pain_id)
                causes[ref] = Cause(pain.summary if pain else None, other.title, other.slug)
    return causes


def map_pages(s: SiteData) -> Iterator[Page]:
    """Each map's page, its canvas alone, and its diagrams full size; in the order the
    workers were given the maps (by path), so a page seldom waits."""
    futures: dict[str, list[Map]] = {}
    for m in s.maps:
        if m.based_on:
            futures.setdefault(m.based_on, []).append(m)
    by_id: dict[str, Map] = {}
    for m in s.maps:
        by_id.setdefault(m.id, m)  # the first of two maps with one id, as references resolve
    # Grouped once: filtering the whole list per map made page rendering quadratic.
    pains_of: dict[int, list[pages.RankedPain]] = {}
    for r in s.ranked:
        pains_of.setdefault(id(r.map), []).append(r)
    findings_of: dict[str, list[Diagnostic]] = {}
    for d in s.diagnostics:
        findings_of.setdefault(d.file, []).append(d)

    def inputs(m: Map, diagrams: list[Laid]) -> str:
        """Everything the map's page and canvas page are made of besides ``base``."""
        baseline = by_id.get(m.based_on) if m.based_on else None
        return s.inputs_key(
            s.map_file(m),
            s.stale.get(m.slug),
            s.findings_shown.get(m.src.display),
            [(x.diagram.view, x.diagram.filename, x.error) for x in diagrams],
            s.map_file(baseline) if baseline is not None else None,
            [s.map_file(f) for f in futures.get(m.id, [])],
            photos,
            s.teams_split,  # where its owners' links lead (team_href)
            _causes(m, by_id, s.project.map_ids),  # the other maps' pain points it names
        )

    photos = photo_paths(s)

    def one(m: Map, diagrams: list[Laid]) -> list[Page]:
        stale = s.stale.get(m.slug)
        pains = pains_of.get(id(m), [])
        told = story.map_story(m, s.team_names, pains, s.today, stale)
        # A draft says so at its title, on its page and its canvas (the slide a director
        # presents), as its card does: from the map alone, so its inputs hold it.
        told["draft"] = s.per_map("draft", m, draft_of)
        measures = measured.map_measures(m, s.settings)
        told["canvas_html"] = story.render_canvas(s.env, m, told, s.settings.currency, measures.by_stage)
        switches = m.channel_switches()
        context = {
            "m": m,
            "health": s.health.get(m.src.display, pages.Health()),
            "stale": stale,
            "pains": pains,
            "findings": findings_of.get(m.src.display, []),
            "diagrams": [(x.diagram.view, x) for x in diagrams],
            "baseline": by_id.get(m.based_on) if m.based_on else None,
            "futures": futures.get(m.id, []),
            "switches": switches,
            # The pain table's money columns (one no row has a value for is left out), its
            # notes and the resolved pains: in Python, as Jinja's selectattr and rejectattr
            # took ~1/6 of a map page on 1,000 maps (issue 18).
            "cost_col": any(r.yearly_cost is not None or r.pain.same_contacts_as for r in pains),
            "risk_col": any(
                r.revenue_at_risk is not None or r.pain.customers_at_risk is not None for r in pains
            ),
            "uncosted": sum(
                r.yearly_cost is None and r.pain.volume is not None and r.pain.volume_unit == "contacts"
                for r in pains
            ),
            "fixed": [p for p in m.pain_points if p.fixed],
            "switches_lost": sum(b.context == "lost" for _, b in switches),
            # Each stage's evidence with its steps', and whether any step says its channel:
            # in Python, as Jinja's map/sum and selectattr filters took ~1/8 of the page.
            "evidence": [[*s.evidence, *(e for st in s.steps for e in st.evidence)] for s in m.stages],
            "any_channel": any(st.channel for st in m.steps()),
            "extras_written": story.extras_written(m),
            "photos": photos,
            "values": {o.id: v for o in m.opportunities if (v := s.opportunity_values.get((id(m), o.id)))},
            "team_names": s.team_names,
            "team_href": s.team_href,
            "calendar": s.settings.business_calendar,
            **told,
            "measured": measures,
            "history": s.history,
            "changed": s.history.for_map(m.id),
            "signals": {(m.id, sig.opportunity.id): sig for sig in measures.signals},
            "causes": _causes(m, by_id, s.project.map_ids),
        }
        return [(f"maps/{m.slug}.html", "map.html", context), story.canvas_page(m, told)]

    for m in sorted(s.maps, key=lambda m: str(m.src.path)):
        diagrams = s.drawing.map_diagrams(m, s.per_map)
        for x in diagrams:
            # Shown full size at once, from the bytes just checked into the site: rendered
            # while the workers still draw, not in a pass of its own at the end of the build.
            shown = functools.partial(shown_bytes, s.publisher.put(x))
            if (full := full_size_page(s, x, shown, *back_to_map(m))) is not None:
                yield full
        key = inputs(m, diagrams)
        if s.unchanged(key, f"maps/{m.slug}.html", story.canvas_path(m)):
            continue
        try:
            made = one(m, diagrams)
        except Exception as exc:  # a defect shown with this map, not a site lost
            s.failed.append(f"maps/{m.slug}.html: could not be rendered: {type(exc).__name__}: {exc}")
            continue
        yield from made
