"""A change of what a map says in words (what the customer thinks, a step's description,
an opportunity's hypothesis), shown so a reviewer reads the edit, not two paragraphs.

Short texts are quoted whole. Long ones keep only the words that changed, with a few words
of context either side and an ellipsis for what both sides share: a one-word edit of a
400-character description is one short line in the pull request's comment.
"""

from __future__ import annotations

from journeymaps.quotes import quoted

#: Past this many characters (both sides together), a change is cut to the words that differ.
WHOLE_UP_TO = 160
#: Shared words kept either side of the edit, to find it by in the text.
CONTEXT = 3


def one_line(text: str) -> str:
    """A text as one line: a folded or literal block's line breaks and runs of spaces as one."""
    return " ".join(text.split())


def edited(before: str | None, after: str | None) -> tuple[str, str]:
    """Both sides of a text's change as shown: quoted, "none" for a side without it, and cut
    to the words that differ when they are long."""
    a = one_line(before) if before is not None else None
    b = one_line(after) if after is not None else None
    if a is None or b is None or len(a) + len(b) <= WHOLE_UP_TO:
        return _quoted(a), _quoted(b)
    old, new = a.split(" "), b.split(" ")
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = max(head - CONTEXT, 0)
    end_old, end_new = len(old) - max(tail - CONTEXT, 0), len(new) - max(tail - CONTEXT, 0)
    return _cut(old, start, end_old), _cut(new, start, end_new)


def _cut(words: list[str], start: int, end: int) -> str:
    before = "…" if start > 0 else ""
    after = "…" if end < len(words) else ""
    return quoted(f"{before}{' '.join(words[start:end])}{after}")


def _quoted(text: str | None) -> str:
    return "none" if text is None else quoted(text)
