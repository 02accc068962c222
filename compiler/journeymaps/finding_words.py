"""A finding's message with the places it names in the site's words: a step by its stage's
name and its own ("Escalation, On-call engineer paged", joined by the site's breadcrumb mark),
a handoff by its steps' names as ``diff`` says a change to it, the map by its title, a pain
point by its summary, an opportunity by what we believe, a team by its name. For readers of
a pull request (the comment, the What changed page) and of the site's findings, who never
open the YAML; the file and line beside it are for those who fix it.

Only a reference that names something of the map is replaced; the rest of the message (what
to type: ``add {from: a, to: b, ...}``) stays as lint wrote it. On the site's pages the names
are typeset as every other line of the site is (``typeset``: curly marks and apostrophes,
not "Customer's reply"), the names lint quoted itself too (a KPI's, a handoff's steps'); a pull
request's comment puts the names it writes in curly marks, as its changes name them, and
``diff``'s text in straight ones with their own escaped (:func:`journeymaps.quotes.quoted`),
lint's own words kept as lint wrote them in both, but for the names it put in straight
double marks unescaped (a handoff's steps), quoted as the comment and the text quote."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from journeymaps.model import Map
from journeymaps.quotes import quotation, quoted

_REF = r"([^\s'\"]+)"
#: Between a stage's name and its step's: the site's breadcrumbs' mark.
_IN = "\u203a"


def _step(m: Map, ref: str) -> str | None:
    st = m.step(ref)
    if st is None:
        return None
    stage = m.stage(st.stage_id)
    return f"{stage.name} {_IN} {st.name}" if stage is not None else st.name


def _stage(m: Map, stage_id: str) -> str | None:
    stage = m.stage(stage_id)
    return stage.name if stage is not None else None


def _map(m: Map, map_id: str) -> str | None:
    return m.title if map_id == m.id else None


def _pain(m: Map, pain_id: str) -> str | None:
    p = m.pain_point(pain_id)
    return p.summary if p is not None else None


def _opportunity(m: Map, opportunity_id: str) -> str | None:
    o = m.opportunity(opportunity_id)
    return o.believe if o is not None else None


#: How a name is put in quotes: straight (:func:`quoted`: ``"Customer's reply"``), or
#: typeset (:func:`quotation`).
Quote = Callable[[str], str]


#: How a place is named: (the map, the ids a pattern found, how names are quoted) -> its
#: words, or None.
Said = Callable[[Map, re.Match[str], Quote], str | None]


def _quoted(kind: str, name: Callable[[Map, str], str | None]) -> Said:
    """``kind 'id'`` as ``kind "its name"``; ``kind`` may be "" (a place named by id alone)."""

    def said(m: Map, found: re.Match[str], quote: Quote) -> str | None:
        named = name(m, found[1])
        return f"{kind} {quote(named)}".lstrip() if named is not None else None

    return said


def _both(kind: str, name: Callable[[Map, str], str | None]) -> Said:
    """``kinds 'a' and 'b'`` with both named, or neither."""

    def said(m: Map, found: re.Match[str], quote: Quote) -> str | None:
        a, b = name(m, found[1]), name(m, found[2])
        return f"{kind} {quote(a)} and {quote(b)}" if a is not None and b is not None else None

    return said


def _stepped(m: Map, found: re.Match[str], quote: Quote) -> str | None:
    """A step in brackets after who acts there, ``a bot (contact.bot)``: at its name."""
    named = _step(m, found[1])
    return f"at {quote(named)}" if named is not None else None


def _handoff(m: Map, found: re.Match[str], quote: Quote) -> str | None:
    """By its steps' names, as a change to it reads (``handoff "Tier 2 acknowledges" →``)."""
    a, b = m.step(found[1]), m.step(found[2])
    return f"handoff {quote(a.name)} → {quote(b.name)}" if a is not None and b is not None else None


#: How a message names a place, and how the site says it (None: left as written).
PLACES: dict[re.Pattern[str], Said] = {
    re.compile(rf"\bhandoff {_REF} -> {_REF}"): _handoff,
    re.compile(rf"\bstep '{_REF}'"): _quoted("step", _step),
    re.compile(rf"\bmoment of truth '{_REF}'"): _quoted("moment of truth", _step),
    re.compile(rf"\bstage '{_REF}'"): _quoted("stage", _stage),
    re.compile(rf"(?<=loops back to )'{_REF}'"): _quoted("", _stage),
    re.compile(rf"(?<=a branch of )'{_REF}'"): _quoted("", _stage),
    re.compile(rf"(?<=sibling branch )'{_REF}'"): _quoted("", _stage),
    re.compile(rf"\bmap '{_REF}'"): _quoted("map", _map),
    re.compile(rf"\bpain points '{_REF}' and '{_REF}'"): _both("pain points", _pain),
    re.compile(rf"\bpain point '{_REF}'"): _quoted("pain point", _pain),
    re.compile(rf"\bopportunity '{_REF}'"): _quoted("opportunity", _opportunity),
    re.compile(rf"(?<=resolved by )'{_REF}'"): _quoted("", _opportunity),
    # Who acts at a step, then the step: "a bot (contact.bot)", "tier-2 (contact.agent)".
    re.compile(r"\(([^\s()'\"]+\.[^\s()'\"]+)\)"): _stepped,
}

#: Where a message names a team by its id: "the case moves from tier-2 (…) to engineering".
#: And where a handoff behind the scenes loses context: "finance receives the case without
#: support's notes ... of support or of the customer".
_TEAMS = re.compile(
    r"(?<=\bmoves from )[\w-]+(?= \()|(?<=\) to )[\w-]+(?= \([^\s()]+\.[^\s()]+\))"
    r"|(?<=loses context: )[\w-]+(?= receives the case without )|(?<= without )[\w-]+(?='s notes )"
    r"|(?<=, of )[\w-]+(?= or of the customer)"
)


#: Names lint quoted itself, straight, for a terminal (``KPI 'Reopen rate' is 5%``), each a
#: group of its pattern: typeset on the site's pages. Only where a rule writes a name, so
#: that a value to type (``channel: 'pigeon'``) keeps the marks it is typed with.
NAMED: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bKPI '(.+?)'(?= is | got worse )"),  # rules/measured.py, a KPI off target or worsening
    # rules/measured.py: its SLA breached, or not measured since the map changed
    (
        _BREACHED := re.compile(
            r'\bthe handoff from "(.+)" to "(.+)"(?=: \d+% of its tickets missed| is measured )'
        )
    ),
    re.compile(r"(?<=: )'(.+)'(?= is a placeholder)"),  # rules/writing.py, text not written yet
)
#: Names lint quoted in straight double marks, unescaped (its SLA breached): requoted for
#: ``diff``'s text and comment, where ``"Billing "bot" answers"`` read as two quotations.
_DOUBLED = (_BREACHED,)


#: An apostrophe inside a word ("Support's notes"): typeset as the site's text is. A mark
#: beside a space or a bracket may quote a value to type, and stays.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def _retyped(found: re.Match[str], quote: Quote = quotation) -> str:
    """``found`` with each of its groups (a name between lint's straight marks) put in
    ``quote``: typeset, by default."""
    text, start = found[0], found.start()
    out, at = [], 0
    for group in range(1, (found.re.groups or 0) + 1):
        a, b = found.start(group) - start, found.end(group) - start
        out += [text[at : a - 1], quote(text[a:b])]
        at = b + 1
    return "".join([*out, text[at:]])


def in_words(
    message: str,
    m: Map | None,
    teams: Mapping[str, str] | None = None,
    typeset: bool = False,
    quote: Quote = quoted,
) -> str:
    """``message`` with the places of ``m`` it names by id named as the site names them, and
    the ``teams`` (id -> name) it names by id by their names, each name put in ``quote``
    (the text output's escaped straight marks; a comment's curly ones); ``typeset``: every
    name it quotes in curly marks, lint's too, as the site's pages show names."""
    if typeset:
        for pattern in NAMED:
            message = pattern.sub(_retyped, message)
    else:
        for pattern in _DOUBLED:
            message = pattern.sub(lambda found: _retyped(found, quote), message)
    if m is None:
        return _APOSTROPHE.sub("\u2019", message) if typeset else message
    if teams:
        message = _TEAMS.sub(lambda found: teams.get(found[0], found[0]), message)
    quote = quotation if typeset else quote
    for pattern, said in PLACES.items():
        message = pattern.sub(lambda found, said=said: said(m, found, quote) or found[0], message)  # type: ignore[misc]
    return _APOSTROPHE.sub("\u2019", message) if typeset else message


#: A message's first word when it is a plain lower-case word: not a schema's path
#: (``stages[0]: …``), a file (``journeymaps.toml``) or an id (``lockout-rate``), which are
#: written as the map's author types them.
_FIRST_WORD = re.compile(r"[a-z]+(?![\w.\[/-])")


def sentence(message: str) -> str:
    """``message`` as a sentence on a page, its first letter capitalised: lint writes a
    message to follow ``file:line:col: JM… error:``, and the site showed "the handoff from…"
    standing alone. Lint's own output (terminal, JSON, SARIF, a pull request's comment)
    keeps its words."""
    return message[:1].upper() + message[1:] if _FIRST_WORD.match(message) else message


def on_the_site(message: str, m: Map | None, teams: Mapping[str, str] | None = None, data: Any = None) -> str:
    """``message`` as the site's pages say it: :func:`in_words`, typeset, and a place named by
    the schema's path (``stages[0].steps[0].name: …``, jargon to a director) by its map's
    names, as the home page says a file that could not be read (``Stage “Invoice review”,
    step “…”, name: …``); a :func:`sentence`, as each page shows it. ``data``: the file's
    YAML as read when it is no map (the schema rejected it), whose names it says as far as
    they are there."""
    from journeymaps.site.load_words import load_words

    said = in_words(message, m, teams, typeset=True)
    source = m.src.data if m is not None else data
    return sentence(load_words(said, source).what if source is not None else said)
