"""Benchmark: ``journeymaps lint one-map.yaml`` (the pre-commit and editor case) against yamllint.

    python benchmarks/bench_one_file.py [--repeat 30]

Writes one realistic map of about 13 KB (the lint benchmark's generator), then runs both
commands on it alternately, --repeat times each, start-up included, and prints the best and
the median wall time of each with their ratio. Alternating the two keeps a shared or busy
machine from favouring either side; the best time is the least disturbed one.

Goal (issue 18): journeymaps lint <= yamllint on the same file, in the same run.

    python benchmarks/bench_one_file.py --in-project 1000 [--repeat 5]

The pre-commit hook's case in a large project: one map linted in the context of N maps (the
cross-map rules read every one). Three kinds of run, alternated: with no cache key (nothing
kept: every file parsed, as before lint kept its parsed files), the first lint of a project
(every file parsed, then kept), and the lint after one map's edit (the files kept read, the
edited one parsed: each commit's case).
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


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--in-project", type=int, metavar="N", help="one map of a project of N maps")
    args = parser.parse_args()
    if args.in_project:
        in_project(args.in_project, args.repeat)
        return

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


def in_project(maps: int, repeat: int) -> None:
    """One map linted among ``maps``: nothing kept, the first lint, the lint after an edit."""
    exe = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="jm-in-project-"))
    try:
        folder = work / "project" / "maps"
        folder.mkdir(parents=True)
        rng = random.Random(42)
        for i in range(maps):
            (folder / f"journey-{i:04d}.yaml").write_text(generate_map(i, rng), "utf-8")
        edited = folder / "journey-0001.yaml"
        command = [str(exe / "journeymaps"), "lint", "maps/journey-0000.yaml", "--today", "2026-11-22"]
        key = {"JOURNEYMAPS_CACHE_KEY_FILE": str(work / "key")}  # no other run's key
        kinds = {
            # A key inside the cache folder is refused (it would travel with it): nothing kept.
            "nothing kept": {
                "JOURNEYMAPS_CACHE": str(work / "none"),
                "JOURNEYMAPS_CACHE_KEY_FILE": str(work / "none" / "key"),
            },
            "first lint": {"JOURNEYMAPS_CACHE": str(work / "first"), **key},
            "after an edit": {"JOURNEYMAPS_CACHE": str(work / "kept"), **key},
        }
        walls: dict[str, list[float]] = {name: [] for name in kinds}
        for env in kinds.values():  # byte code compiled, the kept files written
            timed(command, work / "project", {**ENV, **env})
        for round_ in range(repeat):
            for name, env in kinds.items():
                shutil.rmtree(work / "first", ignore_errors=True)
                if name == "after an edit":
                    with edited.open("a", encoding="utf-8") as f:
                        f.write(f"# edit {round_}\n")
                walls[name].append(timed(command, work / "project", {**ENV, **env})[0])
        print(f"one map linted in a project of {maps} maps, {repeat} alternating runs each")
        for name, w in walls.items():
            print(f"{name:14} wall best {min(w):6.2f} s  median {statistics.median(w):6.2f} s")
        ratio = statistics.median(walls["after an edit"]) / statistics.median(walls["nothing kept"])
        print(f"after an edit / nothing kept: {ratio:.2f}x (median)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
