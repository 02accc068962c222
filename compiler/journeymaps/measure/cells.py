"""Where a value of an export's column is written: the line and column of its cell, for a
finding about that value. A value's first place anywhere in the file was taken for it, and
the same date in another column of an earlier line (a ticket's 'Updated at') was pointed at."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from journeymaps.measure.export_checks import first_line
from journeymaps.measure.sources import FILE_KINDS

#: A CSV dialect's option as sniff_csv's SQL writes it (``delim=';'``, a quote as ``''''``).
_OPTION = re.compile(r"\b(delim|quote|escape|new_line)='((?:[^']|'')*)'")


def value_at(path: Path, value: str) -> tuple[int, int]:
    """The first line of a CSV or JSON Lines file that has ``value`` and its column there;
    line 0 when none (a Parquet file, a value JSON escapes)."""
    if FILE_KINDS[path.suffix.lower()] == "parquet":
        return 0, 1
    needle = value.encode("utf-8")

    def column(text: bytes) -> int | None:
        at = text.find(needle)
        return None if at == -1 else _column(text, at)

    if _newline(path) == b"\n":
        return first_line(path, column) or (0, 1)
    try:  # an export saved as "CSV (Macintosh)": read as one line, its line 1 was said
        return next(((n, c) for n, text in _lines(path, b"\r") if (c := column(text)) is not None), (0, 1))
    except OSError:
        return 0, 1


def _newline(path: Path) -> bytes:
    """CR when the start of ``path`` ends its lines with CR alone (no LF in its first MB,
    a CR in it), else LF."""
    try:
        with path.open("rb") as f:
            head = f.read(1 << 20)
    except OSError:
        return b"\n"
    return b"\r" if b"\r" in head and b"\n" not in head else b"\n"


def cell_at(
    path: Path, columns: Sequence[str], header: str, value: str, dialect: str = ""
) -> tuple[int, int]:
    """The line and column of the first cell of column ``header`` (one of the export's
    ``columns``, in order) that holds ``value``: of a CSV read with ``dialect`` (its sniffed
    options, see SniffedCsv), or a JSON Lines file. Else where :func:`value_at` finds it."""
    kind = FILE_KINDS[path.suffix.lower()]
    found = None
    try:
        if kind == "csv" and header in columns:
            options = {k: v.replace("''", "'") for k, v in _OPTION.findall(dialect)}
            quote = options.get("quote", '"')
            # the sniffer's "no quote" is written as an empty one, or \0 (so is "no escape")
            quote, escape = (
                v if v not in ("", "\\0", "\0") else None for v in (quote, options.get("escape"))
            )
            delim = options.get("delim") or ","
            # an export saved as "CSV (Macintosh)" ends its lines with CR alone, DuckDB says \r
            newline = b"\r" if options.get("new_line") == "\\r" else b"\n"
            found = _csv_cell(path, columns.index(header), value, delim, quote, escape, newline)
        elif kind == "json":
            found = _json_cell(path, header, value)
    except OSError:
        found = None
    return found or value_at(path, value)


def _column(text: bytes, at: int) -> int:
    """The column (1-based, in characters) of byte ``at`` of a line."""
    return len(text[:at].decode("utf-8", "replace")) + 1


def _lines(path: Path, newline: bytes = b"\n") -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as f:
        for number, text in enumerate(f if newline == b"\n" else _split(f, newline), 1):
            yield number, text.removeprefix(b"\xef\xbb\xbf") if number == 1 else text


def _split(f: BinaryIO, newline: bytes) -> Iterator[bytes]:
    """The lines of ``f`` ended by ``newline`` (each with it), a MB read at a time."""
    pending: list[bytes] = []  # a line's start, read before its end (a line of 50 MB)
    while chunk := f.read(1 << 20):
        *ended, rest = chunk.split(newline)
        for text in ended:
            yield b"".join([*pending, text, newline])
            pending = []
        pending.append(rest)
    if last := b"".join(pending):
        yield last


def _csv_cell(
    path: Path,
    index: int,
    value: str,
    delim: str,
    quote: str | None,
    escape: str | None = None,
    newline: bytes = b"\n",
) -> tuple[int, int] | None:
    """The first cell of field ``index`` that starts with ``value`` (after spaces and its
    opening quote). A line without ``value`` is passed over whole when its quotes say
    where it ends (most); else it is read from delimiter to quote to delimiter, as a reader
    does, up to the cell (read a byte at a time, a 200 MB export of multi-line descriptions
    took 43 s, not 1, and a line of 50 MB minutes)."""
    needle, d = value.encode("utf-8"), delim.encode("utf-8")
    q = quote.encode("utf-8") if quote else None
    # an escape other than the quote: \" is a quote in the value, not its end
    e = escape.encode("utf-8") if escape and escape != quote else None
    blanks = bytes(c for c in b" \t" if c not in d)  # a tab that is the delimiter is no blank
    field, quoted = 0, False  # where the line before left off: in a quoted value, at its field
    for number, text in _lines(path, newline):
        if not quoted:
            field = 0
        if needle not in text and (e is None or e not in text):  # its quotes say where it ends
            ends_quoted = q is not None and quoted != (text.count(q) % 2 == 1)
            if not ends_quoted:  # most lines; the last of a quoted value (a description's)
                quoted = False
                continue
            if quoted and q is not None and q not in text:  # a line of a quoted value going on
                continue
        i, start = 0, not quoted  # start: at a field's first byte
        while i < len(text):
            if field > index and e is None:  # past the cell: only where the line ends matters
                quoted ^= q is not None and text.count(q, i) % 2 == 1
                break
            if start and field == index:
                cell = len(text) - len(text[i:].lstrip(blanks))
                if q is not None and text.startswith(q, cell):
                    cell += len(q)
                if text.startswith(needle, cell):
                    return number, _column(text, cell)
            start = False
            if quoted:
                assert q is not None  # quoted only after a quote
                end = text.find(q, i)
                if e is not None and (escaped := text.find(e, i)) != -1 and (end == -1 or escaped < end):
                    i = escaped + len(e) + 1  # the escape and the byte it escapes
                    continue
                if end == -1:
                    break
                i = end + 2 * len(q) if text.startswith(q + q, end) else end + len(q)
                quoted = text.startswith(q + q, end)
                continue
            at_delim = text.find(d, i)
            at_quote = -1 if q is None else text.find(q, i)
            if at_quote != -1 and (at_delim == -1 or at_quote <= at_delim):
                quoted, i = True, at_quote + len(q or b"")
            elif at_delim != -1:
                field, start, i = field + 1, True, at_delim + len(d)
            else:
                break
    return None


def _json_cell(path: Path, header: str, value: str) -> tuple[int, int] | None:
    """The first ``"header": "value`` of a JSON Lines file, each character as JSON may
    write it: an export written with escapes (PHP's ``"01\\/13\\/2026"``, Python's
    ``"Cr\\u00e9\\u00e9 le"``) was pointed at its first line. A long value is looked for
    by its start (:data:`_NEEDLE`): the pattern of a 2 MB value took a minute to compile."""
    value = value[:_NEEDLE]
    key = b'"' + _json_text(header) + b'"'
    pair = re.compile(key + rb"\s*:\s*\"(?=" + _json_text(value) + b")")
    # a part no writer escapes (letters and digits), to pass over most lines at once
    part = max(re.findall(rb"[A-Za-z0-9]+", value.encode("utf-8")), key=len, default=b"")

    def column(text: bytes) -> int | None:
        found = pair.search(text) if part in text else None
        return None if found is None else _column(text, found.end())

    return first_line(path, column)


#: The most characters of a value a JSON Lines cell is found by (a cell that starts with
#: them): more tell no cell from another, and each is a part of a pattern compiled.
_NEEDLE = 1000


#: The characters JSON may write with a short escape.
_SHORT = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}


def _json_text(text: str) -> bytes:
    """A pattern of ``text`` inside a JSON string, each character as written or escaped."""
    parts = []
    for c in text:
        units = c.encode("utf-16-be", "surrogatepass")  # \uXXXX, or two of them beyond the BMP
        escaped = b"".join(
            rb"\\u" + b"".join(b"[%s%s]" % (h.lower().encode(), h.upper().encode()) for h in f"{u:04x}")
            for u in (int.from_bytes(units[i : i + 2], "big") for i in range(0, len(units), 2))
        )
        ways = [] if c in '"\\' or ord(c) < 0x20 else [re.escape(c.encode("utf-8", "surrogatepass"))]
        if c in _SHORT:
            ways.append(re.escape(b"\\" + _SHORT[c].encode()))
        ways.append(escaped)
        parts.append(b"(?:" + b"|".join(ways) + b")")
    return b"".join(parts)
