"""Persona photos: a local image inside the project, copied into the site.

A photo path arrives in a pull request like a map, so it is read under the same policy as
maps (journeymaps.reading): relative to the project, never outside it (not by ``..``, not by
an absolute path, not through a link), a regular file (a FIFO would hang the build), of a
sane size, and an image by its bytes (PNG, JPEG, GIF or WebP: not SVG, which can carry
scripts into the site) whose header gives a sane size in pixels: a few hundred bytes can claim
100,000 x 100,000 pixels, and every viewer's browser would try to decode that. Anything else
is a finding that says why, and nothing is copied.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import struct
from pathlib import Path, PurePosixPath, PureWindowsPath

from journeymaps.reading import Refused, read_regular, stat_of
from journeymaps.records import record

#: A portrait is tens of kilobytes; a larger file is a mistake, not a photo.
MAX_PHOTO_BYTES = 2 * 1024 * 1024

#: A photo may be at most this many pixels a side, and this many pixels in all (a camera's
#: 24-megapixel picture passes; a header claiming a 100,000-pixel side does not).
MAX_PHOTO_SIDE = 10_000
MAX_PHOTO_PIXELS = 40_000_000

#: Image kinds by their first bytes: (magic, offset) -> extension.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"WEBP", 8, "webp"),
)


@record
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


class Truncated(ValueError):
    """The image's header ends before it gives the image's size."""


def _png_size(data: bytes) -> tuple[int, int]:
    # the signature, then the IHDR chunk: length, "IHDR", width, height (big-endian)
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise Truncated
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _gif_size(data: bytes) -> tuple[int, int]:
    # the logical screen: width and height (little-endian) after the 6-byte signature
    if len(data) < 10:
        raise Truncated
    width, height = struct.unpack("<HH", data[6:10])
    return width, height


#: JPEG markers of a frame header (SOF0-SOF15 but DHT, JPG and DAC, which share the range).
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    # segments after SOI (FF D8): FF <marker> <length> ...; the frame header holds the size
    at = 2
    while True:
        if at + 4 > len(data) or data[at] != 0xFF:
            raise Truncated
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # standalone markers: no length
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # the end, or the scan, before any frame header
            raise Truncated
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _JPEG_FRAMES:
            if length < 7 or at + 9 > len(data):
                raise Truncated
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if length < 2:
            raise Truncated
        at += 2 + length


def _webp_size(data: bytes) -> tuple[int, int]:
    # RIFF <size> WEBP, then the first chunk: VP8X (extended), VP8L (lossless) or VP8 (lossy)
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise Truncated


_SIZES = {"png": _png_size, "gif": _gif_size, "jpg": _jpeg_size, "webp": _webp_size}
_NAMES = {"png": "PNG", "gif": "GIF", "jpg": "JPEG", "webp": "WebP"}


def image_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """The width and height in pixels an image of ``kind`` (from image_kind) declares in its
    header; None when the header ends before it says."""
    try:
        return _SIZES[kind](data)
    except Truncated:
        return None


def _size_problem(written: str, data: bytes, kind: str) -> str | None:
    """Why the photo's size in pixels rules it out, or None."""
    size = image_size(data, kind)
    if size is None or 0 in size:
        return (
            f"photo: '{written}' is cut short or damaged: its {_NAMES[kind]} header does not give "
            "the image's size; export the image again"
        )
    width, height = size
    if max(width, height) > MAX_PHOTO_SIDE or width * height > MAX_PHOTO_PIXELS:
        return (
            f"photo: '{written}' is {width:,} x {height:,} pixels; a photo may be at most "
            f"{MAX_PHOTO_SIDE:,} pixels a side and {MAX_PHOTO_PIXELS // 1_000_000} megapixels "
            "(a portrait needs a few hundred pixels: resize it)"
        )
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
        plain = posixpath.normpath(written.replace("\\", "/"))
        if plain == ".." or plain.startswith("../"):
            return f"photo: '{written}' goes outside the project; keep the image inside it"
        # inside still, but it was said to go outside: the path to write instead
        return f"photo: '{written}' goes through '..'; write the path without it: '{plain}'"
    path = root / written
    real = Path(os.path.realpath(path))
    top = Path(os.path.realpath(root))
    if real != top and top not in real.parents:
        return (
            f"photo: '{written}' is a link to {real.as_posix()}, outside the project; copy the image into it"
        )
    try:
        size = stat_of(path).st_size
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
    problem = _size_problem(written, data, ext)
    if problem is not None:
        return problem
    return Photo(data, f"personas/{hashlib.sha256(data).hexdigest()[:16]}.{ext}")
