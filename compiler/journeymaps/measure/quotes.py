"""A CSV value whose opening quote is not closed where the value ends. DuckDB's sniffer then
reads the whole export with no quoting at all: every quoted value with its quotes (``""`` as
two), and a quoted delimiter splitting its value, with nothing said."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: The delimiters a CSV export is written with; a value starts after one, or a line's start.
DELIMITERS = b",;\t|"
#: A quote that opens a value, and a quoted value (``""`` inside it is one quote).
_OPENS = re.compile(rb'(?:^|(?<=[,;\t|]))"', re.M)
_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')
#: What may follow a closing quote: a delimiter or a line end.
_AFTER = frozenset(DELIMITERS + b"\r\n")


def unclosed_quote(text: bytes, whole: bool) -> int | None:
    """The offset in ``text`` (a CSV's start; all of it when ``whole``) of the first quote that
    opens a value and is not closed where the value ends: never closed (in a ``whole`` file),
    or closed by a quote followed by more of the value (the next value's opening quote, when
    this one was never closed). None when every quoted value in ``text`` is closed."""
    pos = 0
    while (opens := _OPENS.search(text, pos)) is not None:
        start = opens.start()
        quoted = _QUOTED.match(text, start)
        if quoted is None:
            return start if whole else None
        end = quoted.end()
        if end < len(text) and text[end] not in _AFTER:
            return start
        pos = end
    return None


_QUOTE = ord('"')


@dataclass
class Unclosed:
    """Where a quote left open is: its line, and the file offsets of that line and of it."""

    line: int
    line_start: int
    at: int


def unclosed_quote_in(chunks: Iterable[bytes], whole: bool, newline: bytes = b"\n") -> Unclosed | None:
    """:func:`unclosed_quote` over a CSV's start read a chunk at a time (all of the file when
    ``whole``), quote by quote, what is open carried from one chunk to the next: memory and
    time do not grow with the lines looked at (a regular expression over the text kept since
    a multi-line quoted value began was quadratic). As :func:`unclosed_quote`, a value still
    open where a start ends is said when it has a doubled quote (the empty values it ran
    over, ``""``), else left to the rest of the file. Lines are counted by ``newline`` (CR in
    an export saved as "CSV (Macintosh)": counted by LF, its quote was said at line 1)."""
    opening = DELIMITERS + newline  # what a value's opening quote follows
    inside = pairs = False
    found = Unclosed(1, 0, 0)  # the last value opened
    line, line_start, counted = 1, 0, 0  # lines to ``counted`` (a file offset)
    offset, before, carry = 0, newline[0], b""  # ``text``'s offset, the byte before it

    def to(end: int) -> None:  # lines counted to ``offset + end`` of ``text``
        nonlocal line, line_start, counted
        begin = max(0, counted - offset)
        line += text.count(newline, begin, end)
        last = text.rfind(newline, begin, end)
        if last != -1:
            line_start = offset + last + 1
        counted = offset + end

    for chunk in chunks:
        text, carry, pos = carry + chunk, b"", 0
        while (q := text.find(b'"', pos)) != -1:
            if not inside:
                if (text[q - 1] if q else before) in opening:
                    to(q)
                    inside, pairs, found = True, False, Unclosed(line, line_start, offset + q)
                pos = q + 1
            elif q + 1 == len(text):
                carry = text[q:]  # a doubled quote, or the value's end? The next chunk says.
                break
            elif text[q + 1] == _QUOTE:
                pairs, pos = True, q + 2
            elif text[q + 1] in _AFTER:
                inside, pos = False, q + 1
            else:
                return found  # closed by a quote followed by more of the value
        used = len(text) - len(carry)
        to(used)
        before = text[used - 1] if used else before
        offset += used
    # A quote as the last byte closes the value there: what follows is not known.
    return found if inside and not carry and (whole or pairs) else None
