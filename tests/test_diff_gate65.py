"""journeymaps diff on a real git repository: a map id renamed away from its snapshot (its
KPIs no longer measured, not moved), a handoff whose ``from`` is edited (and the suppression
above it), and a map moved where the settings exclude it with a new error in the move."""

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
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
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
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    assert f"    {said}" in lines, lines
    assert not [line for line in lines if line.endswith((", worse", ", better"))], lines


def test_a_kpi_measured_for_the_first_time_is_not_said_to_move(measured: Path) -> None:
    """The map's snapshot added (its first 'journeymaps measure'): "Time to resolution" read
    `14 hours → 19.2 hours (measured, as of 2026-10), worse`, its declared value against the
    first measured one, as if the journey had got slower."""
    git(measured, "rm", "-q", "examples/metrics/admin-locked-out.json")
    git(measured, "commit", "-qm", "no snapshot")
    git(measured, "checkout", "-q", "HEAD~1", "--", "examples/metrics/admin-locked-out.json")
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    assert (
        '    KPI "Time to resolution": now measured, 19.2 hours as of 2026-10 (the base had only its '
        "declared 14 hours)"
    ) in lines, lines
    assert not [line for line in lines if line.endswith((", worse", ", better"))], lines


REFROM = (
    "  - from: contact.agent-gathers\n    to: finance-review",
    "  - from: contact.opens-chat\n    to: finance-review",
)
REFROMED = (
    'handoff to "Finance investigates the seat true-up" now comes from "Opens a chat from the billing '
    'page", was "Agent gathers transaction details"'
)


def test_a_handoff_whose_from_is_edited_is_one_change_in_every_format(repo: Path) -> None:
    """Its ``from`` edited (the same ``to``) read as "handoff added" (with its SLA and note)
    and "handoff removed", where its ``to`` edited read as one ``handoff-retargeted``."""
    edit(repo, "billing-dispute.yaml", *REFROM)
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    handoffs = [c for c in data["changes"] if c["kind"].startswith("handoff")]
    assert [(c["kind"], c["field"], c["before"], c["after"], c["text"]) for c in handoffs] == [
        ("handoff-retargeted", "from", "contact.agent-gathers", "contact.opens-chat", REFROMED)
    ], handoffs
    assert handoffs[0]["ids"] == {"handoff": "contact.opens-chat->finance-review.finance-investigates"}
    text = diff_here(repo, "HEAD").stdout
    assert f"    {REFROMED}\n" in text
    assert "handoff added" not in text and "handoff removed" not in text
    curly = "now comes from “Opens a chat from the billing page”, was “Agent gathers transaction details”"
    assert curly in diff_here(repo, "HEAD", "--format", "markdown").stdout
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    page = (site / "index.html").read_text()
    assert "now comes from" in page and "handoff added" not in page
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "`handoff-retargeted` with field `from`" in readme


def test_a_suppression_above_a_handoff_whose_from_is_edited_is_kept_and_said(repo: Path) -> None:
    """The handoff under ``# journeymaps: ignore[handoff-context-lost]`` given another
    ``from``: "a suppression this change adds hides 1 warning (1 of them new)", and
    ``--check --strict`` failed on the comment the base had ("suppression comments the change
    adds hide 1 warning it brings")."""
    edit(repo, "billing-dispute.yaml", *REFROM)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert_no_suppression_said_added(result)
    assert (
        "! suppression: a suppression both sides have now hides 1 warning about a handoff this change "
        "starts from another step: ignore[handoff-context-lost] at maps/support/billing-dispute.yaml:134 "
        "covers lines 135-140 (reported, not judged: the suppression was in the base; is its reason "
        "still true?)"
    ) in result.stdout.splitlines(), result.stdout
    finding = hidden_by_the_base(result, "now from another step")
    assert finding.startswith("maps/support/billing-dispute.yaml:138:14: JM403 [handoff-context-lost]"), (
        finding
    )
    # Judged: only the undeclared handoff the edit leaves behind, never the comment.
    assert result.returncode == 1
    assert "the change introduces 1 warning" in result.stderr
    assert "now hides 1 warning about a handoff the change starts from another step" in result.stderr
    assert_kept_in_the_base(repo)
    notes = diff_here(repo, "HEAD", "--format", "github").stdout
    assert "above a handoff this change starts from another step: reported, not judged" in notes


def test_a_map_moved_where_the_settings_exclude_it_with_a_new_error_is_not_a_pass(repo: Path) -> None:
    """Moved into an excluded folder with an unknown owner added in the move: ``diff
    --check`` passed with nothing on standard error, the summary read "3 gone with a removed
    map" and nothing said the move edited the file no check reads. The edit's new error is
    judged (see test_diff_excluded_edits); the map's old findings are still only reported."""
    exclude_archive(repo)
    archive_billing_dispute(repo, misspell_owner=True)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "- Unexpected charge on the monthly invoice (billing-dispute): map moved to "
        "maps/archive/billing-dispute.yaml, which the settings exclude: no longer linted, compared "
        "or published (edited in the move, with 1 finding the base's map did not have), and its 3 "
        "findings with it, not fixed"
    ) in result.stdout.splitlines(), result.stdout
    assert result.stderr.splitlines()[1] == (
        "journeymaps diff --check: 1 map moved where the settings exclude it, out of every check "
        "(billing-dispute, now at maps/archive/billing-dispute.yaml): its 3 findings are not fixed: "
        "reported, not judged"
    ), result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["findings_fixed"] == []
    summary = "findings: 3 no longer checked (not fixed: their map moved where the settings exclude it)"
    assert summary in diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "gone with a removed map" not in diff_here(repo, "HEAD", "--format", "github").stdout


def test_the_gate_names_a_nested_settings_file_the_hook_reads_instead(repo: Path) -> None:
    """maps/support/journeymaps.toml turns undeclared-handoff off: the pre-commit hook (lint
    naming the file) reads it and passes, and warns; the CI gate (diff from the top, with
    journeymaps.toml) fails the same change on that rule and said nothing of the other file."""
    (repo / "journeymaps.toml").write_text("cost-per-contact = 12\n")
    (repo / "maps" / "support" / "journeymaps.toml").write_text('[rules]\nundeclared-handoff = "off"\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "settings")
    edit(repo, "billing-dispute.yaml", *REFROM)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 1
    assert "JM401 [undeclared-handoff]" in result.stdout
    assert (
        "warning: maps/support/journeymaps.toml and journeymaps.toml both apply to maps/support/: "
        "journeymaps lint naming files there uses maps/support/journeymaps.toml"
    ) in result.stderr, result.stderr
