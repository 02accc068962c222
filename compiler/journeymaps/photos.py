"""Persona photos: a local image inside the project, copied into the site.

A photo path arrives in a pull request like a map, so it is read under the same policy as
maps (journeymaps.reading): relative to the project, never outside it (not by ``..``, not by
an absolute path, not through a link), a regular file (a FIFO would hang the build), of a
sane size, and an image by its bytes (PNG, JPEG, GIF or WebP: not SVG, which can carry
scripts into the site). Anything else is a finding that says why, and nothing is copied.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from journeymaps.reading import Refused, read_regular

#: A portrait is tens of kilobytes; a larger file is a mistake, not a photo.
MAX_PHOTO_BYTES = 2 * 1024 * 1024

#: Image kinds by their first bytes: (magic, offset) -> extension.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"WEBP", 8, "webp"),
)


@dataclass(frozen=True)
class Photo:
    """An accepted photo: its bytes and its name inside the site (by content: stable)."""

    data: bytes
    site_path: str


def image_kind(data: bytes) -> str | None:
    """The file extension of an image by its bytes; None when it is not one we publish."""
    for magic, offset, ext in _MAGIC:
        if data[offset : offset + len(magic)] == magic and (ext != "webp" or data[:4] == b"RIFF"):
            return ext
    return None


def load_photo(written: str, root: Path) -> Photo | str:
    """The photo ``written`` in a persona (relative to the project ``root``), or why it
    cannot be used (the finding's message)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in written):  # a NUL would crash the OS calls
        return f"photo: {written!r} holds control characters; give a plain path inside the project"
    if written.startswith(("/", "\\")) or PureWindowsPath(written).drive:
        return (
            f"photo: '{written}' is an absolute path; give a path relative to the project "
            "(e.g. maps/personas/admin.png)"
        )
    if ".." in PurePosixPath(written.replace("\\", "/")).parts:
        return f"photo: '{written}' goes outside the project; keep the image inside it"
    path = root / written
    real = Path(os.path.realpath(path))
    top = Path(os.path.realpath(root))
    if real != top and top not in real.parents:
        return (
            f"photo: '{written}' is a link to {real.as_posix()}, outside the project; copy the image into it"
        )
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            return f"photo: '{written}' is {size / (1024 * 1024):,.1f} MB; a photo may be at most 2 MB"
        data = read_regular(path, MAX_PHOTO_BYTES)
    except Refused as exc:
        return f"photo: '{written}': {exc}"
    except FileNotFoundError:
        return (
            f"photo: no file '{written}' in the project (paths are relative to {top.name or top.as_posix()}/)"
        )
    except OSError as exc:
        return f"photo: cannot read '{written}': {exc.strerror or exc}"
    ext = image_kind(data)
    if ext is None:
        return f"photo: '{written}' is not a PNG, JPEG, GIF or WebP image"
    return Photo(data, f"personas/{hashlib.sha256(data).hexdigest()[:16]}.{ext}")
