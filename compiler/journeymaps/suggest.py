"""'Did you mean …?' for a name that matches nothing, in bounded time.

difflib compares a word with every choice; a map with thousands of unknown references into
thousands of steps (or a project of thousands of maps) made that quadratic. Beyond a few
dozen choices, only those sharing the word's first character and nearest to it in length
are compared (a typo seldom changes both), and one list of choices answers at most
``BUDGET`` different words: past a few hundred unknown names, nobody reads the hints.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

#: Choices compared with one word, at most.
LIMIT = 32
#: Different words one list of choices suggests for, at most.
BUDGET = 200


class Suggestions:
    """The choices, indexed on the first :meth:`hint` (most runs never ask); then a bounded
    comparison per unknown word."""

    def __init__(self, choices: Iterable[str]) -> None:
        self._choices: Iterable[str] | None = choices
        self._all: list[str] = []
        self._by_initial: dict[str, list[tuple[int, str]]] = {}
        self._answers: dict[str, str | None] = {}

    def _index(self) -> None:
        if self._choices is None:
            return
        self._all = sorted(set(self._choices))
        self._choices = None
        if len(self._all) > LIMIT:
            for choice in self._all:
                self._by_initial.setdefault(choice[:1], []).append((len(choice), choice))
            for bucket in self._by_initial.values():
                bucket.sort()

    def closest(self, word: str) -> str | None:
        self._index()
        candidates = self._all
        if self._by_initial:
            bucket = self._by_initial.get(word[:1], [])
            middle = bisect.bisect_left(bucket, (len(word), ""))
            start = max(0, min(middle - LIMIT // 2, len(bucket) - LIMIT))
            candidates = [choice for _, choice in bucket[start : start + LIMIT]]
        import difflib  # here: only a reference that matches nothing asks (not a clean one-file lint)

        match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
        return match[0] if match else None

    def hint(self, word: object) -> str:
        """`` (did you mean 'x'?)`` or nothing."""
        if not isinstance(word, str):
            return ""
        if word not in self._answers:
            if len(self._answers) >= BUDGET:
                return ""
            self._answers[word] = self.closest(word)
        match = self._answers[word]
        return f" (did you mean '{match}'?)" if match else ""
