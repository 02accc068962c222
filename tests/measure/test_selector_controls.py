"""A selector's value with a control character in it (``ref: "tag:bill\\0ing"``, a NUL
spelled as YAML's escape) names no tag, group, channel or form any export has: it is an
error at the character, not a selector measured as text that matched nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from measuring import DESK as DESK_UNDER_PRESET
from measuring import project

from in_process import jm_here

MAP = """
id: m
title: M
stages:
  - id: a
    name: A
    evidence:
      - {source: desk, kind: tickets, ref: "tag:billing or tag:bill\\0ing"}
"""
DESK = DESK_UNDER_PRESET.format(preset="zendesk")


def test_lint_and_measure_say_where_the_nul_is(tmp_path: Path) -> None:
    """Measured as 'bill\\x00ing', it matched nothing, exit 0: lint then said only that
    it "matched nothing ... was the tag renamed?" (and a warning that its text holds a NUL)."""
    exports = tmp_path / "exports"
    exports.mkdir()
    with (exports / "desk.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(("Id", "Created at", "Tags"))
        out.writerows((f"T-{n}", "2026-03-05 10:00", "billing") for n in range(20))
    project(tmp_path, DESK, {"m.yaml": MAP})
    lint = jm_here(tmp_path, "lint", "maps")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert (
        "maps/m.yaml:7:68: JM801 [invalid-selector] error: ref is not a selector for source 'desk': "
        "it holds U+0000 (shown as \\x00), a control character that no tag, channel, group or form of an "
        "export holds: remove it"
    ) in lint.stdout
    measured = jm_here(tmp_path, "measure")
    assert measured.returncode == 1, measured.stdout + measured.stderr
    assert "maps/m.yaml:7:68: JM801 [invalid-selector] error:" in measured.stderr
    assert "Traceback" not in measured.stderr
    snapshot = tmp_path / "metrics" / "m.json"
    assert not snapshot.exists() or "x00" not in snapshot.read_text("utf-8")


KPI_MAP = """
id: m
title: M
stages:
  - id: a
    name: A
    evidence:
      - {source: desk, kind: tickets, ref: "tag:billing"}
    kpis:
      - {name: Broken, metric: contacts, source: desk, ref: "tag:(", target: 5}
      - {name: Nul, metric: contacts, source: desk, ref: "tag:bill\\0ing", target: 5}
"""


def test_a_kpi_s_own_ref_is_checked_as_an_evidence_s_is(tmp_path: Path) -> None:
    """A KPI's own ref that did not parse was measured on nothing and said nowhere (no
    finding, exit 0); one with a NUL was measured as the tag 'billx00ing'."""
    project(tmp_path, DESK, {"m.yaml": KPI_MAP})
    lint = jm_here(tmp_path, "lint", "maps")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert (
        "maps/m.yaml:9:62: JM801 [invalid-selector] error: ref is not a selector for source 'desk': "
        in lint.stdout
    )
    assert (
        "maps/m.yaml:10:67: JM801 [invalid-selector] error: ref is not a selector for source 'desk': "
        "it holds U+0000"
    ) in lint.stdout


def test_sarif_and_baselines_name_a_bad_ref_by_its_place(tmp_path: Path) -> None:
    """SARIF's ``properties.path`` read "('stages', 0, 'kpis', 0).ref" (a tuple's text), and
    the finding had no place by ids, so its fingerprint did not follow the KPI when a stage
    was added before it."""
    project(tmp_path, DESK, {"m.yaml": KPI_MAP})
    sarif = jm_here(tmp_path, "lint", "maps", "--format", "sarif")
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    paths = [r["properties"]["path"] for r in results if r["ruleId"] == "JM801"]
    assert paths == ["stages[0].kpis[0].ref", "stages[0].kpis[1].ref"]
    before = {r["partialFingerprints"]["journeymaps/v2"] for r in results if r["ruleId"] == "JM801"}
    moved = KPI_MAP.replace("stages:\n", "stages:\n  - id: first\n    name: First\n")
    project(tmp_path, DESK, {"m.yaml": moved})
    again = json.loads(jm_here(tmp_path, "lint", "maps", "--format", "sarif").stdout)["runs"][0]["results"]
    after = {r["partialFingerprints"]["journeymaps/v2"] for r in again if r["ruleId"] == "JM801"}
    assert after == before
