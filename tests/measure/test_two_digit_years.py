"""A year written with two digits (5/1/26 10:00, as Excel saves a CSV it opened in a US
locale) is the year 2026, in a preset's format and in one the settings name."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from measuring import DESK, HEADERS, ONE_TAG_MAP, project

from in_process import jm_here

MAP = ONE_TAG_MAP


def _export(root: Path, preset: str, day_first: bool) -> None:
    """60 tickets of March and April 2026, their years in two digits (3/31/26 10:00)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS[preset])
        for n in range(60):
            day, month = n % 28 + 1, 3 + n % 2
            written = f"{day}/{month}/26 10:00" if day_first else f"{month}/{day}/26 10:00"
            out.writerow([f"T-{n}", written, "billing"])


def _months(root: Path) -> dict[str, int]:
    snap = json.loads((root / "metrics" / "m.json").read_text("utf-8"))
    return {m: c.get("contacts", 0) for m, c in snap["series"]["desk|tag:billing"]["months"].items()}


@pytest.mark.parametrize(("preset", "day_first"), [("zendesk", False), ("jira-service-management", True)])
def test_a_preset_reads_a_two_digit_year_as_this_century(
    tmp_path: Path, preset: str, day_first: bool
) -> None:
    """Read by the preset's %Y as the year 26, every ticket was "dated before 1980" and not
    counted: a snapshot of no month, exit 0."""
    _export(tmp_path, preset, day_first)
    project(tmp_path, DESK.format(preset=preset), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "before 1980" not in result.stdout
    assert _months(tmp_path) == {"2026-03": 30, "2026-04": 30}


def test_a_format_the_settings_name_reads_a_two_digit_year_too(tmp_path: Path) -> None:
    """The format measure itself suggests for dates that read either way round ("%d/%m/%Y
    %H:%M") read 5/1/26 as the year 26 as well."""
    _export(tmp_path, "zendesk", day_first=True)
    columns = '[sources.desk.columns]\ncreated = {column = "Created at", format = "%d/%m/%Y %H:%M"}\n'
    project(tmp_path, DESK.format(preset="zendesk") + columns, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _months(tmp_path) == {"2026-03": 30, "2026-04": 30}
