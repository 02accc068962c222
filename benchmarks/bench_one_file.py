"""Benchmark: ``journeymaps lint one-map.yaml`` (the pre-commit and editor case) against yamllint.

    python benchmarks/bench_one_file.py [--repeat 30]

Writes one realistic map of about 13 KB (the lint benchmark's generator), then runs both
commands on it alternately, --repeat times each, start-up included, and prints the best and
the median wall time of each with their ratio. Alternating the two keeps a shared or busy
machine from favouring either side; the best time is the least disturbed one.

Goal (issue 18): journeymaps lint <= yamllint on the same file, in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_lint import generate_map

#: A user's pip install compiles the byte code of both tools; an editable install of
#: journeymaps only has it once a run may write it, which PYTHONDONTWRITEBYTECODE forbids.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    exe = Path(sys.executable).parent
    yamllint = exe / "yamllint"
    if not yamllint.exists():
        sys.exit("yamllint is not installed next to this Python: pip install -e '.[test]'")
    work = Path(tempfile.mkdtemp(prefix="jm-one-file-"))
    try:
        one = work / "one-map.yaml"
        one.write_text(generate_map(1, random.Random(42)), "utf-8")
        commands = {
            "journeymaps lint": [str(exe / "journeymaps"), "lint", one.name, "--today", "2026-11-22"],
            "yamllint": [str(yamllint), one.name],
        }
        for command in commands.values():  # compile and cache the byte code first
            timed(command, work)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                wall, cpu = timed(command, work)
                walls[name].append(wall)
                cpus[name].append(cpu)
        print(f"one map of {one.stat().st_size / 1024:.1f} KB, {args.repeat} alternating runs each")
        for name in commands:
            w, c = walls[name], cpus[name]
            print(
                f"{name:18} wall best {min(w) * 1000:6.1f} ms  median {statistics.median(w) * 1000:6.1f} ms"
                f"   CPU best {min(c) * 1000:6.1f} ms  median {statistics.median(c) * 1000:6.1f} ms"
            )
        for label, runs in (("wall", walls), ("CPU", cpus)):
            jm, yl = runs["journeymaps lint"], runs["yamllint"]
            print(
                f"journeymaps / yamllint, {label:4}: best {min(jm) / min(yl):.2f}x, "
                f"median {statistics.median(jm) / statistics.median(yl):.2f}x   (goal <= 1x)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
