"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable


class WriteError(OSError):
    """A file could not be written. It names the path asked for, never the temporary file
    beside it (the user saw ``Is a directory: dd/.x.svg.1a2b``), and says why in words:
    ``str()`` is ``cannot write PATH: WHY``; ``strerror`` is the why alone."""

    #: The path the why names (a file in the way, the folder that refused), as written in it.
    place: str | None = None

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"

    def reason(self, show: Callable[[str], str]) -> str:
        """The why, with the path it names as ``show`` gives it (relative to a project)."""
        why = self.strerror or ""
        return why if self.place is None else why.replace(self.place, show(self.place), 1)


class AlreadyThere(WriteError):
    """A file written only as a new one found another in its place when it was put there:
    made meanwhile (another ``import`` or ``new`` of the same id, at the same moment)."""


def file_in_the_way(path: str | os.PathLike[str]) -> str | None:
    """The nearest folder on the way to ``path`` (``path`` included) that is a file: what
    keeps a folder from being made there; None when there is none."""
    here = os.fspath(path)
    while here:
        if os.path.lexists(here):
            if os.path.isdir(here):  # noqa: PTH112
                return None
            resolved = os.path.realpath(here)  # a link: what is in the way is where it leads
            return file_in_the_way(resolved) if os.path.islink(here) and resolved != here else here  # noqa: PTH114
        parent = os.path.dirname(here)  # noqa: PTH120
        if parent == here:
            return None
        here = parent
    return None


def link_out_of(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """The link on the way to ``path`` (``path`` included) that leads out of the folder
    ``root``, in words; None when there is none. Written through, a link to a place not
    there made it (``init`` with ``maps -> /nonexistent/x`` made /nonexistent/x and wrote the
    maps there); one to a place that is there had ``new`` write the map into it (a cloned
    repository's ``maps -> ~/elsewhere``), and ``schema --write`` replace a linked schema. As
    git writes nothing beyond a link out of its work tree, neither do we: a link inside the
    project is followed, and a place outside it the user names itself (``-o``) is written.
    Links above ``root`` (macOS's /tmp) are the system's: only one to nothing is refused."""
    inside = os.path.realpath(root)
    top = os.path.abspath(root)  # noqa: PTH100 - str paths, as write_atomic
    here = os.path.abspath(path)  # noqa: PTH100
    on_the_way = []
    while True:
        on_the_way.append(here)
        parent = os.path.dirname(here)  # noqa: PTH120
        if parent == here:
            break
        here = parent
    for place in reversed(on_the_way):  # the outermost first: the link the user made
        if not os.path.islink(place):  # noqa: PTH114
            continue
        leads = os.path.realpath(place)
        if os.path.commonpath([inside, leads]) == inside:
            continue
        there = os.path.exists(leads)  # noqa: PTH110
        in_project = place != top and os.path.commonpath([top, place]) == top
        if there and not in_project:
            continue
        shown = os.path.relpath(place, top) if in_project else place
        target = os.readlink(place)  # noqa: PTH115
        if not os.path.isabs(target):  # noqa: PTH117 - said as the user wrote it, and where that is
            target = f"{target} ({leads})"
        link, target = shown.replace(os.sep, "/"), target.replace(os.sep, "/")
        said = f"{link} is a link to {target}, which is outside the project"
        if there:
            return (
                f"{said}: nothing is written through it; to write there, name that place itself, not the link"
            )
        return f"{said} and not there: nothing is made through it; make that place, or remove the link"
    return None


def refusing_folder(path: str | os.PathLike[str]) -> str:
    """The folder that refused a file or folder at ``path``: the nearest one on the way that
    exists (``ro``, not ``ro/deep``, which could not be made), ``.`` for the working one."""
    folder = os.path.dirname(os.fspath(path))  # noqa: PTH120 - str paths, as write_atomic
    while folder and not os.path.isdir(folder):  # noqa: PTH112
        parent = os.path.dirname(folder)  # noqa: PTH120
        if parent == folder:
            break
        folder = parent
    return folder.replace(os.sep, "/") or "."


def _why(exc: OSError, target: str) -> WriteError:
    """``exc``, met writing ``target``, in words about ``target`` (its errno kept)."""
    folder = os.path.dirname(target)  # noqa: PTH120
    code = exc.errno or 0
    blocker = file_in_the_way(folder) if folder and code in (errno.EEXIST, errno.ENOTDIR) else None
    place = None
    if blocker is not None:
        place = blocker
        why = f"{blocker} is a file, not a folder"
    elif code == errno.EISDIR or os.path.isdir(target):  # noqa: PTH112
        why = "it is a folder, not a file"
    elif code in (errno.EACCES, errno.EPERM):
        place = refusing_folder(target)
        why = f"no permission to write in {place}"
    elif code == errno.ENOENT and folder and os.path.isdir(folder):  # noqa: PTH112
        # The folder is there, yet no file can be made in it (/proc, /sys): "No such file
        # or directory" named a file the user never asked for (the temporary one beside it).
        place = folder.replace(os.sep, "/")
        why = f"no file can be made in {place}"
    else:
        why = exc.strerror or str(exc)
    error = WriteError(code, why, target.replace(os.sep, "/"))
    error.place = place
    return error


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The temporary file is created with the usual mode (0666 less the umask, so 0644 for most
    users), not ``mkstemp``'s 0600: a report or diagram written for others must be readable
    by them (a web server, a CI artifact uploader running as another user).
    """
    # With os and str paths, not pathlib and a file object: a drawing worker writes each
    # diagram into the cache through here, and those objects were a tenth of that (issue 18).
    target = os.fspath(path)
    try:
        _write_atomic(target, data)
    except OSError as exc:
        raise _why(exc, target) from None


def _write_atomic(target: str, data: bytes) -> None:
    tmp = _beside(target)
    try:
        _write_new(tmp, data)
        os.replace(tmp, target)  # noqa: PTH105
    except FileExistsError:  # nothing was made: the folder's place is a file's
        raise
    except BaseException:  # a stop between making the file and its try left it behind
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # noqa: PTH108
        raise


def _beside(target: str) -> str:
    """A new temporary file's name beside ``target``: named before it is made, so that a
    caller who keeps the name can remove it whenever a stop (Ctrl+C, SIGTERM) arrives;
    one that arrived just after it was made left ``.NAME.XXXX`` in the user's folder."""
    folder, name = os.path.split(target)
    # os.urandom is what secrets.token_hex reads, without importing hmac and OpenSSL's hashlib.
    return os.path.join(folder, f".{name}.{os.urandom(6).hex()}")  # noqa: PTH118


def _write_new(tmp: str, data: bytes) -> None:
    """Make the file ``tmp`` (never one that exists) and write ``data`` to it; removed again
    when that fails, but for a stop right after it is made (see :func:`_beside`)."""
    folder = os.path.dirname(tmp)  # noqa: PTH120
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o666)
    except FileNotFoundError:
        # The folder is made only when it is missing: asking first, on every write, was a
        # mkdir and a stat per diagram the drawing workers keep (~10 % of keeping one).
        if not folder:
            raise
        # Through a link to a folder not made yet (``schema -> ../shared/schema``), as a
        # build makes its site's: makedirs alone found the link "in the way".
        os.makedirs(os.path.realpath(folder), exist_ok=True)  # noqa: PTH103 - str paths, see above
        fd = os.open(tmp, flags, 0o666)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # noqa: PTH108
        raise


class FileSet:
    """Files that belong together (a map's diagrams, an export's files), written all or
    none: each is written beside its place as it comes, and all are renamed into place when
    the block ends without an error, with Ctrl+C, SIGTERM and SIGHUP held back meanwhile.
    An error or a stop before that leaves every file as it was and no temporary file
    behind: an interrupted ``render`` left some diagrams new and the others from an earlier
    run. A rename that fails (its place made a folder meanwhile) puts back the files
    renamed before it: each old file is given a second name (a hard link) before it is
    replaced.

        with FileSet() as files:
            files.write(path, data)
    """

    def __init__(self, within: str | os.PathLike[str] | None = None) -> None:
        #: The project: no file is written through a link out of it to a place not there.
        self._within = within
        self._staged: list[tuple[str, str]] = []  # (temporary file, its place)
        #: The places written only as new files: never put over one made meanwhile.
        self._new: set[str] = set()
        #: The folders made for them, outermost first: removed again with them (init on a
        #: full disk left maps/ and schema/ behind, empty).
        self._made: list[str] = []

    def write(self, path: str | os.PathLike[str], data: bytes, new: bool = False) -> None:
        """Stage ``data`` for ``path``; ``new``: put there only if no file is there by then
        (else :class:`AlreadyThere`): a check before writing leaves a moment for another."""
        target = os.fspath(path)
        if self._within is not None and (why := link_out_of(target, self._within)) is not None:
            raise WriteError(errno.ENOENT, why, target.replace(os.sep, "/"))
        tmp = _beside(target)
        self._staged.append((tmp, target))  # before it is made: a stop after is discarded
        self._made += _missing_folders(os.path.dirname(target))  # noqa: PTH120
        try:
            if os.path.isdir(target):  # noqa: PTH112 - renaming onto it would fail at the end
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
            _write_new(tmp, data)
        except OSError as exc:
            self._staged.pop()  # not made, or removed again
            raise _why(exc, target) from None
        if new:
            self._new.add(target)

    def __enter__(self) -> FileSet:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self._discard()
            return
        from journeymaps.interrupts import interrupts_held

        with interrupts_held():
            done: list[tuple[str, str | None, bool]] = []  # (place, its old file's second name, was one)
            try:
                for tmp, target in self._staged:
                    new = target in self._new
                    kept, existed = (None, False) if new else _kept_aside(target)
                    try:
                        if new:
                            _put_new(tmp, target)
                        else:
                            os.replace(tmp, target)  # noqa: PTH105
                    except OSError:
                        _remove(kept)
                        raise
                    done.append((target, kept, existed))
            except OSError as exc:
                there = isinstance(exc, FileExistsError) and target in self._new
                _put_back(done)
                self._discard()  # the temporary files not yet renamed
                if there:
                    raise AlreadyThere(
                        errno.EEXIST, "it exists already", target.replace(os.sep, "/")
                    ) from None
                raise _why(exc, target) from None
            for entry in done:
                _remove(entry[1])
        remove_leftovers([target for _, target in self._staged])
        self._staged, self._made, self._new = [], [], set()

    def _discard(self) -> None:
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # noqa: PTH108
        for folder in reversed(self._made):  # innermost first; one a file was put back in stays
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # noqa: PTH106
        self._staged, self._made, self._new = [], [], set()


def _put_new(tmp: str, target: str) -> None:
    """Rename ``tmp`` to ``target`` unless a file is there (FileExistsError), in one step: a
    second name (a hard link) is made only where none is, and the first then removed. Where
    the file system makes no hard links, Linux's rename without replacing; else a check
    just before the rename (a moment, not the whole run, for another file to appear)."""
    try:
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):
        if not _rename_noreplace(tmp, target):
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), target) from None
            os.replace(tmp, target)  # noqa: PTH105
        return
    os.unlink(tmp)  # noqa: PTH108


def _rename_noreplace(tmp: str, target: str) -> bool:
    """``renameat2(RENAME_NOREPLACE)``, where the C library has it: True when renamed,
    False when it cannot be asked (another system, an old kernel, a file system without it),
    FileExistsError when a file is there."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, noreplace = -100, 1
    if renameat2(at_fdcwd, os.fsencode(tmp), at_fdcwd, os.fsencode(target), noreplace) == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), target)
    return False


def _missing_folders(folder: str) -> list[str]:
    """``folder`` and the folders above it that are not there, outermost first."""
    missing: list[str] = []
    while folder and not os.path.lexists(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)  # noqa: PTH120
        if parent == folder:
            break
        folder = parent
    return missing[::-1]


#: A temporary file beside an output untouched for this long was left by a run killed
#: outright (kill -9, the out-of-memory killer, a CI time-out), which nothing could remove.
ABANDONED_SECONDS = 600.0
#: What :func:`_beside` names: ``.NAME.`` and 12 hexadecimal digits.
_TEMPORARY = re.compile(r"\.(.+)\.[0-9a-f]{12}")


def remove_leftovers(targets: list[str]) -> int:
    """Remove the temporary files a killed run left beside ``targets`` (each ``.NAME.XXXX``
    of a NAME among them, see :func:`remove_if_abandoned`); how many. A killed ``measure``
    left them in metrics/, where the next ``git add .`` took them in; a killed ``render`` or
    ``export`` in their folders."""
    by_folder: dict[str, set[str]] = {}
    for target in targets:
        folder, name = os.path.split(target)
        by_folder.setdefault(folder, set()).add(name)
    now = time.time()
    removed = 0
    for folder, names in by_folder.items():
        with contextlib.suppress(OSError), os.scandir(folder or ".") as entries:
            for entry in entries:
                found = _TEMPORARY.fullmatch(entry.name)
                if found is not None and found[1] in names:
                    removed += remove_if_abandoned(entry, now)
    return removed


def remove_if_abandoned(entry: os.DirEntry[str], now: float) -> bool:
    """Remove ``entry``, a temporary file of :func:`_beside`'s naming, when nothing has
    touched it for :data:`ABANDONED_SECONDS` (a live writer's is younger; the link itself,
    never what it points to; a folder is left); whether it was removed."""
    try:
        if entry.stat(follow_symlinks=False).st_mtime >= now - ABANDONED_SECONDS:
            return False
        os.unlink(entry.path)  # noqa: PTH108
    except OSError:
        return False
    return True


def _kept_aside(target: str) -> tuple[str | None, bool]:
    """A second name for the file at ``target``, to put it back should a later file of its
    set fail, and whether there is a file there. A hard link (the file itself, unchanged; a
    symbolic link stays one); where the file system makes no hard links, a copy (or a new
    link to the same place); None for a folder or anything else that cannot be kept (it is
    then not put back)."""
    kept = _beside(target)
    try:
        os.link(target, kept, follow_symlinks=False)
        return kept, True
    except FileNotFoundError:
        return None, False
    except (OSError, NotImplementedError):  # the latter: Windows cannot link a link itself
        pass
    try:
        mode = os.lstat(target).st_mode
        if stat.S_ISLNK(mode):
            os.symlink(os.readlink(target), kept)  # noqa: PTH211, PTH115 - str paths, as above
            return kept, True
        if not stat.S_ISREG(mode):
            return None, True
        import shutil

        shutil.copy2(target, kept)
        return kept, True
    except OSError:
        _remove(kept)
        return None, os.path.lexists(target)


def _put_back(done: list[tuple[str, str | None, bool]]) -> None:
    """Undo the renames in ``done``, last first: each old file back in its place, and a
    file that was not there before removed (best effort: what cannot be undone stays new)."""
    for target, kept, existed in reversed(done):
        with contextlib.suppress(OSError):
            if kept is not None:
                os.replace(kept, target)  # noqa: PTH105
            elif not existed:
                os.unlink(target)  # noqa: PTH108


def _remove(path: str | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            os.unlink(path)  # noqa: PTH108


def write_output(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a file the user named (a report, an export, a baseline): as :func:`write_atomic`
    (through a link: the file it leads to), unless it is a pipe, a terminal or a device
    (``/dev/stdout``, ``>(jq .)``, ``/dev/null``), which is written into. Replacing it put a
    regular file in the place of the link or the device node: as root, of ``/dev/null``
    itself. A :class:`WriteError` names ``path``, not the file a link leads to."""
    try:
        mode = os.stat(path).st_mode  # noqa: PTH116 - str paths, as write_atomic
    except OSError:  # not there yet (or unreachable: write_atomic says why)
        mode = stat.S_IFREG
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        # A link stays one (as the site's output does): what it leads to is replaced. So
        # /dev/stdout, with standard output sent to a file, is not itself replaced.
        try:
            write_atomic(os.path.realpath(path) if os.path.islink(path) else path, data)  # noqa: PTH114
        except WriteError as exc:
            exc.filename = os.fspath(path).replace(os.sep, "/")
            raise
        return
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _why(exc, os.fspath(path)) from None


def _write_all(fd: int, data: bytes) -> None:
    left = memoryview(data)
    while left:
        left = left[os.write(fd, left) :]
