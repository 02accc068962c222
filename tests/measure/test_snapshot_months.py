"""A snapshot's months are ones measure writes: none before 1980, none without a month after
it. A hand-edited month of another year ended lint and build in an internal error, or put
"Jan 0000" on a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_hostile_snapshots import KEY, _measured_project, _runs_cleanly


def _month(month: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        cells = data["series"][KEY]["months"]
        cells[month] = cells.pop("2026-10")
        data["months"] = [month]

    return change


@pytest.mark.parametrize(
    ("month", "words"), [("9999-12", "Dec 9999"), ("0000-01", "Jan 0000"), ("1979-12", "Dec 1979")]
)
def test_a_month_measure_never_writes_is_said_and_not_shown(tmp_path: Path, month: str, words: str) -> None:
    """9999-12 ended lint and build in "internal error: ValueError: year 10000 is out of
    range" (the month's last day); 0000-01 was shown as measured "in Jan 0000"."""
    _measured_project(tmp_path, _month(month))
    messages, page = _runs_cleanly(tmp_path)
    assert any("admin-locked-out.json is not in the shape journeymaps measure writes" in m for m in messages)
    assert 'First reply time</strong>: <span class="as-of">not measured yet</span>' in page
    assert words not in page and f'datetime="{month}"' not in page


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_a_date_measure_never_writes_as_its_last_day_is_said(tmp_path: Path, as_of: str) -> None:
    """A snapshot "as of 9999-12-31" was shown so on its map's page, beside months of 2026."""
    _measured_project(tmp_path, lambda d: d.update(as_of=as_of))
    messages, page = _runs_cleanly(tmp_path)
    assert any("admin-locked-out.json is not in the shape journeymaps measure writes" in m for m in messages)
    assert as_of not in page
