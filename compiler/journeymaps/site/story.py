"""The pages that tell a map's story: what a map page adds on top (canvas and summary),
the canvas on its own printable page, and each diagram full size inside the site frame.

Each page is one function returning ``(path, template, context)``, so pages can be listed
in a registry later without touching what they compute.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from journeymaps.measure.kpis import MeasuredKpi
from journeymaps.model import Map
from journeymaps.site.canvas import build_canvas
from journeymaps.site.diagrams import Laid
from journeymaps.site.pages import RankedPain
from journeymaps.site.summary import summarise

__all__ = [
    "Page",
    "Verbatim",
    "canvas_page",
    "canvas_path",
    "diagram_page",
    "extras_written",
    "map_story",
    "render_canvas",
]

Page = tuple[str, str, dict[str, Any]]


def map_story(
    m: Map,
    team_names: Mapping[str, str],
    pains: Sequence[RankedPain],
    today: dt.date,
    stale: str | None,
) -> dict[str, Any]:
    """What a map page shows above the details: ``cv`` (the canvas) and ``summary``
    (``stale``: the severity of the map's stale badge, None for none)."""
    cv = build_canvas(m, team_names, pains)
    return {"cv": cv, "summary": summarise(m, cv, pains, team_names, today, stale)}


def extras_written(m: Map) -> bool:
    """Whether the map's file may have ``x-`` fields (see :attr:`journeymaps.model.Loc.extras`):
    False when none of the keys its file was read with begins with ``x-``, so that its page
    need not look for them on each stage, step and evidence (~1/8 of a small map's page)."""
    positions = m.src.positions
    return positions is None or any(name.startswith("x-") for name in positions.names)


def canvas_path(m: Map) -> str:
    """Beside the map's page, so that the canvas's links (``ID.html#stage-...``) are the
    same on both pages and it is rendered once."""
    return f"maps/{m.slug}.canvas.html"


def render_canvas(
    env: jinja2.Environment,
    m: Map,
    story: Mapping[str, Any],
    currency: str,
    kpis: Sequence[Sequence[MeasuredKpi]],
) -> Markup:
    """The canvas's HTML, for the map page and the canvas page alike; `kpis` are each
    stage's KPIs with their measured (or declared) values."""
    macro = env.get_template("canvas.html").module.canvas  # type: ignore[attr-defined]
    html: Markup = macro(story["cv"], m, f"{m.slug}.html", currency, kpis)
    return html


def canvas_page(m: Map, story: Mapping[str, Any]) -> Page:
    """The canvas alone: one landscape page in print, or a PDF for slides."""
    return (
        canvas_path(m),
        "canvas-page.html",
        {"m": m, "canvas_html": story["canvas_html"], "draft": story["draft"]},
    )


class Verbatim:
    """Bytes a page shows as they are: the page is rendered with a marker in their place
    (what ``{{ value }}`` writes), and :func:`spliced` puts the bytes there once the page is
    encoded. A full-size diagram's SVG (~60 KB, and not ASCII: Graphviz writes minus signs)
    decoded into the page's text and encoded back with it cost ~0.15 ms a page (1,001 pages
    in 500 small maps)."""

    __slots__ = ("data", "mark")
    #: Unguessable, so no text of a map can make a page show a diagram where it is.
    _TOKEN = uuid.uuid4().hex
    _numbers = itertools.count()

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.mark = f"<!--verbatim {self._TOKEN} {next(self._numbers)}-->"

    def __html__(self) -> str:
        return self.mark


def spliced(page: bytes, context: Mapping[str, Any]) -> bytes:
    """``page`` (rendered from ``context``, encoded) with each :class:`Verbatim`'s bytes in
    place of its marker."""
    for value in context.values():
        if type(value) is Verbatim:
            page = page.replace(value.mark.encode(), value.data)
    return page


_PROLOGUE = re.compile(rb"\A.*?(?=<svg\b)", re.S)


def inline_svg(data: bytes) -> bytes:
    """An SVG ready to sit inside a page (its XML prologue dropped), so its links work and it
    can be zoomed without loading anything. (It holds no comments: the drawing drops them,
    and a cached diagram with one is refused before it gets here.) The bytes are those
    published beside the page as its SVG file: UTF-8, as Graphviz writes and the cache's
    check reads them."""
    return _PROLOGUE.sub(b"", data, count=1)


def diagram_page(laid: Laid, svg: bytes | None, back: str, back_title: str) -> Page | None:
    """A diagram full size inside the site frame: a header, a way back, zoom and pan.
    ``svg`` is the diagram as published (a copy from the cache only once it is checked)."""
    if svg is None or not laid.ok:
        return None
    return (
        f"diagrams/{laid.diagram.filename}.html",
        "diagram.html",
        {"laid": laid, "svg": Verbatim(inline_svg(svg)), "back": back, "back_title": back_title},
    )
