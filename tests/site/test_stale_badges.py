"""The site's stale badges say what ``lint`` says: the map's staleness at the severity the
settings give the stale-map rule, and no badge where lint reports nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from in_process import jm_here

FIXTURE = Path(__file__).parent / "fixture"
LATER = {"SOURCE_DATE_EPOCH": "1830297600"}  # 2028-01-01: the fixture's map, reviewed 2026-11-01, is stale


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "project")
    return tmp_path / "project"


def badges(project: Path) -> tuple[list[str], list[str]]:
    """The stale badges of the index and of the map's page (their classes)."""
    index = (project / "site/index.html").read_text()
    page = (project / "site/maps/refund.html").read_text()
    found = re.compile(r'<span class="badge ([a-z]+)">stale')
    return found.findall(index), found.findall(page)


def configure(project: Path, extra: str) -> None:
    settings = project / "journeymaps.toml"
    settings.write_text(settings.read_text() + extra)


def lint_says(project: Path) -> str:
    return jm_here(project, "lint", "--format", "json", "--today", "2028-01-01").stdout


def test_a_stale_map_is_badged_as_a_warning_by_default(project: Path) -> None:
    assert jm_here(project, "build", env=LATER).returncode == 0
    assert badges(project) == (["warning"], ["warning"])
    assert '"stale-map"' in lint_says(project)


def test_no_stale_badge_when_the_rule_is_off(project: Path) -> None:
    configure(project, '\n[rules]\nstale-map = "off"\n')
    assert jm_here(project, "build", env=LATER).returncode == 0
    assert badges(project) == ([], [])
    assert '"stale-map"' not in lint_says(project)


@pytest.mark.parametrize("severity", ["error", "info"])
def test_the_badge_has_the_configured_severity(project: Path, severity: str) -> None:
    configure(project, f'\n[rules]\nstale-map = "{severity}"\n')
    jm_here(project, "build", env=LATER)
    assert badges(project) == ([severity], [severity])


def test_no_stale_badge_where_the_rule_is_ignored_for_the_file(project: Path) -> None:
    configure(project, '\n[per-file-ignores]\n"maps/refund.yaml" = ["stale-map"]\n')
    assert jm_here(project, "build", env=LATER).returncode == 0
    assert badges(project) == ([], [])
    assert '"stale-map"' not in lint_says(project)
