"""journeymaps diff on a real git repository: a map id renamed away from its snapshot (its
KPIs no longer measured, not moved), a handoff whose ``from`` is edited (and the suppression
above it), and a map moved where the settings exclude it with a new error in the move."""

from __future__ import annotations

import json
from pathlib import Path

from test_diff import jm, repo
from test_diff_restaged import measured as measured

__all__ = ["measured", "repo"]  # the fixtures, shared with test_diff and test_diff_restaged


def _rename_admin_locked_out(repo: Path) -> None:
    """The map id admin-locked-out renamed admin-lockout, with what refers to it."""
    for name in ("admin-locked-out.yaml", "admin-locked-out-future.yaml", "production-outage.yaml"):
        other = repo / "maps" / "support" / name
        text = other.read_text().replace("id: admin-locked-out\n", "id: admin-lockout\n")
        text = text.replace("based_on: admin-locked-out\n", "based_on: admin-lockout\n")
        other.write_text(text.replace("admin-locked-out/", "admin-lockout/"))


def test_a_map_id_renamed_away_from_its_snapshot_says_its_kpis_no_longer_measured(measured: Path) -> None:
    """Its snapshot kept under the old id, each KPI read `KPI "First reply time (email)":
    2.83 hours → 6 hours, worse`: BASE's measured value against HEAD's declared one, as if
    the number had moved; "Time to resolution" read "better" the same way."""
    _rename_admin_locked_out(measured)
    data = json.loads(jm(measured, "HEAD", "--format", "json").stdout)
    kpis = [c for c in data["changes"] if c["map"] == "admin-lockout" and c["kind"] == "kpi-measured"]
    assert kpis, data["changes"]
    for c in kpis:
        assert not c["text"].endswith((", worse", ", better")), c["text"]
        assert c["after"] is None, c
    [frt] = [c for c in kpis if c["ids"]["kpi"] == "First reply time (email)"]
    said = (
        'KPI "First reply time (email)": no longer measured (2.83 hours in the base, as of 2026-10; '
        "its declared 6 hours is not a measurement)"
    )
    assert frt["text"] == said, frt
    lines = jm(measured, "HEAD").stdout.splitlines()
    assert f"    {said}" in lines, lines
    assert not [line for line in lines if line.endswith((", worse", ", better"))], lines
