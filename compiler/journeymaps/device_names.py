"""Names Windows keeps for its devices, in any case and with any extension (``con``,
``Con.html``, ``NUL.yaml``): no file can have one there."""

from __future__ import annotations

import re

#: A name Windows reads as a device: the part before its first dot is one of these.
_DEVICE = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE | re.DOTALL)


def device_name(name: str) -> str | None:
    """The device Windows reads the file name ``name`` as (``con`` for ``Con.yaml``), or None."""
    found = _DEVICE.fullmatch(name.rstrip(" ."))  # Windows drops a trailing dot or space
    return found.group(1).lower() if found else None
