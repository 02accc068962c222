"""The journey diagram's pain points show the volume the site shows everywhere else: the
measured one when the map is measured. It showed the declared "40 contacts/month" beside a
page and canvas saying 41 measured, and a director asked which was right."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, jm

MAP = "admin-locked-out"
SERIES = "zendesk|tag:reset_email_missing"


def _project(tmp_path: Path, *, measured: bool = True) -> Path:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    if measured:  # else `journeymaps measure` never ran: no snapshot
        shutil.copytree(ROOT / "examples" / "metrics", tmp_path / "examples" / "metrics")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _build(project: Path, *options: str) -> None:
    built = jm(
        project, "build", "maps", "-o", "site", *options, env={"JOURNEYMAPS_CACHE": str(project / "cache")}
    )
    assert built.returncode == 0, built.stderr


def _diagram_volume(project: Path) -> str:
    """The volume on the diagram's card of the pain point whose evidence is measured."""
    svg = (project / "site" / "diagrams" / f"{MAP}.journey.svg").read_text("utf-8")
    card = svg[svg.index('id="a_pain&#45;reset&#45;email&#45;missing"') :]
    found = re.search(r">([0-9,]+ contacts/month[^<]*)<", card)
    assert found, card[:1000]
    return found.group(1)


def _page_volume(project: Path) -> str:
    """The measured volume in the map page's ranked pain points."""
    page = (project / "site" / "maps" / f"{MAP}.html").read_text("utf-8")
    found = re.search(r"<td>([0-9,]+) <span class=\"as-of\">measured, as of", page)
    assert found
    return found.group(1)


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["drawn in the build", "drawn by workers"])
def test_the_journey_diagram_shows_the_measured_volume_the_page_shows(tmp_path: Path, jobs: str) -> None:
    project = _project(tmp_path)
    _build(project, "--jobs", jobs)
    measured = _page_volume(project)
    assert _diagram_volume(project) == f"{measured} contacts/month, measured"
    declared = (project / "maps" / "support" / f"{MAP}.yaml").read_text("utf-8")
    assert f"volume: {measured}\n" not in declared  # the example's two figures differ


def test_a_new_measurement_redraws_the_diagram_kept_in_the_cache(tmp_path: Path) -> None:
    """The diagrams are cached by the map's bytes: a new snapshot (the map unchanged) must not
    leave last month's figure on the diagram while the page shows this month's."""
    project = _project(tmp_path)
    _build(project)
    snapshot = project / "examples" / "metrics" / f"{MAP}.json"
    data = json.loads(snapshot.read_text("utf-8"))
    for month in ("2026-08", "2026-09", "2026-10"):
        data["series"][SERIES]["months"][month]["contacts"] = 300
    snapshot.write_text(json.dumps(data, indent=1), "utf-8")
    _build(project)
    assert _page_volume(project) == "300"
    assert _diagram_volume(project) == "300 contacts/month, measured"


def test_a_map_with_no_measured_numbers_shows_its_declared_volume(tmp_path: Path) -> None:
    project = _project(tmp_path, measured=False)
    _build(project)
    declared = re.search(
        r"id: reset-email-missing\n(?:\s+[a-z_]+:.*\n)*?\s+volume: ([0-9]+)\n",
        (project / "maps" / "support" / f"{MAP}.yaml").read_text("utf-8"),
    )
    assert declared
    assert _diagram_volume(project) == f"{declared.group(1)} contacts/month"
