"""What reads as a placeholder, whatever else the text holds: a map is a draft when a step's
name is one (its card and page say so), and the writing rule names the placeholder found."""

from __future__ import annotations

import pytest

from journeymaps.placeholders import placeholder


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Searches for the invoice", None),
        ("TODO", "TODO"),
        ("Pays, TBD with Finance", "TBD"),
        ("FIXME: the refund", "FIXME"),
        ("xTODO TODOs _TODO TODO_", None),  # not a word of its own
        ("Waits\nTODO", "TODO"),
        ("todo list", None),  # a word in a sentence: real text
        ("todo", "todo"),  # a whole value, in any case
        ("  TBD  ", "TBD"),
        ("\u00a0???\u00a0", "???"),
        ("\u2026", "\u2026"),
        ("N/A", "N/A"),
        ("Caf\u00e9 FIXME", "FIXME"),
        ("Lorem ipsum", "Lorem"),
        ("Ipsum LOREM", "LOREM"),
        ("Caf\u00e9 lOrEm", "lOrEm"),
        ("Ipsum lorems", None),
        ("lorem TODO", "TODO"),  # the capitals' first, as before
        ("TOD0 TB D FIX ME", None),
    ],
)
def test_the_placeholder_in_a_text_is_found_and_only_it(text: str, found: str | None) -> None:
    assert placeholder(text) == found
