"""Diagrams into the site, and only diagrams fit to publish.

A diagram drawn by this build goes in as drawn. One from the cache is read once, checked, and
those very bytes are written into the site and shown inline on its full-size page (so the
cache cannot change under the check): its bytes must have the digest its cache name
records, and, when an earlier build drew it, it must hold nothing that runs in a browser (see
:mod:`journeymaps.site.cache`). A refused diagram is drawn again at once. Checking as each
map's diagrams arrive, rather than copying them all and checking the copies at the end, lets
the full-size pages be rendered while the workers still draw: the end of a build no longer
waits for a pass over every diagram. A diagram the previous site already published from the
same cache file is taken from that site: it was checked when it was published (unless the
site's file was edited since).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from journeymaps.diagrams import Diagram
from journeymaps.site.cache import digest_of, drawn_here, read_checked
from journeymaps.site.diagrams import Drawing, Laid
from journeymaps.site.staging import StagedFolder


class Publisher:
    """Puts each diagram into ``staged``, checked; :meth:`outcome` says what was refused."""

    def __init__(
        self,
        staged: StagedFolder,
        previous_site: Path,
        previous: Mapping[str, str],
        drawing: Drawing,
        as_left: Collection[str] = frozenset(),
    ) -> None:
        self.staged = staged
        self.previous_site = previous_site
        self.previous = previous  # path in the site -> cache file name, as last published
        self.drawing = drawing  # draws a refused diagram again
        #: The previous site's files as its build left them (see staging.as_left): a file
        #: edited since is not reused.
        self.as_left = as_left
        #: Path in the site -> the cache file it came from: the next build's ``previous``.
        self.names: dict[str, str] = {}
        self._refused: list[str] = []
        self._failed: list[tuple[Diagram, str]] = []
        #: Path in the site -> the bytes published there, for a page that shows the diagram
        #: after :meth:`put` (the teams page's): taken once by :meth:`published`.
        self._kept: dict[str, bytes | None] = {}

    def put(self, laid: Laid, *, keep: bool = False) -> bytes | Path | None:
        """Publish ``laid``; what a page that shows it inline must show: its checked bytes,
        the previous site's file (published unchanged), or None (no diagram). ``keep``: also
        kept for :meth:`published`."""
        rel = f"diagrams/{laid.diagram.filename}.svg"
        shown: bytes | Path | None = None
        if laid.svg is not None:
            self.staged.write(rel, laid.svg)
            shown = laid.svg
        elif laid.file is not None:
            name = laid.file.name
            published = self.previous_site / rel
            if self.previous.get(rel) == name and rel in self.as_left:
                self.staged.link_served(rel)
                self.names[rel] = name
                shown = published
            else:
                shown = self._checked(rel, laid)
        if keep:
            self._kept[rel] = shown if not isinstance(shown, Path) else _read(shown)
        return shown

    def _checked(self, rel: str, laid: Laid) -> bytes | None:
        """The cache file's bytes into the site once checked; else drawn again here."""
        assert laid.file is not None
        name = laid.file.name
        content = laid.cached and not drawn_here(name)  # see journeymaps.site.cache
        data, problem = read_checked(laid.file, digest_of(name), content=content)
        if data is not None:
            self.staged.write(rel, data)
            self.names[rel] = laid.file.name
            return data
        self._refused.append(
            f"{laid.diagram.filename}: the cached diagram was refused ({problem}); drawn again"
        )
        again = self.drawing.redraw(laid)
        if again.svg is None:
            self._failed.append((laid.diagram, again.error or "not drawn"))
            return None  # never published, nor shown on its full-size page
        self.staged.write(rel, again.svg)
        if again.file is not None:
            self.names[rel] = again.file.name
        return again.svg

    def outcome(self) -> tuple[list[str], list[tuple[Diagram, str]]]:
        """(cached diagrams refused and drawn again, with why; diagrams that could not be
        drawn again, with why)."""
        return self._refused, self._failed

    def published(self, laid: Laid) -> bytes | None:
        """The diagram as it went into the site, kept by :meth:`put` (``keep``)."""
        return self._kept.pop(f"diagrams/{laid.diagram.filename}.svg", None)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def shown_bytes(shown: bytes | Path | None) -> bytes | None:
    """What :meth:`Publisher.put` returned, as bytes (a previous site's file read now)."""
    return _read(shown) if isinstance(shown, Path) else shown
