"""``journeymaps measure``, as the terminal sees it: the run (journeymaps.measure.command),
its findings reported and its exit code chosen."""

from __future__ import annotations

import sys
from pathlib import Path

from journeymaps.command_support import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    project_settings,
    say,
    say_error,
    target_paths,
)
from journeymaps.lint_command import output_format
from journeymaps.measure.command import error_finding
from journeymaps.measure.command import run as measure_maps
from journeymaps.measure.sources import MeasureError
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.rules.measured import UNWRITABLE_SNAPSHOT


def run(*, paths: tuple[Path, ...], config: Path | None) -> None:
    """Measure the maps of ``paths``; a finding exits 1, a run that could not measure 2."""
    cwd = Path.cwd()
    settings = project_settings(cwd, config, paths)
    try:
        outcome = measure_maps(target_paths(paths, settings), settings, cwd, say)
    except MeasureError as exc:
        found = error_finding(exc, settings, cwd)
        # under GitHub Actions an annotation on the export's or the settings' line, as lint's
        fmt = output_format("auto")
        REPORTERS[fmt](Outcome([], 0, 0, notifications=(found,), quiet=True), sys.stderr, False)
        # A snapshot that could not be written was measured: "Nothing was measured" was untrue.
        said = (
            "The sources were measured, but no snapshot was written"
            if exc.rule == UNWRITABLE_SNAPSHOT
            else "Nothing was measured and no snapshot written"
        )
        say_error(f"{said}: fix this first.", prefix="")
        sys.exit(EXIT_USAGE)
    if outcome.findings:
        REPORTERS["text"](Outcome(outcome.findings, outcome.files, outcome.maps), sys.stderr, False)
        if outcome.result is not None:
            # After "wrote metrics/m.json", an error and exit 1 left it to guess whether the
            # snapshot counted the evidence the error is at.
            say_error(
                "journeymaps measure: what these errors are at was not measured (the rest was): fix "
                "them and run journeymaps measure again",
                prefix="",
            )
        sys.exit(EXIT_FINDINGS)
