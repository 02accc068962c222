"""A time followed by words measure does not read as a time zone (``2026-09-30 10:00 IST``):
an error at the first such value, with the ways to read it. DuckDB's cast to TIMESTAMP
dropped the word, and the time was read in the source's zone without a word: a ticket
counted hours off, in another day or month (IST is India's, Israel's or Ireland's)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from journeymaps.measure.cells import cell_at
from journeymaps.measure.date_layouts import LOOKS_LIKE, problem
from journeymaps.measure.offset_names import disagreement, zone_is_read
from journeymaps.measure.presets import Field
from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.read_errors import FileRead
from journeymaps.measure.sources import (
    AM_PM,
    LONGEST_TIME,
    TIME_AND_AFTER,
    TIME_READS,
    ZONE_NAMES,
    MeasureError,
    SourceConfig,
    canonical_for,
    reader_sql,
    resolve,
    sql_string,
    zone_meanings,
)


def unknown_zones(
    con: Any, cfg: SourceConfig, rows: list[dict[str, Any]], files: Mapping[Path, FileRead], longest: int
) -> None:
    """Raise MeasureError at the first time of the source followed by what is no zone measure
    reads, or at its first value longer than any time, when some value did not read
    (``rows``: the aggregate's, with its counts of them): a source whose values all read is
    not looked at again."""
    totals = [r for r in rows if int(r["sel"]) == 0]
    if not any(int(v or 0) for r in totals for k, v in r.items() if k.startswith("bad__")):
        return
    for path, read in files.items():
        if read.source.name != cfg.name:
            continue
        res = resolve(cfg, list(read.types), path.name, canonical_for(cfg), path)
        scan = reader_sql(path, line_bytes=longest, columns=list(read.types), dialect=read.dialect)
        for name, (column, text) in res.raw.items():
            if cfg.fields[name].read not in TIME_READS:
                continue
            unread = unread_sql(text, res.exprs[name], cfg.fields[name])
            found = run_duckdb(con, f"SELECT {text} AS v FROM {res.over(scan)} WHERE {unread} LIMIT 1")
            if found:
                value = str(found[0]["v"])
                line, at = cell_at(path, list(read.types), column, value, read.dialect)
                raise MeasureError(
                    _said(cfg, column, value, zone_meanings(cfg.fields[name])),
                    file=path,
                    line=max(line, 1),
                    column=at,
                )


def unread_sql(text: str, expr: str, spec: Field) -> str:
    """SQL true on a value (``text``, SQL) that :func:`unknown_zones` says is no time: a time
    followed by what is no zone measure reads, a value nearly as a program writes a time,
    or one longer than any time (``expr``: its reader's SQL, NULL where it does not read)."""
    if spec.read == "timestamp_since":  # its minutes: NULL where its time is
        expr = f"{expr} + 0"
    # a time with AM or PM that does not read is a date in none of the formats read
    after = f"REGEXP_MATCHES({text}, {sql_string(TIME_AND_AFTER)})"
    unread = f"{after} AND NOT REGEXP_MATCHES({text}, {sql_string(AM_PM)}) AND ({expr}) IS NULL"
    # a zone measure reads after a date in no format read: said so by find_undated
    unread += f" AND NOT {zone_is_read(text, zone_meanings(spec))}"
    # a value written nearly as a program writes a time (Thu, 30 Sep 2026 ... +0000, a
    # Wednesday): its offset reads, but it is no time, said as such (date_layouts)
    unread = f"({unread} OR REGEXP_MATCHES({text}, {sql_string(LOOKS_LIKE)}) AND ({expr}) IS NULL)"
    # a value longer than any time is none, said as such: no regular expression runs over
    # it (a CASE's ELSE is tried on the other values only), 2 MB took 11 s
    return f"CASE WHEN LENGTH({text}) > {LONGEST_TIME} THEN TRUE ELSE {unread} END"


def _said(cfg: SourceConfig, column: str, value: str, meanings: dict[str, str]) -> str:
    """Why ``value`` of ``column`` is not read, and the ways to read it."""
    if len(value) > LONGEST_TIME:  # none of the checks below is run over all of it
        return (
            f"source '{cfg.name}': column '{column}' has '{value[:60]}...': a value of "
            f"{len(value):,} characters is no time (a time has at most {LONGEST_TIME}). Its "
            "column holds something else there: correct that cell, or export the times again"
        )
    if (why := problem(value, meanings) or disagreement(value, meanings)) is not None:
        return f"source '{cfg.name}': column '{column}' has '{value[:60]}': {why}"
    match = re.search(TIME_AND_AFTER, value)
    after = match.group("after").strip() if match else value
    after = re.sub(r"^[AaPp]\.?[Mm]\.?\s+", "", after)  # 11:00 PM AEST: AEST is the zone
    name = after if re.fullmatch(r"[A-Za-z]{1,6}", after) else "ABC"
    us = ", ".join(n for n in ZONE_NAMES if n not in ("UTC", "GMT"))
    return (
        f"source '{cfg.name}': column '{column}' has '{value[:60]}': after its time, '{after[:40]}' is "
        "no time zone measure reads, and read as the source's time zone it would be counted hours "
        f"off. measure reads offsets (+05:30, Z), IANA names (Europe/Paris), UTC, GMT and the US zones "
        f"{us}. Say which zone it is under [sources.{cfg.name}]: "
        f'zone-names = {{{name} = "Area/City"}} (or an offset, "+05:30"), or export the times '
        'without it and set timezone = "Area/City"'
    )
