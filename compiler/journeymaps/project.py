"""Find, read and validate every file under the maps folders, and build the Project."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from journeymaps import loader, model, reading
from journeymaps.loader import Source
from journeymaps.reading import shown_name
from journeymaps.validate import validate

#: File names that are registries, not maps, and the list key each holds.
REGISTRY_FILES: dict[str, str] = {name: name.partition(".")[0] for name in reading.REGISTRY_NAMES}


def kind_of(path: Path) -> str:
    return REGISTRY_FILES.get(path.name, "map")


@dataclass
class Loaded:
    """The project built from what parsed and validated, and every file read."""

    project: model.Project
    sources: list[Source]
    kinds: dict[str, str]  # display path -> map | teams | personas


#: A file's content key in a :class:`Memo`: its path, its path as shown, its bytes' digest.
ContentKey = tuple[str, str, str]


@dataclass
class Memo:
    """What a long-running process (``serve``) keeps from one build to the next, by content:
    each file parsed and validated, each map modelled, and the findings of each map rule
    that read nothing but the map (see :func:`journeymaps.lint.map_findings`). A file whose
    bytes did not change is not parsed, validated or modelled again; what the last build
    did not use is forgotten (a deleted or edited file's entries go)."""

    sources: dict[ContentKey, Source] = field(default_factory=dict)
    #: (the map's content key, its page name, the registries' keys) -> the map
    maps: dict[tuple[ContentKey, str, tuple[ContentKey, ...]], model.Map] = field(default_factory=dict)
    #: The findings of each map rule on one map, by the map's key in ``maps``, then by
    #: rule; valid for one ``findings_for`` (the settings and date they were judged with).
    findings: dict[object, dict[str, list[Any]]] = field(default_factory=dict)
    findings_for: object = None
    #: What project checks computed from one map alone, by (what, id(map)) -> (the map,
    #: value) (see :meth:`journeymaps.rules.Context.per_map`); valid for ``findings_for``.
    rule_parts: dict[tuple[str, int], tuple[Any, Any]] = field(default_factory=dict)
    #: Each Source of the current build -> its content key (by id: Sources are not hashable).
    keys: dict[int, ContentKey] = field(default_factory=dict)
    #: A build has filled it (``serve`` fills it when it starts on an up-to-date site).
    filled: bool = False
    #: The site's template environment, its templates compiled once per process.
    environment: Any = None
    #: What the site computes from one map alone (its ranked pain points, money, handoffs
    #: across teams...), by (what, id(map)) -> (the map, what it was computed with, value):
    #: kept while the map is the same object and the site's ``base`` the same (see
    #: :meth:`journeymaps.site.site_data.SiteData.per_map`).
    derived: dict[tuple[str, int], tuple[Any, str, Any]] = field(default_factory=dict)
    #: Cached diagram files this process found and marked used, with when (time.time()):
    #: see :class:`journeymaps.site.diagrams.Drawing`.
    marked: dict[str, float] = field(default_factory=dict)
    #: ``serve``'s spare site folder (a :class:`journeymaps.site.spare.Spares`): the site
    #: before the served one, brought up to date by the next rebuild instead of a new one.
    spares: Any = None


def absolute(path: Path) -> Path:
    """An absolute, normalised path that keeps links as named (a link is reported by its name)."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow the link


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working folder with '/', as findings show it."""
    return shown_name(_relative_name(path, cwd))


def raw_name(path: Path, cwd: Path) -> bytes:
    """The bytes of the name :func:`display_path` shows: what a tool that must find the
    file (SARIF's URI, for code scanning) needs where the name is not UTF-8."""
    return os.fsencode(_relative_name(path, cwd))


def _relative_name(path: Path, cwd: Path) -> str:
    # As strings for a file under the folder: two Paths made per file, and relative_to,
    # cost a 1,000-map serve rebuild ~0.05 s.
    full, folder = os.path.abspath(path), os.path.abspath(cwd)  # noqa: PTH100 - as absolute()
    if full.startswith(folder) and full[len(folder) : len(folder) + 1] == os.sep and folder != os.sep:
        return full[len(folder) + 1 :].replace(os.sep, "/")
    try:
        return absolute(path).relative_to(absolute(cwd)).as_posix()
    except ValueError:
        return absolute(path).as_posix()


def collect(
    paths: Iterable[Path], exclude: Iterable[str] = (), base: Path | None = None
) -> dict[Path, str | None]:
    """YAML files named or found under ``paths``, without excluded ones, each once, sorted;
    each with None, or why it cannot be read (a sub-folder that could not be listed)."""
    patterns = list(exclude)
    found: dict[Path, str | None] = {}
    # As strings: two Paths made per file cost ~0.2 s of a 1,000-map serve rebuild.
    root = os.path.abspath(base) if base else None  # noqa: PTH100 - as absolute()
    for p in paths:
        files = reading.yaml_files(p) if reading.is_folder(p) else [(os.fspath(p), None)]
        for f, problem in files:
            full = os.path.abspath(f)  # noqa: PTH100 - as absolute()
            if root is not None and full.startswith(root + os.sep):
                rel = full[len(root) + 1 :].replace(os.sep, "/")  # as _relative, for a file under it
            else:
                rel = _relative(Path(f), base) if base else Path(f).as_posix()
            if not patterns or not any(fnmatch(rel, pat) for pat in patterns):
                found[Path(full)] = problem
    return dict(sorted(found.items()))


def _relative(path: Path, base: Path) -> str:
    try:
        return absolute(path).relative_to(absolute(base)).as_posix()
    except ValueError:
        return path.as_posix()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a whole run, and keep it off what the run
    leaves alive.

    Every file leaves thousands of objects alive for the whole run (its data and model;
    until issue 18, its YAML nodes too). They form no cycles, so reference counting frees
    them, but the collector would rescan the growing heap again and again: measured at over
    half of lint time on 1,000 maps (benchmarks/bench_lint.py). Re-enabled as it was, its
    first collection would still walk every object the run made (~1.2 s on 1,000 maps, and
    again at exit), so they are frozen first: later collections see only newer objects. A long-running process
    (``serve``) calls ``gc.unfreeze()`` when it is idle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def load_project(
    files: list[Path],
    cwd: Path,
    on_load: Callable[[Source], None] | None = None,
    contents: Mapping[Path, bytes | str] | None = None,
    memo: Memo | None = None,
) -> Loaded:
    """Parse (the bytes in ``contents``, else the file read from disk), validate and model
    every file; problems stay on each Source. A text in ``contents`` is why the file was
    not read. ``memo``: files and maps kept from the previous build (see :class:`Memo`).

    ``on_load`` sees each file as soon as it is parsed (the site starts drawing it then).
    """
    sources = []
    kept: dict[ContentKey, Source] = {}
    keys: dict[int, ContentKey] = {}
    for path in files:
        raw = contents.get(path) if contents else None
        display = display_path(path, cwd)
        if isinstance(raw, str):
            src = loader.refused(path, display, raw)
        elif raw is None:
            src = loader.load(path, display)
        elif memo is None:
            src = loader.from_bytes(path, display, raw)
        else:
            import hashlib  # here: only serve and build keep a memo (a one-file lint loads no OpenSSL)

            key = (str(path), display, hashlib.sha256(raw).hexdigest())
            found = memo.sources.get(key)
            src = found if found is not None else loader.from_bytes(path, display, raw)
            kept[key] = src
            keys[id(src)] = key
        if on_load is not None:
            on_load(src)
        sources.append(src)
    if memo is None:
        return model_project(sources)
    validated = {id(src) for src in memo.sources.values()}
    memo.keys = keys
    loaded = model_project(sources, validated, memo)
    memo.sources = kept  # only now: each is validated (a build stopped before keeps the old ones)
    memo.filled = True
    return loaded


def model_project(sources: list[Source], validated: Collection[int] = (), memo: Memo | None = None) -> Loaded:
    """Validate and model files already read and parsed (those in ``validated``, by id,
    were validated by an earlier build; ``memo`` keeps the maps modelled)."""
    kinds: dict[str, str] = {}
    for src in sources:
        kind = kind_of(src.path)
        kinds[src.display] = kind
        if src.ok and id(src) not in validated:
            src.problems.extend(validate(src, kind))

    teams: dict[str, model.Team] | None = None
    personas: dict[str, model.Persona] | None = None
    registries: list[tuple[Source, str]] = []
    valid = [s for s in sources if s.ok and not s.problems]
    for src in valid:
        key = kinds[src.display]
        if key == "teams":
            teams = teams or {}
            for i, t in enumerate(src.data["teams"]):
                teams.setdefault(t["id"], model.build_team(t, model.Loc(src, ("teams", i))))
            registries.append((src, key))
        elif key == "personas":
            personas = personas or {}
            for i, p in enumerate(src.data["personas"]):
                personas.setdefault(p["id"], model.build_persona(p, model.Loc(src, ("personas", i))))
            registries.append((src, key))
    # A registry that exists but is broken still means "owners are checked", against the
    # ids still legible in it: its own findings say what is wrong, and a map naming a team
    # written there is not blamed for it.
    broken: dict[str, frozenset[str] | None] = {}
    for src in sources:
        key = kinds[src.display]
        if key == "teams" and teams is None:
            teams = {}
        elif key == "personas" and personas is None:
            personas = {}
        if key != "map" and (not src.ok or src.problems):
            ids = _legible_ids(src, key)
            known = broken.get(key, frozenset())
            broken[key] = None if ids is None or known is None else known | ids

    map_ids: dict[str, list[Source]] = {}
    slugs: dict[int, str] = {}  # by id(src): two maps with one id both keep a page
    names = model.Slugs()
    for src in sources:
        if kinds[src.display] == "map" and (slug := names.next(src)) is not None:
            map_ids.setdefault(src.data["id"], []).append(src)
            slugs[id(src)] = slug
    if memo is None:
        maps = tuple(
            model.build_map(src, personas, slugs[id(src)]) for src in valid if kinds[src.display] == "map"
        )
    else:
        registry_files = [s for s in sources if kinds[s.display] != "map"]
        maps = _modelled(
            memo, [s for s in valid if kinds[s.display] == "map"], personas, slugs, registry_files
        )
    invalid = tuple(s for s in sources if not s.ok or s.problems)
    project = model.Project(maps, teams, personas, map_ids, tuple(registries), broken, invalid)
    return Loaded(project, sources, kinds)


def _legible_ids(src: Source, key: str) -> frozenset[str] | None:
    """The ids of a registry file with findings of its own (``teams: [{id: ...}]``), as far
    as they can be read; None when its list cannot be read at all."""
    data = src.data if src.ok else None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return frozenset(i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str))


def _modelled(
    memo: Memo,
    sources: list[Source],
    personas: dict[str, model.Persona] | None,
    slugs: dict[int, str],
    registries: list[Source],
) -> tuple[model.Map, ...]:
    """Each map modelled, or kept from the previous build: a map is made of its file, its
    page name and the registry files (the personas it names), valid or not, nothing else."""
    known = tuple(memo.keys[id(src)] for src in registries if id(src) in memo.keys)
    if len(known) < len(registries):  # a registry not read from bytes: nothing can be kept
        memo.maps = {}
        return tuple(model.build_map(src, personas, slugs[id(src)]) for src in sources)
    maps: dict[tuple[ContentKey, str, tuple[ContentKey, ...]], model.Map] = {}
    made = []
    for src in sources:
        content = memo.keys.get(id(src))
        if content is None:  # not read from bytes: never kept
            made.append(model.build_map(src, personas, slugs[id(src)]))
            continue
        key = (content, slugs[id(src)], known)
        m = memo.maps.get(key)
        if m is None:
            m = model.build_map(src, personas, slugs[id(src)])
        maps[key] = m
        made.append(m)
    memo.maps = maps
    return tuple(made)
