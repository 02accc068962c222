"""A time with its UTC offset and then its zone's name: the layout Go programs write
(``2026-09-30 10:00:00 +0000 UTC``, ``-0300 -03`` where a zone has no abbreviation), the name
in parentheses (``+0000 (UTC)``) or in brackets (Java's ``2026-09-30T10:00+02:00[Europe/Paris]``).
The offset says the instant: the value is read at it, its name checked against it where
measure knows what the name means (``+0000 EST`` names two instants: no time, an error at its
cell). Such a value was said to have "no time zone measure reads"."""

from __future__ import annotations

import re
from collections.abc import Mapping

#: A zone's name after an offset: letters (UTC, CEST, an IANA name), or an offset again (Go
#: writes ``-03`` for a zone without letters).
_NAME = r"[A-Za-z][A-Za-z0-9_/+-]*|[+-][0-9]{2}(?::?[0-9]{2})?"
#: The time, its offset, and the name after it (after a space, in parentheses or brackets).
OFFSET_NAMED = (
    r"^(?P<wall>.*[0-9]:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)\s*"
    r"(?P<offset>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)"
    rf"(?P<after>\s+(?:{_NAME})|\s*\((?:{_NAME})\)|\s*\[(?:{_NAME})\])$"
)
_GROUPS = re.compile(OFFSET_NAMED).groupindex
#: What is around a name: taken off (`` (UTC)`` is UTC).
_AROUND = " \t()[]"
#: An instant any offset is compared at: the same for every value (a fixed offset's).
_EPOCH = "2000-01-01 00:00:00"


def at_offset(value: str, meanings: Mapping[str, str]) -> str:
    """SQL: ``value`` (SQL text) as its time and its offset (``2026-09-30 10:00:00+0000``)
    when an offset and a name follow its time and the name does not mean another offset
    (``meanings``: upper-case names and what they mean, an offset or an IANA name), else
    NULL. Each part is ``value``'s text again: this is asked only of a value the field's
    formats did not read (a copy in every test of every value was a query of megabytes)."""
    part = {g: f"REGEXP_EXTRACT({value}, {_quoted(OFFSET_NAMED)}, {i})" for g, i in _GROUPS.items()}
    name = f"UPPER(TRIM({part['after']}, {_quoted(_AROUND)}))"
    offset = part["offset"]
    fixed = " ".join(
        f"WHEN {_quoted(w.upper())} THEN {_quoted(z)}" for w, z in meanings.items() if _is_offset(z)
    )
    # a name that is an offset (Go's -03) is compared as one; one measure does not know
    # (CEST, an IANA name in Java's brackets) it cannot check: the offset is the instant
    meant = f"CASE {name} {fixed} ELSE CASE WHEN LEFT({name}, 1) IN ('+', '-') THEN {name} END END"
    zoned = [(w, z) for w, z in meanings.items() if not _is_offset(z)]
    checks = [f"{_at(offset)} = {_at(meant)}"]
    if zoned:  # a source's zone-names of IANA names: the zone's offset at that time, where it reads
        instant = f"TRY_CAST({part['wall']} || {offset} AS TIMESTAMPTZ)"
        wall = f"TRY_CAST({part['wall']} AS TIMESTAMP)"
        cases = " ".join(
            f"WHEN {_quoted(w.upper())} THEN TIMEZONE({_quoted(z)}, {instant}) = {wall}" for w, z in zoned
        )
        checks.append(f"CASE {name} {cases} END")
    agrees = f"COALESCE({', '.join(checks)}, TRUE)"
    return (
        f"(CASE WHEN REGEXP_MATCHES({value}, {_quoted(OFFSET_NAMED)}) AND {agrees} "
        f"THEN {part['wall']} || {offset} END)"
    )


def zone_is_read(value: str, meanings: Mapping[str, str]) -> str:
    """SQL true when what follows the time of ``value`` is a zone measure reads: an offset,
    an offset with a name that does not say otherwise, a name of ``meanings``, an IANA name.
    A value such as that which does not read has a date in none of the formats read, and
    is said so: not that its zone is none measure reads (``+05:30`` was)."""
    time = r"[0-9]:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    offset = rf"^.*{time}\s*([Zz]|[+-][0-9]{{2}}(:?[0-9]{{2}})?)$"
    # the name after AM or PM: EST is read in 30.09.2026 11:00 PM EST, a date in no format
    # read, which was said to be "'EST', no time zone measure reads"
    after = "^.*" + time + r"(?:\s*[AaPp]\.?[Mm]\.?)?\s+(.+)$"
    name = f"REGEXP_EXTRACT({value}, {_quoted(after)}, 1)"
    known = ", ".join(_quoted(w.upper()) for w in meanings) or "''"
    iana = f"CONTAINS({name}, '/') AND TRY_CAST({_quoted(_EPOCH + ' ')} || {name} AS TIMESTAMPTZ) IS NOT NULL"
    return (
        f"(REGEXP_MATCHES({value}, {_quoted(offset)}) OR UPPER({name}) IN ({known}) OR ({iana}) "
        f"OR {at_offset(value, meanings)} IS NOT NULL)"
    )


def disagreement(value: str, meanings: Mapping[str, str]) -> str | None:
    """Why ``value`` is no time when its offset and its zone's name say two instants
    (``+0000 EST``), or None."""
    found = re.search(OFFSET_NAMED, value)
    if found is None:
        return None
    name = found["after"].strip(_AROUND)
    offset = found["offset"]
    zone = {w.upper(): z for w, z in meanings.items()}.get(name.upper())
    if zone is None and _is_offset(name):  # Go's -03
        zone = name
    if zone is None or (_is_offset(zone) and _minutes(zone) == _minutes(offset)):
        return None  # an IANA name's offset at that time: said only where the SQL says it differs
    return (
        f"its offset {offset} is not that of {name} ({zone}): it names two times, hours apart, "
        "and which one is meant cannot be told. Export the times with their offset alone, or "
        f"with the name of their zone"
    )


def _is_offset(zone: str) -> bool:
    return re.fullmatch(r"[Zz]|[+-][0-9]{2}(:?[0-9]{2})?", zone) is not None


def _minutes(offset: str) -> int:
    """An offset's minutes east of UTC (``-05:30`` is -330)."""
    digits = offset.replace(":", "")[1:] + "00"
    sign = -1 if offset.startswith("-") else 1
    return 0 if offset in ("Z", "z") else sign * (int(digits[:2]) * 60 + int(digits[2:4]))


def _at(offset: str) -> str:
    """SQL: the instant of one and the same time at ``offset`` (SQL text): two offsets are
    the same when their instants are."""
    return f"TRY_CAST({_quoted(_EPOCH)} || {offset} AS TIMESTAMPTZ)"


def _quoted(text: str) -> str:
    """``text`` as an SQL string (sources.sql_string's: that module reads this one)."""
    return "'" + text.replace("'", "''") + "'"
