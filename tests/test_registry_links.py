"""A teams.yaml or personas.yaml that is a link, as monorepos share them: one file, read
once, as the registry its name says."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import jm

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
    maps.mkdir()
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
    result = jm(tmp_path, "lint", "maps")
    assert result.returncode == 0, result.stdout
    assert "rename it" not in result.stdout and "duplicate-id" not in result.stdout, result.stdout
    assert "All checks passed: 3 files (1 map)" in result.stdout, result.stdout
    # the teams are read: an owner that is not one is still an error
    (maps / "checkout.yaml").write_text(MAP.format(owner="billing"), "utf-8")
    unknown = jm(tmp_path, "lint", "maps")
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
    result = jm(tmp_path, "lint", ".")
    assert result.returncode == 0, result.stdout
    assert "duplicate-id" not in result.stdout
    assert "All checks passed: 3 files (1 map)" in result.stdout, result.stdout
