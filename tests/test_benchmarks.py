"""Every benchmark in ``benchmarks/`` runs to its figures, at a size too small to time.

The README and docs/PERFORMANCE.md quote each figure with the command that gives it; a
benchmark that no longer runs makes those commands false. Two did not (2026-12-05): the
build benchmark's drawing step sent the workers a job of the old shape after measured
volumes reached the diagrams, and the page benchmark rendered the pages without the
navigation every page now has. Nothing here judges a figure: timings belong to the
benchmarks, not to tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

# Each benchmark at its smallest, and lines of its report that say it measured what it is for.
RUNS = {
    "bench_build.py": (
        ["--maps", "2", "--small", "--no-settle"],  # 5 diagrams: drawn by the workers (4 or more)
        [
            "bare layout",
            "drawing only",
            "full build",
            "no-op rebuild",
            "one map changed, serve",
            "serve edit -> reload",
        ],
    ),
    "bench_scale.py": (["--maps", "1", "2", "--small", "--no-settle"], ["1 -> 2 maps (2.0x)"]),
    "bench_diff.py": (
        ["--maps", "2", "--repeat", "1"],
        ["diff BASE HEAD", "diff BASE (working tree)", "lint of the 2 maps"],
    ),
    "bench_drawing.py": (["--maps", "1", "--repeat", "1"], ["layout", "besides the layout"]),
    "bench_history.py": (
        ["--maps", "1", "--commits", "2", "--repeat", "1"],
        ["history, cold", "history, warm"],
    ),
    "bench_lint.py": (["--maps", "1", "--repeat", "1"], ["lint (in process)", "check-jsonschema"]),
    "bench_map_pages.py": (["--maps", "1", "--repeat", "1"], ["map.html", "canvas-page.html"]),
    "bench_one_file.py": (["--repeat", "1"], ["journeymaps lint", "yamllint"]),
    "bench_pages.py": (["--maps", "1", "2"], ["1 -> 2 maps (2x)", "search index"]),
    "bench_phases.py": (
        ["--maps", "4", "--small"],  # 4 maps: their diagrams drawn by forked workers
        ["search index", "template map.html", "main thread", "drawing workers", "layout (Graphviz)", "DOT"],
    ),
    "bench_render.py": (["--repeat", "1"], ["billing-dispute.journey", "all"]),
    "bench_search.py": (["--maps", "3", "--small", "--query", "password"], ["first on screen after"]),
    "bench_cells.py": (["--rows", "100", "--repeat", "1"], ["multi: ", "plain: ", "busy: ", "escaped: "]),
    "bench_measure.py": (
        ["--tickets", "1000", "--small", "1000", "--no-pandas", "--maps", "1"],
        ["measure: 1,000 tickets", "peak RSS"],
    ),
}


def test_every_benchmark_is_checked() -> None:
    assert sorted(RUNS) == sorted(p.name for p in BENCHMARKS.glob("bench_*.py"))


def _benchmark(name: str, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """``benchmarks/NAME ARGS`` run to its end; what it left in its temporary folder."""
    # Its scratch folders and caches, in a folder of its own with a short name: Chromium's
    # socket path, under pytest's tmp_path, is longer than a Unix socket's name may be.
    with tempfile.TemporaryDirectory(prefix="jmb-") as scratch:
        env = {**os.environ, "TMPDIR": scratch}
        env.pop("JOURNEYMAPS_CACHE", None)
        done = subprocess.run(
            [sys.executable, str(BENCHMARKS / name), *args],
            cwd=BENCHMARKS.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        # bench_build's marker of its last clean-up is meant to stay (see its settle()).
        left = sorted({p.name for p in Path(scratch).iterdir()} - {"journeymaps-bench-cleaned"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done, left


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_benchmark_runs_to_its_figures(name: str) -> None:
    args, lines = RUNS[name]
    done, left = _benchmark(name, *args)
    for line in lines:
        assert line in done.stdout, f"{line!r} not in:\n{done.stdout}"
    assert left == [], "left behind in the temporary folder"  # a million tickets are 100s of MB


def test_the_build_benchmark_runs_rounds_of_maps_whose_teams_hand_cases_over() -> None:
    """The README's goal 2 command on its default maps (``--maps 1000 --repeat 3``) stopped at
    its second round: the first round's build had laid out the teams' handoffs in this
    process, whose Graphviz ticker thread then made the next build's workers spawn, not
    fork as the command's do (its own check). The small maps draw no handoffs."""
    done, _ = _benchmark("bench_build.py", "--maps", "2", "--repeat", "2", "--no-settle")
    assert "full build" in done.stdout and "median of 2 runs" in done.stdout, done.stdout


def test_the_one_file_benchmark_runs_in_a_project() -> None:
    """The README's figure for the hook in a large project (``--in-project 1000``), at the
    smallest project whose lint keeps its parsed files."""
    from journeymaps.lint_command import KEEP_PARSED_FROM

    done, left = _benchmark("bench_one_file.py", "--in-project", str(KEEP_PARSED_FROM), "--repeat", "1")
    for line in ("nothing kept", "first lint", "after an edit", "after an edit / nothing kept"):
        assert line in done.stdout, f"{line!r} not in:\n{done.stdout}"
    assert left == [], "left behind in the temporary folder"
