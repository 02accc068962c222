"""Output for terminals that are not UTF-8 (a Windows console's cp1252, a Latin-1 locale).

journeymaps writes a few symbols (``→`` in a diff, ``✓`` for a fix) and quotes the maps' own
text, which may hold any character. Where standard output cannot encode one, the run ended
in "internal error: UnicodeEncodeError" after printing nothing. There, the symbols are
written in ASCII (``->``) and any other character as a Python escape (``\\u2603``), as
Python's own standard error does: readable, and never a failure. JSON written there is
all ASCII instead (``\\u2192``): its data stays exact, and valid JSON.
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TextIO

#: The symbols journeymaps writes, as ASCII; anything else unencodable is escaped.
ASCII = {
    "→": "->",
    "←": "<-",
    "✓": "*",
    "…": "...",
    "—": "--",
    "\u2013": "-",  # en dash
    "·": "-",
    "\u203a": ">",  # between a stage's name and its step's (journeymaps.finding_words)
}
ERRORS = "journeymaps-ascii"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    return "".join(ASCII.get(c) or c.encode("ascii", "backslashreplace").decode() for c in text), exc.end


def fall_back_to_ascii() -> None:
    """Standard output and error write what their encoding cannot hold as :data:`ASCII` (a
    UTF-8 stream is left alone)."""
    codecs.register_error(ERRORS, _fallback)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not writes_utf8(stream):
            stream.reconfigure(errors=ERRORS)


def writes_utf8(stream: TextIO) -> bool:
    """Whether ``stream`` holds any character as written (a file journeymaps writes, a
    buffer, a UTF-8 terminal); JSON for another is written in ASCII."""
    encoding = getattr(stream, "encoding", None)
    return not encoding or codecs.lookup(encoding).name == "utf-8"


def open_closed_streams() -> bool:
    """Standard input and error that the caller closed (``<&-``, ``2>&-``) opened on the
    null device: code that reads or writes them met None ('internal error: AttributeError'
    from lint and build). Opened first thing, they take descriptors 0 and 2 again,
    so no file opened later takes one of them, and with it what a helper process (a
    drawing worker, Graphviz) writes there. False when standard output is closed: what a
    command writes there is what it is for, so the caller refuses to run, as ``ls >&-``
    does."""
    import os
    from pathlib import Path

    if sys.stdin is None:
        sys.stdin = Path(os.devnull).open(encoding="utf-8")  # noqa: SIM115 - for the whole run
    if sys.stderr is None:
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - for the whole run
    return sys.stdout is not None
