"""Reporters turn one list of Diagnostics into an output format.

The registry below drives both dispatch and the CLI's ``--format`` choices; reporters know
nothing about rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from journeymaps.reporters import (
    github_format,
    gitlab_format,
    json_format,
    junit_format,
    sarif_format,
    text_format,
)
from journeymaps.reporters.base import Outcome

Reporter = Callable[[Outcome, TextIO, bool], None]

REPORTERS: dict[str, Reporter] = {
    "text": text_format.report,
    "json": json_format.report,
    "github": github_format.report,
    "sarif": sarif_format.report,
    "junit": junit_format.report,
    "gitlab": gitlab_format.report,
}

__all__ = ["REPORTERS", "Outcome", "Reporter"]
