"""Deep nesting gives the same finding, at the same place, in the same words, whatever YAML
parser runs and whatever limit of its own it has (libyaml stops at 1,000 levels with its own
error; the pure-Python composer runs out of Python stack). Depths just under and just over
each limit are fed to each parser, so an upstream change of limit or wording fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymaps import loader
from journeymaps.loader import MAX_DEPTH, PARSERS, TOO_DEEP, Source
from journeymaps.yaml_errors import LONG_KEY, MAX_KEY

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


#: Keys of these lengths (characters up to the ':'): just under, at and just over YAML's
#: 1,024-character limit on a key written before its ':', which both parsers enforce in
#: words of their own.
KEY_LENGTHS = (MAX_KEY - 1, MAX_KEY, MAX_KEY + 1, 1100)

#: Where a long key can stand, and the column its first character is at.
KEY_SHAPES = {
    "top": (lambda k: f"{k}: 1\n", 1, 1),
    "second key": (lambda k: f"a: 1\n{k}: 1\n", 2, 1),
    "nested": (lambda k: f"a:\n  b: 1\n  {k}: 2\n", 3, 3),
    "list item": (lambda k: f"- {k}: 1\n", 1, 3),
    "flow mapping": (lambda k: f"{{{k}: 1}}\n", 1, 2),
    "flow after another key": (lambda k: f"a: {{x: 1, {k}: 1}}\n", 1, 11),
    "flow sequence": (lambda k: f"[{k}: 1]\n", 1, 2),
    "quoted": (lambda k: f'"{k[2:]}": 1\n', 1, 1),
}


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("shape", sorted(KEY_SHAPES))
def test_a_key_past_yamls_length_limit_is_one_finding_for_every_parser(parser: str, shape: str) -> None:
    write, line, column = KEY_SHAPES[shape]
    for length in KEY_LENGTHS:
        found = problems(write("k" * length), parser)
        if length <= MAX_KEY:
            assert found == [], (length, found)
        else:
            assert found == [("yaml-syntax", line, column, LONG_KEY)], (length, found)


def test_a_long_value_with_a_colon_is_not_called_a_long_key() -> None:
    """A long line whose error is a second ': ' in a value keeps the parser's own words."""
    for parser in PARSERS:
        [(rule, _line, _, message)] = problems("a: " + "v" * 1100 + ": x\n", parser)
        assert rule == "yaml-syntax" and message != LONG_KEY


def _key_column_lists(levels: int) -> str:
    """``k:`` / ``- k:`` / ``  - k:``...: each list written at its key's column, the one
    shape whose nesting does not indent at every level (two levels per line)."""
    return "k:\n" + "".join(f"{'  ' * i}- k:\n" for i in range(levels // 2)) + f"{'  ' * (levels // 2)}- x\n"


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_deep_nesting_before_a_syntax_error_is_still_called_deep(parser: str) -> None:
    """The quick bound that spares most broken files the slow deep-nesting search must not
    miss a deep document, however it nests."""
    for text in (_key_column_lists(MAX_DEPTH + 4), "a:\n" + "- " * (MAX_DEPTH + 4) + "x\n"):
        for end in ("\n", "\r", "\r\n"):  # a file of CR line ends is as deep
            assert problems((text + "b: [\n").replace("\n", end), parser)[0][3] == TOO_DEEP, end
    assert problems(_key_column_lists(MAX_DEPTH - 4) + "b: [\n", parser)[0][3] != TOO_DEEP


def test_a_large_file_with_a_syntax_error_is_judged_in_a_moment() -> None:
    """A 600 kB list left open at the end of a file (within the 1 MB size limit) took ~20 s:
    every broken file was parsed again by the pure-Python parser to see if it was too deep."""
    import time

    text = "id: m\ntags: [" + "a," * 300_000 + "\n"
    # CPU time, not wall time: the suite's two workers and a busy machine stretched the
    # wall clock past 6 s (seen at a load of 17) where the file took under a second of CPU;
    # the defect guarded against took ~20 s of CPU.
    started = time.process_time()
    found = problems(text, "libyaml" if "libyaml" in PARSERS else "python")
    assert time.process_time() - started < 6
    assert found == [("yaml-syntax", 2, 7, found[0][3])] and "never closed" in found[0][3]
