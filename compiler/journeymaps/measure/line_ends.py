"""The line ends of a CSV export. DuckDB's sniffer fails on a file that mixes them (a
Windows export with lines of another tool's appended) with "Error when sniffing file",
which says nothing a user can fix."""

from __future__ import annotations

import re
from pathlib import Path

from journeymaps.measure.sniff import sniffed_lines

#: A line end -> its name in a message.
KINDS = {b"\r\n": "CRLF (Windows)", b"\n": "LF", b"\r": "CR (classic Mac)"}
#: What the scan stops at: a quote (a quoted field may hold line ends of any kind, as a
#: ticket's pasted text does) or a line end.
_STOPS = re.compile(rb'"|\r\n|\n|\r')


def mixed_line_ends(path: Path) -> tuple[str, str, int] | None:
    """The line end ``path`` ends its first row with, another kind that ends a later row, and
    that row's last line (as an editor numbers lines); None when its rows end one way (in the
    lines DuckDB's sniffer samples, read a MB at a time), or it cannot be read. (Its first
    16 MB were looked at: past them, an export of long rows was said as "Error when sniffing
    file".)"""
    quoted, line, first = False, 1, None
    held = b""  # a chunk's last \r: perhaps half of a CRLF
    try:
        for chunk in sniffed_lines(path):
            text = held + chunk
            held = b"\r" if text.endswith(b"\r") else b""
            for stop in _STOPS.finditer(text, 0, len(text) - len(held)):
                end = stop.group()
                if end == b'"':
                    quoted = not quoted  # a doubled quote ("") toggles twice
                    continue
                if not quoted:
                    if first is None:
                        first = end
                    elif end != first:
                        return KINDS[first], KINDS[end], line
                line += 1
    except OSError:
        return None
    if held and not quoted and first is not None and first != held:  # the file's last byte
        return KINDS[first], KINDS[held], line
    return None


def line_at(path: Path, offset: int) -> int | None:
    """The line of ``path`` that byte ``offset`` is on (its lines ended as :func:`newline_of`
    says), read once up to it; None when the file cannot be read."""
    newline, count, left = newline_of(path), 0, offset
    try:
        with path.open("rb") as f:
            while left > 0 and (chunk := f.read(min(left, 1 << 20))):
                count += chunk.count(newline)
                left -= len(chunk)
    except OSError:
        return None
    return count + 1


def newline_of(path: Path) -> bytes:
    """CR when the start of ``path`` ends its lines with CR alone (no LF in its first MB,
    a CR in it), else LF."""
    try:
        with path.open("rb") as f:
            head = f.read(1 << 20)
    except OSError:
        return b"\n"
    return newline_in(head)


def newline_in(head: bytes) -> bytes:
    """:func:`newline_of` a file whose first MB is ``head``: what its lines are counted by
    (a CRLF line ends with an LF too)."""
    return b"\r" if b"\r" in head and b"\n" not in head else b"\n"
