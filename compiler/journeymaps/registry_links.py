"""A teams.yaml or personas.yaml that is a link (``maps/teams.yaml -> ../shared/teams.yaml``,
usual in a monorepo) is one file, read once, as the registry its name says.

Read under each of its names, the file the link leads to was read twice: as a second
registry (every team a ``duplicate-id`` error, "already defined in" itself), or, under a
name that is no registry's, as a map ("not a journey map but a list of teams ... rename
it": renamed, the link broke).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path

from journeymaps.project import kind_of
from journeymaps.settings import Settings


def read_elsewhere(files: Collection[Path]) -> dict[Path, Path]:
    """Each of ``files`` that is a registry also among them under another name -> that
    name. Of a registry's names, the file itself is kept when it is named so (its findings
    point where it is edited), else the first link; a file under a name that is no
    registry's gives way to the link that names it one. Only the registries are sorted and
    looked at (``files`` is looked up, never copied: 1,000 maps a serve rebuild)."""
    kept: dict[tuple[Path, str], Path] = {}
    elsewhere: dict[Path, Path] = {}
    for path in sorted(p for p in files if kind_of(p) != "map"):
        kind = kind_of(path)
        real = Path(os.path.realpath(path))  # only registries: a few files a run
        first = kept.setdefault((real, kind), real if real in files and kind_of(real) == kind else path)
        if first != path:
            elsewhere[path] = first
        # the file and each link on the way to it (teams.yaml -> mid.yaml -> all-teams.yaml)
        for name in (*_links_on_the_way(path), real):
            if name != first and name in files and kind_of(name) == "map":
                elsewhere[name] = first
    return elsewhere


def maps_among(files: Collection[Path]) -> list[Path]:
    """Those of ``files`` lint reads as maps: not a registry, nor a file a registry among
    them is a link to (``maps/teams.yaml -> all-teams.yaml``: all-teams.yaml is the teams)."""
    elsewhere = read_elsewhere(files)
    return [p for p in files if kind_of(p) == "map" and p not in elsewhere]


def named_otherwise(named: Collection[Path], registries: Iterable[Path]) -> set[Path]:
    """Those of ``registries`` (each under its registry name) that ``named`` names by the
    file a link of theirs leads to: ``lint maps/all-teams.yaml`` of ``teams.yaml ->
    all-teams.yaml`` checked the teams and no map that uses them ("1 file (0 maps)")."""
    return {r for r in registries if r not in named and Path(os.path.realpath(r)) in named}


def _links_on_the_way(path: Path) -> list[Path]:
    """The names ``path`` leads through, link by link, to its file: a link to a link was
    read as a map ("not a journey map but a list of teams ... rename it", breaking the chain)."""
    hops: list[Path] = []
    at = path
    for _ in range(40):  # as the system's own limit: a loop of links is said where it is read
        try:
            target = at.readlink()
        except OSError:  # no link (or gone): the file itself
            break
        at = Path(os.path.normpath(at.parent / target))
        hops.append(at)
    return hops


def read_as_lint(path: Path, settings: Settings) -> bytes | None:
    """The bytes of the registry at ``path`` when lint reads it, else None (missing, a
    link out of the project, a FIFO, too large...). ``new`` and ``import`` took their map's
    owner from a teams.yaml linked out of the project, which lint then refused to read."""
    from journeymaps.lint import read_policy
    from journeymaps.reading import read_input

    raw = read_input(path, read_policy([], settings))
    return None if isinstance(raw, str) else raw
