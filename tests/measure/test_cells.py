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


def test_a_value_not_in_its_column_is_where_it_first_is(tmp_path: Path) -> None:
    """As it was found before: a place near it, not none."""
    path = tmp_path / "x.csv"
    path.write_text("Id,Subject,Created at\n1,01/13/2026,x\n", "utf-8")
    assert cell_at(path, COLUMNS, "Created at", "01/13/2026") == (2, 3)


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
