"""Where a diagram that could not be drawn is reported (JM009 diagram-failed)."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, write_files
from journeymaps.diagram_failures import not_drawn
from journeymaps.diagrams import project_diagram
from journeymaps.lint import lint
from journeymaps.settings import load_settings

ALONE = """id: alone
title: Alone
owner: support
stages:
  - {id: one, name: One, owner: support, steps: [{id: a, name: A}]}
"""
HANDING_OVER = """id: handing
title: Handing over
owner: support
stages:
  - {id: one, name: One, owner: support, steps: [{id: a, name: A, lane: backstage, owner: support}]}
  - {id: two, name: Two, owner: product, steps: [{id: b, name: B, lane: backstage, owner: product}]}
"""


def test_the_team_diagram_s_failure_is_at_a_map_that_hands_over_without_teams_yaml(tmp_path: Path) -> None:
    """Without teams.yaml the team handoff diagram's failure was reported at the maps folder
    (``maps:1:1``), a place code scanning and GitHub's annotations cannot put a finding on;
    it is at the first map that hands over between teams, what that diagram draws."""
    write_files(tmp_path / "maps", {"a-alone.yaml": ALONE, "b-handing.yaml": HANDING_OVER})
    settings = load_settings(tmp_path)
    report = lint([tmp_path / "maps"], settings, TODAY, tmp_path)
    assert report.project is not None
    teams = project_diagram("teams", report.project)
    (found,) = not_drawn([(teams, "Graphviz failed")], report, settings, tmp_path)
    assert (found.code, found.file, found.line) == ("JM009", "maps/b-handing.yaml", 1)
    assert found.message == "the team handoff diagram could not be drawn: Graphviz failed"
    # With teams.yaml, there, as before.
    write_files(
        tmp_path / "maps",
        {"teams.yaml": "teams:\n  - {id: support, name: Support}\n  - {id: product, name: Product}\n"},
    )
    report = lint([tmp_path / "maps"], settings, TODAY, tmp_path)
    assert report.project is not None
    (found,) = not_drawn([(teams, "Graphviz failed")], report, settings, tmp_path)
    assert found.file == "maps/teams.yaml"
