"""A file YAML stopped reading, in words that name the cause at the line to edit, the same
whichever parser ran: every line a tab indents (tab_indents.py), a key past YAML's length
limit, a flow collection a comment left open, a character YAML refuses, and the traps of
yaml_traps.py. Imported only when a parse fails."""

from __future__ import annotations

import re

import yaml

from journeymaps import yaml_traps
from journeymaps.diagnostics import FILE_START, Span, position_after
from journeymaps.loader import LoadProblem
from journeymaps.nesting import too_deep
from journeymaps.rules.input import YAML_SYNTAX
from journeymaps.tab_indents import TAB_HINT, tab_indented


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> LoadProblem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "invalid YAML"
    if exc.context:
        message = f"{message} ({exc.context})"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        message += TAB_HINT
    span = Span.point(mark.line + 1, mark.column + 1) if mark else FILE_START
    return LoadProblem(YAML_SYNTAX, span, message)


#: YAML's limit on an implicit key (one written before its ':'), in characters up to the ':'.
MAX_KEY = 1024
LONG_KEY = (
    f"this key is longer than {MAX_KEY:,} characters, YAML's limit for a key written before its ':'; "
    "shorten it (keys are field names), or write it as an explicit key: '? ' and the key, "
    "then ': ' and the value on the next line"
)
#: Where a key can start on its line: after indentation, '- ' and '? ' indicators, or a
#: flow collection's '{', '[' or ','.
_KEY_START = re.compile(r"(?:.*[{\[,][ ]*|[ ]*(?:[-?][ ]+)*)")


def _long_key(exc: yaml.MarkedYAMLError, text: str) -> LoadProblem | None:
    """A key past YAML's length limit, worded the same whatever parser ran.

    Both parsers stop a key longer than :data:`MAX_KEY` at its ':' in words of their own
    ("mapping values are not allowed here" / "...in this context", "expected ',' or '}'"
    / "did not find expected ',' or '}'", "could not find expected ':'"), none of which
    names the cause. The error is at a ':' with more than the limit before it since where
    the key starts on that line, and no ': ' inside (that would be a value, not one key)."""
    mark = exc.problem_mark
    if mark is None or _char_at(text, mark.line, mark.column) != ":":
        return None
    line = text.splitlines()[mark.line][: mark.column]
    start = _KEY_START.match(line)
    begin = start.end() if start else 0
    key = line[begin:]
    if len(key) <= MAX_KEY or ": " in key or " #" in key:
        return None
    return LoadProblem(YAML_SYNTAX, Span.point(mark.line + 1, begin + 1), LONG_KEY)


#: What may come before a quote that opens a quoted scalar in flow style (an apostrophe
#: elsewhere, as in "customer's", is part of a plain scalar).
_BEFORE_QUOTE = frozenset("{[,:?-")
#: The words both parsers give to a flow collection that did not close, and its brackets.
_FLOW = {"while parsing a flow mapping": "{ }", "while parsing a flow sequence": "[ ]"}


def yaml_errors(exc: yaml.MarkedYAMLError, text: str, parser: str) -> list[LoadProblem]:
    """The finding(s) of a file YAML stopped reading: one per line a tab indents when it
    stopped at such a tab (:func:`tab_indented`), else one for the error."""
    return tab_indented(exc, text, parser) or [_yaml_error(exc, text)]


def _yaml_error(exc: yaml.MarkedYAMLError, text: str) -> LoadProblem:
    """A YAML error in words that name its cause, the same whatever parser ran."""
    found = too_deep(text) or _long_key(exc, text) or _comment_in_flow(exc, text)
    if found is not None:
        return found
    trap = yaml_traps.explain(exc, text)
    if trap is not None:
        return LoadProblem(YAML_SYNTAX, *trap)
    return _syntax_problem(exc, text)


def _comment_in_flow(exc: yaml.MarkedYAMLError, text: str) -> LoadProblem | None:
    """A flow collection left open by a comment, pointed at the '#' that started it.

    In ``{..., does: Posts in Slack #team-identity}`` YAML reads everything from `` #`` as a
    comment, the closing brace included, and says only that a ',' or '}' is missing, at the
    next line. The first comment between the collection's start and that error is blamed,
    unless its line ends where an item may (after ',', '{' or '['): that one was meant."""
    opened, found, flow = exc.context_mark, exc.problem_mark, _FLOW.get(exc.context or "")
    if flow is None or opened is None or found is None or "expected ','" not in (exc.problem or ""):
        return None
    lines = text.splitlines()
    quote = ""
    for number in range(opened.line, min(found.line, len(lines) - 1) + 1):
        line = lines[number]
        column = opened.column if number == opened.line else 0
        last = ""  # the last character seen on this line but spaces and tabs
        while column < len(line):
            char = line[column]
            if quote:  # inside a quoted scalar, which may span lines
                if (char == "\\" and quote == '"') or (line[column : column + 2] == "''" and quote == "'"):
                    column += 1  # an escaped character, or '' for a quote
                elif char == quote:
                    quote = ""
            elif char in "'\"" and last in _BEFORE_QUOTE | {""}:
                quote = char
            elif char == "#" and (column == 0 or line[column - 1] in " \t"):
                if last in {",", "{", "["}:
                    break  # a comment after an item: meant, and the rest of the line is its
                return LoadProblem(
                    YAML_SYNTAX,
                    Span.point(number + 1, column + 1),
                    f"a '#' after a space starts a comment, even inside {flow}: the rest of this line "
                    "was dropped, its closing bracket too, so YAML found no ',' or closing bracket "
                    "where it expected one; put text that holds ' #' in quotes",
                )
            last = last if char in " \t" else char
            column += 1
    return None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


#: What YAML accepts in a file (YAML 1.1's printable set, which libyaml enforces).
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def reader_problem(text: str) -> LoadProblem:
    """libyaml refused a character: point at it (its error gives a byte offset, not a line)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:  # pragma: no cover - the reader refuses only these characters
        return LoadProblem(YAML_SYNTAX, FILE_START, "the file holds a character YAML does not allow")
    line, column = position_after(text[: found.start()])
    code = ord(found.group())
    name = "a NUL character" if code == 0 else "a control character"
    return LoadProblem(
        YAML_SYNTAX,
        Span(line, column, line, column + 1),
        f"{name} (U+{code:04X}) is not allowed in YAML; remove it",
    )
