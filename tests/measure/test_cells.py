"""Where a value of an export's column is: its own cell, not the same text elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymaps.measure.cells import cell_at, value_at

COLUMNS = ["Id", "Subject", "Created at"]


@pytest.mark.parametrize(
    ("text", "dialect", "place"),
    [
        # the same text in the subject of an earlier line
        ("Id,Subject,Created at\n1,01/13/2026,01/02/2026\n2,x,01/13/2026\n", "", (3, 5)),
        # a subject over two lines, a delimiter and "" in it: its second line is no row
        (
            'Id,Subject,Created at\n1,"a ""b"", c\n01/13/2026,d",01/02/2026\n2,x,01/13/2026\n',
            "auto_detect=false, delim=',', quote='\"'",
            (4, 5),
        ),
        # another delimiter, spaces and a quote before the value
        (
            'Id;Subject;Created at\n1;01/13/2026;x\n2;y; "01/13/2026"\n',
            "auto_detect=false, delim=';', quote='\"'",
            (3, 7),
        ),
        # a quote escaped with a backslash (as DuckDB sniffs it) does not end the subject
        (
            'Id,Subject,Created at\n1,"a \\" b, 01/13/2026",01/02/2026\n2,x,01/13/2026\n',
            "auto_detect=false, delim=',', quote='\"', escape='\\'",
            (3, 5),
        ),
        # a tab delimiter: an empty cell before it is no blank of the next one's
        (
            "Id\tSubject\tCreated at\tUpdated at\n1\tx\t\t01/13/2026\n2\tx\t01/13/2026\t\n",
            "auto_detect=false, delim='\t', quote=''",
            (3, 5),
        ),
    ],
    ids=["another-column", "multi-line-value", "semicolons", "backslash-escape", "tabs"],
)
def test_a_csv_value_is_found_in_its_column(
    tmp_path: Path, text: str, dialect: str, place: tuple[int, int]
) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, "utf-8")
    assert cell_at(path, COLUMNS, "Created at", "01/13/2026", dialect) == place


def test_a_json_lines_value_is_found_under_its_key(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"Id": 1, "Subject": "01/13/2026", "Created at": "01/02/2026"}\n'
        '{"Id": 2, "Subject": "x", "Created at":"01/13/2026"}\n',
        "utf-8",
    )
    assert cell_at(path, COLUMNS, "Created at", "01/13/2026") == (2, 41)


def test_a_value_in_no_cell_of_its_column_is_said_at_no_line(tmp_path: Path) -> None:
    """The same text in another column (a subject, a description quoting the date) is not
    its place: it was said as if it were, a precise line and column of the wrong cell. Line
    0 is "not known": the finding names the file (a message at a place says 1:1)."""
    path = tmp_path / "x.csv"
    path.write_text("Id,Subject,Created at\n1,01/13/2026,x\n", "utf-8")
    assert cell_at(path, COLUMNS, "Created at", "01/13/2026") == (0, 1)


def test_the_first_date_that_does_not_read_is_said_at_its_own_cell(tmp_path: Path) -> None:
    """It was at the value's first place anywhere: an 'Updated at' of an earlier line."""
    from measuring import DESK, ONE_TAG_MAP, project

    from in_process import jm_here

    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "Id,Updated at,Created at,Tags\n"
        "T-1,31.01.2026 14:05,2026-01-02 09:00,billing\n"
        "T-2,2026-01-31 15:00,31.01.2026 14:05,billing\n",
        "utf-8",
    )
    project(tmp_path, DESK.format(preset="zendesk"), {"m.yaml": ONE_TAG_MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stderr
    assert (
        "  the first date that does not read: exports/desk.csv:3:22: column 'Created at': " in result.stdout
    )


def test_a_json_lines_value_written_with_escapes_is_found_under_its_key(tmp_path: Path) -> None:
    """PHP writes a slash as \\/, Python a key's é as \\u00e9: the cell was not found, and
    the finding pointed at the file's first line."""
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"Id": 1, "Cr\\u00e9\\u00e9 le": "01\\/02\\/2026"}\n{"Id": 2, "Cr\\u00e9\\u00e9 le": "01\\/13\\/2026"}\n',
        "utf-8",
    )
    assert cell_at(path, ["Id", "Créé le"], "Créé le", "01/13/2026") == (2, 33)


def test_a_date_of_an_export_with_lines_ended_by_cr_alone_is_said_at_its_own_cell(tmp_path: Path) -> None:
    """Excel's "CSV (Macintosh)" ends each line with CR alone, which DuckDB reads: the whole
    export was taken for one line, and the date found first in any column ('Updated at' of
    the line before) was said at line 1."""
    from measuring import DESK, ONE_TAG_MAP, project

    from in_process import jm_here

    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        b"Id,Updated at,Created at,Tags\r"
        b"T-1,31.01.2026 14:05,2026-01-02 09:00,billing\r"
        b"T-2,2026-01-31 15:00,31.01.2026 14:05,billing\r"
    )
    project(tmp_path, DESK.format(preset="zendesk"), {"m.yaml": ONE_TAG_MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stderr
    assert (
        "  the first date that does not read: exports/desk.csv:3:22: column 'Created at': " in result.stdout
    ), result.stdout


def test_a_value_of_an_export_with_cr_only_line_ends_is_found_on_its_line(tmp_path: Path) -> None:
    """An export saved as "CSV (Macintosh)", its lines ended with CR alone: a value not found
    in its cell (a column it does not have) was said on line 1, at a column past the rest."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"Id,Subject,Created at\r1,x,01/02/2026\r2,y,01/13/2026\r")
    assert value_at(path, "01/13/2026") == (3, 5)
    assert cell_at(path, COLUMNS, "Due at", "01/13/2026", "auto_detect=false, new_line='\\r'") == (3, 5)


#: The dialect DuckDB sniffs of most exports (quotes doubled inside a quoted value).
_COMMAS = "auto_detect=false, delim=',', quote='\"', escape='\"', new_line='\\n'"


@pytest.mark.parametrize(
    ("data", "value", "dialect", "place"),
    [
        # a line break inside the value: each line of the file held a part of it, none all
        (b'Id,Subject,Created at\n1,"a\nb","n/a\nsee"\n', "n/a\nsee", _COMMAS, (3, 5)),
        # CRLF inside the quotes, and ending the lines
        (b'Id,Subject,Created at\r\n1,"a\r\nb","n/a\r\nsee"\r\n', "n/a\r\nsee", _COMMAS, (3, 5)),
        # quotes inside the value, doubled in the file
        (b'Id,Subject,Created at\n1,"a\nb","say ""hi"""\n', 'say "hi"', _COMMAS, (3, 5)),
        # the value after a line break and spaces inside its quotes (trimmed, as measure reads it)
        (b'Id,Subject,Created at\n1,"n/a\nx","\n   n/a \n"\n', "n/a", _COMMAS, (4, 4)),
        # cells of a line break alone before it
        (b'Id,Subject,Created at\n1,"\n","\n"\n2,"\n",n/a\n', "n/a", _COMMAS, (6, 3)),
        # a quote inside a value not quoted is a character (27" monitor), not a value's start
        (b'Id,Subject,Created at\n1,27" screen,x\n2,"a\nb, n/a",y\n3,z,n/a\n', "n/a", _COMMAS, (5, 5)),
        # text after a closing quote (a row a reader sets aside): read cell by cell, not skipped
        (b'Id,Subject,Created at\n1,"a"b,"n/a\nx"\n2,y,n/a\n', "n/a", _COMMAS, (4, 5)),
        # empty lines at the end, after a record over two lines
        (b'Id,Subject,Created at\r\n1,"a\r\nb",n/a\r\n\r\n\r\n', "n/a", _COMMAS, (3, 4)),
        # the whole cell, not one that starts with the value
        (b"Id,Subject,Created at\n1,x,n/a later\n2,x,n/a\n", "n/a", _COMMAS, (3, 5)),
        # a byte order mark, semicolons, a multi-byte character before the cell
        (
            '\ufeffId;Subject;Created at\n1;"\u00e9\n;";"n/a"\n'.encode(),
            "n/a",
            _COMMAS.replace("','", "';'"),
            (3, 5),
        ),
        # tabs, and a line break inside a quoted subject
        (b'Id\tSubject\tCreated at\n1\t"a\n\tb"\tn/a\n', "n/a", _COMMAS.replace("','", "'\t'"), (3, 5)),
        # control characters around and inside the value
        (b'Id,Subject,Created at\n1,"\x01\n\x0c","\x0bn/a\x01"\n', "n/a\x01", _COMMAS, (3, 6)),
        # lines ended with CR alone, a line break inside the quotes of a subject
        (b'Id,Subject,Created at\r1,"a\rb",n/a\r', "n/a", _COMMAS.replace("'\\n'", "'\\r'"), (3, 4)),
        # a backslash-escaped quote and a line break in the value
        (
            b'Id,Subject,Created at\n1,x,"a \\" b\nc"\n',
            'a " b\nc',
            _COMMAS.replace("escape='\"'", "escape='\\'"),
            (2, 6),
        ),
        # a backslash before a character not ASCII (four bytes), as DuckDB reads it: that character
        (
            'Id,Subject,Created at\n1,x,"n/a \\\U0001f600"\n'.encode(),
            "n/a \U0001f600",
            _COMMAS.replace("escape='\"'", "escape='\\'"),
            (2, 6),
        ),
        # a backslash before an ideographic space (three bytes) before the value: a blank
        (
            'Id,Subject,Created at\n1,x,"\\\u3000n/a"\n'.encode(),
            "n/a",
            _COMMAS.replace("escape='\"'", "escape='\\'"),
            (2, 8),
        ),
        # a quote after a tab, or two spaces, is a character, as DuckDB reads it: no value's start
        (b'Id,Subject,Created at\n1,\t"a,x\n2,x,n/a\n3,b",n/a\n', "n/a", _COMMAS, (3, 5)),
        (b'Id,Subject,Created at\n1,  "a,x\n2,x,n/a\n3,b",n/a\n', "n/a", _COMMAS, (3, 5)),
        # after one space, a value's start: the lines below are its text
        (b'Id,Subject,Created at\n1, "a,x\n2,x,n/a\n3,b",n/a\n', "n/a", _COMMAS, (4, 6)),
        # the header is no row: a cell that holds its column's name (a header over two lines)
        (b'Id,"Sub\nject",Created at\n1,x,Created at\n', "Created at", _COMMAS, (3, 5)),
        # lines DuckDB skips before the header are no rows either
        (b"junk\njunk,x,n/a\nId,Subject,Created at\n1,x,n/a\n", "n/a", _COMMAS + ", skip=2", (4, 5)),
        # the file ends inside the cell's quotes: its text up to the end is the cell's
        (b'Id,Subject,Created at\n1,x,"n/a\n', "n/a", _COMMAS, (2, 6)),
        # the value in no cell of its column: in a description, never its place
        (b'Id,Subject,Created at\n1,"see\nn/a",x\n', "n/a", _COMMAS, (0, 1)),
    ],
    ids=[
        "line-break-in-value",
        "crlf-in-value",
        "doubled-quotes",
        "after-a-line-break",
        "line-break-cells",
        "inch-mark",
        "text-after-a-closing-quote",
        "empty-last-lines",
        "whole-cell",
        "bom-semicolons",
        "tabs",
        "control-characters",
        "cr-only",
        "backslash-escape-and-line-break",
        "backslash-before-an-emoji",
        "backslash-before-an-ideographic-space",
        "a-quote-after-a-tab",
        "a-quote-after-two-spaces",
        "a-quote-after-a-space",
        "header-over-two-lines",
        "lines-skipped",
        "ends-inside-quotes",
        "in-no-cell",
    ],
)
def test_a_cell_over_several_lines_is_found_at_its_own_line(
    tmp_path: Path, data: bytes, value: str, dialect: str, place: tuple[int, int]
) -> None:
    """Quoted cells over several lines (help-desk descriptions) before the value, or the
    value's own: it was at line 0 (said without one), at the line counted as if each record
    were one, or at the same text in another column."""
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert cell_at(path, COLUMNS, "Created at", value, dialect) == place
