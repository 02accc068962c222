"""The example maps in maps/ lint clean and show off every part of the format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from journeymaps.lint import lint
from journeymaps.loader import load
from journeymaps.settings import Settings
from journeymaps.validate import schema

ROOT = Path(__file__).resolve().parents[1]
MAPS = ROOT / "maps"


def test_examples_lint_clean() -> None:
    report = lint([MAPS], Settings(root=ROOT), dt.date(2026, 11, 22), ROOT)
    # Infos only: the KPIs the examples declare are off target (the journeys they map hurt).
    assert [d for d in report.diagnostics if d.rule != "kpi-off-target"] == []
    assert {d.severity.value for d in report.diagnostics} == {"info"}
    assert report.maps >= 4
    states = {m.state for m in report.project.maps}
    assert states == {"current", "future"}


def _keys(node: object, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        out.update(node)
        for value in node.values():
            _keys(value, out)
    elif isinstance(node, list):
        for value in node:
            _keys(value, out)
    return out


def test_examples_use_every_key_of_the_map_format() -> None:
    used: set[str] = set()
    for path in sorted(MAPS.rglob("*.yaml")):
        if path.name != "teams.yaml":  # a persona's keys count shared (personas.yaml) or inline
            _keys(load(path, path.name).data, used)
    document = schema("map")
    defined = set(document["properties"])
    for definition in document["$defs"].values():
        defined |= set(definition.get("properties", {}))
        for branch in definition.get("oneOf", []):
            defined |= set(branch.get("properties", {}))
    unused = defined - used - {"description", "url"}  # free text, shown on the site only
    assert unused == set()
