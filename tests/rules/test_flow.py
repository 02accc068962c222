from __future__ import annotations

import pytest

from conftest import BASE, at

THREE = (
    BASE
    + """\
  - id: three
    name: Three
    owner: support
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]
"""
)


def test_loop_without_breaker_points_at_the_transition(project):
    text = THREE.replace("    owner: product\n", "    owner: product\n    next: [one, three]\n")
    found = project({"m.yaml": text})
    assert at(found, "loop-without-breaker") == [(14, 12)]
    assert "loops back to 'one'" in found[0].message


def test_self_loop_is_a_loop(project):
    text = THREE.replace(
        "    owner: product\n", "    owner: product\n    next: [{to: two, label: again}, three]\n"
    )
    assert at(project({"m.yaml": text}), "loop-without-breaker") == [(14, 12)]


def test_loop_with_breaker_passes(project):
    text = THREE.replace(
        "    owner: product\n",
        "    owner: product\n    next: [{to: one, breaker: escalate after 2 replies}, three]\n",
    )
    assert at(project({"m.yaml": text}), "loop-without-breaker") == []


def test_forward_branches_are_not_loops(project):
    text = THREE.replace(
        "    owner: support\n    evidence", "    owner: support\n    next: [two, three]\n    evidence", 1
    ).replace("    owner: product\n", "    owner: product\n    next: [three]\n")
    assert project({"m.yaml": text}) == []


def test_dead_end_points_at_next(project):
    text = THREE.replace("    owner: product\n", "    owner: product\n    next: []\n")
    found = project({"m.yaml": text})
    assert at(found, "dead-end") == [(14, 11)]
    # ...and the stage after it can no longer be reached.
    assert at(found, "unreachable-stage") == [(16, 5)]


def test_intended_end_is_not_a_dead_end(project):
    text = THREE.replace("    owner: product\n", "    owner: product\n    next: []\n    end: true\n")
    assert at(project({"m.yaml": text}), "dead-end") == []


def test_last_stage_may_end_the_journey(project):
    assert at(project({"m.yaml": THREE + "    next: []\n"}), "dead-end") == []


def test_unreachable_stage_when_flow_skips_it(project):
    text = THREE.replace(
        "    owner: support\n    evidence", "    owner: support\n    next: [three]\n    evidence", 1
    )
    found = project({"m.yaml": text})
    assert at(found, "unreachable-stage") == [(12, 5)]
    # It said only "no next leads to it", not what to write.
    (unreachable,) = (d for d in found if d.rule == "unreachable-stage")
    assert unreachable.message.endswith("name it in the next: of a stage before it, or remove it")


@pytest.mark.parametrize("breaker", ["none yet", "TODO", "tbd", "n/a", "None.", "?"])
def test_a_placeholder_breaker_does_not_silence_the_loop(project, breaker) -> None:
    text = THREE.replace(
        "    owner: product\n", f'    owner: product\n    next: [{{to: one, breaker: "{breaker}"}}, three]\n'
    )
    found = project({"m.yaml": text})
    assert at(found, "loop-without-breaker") == [(14, 12)]
    assert f"with no circuit breaker ('{breaker}' is a placeholder)" in found[0].message


BRANCHES = (
    BASE.replace(
        "    owner: support\n    evidence", "    owner: support\n    next: [two, three]\n    evidence", 1
    )
    + """\
  - id: three
    name: Three
    owner: support
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]
"""
)


def test_a_branch_falling_through_into_its_sibling_is_reported(project) -> None:
    found = project({"m.yaml": BRANCHES})
    assert at(found, "branch-fall-through") == [(12, 5)]
    assert found[0].message.startswith(
        "stage 'two' (a branch of 'one') falls through into its sibling branch 'three' by list order"
    )


@pytest.mark.parametrize(
    "fix",
    ["    next: [three]\n", "    next: []\n    end: true\n", "    next: [four]\n"],
)
def test_a_branch_that_says_where_it_goes_is_fine(project, fix) -> None:
    text = BRANCHES.replace("    owner: product\n", "    owner: product\n" + fix) + (
        "  - id: four\n    name: Four\n    owner: support\n"
        "    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n"
    )
    assert at(project({"m.yaml": text}), "branch-fall-through") == []
