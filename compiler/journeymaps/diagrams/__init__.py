"""Diagrams of journey maps: a registry of views, and DOT → accessible SVG.

The same code serves ``journeymaps render`` and the site: a view builds DOT with
:mod:`journeymaps.diagrams.dot`, a renderer lays it out, and :func:`accessible` gives the SVG
a title and description for screen readers.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass

from journeymaps.diagrams.render import DEFAULT_RENDERER, DEFAULT_TIMEOUT, RenderError, renderer
from journeymaps.diagrams.text import clean
from journeymaps.diagrams.view import PerMap, View
from journeymaps.model import Map, Project


def _discover() -> dict[str, View]:
    """Every view module's ``VIEW``, in their order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        view = getattr(module, "VIEW", None)
        if isinstance(view, View):
            found.append(view)
    return {v.name: v for v in sorted(found, key=lambda v: v.order)}


VIEWS: dict[str, View] = _discover()
MAP_VIEWS = tuple(v for v in VIEWS if VIEWS[v].scope == "map")


@dataclass(frozen=True)
class Diagram:
    """One view of one map (or of the whole project), as DOT, ready to lay out."""

    view: str
    key: str  # the map's page name (its id, unless another map has it too), or "project"
    title: str
    description: str
    dot: str
    linked: bool = False  # its shapes link to a page (the site's diagrams)

    @property
    def filename(self) -> str:
        return f"{self.key}.{self.view}" if self.key != "project" else "team-handoffs"


def map_diagram(
    view: str,
    m: Map,
    *,
    with_dot: bool = True,
    page: str | None = None,
    teams: Mapping[str, str] | None = None,
) -> Diagram:
    """One view of one map; ``with_dot=False`` skips building the DOT (its SVG is cached).
    ``page``: the map's page, relative to the SVG, for shapes to link to (the site's);
    ``teams``: team names by id, so owners read as names."""
    v = VIEWS[view]
    assert v.build_map is not None
    dot = v.build_map(m, page=page, teams=teams).source if with_dot else ""
    return Diagram(view, m.slug, v.title(m), v.describe(m), dot, linked=page is not None)


def project_diagram(
    view: str, project: Project, *, page: str | None = None, per_map: PerMap | None = None
) -> Diagram:
    """A view of the whole project; ``per_map`` keeps what it draws of each map (see
    :data:`~journeymaps.diagrams.view.PerMap`)."""
    v = VIEWS[view]
    assert v.build_project is not None
    source = v.build_project(project, page=page, per_map=per_map).source
    return Diagram(view, "project", v.title(project), v.describe(project), source, linked=page is not None)


def describe(view: str, m: Map) -> str:
    """A sentence for screen readers: what the picture of ``m`` in ``view`` shows."""
    return VIEWS[view].describe(m)


def to_svg(
    diagram: Diagram, renderer_name: str = DEFAULT_RENDERER, timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Lay out and post-process one diagram; RenderError names what failed."""
    svg = renderer(renderer_name).layout(diagram.dot, timeout)
    return accessible(tidied(svg), diagram)


_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


#: For diagrams whose shapes are links (the site's): a visible cue on pointer and keyboard
#: focus. Graphviz draws each linked shape inside its <a>.
_LINK_STYLE = (
    b"<style>a:hover > polygon, a:hover > path, a:hover > ellipse, a:focus > polygon,"
    b" a:focus > path, a:focus > ellipse { stroke-width: 3px; }"
    b" a:focus { outline: 3px solid #5E2CA5; }</style>"
)


#: Every diagram: the edges' labels (drawn last, see :func:`tidied`) over a white
#: halo, so that a line Graphviz routes through one does not strike it out.
_LABEL_STYLE = (
    b"<style>.edge-label text { paint-order: stroke; stroke: #fff; stroke-width: 6px;"
    b" stroke-linejoin: round; }</style>"
)

_EDGE_ID = re.compile(rb'<g id="([^"]*)" class="edge"')


def tidied(svg: bytes) -> bytes:
    """Graphviz's SVG as the site publishes it, in one pass over its lines (Graphviz writes
    one element a line): without its comments, and with the edges' labels drawn last.

    **Comments.** Graphviz names each node and edge in a comment: nobody sees them, and they
    are an eighth of a diagram's bytes, written to the cache and twice to the site, and
    taken out of every full-size page by a second pass over the SVG in the build's main
    process. (A diagram read from the cache with a comment in it is refused:
    :func:`journeymaps.site.cache.svg_problem`.)

    **Labels on top**, each edge's in a group of its own (``id`` the edge's, ``-label``
    added). Graphviz places a label clear of the shapes but not of the other edges, and
    draws each label with its own edge: an edge drawn later (a blueprint's dashed line of
    interaction, another handoff) went through it, striking out "handoff, SLA 1bd". A label
    is a ``<text>`` line directly inside an edge's group (one inside a link, ``<a>``, stays
    with its link)."""
    kept: list[bytes] = []
    moved: list[bytes] = []
    labels: list[bytes] = []  # the current edge's
    ident = b""
    depth = 0  # inside an edge's group: how many groups deep (1: the edge's own)
    lines = iter(svg.split(b"\n"))
    for line in lines:
        if depth:
            if line.startswith(b"<g"):
                depth += 1
            elif line.startswith(b"</g>"):
                depth -= 1
                if not depth and labels:
                    moved += [b'<g id="' + ident + b'-label" class="edge-label">', *labels, b"</g>"]
                    labels = []
            elif depth == 1 and line.startswith(b"<text"):
                labels.append(line)
                continue
        elif line.startswith(b"<!--"):  # Graphviz writes them between the groups
            # (It escapes "-" in a comment's text: only its end has "-->".)
            if not line.endswith(b"-->"):
                for rest in lines:
                    if rest.endswith(b"-->"):
                        break
            continue
        elif (edge := _EDGE_ID.match(line)) is not None:
            ident, depth = edge[1], 1
        kept.append(line)
    if moved:
        end = len(kept) - 1 - kept[::-1].index(b"</g>")  # the graph's own group closes last
        kept[end:end] = moved
    return b"\n".join(kept)


def accessible(svg: bytes, diagram: Diagram) -> bytes:
    """Give the SVG a role, a title and a description that screen readers announce.

    A diagram whose shapes link somewhere is a group, not an image: an image's content is
    hidden from assistive technology, and its links would be too.
    """
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise RenderError("Graphviz returned no SVG")
    linked = diagram.linked
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", diagram.filename)
    role = "group" if linked else "img"
    opening = match.group(0)[:-1] + f' role="{role}" aria-labelledby="{ident}-title {ident}-desc">'.encode()
    head = (
        (
            f'<title id="{ident}-title">{_xml(diagram.title)}</title>'
            f'<desc id="{ident}-desc">{_xml(diagram.description)}</desc>'
        ).encode()
        + _LABEL_STYLE
        + (_LINK_STYLE if linked else b"")
    )
    return svg[: match.start()] + opening + b"\n" + head + svg[match.end() :]


def _xml(text: str) -> str:
    import html

    return html.escape(clean(text), quote=True)


__all__ = ["MAP_VIEWS", "VIEWS", "Diagram", "RenderError", "map_diagram", "project_diagram", "to_svg"]
