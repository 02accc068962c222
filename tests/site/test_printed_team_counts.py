"""The one Teams page printed: a team's name, contact and counts stay on the sheet of its
first list. Fourteen teams with one to five pain points each printed on Letter ended a sheet
with Team 04's counts ("Maps owned 0  Stages owned 1 ..."), its pain points on the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_presenting_paper import printed, sheet_lines

from conftest import MAP_HEAD, site_of

TEAMS = 14


def _project() -> dict[str, str]:
    """Fourteen teams, each owning a stage with 1 to 5 pain points, all on one Teams page."""
    teams, stages, pains = ["teams:"], [], []
    for i in range(TEAMS):
        teams.append(f"  - {{id: team-{i:02d}, name: Team {i:02d}, contact: '#t{i:02d}'}}")
        stages.append(
            f"  - id: st{i}\n    name: Stage {i}\n    owner: team-{i:02d}\n    steps:\n"
            f"      - {{id: s{i}, name: Step of stage {i}}}"
        )
        for k in range(1 + (i * 7) % 5):
            pains.append(
                f"  - {{id: p{i}-{k}, at: st{i}.s{i}, kind: process, severity: 3,"
                f" summary: Pain {k} of stage {i} hurts the customer in a way worth a line.}}"
            )
    body = "stages:\n" + "\n".join(stages) + "\npain_points:\n" + "\n".join(pains) + "\n"
    return {
        "teams.yaml": "\n".join(teams) + "\n",
        "m.yaml": "id: m\ntitle: M\n" + MAP_HEAD.replace("support", "team-00") + body,
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("teams")
    (root / "journeymaps.toml").write_text("rows-per-page = 500\n", "utf-8")  # one Teams page
    out = site_of(root, _project())
    assert not (out / "teams").exists()
    return out


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_printed_sheet_ends_with_a_team_s_counts(site: Path, browser, paper: str) -> None:
    page = browser.new_page()
    page.goto((site / "teams.html").as_uri())
    sheets = sheet_lines(printed(page, paper))
    page.close()
    assert sum(line.startswith("Maps owned") for s in sheets for line in s) == TEAMS  # all printed
    ends = [(n, s[-3:]) for n, s in enumerate(sheets[:-1], 1) if s[-1].startswith("Maps owned")]
    assert ends == [], ends
