"""A finding's message with the places it names in the site's words: a step by its stage's
name and its own ("Escalation, On-call engineer paged", joined by the site's breadcrumb mark),
a handoff by its steps' names as ``diff`` says a change to it. For readers of a pull request
(the comment, the What changed page) who never open the YAML; the file and line beside it
are for those who fix it.

Only a reference that names something of the map is replaced; the rest of the message (what
to type: ``add {from: a, to: b, ...}``) stays as lint wrote it."""

from __future__ import annotations

import re
from collections.abc import Callable

from journeymaps.model import Map

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


def _quoted(kind: str, name: Callable[[Map, str], str | None]) -> Callable[[Map, re.Match[str]], str | None]:
    def said(m: Map, found: re.Match[str]) -> str | None:
        named = name(m, found[1])
        return f'{kind} "{named}"' if named is not None else None

    return said


def _handoff(m: Map, found: re.Match[str]) -> str | None:
    """By its steps' names, as a change to it reads (``handoff "Tier 2 acknowledges" →``)."""
    a, b = m.step(found[1]), m.step(found[2])
    return f'handoff "{a.name}" → "{b.name}"' if a is not None and b is not None else None


#: How a message names a place, and how the site says it (None: left as written).
PLACES: dict[re.Pattern[str], Callable[[Map, re.Match[str]], str | None]] = {
    re.compile(rf"\bhandoff {_REF} -> {_REF}"): _handoff,
    re.compile(rf"\bstep '{_REF}'"): _quoted("step", _step),
    re.compile(rf"\bmoment of truth '{_REF}'"): _quoted("moment of truth", _step),
    re.compile(rf"\bstage '{_REF}'"): _quoted("stage", _stage),
}


def in_words(message: str, m: Map | None) -> str:
    """``message`` with the places of ``m`` it names by id named as the site names them."""
    if m is None:
        return message
    for pattern, said in PLACES.items():
        message = pattern.sub(lambda found, said=said: said(m, found) or found[0], message)  # type: ignore[misc]
    return message
