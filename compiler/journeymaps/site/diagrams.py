"""Lay out every diagram the site needs: from a content-hashed cache when possible, in
parallel otherwise, one failure never taking the others down."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from journeymaps import __version__
from journeymaps.diagrams import Diagram, RenderError, to_svg
from journeymaps.diagrams.render import DEFAULT_TIMEOUT, cache_dir
from journeymaps.output import write_atomic


@dataclass(frozen=True)
class Laid:
    """One diagram's outcome: its SVG, or why there is none."""

    diagram: Diagram
    svg: bytes | None
    error: str | None
    cached: bool


def _key(diagram: Diagram, renderer: str) -> str:
    # The SVG depends on the DOT, the title and description, the renderer and our own code.
    material = "\0".join((__version__, renderer, diagram.title, diagram.description, diagram.dot))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _layout(job: tuple[Diagram, str, float]) -> tuple[bytes | None, str | None]:
    diagram, renderer, timeout = job
    try:
        return to_svg(diagram, renderer, timeout), None
    except RenderError as exc:
        return None, str(exc)


def lay_out(
    diagrams: Sequence[Diagram],
    renderer: str = "embedded",
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Laid]:
    """Every diagram laid out, in order. Unchanged diagrams come from the cache."""
    folder = cache_dir() / "diagrams"
    results: list[Laid | None] = [None] * len(diagrams)
    todo: list[int] = []
    for i, d in enumerate(diagrams):
        cached = folder / f"{_key(d, renderer)}.svg"
        if cached.is_file():
            results[i] = Laid(d, cached.read_bytes(), None, True)
        else:
            todo.append(i)
    workers = jobs or min(os.cpu_count() or 1, 8)
    work = [(diagrams[i], renderer, timeout) for i in todo]
    if workers > 1 and len(work) >= 8:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = pool.map(_layout, work, chunksize=max(1, len(work) // (workers * 8)))
            done = _collect(outcomes, todo, diagrams, results, progress)
    else:
        done = _collect(map(_layout, work), todo, diagrams, results, progress)
    for i in done:
        laid = results[i]
        if laid is not None and laid.svg is not None:
            with contextlib.suppress(OSError):  # no cache is only a slower next build
                write_atomic(folder / f"{_key(laid.diagram, renderer)}.svg", laid.svg)
    return [r for r in results if r is not None]


def _collect(outcomes, todo, diagrams, results, progress) -> list[int]:  # type: ignore[no-untyped-def]
    done = []
    for n, (i, (svg, error)) in enumerate(zip(todo, outcomes, strict=True), start=1):
        results[i] = Laid(diagrams[i], svg, error, False)
        done.append(i)
        if progress:
            progress(n, len(todo))
    return done


def terminal_progress(label: str) -> Callable[[int, int], None] | None:
    """A one-line counter on a terminal; nothing in CI logs or pipes."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{label} {done}/{total}{end}")
        sys.stderr.flush()

    return show


def cache_path() -> Path:
    return cache_dir() / "diagrams"
