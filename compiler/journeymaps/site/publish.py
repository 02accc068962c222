"""Diagrams into the site, and only diagrams fit to publish.

A diagram drawn by this build goes in as drawn. One from the cache is copied (by the kernel:
~140 MB on 1,000 maps) and the copy, which nothing else can change, is checked before the
site is swapped in: its bytes must have the digest its cache name records, and, when an
earlier build drew it, it must hold nothing that runs in a browser (see
:mod:`journeymaps.site.cache`). A refused diagram is drawn again. Checking costs time, so a
diagram the previous site already published from the same cache file is taken from that
site: it was checked when it was published (unless the site's file was edited since).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from journeymaps.site.cache import digest_of, verify
from journeymaps.site.diagrams import Drawing, Laid
from journeymaps.site.staging import StagedFolder


class Publisher:
    """Puts each diagram into ``staged``; :meth:`check` once every file is written."""

    def __init__(
        self,
        staged: StagedFolder,
        previous_site: Path,
        previous: Mapping[str, str],
        as_left: Collection[str] = frozenset(),
    ) -> None:
        self.staged = staged
        self.previous_site = previous_site
        self.previous = previous  # path in the site -> cache file name, as last published
        #: The previous site's files as its build left them (see staging.as_left): a file
        #: edited since is not reused.
        self.as_left = as_left
        #: Path in the site -> the cache file it came from: the next build's ``previous``.
        self.names: dict[str, str] = {}
        self._to_check: list[tuple[str, Laid]] = []

    def put(self, laid: Laid) -> None:
        rel = f"diagrams/{laid.diagram.filename}.svg"
        if laid.svg is not None:
            self.staged.write(rel, laid.svg)
        elif laid.file is not None:
            name = laid.file.name
            published = self.previous_site / rel
            if self.previous.get(rel) == name and rel in self.as_left:
                self.staged.link(rel, published)
            else:
                self.staged.copy(rel, laid.file)
                self._to_check.append((rel, laid))
            self.names[rel] = name

    def check(self, drawing: Drawing) -> tuple[list[str], list[str]]:
        """Check every copy from the cache (the staged files must all be written); a refused
        one is drawn again. (what was refused and why, diagrams that could not be drawn
        again)."""
        refused: list[str] = []
        failed: list[str] = []
        for rel, laid in self._to_check:
            assert laid.file is not None
            problem = verify(self.staged.folder / rel, digest_of(laid.file.name), content=laid.cached)
            if problem is None:
                continue
            refused.append(
                f"{laid.diagram.filename}: the cached diagram was refused ({problem}); drawn again"
            )
            again = drawing.redraw(laid)
            self.names.pop(rel, None)
            if again.svg is None:
                failed.append(f"{laid.diagram.filename}: {again.error}")
                self.staged.remove(rel)  # never published, nor shown on its full-size page
                continue
            self.staged.write(rel, again.svg)
            if again.file is not None:
                self.names[rel] = again.file.name
        return refused, failed

    def published(self, laid: Laid) -> bytes | None:
        """The diagram as it goes into the site, once :meth:`check` has run: what a page that
        shows it inline must show (never the cache file, which nothing has checked)."""
        if laid.svg is not None:  # drawn by this build: nothing to check
            return laid.svg
        path = self.staged.folder / f"diagrams/{laid.diagram.filename}.svg"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
