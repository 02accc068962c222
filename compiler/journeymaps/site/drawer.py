"""What a drawing worker process runs: model a map from its parsed data, draw its views and
keep their SVGs in the cache.

Kept apart from :mod:`journeymaps.site.diagrams` so that a worker imports only what drawing
needs (the model, the views, the renderer, the cache's writer), not the schema validator or
the project loader: each of the build's workers is a new process that imports this module
first, and the build's diagrams wait for it (issue 18). The main process sends the shared
personas and the team names already modelled.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from journeymaps.diagrams import Diagram, RenderError, map_diagram, to_svg
from journeymaps.diagrams.render import cache_dir, end_overruns
from journeymaps.interrupts import STOPS
from journeymaps.model import Map, Persona, build_map
from journeymaps.records import record
from journeymaps.site import pool_feed
from journeymaps.site.cache import store

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from journeymaps.loader import Source
    from journeymaps.measure.snapshot import Snapshot
    from journeymaps.site.search import MapIndex

#: What a map's measured numbers are read from: its snapshot and the project's sources.
Measured = tuple["Snapshot", Mapping[str, Any]]
#: A map for a worker: its path, its parsed data (cheaper to send than to parse again), its
#: page name, the (view, cache key) pairs to draw, the renderer, the timeout, and its
#: measured numbers (None when it has none).
Job = tuple[str, Any, str, list[tuple[str, str]], str, float, Measured | None]
#: A worker's answer per view: the name of the cache file it wrote, or the SVG when the
#: cache could not keep it, or why there is none.
Drawn = tuple[str, str | None, bytes | None, str | None]
#: A worker's answer per map: each view's, and the map's part of the search index when it
#: was asked for and could be made.
DrawnMap = tuple[list[Drawn], "MapIndex | None"]


def map_page(m: Map) -> str:
    """A map's page as the site's diagrams/ folder sees it: where its shapes link to."""
    return f"../maps/{m.slug}.html"


def draw(
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


@record(slots=True)
class _Sent:
    """A map's file as a worker receives it: its path and parsed data, all that modelling and
    drawing read of a :class:`~journeymaps.loader.Source` (a map that did not parse is never
    sent). Not a Source: importing the loader (and YAML) for it cost each worker ~25 ms of
    CPU, each build's workers start anew (issue 18)."""

    path: Path
    display: str
    data: Any


# In a worker: the shared personas and the team names, sent by the main process.
_personas: dict[str, Persona] | None = None
_team_names: dict[str, str] = {}
#: In a worker: where it tells its build which diagram ran past its timeout (see _overran).
_overruns: Connection | None = None
#: In a worker: the map (its path) and the view being drawn.
_drawing = ("", "")
#: A worker's exit status when a layout ran past its timeout.
OVERRAN_EXIT = 3


def start_worker(
    personas: dict[str, Persona] | None,
    names: dict[str, str],
    parent: int | None = None,
    overruns: Connection | None = None,
) -> None:
    """A worker's initializer: signals as a worker needs them, and what every map draws.
    With ``overruns``, the embedded Graphviz lays out here without the checks that let a
    layout be stopped (~20 % quicker): one that runs past its timeout ends this worker,
    which tells its build which diagram on ``overruns`` first (see :func:`_overran`)."""
    # What the worker starts with (a forked one: the build's own objects) is never garbage
    # here: out of the collector's reach, its passes do not walk it (nor copy the pages it
    # shares with the build, as touching them would).
    gc.freeze()
    pool_feed.in_worker()
    # Ctrl+C is the main process's to handle (it stops the pool and removes the staging
    # folder); in a worker it would only print a traceback. SIGTERM ends a worker at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker starts with the build's own handlers (those that hold a stop back
    # while the pool starts, see interrupts_held): a SIGTERM or hang-up would be kept for a
    # build that is not here. Each goes back to what a new process has, as when spawned: the
    # default, but one the build ignores (SIGHUP under nohup) stays ignored.
    for signum in STOPS:
        if signum != signal.SIGINT and callable(signal.getsignal(signum)):
            signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOPS))
    if parent is not None:
        _die_with(parent)
    atexit.register(_end_at_once)
    global _personas, _team_names, _overruns
    _personas, _team_names = personas, names
    if overruns is not None:
        _overruns = overruns
        end_overruns(_overran)


def _overran() -> None:
    """In the worker's Graphviz ticker: the layout under way ran past its timeout, and
    nothing can stop it but the end of this process. Its build is told which diagram first
    (a pipe's write, whole: it is there when the build learns this worker ended); it says
    the diagram could not be drawn, and gives the maps this pool had not drawn to new
    workers (see :meth:`journeymaps.site.diagrams.Drawing.map_diagrams`)."""
    path, view = _drawing
    if _overruns is not None:
        with contextlib.suppress(Exception):
            _overruns.send_bytes(f"{view}\0{path}".encode("utf-8", "surrogateescape"))
    os._exit(OVERRAN_EXIT)


def _end_at_once() -> None:
    """A worker's end, once its pool lets it go: nothing is left to finish (each drawing is
    in the cache or sent back, its queues are pipes written synchronously), so the exit
    skips tearing the interpreter down, which took ~0.15 s while the build waited (issue
    18). Registered last, it runs first of the exit handlers."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


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


def draw_map(job: Job, indexed: bool = False) -> DrawnMap:
    """In a worker: model one map from its data, then draw each asked view; with
    ``indexed``, also make the map's part of the site's search index from the same model.

    A map that does not model is not drawn: it failed the schema, lint reports why, and the
    site leaves it out, so nobody asks for its diagrams.
    """
    global _drawing
    path, data, slug, views, renderer, timeout, measured = job
    src = cast("Source", _Sent(path=Path(path), display=path, data=data))
    try:
        m = build_map(src, _personas, slug)
    except Exception:  # schema-invalid data; see above
        return [], None
    volumes = measured_volumes(m, measured)
    drawn: list[Drawn] = []
    for view, key in views:
        _drawing = (path, view)
        diagram = map_diagram(view, m, page=map_page(m), teams=_team_names, measured=volumes)
        drawn.append((view, *draw(diagram, renderer, timeout, key)))
    return drawn, search_part(m) if indexed else None


#: What a worker says it was drawing when one of the project's diagrams (not a map's) ran
#: past its timeout: the path it names, with the diagram's view.
PROJECT = ""


def draw_project(
    diagram: Diagram, renderer: str, timeout: float, key: str
) -> tuple[str | None, bytes | None, str | None]:
    """In a worker: one of the project's diagrams (the teams' handoffs), as :func:`draw`
    lays it out; one that runs past its timeout is said as :data:`PROJECT`'s."""
    global _drawing
    _drawing = (PROJECT, diagram.view)
    return draw(diagram, renderer, timeout, key)


def search_part(m: Map) -> MapIndex | None:
    """``m``'s part of the search index, made in a worker (None when it could not be: the
    build makes it then). The index is made from each map alone, and the build's main
    thread, which renders every page, is the critical path of a build of many maps: a
    worker has made the map's model already (1,000 realistic maps: ~1.3 s of the main
    thread's ~10 s, issue 18). Only asked of forked workers, which have the search's
    modules from the build: a spawned one would import lint, the rules and Jinja for it."""
    from journeymaps.site.search import map_index

    try:
        return map_index(m)
    except Exception:  # a defect: the build makes this part itself, as without workers
        return None


def measured_volumes(m: Map, measured: Measured | None) -> dict[str, float] | None:
    """``m``'s pain points' measured volumes by id, None when it has no snapshot. The KPI
    model is imported only then: most maps are not measured, and a worker's imports are part
    of every build's wait (issue 18)."""
    if measured is None:
        return None
    from journeymaps.measure.kpis import measured_volumes as volumes

    return volumes(m, *measured)
