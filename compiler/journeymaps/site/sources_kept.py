"""Each file parsed and validated, kept from one ``journeymaps build`` of a site to the next
(issue 18).

``serve`` keeps every file it parsed and validated in memory (a :class:`~journeymaps.project.Memo`),
so an edit parses the edited file alone. ``journeymaps build`` parsed every file again: after one
map's edit, ~1.3 s of a 1,000-map rebuild (a quarter of it). The files a build parsed are kept
in one file per site in the cache, by their path and bytes; the next build of that site starts
its memo from them, and parses only the files whose bytes it does not find.

The file is a pickle, sealed with this user's cache key (:mod:`journeymaps.cache_seal`), as
compiled templates are: only a file this user's journeymaps wrote is read, and only by the code
that wrote it (its code digest is in the seal's name). Without a key nothing is kept. It holds
only the last build's files, so it never grows with edits; the files of the sites least
recently built go first.
"""

from __future__ import annotations

import pickle
import re
import threading
from pathlib import Path

from journeymaps import cache_files
from journeymaps.loader import Source
from journeymaps.project import ContentKey, Memo

#: Sites whose files are kept (~45 MB each for 1,000 realistic maps).
KEEP = 4
#: No file of ours is larger (10,000 realistic maps: ~450 MB).
MAX_BYTES = 2 * 1024 * 1024 * 1024
_FILE = re.compile(r"[0-9a-f]{64}\.sources\Z")


class KeptSources:
    """The files the previous build of the site at ``out`` parsed (:meth:`memo`), and this
    build's, written once it has them (:meth:`keep`)."""

    def __init__(self, out: Path) -> None:
        from journeymaps import keys
        from journeymaps.diagrams.render import cache_dir
        from journeymaps.yaml_parsers import DEFAULT_PARSER

        name = cache_files.site_key(out)
        self.path = cache_dir() / "sources" / f"{name}.sources"
        # What made the files: the code (classes pickled), the schemas (their findings are
        # in each file's problems), the parser, and the libraries that word the problems.
        # Another's file does not verify.
        libraries = "/".join(map(_version, ("pyyaml", "jsonschema", "jsonschema-rs")))
        made_by = f"{keys.code_digest()}/{keys.shipped_digest()}/{DEFAULT_PARSER}/{libraries}"
        self._name = f"sources/{name}.sources/{made_by}"
        self._writer: threading.Thread | None = None

    def memo(self) -> Memo:
        """A memo holding the files the previous build kept (none when there is no file,
        or it is not one this user's journeymaps sealed for this code)."""
        return Memo(sources=self._read())

    def _read(self) -> dict[ContentKey, Source]:
        payload = cache_files.read_sealed(self.path, self._name, MAX_BYTES)
        if payload is None:
            return {}
        try:
            sources = pickle.loads(payload)
        except Exception:  # not ours after all (nothing sealed fails): the files are parsed again
            return {}
        if not isinstance(sources, dict) or not all(isinstance(s, Source) for s in sources.values()):
            return {}
        kept: dict[ContentKey, Source] = sources
        return kept

    def keep(self, memo: Memo) -> None:
        """The files in ``memo`` (parsed and validated by this build), for the next build of
        the site: pickled here, before the pages read them (and fill the caches they hold: a
        pickle made beside the pages could meet an object mid-change), then sealed and
        written in a thread of its own, which :meth:`done` waits for. A cache that cannot be
        written costs the next build time, never this one its site."""
        payload = pickle.dumps(memo.sources, protocol=pickle.HIGHEST_PROTOCOL)
        self._writer = threading.Thread(
            target=cache_files.write_sealed,
            args=(self.path, self._name, payload, _FILE, KEEP),
            name="journeymaps-sources-kept",
            daemon=True,
        )
        self._writer.start()

    def done(self) -> None:
        """Wait for the file to be written (an interrupted build leaves at most a temporary
        file, removed by a later build's pruning)."""
        if self._writer is not None:
            self._writer.join()


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "none"
