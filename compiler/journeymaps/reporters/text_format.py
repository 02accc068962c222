"""``path:line:col: CODE [rule] severity: message`` lines and a summary.

One finding per line, always: newlines and other control characters in a message (which
may quote a map's own text) are escaped.
"""

from __future__ import annotations

from typing import TextIO

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.reporters.base import Outcome, one_line, plural
from journeymaps.rules.input import INPUT_RULES, UNREADABLE_FILE

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def line(d: Diagnostic, colour: bool = False) -> str:
    """One finding as a line of text: ``file:line:col: CODE [rule] severity: message``."""
    where = _paint(f"{one_line(d.file)}:{d.line}:{d.column}:", "1", colour)
    code = _paint(d.code, _COLOURS[d.severity], colour)
    return f"{where} {code} [{d.rule}] {d.severity.value}: {one_line(d.message)}"


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    found = outcome.everything
    for d in found:
        out.write(line(d, colour) + "\n")
    if outcome.quiet:
        return
    errors, warnings, infos = (outcome.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    scope = outcome.scope
    if outcome.notifications:
        out.write("Nothing was checked: fix the settings first.\n")
        return
    if not found and not outcome.files:  # every file named skipped: "All checks passed" claimed a check
        out.write("Nothing to check: 0 files.\n")
        return
    if not found:
        out.write(_paint(f"All checks passed: {scope}.", "32", colour) + "\n")
        return
    counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(infos, 'info')}"
    out.write(f"Found {counts} in {scope}.\n")
    held = [name for name in held_back(found) if name not in outcome.not_maps]  # nothing to check further
    if held:
        # "Found 3 errors" read as all there was: a newcomer fixed them and met the
        # references and owners next, in a second round nothing had announced.
        names = ", ".join(one_line(name) for name in held[:3]) + (", ..." if len(held) > 3 else "")
        its, it = ("its", "it") if len(held) == 1 else ("their", "them")
        out.write(
            f"{plural(len(held), 'file')} ({names}) checked no further than {its} YAML or format "
            f"errors: references, owners and the other rules check {it} once these are fixed.\n"
        )


def held_back(found: list[Diagnostic]) -> list[str]:
    """The files whose reading failed (YAML, encoding, duplicate keys, the format): no other
    rule ran on them. A file that could not be read at all (a path mistyped, one too large)
    has no YAML or format errors to fix: its own finding says what is wrong."""
    return sorted(
        {
            d.file
            for d in found
            if d.rule in INPUT_RULES and d.rule != UNREADABLE_FILE and d.severity is Severity.ERROR
        }
    )
