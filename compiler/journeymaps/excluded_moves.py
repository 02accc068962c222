"""A map moved into a folder the settings exclude: said as moved there, not only "removed".

An excluded file is not a map for lint, the site or the gate, so such a move takes the map
(and its findings) out of every check; a reviewer read "map removed" and had no reason to
look at the file that is still in the change. Told as git tells a renamed file: by content,
at least half alike (see :mod:`journeymaps.likeness`).

Moved alone, the map takes the findings it had out of the checks: reported, not judged (as
a deleted map's). Edited in the move, what the edit brings was in no check, and ``diff
--check`` passed a new error put there in the same change (a map moved under a
``per-file-ignores`` pattern failed): the edited file is linted as if the settings included
it, and the findings the base's map did not have are the change's (see :func:`judge`).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from journeymaps import likeness
from journeymaps.comparison import REMOVED, MapDiff
from journeymaps.diagnostics import Diagnostic
from journeymaps.finding_changes import match_findings
from journeymaps.lint import Report
from journeymaps.map_changes import restaged
from journeymaps.project import collect
from journeymaps.reading import linked_out, read_regular
from journeymaps.settings import Settings


def excluded_files(roots: list[Path], settings: Settings, folder: Path) -> dict[str, bytes]:
    """The YAML files under a side's maps folders that its settings exclude, by their path
    inside ``folder``, with their bytes. Only regular files up to the map size limit are
    read: a FIFO or a link there is not followed."""
    # A maps folder that a link takes out of ``folder`` is not listed (lint refuses it).
    roots = [r for r in roots if linked_out(r, folder) is None]
    if not settings.exclude or not roots:
        return {}
    kept = collect(roots, settings.exclude, folder)
    out: dict[str, bytes] = {}
    for path in collect(roots, (), folder).keys() - kept.keys():
        try:
            # Checked on the open file, opened without blocking and without following a
            # link: a FIFO swapped in after a check by name hung diff waiting for a writer.
            raw = read_regular(path, settings.max_file_size_kb * 1024, follow=False)
        except OSError:  # Refused too: not a regular file, a link, or too large
            continue
        try:
            out[path.relative_to(folder).as_posix()] = raw
        except ValueError:
            continue  # outside the side's folder: not a place the change moved it to
    return out


def changed(excluded: dict[str, bytes], base: Path, settings: Settings) -> set[str]:
    """The excluded files (see :func:`excluded_files`) the change adds or edits: those
    ``base`` (the other side's folder) does not have with the same bytes. A file the base
    had as it is was not the change's to judge."""
    out: set[str] = set()
    for name, raw in excluded.items():
        try:
            was = read_regular(base / name, settings.max_file_size_kb * 1024, follow=False)
        except OSError:  # not there, or not a regular file: the change's
            out.add(name)
            continue
        if was != raw:
            out.add(name)
    return out


def note_moves(maps: list[MapDiff], excluded: dict[str, bytes], new: set[str] | None = None) -> None:
    """Mark each removed map whose content went to an excluded file with that file; and
    with the other excluded files the change adds or edits (``new``; all when None) that
    are at least half alike to it (see :func:`_note_alike`)."""
    removed = [
        (md, md.old.text, md.old.map_id or "")
        for md in maps
        if md.status == REMOVED and md.old is not None and md.old.text
    ]
    if not removed or not excluded:
        return
    texts = sorted((name, raw.decode("utf-8", "replace")) for name, raw in excluded.items())
    # By id first, as diff pairs maps (see map_pairing): a thousand maps of one template
    # moved with an edit each were each measured against every excluded file, all alike
    # but for their ids (a minute for 600). Then by file name: the same thousand with their
    # ids edited too (``archived-…``) were all measured against all again. Still at least
    # half alike, as git's renames; the rest by content.
    by_id: dict[str, list[tuple[str, str]]] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for name, now in texts:
        if found := _ID.search(now):
            by_id.setdefault(found[1], []).append((name, now))
        by_name.setdefault(PurePosixPath(name).name, []).append((name, now))
    taken: set[str] = set()
    waiting = list(enumerate(removed))
    for mates_of, key_of in (
        (by_id, lambda md, map_id: map_id),
        (by_name, lambda md, map_id: PurePosixPath(md.old.file).name if md.old else ""),
    ):
        unpaired = []
        for i, (md, was, map_id) in waiting:
            mates = [m for m in mates_of.get(key_of(md, map_id), []) if m[0] not in taken]
            scored = [(likeness.similarity(was, now), name, now) for name, now in mates]
            best = max(scored, key=lambda s: s[0], default=None)  # ties: the first by name
            if best is not None and best[0] >= likeness.SIMILAR:
                _moved(md, best[1], was != best[2])
                taken.add(best[1])
            else:
                unpaired.append((i, (md, was, map_id)))
        waiting = unpaired
    if waiting:
        waiting = _by_content_but_id(waiting, [(n, t) for n, t in texts if n not in taken], taken)
    rest = [(f"{i:06d}", was) for i, (_, was, _) in waiting]
    left = [(name, now) for name, now in texts if name not in taken]
    # The rest by content, each measured against a few files at most (those sharing its
    # rarest lines): a thousand maps of one template moved with new ids and names, and
    # edited, were each measured against every file. Said on the map when it was not
    # measured against every file that could be as alike.
    capped: list[tuple[str, str]] = []
    # Its names too, where too many are alike: maps of one template differing only in
    # their ids, moved out with new ids and names, were each measured against the same
    # first few files (50 of a thousand paired). The removed map's id and file's name; an
    # excluded file's id and name.
    called = {id(r): f"{map_id} {_stem(md)}" for r, (_, (md, _, map_id)) in zip(rest, waiting, strict=True)}

    def names(x: tuple[str, str]) -> str:
        if (was_called := called.get(id(x))) is not None:
            return was_called
        found = _ID.search(x[1])
        return f"{found[1] if found else ''} {PurePosixPath(x[0]).stem}"

    for (key, was), (name, now) in likeness.pair_alike(
        rest, left, lambda x: x[1], lambda x: (x[0],), capped, names
    ):
        _moved(removed[int(key)][0], name, was != now)
        taken.add(name)
    for key, _ in capped:
        removed[int(key)][0].excluded_partly = True
    _note_alike(removed, [(n, t) for n, t in texts if n not in taken and (new is None or n in new)])


Waiting = list[tuple[int, tuple[MapDiff, str, str]]]


def _by_content_but_id(waiting: Waiting, texts: list[tuple[str, str]], taken: set[str]) -> Waiting:
    """Pair each waiting map with a file of the same lines but for its ``id:``, the first
    by name (see :func:`likeness.pair_same_but_id`); those left are returned."""
    paired = likeness.pair_same_but_id(waiting, texts, lambda w: w[1][1], lambda t: t[1])
    for (_, (md, was, _)), (name, now) in paired:
        _moved(md, name, was != now)
        taken.add(name)
    done = {i for (i, _), _ in paired}
    return [w for w in waiting if w[0] not in done]


def _stem(md: MapDiff) -> str:
    """The name of the file a removed map had, without its folder and extension."""
    return PurePosixPath(md.old.inner).stem if md.old else ""


def _bare(text: str) -> frozenset[tuple[str, int]]:
    """A map file's lines but its top-level ``id:`` (see :func:`likeness.same_lines`)."""
    return likeness.same_lines_but_id(text)


def _note_alike(removed: list[tuple[MapDiff, str, str]], extra: list[tuple[str, str]]) -> None:
    """Each excluded file the change adds or edits, paired with no map, at least half alike
    to a removed map: judged as that map's edited move. Else a copy of the base's map
    added beside its edited move (or one the base had) paired with the move as unedited,
    and the edit passed unjudged. One map each, the most alike: a file alike to two maps of
    one template is judged once."""
    if not extra:
        return  # the usual move: its one file taken by its map, nothing measured here
    # By id first, as note_moves: copies of a thousand maps added beside their edited moves
    # were each measured against every map moved (all alike but for their ids).
    by_id: dict[str, list[int]] = {}
    for i, (_, _, map_id) in enumerate(removed):
        by_id.setdefault(map_id, []).append(i)
    # Then by content but for the id line: copies with new ids beside moves with new ids
    # (measured against every map moved, all of one template, all alike).
    by_bare: dict[frozenset[tuple[str, int]], int] = {}
    for i, (_, was, _) in reversed(list(enumerate(removed))):  # ties: the first removed
        by_bare[_bare(was)] = i
    found: list[tuple[str, int]] = []
    rest: list[tuple[str, str]] = []
    for name, now in extra:
        mates = by_id.get(m[1], []) if (m := _ID.search(now)) else []
        scored = [(likeness.similarity(removed[i][1], now), i) for i in mates]
        best = max(scored, key=lambda s: s[0], default=None)  # ties: the first removed
        if best is None or best[0] < likeness.SIMILAR:
            bare = by_bare.get(_bare(now))
            best = (likeness.similarity(removed[bare][1], now), bare) if bare is not None else None
        if best is not None and best[0] >= likeness.SIMILAR:
            found.append((name, best[1]))
        else:
            rest.append((name, now))
    olds = [(f"{i:06d}", was) for i, (_, was, _) in enumerate(removed)]
    # Each against a few maps at most (those sharing its rarest lines, or with none, the
    # first few of a template's): one alike enough is judged with it, all alike or not.
    alike = likeness.nearest(olds, rest, lambda x: x[1], lambda x: x[1], likeness.CANDIDATES)
    for (name, _), (key, _) in alike:
        found.append((name, int(key)))
    texts = dict(extra)
    for name, i in sorted(found):
        md, was, _ = removed[i]
        if md.excluded_as is None:  # a map no file was paired with: this is its move
            _moved(md, name, was != texts[name])
        else:
            md.excluded_alike.append(name)


_ID = likeness.ID_LINE


def _moved(md: MapDiff, name: str, edited: bool) -> None:
    md.excluded_as = name
    md.excluded_edited = edited


def edited(maps: list[MapDiff], excluded: dict[str, bytes]) -> dict[str, bytes]:
    """The excluded files that maps moved to with edits (see :func:`note_moves`), with their
    bytes: only these are linted (an archive of a thousand maps is not read again)."""
    return {name: excluded[name] for md in maps for name in judged(md)}


def judged(md: MapDiff) -> list[str]:
    """The excluded files linted for a map moved out: its edited move's, and those alike to it."""
    moved = [md.excluded_as] if md.excluded_as and md.excluded_edited else []
    return [*moved, *md.excluded_alike]


def judge(maps: list[MapDiff], base: Report, moved: Report) -> None:
    """Set each edited move's findings that the base's map did not have (``moved``: the
    edited files linted as if included), matched as a kept map's are: by fingerprint,
    through a map id changed or steps moved to another stage in the same edit. Those
    suppressed on either side count too: a comment added in the move hides nothing here."""
    models = {m.src.display: m for m in moved.project.maps} if moved.project else {}
    for md in maps:
        if md.old is None:
            continue
        was = md.old.file
        had = [*md.gone, *(d for d in base.suppressed if d.file == was)]
        brought: list[Diagnostic] = []
        for now in judged(md):  # each against the base's map: a copy beside it hides nothing
            found = [d for d in (*moved.diagnostics, *moved.suppressed) if d.file == now]
            ids: dict[str, str] = {}
            steps: dict[str, dict[str, str]] = {}
            if md.old.model is not None and (m := models.get(now)) is not None:
                if m.id != md.old.model.id:
                    ids[was] = m.id
                if moves := restaged(md.old.model, m):
                    steps[was] = moves
            brought += match_findings(had, found, None, ids, steps)[0]
        md.excluded_new = sorted(brought, key=Diagnostic.sort_key)
