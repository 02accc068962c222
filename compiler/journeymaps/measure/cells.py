"""Where a value of an export's column is written: the line and column of its cell, for a
finding about that value. A value's first place anywhere in the file was taken for it, and
the same date in another column of an earlier line (a ticket's 'Updated at') was pointed at."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from journeymaps.measure.export_checks import first_line
from journeymaps.measure.line_ends import newline_of
from journeymaps.measure.sources import FILE_KINDS, WHITESPACE

#: A CSV dialect's option as sniff_csv's SQL writes it (``delim=';'``, a quote as ``''''``).
_OPTION = re.compile(r"\b(delim|quote|escape|new_line)='((?:[^']|'')*)'")
#: The lines it says DuckDB skips before the header (``skip=2``).
_SKIP = re.compile(r"\bskip=([0-9]+)")


def value_at(path: Path, value: str) -> tuple[int, int]:
    """The first line of a CSV or JSON Lines file that has ``value`` and its column there;
    line 0 when none (a Parquet file, a value JSON escapes)."""
    if FILE_KINDS[path.suffix.lower()] == "parquet":
        return 0, 1
    needle = value.encode("utf-8")

    def column(text: bytes) -> int | None:
        at = text.find(needle)
        return None if at == -1 else _column(text, at)

    if newline_of(path) == b"\n":
        return first_line(path, column) or (0, 1)
    try:  # an export saved as "CSV (Macintosh)": read as one line, its line 1 was said
        return next(((n, c) for n, text in _lines(path, b"\r") if (c := column(text)) is not None), (0, 1))
    except OSError:
        return 0, 1


def cell_at(
    path: Path, columns: Sequence[str], header: str, value: str, dialect: str = ""
) -> tuple[int, int]:
    """The line and column of the first cell of column ``header`` (one of the export's
    ``columns``, in order) that holds ``value``: of a CSV read with ``dialect`` (its sniffed
    options, see SniffedCsv), or a JSON Lines file; of a CSV, line 0 (not known) when no
    cell of the column holds it: the same text elsewhere (a description quoting the date)
    was said as its precise place. Else where :func:`value_at` finds it."""
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
            skip = int(found_skip[1]) if (found_skip := _SKIP.search(dialect)) else 0
            field_of = (columns.index(header), len(columns))
            found = _csv_cell(path, field_of, value, delim, quote, escape, newline, skip)
            return found or (0, 1)
        if kind == "json":
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
    field_of: tuple[int, int],
    value: str,
    delim: str,
    quote: str | None,
    escape: str | None = None,
    newline: bytes = b"\n",
    skip: int = 0,
) -> tuple[int, int] | None:
    """The first cell of field ``index`` whose text, as DuckDB reads it (unquoted, its
    doubled quotes one, trimmed as measure trims it), is ``value``: the line and column of
    its first character that is not whitespace. A line without a quote nor the value's
    start is passed over whole (most); one without the value's start, where its quotes
    leave off found by regular expressions (:class:`_Ends`); else it is read from delimiter
    to quote to delimiter, as a reader does (read a byte at a time, a 200 MB export of
    multi-line descriptions took 43 s, not 1, and a line of 50 MB minutes). A cell's text is read
    across the lines it spans: a value with a line break or a doubled quote in it, or
    after a quoted line break, was not found (its finding said without a line, or at the
    same text in another column); and a quote inside a value not quoted (5" screen) is a
    character of it, as DuckDB reads it, not the start of a value that took the lines
    after it for one record. ``field_of``: the field's index, and how many the header has.
    A record DuckDB sets aside (see :func:`_kept`) holds no cell: its cell was said, and the
    row DuckDB read with the value (the finding's) below it was not."""
    index, size = field_of
    d = delim.encode("utf-8")
    q = quote.encode("utf-8") if quote else None
    # an escape other than the quote: \" is a quote in the value, not its end
    e = escape.encode("utf-8") if escape and escape != quote else None
    # what may come before a value's opening quote: one space, as DuckDB reads it (a quote
    # after a tab or two spaces is a character, and the lookup took it for a value's start)
    blank = b"" if d == b" " else b" "
    opens = {o for o in (q, blank) if o}  # what a quoted value's cell starts with
    # what every line a matching cell's text starts on holds: the value's first part that
    # a quote, an escape or a line break does not cut (its bytes as the file writes them)
    key = value.encode("utf-8")
    for stop in (q, e, b"\n", b"\r"):
        if stop:
            key = key.split(stop, 1)[0]
    ends = _Ends.of(index, d, q, blank) if e is None else None
    next_q, next_e = _Next(q), _Next(e)
    lines = _lines(path, newline)
    for _ in range(skip):  # lines DuckDB skips before the header
        next(lines, None)
    # the header is no row (a ticket dated 'Created at' was said at line 1): read past it as
    # the rest of a record after a delimiter (its first name may be quoted)
    header = next(lines, None)
    if header is None or _kept((header[0], d + header[1], 0), -1, 0, d, q, e, newline, lines) is None:
        return None
    field, quoted = 0, False  # where the line before left off: in a quoted value, at its field
    aside = False  # text after a closing quote in the record: DuckDB sets it aside
    for number, text in lines:
        if not quoted:
            field, aside = 0, False
        if key not in text and (q is None or q not in text) and (e is None or e not in text):
            continue  # most lines: no quote says where they end, and no cell of the value
        if ends is not None and key not in text and (not quoted or field > index):
            state = ends.after(text, quoted)
            if state is not None:  # past the cell, where the line ends read in C, not by cell
                field, quoted = max(field, index + 1), state
                continue
        i, start = 0, not quoted  # start: at a field's first byte
        # the cell's start, when this line does not hold the value's and it was passed over
        # (as most are, unread); -2: it goes on on the next line, to be read from its start
        passed = -1
        while True:
            if quoted:
                assert q is not None  # quoted only after a quote
                at = next_q.find(text, i)
                if e is not None and (escaped := next_e.find(text, i)) != -1 and (at == -1 or escaped < at):
                    # the escape and the byte it escapes (the rest of a character is no quote)
                    i = escaped + len(e) + 1
                    continue
                if at == -1 and passed >= 0:  # the cell passed over: its value may start below
                    quoted, start, i, passed = False, True, passed, -2
                    continue
                if at == -1:
                    break  # the value goes on on the next line
                if e is None and text.startswith(q + q, at):  # a quote in the value
                    i = at + 2 * len(q)
                    continue
                quoted, i = False, at + len(q)
                # a record set aside past its cell's field holds no cell (most: a delimiter next)
                if field <= index and not text.startswith(d, i):
                    aside = aside or not _closed(text, i, d, newline)
            # a quoted cell with an escape may hold the value, its text not as the file writes
            # it: an escape before any character is that character (C:\\Ébauches)
            elif (
                start
                and field == index
                and (
                    passed == -2
                    or text.find(key, i) != -1
                    or (
                        e is not None
                        and text[i : i + 1] in opens
                        and _escaped(text, _opening(text, i, blank), next_q, next_e)
                    )
                )
            ):
                passed = -1
                cell = _Cell(value, blank, d, q, e, newline)
                end = cell.read(number, text, i, lines)
                if end is None:  # the file ends inside the cell's quotes
                    return cell.place
                if cell.place is not None:
                    kept = _kept(end, field, size, d, q, e, newline, lines)
                    if kept and not aside:
                        return cell.place
                    if kept is None:  # the file ends inside a later cell's quotes
                        return None
                    quoted = False  # the record set aside ends at its line's end
                    break
                number, text, i = end
            elif start:
                passed = i if field == index else -1
                opened = _opening(text, i, blank)
                if q is not None and text.startswith(q, opened):
                    quoted, i, start = True, opened + len(q), False
                    continue
            start = False
            if (
                field > index
                and (q is None or next_q.find(text, i) == -1)
                and (e is None or next_e.find(text, i) == -1)
            ):
                break  # past the cell, and no quote to say the record goes on
            # a quote inside a value not quoted is a character of it, as DuckDB reads it (5" screen)
            at_delim = text.find(d, i)
            if at_delim == -1:
                break
            field, start, i, passed = field + 1, True, at_delim + len(d), -1
    return None


class _Ends:
    """Regular expressions that say whether a line of a CSV file ends inside a quoted
    value, past field ``index``: a line of quoted cells (a description's first line) read
    cell by cell in Python took twice as long as DuckDB's whole read of the export."""

    def __init__(self, index: int, d: bytes, q: bytes, blank: bytes) -> None:
        # the blank before an opening quote (one), and the blanks after a closing one
        lead, b = (
            (b"(?:" + re.escape(blank) + b")?", b"[" + re.escape(blank) + b"]*") if blank else (b"", b"")
        )
        qe, de = re.escape(q), re.escape(d)

        # a quoted value's text and its closing quote, the first not doubled: the text's
        # parts (a character, a doubled quote) start with different bytes, so a line that
        # does not match is given up in time linear in its length, not tried every way
        value = rb"(?:[^%s]|%s%s)*%s(?!%s)" % (qe, qe, qe, qe, qe)
        cell = rb"(?:%s%s%s%s|(?!%s%s)[^%s\r\n]*)" % (lead, qe, value, b, lead, qe, de)
        self.cells = re.compile(rb"(?:%s%s){%d}%s" % (cell, de, index, cell))
        self.close = re.compile(value)
        # the cells after one, to the line's end, the last maybe a quoted value going on
        opened = rb"%s%s%s(?:[^%s]|%s%s)*" % (de, lead, qe, qe, qe, qe)
        self.rest = re.compile(rb"%s(?:%s%s)*(?P<open>%s)?\r?\n?\Z" % (b, de, cell, opened))

    @classmethod
    def of(cls, index: int, d: bytes, q: bytes | None, blank: bytes) -> _Ends | None:
        """The expressions for a dialect of one-byte delimiter and quote, else None."""
        return cls(index, d, q, blank) if q is not None and len(q) == 1 and len(d) == 1 else None

    def after(self, text: bytes, quoted: bool) -> bool | None:
        """Whether ``text`` ends inside a quoted value, when it starts inside one (``quoted``)
        past the field, or when its fields up to the field's end on it; else None (unknown:
        a line a reader would not read so, to be read cell by cell)."""
        found = self.close.match(text) if quoted else self.cells.match(text)
        if found is None:
            return True if quoted else None  # no closing quote: the value goes on
        rest = self.rest.match(text, found.end())
        return None if rest is None else rest["open"] is not None


class _Next:
    """Where ``needle`` is next in a line, at or after a byte: found once, and asked again
    only past it. A line of many cells asked for its next quote at each cell (or a quoted
    value of many escapes at each escape), each time searched to the line's end: a line of
    2.5 MB took a minute."""

    def __init__(self, needle: bytes | None) -> None:
        self.needle = needle
        self.text = b""
        self.start = self.at = -1  # searched from ``start``, found at ``at`` (-1: not there)

    def find(self, text: bytes, i: int) -> int:
        """``text.find(needle, i)`` (-1 when there is no needle)."""
        if self.needle is None:
            return -1
        if text is not self.text or i < self.start or (self.at != -1 and i > self.at):
            self.text, self.start, self.at = text, i, text.find(self.needle, i)
        return self.at


#: The most bytes of a cell's text kept beyond its value's (whitespace around it): a longer
#: text is no match, and a description of 50 MB in the column is not held in memory.
_ROOM = 4096


class _Cell:
    """One cell of a CSV file read from its first byte, across the lines it spans, with
    where its text is: :attr:`place`, the line and column of its first character that is
    not whitespace, when its text trimmed is the value looked for."""

    def __init__(self, value: str, blank: bytes, d: bytes, q: bytes | None, e: bytes | None, nl: bytes):
        self.value, self.blank, self.d, self.q, self.e, self.nl = value, blank, d, q, e, nl
        self.room = len(value.encode("utf-8")) + _ROOM
        self.parts: list[tuple[int, bytes, int, bytes]] = []  # line, its text, where, bytes
        self.size = 0
        self.place: tuple[int, int] | None = None

    def _keep(self, number: int, text: bytes, at: int, part: bytes) -> None:
        if part and self.size <= self.room:
            self.parts.append((number, text, at, part))
            self.size += len(part)

    def read(
        self, number: int, text: bytes, i: int, lines: Iterator[tuple[int, bytes]]
    ) -> tuple[int, bytes, int] | None:
        """Read the cell starting at byte ``i`` of line ``number`` (``text``), the lines after
        it taken from ``lines``; where the reading goes on after it (its delimiter, or the end
        of its line), or None when the file ends inside its quotes."""
        q, e = self.q, self.e
        opened = _opening(text, i, self.blank)
        if q is None or not text.startswith(q, opened):
            end = _line_end(text, self.nl)
            at_delim = text.find(self.d, i, end)
            stop = end if at_delim == -1 else at_delim
            self._keep(number, text, i, text[i:stop])
            self._settle()
            return number, text, stop
        i = opened + len(q)
        next_q, next_e = _Next(q), _Next(e)
        while True:
            at = next_q.find(text, i)
            escaped = next_e.find(text, i)
            if escaped != -1 and (at == -1 or escaped < at):
                assert e is not None
                self._keep(number, text, i, text[i:escaped])
                # the whole character it escapes: a byte of a no-break space was no blank
                i = _char_end(text, escaped + len(e))
                self._keep(number, text, escaped + len(e), text[escaped + len(e) : i])
            elif at == -1:  # a line break in the cell: its text goes on on the next line
                self._keep(number, text, i, text[i:])
                found = next(lines, None)
                if found is None:  # the file's end ends the cell too (DuckDB said so before)
                    self._settle()
                    return None
                number, text = found
                i = 0
            elif e is None and text.startswith(q + q, at):  # a quote in the value, doubled
                self._keep(number, text, i, text[i:at])
                self._keep(number, text, at, q)
                i = at + 2 * len(q)
            else:
                self._keep(number, text, i, text[i:at])
                self._settle()
                return number, text, at + len(q)

    def _settle(self) -> None:
        """Set :attr:`place` when the cell's text, trimmed, is the value."""
        if self.size > self.room:
            return
        whole = b"".join(part for *_, part in self.parts).decode("utf-8", "replace")
        if whole.strip(WHITESPACE) != self.value:
            return
        for number, text, at, part in self.parts:
            words = part.decode("utf-8", "replace")
            if rest := words.lstrip(WHITESPACE):
                at += len(words[: len(words) - len(rest)].encode("utf-8"))
                self.place = number, _column(text, at)
                return


def _escaped(text: bytes, opened: int, next_q: _Next, next_e: _Next) -> bool:
    """Whether the cell whose text starts at byte ``opened`` of ``text`` is quoted, with an
    escape before its closing quote on this line. (Not one unquoted: DuckDB keeps its
    backslashes as they are.)"""
    q, e = next_q.needle, next_e.needle
    if q is None or e is None or not text.startswith(q, opened):
        return False
    escaped, closing = next_e.find(text, opened + len(q)), next_q.find(text, opened + len(q))
    return escaped != -1 and (closing == -1 or escaped < closing)


def _closed(text: bytes, i: int, d: bytes, newline: bytes) -> bool:
    """Whether a quoted value that closes before byte ``i`` of ``text`` ends its cell there, as
    DuckDB reads it: spaces, then the delimiter or the line's end (not a tab, nor text)."""
    if text.startswith(d, i):  # most
        return True
    j = _after(text, i, b"" if d == b" " else b" ")
    return j >= _line_end(text, newline) or text.startswith(d, j)


def _kept(
    end: tuple[int, bytes, int],
    field: int,
    size: int,
    d: bytes,
    q: bytes | None,
    e: bytes | None,
    newline: bytes,
    lines: Iterator[tuple[int, bytes]],
) -> bool | None:
    """Whether DuckDB (``null_padding = false``) keeps the record whose field ``field`` ends at
    ``end`` (a line, its text, the byte after the cell), its other cells read on to the
    record's end from ``lines``; None when the file ends inside a cell's quotes. It sets aside
    a record of fewer cells than the header's ``size``, of more that are not empty (a trailing
    ``,,`` or ``,""`` it reads), or with text after a closing quote (``"x"y``)."""
    _, text, i = end
    kept, spaces = True, b"" if d == b" " else b" "
    # each found once a line (a quoted cell of a million escapes searched its closing quote
    # at each: a line of 2 MB took seconds)
    next_q, next_e = _Next(q), _Next(e)
    while True:
        stop = _line_end(text, newline)
        if not _closed(text, i, d, newline):
            kept = False  # text after a closing quote, read on to the delimiter as DuckDB does
        at = text.find(d, i, stop)
        if at == -1:
            return kept and field + 1 >= size
        field, i = field + 1, at + len(d)
        opened = _opening(text, i, spaces)
        if q is None or not text.startswith(q, opened):
            at = text.find(d, i, stop)
            empty, i = at == i or i == stop, stop if at == -1 else at
            kept = kept and (field < size or empty)
            continue
        i = empty_at = opened + len(q)
        while True:  # to the closing quote, across the lines the value spans
            at, escaped = next_q.find(text, i), next_e.find(text, i)
            if escaped != -1 and (at == -1 or escaped < at):
                i = escaped + len(e or b"") + 1  # the rest of a character is no quote
            elif at == -1:
                found = next(lines, None)
                if found is None:
                    return None
                (_, text), i, empty_at = found, 0, -1
            elif e is None and text.startswith(q + q, at):
                i = at + 2 * len(q)
            else:
                kept = kept and (field < size or at == empty_at)
                i = at + len(q)
                break


def _char_end(text: bytes, at: int) -> int:
    """Where the UTF-8 character that starts at byte ``at`` of ``text`` ends."""
    lead = text[at] if at < len(text) else 0
    return min(len(text), at + (1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4))


def _opening(text: bytes, i: int, blank: bytes) -> int:
    """Where a value that starts at byte ``i`` of ``text`` may have its opening quote: past
    one ``blank`` (a space), as DuckDB reads it."""
    return i + 1 if blank and text.startswith(blank, i) else i


def _after(text: bytes, i: int, blanks: bytes) -> int:
    """Where the blanks at byte ``i`` of ``text`` end (not a copy of the rest of a line per
    cell: a line of many cells would take time in its length times theirs)."""
    while i < len(text) and text[i] in blanks:
        i += 1
    return i


def _line_end(text: bytes, newline: bytes) -> int:
    """Where a line's text ends, before its line end (CRLF, LF, or CR alone)."""
    if newline == b"\n" and text.endswith(b"\n"):
        return len(text) - (2 if text.endswith(b"\r\n") else 1)
    return len(text) - 1 if text.endswith(newline) else len(text)


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
