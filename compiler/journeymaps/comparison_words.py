"""The parts of a ``journeymaps diff`` comparison in words, alike in every format: a map that
cannot be read, a renamed registry, the settings change, the suppressions and the baseline."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from journeymaps import setting_words, suppression_changes
from journeymaps.comparison import ADDED, BROKEN, REPAIRED, Comparison, MapDiff, Silenced
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.map_pairing import Entry
from journeymaps.project import REGISTRY_FILES
from journeymaps.quotes import quoted
from journeymaps.reporters.base import plural
from journeymaps.suppression_changes import Hidden


def baseline_lines(c: Comparison) -> list[str]:
    """What the change does to the baseline, in words (see :mod:`journeymaps.baseline_changes`)."""
    return c.baseline.lines() if c.baseline is not None else []


def removed_words(md: MapDiff, c: Comparison | None = None) -> str:
    """A removed map in words: moved where the settings exclude it, when it was, as that
    takes it out of every check as a deletion does, though its file is still there.
    ``c``: the comparison it is in, where many maps told by a few files say so in short
    (see :func:`pairing_lines`); without it, said whole."""
    renamed, moved = told_by_few(c)
    gone = f", and its {plural(len(md.gone), 'finding')} with it" if md.gone else ""
    if md.excluded_as:
        # Still in the change, where no check reads it from now on: its findings are not
        # fixed; what the move edits in it is checked here, once (see excluded_moves).
        edited = ""
        brought = plural(len(md.excluded_new), "finding") if md.excluded_new else "no finding"
        if md.excluded_alike:
            # A copy of the map beside its edited move took the move's name: said, and judged.
            files = ", ".join(md.excluded_alike)
            be = "is" if len(md.excluded_alike) == 1 else "are"
            edited = (
                f" ({'edited in the move' if md.excluded_edited else 'unedited'}; {files}, which the change"
                f" adds or edits there too, {be} at least half alike to it: checked as an edited move, with"
                f" {brought} the base's map did not have)"
            )
        elif md.excluded_edited:
            edited = f" (edited in the move, with {brought} the base's map did not have)"
        gone = f", and its {plural(len(md.gone), 'finding')} with it, not fixed" if md.gone else ""
        return f"{moved_out(md.excluded_as)}{edited}{gone}{_partly(md, len(moved) > 1)}"
    told = renamed_partly(md.renamed_partly, found=False, short=len(renamed) > 1)
    return f"map removed{_plan_of(md)}{gone}{told}{_partly(md, len(moved) > 1)}"


def moved_out(file: str) -> str:
    """A map moved to ``file``, where the settings exclude it, in words."""
    return f"map moved to {file}, which the settings exclude: no longer linted, compared or published"


def moved_out_short(md: MapDiff) -> str:
    """A removed map in words without its findings, as the site's What changed page says it
    (the page compares the maps, not their findings): moved where the settings exclude it,
    and, told from the excluded files by a few only, that in short (the page says why once)."""
    said = moved_out(md.excluded_as) if md.excluded_as else "map removed"
    return said + _partly(md, short=True)


#: Why a map told by a few files only says so: one not measured could be as alike as its match.
_WHY = "(too many are alike to compare it with each)"
#: How many maps of a kind (renames, moves out of the checks) are given as examples where
#: many are told by a few files only, the rest counted.
EXAMPLES = 3


def renamed_partly(capped: bool, found: bool = True, short: bool = False) -> str:
    """Said when a map was paired by content with only some of HEAD's added maps (those
    sharing its rarest lines, or the rarest word of its id and file name), and one not
    measured could be as alike as its rename (see :func:`journeymaps.likeness.pair_alike`):
    its rename may be another file, or not found. ``short``: one of many so told, whose
    why is said once (see :func:`pairing_lines`): the same long sentence on each of a
    thousand maps of one template hid their real changes."""
    if not capped:
        return ""
    if short:
        return _PAIRED if found else _NOT_FOUND.format("rename")
    told = (
        "told from the other added maps"
        if found
        else "no rename of it found: looked for among the added maps"
    )
    return f"; {told} by its rarest lines and its name only {_WHY}"


#: A map of many told by a few files only, in short: paired, or none of them its match (the
#: site's What changed page says it so too).
PAIRED = "paired by its rarest lines and its name only"
_PAIRED = f"; {PAIRED}"
NOT_FOUND = "no {} of it found by its rarest lines and its name only"
_NOT_FOUND = f"; {NOT_FOUND}"


def _partly(md: MapDiff, short: bool = False) -> str:
    """Said when the map was measured against only some of the excluded files (those sharing
    its rarest lines, or the rarest word of its id and file name), and one not measured
    could be as alike as its move (see :func:`likeness.pair_alike`): its move may
    be another file, or, "removed", not found; in short as :func:`renamed_partly`."""
    if not md.excluded_partly:
        return ""
    if short:
        return _PAIRED if md.excluded_as else _NOT_FOUND.format("move")
    told = (
        "told from the other excluded files"
        if md.excluded_as
        else "no move of it found: looked for among the excluded files"
    )
    return f"; {told} by its rarest lines and its name only {_WHY}"


def told_by_few(c: Comparison | None) -> tuple[list[MapDiff], list[MapDiff]]:
    """The maps of ``c`` told from HEAD's added maps by a few only, and those told from the
    excluded files so (none without ``c``, or on a page that is no comparison's: each
    says it whole there)."""
    return c.told_by_few() if isinstance(c, Comparison) else ([], [])


def pairing_lines(c: Comparison) -> list[str]:
    """Where more than one map was told by a few files only, why, once, with how many and
    the first few (as ruff or dbt count a repeated note): each of those maps says it in
    short, by the same words, so a reviewer searching for one finds it. One such map says
    it whole, and nothing is added here."""
    renamed, moved = c.told_by_few()
    out = []
    for found, among, told, where in (
        (renamed, "added maps", "rename", _renamed_to),
        (moved, "excluded files", "move", _moved_to),
    ):
        if len(found) < 2:
            continue
        shown = []
        for md in found[:EXAMPLES]:
            was = md.old.file if md.old is not None else md.map_id
            now = where(md)
            shown.append(f"{was} → {now}" if now is not None else f"{was} (no {told} found)")
        more = len(found) - len(shown)  # two at least are shown
        examples = (
            f"{', '.join(shown)} and {more} more" if more else f"{', '.join(shown[:-1])} and {shown[-1]}"
        )
        out.append(
            f"{len(found)} maps were told from the {among} by their rarest lines and their names only"
            f" (too many are alike to compare each with each: a file one was not measured against could"
            f" be as alike as its match, or, none found, alike enough to be its {told}); each says so:"
            f" {examples}"
        )
    return out


def _renamed_to(md: MapDiff) -> str | None:
    """The file a map told from HEAD's added maps was paired with (None: none found)."""
    return md.new.file if md.new is not None else None


def _moved_to(md: MapDiff) -> str | None:
    """The excluded file a map was paired with (None: none found)."""
    return md.excluded_as


def _plan_of(md: MapDiff) -> str:
    """Which journey a removed future-state map planned to improve: "map removed" alone did
    not say whether a plan or a journey went."""
    if md.future_of is None:
        return ""
    journey, title, stays = md.future_of
    named = f"{quoted(title)} ({journey})" if title else journey
    return f" (the future state of {named}, {'which stays' if stays else 'which this change removes too'})"


def describe_status(md: MapDiff, c: Comparison) -> str:
    """A broken, repaired or still-broken map (or one added broken) in words: which rule,
    which line; and, told from HEAD's added maps by a few only, that (see
    :func:`renamed_partly`)."""
    return _status(md, c) + renamed_partly(md.renamed_partly, short=len(told_by_few(c)[0]) > 1)


def _status(md: MapDiff, c: Comparison) -> str:

    def why(e: Entry | None) -> str:
        if e is None or e.problem is None:
            return "cannot be read"
        return f"{e.problem.rule} at line {e.problem.line}: {e.problem.message}"

    def unknown(side: str) -> str:
        if not md.uncompared:
            return ""
        return f"; its {plural(len(md.uncompared), 'finding')} in {side} could not be compared"

    if md.status == BROKEN:
        return f"broken in {c.said(True)}: {why(md.new)}" + unknown(c.said(False))
    if md.status == ADDED:  # one side only: "it does not load on either side" was not true
        return f"broken in {c.said(True)}: {why(md.new)}; nothing else in it was checked"
    if md.status == REPAIRED:
        return f"loads again in {c.said(True)} (was broken in {c.said(False)}: {why(md.old)})" + unknown(
            c.said(True)
        )
    # Its rules did not run on either side: said, lest the edit read as checked.
    if md.parses_both:
        return f"still broken in {c.said(True)}: {why(md.new)}; {COMPARED}"
    return f"still broken in {c.said(True)}: {why(md.new)}; {UNCHECKED}" + unknown(c.said(md.parses_now_only))


def folder_words(md: MapDiff) -> str:
    """A folder not read on a side (a maps folder that a link takes out of the project, a
    link to a folder named like a map) in words: what it is, and that no map in it is
    compared or checked. It read "map added, but broken"."""

    def why(e: Entry | None) -> str:
        return e.problem.message if e is not None and e.problem is not None else "it cannot be read"

    if md.new is not None and md.new.folder:
        was = " still" if md.old is not None and md.old.folder else ""
        # The base's findings of its registries: unread, not fixed (see diff._unread).
        gone = f", nor the {plural(len(md.gone), 'finding')} its files had" if md.gone else ""
        return f"folder{was} not read: {why(md.new)}; no map in it is compared or checked{gone}"
    return f"folder read again (it was not: {why(md.old)})"


def unread_words(md: MapDiff, folder: str) -> str:
    """A map BASE has in a folder HEAD does not read (see :meth:`Comparison.unread_in`):
    it read "map removed, and its findings with it"."""
    gone = f", nor its {plural(len(md.gone), 'finding')}" if md.gone else ""
    return (
        f"not read: its folder {folder.rstrip('/')}/ is not read, so the map is neither compared nor "
        f"checked{gone}"
    )


#: A map that loads on neither side, in words: nothing but its format errors compared.
UNCHECKED = "it does not load on either side: nothing in it was checked"


COMPARED = "it does not load on either side: its format errors were compared, nothing else in it was checked"


def registry_lines(c: Comparison) -> list[str]:
    """Each renamed teams.yaml or personas.yaml, each team renamed in teams.yaml
    (``maps/teams.yaml: team finance renamed: "Finance" → "Finance & Billing"``) and each
    persona removed from personas.yaml, for every format: the changes name owners as HEAD
    does, so the old name was nowhere to be read, and a persona no map names is in none."""
    out = [
        f"{was} → {now}: {REGISTRY_FILES[PurePosixPath(now).name]} registry renamed, its findings followed"
        for was, now in c.registries_renamed.items()
    ]
    out += [
        f"{file}: team {team_id} renamed: {quoted(was)} → {quoted(now)}"
        for team_id, (file, was, now) in c.teams_renamed.items()
    ]
    return out + [
        f"{file}: persona {persona_id} removed: {quoted(name)}"
        for persona_id, (file, name) in c.personas_removed.items()
    ]


def settings_lines(c: Comparison) -> list[str]:
    """The settings change in words, for every format: which file, which settings, and what
    they silence ("journeymaps.toml turns off missing-owner: 3 errors that main's settings
    report are no longer shown"), so a reviewer sees it without reading the TOML."""
    ch = c.settings
    if ch is None:
        return []
    if ch.problem is not None:
        d = ch.problem
        return [
            f"{ch.file} does not load in {c.said(False)} "
            f"({d.file}:{d.line}:{d.column}: {d.rule}: {d.message}): "
            f"{c.said(False)} was read with {c.of(True, 'settings')}"
        ]
    changed = f": {setting_words.changed(ch.keys, ch.values)}" if ch.keys else ""
    was = f", was {ch.base_file}" if ch.base_file else ""
    # Alike on both sides: only what its ignores hide in the maps the change moves says a word.
    out = [] if ch.status == "unchanged" else [f"{ch.file} ({ch.status} in {c.said(True)}{was}){changed}"]
    out += [f"{ch.file}: {note}" for note in ch.notes]
    by_why: dict[str, list[Silenced]] = {}
    for s in ch.silenced:
        by_why.setdefault(s.why, []).append(s)
    for why, found in by_why.items():
        words = _counted([s.finding for s in found])
        new = sum(1 for s in found if s.new)
        brought = f" ({new} of them new in this change)" if new else ""
        now = found[0].now
        shown = f"now shown as {now.value}s" if now is not None else "no longer shown"
        are = "is" if len(found) == 1 else "are"
        out.append(f"{ch.file} {why}: {words} that {c.of(False, 'settings')} report {are} {shown}{brought}")
    revealed: dict[str, list[Diagnostic]] = {}
    for s in ch.revealed:
        revealed.setdefault(s.why, []).append(s.finding)
    out += [
        f"{ch.file} {why}: {_counted(found)} that {c.of(False, 'maps')} already had "
        f"{'is' if len(found) == 1 else 'are'} now shown"
        for why, found in revealed.items()
    ]
    out += [
        f"{ch.file} {why}: the map is no longer checked" for why in ch.unchecked.values() if why not in by_why
    ]
    return out


def suppression_lines(c: Comparison) -> list[str]:
    """Each suppression comment the change adds that hides findings, or removes that hid
    them, or keeps that hides what the change brings, in words for every format: "a
    suppression this change adds hides 7 errors (7 of them new in this change):
    ignore[unknown-team] at maps/a.yaml:2 covers the whole map"."""
    out = []
    for added, found in ((True, c.suppressed), (False, c.unsuppressed)):
        by: dict[suppression_changes.Comment, list[Hidden]] = {}
        for h in found:
            by.setdefault(h.comment, []).append(h)
        for comment, hidden in by.items():
            words = _counted([h.finding for h in hidden])
            if added and comment.file in c.added_files():
                out.append(
                    f"a suppression in a map this change adds hides {words} (the map is new: "
                    f"reported, not judged): {comment.words}"
                )
            elif added:
                new = sum(1 for h in hidden if h.new)
                brought = f" ({new} of them new in this change)" if new else ""
                out.append(f"a suppression this change adds hides {words}{brought}: {comment.words}")
            else:
                had = f"that {c.of(False, 'maps')} already had"
                out.append(
                    f"a suppression this change removes no longer hides {words} {had}: "
                    f"{comment.words} (in {c.said(False)})"
                )
    # Kept: the change does not touch the suppression, yet what it hides may be new.
    kept: dict[tuple[suppression_changes.Comment, bool, bool, str], list[Diagnostic]] = {}
    for h in c.suppressed_in_base:
        kept.setdefault((h.comment, h.new, h.retargeted, h.end), []).append(h.finding)
    for (comment, new, aimed, end), behind in kept.items():
        if aimed:  # hidden before and after, but the handoff it is about goes elsewhere now
            out.append(
                f"a suppression both sides have now hides {_counted(behind)} about a handoff this "
                f"change {suppression_changes.ENDS[end]}: {comment.words} (reported, not judged: the "
                "suppression was in the base; is its reason still true?)"
            )
            continue
        what = "new in this change" if new else f"that {c.of(False, 'maps')} showed"
        out.append(
            f"a suppression both sides have also hides {_counted(behind)} {what}: {comment.words} "
            "(reported, not judged: the suppression was in the base)"
        )
    return out


def _counted(found: list[Diagnostic]) -> str:
    """``3 errors, 1 warning and 1 info``."""
    counts = Counter(d.severity for d in found)
    parts = [plural(counts[sev], sev.value) for sev in Severity if counts[sev]]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
