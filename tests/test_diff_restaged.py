"""`journeymaps diff` on a stage split in two: a step moved to another stage keeps its
findings and its suppressions. A fingerprint is anchored on the ids of what a finding is
about (``handoffs[contact.agent-gathers->...]``), so each finding about a moved step read as
fixed and introduced again, and an ignore comment above a handoff whose ends were retyped as
removed and added (lint's fingerprints are left as they are: baselines hold them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from test_diff import diff_here, git

MAP = "maps/support/billing-dispute.yaml"


@pytest.fixture
def measured(tmp_path: Path) -> Path:
    """The example maps with their metrics snapshots, committed: the bot-to-agent handoff's
    SLA is breached (93% in 2026-10)."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    shutil.copytree(ROOT / "examples" / "metrics", tmp_path / "examples" / "metrics")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # the snapshots and the sources they count
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    return tmp_path


def split_contact(repo: Path) -> None:
    """ "Agent gathers transaction details" moved out of "Contact support" into a new stage
    "Agent intake" (with the tickets it is measured on), its handoffs' ends retyped."""
    path = repo / MAP
    text = path.read_text()
    assert "      - id: agent-gathers\n" in text and "contact.agent-gathers" in text
    text = text.replace(
        "      - id: agent-gathers\n",
        "\n  - id: agent-intake\n    name: Agent intake\n    owner: support\n    evidence:\n"
        '      - {source: zendesk, kind: tickets, ref: "tag:billing_dispute", as_of: 2026-11-03}\n'
        "    steps:\n      - id: agent-gathers\n",
        1,
    )
    path.write_text(text.replace("contact.agent-gathers", "agent-intake.agent-gathers"))


def test_a_stage_split_in_two_neither_fixes_nor_brings_the_moved_steps_findings(measured: Path) -> None:
    """Before: `! suppression: a suppression this change adds hides 1 warning (1 of them new
    in this change)` of the ignore comment that moved with its handoff, `hidden (new)` of a
    channel switch its suppression hid on both sides, and the bot-to-agent handoff's
    `sla-breached` both `introduced` and `fixed`, nothing re-measured."""
    split_contact(measured)
    result = diff_here(measured, "HEAD")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        '    step moved: "Agent gathers transaction details" from stage "Contact support" to "Agent intake"'
        in lines
    )
    assert [line for line in lines if not line.startswith(("    ", "~ ", "Journey maps:"))] == [], lines
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    summary = data["summary"]
    assert {k: v for k, v in summary.items() if k.startswith("findings_") and v} == {}, summary
    assert diff_here(measured, "HEAD", "--check").returncode == 0


def test_a_finding_about_a_moved_step_the_change_brings_is_still_new(measured: Path) -> None:
    """Matched through the move, not waved through: the moved handoff's context lost as
    well (its ignore comment removed) is introduced."""
    split_contact(measured)
    path = measured / MAP
    text = path.read_text()
    path.write_text(
        text.replace(
            "  # journeymaps: ignore[handoff-context-lost] kept visible on purpose; fixed by finance-notes-sync\n",
            "",
        ).replace(
            "    sla_clock: first-reply    # the bot hands over to the agent's first reply: measured on it\n"
            "    context: carried\n",
            "    sla_clock: first-reply\n    context: lost\n",
        )
    )
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    introduced = [(f["rule"], f["message"].split(" loses ")[0]) for f in data["findings_introduced"]]
    assert introduced == [
        ("handoff-context-lost", "handoff contact.bot-answers -> agent-intake.agent-gathers")
    ], introduced
    shown = [(f["rule"]) for f in data["findings_unsuppressed"]]
    assert shown == ["handoff-context-lost"], data["findings_unsuppressed"]
    assert data["findings_fixed"] == [], data["findings_fixed"]


def test_a_moved_handoffs_evidence_and_x_keys_read_as_changes_of_that_handoff(measured: Path) -> None:
    """Paired by the old refs, the handoff from "Billing bot answers first" moved with its
    step said nothing of its evidence pulled again nor of its `x-` key edited (neither side
    had a handoff of those refs), nor of the moved step's own."""
    path = measured / MAP
    text = path.read_text()
    path.write_text(
        text.replace(
            "    note: The bot passes the invoice number and the chat so far to the agent.\n",
            "    note: The bot passes the invoice number and the chat so far to the agent.\n"
            '    evidence: [{source: zendesk, kind: tickets, ref: "tag:bot_handover", as_of: 2026-10-01}]\n'
            "    x-runbook: RB-12\n",
            1,
        ).replace(
            "        does: Looks up the subscription history and seat changes.\n",
            "        does: Looks up the subscription history and seat changes.\n        x-queue: billing\n",
            1,
        )
    )
    git(measured, "commit", "-qam", "handoff evidence")
    split_contact(measured)
    text = path.read_text()
    path.write_text(
        text.replace(
            "as_of: 2026-10-01}]\n    x-runbook: RB-12\n", "as_of: 2026-11-20}]\n    x-runbook: RB-13\n"
        )
        .replace("tag:bot_handover", "tag:bot_handoff")
        .replace("        x-queue: billing\n", "        x-queue: billing-tier2\n")
    )
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    handoff = 'handoff "Billing bot answers first" → "Agent gathers transaction details"'
    step = 'step "Agent gathers transaction details"'
    assert f"    evidence added to {handoff}: zendesk (tickets, tag:bot_handoff)" in lines, lines
    assert f"    evidence removed from {handoff}: zendesk (tickets, tag:bot_handover)" in lines, lines
    assert f"    x-runbook of {handoff}: RB-12 → RB-13" in lines, lines
    assert f"    x-queue of {step}: billing → billing-tier2" in lines, lines
    assert not [line for line in lines if "handoff added" in line or "handoff removed" in line], lines


def test_a_finding_at_the_moved_step_itself_stays_the_same_finding(measured: Path) -> None:
    """A finding about the step itself (its unknown owner, anchored at
    `stages[contact].steps[agent-gathers].owner`) read as fixed and introduced again."""
    path = measured / MAP
    text = path.read_text()
    assert "        lane: support\n        channel: chat\n        actor: agent\n" in text
    path.write_text(
        text.replace(
            "        lane: support\n        channel: chat\n        actor: agent\n",
            "        lane: support\n        owner: billing-ops\n        channel: chat\n        actor: agent\n",
            1,
        )
    )
    git(measured, "commit", "-qam", "an owner no teams.yaml lists")
    split_contact(measured)
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert (data["findings_introduced"], data["findings_fixed"]) == ([], []), data
    assert diff_here(measured, "HEAD", "--check").returncode == 0


def test_a_pain_point_at_a_moved_step_is_still_at_it(measured: Path) -> None:
    """A pain point at the moved step, its `at` retyped, read `place (at) of pain point …:
    "Agent gathers transaction details" in "Contact support" (removed) → "Agent gathers
    transaction details" in "Agent intake"`: a step still on the map called removed, and a
    pain point the change did not move said moved. Moved elsewhere as well, it says where
    it was, with no "(removed)"."""
    path = measured / MAP
    path.write_text(
        path.read_text().replace("    at: finance-review.asks-again\n", "    at: contact.agent-gathers\n", 1)
    )
    git(measured, "commit", "-qam", "the notes are lost where the agent gathers them")
    split_contact(measured)
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    assert not [line for line in lines if line.startswith("    ") and "pain point" in line], lines
    path.write_text(
        path.read_text().replace(
            "    at: agent-intake.agent-gathers\n", "    at: finance-review.asks-again\n", 1
        )
    )
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    said = [line for line in lines if line.startswith("    place (at) of pain point")]
    assert len(said) == 1 and said[0].endswith(
        ': "Agent gathers transaction details" in "Contact support" → '
        '"Finance asks the customer for the contract again" in "Finance review"'
    ), said
