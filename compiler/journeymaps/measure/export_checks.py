"""What an export file is checked for around DuckDB's read of it: its head (empty, not
text, not UTF-8, a NUL in its header row, a column twice), its tail (NUL bytes), a line
too long to read, mixed line ends, a quote never closed, and the same columns in every file
of a source. Each is a MeasureError at the file, and the line when there is one."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from journeymaps.measure.line_ends import line_at, mixed_line_ends, newline_in, newline_of
from journeymaps.measure.presets import FIELD_NAMES
from journeymaps.measure.queries import interruptible, run_duckdb
from journeymaps.measure.quotes import unclosed_quote, unclosed_quote_in
from journeymaps.measure.sniff import SNIFFED_LINES, sniffed_lines
from journeymaps.measure.sources import (
    FILE_KINDS,
    LINE_BYTES,
    MeasureError,
    Resolved,
    SourceConfig,
    in_project,
    literal_path,
    reader_sql,
    resolve,
    sql_string,
)
from journeymaps.reading import read_head, wide_encoding
from journeymaps.records import record
from journeymaps.settings import memory_mib

_V = TypeVar("_V")


#: A CSV line (one ticket) of up to 1/LINE_SHARE of ``memory-limit`` is read: 32 MB by
#: default (256MB), 16 MB at the least (128MB). Past DuckDB's 2 MB, one ticket with a pasted
#: log stopped measure. DuckDB's buffer holds a line; up to 32 MB it is the size DuckDB's
#: own was, so memory is as before by default (a quarter, 64 MB, took 20-70 MB more).
LINE_SHARE = 8


#: The longest CSV line read, whatever ``memory-limit`` says: DuckDB 1.x (the release for
#: Python 3.10) allocates a line's buffer up front and failed at 2 GB ("Out of Memory
#: Error: Allocation failure" with memory-limit = "1000GB", told to raise memory-limit).
LINE_CAP = 1_000_000_000


def line_bytes(memory_limit: str) -> int:
    """The longest CSV line read with ``memory-limit`` (counted in MB of 10^6 bytes, as DuckDB)."""
    return max(LINE_BYTES, min(LINE_CAP, memory_mib(memory_limit) * 1_000_000 // LINE_SHARE))


def first_line(path: Path, test: Callable[[bytes], _V | None]) -> tuple[int, _V] | None:
    """The first line of ``path`` that ``test`` gives something for (a bad value, a fault),
    its number and what it gave; None for none, or a file that cannot be read."""
    try:
        with path.open("rb") as f:
            for number, text in enumerate(f, 1):
                found = test(text)
                if found is not None:
                    return number, found
    except OSError:
        pass
    return None


KIND_NAMES = {"csv": "CSV", "json": "JSON Lines", "parquet": "Parquet"}


#: How much of each export's start is read for the checks that look at it.
HEAD_BYTES = 1 << 20


def export_head(path: Path) -> bytes:
    """The first MB of a CSV or JSON Lines export, read once for the checks that look at
    it (each read it again); nothing of a Parquet file, or of one that cannot be read
    (DuckDB says why)."""
    if FILE_KINDS[path.suffix.lower()] == "parquet":
        return b""
    try:
        return read_head(path, HEAD_BYTES)
    except OSError:
        return b""


def csv_header(path: Path, head: bytes | None = None) -> list[str]:
    """A CSV file's column names as its first line (of up to 1 MB, its ``head`` when read
    already) has them; none for another kind of file, or one that cannot be read."""
    if FILE_KINDS[path.suffix.lower()] != "csv":
        return []
    if head is None:
        head = export_head(path)
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").rstrip("\r")
    try:
        return next(csv.reader([first]), [])
    except csv.Error:  # a NUL on Python 3.10: a garbled file, which DuckDB reports
        return []


def _check_duplicate_columns(cfg: SourceConfig, path: Path, head: bytes) -> None:
    """A CSV export with two columns of the name a field reads is refused, naming them:
    DuckDB renames the second (``Tags_1``) and measure read the first, an empty one in the
    case found, and counted no tag, with nothing said."""
    names = csv_header(path, head)
    wanted = {spec.column.lower(): field for field, spec in cfg.fields.items() if spec.column}
    seen: dict[str, int] = {}
    for number, name in enumerate(names, 1):
        key = name.strip().lower()
        if key in wanted and key in seen:
            raise MeasureError(
                f"source '{cfg.name}': {path.name} has two columns named '{name.strip()}' (columns "
                f"{seen[key]} and {number}), and measure cannot tell which holds the "
                f"{FIELD_NAMES.get(wanted[key], wanted[key])} field: rename or remove one",
                file=path,
                line=1,
            )
        seen.setdefault(key, number)


def _check_encoding(cfg: SourceConfig, path: Path, head: bytes) -> None:
    """A CSV or JSON Lines export saved as UTF-16 or UTF-32 is named so, with what to do:
    DuckDB read it as UTF-8, and measure said its columns were ``\x00I\x00d\x00``...
    So is one whose head is not UTF-8 (Latin-1, Windows-1252), at its first such byte:
    DuckDB set aside a few of its rows ("Invalid unicode") and read the others with their
    bytes as they were, so a tag or a group with an accent matched no selector."""
    how = " (in Excel: Save As, CSV UTF-8)" if FILE_KINDS[path.suffix.lower()] == "csv" else ""
    # A Parquet file's head is empty: its own encoding. A UTF-8 mark before UTF-16 text (a
    # tool's) was "a NUL byte in its header row".
    wide = wide_encoding(head.removeprefix(_BOM)[:64])
    if wide is not None:
        raise MeasureError(
            f"source '{cfg.name}': {path.name} is {wide}, and measure reads UTF-8: save it as UTF-8{how}",
            file=path,
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and len(head) == HEAD_BYTES:
            return  # a character cut by the head's end
        nl = newline_in(head)  # CR alone in "CSV (Macintosh)": by LF, all was line 1
        line = head.count(nl, 0, exc.start) + 1
        before = head[head.rfind(nl, 0, exc.start) + 1 : exc.start]
        raise MeasureError(
            f"source '{cfg.name}': {path.name} is not UTF-8 (byte 0x{head[exc.start]:02x} at line {line}: "
            f"saved as Latin-1 or Windows-1252?), and measure reads UTF-8: save it as UTF-8{how}",
            file=path,
            line=line,
            # a byte order mark is no column: as the header's other findings count them
            column=len(before.decode("utf-8-sig", "replace")) + 1,
        ) from None


#: An empty file's head: a byte order mark and blank lines are no header either.
_BOM = b"\xef\xbb\xbf"


def _check_empty(cfg: SourceConfig, path: Path, head: bytes) -> None:
    """A CSV or JSON Lines export with nothing in it (blank lines, a byte order mark) is
    named so: alone, it was "has no column 'Id' ...; its columns are: column0. Map it"."""
    kind = FILE_KINDS[path.suffix.lower()]
    if kind == "parquet" or head.removeprefix(_BOM).strip() or len(head) == HEAD_BYTES:
        return
    try:  # one that cannot be read is not said to be empty: DuckDB says why
        path.open("rb").close()
    except OSError:
        return
    said = "not even a header row" if kind == "csv" else "not one record"
    raise MeasureError(f"source '{cfg.name}': {path.name} is empty: {said}", file=path)


#: The first bytes of files that are no text export (a file renamed, a download left
#: compressed) -> what the file is and what to do. Read as UTF-8, each was "not UTF-8 (byte
#: 0x8b at line 1: saved as Latin-1 or Windows-1252?)".
NOT_TEXT = {
    b"\x1f\x8b": "is compressed with gzip, not {kind}: decompress it",
    b"\xfd7zXZ\x00": "is compressed with xz, not {kind}: decompress it",
    b"\x28\xb5\x2f\xfd": "is compressed with zstd, not {kind}: decompress it",
    b"PK\x03\x04": "is a ZIP archive (an Excel workbook?), not {kind}: export it as {kind}",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "is an Excel 97-2003 workbook, not {kind}: export it as {kind}",
    b"PAR1": "is a Parquet file, not {kind}: name it .parquet",
}


def _check_not_text(cfg: SourceConfig, path: Path, head: bytes) -> None:
    """A CSV or JSON Lines export that is a compressed file, a workbook or Parquet is named so."""
    kind = FILE_KINDS[path.suffix.lower()]
    said = next((said for magic, said in NOT_TEXT.items() if head.startswith(magic)), None)
    if kind != "parquet" and said is not None:
        raise MeasureError(
            f"source '{cfg.name}': {path.name} {said.format(kind=KIND_NAMES[kind])}", file=path
        )


def _check_nul_header(cfg: SourceConfig, path: Path, head: bytes) -> None:
    """A CSV header row with a NUL byte (a binary file, one cut short by a crash) is named
    at it: its columns were quoted as thousands of "\\x00" escapes."""
    if FILE_KINDS[path.suffix.lower()] != "csv":
        return
    first = head.split(b"\n", 1)[0]
    at = first.find(b"\x00")
    if at != -1:
        column = len(first[:at].decode("utf-8", "replace")) + 1
        raise MeasureError(
            f"source '{cfg.name}': {path.name} has a NUL byte in its header row (at column {column}): "
            "it is not text, or not all of it (a file cut short, or another format): export it again",
            file=path,
            column=column,
        )


def line_ends_said(cfg: SourceConfig, path: Path) -> None:
    """MeasureError at the first row of a CSV that ends in another way than its first row:
    DuckDB's sniffer said only "Error when sniffing file", and listed its own options."""
    mixed = mixed_line_ends(path)
    if mixed is not None:
        first, other, line = mixed
        raise MeasureError(
            f"source '{cfg.name}': {path.name} cannot be read as CSV: its rows end with {first} "
            f"line ends, and from line {line} with {other} ones (exports of two tools joined?): "
            "save it with one kind of line end",
            file=path,
            line=line,
        )


@record
class SniffedCsv:
    """What DuckDB's sniffer found of a CSV export, from one sniff."""

    columns: list[tuple[str, str]]  # (name, type), as read_csv reads them
    quote: str  # for quotes_said
    #: read_csv's options that read the file as sniffed, its columns named: the load that
    #: is given them sniffs it no more (see reader_sql).
    dialect: str


def sniffed_csv(con: Any, path: Path, longest: int) -> SniffedCsv:
    """A CSV export's columns (and their types), the quote DuckDB's sniffer chose and the
    dialect it read, from one sniff, as ``read_csv`` reads it. (Its columns were asked of a
    ``read_csv``, and its quote, for :func:`quotes_said`, of a second sniff where the quotes
    of the lines sampled, 219 MB of a 1 GB export of 10 KB rows, were counted odd: 0.14 s of
    CPU for the count, 0.28 s for the sniff, where a multi-line value spans the sample's end;
    the load sniffed it a third time, 0.3 s of a 200 MB export.)"""
    # Rejects are stored by the load, not the sniff: DuckDB 2.0's sniff storing them held
    # 1.2 GB for a 1 MB export of quoted values with "" in them, 23 GB for 200 MB (its
    # memory-limit not kept): measure seemed to hang, then ran out of memory.
    options = reader_sql(path, line_bytes=longest).removeprefix("read_csv(")[:-1]
    options = options.replace(", store_rejects = true", "")
    found = interruptible(
        con, lambda: con.execute(f"SELECT Columns, Quote, Prompt FROM sniff_csv({options})").fetchone()
    )
    assert found is not None
    columns = [(str(c["name"]), str(c["type"])) for c in found[0]]
    # DuckDB's own SQL for what it detected, up to the columns (a quote character quoted as
    # SQL quotes it): "FROM read_csv('f.csv', auto_detect=false, delim=',', ..., columns=..."
    prompt = str(found[2])
    start, end = prompt.find("auto_detect=false"), prompt.find(", columns={")
    typed = ", ".join(f"{sql_string(name)}: {sql_string(kind)}" for name, kind in columns)
    # Only the options known to be the dialect: any other DuckDB might put there (a
    # header=, said twice) would fail the load; without them, the load sniffs as before.
    known = 0 <= start < end and _DIALECT.fullmatch(prompt[start:end])
    return SniffedCsv(columns, str(found[1]), f"{prompt[start:end]}, columns = {{{typed}}}" if known else "")


#: What sniff_csv's SQL says of a CSV's dialect, as DuckDB 1.5 and 2.0 write it.
_DIALECT = re.compile(
    r"auto_detect=false(, (delim|quote|escape|new_line|comment)='([^']|'')*'|, skip=[0-9]+)*"
)


def quotes_said(cfg: SourceConfig, path: Path, head: bytes, quote: str) -> None:
    """MeasureError at a CSV value whose opening quote (among the lines DuckDB's sniffer
    samples) is not closed where the value ends, when the sniffer therefore read the export
    with no quoting (``quote``, as :func:`sniffed_csv` says): every quoted value kept its
    quotes (``""`` as two), with nothing said. Those lines (:data:`SNIFFED_LINES`) are
    looked at a MB at a time; only the first 16 MB were: a quote left open past them, in an
    export of long rows, was not said."""
    # Read with '"' quoting: its value past the start was said as a line set aside. Else its
    # sniffer chose no quoting, or another quote ("'", which the values' quotes never close).
    if quote == '"':
        return

    def start() -> Iterator[bytes]:
        return iter((head,)) if len(head) < HEAD_BYTES else sniffed_lines(path)

    try:
        whole = len(head) < HEAD_BYTES or sum(map(len, start())) >= path.stat().st_size
        found = unclosed_quote_in(start(), whole, newline_in(head))
        if found is None:
            return
        with path.open("rb") as f:  # the line up to the quote, for its column
            f.seek(found.line_start)
            before = f.read(found.at - found.line_start)
    except OSError:
        return
    raise _unclosed_quote(
        cfg,
        path,
        found.line,
        len(before.decode("utf-8-sig", "replace")) + 1,
        "the whole export would be read with "
        + ("no quoting" if quote in ("", "(empty)") else f"{quote} as its quote")
        + ' (each quoted value with its quotes, "" as two, a quoted delimiter splitting it)',
    )


def _unclosed_quote(cfg: SourceConfig, path: Path, line: int, column: int, so: str) -> MeasureError:
    return MeasureError(
        f"source '{cfg.name}': {path.name} cannot be read as CSV: the quote that opens this value is "
        f"not closed where the value ends, so {so}: close that quote, or remove it",
        file=path,
        line=line,
        column=column,
    )


def _column(text: bytes, newline: bytes) -> tuple[int, int]:
    """Which line of ``text`` (0, its first), its lines ended by ``newline``, has the quote
    left open, and its column (in characters): the first of its first :data:`_LINES_AFTER`
    that has one (DuckDB's byte position is at times the start of the line before, past its
    32 MB buffer, and the column said was 1); (0, 1) when none has."""
    for below, line in enumerate(text.split(newline, _LINES_AFTER)[:_LINES_AFTER]):
        opens = unclosed_quote(line, True)
        if opens is not None:
            return below, len(line[:opens].decode("utf-8-sig", "replace")) + 1
    return 0, 1


#: The lines from DuckDB's byte position looked at for the quote left open.
_LINES_AFTER = 2


def quote_left_open(con: Any, cfg: SourceConfig, own: list[Path]) -> None:
    """MeasureError at a CSV line DuckDB set aside for a quote it found never closed, past
    its sniffer's sample: the rest of that export was read as that one value and lost, and
    the summary said "1 line that is not a CSV row" (10,000 rows missing of 60,000)."""
    import duckdb

    files = ", ".join(sql_string(str(p)) for p in own) or "NULL"
    try:
        found = run_duckdb(
            con,
            "SELECT s.file_path AS path, e.line AS line, e.line_byte_position AS at "
            "FROM reject_errors AS e JOIN reject_scans AS s USING (scan_id, file_id) "
            f"WHERE e.error_message LIKE '%unterminated quote%' AND s.file_path IN ({files}) "
            "ORDER BY s.file_path, e.line LIMIT 1",
        )
    except duckdb.CatalogException:  # no CSV was read
        return
    if not found:
        return
    path, line = Path(found[0]["path"]), int(found[0]["line"])
    try:
        # DuckDB's line_byte_position is one byte past the line's start here: the line is
        # taken from the line end before it.
        at, nl = int(found[0]["at"]), newline_of(path)  # CR alone: its CR was the line's start
        with path.open("rb") as f:
            f.seek(begin := max(0, at - 2))
            text = f.read((1 << 20) + 2)
            start = text.rfind(nl, 0, min(at, 2)) + 1
            below, column = _column(text[start:], nl)
        # DuckDB's line counts rows: after descriptions over several lines, it was that many
        # lines early (50,002 for 150,002); the line is counted where the row starts
        line = (line_at(path, begin + start) or line - below) + below
    except OSError:
        column = 1
    raise _unclosed_quote(
        cfg, path, line, column, "the rest of the export, from here on, would be read as that value"
    )


def maybe_too_long(said: str, path: Path, longest: int) -> bool:
    """Whether DuckDB's failure to read a CSV file is a line longer than measure reads. It
    says so of a long line in its first buffer; past it, within the lines its sniffer
    samples, it said only "Error when sniffing file" (and listed its own options to try), so
    the file is looked at then."""
    if "Maximum line size" in said:
        return True
    return "Error when sniffing file" in said and first_long_line(path, longest) is not None


def nul_bytes(cfg: SourceConfig, path: Path, line: int, size: int) -> MeasureError:
    """An export whose end is NUL bytes (``size`` of them, from ``line`` on), at that line.
    A MB of them was "Expected Number of Columns" on a line set aside; 40 MB, "a pasted log?"."""
    kind = "CSV" if FILE_KINDS[path.suffix.lower()] == "csv" else "JSON Lines"
    shown = f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"
    return MeasureError(
        f"source '{cfg.name}': {path.name} cannot be read as {kind}: from line {line} on it is "
        f"NUL bytes ({shown}), not text: a copy or a download that did not finish? Export it again",
        file=path,
        line=line,
    )


def too_long(cfg: SourceConfig, path: Path, line_limit: tuple[int, str]) -> MeasureError:
    """A CSV line longer than measure reads, at that line, with what to do about it: DuckDB
    said "Maximum line size exceeded" on "Line: 1" whatever the line, and measure stopped.
    (An export whose end is NUL bytes is said so before: see :func:`nul_bytes`.)"""
    longest, memory = line_limit
    found = first_long_line(path, longest)
    line, said, raise_it = 1, "a row is longer (quoted lines in it?)", "Raise memory-limit"
    if found is not None:  # the least memory-limit, in steps of 64MB, that reads it
        line, size = found
        said = f"line {line} is {size / 1e6:.0f} MB"
        raise_it += f" to {math.ceil(LINE_SHARE * size / 1e6 / 64) * 64}MB"
    return MeasureError(
        f"source '{cfg.name}': {path.name} cannot be read as CSV: {said} (a pasted log?), and "
        f"measure reads rows of up to {longest / 1e6:.0f} MB with [measure] memory-limit = {memory}, "
        f"1/{LINE_SHARE} of it. {raise_it}, or export without the long text column: measure reads "
        "none of a ticket's text.",
        file=path,
        line=line,
    )


def long_line_at_start(path: Path, longest: int) -> bool:
    """Whether a line longer than ``longest`` bytes is among the first DuckDB's sniffer
    reads (its buffer, and the line it ends in; of the lines it samples: one past them is
    set aside, not fatal): there DuckDB took seconds to fail on it (10 s for a 50 MB second
    line), against a fraction of one further in. Read a MB at a time (``longest`` is an
    eighth of memory-limit, which may be more than this machine has): only a line feed's
    place is looked for, and lines are counted only when one is that long."""
    until = 16 * LINE_BYTES + longest
    at = begun = 0  # where the next chunk starts; where the current line began
    try:
        with path.open("rb") as f:
            while at < until and (chunk := f.read(1 << 20)):
                first = chunk.find(b"\n")
                ends = at + (first if first != -1 else len(chunk))
                if ends - begun > longest:
                    found = first_long_line(path, longest, within=until + longest)
                    return found is not None and found[0] <= SNIFFED_LINES
                if first != -1:
                    begun = at + chunk.rfind(b"\n") + 1
                at += len(chunk)
    except OSError:
        return False
    return False


def first_long_line(path: Path, longest: int, within: int | None = None) -> tuple[int, int] | None:
    """The first line of ``path`` longer than ``longest`` bytes, and its length, if one
    starts in the first ``within`` bytes (all by default). (A quoted newline splits a row
    into lines here: then perhaps none is.)"""
    number, length, read = 1, 0, 0
    try:
        with path.open("rb") as f:
            while (within is None or read - length <= within) and (chunk := f.read(1 << 20)):
                read += len(chunk)
                start = 0
                while (end := chunk.find(b"\n", start)) != -1:
                    length += end - start
                    if length > longest:
                        return number, length
                    number, length, start = number + 1, 0, end + 1
                length += len(chunk) - start
    except OSError:
        return None
    return (number, length) if length > longest else None


#: A Parquet export whose metadata names bytes past its end, in words.
PAST_END = (
    "is corrupt: its metadata names bytes past its end (a copy or a download cut short?): export it again"
)


def parquet_past_end(con: Any, cfg: SourceConfig, path: Path) -> None:
    """MeasureError at a Parquet export whose metadata (its footer, read alone) names bytes
    past the file's end: bytes missing from it, a copy cut short and patched. DuckDB 2.0
    says so in its terms ("Prefetch registered for bytes outside file"); 1.x, the release
    for Python 3.10, read the bytes that took their place and said "Snappy decompression
    failure". A footer that does not read is left to DuckDB's read, which says why."""
    import duckdb

    starts = "LEAST(data_page_offset, COALESCE(dictionary_page_offset, data_page_offset))"
    try:
        found = run_duckdb(
            con,
            f"SELECT MAX({starts} + total_compressed_size) AS ends "
            f"FROM parquet_metadata({sql_string(literal_path(path))})",
        )
        size = path.stat().st_size
    except duckdb.InterruptException:
        raise
    except (duckdb.Error, OSError):
        return
    ends = found[0]["ends"] if found else None
    if ends is not None and int(ends) > size:
        raise MeasureError(f"source '{cfg.name}': {path.name} {PAST_END}", file=path)


def same_fields(
    cfg: SourceConfig,
    res: Resolved,
    groups: Mapping[tuple[str, tuple[str, ...]], list[Path]],
    root: Path,
    canonical: Mapping[str, str],
) -> None:
    """Each file of a source has every field some file of it has, or MeasureError names the
    file and the column. Read by name together, a monthly export with a column renamed, or
    an empty or garbled file, gave its rows no value there: a month measured without its
    tags, or no rows at all, and nothing said (the union of the headers had the column)."""
    for (_, header), group in groups.items():
        first = group[0]
        where = in_project(first, root)
        if len(group) > 1:
            where += f" (and {len(group) - 1} more with its columns)"
        if not any(f.stat().st_size for f in group):
            raise MeasureError(f"source '{cfg.name}': {where} is empty: not even a header row", file=first)
        own = resolve(cfg, list(header), where, canonical, first)  # id and created: its own error
        lacking = sorted(res.available - own.available)
        if lacking:
            name = lacking[0]
            raise MeasureError(
                f"source '{cfg.name}': {where} has no column '{own.missing[name]}' for the "
                f"{FIELD_NAMES.get(name, name)} field, which other files of this source have "
                f"({cfg.describe()}): its rows would be measured without it. Export it with "
                f"the same columns, or map the column under [sources.{cfg.name}.columns].",
                file=first,
            )


#: What each export's head is checked for, in order, before DuckDB reads it.
HEAD_CHECKS: tuple[Callable[[SourceConfig, Path, bytes], None], ...] = (
    _check_empty,
    _check_not_text,
    _check_encoding,
    _check_nul_header,
    _check_duplicate_columns,
)
