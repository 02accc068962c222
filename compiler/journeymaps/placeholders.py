"""Placeholder text: what a template or a first draft leaves where real text belongs."""

from __future__ import annotations

import re

#: Words that mark text nobody wrote yet, anywhere in a value (in capitals: "todo" in a
#: sentence is a word), and values that are nothing but a placeholder.
_CASED = re.compile(r"\b(TODO|TBD|FIXME)\b")
_LOREM = re.compile(r"\blorem\b", re.IGNORECASE)
_WHOLE = frozenset({"...", "…", "?", "??", "???", "tbd", "todo", "n/a", "xxx", "placeholder"})


def placeholder(text: str) -> str | None:
    """The placeholder in ``text`` (as written), or None when it reads as real text."""
    stripped = text.strip()
    if stripped.lower() in _WHOLE:
        return stripped
    found = _CASED.search(text) or _LOREM.search(text)
    return found.group(0) if found else None


#: What people write for a circuit breaker that does not exist yet.
_NO_BREAKER = frozenset({"none", "none yet", "no", "nothing", "-", "unknown", "not yet", "na", "tbc"})


def placeholder_breaker(text: str | None) -> bool:
    """True when a loop's ``breaker`` says there is none (``none yet``, ``TODO``, ``n/a``)."""
    if text is None:
        return False
    return placeholder(text) is not None or text.strip().lower().rstrip(".") in _NO_BREAKER
