"""``journeymaps build``: lint, lay out, render every page in memory, then swap the output
folder in one move, so a failed build never leaves a half-written site."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymaps import __version__, keys
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.diagram_failures import Kept, from_kept, not_drawn
from journeymaps.diagram_failures import kept as kept_finding
from journeymaps.diagrams import MAP_VIEWS
from journeymaps.diagrams.render import DEFAULT_RENDERER, DEFAULT_TIMEOUT
from journeymaps.lint import INPUT_RULES, Inputs, Report, lint, read_inputs
from journeymaps.measure import snapshot
from journeymaps.measure.kpis import metrics_folder
from journeymaps.project import Memo, kind_of
from journeymaps.reading import json_value, read_regular
from journeymaps.records import record
from journeymaps.reporters.base import one_line
from journeymaps.reporters.text_format import line
from journeymaps.rules import all_rules
from journeymaps.settings import Settings
from journeymaps.site import cache, layout, registry, site_data
from journeymaps.site.diagrams import PROCESS_STOPPED, Drawing, Laid, terminal_progress
from journeymaps.site.kept import keep_broken_pages, refuse_unread_registries
from journeymaps.site.publish import Publisher
from journeymaps.site.search import search_index
from journeymaps.site.search_kept import KeptParts
from journeymaps.site.source_links import SourceLinks
from journeymaps.site.spare import Spares
from journeymaps.site.staging import (
    MARKER,
    MARKER_TICK,
    SiteError,
    StagedFolder,
    as_left,
    finished_at,
    remove_left_beside,
)
from journeymaps.site.story import spliced
from journeymaps.site.users_files import carry_users_files, carry_users_folders, users_files, users_folders
from journeymaps.sources_kept import KeptSources
from journeymaps.templating import environment, templates_dir


@record
class Summary:
    """What a build did, kept in the site's marker file so an up-to-date build can say it again."""

    fingerprint: str
    pages: int
    maps: int
    diagrams: int
    errors: int
    warnings: int
    broken: tuple[str, ...]  # files that could not be loaded, as text findings
    failed: tuple[str, ...]  # diagrams that could not be laid out, with why
    #: The diagram-failed findings among ``failed`` (:func:`journeymaps.diagram_failures.kept`):
    #: the --report outputs of this build, and of an up-to-date one after it, list them.
    undrawn: tuple[Kept, ...] = ()
    #: Each diagram of the site -> the cache file it was published from (the next build
    #: takes an unchanged one from the site instead of checking the cache's copy again).
    published: dict[str, str] = field(default_factory=dict)
    #: Each map file -> its page and diagrams (``serve`` keeps them while the file is broken).
    pages_of: dict[str, list[str]] = field(default_factory=dict)
    #: What the site was built from, part by part (see :func:`journeymaps.keys.site_stamp`):
    #: the next build says which parts changed.
    stamp: dict[str, str] = field(default_factory=dict)
    #: Each page rendered from inputs it could name -> their digest (see
    #: :meth:`journeymaps.site.site_data.SiteData.unchanged`): the next build links the
    #: pages whose inputs are the same instead of rendering them again.
    inputs: dict[str, str] = field(default_factory=dict)
    #: Every file the build wrote but its marker, by path inside the site: the next build
    #: removes only these (see :mod:`journeymaps.site.users_files`); () from before the list.
    files: tuple[str, ...] = ()

    def to_json(self) -> bytes:
        # One line: with an indent, json encodes in Python, not C (~10,000 entries at 1,000
        # maps cost a serve rebuild ~0.1 s).
        return (json.dumps(self.__dict__, sort_keys=True, separators=(",", ":")) + "\n").encode()


@dataclass
class BuildResult:
    summary: Summary
    up_to_date: bool  # nothing changed since the last build: nothing was written
    report: Report | None = None
    laid: list[Laid] | None = None
    #: Cached diagrams refused (damaged, or holding what runs in a browser) and drawn again.
    refused: tuple[str, ...] = ()
    #: Why the site was built again ("maps changed: 2", "journeymaps changed"); [] when up to date.
    reasons: list[str] = field(default_factory=list)
    #: Diagrams that could not be drawn (each a diagram-failed finding among the summary's ``failed``).
    undrawn: int = 0
    #: Files of the previous site kept because its marker could not be read: this build
    #: does not write them, and they may be the user's (see users_files).
    kept_unknown: tuple[str, ...] = ()
    #: Files added to the previous site by hand at a path this build writes itself: gone.
    replaced_users: tuple[str, ...] = ()
    #: Entries of the previous site that are neither files nor links (a FIFO): left out.
    dropped_users: tuple[str, ...] = ()

    @property
    def unchanged_diagrams(self) -> int:
        """Diagrams that came from the cache (kept out of the summary: the site must not
        depend on what a cache held)."""
        return sum(1 for x in self.laid or () if x.cached) - len(self.refused)


#: Far more than the marker of a site of 10,000 maps (~11 MB).
_MARKER_MAX_BYTES = 256 * 1024 * 1024


def previous_summary(out: Path) -> Summary | None:
    """The summary a previous build left, if it is readable and whole. Read as the file we
    wrote or not at all: a FIFO in its place hung the build, a link to /dev/zero filled the
    memory, and a JSON list (or a number as its broken files) was an internal error. Its
    broken and failed lines are printed again as they are: a line we never write (a line
    break, an escape sequence, a direction control) was written raw to the terminal."""
    try:
        data = json_value(read_regular(out / MARKER, _MARKER_MAX_BYTES, follow=False))
        if not isinstance(data, dict):
            return None
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        if (
            not all(
                isinstance(fields.get(name, {}), dict)
                for name in ("published", "pages_of", "stamp", "inputs")
            )
            or not all(
                isinstance(lines := fields.get(name), tuple)
                and all(isinstance(x, str) and x == one_line(x) for x in lines)
                for name in ("broken", "failed")  # printed again by an up-to-date build
            )
            or not _in_site(fields.get("files", ()))
            or fields.get("files") == ()  # emptied: from before the list, the key is missing
            or not all(
                isinstance(files, list) and _in_site(files) for files in fields.get("pages_of", {}).values()
            )
            or not all(_in_site(fields.get(name, {})) for name in ("published", "inputs"))
        ):
            return None
        undrawn = fields.get("undrawn", ())
        if not isinstance(undrawn, tuple):
            return None
        found = [from_kept(x) for x in undrawn]
        # Each is among the lines printed again (they fail the build): a finding kept without
        # its line was reported as an error by a build that printed none and exited 0.
        if any(d is None or line(d) not in fields["failed"] for d in found):
            return None
        fields["undrawn"] = tuple(tuple(x) for x in undrawn)
        return Summary(**fields)
    except (OSError, ValueError, TypeError):
        return None


#: What no list of paths a build writes holds, joined a path a line: an empty part, a
#: leading or trailing ``/``, an empty path, a backslash or a NUL.
_NOT_IN_SITE = ("//", "\n/", "/\n", "\n\n", "\\", "\0")


def _in_site(paths: Iterable[object]) -> bool:
    """Whether each of ``paths`` is a path inside a site, as a build writes them: ``serve``
    copies a broken map's kept page (pages_of) into the new site by the marker's word, and a
    marker edited to say ``../notes.txt`` had it write that page over a file outside the
    site. Searched as one text (~20,000 paths at 1,000 maps, read by every rebuild: a check
    of each cost ~10 ms); its parts looked at only where one may be ``.`` or ``..``."""
    paths = list(paths)
    if not all(isinstance(rel, str) for rel in paths):
        return False
    if not paths:
        return True
    text = "\n".join(paths)  # type: ignore[arg-type]  # each a str, checked above
    if not text or any(bad in text for bad in _NOT_IN_SITE) or text[0] in "/\n" or text[-1] in "/\n":
        return False
    if "/." in text or "\n." in text or text[0] == ".":
        return all(part not in (".", "..") for rel in paths for part in rel.split("/"))  # type: ignore[attr-defined]
    return True


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today. A value that is no
    date is a usage error, as reproducible-builds.org asks: ignored, the build was not
    reproducible; past the year 9999 (or past what the system can convert) it was an
    internal error, or a failure to "write the site"."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.date.today()
    text = epoch.strip()
    if text.isascii() and text.isdigit():  # "²".isdigit() too, and int() refuses it
        try:
            return dt.datetime.fromtimestamp(int(text), tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            pass
    raise SiteError(
        "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
        f"(up to the year 9999), not {epoch!r}"
    )


def build(
    targets: Sequence[Path],
    settings: Settings,
    cwd: Path,
    out: Path,
    *,
    renderer: str = DEFAULT_RENDERER,
    timeout: float = DEFAULT_TIMEOUT,
    today: dt.date | None = None,
    jobs: int | None = None,
    keep_broken: bool = False,
    memo: Memo | None = None,
    on_published: Callable[[Report], None] | None = None,
) -> BuildResult:
    """The whole build, in phase order. ``timeout``: the seconds one diagram may take to lay
    out (a hostile map held each of its diagrams for the default 30 s). ``keep_broken``
    (``serve``): a map that no longer parses keeps its previous page, marked broken (see
    :mod:`journeymaps.site.kept`).
    ``memo`` (``serve``): the files, maps and findings the previous build of this process
    kept, so that only what changed is parsed, validated, modelled and judged again.
    ``on_published`` (``serve``): called with the lint report once the new site is in place,
    before the cache is pruned, so the browser reloads without waiting for that."""
    today = today or build_date()
    # 0. nothing changed since the last build: nothing to do
    inputs = read_inputs(targets, settings)  # read once: hashed here, parsed by lint
    stamp = keys.site_stamp(inputs.contents, settings, keys.renderer_identity(renderer), today)
    if timeout != DEFAULT_TIMEOUT:
        # A diagram that took too long is drawn again with more time, not called up to date.
        # Only when not the default: a site built without --timeout has the stamp it had.
        stamp[keys.TIMEOUT] = f"{timeout:g}"
    stamp |= keys.asked_stamp(inputs.targets, inputs.contents, settings.root)
    previous = previous_summary(out)
    # The photos the previous site showed, checked again: a new picture under the same name
    # changes no YAML, yet the site must show it.
    shown_before = [
        k.removeprefix(keys.ALSO) for k in (previous.stamp if previous else {}) if k.startswith(keys.ALSO)
    ]
    stamp |= keys.photos_stamp(shown_before, settings.root)
    fingerprint = keys.site_fingerprint(stamp)
    # A site edited by hand since it was built is built again, as the maps say it should be.
    finished = finished_at(out)
    spares = _spares(memo)
    listing: tuple[set[str], set[str]] | None = (set(), set()) if spares is not None else None
    deleted = 0
    found_files: set[str] | None = None  # the previous site's files
    found_folders: set[str] = set()  # and folders
    if previous is not None and finished is not None:
        found = listing if listing is not None else (set(), set())
        # a file no build wrote (a CNAME added by hand) is the user's, not an edit
        kept, edited = as_left(out, finished, found, set(previous.files) or None)
        # A file deleted by hand is missed as an edited one is: the site said it was up to
        # date and kept its broken links (every "Teams" link, once teams.html was gone).
        deleted = len(_written_by(previous) - found[0])
        found_files, found_folders = found
    else:
        kept, edited, listing = set(), 0, None
        if os.path.lexists(out / MARKER) and out.is_dir():
            # A marker that cannot be read (edited by hand, damaged) says nothing of which
            # files a build wrote: the site was built again whole, and a CNAME the user
            # added went with it. Every file this build does not write is kept, and said.
            found_files, found_folders = set(), set()
            as_left(out, 0, (found_files, found_folders), None)
    # Diagrams whose worker died (the out-of-memory killer, a kill) failed for no reason
    # of the maps': the site was "up to date" without them, build after build.
    stopped = sum(PROCESS_STOPPED in line for line in previous.failed) if previous else 0
    warmed: Report | None = None  # serve starting on an up-to-date site: its findings
    if (
        previous is not None
        and previous.fingerprint == fingerprint
        and not edited
        and not deleted
        and not stopped
    ):
        if memo is not None and not memo.filled:
            # serve starting on an up-to-date site: read the maps once now, and compute
            # what the pages make of each, so that the first edit is as quick as the next ones
            warmed = lint(targets, settings, today, cwd, inputs=inputs, memo=memo)
            _warm(warmed, settings, today, stamp, inputs, memo, out, cwd)
        remove_left_beside(out)  # a killed run's folders go even when nothing is written
        return BuildResult(previous, up_to_date=True, report=warmed)
    reasons = keys.why_rebuilt(previous.stamp if previous else None, stamp)
    if edited:
        reasons.append(f"site files edited since it was built: {edited}")
    if stopped:
        reasons.append(f"diagrams whose drawing process stopped: {stopped}")
    if deleted:
        reasons.append(f"site files deleted since it was built: {deleted}")

    cache_limit = cache.limit()  # a bad limit is refused before any work
    personas = _registries(inputs)
    progress = terminal_progress("Laying out diagrams")
    # build (no memo): lint starts from the files the previous build of this site parsed
    kept_sources = KeptSources(out) if memo is None else None
    lint_memo = kept_sources.memo() if kept_sources is not None else memo
    # serve (a memo): the previous site is kept as the next rebuild's spare (see
    # journeymaps.site.spare), or else removed in the background once replaced
    if spares is not None:
        spares.listing = listing
    with (
        # the snapshots folder listed once for lint's rules and the pages (see snapshot.listed)
        snapshot.listed(metrics_folder(settings)),
        StagedFolder(out, discard_in_background=memo is not None, spares=spares) as staged,
        Drawing(
            renderer, timeout, jobs=jobs, progress=progress, marked=memo.marked if memo else None
        ) as drawing,
    ):
        # each input file's digest, made once for the drawing's cache keys and the pages
        digests = keys.file_digests(inputs.contents, settings, stamp)
        drawing.start(
            personas,
            MAP_VIEWS,
            [p for p in inputs.targets if kind_of(p) == "map"],
            digests,
            metrics=metrics_folder(settings),
            sources=settings.sources,
        )
        # 1. lint: the findings and the model (left frozen out of the cyclic collector:
        #    rescanning it while pages render cost ~3 s on 1,000 maps);
        # 2. meanwhile, each map lint parses goes to a worker to be drawn, unless the
        #    content-hashed cache has its diagrams
        report = lint(targets, settings, today, cwd, on_load=drawing.offer, inputs=inputs, memo=lint_memo)
        if kept_sources is not None and lint_memo is not None:  # for the next build
            kept_sources.keep(lint_memo)
        assert report.project is not None
        # 3. pages, each map's as soon as its diagrams are laid out, written to the staging
        #    folder in the background
        publisher = Publisher(staged, out, previous.published if previous else {}, drawing, kept)
        broken = [d for d in report.diagnostics if d.rule in INPUT_RULES and d.severity is Severity.ERROR]
        if keep_broken and previous is not None:
            refuse_unread_registries(broken, previous.broken)  # serve keeps the last site (see :mod:`kept`)
        # serve: each broken map's first problem, and its previous page kept (see :mod:`kept`)
        first_problem = {d.file: d for d in reversed(broken)} if keep_broken and previous else {}
        site = _site_data(
            report,
            settings,
            today,
            stamp,
            personas,
            digests,
            memo,
            drawing,
            publisher,
            previous_inputs=previous.inputs if previous else {},
            previous_site=out if previous else None,
            search_kept=KeptParts(out) if memo is None else None,
            names_from=cwd,
            kept_pages={
                f: pages[0] for f in first_problem if previous and (pages := previous.pages_of.get(f))
            },
        )
        # the project's diagrams (the teams' handoffs) to the workers too, before any page
        drawing.ahead(d for kind in registry.PAGES if kind.ahead is not None for d in kind.ahead(site))
        drawing.all_offered()
        maps = site.maps
        failed, full_size = render_pages(site, staged)
        unwritten = list(failed)
        unwritten += [f"{rel}: cannot be written here: {why}" for rel, why in staged.drain().items()]
        refused, redrawn_failed = publisher.outcome()  # each diagram was checked as it went in
        laid = drawing.laid
        undrawn = [*((x.diagram, x.error) for x in laid if x.error is not None), *redrawn_failed]
        undrawn_found = not_drawn(undrawn, report, settings, cwd)
        unwritten += full_size(undrawn_found)  # the teams' handoffs full size
        pages_of = {
            m.src.display: [
                page,
                *(rel for v in MAP_VIEWS if (rel := f"diagrams/{m.slug}.{v}.svg") in staged.written),
            ]
            for m in maps
            if (page := f"maps/{m.slug}.html") in staged.written
        }
        if keep_broken and previous is not None:
            data = {src.display: src.data for src in report.sources}
            pages_of |= keep_broken_pages(out, previous.pages_of, first_problem, staged, data)
        # What this site showed, for the next build to check (see shown_before above).
        stamp = {k: v for k, v in stamp.items() if not k.startswith(keys.ALSO)}
        stamp |= keys.photos_stamp_of(site.photos_loaded)  # as the pages show them
        summary = Summary(
            fingerprint=keys.site_fingerprint(stamp),
            pages=sum(1 for name in staged.written if name.endswith(".html")),
            maps=len(maps),
            diagrams=len(laid),
            # with the diagrams that could not be drawn: the Findings page it names counts them
            errors=report.count(Severity.ERROR) + len(undrawn_found),
            warnings=report.count(Severity.WARNING),
            broken=tuple(line(d) for d in broken),
            failed=tuple(
                sorted(
                    [
                        *map(line, undrawn_found),
                        *unwritten,
                    ]
                )
            ),
            undrawn=tuple(sorted(map(kept_finding, undrawn_found), key=str)),
            published=dict(sorted(publisher.names.items())),
            pages_of=dict(sorted(pages_of.items())),
            stamp=stamp,
            inputs=dict(sorted(site.inputs.items())),
            files=tuple(sorted(staged.written)),
        )
        kept_unknown: list[str] = []
        replaced_users: list[str] = []
        dropped_users: list[str] = []
        if found_files is not None:
            written_before = previous.files if previous is not None else None
            carried = carry_users_files(out, users_files(found_files, written_before), staged)
            carry_users_folders(users_folders(found_folders, written_before), staged)
            if previous is None:
                kept_unknown = carried.linked
            else:
                replaced_users = carried.replaced
            dropped_users = carried.dropped
        # The marker in a clock tick of its own, after every other file: a file modified in
        # its tick or later counts as edited by hand (file times are a few ms coarse).
        time.sleep(MARKER_TICK)
        staged.write(MARKER, summary.to_json())
        # 4. one move
        staged.commit()
    if site.search_kept is not None:  # for the next build of this site
        site.search_kept.save()
    if kept_sources is not None:
        kept_sources.done()
    if on_published is not None:
        on_published(report)
    # 5. the cache kept within its limit (the diagrams just used count as the newest)
    cache.prune(drawing.folder, cache_limit)
    return BuildResult(
        summary,
        up_to_date=False,
        report=report,
        laid=laid,
        refused=tuple(refused),
        reasons=reasons,
        undrawn=len(undrawn),
        kept_unknown=tuple(kept_unknown),
        replaced_users=tuple(replaced_users),
        dropped_users=tuple(dropped_users),
    )


def _registries(inputs: Inputs) -> list[tuple[Path, bytes]]:
    """The registries every map diagram draws from: persona names and team names."""
    return [
        (p, data)
        for p in inputs.files
        if kind_of(p) in ("personas", "teams") and isinstance(data := inputs.contents[p], bytes)
    ]


def _site_data(
    report: Report,
    settings: Settings,
    today: dt.date,
    stamp: dict[str, str],
    personas: list[tuple[Path, bytes]],
    digests: dict[str, str],
    memo: Memo | None,
    drawing: Drawing | None,
    publisher: Publisher | None,
    **previous: Any,
) -> site_data.SiteData:
    """What the pages read, made alike for the build and serve's warm-up: the same maps
    (those of the files named, not every map their project loaded, by id), page base and
    file digests, or the warm-up fills the memo under keys the next build never asks for."""
    assert report.project is not None
    maps = sorted((m for m in report.project.maps if m.src.display in report.targets), key=lambda m: m.id)
    return site_data.SiteData(
        report,
        maps,
        settings,
        today,
        _environment(memo),
        drawing,  # type: ignore[arg-type]  # None in the warm-up: nothing is drawn
        publisher,  # type: ignore[arg-type]  # nor published
        base=keys.pages_base(stamp, keys.personas_key(personas)),
        undated_base=keys.pages_base(stamp, keys.personas_key(personas), dated=False),
        digests=digests,
        in_repository=keys.has_head(stamp),
        derived=memo.derived if memo is not None else None,
        **previous,
    )


def _warm(
    report: Report,
    settings: Settings,
    today: dt.date,
    stamp: dict[str, str],
    inputs: Inputs,
    memo: Memo,
    out: Path,
    cwd: Path,
) -> None:
    """Fill ``memo`` with what the site's pages compute from each map alone (see
    :func:`journeymaps.site.registry.warm`), as the next build will ask for it; the maps'
    parts of the search index from those the last build of the site kept (read only)."""
    digests = keys.file_digests(inputs.contents, settings, stamp)
    personas = _registries(inputs)
    site = _site_data(
        report,
        settings,
        today,
        stamp,
        personas,
        digests,
        memo,
        None,
        None,
        search_kept=KeptParts(out),
        names_from=cwd,
    )
    registry.warm(site)


def _spares(memo: Memo | None) -> Spares | None:
    """``serve``'s spare site folder, kept in the memo from one rebuild to the next."""
    if memo is None:
        return None
    if memo.spares is None:
        memo.spares = Spares()
    spares: Spares = memo.spares
    return spares


def _environment(memo: Memo | None) -> Any:
    """The site's templates, compiled once per process when there is a memo (``serve``)."""
    if memo is None:
        return environment()
    if memo.environment is None:
        memo.environment = environment()
    return memo.environment


def _written_by(previous: Summary) -> set[str]:
    """The files a build wrote, by their path inside its site, as far as its summary tells:
    its pages with recorded inputs, its diagrams and the static files."""
    static = {f"static/{asset.name}" for asset in (templates_dir() / "static").iterdir()}
    return set(previous.inputs) | set(previous.published) | static


def _maps_from(site: site_data.SiteData) -> str:
    """Where the footer says the maps come from: the repository, when they are in one (with
    a commit); else their folders, as the settings name them. It said "the repository" of
    maps in a folder that is in none."""
    if site.in_repository:
        return "the repository"
    folders = [f"{p.rstrip('/')}/" for p in site.settings.paths]
    return " and ".join(filter(None, (", ".join(folders[:-1]), folders[-1]))) if folders else "its folder"


def page_context(site: site_data.SiteData) -> dict[str, Any]:
    """What every page's template is given besides its own context: the site's title,
    settings and navigation (the page benchmark renders pages with it too)."""
    settings, env = site.settings, site.env
    nav = registry.navigation()
    return {
        "site_title": settings.site_title,
        "version": __version__,
        "today": site.today,
        "currency": settings.currency,
        "repo": SourceLinks.of(settings.root, settings.repository_url, site.names_from),
        "rules": all_rules(),
        "stale_after": settings.review_cadence_days,
        "settings_file": settings.file.name if settings.file else None,
        "nav": nav,
        "maps_from": _maps_from(site),
        "finding_maps": site.finding_maps,
        "finding_words": site.finding_words,
        "site_nav": layout.site_nav(env, nav),
        "emotion_badge": layout.emotion_badge(env),
    }


def _to_render(site: site_data.SiteData, kind: registry.PageType) -> Iterable[site_data.Page]:
    """The pages of ``kind`` to render: none of those whose recorded inputs are the previous
    site's (their files are linked into the new site)."""
    whole = None
    if kind.inputs is not None and (files := kind.files(site)):
        whole = kind.inputs(site)
        if _unchanged(site, kind, whole, files):
            return []
    made: Iterable[site_data.Page] = kind.pages(site)
    if kind.shown is not None:
        made = list(made)  # its contexts name what its pages show
        if not made:
            return []
        whole = kind.shown(site, made)
        if _unchanged(site, kind, whole, [path for path, _, _ in made]):
            return []
    if whole is not None and kind.shown_each is not None:  # each page by what it shows
        each = kind.shown_each
        return [page for page in made if not site.unchanged(each(site, page) or whole, page[0])]
    return made


def _unchanged(site: site_data.SiteData, kind: registry.PageType, whole: str, paths: list[str]) -> bool:
    """Whether nothing the pages at ``paths`` show changed (``whole``): then they are linked.
    A kind whose pages have digests of their own asks none of them (see unchanged_whole)."""
    if kind.shown_each is None:
        return site.unchanged(whole, *paths)
    return site.unchanged_whole(whole, paths)


def render_pages(
    site: site_data.SiteData, staged: StagedFolder
) -> tuple[list[str], Callable[[list[Diagnostic]], list[str]]]:
    """Every file of the site, into ``staged`` by its path inside the site: each page of
    each page type of :data:`~journeymaps.site.registry.PAGES`, then the static files; the
    pages that could not be rendered, with why (one map never fails the whole build); and
    what renders the last pages, those that show a diagram drawn after the map pages (the
    teams' handoffs full size), to be called once every file is written."""
    write = staged.write
    env, report, maps = site.env, site.report, site.maps
    common = page_context(site)

    def render(kinds: list[registry.PageType]) -> None:
        for kind in kinds:
            made = _to_render(site, kind)
            for path, template, context in made:
                root = "../" * path.count("/")
                try:
                    html = env.get_template(template).render(root=root, path=path, **common, **context)
                except Exception as exc:  # a defect shown with this page, not a site lost
                    site.failed.append(f"{path}: could not be rendered: {type(exc).__name__}: {exc}")
                    continue
                write(path, spliced(html.encode("utf-8"), context))

    render([k for k in registry.PAGES if not k.late and not k.checked])
    static = templates_dir() / "static"
    for asset in sorted(static.iterdir()):
        write(f"static/{asset.name}", asset.read_bytes())
    for photo in site.photos.values():  # persona photos, checked like the maps (persona-photo)
        write(photo.site_path, photo.data)
    # Then the pages that show diagrams: the workers have had the most time to draw them.
    render([k for k in registry.PAGES if k.late])
    # Last, the search index: the workers made each drawn map's part of it with its
    # diagrams, all in by now (see journeymaps.site.drawer.search_part).
    assert report.project is not None
    for name, data in search_index(maps, report.project.teams or {}, site).items():
        write(name, data)

    def after_check(undrawn: list[Diagnostic]) -> list[str]:
        before = len(site.failed)
        render([k for k in registry.PAGES if k.checked])
        if undrawn:
            # The diagrams that could not be drawn are findings too (the build fails on
            # them): the pages made from the findings, rendered before every diagram was
            # in, again with them (the findings, the maps' checks on the home page, the
            # teams' items); their recorded inputs then name them. Only then: a build where
            # every diagram is drawn renders each page once.
            site.add_undrawn(undrawn)
            render([k for k in registry.PAGES if not k.late and not k.checked])
        return site.failed[before:]

    return site.failed, after_check
