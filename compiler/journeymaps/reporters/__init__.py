"""Reporters turn one list of Diagnostics into an output format.

The registry below drives both dispatch and the CLI's ``--format`` choices; reporters know
nothing about rules. Each ``NAME_format`` module of this package is the format NAME, its
``report`` function the reporter: adding a format is adding its module (and its test).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TextIO

from journeymaps.reporters.base import Outcome

Reporter = Callable[[Outcome, TextIO, bool], None]


class _Imported:
    """A reporter whose module is imported when it first reports: a run imports only the
    formats it writes (one-file lint is start-up bound, issue 18)."""

    def __init__(self, module: str) -> None:
        self.module = f"{__name__}.{module}"

    def __call__(self, outcome: Outcome, out: TextIO, colour: bool) -> None:
        report: Reporter = importlib.import_module(self.module).report
        report(outcome, out, colour)


def _discover() -> dict[str, Reporter]:
    """Every ``NAME_format`` module of this package, found by name (not imported)."""
    names = sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name.endswith("_format"))
    return {name.removesuffix("_format"): _Imported(name) for name in names}


REPORTERS: dict[str, Reporter] = _discover()

__all__ = ["REPORTERS", "Outcome", "Reporter"]
