"""DuckDB's errors reading an export, said in the user's words at the file and line they are
about (a JSON line that is no record, a Parquet file cut short, a column of another type in
one month's file, memory run out), and the CSV lines it set aside."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymaps.measure.export_checks import (
    HEAD_BYTES,
    KIND_NAMES,
    LINE_SHARE,
    PAST_END,
    csv_header,
    export_head,
    first_line,
    first_long_line,
)
from journeymaps.measure.line_ends import line_at
from journeymaps.measure.not_utf8 import json_not_utf8
from journeymaps.measure.queries import QueryTimeout, run_duckdb
from journeymaps.measure.sources import (
    FILE_KINDS,
    MeasureError,
    SourceConfig,
    literal_path,
    reader_sql,
    sql_string,
)


@dataclass
class FileRead:
    """An export file a source's query reads (a survey's reads its ticket source's too),
    and its columns' types as DuckDB reads them."""

    source: SourceConfig
    types: dict[str, str]
    #: A CSV's options as its sniff found them (SniffedCsv.dialect): a file read again for
    #: what went wrong is read as the load read it, not sniffed again.
    dialect: str = ""
    #: Whether its head (as its checks read it) holds a date of two numbers and a year,
    #: 05/12/2026: one without is not read again for them (see :mod:`.day_or_month`).
    numeric_dates: bool = True


def _reason(exc: Exception) -> str:
    """DuckDB's error in one line: its first, and for a CSV error the reason, which follows
    the quoted line ("Maximum line size of 2000000 bytes exceeded..."): the first alone,
    "CSV Error on Line: 1", said nothing of what to fix. The line itself is not repeated."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    said = lines[0] if lines else type(exc).__name__
    for quoted, reason in itertools.pairwise(lines):
        if quoted.startswith("Original Line:"):
            return f"{said}: {reason.strip()}"
    return said


#: DuckDB's JSON errors that name a line: "Malformed JSON in file "x", at byte 2 in line 3:
#: unexpected character." (its line one past the line, in DuckDB 2.0) and "JSON transform
#: error in file "x", in line 3: ..." (the line itself).
_JSON_AT = re.compile(
    r'(?P<what>Malformed JSON|JSON transform error) in file "(?P<file>.*)", '
    r"(?:at byte (?P<byte>[0-9]+) )?in line (?P<line>[0-9]+): (?P<why>.*)"
)


#: DuckDB reads Parquet files together with the first one's types; one of another type that
#: does not cast (a month's group ids where the others have names) fails the read.
_PARQUET_TYPES = re.compile(
    r'In file "(?P<file>[^"]+)" the column "(?P<column>[^"]+)" has type (?P<has>.+), '
    r"but we are trying to read it as type (?P<want>.+)\.$",
    re.M,
)


def unreadable(
    cfg: SourceConfig, exc: Exception, path: Path | None = None, files: Mapping[Path, FileRead] | None = None
) -> MeasureError:
    """DuckDB's error reading a file source, at the file it names and the line, with its
    reason, in the name of the source of that file (``files``: those the query read). It was
    said at the source's path setting, in its first line only ("Invalid Input Error: CSV
    Error on Line: 1"), or at line 1 of the file when DuckDB named line 3."""
    said = _reason(exc)
    found = _JSON_AT.search(said)
    path = path or (Path(found["file"]) if found is not None else _named_file(said, files or {}))
    # A survey's query reads its ticket export too: an error there was said as the survey's.
    if files and path is not None and path in files:
        cfg = files[path].source
    clash = _PARQUET_TYPES.search(str(exc))
    if clash is not None:
        return _type_clash(cfg, Path(clash["file"]), clash["column"], (clash["has"], clash["want"]), files)
    if found is not None and path is not None:
        malformed = found["what"] == "Malformed JSON"
        line, column = _json_position(path, int(found["line"]), int(found["byte"] or 1), malformed)
        if malformed and "invalid UTF-8" in found["why"]:
            return json_not_utf8(cfg, path, line)
        if malformed:  # "unexpected character. Try ...": DuckDB's options are not the user's
            why = re.sub(r"\s*Try .*$", "", found["why"]).strip().rstrip(".")
            shown = f"line {line} is not JSON: {why}"
        else:  # DuckDB quotes the record or the value: ticket data, not for a CI log
            key = re.search(r'has unknown key ("[^"]*")$', found["why"])
            twice = re.search(r'has duplicate key ("(?:[^"\\]|\\.)*")$', found["why"])
            if twice:  # at the second one: "a value of another type", it was said
                column = _second_key_column(path, line, twice[1])
            shown = f"line {line}: " + (
                f"a record with a key, {key[1]}, the lines before it do not have"
                if key
                else f"the record has the key {twice[1]} twice: keep one"
                if twice
                else "a value of another type than the lines before it give its key"
            )
        return MeasureError(
            f"source '{cfg.name}': {path.name} cannot be read as JSON Lines: {shown}",
            file=path,
            line=line,
            column=column,
        )
    fault = next((find for needle, find in JSON_LINE_FAULTS.items() if needle in said), None)
    if fault is not None and path is not None:  # said by DuckDB at no line, or at line 1
        line, what = _faulty_line(path, fault)
        return MeasureError(
            f"source '{cfg.name}': {path.name} cannot be read as JSON Lines: {what}", file=path, line=line
        )
    big = re.search(r'"maximum_object_size" of [0-9]+ bytes exceeded .*\(>([0-9]+) bytes\)', said)
    if big is not None and path is not None:  # DuckDB reads records up to about twice that
        longest = int(big[1])
        long_line = first_long_line(path, longest)
        line = long_line[0] if long_line else 1
        what = f"line {line} is {long_line[1] / 1e6:.0f} MB" if long_line else "a record is too long"
        return MeasureError(
            f"source '{cfg.name}': {path.name} cannot be read as JSON Lines: {what} (a pasted log?), "
            f"and measure reads records of up to {longest / 1e6:.0f} MB: export without the long "
            "text field: measure reads none of a ticket's text.",
            file=path,
            line=line,
        )
    if path is None:
        return MeasureError(f"source '{cfg.name}': {said}", setting=(cfg.name, "path"))
    words = next((words for needle, words in DUCKDB_WORDS.items() if needle in said), None)
    if words is not None:
        return MeasureError(f"source '{cfg.name}': {path.name} {words}", file=path)
    kind = KIND_NAMES[FILE_KINDS[path.suffix.lower()]]
    # DuckDB quotes it absolute (as a pattern, bracketed, when it finds no file): the finding is at it
    said = said.replace(literal_path(path), path.name).replace(str(path), path.name)
    return MeasureError(f"source '{cfg.name}': {path.name} cannot be read as {kind}: {said}", file=path)


def names_a_file(exc: Exception, files: Mapping[Path, FileRead]) -> bool:
    """Whether DuckDB's error says which export it is about."""
    said = _reason(exc)
    return bool(_JSON_AT.search(said) or _named_file(said, files) or _PARQUET_TYPES.search(str(exc)))


def failing_alone(con: Any, files: Mapping[Path, FileRead], longest: int) -> tuple[Path, Exception] | None:
    """The first export that fails read alone, every column of it, and its error: a Parquet
    file's corrupt metadata ("TProtocolException: Invalid data") named none, said at the
    settings of a source of many files. None when each reads (the query failed, not a file),
    or when one is stopped (a timeout: the error first met is said)."""
    import duckdb

    for path, read in files.items():
        scan = reader_sql(path, line_bytes=longest, columns=list(read.types), dialect=read.dialect)
        try:  # HASH of each column: every value decoded, none brought back
            run_duckdb(con, f"SELECT MAX(HASH(COLUMNS(*))) FROM {scan}")
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as exc:
            return path, exc
        except QueryTimeout:
            return None
    return None


#: DuckDB's reasons a file cannot be read -> the words for them: it quoted its own terms,
#: with the file's absolute path ("No magic bytes found at end of file '/home/...'").
DUCKDB_WORDS = {
    "No magic bytes found at end of file": (
        "is not Parquet, or it was cut short (it does not end as a Parquet file does): a CSV "
        "named .parquet, or a download not finished?"
    ),
    "too small to be a Parquet file": "is too small to be Parquet (empty, or cut short)",
    "Prefetch registered for bytes outside file": PAST_END,
}


def _type_clash(
    cfg: SourceConfig,
    named: Path,
    column: str,
    types: tuple[str, str],
    files: Mapping[Path, FileRead] | None,
) -> MeasureError:
    """A Parquet column of another type in some files of a source, at a file whose type is
    not the most common one: DuckDB names the file it failed on, the majority's when the
    first file (whose types it reads every file with) is the odd one."""
    by_type: dict[str, list[Path]] = {}
    for path, read in (files or {}).items():
        if read.source.name == cfg.name and column in read.types:
            by_type.setdefault(read.types[column], []).append(path)
    if len(by_type) > 1:
        common = max(by_type, key=lambda t: len(by_type[t]))  # a tie: the first file's
        odd = next(t for t in by_type if t != common)
        odd_files, others = by_type[odd], _listed(by_type[common])
        others += " have it" if len(by_type[common]) > 1 else " has it"
    else:  # not recorded: as DuckDB says it
        (odd, common), odd_files, others = types, [named], "the first file has it"
    verb = "have" if len(odd_files) > 1 else "has"
    return MeasureError(
        f"source '{cfg.name}': {_listed(odd_files)} {verb} column '{column}' as {odd}, where {others} "
        f"as {common}: export every file of a source with the same column types",
        file=odd_files[0],
    )


def _listed(paths: list[Path]) -> str:
    """Files by name, the first two of them: "a.parquet, b.parquet and 3 more"."""
    shown = [p.name for p in paths[:2]] + ([f"{len(paths) - 2} more"] if len(paths) > 2 else [])
    return f"{', '.join(shown[:-1])} and {shown[-1]}" if len(shown) > 1 else shown[0]


def _not_a_record(text: bytes) -> str | None:
    """What a JSON Lines line is when it is no record (DuckDB: "non-record JSON")."""
    first = text.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if first in (b"", b"{"):
        return None
    kind = "an array" if first == b"[" else "a single value"
    return f"is {kind}, not a record (an object, {{...}}): a JSON Lines export has one record a line"


#: How deep DuckDB reads JSON: past it, "JSON exceeds maximum recursion depth of 128".
JSON_DEPTH = 128


def _too_deep(text: bytes) -> str | None:
    """A line nested deeper than DuckDB reads, and how deep (brackets in strings aside)."""
    depth = deepest = 0
    for bracket in re.findall(rb"[][{}]", re.sub(rb'"(?:[^"\\]|\\.)*"', b"", text)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    if deepest <= JSON_DEPTH:
        return None
    return f"nests arrays and objects {deepest} deep, and measure reads up to {JSON_DEPTH}: export it flatter"


#: DuckDB's JSON errors that name no line (or line 1, whatever the line) -> what makes a
#: line the one at fault, in words: the first such line is where the error is said.
JSON_LINE_FAULTS: dict[str, Callable[[bytes], str | None]] = {
    "expected records, but got non-record JSON": _not_a_record,
    "JSON exceeds maximum recursion depth": _too_deep,
}


def _faulty_line(path: Path, fault: Callable[[bytes], str | None]) -> tuple[int, str]:
    """The first line of ``path`` at ``fault``, and what it is. None is when every record is
    an empty object: DuckDB calls a file of ``{}`` "non-record JSON" too."""
    found = first_line(path, fault)
    if found is not None:
        return found[0], f"line {found[0]} {found[1]}"
    return 1, "its records are all empty ({}): it has no field to measure"


def _second_key_column(path: Path, line: int, key: str) -> int:
    """The column of the second ``key`` (as JSON writes it, quoted) on ``line``, else 1."""
    try:
        with path.open("rb") as f:
            text = next(itertools.islice(f, line - 1, None), b"").decode("utf-8", "replace")
    except OSError:
        return 1
    found = list(re.finditer(re.escape(key) + r"\s*:", text))
    return len(text[: found[1].start()]) + 1 if len(found) > 1 else 1


def _named_file(said: str, files: Mapping[Path, FileRead]) -> Path | None:
    """The export file DuckDB's message names, if it names one: as ``file "..."``, else
    anywhere, one of the ``files`` read (a Parquet read past its end said "Prefetch registered
    for bytes outside file: /home/.../x.parquet", at the settings, with the absolute path)."""
    named = re.search(r'file "(?P<file>[^"]+)"', said)
    if named is not None and Path(named["file"]).suffix.lower() in FILE_KINDS:
        return Path(named["file"])
    quoted = [p for p in files if str(p) in said]
    return max(quoted, key=lambda p: len(str(p))) if quoted else None  # a/x.csv, not a/x.cs


def _json_position(path: Path, said: int, byte: int, malformed: bool) -> tuple[int, int]:
    """The line and column of a JSON error DuckDB places at line ``said``, byte ``byte``.
    A malformed line is the one before it or that line: the first Python's own JSON reader
    refuses (DuckDB 2.0 says one line past it: it may stop doing so); a line past the end
    (DuckDB has said line 2^64-1) is no line."""
    candidates = [said - 1, said] if malformed and said > 1 else [said]
    lines: dict[int, bytes] = {}
    try:
        with path.open("rb") as f:
            for number, text in enumerate(f, 1):
                if number in candidates:
                    lines[number] = text
                if number >= candidates[-1]:
                    break
    except OSError:
        return 1, 1
    if not lines:
        return 1, 1
    line = next(
        (n for n in candidates if n in lines and malformed and lines[n].strip() and not _is_json(lines[n])),
        None,
    )
    if line is None:
        line = candidates[0] if candidates[0] in lines else max(lines)
    before = lines[line][: max(byte - 1, 0)]
    return line, len(before.decode("utf-8", "replace")) + 1


def _is_json(text: bytes) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True


#: Columns past which a CSV's width is named as what took DuckDB's memory.
WIDE_CSV = 1000


def out_of_memory(cfg: SourceConfig, memory: str, path: Path | None = None) -> MeasureError:
    """DuckDB out of memory, with the setting that gives it more: it said "Out of Memory
    Error: failed to allocate data of size 32.0 KiB (244.1 MiB/244.1 MiB used)". A CSV is
    parsed a block of values per column: 10,000 columns took more than 256MB."""
    if path is None:
        said = "DuckDB ran out of memory measuring its export"
    else:
        head = export_head(path)
        names = csv_header(path, head)
        wide = f" reading its {len(names):,} columns" if len(names) > WIDE_CSV else ""
        if wide and b"\n" not in head and len(head) == HEAD_BYTES:  # the row goes on: its last name cut
            wide = f" reading its columns (more than {len(names) - 1:,} in the first MB of its header row)"
        kind = KIND_NAMES[FILE_KINDS[path.suffix.lower()]]
        said = f"{path.name} cannot be read as {kind}: DuckDB ran out of memory{wide}"
    return MeasureError(
        f"source '{cfg.name}': {said} with [measure] memory-limit = {memory}. Raise memory-limit, "
        "or export only the columns measure reads.",
        file=path,
        setting=None if path else (cfg.name, "path"),
    )


def set_aside(con: Any, own: list[Path]) -> tuple[int, tuple[Path, int, str] | None]:
    """How many CSV lines of the source's ``own`` files were set aside, and the first of
    them (file, line, why). A survey's query reads its ticket export too: that export's
    lines were counted in the survey's summary (and again in the ticket source's)."""
    import duckdb

    files = ", ".join(sql_string(str(p)) for p in own) or "NULL"
    rejects = (
        "FROM reject_errors AS e JOIN reject_scans AS s USING (scan_id, file_id) "
        f"WHERE s.file_path IN ({files})"
    )
    try:
        # One entry per problem of a line (each missing column): count lines, per file.
        found = run_duckdb(con, f"SELECT COUNT(*) AS n FROM (SELECT DISTINCT s.file_path, e.line {rejects})")
        first = run_duckdb(
            con,
            "SELECT s.file_path AS path, e.line AS line, e.line_byte_position AS at, "
            "e.error_message AS why, e.csv_line AS text "
            f"{rejects} ORDER BY s.file_path, e.line, e.byte_position LIMIT 1",
        )
    except duckdb.CatalogException:  # no CSV was read: no reject tables (a Ctrl+C is not this)
        return 0, None
    where = None
    if first:
        why = str(first[0]["why"])
        if nul := str(first[0]["text"] or "").count("\x00"):  # a block never written, not a row
            why = (
                f"it holds {nul:,} NUL bytes, not text (a copy or a download that failed part-way?): "
                "export it again"
            )
        elif why.startswith("Maximum line size"):  # DuckDB's option: say the user's
            why += (
                f" (a row of up to 1/{LINE_SHARE} of [measure] memory-limit is read: "
                "raise it to read this one)"
            )
        path, at = Path(first[0]["path"]), first[0]["at"]
        # DuckDB's line counts rows: a row over several lines (a quoted description) before
        # it put the line said that many lines early; the byte it starts at says its line
        line = line_at(path, int(at)) if at is not None else None
        where = (path, line or int(first[0]["line"]), why)
    return int(found[0]["n"]), where
