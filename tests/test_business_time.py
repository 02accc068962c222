"""SLAs in business time: 4bh and 2bd, counted in the business calendar of the settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import BASE, jm, write_files
from journeymaps import business_time
from journeymaps.business_time import Calendar

HANDOFF = BASE.replace(
    "    name: One\n", "    name: One\n    steps: [{id: a, name: A, lane: backstage}]\n"
).replace("    name: Two\n", "    name: Two\n    steps: [{id: b, name: B, lane: backstage}]\n")


@pytest.mark.parametrize(
    ("sla", "longest"),
    [
        ("4bh", dt.timedelta(days=2, hours=20)),  # Friday 17:00 to Monday 13:00
        ("1bd", dt.timedelta(days=3)),  # Friday 17:00 to Monday 17:00
        ("2bd", dt.timedelta(days=4)),
        ("9bh", dt.timedelta(days=3, hours=17)),  # a business day is 8 hours: into Tuesday
    ],
)
def test_the_longest_calendar_wait_of_a_business_time_sla(sla: str, longest: dt.timedelta) -> None:
    assert business_time.longest_wait(sla, Calendar()) == longest


def test_holidays_and_other_hours_lengthen_the_wait() -> None:
    calendar = Calendar.from_toml({"hours": "08:00-18:00", "holidays": ["2026-12-24", "2026-12-25"]})
    assert calendar.describe() == "Mon\u2013Fri 08:00\u201318:00"
    # Wednesday 18:00 before Christmas: closed Thursday to Sunday, then two 10-hour days.
    assert business_time.longest_wait("2bd", calendar) == dt.timedelta(days=6)


def test_calendar_time_is_not_business_time() -> None:
    assert business_time.longest_wait("4h", Calendar()) is None
    assert business_time.calendar_minutes("2d") == 2880
    assert business_time.calendar_minutes("2bd") is None  # not measured as 2,880 minutes


def test_business_time_slas_are_valid_and_a_typo_says_what_is(project) -> None:
    ok = HANDOFF + "handoffs: [{from: one.a, to: two.b, sla: 2bd, context: carried}]\n"
    assert project({"m.yaml": ok}) == []
    found = project({"m.yaml": ok.replace("2bd", "2db")})
    assert (
        "'2db' is not a duration: write a number and m, h, d or w (calendar time, e.g. 30m, 4h, 2d), or bh or bd"
        in (found[0].message)
    )


def test_the_site_says_what_a_business_time_sla_means_to_the_customer(tmp_path: Path) -> None:
    text = HANDOFF + "handoffs: [{from: one.a, to: two.b, sla: 4bh, context: carried}]\n"
    settings = '[business-calendar]\ndays = ["mon", "tue", "wed", "thu"]\nhours = "10:00-16:00"\n'
    write_files(tmp_path, {"maps/m.yaml": text, "journeymaps.toml": settings})
    result = jm(tmp_path, "build", "-o", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "maps" / "m.html").read_text()
    # Thursday 16:00 to Monday 14:00.
    assert (
        '<td class="sla" data-label="SLA">4 business hours (Mon\u2013Thu 10:00\u201316:00), up to 3 days 22 hours for the customer</td>'
        in page
    )


def test_a_business_calendar_that_closes_before_it_opens_is_a_settings_error(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"maps/m.yaml": BASE, "journeymaps.toml": '[business-calendar]\nhours = "17:00-09:00"\n'}
    )
    result = jm(tmp_path, "lint")
    assert result.returncode == 2
    assert (
        "journeymaps.toml:2:9: JM007 [invalid-settings] error: business-calendar.hours: the business must close after it opens"
        in (result.stdout)
    )


def test_an_absurd_business_time_sla_is_shown_as_written() -> None:
    assert business_time.longest_wait("99999999999bd", Calendar()) is None
    assert business_time.longest_wait("500bh", Calendar()) is None  # 62.5 business days: past the cap
    assert business_time.longest_wait("60bd", Calendar()) == dt.timedelta(days=84)  # 12 weeks from Friday


@pytest.mark.parametrize("holiday", ["0001-01-02", "9999-12-31"])
def test_a_holiday_at_the_end_of_the_calendar_keeps_the_map_page(tmp_path: Path, holiday: str) -> None:
    """The year the longest wait is worked out over starts a week before the first holiday:
    one in year 1 or 9999 left the calendar, and the map's page was left out of the site
    ("could not be rendered: OverflowError: date value out of range")."""
    text = HANDOFF + "handoffs: [{from: one.a, to: two.b, sla: 2bd, context: carried}]\n"
    settings = f'[business-calendar]\nholidays = ["{holiday}"]\n'
    write_files(tmp_path, {"maps/m.yaml": text, "journeymaps.toml": settings})
    result = jm(tmp_path, "build", "-o", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "maps" / "m.html").read_text()
    assert "2 business days (Mon\u2013Fri 09:00\u201317:00), up to 4 days for the customer" in page
