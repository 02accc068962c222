"""journeymaps diff on a real git repository: a pain point added under an id already used, a
future-state map deleted, a handoff retargeted (and the suppression above it), a map id
renamed with its KPIs measured, and stage renames at scale."""

from __future__ import annotations

import json
from pathlib import Path

from diff_helpers import assert_kept_in_the_base, assert_no_suppression_said_added, hidden_by_the_base
from test_diff import diff_here, edit, git, repo, texts
from test_diff_restaged import measured as measured

__all__ = ["measured", "repo"]  # the fixtures, shared with test_diff and test_diff_restaged

DUPLICATE = """  - id: surprise-true-up
    at: resolution.refund-email
    kind: technical
    summary: The refund email shows the wrong amount.
    volume: 30
    severity: 2
"""


def test_a_pain_point_added_under_an_id_already_used_is_said(repo: Path) -> None:
    """A second pain point with an id the map already has (an error lint reports): diff said
    nothing of it, as the first one with that id was unchanged."""
    edit(repo, "billing-dispute.yaml", "\nopportunities:\n", f"{DUPLICATE}\nopportunities:\n")
    result = diff_here(repo, "HEAD", "--format", "json")
    data = json.loads(result.stdout)
    said = texts(data)["billing-dispute"]
    assert (
        'pain point added: "The refund email shows the wrong amount." (technical, severity 2, '
        '30 contacts/month) at "Refund confirmation email" in "Resolution" (its id surprise-true-up is '
        "already used by another pain point of the map)"
    ) in said, said
    assert not [c for c in data["changes"] if c["kind"] == "pain-point-changed"], data["changes"]
    assert any(d["rule"] == "duplicate-id" for d in data["findings_introduced"]), data["findings_introduced"]


def test_a_future_state_map_deleted_says_which_journey_it_improved(repo: Path) -> None:
    """It read "map removed" alone: whether the team dropped a plan or a journey was not said."""
    (repo / "maps" / "support" / "admin-locked-out-future.yaml").unlink()
    said = (
        'map removed (the future state of "Admin locked out of their account" (admin-locked-out), '
        "which stays), and its 1 finding with it"
    )
    assert f"- Admin locked out of their account (future state) (admin-locked-out-future): {said}" in (
        diff_here(repo, "HEAD").stdout.splitlines()
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    [removed] = [c for c in data["changes"] if c["kind"] == "map-removed"]
    assert removed["text"] == said
    assert said in diff_here(repo, "HEAD", "--format", "markdown").stdout


def test_a_future_state_map_deleted_with_its_journey_says_both_go(repo: Path) -> None:
    for name in ("admin-locked-out-future.yaml", "admin-locked-out.yaml"):
        (repo / "maps" / "support" / name).unlink()
    assert (
        '(the future state of "Admin locked out of their account" (admin-locked-out), which this change '
        "removes too)"
    ) in diff_here(repo, "HEAD").stdout


RETARGET = ("    to: finance-review.finance-investigates\n", "    to: finance-review.asks-again\n")
RETARGETED = (
    'handoff from "Agent gathers transaction details" now goes to "Finance asks the customer for the '
    'contract again", was "Finance investigates the seat true-up"'
)


def test_a_retargeted_handoff_is_one_change_in_every_format(repo: Path) -> None:
    """Its ``to`` edited read as "handoff added" (with its SLA and note) and "handoff removed"."""
    edit(repo, "billing-dispute.yaml", *RETARGET)
    edit(
        repo, "billing-dispute.yaml", "    sla: 1bd\n    context: lost\n", "    sla: 4h\n    context: lost\n"
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    handoffs = [c for c in data["changes"] if c["kind"].startswith("handoff")]
    assert [(c["kind"], c["field"], c["before"], c["after"]) for c in handoffs] == [
        ("handoff-retargeted", "to", "finance-review.finance-investigates", "finance-review.asks-again"),
        ("handoff-changed", "sla", "1bd", "4h"),
    ], handoffs
    assert handoffs[0]["text"] == RETARGETED
    assert handoffs[0]["ids"] == {"handoff": "contact.agent-gathers->finance-review.asks-again"}
    text = diff_here(repo, "HEAD").stdout
    assert f"    {RETARGETED}\n" in text
    assert "handoff added" not in text and "handoff removed" not in text
    curly = "now goes to “Finance asks the customer for the contract again”, was “Finance investigates the seat true-up”"
    assert curly in diff_here(repo, "HEAD", "--format", "markdown").stdout
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    page = (site / "index.html").read_text()
    assert "now goes to" in page and "handoff added" not in page
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "`handoff-retargeted` with field `to`" in readme


def test_a_suppression_above_a_retargeted_handoff_is_kept_and_said(repo: Path) -> None:
    """The handoff under ``# journeymaps: ignore[handoff-context-lost]`` sent to another step:
    diff said "a suppression this change adds hides 1 warning (1 of them new)", though no
    comment was added, and ``--check --strict`` failed on it. The comment is the base's; what
    it hides is now about a handoff that goes elsewhere, which the reviewer reads."""
    edit(repo, "billing-dispute.yaml", *RETARGET)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert_no_suppression_said_added(result)
    assert (
        "! suppression: a suppression both sides have now hides 1 warning about a handoff this change "
        "sends to another step: ignore[handoff-context-lost] at maps/support/billing-dispute.yaml:134 "
        "covers lines 135-140 (reported, not judged: the suppression was in the base; is its reason "
        "still true?)"
    ) in result.stdout.splitlines(), result.stdout
    finding = hidden_by_the_base(result, "sent to another step")
    assert finding.startswith("maps/support/billing-dispute.yaml:138:14: JM403 [handoff-context-lost]"), (
        finding
    )
    # Judged: only the undeclared handoff the retarget leaves behind, never the comment.
    assert result.returncode == 1
    assert "the change introduces 1 warning" in result.stderr
    assert "now hides 1 warning about a handoff the change sends to another step" in result.stderr
    assert_kept_in_the_base(repo)
    notes = diff_here(repo, "HEAD", "--format", "github").stdout
    assert "above a handoff this change sends to another step: reported, not judged" in notes


def test_a_map_id_renamed_away_from_its_snapshot_is_no_longer_measured(measured: Path) -> None:
    """Snapshots are kept by map id (metrics/<id>.json): renamed, the map's KPIs fell back to
    their declared values, and a KPI measured on target in the base (2.83 hours, target 3)
    read as a newly introduced kpi-off-target (6 hours declared). Nothing said the snapshot
    was left behind under the old id."""
    repo = measured
    path = repo / "maps" / "support" / "admin-locked-out.yaml"
    frt = (
        "      - name: First reply time (email)\n        metric: frt\n        current: 6\n        target: 1\n"
    )
    path.write_text(path.read_text().replace(frt, frt.replace("target: 1", "target: 3"), 1))
    git(repo, "commit", "-qam", "a target the measured value meets")
    for name in ("admin-locked-out.yaml", "admin-locked-out-future.yaml", "production-outage.yaml"):
        other = repo / "maps" / "support" / name
        text = other.read_text().replace("id: admin-locked-out\n", "id: admin-lockout\n")
        text = text.replace("based_on: admin-locked-out\n", "based_on: admin-lockout\n")
        other.write_text(text.replace("admin-locked-out/", "admin-lockout/"))
    result = diff_here(repo, "HEAD")
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("! introduced")], result.stdout
    assert (
        "    map id changed: admin-locked-out → admin-lockout (its metrics snapshot "
        "examples/metrics/admin-locked-out.json is kept under the old id: rename it to admin-lockout.json "
        "or run 'journeymaps measure' again; until then the map's numbers are its declared ones)"
    ) in lines, result.stdout
    unmeasured = [line for line in lines if line.startswith("? no longer measured")]
    assert [line for line in unmeasured if "'First reply time (email)' is 6 hours (declared)" in line], (
        unmeasured
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["findings_introduced"] == []
    assert "First reply time (email)" in json.dumps(data["findings_unmeasured"])


def _stages_map(repo: Path, stages: list[tuple[str, str, list[str]]]) -> None:
    """A map of the given stages (id, name, step ids) at maps/support/many.yaml."""
    lines = [
        "id: many",
        "title: Many stages",
        "owner: support",
        "reviewed: 2026-11-01",
        "persona: {name: Admin, archetype: developer/admin, goal: Get back in}",
        "scenario: Locked out.",
        "stages:",
    ]
    for sid, name, steps in stages:
        lines += [f"  - id: {sid}", f"    name: {name}", "    owner: support"]
        lines += ["    steps:"] + [f"      - {{id: {st}, name: Does {st}, lane: customer}}" for st in steps]
    (repo / "maps" / "support" / "many.yaml").write_text("\n".join(lines) + "\n")


def _changes_of(repo: Path, map_id: str) -> list[str]:
    return texts(json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)).get(map_id, [])


def test_a_stage_renamed_into_the_id_of_a_stage_the_change_removes(repo: Path) -> None:
    """Stage "Triage" removed, "Contact" given its id: it read as "Triage" renamed "Contact",
    "Contact" removed, and the step moved from "Contact (removed)" to "Contact"."""
    _stages_map(repo, [("contact", "Contact", ["opens-chat"]), ("triage", "Triage", ["agent-checks"])])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many")
    _stages_map(repo, [("triage", "Contact", ["opens-chat"])])
    assert _changes_of(repo, "many") == [
        'stage id changed: contact → triage (stage "Contact")',
        'stage removed: "Triage"',
    ]


def test_every_stage_of_the_largest_map_renamed_each_into_the_next_one_s_id(repo: Path) -> None:
    """100 stages (the schema's most), each given the next one's id, the last one removed: a
    chain of renames, each kept only by the next, unravelled one pair a round (cubic)."""
    _stages_map(repo, [(f"s-{i}", f"Stage {i}", [f"step-{i}"]) for i in range(100)])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many")
    _stages_map(repo, [(f"s-{i + 1}", f"Stage {i}", [f"step-{i}"]) for i in range(99)])
    said = _changes_of(repo, "many")
    assert said == [f'stage id changed: s-{i} → s-{i + 1} (stage "Stage {i}")' for i in range(99)] + [
        'stage removed: "Stage 99"'
    ], said[:5]


def test_a_stage_given_an_id_another_stage_has_is_not_that_stage_renamed(repo: Path) -> None:
    """A duplicate id (an error lint reports): the second stage of the id read as the first
    one renamed ("stage renamed: "Contact" → "Triage"")."""
    _stages_map(repo, [("contact", "Contact", ["opens-chat"]), ("triage", "Triage", ["agent-checks"])])
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many")
    _stages_map(repo, [("contact", "Contact", ["opens-chat"]), ("contact", "Triage", ["agent-checks"])])
    said = _changes_of(repo, "many")
    assert not [line for line in said if line.startswith("stage renamed")], said
    assert (
        'stage added: "Triage" (owner Customer Support (Tier 1)) at position 2, after "Contact", with 1 step: '
        '"Does agent-checks" (its id contact is already used by another stage of the map)'
    ) in said, said
