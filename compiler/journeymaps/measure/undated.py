"""A file source's rows without a date that reads: the first such date, at its file, line
and column, with the formats read; and the rows that are the export's header row again
(monthly exports joined with their headers), said as what they are."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymaps.measure.cells import cell_at, value_at
from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.read_errors import FileRead
from journeymaps.measure.sources import (
    MeasureError,
    Resolved,
    SourceConfig,
    canonical_for,
    header_again,
    reader_sql,
    resolve,
)
from journeymaps.settings import toml_string


@dataclass
class Undated:
    """The first date of a source that does not read: where, and the words for it."""

    path: Path
    line: int  # 0: not known (a Parquet file)
    column: int
    header: str  # the export's column it is in
    value: str
    formats: tuple[str, ...]  # those named in the settings, beside ISO 8601

    def said(self, *, line: bool = True) -> str:
        """'VALUE' at line N is in none of the formats read, ...: what is wrong with it
        (``line``: with its line, for a message not already at it)."""
        named = f" and {', '.join(self.formats)}" if self.formats else ""
        return (
            f"'{self.value[:60]}'{f' at line {self.line}' if self.line and line else ''} is in none of the "
            f"formats read, ISO 8601 (2026-01-31 14:05:00){named}"
        )


@dataclass
class HeadersAgain:
    """A source's rows that are its header row again (monthly exports joined by ``cat``, each
    with its header): per file, the first such line and how many; and per header, the values
    of theirs that do not read. They were a malformed row, values that did not read in every
    column, and "the first date that does not read" at line 1, the header itself."""

    files: list[tuple[Path, int, int]] = field(default_factory=list)
    bad: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(n for _, _, n in self.files)


def find_undated(
    con: Any, cfg: SourceConfig, rows: list[dict[str, Any]], files: Mapping[Path, FileRead], longest: int
) -> tuple[Undated | None, HeadersAgain]:
    """The first date of the source that does not read, when some rows have none (their
    dates, or their ids: then None); a source none of whose rows has a date it reads is an
    error (MeasureError). It was "N rows without a readable id or date", and exit 0 when
    there were no dated rows at all, with no value to look at nor a word of formats.
    A date that is its column's name is the header row again: those rows are found (the
    files read again, only then) and the first date looked for among the others."""
    totals = [r for r in rows if int(r["sel"]) == 0]
    size = sum(int(r.get("contacts") or r.get("responses") or 0) for r in totals)
    unread = sum(int(r["bad__row"] or 0) for r in totals)
    again = HeadersAgain()
    if not unread:
        return None, again
    found = _undated_value(con, cfg, files, longest)
    if found is not None and found.value == found.header:
        again = _headers_again(con, cfg, files, longest)
        unread, size = unread - again.rows, size - again.rows
        found = _undated_value(con, cfg, files, longest, skip_headers=True) if unread > 0 else None
    if found is None and unread >= size and (blank := _blank_dates(con, cfg, files, longest)) is not None:
        path, column = blank
        line, at = value_at(path, column)
        raise MeasureError(
            f"source '{cfg.name}': column '{column}' of {path.name} is blank in every row: no "
            f"{'response' if cfg.kind == 'survey' else 'ticket'} has a date to be counted in a month. "
            "Export it with its dates, or map the column that has them "
            f'under [sources.{cfg.name}.columns]: created = "..."',
            file=path,
            line=max(line, 1),
            column=at,
        )
    if found is not None and unread >= size:
        raise MeasureError(
            f"source '{cfg.name}': no date of column '{found.header}' could be read: {found.said()}. "
            f"Name the export's under [sources.{cfg.name}.columns]: "
            f'created = {{column = {toml_string(found.header)}, format = "..."}}, '
            'a strptime format such as "%d/%m/%Y %H:%M".',
            file=found.path,
            line=max(found.line, 1),
            column=found.column,
        )
    return found, again


def _scans(
    cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int
) -> Iterator[tuple[Path, Resolved, str]]:
    """Each file of the source ``cfg``, its columns matched to the preset's and the SQL that
    reads it (what each look at a source's dates and headers starts from)."""
    for path, read in files.items():
        if read.source.name != cfg.name:
            continue
        res = resolve(cfg, list(read.types), path.name, canonical_for(cfg), path)
        yield path, res, reader_sql(path, line_bytes=longest, columns=list(read.types), dialect=read.dialect)


def _blank_dates(
    con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int
) -> tuple[Path, str] | None:
    """The first file of the source and its date column, when that column is blank (empty,
    or spaces) in every row of every file of it: no date to say "does not read" of, it was
    "N rows without a readable id or date", a snapshot of no month and exit 0."""
    first: tuple[Path, str] | None = None
    for path, res, scan in _scans(cfg, files, longest):
        column, text = res.raw["created"]
        if run_duckdb(con, f"SELECT 1 AS v FROM {scan} WHERE TRIM({text}) <> '' LIMIT 1"):
            return None
        first = first or (path, column)
    return first


def _headers_again(con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int) -> HeadersAgain:
    """The rows of the source's files that are their header row again (see HeadersAgain)."""
    again = HeadersAgain()
    for path, res, scan in _scans(cfg, files, longest):
        if "id" not in res.raw:
            continue
        bad = list(res.bad.items())
        counts = "".join(f", COUNT(*) FILTER (WHERE {expr}) AS b{i}" for i, (_, expr) in enumerate(bad))
        found = run_duckdb(
            con, f"SELECT COUNT(*) AS n{counts} FROM {res.over(scan)} WHERE {header_again(res.raw)}"
        )[0]
        if not found["n"]:
            continue
        again.files.append((path, _header_line_again(path), int(found["n"])))
        for i, (header, _) in enumerate(bad):
            again.bad[header] = again.bad.get(header, 0) + int(found[f"b{i}"] or 0)
    return again


def _header_line_again(path: Path) -> int:
    """The first line after the first that is the first again (its byte order mark aside);
    0 when none is (a header row written otherwise, a JSON Lines file)."""
    first: bytes | None = None
    try:
        with path.open("rb") as f:
            for number, text in enumerate(f, 1):
                text = text.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
                if first is None:
                    first = text
                elif text == first:
                    return number
    except OSError:
        pass
    return 0


def _undated_value(
    con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int, skip_headers: bool = False
) -> Undated | None:
    """The source's first date that does not read, in the first of its files that has one
    (``skip_headers``: not in a row that is the header again)."""
    for path, res, scan in _scans(cfg, files, longest):
        column, text = res.raw["created"]
        unread = f"{text} IS NOT NULL AND ({res.exprs['created']}) IS NULL"
        if skip_headers and "id" in res.raw:
            unread += f" AND NOT COALESCE({header_again(res.raw)}, FALSE)"
        found = run_duckdb(con, f"SELECT {text} AS v FROM {res.over(scan)} WHERE {unread} LIMIT 1")
        if not found:
            continue  # this file's dates read (its ids do not)
        value = str(found[0]["v"])
        line, at = cell_at(path, list(files[path].types), column, value, files[path].dialect)
        return Undated(path, line, at, column, value, tuple(cfg.fields["created"].formats))
    return None
