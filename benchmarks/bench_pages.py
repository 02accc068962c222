"""Benchmark: the site's aggregate pages at growing portfolio sizes, in process.

    python benchmarks/bench_pages.py [--maps 1000 3000 10000]

For each size, generates that many realistic maps (the lint benchmark's 13 KB maps), lints
them, and then times, in CPU seconds (the machine may be shared; CPU time is what a
quadratic step would show in), each page type that reads every map: the home page (all its
numbered pages, and the cards' data for its filters), the portfolio, the scorecard, the
teams page (its handoff diagram laid out by Graphviz, one diagram), the personas, the
findings, and the search index. Each one's time per map and output per map staying flat as
the portfolio grows is the goal (issue 18: no quadratic step); so is the largest file each
writes staying a size a phone opens (the long lists are split into pages, see rows-per-page). The map pages are one per map
and are measured by bench_build.py and bench_scale.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_lint import generate

AGGREGATES = ("index", "portfolio", "scorecard", "teams", "personas", "findings")


def measure(n: int, work: Path) -> dict[str, tuple[float, int, int, int, str]]:
    """CPU seconds, bytes written, files and the largest file's bytes for each aggregate
    page type, for ``n`` maps."""
    from journeymaps.diagrams.render import DEFAULT_RENDERER
    from journeymaps.lint import lint
    from journeymaps.settings import Settings
    from journeymaps.site import registry, site_data
    from journeymaps.site.build import page_context, search_index
    from journeymaps.site.diagrams import Drawing
    from journeymaps.templating import environment

    folder = work / "maps"
    generate(folder, n)
    (folder / "teams.yaml").write_text(
        "teams:\n"
        + "".join(
            f"  - {{id: {t}, name: {t.title()} team}}\n"
            for t in ("support", "tier-2", "product", "identity", "engineering", "finance", "success")
        )
    )
    today = dt.date(2026, 11, 22)
    settings = Settings(root=work)
    report = lint([folder], settings, today, work)
    assert report.project is not None
    maps = sorted(report.project.maps, key=lambda m: m.id)
    env = environment()
    out: dict[str, tuple[float, int, int, int, str]] = {}
    with Drawing(DEFAULT_RENDERER, jobs=1) as drawing:
        drawing.start([], (), [])
        site = site_data.SiteData(report, maps, settings, today, env, drawing, _Discard())  # type: ignore[arg-type]
        common = page_context(site)
        kinds = {k.pages.__name__: k for k in registry.PAGES}
        for name in AGGREGATES:
            started = time.process_time()
            sizes = {}
            for path, template, context in kinds[name].pages(site):
                root = "../" * path.count("/")
                html = env.get_template(template).render(root=root, path=path, **common, **context)
                sizes[path] = len(html.encode())
            largest = max(sizes, key=lambda p: sizes[p])
            cpu = time.process_time() - started
            out[name] = (cpu, sum(sizes.values()), len(sizes), sizes[largest], largest)
    started = time.process_time()
    files = search_index(maps, report.project.teams or {})
    largest = max(files, key=lambda p: len(files[p]))
    total = sum(len(b) for b in files.values())
    out["search index"] = (time.process_time() - started, total, len(files), len(files[largest]), largest)
    return out


class _Discard:
    """Where the teams page puts its diagram: nowhere (no site is written here)."""

    def put(self, laid: object, keep: bool = False) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, nargs="+", default=[1000, 3000, 10000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jm-pages-"))
    rows = {}
    try:
        for n in args.maps:
            rows[n] = measure(n, work)
            print(f"{n} maps:", flush=True)
            for name, (cpu, size, count, largest, where) in rows[n].items():
                print(
                    f"  {name:13s} {cpu:7.2f} s CPU {cpu / n * 1000:6.3f} ms/map"
                    f" {size / 2**20:8.1f} MiB {size / n / 1024:6.2f} KiB/map"
                    f" in {count:5d} files, the largest {largest / 2**20:6.2f} MiB ({where})",
                    flush=True,
                )
        first = args.maps[0]
        for n in args.maps[1:]:
            growth = ", ".join(
                f"{name} {rows[n][name][0] / max(rows[first][name][0], 1e-9):.1f}x" for name in rows[n]
            )
            print(f"{first} -> {n} maps ({n / first:.0f}x): CPU time {growth}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
