"""A map moved into a folder the settings exclude: said as moved there, not only "removed".

An excluded file is not a map for lint, the site or the gate, so such a move takes the map
(and its findings) out of every check; a reviewer read "map removed" and had no reason to
look at the file that is still in the change. Told as git tells a renamed file: by content,
at least half alike (see :mod:`journeymaps.likeness`).
"""

from __future__ import annotations

from pathlib import Path

from journeymaps import likeness
from journeymaps.comparison import REMOVED, MapDiff
from journeymaps.project import collect
from journeymaps.reading import read_regular
from journeymaps.settings import Settings


def excluded_files(roots: list[Path], settings: Settings, folder: Path) -> dict[str, str]:
    """The YAML files under a side's maps folders that its settings exclude, by their path
    inside ``folder``, with their text. Only regular files up to the map size limit are
    read: a FIFO or a link there is not followed."""
    if not settings.exclude or not roots:
        return {}
    kept = collect(roots, settings.exclude, folder)
    out: dict[str, str] = {}
    for path in collect(roots, (), folder).keys() - kept.keys():
        try:
            # Checked on the open file, opened without blocking and without following a
            # link: a FIFO swapped in after a check by name hung diff waiting for a writer.
            raw = read_regular(path, settings.max_file_size_kb * 1024, follow=False)
        except OSError:  # Refused too: not a regular file, a link, or too large
            continue
        text = raw.decode("utf-8", "replace")
        try:
            out[path.relative_to(folder).as_posix()] = text
        except ValueError:
            continue  # outside the side's folder: not a place the change moved it to
    return out


def note_moves(maps: list[MapDiff], excluded: dict[str, str]) -> None:
    """Mark each removed map whose content went to an excluded file with that file."""
    removed = [md for md in maps if md.status == REMOVED and md.old is not None and md.old.text]
    if not removed or not excluded:
        return
    old = [(f"{i:06d}", md.old.text) for i, md in enumerate(removed) if md.old is not None]
    new = sorted(excluded.items())
    for (i, was), (name, now) in likeness.pair_alike(old, new, lambda x: x[1], lambda x: (x[0],)):
        removed[int(i)].excluded_as = name
        removed[int(i)].excluded_edited = was != now
