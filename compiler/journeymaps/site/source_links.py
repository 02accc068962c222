"""Where the site shows and links a finding's file: by its path from the repository's top."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from journeymaps.records import record


@record(slots=True)
class SourceLinks:
    """A finding's file as the site names it, and its link under ``repository-url``.

    Lint names a file as it was given, from the folder it ran in: the site built from
    ``maps/``, from outside the project, or by a CI job with a ``working-directory`` linked
    ``blob/main/first-journey.yaml`` (no such file) and its pages changed with that folder.
    Here a file is named from the top of the repository (the folder holding ``.git``), or
    from the project's folder outside one, whatever folder the build ran in.
    """

    top: str  # absolute, as named (links kept)
    url: str | None = None  # repository-url, ending in "/"
    #: The folder a relative name is from: the one the build named files from (asked once,
    #: not for each of the ~3,700 findings a 1,000-map site shows).
    cwd: str = ""

    @classmethod
    def of(cls, root: Path, url: str | None, names_from: Path | None = None) -> SourceLinks:
        """For the project at ``root`` (the settings' folder) and its ``repository-url``;
        ``names_from``: the folder lint named the files from (the working folder when None)."""
        project = os.path.abspath(root)  # noqa: PTH100 - a path as named, as lint names files
        top = project
        while not os.path.lexists(os.path.join(top, ".git")):  # noqa: PTH118 - a file in a worktree
            parent = os.path.dirname(top)  # noqa: PTH120
            if parent == top:  # in no repository: from the project's folder
                top = project
                break
            top = parent
        base = os.path.abspath(names_from) if names_from is not None else os.getcwd()  # noqa: PTH100, PTH109
        return cls(top, url.rstrip("/") + "/" if url else None, base)

    def path(self, file: str) -> str:
        """``file`` (as lint names it) from the repository's top; as it is when outside it."""
        if not file or file == "-":
            return file
        # Remembered: each resolved again cost ~2 % of a build's main process (issue 18).
        return _from_top(file, self.top, self.cwd or os.getcwd())  # noqa: PTH109 - a str


@functools.lru_cache(maxsize=8192)
def _from_top(file: str, top: str, cwd: str) -> str:
    try:
        inside = os.path.relpath(os.path.join(cwd, file), top)  # noqa: PTH118
    except ValueError:  # Windows: on another drive
        return file.replace(os.sep, "/")
    if inside == os.pardir or inside.startswith(os.pardir + os.sep):
        return file.replace(os.sep, "/")
    return inside.replace(os.sep, "/")
