"""Replacing a folder in one move, so that a web server (or ``serve``) never sees a gap.

``rename`` can put a folder where none is, or replace an empty one, but not a folder with
files: the old one had to be moved away first, and a reader looking between the two moves
found no site at all (``site/index.html`` missing 3,458 times across 147 builds). Linux's
``renameat2(RENAME_EXCHANGE)`` and macOS's ``renamex_np(RENAME_SWAP)`` swap two paths in one
step: the new folder takes the old one's place, and the old one is left under the new one's
name, to be removed. Where neither exists (another system, or a file system without it, as
some network ones), the two moves remain, one right after the other.

A mount point (a Docker volume) cannot be moved at all: the new site is then staged inside
it and each of its top-level files and folders is swapped in, one move each.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS stdio.h
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM})


def _libc_function(name: str) -> Any:
    """A C library function by name, or None where there is none."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None


_renameat2 = _libc_function("renameat2") if sys.platform.startswith("linux") else None
_renamex_np = _libc_function("renamex_np") if sys.platform == "darwin" else None


def exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` (both must exist) in one step; False where the system
    or the file system cannot, OSError for anything else."""
    first, second = os.fsencode(a), os.fsencode(b)
    if _renameat2 is not None:
        result = _renameat2(_AT_FDCWD, first, _AT_FDCWD, second, ctypes.c_uint(_RENAME_EXCHANGE))
    elif _renamex_np is not None:
        result = _renamex_np(first, second, ctypes.c_uint(_RENAME_SWAP))
    else:
        return False
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def replace(new: Path, target: Path, discard: Callable[[Path], None] = remove) -> None:
    """Put the folder ``new`` where ``target`` is (in one move where the system can); what
    was there is handed to ``discard`` (removed)."""
    if not target.exists() and not target.is_symlink():
        new.rename(target)
        return
    if exchange(new, target):
        discard(new)  # the old site, under the new one's name
        return
    old = new.with_name(new.name.replace(".new-", ".old-", 1))
    target.rename(old)
    new.rename(target)
    discard(old)


def replace_contents(new: Path, target: Path) -> None:
    """For a folder that cannot be moved (a mount point): ``new``, inside ``target``, gives
    it its files, each top-level entry in one move; entries it does not have go."""
    names = set(os.listdir(new))  # noqa: PTH208
    for name in sorted(names):
        source, destination = new / name, target / name
        if destination.exists() or destination.is_symlink():
            if exchange(source, destination):
                continue
            if source.is_dir() and destination.is_dir() and not destination.is_symlink():
                aside = new / f".old-{name}"
                destination.rename(aside)
        source.rename(destination)  # a file replaces a file in one move
    for name in os.listdir(target):  # noqa: PTH208
        if name in names or name.startswith(".journeymaps-new-"):
            continue  # the new site's, or a build's staging folder (this one, or a live one's)
        path = target / name
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    shutil.rmtree(new, ignore_errors=True)
