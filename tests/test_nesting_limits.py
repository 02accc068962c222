"""Deep nesting gives the same finding, at the same place, in the same words, whatever YAML
parser runs and whatever limit of its own it has (libyaml stops at 1,000 levels with its own
error; the pure-Python composer runs out of Python stack). Depths just under and just over
each limit are fed to each parser, so an upstream change of limit or wording fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymaps import loader
from journeymaps.loader import MAX_DEPTH, PARSERS, TOO_DEEP, Source

#: Just under and just over our limit, libyaml's (1,000) and Python's default recursion limit.
DEPTHS = (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 999, 1000, 1001, 1100)


def flow(depth: int, prefix: str = "") -> str:
    """``a: [[[...]]]``: the mapping is level 0, each ``[`` one more."""
    return f"{prefix}a: {'[' * depth}{']' * depth}\n"


def block(depth: int, prefix: str = "") -> str:
    """``- - - x``: block sequences nested by indentation on one line; the top one is level 0."""
    return prefix + "- " * depth + "x\n"


def problems(text: str, parser: str) -> list[tuple[str, int, int, str]]:
    src = Source(path=Path("deep.yaml"), display="deep.yaml", text=text)
    loader.parse(src, parser)
    return [(p.rule, p.span.line, p.span.column, p.message) for p in src.problems]


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("shape", [flow, block], ids=["flow", "block"])
@pytest.mark.parametrize("prefix", ["", "# R&D owns this *draft*\n"], ids=["plain", "with-anchor-chars"])
def test_deep_nesting_is_one_finding_at_one_place_for_every_parser(parser: str, shape, prefix: str) -> None:
    seen = {}
    for depth in DEPTHS:
        found = problems(shape(depth, prefix), parser)
        # The top mapping is level 0; ``depth`` more levels below it are allowed up to MAX_DEPTH.
        if depth <= MAX_DEPTH:
            assert found == [], (depth, found)
            continue
        assert len(found) == 1, (depth, found)
        seen[depth] = found[0]
    assert len(set(seen.values())) == 1, seen  # the same finding whatever the depth past the limit
    rule, line, column, message = next(iter(seen.values()))
    assert (rule, message) == ("yaml-syntax", TOO_DEEP)
    lines = prefix.count("\n")
    if shape is flow:  # the first '[' past the limit
        assert (line, column) == (lines + 1, len("a: ") + MAX_DEPTH + 1)
    else:  # the first '-' past the limit
        assert (line, column) == (lines + 1, 2 * (MAX_DEPTH + 1) + 1)


def test_every_parser_gives_the_same_finding() -> None:
    """libyaml where installed and the pure-Python parser agree on the deep case."""
    results = {parser: problems(flow(3000), parser) for parser in PARSERS}
    assert len({tuple(r) for r in results.values()}) == 1, results


def test_a_syntax_error_is_not_called_deep() -> None:
    """A broken document that is not deep keeps the parser's own syntax message."""
    for parser in PARSERS:
        [(rule, _line, _, message)] = problems("a: [1, 2\nb: 3\n", parser)
        assert rule == "yaml-syntax" and "nested" not in message
