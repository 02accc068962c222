"""The command line pre-commit gives a hook: its entry, the user's ``args``, then the names
of the files, with nothing between (pre-commit adds no ``--``, and one in the entry would make
the user's ``args`` paths). A staged file at the repository's top named like an option was
read as one: ``--exit-zero.yaml`` ended the run in a usage error with nothing checked, and
``--output=sarif=notes.yaml`` wrote a SARIF report over notes.yaml."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence


def mark_paths(args: Sequence[str], takes_value: Collection[str], names: Collection[str]) -> list[str]:
    """``args`` with ``--`` before the files pre-commit names: the longest run, at their end,
    of names of files there are (pre-commit names no other: it drops those missing), that
    starts where an option could (not an option's value, as the ``journeymaps.toml`` of
    ``--config journeymaps.toml``). An option's own name is never taken for a file's: a file
    pre-commit names for the hook is YAML or TOML. ``takes_value``: the options followed by
    their value; ``names``: every option's. Unchanged when the run is empty or a ``--`` is
    there already."""
    starts: list[int] = []
    at = 0
    while at < len(args):
        if args[at] == "--":
            return list(args)
        starts.append(at)
        at += 2 if args[at] in takes_value else 1
    first = len(args)
    for at in reversed(starts):
        if at != first - 1 or args[at] in names or not os.path.lexists(args[at]):
            break
        first = at
    if first == len(args):
        return list(args)
    return [*args[:first], "--", *args[first:]]
