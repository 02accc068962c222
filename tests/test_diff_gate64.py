"""journeymaps diff on a real git repository: a pain point added under an id already used, a
future-state map deleted, a handoff retargeted (and the suppression above it), a map id
renamed with its KPIs measured, and stage renames at scale."""

from __future__ import annotations

import json
from pathlib import Path

from test_diff import edit, jm, repo, texts

__all__ = ["repo"]  # the fixture, shared with test_diff

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
    result = jm(repo, "HEAD", "--format", "json")
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
        jm(repo, "HEAD").stdout.splitlines()
    )
    data = json.loads(jm(repo, "HEAD", "--format", "json").stdout)
    [removed] = [c for c in data["changes"] if c["kind"] == "map-removed"]
    assert removed["text"] == said
    assert said in jm(repo, "HEAD", "--format", "markdown").stdout


def test_a_future_state_map_deleted_with_its_journey_says_both_go(repo: Path) -> None:
    for name in ("admin-locked-out-future.yaml", "admin-locked-out.yaml"):
        (repo / "maps" / "support" / name).unlink()
    assert (
        '(the future state of "Admin locked out of their account" (admin-locked-out), which this change '
        "removes too)"
    ) in jm(repo, "HEAD").stdout
