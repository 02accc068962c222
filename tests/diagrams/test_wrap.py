"""Labels are wrapped greedily, word by word, and a word longer than a line is cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from journeymaps.diagrams.text import _escape, clean, label, wrap


def word_by_word(text: str, width: int, limit: int) -> list[str]:
    """The plain greedy wrap: as many words a line as fit, long words cut at ``width``."""
    lines: list[str] = []
    line = ""
    for word in clean(text, limit).split(" "):
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def test_examples() -> None:
    assert wrap("The customer checks the agent", 28) == ["The customer checks the", "agent"]
    assert wrap("The customer checks the agent", 29) == ["The customer checks the agent"]
    assert wrap("see https://example.com/a/long/path now", 10) == [
        "see",
        "https://ex",
        "ample.com/",
        "a/long/pat",
        "h now",
    ]
    assert wrap("", 10) == [""]


#: Short and long words, runs of spaces, newlines and tabs (clean folds them), and text
#: that escaping lengthens.
PIECES = st.sampled_from(["a", "bb", "ccccccc", "d" * 30, " ", "  ", "\n", "\t", "\u00e9", "\\", "&"])


@given(
    st.lists(PIECES, max_size=40).map("".join),
    st.integers(min_value=1, max_value=48),
    st.sampled_from([10, 60, 140, 500]),
)
def test_the_same_lines_as_the_word_by_word_wrap(text: str, width: int, limit: int) -> None:
    assert wrap(text, width, limit) == word_by_word(text, width, limit)


@given(st.text(max_size=60), st.integers(min_value=1, max_value=40), st.integers(min_value=2, max_value=80))
def test_a_label_reads_as_its_paragraphs_wrapped_however_often_they_recur(
    text: str, width: int, limit: int
) -> None:
    """label() keeps the short paragraphs it wrapped (they recur in every diagram): a kept
    one reads as wrapping it again would, at its own width and limit."""
    for w in (width, width + 1):
        paragraphs = (text, "feels +1 slightly positive", text)
        lines = [line for p in paragraphs if p for line in wrap(p, w, limit)]
        expected = _escape("\n".join(lines)).replace("\n", "\\l") + "\\l" if lines else ""
        assert label(*paragraphs, width=w, limit=limit) == expected
        assert label(*paragraphs, width=w, limit=limit) == expected
