"""Synthetic exports written once per test process and copied where each test asks.

Writing one (:mod:`journeymaps.measure.fixtures`) starts DuckDB and generates every row:
~35-230 ms of CPU, for files many tests ask for alike (the same preset, :class:`Spec` and
file type). The first is written into a folder of this process's own and kept; every test
gets a copy of its bytes (a test may change its file: an appended line, a broken row), made
as the writer would make it, so what a test reads is what a fresh write gives.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from journeymaps.measure.fixtures import Spec, write_export, write_survey

_KEPT: dict[tuple[object, ...], Path] = {}
_folder: Path | None = None


def _kept(key: tuple[object, ...], suffix: str, write: Callable[[Path], object]) -> Path:
    """The file kept for ``key``, written by ``write(path)`` the first time."""
    global _folder
    if key not in _KEPT:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="exports-once-"))
            atexit.register(shutil.rmtree, _folder, True)
        path = _folder / f"{len(_KEPT)}{suffix}"
        write(path)
        _KEPT[key] = path
    return _KEPT[key]


def _copy(kept: Path, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, path)
    return path


def written_export(path: Path, preset: str, spec: Spec = Spec()) -> Path:
    """What ``write_export(path, preset, spec)`` writes, at ``path``."""
    suffix = path.suffix.lower()
    key = ("export", preset, spec, suffix)
    return _copy(_kept(key, suffix, lambda to: write_export(to, preset, spec)), path)


def export(root: Path, preset: str, name: str, spec: Spec | None = None) -> Path:
    """``measuring.export``: the export ``name`` in ``root``'s exports folder."""
    return written_export(root / "exports" / name, preset, spec or Spec())


def written_survey(path: Path, spec: Spec = Spec(), kind: str = "ces", ticket_prefix: int = 100000) -> Path:
    """What ``write_survey(path, spec, kind, ticket_prefix)`` writes, at ``path``."""
    key = ("survey", spec, kind, ticket_prefix)
    return _copy(_kept(key, ".csv", lambda to: write_survey(to, spec, kind, ticket_prefix)), path)
