"""A file that could not be read, said as the home page's readers say it: the map by its
title, the stage or step by its name ("stage “Contact support”, step “Opens a chat”"), not
by the schema's path (``stages[1].steps[0].channel``), which stays for the map's author
beside the file and line."""

from __future__ import annotations

import re
from typing import Any

from journeymaps.quotes import quotation
from journeymaps.records import record

#: What one item of each list of a map is called, and the key that names it, in order of
#: preference; any other list's item is called by its key.
ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stages": ("stage", ("name", "id")),
    "steps": ("step", ("name", "id")),
    "pain_points": ("pain point", ("summary", "id")),
    "opportunities": ("opportunity", ("believe", "id")),
    "handoffs": ("handoff", ()),
    "kpis": ("KPI", ("name", "metric")),
    "evidence": ("evidence", ("source",)),
    "personas": ("persona", ("name", "id")),
    "teams": ("team", ("name", "id")),
}

#: A message that starts with the place it is about: ``stages[1].steps[0].channel: …``.
_AT = re.compile(r"^([A-Za-z_][\w-]*(?:\[\d+\]|\.[A-Za-z_][\w-]*)*): ")
_PART = re.compile(r"\[(\d+)\]|\.?([A-Za-z_][\w-]*)")


@record(slots=True)
class LoadWords:
    """A load problem in words: ``title`` the map's, when the file says it; ``what`` the
    problem with its place named; ``path`` the schema's path, for the author ("" if none)."""

    title: str | None
    what: str
    path: str


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _named(item: Any, keys: tuple[str, ...]) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def place(path: str, data: Any) -> tuple[list[str], str | None]:
    """The places ``path`` goes through, each in words, and the key it ends at (None when it
    ends at an item of a list)."""
    said: list[str] = []
    node, key = data, None
    parts = _PART.findall(path)
    for at, (index, name) in enumerate(parts):
        if name:
            key = name
            node = node.get(name) if isinstance(node, dict) else None
            continue
        i = int(index)
        kind, naming = ITEMS.get(key or "", ((key or "item").replace("_", " "), ()))
        node = node[i] if isinstance(node, list) and i < len(node) else None
        # Not by the key the problem is in: a step whose name is a placeholder read
        # 'step “TODO…”, name: “TODO…” is a placeholder'. By its place instead.
        last = parts[at + 1][1] if at + 2 == len(parts) else None
        name_of = None if last in naming else _named(node, naming)
        said.append(f"{kind} {quotation(name_of)}" if name_of else f"the {_ordinal(i + 1)} {kind}")
        key = None
    return said, key


def load_words(message: str, data: Any) -> LoadWords:
    """``message`` (a load or schema problem) with the place it starts with in words."""
    title = _named(data, ("title", "id"))
    found = _AT.match(message)
    # Only a path into the file's own data: "Error: …" or a YAML parser's words stay as written.
    if found is None or not isinstance(data, dict) or found[1].split(".")[0].split("[")[0] not in data:
        return LoadWords(title, message, "")
    said, key = place(found[1], data)
    rest = message[found.end() :]
    where = ", ".join(said)
    if key is not None:
        where = f"{where}, {key.replace('_', ' ')}" if where else key.replace("_", " ")
    what = f"{where[:1].upper()}{where[1:]}: {rest}"
    return LoadWords(title, what, found[1])
