"""Writing a site so that nobody ever sees half of one.

Files go into a hidden folder beside the output, written by a background thread while the
build is still rendering (file writes release the GIL, so writing costs the build almost no
time), and the folder is swapped in with renames only once every file is there. A build that
fails leaves the previous site as it was and no staging folder behind.
"""

from __future__ import annotations

import errno
import queue
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType

#: A file in every site we write (the last build's summary): only a folder holding it is replaced.
MARKER = ".journeymaps-site"


#: A name this file system refuses (too long, or not in its character set): that file only.
_NAME_REFUSED = frozenset({errno.ENAMETOOLONG, errno.EILSEQ})


class SiteError(Exception):
    """The site cannot be written where asked (usage error, exit 2)."""


def check_output(out: Path) -> None:
    """Refuse, before any work, to replace something journeymaps did not write."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise SiteError(
            f"{out.as_posix()} exists and was not written by journeymaps; "
            "choose another --output or remove it"
        )


class StagedFolder:
    """The next version of ``out``, filled by :meth:`write` and swapped in by :meth:`commit`.

    Used as a context manager: leaving it without a commit (an error) removes what was staged.
    """

    def __init__(self, out: Path) -> None:
        check_output(out)
        self.out = out
        self.written: dict[str, None] = {}  # each path once (a later write replaces the file)
        #: Files the file system would not take by that name (too long for it, say), with
        #: why: one map's page, never the whole build.
        self.refused: dict[str, str] = {}
        self._queue: queue.SimpleQueue[tuple[str, bytes | Path] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._writer, name="journeymaps-site-writer", daemon=True)
        self._done = False
        self._drained = False

    def __enter__(self) -> StagedFolder:
        # Made on entering, where an interrupt is handled: made in __init__, the folder was
        # left behind by a Ctrl+C landing before the with block began.
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        try:
            self.folder.chmod(0o755)
            self._thread.start()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._done:
            if self._thread.is_alive():
                self._finish_writing()
            shutil.rmtree(self.folder, ignore_errors=True)
            self._done = True

    def write(self, rel: str, data: bytes) -> None:
        """Queue one file, by its path inside the site (written at once after :meth:`drain`)."""
        self.written[rel] = None
        if self._drained:
            self._put(rel, data, set())
            if self._error is not None:
                raise self._error
        else:
            self._queue.put((rel, data))

    def copy(self, rel: str, source: Path) -> None:
        """Queue a copy of the file ``source`` (copied by the kernel, never read into Python)."""
        self.written[rel] = None
        self._queue.put((rel, source))

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
            if self.out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
                old.rmdir()
                self.out.rename(old)
                self.folder.rename(self.out)
                shutil.rmtree(old, ignore_errors=True)
            else:
                self.folder.rename(self.out)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            self._done = True

    def _finish_writing(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _writer(self) -> None:
        made: set[Path] = set()
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: the build will raise the first error at commit
            self._put(*item, made)

    def _put(self, rel: str, data: bytes | Path, made: set[Path]) -> None:
        target = self.folder / rel
        try:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if isinstance(data, Path):
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


def replace_folder(out: Path, files: dict[str, bytes]) -> None:
    """Write every file into a new folder beside ``out``, then swap it in."""
    with StagedFolder(out) as staged:
        for rel, data in sorted(files.items()):
            staged.write(rel, data)
        staged.commit()
