"""``journeymaps diff``: what a change means for the journeys, not a YAML diff.

Both sides are linted in full, then compared: maps are matched by id (a renamed file is not
a removal and an addition), and a map that cannot be read on one side is its own case
(broken, or loading again), never "removed" or "added". Inside a map, journeymaps.map_changes
names each change; findings are matched by fingerprint.

This module runs the comparison; its parts are modules of their own: reading a side
(:mod:`journeymaps.diff_sides`) with its settings (:mod:`journeymaps.side_settings`),
pairing maps (:mod:`journeymaps.map_pairing`), judging findings
(:mod:`journeymaps.finding_changes`), costs (:mod:`journeymaps.cost_changes`), what a
settings change hides (:mod:`journeymaps.settings_effect`), and the result
(:mod:`journeymaps.comparison`), in words (:mod:`journeymaps.comparison_words`) and as pages
(:mod:`journeymaps.diff_site`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

from journeymaps import (
    baseline_changes,
    git,
    suppression_changes,
    teams_gone,
)
from journeymaps.comparison import (
    ADDED,
    BROKEN,
    CHANGED,
    REMOVED,
    REPAIRED,
    STILL_BROKEN,
    Comparison,
    MapDiff,
)
from journeymaps.comparison_words import renamed_partly
from journeymaps.cost_changes import money_changes
from journeymaps.diagnostics import Diagnostic
from journeymaps.diff_sides import DiffError as DiffError  # what run raises: callers catch diff.DiffError
from journeymaps.diff_sides import (
    Fetch,
    checkout,
    export_side,
    lint_excluded,
    lint_side,
    maps_folders,
    no_fetch,
    read_snapshots,
    read_with,
    rebased,
    side_of,
)
from journeymaps.excluded_moves import changed, edited, excluded_files, note_moves
from journeymaps.excluded_moves import judge as judge_moves
from journeymaps.finding_changes import (
    as_in_head,
    match_findings,
    moved_comments,
    not_hidden_in,
    registry_pairs,
    renamed_registries,
    reshown,
    still_broken,
    unchecked,
)
from journeymaps.lint import Report, lint
from journeymaps.map_changes import Change, compare_maps, modelled_alike, restaged
from journeymaps.map_pairing import Entry, entries, links_to_maps, pair
from journeymaps.measure.changes import measure_changes
from journeymaps.measure.snapshot import MAX_BYTES as MAX_SNAPSHOT_BYTES
from journeymaps.photos import MAX_PHOTO_BYTES
from journeymaps.project import Memo
from journeymaps.reading import is_link_loop
from journeymaps.rules.input import FATAL_RULES
from journeymaps.settings import SETTINGS_NAMES, Settings
from journeymaps.settings_effect import may_hide, moved_under_ignores, settings_change
from journeymaps.side_settings import (
    OwnSettings,
    in_repository,
    own_settings,
    refuse_ambiguous,
    refuse_around,
    refuse_unversioned,
)
from journeymaps.unmeasured import Side, kpis_left, left_behind, unmeasured

#: The settings files a project's folder may hold, in the order lint looks for them.
SETTINGS_FILES = SETTINGS_NAMES


def compare(
    base: Report,
    head: Report,
    base_name: str,
    head_name: str,
    today: dt.date,
    settings: Settings,
    snapshots: tuple[dict[str, Any], dict[str, Any]] = ({}, {}),
    roots: tuple[list[Path], list[Path]] | None = None,
    hidden: tuple[Report, list[Path]] | None = None,
    shown: tuple[Report, list[Path]] | None = None,
    owners: Report | None = None,
    links: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
) -> Comparison:
    """``roots``: the maps folders each side was linted in, to pair files by their path
    inside them. ``hidden``: HEAD read with BASE's settings (and its maps folders), when
    they changed: a map HEAD's settings no longer read is paired as it reads there, not
    called removed. ``shown``: BASE read with HEAD's settings: a map only they read (no
    longer excluded) is paired as it read there, not called added. ``owners``: HEAD read with
    BASE's teams.yaml, which the change deletes (see :mod:`journeymaps.teams_gone`).
    ``links``: each side's maps that are links to another (see :func:`links_to_maps`)."""
    maps: list[MapDiff] = []
    # The teams' names (as the head names them) word owners in people's words.
    teams = {t.id: t.name for r in (base, head) if r.project for t in (r.project.teams or {}).values()}
    base_roots, head_roots = roots or (None, None)
    new = entries(head, head_roots, links[1])
    if hidden is not None:
        read_now = {e.file for e in new}
        new += [e for e in entries(*hidden) if e.file not in read_now]
    old = entries(base, base_roots, links[0])
    if shown is not None:
        known = {e.file for e in old}
        old += [e for e in entries(*shown) if e.file not in known]
    rescoped: dict[str, str] = {}  # BASE's file -> its map's id in HEAD, where it changed
    renamed_ids: dict[str, str] = {}  # HEAD's map id -> BASE's, where it changed
    steps: dict[str, dict[str, str]] = {}  # BASE's file -> its steps moved to another stage
    moved_in: dict[str, dict[str, str]] = {}  # the same, by HEAD's file (a HEAD finding's map's)
    capped: list[Entry] = []  # told by their rarest lines only, where that may have changed their pair
    pairs = pair(old, new, capped)
    partly = {id(e) for e in capped}
    for a, b in pairs:
        if a is None or b is None:
            maps.append(MapDiff(ADDED if b else REMOVED, a, b))
        elif a.model is not None and b.model is not None:
            alike = modelled_alike(a.model, b.model)
            changes = (
                [] if alike else compare_maps(a.model, b.model, today, settings.evidence_max_age_days, teams)
            )
            if not alike and (moves := restaged(a.model, b.model)):
                steps[a.file] = moves
                moved_in[b.file] = moves
            sides = (
                Side(a.model, snapshots[0].get(a.model.id), settings.sources),
                Side(b.model, snapshots[1].get(b.model.id), settings.sources),
            )
            changes += kpis_left(
                measure_changes(a.model, b.model, sides[0].snap, sides[1].snap, settings.sources), *sides
            )
            changes += money_changes(
                a.model, b.model, settings, snapshots[0].get(a.model.id), snapshots[1].get(b.model.id)
            )
            if a.inner != b.inner:
                was, now = _renamed(a, b)
                # Told by a few files only: said below, once the maps so told are counted.
                changes.insert(0, Change("map-moved", f"file renamed: {was} → {now}", {}, "file", was, now))
            if a.model.id != b.model.id:
                rescoped[a.file] = b.model.id
                renamed_ids[b.model.id] = a.model.id
                line = f"map id changed: {a.model.id} → {b.model.id}"
                if snapshots[0].get(a.model.id) is not None and snapshots[1].get(b.model.id) is None:
                    line += _snapshot_left(a.model.id, b.model.id, settings)
                changes.insert(0, Change("map-id-changed", line, {}, "id", a.model.id, b.model.id))
            if changes:
                maps.append(MapDiff(CHANGED, a, b, changes))
        elif a.model is not None:
            maps.append(MapDiff(BROKEN, a, b))
        elif b.model is not None:
            maps.append(MapDiff(REPAIRED, a, b))
        elif a.text != b.text or a.inner != b.inner:
            maps.append(MapDiff(STILL_BROKEN, a, b))
    for md in maps:
        md.renamed_partly = md.old is not None and id(md.old) in partly
    # One map told by a few files only says why whole; each of many says it in short, the
    # why said once (see comparison_words.pairing_lines).
    short = sum(md.renamed_partly for md in maps) > 1
    for md in maps:
        if md.renamed_partly:
            md.changes = [
                replace(ch, text=ch.text + renamed_partly(True, short=short))
                if ch.kind == "map-moved"
                else ch
                for ch in md.changes
            ]
    _plans_removed(maps, old, new)
    order = {s: i for i, s in enumerate((BROKEN, ADDED, REMOVED, REPAIRED, STILL_BROKEN, CHANGED))}
    maps.sort(key=lambda m: (order[m.status], m.map_id))
    before, after = list(base.diagnostics), list(head.diagnostics)
    came: list[Diagnostic] = []  # a still-broken map's format errors, compared as such
    went: list[Diagnostic] = []
    for md in maps:  # a map that cannot be read has unknown findings, not none
        if md.status == BROKEN and md.old is not None:
            md.uncompared = [d for d in before if d.file == md.old.file]
            before = [d for d in before if d.file != md.old.file]
        elif md.status == REPAIRED and md.new is not None:
            md.uncompared = [d for d in after if d.file == md.new.file]
            after = [d for d in after if d.file != md.new.file]
        elif md.status == REMOVED and md.old is not None:
            md.gone = [d for d in before if d.file == md.old.file]
            before = [d for d in before if d.file != md.old.file]
        elif md.status == STILL_BROKEN and md.old is not None and md.new is not None:
            in_base = [d for d in before if d.file == md.old.file]
            in_head = [d for d in after if d.file == md.new.file]
            before = [d for d in before if d.file != md.old.file]
            after = [d for d in after if d.file != md.new.file]
            introduced, fixed, md.uncompared = still_broken(in_base, in_head)
            came += introduced
            went += fixed
    # A teams.yaml or personas.yaml that cannot be read on one side: its findings on the
    # other are unknown there too (they were listed as fixed when it broke).
    renamed, said = renamed_registries(base, head, base_roots, head_roots)
    unread = [{d.file for d in r.diagnostics if d.rule in FATAL_RULES} for r in (base, head)]
    unread[0] = {renamed.get(f, f) for f in unread[0]}
    before = [d for d in before if renamed.get(d.file, d.file) not in unread[1] - unread[0]]
    again = [d for d in after if d.file in unread[0] - unread[1]]
    after = [d for d in after if d.file not in unread[0] - unread[1]]
    # What suppression comments the change adds hide, and those it removes show again.
    files = [(a.file if a else None, b.file if b else None) for a, b in pairs]
    files += registry_pairs(base, head, renamed)  # their suppressions hide their findings too
    hides, reveals, kept = suppression_changes.changed(base, head, files)
    if owners is not None:  # HEAD checks no owner: what its suppressions hide of BASE's registry's
        more = teams_gone.suppressions(base, owners, files)
        hides, kept = hides + more.hides, kept + more.kept
    # Not where a side cannot be read: its findings there are unknown, not hidden. A file
    # that loads again in HEAD is read: what a suppression added there hides is judged as its
    # other findings are (unvetted: a repaired map brought its hidden errors unseen).
    blind = (
        {md.old.file for md in maps if md.status in (BROKEN, STILL_BROKEN) and md.old}
        | {f for f in base.kinds if renamed.get(f, f) in unread[1]},
        {md.new.file for md in maps if md.status == STILL_BROKEN and md.new},
    )
    hides = [h for h in hides if h.finding.file not in blind[1]]
    reveals = [r for r in reveals if r.finding.file not in blind[0]]
    kept = [k for k in kept if k.finding.file not in blind[1]]
    hid = {id(h.finding) for h in [*hides, *kept]}
    showing = [r.finding for r in reveals]
    shown_ids = {id(d) for d in showing}
    introduced, fixed = match_findings(
        before + showing, after + [h.finding for h in [*hides, *kept]], renamed, rescoped, steps
    )
    # Hidden and not in BASE: brought by the change. Hidden and in BASE: not fixed.
    brought = {id(d) for d in introduced}
    for h in [*hides, *kept]:
        h.new = id(h.finding) in brought
    introduced = [d for d in introduced if id(d) not in hid]
    hides, reveals, aimed = moved_comments(hides, reveals, renamed, rescoped, steps, moved_in)
    kept = not_hidden_in(base, kept, renamed, rescoped, steps) + aimed
    fixed = [d for d in fixed if id(d) not in shown_ids]
    shown_again = reshown(before, after, introduced, reveals, renamed, rescoped, steps) if reveals else []
    if owners is not None:
        introduced, fixed, again_shown = teams_gone.judge(
            owners, base, introduced, fixed, reveals, as_in_head(renamed, rescoped, steps)
        )
        shown_again += again_shown
    # A finding still there whose fingerprint the change rewrites (a step moved to another
    # stage, a stage's or a map's id renamed): a baseline holds the old one, so lint --baseline shows it anew.
    mark, found = as_in_head(renamed, rescoped, steps), {d.fingerprint for d in after}
    base_models, head_models = (
        {e.model.id: e.model for e in side if e.model is not None} for side in (old, new)
    )
    fixed, unmeasured_now = unmeasured(
        fixed, (base_models, head_models), snapshots, settings.sources, rescoped, steps
    )
    introduced, stranded = left_behind(
        introduced, (base_models, head_models), snapshots, settings.sources, renamed_ids
    )
    unmeasured_now += stranded
    fixed, stopped = unchecked(fixed, (base_models, head_models), rescoped)
    fixed = _unread(maps, fixed)
    for md in maps:  # with its map: a rule that no longer judges it (its state changed)
        if md.status == CHANGED and md.old is not None:
            md.gone = [d for d in stopped if d.file == md.old.file]
    rekeyed = {d.fingerprint: now for d in before if (now := mark(d)) != d.fingerprint and now in found}
    return Comparison(
        base_name,
        head_name,
        maps,
        introduced + came,
        fixed + went,
        teams=teams,
        registries_read_again=again,
        registries_renamed=said,
        teams_renamed=_teams_renamed(base, head),
        personas_removed=_personas_removed(base, head),
        suppressed=hides,
        unsuppressed=shown_again,
        suppressed_in_base=kept,
        rekeyed=rekeyed,
        unmeasured=unmeasured_now,
        in_head=mark,
    )


def _unread(maps: list[MapDiff], fixed: list[Diagnostic]) -> list[Diagnostic]:
    """``fixed`` without BASE's findings in a folder HEAD does not read (a maps folder that
    a link takes out of the project): not fixed, unread; kept as that folder's ``gone``. A
    teams.yaml there read "fixed: ..." of each of its findings."""
    folders = [(md, md.new.file.rstrip("/") + "/") for md in maps if md.new is not None and md.new.folder]
    if not folders:
        return fixed
    kept = []
    for d in fixed:
        holder = next((md for md, inside in folders if d.file.startswith(inside)), None)
        if holder is None:
            kept.append(d)
        else:
            holder.gone.append(d)
    return kept


def _snapshot_left(was: str, now: str, settings: Settings) -> str:
    """Where a renamed map's measured numbers were left: its snapshot is kept by map id."""
    return (
        f" (its metrics snapshot {settings.measure.metrics}/{was}.json is kept under the old id: "
        f"rename it to {now}.json or run 'journeymaps measure' again; until then the map's numbers "
        "are its declared ones)"
    )


def _plans_removed(maps: list[MapDiff], old: list[Entry], new: list[Entry]) -> None:
    """Each removed future-state map with the journey it improved (see :attr:`MapDiff.future_of`)."""
    titles = {e.model.id: e.model.title for e in old if e.model is not None}
    kept = {e.model.id for e in new if e.model is not None}
    for md in maps:
        m = md.old.model if md.status == REMOVED and md.old is not None else None
        if m is not None and m.state == "future" and m.based_on:
            md.future_of = (m.based_on, titles.get(m.based_on), m.based_on in kept)


def _teams_renamed(base: Report, head: Report) -> dict[str, tuple[str, str, str]]:
    """Each team both sides' teams.yaml list under one id whose name the change edits."""
    old = (base.project.teams if base.project else None) or {}
    new = (head.project.teams if head.project else None) or {}
    return {
        team_id: (t.loc.src.display, old[team_id].name, t.name)
        for team_id, t in sorted(new.items())
        if team_id in old and old[team_id].name != t.name
    }


def _personas_removed(base: Report, head: Report) -> dict[str, tuple[str, str]]:
    """Each persona BASE's personas.yaml lists that HEAD's does not (nor, where HEAD's is
    broken, the ids still legible in it: unknown there, not removed)."""
    old = (base.project.personas if base.project else None) or {}
    if head.project is None:
        return {}
    new = head.project.personas or {}
    # In a folder HEAD does not read (a link out of the project): unknown, not removed.
    unread = tuple(f.rstrip("/") + "/" for f in head.folders)
    broken = head.project.broken_registries
    legible = broken.get("personas", frozenset())
    if legible is None:  # HEAD's cannot be read: which personas it has is unknown
        return {}
    return {
        persona_id: (p.loc.src.display, p.name)
        for persona_id, p in sorted(old.items())
        if persona_id not in new and persona_id not in legible and not p.loc.src.display.startswith(unread)
    }


def _renamed(a: Entry, b: Entry) -> tuple[str, str]:
    """A renamed file's names: as each side shows them when both sides' folders were named
    alike, else inside each folder (``maps/a.yaml → b.yaml`` read as a move too)."""
    if a.file.removesuffix(a.inner) == b.file.removesuffix(b.inner):
        return a.file, b.file
    return a.inner, b.inner


def run(
    base: str,
    head: str | None,
    settings: Settings,
    cwd: Path,
    today: dt.date,
    settings_files: tuple[str, ...] = (),
) -> Comparison:
    """Lint both sides and compare them; ``head`` None is the working tree.

    ``settings_files``: the names of the settings file a revision is read with, looked for
    in the project's folder at that revision (the first there, as lint finds them); none:
    both sides with ``settings``. Read with the working tree's settings, a change to them
    (a rule turned off, a map excluded) hid what it silenced on both sides."""
    for spec in (base, head):
        # "" (an unset variable: diff "$BASE") is no folder: Path("") is ".", which was
        # compared with itself ("No change ... between  and working tree")
        if spec is not None and (not spec or not Path(spec).is_dir()):
            try:
                git.check_revision(spec)
            except git.GitError as exc:
                raise DiffError(str(exc)) from None
        elif spec is not None:
            refuse_ambiguous(spec, cwd)
    if revisions := [spec for spec in (base, head) if spec is not None and not Path(spec).is_dir()]:
        # Before the settings are judged: without git every repository question fails, and
        # the settings were blamed ("a settings file outside any git repository").
        if shutil.which("git") is None:
            raise DiffError(
                f"{revisions[0]}: not a folder, and git is needed on PATH to read a revision"
                " (or compare two folders: journeymaps diff OLD_FOLDER NEW_FOLDER)"
            )
        settings, settings_files = in_repository(settings, cwd, settings_files)
        refuse_unversioned(settings, cwd, working=head is None)
    root = settings.root
    # The largest file any reader of a side takes: a map (as set), a photo, a snapshot.
    largest = max(settings.max_file_size_kb * 1024, MAX_PHOTO_BYTES, MAX_SNAPSHOT_BYTES)
    head_name = head or "working tree"
    # Both sides' files are kept until the comparison is made: an edited move is linted then.
    with ExitStack() as stack:
        base_dir, base_fetch = stack.enter_context(checkout(base, list(settings_files), root, largest))
        base_own = own_settings(base, base_dir, settings, settings_files, root)
        base_set = base_own.settings if base_own.problem is None else settings
        base_rel = maps_folders(base_set)
        export_side(base, base_dir, [*base_rel, base_set.measure.metrics], root, base_set)
        parsed = Memo()  # each file of BASE, for HEAD's files of the same bytes (see rebased)
        base_report, base_roots = lint_side(base_dir, base_fetch, base_set, base_rel, today, memo=parsed)
        base_links = links_to_maps(base_report)
        base_snaps = read_snapshots(base_report, base_dir / base_set.measure.metrics)
        if head is None:
            head_own = OwnSettings(settings, settings.file.name if settings.file else None)
            head_fetch: Fetch = no_fetch
            head_set, head_dir, head_side = settings, root, settings
            refuse_around(settings)
            head_roots = [r for r in settings.roots() if r.exists() or is_link_loop(r)]  # see side_of
            head_report = lint(head_roots, settings, today, root, memo=rebased(parsed, base_dir, root))
            head_links = links_to_maps(head_report)
            unignored = (
                lint(head_roots, replace(settings, per_file_ignores={}), today, root)
                if may_hide(base_report, base_set, head_report, settings)
                else None
            )
            gone = teams_gone.registries(base_report, base_dir, head_report, root)
            owners = teams_gone.lint_with(head_roots, settings, today, root, gone) if gone else None
            head_snaps = read_snapshots(head_report, root / settings.measure.metrics)
            moved_out = excluded_files(head_roots, settings, root)
            hidden = read_with(head, head_dir, head_fetch, base_set, head_set, root, today, gone)
            shown = read_with(base, base_dir, base_fetch, head_set, base_set, root, today)
        else:
            head_dir, head_fetch = stack.enter_context(checkout(head, list(settings_files), root, largest))
            head_own = own_settings(head, head_dir, settings, settings_files, root)
            if head_own.problem is not None:  # as invalid settings in the working tree
                d = head_own.problem
                raise DiffError(f"{d.file}:{d.line}:{d.column}: {d.rule} in {head}: {d.message}")
            head_set = head_own.settings
            head_rel = maps_folders(head_set)
            export_side(head, head_dir, [*head_rel, head_set.measure.metrics], root, head_set)
            head_report, head_roots = lint_side(
                head_dir, head_fetch, head_set, head_rel, today, memo=rebased(parsed, base_dir, head_dir)
            )
            head_side = side_of(head_dir, head_set, head_rel)[0]
            head_links = links_to_maps(head_report)
            unignored = (
                lint_side(head_dir, head_fetch, replace(head_set, per_file_ignores={}), head_rel, today)[0]
                if may_hide(base_report, base_set, head_report, head_set)
                else None
            )
            gone = teams_gone.registries(base_report, base_dir, head_report, head_dir)
            owners = (
                lint_side(head_dir, head_fetch, head_set, head_rel, today, extra=gone)[0] if gone else None
            )
            head_snaps = read_snapshots(head_report, head_dir / head_set.measure.metrics)
            moved_out = excluded_files(head_roots, head_set, head_dir)
            hidden = read_with(head, head_dir, head_fetch, base_set, head_set, root, today, gone)
            shown = read_with(base, base_dir, base_fetch, head_set, base_set, root, today)
        comparison = compare(
            base_report,
            head_report,
            base,
            head_name,
            today,
            head_set,
            (base_snaps, head_snaps),
            (base_roots, head_roots),
            hidden,
            shown,
            owners,
            (base_links, head_links),
        )
        # What the change adds or edits there, read of BASE only when a map went (an archive
        # of a thousand maps is not read twice for a change that removes none).
        new = changed(moved_out, base_dir, base_set) if comparison.having(REMOVED) else set()
        note_moves(comparison.maps, moved_out, new)
        if edits := edited(comparison.maps, moved_out):  # what a move out of the checks brings
            moved = lint_excluded(head_dir, head_fetch, head_side, head_roots, today, edits)
            judge_moves(comparison.maps, base_report, moved)
    comparison.files_read = len(base_report.sources) + len(head_report.sources)
    comparison.names = (_said(base), _said(head))
    if any(spec is not None and not Path(spec).is_dir() for spec in (base, head)):
        comparison.root, comparison.top = root, _top(cwd)
    if settings_files:
        own = replace(base_own, settings=base_set), replace(head_own, settings=head_set)
        # HEAD as it shows with BASE's teams.yaml, when it deletes it: the owners a rule turned
        # off in the same change hides are judged as any it hides (silenced, not shown).
        shows = owners or head_report
        comparison.settings = settings_change(*own, (base_report, shows), hidden, shown, comparison)
    if unignored is not None:
        moved_under_ignores(comparison, base_report, unignored, (base_set, head_set), head_own.file)
    comparison.baseline = _baseline_change(base, head, root, comparison)
    return comparison


def _baseline_change(
    base: str, head: str | None, root: Path, c: Comparison
) -> baseline_changes.BaselineChange | None:
    """What the change does to the baseline in the project's folder (``root``) on each side."""

    def side(spec: str | None) -> baseline_changes.Side:
        if spec is None:
            return baseline_changes.read_folder(root, "the working tree")
        if Path(spec).is_dir():
            return baseline_changes.read_folder(Path(spec), spec)
        return baseline_changes.read_revision(spec, root)

    new = [d.fingerprint for d in (*c.introduced, *c.silenced_new, *c.suppressed_new, *c.unvetted)]
    return baseline_changes.compare(side(base), side(head), new, c.rekeyed)


def _top(cwd: Path) -> Path | None:
    """The top of the repository ``cwd`` is in (None: in none)."""
    try:
        return git.toplevel(cwd)
    except git.GitError:
        return None


def _said(spec: str | None) -> str:
    """How sentences name a side given as ``spec`` ("" when as given)."""
    if spec is None:
        return "the working tree"
    if "..." in spec and not Path(spec).is_dir():
        left, _, right = spec.partition("...")
        return f"the merge base of {left or 'HEAD'} and {right or 'HEAD'}"
    return ""
