"""Where a setting is written in a TOML file: TOML parsers keep no positions, so the line
is found in the text. A finding points at the value when the value is what is wrong (an
unknown time zone, a number out of range), at the key when the key is (an unknown key), as
yamllint and ruff do."""

from __future__ import annotations

import functools
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
    return _indexed(text)[0]


@functools.lru_cache(maxsize=4)
def _indexed(text: str) -> tuple[list[str], dict[tuple[str, ...], Span]]:
    """The text's lines, and where each key path is first set (a table's header, a key's
    assignment in its table), as written and without a leading ``tool.journeymaps``. Made
    once per text: each finding's place was looked for in every line, and a settings file
    of 50,000 unknown keys (under the 1 MB limit) took hours."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    first: dict[tuple[str, ...], Span] = {}
    table: list[str] = []
    for number, line in enumerate(lines, 1):
        if header := _TOML_HEADER.match(line):
            table, key_column = _toml_key(header[1]), line.index("[") + 1
            full = table
        elif key := _TOML_KEY.match(line):
            full, key_column = [*table, *_toml_key(key[1])], len(line) - len(line.lstrip()) + 1
        else:
            continue
        for prefix in ([], ["tool", "journeymaps"]):
            inner = full[len(prefix) :] if full[: len(prefix)] == prefix else None
            if inner:
                first.setdefault(tuple(inner), Span.point(number, key_column))
    return lines, first


def _toml_key(text: str) -> list[str]:
    return [a or b or c for a, b, c in _TOML_PART.findall(text)]


def key_at(text: str, path: TomlPath) -> Span:
    """Where the key at ``path`` is set, in its
    table (``path`` in ``[sources.ces]``, not the first ``path =`` of the file), else the
    line of the table or inline table holding it, else of the deepest key of that name."""
    wanted = [p for p in path if isinstance(p, str)]
    first = _indexed(text)[1]
    # the longest start of the path set anywhere, on the first line that sets it
    best = next(
        ((n, first[key]) for n in range(len(wanted), 0, -1) if (key := tuple(wanted[:n])) in first), None
    )
    if best is not None and best[0] == len(wanted):
        return best[1]
    if best is not None and wanted and _inline_end(text, best[1].line, wanted[-1], 0) is not None:
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
        inline = _inline_end(text, key.line, name, key.column - 1)
        if inline is None:
            return key
        start = inline
    start = len(line) - len(line[start:].lstrip(" \t"))
    if isinstance(path[-1], int) and path[-2:-1] == (name,):
        start = _item_start(line, start, path[-1])
    return Span.point(key.line, start + 1)


#: Any ``name =`` of an inline table: its name, and where the ``=`` ends (see _inline_key).
_INLINE_KEYS = re.compile(r"""[{,][ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*=""")


@functools.lru_cache(maxsize=64)
def _inline_keys(line: str) -> dict[str, tuple[int, int]]:
    """Where each name is first set in the inline tables of ``line``: (start, end)."""
    found: dict[str, tuple[int, int]] = {}
    for m in _INLINE_KEYS.finditer(line):
        name = next(g for g in m.groups() if g is not None)  # "" is a name too
        found.setdefault(name, (m.start(), m.end()))
    return found


def _inline_end(text: str, number: int, name: str, pos: int) -> int | None:
    """Where ``name =`` of an inline table on line ``number`` ends, from ``pos`` on; None
    when it is not there. Looked up, not searched for: one line of 50,000 ``{k = 1, ...}``
    was searched once per finding, for hours."""
    line = _lines(text)[number - 1]
    known = _inline_keys(line).get(name)
    if known is not None and known[0] >= pos:
        return known[1]
    m = _inline_key(name).search(line, pos)  # a quoted name, or one set again after pos
    return None if m is None else m.end()


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
