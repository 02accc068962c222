"""What every page of the site may read (:class:`SiteData`), computed once for the whole build,
and the shape of a page (:data:`Page`)."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2

from journeymaps import history, keys, money
from journeymaps.diagnostics import Diagnostic
from journeymaps.diagrams import Diagram, project_diagram
from journeymaps.diagrams.teams import crossed, crossings
from journeymaps.finding_words import on_the_site
from journeymaps.lint import Report, severity_in
from journeymaps.model import Map, Project
from journeymaps.photos import Photo, load_photo
from journeymaps.placeholders import placeholder
from journeymaps.rules import all_rules
from journeymaps.rules.freshness import STALE_MAP
from journeymaps.settings import Settings
from journeymaps.site import measured, pages
from journeymaps.site.diagrams import Drawing, Laid
from journeymaps.site.portfolio_data import open_opportunities, portfolio_money, portfolio_teams
from journeymaps.site.publish import Publisher
from journeymaps.site.words import dates_in_words, months_in_words

if TYPE_CHECKING:
    from journeymaps.site.search_kept import KeptParts

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
    #: ``base`` but the date: what a map's part of the search index is kept under (nothing
    #: in it depends on the date, and the first build of each day made every part again).
    undated_base: str = ""
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
    #: ``build``: each map's part of the search index as the previous build of the site
    #: kept it, and this build's, kept for the next (None: ``serve``, whose memo keeps them).
    search_kept: KeptParts | None = None
    #: The folder lint named the files from (the ``cwd`` the build was given).
    names_from: Path | None = None
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

    def unchanged_whole(self, whole: str, paths: list[str]) -> bool:
        """For pages made together whose first records ``whole`` (what they all show, as one
        digest) and the others each its own digest: when the previous build recorded
        ``whole`` for the first and had every page, link them all, each keeping its digest
        (computing each page's digest, ~570 pages of a team's lists for 1,000 maps, cost an
        edit that changed none of them ~0.2 s)."""
        previous = self.previous_inputs
        if (
            self.previous_site is None
            or not paths
            or previous.get(paths[0]) != whole
            or not all(p in previous and p in self.publisher.as_left for p in paths)
        ):
            return False
        for path in paths:
            self.inputs[path] = previous[path]
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

    @functools.cached_property
    def handoffs(self) -> Diagram | None:
        """The teams' handoffs as a diagram, None when no team hands a case to another (no
        arrow to draw): shown on the teams page, and given to the drawing workers before
        any page renders (see :meth:`Drawing.ahead`)."""
        if not crossed(crossings(self.shown, self.per_map)):
            return None
        return project_diagram("teams", self.shown, page="../teams.html", per_map=self.per_map)

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
        return pages.matrix(self.maps, lambda m: self.per_map("open", m, open_opportunities))

    @functools.cached_property
    def drafts(self) -> dict[str, tuple[int, int]]:
        """The maps whose steps are still placeholders, by page: (unwritten, steps). What
        they hold (pain points, opportunities) is marked wherever it is listed away from its
        map: a director took it for a finished journey's, as the home page's cards were."""
        return {m.slug: d for m in self.maps if (d := self.per_map("draft", m, draft_of))}

    @functools.cached_property
    def portfolio_teams(self) -> list[str]:
        """The teams the portfolio filters by (once: its pages, scripts and inputs ask)."""
        return portfolio_teams(self)

    @functools.cached_property
    def portfolio_money(self) -> dict[str, Any]:
        """The portfolio's money (once: its inputs and its pages show it)."""
        return portfolio_money(self)

    @_from_findings
    def team_pages(self) -> Any:
        return pages.team_pages(self.shown, self.diagnostics, self.today, self.team_parts, self.ranked)

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
        read as jargon on the findings page, where the home page said "Stage “…”"); its dates
        and months as the pages write them ("10 Nov 2026", "Oct 2026")."""
        m = self._map_of_file.get(d.file)
        said = on_the_site(d.message, m, self.team_names, None if m else self._data_of_file.get(d.file))
        return months_in_words(dates_in_words(said))

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


def draft_of(m: Map) -> tuple[int, int] | None:
    """(steps still a placeholder, steps) when any step of ``m`` is named by a placeholder
    (``TODO``, as ``journeymaps new`` writes them): a director took such a map's card for a
    finished journey. None for a map whose steps are all written."""
    steps = list(m.steps())
    unwritten = sum(placeholder(st.name) is not None for st in steps)
    return (unwritten, len(steps)) if unwritten else None


def _findings_key(found: list[Diagnostic], said: Callable[[Diagnostic], str]) -> list[tuple[Any, ...]]:
    """Findings as a page's inputs: every field, as a tuple (a dataclass's repr, for
    ~6,000 findings an edit, cost more than the rest of the map pages' inputs), the message
    as ``said`` (a step renamed renames it)."""
    return [finding_key(d, said) for d in found]


def finding_key(d: Diagnostic, said: Callable[[Diagnostic], str]) -> tuple[Any, ...]:
    """One finding as a page's inputs (see :func:`_findings_key`)."""
    return (d.rule, d.code, d.severity.value, d.file, *_span(d), said(d), d.map_id, d.path, d.anchor)


def _span(d: Diagnostic) -> tuple[int, int, int, int]:
    return (d.span.line, d.span.column, d.span.end_line, d.span.end_column)


def _team_items(t: pages.TeamPage) -> int:
    """The rows that make a team's section long: its steps are not counted, as the one teams
    page lists them on screen only, each a short line (a map of 45 steps split it)."""
    return sum(
        len(x)
        for x in (t.maps, t.stages, t.pains, t.opportunities, t.handoffs_out, t.handoffs_in, t.findings)
    )
