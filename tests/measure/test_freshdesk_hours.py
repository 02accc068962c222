"""Freshdesk's "(in hrs)" durations as hours with a decimal part (``1.5``: 90 minutes), as an
export saved through a spreadsheet or a tool's has them, beside Freshdesk's own ``HH:MM:SS``:
each was "could not be read", left out of its metric."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from measured_at_once import measure_here
from measuring import ONE_TAG_MAP, project

TOML = '[sources.desk]\npreset = "freshdesk"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
HEADER = ("Ticket ID", "Created time", "First response time (in hrs)", "Resolution time (in hrs)", "Tags")


def _measured(root: Path, durations: list[tuple[str, str]]) -> tuple[str, dict[str, object]]:
    """A Freshdesk export of five tickets per (first response, resolution) pair, each tagged
    billing, created in September: what measure said, and September's numbers."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for n, (first, resolved) in enumerate(durations):
            out.writerows((f"{n}-{i}", "2026-09-10 10:00:00", first, resolved, "billing") for i in range(5))
    project(root, TOML, {"m.yaml": ONE_TAG_MAP})
    result = measure_here(root)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    snap = json.loads((root / "metrics" / "m.json").read_text("utf-8"))
    return said, snap["series"]["desk|tag:billing"]["months"]["2026-09"]


def test_decimal_hours_are_read_as_hours(tmp_path: Path) -> None:
    said, month = _measured(tmp_path, [("1.5", "2.25"), ("01:30:00", "02:15:00"), ("1.50", "2.250")])
    assert "could not be read" not in said, said
    assert month == {"contacts": 15, "frt": 90.0, "frt_p90": 90.0, "ttr": 135.0, "ttr_p90": 135.0}


def test_a_fraction_of_an_hour_and_whole_hours(tmp_path: Path) -> None:
    said, month = _measured(tmp_path, [(".25", "3")])
    assert "could not be read" not in said, said
    assert month == {"contacts": 5, "frt": 15.0, "frt_p90": 15.0, "ttr": 180.0, "ttr_p90": 180.0}


def test_hours_written_otherwise_are_still_counted_as_not_read(tmp_path: Path) -> None:
    """A decimal comma, a unit, a sign: no number of hours measure can be sure of."""
    said, month = _measured(tmp_path, [("1,5", "1.5 h"), ("-1.5", "1.5.0"), ("1.5", "2.25")])
    assert "10 values of 'First response time (in hrs)' could not be read" in said, said
    assert "10 values of 'Resolution time (in hrs)' could not be read" in said, said
    assert month == {"contacts": 15, "frt": 90.0, "frt_p90": 90.0, "ttr": 135.0, "ttr_p90": 135.0}


def test_hours_too_many_to_hold_are_counted_as_not_read(tmp_path: Path) -> None:
    """500 digits of hours, as decimal hours or HH:MM:SS, cast to infinity: measure stopped
    with an internal error writing the snapshot ("Out of range float values are not JSON
    compliant")."""
    huge = "9" * 500
    said, month = _measured(tmp_path, [(huge, f"{huge}:00:00"), ("1.5", "2.25")])
    assert "5 values of 'First response time (in hrs)' could not be read" in said, said
    assert "5 values of 'Resolution time (in hrs)' could not be read" in said, said
    assert month == {"contacts": 10, "frt": 90.0, "frt_p90": 90.0, "ttr": 135.0, "ttr_p90": 135.0}
