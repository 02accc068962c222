"""journeymaps measure over Intercom's exports as they are written: a conversations
export's "Conversation tags", a tickets report's "Ticket created (its time zone)"."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from measuring import export, project, run

from journeymaps.measure.fixtures import Spec

DESK = '[sources.desk]\npreset = "intercom"\npath = "exports/desk.csv"\n'

TAG_MAP = """
id: lockouts
title: Admin locked out
stages:
  - id: contact
    name: Contact support
    evidence:
      - {source: desk, kind: tickets, ref: "tag:locked_out"}
"""


def _export(root: Path, created: str) -> Path:
    """An Intercom export (400 conversations) with its tags in "Conversation tags" and its
    creation in ``created`` followed by its zone."""
    path = export(root, "intercom", "desk.csv", Spec(rows=400))
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rename = {
        "Conversation tag": "Conversation tags",
        "Conversation started at (Europe/Paris)": f"{created} (Europe/Paris)",
    }
    rows[0] = [rename.get(name, name) for name in rows[0]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize("created", ["Conversation started at", "Ticket created", "Ticket created at"])
def test_an_intercom_export_is_measured_by_its_tags_and_creation_columns(
    tmp_path: Path, created: str
) -> None:
    """The preset read "Conversation tag", which Intercom's export names "Conversation tags":
    a tag selector stopped measure ("needs the tag field, but the export has no column
    'Conversation tag'"). A tickets report's creation is "Ticket created (Europe/Paris)":
    "no column 'Conversation started at (Area/City)'"."""
    path = _export(tmp_path, created)
    with path.open(encoding="utf-8", newline="") as f:
        written = list(csv.DictReader(f))
    assert "Conversation tags" in written[0]
    by_month = Counter(
        row[f"{created} (Europe/Paris)"][:7]
        for row in written
        if "locked_out" in [t.strip() for t in row["Conversation tags"].split(",")]
    )
    project(tmp_path, DESK, {"lockouts.yaml": TAG_MAP})
    result, snaps = run(tmp_path)
    assert result.runs[0].rows == 400
    months = snaps["lockouts"]["series"]["desk|tag:locked_out"]["months"]
    assert by_month and {m: months[m].get("contacts", "suppressed") for m in by_month} == {
        m: n if n >= 5 else "suppressed" for m, n in by_month.items()
    }


#: A real Intercom tickets report's columns, in its order (a public script's list of "all the
#: columns of the real file", its synthetic copy of one): no "Time to close (seconds)".
TICKETS_REPORT = [
    "Conversation ID",
    "Ticket created (America/Sao_Paulo)",
    "Channel",
    "Current conversation state",
    "Last teammate rating",
    "Ticket type",
    "Team currently assigned",
    "Ticket last resolved (America/Sao_Paulo)",
    "Ticket time to resolve (seconds)",
    "Ticket category",
]

TTR_MAP = """
id: issues
title: Issues
stages:
  - id: report
    name: Report an issue
    evidence:
      - {source: desk, kind: tickets, ref: "form:issue"}
    kpis:
      - {name: Time to resolve, metric: ttr, unit: hours, target: 4}
"""


def test_an_intercom_tickets_report_has_its_time_to_resolve_measured(tmp_path: Path) -> None:
    """Its "Ticket time to resolve (seconds)" was not read: "not measured, this export has
    no columns for them: ... ttr", the map's KPI kept its declared value."""
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    hours = [1, 2, 3, 5, 8, 13, 21]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(TICKETS_REPORT)
        for i, h in enumerate(hours):
            created = f"2026-09-{10 + i} 10:00:00"
            resolved = f"2026-09-{10 + i} {10 + h:02d}:00:00" if 10 + h < 24 else ""
            out.writerow(
                [
                    f"{1000 + i}",
                    created,
                    "Email",
                    "closed",
                    "5",
                    "issue",
                    "Support",
                    resolved,
                    h * 3600,
                    "Conta",
                ]
            )
    project(tmp_path, DESK, {"issues.yaml": TTR_MAP})
    result, snaps = run(tmp_path)
    assert result.runs[0].rows == len(hours)
    month = snaps["issues"]["series"]["desk|form:issue"]["months"]["2026-09"]
    assert month["contacts"] == len(hours)
    assert month["ttr"] == 5 * 60  # the median, in minutes
