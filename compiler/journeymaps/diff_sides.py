"""Reading one side of ``journeymaps diff``: a git revision's files (or a folder) in a folder of
its own, linted with the project files it had (schema copies, persona photos), and its
measured snapshots read while its files exist."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from journeymaps import git, schema_copies, setting_words, teams_gone
from journeymaps.diagnostics import Severity
from journeymaps.lint import Inputs, Report, lint, read_inputs
from journeymaps.loader import Source
from journeymaps.measure.snapshot import MAX_BYTES as MAX_SNAPSHOT_BYTES
from journeymaps.photos import MAX_PHOTO_BYTES
from journeymaps.project import ContentKey, Memo
from journeymaps.reading import is_link_loop, linked_out, read_head
from journeymaps.settings import Settings


class DiffError(Exception):
    """A side of the comparison cannot be read (unknown revision, no git)."""


#: Adds the files at given paths (relative to the side's folder) as they were at its
#: revision, when they existed then; True when any was added.
Fetch = Callable[[list[str]], bool]


def no_fetch(paths: list[str]) -> bool:
    return False  # a folder side is complete as it is


@contextmanager
def checkout(spec: str, maps_rel: list[str], repo: Path, largest: int) -> Iterator[tuple[Path, Fetch]]:
    """A folder holding ``spec``: itself when it is a folder, else the git revision's files;
    and a way to add more of that revision's files to it (the schema copies and persona
    photos its maps name, which lie outside the maps folders). A file larger than
    ``largest``, which no reader takes, is only its size (see :func:`journeymaps.git.export`)."""
    as_path = Path(spec)
    if as_path.is_dir():
        yield as_path, no_fetch
        return
    tmp = Path(tempfile.mkdtemp(prefix="journeymaps-diff-"))
    tree = tmp / "tree"
    try:
        try:
            git.export(spec, maps_rel, repo, tree, largest)
        except git.GitError as exc:
            raise DiffError(f"{spec}: not a folder, and {exc}") from None

        def fetch(paths: list[str]) -> bool:
            wanted = sorted({p for p in paths if not (tree / p).exists()})
            if not wanted:
                return False
            try:
                wanted = git.files(spec, wanted, repo)  # a folder named as a photo is not copied
                if not wanted:
                    return False
                git.export(spec, wanted, repo, tree, largest)
            except git.GitError as exc:
                raise DiffError(f"{spec}: {exc}") from None
            return any((tree / p).exists() for p in wanted)

        yield tree, fetch
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def maps_folders(settings: Settings) -> list[str]:
    """The side's maps folders, relative to its root (where git reads them from)."""
    root = settings.root
    return [r.relative_to(root).as_posix() if r.is_relative_to(root) else str(r) for r in settings.roots()]


def export_side(spec: str, tree: Path, paths: list[str], repo: Path, settings: Settings) -> None:
    """Add the revision's files under ``paths`` to its side (a folder side is whole)."""
    if tree == Path(spec):
        return
    largest = max(settings.max_file_size_kb * 1024, MAX_PHOTO_BYTES, MAX_SNAPSHOT_BYTES)
    # Only inside the side's folder, as lint_side reads them: a revision's settings in a
    # subfolder naming ../maps ended in git's "'../maps' is outside repository".
    paths = [p for p in paths if within(tree, tree / p) is not None]
    try:
        git.export(spec, paths, repo, tree, largest)
    except git.GitError as exc:
        raise DiffError(f"{spec}: {exc}") from None


def read_with(
    spec: str | None,
    tree: Path,
    fetch: Fetch,
    was: Settings,
    now: Settings,
    repo: Path,
    today: dt.date,
    extra: dict[Path, bytes] | None = None,
) -> tuple[Report, list[Path]] | None:
    """A side's maps read with the other side's settings ``was``, when the settings changed:
    HEAD's with BASE's hold what HEAD's settings no longer show; BASE's with HEAD's, the
    findings HEAD's settings show in maps that already had them. ``extra``: BASE's teams.yaml
    that HEAD deletes (see :mod:`journeymaps.teams_gone`)."""
    if setting_words.keys(was, now) == []:
        return None
    rel = maps_folders(was)
    if spec is not None:
        export_side(spec, tree, [*rel, was.measure.metrics], repo, was)
    report, roots = lint_side(tree, fetch, was, rel, today, whole=False, extra=extra)
    return report, roots


def read_snapshots(report: Report, folder: Path) -> dict[str, Any]:
    """The measured snapshots of a side's maps, read while its files exist."""
    from journeymaps.measure import snapshot

    assert report.project is not None
    found = {m.id: snapshot.load(folder, m.id) for m in report.project.maps}
    return {k: v for k, v in found.items() if v is not None}


def lint_side(
    folder: Path,
    fetch: Fetch,
    settings: Settings,
    rel: list[str],
    today: dt.date,
    whole: bool = True,
    extra: dict[Path, bytes] | None = None,
    memo: Memo | None = None,
) -> tuple[Report, list[Path]]:
    """Lint a side with the project files it had: a revision's schema copies and persona
    photos lie outside its maps folders, and linted without them its maps would carry
    findings (schema-reference, persona-photo) that the other side does not, reported as
    fixed or introduced although nothing changed. Also the maps folders it was linted in.
    ``whole``: with none of them there, the whole folder (a folder side named as the maps').
    ``extra``: files read as if they were there (see :mod:`journeymaps.teams_gone`).
    ``memo``: the files parsed for it, kept (see :func:`rebased`)."""
    side, roots = side_of(folder, settings, rel, whole)
    if rule_on(settings, "schema-reference"):  # the site's history turns the rules off
        fetch(_schema_copies(folder, roots))

    def read() -> Report:
        return (
            teams_gone.lint_with(roots, side, today, folder, extra)
            if extra
            else lint(roots, side, today, folder, memo=memo)
        )

    report = read()
    if rule_on(settings, "persona-photo") and fetch(_photos(report)):
        report = read()  # rare: read again with the photos as they were
    return report, roots


def rebased(memo: Memo, old: Path, new: Path) -> Memo:
    """The files ``memo`` holds inside the folder ``old`` as if read inside ``new``: the other
    side of the comparison. Most of a change's files are the same bytes on both sides, and
    each side parsed and validated every one (1,000 realistic maps: ~1.4 s of a ~5.7 s
    diff); a file found here by its name there and its bytes is not parsed again. Each is a
    copy naming its new path, keyed as :func:`journeymaps.project.load_project` keys it, and
    marked validated by being in the memo (it is never validated again, so the lists of
    problems it shares with the original are never appended to)."""
    sources: dict[ContentKey, Source] = {}
    for (path, display, digest), src in memo.sources.items():
        inner = within(old, Path(path))
        if inner is not None:
            moved = new / inner
            sources[(str(moved), display, digest)] = replace(src, path=moved)
    return Memo(sources=sources)


def side_of(
    folder: Path, settings: Settings, rel: list[str], whole: bool = True
) -> tuple[Settings, list[Path]]:
    """The settings a side in ``folder`` is linted with, and its maps folders there (see
    :func:`lint_side`)."""
    # Only inside the side's folder, as lint reads them (the maps folders are its context
    # too): a revision's settings naming paths = ["../../.."] had lint walk the whole
    # machine from the temporary folder (lint refuses them in the work tree; a revision's
    # settings are not checked there).
    inside = [r for r in rel if within(folder, folder / r) is not None]
    # A maps folder that is a link leading round in a loop (maps -> maps) is a folder not
    # read, as lint says it: left out, its side had no maps, and each of the other's was
    # called removed.
    roots = [folder / r for r in inside if (folder / r).exists() or is_link_loop(folder / r)]
    roots = roots or ([folder] if whole else [])
    return replace(settings, root=folder, paths_at=None, paths=tuple(inside)), roots


def lint_excluded(
    folder: Path, fetch: Fetch, side: Settings, roots: list[Path], today: dt.date, files: dict[str, bytes]
) -> Report:
    """The files ``files`` that the side's settings ``side`` exclude (by their path inside
    ``folder``, with the bytes read of them) linted as if the settings included them, in
    the context of the side's maps (see :mod:`journeymaps.excluded_moves`). The bytes
    already read are linted, not the file read again: what was compared is what is judged."""
    # As lint names the files it finds: absolute, so a file is not read twice under two names.
    paths = {Path(os.path.abspath(folder / rel)): raw for rel, raw in files.items()}  # noqa: PTH100
    found = read_inputs(roots, side)
    inputs = Inputs(sorted(paths), [*found.files, *sorted(paths)], {**found.contents, **paths}, found.absent)
    included = replace(side, exclude=())

    def read() -> Report:
        return lint(inputs.targets, included, today, folder, inputs=inputs)

    report = read()
    if rule_on(side, "persona-photo") and fetch(_photos(report)):
        report = read()  # as lint_side: with the photos as they were
    return report


def rule_on(settings: Settings, rule: str) -> bool:
    return settings.severity(rule, Severity.WARNING) is not None


def within(folder: Path, path: Path) -> str | None:
    """``path`` relative to ``folder`` when it stays inside it."""
    rel = Path(os.path.relpath(os.path.normpath(path), folder))
    return None if rel.parts[:1] == ("..",) or rel.is_absolute() else rel.as_posix()


def _schema_copies(folder: Path, roots: list[Path]) -> list[str]:
    """The schema copies the side's YAML files point their editors at."""
    out = set()
    real = Path(os.path.realpath(folder))
    for root in roots:
        if linked_out(root, folder) is not None:
            continue  # a maps folder a link takes out of the side (lint refuses it): rglob listed it all
        for path in sorted(root.rglob("*.y*ml")) if root.is_dir() else [root]:
            if not Path(os.path.realpath(path)).is_relative_to(real):
                continue  # a revision's link out of it (made again by git.export): not read
            try:
                ref = schema_copies.local_reference(read_head(path, 4096).decode("utf-8", "replace"))
            except OSError:  # unreadable, or not a regular file (a FIFO): lint reports it
                continue
            # Relative to the file (``../schema/…``), kept inside the side's folder by
            # ``within``; a control character would end the git call.
            found = within(folder, path.parent / ref) if ref and _printable(ref) else None
            if found:
                out.add(found)
    return sorted(out)


def _photos(report: Report) -> list[str]:
    """The persona photos the side's maps and personas name (relative to the project)."""
    if report.project is None:
        return []
    personas = list((report.project.personas or {}).values())
    personas += [m.persona for m in report.project.maps if m.persona is not None]
    return sorted({p.photo for p in personas if p.photo and _plain(p.photo)})


def _printable(written: str) -> bool:
    return not any(ord(c) < 32 or ord(c) == 127 for c in written)


def _plain(written: str) -> bool:
    """A path git can be asked for: relative, inside, printable (the rest is refused by
    the persona-photo rule on both sides alike)."""
    parts = PurePosixPath(written.replace("\\", "/")).parts
    return (
        _printable(written)
        and not written.startswith(("/", "\\"))
        and not PureWindowsPath(written).drive
        and ".." not in parts
    )
