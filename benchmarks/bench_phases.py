"""Benchmark: where a full build's CPU goes, phase by phase, beside the layout.

    python benchmarks/bench_phases.py [--maps 500] [--small] [--warm]

Goal 2 of issue 18 (full build <= 1.5x the bare layout) is a budget: on 2 cores the build
is CPU-bound, so the wall time follows the CPU of every process, and what is not the
layout must shrink. This says where that CPU is, in one build of N generated maps (the
lint benchmark's realistic ones, or with --small the 8 stages x 4 steps corpus), as
``journeymaps build`` runs it (this process has one thread when the build starts, so its
drawing workers are forked, as the command's are; the templates and bytecode compiled
first, and Graphviz's modules, as a user's second build has them):

- the main thread's CPU (``time.thread_time``) split by phase, each phase's own time (a
  phase inside another is taken out of it): lint's parse, schema, model and rules; each
  page type's contexts and each template's rendering; the canvas; the search index; the
  publisher (reading and checking each diagram); "build: other" is what no phase names;
- the cyclic garbage collector's time in the main thread, by the phase it ran in;
- the build's other threads (the site writer, the pool's threads), and its workers
  (model, DOT, layout, post-processing, cache writes).

--warm: every diagram in the cache first (an untimed build), so the timed build's workers
draw nothing and the main thread's figures are its own, without the workers beside it.

It does not wait for the file system to settle as ``bench_build.py`` does (see its
``settle``): on an ext4 that deleted thousands of files minutes before, creating the site's
files costs kernel time in the writer and the workers; the figures in docs/PERFORMANCE.md
were taken with ``TMPDIR`` on tmpfs.

The phases are found by wrapping the functions named in :data:`PHASES` where the build
looks them up: a function renamed or moved fails this benchmark (the test suite runs it).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import gc
import os
import re
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_build import _warm_graphviz, clean_up, compile_bytecode, generate_small, warm_templates

#: (module, attribute, phase): each function counted as its phase while the main thread runs
#: it, looked up where the build calls it.
PHASES = [
    ("journeymaps.site.build", "lint", "lint: other (rules, reading)"),
    ("journeymaps.loader", "parse", "lint: parse (compose, convert)"),
    ("journeymaps.project", "validate", "lint: schema"),
    ("journeymaps.project", "model_project", "lint: model"),
    ("journeymaps.site.build", "search_index", "search index"),
    ("journeymaps.site.publish", "Publisher.put", "publisher (read, check diagrams)"),
    ("journeymaps.site.staging", "StagedFolder.write", "site writer (queueing)"),
    ("journeymaps.site.story", "map_story", "canvas and summary (model)"),
    ("journeymaps.site.story", "render_canvas", "canvas (HTML)"),
]


class Phases:
    """The main thread's CPU by phase, each phase's own (see the module's docstring), and
    the garbage collector's by the phase it ran in."""

    def __init__(self) -> None:
        self.cpu: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.gc: collections.defaultdict[str, float] = collections.defaultdict(float)
        self._stack: list[list[Any]] = []  # [phase, thread time when it last resumed]
        self._main = threading.main_thread().ident
        self._gc_started = 0.0

    def enter(self, name: str) -> None:
        now = time.thread_time()
        if self._stack:
            self.cpu[self._stack[-1][0]] += now - self._stack[-1][1]
        self._stack.append([name, now])

    def leave(self) -> None:
        now = time.thread_time()
        name, since = self._stack.pop()
        self.cpu[name] += now - since
        if self._stack:
            self._stack[-1][1] = now

    def wrap(self, function: Callable[..., Any], name: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() != self._main:
                return function(*args, **kwargs)
            self.enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def wrap_pages(self, function: Callable[..., Iterator[Any]], name: str) -> Callable[..., Iterator[Any]]:
        """A page type's generator: its own time between the pages it yields."""

        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            made = function(*args, **kwargs)
            while True:
                self.enter(name)
                try:
                    page = next(made)
                except StopIteration:
                    return
                finally:
                    self.leave()
                yield page

        return timed

    def collector(self, phase: str, info: dict[str, int]) -> None:
        if threading.get_ident() != self._main:
            return
        if phase == "start":
            self._gc_started = time.thread_time()
        else:
            where = self._stack[-1][0] if self._stack else "(before or after the build)"
            self.gc[f"{where}, generation {info['generation']}"] += time.thread_time() - self._gc_started


#: The same for a drawing worker's phases (forked with them wrapped).
WORKER_PHASES = [
    ("journeymaps.site.drawer", "build_map", "model"),
    ("journeymaps.site.drawer", "map_diagram", "DOT"),
    ("journeymaps.diagrams.render", "EmbeddedGraphviz.layout", "layout (Graphviz)"),
    ("journeymaps.diagrams", "tidied", "post-processing (comments, labels on top)"),
    ("journeymaps.diagrams", "accessible", "post-processing (title, description)"),
    ("journeymaps.site.drawer", "store", "cache write (digest, file)"),
    ("journeymaps.site.drawer", "search_part", "the map's part of the search index"),
]


def _wrap_all(phases: Phases, where: list[tuple[str, str, str]]) -> None:
    import importlib

    for module_name, attribute, name in where:
        owner: Any = importlib.import_module(module_name)
        *path, last = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, last, phases.wrap(getattr(owner, last), name))


def instrument_workers(folder: Path) -> None:
    """Each forked worker times :data:`WORKER_PHASES` and writes them to ``folder`` once its
    pool lets it go (a forked worker runs no exit handlers: it ends with ``os._exit``)."""
    import json
    from concurrent.futures import process

    workers = Phases()
    _wrap_all(workers, WORKER_PHASES)

    def in_child() -> None:
        workers.cpu.clear()
        workers._stack.clear()
        workers._main = threading.get_ident()

    os.register_at_fork(after_in_child=in_child)
    serve = process._process_worker

    def worker(*args: Any, **kwargs: Any) -> None:
        try:
            serve(*args, **kwargs)
        finally:
            used = resource.getrusage(resource.RUSAGE_SELF)
            cpu = dict(workers.cpu, all=used.ru_utime + used.ru_stime)
            (folder / f"worker-{os.getpid()}.json").write_text(json.dumps(cpu))

    setattr(process, "_process_worker", worker)  # noqa: B010 - the target of each worker made


def instrument(phases: Phases) -> None:
    """Wrap :data:`PHASES`, each page type's pages and Jinja's rendering (by template)."""
    import jinja2

    from journeymaps.site import registry

    _wrap_all(phases, PHASES)
    for kind in registry.PAGES:
        pages = kind.pages
        label = f"pages {pages.__module__.rsplit('.', 1)[-1]}.{pages.__name__}: contexts"
        setattr(kind, "pages", phases.wrap_pages(pages, label))  # noqa: B010 - a record's field
    render = jinja2.Template.render

    def rendered(template: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        return phases.wrap(render, f"template {template.name}")(template, *args, **kwargs)  # type: ignore[no-any-return]

    setattr(jinja2.Template, "render", rendered)  # noqa: B010
    gc.callbacks.append(phases.collector)


def instrument_threads() -> dict[str, float]:
    """Each thread's CPU by its name (numbers taken out: every site writer is one), taken as
    it ends: the site writer, the pool's threads (its manager unpickles every drawing), the
    kept files' writer. A thread still running when the build returns is not counted."""
    used: collections.defaultdict[str, float] = collections.defaultdict(float)
    # Around what runs every thread, subclasses with their own run() too (the pool's manager).
    bootstrap = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def counted(thread: threading.Thread) -> None:
        try:
            bootstrap(thread)
        finally:
            used[re.sub(r"[-_]?\d+", "", thread.name) or "thread"] += time.thread_time()

    setattr(threading.Thread, "_bootstrap_inner", counted)  # noqa: B010
    return used


def _largest(seconds: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(seconds.items(), key=lambda item: -item[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, default=500)
    parser.add_argument("--small", action="store_true", help="small maps (8 stages x 4 steps)")
    parser.add_argument("--warm", action="store_true", help="every diagram cached: the main thread alone")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jm-phases-"))
    os.environ["JOURNEYMAPS_CACHE"] = str(work / "cache")
    maps = work / "maps"
    from bench_lint import generate

    (generate_small if args.small else generate)(maps, args.maps)
    from journeymaps.settings import Settings
    from journeymaps.site.build import build

    settings = Settings(root=work)
    today = dt.date(2026, 11, 22)
    _warm_graphviz()
    warm_templates()
    compile_bytecode()
    if args.warm:
        build([maps], settings, work, work / "untimed", today=today, jobs=args.jobs)
        from journeymaps.diagrams import render

        render.release()  # its Graphviz ticker thread, or the timed build's workers would spawn

    phases = Phases()
    instrument(phases)
    (work / "workers").mkdir()
    instrument_workers(work / "workers")
    threads = instrument_threads()
    assert threading.active_count() == 1, "the build would not fork its workers as the command does"
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    thread_before, wall = time.thread_time(), time.perf_counter()
    phases.enter("build: other")  # what no phase names
    build([maps], settings, work, work / "site", today=today, jobs=args.jobs)
    phases.leave()
    wall = time.perf_counter() - wall
    main_thread = time.thread_time() - thread_before
    own_after, children_after = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    process = own_after.ru_utime + own_after.ru_stime - own.ru_utime - own.ru_stime
    workers = children_after.ru_utime + children_after.ru_stime - children.ru_utime - children.ru_stime

    corpus = "small maps (8 stages x 4 steps)" if args.small else "maps"
    cached = ", every diagram cached" if args.warm else ", empty diagram cache"
    print(f"{args.maps} {corpus}{cached}, {args.jobs} processes: wall {wall:.2f} s")
    print(f"{'main thread, by phase':44s} {'CPU s':>7s} {'share':>6s}")
    for name, seconds in _largest(phases.cpu):  # every phase that ran, however short
        print(f"  {name:42s} {seconds:7.2f} {seconds / main_thread * 100:5.1f}%")
    collected = sum(phases.gc.values())
    print(
        f"  {'(of which the garbage collector)':42s} {collected:7.2f} {collected / main_thread * 100:5.1f}%"
    )
    for name, seconds in _largest(phases.gc)[:3]:
        print(f"    {name:40s} {seconds:7.3f}")
    print(f"{'main thread':44s} {main_thread:7.2f}")
    print(
        f"{'the build process other threads':44s} {process - main_thread:7.2f}   (site writer, pool threads)"
    )
    for name, seconds in _largest(threads):
        print(f"  {name:42s} {seconds:7.2f}")
    print(f"{'drawing workers':44s} {workers:7.2f}")
    import json

    drawn: collections.defaultdict[str, float] = collections.defaultdict(float)
    for report in sorted((work / "workers").glob("*.json")):
        for name, seconds in json.loads(report.read_text()).items():
            drawn[name] += seconds
    if drawn:
        timed = sum(seconds for name, seconds in drawn.items() if name != "all")
        drawn["start, receiving maps, sending drawings"] = drawn.pop("all") - timed
        for name, seconds in _largest(drawn):
            print(f"  {name:42s} {seconds:7.2f} {seconds / workers * 100:5.1f}%")
    print(f"{'all':44s} {process + workers:7.2f}")
    clean_up(work)


if __name__ == "__main__":
    main()
