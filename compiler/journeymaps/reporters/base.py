"""What every reporter receives."""

from __future__ import annotations

from dataclasses import dataclass

from journeymaps.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Outcome:
    """Findings of a run and the counts its summary needs."""

    diagnostics: list[Diagnostic]
    files: int
    maps: int

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)
