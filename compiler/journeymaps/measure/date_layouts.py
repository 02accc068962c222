"""Times as programs and mail write them, each with its zone: JavaScript's ``Date.toString()``
(``Wed Sep 30 2026 22:00:00 GMT+0000 (Coordinated Universal Time)``), an email's RFC 2822
date (``Wed, 30 Sep 2026 22:00:00 +0000``, or ``GMT``, ``UT``, ``PDT``...; a year of two
digits as its obsolete syntax allows, ``30 Sep 26``, read as RFC 2822 says) and Go's
``time.Time.String()`` with its monotonic clock reading (``2026-09-30 22:00:00.123456789
+0000 UTC m=+0.000123456``). They were "no time zone measure reads" or "in none of the
formats read": each is read now at its offset, or at its zone's name as measure reads one
after any time (:func:`journeymaps.measure.sources.zone_meanings`). A day's name that is not
its date's, or an offset and a name that say two instants, is no time: said at its cell
(:func:`problem`, from :mod:`journeymaps.measure.zone_words`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from journeymaps.measure.offset_names import disagreement


@dataclass(frozen=True)
class Layout:
    """A way a program writes a time: its name (in messages), an example, and a regex whose
    named groups hold its parts: its date and time as written (``dow`` the day's name,
    ``day``, ``mon`` the month's name, ``year``, ``time``) or in ISO form (``iso``); its UTC
    ``offset``; a zone's name in place of an offset (``zone``); a zone's name after the
    offset, checked against it where measure knows the name (``label``)."""

    name: str
    example: str
    pattern: str
    #: A value that starts as this layout's do: one that then does not read is said to be
    #: no time of it (``Wen, 30 Sep...``, Go's ``m=+`` without its reading).
    looks_like: str

    @property
    def parts(self) -> list[str]:
        """Its groups' names, in their order."""
        index = re.compile(self.pattern).groupindex
        return sorted(index, key=lambda name: index[name])


_DOW = r"(?P<dow>[A-Za-z]{3})"
_DAY = r"(?P<day>[0-9]{1,2})"
_MON = r"(?P<mon>[A-Za-z]{3})"
_YEAR = r"(?P<year>[0-9]{4})"
#: RFC 2822's year: four digits, or two or three in its obsolete syntax (section 4.3), which
#: a reader must read: 00 to 49 is 2000 to 2049, 50 to 99 and any of three digits 1900 more
#: (26 is 2026, 126 is 2026 as old mail programs wrote it, 99 is 1999).
_MAIL_YEAR = r"(?P<year>[0-9]{2,4})"
#: An offset of hours and minutes (``+0000``, ``-0700``); RFC 2822's ``-0000`` is UTC.
_OFFSET = r"(?P<offset>[+-](?:[01][0-9]|2[0-3])[0-5][0-9])"

#: The layouts read; each is tried only where a value read in no other way.
LAYOUTS = (
    Layout(
        "JavaScript's Date.toString()",
        "Wed Sep 30 2026 22:00:00 GMT+0000 (Coordinated Universal Time)",
        # the zone's name in parentheses is the browser's words, in its language: not read
        rf"^{_DOW}\s+{_MON}\s+{_DAY}\s+{_YEAR}\s+(?P<time>[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}})"
        rf"\s+GMT{_OFFSET}(?:\s*\([^()]*\))?$",
        r"^[A-Za-z]{3}\s+[A-Za-z]{3}\s+[0-9]{1,2}\s+[0-9]{4}\s",
    ),
    Layout(
        "an email (RFC 2822)",
        "Wed, 30 Sep 2026 22:00:00 +0000",
        # the zone: an offset, and maybe a comment naming it (-0700 (PDT)); or a name
        # (GMT, UT, EST... as RFC 2822 defines them, and any the source's zone-names say)
        rf"^(?:{_DOW}\s*,\s*)?{_DAY}\s+{_MON}\s+{_MAIL_YEAR}\s+(?P<time>[0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}})?)"
        rf"\s*(?:{_OFFSET}(?:\s*\((?P<label>[^()]*)\))?|\s(?P<zone>[A-Za-z]+))$",
        # with its day's name: a date without one and without a zone (30 Sep 2026 10:00) is
        # any date in a format not read, counted and said as those are
        r"^[A-Za-z]{3}\s*,\s*[0-9]{1,2}\s+[A-Za-z]{3}\s+[0-9]{2,4}(?:\s|$)",
    ),
    Layout(
        "Go's time.Time.String()",
        "2026-09-30 22:00:00.123456789 +0000 UTC m=+0.000123456",
        # m=: seconds since the program started, no time of day: left out
        r"^(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?) "
        rf"{_OFFSET} (?P<label>[A-Za-z]+|[+-][0-9]{{2}}(?:[0-9]{{2}})?) m=[+-][0-9]+(?:\.[0-9]+)?$",
        r"\sm=",
    ),
)

#: Names RFC 2822 gives UTC beside those measure reads everywhere (``Z``, its military
#: zone of no offset, and ``UT``); a source's zone-names say otherwise.
_UTC_NAMES = {"UT": "+00:00", "Z": "+00:00"}
#: The formats of a date and time as the first two layouts write them, their parts joined.
_WALL_FORMATS = ("%d %b %Y %H:%M:%S", "%d %b %Y %H:%M")
#: The months' and days' names (English, as the layouts write them, whatever the locale).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: An instant any offset is compared at (offset_names' too).
_EPOCH = "2000-01-01 00:00:00"


def _positional(pattern: str) -> str:
    """``pattern`` with its named groups numbered instead (DuckDB names them itself)."""
    return re.sub(r"\(\?P<[a-z]+>", "(", pattern)


#: Every layout in one regex, and the names of its groups in order (a part's name and its
#: layout's number): DuckDB reads a value's parts with one search of it.
_ONE = "|".join(f"(?:{_positional(layout.pattern)})" for layout in LAYOUTS)
_GROUPS = [f"{part}{i}" for i, layout in enumerate(LAYOUTS) for part in layout.parts]
#: A value that starts as one of the layouts' do.
LOOKS_LIKE = "|".join(f"(?:{layout.looks_like})" for layout in LAYOUTS)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _part(name: str) -> str:
    """SQL: the part ``name`` of the layout a value is in ('' when none holds it)."""
    found = [f"jm__layout.{name}{i}" for i, layout in enumerate(LAYOUTS) if name in layout.parts]
    return " || ".join(found) if found else "''"


def instant(value: str, meanings: Mapping[str, str], zone: str) -> str:
    """SQL: ``value`` (SQL text) written in one of :data:`LAYOUTS`, as a local time of
    ``zone``; NULL when it is in none, when its day's name is not its date's, or when the
    name after its offset says another offset (``meanings``: upper-case names and what they
    mean, an offset or an IANA name). Its parts are named once, in lambdas: this is asked
    only of a value the field's other readers left NULL (COALESCE), never of most values."""
    cases = " ".join(f"WHEN {_q(w)} THEN {_q(z)}" for w, z in _names(meanings).items())
    label = _part("label")
    # what the zone's name means: one known, else a name that is an offset (Go's -03)
    meant = (
        f"COALESCE(CASE UPPER(TRIM({_part('zone')} || {label})) {cases} END, "
        f"CASE WHEN REGEXP_MATCHES({label}, '^[+-][0-9]{{2}}([0-9]{{2}})?$') THEN {label} END)"
    )
    date = " || ' ' || ".join([_part("day"), _part("mon"), _year(_part("year")), _part("time")])
    wall = (
        f"COALESCE(TRY_STRPTIME({date}, [{', '.join(_q(f) for f in _WALL_FORMATS)}]), "
        f"TRY_CAST(NULLIF({_part('iso')}, '') AS TIMESTAMP))"
    )
    # jm__time: the wall time, the offset ('' where a name stands for it), what the name
    # means, the day's name
    parts = f"{{'w': {wall}, 'o': {_part('offset')}, 'n': {meant}, 'd': {_part('dow')}}}"
    text = "STRFTIME(jm__time.w, '%Y-%m-%d %H:%M:%S.%f')"
    zoned = "CASE WHEN jm__time.o <> '' THEN jm__time.o ELSE jm__time.n END"
    # an IANA name after a space, an offset without one (DuckDB's cast reads both so)
    read = f"TRY_CAST({text} || CASE WHEN CONTAINS({zoned}, '/') THEN ' ' || {zoned} ELSE {zoned} END"
    read += " AS TIMESTAMPTZ)"
    day = "(jm__time.d = '' OR UPPER(jm__time.d) = UPPER(STRFTIME(jm__time.w, '%a')))"
    at = f"TRY_CAST({_q(_EPOCH)} || {{}} AS TIMESTAMPTZ)"  # one instant at an offset: offsets compared
    agrees = (
        "(jm__time.o = '' OR jm__time.n IS NULL OR CASE WHEN CONTAINS(jm__time.n, '/') "
        f"THEN TIMEZONE(jm__time.n, jm__time.w) = TRY_CAST({text} || jm__time.o AS TIMESTAMPTZ) "
        f"ELSE {at.format('jm__time.o')} = {at.format('jm__time.n')} END)"
    )
    body = f"CASE WHEN {day} AND COALESCE({agrees}, FALSE) THEN {read} END"
    groups = f"[{', '.join(_q(g) for g in _GROUPS)}]"
    # every layout has a letter: a blank cell (an open ticket's resolution), or a number,
    # is not searched (5 us a value in lambdas, for nothing)
    return (
        f"CASE WHEN REGEXP_MATCHES({value}, '[A-Za-z]') THEN TIMEZONE({_q(zone)}, "
        f"LIST_TRANSFORM([REGEXP_EXTRACT({value}, {_q(_ONE)}, {groups})], "
        f"lambda jm__layout: LIST_TRANSFORM([{parts}], lambda jm__time: {body})[1])[1]) END"
    )


def _full_year(written: str) -> int:
    """A year as RFC 2822 says to read one written with two or three digits (its obsolete
    syntax, section 4.3): 00 to 49 is 2000 to 2049; 50 to 99, and any of three digits, are
    1900 more. One of four digits is itself."""
    year = int(written)
    if len(written) == 2 and year < 50:
        return 2000 + year
    return 1900 + year if len(written) < 4 else year


def _year(year: str) -> str:
    """SQL: :func:`_full_year` of ``year`` (SQL text of digits), as text."""
    n = f"CAST({year} AS INTEGER)"
    return (
        f"(CASE LENGTH({year}) WHEN 2 THEN CAST({n} + CASE WHEN {n} < 50 THEN 2000 ELSE 1900 END AS VARCHAR) "
        f"WHEN 3 THEN CAST({n} + 1900 AS VARCHAR) ELSE {year} END)"
    )


def _names(meanings: Mapping[str, str]) -> dict[str, str]:
    """The zones' names read in these layouts (upper case) and what each means."""
    return _UTC_NAMES | {k.upper(): v for k, v in meanings.items()}


def problem(value: str, meanings: Mapping[str, str]) -> str | None:
    """Why ``value``, which starts as one of :data:`LAYOUTS` does, is no time; None when it
    does not start so, or when what is wrong is its zone's name alone (said as any other)."""
    for layout in LAYOUTS:
        found = re.match(layout.pattern, value)
        if found is None:
            continue
        parts = {k: v or "" for k, v in found.groupdict().items()}
        wall = _wall(parts)
        if wall is None:
            written = parts.get("iso") or " ".join(parts[p] for p in ("day", "mon", "year", "time"))
            return f"'{written}' is no day and time of the calendar"
        if parts.get("dow") and parts["dow"].title() != _DAYS[wall.weekday()][:3]:
            return (
                f"its day's name '{parts['dow']}' is not that of {_said_date(wall)}, a "
                f"{_DAYS[wall.weekday()]}: one of them is wrong, and which cannot be told. Export "
                "the times again, or correct the value"
            )
        label = parts.get("label", "").strip()
        if parts["offset"] and label:
            return _disagrees(wall, parts["offset"], label, meanings)
        return None
    for layout in LAYOUTS:
        if re.search(layout.looks_like, value):
            return (
                f"it is not quite a time as {layout.name} writes one ({layout.example}), which "
                "measure reads: export the times again, or as ISO 8601 with their offset "
                "(2026-09-30T22:00:00+00:00)"
            )
    return None


def _wall(parts: Mapping[str, str]) -> datetime | None:
    """A layout's date and time as written (no zone), or None where there is no such day."""
    try:
        if parts.get("iso"):  # to the second: what the checks compare
            return datetime.strptime(parts["iso"][:19], "%Y-%m-%d %H:%M:%S")
        # the names in English, as every layout writes them, whatever the locale
        month = _MONTHS.index(parts["mon"].title()) + 1 if parts["mon"].title() in _MONTHS else 0
        clock = [int(n) for n in parts["time"].split(":")] + [0]
        year = _full_year(parts["year"])
        return datetime(year, month, int(parts["day"]), clock[0], clock[1], clock[2])
    except ValueError:
        return None


def _said_date(wall: datetime) -> str:
    return f"{wall.day} {_MONTHS[wall.month - 1]} {wall.year}"


def _disagrees(wall: datetime, offset: str, label: str, meanings: Mapping[str, str]) -> str | None:
    """Why an offset and the name after it say two instants, or None."""
    zone = _names(meanings).get(label.upper())
    if zone is None or "/" not in zone:
        return disagreement(f"{wall:%Y-%m-%d %H:%M:%S} {offset} {label}", _names(meanings))
    east = int(offset[0] + "1") * (int(offset[1:3]) * 60 + int(offset[3:5]))
    there = wall.replace(tzinfo=ZoneInfo(zone)).utcoffset()
    if there == timedelta(minutes=east):
        return None
    return (
        f"its offset {offset} is not that of {label} ({zone}) at that time: it names two times, "
        "hours apart, and which one is meant cannot be told. Export the times with their offset "
        "alone, or with the name of their zone"
    )
