"""A diagram that could not be drawn, as a finding at its map: build, render and diff name
it as lint names a problem (file:line:col, a rule), not by the diagram's file name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import FILE_START, Diagnostic, Span
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
    maps = report.project.maps if report.project is not None else []
    by_key = {m.slug: m for m in maps}
    teams = next((s.display for s in report.sources if report.kinds.get(s.display) == "teams"), None)
    elsewhere = teams or _first_handing_over(maps) or display_path(settings.roots()[0], cwd)
    return [diagram_failed(d, why, by_key.get(d.key), elsewhere) for d, why in failures]


def _first_handing_over(maps: Sequence[Map]) -> str | None:
    """Without teams.yaml, where the team diagram's failure is reported: the first map that
    hands over between teams (what that diagram draws), else the first map. It was the maps
    folder, a place code scanning and GitHub's annotations cannot put a finding."""
    from journeymaps.diagrams.teams import map_handoffs

    first = next((m for m in maps if map_handoffs(m)), maps[0] if maps else None)
    return first.src.display if first is not None else None


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


#: A diagram-failed finding as the site's marker keeps it (JSON): an up-to-date build
#: reports it again, with the rest of the findings, in its --report outputs.
Kept = tuple[str, int, int, int, int, str, "str | None"]


def kept(d: Diagnostic) -> Kept:
    """``d`` (a :func:`diagram_failed` finding) as the marker keeps it."""
    s = d.span
    return (d.file, s.line, s.column, s.end_line, s.end_column, d.message, d.map_id)


def from_kept(value: Any) -> Diagnostic | None:
    """The finding :func:`kept` made, from the marker's JSON; None when it is not one (the
    marker is a file anybody can edit)."""
    from journeymaps.rules import all_rules
    from journeymaps.rules.input import DIAGRAM_FAILED

    if not (isinstance(value, (list, tuple)) and len(value) == 7):
        return None
    file, line, column, end_line, end_column, message, map_id = value
    numbers = (line, column, end_line, end_column)
    if not (
        isinstance(file, str)
        and isinstance(message, str)
        and (map_id is None or isinstance(map_id, str))
        and all(type(n) is int and n >= 1 for n in numbers)
    ):
        return None
    rule = all_rules()[DIAGRAM_FAILED]
    return Diagnostic(rule.name, rule.code, rule.severity, file, Span(*numbers), message, map_id)


def with_undrawn(report: Report, undrawn: Iterable[Kept]) -> Report:
    """``report`` with the diagram-failed findings a build kept: what its --report outputs
    list (lint's findings alone left CI's annotations without the diagram that failed the
    build)."""
    found = [d for d in map(from_kept, undrawn) if d is not None]
    if not found:
        return report
    return replace(report, diagnostics=sorted([*report.diagnostics, *found], key=Diagnostic.sort_key))
