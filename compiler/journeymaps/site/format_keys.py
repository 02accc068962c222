"""Every key of a map, for the "About the format" page: read from the map's JSON Schema, so
the page cannot fall behind the format (each key with the description editors show)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeymaps.records import record

#: The schema's objects in the order a newcomer meets them, with what the page calls them.
_TITLES = {
    "": "The map",
    "inlinePersona": "Persona (written in the map)",
    "stage": "Stage",
    "transition": "A stage's next (as {to, label, breaker})",
    "step": "Step",
    "evidenceItem": "Evidence",
    "kpi": "KPI",
    "handoff": "Handoff",
    "painPoint": "Pain point",
    "opportunity": "Opportunity",
    "opportunity.kpi": "An opportunity's kpi (its signal as a KPI)",
}


@record
class KeyTable:
    """One object of the format: its keys, each with its description and whether required."""

    title: str
    anchor: str
    keys: tuple[tuple[str, bool, str], ...]  # (key, required, description)


def key_tables(schema: Mapping[str, Any]) -> list[KeyTable]:
    """The tables of the page, one per object of the schema (nested ones included)."""
    defs: Mapping[str, Any] = schema.get("$defs", {})
    found = dict(_objects("", schema, defs))
    for name, node in defs.items():
        found.update(_objects(name, node, defs))
    order = list(_TITLES)
    names = sorted(found, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [_table(n, found[n], defs) for n in names]


def _objects(
    name: str, node: Mapping[str, Any], defs: Mapping[str, Any]
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each object schema with properties at or under ``node`` (not following $refs: each
    definition is listed once, under its own name)."""
    for alt in node.get("oneOf", ()):
        if "properties" in alt:
            yield name, alt
    if "properties" not in node:
        return
    yield name, node
    for key, prop in node["properties"].items():
        inner = prop.get("items", prop)
        if "properties" in inner or any("properties" in a for a in inner.get("oneOf", ())):
            yield from _objects(f"{name}.{key}" if name else key, inner, defs)


def _table(name: str, node: Mapping[str, Any], defs: Mapping[str, Any]) -> KeyTable:
    required = set(node.get("required", ()))
    rows = []
    for key, prop in node["properties"].items():
        words = prop.get("description") or _ref(prop, defs).get("description", "")
        rows.append((key, key in required, words))
    title = _TITLES.get(name, name)
    return KeyTable(title, "keys-" + (name.replace(".", "-").lower() or "map"), tuple(rows))


def _ref(prop: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        found: Mapping[str, Any] = defs.get(ref.removeprefix("#/$defs/"), {})
        return found
    return {}
