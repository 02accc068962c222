"""Maps a change moves under a ``per-file-ignores`` pattern: a change in what is ignored.

A pattern both sides have was reviewed when it landed, for the files under it then; a map
moved under it with a new error in the same change had that error ignored in HEAD, and
``diff --check`` passed. ``diff`` reads HEAD again without the ignores (only when a map may
have moved under one) and judges what the move hides as a rule the change turns off.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatch

from journeymaps.settings import Settings


def ignored(file: str, settings: Settings) -> dict[str, str]:
    """The rules ``settings`` ignore in ``file`` (relative to the project's folder), each
    with the first pattern that ignores it, as lint matches them."""
    out: dict[str, str] = {}
    for pattern, rules in settings.per_file_ignores.items():
        if fnmatch(file, pattern):
            for rule in rules:
                out.setdefault(rule, pattern)
    return out


def by_move(was: str, now: str, base: Settings, head: Settings) -> dict[str, str]:
    """The rules ignored in a map's file ``now`` that were not in its file ``was``, each
    with its pattern. Only those BASE's settings ignore there too: a pattern the change
    adds is the settings change's to say (HEAD read with BASE's settings shows them)."""
    there = ignored(now, base)
    return {
        rule: pattern
        for rule, pattern in ignored(now, head).items()
        if rule in there and rule not in ignored(was, base)
    }


def may_hide(base_files: Iterable[str], head_files: Iterable[str], base: Settings, head: Settings) -> bool:
    """Whether a map may have been moved under an ignore: a HEAD map file with an ignored
    rule that BASE did not ignore in the same file (or had no such file). Cheap, before
    the sides are paired: only then is HEAD read again."""
    if not head.per_file_ignores:
        return False
    had = set(base_files)
    return any(
        not set(ignored(f, head)) <= (set(ignored(f, base)) if f in had else set()) for f in head_files
    )
