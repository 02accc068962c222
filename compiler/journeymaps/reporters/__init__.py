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


def _discover() -> dict[str, Reporter]:
    found: dict[str, Reporter] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.endswith("_format"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found[info.name.removesuffix("_format")] = module.report
    return found


REPORTERS: dict[str, Reporter] = _discover()

__all__ = ["REPORTERS", "Outcome", "Reporter"]
