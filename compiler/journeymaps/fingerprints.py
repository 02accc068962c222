"""Fingerprints: what a finding is about, by meaning, so CI can recognise it again.

A fingerprint is the rule, the map id (or, for a file with no map id, its path) and an
*anchor*: the ids of the things involved, e.g. ``stages[contact].steps[call].owner`` or
``handoffs[triage.verify->resolution.unlock].sla``. List positions and line numbers never
enter it, so inserting a stage above a known finding neither hides a new one nor brings the
old one back. Findings with no ids to hold on to (a file that does not parse, a duplicate
key, a schema error, an unused suppression) are anchored on the offending line's text and
the message with its line numbers and list positions taken out, as GitHub's
``primaryLocationLineHash`` does.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from journeymaps.diagnostics import text_lines
from journeymaps.loader import JsonPath

#: The key under which SARIF carries our fingerprints, and what a baseline records; bumped
#: whenever the material of a fingerprint changes, so old ones are never silently compared.
VERSION = "journeymaps/v2"

_LINES = re.compile(r"\b(lines?) \d+(?:-\d+)?")
_INDEX = re.compile(r"\[\d+\]")


def fingerprint(rule: str, scope: str, anchor: str) -> str:
    import hashlib  # here: only outputs with fingerprints (and hashed list items) load OpenSSL

    material = "\0".join((VERSION, scope, rule, anchor))
    return hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def semantic_path(data: Any, path: JsonPath, about: str = "") -> str:
    """``stages[discovery].steps[login-fails].owner`` for ``("stages", 0, "steps", 2, "owner")``:
    every list index replaced by the key of the item there (its id, handoff ends, name...)."""
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            out += f"[{item_key(item)}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return f"{out}@{about}" if about else out


def item_key(item: Any) -> str:
    """What names a list item: its id; a handoff's ends; a transition's target; a KPI's name;
    evidence's source, kind and reference; a plain value itself; else its content."""
    if isinstance(item, dict):
        if isinstance(item.get("id"), str):
            return str(item["id"])
        if "from" in item and "to" in item:
            return f"{item['from']}->{item['to']}"
        if isinstance(item.get("to"), str):
            return str(item["to"])
        if isinstance(item.get("name"), str):
            return str(item["name"])
        if "source" in item:
            return ":".join(str(item.get(k) or "") for k in ("source", "kind", "ref"))
    if isinstance(item, (str, int, float, bool)) or item is None:
        return str(item)
    import hashlib

    content = json.dumps(item, sort_keys=True, default=str, ensure_ascii=False)
    return "#" + hashlib.sha256(content.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def text_anchor(text: str, line: int, message: str) -> str:
    """The offending line's text and the message without positions in it."""
    lines = lines_of(text)
    content = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return f"text:{content}\0{without_positions(message)}"


@functools.lru_cache(maxsize=4)
def lines_of(text: str) -> tuple[str, ...]:
    """``text.splitlines()``, split once per file for all of its findings: split again for
    each, 4,000 unused suppressions took 13 s. (Findings come file by file, so a few files
    are enough; a text's hash is kept in the string, so a lookup costs nothing.)"""
    return tuple(text_lines(text))


def without_positions(message: str) -> str:
    """``first defined on line 54`` → ``first defined on line N``; ``stages[2]`` → ``stages[]``."""
    return _INDEX.sub("[]", _LINES.sub(r"\1 N", message))
