"""Where a setting is written in a TOML file: TOML parsers keep no positions, so the line
is found in the text. A finding points at the value when the value is what is wrong (an
unknown time zone, a number out of range), at the key when the key is (an unknown key), as
yamllint and ruff do."""

from __future__ import annotations

import re
from typing import Any

from journeymaps.diagnostics import Span

TomlPath = tuple[str | int, ...]

#: A TOML table header (``[sources.ces]``, ``[[x]]``) or a key's assignment, on one line.
_TOML_HEADER = re.compile(r"[ \t]*\[\[?([^\]]*)\]")
_TOML_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_TOML_KEY = re.compile(rf"[ \t]*({_TOML_BARE_OR_QUOTED}(?:[ \t]*\.[ \t]*{_TOML_BARE_OR_QUOTED})*)[ \t]*=")
_TOML_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


def _toml_key(text: str) -> list[str]:
    return [a or b or c for a, b, c in _TOML_PART.findall(text)]


def key_at(text: str, path: TomlPath) -> Span:
    """Where the key at ``path`` is set, in its
    table (``path`` in ``[sources.ces]``, not the first ``path =`` of the file), else the
    line of the table or inline table holding it, else of the deepest key of that name."""
    wanted = [p for p in path if isinstance(p, str)]
    table: list[str] = []
    best: tuple[int, Span] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if header := _TOML_HEADER.match(line):
            table, key_column = _toml_key(header[1]), line.index("[") + 1
            full = table
        elif key := _TOML_KEY.match(line):
            full, key_column = [*table, *_toml_key(key[1])], len(line) - len(line.lstrip()) + 1
        else:
            continue
        for prefix in ([], ["tool", "journeymaps"]):
            inner = full[len(prefix) :] if full[: len(prefix)] == prefix else None
            if inner and inner == wanted[: len(inner)] and (best is None or len(inner) > best[0]):
                best = (len(inner), Span.point(number, key_column))
    if best is not None and best[0] == len(wanted):
        return best[1]
    if best is not None and wanted and _inline_key(wanted[-1]).search(text.splitlines()[best[1].line - 1]):
        return best[1]  # set in the inline table on that line: {timezone = "x"}
    for part in reversed(path):
        if isinstance(part, str):
            m = re.compile(rf'^([ \t]*)"?{re.escape(part)}"?[ \t]*=', re.M).search(text)
            if m:
                return Span.point(text.count("\n", 0, m.start()) + 1, len(m[1]) + 1)
    return best[1] if best is not None else Span.point(1, 1)


def value_at(text: str, path: TomlPath, data: Any = None) -> Span:
    """Where the value at ``path`` starts: after its key's ``=`` (in an inline table too).
    An item of a list written on the key's line is found when it is text (``data`` holds
    the settings as read); the key's place when the value is not on its key's line (a
    table, written under its own header)."""
    key = key_at(text, path)
    lines = text.splitlines()
    name = next((p for p in reversed(path) if isinstance(p, str)), None)
    if name is None or key.line > len(lines):
        return key
    line = lines[key.line - 1]
    assign = _TOML_KEY.match(line, key.column - 1)
    if assign and _toml_key(assign[1])[-1:] == [name]:
        start = assign.end()
    else:  # in an inline table: {timezone = "x"}
        inline = _inline_key(name).search(line, key.column - 1)
        if inline is None:
            return key
        start = inline.end()
    column = len(line) - len(line[start:].lstrip(" \t")) + 1
    item = _item(data, path)
    if item is not None:
        for quoted in (f'"{item}"', f"'{item}'"):
            if (at := line.find(quoted, column - 1)) >= 0:
                return Span.point(key.line, at + 1)
    return Span.point(key.line, column)


def _inline_key(name: str) -> re.Pattern[str]:
    """``name =`` as a key of an inline table."""
    return re.compile(rf"""[{{,][ \t]*["']?{re.escape(name)}["']?[ \t]*=""")


def _item(data: Any, path: TomlPath) -> str | None:
    """The text at ``path`` when it is an item of a list (its last part an index)."""
    if not path or not isinstance(path[-1], int):
        return None
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, str) else None
