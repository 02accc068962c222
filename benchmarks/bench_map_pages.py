"""Benchmark: CPU to render each map's pages, the main process's largest share of a build.

    python benchmarks/bench_map_pages.py [--maps 60] [--repeat 15]

Builds the small maps of ``bench_build.py --small`` once (one process, so nothing is
drawn in parallel), keeping every page's template and context as the build rendered them;
then renders them again, --repeat times, and prints the best CPU time per page of each
template (map.html, canvas-page.html, diagram.html: the map page, its canvas alone, each
diagram full size) and of the canvas itself (rendered once per map, shown on both pages).
CPU, not wall time: on a machine other jobs share, the best of many runs says the most.
To compare with other code: ``PYTHONPATH=OTHER/compiler python benchmarks/bench_map_pages.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_build import generate_small  # the same small maps as the build benchmark


def best_cpu(run: Callable[[], None], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jm-pages-"))
    os.environ["JOURNEYMAPS_CACHE"] = str(work / "cache")
    import jinja2

    import journeymaps.site.story as story
    from journeymaps.settings import Settings
    from journeymaps.site.build import build

    generate_small(work / "maps", args.maps)
    pages: dict[str, list[tuple[jinja2.Template, dict[str, Any]]]] = {}
    canvases: list[tuple[Any, ...]] = []
    render, render_canvas = jinja2.Template.render, story.render_canvas

    def kept_render(self: jinja2.Template, *a: Any, **context: Any) -> str:
        pages.setdefault(str(self.name), []).append((self, context))
        return render(self, *a, **context)

    def kept_canvas(*a: Any) -> Any:
        canvases.append(a)
        return render_canvas(*a)

    jinja2.Template.render = kept_render  # type: ignore[method-assign]
    story.render_canvas = kept_canvas
    try:
        build([work / "maps"], Settings(root=work), work, work / "site", today=dt.date(2026, 11, 22), jobs=1)
    finally:
        jinja2.Template.render = render  # type: ignore[method-assign]
        story.render_canvas = render_canvas
    print(f"{args.maps} small maps, best of {args.repeat}, load average {os.getloadavg()[0]:.1f}")
    for name in ("map.html", "canvas-page.html", "diagram.html"):
        kept = pages[name]
        cpu = best_cpu(lambda kept=kept: [t.render(**c) for t, c in kept] and None, args.repeat)
        print(f"{name:18} {cpu / len(kept) * 1000:6.3f} ms CPU a page ({len(kept)} pages)")
    cpu = best_cpu(lambda: [render_canvas(*a) for a in canvases] and None, args.repeat)
    print(f"{'canvas':18} {cpu / len(canvases) * 1000:6.3f} ms CPU a map")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
