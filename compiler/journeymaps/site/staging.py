"""Writing a site so that nobody ever sees half of one.

Files go into a hidden folder beside the output, written by a background thread while the
build is still rendering (file writes release the GIL, so writing costs the build almost no
time), and the folder is swapped in (one move: :mod:`journeymaps.site.swap`) only once every
file is there. A build that fails leaves the previous site as it was and no staging folder
behind; one that is killed (kill -9, a power cut) leaves its folder, and the next build
removes it: a live build holds a lock on its folder, a dead one's is free.

An output that is a symlink keeps being one: the folder it points to is replaced. An
output that is a mount point (a Docker volume) cannot be replaced: the site is staged
inside it and swapped in entry by entry.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from journeymaps.interrupts import interrupts_held
from journeymaps.site import swap
from journeymaps.site.spare import Spare, Spares, identity
from journeymaps.site.spare import discard as spare_discard

#: A file in every site we write (the last build's summary): only a folder holding it is replaced.
MARKER = ".journeymaps-site"
#: Seconds a build waits before writing its marker: more than the coarsest tick of Linux's
#: file times (10 ms), so that the marker's tick is later than every other file's.
MARKER_TICK = 0.012


#: A name this file system refuses (too long, or not in its character set): that file only.
_NAME_REFUSED = frozenset({errno.ENAMETOOLONG, errno.EILSEQ})
#: Files handed to the writer thread together, up to this many or this many bytes: each
#: hand-over wakes the writer, and a site of 500 small maps has ~3,900 files; woken for
#: each, it took a core from a drawing worker ~3,900 times a build (issue 18).
_BATCH_FILES, _BATCH_BYTES = 32, 1 << 20

#: What the writer is handed: files, each by its path inside the site.
_Item = tuple[str, "bytes | Path | Link | Folder"]


def finished_at(site: Path) -> int | None:
    """When the build that wrote ``site`` finished (ns): the modification time of its
    marker, the last file a build writes. None when there is none."""
    try:
        return (site / MARKER).stat().st_mtime_ns
    except OSError:
        return None


def as_left(
    site: Path,
    finished: int,
    listing: tuple[set[str], set[str]] | None = None,
    written: set[str] | None = None,
) -> tuple[set[str], int]:
    """The files of ``site``, whose build finished at ``finished``, that are as that build
    left them, by their path inside it (regular files modified before ``finished``), and
    how many were modified since (its marker aside). The next build links such files
    instead of writing them again; one edited in place afterwards (an editor, ``>>``)
    would be carried into it unchecked. A file modified in the marker's clock tick counts
    as edited: file times are coarse (a few ms), and an edit made right after a build
    shares its tick. (A clock set back, or a coarse file system, only makes a file look
    edited: it is written again.) One walk of the site with the times the listing gives:
    ``serve`` links ~6,500 files an edit, and a stat for each cost more than the walk.
    ``listing``: filled with every file and folder found (``serve``'s spare site, see
    :mod:`journeymaps.site.spare`). ``written``: the files that build wrote, the only ones
    counted as edited (None: every file)."""
    kept: set[str] = set()
    edited = 0
    files, dirs = listing if listing is not None else (set(), set())
    folders = [(str(site), "")]
    while folders:
        folder, prefix = folders.pop()
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):  # gone meanwhile: the next build writes it
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{prefix}{entry.name}/"))
                        dirs.add(prefix + entry.name)
                        continue
                    files.add(prefix + entry.name)
                    st = entry.stat(follow_symlinks=False)
                    if st.st_mtime_ns < finished:
                        if stat.S_ISREG(st.st_mode):
                            kept.add(prefix + entry.name)
                    elif entry.name != MARKER and (written is None or prefix + entry.name in written):
                        edited += 1
    return kept, edited


class Link(NamedTuple):
    """A file of the previous (the served) site, by its path inside it, to be linked into
    the new one."""

    rel: str


class Folder(NamedTuple):
    """A folder to make in the new site with nothing of the build's in it (a user's, empty
    so far), by its path inside it."""

    rel: str


class SiteError(Exception):
    """The site cannot be written where asked (usage error, exit 2)."""


def check_output(out: Path, option: str = "--output") -> None:
    """Refuse, before any work, to replace something journeymaps did not write, or a link
    that leads nowhere but back to itself (the link itself was swapped for the site and
    left beside it under the staging name). ``option``: the one that named ``out``, as the
    user is told to choose another."""
    try:
        out.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            message = f"{out.as_posix()} is a loop of symbolic links; choose another {option}"
            raise SiteError(message) from None
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise SiteError(
            f"{out.as_posix()} exists and was not written by journeymaps; "
            f"choose another {option} or remove it"
        )


class StagedFolder:
    """The next version of ``out``, filled by :meth:`write` and swapped in by :meth:`commit`.

    Used as a context manager: leaving it without a commit (an error) removes what was staged.
    """

    def __init__(
        self,
        out: Path,
        *,
        discard_in_background: bool = False,
        spares: Spares | None = None,
        option: str = "--output",
    ) -> None:
        check_output(out, option)
        self.out = out
        #: ``serve``: the previous site is removed after the swap by a background thread, so
        #: the browser reloads without waiting for thousands of unlinks (a killed process
        #: leaves it behind, and the next build removes it).
        self.discard_in_background = discard_in_background
        #: ``serve``: the site replaced by the previous rebuild, brought up to date here
        #: instead of a new folder, and the one replaced now kept for the next rebuild.
        self.spares = spares
        self._spare: Spare | None = None
        #: Files that are the served site's file of the same name (linked, or already so
        #: in the spare): what the spare made of the site replaced now will not differ in.
        self._shared: set[str] = set()
        self.written: dict[str, None] = {}  # each path once (a later write replaces the file)
        #: Folders made with none of this site's files in them (see :meth:`make_folder`).
        self.folders: set[str] = set()
        #: Files the file system would not take by that name (too long for it, say), with
        #: why: one map's page, never the whole build.
        self.refused: dict[str, str] = {}
        self._queue: queue.SimpleQueue[list[_Item] | None] = queue.SimpleQueue()
        self._batch: list[_Item] = []  # queued, not yet handed to the writer
        self._batch_bytes = 0
        self._error: BaseException | None = None
        #: Files linked from the previous site: one written again later is unlinked first,
        #: never written through the link into the site being served.
        self._linked: set[str] = set()
        self._thread = threading.Thread(target=self._writer, name="journeymaps-site-writer", daemon=True)
        self._writing = False  # the writer thread started (with the first file queued)
        self._done = False
        self._abandoned = False  # left without a commit: what is still queued is not written
        self._drained = False
        #: Folders made so far: by the writer thread, then (after :meth:`drain`) by the
        #: caller's, each once (2,000 diagram pages written after the drain each asked
        #: for their folder again).
        self._made: set[Path] = set()

    def __enter__(self) -> StagedFolder:
        # Made on entering, where an interrupt is handled: made in __init__, the folder was
        # left behind by a Ctrl+C landing before the with block began.
        if self.spares is not None:
            self.spares.wait()  # a spare being made is ours, not abandoned
        self.target = Path(os.path.realpath(self.out))  # a link's target is what is replaced
        self.inside = self.target.is_dir() and mount_point(self.target)
        parent, prefix = _staging_place(self.target, self.inside)
        parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(parent, (prefix, f".{self.target.name}.old-"))  # not our spare: locked
        made = False
        try:
            if self.spares is not None and not self.inside:
                # Taken from the spares and made ours under held signals: a stop landing in
                # between lost the spare (neither the spares' to remove on close, nor ours).
                with interrupts_held():
                    self._spare = self.spares.take(self.target)
                    if self._spare is not None:
                        self.folder, self._lock = self._spare.folder, self._spare.lock
                        made = True
            if not made:
                # Made and named under held signals: one landing in between lost the folder.
                with interrupts_held():
                    self.folder, self._lock = _locked_folder(parent, prefix)
                    made = True
                self.folder.chmod(0o755)
        except BaseException:
            if made:
                if self._thread.is_alive():
                    self._finish_writing()
                shutil.rmtree(self.folder, ignore_errors=True)
                _unlock(self._lock)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._done:
            # Held: a second Ctrl+C (or SIGTERM) landing here cut the removal short and left
            # the folder behind; it is raised once the folder is gone. The writer skips what
            # is still queued: nothing of it is kept.
            with interrupts_held():
                self._abandoned = True
                if self._thread.is_alive():
                    self._finish_writing()
                shutil.rmtree(self.folder, ignore_errors=True)
                self._done = True
                _unlock(self._lock)

    def write(self, rel: str, data: bytes) -> None:
        """Queue one file, by its path inside the site (written at once after :meth:`drain`)."""
        self.written[rel] = None
        self._shared.discard(rel)
        self._enqueue(rel, data)

    def copy(self, rel: str, source: Path) -> None:
        """Queue a copy of the file ``source`` (copied by the kernel, never read into Python);
        made at once after :meth:`drain` (queued then, nothing would ever write it)."""
        self.written[rel] = None
        self._shared.discard(rel)
        self._enqueue(rel, source)

    def link_served(self, rel: str, *, afresh: bool = False) -> None:
        """Queue a hard link to the served (previous) site's file ``rel``, which this build
        would write byte for byte again (a copy where the file system cannot link). The
        previous site is removed once this one is swapped in (or, in ``serve``, becomes the
        spare, where every file is unlinked before it is written), so nothing else reaches
        it. Nothing to do where the spare's file already is that file, unless ``afresh``: a
        user's file (see users_files) may have been replaced since, the marker unchanged."""
        spare = self._spare
        if (
            spare is not None
            and not afresh
            and rel not in self.written
            and rel in spare.files
            and rel not in spare.differ
        ):
            self.written[rel] = None
            self._shared.add(rel)
            return
        self.written[rel] = None
        self._linked.add(rel)
        self._shared.add(rel)
        self._enqueue(rel, Link(rel))

    def make_folder(self, rel: str) -> None:
        """Queue a folder that holds none of this site's files (a user's, empty)."""
        self.folders.add(rel)
        self._enqueue(rel, Folder(rel))

    def _enqueue(self, rel: str, data: bytes | Path | Link | Folder) -> None:
        """To the writer; after :meth:`drain`, made at once (the writer has finished)."""
        if self._drained:
            self._put(rel, data, self._made)
            if self._error is not None:
                raise self._error
        else:
            if not self._writing:
                # Started with the first file, not on entering: until then the build has one
                # thread, and its drawing workers can be forked (see diagrams.start_method).
                self._thread.start()
                self._writing = True
            self._batch.append((rel, data))
            if isinstance(data, bytes):
                self._batch_bytes += len(data)
            if len(self._batch) >= _BATCH_FILES or self._batch_bytes >= _BATCH_BYTES:
                self._hand_over()

    def _hand_over(self) -> None:
        """The files queued so far, to the writer."""
        if self._batch:
            self._queue.put(self._batch)
            self._batch, self._batch_bytes = [], 0

    def remove(self, rel: str) -> None:
        """Take a file out of the site again (after :meth:`drain`)."""
        self.written.pop(rel, None)
        self._shared.discard(rel)
        (self.folder / rel).unlink(missing_ok=True)

    def drain(self) -> dict[str, str]:
        """Wait for every queued file; the files refused by name, with why. Later writes
        are made at once, in the caller's thread."""
        if not self._drained:
            self._finish_writing()
            self._drained = True
        if self._error is not None:
            raise self._error
        return self.refused

    def commit(self) -> None:
        """Wait for every file, then swap the folder in (raising what the writer met)."""
        self.drain()
        try:
            if self.inside:
                swap.replace_contents(self.folder, self.target)
            else:
                if self._spare is not None:
                    self._tidy_spare(self._spare)
                if self.spares is None or not self._swap_keeping_spare(self.spares):
                    discard = _discard_later if self.discard_in_background else swap.remove
                    swap.replace(self.folder, self.target, discard)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            self._done = True
            _unlock(self._lock)

    def _tidy_spare(self, spare: Spare) -> None:
        """Remove from the spare what this site does not have: files, then folders."""
        for rel in spare.files.difference(self.written):
            path = self.folder / rel
            try:
                path.unlink(missing_ok=True)
            except IsADirectoryError:
                shutil.rmtree(path, ignore_errors=True)
        needed: set[str] = set()
        for rel in (*self.written, *(f"{folder}/" for folder in self.folders)):
            while (cut := rel.rfind("/")) > 0 and (rel := rel[:cut]) not in needed:
                needed.add(rel)
        for rel in sorted(spare.dirs - needed, key=len):
            path = self.folder / rel
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def _swap_keeping_spare(self, spares: Spares) -> bool:
        """Swap this folder in, keeping the site it replaces as the next rebuild's spare;
        False where that cannot be (the replaced site's listing unknown, or no swap in
        one move here): nothing done."""
        listing, spares.listing = spares.listing, None
        if listing is None or self.target.is_symlink() or not self.target.is_dir():
            return False
        try:
            lock = _lock(self.target)  # the replaced site, locked before it is under a staging name
        except OSError:
            return False
        if not swap.exchange(self.folder, self.target):
            _unlock(lock)
            return False
        served = identity(self.target)
        files, dirs = listing
        spare = Spare(self.folder, lock, files, dirs, files - self._shared, served or (0, 0, 0))
        if served is None:
            spare_discard(spare)
        else:
            spares.spare = spare
        return True

    def _finish_writing(self) -> None:
        if self._writing:
            self._hand_over()
            self._queue.put(None)
            self._thread.join()

    def _writer(self) -> None:
        made = self._made
        while (batch := self._queue.get()) is not None:
            for item in batch:
                if self._error is not None or self._abandoned:
                    break  # drain: the build raises the first error at commit, or keeps nothing
                self._put(*item, made)

    def _put(self, rel: str, data: bytes | Path | Link | Folder, made: set[Path]) -> None:
        target = self.folder / rel
        try:
            if target.parent not in made:
                self._make_folder(target.parent)
                made.add(target.parent)
            if isinstance(data, Folder):
                if target.is_symlink() or (target.exists() and not target.is_dir()):
                    target.unlink()  # a spare's file where the user has a folder
                target.mkdir(exist_ok=True)
                return
            if self._spare is not None or rel in self._linked:
                # never write through a link into the previous site (or the served one: a
                # spare's file may be its other name)
                try:
                    target.unlink(missing_ok=True)
                except IsADirectoryError:  # a spare's folder where this site has a file
                    shutil.rmtree(target)
            if isinstance(data, Link):
                source = self.target / data.rel
                try:  # a link (a user's, see users_files) linked as the link it is
                    os.link(source, target, follow_symlinks=False)
                except OSError:  # no hard links here (another file system, a FAT volume)
                    shutil.copyfile(source, target, follow_symlinks=False)
            elif isinstance(data, Path):
                shutil.copyfile(data, target)
            else:
                target.write_bytes(data)
        except OSError as exc:
            if exc.errno in _NAME_REFUSED:
                self.refused[rel] = exc.strerror or str(exc)
            else:
                self._error = exc  # handed to the main thread at commit
        except BaseException as exc:
            self._error = exc

    def _make_folder(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            if self._spare is None:
                raise
            # a spare's file where this site has a folder: it goes
            parts = folder.relative_to(self.folder).parts
            for depth in range(1, len(parts) + 1):
                path = self.folder.joinpath(*parts[:depth])
                if path.is_symlink() or (path.exists() and not path.is_dir()):
                    path.unlink()
            folder.mkdir(parents=True, exist_ok=True)


def _discard_later(folder: Path) -> None:
    threading.Thread(target=swap.remove, args=(folder,), name="journeymaps-site-discard", daemon=True).start()


#: The staging folder's name inside an output that is a mount point.
INSIDE_PREFIX = ".journeymaps-new-"


def _locked_folder(parent: Path, prefix: str) -> tuple[Path, int | None]:
    """A new, empty staging folder in ``parent``, locked (see :func:`remove_abandoned`)."""
    for _ in range(10):
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            return folder, _lock(folder)
        except BlockingIOError:  # another run, removing abandoned folders, took it first
            continue
    raise OSError(errno.EBUSY, "could not make a staging folder", str(parent))


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, so nothing is ever removed
    fcntl = None  # type: ignore[assignment]


def _lock(folder: Path) -> int | None:
    """An exclusive lock on ``folder``, held while the returned descriptor is open (None
    where there are no locks); BlockingIOError when another process holds it or the folder
    is gone."""
    if fcntl is None:  # pragma: no cover - Windows
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise BlockingIOError(errno.ENOENT, "gone") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_nlink == 0:  # removed while it was being locked
            raise BlockingIOError(errno.ENOENT, "gone")
    except BaseException:
        os.close(fd)
        raise
    _held.add(fd)
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        _held.discard(fd)  # first: the set never names a descriptor already closed
        with contextlib.suppress(OSError):
            os.close(fd)


#: The descriptors holding this process's staging and spare locks. A forked process (the
#: build's drawing workers) closes its copies at once: an flock is held while any copy is
#: open, so a worker left running past its build (stuck in the kernel, where even the
#: SIGTERM its build's end sends waits) kept the lock, and the next build could not tell
#: the abandoned folder from a live build's and left it behind. The build's own copies
#: keep the lock.
_held: set[int] = set()


def _close_inherited() -> None:
    for fd in _held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):  # pragma: no branch - every POSIX Python
    os.register_at_fork(after_in_child=_close_inherited)


def mount_point(path: Path) -> bool:
    """Whether ``path`` (a real path) is a mount point, which cannot be renamed. Python's
    ismount compares devices, so it misses a bind mount from the same file system
    (``mount --bind``, a container's volume of a host folder): the swap's rename failed,
    "Device or resource busy", naming the staging folder, and no site could be written."""
    if os.path.ismount(path):
        return True
    try:
        with open("/proc/self/mountinfo", "rb") as info:  # noqa: PTH123 - Linux's own list
            lines = info.read().splitlines()
    except OSError:  # not Linux: ismount is all there is
        return False
    wanted = os.fsencode(path)
    for line in lines:
        fields = line.split(b" ")
        if len(fields) > 4 and _unescaped(fields[4]) == wanted:
            return True
    return False


def _unescaped(field: bytes) -> bytes:
    """A mountinfo path: the kernel writes space, tab, line feed and backslash as octal."""
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), field)


def _staging_place(target: Path, inside: bool) -> tuple[Path, str]:
    """Where the folders of a build of ``target`` are staged, and their names' prefix: beside
    it, or inside it where it is a mount point (which cannot be swapped)."""
    if inside:
        return target, INSIDE_PREFIX
    return target.parent, f".{target.name}.new-"


def remove_left_beside(out: Path) -> list[Path]:
    """Remove what killed runs left beside (or inside) the site at ``out``: called by a build
    that finds the site up to date and writes nothing, which would otherwise leave a killed
    ``serve``'s hidden spare (``kill -9``) there until the maps next change."""
    target = Path(os.path.realpath(out))
    if not target.is_dir():
        return []
    parent, prefix = _staging_place(target, mount_point(target))
    return remove_abandoned(parent, (prefix, f".{target.name}.old-"))


def remove_abandoned(parent: Path, prefixes: tuple[str, ...]) -> list[Path]:
    """Remove the staging folders in ``parent`` that no live build holds: what a killed run
    (SIGKILL, a crash, a power cut) left. The folders removed."""
    if fcntl is None:  # pragma: no cover - no way to tell a live build's folder
        return []
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(prefixes)]
    except OSError:
        return []
    removed = []
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            continue
        try:
            lock = _lock(Path(entry.path))
        except OSError:
            continue  # a live build's (or unreadable: not ours to remove)
        try:
            shutil.rmtree(entry.path, ignore_errors=True)
        finally:
            _unlock(lock)
        removed.append(Path(entry.path))
    return removed


def replace_folder(out: Path, files: dict[str, bytes], option: str = "--output") -> None:
    """Write every file into a new folder beside ``out`` (named by ``option``), then swap it in."""
    with StagedFolder(out, option=option) as staged:
        for rel, data in sorted(files.items()):
            staged.write(rel, data)
        staged.commit()
