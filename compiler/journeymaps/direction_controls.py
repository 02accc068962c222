"""Unicode's direction controls and the control characters in a file's data: found once
when it is loaded, and written as escapes (``\\u202e``, ``\\x1b``) in the data itself, so
that no page, diagram, export or finding shows text in an order other than the file's, or
hands a terminal a command.

"Pays \\u202e0001$" was published as "Pays $1000" on the site and in its diagrams ("Trojan
Source", CVE-2021-42574): lint warned (JM903), and the build went on to show stakeholders
the text the control disguises. The findings' reporters and the pull-request comment
already wrote these controls as escapes; now every output does, from the one place the
data comes from.

A control character written as a YAML escape ("Bill\\0ing\\e[31m", "\\x01") went the same
way, raw: into every page (where browsers show nothing for it), and to the terminal
through ``export``, which obeyed its ESC sequences (JM904 now reports it).
"""

from __future__ import annotations

import re
from typing import Any

from journeymaps.records import record

#: Characters that change the order text is shown in without being seen themselves (the
#: embeddings, overrides and isolates of Unicode's bidirectional algorithm), by name. The
#: marks (U+200E, U+200F, U+061C) are not among them: right-to-left text uses them, and
#: they only place the punctuation next to them.
DIRECTION_CONTROLS = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}
DIRECTION_CONTROL = re.compile(f"[{''.join(DIRECTION_CONTROLS)}]")
#: Each control as its escape: the one table of them (reporters.base.BIDI_CONTROLS adds the
#: marks to it, for lines written for people).
SHOWN = {ord(c): f"\\u{ord(c):04x}" for c in DIRECTION_CONTROLS}
_CONTROLS = tuple(DIRECTION_CONTROLS)

#: The C0 controls but tab and line feed (multi-line text keeps them), DEL and the C1
#: controls: pages show nothing for them, terminals obey them (ESC, CSI starts a command).
#: And U+FEFF, a byte order mark inside a text (pasted from a file that began with one):
#: invisible everywhere, it made "Checkout" and "Check\\ufeffout" two names that look alike.
CONTROL_CHARACTER = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ufeff]")
#: Each as its escape, written as the reporters write them (``\\x1b``, ``\\ufeff``).
CONTROL_SHOWN = {
    **{c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))},
    0xFEFF: "\\ufeff",
}
#: What the data and :func:`shown` write as escapes: both kinds.
ESCAPED = {**SHOWN, **CONTROL_SHOWN}
_HIDDEN = re.compile(f"{DIRECTION_CONTROL.pattern[:-1]}{CONTROL_CHARACTER.pattern[1:-1]}]")


@record(slots=True)
class Hidden:
    """A text that held a direction control or a control character, where it was: its path,
    whether it is the key there, and the first control of that kind it held (a text that
    held both kinds is two of these)."""

    path: tuple[str | int, ...]
    is_key: bool
    control: str


def shown(text: str) -> str:
    """``text`` with each direction control and control character written as its escape:
    for text that is not a map's data (a file's name, a setting, a parser's message quoting
    a line)."""
    # Most texts, every finding's message: isprintable() is ~7 times faster than translate()
    # (0.4 against 2.8 us on 130 characters; isascii() alone would let ESC through).
    if text.isprintable():
        return text
    return text.translate(ESCAPED)


def may_hold(text: str) -> bool:
    """False when no value parsed from ``text`` can hold a control: none written as such,
    and no escape that could spell one (``"\\u202E"``, ``"\\e"``). Most files end here, so
    it is substring searches, not the pattern: ~4x faster on 1,000 maps (0.14 -> 0.03 s); a
    text that is all ASCII (known without a scan) holds no control but through an escape.
    YAML refuses the other control characters written as such, but NEL (U+0085), one of
    its line breaks, which the loader keeps in values (see loader.yaml_input)."""
    if "\\" in text:
        return True
    return not text.isascii() and (
        "\x85" in text or "\ufeff" in text or any(control in text for control in _CONTROLS)
    )


def revealed(value: Any) -> tuple[Any, list[Hidden], list[tuple[str | int, ...]]]:
    """``value`` (plain data) with each control (of both kinds) written as its escape, the texts
    that held one, in document order (a key before its value), and the paths of the keys
    that became another key of their mapping once shown (``"a\\u202e"`` beside ``'a\\u202e'``,
    the escape as text): the first is kept, as YAML's duplicate keys are."""
    found: list[Hidden] = []
    twice: list[tuple[str | int, ...]] = []
    return _revealed(value, (), found, twice), found, twice


def _revealed(
    value: Any, path: tuple[str | int, ...], found: list[Hidden], twice: list[tuple[str | int, ...]]
) -> Any:
    if isinstance(value, str):
        return _text(value, path, False, found)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            shown = _text(key, (*path, key), True, found) if isinstance(key, str) else key
            if shown in out:  # the later value was dropped without a word
                twice.append((*path, shown))
                continue
            out[shown] = _revealed(item, (*path, shown), found, twice)
        return out
    if isinstance(value, list):
        return [_revealed(item, (*path, i), found, twice) for i, item in enumerate(value)]
    return value


def _text(text: str, path: tuple[str | int, ...], is_key: bool, found: list[Hidden]) -> str:
    first = _HIDDEN.search(text)
    if first is None:
        return text
    shown = text.translate(ESCAPED)
    at = (*path[:-1], shown) if is_key else path
    found.append(Hidden(at, is_key, first.group()))
    other_kind = CONTROL_CHARACTER if first.group() in DIRECTION_CONTROLS else DIRECTION_CONTROL
    if (other := other_kind.search(text, first.end())) is not None:  # each kind has its rule
        found.append(Hidden(at, is_key, other.group()))
    return shown
