"""Find, read and validate every file under the maps folders, and build the Project."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from journeymaps import loader, model, reading
from journeymaps.loader import Source
from journeymaps.validate import validate

#: File names that are registries, not maps, and the list key each holds.
REGISTRY_FILES: dict[str, str] = {
    "teams.yaml": "teams",
    "teams.yml": "teams",
    "personas.yaml": "personas",
    "personas.yml": "personas",
}


def kind_of(path: Path) -> str:
    return REGISTRY_FILES.get(path.name, "map")


@dataclass
class Loaded:
    """The project built from what parsed and validated, and every file read."""

    project: model.Project
    sources: list[Source]
    kinds: dict[str, str]  # display path -> map | teams | personas


def absolute(path: Path) -> Path:
    """An absolute, normalised path that keeps links as named (a link is reported by its name)."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow the link


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working folder with '/', as findings show it."""
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
    for p in paths:
        files = reading.yaml_files(p) if p.is_dir() else [(p, None)]
        for f, problem in files:
            rel = _relative(f, base) if base else f.as_posix()
            if not any(fnmatch(rel, pat) for pat in patterns):
                found[absolute(f)] = problem
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
) -> Loaded:
    """Parse (the bytes in ``contents``, else the file read from disk), validate and model
    every file; problems stay on each Source. A text in ``contents`` is why the file was
    not read.

    ``on_load`` sees each file as soon as it is parsed (the site starts drawing it then).
    """
    sources = []
    for path in files:
        raw = contents.get(path) if contents else None
        display = display_path(path, cwd)
        if isinstance(raw, str):
            src = loader.refused(path, display, raw)
        else:
            src = loader.load(path, display) if raw is None else loader.from_bytes(path, display, raw)
        if on_load is not None:
            on_load(src)
        sources.append(src)
    return model_project(sources)


def model_project(sources: list[Source]) -> Loaded:
    """Validate and model files already read and parsed."""
    kinds: dict[str, str] = {}
    for src in sources:
        kind = kind_of(src.path)
        kinds[src.display] = kind
        if src.ok:
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
    # A registry that exists but is broken still means "owners are checked"; its schema
    # findings say why names are missing.
    for src in sources:
        key = kinds[src.display]
        if key == "teams" and teams is None:
            teams = {}
        elif key == "personas" and personas is None:
            personas = {}

    map_ids: dict[str, list[Source]] = {}
    slugs: dict[int, str] = {}  # by id(src): two maps with one id both keep a page
    names = model.Slugs()
    for src in sources:
        if kinds[src.display] == "map" and (slug := names.next(src)) is not None:
            map_ids.setdefault(src.data["id"], []).append(src)
            slugs[id(src)] = slug
    maps = tuple(
        model.build_map(src, personas, slugs[id(src)]) for src in valid if kinds[src.display] == "map"
    )
    project = model.Project(maps, teams, personas, map_ids, tuple(registries))
    return Loaded(project, sources, kinds)
