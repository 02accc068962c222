"""Benchmark: ``journeymaps measure`` over N synthetic tickets and M maps, side by side with
the same aggregation written in pandas, in the same run.

    python benchmarks/bench_measure.py [--tickets 1000000] [--maps 100] [--small 250000 500000]

pandas is not a dependency of journeymaps: install it into the venv first (pip install pandas).

Times, on the same machine:
- measure: `journeymaps measure` in its own process (settings, lint of the maps, the DuckDB
  query over the Zendesk CSV export, the snapshots), wall clock
- pandas: read the same CSV (only the columns needed), then for every distinct selector of
  the maps a boolean mask and a group-by month with the same metrics (count, distinct
  customers, median and p90 first reply and resolution, FCR, reopen, escalation, CSAT)
Peak memory (RSS) of `journeymaps measure` at the --small sizes and at --tickets shows whether
it stays flat as the export grows (streamed, not loaded).

Goals (issue 17): measure <= 0.2x pandas and <= 10 s at 1,000,000 tickets and 100 maps.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SELECTOR_SHAPES = (
    "tag:{a}",
    "tag:{a} and channel:mail",
    "tag:{a} or tag:{b}",
    'tag:{a} and not group:"tier 1"',
    "(tag:{a} or tag:{b}) and (channel:chat or channel:voice)",
    "form:billing and tag:{a}",
)


def vocabulary(size: int) -> tuple[str, ...]:
    """The help desk's tags: the fixtures' own, then made-up topics up to ``size``."""
    from journeymaps.measure.fixtures import TAGS

    return (TAGS + tuple(f"topic_{i:03d}" for i in range(max(0, size - len(TAGS)))))[:size]


def make_project(
    root: Path, tickets: int, maps: int, export: Path, tags: tuple[str, ...], preset: str = "zendesk"
) -> list[str]:
    """M maps of 6 stages, each with measured evidence; returns the distinct selectors."""
    from journeymaps.measure.selectors import canonical

    TAGS = tags[: max(20, len(tags) // 2)]  # maps name the more frequent half of the tags
    # Zendesk's export has every field the shapes name; another's gets the tag-only ones.
    shapes = (
        SELECTOR_SHAPES
        if preset == "zendesk"
        else tuple(s for s in SELECTOR_SHAPES if ":" not in s.replace("tag:", ""))
    )
    rng = random.Random(17)
    (root / "maps").mkdir(parents=True, exist_ok=True)
    selectors: set[str] = set()
    for n in range(maps):
        stages = []
        for s in range(6):
            a, b = rng.sample(TAGS, 2)
            refs = [rng.choice(shapes).format(a=a, b=b) for _ in range(2)]
            selectors.update(canonical(r) for r in refs)
            evidence = "".join(f"      - {{source: zendesk, kind: tickets, ref: '{r}'}}\n" for r in refs)
            stages.append(
                f"  - id: s{s}\n    name: Stage {s}\n    owner: support\n    evidence:\n{evidence}"
                f"    kpis:\n      - {{name: FRT {s}, metric: frt, unit: hours, target: 4}}\n"
            )
        (root / "maps" / f"map-{n:03d}.yaml").write_text(
            f"id: map-{n:03d}\ntitle: Map {n}\nowner: support\nstages:\n" + "".join(stages), "utf-8"
        )
    (root / "journeymaps.toml").write_text(
        f'[sources.zendesk]\npreset = "{preset}"\npath = "{export}"\ntimezone = "America/New_York"\n', "utf-8"
    )
    return sorted(selectors)


def generate(export: Path, size: int, tags: int, preset: str = "zendesk") -> None:
    """Write the export in a child process: a child's peak RSS counts the memory of the
    process it was started from (Linux carries it over exec), so this one stays small."""
    code = (
        "import datetime as dt, sys; sys.path.insert(0, sys.argv[1]); from bench_measure import vocabulary; "
        "from journeymaps.measure.fixtures import Spec, write_export; "
        "write_export(__import__('pathlib').Path(sys.argv[2]), sys.argv[5], Spec(rows=int(sys.argv[3]), "
        "start=dt.date(2025, 1, 1), months=12, seed=3, tags=vocabulary(int(sys.argv[4]))))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(export), str(size), str(tags), preset],
        check=True,
    )


def run_measure(root: Path) -> tuple[float, int, float]:
    """Wall time, peak RSS (KiB) and CPU seconds of `journeymaps measure` in its own process
    (CPU time is what a shared, busy machine does not distort)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymaps", "measure"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"journeymaps measure failed:\n{out}\n{err}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def run_pandas(export: Path, selectors: list[str]) -> tuple[float, float]:
    """The same aggregation in pandas: masks per selector, group-by month (wall, CPU)."""
    import pandas as pd

    from journeymaps.measure.selectors import And, Atom, Not, Or, parse

    started, cpu = time.perf_counter(), time.process_time()
    cols = {
        "Id": str, "Requester id": str, "Group": str, "Tags": str, "Status": str, "Via": str,
        "Created at": str, "Satisfaction Score": str, "Group stations": "float64", "Reopens": "float64",
        "Replies": "float64", "First reply time in minutes": str, "Full resolution time in minutes": "float64",
        "Ticket form": str,
    }  # fmt: skip
    df = pd.read_csv(export, usecols=list(cols), dtype=cols)
    created = pd.to_datetime(df["Created at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    created = created.dt.tz_localize("America/New_York", ambiguous="NaT", nonexistent="NaT").dt.tz_convert(
        "UTC"
    )
    df["month"] = created.dt.strftime("%Y-%m")
    df = df[df["month"].notna() & df["Id"].notna()]
    df["frt"] = pd.to_numeric(df["First reply time in minutes"], errors="coerce")
    tags = "," + df["Tags"].fillna("").str.lower().str.replace(r"\s+", ",", regex=True) + ","
    solved = df["Status"].str.lower().isin(["solved", "closed"])
    df["fcr"] = (df["Replies"] <= 1).where(solved).astype("float64")
    df["reopen"] = (df["Reopens"] > 0).where(solved).astype("float64")
    df["esc"] = (df["Group stations"] >= 2).astype("float64")
    sat = df["Satisfaction Score"].str.lower()
    df["csat"] = sat.map({"good": 1.0, "bad": 0.0})
    columns = {
        "channel": df["Via"].str.lower(),
        "group": df["Group"].str.lower(),
        "form": df["Ticket form"].str.lower(),
    }

    def mask(node: object) -> pd.Series:
        if isinstance(node, Atom):
            if node.field == "tag":
                return tags.str.contains("," + node.value + ",", regex=False)
            return columns[node.field] == node.value
        if isinstance(node, Not):
            return ~mask(node.operand)
        assert isinstance(node, (And, Or))
        left, right = mask(node.left), mask(node.right)
        return (left & right) if isinstance(node, And) else (left | right)

    for sel in selectors:
        part = df[mask(parse(sel)).fillna(False)]
        part.groupby("month").agg(
            contacts=("Id", "size"),
            customers=("Requester id", "nunique"),
            frt=("frt", "median"),
            frt_p90=("frt", lambda s: s.quantile(0.9)),
            ttr=("Full resolution time in minutes", "median"),
            ttr_p90=("Full resolution time in minutes", lambda s: s.quantile(0.9)),
            fcr=("fcr", "mean"),
            reopen=("reopen", "mean"),
            escalation=("esc", "mean"),
            csat=("csat", "mean"),
        )
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument(
        "--small",
        type=int,
        nargs="+",
        default=[250_000, 500_000],
        help="the smaller sizes for the memory curve (default 250000 500000)",
    )
    parser.add_argument(
        "--no-pandas", action="store_true", help="skip the pandas comparison (it takes minutes)"
    )
    parser.add_argument("--maps", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="keep the exports in this folder (reused when present)")
    parser.add_argument(
        "--tags",
        type=int,
        default=300,
        help="distinct tags in the export (default 300; 20 is a worst case where every ticket matches ~30 selectors)",
    )
    parser.add_argument(
        "--preset",
        default="zendesk",
        help="the help desk whose export is generated (default zendesk; jira-service-management's "
        "times are the costliest to read); pandas is compared on zendesk's only",
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="jm-bench-measure-"))
    work.mkdir(parents=True, exist_ok=True)
    if not args.keep:  # a million tickets' export is hundreds of MB
        atexit.register(shutil.rmtree, work, ignore_errors=True)
    results = {}
    tags = vocabulary(args.tags)
    for size in sorted({*args.small, args.tickets}):
        export = work / f"{args.preset}-{size}-{args.tags}tags.csv"
        if not export.exists():
            t = time.perf_counter()
            generate(export, size, args.tags, args.preset)
            print(
                f"generated {size:,} tickets ({export.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
            )
        root = work / f"project-{args.preset}-{size}-{args.tags}tags"
        selectors = make_project(root, size, args.maps, export, tags, args.preset)
        seconds, rss, cpu = run_measure(root)
        results[size] = (seconds, rss, cpu)
        print(
            f"measure: {size:,} tickets ({args.preset}, {args.tags} tags), {args.maps} maps, {len(selectors)} distinct selectors: "
            f"{seconds:.2f} s wall, {cpu:.2f} s CPU, peak RSS {rss / 1024:.0f} MiB"
        )
    curve = ", ".join(f"{results[n][1] / 1024:.0f} MiB at {n:,}" for n in sorted(results))
    print(f"peak RSS: {curve} tickets")
    if args.no_pandas or args.preset != "zendesk":
        return
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas is not installed (pip install pandas): no comparison")
        return
    big = work / f"zendesk-{args.tickets}-{args.tags}tags.csv"
    selectors = make_project(
        work / f"project-{args.tickets}-{args.tags}tags", args.tickets, args.maps, big, tags
    )
    pandas_seconds, pandas_cpu = run_pandas(big, selectors)
    seconds, _, cpu = results[args.tickets]
    print(
        f"pandas: the same aggregation over {args.tickets:,} tickets: {pandas_seconds:.2f} s wall, {pandas_cpu:.2f} s CPU"
    )
    print(
        f"measure / pandas = {seconds / pandas_seconds:.2f}x wall, {cpu / pandas_cpu:.2f}x CPU (goal <= 0.2x); "
        f"measure {seconds:.2f} s wall (goal <= 10 s)"
    )


if __name__ == "__main__":
    main()
