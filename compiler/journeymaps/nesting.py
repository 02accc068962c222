"""How deep a document nests: the one finding for a document past :data:`MAX_DEPTH`, at the
same node and in the same words whichever parser read it (or gave up on it)."""

from __future__ import annotations

import re

import yaml

from journeymaps.diagnostics import Span
from journeymaps.loader import MAX_DEPTH, TOO_DEEP, LoadProblem
from journeymaps.rules.input import YAML_SYNTAX

_NODE_EVENTS = (yaml.CollectionStartEvent, yaml.ScalarEvent, yaml.AliasEvent)


def too_deep(text: str) -> LoadProblem | None:
    """The first node nested deeper than :data:`MAX_DEPTH`, when there is one before any
    syntax error.

    Parsers stop deep documents at limits of their own, at places of their own and in words
    of their own (libyaml at 1,000 levels, "exceeded maximum nesting depth", and it may stop
    before it has emitted a single event of the line; the pure-Python composer when Python's
    stack runs out). The pure-Python *event* parser keeps its state on a list, not the stack,
    so it reaches the first node past our limit whatever the depth: the same finding at the
    same place whichever parser composed the document. Run only when a parse failed or went
    too deep, so it never costs a valid map anything; and only when :func:`_may_be_deep`, as
    the pure-Python parser takes ~20 s over a 600 kB flow list left open at the end.
    """
    if not _may_be_deep(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if depth > MAX_DEPTH and isinstance(event, _NODE_EVENTS) and event.start_mark:
                mark = event.start_mark
                return LoadProblem(YAML_SYNTAX, Span.point(mark.line + 1, mark.column + 1), TOO_DEEP)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


#: Where a block collection can start on a line (ended by CR, LF or both): after its
#: indentation and after each leading '- ', '? ' or ': ' indicator.
_BLOCK_STARTS = re.compile(r"(?:\A|(?<=[\r\n]))( *)((?:[-?:](?: +|(?=[\r\n])|\Z))*)")


def _may_be_deep(text: str) -> bool:
    """False when ``text`` cannot nest past :data:`MAX_DEPTH`, whatever its syntax errors.

    An upper bound, in one pass: each flow level needs a '[' or '{' of its own; down a
    chain of block collections the starting column never decreases and repeats at most
    once (a list written at its key's column), so block levels are at most twice the
    number of columns a block collection can start at."""
    flow = text.count("[") + text.count("{")
    if flow > MAX_DEPTH:
        return True
    columns: set[int] = set()
    for found in _BLOCK_STARTS.finditer(text):
        column = len(found.group(1))
        columns.add(column)
        for indicator in re.finditer(r"[-?:] *", found.group(2)):
            columns.add(column + indicator.end())
        if flow + 2 * len(columns) > MAX_DEPTH:
            return True
    return False
