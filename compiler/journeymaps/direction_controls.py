"""Unicode's direction controls in a file's data: found once when it is loaded, and written
as escapes (``\\u202e``) in the data itself, so that no page, diagram, export or finding
shows text in an order other than the file's.

"Pays \\u202e0001$" was published as "Pays $1000" on the site and in its diagrams ("Trojan
Source", CVE-2021-42574): lint warned (JM903), and the build went on to show stakeholders
the text the control disguises. The findings' reporters and the pull-request comment
already wrote these controls as escapes; now every output does, from the one place the
data comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Hidden:
    """A text that held a direction control, where it was: its path, whether it is the key
    there, and the first control it held."""

    path: tuple[str | int, ...]
    is_key: bool
    control: str


def shown(text: str) -> str:
    """``text`` with each direction control written as its escape: for text that is not a
    map's data (a file's name, a setting, a parser's message quoting a line)."""
    if text.isascii():  # most texts, and ~50 times faster than translate(): every finding's message
        return text
    return text.translate(SHOWN)


def may_hold(text: str) -> bool:
    """False when no value parsed from ``text`` can hold a control: none written as such,
    and no escape that could spell one (``"\\u202E"``). Most files end here, so it is
    substring searches, not the pattern: ~4x faster on 1,000 maps (0.14 -> 0.03 s); a text
    that is all ASCII (known without a scan) holds no control."""
    if "\\" in text and ("\\u" in text or "\\U" in text):
        return True
    return not text.isascii() and any(control in text for control in _CONTROLS)


def revealed(value: Any) -> tuple[Any, list[Hidden], list[tuple[str | int, ...]]]:
    """``value`` (plain data) with each direction control written as its escape, the texts
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
    control = DIRECTION_CONTROL.search(text)
    if control is None:
        return text
    shown = text.translate(SHOWN)
    found.append(Hidden((*path[:-1], shown) if is_key else path, is_key, control.group()))
    return shown
