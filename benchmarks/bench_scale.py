"""Benchmark: ``journeymaps lint`` and ``journeymaps build`` at growing portfolio sizes.

    python benchmarks/bench_scale.py [--maps 1000 3000 10000] [--jobs N] [--small]

For each size, generates that many maps (the lint benchmark's realistic 13 KB maps, or with
--small the 8 stages x 4 steps corpus) and runs, as commands, start-up included:

- lint:  ``journeymaps lint MAPS --exit-zero``
- build: ``journeymaps build MAPS`` with an empty cache and no site yet

and prints each one's wall time, CPU time (user + system, the command and its workers: what
a quadratic step shows in even when other jobs share the machine), time per map, and peak
memory: the largest sum of the proportional set sizes of the command and every process it
started (the diagram workers), sampled every 50 ms from /proc: each process's resident pages,
a page shared by several processes split among them (a worker forked from the build shares
its pages, and a sum of resident sizes counted them once per worker). Time per map and memory per map staying flat as the
portfolio grows is the goal (issue 18: no quadratic step; under 4 GiB at 10,000 maps).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_build import clean_up, generate_small, set_aside, settle
from bench_lint import generate

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Proportional resident bytes of ``root`` and all its descendants (0 once it has gone)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):  # it has just ended
            total += _proportional(pid)
        todo.extend(children.get(pid, ()))
    return total


def _proportional(pid: int) -> int:
    """``pid``'s proportional set size in bytes (its resident size where the kernel does not
    tell it: before Linux 4.14)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_bytes()
    except FileNotFoundError:
        return int(Path(f"/proc/{pid}/statm").read_bytes().split()[1]) * PAGE
    for line in rollup.splitlines():
        if line.startswith(b"Pss:"):
            return int(line.split()[1]) * 1024
    raise ValueError(f"no Pss in /proc/{pid}/smaps_rollup")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, float]:
    """Wall time, peak process-tree RSS and CPU time of one run of ``command``."""
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return wall, peak, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--small", action="store_true", help="maps of 8 stages x 4 steps")
    parser.add_argument(
        "--lint-only", action="store_true", help="skip the builds (they lay out every diagram)"
    )
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="start at once, without waiting out recent deletions (a check that the benchmark runs)",
    )
    args = parser.parse_args()

    exe = str(Path(sys.executable).parent / "journeymaps")
    if not args.no_settle:
        settle()
    work = Path(tempfile.mkdtemp(prefix="jm-scale-"))
    env = {**os.environ, "JOURNEYMAPS_CACHE": str(work / "cache"), "SOURCE_DATE_EPOCH": "1795305600"}
    rows = []
    try:
        for n in args.maps:
            maps = work / "maps"
            (generate_small if args.small else generate)(maps, n)
            lint = measured([exe, "lint", "maps", "--exit-zero", "--today", "2026-11-22"], work, env)
            line = (
                f"{n:6d} maps   lint {lint[0]:7.2f} s ({lint[2]:7.2f} s CPU, {lint[2] / n * 1000:6.2f} ms/map)"
                f" {lint[1] / 2**20:6.0f} MiB"
            )
            build = (0.0, 0, 0.0)
            if not args.lint_only:
                set_aside(work / "cache", work)  # (not deleted: see set_aside)
                set_aside(work / "site", work)
                command = [exe, "build", "maps", "-o", "site", "--jobs", str(args.jobs)]
                build = measured(command, work, env)
                line += (
                    f"   build {build[0]:7.2f} s ({build[2]:7.2f} s CPU, {build[2] / n * 1000:6.2f} ms/map)"
                    f" {build[1] / 2**20:6.0f} MiB"
                )
            rows.append((n, lint, build))
            print(line, flush=True)
        (n0, lint0, build0) = rows[0]
        for n, lint, build in rows[1:]:
            line = (
                f"{n0} -> {n} maps ({n / n0:.1f}x): lint time {lint[0] / lint0[0]:.2f}x,"
                f" CPU {lint[2] / lint0[2]:.2f}x, memory {lint[1] / lint0[1]:.2f}x"
            )
            if not args.lint_only:
                line += (
                    f"; build time {build[0] / build0[0]:.2f}x, CPU {build[2] / build0[2]:.2f}x,"
                    f" memory {build[1] / build0[1]:.2f}x"
                )
            print(line)
    finally:
        clean_up(work)


if __name__ == "__main__":
    main()
