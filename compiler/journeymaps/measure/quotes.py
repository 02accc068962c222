"""A CSV value whose opening quote is not closed where the value ends. DuckDB's sniffer then
reads the whole export with no quoting at all: every quoted value with its quotes (``""`` as
two), and a quoted delimiter splitting its value, with nothing said."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    return _scan(text, whole)[0]


def unclosed_quote_in(chunks: Iterable[bytes], whole: bool) -> tuple[int, bytes] | None:
    """:func:`unclosed_quote` over a CSV's start read a chunk at a time (all of the file when
    ``whole``): the line of the quote, and the text from that line's start. Only what is not
    yet decided (a part line, a quoted value still open) is kept from one chunk to the next,
    so memory does not grow with the lines looked at."""
    kept, line, running = b"", 1, False
    for chunk in chunks:
        kept += chunk
        cut = kept.rfind(b"\n") + 1
        if not cut or (running and b'"' not in chunk):
            continue  # a value still open, and no quote that could close it: nothing new
        found, resume = _scan(kept[:cut], False)
        if found is not None:
            return _line_of(kept, found, line)
        running = resume < cut
        if running:  # from its line's start: where the quote is said
            resume = kept.rfind(b"\n", 0, resume) + 1
        line += kept.count(b"\n", 0, resume)
        kept = kept[resume:]
    found, _ = _scan(kept, whole)
    return None if found is None else _line_of(kept, found, line)


def _line_of(text: bytes, at: int, first: int) -> tuple[int, bytes]:
    """The line of offset ``at`` in ``text`` (whose first line is line ``first``), and the
    text from that line's start."""
    return first + text.count(b"\n", 0, at), text[text.rfind(b"\n", 0, at) + 1 :]


def _scan(text: bytes, whole: bool) -> tuple[int | None, int]:
    """:func:`unclosed_quote`, and where a look at more of the export resumes: the opening
    quote of a value that runs past ``text`` (not ``whole``), else the end of ``text``."""
    pos = 0
    while (opens := _OPENS.search(text, pos)) is not None:
        start = opens.start()
        quoted = _QUOTED.match(text, start)
        if quoted is None:
            return (start if whole else None), start
        end = quoted.end()
        if end < len(text) and text[end] not in _AFTER:
            return start, start
        pos = end
    return None, len(text)
