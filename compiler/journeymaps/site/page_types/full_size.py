"""Diagrams full size, each on a page of its own inside the site frame."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator

from journeymaps.model import Map
from journeymaps.site import story
from journeymaps.site.cache import digest_of
from journeymaps.site.diagrams import Laid
from journeymaps.site.site_data import Page, SiteData


def full_size_diagrams(s: SiteData) -> Iterator[Page]:
    """Each diagram not shown full size with its map's pages (the teams' handoffs) inside
    the site frame: header, way back, zoom and pan."""
    for laid, back, back_title in s.full_size:
        if (
            made := full_size_page(s, laid, functools.partial(s.publisher.published, laid), back, back_title)
        ) is not None:
            yield made


def back_to_map(m: Map) -> tuple[str, str]:
    """The page a map's full-size diagram leads back to, and its title."""
    return f"../maps/{m.slug}.html", m.title


def full_size_page(
    s: SiteData, laid: Laid, svg: Callable[[], bytes | None], back: str, back_title: str
) -> Page | None:
    """A diagram full size, showing the bytes the site publishes (``svg``, read only when
    the page is rendered); None when the previous site's page is linked, or there is none."""
    rel = f"diagrams/{laid.diagram.filename}.svg"
    # What is published, by its bytes' digest: one drawn here has its bytes, a cache
    # file's name holds its digest (the same either way: the record is the same).
    name = s.publisher.names.get(rel)
    published = (
        hashlib.sha256(laid.svg).hexdigest()[:32] if laid.svg is not None else name and digest_of(name)
    )
    if laid.ok and published is not None:
        key = s.inputs_key(published, laid.diagram.title, laid.diagram.description, back, back_title)
        if s.unchanged(key, f"diagrams/{laid.diagram.filename}.html"):
            return None
    return story.diagram_page(laid, svg(), back, back_title)
