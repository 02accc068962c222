"""Lay out every diagram the site needs: from a content-hashed cache when possible, in
parallel otherwise, one failure never taking the others down.

A map's diagrams depend only on that map's file (and its persona), so they are keyed by that
text: an unchanged map costs neither DOT nor layout.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from journeymaps import __version__
from journeymaps.diagrams import Diagram, RenderError, map_diagram, to_svg
from journeymaps.diagrams.render import DEFAULT_TIMEOUT, cache_dir
from journeymaps.loader import Source, parse
from journeymaps.model import Loc, Map, build_map, build_persona
from journeymaps.output import write_atomic


@dataclass(frozen=True)
class Laid:
    """One diagram's outcome: its SVG, or why there is none."""

    diagram: Diagram
    svg: bytes | None
    error: str | None
    cached: bool


def map_key(m: Map, view: str, renderer: str) -> str:
    """What a map's diagram depends on: our version, the renderer, the view, the map's own
    file and its persona (a shared persona's name is drawn)."""
    persona = (m.persona.name, m.persona.archetype) if m.persona else None
    material = "\0".join((__version__, renderer, view, repr(persona), m.src.text))
    return hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()


def dot_key(diagram: Diagram, renderer: str) -> str:
    """For a diagram of the whole project: keyed by its DOT."""
    material = "\0".join((__version__, renderer, diagram.title, diagram.description, diagram.dot))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _draw(diagram: Diagram, renderer: str, timeout: float, key: str) -> tuple[bytes | None, str | None]:
    """Lay out one diagram and keep it in the cache."""
    try:
        svg = to_svg(diagram, renderer, timeout)
    except RenderError as exc:
        return None, str(exc)
    with contextlib.suppress(OSError):  # no cache is only a slower next build
        write_atomic(cache_dir() / "diagrams" / f"{key}.svg", svg)
    return svg, None


#: What a worker needs to draw one map: its path and text, its persona's fields, and per
#: view the cache key. Plain data: workers parse the map again (about 2 ms) rather than be
#: sent the model.
MapJob = tuple[str, str, tuple[str | None, ...] | None, list[tuple[str, str]], str, float]


def _draw_map(job: MapJob) -> list[tuple[Diagram, bytes | None, str | None]]:
    """In a worker: rebuild one map from its text, then draw each asked view."""
    path, text, persona, views, renderer, timeout = job
    src = Source(path=Path(path), display=path, text=text)
    parse(src)
    personas = None
    if persona is not None:
        fields = {"id": persona[0], "name": persona[1], "archetype": persona[2], "goal": persona[3]}
        personas = {persona[0] or "": build_persona(fields, Loc(src, ()), persona[0])}
    m = build_map(src, personas)
    out = []
    for view, key in views:
        diagram = map_diagram(view, m)
        svg, error = _draw(diagram, renderer, timeout, key)
        out.append((diagram, svg, error))
    return out


def lay_out(
    maps: Sequence[Map],
    views: Sequence[str],
    extra: Sequence[Diagram] = (),
    renderer: str = "embedded",
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Laid]:
    """Each view of each map, then the ``extra`` diagrams; unchanged ones come from the cache.

    Maps with work left go to spawned worker processes as text (each worker parses the map
    and builds the DOT itself), so DOT building runs in parallel too and no process copies
    another's memory: forked workers sharing the model measured slower (every object they
    touch is a page copied).
    """
    folder = cache_dir() / "diagrams"
    slots: dict[tuple[int, str], Laid] = {}
    todo: list[tuple[int, MapJob]] = []
    for i, m in enumerate(maps):
        missing = []
        for view in views:
            key = map_key(m, view, renderer)
            cached = _read(folder / f"{key}.svg")
            if cached is None:
                missing.append((view, key))
            else:
                slots[(i, view)] = Laid(map_diagram(view, m, with_dot=False), cached, None, True)
        if missing:
            p = m.persona
            persona = (m.persona_ref, p.name, p.archetype, p.goal) if p else None
            todo.append((i, (m.src.display, m.src.text, persona, missing, renderer, timeout)))
    extras = []
    for d in extra:
        key = dot_key(d, renderer)
        cached = _read(folder / f"{key}.svg")
        extras.append((d, key, cached))

    total = sum(len(job[3]) for _, job in todo) + sum(1 for *_, c in extras if c is None)
    done = 0

    def record(i: int, results: list[tuple[Diagram, bytes | None, str | None]]) -> None:
        nonlocal done
        for diagram, svg, error in results:
            slots[(i, diagram.view)] = Laid(diagram, svg, error, False)
            done += 1
            if progress:
                progress(done, total)

    workers = min(jobs or os.cpu_count() or 1, max(1, len(todo)))
    if workers > 1 and len(todo) >= 4:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [(i, pool.submit(_draw_map, job)) for i, job in todo]
            for i, future in futures:
                record(i, future.result())
    else:
        for i, job in todo:
            record(i, _draw_map(job))
    ordered = [slots[(i, view)] for i in range(len(maps)) for view in views]
    for d, key, cached in extras:
        if cached is None:
            svg, error = _draw(d, renderer, timeout, key)
            ordered.append(Laid(d, svg, error, False))
            done += 1
            if progress:
                progress(done, total)
        else:
            ordered.append(Laid(d, cached, None, True))
    return ordered


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def terminal_progress(label: str) -> Callable[[int, int], None] | None:
    """A one-line counter on a terminal; nothing in CI logs or pipes."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{label} {done}/{total}{end}")
        sys.stderr.flush()

    return show
