"""The journey diagram's pain points show the volume the site shows everywhere else: the
measured one when the map is measured. It showed the declared "40 contacts/month" beside a
page and canvas saying 41 measured, and a director asked which was right."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from in_process import jm_here

MAP = "admin-locked-out"
SERIES = "zendesk|tag:reset_email_missing"


def _project(tmp_path: Path, *, measured: bool = True) -> Path:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    if measured:  # else `journeymaps measure` never ran: no snapshot
        shutil.copytree(ROOT / "examples" / "metrics", tmp_path / "examples" / "metrics")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _build(project: Path, *options: str) -> None:
    built = jm_here(
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
    found = re.search(r"<td[^>]*>([0-9,]+) <span class=\"as-of\">measured, as of", page)
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


def test_a_measured_volume_is_shown_to_the_tenth_its_figures_are_made_of(tmp_path: Path) -> None:
    """A mean of three months (27.7 contacts) was shown as 28 beside volume x severity 83 and
    a cost of $3,989 a year: a director checking 28 x 3 and 28 x $12 x 12 found neither. The
    volume is shown to the tenth the figures beside it are made of, in the ranked pain points,
    on the canvas and on the diagram."""
    project = _project(tmp_path)
    _build(project)
    site = project / "site"
    page = (site / "maps" / "billing-dispute.html").read_text("utf-8")
    row = page[page.index('<tr id="pain-surprise-true-up">') :]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[: row.index("</tr>")], re.S)
    volume = float(re.sub(r"<.*", "", cells[2], flags=re.S))
    severity = int(cells[3].removesuffix("/5"))
    assert volume == 27.7, cells
    assert int(cells[4]) == round(volume * severity)
    assert cells[5] == f"${round(volume * 12 * 12):,}"  # the example's $12 a contact
    canvas = (site / "maps" / "billing-dispute.canvas.html").read_text("utf-8").replace("<wbr>", "")
    assert "27.7 contacts/month measured" in canvas
    svg = (site / "diagrams" / "billing-dispute.journey.svg").read_text("utf-8")
    assert ">27.7 contacts/month, measured<" in svg
    assert ">41 contacts/month, measured<" in (site / "diagrams" / f"{MAP}.journey.svg").read_text("utf-8")
