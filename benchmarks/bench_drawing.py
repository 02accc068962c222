"""Benchmark: what a drawing worker spends per diagram besides the layout, in CPU time.

    python benchmarks/bench_drawing.py [--maps 100] [--repeat 5] [--large]

In this one process, as a build's worker does it, for every map of a generated corpus (the
small maps of bench_build.py --small, or with --large the lint benchmark's): sending the
map's data (pickled both ways), modelling it, writing each view's DOT, laying it out,
post-processing the SVG as ``to_svg`` does (the edges' labels moved on top, its title and
accessibility attributes), and writing it into a diagram cache
(a temporary one). Each part's CPU time per diagram, best of --repeat passes (the machine is
shared: the best pass is the one least disturbed), and the share of the layout the other
parts add: the floor of "drawing only" in bench_build.py, before the workers' start.

Each pass draws maps of its own (--maps of them, --repeat times as many generated), as a
build's worker never draws a map twice: drawing the same maps again found their attribute
lists in the DOT writer's memo, which a build never does.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

PARTS = ("send", "model", "dot", "layout", "post-process", "cache write")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="the lint benchmark's ~13 KB maps")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jm-drawing-"))
    os.environ["JOURNEYMAPS_CACHE"] = str(work / "cache")
    from bench_build import generate_small
    from bench_lint import generate

    from journeymaps.diagrams import MAP_VIEWS, accessible, map_diagram, tidied
    from journeymaps.diagrams.render import renderer
    from journeymaps.loader import Source, load
    from journeymaps.model import build_map
    from journeymaps.site.cache import store
    from journeymaps.site.drawer import map_page

    (generate if args.large else generate_small)(work / "maps", args.maps * args.repeat)
    every = [load(path, path.name) for path in sorted((work / "maps").glob("*.yaml"))]
    graphviz = renderer("embedded")
    graphviz.layout("digraph { a -> b }")
    clock = time.process_time
    best = dict.fromkeys(PARTS, float("inf"))
    for n in range(args.repeat):
        spent = dict.fromkeys(PARTS, 0.0)
        sources = every[n * args.maps : (n + 1) * args.maps]
        for i, src in enumerate(sources):
            t0 = clock()
            path, data, slug = pickle.loads(pickle.dumps((str(src.path), src.data, src.data["id"])))
            t1 = clock()
            m = build_map(Source(path=Path(path), display=path, data=data), None, slug)
            t2 = clock()
            spent["send"] += t1 - t0
            spent["model"] += t2 - t1
            for view in MAP_VIEWS:
                t0 = clock()
                diagram = map_diagram(view, m, page=map_page(m), teams={})
                t1 = clock()
                svg = graphviz.layout(diagram.dot)
                t2 = clock()
                svg = accessible(tidied(svg), diagram)
                t3 = clock()
                store(work / "cache" / "diagrams", f"{n:02d}{i:060d}{view[:2]}", svg)
                t4 = clock()
                spent["dot"] += t1 - t0
                spent["layout"] += t2 - t1
                spent["post-process"] += t3 - t2
                spent["cache write"] += t4 - t3
        best = {part: min(best[part], spent[part]) for part in PARTS}
    diagrams = len(sources) * len(MAP_VIEWS)
    print(
        f"{len(sources)} {'large' if args.large else 'small'} maps, {diagrams} diagrams, best of {args.repeat}"
    )
    for part in PARTS:
        print(f"  {part:12} {best[part] / diagrams * 1000:7.3f} ms a diagram")
    others = sum(best[p] for p in PARTS if p != "layout")
    print(
        f"  besides the layout: {others / best['layout'] * 100:.1f}% of it; load average {os.getloadavg()[0]:.1f}"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
