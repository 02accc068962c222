"""`journeymaps diff` on a change that leaves a measured finding unmeasured: a handoff's
`sla-breached` is measured on a series keyed by its SLA and evidence, so relaxing the SLA
(5 minutes → 1 hour) leaves no month measured for it until `journeymaps measure` runs
again. The breach was listed as fixed: a pull request that only loosened the promise read
as a repair."""

from __future__ import annotations

import html
import json
from pathlib import Path

from test_diff import diff_here, git
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
    result = diff_here(measured, "HEAD", "--site", str(tmp_path / "review"))
    assert result.returncode == 0, result.stderr
    assert "✓ fixed" not in result.stdout
    (said,) = [line for line in result.stdout.splitlines() if line.startswith("? no longer measured: ")]
    assert said.startswith(f"? no longer measured: {MAP}: JM807 [sla-breached] warning: {BREACH}: 93% ")
    assert said.endswith(
        "(not measured since this change: run 'journeymaps measure' to know whether it is fixed)"
    )

    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_fixed"] == []
    assert [f["rule"] for f in data["findings_unmeasured"]] == ["sla-breached"]
    assert data["summary"]["findings_unmeasured"] == 1 and data["summary"]["findings_fixed"] == 0
    # and lint says the snapshot is behind the map, at the relaxed SLA (JM810)
    assert [f["rule"] for f in data["findings_introduced"]] == ["not-measured-since-change"]

    comment = diff_here(measured, "HEAD", "--format", "markdown").stdout
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
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_unmeasured"] == []
    assert "sla-breached" in [f["rule"] for f in data["findings_fixed"]]


def test_a_committed_relaxed_sla_is_judged_between_commits_too(measured: Path) -> None:
    """The pull request's case: BASE and HEAD are commits."""
    _relax_sla(measured)
    git(measured, "commit", "-qam", "relax the bot's SLA")
    data = json.loads(diff_here(measured, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [f["rule"] for f in data["findings_unmeasured"]] == ["sla-breached"]
    assert data["findings_fixed"] == []


LOCKOUT = "maps/support/admin-locked-out.yaml"
FCR = "      - name: First contact resolution\n        metric: fcr\n        current: 0.41\n"


def test_a_kpi_whose_ref_changed_is_no_longer_measured_not_fixed(measured: Path, tmp_path: Path) -> None:
    """The KPI counted on a tag the snapshot has no month of: its `kpi-off-target` (28
    contacts against 20) read "✓ fixed", as a relaxed SLA's breach did."""
    path = measured / MAP
    text = path.read_text()
    was = "      - {name: Billing dispute contacts, metric: contacts, owner: finance, target: 20}\n"
    assert was in text
    path.write_text(
        text.replace(
            was,
            "      - {name: Billing dispute contacts, metric: contacts, owner: finance, target: 20,\n"
            '         source: zendesk, ref: "tag:billing_disputes"}\n',
            1,
        )
    )
    result = diff_here(measured, "HEAD", "--site", str(tmp_path / "review"))
    assert result.returncode == 0, result.stderr
    assert "✓ fixed" not in result.stdout, result.stdout
    (said,) = [line for line in result.stdout.splitlines() if line.startswith("? no longer measured: ")]
    assert said.startswith(
        f"? no longer measured: {MAP}: JM804 [kpi-off-target] info: KPI 'Billing dispute contacts' is 28 "
    ), said
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_fixed"] == []
    assert [f["rule"] for f in data["findings_unmeasured"]] == ["kpi-off-target"]
    comment = diff_here(measured, "HEAD", "--format", "markdown").stdout
    assert "Findings fixed" not in comment
    assert "<details><summary>Findings no longer measured" in comment
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    assert "Findings no longer measured: not fixed until journeymaps measure says so (1)" in page


def test_a_worsening_kpi_whose_ref_changed_is_no_longer_measured(measured: Path) -> None:
    """Off target by its declared value still (the same finding, in HEAD too); its four
    months getting worse have no month left to be judged on."""
    path = measured / LOCKOUT
    text = path.read_text()
    assert FCR in text
    path.write_text(text.replace(FCR, FCR + '        source: zendesk\n        ref: "tag:locked_out_v2"\n', 1))
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_fixed"] == [], data["findings_fixed"]
    assert [f["rule"] for f in data["findings_unmeasured"]] == ["kpi-worsening"]


def test_a_kpi_removed_or_met_by_its_declared_value_is_fixed(measured: Path) -> None:
    """Nothing waits on measure: the KPI is gone, or was never measured (its declared
    value now meets the target)."""
    path = measured / LOCKOUT
    text = path.read_text()
    path.write_text(text.replace(FCR + "        target: 0.70\n", "", 1))
    bill = measured / MAP
    bill.write_text(
        bill.read_text().replace(
            "      - {name: Time to resolution, current: 6, target: 2,",
            "      - {name: Time to resolution, current: 2, target: 2,",
            1,
        )
    )
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert data["findings_unmeasured"] == []
    fixed = sorted(
        (f["rule"], f["message"].split(" is ")[0].split(" got ")[0]) for f in data["findings_fixed"]
    )
    assert fixed == [
        ("kpi-off-target", "KPI 'First contact resolution'"),
        ("kpi-off-target", "KPI 'Time to resolution'"),
        ("kpi-worsening", "KPI 'First contact resolution'"),
    ], fixed
