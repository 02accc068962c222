"""A CSV export is sniffed once: the load is given what DuckDB's sniffer found of it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from measuring import export, project, run

from journeymaps.measure import engine
from journeymaps.measure.fixtures import Spec
from journeymaps.measure.sources import reader_sql

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/*.csv"\ntimezone = "Europe/Paris"\n'


def _exports(root: Path, quoted: bool) -> None:
    """Three months of one layout; ``quoted``: October's with every value quoted (as some
    tools write them), which its sniff reads otherwise."""
    for month, first in ((8, 0), (9, 400), (10, 800)):
        spec = Spec(rows=400, start=dt.date(2026, month, 1), months=1, seed=month, first_id=first)
        export(root, "zendesk", f"2026-{month:02d}.csv", spec)
    if quoted:
        path = root / "exports" / "2026-10.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)


def _measured(
    root: Path, monkeypatch: pytest.MonkeyPatch, quoted: bool, sniff_again: bool
) -> tuple[dict[str, bytes], list[str]]:
    _exports(root, quoted)
    project(root, DESK)
    loads: list[str] = []

    def reading(*files: Path, **kwargs: Any) -> str:
        if sniff_again:
            kwargs["dialect"] = ""
        sql = reader_sql(*files, **kwargs)
        loads.append(sql)
        return sql

    monkeypatch.setattr(engine, "reader_sql", reading)
    run(root)
    return {p.name: p.read_bytes() for p in sorted((root / "metrics").glob("*.json"))}, loads


@pytest.mark.parametrize("quoted", [False, True])
def test_the_load_reads_a_csv_with_what_its_sniff_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quoted: bool
) -> None:
    """DuckDB sniffed each CSV export twice, once for its columns and quote and again to
    load it (0.3 s of a 200 MB export): the load is given the dialect the first sniff found,
    and the snapshots are byte for byte what a second sniff gave. Monthly files
    of one header that read otherwise (one quoted) are read by a scan each, with its own:
    DuckDB 1.5 (Python 3.10's) read them all as the first was sniffed, and measure stopped
    ("column "Id" ... could not be found in file "2026-10.csv"")."""
    once, loads = _measured(tmp_path / "once", monkeypatch, quoted, sniff_again=False)
    loaded = [sql for sql in loads if sql.startswith("read_csv(")]
    assert loaded and all("auto_detect=false" in sql for sql in loaded)
    assert len(loaded) == (2 if quoted else 1)  # the months read alike in one scan
    # The same tickets, unquoted and sniffed again, as measure read them before.
    again, _ = _measured(tmp_path / "again", monkeypatch, quoted=False, sniff_again=True)
    assert once == again and once


def test_an_export_read_again_for_what_went_wrong_is_not_sniffed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Monthly exports joined with their headers (by cat) are read again to find the header
    rows and the first date that does not read: each such read sniffed the export again
    (0.3 s of a 200 MB export, twice), though its sniff was known. They are read as the load
    read them, and say what they said."""
    from journeymaps.measure import undated

    spec = Spec(rows=300, start=dt.date(2026, 8, 1), months=2, seed=3)
    path = export(tmp_path, "zendesk", "joined.csv", spec)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:150], lines[0], *lines[150:]]))
    project(tmp_path, DESK.replace("exports/*.csv", "exports/joined.csv"))
    reads: list[str] = []

    def reading(*files: Path, **kwargs: Any) -> str:
        sql = reader_sql(*files, **kwargs)
        reads.append(sql)
        return sql

    monkeypatch.setattr(undated, "reader_sql", reading)
    result, _ = run(tmp_path)
    assert len(reads) == 2  # the first date that does not read (the header's), the header rows
    assert all("auto_detect=false" in sql for sql in reads), reads
    assert result.runs[0].rows == 300
    assert result.runs[0].headers_again == [(path, 151, 1)]
