"""The settings each side of ``journeymaps diff`` is read with: a revision's own (in the
project's folder then, or where lint there would have found them), and the settings a
revision cannot be read with, refused in words."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from journeymaps import git
from journeymaps.diagnostics import Diagnostic
from journeymaps.diff_sides import DiffError, maps_folders, within
from journeymaps.settings import Settings


def refuse_ambiguous(spec: str, cwd: Path) -> None:
    """Refuse a folder that is also a git revision, as git refuses an ambiguous name: read as
    the folder, a pull request adding a folder ``origin/main`` with its own maps in it was
    compared with itself by ``diff origin/main --check``, and its new errors passed."""
    try:
        git.commit(spec, cwd)
    except git.GitError:
        return  # not a revision (or in no repository): the folder it names
    raise DiffError(
        f"{spec!r} is both a folder and a git revision: write ./{spec} for the folder, or remove the folder"
    )


def refuse_around(settings: Settings) -> None:
    """A maps folder of the working tree's settings holding the project's folder (``paths =
    ["../../.."]``, which a pull request may bring): diff read the whole file system, as
    lint, which refuses it (see :func:`journeymaps.settings.around`), no longer does."""
    from journeymaps.settings import around

    for name, folder in zip(settings.paths, settings.roots(), strict=True):
        if (what := around(folder, settings.root)) is not None:
            shown = settings.file.name if settings.file else "the settings"
            raise DiffError(
                f"{shown}: paths: '{name}' is {what}: every YAML file in it would be read as a "
                "map; name the folder that holds the maps, such as 'maps'"
            )


def in_repository(settings: Settings, cwd: Path, names: tuple[str, ...]) -> tuple[Settings, tuple[str, ...]]:
    """The settings and the names a revision's are read by, for a settings file outside
    the working folder's repository (``--config /elsewhere/journeymaps.toml``, an
    organisation's shared file): it has no revision, so both sides read it, its maps folders
    and patterns named from the repository's top (git reads them there). A maps folder it names outside
    the repository has no revision either: refused at its line. diff looked for a
    repository around the settings file instead ("/elsewhere is in no git repository")."""
    try:
        top = Path(os.path.realpath(git.toplevel(cwd)))
    except git.GitError:
        return settings, names  # no repository here: refused below, naming the settings
    if within(top, Path(os.path.realpath(settings.root))) is not None:
        return settings, names
    inside = []
    for i, (name, folder) in enumerate(zip(settings.paths, settings.roots(), strict=True)):
        rel = within(top, Path(os.path.realpath(folder)))
        if rel is None:
            shown = settings.file.as_posix() if settings.file else "the settings"
            at = settings.paths_at[1][i] if settings.paths_at is not None else None
            where = f"{at.line}:{at.column}" if at is not None else "1:1"
            said = f"paths: '{name}'" if at is not None else f"paths (by default '{name}')"
            raise DiffError(
                f"{shown}:{where}: invalid-settings: {said} is {os.path.normpath(folder.absolute())}, "
                f"outside the git repository of the working folder ({top.as_posix()}): no revision "
                "has files there; name the maps folders inside the repository (from the settings "
                "file's folder, or as absolute paths), or keep the settings in the repository"
            )
        inside.append(rel)
    # Its exclude and per-file-ignores patterns, written from its own folder, from the
    # repository's top too: kept as written, a draft lint skips was compared as a map.
    inner = Path(os.path.relpath(top, os.path.realpath(settings.root))).as_posix() + "/"
    # Its snapshots' folder, from the repository's top too: read from there, the base had
    # none, and every measured value read as "now measured", its findings introduced.
    # One outside the repository has no revision: both sides read it, as the settings.
    metrics = Path(os.path.realpath(settings.root / settings.measure.metrics))
    return replace(
        settings,
        root=top,
        paths=tuple(inside),
        paths_at=None,
        exclude=tuple(p.removeprefix(inner) for p in settings.exclude),
        per_file_ignores={k.removeprefix(inner): v for k, v in settings.per_file_ignores.items()},
        measure=replace(settings.measure, metrics=within(top, metrics) or metrics.as_posix()),
    ), ()


def refuse_unversioned(settings: Settings, cwd: Path, working: bool) -> None:
    """Settings a revision cannot be read with, refused in words: git reads a revision's
    maps from the settings' folder, so a settings file in no repository (see
    :func:`in_repository` for one outside this one) or a maps folder outside its folder
    (``paths = ["../maps"]``) ended in git's "… is in no git repository" or "'../maps' is
    outside repository", with no word of the settings that led there."""
    from journeymaps.settings import _display

    if settings.file is None:
        return
    if working:
        refuse_around(settings)  # said first: the worse of the two
    shown = _display(settings.file, cwd)
    tops: list[Path | None] = []
    for folder in (settings.root, cwd):
        try:
            tops.append(Path(os.path.realpath(git.toplevel(folder))))
        except git.GitError:
            tops.append(None)
    # Another repository's settings (an organisation's shared file) read that repository's
    # revision, not this one's: refused too.
    if tops[0] is None or tops[1] not in (None, tops[0]):
        where = (
            f"the git repository here ({tops[1].as_posix()})" if tops[1] is not None else "any git repository"
        )
        raise DiffError(
            f"{shown}:1:1: invalid-settings: a settings file outside {where} cannot read a git "
            "revision (a revision has no copy of it, nor of the maps folders it names): commit it "
            "in the repository beside its maps folders, or compare two folders (journeymaps diff "
            "OLD_FOLDER NEW_FOLDER --config ...)"
        )
    from journeymaps.settings import around

    spans = settings.paths_at[1] if settings.paths_at is not None else ()
    for i, (name, folder) in enumerate(zip(settings.paths, settings.roots(), strict=True)):
        # A folder around the project ([".."]) is refused with the working tree (above), and
        # not read from a revision (see lint_side).
        if within(settings.root, folder) is None and around(folder, settings.root) is None:
            at = f"{spans[i].line}:{spans[i].column}" if i < len(spans) else "1:1"
            raise DiffError(
                f"{shown}:{at}: invalid-settings: paths: '{name}' is outside the settings file's folder; "
                "a git revision is read from that folder, so its maps there cannot be: move the "
                "settings file up to a folder that holds its maps folders, or compare two folders"
            )


@dataclass
class OwnSettings:
    """The settings a side has of its own: ``file`` None when it has none (the defaults);
    ``problem`` when its file cannot be read as settings."""

    settings: Settings
    file: str | None
    problem: Diagnostic | None = None


def own_settings(spec: str, tree: Path, working: Settings, names: tuple[str, ...], repo: Path) -> OwnSettings:
    """The settings a revision was committed with, in the project's folder there, else
    where lint at that revision would have found them for the maps (see :func:`_moved`);
    a folder side (or no ``names``) has the working settings."""
    from journeymaps.settings import SettingsError, holds_settings, load_settings, read_settings_text

    if not names or tree == Path(spec):
        return OwnSettings(working, working.file.name if working.file else None)
    for name in names:
        path = tree / name
        if not os.path.lexists(path):
            continue
        if name == "pyproject.toml" and len(names) > 1:  # found as lint finds it: with our table
            try:
                if not holds_settings(read_settings_text(path)):
                    continue
            except (OSError, UnicodeDecodeError):
                pass  # read as settings below, and refused in words
        try:
            return OwnSettings(replace(load_settings(tree, path), paths_at=None), name)
        except SettingsError as exc:
            return OwnSettings(working, name, exc.diagnostic)
    return _moved(spec, tree, working, names, repo) or OwnSettings(Settings(root=tree), None)


def _moved(
    spec: str, tree: Path, working: Settings, names: tuple[str, ...], repo: Path
) -> OwnSettings | None:
    """A revision's settings file in another folder than the project's, as lint run there on
    the maps folder would find it: the nearest at or above the working settings' first maps
    folder, up to the repository's top (``journeymaps.toml`` moved into ``journeys/``, or
    out of it). Read as if written in the project's folder: its paths, exclude patterns and
    metrics folder are rebased there. Not followed, the revision was read with the defaults,
    and what its own settings had turned off was called silenced by the change."""
    from journeymaps.settings import SettingsError, holds_settings, load_settings

    rel = maps_folders(working)[:1]
    first = PurePosixPath(posixpath.normpath(rel[0])) if rel and within(tree, tree / rel[0]) else None
    below = [str(f) for f in (first, *first.parents) if str(f) != "."] if first is not None else []
    try:
        at = PurePosixPath(git.prefix(repo)).parts
        depth = len(at)
        folders = [*below, *("/".join([".."] * k) for k in range(1, depth + 1))]
        wanted = [f"{f}/{n}" for f in folders for n in names]
        found = git.read_files(spec, wanted, repo)
    except git.GitError as exc:
        raise DiffError(f"{spec}: {exc}") from None
    for where, data in zip(wanted, found, strict=True):
        if data is None:
            continue
        name = PurePosixPath(where).name
        text = data.decode("utf-8", "replace")
        if name == "pyproject.toml" and len(names) > 1 and not holds_settings(text):
            continue
        # Read from a copy beside the side's folder (never written outside the temporary one).
        copy = tree.parent / "moved-settings" / name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(data)
        try:
            found_settings = load_settings(copy.parent, copy)
        except SettingsError as exc:
            return OwnSettings(working, where, replace(exc.diagnostic, file=where))
        return OwnSettings(_rebased(found_settings, PurePosixPath(where).parent, tree, at), where)
    return None


def _rebased(s: Settings, folder: PurePosixPath, tree: Path, at: tuple[str, ...]) -> Settings:
    """Settings written in ``folder`` (relative to the project's, which is ``at`` in the
    repository), as if written in the project's folder ``tree``."""
    above = folder.parts[:1] == ("..",)
    # The project's folder as seen from ``folder`` when it is above: journeys/ from "..".
    inner = "/".join(at[len(at) - len(folder.parts) :]) + "/" if above else ""

    top = "/".join(at) or "."

    def path(p: str) -> str:  # through the repository's top: ../journeys/maps is maps
        return posixpath.relpath(posixpath.normpath(f"{top}/{folder}/{p}"), top)

    def pattern(p: str) -> str:
        if above:
            return p.removeprefix(inner)
        return f"{folder}/{p}"

    return replace(
        s,
        root=tree,
        file=None,
        paths_at=None,
        paths=tuple(path(p) for p in s.paths),
        exclude=tuple(pattern(p) for p in s.exclude),
        per_file_ignores={pattern(k): v for k, v in s.per_file_ignores.items()},
        measure=replace(s.measure, metrics=path(s.measure.metrics)),
    )
