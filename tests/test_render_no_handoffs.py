"""``journeymaps render`` of a project where no team hands a case to another: as a linter
with nothing to report, exit 0 and a line saying why there is no teams diagram; not an SVG
of unconnected boxes."""

from __future__ import annotations

from pathlib import Path

from conftest import MAP_HEAD, write_files
from in_process import jm_here

TEAMS = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"
STEPS = (
    "stages:\n  - id: a\n    name: A\n    steps:\n"
    "      - {id: s, name: Checks, owner: support, lane: backstage}\n"
    "      - {id: t, name: Refunds, owner: OWNER, lane: backstage}\n"
)
WHY = "no teams diagram, as no team hands a case to another in any journey"


def _project(root: Path, second_owner: str = "support") -> Path:
    """Two teams; the map's second step owned by ``second_owner`` (finance: a handoff)."""
    body = "id: m\ntitle: M\n" + MAP_HEAD + STEPS.replace("OWNER", second_owner)
    write_files(root, {"journeymaps.toml": "", "maps/m.yaml": body, "maps/teams.yaml": TEAMS})
    return root


def test_render_view_teams_with_no_handoff_says_so_writes_nothing_and_exits_0(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = jm_here(project, "render", "--view", "teams")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"Rendered nothing to diagrams/: {WHY}\n",
        "",
    )
    assert not (project / "diagrams").exists()


def test_render_of_every_view_draws_the_maps_and_says_why_no_teams_diagram(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = jm_here(project, "render", "--format", "dot")
    assert (result.returncode, result.stdout) == (0, f"Rendered 2 diagrams to diagrams/; {WHY}\n")
    assert sorted(p.name for p in (project / "diagrams").iterdir()) == ["m.blueprint.dot", "m.journey.dot"]


def test_the_teams_diagram_of_an_earlier_render_is_named_when_its_handoffs_are_gone(tmp_path: Path) -> None:
    """It still shows arrows the maps no longer have: render deletes nothing, so it says so."""
    project = _project(tmp_path, "finance")
    assert jm_here(project, "render", "--view", "teams").stdout == "Rendered 1 diagram to diagrams/\n"
    _project(tmp_path)
    result = jm_here(project, "render", "--view", "teams")
    assert result.returncode == 0
    assert result.stdout == (
        f"Rendered nothing to diagrams/: {WHY} (diagrams/team-handoffs.svg is an earlier render's: delete it)\n"
    )
    # a file of that name that journeymaps did not draw is not called an earlier render's
    (project / "diagrams" / "team-handoffs.svg").write_text("<svg>my own</svg>\n", "utf-8")
    assert jm_here(project, "render", "--view", "teams").stdout == f"Rendered nothing to diagrams/: {WHY}\n"
