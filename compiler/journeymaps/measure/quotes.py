"""A CSV value whose opening quote is not closed where the value ends. DuckDB's sniffer then
reads the whole export with no quoting at all: every quoted value with its quotes (``""`` as
two), and a quoted delimiter splitting its value, with nothing said."""

from __future__ import annotations

import re

#: The delimiters a CSV export is written with; a value starts after one, or a line's start.
DELIMITERS = b",;\t|"
#: A quote that opens a value, and a quoted value (``""`` inside it is one quote).
_OPENS = re.compile(rb'(?:^|(?<=[,;\t|]))"', re.M)
_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')
#: What may follow a closing quote: a delimiter or a line end.
_AFTER = frozenset(DELIMITERS + b"\r\n")


def odd_quotes(text: bytes, whole: bool) -> bool:
    """Whether ``text`` (a CSV's start; all of it when ``whole``), up to its last line end,
    holds an odd number of quotes: a quote not closed, or a quoted value running past the
    text (a ticket's pasted lines). A count at memchr's speed, on every export: the scan of
    :func:`unclosed_quote` (45 ms a MB of quoted values) is for those it finds."""
    end = len(text) if whole else text.rfind(b"\n") + 1
    return text.count(b'"', 0, end) % 2 == 1


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
