"""Benchmark: the site's search at scale, in Chromium.

    python benchmarks/bench_search.py [--maps 10000] [--small] [--query TEXT ...]

Generates that many maps (the lint benchmark's realistic ones, or with --small the
8 stages x 4 steps corpus), makes their search index, and puts it in a small site built from
a few of them (the index is what grows with the portfolio; the other pages do not take part
in a search). Prints the index's size, its number of files and its largest file, then, for
each query, typed into a fresh page of that site opened from ``file://`` in Chromium: the
scripts of the index the query loaded, their bytes, and the time from typing to the first
results (or "Nothing found") on screen. Issue 18: at 10,000 maps a query must not load the
whole index.
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

from bench_build import generate_small
from bench_lint import generate

QUERIES = ["password", "billing dispute", "lo", "login", "customer", "refund seat"]

#: Resolves once results (or "Nothing found") are on screen: the milliseconds it took.
TYPE_AND_WAIT = """query => new Promise(done => {
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  const started = performance.now();
  const shown = () => list.querySelector("a") || /Nothing found/.test(list.textContent);
  new MutationObserver((_, watching) => {
    if (shown()) { watching.disconnect(); done(performance.now() - started); }
  }).observe(list, {childList: true, subtree: true, characterData: true});
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event("input"));
  if (shown()) done(performance.now() - started);
})"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", type=int, default=10000)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--query", nargs="*", default=QUERIES)
    args = parser.parse_args()

    from journeymaps.lint import lint
    from journeymaps.settings import Settings
    from journeymaps.site.build import build, search_index

    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        folder = work / "maps"
        if args.small:
            generate_small(folder, args.maps)
        else:
            generate(folder, args.maps)
        (folder / "teams.yaml").write_text("teams:\n  - {id: support, name: Support team}\n")
        settings = Settings(root=work)
        started = time.process_time()
        report = lint([folder], settings, dt.date(2026, 11, 22), work)
        assert report.project is not None
        maps = sorted(report.project.maps, key=lambda m: m.id)
        print(f"{len(maps)} maps read in {time.process_time() - started:.1f} s CPU", flush=True)
        started = time.process_time()
        files = search_index(maps, report.project.teams or {})
        cpu = time.process_time() - started
        total = sum(len(b) for b in files.values())
        largest = max(files, key=lambda p: len(files[p]))
        print(
            f"index: {total / 2**20:.1f} MiB in {len(files)} files, made in {cpu:.1f} s CPU; "
            f"largest {largest} {len(files[largest]) / 2**10:.0f} KiB"
        )

        few = work / "few"
        few.mkdir()
        for path in sorted(folder.glob("*.yaml"))[:3]:
            shutil.copy(path, few / path.name)
        out = work / "site"
        build([few], settings, work, out, today=dt.date(2026, 11, 22), jobs=1)
        for old in (out / "static/search", out / "static/search-index.js"):
            shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)  # the old code's
        for name, data in files.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        _queries(out, args.query)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _queries(site: Path, queries: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    from conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            page = browser.new_page()
            loaded: list[str] = []
            page.on("request", lambda r, loaded=loaded: loaded.append(r.url))
            page.goto((site / "index.html").as_uri())
            page.wait_for_load_state("load")
            loaded.clear()
            ms = page.evaluate(TYPE_AND_WAIT, query)
            results = page.locator("#search-results a").count()
            index = [u.split("/static/", 1)[1] for u in loaded if "/static/search" in u]
            size = sum((site / "static" / u).stat().st_size for u in index if (site / "static" / u).is_file())
            print(
                f"{query!r}: {results} results, first on screen after {ms / 1000:.2f} s; "
                f"loaded {len(index)} files of the index, {size / 2**10:,.0f} KiB"
            )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
