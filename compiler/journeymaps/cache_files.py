"""Files journeymaps keeps in its cache folder for later runs (the What changed periods, the
search index's parts): each written whole and private, and only the newest kept."""

from __future__ import annotations

import contextlib
import re
import tempfile
import time
from pathlib import Path

#: A writer's temporary file (tempfile's ``tmpXXXXXXXX.tmp``).
_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}\.tmp\Z")


def write_private(path: Path, *chunks: bytes) -> None:
    """``chunks`` as the file at ``path``, replaced whole (a reader never sees half of it),
    mode 0600 as :func:`journeymaps.cache_seal.read_owned` asks; OSError when it cannot be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        for chunk in chunks:  # not joined first: a large payload is not copied
            tmp.write(chunk)
    Path(tmp.name).replace(path)


def prune(folder: Path, named: re.Pattern[str], keep: int) -> None:
    """Keep the ``keep`` files of ``folder`` whose names match ``named`` written last; drop a
    killed writer's temporary files. Only what journeymaps names so: ``$JOURNEYMAPS_CACHE``
    may be set to a folder of the user's own."""
    now = time.time()
    found = []
    for entry in folder.iterdir():
        with contextlib.suppress(OSError):
            if _TEMPORARY.match(entry.name):
                if entry.stat().st_mtime < now - 600:
                    entry.unlink()
            elif named.match(entry.name):
                found.append((entry.stat().st_mtime, entry))
    for _, old in sorted(found, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
