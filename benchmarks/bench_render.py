"""Benchmark: time per diagram against the bare Graphviz layout of the same DOT.

    python benchmarks/bench_render.py [--repeat 5]

For each view of each example map and of a generated 60-step map:
- total:  building the DOT from the model, laying it out (embedded), making it accessible
- layout: the embedded Graphviz laying out that same DOT, nothing else
- system: `dot -Tsvg` on the same DOT, for reference (when dot is on PATH)
Best of --repeat runs; the WebAssembly module is compiled once before timing.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from bench_lint import best_of  # noqa: E402 - one timing helper for the benchmarks


def sixty_step_map() -> str:
    lines = [
        "id: sixty",
        "title: Sixty steps",
        "owner: support",
        "reviewed: 2026-11-01",
        "persona: {name: Admin}",
        "stages:",
    ]
    for s in range(10):
        lines += [
            f"  - id: s{s}",
            f"    name: Stage number {s}",
            "    owner: support",
            f"    emotion: {s % 7 - 3}",
            "    evidence: [{source: zendesk, kind: tickets}]",
            "    steps:",
        ]
        for i in range(6):
            lane = ["customer", "frontstage", "backstage", "support"][i % 4]
            lines.append(
                f"      - {{id: p{s}-{i}, name: Step {i} of stage {s} with a longer name, lane: {lane}, "
                f"channel: email, emotion: {(s + i) % 7 - 3}}}"
            )
        if s == 5:
            lines += [
                "    next:",
                "      - {to: s2, label: reopened, breaker: escalate after 2 replies}",
                "      - s6",
            ]
    lines.append("pain_points:")
    lines += [
        f"  - {{id: pain{k}, at: s{k}.p{k}-1, kind: process, summary: Something hurts here, volume: 40,"
        f" severity: 3}}"
        for k in range(10)
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from journeymaps.diagrams import MAP_VIEWS, map_diagram, to_svg
    from journeymaps.diagrams.render import renderer
    from journeymaps.lint import lint
    from journeymaps.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="jm-render-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    shutil.copytree(ROOT / "maps", work / "maps")
    (work / "maps" / "sixty.yaml").write_text(sixty_step_map(), "utf-8")
    report = lint([work / "maps"], Settings(root=work), dt.date(2026, 11, 22), work)
    assert report.project is not None
    started = time.perf_counter()
    embedded = renderer("embedded")
    print(f"embedded Graphviz: module compiled in {time.perf_counter() - started:.3f} s (once per process)")
    has_dot = shutil.which("dot") is not None
    print(f"{'diagram':42} {'total ms':>9} {'layout ms':>10} {'overhead':>9} {'system dot ms':>14}")
    totals = layouts = 0.0
    for m in sorted(report.project.maps, key=lambda m: m.id):
        for view in MAP_VIEWS:
            dot = map_diagram(view, m).dot
            total = best_of(args.repeat, lambda m=m, view=view: to_svg(map_diagram(view, m)))
            layout = best_of(args.repeat, lambda dot=dot: embedded.layout(dot))
            system = (
                best_of(
                    args.repeat,
                    lambda dot=dot: subprocess.run(
                        ["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True
                    ),
                )
                if has_dot
                else float("nan")
            )
            totals += total
            layouts += layout
            print(
                f"{m.id + '.' + view:42} {total * 1000:9.1f} {layout * 1000:10.1f} {total / layout:8.2f}x "
                f"{system * 1000:14.1f}"
            )
    print(f"{'all':42} {totals * 1000:9.1f} {layouts * 1000:10.1f} {totals / layouts:8.2f}x")


if __name__ == "__main__":
    sys.exit(main())
