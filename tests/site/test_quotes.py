"""Quotation marks as typeset (journeymaps.quotes)."""

from __future__ import annotations

import pytest

from journeymaps.quotes import curly, quotation


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Is it us?", "\u201cIs it us?\u201d"),
        ('"Is it us?"', "\u201cIs it us?\u201d"),  # the writer's own marks, not doubled
        ("\u201cIs it us?\u201d", "\u201cIs it us?\u201d"),
        ("'Did it send?'", "\u201cDid it send?\u201d"),
        ('It said "resolved" but it isn\'t', "\u201cIt said \u2018resolved\u2019 but it isn\u2019t\u201d"),
        ('"It said "resolved" but it isn\'t"', "\u201cIt said \u2018resolved\u2019 but it isn\u2019t\u201d"),
        # Two quotations side by side are not one wrapped around the whole.
        ('"resolved" they said, "fine"', "\u201c\u2018resolved\u2019 they said, \u2018fine\u2019\u201d"),
    ],
)
def test_a_thought_is_quoted_once(text: str, expect: str) -> None:
    assert quotation(text) == expect


def test_straight_quotes_turn_curly_by_their_place() -> None:
    assert curly('Generic "resolved" email') == "Generic \u201cresolved\u201d email"
    assert curly('I don\'t ("really")') == "I don\u2019t (\u201creally\u201d)"
    assert curly("no quotes") == "no quotes"
