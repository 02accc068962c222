"""Writing: what a newcomer leaves behind without noticing (placeholders, text a comment cut)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymaps.diagnostics import Severity, Span, column_at, line_breaks, shorten, text_lines
from journeymaps.direction_controls import CONTROL_SHOWN, DIRECTION_CONTROL, DIRECTION_CONTROLS, Hidden
from journeymaps.loader import JsonPath, Source
from journeymaps.model import Loc, Map
from journeymaps.placeholders import placeholder
from journeymaps.rules import Context, Finding, map_rule, project_rule
from journeymaps.rules.examples import GOOD_MAP, with_map

_EMOTION = "    emotion: -1\n"  # where the examples add a line to the shared map


#: Lower-cased text that may hold a placeholder (a superset of what ``placeholder`` finds).
#: Looked for in ``text.lower()``, each with ``in``: as one regular expression (``a|b|...``)
#: the scan cost twice as long on a small map (with re.IGNORECASE, 7x longer again).
_MAYBE = ("todo", "tbd", "fixme", "lorem", "...", "\u2026", "?", "n/a", "xxx", "placeholder")


def _strings(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """Every text value with its path; extension keys (``x-``) are the team's own and skipped."""
    return ((where, text) for where, is_key, text in _texts(value, path, everything=False) if not is_key)


def _texts(value: Any, path: JsonPath, *, everything: bool) -> Iterator[tuple[JsonPath, bool, str]]:
    """Every text value with its path (``False``) and, with ``everything``, every key too
    (``True``) and the values of extension keys (``x-``), which the site shows too."""
    if isinstance(value, str):
        yield path, False, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                if everything:
                    yield (*path, key), True, key
                elif key.startswith("x-"):
                    continue
            yield from _texts(item, (*path, key), everything=everything)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i), everything=everything)


@map_rule(
    "placeholder-text",
    "JM901",
    Severity.WARNING,
    "Placeholder text (TODO, TBD, lorem ipsum, ...) left in a map.",
    bad=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + "    thinking: TODO\n")),
    good=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + "    thinking: Why can't I log in?\n")),
)
def placeholder_text(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Templates (`journeymaps new`) and first drafts hold placeholders: `TODO`, `TBD`,
    `FIXME`, "lorem ipsum", or a value that is only `...`, `?` or `n/a`. Left in a map, they
    are published to stakeholders as if they were what the customer does or thinks. Write
    what you know, or remove the key until you know it. Extension keys (`x-…`) are not
    checked.
    """
    source = m.src.text
    # Most maps hold none: one scan of the text, not of every value (an escape such as
    # "\u2026" could spell one, so a file with backslashes is always walked).
    lowered = source.lower()
    if not any(word in lowered for word in _MAYBE) and "\\" not in source:
        return
    for path, text in _strings(m.src.data, ()):
        found = placeholder(text)
        if found is not None:
            which = "" if found == text.strip() else f" ({found})"
            yield Finding.at(
                Loc(m.src, ()),
                f"{_where(path)}: '{shorten(text)}' is a placeholder{which}: write what you know, "
                "or remove the key until you do",
                *path,
            )


def _where(path: JsonPath) -> str:
    from journeymaps.loader import path_text

    return path_text(path)


#: A comment that starts right against its text (``#team-identity``, ``#4521``) after an
#: unquoted value: YAML ends the value at " #", which is rarely what the writer meant.
_CUT = re.compile(r"[ \t]+#(?=[^\s#!])")
#: The same '#', looked for in a whole file: starting at the '#' (a literal), the search
#: skips to each one; starting at the blanks before it, it tried every space of the file.
_CUT_AT = re.compile(r"#(?=[^\s#!])")


def _any_cut(text: str) -> bool:
    """True when ``_CUT`` matches somewhere in ``text``."""
    for found in _CUT_AT.finditer(text):
        at = found.start()
        if at and text[at - 1] in " \t":
            return True
    return False


def _plain_values(node: Node | None, path: JsonPath) -> Iterator[tuple[JsonPath, ScalarNode]]:
    """Every unquoted scalar value (not key) with its path."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and not key.value.startswith("x-"):
                yield from _plain_values(value, (*path, key.value))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield from _plain_values(item, (*path, i))
    elif isinstance(node, ScalarNode) and not node.style and node.value:
        yield path, node


@map_rule(
    "text-cut-by-comment",
    "JM902",
    Severity.WARNING,
    "An unquoted value ends where a # starts a comment, which looks unintended.",
    bad=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + "    doing: Posts in Slack to #team-identity\n")),
    good=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + '    doing: "Posts in Slack to #team-identity"\n')),
)
def text_cut_by_comment(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    In YAML, a `#` after a space starts a comment, even in the middle of a sentence: in
    `note: Zendesk side conversation to #team-identity` the note silently stops at "to".
    When a comment starts right against its first word (`#team-identity`, `#4521`) after
    an unquoted value, it is most likely part of the text: put the whole value in quotes.
    A comment written with a space after `#` (`# reviewed with Finance`) is left alone.
    """
    text = m.src.text
    if not _any_cut(text):  # no comment against its first word anywhere in the file
        return
    lines = text_lines(text)
    for path, node in _plain_values(m.src.nodes(), ()):
        end = node.end_mark
        if end.line >= len(lines):
            continue
        rest = lines[end.line][end.column :]
        cut = _CUT.match(rest)
        if cut is None:
            continue
        comment = rest[cut.end() - 1 :].split()[0]
        yield Finding.at(
            Loc(m.src, ()),
            f"{_where(path)}: the text stops before '{shorten(comment)}', which YAML reads as a comment; "
            "put the whole value in quotes to keep it",
            *path,
        )


@project_rule(
    "text-direction-control",
    "JM903",
    Severity.WARNING,
    "A text holds an invisible control that shows the characters after it in another order.",
    bad=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + '    doing: "Pays \\u202E0001$ of the invoice"\n')),
    good=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + "    doing: Pays 1000$ of the invoice\n")),
)
def text_direction_control(ctx: Context) -> Iterator[Finding]:
    """
    Unicode's direction controls (U+202A to U+202E, U+2066 to U+2069) are invisible, and
    make the characters after them show in another order: "Pays \\u202E0001$" is shown as
    "Pays $1000" in editors and in a pull request's diff, while the file says otherwise
    ("Trojan Source", CVE-2021-42574). Text pasted from a right-to-left document can bring
    one along. The site, its diagrams, exports and findings show each as its escape
    (`\\u202e`), never as the order it disguises. Remove it: Arabic and Hebrew text shows
    in the right order without them. Reported for maps, personas and teams, in keys and
    values, written as the character or as an escape (`"\\u202E"`), even in a file with
    another error (one that does not follow the format), and in comments: a comment is no data,
    but a control in it reorders what a reviewer reads on that line.
    """
    yield from _in_every_file(ctx, "text-direction-control", _direction_controls)


def _in_every_file(ctx: Context, name: str, found: Callable[[Source], list[Finding]]) -> Iterator[Finding]:
    """``found`` in every file the project read: maps, registries, and files with a schema
    error (not modelled, but shown in review as they are: a control was reported only once
    the other error was fixed, so one could hide behind it)."""
    for m in ctx.project.maps:  # kept by serve while the map is unchanged: 1,000 maps an edit
        yield from ctx.per_map(name, m, lambda m: found(m.src))
    for src, _ in ctx.project.registries:
        yield from found(src)
    for src in ctx.project.invalid:
        yield from found(src)


def _direction_controls(src: Source) -> list[Finding]:
    """:func:`text_direction_control`'s findings in one file (found when it was loaded), and
    those in its comments."""
    return _in_values(src) + _in_comments(src)


def hidden_in_values(src: Source) -> list[tuple[str, Hidden, str]]:
    """What :func:`text_direction_control` and :func:`text_control_character` say of the
    keys and values of ``src``: (the rule's name, where, its message). What ``import`` says
    of the map it writes, at the journey's line: it wrote them without a word, and lint
    then warned of a map just made."""
    return [
        ("text-direction-control", h, _direction_message(h))
        if h.control in DIRECTION_CONTROLS
        else ("text-control-character", h, _control_message(h))
        for h in src.hidden
    ]


def _in_values(src: Source) -> list[Finding]:
    return [
        Finding.at(Loc(src, ()), _direction_message(h), *h.path, key=h.is_key)
        for h in src.hidden
        if h.control in DIRECTION_CONTROLS
    ]


def _direction_message(h: Hidden) -> str:
    return (
        f"{_where(h.path)}: {'the key' if h.is_key else 'its text'} holds U+{ord(h.control):04X} "
        f"{DIRECTION_CONTROLS[h.control]}, an invisible control that shows the characters "
        "after it in another order: remove it"
    )


def _in_comments(src: Source) -> list[Finding]:
    """Direction controls in a file's comments, each at its line and column. A comment is no
    data, but a control in it reorders what a reviewer reads on that line of the diff (the
    "Trojan Source" paper's commented-out code; rustc warns of them in comments too)."""
    if not any(c in src.text for c in DIRECTION_CONTROLS):  # most files: ~0.5 us (the pattern: ~70)
        return []
    from journeymaps.loader import yaml_input

    text = yaml_input(src.text)  # the same length: its lines and columns are the file's
    scalars, read = _scalar_spans(text, src.parser)
    starts = [start for start, _ in scalars]  # in the file's order
    found = []
    line, counted, said = 1, 0, 0  # lines counted up to ``counted``, in one pass
    for hit in DIRECTION_CONTROL.finditer(text, 0, read):
        at = hit.start()
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < scalars[i][1]:
            continue  # in a key or a value: reported above, by its path
        line += line_breaks(text, counted, at)  # (a control is never inside a CRLF)
        counted = at
        if line == said:  # the first of a comment's controls: a line of them is one finding
            continue
        said = line
        column = column_at(text, at)
        control = hit.group()
        found.append(
            Finding(
                src,
                Span.point(line, column),
                f"a comment holds U+{ord(control):04X} {DIRECTION_CONTROLS[control]}, an invisible "
                "control that shows the characters after it in another order: remove it",
            )
        )
    return found


def _scalar_spans(text: str, parser: str) -> tuple[list[tuple[int, int]], int]:
    """Where each key and value of ``text`` is written (start, end offsets): what is not in
    one of them, nor YAML's punctuation or spaces, is a comment; and how far that is known:
    to the end, or to a syntax error (reported by itself; past it nothing is told apart).
    Scanned by the ``parser`` that read the file (libyaml's where there is one), as the
    loader scans: the two cannot disagree on where a value ends."""
    import yaml

    from journeymaps.yaml_parsers import EVENT_LOADERS

    spans: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=EVENT_LOADERS[parser]):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return spans, mark.index if mark is not None else 0
    except yaml.YAMLError:
        return spans, 0
    return spans, len(text)


@project_rule(
    "text-control-character",
    "JM904",
    Severity.WARNING,
    "A text holds a control character (ESC, NUL, BEL...), which pages do not show and terminals obey.",
    bad=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + '    doing: "Pays the invoice\\e[8m, twice"\n')),
    good=with_map(GOOD_MAP.replace(_EMOTION, _EMOTION + "    doing: Pays the invoice, twice\n")),
)
def text_control_character(ctx: Context) -> Iterator[Finding]:
    """
    A control character (U+0000 to U+001F but tab and line feed, U+007F, U+0080 to U+009F)
    is not text: pages show nothing for it, and a terminal obeys it, so an ESC sequence in
    an exported journey can hide what follows it, recolour the screen or retitle the
    window. YAML refuses them written as such, but a quoted text can spell them as escapes
    (`"\\e[8m"`, `"\\0"`, `"\\x01"`), and text pasted from old documents brings NEL
    (U+0085, often an ellipsis read in the wrong encoding). So is U+FEFF, a byte order mark
    inside a text (pasted from a file that began with one; at a file's start it is left
    alone): not a control, but invisible everywhere, so "Checkout" and "Check\\ufeffout"
    read as one name and are two. The site, its diagrams, exports and findings show each as
    its escape (`\\x1b`, `\\ufeff`). Remove it; tabs and line breaks in
    multi-line text are kept as they are. Reported for maps, personas and teams, in keys
    and values, even in a file with another error.
    """
    yield from _in_every_file(ctx, "text-control-character", _control_characters)


#: The names of the control characters a text is likely to hold, for a message that says
#: which one it is (Python's unicodedata names none of them).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
    0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}


def _control_characters(src: Source) -> list[Finding]:
    """:func:`text_control_character`'s findings in one file (found when it was loaded)."""
    return [
        Finding.at(Loc(src, ()), _control_message(h), *h.path, key=h.is_key)
        for h in src.hidden
        if h.control not in DIRECTION_CONTROLS
    ]


def _control_message(h: Hidden) -> str:
    code = ord(h.control)
    name = f"U+{code:04X} {_CONTROL_NAMES[code]}" if code in _CONTROL_NAMES else f"U+{code:04X}"
    what = (
        "an invisible character (a byte order mark, inside the text) that makes names that look alike differ"
        if code == 0xFEFF
        else "a control character that pages do not show and terminals obey"
    )
    holds = "the key" if h.is_key else "its text"
    return f"{_where(h.path)}: {holds} holds {name}, {what}; it is shown as {CONTROL_SHOWN[code]}: remove it"
