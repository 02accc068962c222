"""A teams.yaml the change deletes: HEAD's owners judged against BASE's registry.

Without a teams.yaml any owner is accepted (``unknown-team`` checks nothing), so a pull
request deleting it and naming a team that does not exist passed ``diff --check``, and the
owners the base already had wrong read as fixed. As with a settings change, HEAD's maps are
read again with BASE's teams.yaml in its place (and ``lint --changed-since``, or the
pre-commit hook, with the teams.yaml deleted since): the unknown owners the change brings are
introduced, and those the base had are neither introduced nor fixed. So are the suppressions
read: an unknown owner a suppression hides there is reported as any other suppressed finding
(HEAD, unchecked, suppresses nothing), and the base's, shown again by one the change removes,
is not introduced.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from journeymaps import suppression_changes
from journeymaps.diagnostics import Diagnostic
from journeymaps.lint import Report, lint, read_inputs
from journeymaps.project import REGISTRY_FILES
from journeymaps.rules.input import UNUSED_SUPPRESSION
from journeymaps.settings import Settings
from journeymaps.suppression_changes import Changed, Hidden

RULE = "unknown-team"
#: Said of every unknown owner judged with BASE's registry.
WHY = "; this change deletes that teams.yaml, and without one no owner is checked"


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


def deleted(
    paths: Iterable[Path],
    before: Callable[[list[Path]], dict[Path, bytes | None]],
    head: Report,
    under: Callable[[Path], bool],
    *,
    kept_on_disk: Iterable[Path] = (),
) -> dict[Path, bytes]:
    """The teams.yaml files among ``paths`` (changed since a revision, or deleted in git's
    index) that are gone, each with its bytes ``before``, when HEAD has no teams.yaml of its
    own; ``under``: whether a file is a registry of the maps checked. ``kept_on_disk``: those
    git's index deletes that are still on disk, gone all the same."""
    now = head.project
    if now is None or now.teams is not None or "teams" in now.broken_registries:
        return {}
    kept = set(kept_on_disk)
    gone = [
        p
        for p in paths
        if REGISTRY_FILES.get(p.name) == "teams" and (not os.path.lexists(p) or p in kept) and under(p)
    ]
    return {p: raw for p, raw in before(gone).items() if raw is not None} if gone else {}


def judged(head: Report, again: Report, why: str) -> Report:
    """HEAD's report with its unknown owners as a deleted teams.yaml finds them (``again``),
    each saying ``why``; its "unused suppression" of unknown-team, which that registry uses,
    left out (see :func:`judge`)."""
    unused = {d.fingerprint for d in again.diagnostics if d.rule == UNUSED_SUPPRESSION}
    kept = [d for d in head.diagnostics if d.rule != UNUSED_SUPPRESSION or d.fingerprint in unused]
    owners = [dataclasses.replace(d, message=d.message + why) for d in again.diagnostics if d.rule == RULE]
    return dataclasses.replace(head, diagnostics=sorted([*kept, *owners], key=Diagnostic.sort_key))


def lint_with(
    roots: list[Path], settings: Settings, today: dt.date, cwd: Path, extra: dict[Path, bytes]
) -> Report:
    """Lint as ``lint`` does, with the files of ``extra`` read as if they were there."""
    found = read_inputs(roots, settings)
    inputs = dataclasses.replace(found, files=[*found.files, *extra], contents={**found.contents, **extra})
    return lint(roots, settings, today, cwd, inputs=inputs)


def suppressions(base: Report, again: Report, pairs: list[tuple[str | None, str | None]]) -> Changed:
    """What the change's suppressions hide of HEAD's unknown owners as BASE's registry finds
    them (``again``), saying why each was checked (see :func:`suppression_changes.changed`)."""
    found = suppression_changes.changed(base, again, pairs)

    def owners(hidden: list[Hidden]) -> list[Hidden]:
        return [
            dataclasses.replace(h, finding=dataclasses.replace(h.finding, message=h.finding.message + WHY))
            for h in hidden
            if h.finding.rule == RULE
        ]

    return Changed(owners(found.hides), [], owners(found.kept))


def judge(
    again: Report,
    base: Report,
    introduced: list[Diagnostic],
    fixed: list[Diagnostic],
    reveals: list[Hidden],
    mark: Callable[[Diagnostic], str] = lambda d: d.fingerprint,
) -> tuple[list[Diagnostic], list[Diagnostic], list[Hidden]]:
    """(introduced, fixed, shown again) with HEAD's unknown owners as BASE's registry finds them
    (``again``): those BASE's maps did not have introduced, saying why; those they had taken
    out of fixed; those a suppression the change removes hid in BASE (``reveals``) shown again.
    ``mark``: a BASE finding's fingerprint as in HEAD (see :func:`finding_changes.as_in_head`):
    a step moved to another stage in the same change keeps its unknown owner, not fixed and
    brought again."""
    had = Counter(mark(d) for d in base.diagnostics if d.rule == RULE)
    hid: dict[str, list[Hidden]] = {}
    for r in reveals:
        if r.finding.rule == RULE:
            hid.setdefault(mark(r.finding), []).append(r)
    # A suppression of unknown-team suppresses nothing without a registry: "unused" in HEAD,
    # yet it hides what BASE's registry finds (said), so that warning is not the change's.
    unused = {d.fingerprint for d in again.diagnostics if d.rule == UNUSED_SUPPRESSION}
    introduced = [d for d in introduced if d.rule != UNUSED_SUPPRESSION or d.fingerprint in unused]
    kept: Counter[str] = Counter()
    brought = []
    shown = []
    for d in (d for d in again.diagnostics if d.rule == RULE):
        if kept[d.fingerprint] < had[d.fingerprint]:
            kept[d.fingerprint] += 1
        elif hid.get(d.fingerprint):
            shown.append(
                Hidden(dataclasses.replace(d, message=d.message + WHY), hid[d.fingerprint].pop().comment)
            )
        else:
            brought.append(dataclasses.replace(d, message=d.message + WHY))
    still = []
    for d in fixed:
        if d.rule == RULE and kept[mark(d)]:
            kept[mark(d)] -= 1  # unchecked in HEAD, not fixed
        else:
            still.append(d)
    return introduced + brought, still, shown
