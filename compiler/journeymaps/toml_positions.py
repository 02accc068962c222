"""Where a setting is written in a TOML file: TOML parsers keep no positions, so the line
is found in the text. A finding points at the value when the value is what is wrong (an
unknown time zone, a number out of range), at the key when the key is (an unknown key), as
yamllint and ruff do."""

from __future__ import annotations

import re

from journeymaps.diagnostics import Span

TomlPath = tuple[str | int, ...]

#: A TOML table header (``[sources.ces]``, ``[[x]]``) or a key's assignment, on one line.
_TOML_HEADER = re.compile(r"[ \t]*\[\[?([^\]]*)\]")
_TOML_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_TOML_KEY = re.compile(rf"[ \t]*({_TOML_BARE_OR_QUOTED}(?:[ \t]*\.[ \t]*{_TOML_BARE_OR_QUOTED})*)[ \t]*=")
_TOML_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


def _lines(text: str) -> list[str]:
    """The lines of a TOML text as TOML ends them, at LF (a CR before it is no part of the
    line). ``str.splitlines()`` also ends one at U+2028, NEL, a form feed...: a comment or
    text holding one put every later finding a line too far down."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _toml_key(text: str) -> list[str]:
    return [a or b or c for a, b, c in _TOML_PART.findall(text)]


def key_at(text: str, path: TomlPath) -> Span:
    """Where the key at ``path`` is set, in its
    table (``path`` in ``[sources.ces]``, not the first ``path =`` of the file), else the
    line of the table or inline table holding it, else of the deepest key of that name."""
    wanted = [p for p in path if isinstance(p, str)]
    table: list[str] = []
    best: tuple[int, Span] | None = None
    for number, line in enumerate(_lines(text), 1):
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
    if best is not None and wanted and _inline_key(wanted[-1]).search(_lines(text)[best[1].line - 1]):
        return best[1]  # set in the inline table on that line: {timezone = "x"}
    for part in reversed(path):
        if isinstance(part, str):
            m = re.compile(rf'^([ \t]*)"?{re.escape(part)}"?[ \t]*=', re.M).search(text)
            if m:
                return Span.point(text.count("\n", 0, m.start()) + 1, len(m[1]) + 1)
    return best[1] if best is not None else Span.point(1, 1)


def value_at(text: str, path: TomlPath) -> Span:
    """Where the value at ``path`` starts: after its key's ``=`` (in an inline table too);
    an item of a list (``path`` ending in its index) where it starts, when the list is
    written on its key's line; else the key's place (a table, under its own header)."""
    key = key_at(text, path)
    lines = _lines(text)
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
    start = len(line) - len(line[start:].lstrip(" \t"))
    if isinstance(path[-1], int) and path[-2:-1] == (name,):
        start = _item_start(line, start, path[-1])
    return Span.point(key.line, start + 1)


def _inline_key(name: str) -> re.Pattern[str]:
    """``name =`` as a key of an inline table."""
    return re.compile(rf"""[{{,][ \t]*["']?{re.escape(name)}["']?[ \t]*=""")


def _item_start(line: str, start: int, index: int) -> int:
    """Where item ``index`` of the list at ``line[start]`` starts (``start`` itself when the
    list does not go that far on this line): commas are counted outside strings and
    nested lists and tables."""
    if line[start : start + 1] != "[":
        return start
    depth, quote, count, i = 0, "", 0, start
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return start
        elif c == "#":
            return start
        elif c == "," and depth == 1:
            count += 1
        if (depth == 1 and count == index and c in "[,") and line[i + 1 :].strip(" \t"):
            return len(line) - len(line[i + 1 :].lstrip(" \t"))
        i += 1
    return start
