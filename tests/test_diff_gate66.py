"""journeymaps diff on a real git repository: a handoff with both its ends edited in one
change (and the suppression above it), a map moved where the settings exclude it as the
summaries count it, and the handoff and stage matching in changes that touch both."""

from __future__ import annotations

import json
from pathlib import Path

from diff_helpers import (
    archive_billing_dispute,
    assert_kept_in_the_base,
    assert_no_suppression_said_added,
    exclude_archive,
    hidden_by_the_base,
)
from test_diff import diff_here, edit, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

BOTH = (
    "  - from: contact.agent-gathers\n    to: finance-review.finance-investigates",
    "  - from: contact.opens-chat\n    to: finance-review.asks-again",
)
MOVED = (
    'handoff from "Agent gathers transaction details" to "Finance investigates the seat true-up" '
    'now goes from "Opens a chat from the billing page" to "Finance asks the customer for the contract again"'
)


def _handoffs(repo: Path) -> list[tuple[str, str | None, object, object, str]]:
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    return [
        (c["kind"], c["field"], c["before"], c["after"], c["text"])
        for c in data["changes"]
        if c["kind"].startswith("handoff")
    ]


def test_a_handoff_with_both_ends_edited_is_one_change_in_every_format(repo: Path) -> None:
    """Its ``from`` and its ``to`` edited, its SLA, context and note kept: read as "handoff
    added" (with the same SLA and note) and "handoff removed"."""
    edit(repo, "billing-dispute.yaml", *BOTH)
    assert _handoffs(repo) == [
        (
            "handoff-retargeted",
            "ends",
            "contact.agent-gathers->finance-review.finance-investigates",
            "contact.opens-chat->finance-review.asks-again",
            MOVED,
        )
    ]
    text = diff_here(repo, "HEAD").stdout
    assert f"    {MOVED}\n" in text, text
    assert "handoff added" not in text and "handoff removed" not in text
    markdown = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert (
        "now goes from “Opens a chat from the billing page” to “Finance asks the customer for the contract again”"
        in markdown
    )
    assert "handoff added" not in diff_here(repo, "HEAD", "--format", "github").stdout
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    page = (site / "index.html").read_text()
    assert "now goes from" in page and "handoff added" not in page
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "`handoff-retargeted` with field `ends`" in readme


def test_a_suppression_above_a_handoff_with_both_ends_edited_is_kept_not_added(repo: Path) -> None:
    """``--check --strict`` failed on the comment the base had: "suppression comments the
    change adds hide 1 warning it brings"."""
    edit(repo, "billing-dispute.yaml", *BOTH)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert_no_suppression_said_added(result)
    assert "now hides 1 warning about a handoff the change moves to other steps at both ends" in result.stderr
    hidden_by_the_base(result, "moved at both ends")
    assert_kept_in_the_base(repo)


def test_a_handoff_replaced_by_one_between_other_steps_with_nothing_alike_is_added_and_removed(
    repo: Path,
) -> None:
    """Nothing ties the two (other ends, SLA, context and note): not one handoff moved."""
    edit(
        repo,
        "billing-dispute.yaml",
        "  - from: contact.agent-gathers\n    to: finance-review.finance-investigates\n    sla: 1bd\n"
        "    context: lost\n    note: Escalated by a Slack message; the chat transcript is not attached.\n",
        "  - from: contact.opens-chat\n    to: finance-review.asks-again\n    sla: 2h\n    context: carried\n",
    )
    assert [k for k, *_ in _handoffs(repo)] == ["handoff-added", "handoff-removed"]


def test_a_map_moved_where_the_settings_exclude_it_is_not_counted_removed(repo: Path) -> None:
    """The comment's summary read "**1 map removed**" above the line saying the map moved
    out of every check, and the review page badged it "removed"."""
    exclude_archive(repo)
    archive_billing_dispute(repo)
    markdown = diff_here(repo, "HEAD", "--format", "markdown").stdout
    summary = next(line for line in markdown.splitlines() if "findings:" in line)
    assert summary.startswith("**1 map moved out of the checks** · findings:"), summary
    assert "removed" not in summary, summary
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    [moved] = [m for m in data["maps"] if m["id"] == "billing-dispute"]
    assert moved["excluded_file"] == "maps/archive/billing-dispute.yaml", moved
    assert (data["summary"]["maps"]["removed"], data["summary"]["maps"]["excluded"]) == (1, 1)
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    page = (site / "index.html").read_text()
    assert '<span class="badge warning">moved out of the checks</span>' in page
    assert ">removed</span>" not in page


def test_a_map_removed_beside_one_moved_out_of_the_checks_is_counted_apart(repo: Path) -> None:
    """One map removed, another moved where the settings exclude it: "2 maps removed", and
    the removed one's findings "gone with removed maps"."""
    exclude_archive(repo)
    archive_billing_dispute(repo)
    git(repo, "rm", "-q", "maps/support/admin-locked-out-future.yaml")
    markdown = diff_here(repo, "HEAD", "--format", "markdown").stdout
    summary = next(line for line in markdown.splitlines() if "findings:" in line)
    assert summary.startswith("**1 map removed** · **1 map moved out of the checks** · "), summary
    assert "gone with removed maps" not in summary, summary


def _rename_contact_stage(repo: Path) -> None:
    """The stage id contact renamed intake, with every ref to its steps."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    text = path.read_text().replace("  - id: contact\n", "  - id: intake\n")
    path.write_text(text.replace("contact.", "intake."))


def test_a_handoff_sent_elsewhere_as_its_from_stage_is_renamed_is_said_sent_elsewhere(repo: Path) -> None:
    """The stage holding its ``from`` renamed, its ``to`` edited: the suppression above it
    said to hide a warning about a handoff "this change moves to other steps at both ends",
    its ``from`` retyped by the rename read as edited."""
    _rename_contact_stage(repo)
    edit(
        repo,
        "billing-dispute.yaml",
        "    to: finance-review.finance-investigates\n    sla: 1bd",
        "    to: finance-review.asks-again\n    sla: 1bd",
    )
    assert [(k, f) for k, f, *_ in _handoffs(repo)] == [("handoff-retargeted", "to")]
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert "now hides 1 warning about a handoff this change sends to another step:" in result.stdout, (
        result.stdout
    )
    assert "both ends" not in result.stdout + result.stderr
    hidden_by_the_base(result, "sent to another step")


def test_two_handoffs_trading_their_from_are_each_said_from_another_step(repo: Path) -> None:
    """Each kept its SLA and note, their ``from`` lines traded: read as each sent to the
    other's target, with the other's SLA ("15 minutes → 30 minutes") and note (removed)."""
    path = repo / "maps" / "support" / "production-outage.yaml"
    text = path.read_text()
    text = text.replace("  - from: report.ack\n", "  - from: @@\n").replace(
        "  - from: fix.fix-deployed\n", "  - from: report.ack\n"
    )
    path.write_text(text.replace("  - from: @@\n", "  - from: fix.fix-deployed\n"))
    said = [(k, f, b, a) for k, f, b, a, _ in _handoffs(repo)]
    assert said == [
        ("handoff-retargeted", "from", "report.ack", "fix.fix-deployed"),
        ("handoff-retargeted", "from", "fix.fix-deployed", "report.ack"),
    ], said


def test_two_handoffs_trading_their_to_are_each_said_sent_to_another_step(repo: Path) -> None:
    """The other reading of a trade, kept: each ``to`` edited, its SLA and note with it."""
    path = repo / "maps" / "support" / "production-outage.yaml"
    text = path.read_text()
    text = text.replace("    to: escalation.on-call-paged\n", "    to: @@\n").replace(
        "    to: fix.resolved-mail\n", "    to: escalation.on-call-paged\n"
    )
    path.write_text(text.replace("    to: @@\n", "    to: fix.resolved-mail\n"))
    said = [(k, f, b, a) for k, f, b, a, _ in _handoffs(repo)]
    assert said == [
        ("handoff-retargeted", "to", "escalation.on-call-paged", "fix.resolved-mail"),
        ("handoff-retargeted", "to", "fix.resolved-mail", "escalation.on-call-paged"),
    ], said


def test_a_handoff_sent_elsewhere_beside_one_added_from_its_step_is_one_change(repo: Path) -> None:
    """Its ``to`` edited and another handoff added from the same step: two come from it, so
    neither was paired: "handoff added" twice, "handoff removed", and the suppression above
    it read as one the change adds (``--check --strict`` failed on the base's comment)."""
    edit(
        repo,
        "billing-dispute.yaml",
        "    to: finance-review.finance-investigates\n",
        "    to: finance-review.asks-again\n",
    )
    added = "  - from: contact.agent-gathers\n    to: resolution.refund-issued\n    sla: 2h\n    context: carried\n"
    edit(repo, "billing-dispute.yaml", "\npain_points:", f"{added}\npain_points:")
    said = [(k, f, b, a) for k, f, b, a, _ in _handoffs(repo)]
    assert said == [
        ("handoff-retargeted", "to", "finance-review.finance-investigates", "finance-review.asks-again"),
        ("handoff-added", None, None, "contact.agent-gathers → resolution.refund-issued"),
    ], said
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert "suppression comments the change adds" not in result.stderr, result.stderr


def test_a_step_id_renamed_that_a_handoff_points_at_is_one_change(repo: Path) -> None:
    """The step finance-investigates renamed investigates (its name, place and fields kept)
    with the handoff to it: read as "step added", "step removed" and the handoff "now goes to
    "Finance investigates the seat true-up", was "Finance investigates the seat true-up"
    (removed)"; the suppression above the handoff as one hiding a warning about a handoff
    sent to another step."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("finance-investigates", "investigates"))
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    said = [(c["kind"], c["field"], c["before"], c["after"], c["text"]) for c in data["changes"]]
    assert said == [
        (
            "step-changed",
            "id",
            "finance-investigates",
            "investigates",
            'step id changed: finance-investigates → investigates (step "Finance investigates the seat true-up")',
        )
    ], said
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "another step" not in result.stdout + result.stderr
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "is `step-changed` with field `id`" in readme


def test_a_handoff_with_both_ends_edited_is_known_by_its_x_keys(repo: Path) -> None:
    """Its ends, SLA and note all edited, its ``x-`` key kept: the same handoff, moved (its
    SLA and note said changed), not one added and one removed."""
    edit(repo, "billing-dispute.yaml", "    sla: 1bd\n", "    sla: 1bd\n    x-ticket: FIN-42\n")
    git(repo, "commit", "-qam", "ticket")
    edit(repo, "billing-dispute.yaml", *BOTH)
    edit(repo, "billing-dispute.yaml", "    sla: 1bd\n", "    sla: 4h\n")
    edit(repo, "billing-dispute.yaml", "Escalated by a Slack message", "Escalated by email")
    assert [(k, f) for k, f, *_ in _handoffs(repo)] == [
        ("handoff-retargeted", "ends"),
        ("handoff-changed", "sla"),
        ("handoff-changed", "note"),
    ]
