"""Every time column a preset reads is checked for dates that read day first or month first
alike, not the creation's alone: a HubSpot export whose creation dates are ISO and whose
close dates are ``3/1/26 11:59 PM`` was read month first without a word. The export's time
columns settle one order together (one desk writes one order); a date that reads only the
other way round than the export's others is said as such, at its cell, not as a date "in
none of the formats read"."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from measuring import ONE_TAG_MAP, project

from in_process import jm_here

#: HubSpot's columns, as its ticket view exports them.
HUBSPOT = ("Ticket ID", "Create date", "Close date", "Ticket status", "Category")
JIRA = ("Issue key", "Created", "Resolved", "Labels")


def _measure(
    root: Path, preset: str, header: Sequence[str], rows: Sequence[Sequence[str]], columns: str = ""
) -> str:
    """``rows`` of a ``preset`` export (``header`` first) measured; what the run said, its exit
    code first (``2: ...``)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    toml = f'[sources.desk]\npreset = "{preset}"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
    project(root, toml + (f"[sources.desk.columns]\n{columns}" if columns else ""), {"m.yaml": ONE_TAG_MAP})
    result = jm_here(root, "measure")
    return f"{result.returncode}: {result.stdout}{result.stderr}"


def _ttr(root: Path) -> dict[str, float]:
    """The median resolution time (minutes) of the billing tickets per month."""
    snap = json.loads((root / "metrics" / "m.json").read_text("utf-8"))
    return {m: c["ttr"] for m, c in snap["series"]["desk|tag:billing"]["months"].items() if "ttr" in c}


def _hubspot(created: Sequence[str], closed: Sequence[str]) -> list[list[str]]:
    """Five tickets (as many as a month's numbers need to be shown) of each creation and close."""
    pairs = list(zip(created, closed, strict=True))
    return [[f"T-{n}-{i}", c, d, "Closed", "billing"] for n, (c, d) in enumerate(pairs) for i in range(5)]


def test_close_dates_that_read_either_way_are_said_at_their_first_cell(tmp_path: Path) -> None:
    """ISO creation dates, close dates of a US desk all on days of 12 or less: each close date
    was read month first (3/2/26 as 2 March) without a word, its resolution time counted so.
    Now measure stops at the first, naming both formats, as it does of creation dates."""
    rows = _hubspot(["2026-03-01 10:00"] * 3, ["2/3/26 11:00 AM", "4/3/26 10:00 AM", "2/3/26 9:00 AM"])
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows)
    assert said.startswith(
        "2: exports/desk.csv:2:24: JM010 [unreadable-source] error: source 'desk': the dates of column "
        "'Close date' ('2/3/26 11:00 AM'...) read day first or month first alike: none has a day over 12 "
        "to tell. Preset hubspot reads them month first (%m/%d/%Y %H:%M)"
    ), said
    assert (
        'resolution = {column = "Close date", read = "timestamp_since", format = "%m/%d/%Y %H:%M"}, '
        'or "%d/%m/%Y %H:%M" for day first'
    ) in said, said
    assert not (tmp_path / "metrics").exists()

    # the setting said, day first: read so (2 March 11:00 is a day and an hour after 1 March
    # 10:00, 4 March 10:00 three days; month first, 3 February and 3 April)
    named = 'resolution = {column = "Close date", read = "timestamp_since", format = "%d/%m/%Y %H:%M"}\n'
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows, named)
    assert said.startswith("0: "), said
    assert _ttr(tmp_path) == {"2026-03": 25 * 60}


def test_close_dates_written_day_first_are_said_when_creation_dates_are_iso(tmp_path: Path) -> None:
    """Close dates written day first (25/3/26), read month first by HubSpot's preset: those of
    a day over 12 did not read, the others were read as another month's, exit 0."""
    rows = _hubspot(["2026-03-01 10:00"] * 3, ["2/3/26 10:00 AM", "25/3/26 10:00 AM", "4/3/26 10:00 AM"])
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows)
    assert said.startswith(
        "2: exports/desk.csv:7:24: JM010 [unreadable-source] error: source 'desk': the dates of column "
        "'Close date' are written day first: '25/3/26 10:00 AM' has 25 as its first number, no month. "
        "Preset hubspot reads them month first (%m/%d/%Y %H:%M)"
    ), said
    assert 'resolution = {column = "Close date", read = "timestamp_since", format = "%d/%m/%Y %H:%M"}' in said


def test_close_dates_all_of_a_day_over_12_are_said_too(tmp_path: Path) -> None:
    """Close dates all written day first with a day over 12 (none reads month first): each
    was a value that does not read, exit 0."""
    rows = _hubspot(["2026-03-01 10:00"] * 2, ["25/3/26 10:00 AM", "26/3/26 10:00 AM"])
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows)
    assert said.startswith(
        "2: exports/desk.csv:2:24: JM010 [unreadable-source] error: source 'desk': the dates of column "
        "'Close date' are written day first: '25/3/26 10:00 AM' has 25 as its first number, no month."
    ), said


def test_a_creation_date_over_12_settles_the_close_dates_too(tmp_path: Path) -> None:
    """One desk writes its dates one way round: a creation date of day 14, month first, says
    how the close dates of days of 12 or less are written. They are read so, without a stop."""
    rows = _hubspot(["3/14/26 10:00 AM", "3/1/26 10:00 AM"], ["3/14/26 11:00 AM", "3/2/26 10:00 AM"])
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows)
    assert said.startswith("0: "), said
    assert _ttr(tmp_path) == {"2026-03": (60 + 24 * 60) / 2}


def test_close_dates_read_the_other_way_than_the_named_creation_format_are_said(tmp_path: Path) -> None:
    """A creation format named day first (the export's 25/03/26 says so); the close dates, of
    days of 12 or less, were read month first by the preset (02/04/26 as 4 February, before
    the ticket's creation), exit 0. Measure stops at the first, naming the day-first format."""
    rows = _hubspot(["25/03/26 10:00", "01/04/26 10:00"], ["02/04/26 10:00", "03/04/26 10:00"])
    named = 'created = {column = "Create date", format = "%d/%m/%Y %H:%M"}\n'
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows, named)
    assert said.startswith(
        "2: exports/desk.csv:2:22: JM010 [unreadable-source] error: source 'desk': the dates of column "
        "'Close date' ('02/04/26 10:00'...) are read month first, but the export writes its dates day "
        "first: '25/03/26 10:00' (column 'Create date', line 2 of desk.csv) has 25 as its first number, "
        "no month."
    ), said
    assert 'resolution = {column = "Close date", read = "timestamp_since", format = "%d/%m/%Y %H:%M"}' in said


def test_a_date_against_the_export_s_order_is_said_at_its_cell(tmp_path: Path) -> None:
    """Jira's export settled day first by its 25/03/2026's, one row's 03/26/2026: it was "in
    none of the formats read", as if its format were unknown. Now measure stops at it, saying
    the other dates' order and the one it only reads in; fewer dates say its order, however
    early in the file it is."""
    created = ["03/26/2026 10:00", "25/03/2026 10:00", "27/03/2026 10:00", "01/03/2026 10:00"]
    rows = [[f"T-{n}", c, "", "billing"] for n, c in enumerate(created)]
    said = _measure(tmp_path, "jira-service-management", JIRA, rows)
    assert said.startswith(
        "2: exports/desk.csv:2:5: JM010 [unreadable-source] error: source 'desk': '03/26/2026 10:00' "
        "(column 'Created') reads only month first: read day first, 26 would be its month. The export's "
        "other dates settle its order as day first: 2 read only so, the first '25/03/2026 10:00' (column "
        "'Created', line 3 of desk.csv)."
    ), said
    assert "none of the formats" not in said
    assert not (tmp_path / "metrics").exists()


def test_a_close_date_against_the_creation_dates_order_is_said_at_its_cell(tmp_path: Path) -> None:
    """HubSpot's creation dates month first (3/25/26), a close date day first (26/3/26): it did
    not read, counted among values that do not, exit 0."""
    rows = _hubspot(["3/25/26 10:00 AM", "3/24/26 10:00 AM"], ["3/25/26 11:00 AM", "26/3/26 10:00 AM"])
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows)
    assert said.startswith(
        "2: exports/desk.csv:7:24: JM010 [unreadable-source] error: source 'desk': '26/3/26 10:00 AM' "
        "(column 'Close date') reads only day first: read month first, 26 would be its month. The "
        "export's other dates settle its order as month first: 15 read only so"
    ), said


def test_a_date_of_no_day_either_way_round_settles_nothing(tmp_path: Path) -> None:
    """13/13/2026 is no date read either way round: not one that contradicts the export's
    month-first dates, but a date in none of the formats read, said and counted as such."""
    created = ["01/13/2026 10:00", "13/13/2026 10:00", "01/02/2026 10:00"]
    rows = [[f"T-{n}-{i}", c, "billing"] for n, c in enumerate(created) for i in range(5)]
    said = _measure(tmp_path, "zendesk", ("Id", "Created at", "Tags"), rows)
    assert said.startswith("0: "), said
    assert (
        "exports/desk.csv:7:7: column 'Created at': '13/13/2026 10:00' is in none of the formats read" in said
    )
    assert "reads only" not in said


def test_a_named_creation_format_says_the_order_of_close_dates_no_date_settles(tmp_path: Path) -> None:
    """No date over 12 anywhere; the creation's format named day first (the settings know the
    desk's locale). The close dates were read month first by the preset all the same, exit 0."""
    rows = _hubspot(["01/03/26 10:00", "02/03/26 10:00"], ["02/03/26 10:00", "03/03/26 10:00"])
    named = 'created = {column = "Create date", format = "%d/%m/%Y %H:%M"}\n'
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows, named)
    assert said.startswith(
        "2: exports/desk.csv:2:22: JM010 [unreadable-source] error: source 'desk': the dates of column "
        "'Close date' ('02/03/26 10:00'...) are read month first, but the export writes its dates day "
        "first: the format named for created under [sources.desk.columns] reads them so (%d/%m/%Y %H:%M)."
    ), said
    named += 'resolution = {column = "Close date", read = "timestamp_since", format = "%d/%m/%Y %H:%M"}\n'
    said = _measure(tmp_path, "hubspot", HUBSPOT, rows, named)
    assert said.startswith("0: "), said
    assert _ttr(tmp_path) == {"2026-03": 24 * 60}


def test_monthly_exports_of_two_orders_are_said_at_the_odd_date(tmp_path: Path) -> None:
    """A folder of monthly exports: March's written day first (25/03/2026), April's month
    first (04/14/2026), by two agents' spreadsheets. April's did not read, "in none of the
    formats read"; they are one source, one order, and the fewer are said at their first."""
    folder = tmp_path / "exports" / "desk"
    folder.mkdir(parents=True)
    for name, dates in (("2026-03.csv", ["25/03/2026 10:00"] * 6), ("2026-04.csv", ["04/14/2026 10:00"] * 5)):
        lines = [f"T-{name}-{n},{d},billing\n" for n, d in enumerate(dates)]
        (folder / name).write_text("Issue key,Created,Labels\n" + "".join(lines), "utf-8")
    toml = '[sources.desk]\npreset = "jira-service-management"\npath = "exports/desk"\ntimezone = "UTC"\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = jm_here(tmp_path, "measure")
    said = f"{result.returncode}: {result.stdout}{result.stderr}"
    assert said.startswith(
        "2: exports/desk/2026-04.csv:2:17: JM010 [unreadable-source] error: source 'desk': '04/14/2026 "
        "10:00' (column 'Created') reads only month first: read day first, 14 would be its month. The "
        "export's other dates settle its order as day first: 6 read only so, the first '25/03/2026 10:00' "
        "(column 'Created', line 2 of 2026-03.csv)."
    ), said


def test_the_setting_said_for_a_column_whose_name_has_quotes_can_be_pasted(tmp_path: Path) -> None:
    """A creation column named with double quotes (mapped under columns, as a TOML literal
    string): the setting measure said to paste was ``created = {column = "Created "local"",
    ...}``, which no TOML reader takes. Its name is now a TOML string the settings read back."""
    import re

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    header = ("Ticket ID", 'Created "local"', "Close date", "Ticket status", "Category")
    rows = _hubspot(["2/3/26 11:00 AM", "4/3/26 10:00 AM", "2/3/26 9:00 AM"], ["2026-03-05 10:00"] * 3)
    said = _measure(tmp_path, "hubspot", header, rows, "created = 'Created \"local\"'\n")
    assert said.startswith("2: exports/desk.csv:2:"), said
    pasted = re.search(r"\[sources\.desk\.columns\]: (created = \{.*?\})", said)
    assert pasted is not None, said
    column = tomllib.loads(f"[columns]\n{pasted[1]}\n")["columns"]["created"]
    assert column["column"] == 'Created "local"', said
