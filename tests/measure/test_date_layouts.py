"""Times as programs and mail write them, each with its zone, are read at their instant:
JavaScript's Date.toString() (``Wed Sep 30 2026 22:00:00 GMT+0000 (Coordinated Universal
Time)``) and Go's time.Time.String() with its monotonic reading (``... +0000 UTC
m=+0.000123456``) were refused ("'GMT+0000 (...)' is no time zone measure reads"), an email's
RFC 2822 date (``Wed, 30 Sep 2026 22:00:00 +0000``) counted as no date. One whose day's name
is not its date's, whose offset and name disagree, or that is nearly but not quite one of
them stops measure at its cell."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from measured_at_once import measure_here, months_in_tokyo, stopped_at_its_cell
from measuring import ONE_TAG_MAP, billing_export, billing_months, project

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "{zone}"\n'

#: Values and the month (UTC) each is counted in, the source's zone Tokyo: read as Tokyo's
#: local time, those of 1 October after 09:00 would be October's, those of 30 September
#: after 15:00 at a negative offset September's.
AT_THEIR_INSTANT = {
    # JavaScript's Date.toString(): the name in parentheses is the browser's, in its language
    "Wed Sep 30 2026 22:00:00 GMT+0000 (Coordinated Universal Time)": "2026-09",
    "Wed Sep 30 2026 17:30:00 GMT-0700 (Pacific Daylight Time)": "2026-10",  # 00:30 UTC
    "Thu Oct 01 2026 09:30:00 GMT+1000 (Australian Eastern Standard Time)": "2026-09",
    "Thu Oct 01 2026 10:00:00 GMT+0200 (Mitteleuropäische Sommerzeit)": "2026-10",
    "Thu Oct 01 2026 09:30:00 GMT+1000": "2026-09",
    # RFC 2822: an offset, RFC 2822's names of zones (as measure reads them after any time)
    "Wed, 30 Sep 2026 22:00:00 +0000": "2026-09",
    "Wed, 30 Sep 2026 17:30:00 -0700": "2026-10",
    "Thu, 1 Oct 2026 09:30:00 +1000": "2026-09",
    "Thu, 01 Oct 2026 09:30 +1000": "2026-09",  # seconds are optional
    "1 Oct 2026 09:30:00 +1000": "2026-09",  # so is the day's name
    "thu, 01 oct 2026 09:30:00 +1000": "2026-09",
    "Wed, 30 Sep 2026 23:30:00 -0000": "2026-09",  # UTC, the local zone not said
    "Wed, 30 Sep 2026 23:30:00 GMT": "2026-09",
    "Wed, 30 Sep 2026 23:30:00 UT": "2026-09",
    "Wed, 30 Sep 2026 23:30:00 Z": "2026-09",
    "Wed, 30 Sep 2026 20:30:00 EDT": "2026-10",
    "Wed, 30 Sep 2026 18:30:00 CST": "2026-10",  # US Central, as RFC 2822 and measure say
    "Wed, 30 Sep 2026 17:30:00 PDT": "2026-10",
    "Wed, 30 Sep 2026 17:30:00 pdt": "2026-10",
    "Wed, 30 Sep 2026 17:30:00 -0700 (PDT)": "2026-10",  # a comment naming the zone
    "Thu, 1 Oct 2026 10:00:00 +0200 (CEST)": "2026-10",  # one measure does not know
    # RFC 2822's obsolete years (section 4.3): 00-49 are 2000-2049, three digits 1900 more
    "Wed, 30 Sep 26 22:00:00 +0000": "2026-09",
    "Thu, 1 Oct 26 09:30 +1000": "2026-09",
    "Wed, 30 Sep 26 17:30:00 PDT": "2026-10",
    "Wed, 30 Sep 126 22:00:00 +0000": "2026-09",
    # Go's time.Time.String(): m= is the program's clock, no time of day; the offset rules
    "2026-09-30 22:00:00.123456789 +0000 UTC m=+0.000123456": "2026-09",
    "2026-09-30 21:30:00.5 -0300 -03 m=+12.500000001": "2026-10",
    "2026-09-30 17:30:00 -0700 PDT m=-1.000000001": "2026-10",
    "2026-10-01 09:30:00 +1000 AEST m=+3600.25": "2026-09",
}


@pytest.fixture(scope="module")
def in_tokyo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The values above measured in one export and one run, each its own tickets and
    selector."""
    return months_in_tokyo(
        tmp_path_factory,
        "date_layouts_in_tokyo",
        list(AT_THEIR_INSTANT),
        unsaid=("not counted", "does not read"),
    )


@pytest.mark.parametrize(("value", "month"), AT_THEIR_INSTANT.items())
def test_a_time_as_javascript_an_email_or_go_writes_it_is_read_at_its_instant(
    in_tokyo: dict[str, Any], value: str, month: str
) -> None:
    assert in_tokyo[value] == {month: 1}


def test_a_zone_name_in_an_email_date_means_what_the_source_says(tmp_path: Path) -> None:
    """zone-names apply to an email's date as to any time: CST said to be China's."""
    billing_export(tmp_path, ["Thu, 01 Oct 2026 07:00:00 CST", "Thu, 01 Oct 2026 05:00:00 IST"])
    toml = DESK.format(zone="UTC") + 'zone-names = {CST = "Asia/Shanghai", IST = "+05:30"}\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # 23:00 and 23:30 UTC on 30 September (US Central's CST was 13:00 UTC on 1 October)
    assert billing_months(tmp_path) == {"2026-09": 3}


def test_the_times_of_another_column_are_read_so_too(tmp_path: Path) -> None:
    """A HubSpot export's creation and close dates in these layouts, each pair 90 minutes
    apart: the resolution time is 90 minutes for every ticket."""
    pairs = [
        ("Wed Sep 30 2026 10:00:00 GMT-0700 (Pacific Daylight Time)", "Wed, 30 Sep 2026 18:30:00 +0000"),
        ("Wed, 30 Sep 2026 17:00:00 GMT", "Wed Sep 30 2026 13:30:00 GMT-0500 (Central Daylight Time)"),
        ("2026-09-30 17:00:00.000000001 +0000 UTC m=+0.1", "Wed, 30 Sep 2026 11:30:00 PDT"),
    ]
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(("Ticket ID", "Create date", "Close date", "Category"))
        out.writerows(
            (f"{n}-{i}", created, closed, "Billing")
            for n, (created, closed) in enumerate(pairs)
            for i in range(5)
        )
    toml = '[sources.desk]\npreset = "hubspot"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "does not read" not in result.stdout + result.stderr
    snap = json.loads((tmp_path / "metrics" / "m.json").read_text("utf-8"))
    month = snap["series"]["desk|tag:billing"]["months"]
    assert month == {"2026-09": {"contacts": 15, "ttr": 90.0, "ttr_p90": 90.0}}


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "Thu Sep 30 2026 22:00:00 GMT+0000 (Coordinated Universal Time)",
            "its day's name 'Thu' is not that of 30 Sep 2026, a Wednesday",
        ),
        ("Thu, 30 Sep 2026 22:00:00 +0000", "its day's name 'Thu' is not that of 30 Sep 2026, a Wednesday"),
        ("Wen, 30 Sep 2026 22:00:00 GMT", "its day's name 'Wen' is not that of 30 Sep 2026, a Wednesday"),
        ("Wed, 31 Sep 2026 22:00:00 +0000", "'31 Sep 2026 22:00:00' is no day and time of the calendar"),
        # a year of two digits as RFC 2822 reads it: 49 is 2049, 50 is 1950
        ("Fri, 30 Sep 49 22:00:00 +0000", "its day's name 'Fri' is not that of 30 Sep 2049, a Thursday"),
        ("Fri, 30 Sep 50 22:00:00 +0000", "its day's name 'Fri' is not that of 30 Sep 1950, a Saturday"),
        ("Wed, 30 Sep 2026 22:00:00 +0000 (EST)", "its offset +0000 is not that of EST (-05:00)"),
        ("2026-09-30 22:00:00 +0000 EST m=+0.5", "its offset +0000 is not that of EST (-05:00)"),
        ("2026-09-30 22:00:00 +0000 UTC m=+", "not quite a time as Go's time.Time.String() writes one"),
        ("2026-09-30 m=+0.000123456", "not quite a time as Go's time.Time.String() writes one"),
        ("Wed, 30 Sep 2026", "not quite a time as an email (RFC 2822) writes one"),
        ("Wed, 30 Sep 2026 22:00:00 IST", "'IST' is no time zone measure reads"),
        # a military zone but Z: RFC 2822 says their signs were written both ways
        ("Wed, 30 Sep 2026 22:00:00 A", "'A' is no time zone measure reads"),
    ],
)
def test_a_time_nearly_so_written_is_an_error_at_its_cell(tmp_path: Path, value: str, said: str) -> None:
    out = stopped_at_its_cell(tmp_path, value)
    assert said in out and "'Created at'" in out, out


def test_a_wall_time_in_a_month_name_without_zone_is_still_a_date_in_no_format(tmp_path: Path) -> None:
    """30 Sep 2026 10:00 has no zone nor day's name: any date in a format not read, counted
    and said as those are (a format can be named for it), not an error."""
    billing_export(tmp_path, ["30 Sep 2026 10:00"])
    project(tmp_path, DESK.format(zone="UTC"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert (
        "exports/desk.csv:7:7: column 'Created at': '30 Sep 2026 10:00' is in none of the formats read" in out
    )


def test_a_json_lines_export_s_times_are_read_so_too(tmp_path: Path) -> None:
    """The same values in an API's JSON Lines export (read as text, as CSV is)."""
    values = {
        "Wed Sep 30 2026 17:30:00 GMT-0700 (Pacific Daylight Time)": "2026-10",
        "Thu, 01 Oct 2026 09:30:00 +1000": "2026-09",
        "2026-09-30 17:30:00 -0700 PDT m=+0.000123456": "2026-10",
    }
    path = tmp_path / "exports" / "desk.jsonl"
    path.parent.mkdir(parents=True)
    rows = [{"Id": f"P-{i}", "Created at": "2026-09-15 12:00", "Tags": "billing"} for i in range(5)]
    rows += [
        {"Id": f"{n}-{i}", "Created at": v, "Tags": "billing"} for n, v in enumerate(values) for i in range(5)
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    toml = DESK.format(zone="Asia/Tokyo").replace("desk.csv", "desk.jsonl")
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "does not read" not in result.stdout + result.stderr
    assert billing_months(tmp_path) == {"2026-09": 2, "2026-10": 2}
