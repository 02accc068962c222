"""Quotation marks as typeset: a map's straight quotes turned into curly ones, and a thought
quoted once, its own quotes nested inside as single marks ("It said "resolved"" was shown
as “It said "resolved"”, and a thought written in quotes as ““Is it us?””). And the straight
quotes of ``diff``'s sentences (:func:`quoted`, their own marks escaped), typeset for the
comment and the What changed page (:func:`typeset`)."""

from __future__ import annotations

import re

#: After these (or at the start) a quote opens; anywhere else it closes, or is an apostrophe.
_OPENS_AFTER = frozenset(" \t\n([{/\u2014\u2013\u201c\u2018")
_CURLY = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019")}
#: A quotation's own marks: its doubles nested inside the marks it is shown in, as singles.
_NESTED = str.maketrans({"\u201c": "\u2018", "\u201d": "\u2019"})


def curly(text: str) -> str:
    """``text`` with each straight quote as the curly one its place calls for: ``a "resolved"
    mail`` -> ``a “resolved” mail``, and an apostrophe as U+2019. Double quotes inside double
    quotes nest as single ones: ``"Checks the "all green" page"`` (a name quoted in a
    sentence) -> the inner pair as U+2018 and U+2019, not two openings in a row."""
    if '"' not in text and "'" not in text:
        return text
    out = []
    depth = 0  # double quotes open around this point
    for i, ch in enumerate(text):
        pair = _CURLY.get(ch)
        if pair is None:
            out.append(ch)
            continue
        opens = i == 0 or text[i - 1] in _OPENS_AFTER
        if ch == '"':
            depth -= not opens and depth > 0
            pair = _CURLY["'"] if depth > 0 else pair
            depth += opens
        out.append(pair[0] if opens else pair[1])
    return "".join(out)


def _wrapped(text: str) -> bool:
    """Whether the whole of ``text`` (curly) is one quotation: it opens with a quote that
    closes only at its end."""
    for opens, closes in ("\u201c\u201d", "\u2018\u2019"):
        if len(text) < 2 or text[0] != opens or text[-1] != closes:
            continue
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == opens) - (ch == closes)
            if depth == 0 and i < len(text) - 1:
                break
        else:
            return True
    return False


def quotation(text: str) -> str:
    """``text`` as a quotation in double curly marks, shown once: marks the writer put around
    it are not doubled, and its own double quotes nest inside as single ones
    (``It said "resolved"`` -> ``“It said`` U+2018 ``resolved`` U+2019 ``”``)."""
    inner = curly(text.strip())
    if _wrapped(inner):
        inner = inner[1:-1].strip()
    return f"\u201c{inner.translate(_NESTED)}\u201d"


def quoted(text: str) -> str:
    """``text`` between straight double quotes, as ``diff``'s text names a thing or quotes
    what it says, its own double quotes escaped as git quotes a path and JSON a string:
    ``a "resend" button`` -> ``"a \\"resend\\" button"``. Nested unescaped, ``"…a "resend"
    button"`` read as two quotations with a word between them, to a reader and to a script
    taking what is between the marks. A backslash is doubled only where it could be read
    as an escape (before a quote, a backslash, or the closing mark): a direction control
    shown as ``\\u202e`` stays so."""
    return '"' + _ESCAPED.sub(lambda found: "\\" + found[0], text) + '"'


def plain(text: str) -> str:
    """A value ``diff``'s text shows as written (an ``x-`` value, an evidence ref, a team's
    name): as it is, unless it holds a double quote, then :func:`quoted`. A stray mark
    (``27" monitors``) was paired with the next quotation's opening one, by a script
    reading the text and by :func:`typeset` alike."""
    return quoted(text) if '"' in text else text


#: What :func:`quoted` escapes: a double quote, and a backslash that could be read as an escape.
_ESCAPED = re.compile(r'"|\\(?=["\\]|$)')
#: What :func:`quoted` wrote: a double quote, anything but an unescaped one, a double quote.
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_UNESCAPE = re.compile(r'\\(["\\])')


def typeset(sentence: str) -> str:
    """A sentence whose quotations :func:`quoted` wrote, as the comment and the site show it:
    each in curly marks, its own quotes nested inside as single ones (a cut text's ellipses
    kept outside the nesting), the rest :func:`curly`."""
    out, at = [], 0
    for found in _QUOTED.finditer(sentence):
        inner = _UNESCAPE.sub(r"\1", found[1])
        # A cut text's ellipses (journeymaps.text_changes) stand outside what it says.
        body = inner.strip("\u2026")
        lead = "\u2026" * (len(inner) - len(inner.lstrip("\u2026")))
        trail = "\u2026" * (len(inner) - len(inner.rstrip("\u2026"))) if body else ""
        shown = quotation(body)[1:-1] if body.strip() else body
        out += [curly(sentence[at : found.start()]), f"\u201c{lead}{shown}{trail}\u201d"]
        at = found.end()
    return "".join([*out, curly(sentence[at:])])
