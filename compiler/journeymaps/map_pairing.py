"""Which map of one side of ``journeymaps diff`` is which of the other: by id and file, by id
(a renamed file), by file (a map whose id changed), and last by content (see
:mod:`journeymaps.likeness`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from journeymaps import likeness
from journeymaps.diagnostics import Diagnostic
from journeymaps.diff_sides import within
from journeymaps.lint import Report
from journeymaps.loader import Source
from journeymaps.model import Map
from journeymaps.rules.input import INPUT_RULES


@dataclass
class Entry:
    """One map file on one side: its id when it can be read, its model when it is valid."""

    file: str
    map_id: str | None
    title: str | None
    model: Map | None
    problem: Diagnostic | None  # the first reason it cannot be read, when it cannot
    text: str
    #: Its path inside the side's maps folder: what pairs it with the other side, whose
    #: folder may have been named at another depth (``diff /tmp/fresh maps`` compares
    #: ``maps/a.yaml`` with ``a.yaml``, the same file). ``file`` when not given.
    inner: str = ""
    #: A link to another map file its side reads (``old.yaml -> moved.yaml``): paired after
    #: the files themselves, so it cannot take their place (see :func:`pair`).
    alias: bool = False
    #: A maps folder that is not read (a link out of the project): one unreadable-file
    #: finding where its maps would be, and no map (see :attr:`Outcome.folders`).
    folder: bool = False

    def __post_init__(self) -> None:
        self.inner = self.inner or self.file


def entries(
    report: Report, roots: list[Path] | None = None, links: frozenset[str] = frozenset()
) -> list[Entry]:
    """Every map file a lint run read; with the one maps folder it was run on (``roots``),
    each named too by its path inside that folder; ``links``: those that are links to another
    (see :func:`links_to_maps`)."""
    top = roots[0] if roots is not None and len(roots) == 1 else None
    models = {m.src.display: m for m in report.project.maps} if report.project else {}
    problems: dict[str, Diagnostic] = {}
    for d in report.diagnostics:
        if d.rule in INPUT_RULES:
            problems.setdefault(d.file, d)
    out = []
    for src in report.sources:
        if report.kinds.get(src.display) != "map":
            continue
        data = src.data if isinstance(src.data, dict) else {}
        ident, title = data.get("id"), data.get("title")
        model = models.get(src.display)
        problem = problems.get(src.display) if model is None else None
        out.append(
            Entry(
                src.display,
                ident if isinstance(ident, str) else None,
                title if isinstance(title, str) else None,
                model,
                problem,
                src.text,
                (within(top, src.path) or "") if top is not None else "",
                src.display in links,
                src.display in report.folders,
            )
        )
    return out


def links_to_maps(report: Report) -> frozenset[str]:
    """The map files of a side that are links to another map file it read (of those leading
    to one file, all but the file itself, or all but the first when each is a link). Asked
    while the side's files are there: a revision's are gone when it is compared."""
    by_real: dict[str, list[Source]] = {}
    for src in report.sources:
        if report.kinds.get(src.display) == "map":
            by_real.setdefault(os.path.realpath(src.path), []).append(src)
    out: set[str] = set()
    for same in by_real.values():
        if len(same) > 1:
            first = next((s for s in same if not s.path.is_symlink()), same[0])
            out |= {s.display for s in same if s is not first}
    return frozenset(out)


def pair(
    old: list[Entry], new: list[Entry], capped: list[Entry] | None = None
) -> list[tuple[Entry | None, Entry | None]]:
    """Match the two sides: by map id and file, then by map id (a renamed file; not when
    its content is rather that of the map its file had), else (a file with no readable id)
    by file, then a map whose id changed in its own file, and last
    those left by their content but for their ``id:`` line, then by their content (see
    :mod:`journeymaps.likeness`). Two maps sharing an id (duplicate-id) are told apart by
    their files, so editing one is a change, not an addition and a removal. ``capped`` gets
    the old entries measured by content against only some new ones where that may have
    changed their pairing (see :func:`likeness.pair_alike`): it may have missed their rename."""
    found: dict[int, Entry] = {}  # id(new entry) -> its old entry
    taken: set[int] = set()
    by: dict[object, list[Entry]] = {}
    for o in old:
        for key in ((o.map_id, o.inner), ("id", o.map_id), ("file", o.inner)):
            by.setdefault(key, []).append(o)

    def match(e: Entry, key: object, any_id: bool = True) -> None:
        """``e``'s first untaken old entry under ``key``; with ``any_id`` False, only one
        with no readable id."""
        for o in by.get(key, ()):
            if id(o) not in taken and (any_id or o.map_id is None):
                taken.add(id(o))
                found[id(e)] = o
                return

    # A link to another map (left where a moved map was) is paired after the files: it took
    # the map's place, the map read as new, and the suppressions in it as a new map's.
    for listed in by.values():
        listed.sort(key=lambda o: o.alias)
    ids = {o.map_id for o in old}, {e.map_id for e in new}
    for files in ([e for e in new if not e.alias], [e for e in new if e.alias]):
        for e in files:
            if e.map_id:
                match(e, (e.map_id, e.inner))
        for e in files:
            if e.map_id and id(e) not in found:
                # Not to another file when the map that was in its own is the one it is
                # like: a map taking a deleted map's id read as that map moved, its new
                # errors matched against the other's old ones, and passed --check.
                there = [
                    o for o in by.get(("file", e.inner), ()) if id(o) not in taken and o.map_id != e.map_id
                ]
                mate = next((o for o in by.get(("id", e.map_id), ()) if id(o) not in taken), None)
                if mate is not None and there and _rather(e, there[0], mate):
                    taken.add(id(there[0]))
                    found[id(e)] = there[0]
                else:
                    match(e, ("id", e.map_id))
        for e in files:
            if id(e) not in found:
                match(e, ("file", e.inner), any_id=e.map_id is None)
        # An id changed in its own file: one map, not one removed and another added (its old
        # errors were all "introduced"). Only where neither id is on the other side: a file
        # taken over by another map while the first kept its id elsewhere is not followed.
        for e in files:
            if e.map_id and id(e) not in found and e.map_id not in ids[0]:
                for o in by.get(("file", e.inner), ()):
                    if id(o) not in taken and o.map_id and o.map_id not in ids[1]:
                        taken.add(id(o))
                        found[id(e)] = o
                        break
        # Its file renamed and its id changed: one map still, told by its content as git
        # tells a renamed file (read as new, its suppressions were a new map's, not judged).
        # Not a folder not read: its empty text is like no map's.
        left = sorted((o for o in old if id(o) not in taken and not o.folder), key=_order)
        unpaired = sorted((e for e in files if id(e) not in found and not e.folder), key=_order)
        # First the same lines but for the id, one measure each: a thousand maps of one
        # template renamed with new ids were all measured against all (36 s).
        for o, e in likeness.pair_same_but_id(left, unpaired, _text, _text):
            taken.add(id(o))
            found[id(e)] = o
        left = [o for o in left if id(o) not in taken]
        unpaired = [e for e in unpaired if id(e) not in found]
        # Then by content, each against a few at most (those sharing its rarest lines, and
        # the rarest word of its names): the same maps edited too were still all against
        # all. Said where the cap may have changed the pairing.
        for o, e in likeness.pair_alike(left, unpaired, _text, _order, capped, _names):
            taken.add(id(o))
            found[id(e)] = o
    pairs: list[tuple[Entry | None, Entry | None]] = [(found.get(id(e)), e) for e in new]
    return pairs + [(e, None) for e in old if id(e) not in taken]


def _rather(e: Entry, here: Entry, mate: Entry) -> bool:
    """Whether ``e`` is the map its file had (``here``), its id changed, rather than the map
    whose id it has (``mate``), moved: alike enough, and more alike."""
    near = likeness.similarity(here.text, e.text)
    return near >= likeness.SIMILAR and near > likeness.similarity(mate.text, e.text)


def _text(e: Entry) -> str:
    return e.text


def _names(e: Entry) -> str:
    """What a map is called: its id and its file's name (``maps/j17.yaml`` renamed
    ``maps/k17.yaml``, its id ``j17`` made ``k17``: both tell ``17``)."""
    return f"{e.map_id or ''} {PurePosixPath(e.inner).stem}"


def _order(e: Entry) -> tuple[bool, str, str]:
    """Ties between equally alike maps: a file before a link to it, then by name."""
    return e.alias, e.inner, e.file
