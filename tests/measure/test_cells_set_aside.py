"""A row DuckDB sets aside is no cell's place: measure reads an export with
``ignore_errors`` and ``null_padding = false``, so a row of too many or too few cells, or
with text after a closing quote, is not read, and the value of a finding is the one of a
row below it. The lookup read such a row as a record and said its cell."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from journeymaps.measure.cells import cell_at
from journeymaps.measure.sources import reader_sql

COLUMNS = ["Id", "Subject", "Created at", "Tags"]
#: The dialect DuckDB sniffs of most exports (quotes doubled inside a quoted value).
COMMAS = "auto_detect=false, delim=',', quote='\"', escape='\"', new_line='\\n'"


def _read(path: Path, dialect: str) -> tuple[list[tuple[str, ...]], int]:
    """The rows DuckDB reads of ``path`` as measure reads it, and how many lines it sets aside."""
    typed = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT * FROM {reader_sql(path, dialect=f'{dialect}, columns = {{{typed}}}')}"
    ).fetchall()
    (aside,) = con.execute("SELECT COUNT(DISTINCT line) FROM reject_errors").fetchone() or (0,)
    return rows, aside


@pytest.mark.parametrize(
    ("data", "dialect", "aside", "place"),
    [
        # a cell more than the header
        (b"1,x,n/a,t,extra\n2,x,n/a,t\n", COMMAS, 1, (3, 5)),
        # a cell more, quoted over two lines
        (b'1,x,n/a,t,"a\nb"\n2,x,n/a,t\n', COMMAS, 1, (4, 5)),
        # a cell fewer
        (b"1,x,n/a\n2,x,n/a,t\n", COMMAS, 1, (3, 5)),
        # text after the closing quote of the value's own cell
        (b'1,x,"n/a" y,t\n2,x,n/a,t\n', COMMAS, 1, (3, 5)),
        # a tab after it (only spaces may follow a closing quote)
        (b'1,x,"n/a"\t,t\n2,x,n/a,t\n', COMMAS, 1, (3, 5)),
        # text after the closing quote of a cell before the value's
        (b'1,"a"b,n/a,t\n2,x,n/a,t\n', COMMAS, 1, (3, 5)),
        # text after a closing quote of a cell after it, over two lines
        (b'1,x,n/a,"a\nb"c\n2,x,n/a,t\n', COMMAS, 1, (4, 5)),
        # a backslash-escaped quote in a row of a cell more
        (b'1,"a\\"b",n/a,t,u\n2,x,n/a,t\n', COMMAS.replace("escape='\"'", "escape='\\'"), 1, (3, 5)),
        # no quoting, a cell more
        (b"1,x,n/a,t,u\n2,x,n/a,t\n", "auto_detect=false, delim=',', quote='', escape=''", 1, (3, 5)),
        # semicolons and CRLF, a cell fewer
        (b"1;x;n/a\r\n2;x;n/a;t\r\n", COMMAS.replace("','", "';'").replace("'\\n'", "'\\r\\n'"), 1, (3, 5)),
        # lines ended with CR alone, a cell more
        (b"1,x,n/a,t,u\r2,x,n/a,t\r", COMMAS.replace("'\\n'", "'\\r'"), 1, (3, 5)),
        # read, not set aside: empty cells past the header's (",," or ',""'), spaces after a quote
        (b'1,x,n/a,t,,""\n', COMMAS, 0, (2, 5)),
        (b'1,x,"n/a"  ,t\n', COMMAS, 0, (2, 6)),
        (b"1,x,n/a,\n", COMMAS, 0, (2, 5)),
    ],
    ids=[
        "too-many",
        "too-many-over-two-lines",
        "too-few",
        "text-after-its-quote",
        "tab-after-its-quote",
        "text-after-a-quote-before",
        "text-after-a-quote-after",
        "backslash-escape",
        "no-quoting",
        "semicolons-crlf",
        "cr-only",
        "empty-cells-past-the-header",
        "spaces-after-a-quote",
        "empty-last-cell",
    ],
)
def test_a_row_set_aside_is_not_the_value_s_place(
    tmp_path: Path, data: bytes, dialect: str, aside: int, place: tuple[int, int]
) -> None:
    path = tmp_path / "x.csv"
    # the header as the rows are written: their delimiter and line end
    end = b"\r" if "'\\r'" in dialect else b"\r\n" if b"\r\n" in data else b"\n"
    header = b"Id,Subject,Created at,Tags".replace(b",", b";" if "';'" in dialect else b",")
    path.write_bytes(header + end + data)
    rows, set_aside = _read(path, dialect)
    assert set_aside == aside, rows  # DuckDB reads the rows as the case says
    assert [r[2] for r in rows] == ["n/a"], rows
    assert cell_at(path, COLUMNS, "Created at", "n/a", dialect) == place
