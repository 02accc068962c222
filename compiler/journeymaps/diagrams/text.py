"""Making any text from a map safe inside DOT and SVG.

Every string passes through :func:`clean` (characters XML cannot hold are replaced), then
escaping (backslashes and entities lose their meaning); :mod:`journeymaps.diagrams.dot` quotes
the rest, and never reads text like ``<b>`` as an HTML-like label. No HTML-like labels are
used at all: the embedded Graphviz build does not support them.
"""

from __future__ import annotations

import itertools
import re

# C0/C1 controls (tab and newline are handled separately), surrogates, and the
# non-characters XML 1.0 forbids.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\r\n]+")
REPLACEMENT = "\ufffd"


def clean(text: str, limit: int | None = None) -> str:
    """One line of text with unsafe characters replaced and runs of space folded."""
    # Most text is already clean: every unsafe character and every space but ' ' is
    # unprintable, so a printable text with no doubled, leading or trailing space is kept
    # as it is, without the two substitutions (a diagram cleans a hundred strings).
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = _SPACE.sub(" ", _UNSAFE.sub(REPLACEMENT, text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def plain(text: str, limit: int | None = None) -> str:
    """One line for a DOT attribute: backslashes and entities lose their meaning."""
    return _escape(clean(text, limit))


def _escape(text: str) -> str:
    # Graphviz decodes HTML entities even in plain labels ("&#14;" would become a control
    # character in the SVG), so '&' is written as an entity too.
    return text.replace("\\", "\\\\").replace("&", "&amp;")


def label(*paragraphs: str | None, width: int = 28, limit: int = 140) -> str:
    """A multi-line, left-aligned DOT label: each paragraph wrapped, each line escaped.

    Lines end with DOT's ``\\l`` (left-justified line break), added after escaping so
    that it keeps its meaning while the user's backslashes lose theirs.
    """
    lines: list[str] = []
    kept = _wrapped
    for p in paragraphs:
        if p:
            lines += kept.get((p, width, limit)) or _wrap_kept(p, width, limit)
    if not lines:
        return ""
    # Escaped at once, joined by newlines then turned into \l: no line holds a newline
    # (clean folds them into spaces); labels are a sixth of the cost of a diagram's DOT.
    return _escape("\n".join(lines)).replace("\n", "\\l") + "\\l"


#: Paragraphs already wrapped, by (text, width, limit): most recur in every diagram
#: ("Frontstage", "feels +1 slightly positive", "owner: billing").
_wrapped: dict[tuple[str, int, int], tuple[str, ...]] = {}


def _wrap_kept(text: str, width: int, limit: int) -> tuple[str, ...]:
    """:func:`wrap`, kept in ``_wrapped`` when short (long ones seldom recur)."""
    lines = tuple(wrap(text, width, limit))
    if len(text) <= 48:
        if len(_wrapped) >= 20_000:  # bounded, for long-running processes (serve)
            _wrapped.clear()
        _wrapped[text, width, limit] = lines
    return lines


def wrap(text: str, width: int = 28, limit: int = 140) -> list[str]:
    """Words of ``text`` (already cleaned) in lines of at most ``width`` characters: as many
    words a line as fit, a word longer than a line cut at ``width``."""
    text = clean(text, limit)
    if len(text) <= width:  # one line, as the loop below would give it
        return [text]
    # Cleaned text has single spaces between words and none at its ends, so each line ends
    # at the last space that leaves it at most ``width`` long (found by rfind, not word by
    # word: a diagram wraps every label).
    lines: list[str] = []
    start, end = 0, len(text)
    while end - start > width:
        space = text.rfind(" ", start, start + width + 1)
        if space > start:
            lines.append(text[start:space])
            start = space + 1
        else:  # a word longer than a line (a URL, a naughty string) is cut, not overflowing
            lines.append(text[start : start + width])
            start += width
    lines.append(text[start:])
    return lines


#: Helvetica's advance widths in thousandths of an em, as Graphviz estimates them when it has
#: no font to measure (the embedded build): printable ASCII by the font's metrics (556 unless
#: listed), any other Latin-1 character 556, any character beyond 833.
_EM = dict.fromkeys(map(chr, range(256)), 556) | {
    ch: w
    for chars, w in (
        (" !,./:;I[\\]ft", 278),
        ("'", 191),
        ('"', 355),
        ("%", 889),
        ("&ABEKPSVXY", 667),
        ("()-`r", 333),
        ("*", 389),
        ("+<=>~", 584),
        ("@", 1015),
        ("CDHNRUw", 722),
        ("FTZ", 611),
        ("GOQ", 778),
        ("Jcksvxyz", 500),
        ("Mm", 833),
        ("W", 944),
        ("^", 469),
        ("ijl", 222),
        ("{}", 334),
        ("|", 260),
    )
    for ch in chars
}


def width(text: str, size: float) -> float:
    """The width, in points, of the widest line of a :func:`label` (or :func:`plain`) text in
    Helvetica of ``size`` points, as the embedded Graphviz estimates it (exactly). The
    system's dot measures its own way: up to ~12 % wider."""
    widest = 0
    for line in text.replace("&amp;", "&").replace("\\\\", "\\").split("\\l"):
        em = _lines.get(line)
        if em is None:
            em = sum(map(_EM.get, line, _BEYOND))  # each character's width, looked up in C
            if len(_lines) >= 20_000:  # bounded, for long-running processes (serve)
                _lines.clear()
            _lines[line] = em
        widest = max(widest, em)
    return widest * size / 1000


#: The width of a character beyond Latin-1, for each character of a text: ``map(_EM.get,
#: text, _BEYOND)`` looks each one up without a Python frame per character, a third of the
#: time of a generator's (a realistic map measures ~1,000 characters a diagram, issue 18).
_BEYOND = itertools.repeat(833)

#: Lines already measured, in thousandths of an em: most recur ("Frontstage · Email").
_lines: dict[str, int] = {}


#: Helvetica Bold's advance widths (Liberation Sans Bold's, metric-compatible), printable
#: ASCII by the font's metrics (556 unless listed); beyond, as :data:`_EM` has them.
_EM_BOLD = _EM | {
    ch: w
    for chars, w in (
        (" ,./I\\ijl", 278),
        ("!():;[]`ft-", 333),
        ("'", 238),
        ('"', 474),
        ("%", 889),
        ("&ABCDHKNRU", 722),
        ("*{}", 389),
        ("+<=>^~", 584),
        ("?FLTZbdghnopqu", 611),
        ("@", 975),
        ("EPSVXY", 667),
        ("GOQw", 778),
        ("M", 833),
        ("m", 889),
        ("W", 944),
        ("r", 389),
        ("z", 500),
        ("|", 280),
        ("#$0123456789Jacekvsxy_", 556),
    )
    for ch in chars
}


def words_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width, in pixels (or points), of one line of plain text set in Helvetica (or
    Liberation Sans, which has its widths) of ``size``: what a page's SVG words take."""
    em = _EM_BOLD if bold else _EM
    return sum(map(em.get, text, _BEYOND)) * size / 1000
