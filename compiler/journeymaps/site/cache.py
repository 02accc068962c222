"""Keeping the diagram cache from filling the disk: the least recently used diagrams go first.

Every edit of a map adds its diagrams to the cache (``serve`` rebuilds on each save), and
nothing else ever removes them. A build marks the cached diagrams it used (their modification
time becomes "last used") and then, when the folder holds more than its limit, removes the
ones unused for longest, down to three quarters of the limit so that the next builds do not
prune again at once. The cache is shared by every project of a user, so age is the only fair
measure; an hour of grace keeps what another build is using. (A build that listed a long
unused diagram and copies it after another build pruned it fails cleanly, old site kept;
running it again draws the diagram.)
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from journeymaps.site.staging import SiteError

#: The variable that sets the limit, in megabytes.
LIMIT_VARIABLE = "JOURNEYMAPS_CACHE_MAX_MB"
DEFAULT_LIMIT_MB = 1024
#: A diagram used this recently is never removed (another build may be about to copy it).
GRACE_SECONDS = 3600.0


def limit() -> int:
    """The cache's limit in bytes (a usage error when the variable is not a whole number)."""
    value = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_LIMIT_MB * 1024 * 1024
    if not value.isdigit():
        raise SiteError(f"{LIMIT_VARIABLE} must be a whole number of megabytes, not {value!r}")
    return int(value) * 1024 * 1024


def mark_used(files: Iterable[Path]) -> None:
    """Make each file's modification time "now": it was just used."""
    for path in files:
        with contextlib.suppress(OSError):  # gone meanwhile: nothing to keep
            os.utime(path)


def prune(folder: Path, limit_bytes: int, now: float | None = None) -> int:
    """Remove the least recently used SVGs of ``folder`` while it holds more than
    ``limit_bytes``, down to three quarters of it; the number of files removed."""
    entries: list[tuple[float, int, str]] = []
    total = 0
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if not entry.name.endswith(".svg"):
                    continue  # a writer's temporary file, or not ours
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    entries.append((st.st_mtime, st.st_size, entry.path))
                    total += st.st_size
    except OSError:  # no cache yet, or unreadable: nothing to do
        return 0
    if total <= limit_bytes:
        return 0
    target = limit_bytes * 3 // 4
    young = (time.time() if now is None else now) - GRACE_SECONDS
    removed = 0
    for mtime, size, path in sorted(entries):
        if total <= target or mtime > young:
            break
        with contextlib.suppress(OSError):
            Path(path).unlink()
            total -= size
            removed += 1
    return removed
