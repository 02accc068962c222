"""The rule registry is the only list of rules: what derives from it agrees with it."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator

import pytest

from conftest import ROOT
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.model import Map
from journeymaps.rules import REGISTRY, Context, Finding, Kind, Rule, all_rules, names_of, register
from journeymaps.rules.input import FATAL_RULES, INPUT_RULES


def test_the_readme_lists_every_rule_as_the_registry_declares_it() -> None:
    """The README's rule table: every rule, in code order, with its name and default severity
    (its last column is the README's own words)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (JM\d{3}) \| ([a-z-]+) \| (error|warning|info) \|", section, re.M)
    assert rows == [(r.code, r.name, r.severity.value) for r in all_rules().values()]


def test_input_and_fatal_rules_are_the_registry_kinds() -> None:
    assert names_of(Kind.FATAL) == FATAL_RULES
    assert names_of(Kind.FATAL, Kind.INPUT) == INPUT_RULES


def test_each_kind_of_rule_has_the_check_its_kind_runs() -> None:
    for rule in all_rules().values():
        assert (rule.check_map is not None) == (rule.kind is Kind.MAP), rule.name
        assert (rule.check_project is not None) == (rule.kind is Kind.PROJECT), rule.name


def _every_map(m: Map, ctx: Context) -> Iterator[Finding]:
    yield Finding.at(m.loc, f"map '{m.id}' seen", "id", key=True)


def test_a_map_rule_runs_only_on_the_map_states_it_declares(
    project: Callable[..., list[Diagnostic]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry's ``states`` is the one place a rule says which maps it judges: a rule
    declaring future-state maps found nothing on a current-state map only because its body
    checked the state again (a rule whose body forgot it reported on every map, while diff
    called its findings no longer checked when a map left that state)."""
    all_rules()
    rule = Rule("seen-future", "JM998", Severity.WARNING, "s", "d", check_map=_every_map, kind=Kind.MAP)
    monkeypatch.setitem(REGISTRY, rule.name, dataclasses.replace(rule, states=frozenset({"future"})))
    monkeypatch.setitem(REGISTRY, "seen-any", dataclasses.replace(rule, name="seen-any", code="JM999"))
    found = project(
        {
            "now.yaml": "id: now\ntitle: Now\nstages: [{id: a, name: A}]\n",
            "next.yaml": "id: next\ntitle: Next\nstate: future\nbased_on: now\nstages: [{id: a, name: A}]\n",
        }
    )
    assert [d.message for d in found if d.rule == "seen-future"] == ["map 'next' seen"]
    assert sorted(d.message for d in found if d.rule == "seen-any") == ["map 'next' seen", "map 'now' seen"]


def test_states_are_map_states_declared_on_map_rules_only() -> None:
    """A state the schema does not have would silence a rule on every map; states on a project
    rule (which the pipeline runs once, not per map) would be obeyed by no one."""
    schema = json.loads((ROOT / "schema" / "journey-map.schema.json").read_text("utf-8"))
    states = frozenset(schema["properties"]["state"]["enum"])
    declared = {r.name: r.states for r in all_rules().values() if r.states}
    assert set(declared) == {
        "unvalidated-stage",
        "future-without-baseline",
        "unhappy-ending",
        "moment-of-truth-negative",
    }
    for name, wanted in declared.items():
        assert wanted <= states and all_rules()[name].kind is Kind.MAP, name
    lost = Rule("lost", "JM997", Severity.WARNING, "s", "d", kind=Kind.PROJECT, states=frozenset({"future"}))
    with pytest.raises(ValueError, match="declares states but has no map check"):
        register(lost)
    assert "lost" not in REGISTRY
