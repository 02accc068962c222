"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import os
import stat


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The temporary file is created with the usual mode (0666 less the umask, so 0644 for most
    users), not ``mkstemp``'s 0600: a report or diagram written for others must be readable
    by them (a web server, a CI artifact uploader running as another user).
    """
    # With os and str paths, not pathlib and a file object: a drawing worker writes each
    # diagram into the cache through here, and those objects were a tenth of that (issue 18).
    target = os.fspath(path)
    folder, name = os.path.split(target)
    if folder:
        os.makedirs(folder, exist_ok=True)  # noqa: PTH103 - str paths, see above
    # os.urandom is what secrets.token_hex reads, without importing hmac and OpenSSL's hashlib.
    tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}")  # noqa: PTH118
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, target)  # noqa: PTH105
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # noqa: PTH108
        raise


def write_output(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a file the user named (a report, an export, a baseline): as :func:`write_atomic`
    (through a link: the file it leads to), unless it is a pipe, a terminal or a device
    (``/dev/stdout``, ``>(jq .)``, ``/dev/null``), which is written into. Replacing it put a
    regular file in the place of the link or the device node: as root, of ``/dev/null``
    itself."""
    try:
        mode = os.stat(path).st_mode  # noqa: PTH116 - str paths, as write_atomic
    except OSError:  # not there yet (or unreachable: write_atomic says why)
        mode = stat.S_IFREG
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        # A link stays one (as the site's output does): what it leads to is replaced. So
        # /dev/stdout, with standard output sent to a file, is not itself replaced.
        write_atomic(os.path.realpath(path) if os.path.islink(path) else path, data)  # noqa: PTH114
        return
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    left = memoryview(data)
    while left:
        left = left[os.write(fd, left) :]
