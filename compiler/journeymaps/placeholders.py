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
    # Each search only where its word can be: most text has none, and a search tries the
    # pattern at every character (~50 times finding a word; ~100 step names a map, as the
    # site asks whether a map is a draft). Only ASCII text is sure to lower to "lorem" where
    # the case-blind pattern matches.
    if "TODO" in text or "TBD" in text or "FIXME" in text:
        found = _CASED.search(text)
        if found:
            return found.group(0)
    if not text.isascii() or "lorem" in text.lower():
        found = _LOREM.search(text)
        if found:
            return found.group(0)
    return None


#: What people write for a circuit breaker that does not exist yet.
_NO_BREAKER = frozenset({"none", "none yet", "no", "nothing", "-", "unknown", "not yet", "na", "tbc"})


def placeholder_breaker(text: str | None) -> bool:
    """True when a loop's ``breaker`` says there is none (``none yet``, ``TODO``, ``n/a``)."""
    if text is None:
        return False
    return placeholder(text) is not None or text.strip().lower().rstrip(".") in _NO_BREAKER
