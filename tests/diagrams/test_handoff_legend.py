"""A diagram's legend words a lost handoff as the map page does, for the handoffs it draws:
team to team behind the scenes, the receiving team asks again; with the customer in it, the
customer repeats themselves. It said the customer repeats themselves of Support losing its
notes on the way to Finance, out of the customer's sight."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import MAP_HEAD, TODAY
from journeymaps.diagrams import map_diagram, project_diagram, to_svg
from journeymaps.lint import lint
from journeymaps.model import Project
from journeymaps.settings import load_settings

RENDERERS = [pytest.param("embedded", marks=pytest.mark.embedded), "system"]
TEAMS = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"
STEPS = (
    "    steps:\n"
    "      - {id: log, name: Logs the dispute, channel: web, lane: backstage, owner: support}\n"
    "      - {id: check, name: Checks the invoice, channel: web, lane: backstage, owner: finance}\n"
    "      - {id: call, name: Calls the customer, channel: phone, lane: frontstage, owner: support}\n"
)
#: Support to Finance out of the customer's sight; Finance to Support, the customer called.
BEHIND = "  - {from: work.log, to: work.check, sla: 1d, context: lost}\n"
FACING = "  - {from: work.check, to: work.call, sla: 1d, context: lost}\n"
CUSTOMER = "the customer repeats themselves"
TEAM = "the receiving team asks again"


def _project(tmp_path: Path, handoffs: str) -> Project:
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "teams.yaml").write_text(TEAMS, "utf-8")
    text = (
        "id: dispute\ntitle: Invoice dispute\n" + MAP_HEAD + "stages:\n"
        "  - id: work\n    name: Works the dispute\n    owner: support\n" + STEPS + "handoffs:\n" + handoffs
    )
    (maps / "dispute.yaml").write_text(text, "utf-8")
    report = lint([maps], load_settings(tmp_path), TODAY, tmp_path)
    assert report.project is not None
    return report.project


def _legend(svg: bytes) -> str:
    """The legend's words, its wrapped lines joined."""
    root = ET.fromstring(svg)
    words = [
        t
        for g in root.iter()
        if (g.get("id") or "").startswith("legend")
        for el in g.iter()
        if el.tag.endswith("}text")
        for t in el.itertext()
    ]
    return " ".join(" ".join(words).split())


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize(
    ("handoffs", "said", "not_said"),
    [(BEHIND, [TEAM], [CUSTOMER]), (FACING, [CUSTOMER], [TEAM]), (BEHIND + FACING, [TEAM, CUSTOMER], [])],
    ids=["behind-the-scenes", "customer-facing", "both"],
)
def test_a_lost_handoff_s_legend_says_who_asks_again(
    tmp_path: Path, renderer: str, handoffs: str, said: list[str], not_said: list[str]
) -> None:
    m = _project(tmp_path, handoffs).maps[0]
    for view in ("journey", "blueprint"):
        svg = to_svg(map_diagram(view, m), renderer)
        legend = _legend(svg)
        for words in said:
            assert words in legend, (view, legend)
        for words in not_said:
            assert words not in legend, (view, legend)
        assert to_svg(map_diagram(view, m), renderer) == svg  # the same bytes, drawn again


@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_team_handoffs_legend_explains_only_the_arrows_drawn(tmp_path: Path, renderer: str) -> None:
    """Its legend said "some handoffs lose context" and "some handoffs are not declared" of
    a project whose every handoff is declared and keeps its notes."""
    project = _project(tmp_path, (BEHIND + FACING).replace("lost", "carried"))
    legend = _legend(to_svg(project_diagram("teams", project), renderer))
    assert "blue arrow: declared handoffs" in legend, legend
    assert "lose context" not in legend and "not declared" not in legend, legend
