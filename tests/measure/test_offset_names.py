"""A time with its offset and then its zone's name, as Go's time.Time.String() writes it
(``2006-01-02 15:04:05.999999999 -0700 MST``: ``+0000 UTC``, ``-0300 -03`` for a zone without
letters), in parentheses (``+0000 (UTC)``) or Java's brackets (ZonedDateTime.toString():
``2026-09-30T10:00+02:00[Europe/Paris]``), is read at its offset; a name that says another
offset is an error at its cell. All were refused: "'+0000 UTC' is no time zone measure reads"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from measured_at_once import measure_here, months_in_tokyo, stopped_at_its_cell
from measuring import ONE_TAG_MAP, billing_export, project

from conftest import jm

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "{zone}"\n'


#: Values and the month (UTC) each is counted in, the source's zone Tokyo.
AT_THE_OFFSET = {
    "2026-09-30 23:30:00 +0000 UTC": "2026-09",  # Tokyo's 1 October, read at UTC
    "2026-09-30 23:30:00.123456789 +0000 UTC": "2026-09",
    "2026-09-30 23:30:00 +0000 (UTC)": "2026-09",
    "2026-10-01 02:00:00 +0530 IST": "2026-09",  # a name measure does not know: the offset
    "2026-10-01 01:00:00 +0200 CEST": "2026-09",
    "2026-09-30 21:30:00 -0300 -03": "2026-10",  # 00:30 UTC on 1 October
    "2026-09-30 22:30:00 -0400 EDT": "2026-10",
    "2026-09-30 22:30:00 -0400 edt": "2026-10",
    "2026-10-01T01:00+02:00[Europe/Paris]": "2026-09",
    "2026-09-30T23:30Z[UTC]": "2026-09",
    "09/30/2026 22:30 -0400 EDT": "2026-10",  # the preset's US format, then the offset
}


@pytest.fixture(scope="module")
def in_tokyo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The values above measured in one export and one run, each its own tickets and
    selector (a run each: 1.5 s of CPU each, for what is a value's reading)."""
    return months_in_tokyo(tmp_path_factory, "offset_names_in_tokyo", list(AT_THE_OFFSET))


@pytest.mark.parametrize(("value", "month"), AT_THE_OFFSET.items())
def test_an_offset_then_a_zone_name_is_read_at_the_offset(
    in_tokyo: dict[str, Any], value: str, month: str
) -> None:
    assert in_tokyo[value] == {month: 1}


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2026-09-30 23:30:00 +0000 EST", "its offset +0000 is not that of EST (-05:00)"),
        ("2026-09-30 23:30:00 -0300 (PDT)", "its offset -0300 is not that of PDT (-07:00)"),
        ("2026-09-30 23:30:00 -0300 -02", "its offset -0300 is not that of -02"),
        ("2026-09-30 23:30:00 +0100 UTC", "its offset +0100 is not that of UTC (+00:00)"),
    ],
)
def test_a_zone_name_that_says_another_offset_is_an_error_at_its_cell(
    tmp_path: Path, value: str, said: str
) -> None:
    out = stopped_at_its_cell(tmp_path, value)
    assert said in out and f"'{value}'" in out, out


def test_a_zone_name_said_to_be_an_iana_zone_is_checked_at_that_time(tmp_path: Path) -> None:
    """zone-names = {CET = "Europe/Paris"}: Paris is +02:00 in July, +01:00 in December."""
    toml = DESK.format(zone="UTC") + 'zone-names = {CET = "Europe/Paris"}\n'
    billing_export(tmp_path, ["2026-07-01 10:00:00 +0200 CET", "2026-12-01 10:00:00 +0100 CET"])
    project(tmp_path, toml, {"m.yaml": ONE_TAG_MAP})
    result = jm(tmp_path, "measure")
    assert result.returncode == 0, result.stdout + result.stderr
    billing_export(tmp_path, ["2026-07-01 10:00:00 +0100 CET"])
    result = jm(tmp_path, "measure")
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "its offset +0100 is not that of CET (Europe/Paris)" in out, out


@pytest.mark.parametrize(
    "value",
    [
        "30.09.2026 10:00 +05:30",
        "30.09.2026 10:00:00 +0000 UTC",
        "30.09.2026 10:00 CDT",
        "30.09.2026 11:00 PM EST",
        "30.09.2026 10:00:30",
    ],
)
def test_a_date_in_no_format_read_before_a_zone_it_reads_is_said_so(tmp_path: Path, value: str) -> None:
    """'+05:30' was said to be "no time zone measure reads", beside "measure reads offsets
    (+05:30...)", as were EST after PM and a time's seconds (':30'): the date is what does
    not read, counted and said as any other such date."""
    billing_export(tmp_path, [value])
    project(tmp_path, DESK.format(zone="UTC"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "no time zone measure reads" not in out, out
    assert f"exports/desk.csv:7:7: column 'Created at': '{value}' is in none of the formats read" in out, out
