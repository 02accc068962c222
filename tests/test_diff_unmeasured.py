"""`journeymaps diff` on a change that leaves a measured finding unmeasured: a handoff's
`sla-breached` is measured on a series keyed by its SLA and evidence, so relaxing the SLA
(5 minutes → 1 hour) leaves no month measured for it until `journeymaps measure` runs
again. The breach was listed as fixed: a pull request that only loosened the promise read
as a repair."""

from __future__ import annotations

import html
import json
from pathlib import Path

from test_diff import git, jm
from test_diff_restaged import MAP
from test_diff_restaged import measured as measured  # the fixture: maps with their snapshots

BREACH = 'the handoff from "Billing bot answers first" to "Agent gathers transaction details"'


def _relax_sla(repo: Path) -> None:
    path = repo / MAP
    text = path.read_text()
    assert "    sla: 5m\n    sla_clock: first-reply" in text
    path.write_text(
        text.replace("    sla: 5m\n    sla_clock: first-reply", "    sla: 1h\n    sla_clock: first-reply", 1)
    )


def test_a_relaxed_sla_s_breach_is_no_longer_measured_not_fixed(measured: Path, tmp_path: Path) -> None:
    _relax_sla(measured)
    result = jm(measured, "HEAD", "--site", str(tmp_path / "review"))
    assert result.returncode == 0, result.stderr
    assert "✓ fixed" not in result.stdout
    (said,) = [line for line in result.stdout.splitlines() if line.startswith("? no longer measured: ")]
    assert said.startswith(f"? no longer measured: {MAP}: JM807 [sla-breached] warning: {BREACH}: 93% ")
    assert said.endswith(
        "(not measured since this change: run 'journeymaps measure' to know whether it is fixed)"
    )

    data = json.loads(jm(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_fixed"] == []
    assert [f["rule"] for f in data["findings_unmeasured"]] == ["sla-breached"]
    assert data["summary"]["findings_unmeasured"] == 1 and data["summary"]["findings_fixed"] == 0
    # and lint says the snapshot is behind the map, at the relaxed SLA (JM810)
    assert [f["rule"] for f in data["findings_introduced"]] == ["not-measured-since-change"]

    comment = jm(measured, "HEAD", "--format", "markdown").stdout
    assert (
        "findings: 1 introduced, 1 no longer measured (not fixed until 'journeymaps measure' says so)"
        in comment
    )
    assert "Findings fixed" not in comment
    assert (
        "<details><summary>Findings no longer measured (not fixed until 'journeymaps measure' says so) (1)"
        in comment
    )
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    assert "Findings no longer measured: not fixed until journeymaps measure says so (1)" in page
    assert "Findings this change fixes" not in page


def test_a_breach_whose_handoff_the_change_removes_is_still_fixed(measured: Path) -> None:
    """Gone with its handoff: nothing is left to measure, so nothing waits on measure."""
    path = measured / MAP
    text = path.read_text()
    start = text.index("  - from: contact.bot-answers")
    end = text.index("  # journeymaps: ignore[handoff-context-lost]")
    path.write_text(text[:start] + text[end:])
    data = json.loads(jm(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_unmeasured"] == []
    assert "sla-breached" in [f["rule"] for f in data["findings_fixed"]]


def test_a_committed_relaxed_sla_is_judged_between_commits_too(measured: Path) -> None:
    """The pull request's case: BASE and HEAD are commits."""
    _relax_sla(measured)
    git(measured, "commit", "-qam", "relax the bot's SLA")
    data = json.loads(jm(measured, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [f["rule"] for f in data["findings_unmeasured"]] == ["sla-breached"]
    assert data["findings_fixed"] == []
