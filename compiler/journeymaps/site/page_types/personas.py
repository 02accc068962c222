"""The personas page: each persona, its photo and the maps naming it."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.model import Map, Persona
from journeymaps.site.site_data import Page, SiteData


def _personas(s: SiteData) -> tuple[list[Persona], dict[str, list[Map]]]:
    found = sorted(
        {(m.persona.id or "", m.persona.name): m.persona for m in s.maps if m.persona}.values(),
        key=lambda p: p.name,
    )
    # Grouped once: filtering every map per persona was quadratic where maps name their own.
    maps_of: dict[str, list[Map]] = {}
    for m in s.maps:
        if m.persona:
            maps_of.setdefault(m.persona.name, []).append(m)
    return found, maps_of


def _personas_inputs(s: SiteData) -> str:
    """Each persona as the page shows it (its photo by content), and the maps (page,
    title, state) naming it."""
    found, maps_of = _personas(s)
    shown = [
        (
            p.id,
            p.name,
            p.archetype,
            p.goal,
            p.description,
            p.frustrations,
            p.preferred_channels,
            p.proficiency,
            p.photo,
            p.loc.extras,
            [(m.slug, m.title, m.state) for m in maps_of[p.name]],
        )
        for p in found
    ]
    return s.inputs_key(shown, photo_paths(s))


def photo_paths(s: SiteData) -> dict[str, str]:
    """Each persona photo as written -> its file in the site (named by its content)."""
    return {k: v.site_path for k, v in s.photos.items()}


def personas(s: SiteData) -> Iterator[Page]:
    found, maps_of = _personas(s)
    yield "personas.html", "personas.html", {"personas": found, "maps_of": maps_of, "photos": photo_paths(s)}
