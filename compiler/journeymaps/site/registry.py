"""The site's pages as a registry: one function per page type yields its pages, each as
``(path, template, context)``; the build loops over :data:`PAGES`, and the navigation (and
the tests' list of pages) derive from it.

Adding a page is adding its function to its family's module in :mod:`journeymaps.site.page_types`
(or a module of its own there), its row to :data:`PAGES`, its template, and its test.
Everything a page may read is on :class:`~journeymaps.site.site_data.SiteData`, computed once
for the whole build.

A page whose inputs can be named cheaply (a map's page: its file, the maps it links to, its
findings, its diagrams; a diagram's full-size page) records them as one digest when it is
rendered (a page type whose pages are known only by making them, the teams and the
scorecard, names what its pages' contexts show), as Sphinx records a document's
dependencies; the next build links the previous site's file instead of rendering it again
when the digest is the same (:meth:`SiteData.unchanged`). A page that records nothing is always rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from journeymaps.diagrams import MAP_VIEWS, Diagram, project_diagram
from journeymaps.records import record
from journeymaps.site.diagrams import titled
from journeymaps.site.page_types import (
    changes,
    findings,
    fixed,
    full_size,
    home,
    maps,
    personas,
    portfolio,
    scorecard,
    teams,
)
from journeymaps.site.search import kept_or_made
from journeymaps.site.site_data import Page, SiteData


@record
class PageType:
    """A kind of page: the function that yields its pages, and its place in the navigation."""

    pages: Callable[[SiteData], Iterator[Page]]
    #: Its path and title in the site's navigation (None: not in the navigation).
    nav: tuple[str, str] | None = None
    #: It shows diagrams: rendered after the others, so the workers have had the most time.
    late: bool = False
    #: It shows diagrams inline that are put in late: rendered once every file is written.
    checked: bool = False
    #: What its one page (at ``nav``'s path) is made of besides ``base``, as a digest
    #: (:meth:`SiteData.inputs_key`): None, rendered every time.
    inputs: Callable[[SiteData], str] | None = None
    #: The files its pages are, when not only the one at ``nav``'s path (a paged list).
    paths: Callable[[SiteData], list[str]] | None = None
    #: What its pages show, as a digest, read from the pages' contexts (made before any
    #: is rendered; cheap, unlike the rendering): for a page type whose pages are known
    #: only by making them (the teams, the scorecard); rendered again only when it changed.
    shown: Callable[[SiteData, list[Page]], str] | None = None
    #: What one of its pages shows, as a digest (None: that page's inputs are ``shown``'s or
    #: ``inputs``'; its first page must be such a page): for a page type of many pages, of
    #: which an edit changes a few (a team's lists in pages, the portfolio's), each rendered
    #: again only when what it shows changed.
    shown_each: Callable[[SiteData, Page], str | None] | None = None
    #: The project's diagrams its pages show (not a map's), given to the drawing workers
    #: before any page renders (see :meth:`~journeymaps.site.diagrams.Drawing.ahead`).
    ahead: Callable[[SiteData], list[Diagram]] | None = None

    def files(self, s: SiteData) -> list[str]:
        """The paths of the pages it makes, whose inputs ``inputs`` names."""
        if self.paths is not None:
            return self.paths(s)
        return [self.nav[0]] if self.nav is not None else []


#: Every page type, in the navigation's order.
PAGES: list[PageType] = [
    PageType(home.index, ("index.html", "Maps"), inputs=home._index_inputs, paths=home._index_paths),
    PageType(
        portfolio.portfolio,
        ("portfolio.html", "Portfolio"),
        inputs=portfolio._portfolio_inputs,
        paths=portfolio._portfolio_paths,
        shown_each=portfolio._portfolio_page_shown,
    ),
    PageType(
        scorecard.scorecard,
        ("scorecard.html", "Scorecard"),
        shown=scorecard._scorecard_shown,
        shown_each=scorecard._scorecard_part_shown,
    ),
    PageType(changes.changes, ("changes.html", "What changed")),
    PageType(maps.map_pages, late=True),
    # Not late: its diagram is drawn here, not by the workers. Rendered last, its layout was
    # the build's last ~0.2 s, the workers idle (issue 18).
    PageType(
        teams.teams,
        ("teams.html", "Teams"),
        shown=teams._teams_shown,
        shown_each=teams._team_list_shown,
        ahead=teams.teams_ahead,
    ),
    PageType(personas.personas, ("personas.html", "Personas"), inputs=personas._personas_inputs),
    PageType(
        findings.findings,
        ("findings.html", "Findings"),
        inputs=findings._findings_inputs,
        paths=findings._findings_paths,
    ),
    PageType(fixed.format_page, ("format.html", "About the format"), inputs=lambda s: s.inputs_key()),
    PageType(fixed.not_found, inputs=lambda s: s.inputs_key(), paths=lambda s: ["404.html"]),
    PageType(full_size.full_size_diagrams, checked=True),
]


def navigation() -> list[tuple[str, str]]:
    """(path, title) of each page in the site's navigation."""
    return [p.nav for p in PAGES if p.nav is not None]


def warm(s: SiteData) -> None:
    """What the pages compute from each map alone, computed now into ``s.derived``:
    ``serve`` starting on an up-to-date site renders nothing, and its first edit would
    compute it all (~0.4 s of 1,000 maps), making it the slowest."""
    portfolio._portfolio_inputs(s)  # the ranking, money, matrix and their digests
    home._index_inputs(s)  # each map's money
    for m in s.shown.maps:
        s.per_map("teams shown", m, lambda m: teams._team_parts_shown(s, m))
    for m in s.maps:
        s.per_map("scorecard shown", m, lambda m: scorecard._score_rows_shown(s, m))
        titled(list(MAP_VIEWS), m, s.per_map)  # its diagrams' titles (as the build draws MAP_VIEWS)
    project_diagram("teams", s.shown, page="../teams.html", per_map=s.per_map)  # each map's handoffs
    for m in s.maps:
        s.per_map("search", m, lambda m: kept_or_made(s, m))  # its words and entries in the search index
