"""`not-measured-since-change` (JM810): a map changed after its last `journeymaps measure`.

Measured numbers are read from series keyed by a handoff's SLA, an evidence's selector and a
KPI's own ref. A map that relaxed a handoff's SLA (5 minutes → 1 hour) or renamed a tag has no
series for the new key, so `sla-breached`, the KPIs and the volumes went silent (or fell back
to declared values) and lint said nothing: the numbers were stale without a word."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from conftest import ROOT, jm
from in_process import jm_here
from test_diff_restaged import MAP
from test_diff_restaged import measured as measured  # the fixture: maps with their snapshots

RULE = "not-measured-since-change"


def _lint(repo: Path) -> list[dict[str, object]]:
    result = jm_here(repo, "lint", "maps", "--format", "json", "--today", "2026-11-22")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == RULE]


def _edit(repo: Path, path: str, old: str, new: str) -> int:
    """Replaces ``old`` once; the 1-based line it was on."""
    file = repo / path
    text = file.read_text()
    assert old in text, old
    file.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def test_the_example_maps_are_measured_as_they_are(measured: Path) -> None:
    assert _lint(measured) == []
    assert _lint(ROOT) == []


def test_a_relaxed_sla_says_the_snapshot_has_the_old_one_only(measured: Path) -> None:
    line = _edit(
        measured, MAP, "    sla: 5m\n    sla_clock: first-reply", "    sla: 1h\n    sla_clock: first-reply"
    )
    (found,) = _lint(measured)
    assert (found["code"], found["severity"], found["file"]) == ("JM810", "warning", MAP)
    assert (found["line"], found["column"]) == (line, 10)  # at the sla's value
    assert found["message"] == (
        'the handoff from "Billing bot answers first" to "Agent gathers transaction details" is '
        "measured at an SLA of 1 hour to the first reply, but examples/metrics/billing-dispute.json "
        "has it at 5 minutes only: run 'journeymaps measure'"
    )
    text = jm_here(measured, "lint", "maps", "--today", "2026-11-22").stdout
    assert f"{MAP}:{line}:10: JM810 [{RULE}] warning: the handoff from " in text


def test_a_renamed_tag_is_reported_at_its_evidence_once(measured: Path) -> None:
    """The stage's evidence is also what its handoff's SLA is measured on: one finding, at
    the ref that changed, not a second at the handoff."""
    line = _edit(measured, MAP, 'ref: "tag:billing_dispute"', 'ref: "tag:billing_v2"')
    (found,) = _lint(measured)
    assert (found["line"], found["file"]) == (line, MAP)
    assert found["message"] == (
        "evidence 'tag:billing_v2' in zendesk has no numbers in examples/metrics/billing-dispute.json, "
        "measured before it was written: run 'journeymaps measure'"
    )


def test_a_step_moved_to_a_stage_with_other_tickets_leaves_its_handoff_unmeasured(measured: Path) -> None:
    """The bot's handoff has no evidence of its own: it is measured on the receiving stage's
    tickets, which a new stage's other tag changes."""
    _edit(
        measured,
        MAP,
        "      - id: agent-gathers\n",
        "\n  - id: agent-intake\n    name: Agent intake\n    owner: support\n    evidence:\n"
        '      - {source: zendesk, kind: tickets, ref: "tag:true_up_surprise", as_of: 2026-11-03}\n'
        "    steps:\n      - id: agent-gathers\n",
    )
    path = measured / MAP
    path.write_text(path.read_text().replace("contact.agent-gathers", "agent-intake.agent-gathers"))
    (found,) = _lint(measured)
    assert found["message"] == (
        'the handoff from "Billing bot answers first" to "Agent gathers transaction details" is '
        "measured on 'tag:true_up_surprise' in zendesk at an SLA of 5 minutes to the first reply, "
        "but examples/metrics/billing-dispute.json has no breach rate for it: run 'journeymaps measure'"
    )


def test_a_kpi_whose_ref_changed_is_reported_at_it(measured: Path) -> None:
    path = "maps/support/admin-locked-out.yaml"
    line = _edit(
        measured,
        path,
        '        ref: "tag:locked_out"\n        current: 0.35',
        '        ref: "tag:mfa_reset"\n        current: 0.35',
    )
    (found,) = _lint(measured)
    assert (found["file"], found["line"], found["column"]) == (path, line, 14)
    assert found["message"] == (
        "KPI 'Escalation rate' is measured on 'tag:mfa_reset' in zendesk, but "
        "examples/metrics/admin-locked-out.json has no numbers for it, measured before it was "
        "written: run 'journeymaps measure'"
    )


def test_a_map_never_measured_or_a_source_not_configured_is_not_reported(measured: Path) -> None:
    _edit(measured, MAP, "    sla: 5m\n", "    sla: 1h\n")
    settings = measured / "pyproject.toml"
    measured_settings = settings.read_text()
    settings.write_text(measured_settings.split("[tool.journeymaps.sources.zendesk]")[0])
    assert _lint(measured) == []  # no source is configured: nothing would be measured
    settings.write_text(measured_settings)
    (measured / "examples" / "metrics" / "billing-dispute.json").unlink()
    assert _lint(measured) == []  # never measured: no snapshot to be behind


def test_measure_is_what_the_finding_asks_for(measured: Path) -> None:
    """The rule asks for exactly what `journeymaps measure` writes: once it has run, the
    relaxed SLA and the renamed tag are measured and the finding is gone."""
    shutil.copytree(ROOT / "examples" / "data", measured / "examples" / "data")
    _edit(measured, MAP, "    sla: 5m\n", "    sla: 1h\n")
    _edit(measured, MAP, 'ref: "tag:billing_dispute"', 'ref: "tag:billing_v2"')
    _edit(measured, "maps/support/admin-locked-out.yaml", "    sla: 4h\n", "    sla: 2h\n")
    assert [f["rule"] for f in _lint(measured)] == [RULE, RULE]
    result = jm(measured, "measure", "maps")
    assert result.returncode == 0, result.stderr
    assert _lint(measured) == []


def test_the_site_names_the_handoff_s_steps_as_it_names_them_elsewhere(measured: Path) -> None:
    """The findings page typesets the step names lint quotes, as for `sla-breached`: they
    read "Billing bot answers first" in straight marks among curly ones."""
    _edit(measured, MAP, "    sla: 5m\n", "    sla: 1h\n")
    result = jm(measured, "build", "maps", "-o", "site")
    assert result.returncode == 0, result.stderr
    page = html.unescape((measured / "site" / "findings.html").read_text())
    assert (
        "The handoff from \u201cBilling bot answers first\u201d to \u201cAgent gathers transaction "
        "details\u201d is measured at an SLA of 1 hour to the first reply, but "
        "examples/metrics/billing-dispute.json has it at 5 minutes only: run 'journeymaps measure'"
    ) in page


def test_a_source_configured_since_the_snapshot_is_named_as_such(measured: Path) -> None:
    """Not "measured before it was written": the evidence may be old, the source is new."""
    line = _edit(
        measured,
        MAP,
        '      - {source: zendesk, kind: tickets, ref: "tag:billing_dispute", as_of: 2026-11-03}\n',
        '      - {source: zendesk, kind: tickets, ref: "tag:billing_dispute", as_of: 2026-11-03}\n'
        '      - {source: freshdesk, kind: tickets, ref: "tag:billing"}\n',
    )
    with (measured / "pyproject.toml").open("a") as settings:
        settings.write(
            '\n[tool.journeymaps.sources.freshdesk]\npreset = "freshdesk"\n'
            'path = "examples/data/freshdesk.csv"\ntimezone = "UTC"\n'
        )
    (found,) = _lint(measured)
    assert found["line"] == line + 1
    assert found["message"] == (
        "evidence 'tag:billing' in freshdesk has no numbers in examples/metrics/billing-dispute.json, "
        "measured before source 'freshdesk' was configured: run 'journeymaps measure'"
    )
