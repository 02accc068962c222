"""Making any text from a map safe inside DOT, Graphviz HTML-like labels and SVG.

Every string passes through :func:`clean` (characters XML cannot hold are replaced) and then
through exactly one escaper: :func:`html` for HTML-like labels, or the ``graphviz`` package's
own quoting (with :func:`plain`) for ordinary attributes.
"""

from __future__ import annotations

import html as _html
import re

import graphviz

# C0/C1 controls (tab and newline are handled separately), surrogates, and the
# non-characters XML 1.0 forbids.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\r\n]+")
REPLACEMENT = "\ufffd"


def clean(text: str, limit: int | None = None) -> str:
    """One line of text with unsafe characters replaced and runs of space folded."""
    text = _SPACE.sub(" ", _UNSAFE.sub(REPLACEMENT, text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def html(text: str, limit: int | None = None) -> str:
    """Text for a Graphviz HTML-like label (an XML fragment)."""
    return _html.escape(clean(text, limit), quote=True)


def plain(text: str, limit: int | None = None) -> str:
    """Text for an ordinary DOT attribute: backslashes and <...> lose their meaning."""
    return str(graphviz.escape(clean(text, limit)))


def wrap(text: str, width: int = 28, limit: int = 140) -> list[str]:
    """Words of ``text`` (already cleaned) in lines of at most ``width`` characters."""
    text = clean(text, limit)
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while len(word) > width:  # a long word (a URL, a naughty string) is cut, not overflowing
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def html_lines(text: str, width: int = 28, limit: int = 140) -> str:
    """Wrapped text as HTML-like label lines."""
    return "<br/>".join(_html.escape(line, quote=True) for line in wrap(text, width, limit))
