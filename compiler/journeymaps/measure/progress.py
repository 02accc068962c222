"""Measure's progress on a terminal: one line, rewritten in place; nothing in CI logs or pipes."""

from __future__ import annotations

import os
import sys


class TerminalLine:
    """Progress on one terminal line, rewritten in place; :meth:`clear` removes it, so what
    is printed next starts at the left edge instead of after the last percentage."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, text: str) -> None:
        sys.stderr.write(f"\r{text}\x1b[K")  # erase what a longer text left behind
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def terminal_progress() -> TerminalLine | None:
    """Progress on a terminal; nothing in CI logs or pipes (as the build's counter)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    return TerminalLine()
