"""Selectors: what users write in evidence refs, parsed with positions for errors."""

from __future__ import annotations

import pytest

from journeymaps.measure.selectors import SelectorError, canonical, parse


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("tag:locked_out", "tag:locked_out"),
        ("TAG:Locked_Out", "tag:locked_out"),
        (
            'tag:a and not (channel:email or group:"Tier 2")',
            'tag:a and not (channel:email or group:"tier 2")',
        ),
        ("(tag:a or tag:b) and tag:c", "(tag:a or tag:b) and tag:c"),
        ("tag:a or (tag:b and tag:c)", "tag:a or tag:b and tag:c"),  # and binds tighter
        ("not not form:billing", "not not form:billing"),
        ("  ((tag:x))  ", "tag:x"),
        # a value with a backslash, at its end too: the canonical form parses back (it was
        # written '"tier 2\\"', the backslash escaping the closing quote: an internal error)
        ('group:"Tier 2\\\\"', 'group:"tier 2\\\\"'),
        ("form:a\\\\b", 'form:"a\\\\b"'),
        ("(" * 50 + "tag:x" + ")" * 50, "tag:x"),
    ],
)
def test_one_spelling_per_meaning(text: str, spelled: str) -> None:
    assert canonical(text) == spelled
    assert canonical(spelled) == spelled  # the canonical form parses back to itself


@pytest.mark.parametrize(
    ("text", "offset", "words"),
    [
        ("", 0, "empty selector"),
        ("tag:", 0, "'tag:' needs a value"),
        ("tag:a and", 9, "ends where field:value was expected"),
        ("(tag:a or tag:b", 15, "missing ')' for the '(' at column 1"),
        ("tag:a)", 5, "unmatched ')'"),
        ("tag:a tag:b", 6, "expected 'and' or 'or' before 'tag:b'"),
        ("view: first reply time, tag:locked_out", 0, "unknown field 'view'"),
        ('group:"Tier 2', 6, "unterminated quote"),
        ("tag:a or priority:high", 9, "unknown field 'priority'"),
        ("tag:a and or tag:b", 10, "expected field:value, found 'or'"),
        # 500 '(' ran out of Python's stack: "internal error: RecursionError"
        ("(" * 500 + "tag:x" + ")" * 500, 50, "nested more than 50 deep"),
        ("not " * 500 + "tag:x", 200, "nested more than 50 deep"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
def test_errors_say_what_and_where(text: str, offset: int, words: str) -> None:
    with pytest.raises(SelectorError) as err:
        parse(text)
    assert err.value.offset == offset
    assert words in str(err.value)
