"""Lay out every diagram the site needs while the rest of the build goes on: from a
content-hashed cache when possible, in worker processes otherwise, one failure never taking
the others down.

A map's diagrams depend only on its file and on the registries (a shared persona's name and
the teams' names are drawn), so they are keyed by those bytes, and each map goes to a worker
as soon as lint has parsed it: workers model, draw and lay out while the main process lints
and renders pages, and a map page waits only for its own diagrams.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import field
from multiprocessing import resource_tracker
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from journeymaps.diagrams import VIEWS, Diagram, RenderError, map_diagram, to_svg
from journeymaps.diagrams.render import DEFAULT_RENDERER, DEFAULT_TIMEOUT, cache_dir, overran
from journeymaps.diagrams.view import PerMap
from journeymaps.interrupts import hangup_held_from_helpers, interrupts_held
from journeymaps.keys import dot_key, file_digest, map_key, personas_key, renderer_identity
from journeymaps.loader import Source, from_bytes
from journeymaps.measure import snapshot
from journeymaps.model import Map, Persona, Slugs
from journeymaps.project import kind_of, model_project
from journeymaps.records import record
from journeymaps.site import pool_ending
from journeymaps.site.cache import GRACE_SECONDS, listing, mark_used, store
from journeymaps.site.drawer import (
    PROJECT,
    DrawnMap,
    Job,
    Measured,
    draw_map,
    draw_project,
    map_page,
    measured_volumes,
    start_worker,
)
from journeymaps.site.drawer import draw as _draw
from journeymaps.site.pool_feed import QuickSwitches, queued_maps

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from journeymaps.site.search import MapIndex

#: Why a diagram was not drawn when its worker died (killed, out of memory): nothing to do
#: with the map, so the next build draws it again (see journeymaps.site.build).
PROCESS_STOPPED = "the drawing process stopped unexpectedly"

#: A file as the build read it.
Read = tuple[Path, bytes]
#: Told (done, total, last) as diagrams are laid out; the total grows as lint finds maps.
Progress = Callable[[int, int, bool], None]


def start_method() -> str:
    """How the drawing workers start: forked from this process where that is safe, else
    spawned (a new interpreter each).

    Forked, a worker starts with the modules this process has imported (modelling, the
    views, the cache's writer): spawned, each imported them again, and the resource tracker
    was one more interpreter, ~0.4 s of CPU a build in all, a tenth of what the build adds
    to the layout of 500 small maps (issue 18). Forking is safe only where no other thread
    can hold a lock the copy would inherit held: a process with one thread (the ``build``
    command: the site's writer thread starts with the first page). ``serve``'s threads, a
    test runner's, or a system other than Linux (macOS forbids fork with its frameworks
    loaded; Windows has none) spawn, as every build did before."""
    # Before 3.10.5 (CPython gh-90622) the pool forked its workers one by one as jobs came,
    # after its own thread had started: a fork with a thread, the hazard this avoids.
    if not sys.platform.startswith("linux") or sys.version_info < (3, 10, 5):
        return "spawn"
    try:
        alone = len(os.listdir("/proc/self/task")) == 1  # noqa: PTH208 - every thread, C's too
    except OSError:  # no /proc (a bare container): not known, so not forked
        return "spawn"
    return "fork" if alone else "spawn"


def available_cores() -> int:
    """The cores this process may run on (taskset, a container's cpuset), which
    ``os.cpu_count()`` does not know of: the most diagram workers that lay out at once."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


@record
class Laid:
    """One diagram's outcome: where its SVG is (a cache file, or bytes drawn here when the
    cache could not keep it), or why there is none."""

    diagram: Diagram
    error: str | None
    cached: bool  # laid out by an earlier build: its file must be checked before it is published
    file: Path | None = None
    svg: bytes | None = None
    #: The diagram with its DOT, to draw it again when its cache file is refused.
    full: Callable[[], Diagram] | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


def team_names(registries: Iterable[tuple[str, bytes]]) -> tuple[dict[str, Persona] | None, dict[str, str]]:
    """The personas and team names the registries hold (a diagram draws both)."""
    sources = [from_bytes(Path(path), path, raw) for path, raw in registries]
    project = model_project(sources).project
    return project.personas, {t.id: t.name for t in (project.teams or {}).values()}


#: Maps with diagrams to draw before worker processes are started (starting them costs
#: about a second): fewer, as when ``serve`` rebuilds after an edit, are drawn in this
#: process when their page asks for them.
POOL_AFTER = 3


class Drawing:
    """The diagrams of one build, laid out in the background from :meth:`start` on.

    Used as a context manager: leaving it (also on an error) stops the workers.
    """

    def __init__(
        self,
        renderer: str = DEFAULT_RENDERER,
        timeout: float = DEFAULT_TIMEOUT,
        jobs: int | None = None,
        progress: Progress | None = None,
        marked: dict[str, float] | None = None,
    ) -> None:
        self.renderer = renderer
        #: ``serve``: the cache files this process found and marked used, with when. The
        #: cache never prunes a file used within GRACE_SECONDS, so one marked in the last
        #: half of that is neither looked for nor marked again (2,000 stats and touches an
        #: edit on 1,000 maps); it is in the listing this build began with.
        self._marked = marked
        self._renderer_key = renderer_identity(renderer)
        self.timeout = timeout
        self.jobs = jobs or available_cores()
        self.progress = progress
        self.folder = cache_dir() / "diagrams"
        self.laid: list[Laid] = []  # every diagram asked for, in the order asked
        self._project_laid: dict[str, Laid] = {}  # the project's diagrams by key (see diagram)
        #: The project's diagrams given to the workers (see ahead), by key, until asked for.
        self._project_running: dict[str, Future[tuple[str | None, bytes | None, str | None]]] = {}
        self._views: Sequence[str] = ()
        self._personas = ""
        self._registries: list[tuple[str, bytes]] = []
        self._shared_personas: dict[str, Persona] | None = None
        self._team_names: dict[str, str] = {}
        self._wanted: set[str] = set()
        self._cached: dict[str, str] = {}  # key -> file name: the cache when the build began
        self._digests: Mapping[str, str] = {}
        self._parallel = False
        self._keys: dict[str, list[tuple[str, str]]] = {}  # map path -> (view, key)
        self._metrics: Path | None = None  # the snapshots' folder, when sources are set
        self._sources: Mapping[str, Any] = {}
        self._sources_key = ""
        self._measured: dict[str, Measured] = {}  # map path -> its measured numbers
        self._slugs = Slugs()
        self._running: dict[str, Future[DrawnMap]] = {}
        #: Each drawn map's part of the search index, made by its worker (see
        #: :func:`~journeymaps.site.drawer.search_part`), by the map's path: taken once.
        self._search_parts: dict[str, MapIndex] = {}
        #: The workers make the search index's parts too: forked ones only.
        self._indexing = False
        #: Maps to draw held back until enough of them pay for starting the workers.
        self._pending: list[tuple[str, Job, int]] = []
        self._pool: ProcessPoolExecutor | None = None
        #: Each map given to the workers whose page has not taken its drawings yet: its job
        #: and how many views it draws, for new workers when a worker ended (see _recover).
        self._jobs: dict[str, tuple[Job, int]] = {}
        #: Where an embedded Graphviz worker says which diagram ran past its timeout before
        #: it ends (see drawer.start_worker): the reading end and the writing end.
        self._overruns: tuple[Connection, Connection] | None = None
        #: The views that ran past their timeout in a worker, by map path.
        self._overran: dict[str, set[str]] = {}
        #: Every map has been offered (lint is over): no job is submitted any more.
        self._all_offered = False
        #: The pool's thread that ends its workers, once they were told to end early: joined
        #: on leaving (the pool forgets it), so no worker outlives the build.
        self._ending: threading.Thread | None = None
        self._last: Future[DrawnMap] | None = None  # the job given to the workers last
        self._switches = QuickSwitches()  # while the workers draw (see pool_feed)
        self._lock = threading.Lock()
        self._total = self._done = 0

    def __enter__(self) -> Drawing:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._pool is not None:
                self._end_pool(kind)
        finally:
            self._switches.stop()
            for end in self._overruns or ():
                end.close()
        if self.progress and self._done:
            self.progress(self._done, self._total, True)

    def _end_pool(self, kind: type[BaseException] | None) -> None:
        assert self._pool is not None
        # Stopped (Ctrl+C, SIGTERM) or failed: no diagram is needed. A broken pool (a
        # worker died) is stopped the same way: its workers are gone already.
        if kind is not None or getattr(self._pool, "_broken", False):
            self._stop_pool(self._pool)
            return
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
            if self._ending is not None:
                self._ending.join()
        except BaseException:  # stopped while waiting for the workers
            self._stop_pool(self._pool)
            raise

    @staticmethod
    def _stop_pool(pool: ProcessPoolExecutor) -> None:
        """The workers stopped, and their pool shut down, with Ctrl+C and SIGTERM held: a
        second Ctrl+C landing in between (pressed twice) left the pool as it was, and on
        Python 3.10 the process hung at exit waiting for it (see :mod:`pool_ending`). Quick:
        the workers are gone."""
        with interrupts_held():
            # None once the pool was told to shut down (see _stop_when_drawn)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                with contextlib.suppress(OSError, ValueError):
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)

    def start(
        self,
        registries: Sequence[Read],
        views: Sequence[str],
        maps: Iterable[Path],
        digests: Mapping[str, str] | None = None,
        *,
        metrics: Path | None = None,
        sources: Mapping[str, Any] | None = None,
    ) -> None:
        """Get ready to draw ``views`` of the map files ``maps``; workers are used when there
        are enough maps to pay for starting them (else diagrams are drawn when asked for).
        ``digests``: each file's :func:`~journeymaps.keys.file_digest` by its path, when
        the build has them (else each map's is made as lint parses it). ``metrics``, the
        snapshots' folder, and ``sources``, the project's: a measured map's views showing
        measured numbers show its snapshot's, as its page does."""
        self._digests = digests or {}
        if metrics is not None and sources:
            self._metrics, self._sources = metrics, sources
            self._sources_key = hashlib.sha256(
                json.dumps(sources, sort_keys=True, default=str).encode()
            ).hexdigest()
        self._views = views
        self._personas = personas_key(registries)
        self._registries = [(str(path), raw) for path, raw in registries]
        # Modelled here once, and sent to the workers: modelling them there imported the
        # schema validator into each worker (a tenth of a second of its start).
        self._shared_personas, self._team_names = team_names(self._registries)
        self._wanted = {str(path) for path in maps}
        self._cached = listing(self.folder)  # once: a stat per diagram cost more
        self._parallel = self.jobs > 1 and len(self._wanted) >= 4

    def offer(self, src: Source) -> None:
        """A file lint has just parsed: a wanted map's views that the cache lacks go to a
        worker now."""
        path = str(src.path)
        # Every map counts for page names, wanted or not, as when the project is modelled.
        slug = self._slugs.next(src) if kind_of(src.path) == "map" else None
        if path not in self._wanted or not src.ok or slug is None:
            return
        content = self._digests.get(path) or file_digest(src.text.encode("utf-8", "surrogateescape"))
        renderer, personas = self._renderer_key, self._personas
        measured = self._measured_in(src)
        shown = f"{measured[0].digest}\0{self._sources_key}" if measured else ""
        keys = [
            (view, map_key(content, view, renderer, personas, slug, shown if VIEWS[view].measured else ""))
            for view in self._views
        ]
        self._keys[path] = keys
        if measured is not None:
            self._measured[path] = measured
        missing = [(view, key) for view, key in keys if key not in self._cached]
        if not missing:
            return
        with self._lock:
            self._total += len(missing)
        if not self._parallel:
            return
        self._pending.append(
            (
                path,
                (path, src.data, slug, missing, self.renderer, self.timeout, measured),
                len(missing),
            )
        )
        if self._pool is None and len(self._pending) < POOL_AFTER:
            return  # not worth starting workers yet: drawn here when asked for, unless more follow
        pending, self._pending = self._pending, []
        for path, job, count in pending:
            self._submit(path, job, count)

    def _measured_in(self, src: Source) -> Measured | None:
        """A map's snapshot and the sources, when it has one (read as lint reads it: the
        snapshots folder is listed once, and each snapshot read once)."""
        map_id = src.data.get("id") if isinstance(src.data, dict) else None
        if self._metrics is None or not isinstance(map_id, str):
            return None
        snap = snapshot.load(self._metrics, map_id)
        return (snap, self._sources) if snap is not None else None

    def all_offered(self) -> None:
        """Lint is over: every map has been offered, nothing more goes to the workers."""
        self._all_offered = True
        self._stop_when_drawn()

    def _stop_when_drawn(self) -> None:
        """The workers told to end once the last drawing is in, while the last pages render:
        ending them when leaving (joining each) was ~0.2 s of a build's wall time in which
        only they ran (issue 18)."""
        if (
            self._all_offered
            and self._pool is not None
            and self._ending is None
            # A broken pool (a worker died) is stopped on leaving (see _stop_pool).
            and not getattr(self._pool, "_broken", False)
            # The workers take maps in the order given: while the last one given is not
            # drawn, some are not (asking every future after each map cost ~66,000 calls
            # on 500 maps, the workers ahead of the pages).
            and (self._last is None or self._last.done())
            and all(future.done() for future in self._running.values())
            and all(future.done() for future in self._project_running.values())
        ):
            self._ending = getattr(self._pool, "_executor_manager_thread", None)
            self._pool.shutdown(wait=False)

    def _submit(self, path: str, job: Job, count: int) -> None:
        if self._pool is None:
            method = start_method()
            # The resource tracker is started before holding interrupts (starting it
            # unblocks SIGINT on its way out); the pool is made while they are held: Ctrl+C
            # between creating its queues' semaphores and owning the pool left them to the
            # tracker, which printed a "leaked semaphore objects" warning after ours. Forked
            # workers need no tracker: their pool's semaphores are unlinked at once.
            if method == "spawn" and sys.platform != "win32":  # Windows has no tracker
                with hangup_held_from_helpers():
                    resource_tracker.ensure_running()
            if method == "fork" and self.renderer == "embedded":
                # imported once here rather than in each worker (~25 ms of CPU each); it
                # starts no thread, which forking needs
                with contextlib.suppress(ImportError):
                    importlib.import_module("wasmtime")
            pool_ending.backport()
            # maps queued ahead, and the GIL handed over sooner: see pool_feed
            self._switches.start()
            with interrupts_held(), queued_maps():
                self._pool = ProcessPoolExecutor(
                    self.jobs,
                    mp_context=multiprocessing.get_context(method),
                    initializer=start_worker,
                    initargs=(self._shared_personas, self._team_names, os.getpid(), self._overrun_end()),
                )
            self._indexing = method == "fork"  # see drawer.search_part
        self._jobs[path] = (job, count)
        try:
            with interrupts_held():  # a submit may start a worker process
                future = self._pool.submit(draw_map, job, self._indexing)
        except BrokenProcessPool as exc:  # a worker ended earlier: the map's page finds out why
            future = Future()
            future.set_exception(exc)
        future.add_done_callback(functools.partial(self._finished, count))
        self._running[path] = self._last = future

    def map_diagrams(self, m: Map, per_map: PerMap | None = None) -> list[Laid]:
        """Each view of ``m``, waiting for its worker if need be (``per_map``: its titles
        and descriptions kept from an earlier build)."""
        path = str(m.src.path)
        keys = self._keys[path]  # every map lint built was offered
        future = self._running.pop(path, None)
        drawn: dict[str, tuple[str | None, bytes | None, str | None]] = {}
        waited = future is not None
        while future is not None:
            try:
                done, part = future.result()
            except BrokenProcessPool:  # a worker ended: after an overrun, new workers go on
                if self._recover(path):
                    future = self._running.pop(path, None)  # None: each of its views overran
                else:  # killed, out of memory: say so, go on
                    drawn = {view: (None, None, PROCESS_STOPPED) for view, _ in keys}
                    future = None
                continue
            drawn = {view: (name, svg, error) for view, name, svg, error in done}
            if part is not None:
                self._search_parts[path] = part
            future = None
        self._jobs.pop(path, None)
        for view in self._overran.get(path, ()):
            drawn[view] = (None, None, overran(self.timeout))
        if waited:
            self._stop_when_drawn()
        out = []
        views = [view for view, _ in keys]
        shown_views = titled(views, m, per_map) if per_map else _titled(views, m)
        volumes = measured_volumes(m, self._measured.get(str(m.src.path)))
        for (view, key), shown in zip(keys, shown_views, strict=True):
            full = functools.partial(
                map_diagram, view, m, page=map_page(m), teams=self._team_names, measured=volumes
            )
            if view in drawn:
                name, svg, error = drawn[view]
                file = self.folder / name if name is not None else None
                out.append(Laid(shown, error, False, file, svg, full))
            else:
                out.append(self._cached_or_drawn(shown, key, full))
        self.laid.extend(out)
        return out

    def _overrun_end(self) -> Connection | None:
        """The end of the overruns' pipe a worker writes to (the embedded Graphviz only: the
        system's dot runs in a process the worker stops itself)."""
        if self.renderer != "embedded":
            return None
        if self._overruns is None:
            self._overruns = multiprocessing.Pipe(duplex=False)
        return self._overruns[1]

    def _recover(self, current: str) -> bool:
        """After a worker ended: True when it ended on a layout that ran past its timeout.
        It said which diagram (it is said to have overrun), and each map the workers had not
        drawn, ``current`` (the map whose page waits) too, goes to new workers without the
        diagrams that overran. Any other end (killed, out of memory) is not recovered from,
        as before: its maps' diagrams were not drawn."""
        told = False
        if self._overruns is not None:
            reader = self._overruns[0]
            with contextlib.suppress(OSError, EOFError):
                while reader.poll():
                    view, _, path = reader.recv_bytes().decode("utf-8", "surrogateescape").partition("\0")
                    self._overran.setdefault(path, set()).add(view)
                    told = True
        if not told:
            return False
        broken, self._pool, self._ending, self._last = self._pool, None, None, None
        if broken is not None:
            self._stop_pool(broken)  # the other workers too: their maps are given again
        again = [
            current,
            *(p for p, f in self._running.items() if not f.done() or f.cancelled() or f.exception()),
        ]
        for path in again:
            self._running.pop(path, None)
            if (given := self._jobs.get(path)) is None:
                continue
            job = given[0]
            views = [(view, key) for view, key in job[3] if view not in self._overran.get(path, ())]
            if views:
                with self._lock:
                    self._total += len(views)
                self._submit(path, (*job[:3], views, *job[4:]), len(views))
        return True

    def search_part(self, m: Map) -> MapIndex | None:
        """``m``'s part of the search index as its worker made it (once its diagrams were
        asked for), None when no worker did (its diagrams were cached, or drawn here)."""
        return self._search_parts.pop(str(m.src.path), None)

    def ahead(self, diagrams: Iterable[Diagram]) -> None:
        """The project's ``diagrams`` the cache lacks, given to the workers now, when this
        build has workers: laid out here when asked for, each needed the checked Graphviz
        module (see :class:`~journeymaps.diagrams.render.EmbeddedGraphviz`), which a first
        build (every CI run) then compiled beside the workers' own: ~1.5 s of CPU, and
        2.05-2.83 s against 1.40-2.02 s for this repository's example maps. Called once
        every map is offered, before :meth:`all_offered` (the workers end once all is drawn)."""
        pool = self._pool
        if pool is None or self._ending is not None or getattr(pool, "_broken", False):
            return
        for d in diagrams:
            key = dot_key(d, self._renderer_key)
            if key in self._cached or key in self._project_running:
                continue
            try:
                with interrupts_held():  # a submit may start a worker process
                    future = pool.submit(draw_project, d, self.renderer, self.timeout, key)
            except BrokenProcessPool:  # a worker ended: drawn here when asked for
                return
            with self._lock:
                self._total += 1
            future.add_done_callback(self._finished_project)
            self._project_running[key] = future

    def diagram(self, d: Diagram) -> Laid:
        """A diagram of the whole project (there is one), from the workers when it was
        given to them (see :meth:`ahead`), else from the cache or drawn here. Asked for
        again (its page rendered again, see
        :meth:`journeymaps.site.site_data.SiteData.add_undrawn`), the same: not drawn,
        waited for or counted twice."""
        key = dot_key(d, self._renderer_key)
        if (done := self._project_laid.get(key)) is not None:
            return done
        future = self._project_running.pop(key, None)
        laid = self._from_worker(d, future) if future is not None else None
        if laid is None:
            laid = self._cached_or_drawn(d, key, lambda: d)
        self._project_laid[key] = laid
        self.laid.append(laid)
        return laid

    def _from_worker(
        self, d: Diagram, future: Future[tuple[str | None, bytes | None, str | None]]
    ) -> Laid | None:
        """A project diagram as its worker laid it out; None when the workers ended before
        it was (drawn here then), unless it was what ran past its timeout (said so)."""
        try:
            name, svg, error = future.result()
        except BrokenProcessPool:
            # Whichever page meets the ended workers first gives their maps to new ones.
            self._recover(PROJECT)
            if d.view not in self._overran.get(PROJECT, ()):
                return None
            name, svg, error = None, None, overran(self.timeout)
        finally:
            self._stop_when_drawn()
        return Laid(d, error, False, self.folder / name if name is not None else None, svg, lambda: d)

    def _finished_project(self, future: Future[tuple[str | None, bytes | None, str | None]]) -> None:
        """In the pool's thread: count a project diagram the workers laid out (one they
        did not is drawn here, and counted then, or not at all)."""
        drawn = not future.cancelled() and future.exception() is None
        self._tick(1 if drawn else 0, 0 if drawn else 1)

    def _cached_or_drawn(self, shown: Diagram, key: str, full: Callable[[], Diagram]) -> Laid:
        """From the cache, or laid out here (``full`` builds the DOT only then)."""
        name = self._cached.get(key)
        if name is not None and self._still_cached(file := self.folder / name):
            return Laid(shown, None, True, file, full=full)
        name, svg, error = _draw(full(), self.renderer, self.timeout, key)
        self._tick(1)
        return Laid(shown, error, False, self.folder / name if name else None, svg, full)

    def _still_cached(self, file: Path) -> bool:
        """The cache file is there, and marked used (the newest for the cache's pruning)."""
        now = time.time()
        if self._marked is not None and now - self._marked.get(str(file), -GRACE_SECONDS) < GRACE_SECONDS / 2:
            return True
        if not file.is_file():
            return False
        mark_used([file])
        if self._marked is not None:
            self._marked[str(file)] = now
        return True

    def redraw(self, laid: Laid) -> Laid:
        """``laid`` drawn again here, its refused cache file replaced by the new drawing."""
        assert laid.full is not None
        key = laid.file.name.partition(".")[0] if laid.file is not None else ""
        if laid.file is not None:
            with contextlib.suppress(OSError):
                laid.file.unlink()
        try:
            svg = to_svg(laid.full(), self.renderer, self.timeout)
        except RenderError as exc:
            return Laid(laid.diagram, str(exc), False)
        file = None
        if key:
            with contextlib.suppress(OSError):  # a cache that cannot keep it: bytes will do
                file = self.folder / store(self.folder, key, svg)
        return Laid(laid.diagram, None, False, file, svg, laid.full)

    def _finished(self, asked: int, future: Future[DrawnMap]) -> None:
        """In the pool's thread: count what was drawn (a map failing the schema is not)."""
        drawn = 0 if future.cancelled() or future.exception() else len(future.result()[0])
        self._tick(drawn, asked - drawn)

    def _tick(self, n: int, dropped: int = 0) -> None:
        with self._lock:
            self._total -= dropped
            self._done += n
            self._total = max(self._total, self._done)
            if self.progress:
                self.progress(self._done, self._total, False)


def titled(views: Sequence[str], m: Map, per_map: PerMap) -> list[Diagram]:
    """Each view of ``m`` with its title and description, kept as :meth:`Drawing.map_diagrams`
    keeps them (``serve`` starting on an up-to-date site computes them before the first edit)."""
    found: list[Diagram] = per_map("titled", m, lambda m: _titled(views, m))
    return found


def _titled(views: Sequence[str], m: Map) -> list[Diagram]:
    """Each view of ``m`` with its title and description, without its DOT."""
    return [map_diagram(view, m, with_dot=False) for view in views]


def terminal_progress(label: str) -> Progress | None:
    """A one-line counter on a terminal; nothing in CI logs or pipes."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int, last: bool) -> None:
        end = "\n" if last else ""
        sys.stderr.write(f"\r{label} {done}/{total}{end}")
        sys.stderr.flush()

    return show
