"""Dates written with the day and the month both as numbers (05/12/2026), which read either
way round. A preset reads them one way (Zendesk's and Freshdesk's month first, Jira's day
first); an export written the other way (an agent's locale) whose days are all 12 or less
read without a fault, every ticket moved to another month. A date whose first or second
number is over 12 says which way round the export writes them; none that does is said."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.read_errors import FileRead
from journeymaps.measure.sources import MeasureError, SourceConfig, canonical_for, reader_sql, resolve
from journeymaps.measure.undated import value_at

#: A date of two numbers and a year, either way round, at a value's start.
_NUMBERS = r"^([0-9]{1,2})/([0-9]{1,2})/[0-9]{2,4}([ T]|$)"
#: The same in an export's first MB: where none is, the export is not read again for them.
_IN_HEAD = re.compile(rb"(^|[,;\t\"])[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}[ T\",;\t\r\n]", re.M)
#: A format's start that reads such a date, and which way round it reads it.
_WAYS = {"%m/%d/": "month first", "%d/%m/": "day first"}


def numeric_dates(head: bytes) -> bool:
    """Whether an export's head (its first MB, as read for its checks) holds such a date."""
    return _IN_HEAD.search(head) is not None


def day_or_month(con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead], longest: int) -> None:
    """MeasureError when the source's creation dates are read by a preset's format that takes
    them one way round and none of them says which way the export writes them. A format the
    settings name is theirs to know: it is not questioned."""
    spec = cfg.fields.get("created")
    named = cfg.settings.get("columns", {}).get("created")
    if spec is None or (isinstance(named, Mapping) and "format" in named):
        return
    fmt = next((f for f in spec.formats if f[:6] in _WAYS), None)
    if fmt is None:
        return
    first: tuple[Path, str, str] | None = None
    for path, read in files.items():
        if read.source.name != cfg.name or not read.numeric_dates:
            continue
        res = resolve(cfg, list(read.types), path.name, canonical_for(cfg), path)
        column, text = res.raw["created"]
        scan = reader_sql(path, line_bytes=longest, columns=list(read.types), dialect=read.dialect)
        two = f"REGEXP_EXTRACT({text}, '{_NUMBERS}', ['v1', 'v2'])"
        sure = " OR ".join(f"TRY_CAST(STRUCT_EXTRACT({two}, '{v}') AS INTEGER) > 12" for v in ("v1", "v2"))
        found = run_duckdb(
            con,
            f"SELECT COUNT(*) FILTER (WHERE {sure}) AS sure, "
            f"FIRST({text}) FILTER (WHERE REGEXP_MATCHES({text}, '{_NUMBERS}')) AS v FROM {scan}",
        )[0]
        if found["sure"]:
            return  # a 13th or later says which way round: the others read so too
        if found["v"] is not None:
            first = first or (path, column, str(found["v"]))
    if first is None:
        return
    path, column, value = first
    line, at = value_at(path, value)
    way = _WAYS[fmt[:6]]
    other = fmt[:6].replace("%m", "%M").replace("%d", "%m").replace("%M", "%d") + fmt[6:]
    raise MeasureError(
        f"source '{cfg.name}': the dates of column '{column}' ('{value[:40]}'...) read day first or "
        f"month first alike: none has a day over 12 to tell. Preset {cfg.preset} reads them {way} "
        f"({fmt}); written the other way round, every ticket would be counted in another month. Name "
        f"the export's format under [sources.{cfg.name}.columns]: created = "
        f'{{column = "{column}", format = "{fmt}"}}, or "{other}" for {_other(way)}.',
        file=path,
        line=max(line, 1),
        column=at,
    )


def _other(way: str) -> str:
    return "day first" if way == "month first" else "month first"
