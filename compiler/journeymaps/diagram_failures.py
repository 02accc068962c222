"""A diagram that could not be drawn, as a finding at its map: build, render and diff name
it as lint names a problem (file:line:col, a rule), not by the diagram's file name."""

from __future__ import annotations

from pathlib import Path

from journeymaps.diagnostics import FILE_START, Diagnostic
from journeymaps.diagrams import Diagram
from journeymaps.lint import Report
from journeymaps.model import Map
from journeymaps.settings import Settings


def not_drawn(
    failures: list[tuple[Diagram, str]], report: Report, settings: Settings, cwd: Path
) -> list[Diagnostic]:
    """Each diagram that could not be drawn, for why, as a finding at its map (the team
    diagram's at teams.yaml, else the first maps folder)."""
    from journeymaps.project import display_path

    if not failures:
        return []
    by_key = {m.slug: m for m in report.project.maps} if report.project is not None else {}
    teams = next((s.display for s in report.sources if report.kinds.get(s.display) == "teams"), None)
    elsewhere = teams or display_path(settings.roots()[0], cwd)
    return [diagram_failed(d, why, by_key.get(d.key), elsewhere) for d, why in failures]


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
