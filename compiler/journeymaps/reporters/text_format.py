"""``path:line:col: CODE [rule] severity: message`` lines and a summary."""

from __future__ import annotations

from typing import TextIO

from journeymaps.diagnostics import Severity
from journeymaps.reporters.base import Outcome

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    for d in outcome.diagnostics:
        where = _paint(f"{d.file}:{d.line}:{d.column}:", "1", colour)
        code = _paint(d.code, _COLOURS[d.severity], colour)
        out.write(f"{where} {code} [{d.rule}] {d.severity.value}: {d.message}\n")
    errors, warnings, infos = (outcome.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    scope = f"{_plural(outcome.files, 'file')} ({_plural(outcome.maps, 'map')})"
    if not outcome.diagnostics:
        out.write(_paint(f"All checks passed: {scope}.", "32", colour) + "\n")
        return
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}, {_plural(infos, 'info')}"
    out.write(f"Found {counts} in {scope}.\n")
