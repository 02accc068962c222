"""Names a Windows checkout cannot hold: those it keeps for its devices, in any case and with
any extension (``con``, ``Con.html``, ``NUL.yaml``), and those with a character it refuses
or a dot or space at the end (which it drops)."""

from __future__ import annotations

import re

#: A name Windows reads as a device: the part before its first dot is one of these (the
#: superscript digits too: Windows reads ``COM¹`` as ``COM1``).
_DEVICE = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE | re.DOTALL)
#: Characters no Windows file name may hold.
_REFUSED = re.compile(r'[<>:"\\|?*\x00-\x1f]')


def device_name(name: str) -> str | None:
    """The device Windows reads the file name ``name`` as (``con`` for ``Con.yaml``), or None."""
    found = _DEVICE.fullmatch(name.rstrip(" ."))  # Windows drops a trailing dot or space
    return found.group(1).lower() if found else None


def name_problem(name: str) -> str | None:
    """Why Windows cannot hold a file or folder named ``name``, in words to follow "this
    file's name" ("is 'con' to Windows, a device"); None when it can."""
    if (device := device_name(name)) is not None:
        return f"is '{device}' to Windows, a device"
    if (refused := _REFUSED.search(name)) is not None:
        return f"has {refused.group()!r}, which Windows does not allow in a name"
    if name.endswith((".", " ")):
        return f"ends in a {'dot' if name.endswith('.') else 'space'}, which Windows drops from a name"
    return None
