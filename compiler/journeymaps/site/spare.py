"""``serve``: two site folders in turn, the idle one brought up to date instead of a new one.

Every rebuild used to make a new staging folder and hard-link each unchanged file of the
served site into it (~6,500 links at 1,000 maps, then as many unlinks to remove the old
site): about half a second of CPU for an edit that changed a dozen files. Now the site
replaced by a rebuild is kept, hidden and locked, as the *spare*: the site before the one
being served. What it differs in from the served site is known exactly from the last
rebuild (the files that rebuild wrote, rather than linked from the site before, and the
files it dropped), so the next rebuild brings it up to date with a few syscalls and swaps
it in (one move, :func:`journeymaps.site.swap.exchange`):

- a file the new site writes is written afresh (the old name unlinked first: it may be
  the served file's other name);
- a file linked from the served site is linked only where the spare's is not already that
  very file;
- a file or folder the new site does not have goes.

The spare is trusted only while the served folder is the one this process swapped in (same
folder, same marker): another build in between (``journeymaps build`` in another terminal)
and it is thrown away. A rebuild that fails or is interrupted throws it away too (its state
is unknown); the served site is never touched before the swap.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

#: (device, inode) of the served folder, and its marker's modification time (ns).
Identity = tuple[int, int, int]


@dataclass
class Spare:
    """The site before the served one, kept to become the next one."""

    folder: Path
    lock: int | None  # held on ``folder`` (see journeymaps.site.staging._lock)
    #: Every file it holds and every folder, by path inside the site.
    files: set[str]
    dirs: set[str]
    #: Of ``files``, those that are not the served site's file of the same name (one file,
    #: two names): to be linked again if the next site keeps the served one.
    differ: set[str]
    #: The served site it is the spare of (see :func:`identity`).
    served: Identity


@dataclass
class Spares:
    """What ``serve`` keeps between rebuilds: the spare site folder, if any."""

    spare: Spare | None = None
    #: Set by a rebuild that swapped a site in: the listing of the site it replaced (taken
    #: by the build's walk of the served site), which becomes the spare.
    listing: tuple[set[str], set[str]] | None = field(default=None, repr=False)

    #: Making a first spare in the background (:meth:`prepare`), until it is joined.
    _making: threading.Thread | None = field(default=None, repr=False)

    def prepare(self, target: Path) -> None:
        """Make a spare of the site at ``target`` in the background, when there is none: a
        hidden copy of hard links (each file is the served one, so nothing differs). Without
        it the first edit after ``serve`` starts linked every file into a new folder and was
        the slowest (1.9-2.4 s of a 1,000-map site, the next ones ~1 s)."""
        if self.spare is not None or self._making is not None:
            return
        served = identity(target)
        if served is None:
            return

        def make() -> None:
            from journeymaps.site.staging import _locked_folder

            try:
                folder, lock = _locked_folder(target.parent, f".{target.name}.new-")
            except OSError:
                return
            spare = Spare(folder, lock, set(), set(), set(), served)
            try:
                folder.chmod(0o755)
                _link_tree(str(target), str(folder), "", spare)
            except OSError:
                discard(spare)  # a half-made spare is worth nothing
                return
            self.spare = spare

        self._making = threading.Thread(target=make, name="journeymaps-spare-prepare", daemon=True)
        self._making.start()

    def wait(self) -> None:
        """Wait for a spare being made (a rebuild starts, or serve stops)."""
        making, self._making = self._making, None
        if making is not None:
            making.join()

    def take(self, target: Path) -> Spare | None:
        """The spare, when it is still the site before the one at ``target``; else it is
        thrown away and None."""
        self.wait()
        spare, self.spare = self.spare, None
        if spare is None:
            return None
        if spare.folder.is_dir() and identity(target) == spare.served:
            return spare
        discard(spare)
        return None

    def close(self) -> None:
        """Throw the spare away (``serve`` stopping): no hidden site left behind."""
        self.wait()
        spare, self.spare = self.spare, None
        if spare is not None:
            shutil.rmtree(spare.folder, ignore_errors=True)
            _unlock(spare.lock)


def identity(target: Path) -> Identity | None:
    """What tells the served site apart from any other put there since."""
    from journeymaps.site.staging import MARKER

    try:
        folder = os.stat(target)  # noqa: PTH116 - one stat, following a link to the site
        marker = os.stat(target / MARKER)  # noqa: PTH116
    except OSError:
        return None
    return (folder.st_dev, folder.st_ino, marker.st_mtime_ns)


def discard(spare: Spare) -> None:
    """Remove a spare no longer wanted, in the background (its lock held until gone)."""

    def remove() -> None:
        shutil.rmtree(spare.folder, ignore_errors=True)
        _unlock(spare.lock)

    threading.Thread(target=remove, name="journeymaps-spare-discard", daemon=True).start()


def _unlock(fd: int | None) -> None:
    from journeymaps.site.staging import _unlock as unlock  # (staging imports this module)

    unlock(fd)


def _link_tree(source: str, folder: str, prefix: str, spare: Spare) -> None:
    """Hard-link every file under ``source`` into ``folder``, recording them in ``spare``."""
    for entry in os.scandir(source):
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            os.mkdir(os.path.join(folder, entry.name))  # noqa: PTH102, PTH118
            spare.dirs.add(rel)
            _link_tree(entry.path, os.path.join(folder, entry.name), rel + "/", spare)  # noqa: PTH118
        else:
            os.link(entry.path, os.path.join(folder, entry.name), follow_symlinks=False)  # noqa: PTH118
            spare.files.add(rel)
