"""Where measure says a finding of an export's cell is: the physical line and column of the
file where the cell's value starts, counted right when help-desk exports have quoted cells
over several lines (descriptions, comments), CRLF line ends, a byte order mark, doubled
quotes, or a quote inside a value not quoted (27" monitor). A multi-line value, or one with
a doubled quote, was said without a line; a quote inside a subject threw every later line's
count off, and the finding was said inside another ticket's description."""

from __future__ import annotations

from pathlib import Path

import pytest
from measuring import ONE_TAG_MAP, project

from in_process import jm_here


def _measure(root: Path, preset: str, text: str) -> str:
    """``text`` as the export of a ``preset`` source, measured; what the run said, its exit
    code first (``2: ...``)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    toml = f'[sources.desk]\npreset = "{preset}"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
    project(root, toml, {"m.yaml": ONE_TAG_MAP})
    result = jm_here(root, "measure")
    return f"{result.returncode}: {result.stdout}{result.stderr}"


#: Zendesk's columns, a description last, and two tickets whose dates read.
ZENDESK = (
    "Id,Subject,Created at,Tags,Description\n"
    'T-1,Refund,2026-01-02 09:00,billing,"Customer wrote:\n""charged twice""\nn/a"\n'
    "T-2,Login,2026-01-03 09:00,billing,x\n"
)


def test_a_date_over_two_lines_is_said_at_its_line(tmp_path: Path) -> None:
    """A date cell with a line break in it ('n/a' and a note): said without a line."""
    said = _measure(tmp_path, "zendesk", ZENDESK + 'T-3,"a\nb","n/a\nsee below",billing,x\n')
    assert (
        "  the first date that does not read: exports/desk.csv:7:5: column 'Created at': 'n/a\\nsee below' "
        in said
    ), said


def test_a_date_with_doubled_quotes_is_said_at_its_line(tmp_path: Path) -> None:
    """A date cell holding quotes, doubled in the file: said without a line."""
    said = _measure(tmp_path, "zendesk", ZENDESK + 'T-3,"a\nb","""pending""",billing,x\n')
    assert (
        "  the first date that does not read: exports/desk.csv:7:5: column 'Created at': '\"pending\"' "
        in said
    ), said


def test_a_date_after_a_quoted_line_break_is_said_at_its_own_line(tmp_path: Path) -> None:
    """A date cell whose value starts on its second line (a line break, spaces, then 'n/a'):
    it was said where 'n/a' first is anywhere, the last line of the first description."""
    said = _measure(tmp_path, "zendesk", ZENDESK + 'T-3,x,"\n   n/a\n",billing,x\n')
    assert "  the first date that does not read: exports/desk.csv:7:4: column 'Created at': 'n/a' " in said, (
        said
    )


def test_a_date_after_crlf_lines_a_bom_and_semicolons_is_said_at_its_line(tmp_path: Path) -> None:
    """Excel's CSV for a French locale: a byte order mark, CRLF line ends (LF alone inside its
    quoted cells, as Excel writes them), semicolons between cells."""
    text = (
        "\ufeffId;Subject;Created at;Tags;Description\r\n"
        'T-1;"Remboursement;\nurgent";2026-01-02 09:00;billing;"Le client a écrit :\n""deux fois"""\r\n'
        'T-3;x;"n/a;\n""voir""";billing;x\r\n'
    )
    said = _measure(tmp_path, "zendesk", text)
    assert "  the first date that does not read: exports/desk.csv:5:8: column 'Created at': " in said, said


def test_a_date_against_the_export_s_order_after_an_unquoted_inch_mark_is_said_at_its_line(
    tmp_path: Path,
) -> None:
    """A Jira export, its summary '27" monitor flickers' not quoted (DuckDB reads its quote as
    a character), a description holding lines pasted from another export: the quote was taken
    for the start of a value, and JM010 was said inside the description (5:7)."""
    text = (
        "\ufeffIssue key,Summary,Created,Resolved,Labels,Description\r\n"
        'T-0,27" monitor flickers,25/03/2026 10:00,,billing,plain\r\n'
        'T-1,Refund,27/03/2026 10:00,,billing,"Customer wrote:\r\n'
        'I was charged twice, ""see"",\r\n'
        'T-9,x,03/26/2026 10:00,,billing,then again"\r\n'
        "T-2,Login,03/26/2026 10:00,,billing,x\r\n"
        "T-3,Other,01/03/2026 10:00,,billing,y\r\n"
    )
    said = _measure(tmp_path, "jira-service-management", text)
    assert said.startswith(
        "2: exports/desk.csv:6:11: JM010 [unreadable-source] error: source 'desk': '03/26/2026 10:00' "
        "(column 'Created') reads only month first"
    ), said
    assert "the first '25/03/2026 10:00' (column 'Created', line 2 of desk.csv)" in said, said


def test_a_line_set_aside_after_rows_over_several_lines_is_said_at_its_own_line(tmp_path: Path) -> None:
    """A row of more cells than the header, after descriptions over several lines: DuckDB
    counts rows, and the line said was that many lines early (4, inside a description)."""
    text = (
        "\ufeffId,Subject,Created at,Tags\r\n"
        'T-1,"a\r\nb\r\nc",2026-01-02 09:00,billing\r\n'
        'T-2,"d\ne",2026-01-03 09:00,billing\r\n'
        "T-3,x,2026-01-03 09:00,billing,extra,more\r\n"
        "T-4,x,2026-01-04 09:00,billing\r\n"
    )
    said = _measure(tmp_path, "zendesk", text)
    assert "  the first line that is not a CSV row: exports/desk.csv:7: Expected Number of Columns" in said, (
        said
    )


def test_a_date_after_rows_set_aside_is_said_at_the_row_read(tmp_path: Path) -> None:
    """Rows DuckDB sets aside (a cell more than the header, one over two lines; a cell fewer)
    hold the same date as the row it reads: the finding was said at the first of them (6:11),
    a row measure never read."""
    text = (
        ZENDESK
        + 'T-3,Login,n/a,billing,"a note\nover two lines",extra\n'
        + "T-5,Login,n/a,billing\n"
        + "T-6,Other,n/a,billing,x\n"
    )
    said = _measure(tmp_path, "zendesk", text)
    assert "2 lines that are not CSV rows: not counted" in said, said
    assert (
        "  the first date that does not read: exports/desk.csv:9:11: column 'Created at': 'n/a' " in said
    ), said


def test_a_date_after_a_quote_behind_a_tab_is_said_at_its_line(tmp_path: Path) -> None:
    """A subject pasted with a tab before its quote: DuckDB reads that quote as a character
    (only spaces may come before a value's opening quote), the lookup took it for the start
    of a value that ran to the next quote (5" screen), and the date was said without a line."""
    text = (
        'Id,Subject,Created at,Tags,Description\nT-0,"Refund, again",2026-01-02 09:00,billing,"a\nb"\n'
        'T-1,\t"Refund,2026-01-02 09:00,billing,x\nT-2,Login,n/a,billing,x\nT-3,5" screen,n/a,billing,y\n'
    )
    said = _measure(tmp_path, "zendesk", text)
    assert (
        "  the first date that does not read: exports/desk.csv:5:11: column 'Created at': 'n/a' " in said
    ), said


def test_a_date_that_reads_as_its_column_s_name_is_said_at_its_row(tmp_path: Path) -> None:
    """A ticket whose date cell holds the column's name (a row pasted from a header): the
    header row was read as a record, and the finding said at line 1."""
    said = _measure(tmp_path, "zendesk", ZENDESK + "T-3,Login,Created at,billing,x\n")
    assert (
        "  the first date that does not read: exports/desk.csv:6:11: column 'Created at': 'Created at' "
        in said
    ), said


#: A Zendesk export whose subjects escape their quotes with a backslash: DuckDB sniffs that
#: escape, and reads a backslash before any character as that character.
ESCAPED = 'Id,Subject,Created at,Tags,Description\nT-1,"Refund \\"now\\"",2026-01-02 09:00,billing,x\n'


def test_a_date_with_a_backslash_before_a_letter_not_ascii_is_said_at_its_cell(tmp_path: Path) -> None:
    """A path pasted into a date cell (C:\\Ébauches): DuckDB reads it without its backslashes,
    and that text, not in the file, was said without a line."""
    said = _measure(tmp_path, "zendesk", ESCAPED + 'T-2,Login,"voir C:\\Ébauches\\été",billing,x\n')
    assert (
        "  the first date that does not read: exports/desk.csv:3:12: column 'Created at': 'voir C:Ébauchesété' "
        in said
    ), said


def test_a_date_after_a_backslash_and_a_space_not_ascii_is_said_where_it_starts(tmp_path: Path) -> None:
    """A no-break space after a backslash before the date: the space, read a byte at a time,
    was not taken for one, and the date was said a column early, at the space."""
    said = _measure(tmp_path, "zendesk", ESCAPED + 'T-2,Login,"\\\u00a031.01.2026 14:05",billing,x\n')
    assert (
        "  the first date that does not read: exports/desk.csv:3:14: column 'Created at': '31.01.2026 14:05' "
        in (said)
    ), said


def _tickets(rows: int, bad: int, tags: bytes, nl: bytes = b"\n") -> tuple[str, int]:
    """A Zendesk export of ``rows`` tickets, each with a description over three lines, the
    ``bad``-th (from 0) tagged ``tags``, its lines ended with ``nl``; and the line that ticket
    starts on."""
    out = [b"Id,Subject,Created at,Tags,Description" + nl]
    for i in range(rows):
        tag = tags if i == bad else b"billing"
        out.append(
            b'T-%d,x,2026-01-%02d 09:00,%s,"Customer wrote:%s""it broke""%send"%s'
            % (i, 1 + i % 28, tag, nl, nl, nl)
        )
    return b"".join(out).decode("utf-8", "surrogateescape"), 2 + 3 * bad


def _measure_bytes(root: Path, text: str) -> str:
    """``_measure`` of a Zendesk export of bytes that may not be UTF-8 (as ``surrogateescape``)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    toml = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
    project(root, toml, {"m.yaml": ONE_TAG_MAP})
    result = jm_here(root, "measure")
    return f"{result.returncode}: {result.stdout}{result.stderr}"


def test_a_quote_left_open_past_the_sniff_after_rows_over_several_lines_is_said_at_its_line(
    tmp_path: Path,
) -> None:
    """A quote never closed past what DuckDB's sniffer reads (1.6 MB in), after tickets whose
    descriptions span three lines: said at line 22,002, DuckDB's count of rows, not 66,002."""
    text, line = _tickets(25_000, 22_000, b'"billing')
    said = _measure_bytes(tmp_path, text)
    assert said.startswith(
        f"2: exports/desk.csv:{line}:28: JM010 [unreadable-source] error: source 'desk': desk.csv cannot be "
        "read as CSV: the quote that opens this value is not closed where the value ends"
    ), said[:300]


def test_a_byte_not_utf8_past_the_first_mb_after_rows_over_several_lines_is_said_at_its_line(
    tmp_path: Path,
) -> None:
    """A Latin-1 é in a tag past the first MB (which measure reads itself), after tickets whose
    descriptions span three lines: said at DuckDB's count of rows, a third of its line."""
    text, line = _tickets(25_000, 22_000, b"caf\xe9")
    said = _measure_bytes(tmp_path, text)
    assert said.startswith(
        f"2: exports/desk.csv:{line}:31: JM010 [unreadable-source] error: source 'desk': desk.csv is not "
        f"UTF-8 (byte 0xe9 at line {line}, in its column 'Tags'"
    ), said[:300]


@pytest.mark.parametrize("nl", [b"\r", b"\r\n"], ids=["cr-only", "crlf"])
@pytest.mark.parametrize("rows", [50, 25_000], ids=["in-the-head", "past-the-head"])
@pytest.mark.parametrize(
    ("tags", "said"),
    [
        (b'"billing', "cannot be read as CSV: the quote that opens this value is not closed"),
        (b"caf\xe9", "is not UTF-8 (byte 0xe9 at line {line}"),  # said at the é
    ],
    ids=["quote-left-open", "byte-not-utf8"],
)
def test_a_quote_left_open_or_a_byte_not_utf8_is_said_at_its_column_whatever_the_line_ends(
    tmp_path: Path, nl: bytes, rows: int, tags: bytes, said: str
) -> None:
    """An export saved as "CSV (Macintosh)" (CR alone ends its lines, and the lines of its
    descriptions) or by Windows (CRLF): its lines were counted by LF alone, and a quote left
    open or a Latin-1 é was said at line 1 and a column past a thousand (in the first MB, which
    measure reads itself), or past it a line early and a column late (the CR before the row
    taken for its first character). Said at the quote or the é, as in an export of LF lines."""
    text, line = _tickets(rows, rows - 30, tags, nl)
    data = text.encode("utf-8", "surrogateescape")
    at = data.index(b"," + tags) + 1 + (3 if tags.startswith(b"caf") else 0)
    column = len(data[data.rindex(nl[-1:], 0, at) + 1 : at].decode()) + 1
    out = _measure_bytes(tmp_path, text)
    assert out.startswith(
        f"2: exports/desk.csv:{line}:{column}: JM010 [unreadable-source] error: source 'desk': desk.csv "
        + said.format(line=line)
    ), out[:300]


def test_a_byte_not_utf8_in_the_header_after_a_byte_order_mark_is_said_at_its_column(tmp_path: Path) -> None:
    """Excel's "Créé le" saved as Latin-1 after a byte order mark: the mark was counted as a
    column (1:15), as no other finding of the header counts it."""
    text = "\ufeffId,Subject,Cr\udce9\udce9 le,Tags,Description\nT-1,Cafe,2026-01-02 09:00,billing,x\n"
    said = _measure_bytes(tmp_path, text)
    assert said.startswith(
        "2: exports/desk.csv:1:14: JM010 [unreadable-source] error: source 'desk': desk.csv is not UTF-8"
    ), said[:300]
