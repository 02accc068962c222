"""A date written with its UTC offset in a format of its own (03/31/2026 23:30 -05:00) is
read by the format the settings name for it, with %z: the offset's instant, in the source's
time zone."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from measuring import DESK, ONE_TAG_MAP, project

from in_process import jm_here

MAP = ONE_TAG_MAP
ZONED = (
    DESK.format(preset="zendesk")
    + '[sources.desk.columns]\ncreated = {column = "Created at", format = "%m/%d/%Y %H:%M %z"}\n'
)


def test_a_named_format_with_an_offset_reads_the_offset_dates(tmp_path: Path) -> None:
    """A value with an offset was read only as ISO 8601: told "name the export's format",
    the user named it, and was told the same again, exit 2, whatever the format."""
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(("Id", "Created at", "Tags"))
        for n in range(30):
            out.writerow((f"A-{n}", "03/15/2026 10:00 +02:00", "billing"))
            # 04:30 UTC on 1 April, 06:30 in Paris: April's, not March's as written
            out.writerow((f"B-{n}", "03/31/2026 23:30 -05:00", "billing"))
    project(tmp_path, ZONED, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stdout + result.stderr
    snap = json.loads((tmp_path / "metrics" / "m.json").read_text("utf-8"))
    months = snap["series"]["desk|tag:billing"]["months"]
    assert {m: c["contacts"] for m, c in months.items()} == {"2026-03": 30, "2026-04": 30}
