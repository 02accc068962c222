"""Reading input files as what they claim to be: regular files inside the project, of a
sane size.

A maps folder arrives in pull requests, and a pull request can hold a symlink: to a FIFO
(reading it hangs for ever), to ``/dev/zero`` (it never ends), or to a secret in the
runner's home (which would then be quoted in findings and published on the site). So a file
is read only when it is a regular file, no larger than the limit, and, when it is reached
through a link, only when the link ends inside the project. Anything else is a finding that
says why, and nothing of it is read.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, BinaryIO

from journeymaps.records import record

#: The default of the ``max-file-size-kb`` setting: a large map is ~50 KB.
DEFAULT_MAX_KB = 1024
YAML_SUFFIXES = (".yaml", ".yml")
#: The registries read from the top of a maps folder (not maps: see project.REGISTRY_FILES).
REGISTRY_NAMES = ("teams.yaml", "teams.yml", "personas.yaml", "personas.yml")

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def special_kind(path: Path) -> str | None:
    """What ``path`` is when it is neither a regular file nor a folder ("a named pipe
    (FIFO)"), following links; None for those, and for a path that is not there."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


class Refused(OSError):
    """A file that is not read on purpose; its message says why, in a user's words."""


class FolderNotRead(str):
    """Why a folder the read policy refuses (a loop of links, a link out of the project:
    see :meth:`ReadPolicy.folder_refusal`) is not read: the finding's message, marked as a
    folder's. Its file is then one folder not read (``Source.folder``), whatever the words
    say: told apart by its words, a loop reworded would have been counted as a file."""

    __slots__ = ()


@record
class ReadPolicy:
    """Where files may come from (real paths: a link must end inside one) and how large
    one may be."""

    roots: tuple[Path, ...]
    max_bytes: int = DEFAULT_MAX_KB * 1024
    #: Folders inside the project by their path that a link takes out of it: (the folder as
    #: named, absolute; as shown, from the project's folder; where it leads).
    out: tuple[tuple[Path, str, Path], ...] = ()
    #: Folders named in the project that are links leading round in a loop (``maps ->
    #: maps``), or a chain of more links than the system follows: (as named, absolute; as
    #: shown, from the project's folder; what it is, see :func:`looped_words`).
    loops: tuple[tuple[Path, str, str], ...] = ()

    @classmethod
    def around(cls, folders: Iterable[Path], max_bytes: int, project: Path | None = None) -> ReadPolicy:
        """The real paths of ``folders`` (the project's root, the maps folders, the paths asked
        about): a link anywhere below one of them may point anywhere below any of them. A
        folder inside ``project`` by its path but outside it by its real path (``maps ->
        /home/runner/.config``, in a pull request) is none: every file in it was read, quoted
        in findings and published, since only a file that is itself a link was checked. A
        folder named outside the project by its own path (``paths = ["../shared"]``) is
        one: its settings or its command line named it."""
        roots: dict[Path, None] = {}
        out: dict[Path, tuple[Path, str, Path]] = {}
        loops: dict[Path, tuple[Path, str, str]] = {}
        for folder in dict.fromkeys(folders):  # the pre-commit hook names many files of a folder
            if project is not None and is_link_loop(folder):
                # ``maps -> maps`` in a pull request: read as a file that cannot be opened, it
                # was a broken map named "maps", and diff called every map of the base removed.
                named = Path(os.path.abspath(folder))  # noqa: PTH100 - as named, links kept
                shown = shown_path(named, Path(os.path.abspath(project)))  # noqa: PTH100
                loops[named] = (named, shown, looped_words(named))
            elif project is not None and linked_out(folder, project) is not None:
                named, top = Path(os.path.abspath(folder)), Path(os.path.abspath(project))  # noqa: PTH100
                # Named by the link that takes it out (maps/, for maps/sub/ when maps is
                # the link): "maps/sub/ is a link" named a plain folder.
                link = next(p for p in (*reversed(named.parents), named) if linked_out(p, top) is not None)
                shown = link.relative_to(top).as_posix() if link != top else "."
                out[named] = (named, shown, Path(os.path.realpath(link)))
            else:
                roots[Path(os.path.realpath(folder))] = None
        return cls(tuple(roots), max_bytes, tuple(out.values()), tuple(loops.values()))

    def inside(self, real: Path) -> bool:
        return any(real == root or root in real.parents for root in self.roots)

    def refusal(self, real: Path) -> str | None:
        """Why a link leading to ``real`` is not read; None when it leads inside."""
        return None if self.inside(real) else outside_message(real)

    def folder_refusal(self, folder: Path) -> FolderNotRead | None:
        """Why the folder ``folder``, one that a link takes out of the project or a loop of
        links (see :meth:`around`), is not read; None for any other path."""
        named = Path(os.path.abspath(folder))  # noqa: PTH100 - as named, links kept
        for out, shown, real in self.out:
            if named == out:
                return FolderNotRead(folder_outside_message(shown, real, of_file=False))
        for loop, shown, words in self.loops:
            if named == loop:
                return FolderNotRead(looped_folder_message(shown, words))
        return None

    def through_link(self, path: Path) -> str | None:
        """Why ``path``, in a folder that a link takes out of the project (see
        :meth:`around`), is not read; None for any other file."""
        if not self.out:
            return None
        named = Path(os.path.abspath(path))  # noqa: PTH100 - as named, links kept
        for folder, shown, real in self.out:
            if folder in named.parents:
                return folder_outside_message(shown, real)
        return None


def linked_out(folder: Path, project: Path) -> Path | None:
    """Where ``folder`` leads when it is inside ``project`` by its path but outside it by
    its real path (a link on the way: ``maps -> /home/runner/.config``); None otherwise.
    Such a folder is not listed nor read (see :meth:`ReadPolicy.around`)."""
    named, top = os.path.abspath(folder), os.path.abspath(project)  # noqa: PTH100 - as named, links kept
    if not (named == top or named.startswith(top.rstrip(os.sep) + os.sep)):
        return None
    real, real_top = os.path.realpath(folder), os.path.realpath(project)
    if real == real_top or real.startswith(real_top.rstrip(os.sep) + os.sep):
        return None
    return Path(real)


def is_link_loop(path: Path) -> bool:
    """Whether ``path`` is a link that leads round in a loop (``maps -> maps``, or
    ``a -> b -> a``): no file nor folder is there, though the link is."""
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    except ValueError:  # a NUL byte: no such file
        return False
    return False


def shown_path(named: Path, project: Path) -> str:
    """``named`` (absolute) as shown from the project's folder: ``maps``, or ``.``."""
    try:
        return named.relative_to(project).as_posix() if named != project else "."
    except ValueError:
        return named.as_posix()


#: What the system says "Too many levels of symbolic links" of (ELOOP): a loop, or a chain
#: of more links than it follows (40 on Linux), which leads somewhere.
_LOOP = "is a link that leads back to itself (a loop of links)"
_CHAIN = "is a chain of more links than the system follows (40 on Linux), one to the next"


def looped_words(path: Path) -> str:
    """What ``path``, that the system would not follow (ELOOP), is: a loop of links, or a
    chain of them too long, which was called a loop ("leads back to itself") though it
    led to a folder. Python follows a chain link by link, with no limit, and stops at a
    link seen before."""
    try:
        os.path.realpath(path, strict=True)
    except (OSError, ValueError):
        return _LOOP
    return _CHAIN


def looped_folder_message(shown: str, words: str = _LOOP) -> str:
    """Why the maps folder ``shown``, a link the system would not follow (see
    :func:`looped_words`), is not read."""
    fix = "remove it" if words == _LOOP else "link it to the folder itself"
    return (
        f"the folder {shown}/ {words}, so no file in it is read: replace the link with the folder, or {fix}"
    )


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; False when it cannot be looked at. A path the user
    names may be in a folder they cannot enter: ``Path.is_dir`` raised PermissionError there
    ("journeymaps: error: Permission denied"), where reading it gives the path's own
    unreadable-file finding."""
    try:
        return path.is_dir()
    except OSError:
        return False


def is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; False when it cannot be looked at (see
    :func:`is_folder`)."""
    try:
        return path.is_file()
    except OSError:
        return False


def shown_name(name: str) -> str:
    """A file name as text to show: one that is not UTF-8 (bytes Python keeps as
    surrogates) gets those bytes written as \\xff. The surrogates made the json and text
    outputs invalid UTF-8, and sarif, --output and build end in 'internal error:
    UnicodeEncodeError'."""
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def json_value(raw: bytes | str) -> Any:
    """``json.loads`` of a file journeymaps reads (a metrics snapshot, a schema copy, a
    baseline, the site's marker): a document nested too deeply for Python's decoder
    (``[[[[…``) is a JSONDecodeError like any other it cannot read, not a RecursionError,
    which ended lint and build in an internal error; so is an integer longer than Python
    reads (a ValueError, said as "not UTF-8" by those that take one for a decoding's)."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "", 0) from None
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise
        limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
        raise json.JSONDecodeError(f"a number of more than {limit:,} digits", "", 0) from None


def read_input(path: Path, policy: ReadPolicy) -> bytes | str:
    """The bytes of one input file, or why it is not read (the finding's message)."""
    if (why := policy.through_link(path)) is not None:
        return why
    try:
        return read_regular(path, policy.max_bytes, inside=policy.refusal)
    except Refused as exc:
        return str(exc)
    except OSError as exc:
        return dangling(path) or f"cannot read file: {exc.strerror or exc}"


def dangling(path: Path) -> str | None:
    """What a link that leads to nothing is, in words; None for anything else. "cannot read
    file: No such file or directory" named a file the user could see in the folder."""
    try:
        target = os.readlink(path)  # noqa: PTH115 - the target as written, the same in any copy
    except (OSError, ValueError):
        return None
    try:
        os.stat(path)  # noqa: PTH116 - it leads somewhere (hidden by absent_when, say)
    except OSError as exc:
        if exc.errno == errno.ENOENT:  # not a loop of links, nor a folder it cannot enter
            return f"the file is a link to {shown_name(target)}, which does not exist"
    return None


def outside_message(real: Path) -> str:
    """Why a link out of the project is not read, and what to do. "Replace the link with
    the file" alone read as a bug to a monorepo sharing one teams.yaml between projects by a
    link: the reason (no link publishes a file of the machine on the site) and the other way
    out (settings in a folder that holds both) were not said. The project's folder is not
    named: diff reads each side in a temporary copy, and a finding's words must not change
    with the copy's name (its fingerprint would)."""
    return (
        f"the file is a link to {real.as_posix()}, outside the project (the folder of its settings, "
        "else the working folder); journeymaps reads no file outside it, so that a link in a "
        "repository cannot put any file of the machine on the site: replace the link with a copy of "
        "the file, or, to share one file between projects, put the settings (journeymaps.toml) in a "
        "folder that holds both and name the maps folders in its paths"
    )


def folder_outside_message(shown: str, real: Path, *, of_file: bool = True) -> str:
    """Why a file in the folder ``shown`` (from the project's folder), or that folder
    (``of_file=False``), a link leading to ``real`` outside the project, is not read, and
    what to do."""
    what = f"the folder {shown}/ that holds the file is" if of_file else f"the folder {shown}/ is"
    return (
        f"{what} a link to {real.as_posix()}, outside the project "
        "(the folder of its settings, else the working folder); journeymaps reads no file outside it, "
        "so that a link in a repository cannot put any file of the machine on the site: replace the "
        "link with the folder, or remove it and name the folder by its own path (in the settings' "
        "paths, or on the command line)"
    )


#: While a run holds it (:func:`absent_when`): which files are read as not there.
_absent: ContextVar[Callable[[Path], bool] | None] = ContextVar("absent", default=None)


@contextlib.contextmanager
def absent_when(absent: Callable[[Path], bool] | None) -> Iterator[None]:
    """Within: every file ``absent`` answers True for is not there for :func:`read_regular`,
    :func:`read_head` and :func:`stat_of` (FileNotFoundError). The pre-commit hook judges
    the commit, not the disk: a persona's photo, a metrics snapshot or a schema copy that git
    does not have was read from the disk, and the hook passed what lint fails in CI."""
    token = _absent.set(absent)
    try:
        yield
    finally:
        _absent.reset(token)


def _check_present(path: Path) -> None:
    """FileNotFoundError for a file :func:`absent_when` hides."""
    absent = _absent.get()
    if absent is not None and absent(path):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), os.fspath(path))


def stat_of(path: Path) -> os.stat_result:
    """``path.stat()``, for a file this run may hide (see :func:`absent_when`)."""
    _check_present(path)
    return path.stat()


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


#: Why a link leading to a real path is not read (None: it may be read); see ReadPolicy.refusal.
Where = Callable[[Path], str | None]


def read_regular(path: Path, max_bytes: int, *, follow: bool = True, inside: Where | None = None) -> bytes:
    """A regular file's bytes: Refused for anything else or for more than ``max_bytes``
    (and, with ``follow=False``, for a link; with ``inside``, for a link that leads where
    ``inside`` refuses).

    Opened without blocking (opening a FIFO waits for a writer otherwise) and checked on the
    open file, so what is read is what was checked: where a link leads is checked on the
    file opened too, since checked by name first the link could be swapped for one leading
    elsewhere before it was opened.
    """
    _check_present(path)
    linked = inside is not None and follow and os.path.islink(path)  # noqa: PTH114 - as named
    if linked and inside is not None and (why := inside(Path(os.path.realpath(path)))) is not None:
        raise Refused(why)  # before opening: a device out there is not even opened
    try:
        # Not a link when looked at: opened as none, so that one swapped in since is not followed.
        fd = _open(path, follow=follow and (inside is None or linked))
    except _IsLink:
        if inside is None or not follow or linked:
            raise
        linked, fd = True, _open(path, follow=True)  # it became a link: checked as one below
    try:
        if linked and inside is not None and (why := inside(_opened_path(fd, path))) is not None:
            raise Refused(why)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(_not_regular(_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")))
        if st.st_size > max_bytes:
            raise Refused(_too_large(st.st_size, max_bytes))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, max(st.st_size + 1, 65536)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # it grew while being read, or says size 0 (/proc)
                raise Refused(_too_large(size, max_bytes, at_least=True))
        return b"".join(chunks)
    finally:
        os.close(fd)


class _IsLink(Refused):
    """A link, opened as a file that must not be one."""


def _open(path: Path, *, follow: bool) -> int:
    """``path`` opened for reading without blocking (with ``follow=False``, Refused for a
    link); its errors in a user's words."""
    try:
        return os.open(path, _FLAGS if follow else _FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if not follow and exc.errno == errno.ELOOP:
            raise _IsLink("the file is a link; journeymaps does not follow links here") from None
        if exc.errno == errno.ELOOP:  # "Too many levels of symbolic links", said of the file
            raise Refused(f"the file {looped_words(path)}") from None
        if exc.errno == errno.ENXIO and (kind := special_kind(path)) is not None:
            # a socket cannot be opened at all: "No such device or address" said nothing of it
            raise Refused(_not_regular(kind)) from None
        raise


def _opened_path(fd: int, path: Path) -> Path:
    """The real path of the file open as ``fd``: the kernel's name for it where there is
    one (/proc), else the link's real path, once the file there is known to be the file
    open (the same device and inode)."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))  # noqa: PTH115 - the kernel's name
    except OSError:
        pass
    real = os.path.realpath(path)
    opened, there = os.fstat(fd), os.stat(real)  # noqa: PTH116
    if (opened.st_dev, opened.st_ino) != (there.st_dev, there.st_ino):
        raise Refused("the file is a link that changed while it was read; nothing of it is read")
    return Path(real)


def _not_regular(kind: str) -> str:
    return f"the file is {kind}, not a regular file; journeymaps reads only regular files"


def read_head(path: Path, n: int) -> bytes:
    """The first ``n`` bytes of a regular file, checked and read as :func:`read_regular`
    reads (Refused for anything else): opening a FIFO to look at its head blocked."""
    _check_present(path)
    fd = os.open(path, _FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("not a regular file")
        return os.read(fd, n)
    finally:
        os.close(fd)


def wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, by its byte-order mark or, without one, by the zero bytes ASCII text
    has in it (the first 64 bytes are enough): a UTF-32 map was called UTF-16 (its mark starts
    as UTF-16's), and one without a mark was "a NUL character (U+0000) is not allowed", at
    1:2; an export's columns came out as ``\x00I\x00d``."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[: len(raw[:64]) // 4 * 4]
    if not any(head) or head.count(0) < len(head) // 2:  # zeros alone are no text of any kind
        return None
    if all(head[i] == 0 for i in range(len(head)) if i % 4 in (1, 2, 3)) or all(
        head[i] == 0 for i in range(len(head)) if i % 4 in (0, 1, 2)
    ):
        return "UTF-32"
    if all(head[i] == 0 for i in range(1, len(head), 2)) or all(head[i] == 0 for i in range(0, len(head), 2)):
        return "UTF-16"
    return None


def read_stream(stream: BinaryIO, max_bytes: int) -> bytes | str:
    """All of a stream (standard input) up to ``max_bytes``, or why not (the finding's
    message, as for a file over the limit).

    Read a chunk at a time: one read of an endless pipe never returned, held everything in
    memory, and left no moment for Ctrl+C or SIGTERM to end the run (they are handled
    between two chunks). Past the limit the rest is left unread.
    """
    chunks: list[bytes] = []
    size = 0
    read = getattr(stream, "read1", stream.read)  # one system call at most, when buffered
    while chunk := read(65536):
        size += len(chunk)
        if size > max_bytes:  # how much more depends on the pipe: the same words each time
            return _too_large(max_bytes, max_bytes, at_least=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    shown, limit = size_text(size), size_text(max_bytes)
    if shown == limit and size != max_bytes:  # "1.0 MB, over the limit of 1.0 MB": in bytes
        shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
    return (
        f"the file is {more}{shown}, over the limit of {limit} for one file "
        "(max-file-size-kb in the settings)"
    )


def size_text(n: int) -> str:
    """A size in a person's words: bytes, KB or MB (1,024 of the one before)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):,.1f} MB"
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n:,} bytes"


#: Folders a walk does not enter (unless named on the command line), besides hidden ones
#: (.git, .venv, .tox...): other tools' installs and caches, never maps, and often the
#: largest folders of a repository (ruff skips these too). ``journeymaps lint .`` in a
#: project with a node_modules read every YAML file of every package.
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "bower_components", "__pycache__", "__pypackages__", "site-packages", "venv"}
)


def walked(name: str) -> bool:
    """Whether a walk enters the sub-folder ``name``: not a hidden one, nor one of
    :data:`SKIPPED_FOLDERS`."""
    return not name.startswith(".") and name not in SKIPPED_FOLDERS


#: Why a link to a folder, named like a map, found in a folder walk is not read.
LINKED_FOLDER = (
    "the file is a link to a folder; journeymaps does not follow links to folders, so the maps "
    "in it are not checked (name the folder on the command line to check them)"
)


def yaml_files(folder: Path) -> Iterator[tuple[str, str | None]]:
    """Every ``*.yaml`` / ``*.yml`` below ``folder`` (hidden files skipped, and the folders
    :func:`walked` skips), and each sub-folder that could not be listed or is a link named
    like a map, with why: a folder skipped silently would leave its maps unchecked and the
    run green. Paths as strings: the caller makes the one Path it keeps (a Path made here
    too cost a 1,000-map serve rebuild ~0.03 s)."""
    problems: list[OSError] = []
    for top, dirs, files in os.walk(folder, onerror=problems.append):
        kept = []
        for d in dirs:
            if not walked(d):
                continue
            # A link to a folder is not walked (os.walk's default): one named like a map
            # (maps/x.yaml -> ../elsewhere/) was then neither read nor walked, silently.
            if d.lower().endswith(YAML_SUFFIXES):
                path = os.path.join(top, d)  # noqa: PTH118 - str paths, as below
                if os.path.islink(path):  # noqa: PTH114
                    yield path, LINKED_FOLDER
                    continue
                if d in REGISTRY_NAMES and top == os.fspath(folder):
                    # walked as any folder, it left no teams.yaml: every owner accepted
                    yield path, f"the file is a folder; {d} must be a file, so nothing is checked against it"
            kept.append(d)
        dirs[:] = kept
        for name in files:
            # A dangling link is kept so that it is reported, not skipped.
            # .YAML too: checked when named, it was skipped here without a word
            if name.lower().endswith(YAML_SUFFIXES) and not name.startswith("."):
                yield os.path.join(top, name), None  # noqa: PTH118 - as Path(top, name)
    for exc in problems:
        where = os.fspath(exc.filename) if exc.filename else os.fspath(folder)
        yield where, f"cannot read this folder: {exc.strerror or exc}; the maps in it are not checked"
