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
from journeymaps.diagnostics import shorten
from journeymaps.lint_command import output_format
from journeymaps.measure.command import error_finding
from journeymaps.measure.command import run as measure_maps
from journeymaps.measure.engine import Result
from journeymaps.measure.sources import MeasureError
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.rules.measured import UNWRITABLE_SNAPSHOT
from journeymaps.settings import Settings


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
    if outcome.result is not None:
        _say_unread(settings, outcome.result)
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


def _say_unread(settings: Settings, result: Result) -> None:
    """The sources measure did not read, as no map's evidence names them: it said nothing of
    them (nothing at all when no map named any), and a newcomer could not tell whether they
    were measured. Not an error, as dbt reads only the profile it runs: a warehouse whose
    ``url-env`` CI does not set yet fails no run while no map measures it."""
    read = {run.name for run in result.runs}
    read |= {t for name in read if isinstance(t := settings.sources[name].get("tickets"), str)}
    unread = sorted(set(settings.sources) - read)
    # Cut as other long names in messages are: a 10,000-character key was printed whole.
    if unread:
        them = "it" if len(unread) == 1 else "them"
        say(f"not read: {', '.join(map(shorten, unread))} (no map's evidence names {them})")
    if not result.runs:
        # The evidence to write names a source whole, or NAME: a name cut is none to copy,
        # and it was the whole name again.
        whole = shorten(unread[0]) == unread[0]
        name, said = (unread[0], "") if whole else ("NAME", ", NAME a source's name")
        say(
            "Nothing measured: no map's evidence names a configured source "
            f"(evidence: [{{source: {name}, kind: tickets, ref: tag:...}}]{said})"
        )
