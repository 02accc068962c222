"""The site's pages as a registry: one function per page type yields its pages, each as
``(path, template, context)``; the build loops over :data:`PAGES`, and the navigation (and
the tests' list of pages) derive from it.

Adding a page is adding its function here with :func:`page_type`, its template, and its test.
Everything a page may read is on :class:`SiteData`, computed once for the whole build.

A page whose inputs can be named cheaply (a map's page: its file, the maps it links to, its
findings, its diagrams; a diagram's full-size page) records them as one digest when it is
rendered (a page type whose pages are known only by making them, the teams and the
scorecard, names what its pages' contexts show), as Sphinx records a document's
dependencies; the next build links the previous site's file instead of rendering it again
when the digest is the same (:meth:`SiteData.unchanged`). A page that records nothing is always rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import astuple, dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import jinja2

from journeymaps import history, keys, money
from journeymaps.diagnostics import Diagnostic
from journeymaps.diagrams import MAP_VIEWS, project_diagram
from journeymaps.diagrams.style import volume_figure
from journeymaps.finding_words import on_the_site, sentence
from journeymaps.lint import INPUT_RULES, Report, severity_in
from journeymaps.model import Map, Persona, Project
from journeymaps.photos import Photo, load_photo
from journeymaps.placeholders import placeholder
from journeymaps.quotes import curly
from journeymaps.records import record
from journeymaps.rules import all_rules
from journeymaps.rules.freshness import STALE_MAP
from journeymaps.settings import Settings
from journeymaps.site import measured, pages, paging, story, words
from journeymaps.site.cache import digest_of
from journeymaps.site.diagrams import Drawing, Laid, titled
from journeymaps.site.load_words import LoadWords, load_words
from journeymaps.site.publish import Publisher, shown_bytes
from journeymaps.templating import money_text, money_words

_T = TypeVar("_T")

#: What :class:`SiteData` makes from its findings (made again by :meth:`SiteData.add_undrawn`).
_FROM_FINDINGS: list[str] = []


def _from_findings(make: Callable[[Any], _T]) -> functools.cached_property[_T]:
    """A property of :class:`SiteData` made once from its findings, and made again when the
    undrawn diagrams join them: a hand-kept list of their names would miss the next one."""
    _FROM_FINDINGS.append(make.__name__)
    return functools.cached_property(make)


#: One page: its path inside the site, its template, and what the template is given.
Page = tuple[str, str, dict[str, Any]]


@dataclass
class SiteData:
    """What every page may read: the lint report, the maps, and what several pages show."""

    report: Report
    maps: list[Map]
    settings: Settings
    today: dt.date
    env: jinja2.Environment
    drawing: Drawing
    publisher: Publisher
    #: Pages that could not be rendered, with why (one map never fails the whole build).
    failed: list[str] = field(default_factory=list)
    #: Diagrams shown full size on pages of their own after every other page (a map's are
    #: rendered with its pages): (diagram, the page it leads back to, that page's title).
    full_size: list[tuple[Laid, str, str]] = field(default_factory=list)
    #: What every page depends on (the code and templates, renderer, date, settings, measured
    #: numbers, the teams and personas), and each input file's digest by its path.
    base: str = ""
    digests: Mapping[str, str] = field(default_factory=dict)
    #: Whether the project is in a git repository with a commit (part of ``base``).
    in_repository: bool = True
    #: The diagrams that could not be drawn, as findings at their maps (diagram-failed):
    #: known once every diagram is in, then listed with lint's (see :meth:`add_undrawn`).
    undrawn: list[Diagnostic] = field(default_factory=list)
    #: Each page's inputs as the previous build recorded them, and that build's site.
    previous_inputs: Mapping[str, str] = field(default_factory=dict)
    previous_site: Path | None = None
    #: Each page's inputs as this build records them (the next build's ``previous_inputs``).
    inputs: dict[str, str] = field(default_factory=dict)
    #: ``serve``: each map file that no longer parses and the page its previous build wrote,
    #: carried into this site marked broken (:mod:`kept`); empty for ``build``.
    kept_pages: Mapping[str, str] = field(default_factory=dict)
    #: ``serve``: what was computed from each map alone by the previous builds of this
    #: process (:attr:`journeymaps.project.Memo.derived`); None: computed every time.
    derived: dict[tuple[str, int], tuple[Any, str, Any]] | None = None
    #: Without ``derived``: what :meth:`per_map` computed in this build.
    _computed: dict[tuple[str, int], tuple[Any, str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.derived is not None:  # what was made from maps gone, or with another base, goes
            current = {id(m) for m in self.project.maps}  # a kept map is alive: its id is its own
            gone = [k for k, (_, base, _) in self.derived.items() if base != self.base or k[1] not in current]
            for key in gone:
                del self.derived[key]

    def per_map(self, what: str, m: Map, compute: Callable[[Map], _T]) -> _T:
        """``compute(m)``, a value made from ``m`` alone (and what ``base`` names: settings,
        date, registries, measured numbers), once a build (its rows are the same objects
        wherever asked for); with ``derived`` (``serve``), kept from the previous build
        while ``m`` is the same object (the memo keeps a map whose file, page name and
        registries are the same) and ``base`` the same."""
        derived = self.derived if self.derived is not None else self._computed
        key = (what, id(m))
        hit = derived.get(key)
        if hit is not None and hit[0] is m and hit[1] == self.base:
            value: _T = hit[2]
            return value
        value = compute(m)
        derived[key] = (m, self.base, value)
        return value

    def inputs_key(self, *parts: object) -> str:
        """One digest of what a page is made of, ``base`` included."""
        return keys.page_inputs_key(self.base, parts)

    def unchanged(self, key: str, *paths: str) -> bool:
        """Record ``key`` as the inputs of the pages at ``paths`` (pages made together);
        when the previous build rendered them all from the same inputs, link their files
        into the new site and say so (nothing to render)."""
        for path in paths:
            self.inputs[path] = key
        if self.previous_site is None or any(self.previous_inputs.get(p) != key for p in paths):
            return False
        if not all(p in self.publisher.as_left for p in paths):
            return False
        for path in paths:
            self.publisher.staged.link_served(path)
        return True

    def map_file(self, m: Map) -> tuple[str, str, str]:
        """What names a map as another page shows it: its file, its page, its bytes."""
        # A file without a digest (never expected) matches nothing: its pages are rendered.
        return (m.src.display, m.slug, self.digests.get(str(m.src.path)) or uuid.uuid4().hex)

    @property
    def project(self) -> Project:
        assert self.report.project is not None
        return self.report.project

    @functools.cached_property
    def shown(self) -> Project:
        """The project as the site shows it: only the maps built (:attr:`maps`), in the
        project's order. The teams page and its handoff diagram listed every map the project
        loaded, and a build of one folder linked them to pages it never wrote."""
        built = {id(m) for m in self.maps}
        return replace(self.project, maps=tuple(m for m in self.project.maps if id(m) in built))

    @_from_findings
    def diagnostics(self) -> list[Diagnostic]:
        return sorted([*self.report.diagnostics, *self.undrawn], key=pages.severity_order)

    def add_undrawn(self, found: list[Diagnostic]) -> None:
        """List the diagrams that could not be drawn with the findings: what is made from
        the findings is made again (the findings, the maps' checks, the teams' items)."""
        self.undrawn = found
        for made in _FROM_FINDINGS:
            self.__dict__.pop(made, None)

    @_from_findings
    def health(self) -> dict[str, pages.Health]:
        return pages.health_by_map(self.diagnostics)

    @functools.cached_property
    def team_names(self) -> dict[str, str]:
        return {t.id: t.name for t in (self.project.teams or {}).values()}

    @functools.cached_property
    def stale(self) -> dict[str, str]:
        """Each stale map's slug -> its badge's severity. A badge shows what lint says: the
        model's staleness, at the severity lint gives stale-map for that map (none when the
        rule is off or ignored for the file)."""
        rule = all_rules()[STALE_MAP]
        return {
            m.slug: severity.value
            for m in self.maps
            if m.is_stale(self.today, self.settings.review_cadence_days)
            and (severity := severity_in(rule, m.src, self.settings)) is not None
        }

    @functools.cached_property
    def ranked(self) -> list[pages.RankedPain]:
        rows = [r for m in self.maps for r in self.ranked_of(m)]
        return sorted(rows, key=pages.rank_order)  # stable: as ranking every map at once

    def ranked_of(self, m: Map) -> list[pages.RankedPain]:
        """``m``'s rows of :attr:`ranked`, in their order there."""
        return self.per_map("ranked", m, lambda m: pages.ranked_pains([m], self.settings))

    @functools.cached_property
    def groups(self) -> dict[int, dict[str, str]]:
        """id(map) -> its pain points' groups on the same contacts (money.overlap_groups)."""
        return {id(m): self.per_map("groups", m, money.overlap_groups) for m in self.maps}

    @functools.cached_property
    def photos_written(self) -> list[str]:
        """Every persona photo as written, whether it can be published or not."""
        written = {m.persona.photo for m in self.maps if m.persona and m.persona.photo}
        written |= {p.photo for p in (self.project.personas or {}).values() if p.photo}
        return sorted(written)

    @functools.cached_property
    def photos_loaded(self) -> dict[str, Photo | str]:
        """Each persona photo as written -> the image, or why it cannot be used: read once,
        for the pages and for the site's record of what they show alike."""
        return {path: load_photo(path, self.settings.root) for path in self.photos_written}

    @functools.cached_property
    def photos(self) -> dict[str, Photo]:
        """Each persona photo that can be published (as written -> the image); one that
        cannot is a persona-photo finding and is left out."""
        return {path: found for path, found in self.photos_loaded.items() if isinstance(found, Photo)}

    @functools.cached_property
    def map_totals(self) -> dict[int, money.Total]:
        """id(map) -> its yearly money, each contact counted once."""
        return {
            id(m): self.per_map("total", m, lambda m: money.total(rows, self.groups))
            for m in self.maps
            if (rows := self.ranked_of(m))
        }

    @functools.cached_property
    def opportunity_values(self) -> dict[tuple[int, str], money.Total]:
        """(id(map), opportunity id) -> the yearly cost of the open pain points it addresses."""
        by_map = {id(m): m for m in self.maps}
        out: dict[tuple[int, str], money.Total] = {}
        for key in dict.fromkeys(id(r.map) for r in self.ranked):  # as pages.opportunity_values
            m = by_map[key]
            values = self.per_map("values", m, lambda m: pages.map_opportunity_values(m, self.ranked_of(m)))
            out |= {(key, o): v for o, v in values.items()}
        return out

    @functools.cached_property
    def history(self) -> history.History:
        """What changed over the period, from the repository's history (see journeymaps.history)."""
        return history.read(self.settings, self.settings.history_days)

    def score_rows(self, m: Map) -> list[tuple[str, measured.ScoreRow]]:
        """``m``'s rows of the scorecard (:func:`measured.score_rows`)."""
        return self.per_map("score rows", m, lambda m: measured.score_rows(m, self.settings))

    @functools.cached_property
    def matrix(self) -> Any:
        """The impact x effort matrix (:func:`pages.matrix`), from each map's open
        opportunities kept while the map is unchanged."""
        return pages.matrix(self.maps, lambda m: self.per_map("open", m, _open))

    @functools.cached_property
    def drafts(self) -> dict[str, tuple[int, int]]:
        """The maps whose steps are still placeholders, by page: (unwritten, steps). What
        they hold (pain points, opportunities) is marked wherever it is listed away from its
        map: a director took it for a finished journey's, as the home page's cards were."""
        return {m.slug: d for m in self.maps if (d := self.per_map("draft", m, draft_of))}

    @functools.cached_property
    def portfolio_teams(self) -> list[str]:
        """The teams the portfolio filters by (once: its pages, scripts and inputs ask)."""
        return _portfolio_teams(self)

    @functools.cached_property
    def portfolio_money(self) -> dict[str, Any]:
        """The portfolio's money (once: its inputs and its pages show it)."""
        return _portfolio_money(self)

    @_from_findings
    def team_pages(self) -> Any:
        return pages.team_pages(self.shown, self.diagnostics, self.today, self.team_parts)

    def team_parts(self, m: Map) -> list[pages.TeamPart]:
        """What ``m`` gives the teams pages (:func:`pages.team_parts`)."""
        return self.per_map("team parts", m, lambda m: pages.team_parts(m, self.today))

    @_from_findings
    def findings_shown(self) -> dict[str, str]:
        """Each file with findings -> its findings (as :func:`_findings_key`) as one
        digest, made once a build for every page that lists them. A file's findings, in
        :attr:`diagnostics`' order, fix that list's order (by severity, then file)."""
        of_file: dict[str, list[Diagnostic]] = {}
        for d in self.diagnostics:
            of_file.setdefault(d.file, []).append(d)
        said = self.finding_words
        return {
            file: keys.page_inputs_key("", [_findings_key(found, said)]) for file, found in of_file.items()
        }

    @_from_findings
    def findings_owned(self) -> list[tuple[str, str | None, tuple[str, str] | None, str]]:
        """Each file with findings, its owner (whose team lists them), the map page its
        findings name (:attr:`finding_maps`) and its findings' digest: what says every
        finding and each team's, in their order."""
        owner_of = {m.src.display: m.owner for m in self.shown.maps}
        named = self.finding_maps
        return [
            (file, owner_of.get(file), named.get(file), digest)
            for file, digest in sorted(self.findings_shown.items())
        ]

    @functools.cached_property
    def finding_maps(self) -> dict[str, tuple[str, str]]:
        """Each map's file -> its page's slug and its title: a finding listed away from its
        map (findings, teams) names the map in words, not only by its file's path."""
        return {m.src.display: (m.slug, m.title) for m in self.maps}

    @functools.cached_property
    def _map_of_file(self) -> dict[str, Map]:
        return {m.src.display: m for m in self.maps}

    @functools.cached_property
    def _data_of_file(self) -> dict[str, Any]:
        """Each file's YAML as read, a map's that the schema rejected too."""
        return {src.display: src.data for src in self.report.sources}

    def finding_words(self, d: Diagnostic) -> str:
        """A finding's message as the site shows it: the steps, stages, pain points,
        opportunities and teams of its map it names by id named in words, every name in
        curly quotes (see :mod:`journeymaps.finding_words`); in a map that could not be
        read, the place the schema's path names, by the names its YAML has (``stages[2]``
        read as jargon on the findings page, where the home page said "Stage “…”")."""
        m = self._map_of_file.get(d.file)
        return on_the_site(d.message, m, self.team_names, None if m else self._data_of_file.get(d.file))

    @_from_findings
    def teams_split(self) -> bool:
        """The teams page is an overview with a page per team (past ``rows-per-page``
        items in all)."""
        return sum(_team_items(t) for t in self.team_pages) > self.settings.rows_per_page

    def team_href(self, team_id: str) -> str:
        """Where a team is shown, from the site's root: its own page when the teams page is
        split, else its section of the teams page. A page linking to a team records
        :attr:`teams_split` in its inputs."""
        return f"teams/{team_id}.html" if self.teams_split else f"teams.html#team-{team_id}"


def warm(s: SiteData) -> None:
    """What the pages compute from each map alone, computed now into ``s.derived``:
    ``serve`` starting on an up-to-date site renders nothing, and its first edit would
    compute it all (~0.4 s of 1,000 maps), making it the slowest."""
    _portfolio_inputs(s)  # the ranking, money, matrix and their digests
    _index_inputs(s)  # each map's money
    for m in s.shown.maps:
        s.per_map("teams shown", m, lambda m: _team_parts_shown(s, m))
    for m in s.maps:
        s.per_map("scorecard shown", m, lambda m: _score_rows_shown(s, m))
        titled(list(MAP_VIEWS), m, s.per_map)  # its diagrams' titles (as the build draws MAP_VIEWS)
    project_diagram("teams", s.shown, page="../teams.html", per_map=s.per_map)  # each map's handoffs
    from journeymaps.site.search import map_index  # (it imports this module)

    for m in s.maps:
        s.per_map("search", m, map_index)  # its words and entries in the search index


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

    def files(self, s: SiteData) -> list[str]:
        """The paths of the pages it makes, whose inputs ``inputs`` names."""
        if self.paths is not None:
            return self.paths(s)
        return [self.nav[0]] if self.nav is not None else []


#: Every page type, in the navigation's order.
PAGES: list[PageType] = []


def page_type(
    nav: tuple[str, str] | None = None,
    *,
    late: bool = False,
    checked: bool = False,
    inputs: Callable[[SiteData], str] | None = None,
    paths: Callable[[SiteData], list[str]] | None = None,
    shown: Callable[[SiteData, list[Page]], str] | None = None,
) -> Callable[[Callable[[SiteData], Iterator[Page]]], Callable[[SiteData], Iterator[Page]]]:
    """Register a page type (see :class:`PageType`)."""

    def register(fn: Callable[[SiteData], Iterator[Page]]) -> Callable[[SiteData], Iterator[Page]]:
        PAGES.append(PageType(fn, nav, late, checked, inputs, paths, shown))
        return fn

    return register


def navigation() -> list[tuple[str, str]]:
    """(path, title) of each page in the site's navigation."""
    return [p.nav for p in PAGES if p.nav is not None]


def _cards(s: SiteData) -> list[dict[str, Any]]:
    return [{**s.per_map("card", m, lambda m: _card(s, m)), "health": _health(s, m)} for m in s.maps]


def _card(s: SiteData, m: Map) -> dict[str, Any]:
    """``m``'s card but its health (its findings come from other maps too)."""
    return {
        "map": m,
        "stale": s.stale.get(m.slug),
        "teams": sorted({x for x in [m.owner, *(st.owner for st in m.stages)] if x}),
        "open": sum(1 for o in m.opportunities if o.open),
        "money": s.map_totals.get(id(m), money.Total()),
        "draft": s.per_map("draft", m, draft_of),
    }


def draft_of(m: Map) -> tuple[int, int] | None:
    """(steps still a placeholder, steps) when any step of ``m`` is named by a placeholder
    (``TODO``, as ``journeymaps new`` writes them): a director took such a map's card for a
    finished journey. None for a map whose steps are all written."""
    steps = list(m.steps())
    unwritten = sum(placeholder(st.name) is not None for st in steps)
    return (unwritten, len(steps)) if unwritten else None


def _health(s: SiteData, m: Map) -> pages.Health:
    return s.health.get(m.src.display, pages.Health())


def _card_shown(s: SiteData, m: Map) -> str:
    """``m``'s card as the cards' data has it (:func:`paging.card_row`), its health aside, as one digest."""
    row = paging.card_row({**_card(s, m), "health": pages.Health()}, s.team_names, s.settings.currency)
    del row["h"]
    return keys.page_inputs_key("", [sorted(row.items())])


def _index_paths(s: SiteData) -> list[str]:
    """The home page's files: its numbered pages, and the cards' data when there are several."""
    count = max(1, -(-len(s.maps) // s.settings.maps_per_page))
    return [paging.page_path(n) for n in range(1, count + 1)] + ([paging.CARDS_SCRIPT] if count > 1 else [])


def _index_inputs(s: SiteData) -> str:
    """What the home page shows of each map: its card, whose every field is in the cards'
    data (:func:`paging.cards_script`); with the findings' counts and the files that could
    not be read. A step's text is not on it."""
    # Each map's card by one digest kept while the map is unchanged (the cards' data of
    # 1,000 maps made again every edit cost ~0.05 s), and its health (its findings).
    cards = [
        (s.per_map("card shown", m, lambda m: _card_shown(s, m)), astuple(_health(s, m))) for m in s.maps
    ]
    total = s.portfolio_money["total"]
    return s.inputs_key(
        cards,
        pages.counts(s.diagnostics),
        _broken(s),
        total.contact_cost,
        total.revenue_at_risk,
        bool(s.ranked),
    )


def _broken(s: SiteData) -> list[tuple[Diagnostic, LoadWords, str | None]]:
    """The files that could not be read, each with its problem in words (see
    :mod:`load_words`: the schema's path read as jargon to the home page's readers) and its
    last page that built when ``serve`` keeps it (see :mod:`kept`): the home page said such a
    map was missing from the site while its page was there, marked broken. A page another map
    now has is not its own."""
    taken = {f"maps/{m.slug}.html" for m in s.maps}
    data = {src.display: src.data for src in s.report.sources}
    return [
        (
            d,
            _said(load_words(d.message, data.get(d.file))),
            page if (page := s.kept_pages.get(d.file)) and page not in taken else None,
        )
        for d in s.diagnostics
        if d.rule in INPUT_RULES
    ]


def _said(said: LoadWords) -> LoadWords:
    """A load problem as the home page lists it: a sentence (:func:`sentence`), not "missing
    required key 'stages'" lower-case after the map's title."""
    return LoadWords(said.title, sentence(said.what), said.path)


@page_type(("index.html", "Maps"), inputs=_index_inputs, paths=_index_paths)
def index(s: SiteData) -> Iterator[Page]:
    """The maps as cards, in numbered pages of ``maps-per-page`` (index.html, index-2.html...);
    with more than one page, every card's data too, for the filters (see :mod:`paging`)."""
    maps = s.maps
    cards = _cards(s)
    shared = {
        "total": len(cards),
        "per_page": s.settings.maps_per_page,
        # Once for every page (the template's sum of lists was quadratic in the maps).
        "teams": sorted({t for c in cards for t in c["teams"]}, key=lambda t: s.team_names.get(t, t)),
        "team_names": s.team_names,
        "personas": sorted({m.persona.name for m in maps if m.persona}),
        "counts": pages.counts(s.diagnostics),
        "broken": (broken := _broken(s)),
        "broken_kept": any(page for _, _, page in broken),
        # The portfolio's headline, where a director starts: the home page was a catalogue
        # with no word of what it all costs nor where to look first.
        "all_money": s.portfolio_money["total"],
        # ...and, with none known, how to have it: a first map's home page said nothing of
        # what its pain points cost, where the examples' home leads with it.
        "pains_open": bool(s.ranked),
    }
    chunks = paging.paged(cards, s.settings.maps_per_page)
    for pager, chunk in chunks:
        yield (paging.page_path(pager.number), "index.html", {**shared, "cards": chunk, "pager": pager})
    if len(chunks) > 1:
        script = paging.cards_script(cards, s.team_names, s.settings.currency).decode()
        yield paging.CARDS_SCRIPT, "cards.js", {"script": script}  # written as is: see cards.js


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
    matrix = [s.per_map("matrix shown", m, _matrix_shown) for m in s.maps]
    ranked = [s.per_map("ranked shown", m, lambda m: _ranked_shown(s, m)) for m in s.maps]
    values = [s.per_map("values shown", m, lambda m: _values_shown(s, m)) for m in s.maps]
    totals = {k: v for k, v in s.portfolio_money.items() if k != "values"}
    return s.inputs_key(matrix, ranked, values, s.portfolio_teams, totals)


def _matrix_shown(m: Map) -> str:
    """``m``'s open opportunities as the matrix shows them, with their cells, as one digest;
    with whether ``m`` is a draft (its opportunities are marked)."""
    rows = [(impact, effort, m.slug, o.owner, o.id, o.believe, o.status) for impact, effort, o in _open(m)]
    return keys.page_inputs_key("", [rows, draft_of(m) if rows else None])


def _values_shown(s: SiteData, m: Map) -> str:
    """``m``'s opportunities' values as the portfolio looks them up (by its page), as one digest."""
    values = s.per_map("values", m, lambda m: pages.map_opportunity_values(m, s.ranked_of(m)))
    return keys.page_inputs_key("", [m.slug, values])


def _open(m: Map) -> list[tuple[str, str, Any]]:
    """``m``'s open opportunities with their cell of the matrix (impact, effort)."""
    return [(o.impact or "medium", o.effort or "medium", o) for o in m.opportunities if o.open]


def _ranked_shown(s: SiteData, m: Map) -> str:
    """``m``'s ranked pain points as the portfolio shows (and orders) them, as one digest;
    with whether ``m`` is a draft (its pain points are marked)."""
    rows = [
        (
            r.team,
            r.map.id,
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
        )
        for r in s.ranked_of(m)
    ]
    return keys.page_inputs_key("", [rows, draft_of(m) if rows else None])


def _portfolio_money(s: SiteData) -> dict[str, Any]:
    """The portfolio's money: today's total, each team's, and each opportunity's value.
    Today's money: a future-state map's pain points are a forecast of the same journey, and
    adding them would count its contacts twice. Each total is ``money.total`` over the
    current maps' rows (a team's: the rows it owns, as ``pages.team_totals``), recombined
    from each map's groups (kept while the map is unchanged: adding up 8,000 rows again
    every edit cost ~0.1 s), added up in the order ``money.total`` adds them, the order of
    each group's first row in the ranking, so that every sum is the same to the last bit."""
    slug_of = {id(m): m.slug for m in s.maps}
    position = {id(r): n for n, r in enumerate(s.ranked)}
    found: dict[str | None, list[tuple[int, _Group]]] = {}
    for m in s.maps:
        if m.state != "current":
            continue
        rows = s.ranked_of(m)
        for team, groups in s.per_map("money groups", m, lambda m: _money_groups(s, m)).items():
            found.setdefault(team, []).extend((position[id(rows[g[0]])], g) for g in groups)
    totals = {team: _added_up(groups) for team, groups in found.items()}
    overall = totals.pop(None, money.Total())
    teams = {team: totals[team] for team in sorted(t for t in totals if t is not None)}
    return {
        "total": overall,
        "team_totals": dict(sorted(teams.items(), key=lambda kv: s.team_names.get(kv[0], kv[0]))),
        "values": {(slug_of[key], o): v for (key, o), v in s.opportunity_values.items()},
    }


#: A group of one map's pain points on the same contacts, as ``money.total`` adds it up: its
#: first row (by its place in the map's ranked rows), its largest cost and revenue at risk
#: (None: none known), and the groups counted once (None: not shared).
_Group = tuple[int, float | None, float | None, money.Shared | None]


def _money_groups(s: SiteData, m: Map) -> dict[str | None, list[_Group]]:
    """``m``'s groups as ``money.total`` makes them: over all its rows (None), and over each
    team's (as ``pages.team_totals``), each in the order of its first row."""
    rows = s.ranked_of(m)
    of_map = s.groups[id(m)]
    members: dict[str | None, dict[str, list[int]]] = {None: {}}
    for n, r in enumerate(rows):
        group = of_map.get(r.pain.id, r.pain.id)
        members[None].setdefault(group, []).append(n)
        if r.team:
            members.setdefault(r.team, {}).setdefault(group, []).append(n)
    out: dict[str | None, list[_Group]] = {}
    for team, groups in members.items():
        made: list[_Group] = []
        for numbers in groups.values():
            costs = [c for n in numbers if (c := rows[n].yearly_cost) is not None]
            risks = [x for n in numbers if (x := rows[n].revenue_at_risk) is not None]
            shared = None
            if len(numbers) > 1 and (len(costs) > 1 or len(risks) > 1):
                shared = money.Shared(
                    tuple(rows[n].pain.summary for n in numbers),
                    max(costs, default=0.0) + max(risks, default=0.0),
                    sum(costs) + sum(risks),
                )
            made.append((numbers[0], max(costs) if costs else None, max(risks) if risks else None, shared))
        out[team] = made
    if not rows:
        del out[None]
    return out


def _added_up(groups: list[tuple[int, _Group]]) -> money.Total:
    """Groups added up as ``money.total`` does, in the ranking's order."""
    cost: float | None = None
    risk: float | None = None
    shared = []
    for _, (_, most, at_risk, counted_once) in sorted(groups, key=lambda g: g[0]):
        if most is not None:
            cost = (cost or 0.0) + most
        if at_risk is not None:
            risk = (risk or 0.0) + at_risk
        if counted_once is not None:
            shared.append(counted_once)
    return money.Total(cost, risk, tuple(shared))


def _portfolio_teams(s: SiteData) -> list[str]:
    owners = {o.owner for m in s.maps for o in m.opportunities if o.owner}
    teams = owners | {r.team for r in s.ranked if r.team}
    return sorted(teams, key=lambda t: s.team_names.get(t, t))


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
            volume: Any = {"t": volume_figure(r.volume), "s": f"measured, as of {r.measured_as_of}"}
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


@page_type(("portfolio.html", "Portfolio"), inputs=_portfolio_inputs, paths=_portfolio_paths)
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


def _score_row(r: measured.ScoreRow) -> tuple[Any, ...]:
    """A KPI's row as the scorecard shows it (its map by page and title; not where in the
    file the KPI is written)."""
    k, mk = r.kpi.kpi, r.kpi
    return (
        r.map.slug,
        r.map.title,
        mk.stage.id,
        (k.name, k.current, k.target, k.unit, k.metric, k.direction, k.owner),
        mk.current,
        mk.as_of,
        mk.direction,
        r.spark,
    )


def _scorecard_shown(s: SiteData, made: list[Page]) -> str:
    """Every team's KPIs and every metric across maps, from the scorecard's first page,
    which holds them all (the other pages are parts of it)."""
    first = made[0][2]
    # Every team's rows and every metric's are each map's rows, in the maps' order (sorted
    # stably by map id, KPI name and whether on target): each map's by one digest kept
    # while it is unchanged (18,000 rows written out again cost ~0.1 s an edit).
    teams = [(t.team_id, t.name) for t in first["teams"]]
    rows = [s.per_map("scorecard shown", m, lambda m: _score_rows_shown(s, m)) for m in s.maps]
    return s.inputs_key(first["split"], teams, rows, [p for p, _, _ in made])


def _score_rows_shown(s: SiteData, m: Map) -> str:
    """``m``'s KPI rows as the scorecard shows them, each with its team, as one digest."""
    return keys.page_inputs_key("", [[(owner, _score_row(r)) for owner, r in s.score_rows(m)]])


@page_type(("scorecard.html", "Scorecard"), shown=_scorecard_shown)
def scorecard(s: SiteData) -> Iterator[Page]:
    yield from measured.scorecard_pages(s.maps, s.settings, s.team_names, rows_of=s.score_rows)


@page_type(("changes.html", "What changed"))
def changes(s: SiteData) -> Iterator[Page]:
    """What changed over the period: pain points opened and resolved, opportunities shipped
    (and whether their signal is met), owners, emotions, stages and maps."""
    yield "changes.html", "changes.html", {"h": s.history, "signals": _signals(s), "slugs": _slugs(s)}


def _signals(s: SiteData) -> dict[tuple[str, str], measured.Signal]:
    """(map id, opportunity id) -> its signal as measured now, for the opportunities shipped."""
    found: dict[tuple[str, str], measured.Signal] = {}
    shipped = {m.map_id for m in s.history.maps if m.count("shipped")}
    for m in s.maps:
        if m.id in shipped:
            for sig in measured.map_measures(m, s.settings).signals:
                found.setdefault((m.id, sig.opportunity.id), sig)
    return found


def _slugs(s: SiteData) -> dict[str, str]:
    slugs: dict[str, str] = {}
    for m in s.maps:
        slugs.setdefault(m.id, m.slug)
    return slugs


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


@page_type(late=True)
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

    photos = _photo_paths(s)

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
            if (full := _full_size_page(s, x, shown, *_back(m))) is not None:
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


def _findings_key(found: list[Diagnostic], said: Callable[[Diagnostic], str]) -> list[tuple[Any, ...]]:
    """Findings as a page's inputs: every field, as a tuple (a dataclass's repr, for
    ~6,000 findings an edit, cost more than the rest of the map pages' inputs), the message
    as ``said`` (a step renamed renames it)."""
    return [
        (d.rule, d.code, d.severity.value, d.file, *_span(d), said(d), d.map_id, d.path, d.anchor)
        for d in found
    ]


def _span(d: Diagnostic) -> tuple[int, int, int, int]:
    return (d.span.line, d.span.column, d.span.end_line, d.span.end_column)


def _team_items(t: pages.TeamPage) -> int:
    return sum(len(x) for x in (t.maps, t.stages, t.opportunities, t.handoffs_out, t.handoffs_in, t.findings))


def _teams_split(s: SiteData) -> bool:
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
    handoffs = (h.ok, h.error, h.diagram.title, h.diagram.description)
    return s.inputs_key(
        first["per_team"], handoffs, teams, parts, s.findings_owned, s.team_names, [p for p, _, _ in made]
    )


def _team_parts_shown(s: SiteData, m: Map) -> str:
    """What ``m`` gives the teams pages as they show it (a map by page and title), as one digest."""
    shown: list[tuple[Any, ...]] = []
    for team, kind, item in s.team_parts(m):
        if kind == "maps":
            shown.append((team, kind, item.slug, item.title))
        elif kind in ("opportunities", "overdue"):  # marked when ``m`` is a draft
            o = item[1]
            shown.append((team, kind, m.slug, m.title, o.id, o.believe, o.due, draft_of(m)))
        else:  # stages, handoffs: (map, *what)
            shown.append((team, kind, m.slug, m.title, *item[1:]))
    return keys.page_inputs_key("", [shown])


# Not late: its diagram is drawn here, not by the workers. Rendered last, its layout was
# the build's last ~0.2 s, the workers idle (issue 18).
@page_type(("teams.html", "Teams"), shown=_teams_shown)
def teams(s: SiteData) -> Iterator[Page]:
    """Every team: what it owns, hands off, has promised and its findings; past
    ``rows-per-page`` of those in all, an overview with each team's counts, and a page per
    team (teams/<id>.html)."""
    handoffs = s.drawing.diagram(project_diagram("teams", s.shown, page="../teams.html", per_map=s.per_map))
    s.publisher.put(handoffs, keep=True)
    s.full_size.append((handoffs, "../teams.html", "Teams"))
    cap = s.settings.rows_per_page
    per_team = _teams_split(s)
    shared = {"maps": s.maps, "team_names": s.team_names, "per_team": per_team, "drafts": s.drafts}
    yield (
        "teams.html",
        "teams.html",
        {**shared, "teams": s.team_pages, "handoffs": handoffs, "heading": "h2", "sub": "h3", "cap": None},
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
            (
                "handoffs",
                "handoffs",
                [(words.WITHIN if h[1] == t.team_id else "Out to", *h) for h in t.handoffs_out]
                + [("In from", *h) for h in t.handoffs_in],
            ),
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
    return s.inputs_key(shown, _photo_paths(s))


def _photo_paths(s: SiteData) -> dict[str, str]:
    """Each persona photo as written -> its file in the site (named by its content)."""
    return {k: v.site_path for k, v in s.photos.items()}


@page_type(("personas.html", "Personas"), inputs=_personas_inputs)
def personas(s: SiteData) -> Iterator[Page]:
    found, maps_of = _personas(s)
    yield "personas.html", "personas.html", {"personas": found, "maps_of": maps_of, "photos": _photo_paths(s)}


def _findings_inputs(s: SiteData) -> str:
    """Every finding, and those of each team (by the owner of the map they are in), with
    where each team's findings are listed (on the teams page, or a team's own page)."""
    teams = [(t.team_id, t.name) for t in s.team_pages if t.findings]
    return s.inputs_key(s.findings_owned, teams, s.settings.rows_per_page, _teams_split(s))


def _by_rule(s: SiteData) -> dict[str, list[Diagnostic]]:
    """Each rule's findings, the rules with errors first, then those with warnings, then
    notes (nine notes listed first put the page's warnings out of sight), each group in the
    order of the rules' codes."""
    rules = all_rules()
    found: dict[str, list[Diagnostic]] = {}
    for d in s.diagnostics:
        found.setdefault(d.rule, []).append(d)
    return dict(
        sorted(found.items(), key=lambda kv: (min(d.severity.rank for d in kv[1]), rules[kv[0]].code))
    )


def _findings_paths(s: SiteData) -> list[str]:
    """findings.html; past ``rows-per-page`` findings, each rule's numbered pages too."""
    cap = s.settings.rows_per_page
    if len(s.diagnostics) <= cap:
        return ["findings.html"]
    rule_pages = [
        f"findings/{paging.page_path(n, rule)}"
        for rule, found in _by_rule(s).items()
        for n in range(1, paging.page_count(len(found), cap) + 1)
    ]
    return ["findings.html", *rule_pages]


@page_type(("findings.html", "Findings"), inputs=_findings_inputs, paths=_findings_paths)
def findings(s: SiteData) -> Iterator[Page]:
    """Every finding by rule and by team; past ``rows-per-page`` findings, an overview of
    each rule's and each team's counts, each rule's findings in numbered pages
    (findings/<rule>.html, findings/<rule>-2.html...) and each team's on its team page."""
    by_rule = _by_rule(s)
    cap = s.settings.rows_per_page
    split = len(s.diagnostics) > cap
    yield (
        "findings.html",
        "findings.html",
        {
            "by_rule": by_rule,
            "by_team": s.team_pages,
            "diagnostics": s.diagnostics,
            "counts": pages.counts(s.diagnostics),
            "split": split,
            "teams_split": _teams_split(s),
        },
    )
    if not split:
        return
    rules = all_rules()
    for rule, found in by_rule.items():
        for pager, chunk in paging.paged(found, cap, rule):
            yield (
                f"findings/{paging.page_path(pager.number, rule)}",
                "findings-rule.html",
                {"r": rules[rule], "name": rule, "items": chunk, "total": len(found), "pager": pager},
            )


@page_type(("format.html", "About the format"), inputs=lambda s: s.inputs_key())
def format_page(s: SiteData) -> Iterator[Page]:
    from journeymaps.site.format_keys import key_tables
    from journeymaps.validate import schema

    context = {
        "business_calendar": s.settings.business_calendar.describe(),
        "tables": key_tables(schema("map")),
    }
    yield "format.html", "format.html", context


@page_type(inputs=lambda s: s.inputs_key(), paths=lambda s: ["404.html"])
def not_found(s: SiteData) -> Iterator[Page]:
    """The page a static host (GitHub Pages, Netlify, S3) serves for an address with no page:
    without it, a link to a renamed map ended on the host's own page, with no way back."""
    yield "404.html", "404.html", {}


@page_type(checked=True)
def full_size_diagrams(s: SiteData) -> Iterator[Page]:
    """Each diagram not shown full size with its map's pages (the teams' handoffs) inside
    the site frame: header, way back, zoom and pan."""
    for laid, back, back_title in s.full_size:
        if (
            made := _full_size_page(s, laid, functools.partial(s.publisher.published, laid), back, back_title)
        ) is not None:
            yield made


def _back(m: Map) -> tuple[str, str]:
    """The page a map's full-size diagram leads back to, and its title."""
    return f"../maps/{m.slug}.html", m.title


def _full_size_page(
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
