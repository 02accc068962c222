"""A time followed by a zone's name, an offset or AM/PM is read as what it says, or said to
be unreadable where it is: DuckDB's cast to TIMESTAMP drops one word after a time (IST,
CET, AEST, XYZ, PM), and the time was read in the source's zone, hours off, without a word."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from measured_at_once import measure_here, months_in_tokyo, stopped_at_its_cell
from measuring import ONE_TAG_MAP, billing_export, billing_months, export, project

from in_process import jm_here
from journeymaps.measure.fixtures import Spec

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "{zone}"\n'


@pytest.mark.parametrize("word", ["IST", "BST", "CET", "AEST", "XYZ", "ist", "Foo/Bar", "UTC+5"])
def test_an_unknown_zone_after_a_time_is_an_error_at_its_cell(tmp_path: Path, word: str) -> None:
    """2026-09-30 23:30 IST was counted in September at 23:30 UTC (India's is 18:00 UTC),
    exit 0, not a word: now measure stops at the value's line and column, names the
    column, the value, and the ways to read it."""
    out = stopped_at_its_cell(tmp_path, f"2026-09-30 23:30 {word}")
    assert "'Created at'" in out and f"'2026-09-30 23:30 {word}'" in out, out
    assert f"'{word}'" in out and "timezone" in out and "zone-names" in out, out


def test_an_unknown_zone_in_another_time_column_is_an_error_at_its_cell(tmp_path: Path) -> None:
    """A HubSpot close date with a zone of its own (CET) gave a resolution time hours off."""
    header = ("Ticket ID", "Create date", "Close date", "Category")
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerow(("1", "2026-09-01 09:00", "2026-09-01 12:00", "Billing"))
        out.writerow(("2", "2026-09-02 09:00", "2026-09-02 12:00 CET", "Billing"))
    toml = '[sources.desk]\npreset = "hubspot"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = jm_here(tmp_path, "measure")
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    assert "exports/desk.csv:3:20" in out and "'Close date'" in out and "'CET'" in out, out


#: Values and the month (UTC) each is counted in, the source's zone Tokyo (a value read as
#: Tokyo's local time would be counted in September): their zone or offset said.
AT_THEIR_INSTANT = {
    "2026-10-01 02:00 +05:30": "2026-09",  # 20:30 UTC on 30 September
    "2026-10-01 02:00 +0530": "2026-09",
    "2026-10-01 02:00+0530": "2026-09",
    "2026-10-01T02:00:00.000+05:30": "2026-09",
    "2026-09-30T23:30:00Z": "2026-09",  # in UTC, as written
    "2026-09-30 23:30Z": "2026-09",
    "2026-09-30T22:00:00.000-05:30": "2026-10",  # 03:30 UTC on 1 October
    "2026-10-01 01:00 Europe/Paris": "2026-09",  # an IANA name: 23:00 UTC
    "2026-09-30 21:30 CDT": "2026-10",
    "2026-09-30 21:30 cdt": "2026-10",
    "2026-09-30 23:30 GMT": "2026-09",
}
#: Their AM or PM said.
ON_THEIR_HALF_OF_THE_DAY = {
    "2026-10-01 08:00 PM": "2026-10",  # 11:00 UTC on 1 October (08:00 was September)
    "2026-10-01 8:00 pm": "2026-10",
    "2026-10-01 08:00:00 P.M.": "2026-10",
    "2026-10-01 12:30 AM": "2026-09",  # 15:30 UTC on 30 September (12:30 was October)
    "2026-10-01 10:00 AM": "2026-10",
}


@pytest.fixture(scope="module")
def in_tokyo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The values above measured in one export and one run (each its own tickets and
    selector): a run each took 1.5 s of CPU, for what is a value's reading."""
    values = [*AT_THEIR_INSTANT, *ON_THEIR_HALF_OF_THE_DAY]
    return months_in_tokyo(tmp_path_factory, "zone_words_in_tokyo", values, unsaid=())


@pytest.mark.parametrize(("value", "month"), AT_THEIR_INSTANT.items())
def test_offsets_and_named_zones_are_read_at_their_instant(
    in_tokyo: dict[str, Any], value: str, month: str
) -> None:
    """Each value is its instant, counted in its month in UTC."""
    assert in_tokyo[value] == {month: 1}


def test_a_zone_name_can_be_said_to_mean_another_zone(tmp_path: Path) -> None:
    """CST is US Central unless said otherwise: an export in China Standard Time (a Zendesk
    account in China) says zone-names = {CST = "Asia/Shanghai"}, and 07:00 CST on 1 October
    is 23:00 UTC on 30 September (05:00 IST, said to be +05:30, 23:30)."""
    billing_export(tmp_path, ["2026-10-01 07:00 CST", "2026-10-01 05:00 IST"])
    toml = DESK.format(zone="UTC") + 'zone-names = {CST = "Asia/Shanghai", IST = "+05:30"}\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert billing_months(tmp_path) == {"2026-09": 3}
    # US Central without the setting: 13:00 UTC on 1 October
    billing_export(tmp_path, ["2026-10-01 07:00 CST"])
    project(tmp_path, DESK.format(zone="UTC"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert billing_months(tmp_path) == {"2026-09": 1, "2026-10": 1}


@pytest.mark.parametrize(
    "names",
    ['{CST = "Mars/Olympus"}', '{CST = "+25:00"}', '{"C T" = "UTC"}', "{CST = 8}"],
)
def test_a_zone_name_meaning_nothing_is_a_settings_error(tmp_path: Path, names: str) -> None:
    billing_export(tmp_path, ["2026-10-01 07:00 CST"])
    project(tmp_path, DESK.format(zone="UTC") + f"zone-names = {names}\n", {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    assert "journeymaps.toml:5" in out and "invalid-settings" in out, out


@pytest.mark.parametrize(
    "setting",
    ['zone-names = {{CST = "Asia/{long}"}}\n', 'zone-names = {{CST = "{long}"}}\n', ""],
)
def test_a_long_zone_in_the_settings_is_quoted_short(tmp_path: Path, setting: str) -> None:
    """A zone-names value (or a timezone) of 100,000 letters the schema lets by, as no zone
    Python knows: the error quoted it whole, 100 KB on one line of the log."""
    long = "A" * 100_000
    billing_export(tmp_path, ["2026-10-01 07:00 CST"])
    desk = DESK.format(zone="UTC" if setting else f"Asia/{long}")
    project(tmp_path, desk + setting.format(long=long), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "journeymaps.toml:" in out and ("is no time zone" in out or "unknown time zone" in out), out[:500]
    assert "A" * 60 not in out and len(out) < 1000, out[:500]


def test_a_long_zone_in_an_exports_header_is_quoted_short(tmp_path: Path) -> None:
    """Intercom's header names its zone ("Conversation started at (Europe/Paris)"): one of
    5,000 letters, no zone, was quoted whole in the error."""
    path = export(tmp_path, "intercom", "desk.csv", Spec(rows=20))
    long = "Asia/" + "A" * 5000
    path.write_text(path.read_text("utf-8").replace("(Europe/Paris)", f"({long})", 1), "utf-8")
    toml = '[sources.desk]\npreset = "intercom"\npath = "exports/desk.csv"\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = jm_here(tmp_path, "measure")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "unknown time zone" in out, out[:500]
    assert "A" * 60 not in out and len(out) < 1000, out[:500]


@pytest.mark.parametrize(("value", "month"), ON_THEIR_HALF_OF_THE_DAY.items())
def test_a_time_with_am_or_pm_is_read_on_its_half_of_the_day(
    in_tokyo: dict[str, Any], value: str, month: str
) -> None:
    """DuckDB's cast dropped PM: 08:00 PM in Tokyo was 08:00, 23:00 UTC on 30 September."""
    assert in_tokyo[value] == {month: 1}


def test_a_us_date_with_am_or_pm_is_read_by_the_presets_format(tmp_path: Path) -> None:
    """12/31/2026 11:59 PM (a desk's US locale, a spreadsheet's re-save) was no date of the
    preset's formats (%m/%d/%Y %H:%M), and was then said to be an unknown time zone 'PM'."""
    billing_export(tmp_path, ["09/30/2026 11:00 AM", "10/01/2026 08:00 PM", "10/01/2026 12:15 AM"])
    project(tmp_path, DESK.format(zone="Asia/Tokyo"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "not counted" not in out and "could not be read" not in out, out
    # 11:00 and 00:15 in Tokyo are the day before in UTC; 20:00 on 1 October is 11:00 UTC
    assert billing_months(tmp_path) == {"2026-09": 3, "2026-10": 1}


def test_a_time_with_am_or_pm_and_a_zone_is_read_at_its_instant(tmp_path: Path) -> None:
    """HubSpot shows 09/30/2026 11:00 PM EDT: it was said to be no time zone ('PM EDT')."""
    billing_export(
        tmp_path, ["09/30/2026 11:00 PM EDT", "2026-09-30 7:30 p.m. PDT", "2026-09-30 6:30 PM CDT"]
    )
    project(tmp_path, DESK.format(zone="Asia/Tokyo"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # 03:00 and 02:30 UTC on 1 October; 23:30 UTC on 30 September
    assert billing_months(tmp_path) == {"2026-09": 2, "2026-10": 2}


def test_an_unknown_zone_after_am_or_pm_is_named_alone(tmp_path: Path) -> None:
    billing_export(tmp_path, ["2026-09-30 11:00 PM AEST"])
    project(tmp_path, DESK.format(zone="UTC"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "'AEST' is no time zone" in out and '{AEST = "Area/City"}' in out, out
