"""Reporters turn one list of Diagnostics into an output format.

The registry below drives both dispatch and the CLI's ``--format`` choices; reporters know
nothing about rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from journeymaps.reporters.base import Outcome

Reporter = Callable[[Outcome, TextIO, bool], None]


class _Imported:
    """A reporter whose module is imported when it first reports: a run imports only the
    formats it writes (one-file lint is start-up bound, issue 18)."""

    def __init__(self, module: str) -> None:
        self.module = f"journeymaps.reporters.{module}"

    def __call__(self, outcome: Outcome, out: TextIO, colour: bool) -> None:
        report: Reporter = importlib.import_module(self.module).report
        report(outcome, out, colour)


REPORTERS: dict[str, Reporter] = {
    name: _Imported(f"{name}_format") for name in ("text", "json", "github", "sarif", "junit", "gitlab")
}

__all__ = ["REPORTERS", "Outcome", "Reporter"]
