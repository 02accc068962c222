"""``path:line:col: CODE [rule] severity: message`` lines and a summary.

One finding per line, always: newlines and other control characters in a message (which
may quote a map's own text) are escaped.
"""

from __future__ import annotations

from typing import TextIO

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.reporters.base import Outcome, one_line, plural

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
    scope = f"{plural(outcome.files, 'file')} ({plural(outcome.maps, 'map')})"
    if outcome.notifications:
        out.write("Nothing was checked: fix the settings first.\n")
        return
    if not found:
        out.write(_paint(f"All checks passed: {scope}.", "32", colour) + "\n")
        return
    counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(infos, 'info')}"
    out.write(f"Found {counts} in {scope}.\n")
