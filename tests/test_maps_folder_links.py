"""A maps folder that a link takes out of the project (``maps -> /home/runner/.config`` in a
pull request) is not read: only a file that was itself a link was checked, so every file
where the folder led was read, quoted in findings and published on the site, and a
``journeymaps.toml`` there was read as the settings of the files named in it (the pre-commit
hook), its values quoted in the log."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import BASE, TEAMS, jm
from in_process import jm_here

SECRET = "TOKEN-s3cr3t-value"


def _outside(tmp_path: Path) -> Path:
    """A folder of the machine outside the project, holding YAML with a secret in it."""
    out = tmp_path / "runner-home"
    out.mkdir()
    (out / "hosts.yaml").write_text(BASE.replace("title: T", f"title: {SECRET}").lstrip(), "utf-8")
    (out / "teams.yaml").write_text(TEAMS.lstrip(), "utf-8")
    return out


def _project(tmp_path: Path, maps_target: str | Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "maps").symlink_to(maps_target)
    return project


def test_a_maps_folder_linked_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    out = _outside(tmp_path)
    project = _project(tmp_path, out)
    result = jm_here(project, "lint", "--today", "2026-11-22")
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert SECRET not in said
    # One finding for the folder, which is not walked (a link to a large tree would be).
    assert result.stdout.startswith(
        f"maps:1:1: JM005 [unreadable-file] error: the folder maps/ is a link to {out.as_posix()}, outside "
        "the project"
    ), result.stdout
    assert "Traceback" not in said
    # A file named in it (the pre-commit hook names files) is refused on its own.
    named = jm_here(project, "lint", "maps/hosts.yaml", "--today", "2026-11-22")
    assert named.returncode == 1 and SECRET not in named.stdout + named.stderr
    assert named.stdout.startswith(
        "maps/hosts.yaml:1:1: JM005 [unreadable-file] error: the folder maps/ that holds the file is a link "
        f"to {out.as_posix()}, outside the project"
    ), named.stdout


def test_a_site_is_not_built_from_a_maps_folder_linked_out_of_the_project(tmp_path: Path) -> None:
    project = _project(tmp_path, _outside(tmp_path))
    result = jm(project, "build", "-o", "site", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode != 0
    assert SECRET not in result.stdout + result.stderr
    published = (
        [p for p in (project / "site").rglob("*") if p.is_file()] if (project / "site").exists() else []
    )
    assert not [p for p in published if SECRET in p.read_text("utf-8", "replace")]


def test_settings_in_a_folder_linked_out_of_the_project_are_not_read(tmp_path: Path) -> None:
    """The pre-commit hook names files: ``journeymaps lint maps/hosts.yaml`` took the
    nearest settings, ``maps/journeymaps.toml``, where the link led."""
    out = _outside(tmp_path)
    (out / "journeymaps.toml").write_text(f'paths = "{SECRET}"\n', "utf-8")
    project = _project(tmp_path, out)
    result = jm_here(project, "lint", "maps/hosts.yaml")
    assert result.returncode == 2, result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "journeymaps.toml:1:1: JM007 [invalid-settings] error: cannot read settings: the folder that " in (
        result.stdout + result.stderr
    )


def test_a_link_inside_the_project_and_a_folder_named_outside_are_read(tmp_path: Path) -> None:
    """What stays as it was: a maps folder linked within the project, and one the settings
    name by its own path outside it (the settings chose it, no link in a repository did)."""
    out = _outside(tmp_path)
    project = tmp_path / "project"
    (project / "docs" / "journeys").mkdir(parents=True)
    for name in ("hosts.yaml", "teams.yaml"):
        (project / "docs" / "journeys" / name).write_text((out / name).read_text("utf-8"), "utf-8")
    (project / "maps").symlink_to(Path("docs") / "journeys")
    inside = jm_here(project, "lint", "--today", "2026-11-22", "--format", "json")
    assert inside.returncode == 0, inside.stdout + inside.stderr
    os.remove(project / "maps")  # noqa: PTH107
    (project / "journeymaps.toml").write_text(f'paths = ["{os.path.relpath(out, project)}"]\n', "utf-8")
    named = jm_here(project, "lint", "--today", "2026-11-22")
    assert named.returncode == 0, named.stdout + named.stderr
