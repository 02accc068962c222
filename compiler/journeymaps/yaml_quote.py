"""Text written into a YAML file that ``new`` or ``import`` makes: read back as it was given."""

from __future__ import annotations

import json
import re

#: What a YAML double-quoted scalar or a comment cannot hold as written: the characters YAML
#: refuses (DEL, the C1 controls, U+FFFE, U+FFFF, a lone surrogate: PyYAML's non-printable
#: set) and the line breaks it folds (NEL, U+2028, U+2029). json.dumps escapes only the C0
#: controls. Also Unicode's direction controls (U+202A-U+202E, U+2066-U+2069): YAML holds
#: them, but written as such they show the rest of the line in another order in an editor
#: or a diff ("Trojan Source"); as escapes the file shows what it holds.
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def escaped(text: str) -> str:
    """``text`` with each character of :data:`_NOT_YAML` as its ``\\uXXXX`` escape."""
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as it is, typed as it is (not
    Jinja's ``tojson``, made for HTML, which wrote ``can't`` as ``can\\u0027t``)."""
    return escaped(json.dumps(text, ensure_ascii=False))


#: Plain words YAML reads as something other than text: booleans and null in YAML 1.2, and
#: YAML 1.1's yes/no/on/off/y/n, which other tools (PyYAML, editors) still read so.
WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
_PLAIN_ID = re.compile(r"[a-z][a-z0-9-]*")


def identifier(value: str) -> str:
    """An id (kebab-case) as a YAML scalar that reads back as that text: plain when it
    starts with a letter and is no word YAML reads otherwise, else quoted. Written plain,
    ``404``, ``012``, ``0x1f``, ``1e3``, ``true`` or ``null`` were read as a number, a
    boolean or nothing, and lint refused the map ``new`` or ``import`` had just written."""
    if _PLAIN_ID.fullmatch(value) and value not in WORDS:
        return value
    return quoted(value)
