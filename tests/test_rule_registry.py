"""The rule registry is the only list of rules: what derives from it agrees with it."""

from __future__ import annotations

import re

from conftest import ROOT
from journeymaps.rules import Kind, all_rules, names_of
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
