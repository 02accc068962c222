"""Benchmark: ``journeymaps diff`` of a pull request that edits one map of N (the review's case).

    python benchmarks/bench_diff.py [--maps 1000] [--repeat 3]

A git repository holds N realistic maps (the lint benchmark's generator, ~13 KB each), then a
commit renames one step of one map. Times, start-up included, median of --repeat runs:
- ``diff BASE HEAD``: two revisions, as CI compares a pull request's commits
- ``diff BASE``: a revision and the working tree, as a reviewer runs it locally
- for scale: ``journeymaps lint`` of the N maps (one side's reading)
Nothing is kept between runs (a cache of its own, with no key): CI's case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_lint import generate

GIT = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT}, check=True, capture_output=True)


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    # A cache of its own, and a key inside it, which is refused: lint keeps no parsed files
    # between runs (it would read them instead of the maps), as in CI.
    env = {
        **os.environ,
        "JOURNEYMAPS_CACHE": str(cwd / ".cache"),
        "JOURNEYMAPS_CACHE_KEY_FILE": str(cwd / ".cache" / "key"),
    }
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return took, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    exe = Path(sys.executable).parent / "journeymaps"
    work = Path(tempfile.mkdtemp(prefix="jm-diff-"))
    try:
        generate(work / "maps", args.maps)
        git(work, "init", "-q", "-b", "main")
        git(work, "add", ".")
        git(work, "commit", "-q", "-m", "maps")
        edited = sorted((work / "maps").glob("*.yaml"))[0]
        text = edited.read_text("utf-8")
        first_step = text.index("name: ", text.index("steps:"))
        edited.write_text(text[:first_step] + "name: Renamed " + text[first_step + len("name: ") :], "utf-8")
        git(work, "commit", "-q", "-am", "one step renamed")
        today = ["--today", "2026-11-22"]
        commands = {
            "diff BASE HEAD": [str(exe), "diff", "HEAD~1", "HEAD", *today],
            "diff BASE (working tree)": [str(exe), "diff", "HEAD~1", *today],
            f"lint of the {args.maps} maps": [str(exe), "lint", "maps", "--quiet", *today],
        }
        said = timed(commands["diff BASE HEAD"], work)[1]  # byte code compiled; and what it says
        if "Renamed" not in said:
            sys.exit(f"the diff did not see the renamed step:\n{said}")
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                runs[name].append(timed(command, work)[0])
        print(f"{args.maps} maps, one step renamed in one of them; {args.repeat} alternating runs each")
        for name, took in runs.items():
            print(f"{name:26} median {statistics.median(took):6.2f} s  best {min(took):6.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
