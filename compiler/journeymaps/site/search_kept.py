"""Each map's part of the search index, kept from one ``journeymaps build`` of a site to the
next (issue 18).

A build whose diagrams are all in the cache draws nothing, so no worker makes the maps'
parts of the index (see :func:`journeymaps.site.drawer.search_part`): the main thread made
all of them again, ~1 ms a realistic map, when one map of 1,000 had changed. The parts of a
build are kept in one file per site in the cache, under the key of what each is made of
(the map's file, page name and bytes, and the pages' base but the date: code, settings,
registries; a new day changes no part), and
the next build of that site takes the parts whose key it finds.

The file is sealed with this user's cache key (:mod:`journeymaps.cache_seal`), as compiled
templates are: what it holds is written into the site's scripts, and a restored or shared
cache could otherwise put anything there. Without a key nothing is kept. It holds only the
last build's parts, so it never grows with edits; the files of the sites least recently
built go first.
"""

from __future__ import annotations

import marshal
import re
import sys
from pathlib import Path
from typing import Any

from journeymaps import cache_files
from journeymaps.site.search import MapIndex

#: The layout of the file (a new one is read as nothing).
VERSION = 1
#: Sites whose parts are kept (~17 MB each for 1,000 realistic maps), as for their files.
KEEP = 4
#: No file of ours is larger: 10,000 realistic maps' parts are ~180 MB.
MAX_BYTES = 512 * 1024 * 1024
_FILE = re.compile(r"[0-9a-f]{64}\.parts\Z")


class KeptParts:
    """The parts the previous build of the site at ``out`` kept (read when first asked
    for: a build whose workers make every part never reads them), and those of this build,
    written by :meth:`save` once the site is published."""

    def __init__(self, out: Path) -> None:
        from journeymaps.diagrams.render import cache_dir

        name = cache_files.site_key(out)
        self.path = cache_dir() / "search" / f"{name}.parts"
        # marshal's format is this Python's: another one's file does not verify (see _read)
        self._name = f"search/{name}.parts/{VERSION}/{sys.implementation.cache_tag}"
        self._found: dict[str, MapIndex] | None = None
        self.made: dict[str, MapIndex] = {}

    def get(self, key: str) -> MapIndex | None:
        """The part kept under ``key``, if any."""
        if self._found is None:
            self._found = self._read()
        return self._found.get(key)

    def put(self, key: str, part: MapIndex) -> None:
        """``part``, made (or kept) by this build under ``key``: kept for the next."""
        self.made[key] = part

    def _read(self) -> dict[str, MapIndex]:
        payload = cache_files.read_sealed(self.path, self._name, MAX_BYTES)
        if payload is None:
            return {}
        try:
            # marshal, not JSON (a sixth of the time both ways, ~17 MB for 1,000 realistic
            # maps), read only from a file this user's journeymaps sealed for this Python
            return _parts(marshal.loads(payload))
        except (ValueError, TypeError, EOFError):  # not ours after all: made again
            return {}

    def save(self) -> None:
        """This build's parts, for the next build of the site."""
        if self.made:
            rows = {k: (p.entries, p.shards, p.entries_digest, p.digests) for k, p in self.made.items()}
            cache_files.write_sealed(self.path, self._name, marshal.dumps(rows), _FILE, KEEP)


def _parts(data: Any) -> dict[str, MapIndex]:
    """The parts in a file, each checked for the types a part has (else none)."""
    if not isinstance(data, dict):
        return {}
    parts: dict[str, MapIndex] = {}
    for key, row in data.items():
        if not (isinstance(key, str) and isinstance(row, tuple) and len(row) == 4):
            return {}
        entries, shards, entries_digest, digests = row
        if not (
            isinstance(entries, str)
            and isinstance(entries_digest, str)
            and _texts(shards)
            and _texts(digests)
            and shards.keys() == digests.keys()
        ):
            return {}
        parts[key] = MapIndex(entries, shards, entries_digest, digests)
    return parts


def _texts(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
