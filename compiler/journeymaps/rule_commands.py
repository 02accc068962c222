"""``journeymaps rules`` and ``journeymaps explain``: the rules' list and one rule's page."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from journeymaps.command_support import fail
from journeymaps.rules import Rule, all_rules, find_rule, named_with, with_code_prefix


def _rules_text(rules: list[Rule]) -> str:
    width = max(len(r.name) for r in rules)
    return "\n".join(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}" for r in rules)


def _rules_json(rules: list[Rule]) -> str:
    rows = [
        {"code": r.code, "rule": r.name, "severity": r.severity.value, "summary": r.summary} for r in rules
    ]
    return json.dumps(rows, indent=2)


#: ``rules --format``: each listing by name.
RULE_LISTINGS: dict[str, Callable[[list[Rule]], str]] = {"text": _rules_text, "json": _rules_json}


def run_explain(rule: str) -> None:
    """Print the explanation of ``rule`` (a name or a code); an unknown one is a usage error."""
    found = find_rule(rule)
    family = with_code_prefix(rule) if found is None else []
    if len(family) > 1:  # JM1 is the start of JM101-JM104, not a misspelt JM901
        listed = ", ".join(f"{r.code} {r.name}" for r in family)
        fail(
            f"'{rule}' is the start of {len(family)} rules' codes: {listed}; "
            f"explain one of them, e.g. 'journeymaps explain {family[0].code}'"
        )
    if found is None:
        import difflib

        names = {name: name for name in all_rules()} | {r.code.lower(): r.code for r in all_rules().values()}
        # A word of a name (`explain owner`, `explain stale`): spelt closest, it found
        # nothing, or only one of the rules it names.
        named = named_with(rule) if not family else []
        close = (
            [family[0].code.lower()]
            if family
            else named or difflib.get_close_matches(rule.lower(), names, n=1)
        )
        if len(close) > 1:
            hint = f" (rules named with it: {', '.join(close)})"
        else:
            hint = f" (did you mean '{names[close[0]]}'?)" if close else ""
        fail(f"unknown rule '{rule}'{hint}; run 'journeymaps rules' for the list")
    click.echo(render_explanation(found))


def render_explanation(rule: Rule) -> str:
    lines = [
        f"{rule.code} {rule.name} (default severity: {rule.severity.value})",
        "",
        rule.summary,
        "",
        *_judged(rule),
        rule.doc,
    ]
    for title, files in (("Fails", rule.bad), ("Passes", rule.good)):
        if not files:
            continue
        lines += ["", f"## {title}"]
        for name, text in files.items():
            lines += ["", f"# {name}", _example_text(text).rstrip("\n")]
    return "\n".join(lines)


def _judged(rule: Rule) -> list[str]:
    """The line that says which maps a rule judges, when not every map: its doc says why in
    prose, this says it the same way for every rule (``lint`` never runs it on the others)."""
    if not rule.states:
        return []
    return [f"Judges {' and '.join(sorted(rule.states))}-state maps only; other maps are not checked.", ""]


def _example_text(text: str) -> str:
    """An example file as a terminal can show it: its control characters and the bytes
    that are not UTF-8 as escapes (``\\x00``, ``\\xe9``). persona-photo's GIF wrote a NUL
    and other controls to the terminal, encoding's Latin-1 byte a U+FFFD."""
    decoded = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in decoded)
