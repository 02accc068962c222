"""Exports that are not UTF-8 past the head measure looks at (its first MB). DuckDB sets
each such CSV line aside ("Invalid unicode"), one with such a byte in a column measure
reads: a Zendesk export re-saved by Excel as Windows-1252 lost every ticket whose tag or
group had an accent, said only as lines that are not CSV rows. A JSON Lines export fails
at its first ("line 6002 is not JSON: invalid UTF-8 encoding in string")."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from journeymaps.measure.line_ends import line_at, newline_of
from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.sources import MeasureError, SourceConfig, sql_string

#: How an export saved otherwise is saved as UTF-8.
SAVE_AS_UTF8 = "save it as UTF-8 (in Excel: Save As, CSV UTF-8)"


def not_utf8_lines(con: Any, cfg: SourceConfig, own: list[Path]) -> None:
    """MeasureError at the first byte that is not UTF-8 on a CSV line DuckDB set aside for
    it, among the source's ``own`` files, with how many of that file's lines it set aside so.
    measure has no setting for another encoding: the export is to be saved as UTF-8."""
    import duckdb

    files = ", ".join(sql_string(str(p)) for p in own) or "NULL"
    rejects = (
        "FROM reject_errors AS e JOIN reject_scans AS s USING (scan_id, file_id) "
        f"WHERE e.error_type = 'INVALID ENCODING' AND s.file_path IN ({files})"
    )
    try:
        found = run_duckdb(
            con,
            "SELECT s.file_path AS path, e.line AS line, e.line_byte_position AS at, e.column_name AS col, "
            f"COUNT(DISTINCT e.line) OVER (PARTITION BY s.file_path) AS n {rejects} "
            "ORDER BY s.file_path, e.line LIMIT 1",
        )
    except duckdb.CatalogException:  # no CSV was read
        return
    if not found:
        return
    path, line, lines = Path(found[0]["path"]), int(found[0]["line"]), int(found[0]["n"])
    byte, line, column = _first_bad_byte(path, int(found[0]["at"]), line)
    said = f"byte 0x{byte:02x} at line {line}" if byte is not None else f"line {line}"
    those = "1 line" if lines == 1 else f"{lines:,} lines"
    raise MeasureError(
        f"source '{cfg.name}': {path.name} is not UTF-8 ({said}, in its column '{found[0]['col']}': saved as "
        f"Latin-1 or Windows-1252?): {those} of it with such a byte in a column measure reads would not "
        f"be measured. measure reads UTF-8 only: {SAVE_AS_UTF8}",
        file=path,
        line=line,
        column=column,
    )


def _first_bad_byte(path: Path, at: int, line: int) -> tuple[int | None, int, int]:
    """The first byte that is not UTF-8 of the row DuckDB says starts near ``at`` (its
    ``line_byte_position``, one past the row's start) on ``line``, and its line and column
    (a quoted value may span lines); (None, ``line``, 1) when it cannot be found."""
    try:
        with path.open("rb") as f:
            f.seek(begin := max(0, at - 2))
            text = f.read((1 << 20) + 2)
    except OSError:
        return None, line, 1
    nl = newline_of(path)  # CR alone ("CSV (Macintosh)"): its CR was taken for the line's start
    start = text.rfind(nl, 0, min(at, 2)) + 1
    text = text[start:]
    # DuckDB's line counts rows: after descriptions over several lines, it was that many
    # lines early; the line is counted where the row starts
    line = line_at(path, begin + start) or line
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a character cut by the chunk's end
            return None, line, 1
        before = text[: exc.start]
        start = before.rfind(nl) + 1
        return text[exc.start], line + before.count(nl), len(before[start:].decode("utf-8")) + 1
    return None, line, 1


def json_not_utf8(cfg: SourceConfig, path: Path, line: int) -> MeasureError:
    """A JSON Lines export that DuckDB found not UTF-8 on ``line``, at its first such byte."""
    try:
        with path.open("rb") as f:
            text = next(itertools.islice(f, line - 1, None), b"")
    except OSError:
        text = b""
    at = None
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start
    said = f"byte 0x{text[at]:02x} at line {line}" if at is not None else f"line {line}"
    return MeasureError(
        f"source '{cfg.name}': {path.name} is not UTF-8 ({said}: saved as Latin-1 or Windows-1252?), "
        "and measure reads UTF-8 only: save it as UTF-8",
        file=path,
        line=line,
        column=len(text[: at or 0].decode("utf-8")) + 1,
    )
