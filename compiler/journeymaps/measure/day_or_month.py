"""Dates written with the day and the month both as numbers (05/12/2026), which read either
way round. A preset reads them one way (Zendesk's, Freshdesk's, HubSpot's and Intercom's
month first, Jira's day first); an export written the other way (an agent's locale) whose
days are all 12 or less read without a fault, every ticket moved to another month. A date
whose first or second number is over 12 says which way round the export writes them; none
that does is said."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from journeymaps.measure.cells import cell_at
from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.read_errors import FileRead
from journeymaps.measure.sources import (
    FILE_KINDS,
    MeasureError,
    SourceConfig,
    canonical_for,
    reader_sql,
    resolve,
)

#: A date of two numbers and a year, either way round, at a value's start.
_NUMBERS = r"^([0-9]{1,2})/([0-9]{1,2})/[0-9]{2,4}([ T]|$)"
#: The same in an export's first MB: where none is, the export is not read again for them.
_IN_HEAD = re.compile(rb"(^|[,;\t\"])[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}[ T\",;\t\r\n]", re.M)
#: A format's start that reads such a date, and which way round it reads it.
_WAYS = {"%m/%d/": "month first", "%d/%m/": "day first"}


def numeric_dates(path: Path, head: bytes) -> bool:
    """Whether an export may hold such a date: a CSV or JSON Lines export whose head (its
    first MB, as read for its checks) holds one; any Parquet export, whose dates are looked
    at when their column is text (see :func:`day_or_month`). A Parquet file's head is its
    compressed bytes: its text dates were never checked, and a 01/13/2026 read day first
    was a ticket counted in another month, without a word."""
    return FILE_KINDS[path.suffix.lower()] == "parquet" or _IN_HEAD.search(head) is not None


def day_or_month(con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int) -> None:
    """MeasureError when the source's creation dates are read by a format that takes them
    one way round and a date says they are written the other way (01/13/2026 read day
    first: the dates of 12 or less were each counted in another month, the others not at
    all, exit 0); or when none says which way, and the format is a preset's (one the
    settings name is theirs to know)."""
    spec = cfg.fields.get("created")
    named = cfg.settings.get("columns", {}).get("created")
    named = isinstance(named, Mapping) and "format" in named
    fmt = next((f for f in spec.formats if f[:6] in _WAYS), None) if spec is not None else None
    if fmt is None:
        return
    # The number over 12 that says the format's way (a day where it reads the day) and the
    # one that says the other: v2 and v1 of a month-first format.
    same, other = ("v2", "v1") if fmt[:6] == "%m/%d/" else ("v1", "v2")
    ambiguous: tuple[Path, str, str] | None = None
    wrong: tuple[Path, str, str] | None = None  # the file, the column, the value
    for path, read in files.items():
        if read.source.name != cfg.name or not read.numeric_dates:
            continue
        res = resolve(cfg, list(read.types), path.name, canonical_for(cfg), path)
        column, text = res.raw["created"]
        if FILE_KINDS[path.suffix.lower()] == "parquet" and read.types.get(column) != "VARCHAR":
            continue  # a Parquet date or timestamp: no way round to read
        scan = reader_sql(path, line_bytes=longest, columns=list(read.types), dialect=read.dialect)
        two = f"REGEXP_EXTRACT({text}, '{_NUMBERS}', ['v1', 'v2'])"
        over = {v: f"TRY_CAST(STRUCT_EXTRACT({two}, '{v}') AS INTEGER) > 12" for v in ("v1", "v2")}
        found = run_duckdb(
            con,
            f"SELECT COUNT(*) FILTER (WHERE {over[same]}) AS sure, "
            f"FIRST({text}) FILTER (WHERE {over[other]}) AS wrong, "
            f"FIRST({text}) FILTER (WHERE REGEXP_MATCHES({text}, '{_NUMBERS}')) AS v FROM {scan}",
        )[0]
        if found["sure"]:
            return  # a number over 12 where the format reads the day: the others read so too
        if found["wrong"] is not None:
            wrong = wrong or (path, column, str(found["wrong"]))
        if found["v"] is not None:
            ambiguous = ambiguous or (path, column, str(found["v"]))
    way = _WAYS[fmt[:6]]
    swapped = fmt[:6].replace("%m", "%M").replace("%d", "%m").replace("%M", "%d") + fmt[6:]
    whose = f"The format named under [sources.{cfg.name}.columns] reads them {way} ({fmt})"
    if not named:
        whose = f"Preset {cfg.preset} reads them {way} ({fmt})"
    if wrong is not None:
        path, column, value = wrong
        number = _NUMBERS_RE.match(value)
        assert number is not None  # the query found it so
        place, n = ("first", number[1]) if other == "v1" else ("second", number[2])
        raise _said(
            files[path],
            path,
            column,
            value,
            f"source '{cfg.name}': the dates of column '{column}' are written {_other(way)}: "
            f"'{value[:40]}' has {int(n)} as its {place} number, no month. {whose}: each date of a "
            f"day of 12 or less would be counted in another month, the others not at all. Name the "
            f"export's format under [sources.{cfg.name}.columns]: created = "
            f'{{column = "{column}", format = "{swapped}"}}.',
        )
    if ambiguous is None or named:
        return
    path, column, value = ambiguous
    raise _said(
        files[path],
        path,
        column,
        value,
        f"source '{cfg.name}': the dates of column '{column}' ('{value[:40]}'...) read day first or "
        f"month first alike: none has a day over 12 to tell. {whose}; written the other way round, "
        f"every ticket would be counted in another month. Name the export's format under "
        f'[sources.{cfg.name}.columns]: created = {{column = "{column}", format = "{fmt}"}}, or '
        f'"{swapped}" for {_other(way)}.',
    )


#: :data:`_NUMBERS` in Python, for the numbers of a value the query found.
_NUMBERS_RE = re.compile(_NUMBERS)


def _said(read: FileRead, path: Path, column: str, value: str, message: str) -> MeasureError:
    """``message`` at ``value``'s first cell of ``column`` in ``path`` (read as ``read``)."""
    line, at = cell_at(path, list(read.types), column, value, read.dialect)
    return MeasureError(message, file=path, line=max(line, 1), column=at)


def _other(way: str) -> str:
    return "day first" if way == "month first" else "month first"
