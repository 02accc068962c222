"""Every rule's documented examples do what ``journeymaps explain`` says they do."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from conftest import rules_of
from journeymaps.diagnostics import Diagnostic
from journeymaps.rules import Rule, all_rules

EXAMPLED = [r for r in all_rules().values() if r.bad]


@pytest.mark.parametrize("rule", EXAMPLED, ids=lambda r: r.name)
def test_failing_example_triggers_the_rule(rule: Rule, project: Callable[..., list[Diagnostic]]) -> None:
    found = project(dict(rule.bad))
    assert rule.name in rules_of(found), found


@pytest.mark.parametrize("rule", EXAMPLED, ids=lambda r: r.name)
def test_passing_example_is_clean_for_the_rule(rule: Rule, project: Callable[..., list[Diagnostic]]) -> None:
    found = project(dict(rule.good))
    assert rule.name not in rules_of(found), found


def test_every_rule_is_documented() -> None:
    for rule in all_rules().values():
        assert rule.doc and rule.summary, rule.name
        assert rule.code.startswith("JM") and len(rule.code) == 5


def test_rules_without_examples_are_the_ones_a_map_cannot_show() -> None:
    assert {r.name for r in all_rules().values() if not r.bad} == {
        "unreadable-file",
        "invalid-settings",
        "mermaid-syntax",
        "diagram-failed",  # build, render and diff find it, laying out a diagram
        "unreadable-source",  # measure finds it, reading a support export or a database
        "unwritable-snapshot",  # measure finds it, writing a snapshot
    }


STATED = [r for r in all_rules().values() if r.states and r.bad]


@pytest.mark.parametrize("rule", STATED, ids=lambda r: r.name)
def test_a_rule_that_judges_some_map_states_is_silent_on_the_others(
    rule: Rule, project: Callable[..., list[Diagnostic]]
) -> None:
    """``states`` is what lint runs a map rule on, and what diff reads to call a finding no
    longer checked, not fixed, when a change turns its map to another state. The failing
    example, each of its maps in another state, reports nothing."""
    for state in {"current", "future"} - rule.states:
        files = {
            name: f"state: {state}\n" + re.sub(r"(?m)^state: \w+\n", "", text)
            if name not in ("teams.yaml", "personas.yaml")
            else text
            for name, text in rule.bad.items()
        }
        found = project(files)
        assert rule.name not in rules_of(found), (state, found)
        assert not [d for d in found if d.rule in ("schema", "unreadable-file")], found
