"""A teams.yaml or personas.yaml that is a link, as monorepos share them: one file, read
once, as the registry its name says."""

from __future__ import annotations

from pathlib import Path

import pytest

from in_process import jm_here

TEAMS = "teams:\n  - id: support\n    name: Support\n"
PERSONAS = "personas:\n  - id: admin\n    name: Admin\n"
MAP = """id: checkout
title: Checkout
owner: {owner}
persona: admin
reviewed: 2026-11-01
stages:
  - id: pay
    name: Pay
    owner: {owner}
    evidence: [{{source: zendesk, kind: tickets, ref: "Z-1"}}]
"""


def _project(tmp_path: Path, owner: str = "support") -> Path:
    maps = tmp_path / "maps"
    maps.mkdir(parents=True)
    (maps / "checkout.yaml").write_text(MAP.format(owner=owner), "utf-8")
    return maps


@pytest.mark.parametrize(
    ("target", "named"),
    [
        ("common/all-teams.yaml", "maps/common/all-teams.yaml"),  # in the maps folder, another name
        ("common/teams.yaml", "maps/common/teams.yaml"),  # in the maps folder, a teams.yaml of its own
    ],
)
def test_a_teams_yaml_linked_to_a_file_in_the_maps_folder_is_read_once(
    tmp_path: Path, target: str, named: str
) -> None:
    """The file the link leads to was read a second time: under another name as a map
    ("not a journey map but a list of teams ... rename it", which broke the link), as a
    teams.yaml of its own with each team a duplicate-id error "already defined" in itself."""
    maps = _project(tmp_path)
    (tmp_path / named).parent.mkdir(parents=True)
    (tmp_path / named).write_text(TEAMS, "utf-8")
    (maps / "personas.yaml").write_text(PERSONAS, "utf-8")
    (maps / "teams.yaml").symlink_to(target)
    result = jm_here(tmp_path, "lint", "maps")
    assert result.returncode == 0, result.stdout
    assert "rename it" not in result.stdout and "duplicate-id" not in result.stdout, result.stdout
    assert "All checks passed: 3 files (1 map)" in result.stdout, result.stdout
    # the teams are read: an owner that is not one is still an error
    (maps / "checkout.yaml").write_text(MAP.format(owner="billing"), "utf-8")
    unknown = jm_here(tmp_path, "lint", "maps")
    assert unknown.returncode == 1 and "[unknown-team]" in unknown.stdout, unknown.stdout


def test_linting_the_repository_reads_a_shared_registry_and_its_link_once(tmp_path: Path) -> None:
    """``lint .`` met shared/personas.yaml and maps/personas.yaml (a link to it): every
    persona was a duplicate-id error, "already defined in" the same file."""
    maps = _project(tmp_path)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "personas.yaml").write_text(PERSONAS, "utf-8")
    (tmp_path / "shared" / "teams.yaml").write_text(TEAMS, "utf-8")
    (maps / "personas.yaml").symlink_to("../shared/personas.yaml")
    (maps / "teams.yaml").symlink_to("../shared/teams.yaml")
    result = jm_here(tmp_path, "lint", ".")
    assert result.returncode == 0, result.stdout
    assert "duplicate-id" not in result.stdout
    assert "All checks passed: 3 files (1 map)" in result.stdout, result.stdout


def test_a_teams_yaml_linked_out_of_the_project_says_why_and_the_way_that_works(tmp_path: Path) -> None:
    """A monorepo's product folder linking the repository's shared teams.yaml was told only
    "outside the project ... (replace the link with the file)": not why, nor that settings in
    a folder holding both read it. The way it names is checked to work."""
    repo = tmp_path / "repo"
    product = repo / "checkout"
    maps = _project(product)
    (repo / "shared").mkdir()
    (repo / "shared" / "teams.yaml").write_text(TEAMS, "utf-8")
    (maps / "teams.yaml").symlink_to("../../shared/teams.yaml")
    (maps / "personas.yaml").write_text(PERSONAS, "utf-8")
    (product / "journeymaps.toml").write_text('paths = ["maps"]\n', "utf-8")
    refused = jm_here(product, "lint", "maps")
    assert refused.returncode == 1
    (line,) = [x for x in refused.stdout.splitlines() if x.startswith("maps/teams.yaml:")]
    real = (repo / "shared" / "teams.yaml").resolve().as_posix()
    assert line.startswith(
        f"maps/teams.yaml:1:1: JM005 [unreadable-file] error: the file is a link to {real}, outside "
        "the project (the folder of its settings, else the working folder); journeymaps reads no file "
        "outside it, so that a link in a repository cannot put any file of the machine on the site: "
    ), line
    assert line.endswith(
        "replace the link with a copy of the file, or, to share one file between projects, put the "
        "settings (journeymaps.toml) in a folder that holds both and name the maps folders in its paths"
    ), line
    (product / "journeymaps.toml").unlink()
    (repo / "journeymaps.toml").write_text('paths = ["checkout/maps"]\n', "utf-8")
    followed = jm_here(product, "lint", "maps")
    assert followed.returncode == 0, followed.stdout
    assert "All checks passed: 3 files (1 map)" in followed.stdout, followed.stdout


def test_the_file_a_teams_yaml_links_to_named_on_the_command_line_is_said_read_as_the_link(
    tmp_path: Path,
) -> None:
    """Read once, as the link's teams.yaml: named itself, it was said "skipped, excluded by
    the settings (exclude)", which no setting did."""
    maps = _project(tmp_path)
    (maps / "common").mkdir()
    (maps / "common" / "all-teams.yaml").write_text(TEAMS, "utf-8")
    (maps / "personas.yaml").write_text(PERSONAS, "utf-8")  # the map that uses it is checked
    (maps / "teams.yaml").symlink_to("common/all-teams.yaml")
    result = jm_here(tmp_path, "lint", "maps/common/all-teams.yaml")
    assert result.returncode == 0, result.stdout
    assert "maps/common/all-teams.yaml: read as maps/teams.yaml, the link to it" in result.stderr
    assert "excluded" not in result.stderr and "rename it" not in result.stdout


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_new_map_takes_no_owner_from_a_teams_yaml_lint_does_not_read(tmp_path: Path, command: str) -> None:
    """new and import took the first team of a teams.yaml linked out of the project (any
    YAML file of the machine) as the map's owner, while lint refuses to read that file."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "teams.yaml").write_text(TEAMS.replace("support", "outside-team"), "utf-8")
    project = tmp_path / "project"
    (project / "maps").mkdir(parents=True)
    (project / "maps" / "teams.yaml").symlink_to(tmp_path / "elsewhere" / "teams.yaml")
    (project / "j.mmd").write_text("journey\n  section A\n    Ask: 3: me\n", "utf-8")
    args = ("import", "j.mmd", "--id", "j") if command == "import" else ("new", "j")
    result = jm_here(project, *args)
    assert result.returncode == 0, result.stderr
    text = (project / "maps" / "j.yaml").read_text("utf-8")
    assert "outside-team" not in text and "\nowner: support\n" in text


def test_a_teams_yaml_linked_through_another_link_is_read_once(tmp_path: Path) -> None:
    """teams.yaml -> mid.yaml -> common/all-teams.yaml: the link on the way was read as a
    map ("not a journey map but a list of teams ... rename it", which broke the chain), and
    named itself it checked nothing ("Nothing to check: 0 files")."""
    maps = _project(tmp_path)
    (maps / "common").mkdir()
    (maps / "common" / "all-teams.yaml").write_text(TEAMS, "utf-8")
    (maps / "personas.yaml").write_text(PERSONAS, "utf-8")
    (maps / "mid.yaml").symlink_to("common/all-teams.yaml")
    (maps / "teams.yaml").symlink_to("mid.yaml")
    result = jm_here(tmp_path, "lint", "maps")
    assert result.returncode == 0, result.stdout
    assert "rename it" not in result.stdout and "duplicate-id" not in result.stdout, result.stdout
    assert "All checks passed: 3 files (1 map)" in result.stdout, result.stdout
    named = jm_here(tmp_path, "lint", "maps/mid.yaml")
    assert named.returncode == 0, named.stdout
    assert "maps/mid.yaml: read as maps/teams.yaml, the link to it" in named.stderr
    # as naming maps/teams.yaml: the teams and the map that uses them (it said "0 maps")
    assert "All checks passed: 2 files (1 map)" in named.stdout, named.stdout


def test_the_file_a_teams_yaml_links_to_named_checks_the_maps_that_use_it(tmp_path: Path) -> None:
    """``lint maps/all-teams.yaml`` of ``teams.yaml -> all-teams.yaml`` checked the teams and
    no map that uses them, "1 file (0 maps)": naming teams.yaml itself checks them all."""
    maps = _project(tmp_path, owner="billing")  # a team that is not one: an error to find
    (maps / "all-teams.yaml").write_text(TEAMS, "utf-8")
    (maps / "teams.yaml").symlink_to("all-teams.yaml")
    (maps / "personas.yaml").write_text(PERSONAS, "utf-8")
    for named in ("maps/teams.yaml", "maps/all-teams.yaml"):
        result = jm_here(tmp_path, "lint", named)
        assert result.returncode == 1 and "maps/checkout.yaml:3:8: JM103 [unknown-team]" in result.stdout
        assert "(1 map)" in result.stdout and "0 maps" not in result.stdout, result.stdout


def test_init_counts_no_map_in_a_folder_holding_only_a_linked_teams_yaml(tmp_path: Path) -> None:
    """A maps folder with only teams.yaml -> all-teams.yaml: init skipped the first map, "maps/
    has maps already", of a folder lint says has 0 maps; it now writes it."""
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "all-teams.yaml").write_text(TEAMS, "utf-8")
    (maps / "teams.yaml").symlink_to("all-teams.yaml")
    assert "(0 maps)" in jm_here(tmp_path, "lint").stdout  # lint: none
    result = jm_here(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert "has maps already" not in result.stdout and "created maps/first-journey.yaml" in result.stdout
    # A file of another name that is no link's is still a map: kept from the example
    (tmp_path / "maps" / "first-journey.yaml").rename(maps / "mine.yaml")
    assert "skipped maps/first-journey.yaml (maps/ has maps already)" in jm_here(tmp_path, "init").stdout
