"""Files a user put into the built site by hand (``CNAME``, ``.nojekyll``, ``robots.txt`` for
GitHub Pages): carried into each new site, never removed.

The site is written into a new folder and swapped in, so everything the previous one held
went with it: a custom domain was lost with the next deploy. A build removes only what a
build wrote (the files its marker lists); a file no build wrote is linked into the new site
as it is. One the build now writes itself (a new map's page at the same path) is the
build's.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import NamedTuple

from journeymaps.site.staging import INSIDE_PREFIX, MARKER, StagedFolder


def users_files(listing: Iterable[str], written_before: Collection[str] | None) -> list[str]:
    """The files of the previous site (``listing``, by path inside it) no build wrote:
    ``written_before`` is what the previous build's marker lists (empty: a marker from
    before the list, and every file is taken as the build's, as then; None: a marker that
    could not be read, and every file may be the user's)."""
    if written_before is not None and not written_before:
        return []
    ours = set(written_before or ()) | {MARKER}
    # a build's staging folder inside the site (a mount point's): a live build's, half written
    return sorted(rel for rel in listing if rel not in ours and not rel.startswith(INSIDE_PREFIX))


class Carried(NamedTuple):
    """What became of the user's files in the new site."""

    linked: list[str]
    #: Where the new site has a file of its own (or a folder) at that path: the user's is
    #: gone with the previous site, and said so.
    replaced: list[str]
    #: Neither a file nor a link (a FIFO, a socket, a device): no host publishes one, and a
    #: reader of it (``serve``, a copy) waits for good. Left out, and said so.
    dropped: list[str]


def carry_users_files(site: Path, files: Iterable[str], staged: StagedFolder) -> Carried:
    """Link each of ``files`` (a regular file or a link, as it is) from ``site`` into
    ``staged``: not where this build wrote that path, or a folder on it, or a file where
    it needs a folder; nor anything else (a FIFO, a socket) that a copy would hang on."""
    files = list(files)
    if not files:
        return Carried([], [], [])  # most builds: the folders of ~6,500 paths are not worth working out
    carried = Carried([], [], [])
    written = set(staged.written)
    folders = {rel[:cut] for rel in written for cut in _cuts(rel)}
    for rel in files:
        try:
            mode = os.lstat(site / rel).st_mode
        except OSError:
            continue  # gone meanwhile
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            carried.dropped.append(rel)
            continue
        if rel in written or rel in folders or any(rel[:cut] in written for cut in _cuts(rel)):
            carried.replaced.append(rel)
            continue
        # afresh: replaced by the user (an editor's save), the spare's is the old file
        staged.link_served(rel, afresh=True)
        carried.linked.append(rel)
    return carried


def users_folders(folders: Iterable[str], written_before: Collection[str] | None) -> list[str]:
    """The folders of the previous site (``folders``, by path inside it) that hold no file
    a build wrote: a user's (``.well-known/``, made before its file), kept even while empty.
    ``written_before`` as for :func:`users_files`."""
    if written_before is not None and not written_before:
        return []
    builds = {rel[:cut] for rel in written_before or () for cut in _cuts(rel)}
    return sorted(rel for rel in folders if rel not in builds and not rel.startswith(INSIDE_PREFIX))


def carry_users_folders(folders: Iterable[str], staged: StagedFolder) -> None:
    """Make each of ``folders`` in ``staged`` where the new site has no file at that path
    or on its way: an empty folder the user made was dropped with the previous site."""
    folders = list(folders)
    if not folders:
        return
    written = set(staged.written)
    for rel in folders:
        if rel not in written and not any(rel[:cut] in written for cut in _cuts(rel)):
            staged.make_folder(rel)


def _cuts(rel: str) -> list[int]:
    """Where each folder of the path ``rel`` ends."""
    return [i for i, c in enumerate(rel) if c == "/"]
