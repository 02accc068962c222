"""What a change since a git revision touches: the files it changed, and the files whose
findings it can change without touching them.

A map is checked when it changed, and also when something it depends on changed or went
away: the teams registry (every owner is checked against it), the personas registry (for
maps that name a shared persona), the settings (every file; deleted ones too), a map it is
``based_on`` or shares an id with (its id before the change counts too), a map its
``caused_by`` chain leads to (a renamed pain point breaks the maps pointing at it; a new cause
can close a loop through maps nobody touched), its metrics snapshot, a persona's photo, or a
copy of the schemas its editor comment points at (a link counts by where it leads). Each is
a way a pull request could break a file it did not touch, and a gate that left such files out
passed a change that broke them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from journeymaps.lint import Report
from journeymaps.loader import Source, from_bytes
from journeymaps.project import REGISTRY_FILES, absolute, display_path
from journeymaps.reading import YAML_SUFFIXES
from journeymaps.registry_links import named_otherwise
from journeymaps.settings import Settings, holds_settings

#: The names a settings file has (see :func:`journeymaps.settings.find_settings_file`).
_SETTINGS_NAMES = ("journeymaps.toml", "pyproject.toml")


@dataclass
class Scope:
    """The display paths to report on, and why files nobody changed are among them."""

    files: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    #: The changed paths a reason names (``maps/teams.yaml is deleted (staged): ...``): not
    #: to be said again on a line of their own.
    said: set[Path] = field(default_factory=set)


def affected(
    report: Report,
    paths: Iterable[Path],
    before: Callable[[list[Path]], dict[Path, bytes | None]],
    settings: Settings,
    cwd: Path,
    *,
    named: bool = False,
    went: str = "was deleted",
    gone: Mapping[Path, str] | None = None,
    kept_on_disk: Iterable[Path] = (),
) -> Scope:
    """The files of ``report`` that a change of ``paths`` can affect; ``before`` gives their
    bytes before it (an empty answer: only their ids now count). ``named``: the paths were
    named on the command line, not found changed (said so: "maps/teams.yaml changed" of a
    file only named read as if lint knew of an edit). ``went``: how a deleted file is said
    ("is deleted (staged)"). ``gone``: deleted registries the maps are judged with anyway,
    with what is done about each, said on the registry's one line (it was said again on a
    line of its own). ``kept_on_disk``: deleted files still on disk (untracked), said as
    ``went`` all the same."""
    changed = {absolute(p) for p in paths}
    # A maps folder that is a link: git names its files where it leads, lint by the link
    # (a teams.yaml changed there checked no map, and the gate passed what it broke).
    changed |= {settings.by_maps_folder(p) for p in changed}
    # A link to a link named (maps/mid.yaml of teams.yaml -> mid.yaml -> all-teams.yaml): its
    # file is read under the registry's name, and matched by where it leads.
    changed |= {Path(os.path.realpath(p)) for p in changed}
    # The file a registry's link leads to, named: the registry is (see registry_links).
    changed |= named_otherwise(
        changed, [absolute(s.path) for s in report.sources if report.kinds.get(s.display, "map") != "map"]
    )

    untracked = {absolute(p) for p in kept_on_disk}

    def how(path: Path) -> str:
        return "is named" if named else went if path in untracked else _how(path, went)

    sources = [s for s in report.sources if s.display in report.targets]
    # A map may be a link: git names the file where it leads changed (its id changed with
    # it matched no map, and the gate passed the error it brought).
    resolve = RealPaths()
    names = {s.display: (absolute(s.path), resolve(s.path)) for s in sources}
    scope = Scope({s.display for s in sources if set(names[s.display]) & changed})
    maps = [s for s in sources if report.kinds.get(s.display) == "map"]
    if settings.file is not None and absolute(settings.file) in changed:
        scope.files |= {s.display for s in sources}
        scope.reasons.append(
            f"{display_path(settings.file, cwd)} {how(settings.file)}: every file is checked"
        )
        scope.said.add(absolute(settings.file))
        return scope
    if (settings_gone := _settings_gone(changed, before, settings, report)) is not None:
        # Deleted (or emptied of [tool.journeymaps]), the settings were these files' own: every
        # rule they turned off or down is back, in files nobody touched.
        scope.files |= {s.display for s in sources}
        said = f"{display_path(settings_gone, cwd)} {how(settings_gone)}"
        scope.reasons.append(f"{said}: every file is checked")
        scope.said.add(settings_gone)
        return scope
    for path in sorted(p for p in changed if p.name in REGISTRY_FILES):
        if not under_maps(path, settings, report):
            continue
        kind = REGISTRY_FILES[path.name]
        users = [s for s in maps if kind == "teams" or isinstance(_field(s, "persona"), str)]
        said = f"{display_path(path, cwd)} {how(path)}"
        before_count = len(scope.reasons)
        _add(scope, users, f"{said}: the maps that use it are checked")
        if then := (gone or {}).get(path):
            if len(scope.reasons) > before_count:
                scope.reasons[-1] += f"; {then}"
            else:
                scope.reasons.append(f"{said}: {then}")
        if len(scope.reasons) > before_count:
            scope.said.add(path)
    yaml_files = [
        p for p in changed if p.name not in REGISTRY_FILES and p.name.lower().endswith(YAML_SUFFIXES)
    ]
    by_path = {path: s for s in maps for path in names[s.display]}
    ids = {i for p in yaml_files if (i := _text(by_path.get(p), "id")) is not None}
    for path, raw in before(yaml_files).items():
        if raw is not None:  # the id it had: maps based on it are broken if it changed
            old = _text(from_bytes(path, path.name, raw), "id")  # journeymaps' own strict loader
            ids |= {old} if old is not None else set()
    if ids:
        # As text: a map whose id or based_on is a list (a schema error of its own) made
        # "in ids" raise TypeError, and the gate end in an internal error.
        users = [s for s in maps if _text(s, "based_on") in ids or _text(s, "id") in ids]
        _add(scope, users, "maps based on a changed map, or sharing its id, are checked")
        _add(scope, _causing(maps, ids), "maps whose caused_by leads to a changed map are checked")
    _add(scope, _measured(maps, changed, settings), "maps whose metrics snapshot changed are checked")
    # A photo or a schema copy may be a link: the file git says changed is where it leads.
    real = {Path(os.path.realpath(p)) for p in changed} | changed
    photos = [s for s in sources if _photos(s, settings, resolve) & real]
    _add(scope, photos, "files whose persona's photo changed are checked")
    pointing = [s for s in sources if _schema_copy(s, resolve) & real]
    _add(scope, pointing, "a schema copy changed: files whose editor comment names it are checked")
    return scope


def _settings_gone(
    changed: set[Path],
    before: Callable[[list[Path]], dict[Path, bytes | None]],
    settings: Settings,
    report: Report,
) -> Path | None:
    """A settings file among ``changed`` that every file checked is under, and that is
    not (or no longer) theirs: deleted, or a pyproject.toml whose [tool.journeymaps] went.
    One farther away than the settings in use never was theirs; a pyproject.toml that never
    held settings (a dependency bump) is no change of them."""
    nearest = absolute(settings.file).parent if settings.file is not None else None
    # Settings are found above the paths linted, so theirs was above every file checked: one
    # in a subfolder (maps/old/journeymaps.toml) never applied, and its going changes nothing.
    folders = {absolute(s.path).parent for s in report.sources if s.display in report.targets}
    for path in sorted(p for p in changed if p.name in _SETTINGS_NAMES):
        if nearest is not None and path.parent in nearest.parents:
            continue
        if not folders or not all(f == path.parent or path.parent in f.parents for f in folders):
            continue
        if path.name == "journeymaps.toml":
            return path
        raw = before([path]).get(path)
        if raw is not None and holds_settings(raw.decode("utf-8", "replace")):
            return path
    return None


class RealPaths:
    """``os.path.realpath`` of many paths in few folders: each folder resolved once, and a
    file itself only when it is a link (the hook in a project of 10,000 maps resolved each
    map's every folder, ~0.3 s). For one run: links may change between runs (``serve``)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> Path:
        text = os.path.abspath(path)  # noqa: PTH100 - a link is resolved below, not here
        if os.path.islink(text):  # noqa: PTH114 - a string, as realpath takes
            return Path(os.path.realpath(text))
        folder, name = os.path.split(text)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return Path(os.path.join(real, name))  # noqa: PTH118 - strings, as realpath's


def _schema_copy(src: Source, resolve: RealPaths) -> set[Path]:
    """The schema copy a file's editor comment points at by a relative path, as the
    schema-reference rule finds it (anywhere in the file's first lines, by any name)."""
    from journeymaps.schema_copies import local_reference

    ref = local_reference(src.text)
    if ref is None or "\0" in ref:
        return set()
    path = absolute(src.path.parent / ref)
    return {path, resolve(path)}


def _causing(maps: list[Source], ids: set[str]) -> list[Source]:
    """The maps whose ``caused_by`` chain (``map-id/pain-point-id``) reaches a map of ``ids``."""
    referrers: dict[str, list[Source]] = {}
    for s in maps:
        pains = _field(s, "pain_points")
        for p in pains if isinstance(pains, list) else ():
            causes = p.get("caused_by") if isinstance(p, dict) else None
            for ref in causes if isinstance(causes, list) else ():
                if isinstance(ref, str) and "/" in ref:
                    referrers.setdefault(ref.rpartition("/")[0], []).append(s)
    reached: dict[str, Source] = {}
    todo = list(ids)
    while todo:
        for s in referrers.get(todo.pop(), ()):
            if s.display not in reached:
                reached[s.display] = s
                if isinstance(own := _field(s, "id"), str):
                    todo.append(own)
    return list(reached.values())


def _measured(maps: list[Source], changed: set[Path], settings: Settings) -> list[Source]:
    """The maps whose snapshot (``metrics/<map-id>.json``) is among the ``changed`` files."""
    from journeymaps.measure.kpis import metrics_folder

    folder = absolute(metrics_folder(settings))
    folders = {folder, Path(os.path.realpath(folder))}  # a link: git names the files where it leads
    measured = {p.stem for p in changed if p.parent in folders and p.suffix == ".json"}
    return [s for s in maps if _text(s, "id") in measured] if measured else []


def _photos(src: Source, settings: Settings, resolve: RealPaths) -> set[Path]:
    """The photos a map's own persona or a personas registry's personas name, as paths."""
    data = src.data if isinstance(src.data, dict) else {}
    personas = data.get("personas") if src.path.name in REGISTRY_FILES else [data.get("persona")]
    named = personas if isinstance(personas, list) else []
    paths = {
        absolute(settings.root / photo)
        for persona in named
        if isinstance(persona, dict) and isinstance(photo := persona.get("photo"), str) and "\0" not in photo
    }
    return paths | {resolve(p) for p in paths}


def _add(scope: Scope, sources: list[Source], reason: str) -> None:
    new = {s.display for s in sources} - scope.files
    if new:
        scope.files |= new
        scope.reasons.append(f"{reason} ({len(new)} more)")


def _field(src: Source | None, key: str) -> object:
    return src.data.get(key) if src is not None and isinstance(src.data, dict) else None


def _text(src: Source | None, key: str) -> str | None:
    """A field that must be text (an id, a based_on), or None when it is anything else."""
    value = _field(src, key)
    return value if isinstance(value, str) else None


def _how(path: Path, went: str = "was deleted") -> str:
    # A link is there even when it leads nowhere (or back to itself): staged so, a teams.yaml
    # was said "is deleted (staged)" above the error of the link it is.
    return "changed" if os.path.lexists(path) else went


def under_maps(path: Path, settings: Settings, report: Report) -> bool:
    """A registry of the maps checked: in a maps folder, or beside a file checked."""
    roots = [absolute(r) for r in settings.roots()]
    folders = {absolute(s.path).parent for s in report.sources}
    return path.parent in folders or any(r == path.parent or r in path.parents for r in roots)
