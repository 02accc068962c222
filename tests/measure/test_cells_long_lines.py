"""A long line of an export is read in time linear in its length: a line of many cells
with a quote near its end, or a quoted value of many escapes, was searched to its end for
the next quote at each cell (each escape), and a line of 2 MB took half a minute."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from journeymaps.measure.cells import cell_at

COLUMNS = ["Id", "Subject", "Created at"]
#: Seconds a line of ~2 MB may take: read linearly it takes well under one, even on a
#: busy machine; searched to its end at each cell, ~30.
BUDGET = 8.0


@pytest.mark.parametrize(
    ("line", "dialect"),
    [
        # the value's text in the row, then a million cells and a quote that is a character
        # of the last one (5" screen): read cell by cell, as the value is on the line
        (b"1,01/13/2026 x," + b"x," * 1_000_000 + b'5" screen\n', "auto_detect=false, delim=',', quote='\"'"),
        # a subject of a million escaped characters, the value after it
        (
            b'1,"' + b"\\a" * 1_000_000 + b'",01/13/2026\n',
            "auto_detect=false, delim=',', quote='\"', escape='\\'",
        ),
        # the value, then a cell more of a million escaped characters: a row DuckDB sets
        # aside, read to its end to know it
        (
            b'1,x,01/13/2026,"' + b"\\a" * 1_000_000 + b'"\n',
            "auto_detect=false, delim=',', quote='\"', escape='\\'",
        ),
    ],
    ids=["many-cells", "many-escapes", "many-escapes-in-a-row-set-aside"],
)
def test_a_long_line_is_read_in_linear_time(tmp_path: Path, line: bytes, dialect: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"Id,Subject,Created at\n" + line + b"2,y,01/13/2026\n")
    started = time.perf_counter()
    place = cell_at(path, COLUMNS, "Created at", "01/13/2026", dialect)
    took = time.perf_counter() - started
    # the next row's, where the value is another column's or the row is set aside; else on
    # the long line itself
    assert place == ((2, line.index(b"01/13/2026") + 1) if line.endswith(b"6\n") else (3, 5))
    assert took < BUDGET, f"{took:.1f} s for a line of {len(line):,} bytes"
