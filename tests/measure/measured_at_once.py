"""``journeymaps measure`` for the tests of how a value is read: in this process (the command
as click runs it, its exit code and both streams kept), or many values in one export and one
run, each value's months still told apart (its own tag, measured by its own selector)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from measuring import ONE_TAG_MAP, billing_export, made_once, project

from conftest import jm
from journeymaps.cli import cli


def measure_here(root: Path) -> subprocess.CompletedProcess[str]:
    """``journeymaps measure`` run in ``root`` as :func:`conftest.jm` runs it, but in this
    process: a test of what a value reads as, not of the process, skips its start (half a
    second of CPU). An exception escapes (a traceback a user would see fails the test)."""
    here = Path.cwd()
    os.chdir(root)
    try:  # GITHUB_ACTIONS picks another output format: left out, as jm leaves it out
        said = CliRunner(env={"GITHUB_ACTIONS": None}).invoke(cli, ["measure"], catch_exceptions=False)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["journeymaps", "measure"], said.exit_code, said.stdout, said.stderr)


#: A source in a zone (``DESK.format(zone=...)``), its export at exports/desk.csv.
DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "{zone}"\n'


#: Each preset's columns of an id, a creation time and tags, a zone in Intercom's header.
COLUMNS = {
    "zendesk": ("Id", "Created at", "Tags"),
    "freshdesk": ("Ticket ID", "Created time", "Tags"),
    "intercom": ("Conversation ID", "Conversation started at ({zone})", "Conversation tags"),
    "jira-service-management": ("Issue key", "Created", "Labels"),
    "hubspot": ("Ticket ID", "Create date", "Category"),
}


def months_of_values(
    root: Path, values: Sequence[str], zone: str, preset: str = "zendesk"
) -> dict[str, object]:
    """``values`` measured in one export of ``root`` (a source of ``preset`` in ``zone``), by
    a real run of ``journeymaps measure``: five tickets per value, tagged ``v<its index>``,
    after five padding tickets in the middle of September. What the run said
    (``returncode``, ``out``) and, by value, the months its tickets were counted in (in
    fives: ``{"2026-09": 1}``), from its own series of the snapshot."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([column.format(zone=zone) for column in COLUMNS[preset]])
        out.writerows((f"P-{n}", "2026-09-15 12:00", "pad") for n in range(5))
        for n, value in enumerate(values):
            out.writerows((f"T-{n}-{i}", value, f"v{n}") for i in range(5))
    evidence = "\n".join(
        f'      - {{source: desk, kind: tickets, ref: "tag:v{n}"}}' for n in range(len(values))
    )
    text = f"id: m\ntitle: M\nstages:\n  - id: a\n    name: A\n    evidence:\n{evidence}\n"
    project(root, DESK.format(zone=zone).replace('"zendesk"', f'"{preset}"'), {"m.yaml": text})
    result = jm(root, "measure")
    months: dict[str, dict[str, int]] = {}
    if result.returncode == 0:
        snap = json.loads((root / "metrics" / "m.json").read_text("utf-8"))
        for n, value in enumerate(values):
            counted = snap["series"][f"desk|tag:v{n}"]["months"].items()
            months[value] = {m: c["contacts"] // 5 for m, c in counted if c.get("contacts")}
    return {"returncode": result.returncode, "out": result.stdout + result.stderr, "months": months}


def months_in_tokyo(
    factory: pytest.TempPathFactory,
    name: str,
    values: Sequence[str],
    *,
    unsaid: Sequence[str] = ("not counted",),
) -> dict[str, dict[str, int]]:
    """:func:`months_of_values` of ``values`` measured once per test session (``name`` its
    folder's), in a source in Tokyo, whose local time puts most of them in another month
    than their instant: the months by value, once the run passed and said none of ``unsaid``."""
    _, made = made_once(factory, name, lambda root: months_of_values(root, values, "Asia/Tokyo"))
    assert made["returncode"] == 0, made["out"]
    assert not [words for words in unsaid if words in made["out"]], made["out"]
    return dict(made["months"])


def stopped_at_its_cell(root: Path, value: str) -> str:
    """A bad value is an error at its cell: ``value`` measured in ``root`` after a good time,
    in a Zendesk source in UTC (:func:`measuring.billing_export`), stops ``journeymaps
    measure`` at its cell (line 12, after its id and the quote a comma in it puts around it)
    with JM010, no traceback and no snapshot written. What the run said, both streams."""
    billing_export(root, ["2026-09-10 08:00", value])
    project(root, DESK.format(zone="UTC"), {"m.yaml": ONE_TAG_MAP})
    result = measure_here(root)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    column = len("T-1-0,") + 1 + ("," in value)
    assert f"exports/desk.csv:12:{column}: JM010 [unreadable-source] error:" in out, out
    assert not (root / "metrics").exists()
    return out
