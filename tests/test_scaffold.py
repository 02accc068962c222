"""journeymaps init and new: a start that lints and builds from the first minute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import jm


def test_init_scaffolds_a_repository_that_lints_and_builds(tmp_path: Path) -> None:
    result = jm(tmp_path, "init")
    assert result.returncode == 0
    for rel in (
        "maps/teams.yaml",
        "maps/first-journey.yaml",
        "journeymaps.toml",
        ".pre-commit-config.yaml",
        ".github/workflows/journeymaps.yml",
    ):
        assert (tmp_path / rel).is_file(), rel
        if rel.endswith((".yaml", ".yml")):
            yaml.safe_load((tmp_path / rel).read_text())
    lint = json.loads(jm(tmp_path, "lint", "--format", "json").stdout)
    assert lint["summary"]["errors"] == 0
    assert {f["rule"] for f in lint["findings"]} == {"unvalidated-stage"}  # the prompt to add evidence
    assert jm(tmp_path, "build").returncode == 0 and (tmp_path / "site" / "index.html").is_file()


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text("teams: [{id: mine, name: Mine}]\n")
    result = jm(tmp_path, "init")
    assert "kept    maps/teams.yaml" in result.stdout.replace(str(tmp_path) + "/", "")
    assert (tmp_path / "maps" / "teams.yaml").read_text() == "teams: [{id: mine, name: Mine}]\n"


@pytest.mark.parametrize("template", ["support-issue", "lifecycle", "service-blueprint"])
def test_new_map_from_each_template_is_valid(tmp_path: Path, template: str) -> None:
    assert jm(tmp_path, "init").returncode == 0
    result = jm(tmp_path, "new", "refund-delay", "--template", template, "--title", 'Refund "late" <again>')
    assert result.returncode == 0 and "Created maps/refund-delay.yaml" in result.stdout
    data = yaml.safe_load((tmp_path / "maps" / "refund-delay.yaml").read_text())
    assert data["title"] == 'Refund "late" <again>' and data["owner"] == "support"  # the first team
    lint = json.loads(jm(tmp_path, "lint", "--format", "json").stdout)
    assert lint["summary"]["errors"] == 0, lint["findings"]


def test_new_refuses_bad_ids_and_existing_files(tmp_path: Path) -> None:
    assert jm(tmp_path, "init").returncode == 0
    bad = jm(tmp_path, "new", "Refund Delay")
    assert bad.returncode == 2 and "not a valid map id" in bad.stderr
    again = jm(tmp_path, "new", "first-journey")
    assert again.returncode == 2 and "already exists" in again.stderr
