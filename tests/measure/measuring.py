"""Helpers for the measure tests: a project with synthetic exports, measured for real."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY
from journeymaps.lint import lint
from journeymaps.measure.engine import Result, measure
from journeymaps.measure.fixtures import LAYOUTS, Spec, write_export
from journeymaps.measure.sources import TIME_READS, Resolved, SourceConfig, canonical_for, configs, resolve
from journeymaps.settings import load_settings

MAP = """
id: lockouts
title: Admin locked out
owner: support
reviewed: 2026-11-01
persona: {name: Admin}
stages:
  - id: contact
    name: Contact support
    owner: support
    evidence:
      - {source: desk, kind: tickets, ref: "tag:locked_out", as_of: 2026-11-02}
      - {source: desk, kind: tickets, ref: "tag:locked_out and (channel:email or channel:mail)"}
      - {source: desk, kind: tickets, ref: "not tag:locked_out and group:\\"tier 2\\""}
      - {source: desk, kind: tickets, ref: "form:billing or tag:sev1"}
      - {source: desk, kind: tickets, ref: "tag:no_such_tag"}
"""


#: One map measured on one tag: the tests of how an export's columns are read.
ONE_TAG_MAP = """
id: m
title: M
stages:
  - id: a
    name: A
    evidence:
      - {source: desk, kind: tickets, ref: "tag:billing"}
"""
#: Its source under a preset (``DESK.format(preset="zendesk")``), the export in Paris time.
DESK = '[sources.desk]\npreset = "{preset}"\npath = "exports/desk.csv"\ntimezone = "Europe/Paris"\n'
#: The columns ``DESK``'s export is written with, by preset: id, creation time, tags.
HEADERS = {
    "zendesk": ("Id", "Created at", "Tags"),
    "jira-service-management": ("Issue key", "Created", "Labels"),
}


def project(root: Path, toml: str, maps: dict[str, str] | None = None) -> Path:
    (root / "maps").mkdir(parents=True, exist_ok=True)
    for name, text in (maps or {"lockouts.yaml": MAP}).items():
        (root / "maps" / name).write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    (root / "journeymaps.toml").write_text(textwrap.dedent(toml).lstrip("\n"), "utf-8")
    return root


def run(root: Path) -> tuple[Result, dict[str, Any]]:
    """Measure every map of ``root`` and return the snapshots by map id."""
    settings = load_settings(root)
    report = lint([root / "maps"], settings, TODAY, root)
    assert report.project is not None
    result = measure(list(report.project.maps), settings)
    snaps = {p.stem: json.loads(p.read_text("utf-8")) for p in sorted((root / "metrics").glob("*.json"))}
    return result, snaps


def export(root: Path, preset: str, name: str, spec: Spec | None = None) -> Path:
    return write_export(root / "exports" / name, preset, spec or Spec())


def billing_export(
    root: Path, created: list[str], header: tuple[str, ...] = ("Id", "Created at", "Tags")
) -> None:
    """An export of five tickets per creation time (fewer in a month are not shown), each
    tagged billing, five padding ones in the middle of September first (a month with
    tickets whatever is read of the others)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows((f"P-{n}", "2026-09-15 12:00", "billing") for n in range(5))
        for n, value in enumerate(created):
            out.writerows((f"T-{n}-{i}", value, "billing") for i in range(5))


def billing_months(root: Path) -> dict[str, int]:
    """:func:`billing_export`'s creation times counted per month (in fives, the padding's
    September included), from the snapshot of map ``m``."""
    snap = json.loads((root / "metrics" / "m.json").read_text("utf-8"))
    return {m: c["contacts"] // 5 for m, c in snap["series"]["desk|tag:billing"]["months"].items()}


def dates_written_otherwise(path: Path, rows: slice = slice(None)) -> list[dict[str, str]]:
    """Rewrite the ``Created at`` of ``rows`` of a CSV export as 31.01.2026 14:05 (a format
    measure does not read unless told); the rows as written, header first excluded."""
    with path.open(encoding="utf-8", newline="") as f:
        written = list(csv.DictReader(f))
    for row in written[rows]:
        day, time = row["Created at"].split()
        row["Created at"] = f"{day[8:10]}.{day[5:7]}.{day[:4]} {time[:5]}"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, list(written[0]))
        out.writeheader()
        out.writerows(written)
    return written


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Any]) -> tuple[Path, Any]:
    """A folder ``make`` fills (and what it returns, kept as JSON), made once per test run:
    under pytest-xdist, in the folder the workers' temporary folders share, the first worker
    to ask making it under a lock and the others waiting for it and reusing it. A 1M-row
    export was made by each worker (CI runs two), its ~4 s and 40 MB twice."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = shared / name, shared / f"{name}.json"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the worker dies
        if not done.exists():  # a worker that died mid-way left no record: made again
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            made = make(folder)
            done.write_text(json.dumps(made), "utf-8")
    return folder, json.loads(done.read_text("utf-8"))


def time_fields(preset: str) -> tuple[SourceConfig, Resolved, list[str]]:
    """A source of ``preset`` (in UTC) resolved against its export's header, the fixtures'
    (:data:`journeymaps.measure.fixtures.LAYOUTS`) or the preset's own headers (HubSpot's,
    whose times are three), and the names of its time fields."""
    cfg = configs({"desk": {"preset": preset, "path": "exports/desk.csv", "timezone": "UTC"}})["desk"]
    header = (
        [h for h, _ in LAYOUTS[preset]]
        if preset in LAYOUTS
        else [f.column for f in cfg.fields.values() if f.column]
    )
    res = resolve(cfg, header, "desk.csv", canonical_for(cfg))
    times = [name for name in res.raw if cfg.fields[name].read in TIME_READS]
    assert times, res.raw
    return cfg, res, times
