"""``journeymaps init`` and ``journeymaps new``: start a maps repository, or a map in it."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from journeymaps import schema_copies
from journeymaps.command_support import fail, os_reason, project_settings, say
from journeymaps.output import AlreadyThere, FileSet
from journeymaps.project import display_path
from journeymaps.scaffold import CREATED, ScaffoldError, init, map_with_id, new_map, outside_note, write_new
from journeymaps.settings import Settings, SettingsError, load_settings
from journeymaps.validate import id_problem


def run_init(folder: Path) -> None:
    """Start a maps repository in ``folder`` and say what was written and what to do next."""
    if (outer := _maps_folder_around(folder)) is not None:
        settings_file, maps = outer
        cwd = Path.cwd()
        fail(
            f"{display_path(folder, cwd)} is inside {display_path(maps, cwd)}, the maps folder of the "
            f"project of {display_path(settings_file, cwd)}: its lint and build would read this new "
            "project's teams.yaml and example map as maps of their own (a second teams list, "
            "duplicate ids). Run journeymaps init outside that folder, or at that project's top "
            "to add what it lacks."
        )
    done = init(folder)
    for rel, what, why in done:
        say(f"{what:<7} {(folder / rel).as_posix()}{f' ({why})' if why else ''}")
    # The settings are found from the working folder: lint run from here would not find them.
    here = Path.cwd().resolve() == folder.resolve()
    go = "" if here else f"cd {shlex.quote(folder.as_posix())}, "
    # The workflow cannot know where this team installs journeymaps from: pushed as written,
    # its first run failed at pip install, with nothing on the terminal saying so.
    if any(rel.startswith(".github/workflows/") and what == CREATED for rel, what, _ in done):
        say(
            "Before you push: set JOURNEYMAPS in .github/workflows/journeymaps.yml to where your "
            "team installs journeymaps from (a package index, a wheel or a git URL)."
        )
    example = next(rel for rel, _, _ in done if rel.endswith("/first-journey.yaml"))
    if (folder / example).exists():
        # Followed with the README's `journeymaps new`, the example stayed on the site beside
        # the new map, a second journey of TODOs: which one to keep is said here.
        say(
            f"Next: {go}edit {example} into your first map (or delete it and start one "
            "with journeymaps new ID), then run journeymaps lint and journeymaps build."
        )
    else:
        say(f"Next: {go}run journeymaps lint and journeymaps build (journeymaps new ID starts a map).")


def _maps_folder_around(folder: Path) -> tuple[Path, Path] | None:
    """The settings file and maps folder of another project whose maps folder holds
    ``folder`` (``cd maps/billing && journeymaps init`` made a project there, which the
    project above read as maps: 3 errors became 6); None when there is none, or its
    settings cannot be read (this project's own come first)."""
    here = Path(os.path.abspath(folder))  # noqa: PTH100 - links kept, as lint names maps
    start = here
    while not start.exists() and start != start.parent:  # init makes the folder
        start = start.parent
    try:
        settings = load_settings(start, None, (start,))
    except SettingsError:
        return None
    if settings.file is None or Path(os.path.abspath(settings.file.parent)) == here:  # noqa: PTH100
        return None
    for root in settings.roots():
        maps = Path(os.path.abspath(root))  # noqa: PTH100
        if maps == here or maps in here.parents:
            return settings.file, root
    return None


def _portable(settings: Settings) -> bool:
    """Whether lint judges file names by what Windows holds (windows-reserved-name is on)."""
    from journeymaps.diagnostics import Severity

    return settings.severity("windows-reserved-name", Severity.ERROR) is not None


def run_new(*, map_id: str, template: str, title: str | None, owner: str | None, out: Path | None) -> None:
    """Write the map ``map_id`` from ``template`` (and the schema copy editors read, when missing)."""
    cwd = Path.cwd()
    settings = project_settings(cwd, None)
    maps = settings.roots()[0]
    path = out or maps / f"{map_id}.yaml"
    teams = _team_ids(maps / "teams.yaml", settings)
    unlisted = owner is not None and teams is not None and owner not in teams
    if owner is None:
        # Only an id the format takes: "Bad team: x" (which lint refuses there) made a map
        # that was not even YAML.
        owner = next((i for i in teams or () if id_problem(i, "teamId") is None), "support")
    taken = map_with_id(settings.roots(), map_id)
    if taken is not None:  # it wrote a second map of that id, and lint blamed the first
        from journeymaps.project import display_path

        fail(f"a map with id '{map_id}' exists already: {display_path(taken, cwd)}; choose another id")
    schemas = settings.root / schema_copies.DEFAULT_FOLDER
    try:
        text = new_map(map_id, template, title, owner, schema_copies.comment(path, schemas, "map"))
        # Editors read the schema from a copy in the repository: written when missing, with
        # the map and after it (a map that cannot be written leaves no schema/ behind).
        with FileSet(within=settings.root) as files:
            write_new(path, text, files, portable=_portable(settings))
            written = schema_copies.write_if_missing(schemas, files)
    except ScaffoldError as exc:
        fail(str(exc))
    except AlreadyThere:  # made since it was looked for: another new of the same id
        fail(f"{path.as_posix()} already exists; choose another id or --output")
    except OSError as exc:
        fail(os_reason(exc))
    from journeymaps.project import display_path

    for schema_path, _ in written:
        say(f"Wrote {display_path(schema_path, cwd)} (editors read it for completion).")
    shown = display_path(path, cwd)
    say(f"Created {shown} from the {template} template. Fill in the TODOs, then run journeymaps lint.")
    if (outside := outside_note(path, [Path(display_path(r, cwd)) for r in settings.roots()])) is not None:
        say(outside)
    if unlisted:  # lint then reported it at every owner of the map, eight times
        teams_file = display_path(maps / "teams.yaml", cwd)
        say(f"Team '{owner}' is not in {teams_file} yet: add it there, or lint reports each owner it gave.")


def _team_ids(teams: Path, settings: Settings) -> list[str] | None:
    """The team ids in ``teams.yaml`` (those it lists legibly), read as lint reads it: one
    nested too deeply (``teams: [[[[…``) ended ``new`` in 'internal error: RecursionError'.
    None when there is no list of teams to go by."""
    from journeymaps.loader import from_bytes
    from journeymaps.registry_links import read_as_lint

    raw = read_as_lint(teams, settings)
    if raw is None:
        return None
    try:
        data = from_bytes(teams, teams.name, raw).data
        listed = data["teams"]
    except (OSError, KeyError, IndexError, TypeError):
        return None
    if not isinstance(listed, list):
        return None
    ids = [t["id"] for t in listed if isinstance(t, dict) and isinstance(t.get("id"), str)]
    return ids or None
