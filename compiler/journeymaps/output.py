"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The temporary file is created with the usual mode (0666 less the umask, so 0644 for most
    users), not ``mkstemp``'s 0600: a report or diagram written for others must be readable
    by them (a web server, a CI artifact uploader running as another user).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # os.urandom is what secrets.token_hex reads, without importing hmac and OpenSSL's hashlib.
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
