"""A time as a desk in a US locale writes it, or a spreadsheet re-saves an export there
(``3/1/26 11:59 PM``: month, day, a year of two digits, AM or PM), is read at its minute in
the source's zone by every preset: DuckDB's cast read ``3/1/26`` as the year 3, so HubSpot's
and Intercom's presets counted such a ticket "dated before 1980" (or not at all), and every
preset so a time with seconds (``3/1/26 11:59:30 PM``) or a zone's name (``PM EST``). A
preset that cannot tell the day from the month stops at the first such date (JM010)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from measured_at_once import COLUMNS, measure_here, months_of_values
from measuring import ONE_TAG_MAP, billing_months, made_once, project

#: The source's zone: twelve hours behind UTC (no summer time), so that a time of 28
#: February read at the wrong half of the day is counted in the other month (UTC's).
ZONE = "Etc/GMT+12"
#: Values written month first and the month (UTC) each is counted in.
MONTH_FIRST = {
    "2/28/26 11:59 PM": "2026-03",  # 11:59 UTC on 1 March; as 11:59 AM, 23:59 UTC on 28 Feb
    "2/28/26 11:59:30 PM": "2026-03",
    "02/28/2026 11:59 PM": "2026-03",
    "2/28/26 12:00 AM": "2026-02",  # midnight: 12:00 UTC on 28 February (noon: 1 March)
    "2/28/26 11:59 PM EST": "2026-03",  # 04:59 UTC on 1 March
    "2/28/26 3:00 PM EST": "2026-02",  # 20:00 UTC (read in the source's zone, 03:00 UTC on 1 March)
    "2/28/26 23:59": "2026-03",
    "2/28/26 23:59:30": "2026-03",
    "3/1/26 11:59 PM": "2026-03",  # 1 March, not 3 January nor the year 3
    "3/1/26 12:00 AM": "2026-03",
}
#: Jira's re-saved exports write the day first: the same times so.
DAY_FIRST = {re.sub(r"^([0-9]+)/([0-9]+)/", r"\2/\1/", value): month for value, month in MONTH_FIRST.items()}
PRESETS = ["zendesk", "freshdesk", "intercom", "hubspot", "jira-service-management"]


@pytest.fixture(scope="module", params=PRESETS)
def measured(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], Any]:
    """The values, written as the preset's desk writes them, measured in one run."""
    preset = request.param
    values = DAY_FIRST if preset == "jira-service-management" else MONTH_FIRST
    _, made = made_once(
        tmp_path_factory,
        f"us_times_{preset}",
        lambda root: months_of_values(root, list(values), ZONE, preset),
    )
    return values, made


def test_a_us_time_is_counted_in_the_month_of_its_instant(measured: tuple[dict[str, str], Any]) -> None:
    values, made = measured
    assert made["returncode"] == 0, made["out"]
    for words in ("not counted", "does not read", "before 1980", "none of the formats"):
        assert words not in made["out"], made["out"]
    assert made["months"] == {value: {month: 1} for value, month in values.items()}


@pytest.mark.parametrize("preset", ["hubspot", "intercom"])
def test_a_us_date_whose_day_is_no_month_s_is_an_error_at_its_cell(tmp_path: Path, preset: str) -> None:
    """3/1/26 is 1 March month first, 3 January day first: where no date of the export has a
    day over 12 to say which, measure stops at the first, naming both formats."""
    made = months_of_values(tmp_path, ["3/1/26 11:59 PM", "3/2/26 10:00 AM"], ZONE, preset)
    out = str(made["out"])
    assert made["returncode"] == 2, out
    column = COLUMNS[preset][1].format(zone=ZONE)
    assert out.startswith(
        f"exports/desk.csv:7:7: JM010 [unreadable-source] error: source 'desk': the dates of column "
        f"'{column}' ('3/1/26 11:59 PM'...) read day first or month first alike: none has a day over 12 "
        f"to tell. Preset {preset} reads them month first (%m/%d/%Y %H:%M)"
    ), out
    assert '"%d/%m/%Y %H:%M" for day first' in out, out
    assert not (tmp_path / "metrics").exists()


def test_the_format_measure_names_reads_them_in_the_zone_of_intercom_s_header(tmp_path: Path) -> None:
    """Intercom's column, named under columns with the format measure says to name, was
    said to carry no zone (set timezone), though its header names one."""
    header = "Conversation started at (Asia/Tokyo)"
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(("Conversation ID", header, "Conversation tags"))
        # 00:30 in Tokyo on 1 October: 15:30 UTC on 30 September
        out.writerows((f"C-{n}", "10/1/26 12:30 AM", "billing") for n in range(5))
    toml = '[sources.desk]\npreset = "intercom"\npath = "exports/desk.csv"\n'
    toml += f'[sources.desk.columns]\ncreated = {{column = "{header}", format = "%m/%d/%Y %H:%M"}}\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert billing_months(tmp_path) == {"2026-09": 1}


#: A HubSpot ticket's close date, written as a US desk writes it, and its minutes after the
#: creation at 00:00 on 1 March 2026 (the source's zone, New York's: EST, before summer time).
CLOSED_AFTER = {
    "3/1/26 11:59 PM": 1439,
    "3/1/26 11:59:30 PM": 1439.5,
    "03/01/2026 11:59 PM": 1439,
    "3/1/26 12:00 AM": 0,
    "3/1/26 12:30 AM": 30,
    "3/1/26 12:00 PM": 720,
    "3/1/26 11:59 PM EST": 1439,
    "3/1/26 11:59 PM PST": 1439 + 180,
    "3/1/26 23:59": 1439,
    "3/13/26 11:59 PM": 12 * 1440 + 1439,
}


def test_a_us_time_is_read_at_its_minute(tmp_path: Path) -> None:
    """Each resolution time, from the creation to the close date, is the minutes the close
    date says: 3/1/26 11:59 PM is 23:59 on 1 March 2026 in the source's zone."""
    path = tmp_path / "exports" / "hubspot.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(("Ticket ID", "Create date", "Close date", "Ticket status", "Category"))
        for n, closed in enumerate(CLOSED_AFTER):
            out.writerows((f"{n}-{i}", "2026-03-01 00:00", closed, "Closed", f"v{n}") for i in range(5))
    evidence = "".join(
        f'      - {{source: desk, kind: tickets, ref: "tag:v{n}"}}\n' for n in range(len(CLOSED_AFTER))
    )
    maps = {"m.yaml": f"id: m\ntitle: M\nstages:\n  - id: a\n    name: A\n    evidence:\n{evidence}"}
    toml = '[sources.desk]\npreset = "hubspot"\npath = "exports/hubspot.csv"\ntimezone = "America/New_York"\n'
    project(tmp_path, toml, maps)
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    snap = json.loads((tmp_path / "metrics" / "m.json").read_text("utf-8"))
    ttr = {
        closed: snap["series"][f"desk|tag:v{n}"]["months"]["2026-03"].get("ttr")
        for n, closed in enumerate(CLOSED_AFTER)
    }
    assert ttr == CLOSED_AFTER
