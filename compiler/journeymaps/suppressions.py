"""Inline suppressions: ``# journeymaps: ignore[rule-a, rule-b] reason``.

A comment after content applies to its own line; a comment alone on its line applies to the
next line that holds content and, when a list item or mapping starts there, to all of it, so a
comment above a stage or a handoff covers that stage or handoff.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from journeymaps.diagnostics import Span

MARKER = "journeymaps:"
_COMMENT = re.compile(r"#\s*journeymaps:\s*ignore\[([^\]]*)\]\s*(.*)$")


@dataclass
class Suppression:
    target_line: int
    last_line: int
    span: Span
    rules: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)


def parse(text: str, block_end: Callable[[int], int] = int) -> list[Suppression]:
    """Every suppression comment of a file (cheap when the file has none).

    ``block_end(line)`` gives the last line of the block starting at ``line``.
    """
    if MARKER not in text:
        return []
    lines = text.splitlines()
    found: list[Suppression] = []
    for i, line in enumerate(lines):
        m = _COMMENT.search(line)
        if m is None:
            continue
        before = line[: m.start()]
        if before.strip():
            target = last = i + 1
        else:
            target = next(
                (
                    j + 1
                    for j in range(i + 1, len(lines))
                    if lines[j].strip() and not lines[j].lstrip().startswith("#")
                ),
                i + 1,
            )
            last = block_end(target)
        rules = tuple(r.strip() for r in m[1].split(",") if r.strip())
        span = Span(i + 1, m.start() + 1, i + 1, len(line) + 1)
        found.append(Suppression(target, last, span, rules, m[2].strip()))
    return found
