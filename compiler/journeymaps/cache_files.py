"""Files journeymaps keeps in its cache folder for later runs (the What changed periods, what
a build keeps for the next build of its site): sealed with this user's cache key (see
:mod:`journeymaps.cache_seal`), each written whole and private, and only the newest kept."""

from __future__ import annotations

import contextlib
import hashlib
import os
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
        written = Path(tmp.name)
        try:
            for chunk in chunks:  # not joined first: a large payload is not copied
                tmp.write(chunk)
            tmp.flush()
        except BaseException:  # a full disk: no partial file of ~45 MB left in the cache
            tmp.close()
            with contextlib.suppress(OSError):
                written.unlink()
            raise
    try:
        written.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            written.unlink()
        raise


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


def site_key(out: Path) -> str:
    """What names the files kept for the site at ``out``: a digest of its absolute path."""
    return hashlib.sha256(os.fsencode(os.path.abspath(out))).hexdigest()  # noqa: PTH100 - as written


def read_sealed(path: Path, name: str, limit: int) -> memoryview | None:
    """The payload of the file at ``path`` when this user's key sealed it under ``name``;
    None when there is none, or it is larger than ``limit``, or not a regular file only
    this user could have written, or not sealed so (planted, restored, damaged)."""
    from journeymaps.cache_seal import read_owned, unsealed_view

    try:
        if path.stat().st_size > limit:
            return None
    except OSError:
        return None
    found = read_owned(path)
    return None if found is None else unsealed_view(name, found)


def write_sealed(path: Path, name: str, payload: bytes, named: re.Pattern[str], keep: int) -> None:
    """``payload`` sealed under ``name`` as the file at ``path`` (nothing without a key),
    then its folder's ``named`` files pruned to ``keep``. A cache that cannot be written
    costs a later run time, never this one its work."""
    from journeymaps.cache_seal import seal_head

    head = seal_head(name, payload)  # the MAC of a large payload: out of the GIL
    if head is None:
        return
    with contextlib.suppress(OSError):
        write_private(path, head, payload)
        prune(path.parent, named, keep)
