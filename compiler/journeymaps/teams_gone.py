"""A teams.yaml the change deletes: HEAD's owners judged against BASE's registry.

Without a teams.yaml any owner is accepted (``unknown-team`` checks nothing), so a pull
request deleting it and naming a team that does not exist passed ``diff --check``, and the
owners the base already had wrong read as fixed. As with a settings change, HEAD's maps are
read again with BASE's teams.yaml in its place: the unknown owners the change brings are
introduced, and those the base had are neither introduced nor fixed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import Counter
from pathlib import Path

from journeymaps.diagnostics import Diagnostic
from journeymaps.lint import Report, lint, read_inputs
from journeymaps.settings import Settings

RULE = "unknown-team"


def registries(base: Report, base_dir: Path, head: Report, head_dir: Path) -> dict[Path, bytes]:
    """BASE's teams.yaml files, by where each goes in HEAD's folder, when HEAD has none (one
    that cannot be read is not none: its own error fails the run)."""
    was, now = base.project, head.project
    if was is None or now is None or was.teams is None or now.teams is not None:
        return {}
    if "teams" in now.broken_registries:
        return {}
    out = {}
    for src, key in was.registries:
        rel = os.path.relpath(src.path, base_dir)
        place = head_dir / rel
        if key == "teams" and not rel.startswith("..") and not os.path.lexists(place):
            out[place] = src.text.encode("utf-8", "surrogateescape")
    return out


def lint_with(
    roots: list[Path], settings: Settings, today: dt.date, cwd: Path, extra: dict[Path, bytes]
) -> Report:
    """Lint as ``lint`` does, with the files of ``extra`` read as if they were there."""
    found = read_inputs(roots, settings)
    inputs = dataclasses.replace(found, files=[*found.files, *extra], contents={**found.contents, **extra})
    return lint(roots, settings, today, cwd, inputs=inputs)


def judge(
    again: Report, base: Report, introduced: list[Diagnostic], fixed: list[Diagnostic]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(introduced, fixed) with HEAD's unknown owners as BASE's registry finds them (``again``):
    those BASE's maps did not have introduced, saying why; those they had taken out of fixed."""
    had = Counter(d.fingerprint for d in base.diagnostics if d.rule == RULE)
    kept: Counter[str] = Counter()
    brought = []
    for d in (d for d in again.diagnostics if d.rule == RULE):
        if kept[d.fingerprint] < had[d.fingerprint]:
            kept[d.fingerprint] += 1
        else:
            why = "; this change deletes that teams.yaml, and without one no owner is checked"
            brought.append(dataclasses.replace(d, message=d.message + why))
    still = []
    for d in fixed:
        if d.rule == RULE and kept[d.fingerprint]:
            kept[d.fingerprint] -= 1  # unchecked in HEAD, not fixed
        else:
            still.append(d)
    return introduced + brought, still
