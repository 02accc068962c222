"""The YAML mistakes newcomers make, in words that name the cause and the fix.

PyYAML's parsers describe where their grammar stopped, not what the writer did: a key
without its ``: `` is "could not find expected ':'" at the line *after* it, a colon inside
an unquoted value is "mapping values are not allowed here" (or "...in this context": the two
parsers word most errors differently), ``title: [DRAFT] Admin`` is "did not find expected
key". Each trap below is recognised from the error's marks and the text itself, identically
whichever parser ran, and worded at the place to edit; anything else keeps the parser's words.
"""

from __future__ import annotations

import re

import yaml

from journeymaps.conflicts import ADVICE, first_marker
from journeymaps.diagnostics import Span, shorten

#: Characters YAML reserves at the start of a plain value.
_RESERVED = {"@": "'@'", "`": "'`'", "%": "'%'"}
#: The words both parsers give to a flow collection, and its brackets.
_FLOW = {"while parsing a flow mapping": ("{", "}"), "while parsing a flow sequence": ("[", "]")}


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[Span, str] | None:
    """Where and in what words to report ``exc`` (a ``yaml.MarkedYAMLError``), when it is
    one of the traps; None leaves it to the parser's own words."""
    lines = text.splitlines()
    traps = (
        _merge_conflict,
        _missing_colon,
        _colon_in_value,
        _unclosed_flow,
        _open_at_end,
        _dash_without_space,
        _text_after_closed_value,
        _quote_open_at_end,
        _reserved_start,
        _key_at_list_dash,
        _misaligned,
        _first_key_indented,
        _second_document,
    )
    for trap in traps:
        found = trap(exc, lines)
        if found is not None:
            return found
    return None


def _line(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _quote(text: str) -> str:
    return shorten(text.strip())


def _without_comment(text: str) -> str:
    return re.split(r"(?:^|[ \t])#", text, maxsplit=1)[0].rstrip()


def _merge_conflict(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """A merge left both sides of a conflict in the file (see :mod:`journeymaps.conflicts`)."""
    number = first_marker(lines)
    if number is None:
        return None
    line = lines[number]
    return Span(number + 1, 1, number + 1, 1 + len(line.rstrip())), f"'{_quote(line)}' {ADVICE}"


def _missing_colon(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``owner:support`` or ``emotion -1`` where a key goes: reported at that line, not the
    next one, which is where the parser noticed."""
    mark = exc.context_mark
    if exc.context != "while scanning a simple key" or mark is None:
        return None
    words = _without_comment(_line(lines, mark.line)[mark.column :])
    if not words:
        return None
    if re.match(r"-[^\s-]", words) and _list_item_above(lines, mark.line, mark.column):
        # ``-item`` under ``- a``: the list's next item, not a key missing its colon.
        span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + len(words))
        fixed = "- " + words[1:]
        return span, f"'{_quote(words)}' is not a list item: put a space after the '-' ('{_quote(fixed)}')"
    return _no_colon(mark.line, mark.column, words)


def _list_item_above(lines: list[str], number: int, column: int) -> bool:
    """Whether the nearest line above that is indented no further than ``column`` is a list
    item ('- ') starting at ``column``."""
    for above in range(number - 1, -1, -1):
        text = _without_comment(_line(lines, above))
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent <= column:
            return indent == column and re.match(r"-[ \t]", text[indent:]) is not None
    return False


def _colon_in_value(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``name: Self-service: attempt`` (an unquoted ': ' in a value), or a key indented
    under the key above it, which makes it more of that key's value."""
    mark = exc.problem_mark
    if mark is None or not (exc.problem or "").startswith("mapping values are not allowed"):
        return None
    before = _line(lines, mark.line)[: mark.column]
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
    if re.search(r":[ \t]", before):
        return span, (
            "a ': ' inside an unquoted value starts a key, which cannot go here: "
            f"put the whole value in quotes, {_quoted_value(_line(lines, mark.line))}"
        )
    if re.match(r"[ \t]*-[ \t]", before):  # a list item under "evidence: tickets"
        above = next((line for line in reversed(lines[: mark.line]) if _without_comment(line).strip()), "")
        return span, (
            f"this list item follows a key that already has a value ('{_quote(_without_comment(above))}'), "
            "so YAML reads it as more of that value: remove the value after that key's ':' to start "
            "the list there, or line the item up with its list"
        )
    key = before.strip().lstrip("- ").strip()
    keyless = _keyless_line_above(lines, mark.line, len(before) - len(before.lstrip(" -")))
    if keyless is not None:
        return keyless
    return span, (
        f"'{_quote(key)}' is indented more than the key above it, so YAML reads it as more of that "
        "key's value: line it up with the keys above (or, if it is text, put the value in quotes)"
    )


def _quoted_value(line: str, example: str = "Self-service: attempt") -> str:
    """How the line's own value is written in quotes ("root_cause: \"Root cause: PDF...\""):
    the words of the user's map, not a made-up example, when they can be quoted as they are."""
    m = re.match(r"[ \t]*(?:-[ \t]+)*([^:\s][^:]*?):[ \t]+(.+)$", _without_comment(line))
    if m is None or '"' in m[2] or "\\" in m[2]:
        return f'e.g. "{example}"'
    return f'as {_quote(m[1])}: "{shorten(m[2].strip(), 80)}"'


def _keyless_line_above(lines: list[str], number: int, column: int) -> tuple[Span, str] | None:
    """``owner support`` (or ``owner:support``, or ``- id s``) above a key at ``column``:
    a line with no key where one belongs at this level, which made the key below more of its
    text. None when the lines above lead up to a key further left (a value's continuation)."""
    found: tuple[int, int, str] | None = None
    for above in range(number - 1, -1, -1):
        text = _without_comment(_line(lines, above))
        if not text.strip():
            continue
        start = re.match(r"( *)((?:- +)*)", text)
        assert start is not None  # matches any line
        begin = start.end()
        if _KEY.match(text[begin:]):
            return None if found is None or begin < column else _no_colon(*found)
        if begin <= column:
            found = (above, begin, text[begin:])
        if start.group(2) and found is not None:
            break  # a list item's first line: its text starts there
        if begin < column:
            break
    return _no_colon(*found) if found is not None else None


#: A key and its ': ' (or ':' at the end of the line), as written before its value.
_KEY = re.compile(r"""(?:"[^"]*"|'[^']*'|[^\s#'"\[{][^:#]*?):(?:[ \t]|$)""")


def _no_colon(number: int, column: int, words: str) -> tuple[Span, str]:
    """``words``, at 0-based ``number`` and ``column``, are a line with no ': '."""
    span = Span(number + 1, column + 1, number + 1, column + 1 + len(words))
    glued = re.match(r"[\w-]+:(?=[^\s/])", words)  # not a URL's '://'
    if glued:
        fixed = words[: glued.end()] + " " + words[glued.end() :]
        return span, (
            f"'{_quote(words)}' has no ': ' (YAML needs a space after a key's colon): write '{_quote(fixed)}'"
        )
    return span, (
        f"'{_quote(words)}' has no ':' where a key is expected: write the key, ': ', then its value; "
        "if this line goes on from the text above, indent it more than that text's key"
    )


def _unclosed_flow(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """A ``{`` or ``[`` never closed (reported at its opening, not past the end of the file),
    or an unquoted ': ' inside one."""
    brackets = _FLOW.get(exc.context or "")
    opened, found = exc.context_mark, exc.problem_mark
    if brackets is None or opened is None or found is None or "expected ','" not in (exc.problem or ""):
        return None
    start, end = brackets
    left_open = _left_open(opened.line, found.line, lines)
    if left_open is not None:
        return Span(opened.line + 1, opened.column + 1, opened.line + 1, opened.column + 2), (
            f"this '{start}' is not closed: add the '{end}' at the end of line {left_open + 1}, "
            f"where it ends (line {found.line + 1} starts what comes next, and was read as part of it)"
        )
    if _line(lines, found.line)[found.column : found.column + 1] == ":":
        return Span(found.line + 1, found.column + 1, found.line + 1, found.column + 2), (
            f"a ': ' inside an unquoted value in {start} {end} starts a key, which cannot go here: "
            "put the value in quotes, or, if a new key starts here, add the ',' missing before it"
        )
    rest = "\n".join([_line(lines, found.line)[found.column :], *lines[found.line + 1 :]])
    if _without_comment(rest).strip():  # something follows: a missing ',' or closing bracket
        return Span.point(found.line + 1, found.column + 1), (
            f"the '{start}' at line {opened.line + 1}, column {opened.column + 1} is not closed before "
            f"this, or a ',' is missing between its items: add the '{end}' where it ends"
        )
    return _never_closed(opened.line, opened.column, start)


def _left_open(opened: int, found: int, lines: list[str]) -> int | None:
    """The line a ``{`` or ``[`` opened at line ``opened`` should have been closed on, when
    the error at line ``found`` is on a later line that is indented no deeper than the
    bracket's own: the next item or key of the block began there, and the parser read it
    into the bracket. (It said "a ': ' inside an unquoted value in { } starts a key" at that
    next line, and told the user to quote it.)"""
    if found <= opened:
        return None
    here = _line(lines, found)
    if not _without_comment(here).strip():
        return None
    if len(here) - len(here.lstrip(" ")) > len(_line(lines, opened)) - len(_line(lines, opened).lstrip(" ")):
        return None
    before = [n for n in range(opened, found) if _without_comment(_line(lines, n)).strip()]
    return before[-1] if before else opened


def _never_closed(line: int, column: int, start: str) -> tuple[Span, str]:
    end = "}" if start == "{" else "]"
    return Span(line + 1, column + 1, line + 1, column + 2), (
        f"this '{start}' is never closed: add the '{end}' where it ends (a value that starts with "
        f"'{start}' is a {'mapping' if start == '{' else 'list'}; put text that starts with one in quotes)"
    )


def _open_at_end(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``title: [`` or ``[a,`` at the end of the file: the parsers wanted an item ("expected
    the node content") past the last line, and name no bracket; the last one left open is."""
    found = exc.problem_mark
    if exc.context != "while parsing a flow node" or found is None:
        return None
    rest = "\n".join([_line(lines, found.line)[found.column :], *lines[found.line + 1 :]])
    if _without_comment(rest).strip():
        return None
    opened: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines[: found.line + 1]):
        quote = ""
        for column, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#" and (column == 0 or line[column - 1] in " \t"):
                break
            elif char in "[{":
                opened.append((number, column, char))
            elif char in "]}" and opened:
                opened.pop()
    return _never_closed(*opened[-1]) if opened else None


def _dash_without_space(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``-id: a`` among list items: without a space after it, '-' is part of a key."""
    if exc.context not in ("while parsing a block mapping", "while parsing a block collection"):
        return None
    for mark in (exc.context_mark, exc.problem_mark):
        if mark is None:
            continue
        words = _without_comment(_line(lines, mark.line)[mark.column :])
        if re.match(r"-[^\s-]", words):
            span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + len(words))
            return span, f"'{_quote(words)}' is a key, not a list item: put a space after the '-'"
    return None


def _text_after_closed_value(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``title: [DRAFT] Admin`` or ``title: 'Admin's account'``: a value that starts with a
    bracket or a quote ends at its closing one, and more text follows on the line."""
    mark = exc.problem_mark
    if mark is None or exc.context != "while parsing a block mapping":
        return None
    before = _line(lines, mark.line)[: mark.column].rstrip()
    if mark.column == 0 or not before or before[-1] not in "]}'\"":
        return None
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
    if before[-1] in "'\"" and (opened := _opening_quote(lines, mark.line, len(before) - 1)) is not None:
        number, column = opened
        if number < mark.line:
            return Span(number + 1, column + 1, number + 1, column + 2), (
                f"this {before[-1]} is not closed on its line, so the quoted value runs on to line "
                f"{mark.line + 1} and ends at the {before[-1]} there, before more text: close the "
                "quote on this line"
            )
    if before[-1] in "'\"":
        return span, (
            f"the quoted value ended at the {before[-1]} before this text: put the whole value in quotes "
            "of the other kind (\"Admin's account\"), or write '' for an apostrophe inside '...'"
        )
    opener = "[" if before[-1] == "]" else "{"
    return span, (
        f"a value that starts with '{opener}' is a {'list' if opener == '[' else 'mapping'} and ended "
        f"at its '{before[-1]}', before this text: put the whole value in quotes, "
        + _quoted_value(_line(lines, mark.line), example="[DRAFT] Admin locked out")
    )


def _quote_open_at_end(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``title: "Admin locked out`` with no quote of its kind below: "found unexpected end
    of stream" at the line after the last, far from the quote to close."""
    opened = exc.context_mark
    if exc.context != "while scanning a quoted scalar" or opened is None:
        return None
    if "end of stream" not in (exc.problem or ""):
        return None
    quote = _line(lines, opened.line)[opened.column : opened.column + 1] or '"'
    return Span(opened.line + 1, opened.column + 1, opened.line + 1, opened.column + 2), (
        f"this {quote} is never closed, so the quoted value runs on to the end of the file: "
        "close the quote on this line"
    )


def _opening_quote(lines: list[str], number: int, column: int) -> tuple[int, int] | None:
    """Where the quoted value that the quote at ``lines[number][column]`` closes opened
    (line and column, from 0): a quote left open (``title: "Admin locked out``) runs on to
    the next quote of its kind, lines later, where the parser stopped, far from the quote to
    close. A '"' escaped by a backslash, or two "'" (one, in '...'), close nothing."""
    quote = lines[number][column]
    while number >= 0:
        line = lines[number]
        while column > 0:
            column -= 1
            if line[column] != quote:
                continue
            if quote == "'" and column > 0 and line[column - 1] == "'":
                column -= 1  # '' is an apostrophe inside '...'
                continue
            backslashes = len(line[:column]) - len(line[:column].rstrip("\\"))
            if quote == '"' and backslashes % 2:
                continue
            return number, column
        number -= 1
        column = len(lines[number]) if number >= 0 else 0
    return None


def _reserved_start(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``owner: @support``: YAML reserves '@', '`' and '%' at the start of a plain value."""
    mark = exc.problem_mark
    if mark is None or "cannot start any token" not in (exc.problem or ""):
        return None
    char = _line(lines, mark.line)[mark.column : mark.column + 1]
    if char not in _RESERVED:
        return None
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2), (
        f"a value cannot start with {_RESERVED[char]} in YAML unless it is quoted: put the value in quotes"
    )


def _key_at_list_dash(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """``  name: B`` under ``  - id: b``: a key lined up with the list's '-' rather than with
    the item's keys, so the list wanted another '- ' there. Both parsers name only the token
    they expected ("did not find expected '-' indicator", "expected <block end>, but found
    '?'"), which tells a newcomer nothing of the two spaces missing."""
    opened, mark = exc.context_mark, exc.problem_mark
    if exc.context != "while parsing a block collection" or opened is None or mark is None:
        return None
    line = _line(lines, mark.line)
    if mark.column != opened.column or line[: mark.column].strip(" ") or line[mark.column :].startswith("-"):
        return None
    words = _without_comment(line[mark.column :])
    if not words:
        return None
    item = next(
        (
            found
            for above in reversed(lines[: mark.line])
            if (found := re.match(r"( *)(- +)(?=[^\s#])", above)) and len(found.group(1)) == mark.column
        ),
        None,
    )
    if item is None:
        return None
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + len(words))
    return span, (
        f"'{_quote(words)}' lines up with the '-' of the list above it, so YAML expected a new item "
        f"('- ') here: indent it to column {item.end() + 1}, under the keys of the item above, "
        "or start a new item with '- '"
    )


def _misaligned(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """A line whose indentation lines up with no key or list item above it (``lane:`` one
    space short of its step's keys): both parsers name only the token they expected."""
    mark = exc.problem_mark
    if mark is None or exc.context not in (
        "while parsing a block mapping",
        "while parsing a block collection",
    ):
        return None
    line = _line(lines, mark.line)
    if line[: mark.column].strip(" ") or mark.column >= len(line):
        return None  # not where the line's text starts
    if mark.column in _indents(lines[: mark.line]):
        return None  # it does line up with something: another cause, in the parser's words
    words = _without_comment(line[mark.column :])
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + len(words))
    return span, (
        f"'{_quote(words)}' is indented to column {mark.column + 1}, which lines up with nothing above it: "
        "indent it exactly as the keys or list items it belongs with (spaces only)"
    )


def _indents(lines: list[str]) -> set[int]:
    """The columns where keys and list items start on these lines (``- `` indicators, and
    the key after one, both count)."""
    found = set()
    for line in lines:
        item = re.match(r"( *)((?:- +)*)(?=[^\s#])", line)
        if item is None:
            continue
        found.add(len(item.group(1)))
        for dash in re.finditer(r"- +", item.group(2)):
            found.add(len(item.group(1)) + dash.end())
    return found


def _first_key_indented(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """`` id: m`` then ``title: T``: the file's first key is indented, so the keys after it,
    written at the margin, are "another document" to both parsers ("expected <document
    start>"). Reported at the first key, where the spaces to remove are."""
    mark = exc.problem_mark
    if mark is None or "<document start>" not in (exc.problem or ""):
        return None
    line = _line(lines, mark.line)
    if line[: mark.column].strip(" ") or mark.column >= len(line):
        return None
    first = next(
        (n for n in range(mark.line) if _without_comment(_line(lines, n)).strip() and lines[n] != "---"), None
    )
    if first is None:
        return None
    indent = len(lines[first]) - len(lines[first].lstrip(" "))
    if indent <= mark.column:
        return None
    words = _without_comment(lines[first]).strip()
    return Span(first + 1, 1, first + 1, indent + 1), (
        f"'{_quote(words)}' is indented by {indent} space{'s' if indent != 1 else ''}, more than the keys "
        f"after it (line {mark.line + 1}): the top-level keys all start at the margin; remove the spaces"
    )


def _second_document(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Span, str] | None:
    """A ``---`` line in a map (a second map pasted below the first, a Markdown rule): both
    parsers say "but found another document", a sentence with its start cut off."""
    mark = exc.problem_mark
    if mark is None or "another document" not in (exc.problem or ""):
        return None
    words = _without_comment(_line(lines, mark.line)[mark.column :]).strip() or "---"
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + len(words))
    return span, (
        f"'{_quote(words)}' starts a second YAML document, and a file holds one map: remove this line "
        "(and put a second map in a file of its own)"
    )
