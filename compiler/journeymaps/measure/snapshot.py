"""Snapshots: the measured numbers of one map, small and deterministic, kept in the repository.

``metrics/<map-id>.json`` holds, per selector and month, the aggregates of
:mod:`journeymaps.measure.metrics` and nothing else: no ticket id, text, name or email.
A month where a selector matched fewer than ``k`` contacts (or customers) is written as
``{"suppressed": true}``, and a metric computed over fewer than ``k`` tickets or responses
as null. The same data gives the same bytes: keys sorted, numbers rounded, no run time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from journeymaps.reading import Refused, json_value, read_regular, stat_of
from journeymaps.records import record

VERSION = 1


@record
class Sla:
    """A handoff's SLA as measured: its length in minutes, and the ticket's clock it is held
    against (``resolution`` or ``first-reply``: the handoff's ``sla_clock``)."""

    minutes: float
    clock: str = "resolution"


def series_key(source: str, selector: str, sla: Sla | None = None) -> str:
    """A series' key: the source, the selector's canonical spelling, and a handoff's SLA
    (its clock named unless it is the resolution, so that earlier snapshots keep their keys)."""
    key = f"{source}|{selector}"
    if sla is None:
        return key
    return f"{key}|sla={sla.minutes:g}m" + (f"|{sla.clock}" if sla.clock != "resolution" else "")


@record
class Snapshot:
    """A map's snapshot, read back."""

    map_id: str
    as_of: str | None
    k: int
    months: tuple[str, ...]
    series: Mapping[str, Mapping[str, Any]]
    sources: Mapping[str, Mapping[str, Any]]
    path: Path
    #: The file's bytes' SHA-256: what the site's diagrams showing measured numbers are keyed by.
    digest: str = ""

    def months_of(self, key: str) -> dict[str, dict[str, Any]]:
        found = self.series.get(key)
        return dict(found["months"]) if found else {}

    def values(self, key: str, metric: str) -> list[tuple[str, float | None]]:
        """(month, value) in month order; None for a suppressed or unmeasurable month."""
        months = self.months_of(key)
        out: list[tuple[str, float | None]] = []
        for month in sorted(months):
            cell = months[month]
            value = None if cell.get("suppressed") else cell.get(metric)
            out.append((month, measured_number(value)))
        return out

    def no_figure(self, key: str, metric: str, month: str) -> str:
        """Why ``month`` of a series has no figure for ``metric``, in a director's words, by
        the rule ``journeymaps measure`` kept it out by (its ``_cell``): a month of fewer
        than k contacts (or customers, or responses) is only marked suppressed, a metric
        over fewer than k of what it counts is null, one the export lacks is left out. How many
        there were is never kept (k-anonymity): only that they were too few."""
        cell = self.months_of(key).get(month, {})
        survey = self.sources.get(key.split("|", 1)[0], {}).get("kind") == "survey"
        if cell.get("suppressed"):
            counted = "responses" if survey else "contacts or customers"
            return f"too few {counted} (at least {self.k} needed)"
        size = "responses" if survey else "contacts"
        if metric != size and cell.get(size) == 0:
            return f"no {size}"  # a month of none is written as a count of 0 and nothing else
        if metric in cell and cell[metric] is None:
            counted = "responses" if survey else COUNTED.get(metric.removesuffix("_p90"), "tickets")
            return f"too few {counted} (at least {self.k} needed)"
        if metric in cell:
            return "not a number"  # a hand-edited snapshot: never read as one
        return "not in the data measured"


#: What a ticket metric is computed over (its count in :mod:`journeymaps.measure.metrics`),
#: in words: a metric over fewer than k of them is null in the snapshot.
COUNTED: dict[str, str] = {
    "frt": "first replies",
    "ttr": "resolved tickets",
    "aht": "handled tickets",
    "fcr": "solved tickets",
    "reopen": "solved tickets",
    "escalation": "tickets",
    "csat": "rated tickets",
    "sla_breach": "tickets that crossed the handoff",
}


#: The largest number a map may write (its schema's maximum): a measured value beyond it is
#: no measurement (1e300 minutes read as a 300-digit number of hours on the page).
MAX_VALUE = 1e15


def measured_number(value: Any) -> float | None:
    """A snapshot's value as a number, None for what ``journeymaps measure`` never writes:
    not a number, true/false (true read as 1 minute), infinite or NaN ("nan hours" on the
    page), or beyond :data:`MAX_VALUE` (an integer of 400 digits ended lint in an
    OverflowError)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) > MAX_VALUE:
        return None
    number = float(value)
    return number if math.isfinite(number) and abs(number) <= MAX_VALUE else None


_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")


def _is_month(text: str) -> bool:
    """Whether ``text`` is a month measure writes: none before 1980 (engine.EARLIEST; not
    imported, as lint reads snapshots without the engine), none of the year 9999, whose
    December has no month after it (its last day ended lint in "year 10000 is out of
    range"); a hand-edited "0000-01" was shown measured "in Jan 0000"."""
    return bool(_MONTH.match(text)) and 1980 <= int(text[:4]) < 9999


def _well_formed(data: dict[str, Any]) -> bool:
    """Whether a snapshot has the shape ``journeymaps measure`` writes, as far as lint, the
    site and diff read it. It is a committed file: a hand-edited one whose series was a list,
    a month a number or "garbage", or as_of a number, ended lint in an internal error."""
    as_of, series, months = data.get("as_of"), data.get("series", {}), data.get("months", [])
    if as_of is not None and not (isinstance(as_of, str) and _is_date(as_of) and _is_month(as_of[:7])):
        return False
    if not isinstance(months, list) or not all(isinstance(m, str) and _is_month(m) for m in months):
        return False
    if not isinstance(series, dict) or not isinstance(data.get("sources", {}), dict):
        return False
    for entry in series.values():
        cells = entry.get("months") if isinstance(entry, dict) else None
        if not isinstance(cells, dict):
            return False
        if not all(_is_month(m) and isinstance(cell, dict) for m, cell in cells.items()):
            return False
    return True


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def path_for(folder: Path, map_id: str) -> Path:
    return folder / f"{map_id}.json"


def dumps(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode()


def newer_version(path: Path) -> int | None:
    """The version of the snapshot at ``path`` when a newer journeymaps wrote it (a version
    this one does not know); None for none, or one this journeymaps may overwrite."""
    try:
        data = json_value(read_regular(path, MAX_BYTES))
    except (OSError, Refused, ValueError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
    return version if newer else None


def load(folder: Path, map_id: str) -> Snapshot | None:
    """The snapshot of a map, or None when it was never measured (or cannot be read: see
    :func:`problem`)."""
    found = _found(folder, map_id)
    return found if isinstance(found, Snapshot) else None


def problem(folder: Path, map_id: str) -> str | None:
    """Why a map's snapshot, which is there, cannot be used (lint reports it: read as "never
    measured", a damaged snapshot left the measured numbers out of lint and the site without
    a word); None when there is none, or it is fine."""
    found = _found(folder, map_id)
    return found if isinstance(found, str) else None


#: While a run holds it (:func:`listed`): the snapshots folder and the names in it.
_listing: ContextVar[tuple[Path, frozenset[str]] | None] = ContextVar("snapshot_listing", default=None)


@contextlib.contextmanager
def listed(folder: Path) -> Iterator[None]:
    """Within: ``folder`` is listed once, and a map with no snapshot there is known to have
    none without asking the file system again. Lint's rules and the site's pages ask about
    each map ~10 times, a stat each (5,000 for 500 maps, most projects having no snapshots:
    ~0.15 s of a build here, issue 18). A snapshot added while the run goes on is not seen,
    as the site's stamp, made at its start, does not see it either. Inside a run that
    listed the same folder already (lint within a build), that listing serves."""
    held = _listing.get()
    if held is not None and held[0] == folder:
        yield
        return
    try:
        names: frozenset[str] | None = frozenset(os.listdir(folder))  # noqa: PTH208 - names only
    except (FileNotFoundError, NotADirectoryError):
        names = frozenset()
    except (OSError, ValueError):  # unreadable (or a NUL in the setting): each map asks, as before
        names = None
    token = _listing.set((folder, names)) if names is not None else None
    try:
        yield
    finally:
        if token is not None:
            _listing.reset(token)


def _found(folder: Path, map_id: str) -> Snapshot | str | None:
    held = _listing.get()
    if held is not None and f"{map_id}.json" not in held[1] and held[0] == folder:
        return None
    path = path_for(folder, map_id)
    try:
        stat = stat_of(path)
    except (OSError, ValueError):  # ValueError: a NUL in the metrics setting
        return None
    return _load(path, stat.st_mtime_ns, stat.st_size)


#: Far more than a snapshot holds (aggregates only: ~20 KB for a year of a large map).
MAX_BYTES = 64 * 1024 * 1024


@lru_cache(maxsize=4096)
def _load(path: Path, mtime: int, size: int) -> Snapshot | str:
    """The snapshot at ``path``, or why it cannot be used."""
    try:
        # Read as a map is: the snapshots are committed, and one that is a FIFO hung lint,
        # one linked to /dev/zero was read until memory ran out.
        raw = read_regular(path, MAX_BYTES)
        data = json_value(raw)
    except Refused as exc:
        return f"cannot be read: {exc}"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    except ValueError as exc:  # not JSON, or not UTF-8
        return f"is not JSON ({exc.msg if isinstance(exc, json.JSONDecodeError) else 'not UTF-8'})"
    if not isinstance(data, dict) or data.get("version") != VERSION:
        version = data.get("version") if isinstance(data, dict) else None
        return f"is not a snapshot this journeymaps reads (version {version!r}, not {VERSION})"
    if not _well_formed(data):
        return "is not in the shape journeymaps measure writes"
    try:
        return Snapshot(
            map_id=str(data["map"]),
            as_of=data.get("as_of"),
            k=int(data.get("k", 5)),
            months=tuple(data.get("months", ())),
            series=data.get("series", {}),
            sources=data.get("sources", {}),
            path=path,
            digest=_sha256(raw),
        )
    except (ValueError, KeyError, TypeError, OverflowError):  # OverflowError: "k": 1e400
        return "is not in the shape journeymaps measure writes"


def _sha256(raw: bytes) -> str:
    """Only a measured project asks: a one-file lint imports nothing it does not use (issue 18)."""
    import hashlib

    return hashlib.sha256(raw).hexdigest()
