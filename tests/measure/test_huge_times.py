"""A value longer than any time in a time column (a log pasted into a cell, a column shifted):
each of the time readers' regular expressions, and the checks of what follows a time, ran
over all of it, and a Zendesk export with 2 MB in one row's "Created at" took 11 s of CPU
(a JSON Lines one minutes) before its error was said. It is no time, read as none, and
said as such at its cell."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from measured_at_once import measure_here
from measuring import export, project, time_fields

from journeymaps.measure.fixtures import Spec
from journeymaps.measure.presets import PRESETS
from journeymaps.measure.sources import LONGEST_TIME, short_enough
from journeymaps.measure.zone_words import unread_sql

TOML = '[sources.desk]\npreset = "zendesk"\npath = "exports/x.{kind}"\ntimezone = "UTC"\n'
#: A time and then two million letters (2,000,020 characters).
HUGE = "2026-03-24 21:11:03 " + "x" * 2_000_000


def _with_huge_time(root: Path, kind: str, value: str) -> None:
    """A Zendesk export of 200 tickets whose 50th ``Created at`` is ``value``, as CSV, JSON
    Lines or Parquet (each record its row's columns, as text; a Parquet file has no lines:
    its findings are at 1:1)."""
    good = export(root, "zendesk", "good.csv", Spec(rows=200))
    rows = list(csv.reader(io.StringIO(good.read_text("utf-8"))))
    good.unlink()
    rows[50][rows[0].index("Created at")] = value
    out = io.StringIO()
    if kind == "csv":
        csv.writer(out).writerows(rows)
    else:
        out.writelines(json.dumps(dict(zip(rows[0], row, strict=True))) + "\n" for row in rows[1:])
    written = root / "exports" / f"x.{kind}"
    if kind == "parquet":  # each column as text, as the JSON Lines records have them
        lines = root / "records.jsonl"
        lines.write_text(out.getvalue(), "utf-8")
        types = ", ".join(f"'{h}': 'VARCHAR'" for h in rows[0])
        duckdb.sql(f"COPY (SELECT * FROM read_json('{lines}', columns = {{{types}}})) TO '{written}'")
        lines.unlink()
    else:
        written.write_text(out.getvalue(), "utf-8")
    project(root, TOML.format(kind=kind))


@pytest.mark.parametrize(
    ("kind", "line", "column"), [("csv", 51, 195), ("jsonl", 50, 452), ("parquet", 1, 1)]
)
def test_a_time_of_two_million_characters_is_said_at_its_cell(
    tmp_path: Path, kind: str, line: int, column: int
) -> None:
    _with_huge_time(tmp_path, kind, HUGE)
    result = measure_here(tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        f"exports/x.{kind}:{line}:{column}: JM010 [unreadable-source] error: source 'desk': column "
        f"'Created at' has '{HUGE[:60]}...': a value of 2,000,020 characters is no time (a time "
        f"has at most {LONGEST_TIME}). Its column holds something else there: correct that cell, "
        "or export the times again\n"
    ), result.stderr[:500]
    assert not (tmp_path / "metrics").exists()


def test_a_value_as_long_as_a_time_can_be_is_read_as_any() -> None:
    """The bound is no shorter than the longest times written: JavaScript's with a long
    zone name in the browser's language, Go's with nanoseconds and its monotonic reading,
    Java's with the longest IANA name."""
    longest = [
        "Wed Sep 30 2026 22:00:00 GMT-0300 (hora de verano de las islas Malvinas/Falkland)",
        "2026-09-30 22:00:00.123456789 +0000 UTC m=+9223372036.854775807",
        "2026-09-30T22:00:00.123456789-03:00[America/Argentina/ComodRivadavia]",
    ]
    assert max(map(len, longest)) * 2 < LONGEST_TIME


@pytest.mark.parametrize("preset", [*PRESETS])
def test_no_time_reader_reads_a_value_longer_than_a_time(preset: str) -> None:
    """Each time's reader and its forms read the text only through the bound: a longer value
    is NULL before any regular expression of theirs runs."""
    _, res, times = time_fields(preset)
    for name in times:
        text = res.raw[name][1]
        alias = next(p.rsplit(" AS ", 1)[1] for p in res.projections[0] if p.startswith(f"{text} AS "))
        assert alias not in res.exprs[name], name
        reads = [p for level in res.projections[1:] for p in level if alias in p]
        assert reads and all(p.startswith(f"{short_enough(alias)} AS ") for p in reads), reads


@pytest.mark.parametrize("preset", [*PRESETS])
def test_what_follows_a_time_is_not_looked_at_in_a_value_longer_than_a_time(preset: str) -> None:
    """The search for the time not read (zone_words) takes a value longer than any time as
    one before any regular expression looks at it."""
    cfg, res, times = time_fields(preset)
    for name in times:
        text = res.raw[name][1]
        sql = unread_sql(text, res.exprs[name], cfg.fields[name])
        assert sql.startswith(f"CASE WHEN LENGTH({text}) > {LONGEST_TIME} THEN TRUE ELSE "), sql[:200]
