"""Git's conflict markers, left in a file by a merge or rebase it could not finish.

A parser stops at one of the marker lines and names its own grammar ("has no ':' where a
key is expected", TOML's "Invalid statement"): said as what it is instead, in every file
journeymaps reads as text (maps, registries, settings)."""

from __future__ import annotations

import re

#: The lines git writes around the sides of a conflict (``|||||||``: diff3's base).
_MARKER = re.compile(r"(?:<{7}|\|{7}|>{7})(?: |$)")

#: What to do, after the marker quoted.
ADVICE = (
    "is a git conflict marker: a merge left both sides of a change in this file; keep the side "
    "you want and delete the marker lines ('<<<<<<<', '=======', '>>>>>>>')"
)


def first_marker(lines: list[str]) -> int | None:
    """The index of the first line that is a conflict marker, None when none is."""
    return next((number for number, line in enumerate(lines) if _MARKER.match(line)), None)
