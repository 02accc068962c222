"""Dates written with the day and the month both as numbers (05/12/2026), which read either
way round. A preset reads them one way (Zendesk's, Freshdesk's, HubSpot's and Intercom's
month first, Jira's day first); an export written the other way (an agent's locale) whose
days are all 12 or less read without a fault, every ticket moved to another month. A date
whose first or second number is over 12 says which way round the export writes them; none
that does is said.

Every time column the source reads is looked at (a HubSpot or Jira export's close and first
response dates as well as its creation), and the export's columns together settle one order:
one desk writes its dates one way round, and a spreadsheet re-saving an export in its locale
writes every date column so. A close date column of open tickets, its few dates all of 12
or less, is so read as the creation dates say, not stopped at; and a date that only reads
the other way round than the export's others is no date "in none of the formats read" but
one that contradicts them, said at its cell."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from journeymaps.measure.cells import cell_at
from journeymaps.measure.presets import CUSTOM_READS
from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.read_errors import FileRead
from journeymaps.measure.sources import (
    FILE_KINDS,
    TIME_READS,
    MeasureError,
    SourceConfig,
    canonical_for,
    reader_sql,
    resolve,
)
from journeymaps.settings import toml_string

#: A date of two numbers and a year, either way round, at a value's start.
_NUMBERS = r"^([0-9]{1,2})/([0-9]{1,2})/[0-9]{2,4}([ T]|$)"
#: The same in an export's first MB: where none is, the export is not read again for them.
_IN_HEAD = re.compile(rb"(^|[,;\t\"])[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}[ T\",;\t\r\n]", re.M)
#: A format's start that reads such a date, and which way round it reads it.
_WAYS = {"%m/%d/": "month first", "%d/%m/": "day first"}
#: Which number over 12 says which way round a date is written: its first (no month) says
#: day first, its second month first (``v1``, ``v2`` of :data:`_NUMBERS`' extract).
_OVER = {"day first": "v1", "month first": "v2"}

#: A value found: its file, the export's column and the value.
Cell = tuple[Path, str, str]


def numeric_dates(path: Path, head: bytes) -> bool:
    """Whether an export may hold such a date: a CSV or JSON Lines export whose head (its
    first MB, as read for its checks) holds one; any Parquet export, whose dates are looked
    at when their column is text (see :func:`day_or_month`). A Parquet file's head is its
    compressed bytes: its text dates were never checked, and a 01/13/2026 read day first
    was a ticket counted in another month, without a word."""
    return FILE_KINDS[path.suffix.lower()] == "parquet" or _IN_HEAD.search(head) is not None


@dataclass
class _Column:
    """A time field the source reads with a format that takes numbers one way round, and
    what its columns hold over the source's files."""

    name: str  # the canonical field: created, first_reply, resolution...
    fmt: str  # its format that reads such a date (%m/%d/%Y %H:%M)
    named: bool  # named under [sources.NAME.columns], not the preset's
    read: str  # its reader (timestamp, timestamp_since)
    #: By way round: how many of its dates read only that way, and the first.
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_OVER, 0))
    only: dict[str, Cell] = field(default_factory=dict)
    first: Cell | None = None  # its first date that reads either way round

    @property
    def way(self) -> str:
        return _WAYS[self.fmt[:6]]


def _columns(cfg: SourceConfig) -> list[_Column]:
    """The source's time fields read by such a format, the creation's first."""
    named = cfg.settings.get("columns", {})
    found = []
    for name, spec in sorted(cfg.fields.items(), key=lambda item: item[0] != "created"):
        fmt = next((f for f in spec.formats if f[:6] in _WAYS), None)
        if spec.read not in TIME_READS or fmt is None:
            continue
        own = named.get(name)
        found.append(_Column(name, fmt, isinstance(own, Mapping) and "format" in own, spec.read))
    return found


def day_or_month(con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int) -> None:
    """MeasureError when a time column of the source is read by a format that takes its
    dates one way round and the export's dates say they are written the other way
    (01/13/2026 read day first: the dates of 12 or less were each counted in another month,
    the others not at all, exit 0); when the export's dates say both ways (25/03/26 and
    03/25/26: the one that reads only the way the others do not); or when none says which
    way, and the format is a preset's (one the settings name is theirs to know)."""
    columns = _columns(cfg)
    if not columns:
        return
    for path, read in files.items():
        if read.source.name == cfg.name and read.numeric_dates:
            _look(con, cfg, path, read, columns, longest)
    counts = {way: sum(c.counts[way] for c in columns) for way in _OVER}
    if all(counts.values()):
        _contradiction(cfg, files, columns, counts)
    settled = next((way for way, n in counts.items() if n), None)
    # where no date says, a format the settings name says how the export writes them all
    declared = next((c for c in columns if c.named and c.first is not None), None)
    for c in columns:
        if c.first is None and not any(c.counts.values()):
            continue  # no date of two numbers (or none of a day, 31/31/2026)
        if settled is not None and c.way != settled:
            _wrong(cfg, files, columns, c, settled)
        if settled is None and not c.named and declared is not None and declared.way != c.way:
            _wrong(cfg, files, columns, c, declared.way, declared)
        if settled is None and not c.named and declared is None:
            _ambiguous(cfg, files, c)


def _look(
    con: Any, cfg: SourceConfig, path: Path, read: FileRead, columns: list[_Column], longest: int
) -> None:
    """Add what ``path``'s time columns hold to ``columns``: one scan of the file for all."""
    res = resolve(cfg, list(read.types), path.name, canonical_for(cfg), path)
    parquet = FILE_KINDS[path.suffix.lower()] == "parquet"
    here: list[tuple[_Column, str]] = []  # each column looked at and the export's name of it
    inner: list[str] = []
    middle: list[str] = []
    outer: list[str] = []
    for i, c in enumerate(columns):
        if c.name not in res.raw:
            continue
        header, text = res.raw[c.name]
        if parquet and read.types.get(header) != "VARCHAR":
            continue  # a Parquet date or timestamp: no way round to read
        here.append((c, header))
        # its text and its two numbers, each found once a row in the file's scan
        inner.append(f"{text} AS t{i}, REGEXP_EXTRACT({text}, '{_NUMBERS}', ['v1', 'v2']) AS n{i}")
        middle.append(f"t{i}, TRY_CAST(n{i}.v1 AS INTEGER) AS x{i}, TRY_CAST(n{i}.v2 AS INTEGER) AS y{i}")
        # a date of two numbers of 12 or less reads either way; one of 13 to 31 and one of 12
        # or less only one way; 31/31/2026 neither, no evidence (a date in no format read)
        outer.append(f"FIRST(t{i}) FILTER (WHERE x{i} BETWEEN 1 AND 12 AND y{i} BETWEEN 1 AND 12) AS a{i}")
        for day, month, v in ((f"x{i}", f"y{i}", "v1"), (f"y{i}", f"x{i}", "v2")):
            only = f"{day} BETWEEN 13 AND 31 AND {month} BETWEEN 1 AND 12"
            outer.append(
                f"COUNT(*) FILTER (WHERE {only}) AS {v}_{i}, FIRST(t{i}) FILTER (WHERE {only}) AS f{v}_{i}"
            )
    if not here:
        return
    scan = reader_sql(path, line_bytes=longest, columns=list(read.types), dialect=read.dialect)
    numbers = f"SELECT {', '.join(middle)} FROM (SELECT {', '.join(inner)} FROM {scan})"
    found = run_duckdb(con, f"SELECT {', '.join(outer)} FROM ({numbers})")[0]
    for c, header in here:
        i = columns.index(c)
        if found[f"a{i}"] is not None and c.first is None:
            c.first = (path, header, str(found[f"a{i}"]))
        for way, v in _OVER.items():
            c.counts[way] += int(found[f"{v}_{i}"] or 0)
            if found[f"f{v}_{i}"] is not None and way not in c.only:
                c.only[way] = (path, header, str(found[f"f{v}_{i}"]))


def _contradiction(
    cfg: SourceConfig, files: Mapping[Path, FileRead], columns: list[_Column], counts: Mapping[str, int]
) -> NoReturn:
    """MeasureError at the first date that reads only the way round fewer of the export's
    dates do (03/25/26 among 25/03/26's): it was "in none of the formats read", as if its
    format were unknown, when the export's other dates say it is the odd one."""
    # the more dates say it, the surer; on a tie, the way the creation's format reads
    settled = max(_OVER, key=lambda way: (counts[way], way == columns[0].way))
    odd = _other(settled)
    path, header, value = next(c.only[odd] for c in columns if odd in c.only)
    example = next(c.only[settled] for c in columns if settled in c.only)
    _, ex_header, ex_value = example
    where = _where(files, example)
    raise _said(
        files[path],
        path,
        header,
        value,
        f"source '{cfg.name}': '{value[:40]}' (column '{header}') reads only {odd}: read {settled}, "
        f"{_over(value, odd)} would be its month. The export's other dates settle its order as "
        f"{settled}: {counts[settled]} read only so, the first '{ex_value[:40]}' (column '{ex_header}', "
        f"{where}). A desk writes its dates one way round: this one is wrong, or the export joins "
        f"dates of two locales ({counts[odd]} read only {odd}). Correct it, or export the dates "
        "again in one format (ISO 8601: 2026-03-25 10:00).",
    )


def _wrong(
    cfg: SourceConfig,
    files: Mapping[Path, FileRead],
    columns: list[_Column],
    c: _Column,
    written: str,
    declared: _Column | None = None,
) -> NoReturn:
    """MeasureError at ``c``'s dates, read the other way round than the export writes them
    (``written``: as its dates say, or as the format named for ``declared`` reads them)."""
    way, swapped = c.way, _swapped(c.fmt)
    if written in c.only:  # its own dates say so
        path, header, value = c.only[written]
        place = "first" if written == "day first" else "second"
        raise _said(
            files[path],
            path,
            header,
            value,
            f"source '{cfg.name}': the dates of column '{header}' are written {written}: "
            f"'{value[:40]}' has {_over(value, written)} as its {place} number, no month. "
            f"{_whose(cfg, c)}: each date of a day of 12 or less would be counted in another month, "
            f"the others not at all. Name the export's format under [sources.{cfg.name}.columns]: "
            f"{_setting(c, header, swapped)}.",
        )
    assert c.first is not None  # only a column with such dates is said
    path, header, value = c.first
    if declared is not None:
        why = (
            f"the format named for {declared.name} under [sources.{cfg.name}.columns] reads them so "
            f"({declared.fmt})"
        )
    else:
        example = next(d.only[written] for d in columns if written in d.only)
        place = "first" if written == "day first" else "second"
        why = (
            f"'{example[2][:40]}' (column '{example[1]}', {_where(files, example)}) has "
            f"{_over(example[2], written)} as its {place} number, no month"
        )
    raise _said(
        files[path],
        path,
        header,
        value,
        f"source '{cfg.name}': the dates of column '{header}' ('{value[:40]}'...) are read {way}, but "
        f"the export writes its dates {written}: {why}. {_whose(cfg, c)}: written as the export's "
        f"other dates are, each of them would be counted in another month. Name its format under "
        f"[sources.{cfg.name}.columns]: {_setting(c, header, swapped)}.",
    )


def _ambiguous(cfg: SourceConfig, files: Mapping[Path, FileRead], c: _Column) -> NoReturn:
    """MeasureError at ``c``'s first date: no date of the export says which way round."""
    assert c.first is not None
    path, header, value = c.first
    raise _said(
        files[path],
        path,
        header,
        value,
        f"source '{cfg.name}': the dates of column '{header}' ('{value[:40]}'...) read day first or "
        f"month first alike: none has a day over 12 to tell. {_whose(cfg, c)}; written the other way round, "
        f"every ticket would be counted in another month. Name the export's format under "
        f"[sources.{cfg.name}.columns]: {_setting(c, header, c.fmt)}, or "
        f'"{_swapped(c.fmt)}" for {_other(c.way)}.',
    )


def _whose(cfg: SourceConfig, c: _Column) -> str:
    """Which format reads ``c``'s dates, and how."""
    if c.named:
        return f"The format named under [sources.{cfg.name}.columns] reads them {c.way} ({c.fmt})"
    return f"Preset {cfg.preset} reads them {c.way} ({c.fmt})"


def _setting(c: _Column, header: str, fmt: str) -> str:
    """The setting that reads ``c``'s column ``header`` with ``fmt`` (its reader named where
    a column named so is not read as a time by default: a close date, as minutes)."""
    read = f', read = "{c.read}"' if c.read != CUSTOM_READS.get(c.name) else ""
    return f"{c.name} = {{column = {toml_string(header)}{read}, format = {toml_string(fmt)}}}"


def _swapped(fmt: str) -> str:
    """``fmt`` reading the day and the month the other way round."""
    return fmt[:6].replace("%m", "%M").replace("%d", "%m").replace("%M", "%d") + fmt[6:]


#: :data:`_NUMBERS` in Python, for the numbers of a value the query found.
_NUMBERS_RE = re.compile(_NUMBERS)


def _over(value: str, way: str) -> int:
    """The number of ``value`` over 12 that says it is written ``way``."""
    number = _NUMBERS_RE.match(value)
    assert number is not None  # the query found it so
    return int(number[1] if way == "day first" else number[2])


def _where(files: Mapping[Path, FileRead], cell: Cell) -> str:
    """Where ``cell``'s value is, in words: its line and file (its file, where no line is)."""
    path, header, value = cell
    line, _ = cell_at(path, list(files[path].types), header, value, files[path].dialect)
    return f"line {line} of {path.name}" if line else path.name


def _said(read: FileRead, path: Path, column: str, value: str, message: str) -> MeasureError:
    """``message`` at ``value``'s first cell of ``column`` in ``path`` (read as ``read``)."""
    line, at = cell_at(path, list(read.types), column, value, read.dialect)
    return MeasureError(message, file=path, line=max(line, 1), column=at)


def _other(way: str) -> str:
    return "day first" if way == "month first" else "month first"
