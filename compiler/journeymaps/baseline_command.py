"""``journeymaps baseline``: record today's findings, or prune the entries that match none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from journeymaps import baseline
from journeymaps.command_support import fail, output_folder, project_settings, say, target_paths
from journeymaps.lint import lint as run_lint
from journeymaps.lint_command import UsageFailure, refuse_overwriting_inputs


def run(
    *, paths: tuple[Path, ...], out: Path, prune: bool, config: Path | None, today: dt.date | None
) -> None:
    """Record (or with ``prune``, prune) the baseline ``out`` of the findings in ``paths``."""
    cwd = Path.cwd()
    settings = project_settings(cwd, config, paths)
    # Beside the project's settings file by default, from whichever folder it runs in (as
    # build's site): run from maps/billing, it wrote maps/billing/.journeymaps-baseline.json,
    # which the project's `lint --baseline .journeymaps-baseline.json` never read.
    out = output_folder(out, settings.file, cwd)
    targets = target_paths(paths, settings)
    try:  # -o maps/m.yaml replaced the map with the baseline's JSON
        refuse_overwriting_inputs([("", out)], targets, settings, option="-o", what="a baseline")
    except UsageFailure as exc:
        fail(str(exc))
    old = None
    if prune:
        try:
            old = baseline.load(out, cwd)
        except baseline.BaselineError as exc:
            fail(str(exc))
    report = run_lint(targets, settings, today or dt.date.today(), cwd)
    if old is not None:
        named = baseline.under(paths, cwd) if paths else None
        applied = baseline.prune(
            out, old, report.diagnostics, report.targets, whole=not paths, named=named, cwd=cwd
        )
        n, kept = len(applied.stale), len(applied.kept)
        removed = f"{n} stale {_entries(n)}"
        if old.unusable:  # left out on reading, so not written back: said, not "Removed 0"
            removed += f" and {old.unusable} unusable {_entries(old.unusable)} ({baseline.UNUSABLE})"
        say(f"Removed {removed} from {out.as_posix()}; kept {kept}.")
        return
    # Some files named: the entries of the others are theirs still (they were all dropped).
    others = baseline.outside(out, paths, cwd, report.diagnostics) if paths else baseline.Baseline()
    n, unreadable = baseline.record(out, report.diagnostics, others.entries, cwd)
    said = f"Recorded {n} finding{'' if n == 1 else 's'} in {out.as_posix()}"
    if others.entries:
        said += f"; kept {len(others.entries)} {_entries(len(others.entries))} of files not checked"
    if others.unusable:
        said += f"; removed {others.unusable} unusable {_entries(others.unusable)} ({baseline.UNUSABLE})"
    say(said + ".")
    for d in unreadable:  # nothing else in such a file was checked: not debt to keep
        say(
            f"Not recorded: {d.file}:{d.span.line}:{d.span.column}: {d.code} [{d.rule}] {d.message} "
            "(nothing else in this file is checked until it is fixed, so it always fails lint: fix it)",
            err=True,
        )


def _entries(n: int) -> str:
    return "entry" if n == 1 else "entries"
