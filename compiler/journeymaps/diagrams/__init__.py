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

from journeymaps.diagrams.render import DEFAULT_RENDERER, DEFAULT_TIMEOUT, RenderError, renderer
from journeymaps.diagrams.text import clean
from journeymaps.diagrams.view import PerMap, View
from journeymaps.model import Map, Project
from journeymaps.records import record


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


@record
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
    measured: Mapping[str, float] | None = None,
) -> Diagram:
    """One view of one map; ``with_dot=False`` skips building the DOT (its SVG is cached).
    ``page``: the map's page, relative to the SVG, for shapes to link to (the site's);
    ``teams``: team names by id, so owners read as names; ``measured``: pain points'
    measured monthly volumes by id, for a view that shows them."""
    v = VIEWS[view]
    assert v.build_map is not None
    dot = v.build_map(m, page=page, teams=teams, measured=measured).source if with_dot else ""
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


#: Every diagram: the edges' labels (drawn last, see :func:`labels_on_top`) over a white
#: halo, so that a line Graphviz routes through one does not strike it out.
_LABEL_STYLE = (
    b"<style>.edge-label text { paint-order: stroke; stroke: #fff; stroke-width: 6px;"
    b" stroke-linejoin: round; }</style>"
)

#: How an edge's group opens: ``<g id="ID" class="edge"``, at the start of a line.
_EDGE_OPENS, _EDGE_CLASS = b'<g id="', b'" class="edge"'


def tidied(svg: bytes) -> bytes:
    """Graphviz's SVG as the site publishes it: without its comments, and with the edges'
    labels drawn last (:func:`labels_on_top`).

    Graphviz names each node and edge in a comment: nobody sees them, and they are an
    eighth of a diagram's bytes, written to the cache and twice to the site, and taken out
    of every full-size page by a second pass over the SVG in the build's main process. (A
    diagram read from the cache with a comment in it is refused:
    :func:`journeymaps.site.cache.svg_problem`.)"""
    return labels_on_top(_uncommented(svg))


def _uncommented(svg: bytes) -> bytes:
    """``svg`` without the comments Graphviz writes, each from the start of a line to the
    end of one (it escapes "-" in their text: only their end has "-->")."""
    kept: list[bytes] = []
    at = 0
    find = svg.find
    while (start := find(b"\n<!--", at)) != -1:
        end = find(b"-->", start)
        if end == -1:  # (not Graphviz's: left for the check to refuse)
            break
        kept.append(svg[at:start])
        at = end + 3
    if not kept:
        return svg
    kept.append(svg[at:])
    return b"".join(kept)


def labels_on_top(svg: bytes) -> bytes:
    """Draw the edges' labels after everything else, each edge's in a group of its own
    (``id`` the edge's, ``-label`` added).

    Graphviz places a label clear of the shapes but not of the other edges, and draws each
    label with its own edge: an edge drawn later (a blueprint's dashed line of interaction,
    another handoff) went through it, striking out "handoff, SLA 1bd". Graphviz writes one
    element a line; a label is a ``<text>`` line directly inside an edge's group (one inside
    a link, ``<a>``, stays with its link)."""
    # Only the edges' groups are read, line by line only when one holds a label or a group
    # of its own: walking all of a diagram's ~800 lines cost a fifth of a millisecond a
    # diagram in the drawing workers, most of them moving nothing (issue 18).
    cut: list[tuple[int, int]] = []  # the label lines moved: (start, end) in svg
    moved: list[bytes] = []
    at = 0
    while (found := svg.find(_EDGE_CLASS, at)) != -1:
        at = found + 1
        opened = svg.rfind(b"\n", 0, found) + 1  # where the line starts
        ident = svg[opened + len(_EDGE_OPENS) : found]
        if found < opened + len(_EDGE_OPENS) or not svg.startswith(_EDGE_OPENS, opened) or b'"' in ident:
            continue
        line = svg.find(b"\n", found) + 1  # the line after the group's opening
        if not line:
            break
        close = svg.find(b"\n</g>", line - 1)
        if close != -1 and -1 == svg.find(b"\n<g", line - 1, close) == svg.find(b"\n<text", line - 1, close):
            at = close + 1  # no label, no inner group: nothing to move
            continue
        at = _edge_labels(svg, line, ident, cut, moved)
    if not moved:
        return svg
    # The moved groups go before the graph's own group closes, on the last "</g>" line.
    if svg.endswith(b"\n</g>"):
        end = len(svg) - 4
    elif (found := svg.rfind(b"\n</g>\n")) != -1:
        end = found + 1
    elif svg.startswith(b"</g>\n") or svg == b"</g>":
        end = 0
    else:
        raise ValueError("no </g> line: not Graphviz's SVG")
    # The kept lines, as runs between the lines moved, split where the moved groups go.
    runs: list[tuple[int, int]] = []
    start = 0
    for line_start, line_end in cut:
        if start < line_start:
            runs.append((start, line_start - 1))
        start = line_end + 1
    if start <= len(svg):
        runs.append((start, len(svg)))
    before: list[bytes] = []
    after: list[bytes] = []
    for start, stop in runs:
        if stop < end:
            before.append(svg[start:stop])
        elif start >= end:
            after.append(svg[start:stop])
        else:
            before.append(svg[start : end - 1])
            after.append(svg[end:stop])
    return b"\n".join([*before, *moved, *after])


def _edge_labels(svg: bytes, line: int, ident: bytes, cut: list[tuple[int, int]], moved: list[bytes]) -> int:
    """Walk one edge's group from its second line at ``line``: its label lines added to
    ``cut`` and, as one group, to ``moved``; where the group ends."""
    labels: list[bytes] = []
    depth = 1
    size = len(svg)
    while line <= size:
        end = svg.find(b"\n", line)
        if end == -1:
            end = size
        if svg.startswith(b"<g", line):
            depth += 1
        elif svg.startswith(b"</g>", line):
            depth -= 1
            if not depth:
                if labels:
                    moved += [b'<g id="' + ident + b'-label" class="edge-label">', *labels, b"</g>"]
                return end
        elif depth == 1 and svg.startswith(b"<text", line):
            labels.append(svg[line:end])
            cut.append((line, end))
        line = end + 1
    return size


def svg_id(diagram: Diagram) -> str:
    """The id of the SVG's title and description: ``<title id="ID-title">``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", diagram.filename)


def accessible(svg: bytes, diagram: Diagram) -> bytes:
    """Give the SVG a role, a title and a description that screen readers announce.

    A diagram whose shapes link somewhere is a group, not an image: an image's content is
    hidden from assistive technology, and its links would be too.
    """
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise RenderError("Graphviz returned no SVG")
    linked = diagram.linked
    ident = svg_id(diagram)
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


__all__ = [
    "MAP_VIEWS",
    "VIEWS",
    "Diagram",
    "RenderError",
    "map_diagram",
    "project_diagram",
    "svg_id",
    "to_svg",
]
