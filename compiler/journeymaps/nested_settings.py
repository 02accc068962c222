"""Two settings files for the same maps: one inside the maps folders of another project.

One run has one set of settings (see README, Settings): ``journeymaps lint
maps/support/x.yaml`` (what the pre-commit hook runs) takes the nearest settings file,
``maps/support/journeymaps.toml``, while ``journeymaps lint`` from the top (CI) takes
``journeymaps.toml`` for the same maps. The two judged them differently without a word; this
names both files, in either run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from journeymaps.project import absolute, display_path
from journeymaps.settings import Settings, SettingsError, find_settings_file, load_settings


def overlaps(settings: Settings, files: Iterable[Path], cwd: Path) -> list[str]:
    """What to say of each other settings file that applies to the maps ``files`` (those the
    run reads) besides ``settings``': one nearer to some of them, or one whose maps folders
    hold the project ``settings`` are for."""
    if settings.file is None:
        return []
    used, root = absolute(settings.file), absolute(settings.root)
    said: list[str] = []
    # Nearer: a settings file between a map's folder and the project's (each folder once).
    nested: dict[Path, None] = {}
    for folder in dict.fromkeys(absolute(f).parent for f in files):
        found = find_settings_file(folder)
        if found is not None and absolute(found) != used and absolute(found).parent.is_relative_to(root):
            nested[absolute(found)] = None
    said += [_both(inner, used, cwd) for inner in nested]
    # Around: the project is in the maps folders of a project above it.
    if root.parent != root and (outer := find_settings_file(root.parent)) is not None:
        try:
            around = load_settings(cwd, outer)
        except SettingsError:  # its own run reports it
            return said
        if any(root.is_relative_to(absolute(r)) for r in around.roots()):
            said.append(_both(used, absolute(outer), cwd))
    return said


def _both(inner: Path, outer: Path, cwd: Path) -> str:
    """The warning for ``inner``, a settings file inside ``outer``'s maps folders."""
    if _same_file(inner, outer):
        return _linked(inner, outer, cwd)
    shown, around = display_path(inner, cwd), display_path(outer, cwd)
    folder = display_path(inner.parent, cwd).rstrip("/") + "/"
    return (
        f"warning: {shown} and {around} both apply to {folder}: journeymaps lint naming files "
        f"there uses {shown}, journeymaps lint from {around}'s folder uses {around}; one run has one "
        "set of settings, so the pre-commit hook (which names files) and CI can judge these maps "
        f"differently: keep one settings file (move these settings into {around}, or take {folder} "
        "out of its paths)"
    )


def _same_file(inner: Path, used: Path) -> bool:
    """Whether ``inner`` is a link to the settings file ``used``."""
    return inner.is_symlink() and os.path.realpath(inner) == os.path.realpath(used)


def _linked(inner: Path, used: Path, cwd: Path) -> str:
    """The warning for ``inner``, a link to ``used`` in its maps folders: one file, but read
    from the link's folder its paths name other folders (the maps' teams.yaml unread: the
    hook passed an unknown owner CI failed), and "move these settings into" it said nothing."""
    shown, around = display_path(inner, cwd), display_path(used, cwd)
    folder = display_path(inner.parent, cwd).rstrip("/") + "/"
    return (
        f"warning: {shown} is a link to {around}: journeymaps lint naming files in {folder} reads it "
        f"as the settings of {folder} (its paths and exclude from there), journeymaps lint from "
        f"{around}'s folder as the settings of that folder; so the pre-commit hook (which names files) "
        f"and CI can judge these maps differently: remove the link ({around} applies to {folder} "
        "without it)"
    )
