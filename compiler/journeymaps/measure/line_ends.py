"""The line ends of a CSV export. DuckDB's sniffer fails on a file that mixes them (a
Windows export with lines of another tool's appended) with "Error when sniffing file",
which says nothing a user can fix."""

from __future__ import annotations

import re
from pathlib import Path

#: A line end -> its name in a message.
KINDS = {b"\r\n": "CRLF (Windows)", b"\n": "LF", b"\r": "CR (classic Mac)"}
#: What the scan stops at: a quote (a quoted field may hold line ends of any kind, as a
#: ticket's pasted text does) or a line end.
_STOPS = re.compile(rb'"|\r\n|\n|\r')
#: The bytes looked at: DuckDB's sniffer samples the start of a file.
LOOKED_AT = 16 << 20


def mixed_line_ends(path: Path) -> tuple[str, str, int] | None:
    """The line end ``path`` ends its first row with, another kind that ends a later row, and
    that row's last line (as an editor numbers lines); None when its rows end one way (in its
    first :data:`LOOKED_AT` bytes), or it cannot be read."""
    try:
        with path.open("rb") as f:
            head = f.read(LOOKED_AT)
    except OSError:
        return None
    if len(head) == LOOKED_AT and head.endswith(b"\r"):  # perhaps half of a CRLF
        head = head[:-1]
    quoted, line, first = False, 1, None
    for stop in _STOPS.finditer(head):
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
    return None
