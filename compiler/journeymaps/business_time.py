"""Durations in calendar or business time, and what a business-time SLA means to a customer.

``30m``, ``4h``, ``2d``, ``1w`` are calendar time; ``4bh`` (business hours) and ``2bd``
(business days) count only the opening hours of the business calendar in the settings
(``[business-calendar]``: days, hours, holidays). A customer waits in calendar time, so the
site shows a business-time SLA with the longest calendar wait it allows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from journeymaps.records import record

DURATION = re.compile(r"^([1-9][0-9]*)(m|h|d|w|bh|bd)$")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CALENDAR_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
_UNIT_WORDS = {
    "m": "minute",
    "h": "hour",
    "d": "day",
    "w": "week",
    "bh": "business hour",
    "bd": "business day",
}


@record(slots=True)
class Calendar:
    """The business calendar: working days (0 = Monday), opening hours, holidays."""

    days: frozenset[int] = frozenset(range(5))
    opens: dt.time = dt.time(9)
    closes: dt.time = dt.time(17)
    holidays: frozenset[dt.date] = frozenset()

    @classmethod
    def from_toml(cls, d: Mapping[str, Any]) -> Calendar:
        days = frozenset(DAY_NAMES.index(name) for name in d.get("days", DAY_NAMES[:5]))
        opens, _, closes = str(d.get("hours", "09:00-17:00")).partition("-")
        return cls(
            days,
            dt.time.fromisoformat(opens),
            dt.time.fromisoformat(closes),
            frozenset(dt.date.fromisoformat(str(h)) for h in d.get("holidays", ())),
        )

    @property
    def day_minutes(self) -> int:
        return (self.closes.hour * 60 + self.closes.minute) - (self.opens.hour * 60 + self.opens.minute)

    def describe(self) -> str:
        """``Mon-Fri 09:00-17:00`` (with en dashes)."""
        names = [DAY_NAMES[i].capitalize() for i in sorted(self.days)]
        runs = sorted(self.days)
        span = (
            f"{names[0]}\u2013{names[-1]}" if runs == list(range(runs[0], runs[-1] + 1)) else ", ".join(names)
        )
        return f"{span} {self.opens:%H:%M}\u2013{self.closes:%H:%M}"

    def is_open(self, day: dt.date) -> bool:
        return day.weekday() in self.days and day not in self.holidays


def parse(text: str) -> tuple[int, str] | None:
    m = DURATION.match(text)
    return (int(m[1]), m[2]) if m else None


def is_business(text: str | None) -> bool:
    found = parse(text or "")
    return found is not None and found[1] in ("bh", "bd")


def calendar_minutes(text: str | None) -> float | None:
    """A calendar duration in minutes; None for business time (its length depends on when it starts)."""
    found = parse(text or "")
    if found is None or found[1] not in _CALENDAR_MINUTES:
        return None
    return float(found[0] * _CALENDAR_MINUTES[found[1]])


def words(text: str) -> str:
    """``2bd`` → ``2 business days``."""
    found = parse(text)
    if found is None:
        return text
    n, unit = found
    return f"{n} {_UNIT_WORDS[unit]}{'' if n == 1 else 's'}"


#: Business days beyond which no longest wait is worked out: a quarter of business time is
#: not an SLA anyone waits out, and each extra day costs a walk over the year.
MAX_BUSINESS_DAYS = 60

#: The days :func:`longest_wait` walks: a year of starts, and the weeks the last one may take.
WINDOW_DAYS = 400
_EARLIEST = dt.date.min + dt.timedelta(days=7)
_LATEST = dt.date.max - dt.timedelta(days=WINDOW_DAYS - 7)


@cache
def longest_wait(text: str, calendar: Calendar) -> dt.timedelta | None:
    """The longest calendar time a business-time duration can take: the clock starting just
    as the business closes before the longest run of closed days, over a year that holds the
    calendar's first holidays (a fixed year without them: the same answer on every run)."""
    found = parse(text)
    if found is None or found[1] not in ("bh", "bd") or not calendar.days or calendar.day_minutes <= 0:
        return None
    n, unit = found
    need = n * (calendar.day_minutes if unit == "bd" else 60)
    if need > MAX_BUSINESS_DAYS * calendar.day_minutes:
        return None
    first = min(calendar.holidays) if calendar.holidays else dt.date(2026, 1, 12)
    # Kept inside the calendar: a holiday in year 1 or 9999 put the window outside it, and
    # the map's page was left out of the site (OverflowError: date value out of range).
    start = min(max(first, _EARLIEST), _LATEST) - dt.timedelta(days=7)
    worst = dt.timedelta(0)
    days = [start + dt.timedelta(days=i) for i in range(WINDOW_DAYS)]
    for i, day in enumerate(days[:366]):
        if not calendar.is_open(day):
            continue
        begin = dt.datetime.combine(day, calendar.closes)
        end = _finish(days[i + 1 :], calendar, need)
        if end is not None:
            worst = max(worst, end - begin)
    return worst or None


def _finish(days: Sequence[dt.date], calendar: Calendar, need: int) -> dt.datetime | None:
    left = need
    for day in days:
        if not calendar.is_open(day):
            continue
        if left <= calendar.day_minutes:
            return dt.datetime.combine(day, calendar.opens) + dt.timedelta(minutes=left)
        left -= calendar.day_minutes
    return None


def wait_words(delta: dt.timedelta) -> str:
    """``3 days 16 hours``: how long a customer may wait, in calendar time."""
    hours = round(delta.total_seconds() / 3600)
    days, hours = divmod(hours, 24)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts) or "under an hour"
