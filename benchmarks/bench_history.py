"""Benchmark: the site's "What changed" page on N generated maps with a quarter of commits.

    python benchmarks/bench_history.py [--maps 300] [--commits 60] [--repeat 2]

A git repository holds N maps committed before the period, then --commits commits spread
over 90 days, each editing one map (an emotion, an owner). Times:
- cold: the history read with an empty cache (journeymaps diff of the two ends, a lint of
  each, and each edited map's versions compared in turn)
- warm: the same again, from the cache (what every build pays while HEAD does not move)
- head id: what a no-op build pays to know whether HEAD moved
- for scale: a lint of the N maps
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_lint import best_of, generate

from journeymaps import history
from journeymaps.lint import lint
from journeymaps.settings import load_settings


def git(cwd: Path, when: dt.datetime, *args: str) -> None:
    stamp = when.isoformat()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", type=int, default=300)
    parser.add_argument("--commits", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "journeys"
        size = generate(root / "maps", args.maps)
        start = dt.datetime(2026, 5, 1, 9, tzinfo=dt.timezone.utc)  # before the period
        git(root, start, "init", "-q", "-b", "main")
        git(root, start, "add", ".")
        git(root, start, "commit", "-q", "-m", "maps")
        files = sorted((root / "maps").glob("*.yaml"))
        for i in range(args.commits):
            path = files[(i * 7) % len(files)]
            text = path.read_text()
            text = text.replace("    emotion: ", "    emotion: 0 #", 1).replace(" #", "\n    x-was: ", 1)
            path.write_text(text)
            when = start + dt.timedelta(days=100 + i * 80 / max(args.commits, 1))
            git(root, when, "commit", "-q", "-am", f"edit {i}")
        settings = load_settings(root)
        os.environ["JOURNEYMAPS_CACHE"] = str(Path(tmp) / "cache")
        days = 90

        def cold() -> object:
            for f in (Path(tmp) / "cache" / "history").glob("*.json"):
                f.unlink()
            return history.read(settings, days)

        found = cold()
        assert isinstance(found, history.History) and found.state == "ok", found
        print(f"{args.maps} maps ({size / 1e6:.1f} MB), {found.commits} commits in the period")
        print(
            f"  lint, for scale:   {best_of(args.repeat, lambda: lint([root / 'maps'], settings, start.date(), root)):.2f} s"
        )
        print(f"  history, cold:     {best_of(args.repeat, cold):.2f} s")
        print(f"  history, warm:     {best_of(args.repeat, lambda: history.read(settings, days)):.3f} s")
        print(f"  head id (no-op):   {best_of(args.repeat, lambda: history.head_id(root)) * 1000:.1f} ms")
        started = time.perf_counter()
        changed = sum(1 for m in found.maps if m.items)
        print(f"  maps with changes: {changed} (counted in {time.perf_counter() - started:.3f} s)")


if __name__ == "__main__":
    main()
