"""Hostile shapes of a YAML file read as a map that is none (cli63 counted such files apart):
a registry's key where a map's go, a list or text at the top."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_files
from in_process import jm_here


@pytest.mark.parametrize(
    ("text", "registry"),
    [
        # A teams list with a map's key beside it: a map, but 'teams' is no typo of 'tags'.
        (
            "id: m\ntitle: M\nteams:\n  - {id: support, name: Support}\nstages:\n  - {id: s, name: S}\n",
            "teams",
        ),
        (
            "id: m\ntitle: M\npersonas: [{id: admin, name: Admin}]\nstages:\n  - {id: s, name: S}\n",
            "personas",
        ),
    ],
)
def test_a_registry_key_in_a_map_says_where_it_is_listed(tmp_path: Path, text: str, registry: str) -> None:
    """``teams:`` in a map was "unknown key 'teams' (did you mean 'tags'?)", the hint cli63
    took away from a teams list under another name, and no help: tags are no teams."""
    write_files(tmp_path, {"maps/m.yaml": text})
    r = jm_here(tmp_path, "lint", "maps")
    assert r.returncode == 1, r.stdout + r.stderr
    (line,) = [x for x in r.stdout.splitlines() if f"unknown key '{registry}'" in x]
    assert line.startswith(f"maps/m.yaml:3:1: JM004 [schema] error: unknown key '{registry}' ("), line
    assert "did you mean" not in line
    assert f"{registry}.yaml" in line
    assert "Traceback" not in r.stderr


def test_a_teams_file_whose_teams_are_no_list_is_told_what_it_is(tmp_path: Path) -> None:
    """``teams: {support: Support}`` under another name was a map missing its id, with
    'teams' a typo of 'tags'."""
    write_files(tmp_path, {"maps/team-list.yaml": "teams:\n  support: Support\n"})
    r = jm_here(tmp_path, "lint", "maps")
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith(
        "maps/team-list.yaml:1:1: JM004 [schema] error: this is not a journey map but a teams file: "
    )
    assert "missing required key 'id'" not in r.stdout and "tags" not in r.stdout
    assert "in 1 file (0 maps, 1 not a journey map)." in r.stdout


@pytest.mark.parametrize(
    ("text", "got"),
    [("- build\n- test\n", "a list"), ("just a note\n", "text"), ("42\n", "a number")],
)
def test_a_file_of_a_list_or_text_is_counted_apart_from_the_maps(tmp_path: Path, text: str, got: str) -> None:
    """A list of words or a line of text is no journey map, and never will be: it was counted
    as one ("in 2 files (2 maps)") and "checked no further than its YAML or format errors"."""
    write_files(
        tmp_path, {"maps/m.yaml": "id: m\ntitle: M\nstages:\n  - {id: s, name: S}\n", "maps/x.yaml": text}
    )
    r = jm_here(tmp_path, "lint", "maps")
    assert r.returncode == 1
    assert (
        f"maps/x.yaml:1:1: JM004 [schema] error: expected a mapping (key: value pairs) at the top of the file, got {got}"
        in r.stdout
    )
    assert "in 2 files (1 map, 1 not a journey map)." in r.stdout
    assert "checked no further" not in r.stdout


@pytest.mark.parametrize(
    "text", ["- id: x\n  title: X\n  stages: [{id: s, name: S}]\n", "\n", "# a map to come\n"]
)
def test_a_map_written_as_a_list_item_or_not_yet_written_is_still_a_map(tmp_path: Path, text: str) -> None:
    """A map under a '- ' by mistake, or an empty file, is a map to fix: counted as one."""
    write_files(tmp_path, {"maps/x.yaml": text})
    r = jm_here(tmp_path, "lint", "maps")
    assert r.returncode == 1
    assert "in 1 file (1 map)." in r.stdout
    assert "checked no further" in r.stdout


def test_a_journey_map_named_teams_yaml_is_told_to_be_renamed(tmp_path: Path) -> None:
    """A map saved as maps/billing/teams.yaml was read as the teams list: an "unknown key"
    error for each of its keys (id, title, owner, stages) and "missing required key 'teams'"."""
    write_files(
        tmp_path,
        {
            "maps/teams.yaml": "teams:\n  - {id: support, name: Support}\n",
            "maps/billing/teams.yaml": "id: m\ntitle: M\nowner: support\nstages:\n  - {id: one, name: One}\n",
        },
    )
    r = jm_here(tmp_path, "lint", "maps")
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == (
        "maps/billing/teams.yaml:1:1: JM004 [schema] error: this is a journey map, but journeymaps reads "
        "a file named teams.yaml as the list of teams: rename it (its id: m.yaml)"
    )
    assert "unknown key" not in r.stdout and "missing required key" not in r.stdout


def test_a_teams_list_named_personas_yaml_is_told_what_it_is(tmp_path: Path) -> None:
    """The other way round from a teams list named as a map: "missing required key
    'personas'" and "unknown key 'teams'"."""
    write_files(tmp_path, {"maps/personas.yaml": "teams:\n  - {id: support, name: Support}\n"})
    r = jm_here(tmp_path, "lint", "maps")
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == (
        "maps/personas.yaml:1:1: JM004 [schema] error: this is a list of teams, not of personas: "
        "journeymaps reads teams only from a file named teams.yaml (or teams.yml): rename it"
    )
    assert "unknown key" not in r.stdout and "missing required key" not in r.stdout
