"""``journeymaps measure``: every selector of every map, counted where the data is, written
as one small snapshot per map.

Phase order: gather the series each map needs, group them by source, run one aggregate
query per source (DuckDB over the export files, or the database of a SQL source), apply
k-anonymity and fill empty months with zeros, then write the snapshots that changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymaps.measure import kpis, metrics, selectors, snapshot
from journeymaps.measure.database import run_sql
from journeymaps.measure.day_or_month import day_or_month, numeric_dates
from journeymaps.measure.duplicates import FILE_COLUMN, deduplicated, marked_duplicates
from journeymaps.measure.export_checks import (
    HEAD_CHECKS,
    export_head,
    line_bytes,
    line_ends_said,
    long_line_at_start,
    maybe_too_long,
    nul_bytes,
    parquet_past_end,
    quote_left_open,
    quotes_said,
    same_fields,
    sniffed_csv,
    too_long,
)
from journeymaps.measure.not_utf8 import not_utf8_lines
from journeymaps.measure.nul_tail import nul_tail
from journeymaps.measure.nul_values import nul_in_tags
from journeymaps.measure.presets import FIELD_NAMES
from journeymaps.measure.queries import (
    THREADS,
    TIMEOUT,
    WORKERS,
    Progress,
    QueryTimeout,
    connect,
    result_columns,
    run_duckdb,
    run_parallel,
    timed_out,
)
from journeymaps.measure.read_errors import (
    FileRead,
    failing_alone,
    names_a_file,
    out_of_memory,
    set_aside,
    unreadable,
)
from journeymaps.measure.sources import (
    FILE_KINDS,
    LINE_BYTES,
    MeasureError,
    SourceConfig,
    canonical_for,
    configs,
    files_of,
    in_project,
    literal_path,
    reader_sql,
    resolve,
    sql_relation,
    sql_string,
)
from journeymaps.measure.survey_join import TicketJoin, joined
from journeymaps.measure.undated import HeadersAgain, Undated, find_undated
from journeymaps.measure.zone_words import unknown_zones
from journeymaps.model import Map
from journeymaps.output import FileSet, WriteError
from journeymaps.reading import read_regular
from journeymaps.rules.measured import UNREADABLE_SNAPSHOT, UNWRITABLE_SNAPSHOT
from journeymaps.settings import Settings


@dataclass
class SourceRun:
    """What one source gave: its series' months and what it says about its data."""

    name: str
    months: dict[int, dict[str, dict[str, Any]]]  # sel -> month -> aggregates
    first: str | None
    last: str | None
    last_day: str | None
    rows: int
    malformed_rows: int
    bad_values: dict[str, int]
    rejected_lines: int
    unavailable: list[str]  # metrics its export cannot give
    seconds: float
    #: The first line set aside: (file, line number, why), for the user to look at.
    first_rejected: tuple[Path, int, str] | None = None
    #: Rows dated after the current month (a typo, a placeholder such as 9999-12-31): left
    #: out, or each one stretched every series to its month.
    future_rows: int = 0
    #: Rows dated before :data:`EARLIEST` (an empty date read as 1970-01-01, a tool's
    #: 0001-01-01): left out, or each one stretched every series back to its month.
    early_rows: int = 0
    #: The first date that does not read (a month exported in another format), for the user
    #: to look at: the summary said only how many rows were left out.
    first_undated: Undated | None = None
    #: What the metrics left out need: a column's header, quoted (or, where the preset names
    #: none, the field to map, bare) -> the metrics it would give. "no columns for them: aht, fcr, frt"
    #: left the user to guess which columns to export.
    needed: dict[str, list[str]] = field(default_factory=dict)
    #: The export files read (none for a database): whether git would take them is said.
    files: tuple[Path, ...] = ()
    #: (file, later file, rows): the rows of tickets in two exports of the source (a weekly
    #: and a monthly one, a copy), counted once, in the later file. They were counted twice.
    duplicates: list[tuple[Path, Path, int]] = field(default_factory=list)
    #: A survey's: its ticket source's name and that source's rows counted once (as
    #: ``duplicates``), which the survey's join dropped without a word.
    ticket_duplicates: tuple[str, list[tuple[Path, Path, int]]] | None = None
    #: A survey's: its responses naming a ticket its ticket source does not have, and how
    #: many of those ids are one of its tickets' with leading zeros (0042 and 42), and but
    #: for a trailing .0 (42.0 and 42: an export re-saved by a spreadsheet). Every response
    #: missed every selector when the tools wrote ids differently: nothing said why.
    unmatched: tuple[int, int, int] = (0, 0, 0)
    #: The exports of a ticket source with a header and no row (an export filtered to
    #: nothing): a month missing from every number, without a word.
    no_rows: list[Path] = field(default_factory=list)
    #: The ticket ids that are another row's but for a trailing .0 (42.0 and 42: an export
    #: re-saved by a spreadsheet, beside one that was not): two tickets each, said.
    point_zero_ids: int = 0
    #: The ticket ids that are another row's but for leading zeros (0042 and 42: one tool's
    #: export beside another's): two tickets each, said (they were counted twice silently).
    zero_padded_ids: int = 0
    #: A SQL source's rows of tickets its table (or view) has on another row too (a join
    #: that fans out, a table loaded twice): counted once, as an export's. Each was counted.
    table_duplicates: int = 0
    #: (file, first line, rows): rows that are the file's header row again (exports joined
    #: with their headers): not tickets, not counted, said as what they are.
    headers_again: list[tuple[Path, int, int]] = field(default_factory=list)


#: The first month measured: earlier rows carry a placeholder date, not a ticket's: 1970-01-01
#: (an empty Unix time), 1900-01-01 and 1899-12-30 (spreadsheets), 1753-01-01 (SQL Server),
#: 0001-01-01 (.NET, Go). Help desks kept no tickets then; one such row stretched every
#: series back 56 years (1970) or 2,000 (0001): 6.6 MB of empty months per snapshot.
EARLIEST = (1980, 1)


@dataclass
class Result:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    runs: list[SourceRun] = field(default_factory=list)


def measure(maps: list[Map], settings: Settings, progress: Progress | None = None) -> Result:
    """Measure every map; MeasureError names the first source that cannot be read."""
    cfgs = configs(settings.sources)
    raw_sources = settings.sources
    wanted: dict[str, dict[tuple[str, snapshot.Sla | None], int]] = {}
    per_map: dict[str, list[tuple[str, str, snapshot.Sla | None]]] = {}
    for m in maps:
        found = sorted(
            {(src, sel, sla) for src, sel, sla, _ in kpis.all_series(m, raw_sources)},
            key=lambda x: (x[0], x[1], (x[2].minutes, x[2].clock) if x[2] else (0.0, "")),
        )
        per_map[m.id] = found
        for src, sel, sla in found:
            ids = wanted.setdefault(src, {})
            ids.setdefault((sel, sla), len(ids) + 1)
    folder = kpis.metrics_folder(settings)
    _refuse_newer_snapshots(folder, [m.id for m in maps if per_map[m.id]])
    result = Result()
    runs: dict[str, SourceRun] = {}
    for name in sorted(wanted):
        cfg = cfgs[name]
        if cfg.kind == "survey" and cfg.tickets and cfgs.get(cfg.tickets, cfg).kind != "tickets":
            # (the settings say so first: this is for a caller that did not load them)
            raise MeasureError(
                f"source '{name}': tickets = '{cfg.tickets}' is "
                + ("not a configured source" if cfg.tickets not in cfgs else "a survey, not a ticket source"),
                setting=(name, "tickets"),
                settings=True,
            )
        runs[name] = _run_source(cfg, cfgs, wanted[name], settings, progress)
        result.runs.append(runs[name])
    k = settings.measure.k
    # All snapshots or none: a run stopped half-way mixed this export's months with the last's.
    with _said_unwritable(settings.root), FileSet() as files:
        for m in sorted(maps, key=lambda m: m.id):
            if not per_map[m.id]:
                continue
            used = sorted({src for src, _, _ in per_map[m.id]})
            all_months = sorted({mo for s in used for mo in _month_range(runs[s].first, runs[s].last)})
            series: dict[str, Any] = {}
            for src, sel, sla in per_map[m.id]:
                run = runs[src]
                sel_id = wanted[src][(sel, sla)]
                cells = run.months.get(sel_id, {})
                kind = cfgs[src].kind
                months_out = {}
                for month in _month_range(run.first, run.last):
                    months_out[month] = _cell(
                        cells.get(month), kind, k, cfgs[src], run.unavailable, sla is not None
                    )
                series[snapshot.series_key(src, sel, sla)] = {
                    "source": src,
                    "selector": sel,
                    "sla_minutes": sla.minutes if sla else None,
                    # named only when not the resolution: earlier snapshots stay byte-identical
                    **({"sla_clock": sla.clock} if sla and sla.clock != "resolution" else {}),
                    "months": months_out,
                }
            data = {
                "version": snapshot.VERSION,
                "map": m.id,
                "k": k,
                "timezone": settings.measure.timezone,
                "as_of": max((day for s in used if (day := runs[s].last_day)), default=None),
                "months": all_months,
                "sources": {
                    s: {
                        "kind": cfgs[s].kind,
                        "preset": cfgs[s].preset,
                        "first_month": runs[s].first,
                        "last_month": runs[s].last,
                        "not_in_export": runs[s].unavailable,
                    }
                    for s in used
                },
                "series": series,
            }
            path = snapshot.path_for(folder, m.id)
            payload = snapshot.dumps(data)
            try:  # as lint reads it: a FIFO there hung measure (read_bytes waits for a writer)
                same = read_regular(path, len(payload)) == payload
            except OSError:  # Refused too: not a regular file, or larger than this one
                same = False
            if same:
                result.unchanged.append(path)
            else:
                files.write(path, payload)
                result.written.append(path)
    return result


@contextlib.contextmanager
def _said_unwritable(root: Path) -> Iterator[None]:
    """A snapshot that cannot be written (a full disk, ``metrics`` a file) as a finding at
    it, with its rule: it was one line naming neither a rule nor where to look. A path in
    the why is relative to the project (``root``), as the settings name it: it was absolute."""
    try:
        yield
    except OSError as exc:
        if not isinstance(exc.filename, str):
            raise
        why = (
            exc.reason(lambda place: in_project(place, root)) if isinstance(exc, WriteError) else exc.strerror
        )
        raise MeasureError(
            f"cannot write this snapshot: {why}; none of this run's snapshots was written",
            file=Path(exc.filename),
            rule=UNWRITABLE_SNAPSHOT,
        ) from None


def _refuse_newer_snapshots(folder: Path, map_ids: list[str]) -> None:
    """Before any source is read: a snapshot a newer journeymaps wrote (a teammate upgraded)
    is not overwritten with an older one's, which was done without a word."""
    for map_id in sorted(map_ids):
        path = snapshot.path_for(folder, map_id)
        version = snapshot.newer_version(path)
        if version is not None:
            raise MeasureError(
                f"{path.name} was written by a newer journeymaps (snapshot version {version}; this "
                f"one writes version {snapshot.VERSION}): upgrade journeymaps to measure, or delete "
                "the snapshot to measure with this one",
                file=path,
                rule=UNREADABLE_SNAPSHOT,
            )


def _month_range(first: str | None, last: str | None) -> list[str]:
    """Every month from first to last: a month with no rows is a zero, not a gap."""
    if first is None or last is None:
        return []
    y, mo = (int(x) for x in first.split("-"))
    end = tuple(int(x) for x in last.split("-"))
    out = []
    while (y, mo) <= end:  # as numbers: as text, "10000-01" came before "9999-12"
        out.append(f"{y:04d}-{mo:02d}")
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out


def _cell(
    agg: Mapping[str, Any] | None,
    kind: str,
    k: int,
    cfg: SourceConfig,
    unavailable: list[str],
    has_sla: bool,
) -> dict[str, Any]:
    """One month of one series, with k-anonymity: fewer than k contacts (or customers, or
    responses) and nothing but the fact is written; a metric over fewer than k is null."""
    names = metrics.SURVEY_METRICS if kind == "survey" else metrics.TICKET_METRICS
    size_metric = "responses" if kind == "survey" else "contacts"
    if agg is None:
        return {size_metric: 0}
    size = int(agg[size_metric] or 0)
    customers = agg.get("customers")
    if 0 < size < k or (customers is not None and 0 < int(customers) < k):
        return {"suppressed": True}
    out: dict[str, Any] = {}
    expanded: list[tuple[str, str | None]] = []
    for name, (_, count) in names.items():
        expanded += [(n, count) for n in metrics.PERCENTILES.get(name, (name,))]
    for name, count in expanded:
        if kind == "survey" and name not in ("responses", cfg.survey or ""):
            continue
        if name.removesuffix("_p90") in unavailable or (name == "sla_breach" and not has_sla):
            continue  # not in this export: left out, never a guess
        value = agg.get(name)
        if value is None or (count is not None and int(agg.get(f"{name}__n") or 0) < k):
            out[name] = None  # measured over fewer than k: suppressed
            continue
        out[name] = int(value) if name in ("contacts", "customers", "responses") else round(float(value), 4)
    return out


def _run_source(
    cfg: SourceConfig,
    cfgs: Mapping[str, SourceConfig],
    wanted: Mapping[tuple[str, snapshot.Sla | None], int],
    settings: Settings,
    progress: Progress | None,
) -> SourceRun:
    started = time.perf_counter()
    duplicates: list[tuple[Path, Path, int]] = []
    selections = [metrics.Selection(sel_id, sel, sla) for (sel, sla), sel_id in wanted.items()]
    metric_defs = metrics.SURVEY_METRICS if cfg.kind == "survey" else metrics.TICKET_METRICS
    inputs = tuple(canonical_for(cfg))
    if cfg.is_sql:
        relation, available = sql_relation(cfg)
        bad_headers: list[str] = []
        zone = cfg.timezone or "UTC"
        once = deduplicated(cfg)
        sql = metrics.aggregate_sql(
            relation,
            selections,
            zone,
            settings.measure.timezone,
            metric_defs,
            [],
            cfg.satisfied_at,
            inputs,
            once,
        )
        rows, rejected, first_rejected = run_sql(cfg, sql, settings.measure.timeout), 0, None
        # Selector 0's groups hold every row: their sum is the table's rows left out.
        sums = [r for r in rows if int(r["sel"]) == 0]
        table_duplicates = sum(int(r.get("dup__row") or 0) for r in sums)
        point_zero = sum(int(r.get("point_zero__row") or 0) for r in sums)
        zero_padded = sum(int(r.get("zeros__row") or 0) for r in sums)
        ticket_duplicates, unmatched = None, (0, 0, 0)
        no_rows: list[Path] = []
        read: tuple[Path, ...] = ()  # a database: no export file
        first_undated = None  # a database's dates are typed: none fails to read
        headers_again = HeadersAgain()  # and it has no header rows
    else:
        import duckdb

        point_zero, zero_padded, no_rows, table_duplicates = 0, 0, [], 0
        headers_again = HeadersAgain()
        timed = TIMEOUT.set(settings.measure.timeout)
        with tempfile.TemporaryDirectory(prefix="journeymaps-measure-") as tmp:
            con = None
            seen: dict[Path, FileRead] = {}  # a survey's: its ticket source's files too
            joins: list[TicketJoin] = []  # a survey's, to its ticket source
            try:
                # inside: a Ctrl+C here is an interrupt, not an internal error
                con = connect(tmp, settings.measure.memory_limit)
                relation, available, bad_headers, zone, tags_read = _file_relation(
                    con,
                    cfg,
                    cfgs,
                    settings.root,
                    split_tags_later=True,
                    line_limit=(line_bytes(settings.measure.memory_limit), settings.measure.memory_limit),
                    seen=seen,
                    joins=joins,
                    snapshots=kpis.metrics_folder(settings),
                )
                _check_fields(cfg, wanted, available)
                staged = metrics.Staged(
                    relation,
                    selections,
                    zone,
                    settings.measure.timezone,
                    metric_defs,
                    bad_headers,
                    cfg.satisfied_at,
                    inputs,
                    tags_read,
                    duplicates=deduplicated(cfg),
                )
                with_rows: set[Path] = set()
                rows = _run_staged(
                    con,
                    staged,
                    Path(tmp),
                    cfg.name,
                    progress,
                    settings.measure.batch_rows,
                    duplicates,
                    with_rows,
                )
                if staged.similar_ids_sql is not None:
                    similar = run_duckdb(con, staged.similar_ids_sql)[0]
                    point_zero, zero_padded = int(similar["n"]), int(similar["zeros"])
                unknown_zones(con, cfg, rows, seen, line_bytes(settings.measure.memory_limit))
                first_undated, headers_again = find_undated(
                    con, cfg, rows, seen, line_bytes(settings.measure.memory_limit)
                )
                day_or_month(con, cfg, seen, line_bytes(settings.measure.memory_limit))
                nul_in_tags(con, cfg, seen)
                read = tuple(p for p, r in seen.items() if r.source.name == cfg.name)
                no_rows = [p for p in read if p not in with_rows] if staged.files_sql else []
                quote_left_open(con, cfg, list(read))
                not_utf8_lines(con, cfg, list(read))
                rejected, first_rejected = set_aside(con, list(read))
                ticket_duplicates, unmatched = joined(con, joins)
            except duckdb.InterruptException:
                raise KeyboardInterrupt from None
            except QueryTimeout as exc:
                raise timed_out(cfg, settings.measure.timeout, exc.file) from None
            except duckdb.OutOfMemoryException:
                raise out_of_memory(cfg, settings.measure.memory_limit) from None
            except duckdb.Error as exc:
                alone = None
                if con is not None and not names_a_file(exc, seen):  # which of a year of exports?
                    alone = failing_alone(con, seen, line_bytes(settings.measure.memory_limit))
                if alone is not None:
                    raise unreadable(cfg, alone[1], alone[0], files=seen) from None
                raise unreadable(cfg, exc, files=seen) from None
            except RuntimeError as exc:
                # Ctrl+C inside a query: DuckDB's own handler stops it and reports it so.
                if "interrupted" in str(exc).lower():
                    raise KeyboardInterrupt from None
                raise
            finally:
                TIMEOUT.reset(timed)
                if con is not None:
                    con.close()
    for row in rows:  # [median, p90] lists into their two metrics
        for name, (p50, p90) in metrics.PERCENTILES.items():
            if name in row:
                pair = row[name]
                row[p50], row[p90] = (pair[0], pair[1]) if pair else (None, None)
                row[f"{p90}__n"] = row.get(f"{name}__n")
    months: dict[int, dict[str, dict[str, Any]]] = {}
    totals: dict[str, Any] = {"contacts": 0, "bad__row": 0}
    bad_values = dict.fromkeys(bad_headers, 0)
    valid_months: list[str] = []
    last_day: str | None = None
    future = early = 0
    now = _this_month(settings.measure.timezone)
    for row in rows:
        sel, month = int(row["sel"]), row["month"]
        if month is not None and not EARLIEST <= _month_number(month) <= now:
            if sel == 0:
                count = int(row.get("contacts") or row.get("responses") or 0)
                if _month_number(month) > now:
                    future += count
                else:
                    early += count
                totals["bad__row"] += int(row["bad__row"] or 0)
            continue
        if sel == 0:
            totals["contacts"] += int(row.get("contacts") or row.get("responses") or 0)
            totals["bad__row"] += int(row["bad__row"] or 0)
            for i, header in enumerate(bad_headers):
                bad_values[header] += int(row.get(f"bad__{i}") or 0)
            if month is not None:
                valid_months.append(month)
            if row.get("last__day") is not None:
                day = str(row["last__day"])[:10]
                last_day = max(last_day or day, day)
            continue
        if month is not None:
            months.setdefault(sel, {})[month] = row
    # The header rows again are said as such: not malformed rows, nor values that do not read.
    totals["contacts"] -= headers_again.rows
    totals["bad__row"] -= headers_again.rows
    for header, count in headers_again.bad.items():
        if header in bad_values:
            bad_values[header] -= count
    # A survey's metrics need only its scores, which it must have: NEEDS are the ticket
    # metrics' (a CSAT survey's csat was asked for a ticket's 'satisfied' column: never measured).
    needs_of = {} if cfg.kind == "survey" else metrics.NEEDS
    unavailable = sorted(
        name for name, needs in needs_of.items() if name in metric_defs and not set(needs) <= available
    )
    needed: dict[str, list[str]] = {}
    for name in unavailable:
        for need in metrics.NEEDS[name]:
            if need not in available:
                spec = cfg.fields.get(need)
                key = f"'{spec.header()}'" if spec else FIELD_NAMES.get(need, need)
                if name not in needed.setdefault(key, []):
                    needed[key].append(name)
    return SourceRun(
        cfg.name,
        months,
        min(valid_months, default=None),
        max(valid_months, default=None),
        last_day,
        totals["contacts"],
        totals["bad__row"],
        {h: n for h, n in bad_values.items() if n},
        rejected,
        unavailable,
        time.perf_counter() - started,
        first_rejected,
        future,
        early,
        first_undated,
        needed,
        read,
        duplicates,
        ticket_duplicates,
        unmatched,
        no_rows,
        point_zero,
        zero_padded,
        table_duplicates,
        headers_again.files,
    )


def _this_month(zone: str) -> tuple[int, int]:
    """The current month where the months are counted."""
    import zoneinfo

    now = dt.datetime.now(zoneinfo.ZoneInfo(zone))
    return now.year, now.month


def _month_number(month: str) -> tuple[int, int]:
    """A month as written ("2026-12", "10000-01", "-5-01" for 6 BC) as numbers: as text,
    10000 sorts first (and a year before 1 was an internal error)."""
    year, _, number = month.rpartition("-")
    return int(year), int(number)


def _check_fields(
    cfg: SourceConfig, wanted: Mapping[tuple[str, snapshot.Sla | None], int], available: frozenset[str]
) -> None:
    """A selector testing a field the export lacks is an error naming the column and preset."""
    for sel, _ in wanted:
        for atom in selectors.atoms(selectors.parse(sel)):
            column = selectors.FIELDS[atom.field]
            if column not in available:
                spec = cfg.fields.get(column)
                # The settings' key, not the selector's word: "map a column to tag" was
                # followed with tag = ..., which the settings refuse (the key is tags).
                fix = f'under [sources.{cfg.name}.columns]: {FIELD_NAMES[column]} = "..."'
                raise MeasureError(
                    f"source '{cfg.name}': the selector {sel} needs the {atom.field} field, "
                    f"but the export has no column '{spec.header()}' ({cfg.describe()}); map its column {fix}"
                    if spec
                    else f"source '{cfg.name}': the selector {sel} needs the {atom.field} field, which the "
                    f"{cfg.describe()} does not have; map a column to it {fix}",
                    setting=(cfg.name,),
                )


def _file_relation(
    con: Any,
    cfg: SourceConfig,
    cfgs: Mapping[str, SourceConfig],
    root: Path,
    split_tags_later: bool = False,
    line_limit: tuple[int, str] = (LINE_BYTES, "DuckDB's default"),
    seen: dict[Path, FileRead] | None = None,
    joins: list[TicketJoin] | None = None,
    snapshots: Path | None = None,
) -> tuple[str, frozenset[str], list[str], str, str | None]:
    """The canonical relation of a file source (and, for a survey, its ticket source's fields
    joined in), the fields it has, the headers checked for malformed values, its time zone,
    and (``split_tags_later``, a ticket source) the tag reader whose split of its ``tags``, left
    as written, is the caller's: once per distinct text instead of once per row.
    ``line_limit``: the longest CSV line read, and the memory-limit that gives it. ``seen``
    gets every file read, with its source, for an error the query meets later; ``joins`` gets a
    survey's join to its ticket source; ``snapshots``, the metrics folder, whose files
    are never exports."""
    import duckdb

    longest = line_limit[0]
    files = files_of(cfg, root, snapshots)
    columns: list[str] = []
    headers: dict[Path, tuple[str, ...]] = {}
    dialects: dict[Path, str] = {}  # a CSV's, as its sniff found it
    for f in files:
        head = export_head(f)
        for check in HEAD_CHECKS:
            check(cfg, f, head)
        if FILE_KINDS[f.suffix.lower()] != "parquet" and (tail := nul_tail(f)) is not None:
            raise nul_bytes(cfg, f, *tail)
        if FILE_KINDS[f.suffix.lower()] == "csv" and long_line_at_start(f, longest):
            raise too_long(cfg, f, line_limit)
        try:
            if FILE_KINDS[f.suffix.lower()] == "parquet":
                parquet_past_end(con, cfg, f)
            # Timed as any query: DuckDB's sniff of a wide or huge CSV ran past the timeout.
            if FILE_KINDS[f.suffix.lower()] == "csv":
                sniffed = sniffed_csv(con, f, longest)
                described, quote, dialects[f] = sniffed.columns, sniffed.quote, sniffed.dialect
            else:
                described = result_columns(con, f"SELECT * FROM {reader_sql(f, line_bytes=longest)} LIMIT 0")
        except duckdb.InterruptException:
            raise
        except QueryTimeout as exc:
            raise QueryTimeout(f) from exc
        except duckdb.Error as exc:  # was said without the file: which of a year of exports?
            if FILE_KINDS[f.suffix.lower()] == "csv" and maybe_too_long(str(exc), f, longest):
                raise too_long(cfg, f, line_limit) from None
            if FILE_KINDS[f.suffix.lower()] == "csv" and "Error when sniffing file" in str(exc):
                line_ends_said(cfg, f)
            if isinstance(exc, duckdb.OutOfMemoryException):
                raise out_of_memory(cfg, line_limit[1], f) from None
            raise unreadable(cfg, exc, f) from None
        if FILE_KINDS[f.suffix.lower()] == "csv":
            quotes_said(cfg, f, head, quote)
        headers[f] = tuple(name for name, _ in described)
        if seen is not None:
            seen[f] = FileRead(cfg, dict(described), dialects.get(f, ""), numeric_dates(f, head))
        for c in headers[f]:
            if c not in columns:
                columns.append(c)
    canonical = canonical_for(cfg)
    shown = files[0].name if len(files) == 1 else f"{in_project(files[0], root)} (and {len(files) - 1} more)"
    res = resolve(cfg, columns, shown, canonical, files[0] if len(files) == 1 else None)
    # Files with the same header (monthly exports) are read by one scan; others are added by name.
    groups: dict[tuple[str, tuple[str, ...]], list[Path]] = {}
    for f in files:
        groups.setdefault((FILE_KINDS[f.suffix.lower()], headers[f]), []).append(f)
    same_fields(cfg, res, groups, root, canonical)
    dedupe = deduplicated(cfg)
    for f in files if dedupe else ():
        taken = next((c for c in headers[f] if c.lower() == FILE_COLUMN), None)
        if taken is not None:  # DuckDB's "Try setting a different name: filename=..."
            raise MeasureError(
                f"source '{cfg.name}': {f.name} has a column named '{taken}', the name measure gives "
                "each row's file: rename that column",
                file=f,
            )
    named = FILE_COLUMN if dedupe else None
    scans = " UNION ALL BY NAME ".join(
        "SELECT * FROM "
        + reader_sql(*same, line_bytes=longest, columns=header, filename=named, dialect=dialect)
        for (_, header), group in groups.items()
        for dialect, same in _by_dialect(group, dialects).items()
    )
    bad_headers = sorted(res.bad)
    tags_read = None
    if split_tags_later and cfg.kind == "tickets" and res.tags_text is not None:
        tags_read = res.tags_text[1]
        res.exprs["tags"] = res.tags_text[0]
    cols = [f"{expr} AS {name}" for name, expr in res.exprs.items()]
    cols += [f"{res.bad[h]} AS bad_{i}" for i, h in enumerate(bad_headers)]
    cols += [FILE_COLUMN] if dedupe else []
    relation = f"SELECT {', '.join(cols)} FROM {res.over(f'({scans})')}"
    available = res.available
    if cfg.kind == "survey" and cfg.tickets:
        tickets = cfgs[cfg.tickets]
        if tickets.is_sql:
            raise MeasureError(
                f"source '{cfg.name}': a survey can join a file ticket source only",
                setting=(cfg.name, "tickets"),
                settings=True,
            )
        t_rel, t_available, _, _, _ = _file_relation(
            con, tickets, cfgs, root, line_limit=line_limit, seen=seen, snapshots=snapshots
        )
        once = deduplicated(tickets)
        marked = None
        if once:  # each ticket once, or its responses are counted once per export it is in
            marked = marked_duplicates(t_rel)
            t_rel = f"SELECT * FROM ({marked}) WHERE dropped_from IS NULL"
        if joins is not None:
            joins.append(TicketJoin(tickets.name, relation, t_rel, marked))
        keep = ["id", "created", "score", "ticket"] + [f"bad_{i}" for i in range(len(bad_headers))]
        joined = (
            ", ".join(f"s.{c}" for c in keep)
            + ", "
            + ", ".join(f"COALESCE(k.{c}, s.{c}) AS {c}" for c in ("tags", "channel", "grp", "form"))
        )
        relation = (
            f"SELECT {joined} FROM ({relation}) AS s LEFT JOIN "
            f"(SELECT id AS kid, tags, channel, grp, form FROM ({t_rel})) AS k ON k.kid = s.ticket"
        )
        available = available | (t_available & {"tags", "channel", "grp", "form"})
    return relation, available, bad_headers, res.zone, tags_read


def _by_dialect(group: list[Path], dialects: Mapping[Path, str]) -> dict[str, list[Path]]:
    """A group's files (one header) by the CSV options their sniffs found, read by one scan
    each, given them: DuckDB sniffed each export again to load it (0.3 s of a 200 MB export),
    and DuckDB 1.5 read every file of a scan as it sniffed the first (a month's export with
    every value quoted among unquoted ones: "column "Id" ... could not be found"). Files
    with no options found ("": not CSV, or a sniff not understood) are sniffed as before."""
    found: dict[str, list[Path]] = {}
    for f in group:
        found.setdefault(dialects.get(f, ""), []).append(f)
    return found


def _run_staged(
    con: Any,
    staged: metrics.Staged,
    tmp: Path,
    name: str,
    progress: Progress | None,
    batch_rows: int | None = None,
    duplicates: list[tuple[Path, Path, int]] | None = None,
    with_rows: set[Path] | None = None,
) -> list[dict[str, Any]]:
    """``duplicates`` gets (file, the later file it is in too, rows) of the tickets counted
    once, ``with_rows`` the files that have a row. Parse the export once, decide the
    selectors per distinct signature (set algebra in Python: cheaper than SQL for hundreds of
    selectors), then aggregate batch by batch."""
    run_duckdb(con, staged.load_sql, f"measuring {name}: reading the export", progress)
    if staged.files_sql is not None and with_rows is not None:
        with_rows.update(Path(row["file"]) for row in run_duckdb(con, staged.files_sql))
    if staged.dups_sql is not None:
        duplicates = [] if duplicates is None else duplicates
        run_duckdb(con, staged.dups_sql)
        for row in run_duckdb(con, staged.duplicates_sql):
            duplicates.append((Path(row["dropped_from"]), Path(row["kept_in"]), int(row["n"])))
        run_duckdb(con, staged.drop_sql)
    run_duckdb(con, staged.tagsig_sql)
    run_duckdb(con, staged.combos_sql)
    combos = [tuple(int(v) for v in row.values()) for row in run_duckdb(con, staged.distinct_sql)]
    # Handed over as text files DuckDB reads: the signatures once, then (signature, selector)
    # pairs as two small numbers each, hundreds of thousands of them.
    cols = staged.sigs.columns
    with (tmp / "combos.csv").open("w", encoding="ascii") as f:
        f.writelines(f"{n},{','.join(map(str, combo))}\n" for n, combo in enumerate(combos))
    with (tmp / "pairs.csv").open("w", encoding="ascii") as f:
        for sel, found in staged.sigs.matches(combos):
            if sel:  # selector 0 (every row) is the totals' scan, not a fan-out
                f.write("".join(f"{n},{sel}\n" for n in found))
    types = "{'n': 'INTEGER', " + ", ".join(f"'f_{c}': 'BIGINT'" for c in cols) + "}"
    pairs, sigs = sql_string(literal_path(tmp / "pairs.csv")), sql_string(literal_path(tmp / "combos.csv"))
    # auto_detect off: DuckDB's sniffer fails on an empty file (an export without rows).
    fixed = "header = false, auto_detect = false"
    run_duckdb(
        con,
        f"CREATE TABLE fan AS SELECT c.* EXCLUDE (n), p.sel FROM read_csv({pairs}, {fixed}, "
        "columns = {'n': 'INTEGER', 'sel': 'INTEGER'}) AS p JOIN "
        f"read_csv({sigs}, {fixed}, columns = {types}) AS c USING (n)",
    )
    planned = run_duckdb(con, staged.plan_sql)
    plan = [(r["month"], int(r["sel"]), int(r.pop("rows__n"))) for r in planned]
    batches = staged.batches(plan, batch_rows)
    rows = run_duckdb(con, staged.totals_sql)
    # What adds up, from the sums per signature, merged into the batches' rows (a selector's
    # month with no well-formed row has no batch row either).
    summed = {(r["sel"], r["month"]): r for r in planned if staged.summed and r["contacts"]}
    # The batches keep the cores busy side by side: each on one thread, it skips the
    # partitioning and merging a query split across threads pays for its groups.
    con.execute(f"SET threads = {max(1, THREADS // WORKERS)}")
    for part in run_parallel(
        con,
        [staged.batch_sql(batch) for batch in batches],
        [f"measuring {name}: {{pct}}% (month {batch.month or '-'})" for batch in batches],
        progress,
    ):
        for row in part:
            row.update(summed.get((row["sel"], row["month"]), {}))
        rows += part
    return rows
