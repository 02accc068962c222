"""An export whose end is NUL bytes: a copy or a download that did not finish, a sparse or
preallocated file never filled. No text, and no row of one, ends so."""

from __future__ import annotations

import os
from pathlib import Path

#: The bytes at a file's end that, all NUL, make it a file whose end was never written.
NUL_TAIL = 4096
_CHUNK = 1 << 20


def ends_in_nul_bytes(path: Path) -> bool:
    """Whether ``path``'s last :data:`NUL_TAIL` bytes are all NUL: one read of 4 KB, on
    every export."""
    try:
        with path.open("rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - NUL_TAIL))
            tail = f.read(NUL_TAIL)
    except OSError:
        return False
    return len(tail) == NUL_TAIL and not tail.strip(b"\x00")


def nul_tail(path: Path) -> tuple[int, int] | None:
    """The line (as an editor numbers lines) where the NUL bytes ending ``path`` begin, and
    how many there are; None when it does not end in :data:`NUL_TAIL` of them. The file is
    read back from its end to the first byte that is not NUL, then its line ends counted up
    to there, a MB at a time: only for a file that ends so."""
    if not ends_in_nul_bytes(path):
        return None
    try:
        with path.open("rb") as f:
            size = start = f.seek(0, os.SEEK_END)
            while start > 0:
                at = max(0, start - _CHUNK)
                f.seek(at)
                text = f.read(start - at).rstrip(b"\x00")
                if text:
                    start = at + len(text)
                    break
                start = at
            f.seek(0)
            line, read = 1, 0
            while read < start:
                chunk = f.read(min(_CHUNK, start - read))
                if not chunk:
                    break
                line += chunk.count(b"\n")
                read += len(chunk)
    except OSError:
        return None
    return line, size - start
