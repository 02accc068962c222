"""The tests' in-process runner (``conftest.run_cli``) runs where it is told."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BASE, TEAMS, run_cli


def test_run_cli_runs_the_command_in_the_folder_it_is_given(tmp_path: Path) -> None:
    """``run_cli(args, cwd)`` ran in the tests' own folder whatever ``cwd`` said: a test
    giving its project's folder linted the repository's example maps instead."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text(TEAMS)
    (tmp_path / "maps" / "m.yaml").write_text(BASE.replace("owner: support", "owner: suport", 1))
    here = Path.cwd()
    result = run_cli(["lint", "--format", "json", "--today", "2026-11-22"], tmp_path)
    found = [(f["rule"], f["file"]) for f in json.loads(result.stdout)["findings"]]
    assert ("unknown-team", "maps/m.yaml") in found, result.stdout
    assert {file for _, file in found} == {"maps/m.yaml"}, result.stdout
    assert Path.cwd() == here  # and the tests' folder is theirs again
