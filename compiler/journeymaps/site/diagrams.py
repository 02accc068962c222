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
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from pathlib import Path
from types import TracebackType
from typing import Any

from journeymaps.diagrams import Diagram, RenderError, map_diagram, to_svg
from journeymaps.diagrams.render import DEFAULT_RENDERER, DEFAULT_TIMEOUT, cache_dir
from journeymaps.diagrams.view import PerMap
from journeymaps.interrupts import STOPS, interrupts_held
from journeymaps.keys import dot_key, map_key, personas_key, renderer_identity
from journeymaps.loader import Source, from_bytes
from journeymaps.model import Map, Persona, Slugs, build_map
from journeymaps.project import kind_of, model_project
from journeymaps.site.cache import GRACE_SECONDS, listing, mark_used, store

#: A file as the build read it.
Read = tuple[Path, bytes]
#: A map for a worker: its path, its parsed data (cheaper to send than to parse again), its
#: page name, and the (view, cache key) pairs to draw.
Job = tuple[str, Any, str, list[tuple[str, str]], str, float]
#: Told (done, total, last) as diagrams are laid out; the total grows as lint finds maps.
Progress = Callable[[int, int, bool], None]
#: A worker's answer per view: the name of the cache file it wrote, or the SVG when the
#: cache could not keep it, or why there is none.
Drawn = tuple[str, str | None, bytes | None, str | None]


@dataclass(frozen=True)
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


def map_page(m: Map) -> str:
    """A map's page as the site's diagrams/ folder sees it: where its shapes link to."""
    return f"../maps/{m.slug}.html"


def _draw(
    diagram: Diagram, renderer: str, timeout: float, key: str
) -> tuple[str | None, bytes | None, str | None]:
    """Lay out one diagram into the cache: (its file name, None, None) when it is there,
    (None, the SVG, None) when the cache could not keep it, (None, None, why) when it could
    not be laid out.

    The site copies SVGs from the cache rather than receive them: on 1,000 maps, passing
    ~140 MB of SVG from the workers cost the main process seconds of the build."""
    try:
        svg = to_svg(diagram, renderer, timeout)
    except RenderError as exc:
        return None, None, str(exc)
    try:
        return store(cache_dir() / "diagrams", key, svg), None, None
    except OSError:  # a read-only cache is only a slower next build
        return None, svg, None


# In a worker: the shared personas and the team names, modelled once by the initializer.
_personas: dict[str, Persona] | None = None
_team_names: dict[str, str] = {}


def team_names(registries: Iterable[tuple[str, bytes]]) -> tuple[dict[str, Persona] | None, dict[str, str]]:
    """The personas and team names the registries hold (a diagram draws both)."""
    sources = [from_bytes(Path(path), path, raw) for path, raw in registries]
    project = model_project(sources).project
    return project.personas, {t.id: t.name for t in (project.teams or {}).values()}


def _start_worker(registries: list[tuple[str, bytes]], parent: int | None = None) -> None:
    # Ctrl+C is the main process's to handle (it stops the pool and removes the staging
    # folder); in a worker it would only print a traceback. SIGTERM ends a worker at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOPS))
    if parent is not None:
        _die_with(parent)
    global _personas, _team_names
    _personas, _team_names = team_names(registries)


def _die_with(parent: int) -> None:
    """End this worker when the build that started it ends, even by kill -9 (which leaves
    no chance to stop it): Linux sends SIGTERM on the parent's death. Elsewhere the pool
    ends idle workers when their parent is gone, after the diagram at hand."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _draw_map(job: Job) -> list[Drawn]:
    """In a worker: model one map from its data, then draw each asked view.

    A map that does not model is not drawn: it failed the schema, lint reports why, and the
    site leaves it out, so nobody asks for its diagrams.
    """
    path, data, slug, views, renderer, timeout = job
    src = Source(path=Path(path), display=path, data=data)
    try:
        m = build_map(src, _personas, slug)
    except Exception:  # schema-invalid data; see above
        return []
    return [
        (view, *_draw(map_diagram(view, m, page=map_page(m), teams=_team_names), renderer, timeout, key))
        for view, key in views
    ]


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
        self.jobs = jobs or os.cpu_count() or 1
        self.progress = progress
        self.folder = cache_dir() / "diagrams"
        self.laid: list[Laid] = []  # every diagram asked for, in the order asked
        self._views: Sequence[str] = ()
        self._personas = ""
        self._registries: list[tuple[str, bytes]] = []
        self._team_names: dict[str, str] = {}
        self._wanted: set[str] = set()
        self._cached: dict[str, str] = {}  # key -> file name: the cache when the build began
        self._parallel = False
        self._keys: dict[str, list[tuple[str, str]]] = {}  # map path -> (view, key)
        self._slugs = Slugs()
        self._running: dict[str, Future[list[Drawn]]] = {}
        #: Maps to draw held back until enough of them pay for starting the workers.
        self._pending: list[tuple[str, Job, int]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._total = self._done = 0

    def __enter__(self) -> Drawing:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            if kind is not None:  # stopped (Ctrl+C, SIGTERM) or failed: no diagram is needed
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    with contextlib.suppress(OSError, ValueError):
                        process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self.progress and self._done:
            self.progress(self._done, self._total, True)

    def start(self, registries: Sequence[Read], views: Sequence[str], maps: Iterable[Path]) -> None:
        """Get ready to draw ``views`` of the map files ``maps``; workers are used when there
        are enough maps to pay for starting them (else diagrams are drawn when asked for)."""
        self._views = views
        self._personas = personas_key(registries)
        self._registries = [(str(path), raw) for path, raw in registries]
        self._team_names = team_names(self._registries)[1]
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
        raw = src.text.encode("utf-8", "surrogateescape")
        keys = [(view, map_key(raw, view, self._renderer_key, self._personas, slug)) for view in self._views]
        self._keys[path] = keys
        missing = [(view, key) for view, key in keys if key not in self._cached]
        if not missing:
            return
        with self._lock:
            self._total += len(missing)
        if not self._parallel:
            return
        self._pending.append(
            (path, (path, src.data, slug, missing, self.renderer, self.timeout), len(missing))
        )
        if self._pool is None and len(self._pending) < POOL_AFTER:
            return  # not worth starting workers yet: drawn here when asked for, unless more follow
        pending, self._pending = self._pending, []
        for path, job, count in pending:
            self._submit(path, job, count)

    def _submit(self, path: str, job: Job, count: int) -> None:
        if self._pool is None:
            # spawn, not fork: forked workers copying the parent's pages measured slower.
            # The resource tracker is started before holding interrupts (starting it
            # unblocks SIGINT on its way out); the pool is made while they are held: Ctrl+C
            # between creating its queues' semaphores and owning the pool left them to the
            # tracker, which printed a "leaked semaphore objects" warning after ours.
            if sys.platform != "win32":  # POSIX only: Windows has no tracker to start
                resource_tracker.ensure_running()
            with interrupts_held():
                self._pool = ProcessPoolExecutor(
                    self.jobs,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(self._registries, os.getpid()),
                )
        try:
            with interrupts_held():  # a submit may start a worker process
                future = self._pool.submit(_draw_map, job)
        except BrokenProcessPool as exc:  # a worker died earlier: this map fails as the others did
            future = Future()
            future.set_exception(exc)
        future.add_done_callback(functools.partial(self._finished, count))
        self._running[path] = future

    def map_diagrams(self, m: Map, per_map: PerMap | None = None) -> list[Laid]:
        """Each view of ``m``, waiting for its worker if need be (``per_map``: its titles
        and descriptions kept from an earlier build)."""
        keys = self._keys[str(m.src.path)]  # every map lint built was offered
        future = self._running.pop(str(m.src.path), None)
        drawn: dict[str, tuple[str | None, bytes | None, str | None]] = {}
        if future is not None:
            try:
                drawn = {view: (name, svg, error) for view, name, svg, error in future.result()}
            except BrokenProcessPool:  # a worker died (killed, out of memory): say so, go on
                drawn = {view: (None, None, "the drawing process stopped unexpectedly") for view, _ in keys}
        out = []
        views = [view for view, _ in keys]
        titled = per_map("titled", m, lambda m: _titled(views, m)) if per_map else _titled(views, m)
        for (view, key), shown in zip(keys, titled, strict=True):
            full = functools.partial(map_diagram, view, m, page=map_page(m), teams=self._team_names)
            if view in drawn:
                name, svg, error = drawn[view]
                file = self.folder / name if name is not None else None
                out.append(Laid(shown, error, False, file, svg, full))
            else:
                out.append(self._cached_or_drawn(shown, key, full))
        self.laid.extend(out)
        return out

    def diagram(self, d: Diagram) -> Laid:
        """A diagram of the whole project, drawn here (there is one)."""
        key = dot_key(d, self._renderer_key)
        laid = self._cached_or_drawn(d, key, lambda: d)
        self.laid.append(laid)
        return laid

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

    def _finished(self, asked: int, future: Future[list[Drawn]]) -> None:
        """In the pool's thread: count what was drawn (a map failing the schema is not)."""
        drawn = 0 if future.cancelled() or future.exception() else len(future.result())
        self._tick(drawn, asked - drawn)

    def _tick(self, n: int, dropped: int = 0) -> None:
        with self._lock:
            self._total -= dropped
            self._done += n
            self._total = max(self._total, self._done)
            if self.progress:
                self.progress(self._done, self._total, False)


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
