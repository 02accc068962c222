"""A diagram that could not be drawn, as a finding at its map: build, render and diff name
it as lint names a problem (file:line:col, a rule), not by the diagram's file name."""

from __future__ import annotations

from journeymaps.diagnostics import FILE_START, Diagnostic
from journeymaps.diagrams import Diagram
from journeymaps.model import Map


def diagram_failed(diagram: Diagram, error: str, m: Map | None, elsewhere: str) -> Diagnostic:
    """``diagram`` of map ``m`` (None: the project's team diagram, reported at the file
    ``elsewhere``, e.g. teams.yaml) could not be drawn, for ``error``."""
    from journeymaps.rules import all_rules
    from journeymaps.rules.input import DIAGRAM_FAILED

    rule = all_rules()[DIAGRAM_FAILED]
    if m is None:
        where, span, what = elsewhere, FILE_START, "the team handoff diagram"
    else:
        where, span, what = m.src.display, m.loc.span("id", key=True), f"the {diagram.view} diagram"
    return Diagnostic(
        rule.name,
        rule.code,
        rule.severity,
        where,
        span,
        f"{what} could not be drawn: {error}",
        m.id if m else None,
    )
