"""journeymaps measure over a HubSpot ticket export (CRM > Tickets > Export, CSV): its
property labels as headers, its times in the portal's time zone, without seconds."""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from pathlib import Path

import pytest
from measuring import project, run

HEADER = [
    "Ticket ID",
    "Ticket name",
    "Pipeline",
    "Ticket status",
    "Create date",
    "Close date",
    "First agent response date",
    "Ticket owner",
    "Source",
    "Category",
    "HubSpot team",
    "First contact resolution",
    "Priority",
    "Last activity date",
]

#: (created, first reply after, closed after (minutes; None: open), status, source,
#: category, team, first contact resolution)
TICKETS = [
    ("2026-09-01 09:12", 30, 240, "Closed", "Email", "Billing issue", "Finance", "true"),
    ("2026-09-02 10:00", 12, 95, "Closed", "Chat", "Billing issue;Product issue", "Tier 2", "false"),
    ("2026-09-03 14:45", 180, None, "Waiting on contact", "Email", "Billing issue", "Finance", ""),
    ("2026-09-08 08:05", 61, 1500, "Closed", "Form", "billing issue", "Finance", "false"),
    ("2026-09-15 16:30", 5, 20, "Closed", "Phone", "Billing issue", "Tier 1", "true"),
    ("2026-09-20 11:11", 45, 600, "Closed", "Email", "Product issue", "Tier 2", "true"),
    ("2026-09-22 15:00", 70, 410, "Closed", "Email", "Billing issue", "Finance", "false"),
    ("2026-09-29 23:40", 14, 55, "Closed", "Chat", "Feature request; Billing issue", "Tier 1", "true"),
    ("2026-10-01 09:00", 20, 120, "Closed", "Email", "Billing issue", "Finance", "true"),
    ("2026-10-02 09:30", 90, 3000, "Closed", "Chat", "Billing issue", "Finance", "false"),
    ("2026-10-05 13:20", 15, None, "New", "Email", "Billing issue", "Tier 1", ""),
    ("2026-10-09 17:45", 300, 900, "Closed", "Email", "Billing issue", "Finance", "true"),
    ("2026-10-12 07:50", 8, 60, "Closed", "Chat", "Billing issue;Feature request", "Tier 1", "true"),
    ("2026-10-30 22:10", 33, None, "Waiting on us", "Phone", "Feature request", "Tier 2", ""),
    ("2026-10-20 10:05", 41, 1210, "Closed", "Form", "Billing issue", "Finance", "false"),
]

MAP = """
id: billing
title: Billing questions
stages:
  - id: ask
    name: Ask
    evidence:
      - {source: hubspot, kind: tickets, ref: 'tag:billing_issue'}
      - {source: hubspot, kind: tickets, ref: 'group:finance and channel:email'}
"""


def _after(at: dt.datetime, minutes: int | None) -> str:
    """A time ``minutes`` after ``at`` as HubSpot writes it; empty when it has not happened."""
    return "" if minutes is None else (at + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")


def _write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)  # as HubSpot writes it: every value quoted
        out.writerow(HEADER)
        for n, (created, reply, close, status, source, category, team, fcr) in enumerate(TICKETS):
            at = dt.datetime.strptime(created, "%Y-%m-%d %H:%M")
            out.writerow(
                [
                    str(3_100_000_000 + n),
                    f"Question about an invoice #{n}",
                    "Support Pipeline",
                    status,
                    created,
                    _after(at, close),
                    _after(at, reply),
                    "Ada Agent",
                    source,
                    category,
                    team,
                    fcr,
                    "Medium",
                    created,
                ]
            )


def test_a_hubspot_ticket_export_is_measured_with_its_preset(tmp_path: Path) -> None:
    """HubSpot had no preset: its export could be measured only by mapping every column by
    hand as a custom source. Now `preset = "hubspot"` reads it as exported."""
    _write(tmp_path / "exports" / "hubspot.csv")
    toml = '[sources.hubspot]\npreset = "hubspot"\npath = "exports/hubspot.csv"\ntimezone = "UTC"\n'
    project(tmp_path, toml, {"billing.yaml": MAP})
    result, snaps = run(tmp_path)
    assert result.runs[0].rows == len(TICKETS)
    series = snaps["billing"]["series"]
    billing = series["hubspot|tag:billing_issue"]["months"]
    for month in ("2026-09", "2026-10"):
        rows = [
            t
            for t in TICKETS
            if t[0].startswith(month) and "billing issue" in [c.strip() for c in t[5].lower().split(";")]
        ]
        closed = [t for t in rows if t[2] is not None]
        cell = billing[month]
        assert cell["contacts"] == len(rows)
        assert cell["frt"] == pytest.approx(statistics.median(t[1] for t in rows))
        assert cell["ttr"] == pytest.approx(statistics.median(t[2] for t in closed))
        assert cell["fcr"] == pytest.approx(sum(t[7] == "true" for t in closed) / len(closed), abs=1e-4)
        assert "csat" not in cell  # no satisfaction in a ticket export: left out, not guessed
    by_team = series["hubspot|group:finance and channel:email"]["months"]
    assert by_team["2026-09"] == {"suppressed": True}  # 2 tickets: under k = 5


def test_a_portals_own_stages_contacts_and_reopens_are_read(tmp_path: Path) -> None:
    """A real export's stages are the portal's own ("Closed Resolved", in a public sample):
    read as the whole name only, its closed tickets were counted open and left out of fcr.
    Its contacts ("All associated contact emails") and reopens ("Ticket reopen date") were
    not read: no customers, no reopen rate."""
    header = ["Ticket ID", "Create date", "Close date", "Ticket status", "Category"]
    header += ["First contact resolution", "All associated contact emails", "Ticket reopen date"]
    # (status, first contact resolution, contact, reopened)
    tickets = [
        ("Closed Resolved", "true", "ada@example.com", ""),
        ("Closed Resolved", "false", "bob@example.com", "2026-09-09 10:00"),
        ("Closed - duplicate", "true", "ada@example.com", ""),
        ("Closed", "true", "cy@example.com", ""),
        ("Resolved", "false", "dee@example.com", "2026-09-12 08:30"),
        ("Pending", "", "eve@example.com", ""),
        ("Waiting on contact", "", "fay@example.com;gus@example.com", ""),
    ]
    path = tmp_path / "exports" / "hubspot.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(header)
        for n, (status, fcr, contact, reopened) in enumerate(tickets):
            closed = "" if status in ("Pending", "Waiting on contact") else f"2026-09-{n + 2:02d} 12:00"
            row = [str(5_000 + n), f"2026-09-{n + 1:02d} 09:00", closed, status, "Billing issue"]
            out.writerow([*row, fcr, contact, reopened])
    toml = '[sources.hubspot]\npreset = "hubspot"\npath = "exports/hubspot.csv"\ntimezone = "UTC"\n'
    one = MAP.split("      - {source: hubspot, kind: tickets, ref: 'group")[0]
    project(tmp_path, toml, {"billing.yaml": one})
    _, snaps = run(tmp_path)
    cell = snaps["billing"]["series"]["hubspot|tag:billing_issue"]["months"]["2026-09"]
    assert cell["contacts"] == 7
    assert cell["fcr"] == pytest.approx(3 / 5, abs=1e-4)  # the five closed, whatever their stage's name
    assert cell["reopen"] == pytest.approx(2 / 5, abs=1e-4)
    assert cell["customers"] == 6  # ada twice; two contacts on one ticket are that ticket's


def test_dates_with_a_us_time_zone_name_are_read_at_their_offset(tmp_path: Path) -> None:
    """A portal shows its times with the zone's name (2026-09-30 21:30 CDT): DuckDB's cast
    dropped the name, and the time was read in the source's time zone, hours off. Each is
    the instant its zone names, in the source's time zone: 21:30 CDT on 30 September is
    October in UTC."""
    _write(tmp_path / "exports" / "hubspot.csv")
    path = tmp_path / "exports" / "hubspot.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    zones = ["CDT", "EDT", "PDT", "MDT", "CST", "EST", "PST", "MST", "UTC", "GMT"]
    for n, row in enumerate(rows[1:]):
        for i in (4, 5, 6, 13):
            if row[i]:
                row[i] += " " + zones[n % len(zones)]
    rows[1][4] = "2026-09-30 21:30 CDT"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
    toml = '[sources.hubspot]\npreset = "hubspot"\npath = "exports/hubspot.csv"\ntimezone = "UTC"\n'
    project(tmp_path, toml, {"billing.yaml": MAP})
    result, snaps = run(tmp_path)
    assert result.runs[0].rows == len(TICKETS)
    months = snaps["billing"]["series"]["hubspot|tag:billing_issue"]["months"]
    billing = [t for t in TICKETS if "billing issue" in [c.strip() for c in t[5].lower().split(";")]]
    september = [t for t in billing if t[0].startswith("2026-09")]
    # the first ticket, moved to 21:30 CDT on 30 September: 02:30 UTC on 1 October
    assert months["2026-09"]["contacts"] == len(september) - 1
    assert months["2026-10"]["contacts"] == len(billing) - len(september) + 1
