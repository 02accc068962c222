"""What a diagram view declares: its name, scope, place, summary, title and description.

Each view module of this package defines ``VIEW``; :mod:`journeymaps.diagrams` finds them,
so adding a view is adding its module (and its test).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from journeymaps.diagrams import dot
from journeymaps.model import Map, Project
from journeymaps.records import record


class MapView(Protocol):
    def __call__(
        self,
        m: Map,
        *,
        page: str | None = None,
        teams: Mapping[str, str] | None = None,
        measured: Mapping[str, float] | None = None,
    ) -> dot.Digraph: ...


#: ``(what, m, compute) -> compute(m)``, or that value kept from an earlier build (the
#: site's :meth:`~journeymaps.site.site_data.SiteData.per_map`): a project view adds up
#: what it draws of each map, and only a changed map's part is made again.
PerMap = Callable[[str, Map, Callable[[Map], Any]], Any]


class ProjectView(Protocol):
    def __call__(
        self, project: Project, *, page: str | None = None, per_map: PerMap | None = None
    ) -> dot.Digraph: ...


@record
class View:
    name: str
    scope: Literal["map", "project"]
    #: Where it comes among the views (``render --view``, a map page's diagrams).
    order: int
    summary: str
    #: The diagram's title, and a sentence for screen readers saying what it shows, from
    #: the map (a map view) or the project (a project view).
    title: Callable[[Any], str]
    describe: Callable[[Any], str]
    build_map: MapView | None = None
    build_project: ProjectView | None = None
    #: It shows measured numbers (pain points' volumes): the site draws it with the map's
    #: snapshot, and keys its cache on it.
    measured: bool = False
    #: A project view: why the project gives it nothing to draw (then it is not drawn:
    #: neither written by ``render`` nor shown by the site), or None; given the project
    #: and, as ``build_project``, ``per_map``.
    nothing_to_draw: Callable[..., str | None] | None = None
