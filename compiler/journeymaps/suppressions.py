"""Inline suppressions: ``# journeymaps: ignore[rule-a, rule-b] reason``.

A comment after content applies to its own line; a comment alone on its line applies to the
next line that holds content and, when a list item or mapping starts there, to all of it, so a
comment above a stage or a handoff covers that stage or handoff.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from journeymaps.diagnostics import Span, text_lines

MARKER = "journeymaps:"
#: The place (see :attr:`Suppression.place`) of a suppression over the whole map.
WHOLE_MAP = "the whole map"
_COMMENT = re.compile(r"#\s*journeymaps:\s*ignore\[([^\]]*)\]\s*(.*)$")


@dataclass
class Suppression:
    target_line: int
    last_line: int
    span: Span
    rules: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)
    #: On its own line before the root mapping's first key: it covers the whole map, an
    #: easy scope to give by accident (a comment meant for ``id:``).
    whole_map: bool = False
    #: What it is written against, by meaning rather than line number: the text of the
    #: line it targets (less any suppression comment) and whether it covers a block.
    place: tuple[str, bool] = ("", False)
    #: What its target line is in, by ids (``stages[contact].steps[agent-gathers].owner``),
    #: where a change is judged (see :mod:`journeymaps.suppression_changes`): a line's text
    #: such as ``owner: legacy-billing`` is on many steps.
    within: str = ""

    @property
    def scope(self) -> str:
        """What it covers, in words."""
        if self.whole_map:
            return "covers the whole map"
        if self.last_line > self.target_line:
            return f"covers lines {self.target_line}-{self.last_line}"
        return f"covers line {self.target_line}"


def parse(text: str, block_end: Callable[[int], int] = int) -> list[Suppression]:
    """Every suppression comment of a file (cheap when the file has none).

    ``block_end(line)`` gives the last line of the block starting at ``line``.
    """
    if MARKER not in text:
        return []
    lines = text_lines(text)
    # The next line holding content after each line, found in one pass from the end (a
    # search per comment was quadratic in a file of comments).
    content_after = [0] * (len(lines) + 1)
    upcoming = 0
    for j in range(len(lines) - 1, -1, -1):
        content_after[j] = upcoming
        if _content(lines[j]):
            upcoming = j + 1
    # The root mapping's first line: the first content after any document start (``---``).
    first = next((j + 1 for j, t in enumerate(lines) if _content(t) and not t.startswith(("---", "%"))), 0)
    found: list[Suppression] = []
    for i, line in enumerate(lines):
        if MARKER not in line:
            continue
        m = _COMMENT.search(line)
        if m is None:
            continue
        before = line[: m.start()]
        if before.strip():
            target = last = i + 1
        else:
            target = content_after[i] or i + 1
            last = block_end(target)
        rules = tuple(r.strip() for r in m[1].split(",") if r.strip())
        span = Span(i + 1, m.start() + 1, i + 1, len(line) + 1)
        whole = not before.strip() and target == first and last > target
        target_text = lines[target - 1] if target <= len(lines) else ""
        # Over the whole map it is written against the map, not its first line: an id changed
        # below it made it read as removed and added again.
        place = (WHOLE_MAP, True) if whole else (_COMMENT.sub("", target_text).strip(), last > target)
        found.append(Suppression(target, last, span, rules, m[2].strip(), whole_map=whole, place=place))
    return found


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


class Matcher:
    """Which suppression silences a finding: the first one, in file order, naming its rule
    and covering its line. Asked in increasing line order, it answers in O(log n), so a file
    of n suppressions and n findings is not n² work.
    """

    def __init__(self, found: list[Suppression]) -> None:
        self._pending = sorted(enumerate(found), key=lambda pair: (pair[1].target_line, pair[0]))
        self._next = 0
        self._active: dict[str, list[tuple[int, int, Suppression]]] = {}
        self._line = 0

    def suppressed(self, rule: str, line: int) -> Suppression | None:
        """The suppression silencing ``rule`` on ``line`` (marked used), if any."""
        if line < self._line:
            raise ValueError("lines must be asked in increasing order")
        self._line = line
        while self._next < len(self._pending) and self._pending[self._next][1].target_line <= line:
            order, s = self._pending[self._next]
            for name in s.rules:
                heapq.heappush(self._active.setdefault(name, []), (order, s.last_line, s))
            self._next += 1
        heap = self._active.get(rule)
        while heap:
            order, last, s = heap[0]
            if last >= line:
                s.used.add(rule)
                return s
            heapq.heappop(heap)  # ended before this line: before every later one too
        return None
