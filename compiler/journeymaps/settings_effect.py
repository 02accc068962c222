"""What a settings change does to the findings, for ``journeymaps diff``: those of HEAD's maps
that BASE's settings report and HEAD's hide (off, ignored, excluded, lowered), those HEAD's
show that BASE's maps had too, and what ``per-file-ignores`` hide in the maps the change moves
under them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from journeymaps import moved_ignores, setting_words
from journeymaps.comparison import CHANGED, Comparison, SettingsChange, Silenced
from journeymaps.diagnostics import Diagnostic
from journeymaps.diff_sides import rule_on
from journeymaps.finding_changes import match_findings
from journeymaps.lint import Report
from journeymaps.map_changes import restaged
from journeymaps.map_pairing import entries
from journeymaps.settings import SETTINGS_NAMES, Settings
from journeymaps.side_settings import OwnSettings


#: Settings that say nothing about findings: where the files are is ``root``, not a change.
def _excluded(file: str, now: Settings) -> str | None:
    """How HEAD's settings keep a file out of the maps they read, in words."""
    from fnmatch import fnmatch

    for pattern in now.exclude:
        if fnmatch(file, pattern):
            return f"excludes {file} (exclude '{pattern}')"
    if not any(PurePosixPath(file).is_relative_to(p) for p in now.paths):
        return f"no longer reads {file} (paths = {list(now.paths)})"
    return None


def _ignored(d: Diagnostic, now: Settings) -> str | None:
    from fnmatch import fnmatch

    for pattern, rules in now.per_file_ignores.items():
        if d.rule in rules and fnmatch(d.file, pattern):
            return f"ignores {d.rule} in {pattern} (per-file-ignores)"
    return None


def _turned_off(d: Diagnostic, now: Settings) -> str | None:
    return f"turns off {d.rule}" if now.rules.get(d.rule) == "off" else None


def _shows(d: Diagnostic, was: Settings, now: Settings, keys: list[str]) -> str:
    """Why HEAD's settings show a finding BASE's did not, in words."""
    if now.rules.get(d.rule) != was.rules.get(d.rule):
        return f"sets {d.rule} to {now.rules.get(d.rule) or 'its default'}"
    return f"changes {', '.join(keys)}"


#: Why HEAD's settings no longer show a finding, asked in this order; the first to answer.
SILENCERS: tuple[Callable[[Diagnostic, Settings], str | None], ...] = (
    lambda d, now: _excluded(d.file, now),
    _ignored,
    _turned_off,
)


def settings_change(
    base: OwnSettings,
    head: OwnSettings,
    reports: tuple[Report, Report],
    hidden: tuple[Report, list[Path]] | None,
    shown: tuple[Report, list[Path]] | None,
    c: Comparison,
) -> SettingsChange | None:
    """The settings file's change, and the findings of HEAD's maps that BASE's settings
    report and HEAD's hide (off, ignored, excluded, lowered), which are not "fixed"."""
    if base.problem is not None:
        return SettingsChange(base.file or SETTINGS_NAMES[0], "invalid", [], base.problem)
    keys = setting_words.keys(base.settings, head.settings)
    if not keys and base.file == head.file:
        return None
    status = "changed" if base.file and head.file else "added" if head.file else "removed"
    change = SettingsChange(head.file or base.file or SETTINGS_NAMES[0], status, keys)
    change.values = setting_words.values(base.settings, head.settings, keys)
    change.notes = setting_words.price_notes(change.values, head.settings)
    if base.file and head.file and base.file != head.file:
        change.base_file = base.file
    if shown is not None:
        # Introduced by the settings, not by the maps: BASE's maps have them too, read with
        # HEAD's settings (a rule turned on, a shorter review cadence). Reported, not judged:
        # findings the base already had do not fail --check, whatever made them visible.
        # Only those BASE's own settings did not show: the rest matched HEAD's already, and
        # counted twice, a second finding alike to one the base had passed as "already had".
        had = Counter(c.in_head(d) for d in shown[0].diagnostics)
        had.subtract(c.in_head(d) for d in reports[0].diagnostics)
        brought = []
        for d in c.introduced:
            if had[d.fingerprint] > 0:
                had[d.fingerprint] -= 1
                change.revealed.append(Silenced(d, _shows(d, base.settings, head.settings, keys), False))
            else:
                brought.append(d)
        c.introduced = brought
    if hidden is None:
        return change
    now = head.settings
    in_base = Counter(c.in_head(d) for d in reports[0].diagnostics)
    on_show = Counter(d.fingerprint for d in reports[1].diagnostics)
    severity = {d.fingerprint: d.severity for d in reports[1].diagnostics}
    seen: Counter[str] = Counter()
    for d in hidden[0].diagnostics:
        seen[d.fingerprint] += 1
        new = seen[d.fingerprint] > in_base[d.fingerprint]
        if seen[d.fingerprint] > on_show[d.fingerprint]:
            why = next((w for ask in SILENCERS if (w := ask(d, now)) is not None), None)
            change.silenced.append(Silenced(d, why or f"changes {', '.join(keys)}", new))
        elif severity[d.fingerprint].rank > d.severity.rank:
            lowered = f"lowers {d.rule} to {severity[d.fingerprint].value}"
            change.silenced.append(Silenced(d, lowered, new, severity[d.fingerprint]))
    read = {e.file for e in entries(reports[1])}
    for e in entries(hidden[0]):
        if e.file not in read:
            change.unchecked[e.file] = _excluded(e.file, now) or f"changes {', '.join(keys)}"
    # What HEAD's settings hide, BASE's maps had, and HEAD's maps still have is not fixed.
    hid = Counter(s.finding.fingerprint for s in change.silenced if not s.new)
    fixed = []
    for d in c.fixed:
        if hid[c.in_head(d)]:
            hid[c.in_head(d)] -= 1
        else:
            fixed.append(d)
    c.fixed = fixed
    return change


def may_hide(base: Report, base_set: Settings, head: Report, head_set: Settings) -> bool:
    """Whether HEAD is to be read again without its ignores (see :mod:`journeymaps.moved_ignores`):
    not when every rule they name is off (the site's history reads the maps only)."""
    if not any(rule_on(head_set, rule) for rules in head_set.per_file_ignores.values() for rule in rules):
        return False

    def maps(r: Report) -> list[str]:
        return [f for f, kind in r.kinds.items() if kind == "map"]

    return moved_ignores.may_hide(maps(base), maps(head), base_set, head_set)


def moved_under_ignores(
    c: Comparison, base: Report, unignored: Report, sides: tuple[Settings, Settings], file: str | None
) -> None:
    """What HEAD's ``per-file-ignores`` hide in the maps the change moves under them
    (``unignored``: HEAD read without them), as a settings change's silenced findings:
    judged when the change brings them, reported when BASE's map had them (not fixed)."""
    found: list[Silenced] = []
    kept: set[int] = set()  # BASE's findings the move hides: not fixed
    for md in c.having(CHANGED):
        a, b = md.old, md.new
        if a is None or b is None or a.model is None or b.model is None:
            continue
        rules = moved_ignores.by_move(a.file, b.file, *sides)
        if not rules:
            continue
        hid = [d for d in unignored.diagnostics if d.file == b.file and d.rule in rules]
        had = [d for d in base.diagnostics if d.file == a.file and d.rule in rules]
        ids = {a.file: b.model.id} if a.model.id != b.model.id else {}
        # Through a stage split in the same change: a moved step's finding is BASE's.
        steps = {a.file: moves} if (moves := restaged(a.model, b.model)) else {}
        introduced, gone = match_findings(had, hid, None, ids, steps)
        new = {id(d) for d in introduced}
        kept |= {id(d) for d in had} - {id(d) for d in gone}
        for d in hid:
            why = f"ignores {d.rule} in {rules[d.rule]} (per-file-ignores), where this change moves {a.file}"
            found.append(Silenced(d, why, id(d) in new, moved=a.file))
    if not found:
        return
    if c.settings is None:
        c.settings = SettingsChange(file or SETTINGS_NAMES[0], "unchanged", [])
    c.settings.silenced += found
    # As what a rule turned off hides in maps that had it: not fixed.
    c.fixed = [d for d in c.fixed if id(d) not in kept]
