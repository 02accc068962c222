"""The lint pipeline in phase order: collect → load → validate → model → rules → diagnostics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, cast

from journeymaps import reading, suppressions
from journeymaps.diagnostics import Diagnostic, Severity, Span
from journeymaps.direction_controls import shown
from journeymaps.fingerprints import text_anchor
from journeymaps.loader import Source
from journeymaps.model import Project
from journeymaps.project import (
    REGISTRY_FILES,
    Memo,
    absolute,
    collect,
    collector_paused,
    load_project,
    raw_name,
)
from journeymaps.reading import ReadPolicy, read_input
from journeymaps.records import record
from journeymaps.registry_links import read_elsewhere
from journeymaps.reporters.base import Outcome
from journeymaps.rules import Context, Finding, Rule, all_rules
from journeymaps.rules.input import INPUT_RULES as INPUT_RULES
from journeymaps.rules.input import UNREADABLE_FILE, UNUSED_SUPPRESSION
from journeymaps.settings import Settings
from journeymaps.validate import not_a_map


@record
class Report(Outcome):
    """The outcome of a lint run, with the project it was run on."""

    project: Project | None = None
    sources: tuple[Source, ...] = ()  # every file read, with its problems
    kinds: Mapping[str, str] = field(default_factory=dict)  # display path -> map | teams | personas
    #: The findings inline suppressions silenced, as they would have been reported: what a
    #: suppression a change adds hides (journeymaps.suppression_changes).
    suppressed: tuple[Diagnostic, ...] = ()


def lint(
    targets: Sequence[Path],
    settings: Settings,
    today: dt.date,
    cwd: Path,
    on_load: Callable[[Source], None] | None = None,
    inputs: Inputs | None = None,
    memo: Memo | None = None,
) -> Report:
    """Lint the files under ``targets`` in the context of every map under the maps folders;
    ``on_load`` sees each file as soon as it is parsed. ``inputs``: those files, already
    found and read by the caller (the site build hashes them first). ``memo``: what the
    previous run of this process kept (``serve``): unchanged files are not parsed,
    validated or modelled again, and map rules that read only their map not run again."""
    from journeymaps.measure.kpis import metrics_folder
    from journeymaps.measure.snapshot import listed

    inputs = inputs or read_inputs(targets, settings)
    with collector_paused(), listed(metrics_folder(settings)), reading.absent_when(inputs.absent):
        return _lint(inputs, settings, today, cwd, on_load, memo)


@record
class Inputs:
    """The files of a run: those asked about, every file read for context, and what was read
    of each: its bytes, or why it was not read (a file missing here is read by the loader);
    and which files the run treats as not there, whatever the disk holds (the pre-commit hook:
    those git does not have), for the files the rules read (photos, snapshots, schema copies)."""

    targets: list[Path]
    files: list[Path]
    contents: Mapping[Path, bytes | str] = field(default_factory=dict)
    absent: Callable[[Path], bool] | None = field(default=None, compare=False)


def read_inputs(targets: Sequence[Path], settings: Settings) -> Inputs:
    """Find and read every input once: regular files inside the project, within the size
    limit (see :mod:`journeymaps.reading`)."""
    policy = read_policy(targets, settings)
    target_files, found = input_files(targets, settings, policy)
    contents = {
        path: problem if problem is not None else read_input(path, policy) for path, problem in found.items()
    }
    return Inputs(target_files, list(found), contents)


def read_policy(targets: Sequence[Path], settings: Settings) -> ReadPolicy:
    """Links may point anywhere inside the project's root, its maps folders and the paths
    asked about (a file asked about counts by its folder: naming a link is no consent)."""
    folders = [settings.root, *settings.roots(), *(t if reading.is_folder(t) else t.parent for t in targets)]
    return ReadPolicy.around(folders, settings.max_file_size_kb * 1024, project=settings.root)


def input_files(
    targets: Sequence[Path], settings: Settings, policy: ReadPolicy | None = None
) -> tuple[list[Path], dict[Path, str | None]]:
    """(the files asked about, every file read for context, each with why it cannot be read
    when that is known already) for a run over ``targets``. A folder ``policy`` refuses (a
    link out of the project) is not walked: it is one unreadable entry, since a pull
    request's ``maps -> /`` walked the whole machine, refusing file after file."""
    found: dict[Path, dict[Path, str | None]] = {}

    def collected(paths: Sequence[Path]) -> dict[Path, str | None]:
        """As collect(paths), each path walked once a run (the maps folder is usually both
        asked about and read for context: 1,000 maps were listed twice every rebuild)."""
        merged: dict[Path, str | None] = {}
        for p in paths:
            if p in found:
                pass
            elif policy is not None and (why := policy.folder_refusal(p)) is not None:
                found[p] = {absolute(p): why}
            else:
                found[p] = collect([p], settings.exclude, settings.root)
            merged |= found[p]
        return dict(sorted(merged.items()))

    asked = collected(targets)
    context = collected([r for r in settings.roots() if r.is_dir()] + _registries_beside(list(asked)))
    files = {**context, **asked}
    # A registry that is a link is read once, under the name that makes it one (see
    # registry_links); a file asked about under another of its names is asked about so.
    elsewhere = read_elsewhere(files)
    target_files = list(dict.fromkeys(elsewhere.get(p, p) for p in asked))
    return sorted(target_files), dict(sorted((p, v) for p, v in files.items() if p not in elsewhere))


def _lint(
    inputs: Inputs,
    settings: Settings,
    today: dt.date,
    cwd: Path,
    on_load: Callable[[Source], None] | None,
    memo: Memo | None = None,
) -> Report:
    target_files = inputs.targets
    loaded = load_project(inputs.files, cwd, on_load, inputs.contents, memo)
    rules = all_rules()
    ctx = Context(loaded.project, settings, today)
    run = _run
    if memo is not None:
        remembered = _Remembered(memo, ctx)
        run, ctx = remembered.run, remembered.ctx

    raw: list[tuple[Rule, Source, Span, str, str, str]] = []
    for src in loaded.sources:
        raw.extend(
            (rules[p.rule], src, p.span, p.message, p.path, text_anchor(src.text, p.span.line, p.message))
            for p in src.problems
        )
    for rule in rules.values():
        if settings.severity(rule.name, rule.severity) is None:
            continue
        raw.extend((rule, f.src, f.span, f.message, f.path, f.anchor) for f in run(rule, ctx))

    wanted = {str(p) for p in target_files}
    diagnostics, suppressed = _finish(raw, loaded.sources, settings, wanted)
    diagnostics.sort(key=Diagnostic.sort_key)
    folders = _folders_not_read(s for s in loaded.sources if str(s.path) in wanted)
    read_as_maps = [
        s
        for s in loaded.sources
        if str(s.path) in wanted and loaded.kinds[s.display] == "map" and s.display not in folders
    ]
    not_maps = frozenset(s.display for s in read_as_maps if not_a_map(s))
    shown = frozenset(s.display for s in loaded.sources if str(s.path) in wanted)
    raw_names = {
        s.display: name
        for s in loaded.sources
        if not str(s.path).isascii() and (name := raw_name(s.path, cwd)) != s.display.encode()
    }
    return Report(
        diagnostics,
        len(target_files) - len(folders),
        len(read_as_maps) - len(not_maps),
        targets=shown,
        not_maps=not_maps,
        folders=folders,
        raw_names=raw_names,
        project=loaded.project,
        sources=tuple(loaded.sources),
        kinds=loaded.kinds,
        suppressed=tuple(suppressed),
    )


def _folders_not_read(sources: Iterable[Source]) -> frozenset[str]:
    """The paths among ``sources`` that are folders not read: a maps folder that a link
    takes out of the project or that is a loop of links (the read policy marks those,
    :attr:`Source.folder`), a link to a folder named like a map, a folder that cannot be
    listed. Each is one unreadable-file finding, and no file nor map of the summary's (see
    :attr:`Outcome.folders`). Only those with that finding are looked at: one stat each."""
    return frozenset(
        s.display
        for s in sources
        if s.folder or any(p.rule == UNREADABLE_FILE and reading.is_folder(s.path) for p in s.problems)
    )


def _run(rule: Rule, ctx: Context) -> Iterable[Finding]:
    if rule.check_project is not None:
        yield from rule.check_project(ctx)
    if rule.check_map is not None:
        for m in ctx.project.maps:
            if rule.judges(m):
                yield from rule.check_map(m, ctx)


class _Watched:
    """A project that notes whether a check read it."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self.read = False

    def __getattr__(self, name: str) -> Any:
        self.read = True
        return getattr(self._project, name)


class _Remembered:
    """Rules run with a :class:`~journeymaps.project.Memo`: a map rule's findings on a map
    are kept when the check read nothing but the map, the settings and the date (the
    project untouched), and reused while the map (its file, page name and registries), the
    settings and the date are the same. A check that read the project (other maps' ids,
    the registries) runs again every time."""

    def __init__(self, memo: Memo, ctx: Context) -> None:
        from journeymaps.keys import settings_key  # here: one-file lint imports nothing it does not use

        self.memo = memo
        judged_with = (settings_key(ctx.settings), ctx.today)
        same = memo.findings_for == judged_with
        previous = memo.findings if same else {}
        memo.findings, memo.findings_for = {}, judged_with
        # What project checks computed from one map alone (Context.per_map): kept for the
        # maps still here, judged with the same settings and date.
        current = {id(m) for m in ctx.project.maps}
        memo.rule_parts = {k: v for k, v in memo.rule_parts.items() if same and k[1] in current}
        #: The context the checks are given: ``ctx`` with the memo's per-map parts.
        self.ctx = Context(ctx.project, ctx.settings, ctx.today, memo.rule_parts)
        keys = {id(m): key for key, m in memo.maps.items()}
        # Each map's previous findings by rule, looked up once per map (a map's key is a
        # tuple of tuples, hashed again on every lookup: once per rule and map cost ~0.06 s
        # a rebuild at 1,000 maps), and where its findings now go.
        self.kept: dict[int, tuple[dict[str, list[Finding]], dict[str, list[Finding]]]] = {}
        for m in ctx.project.maps:
            if (key := keys.get(id(m))) is not None:
                found: dict[str, list[Finding]] = {}
                memo.findings[key] = found
                self.kept[id(m)] = (previous.get(key, {}), found)
        self.watched = _Watched(ctx.project)
        self.watching = Context(cast(Project, self.watched), ctx.settings, ctx.today, memo.rule_parts)

    def run(self, rule: Rule, ctx: Context) -> Iterable[Finding]:
        if rule.check_project is not None:
            yield from rule.check_project(ctx)
        if rule.check_map is None:
            return
        name = rule.name
        for m in ctx.project.maps:
            if not rule.judges(m):
                continue
            kept = self.kept.get(id(m))
            if kept is None:
                yield from rule.check_map(m, ctx)
                continue
            found = kept[0].get(name)
            if found is None:
                self.watched.read = False
                found = list(rule.check_map(m, self.watching))
                if self.watched.read:
                    yield from found
                    continue
            kept[1][name] = found
            yield from found


def _registries_beside(files: Iterable[Path]) -> list[Path]:
    """teams.yaml / personas.yaml next to files linted from outside the maps folders (each
    folder looked at once: 1,000 maps in one folder made 4,000 stats)."""
    folders = dict.fromkeys(f.parent for f in files)
    return [folder / name for folder in folders for name in REGISTRY_FILES if reading.is_file(folder / name)]


def _finish(
    raw: list[tuple[Rule, Source, Span, str, str, str]],
    sources: list[Source],
    settings: Settings,
    wanted: set[str],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Apply severities, per-file ignores and inline suppressions; report unused ones; and
    the findings the suppressions silenced, apart. A
    message shows a direction control as its escape: the data's are already, but a message
    may quote a comment (a ``$schema`` path, a suppression) or another file's name, which
    the machine formats (JSON, SARIF, GitLab, JUnit) wrote raw."""
    by_file = {str(s.path): s for s in sources}
    comments = {
        key: suppressions.parse(src.text, src.block_end) for key, src in by_file.items() if key in wanted
    }
    matchers = {key: suppressions.Matcher(found) for key, found in comments.items() if found}
    out: list[Diagnostic] = []
    silenced: list[Diagnostic] = []
    # In line order: the matchers answer in O(log n) when asked so.
    for rule, src, span, message, path, anchor in sorted(raw, key=lambda r: r[2].line):
        key = str(src.path)
        if key not in wanted or _ignored_for_file(rule.name, src, settings):
            continue
        matcher = matchers.get(key)
        # A finding that keeps its file from being checked is never silenced: an
        # ignore[schema] let lint pass a map nothing else had checked.
        hidden = (
            matcher is not None and rule.name not in INPUT_RULES and matcher.suppressed(rule.name, span.line)
        )
        severity = settings.severity(rule.name, rule.severity)
        if severity is not None:
            (silenced if hidden else out).append(
                Diagnostic(
                    rule.name,
                    rule.code,
                    severity,
                    src.display,
                    span,
                    shown(message),
                    _map_id(src),
                    path,
                    anchor,
                )
            )
    unused = all_rules()[UNUSED_SUPPRESSION]
    severity = settings.severity(unused.name, unused.severity)
    known = all_rules()
    for key, found in comments.items():
        src = by_file[key]
        if any(p.rule in INPUT_RULES for p in src.problems):
            continue  # the rules never ran on this file: its suppressions cannot be judged
        for s in found:
            for name in s.rules:
                off = name in known and settings.severity(name, known[name].severity) is None
                if name in s.used or off:
                    continue  # used, or its rule is off in this run: nothing to judge it by
                why = (
                    f"'{name}' is not a rule (see journeymaps rules)"
                    if name not in known
                    else _nothing(name, s)
                )
                if severity is not None and not _ignored_for_file(unused.name, src, settings):
                    message = f"unused suppression: {why}"
                    out.append(
                        Diagnostic(
                            unused.name,
                            unused.code,
                            severity,
                            src.display,
                            s.span,
                            shown(message),
                            _map_id(src),
                            anchor=text_anchor(src.text, s.span.line, message),
                        )
                    )
    return out, silenced


def _nothing(rule: str, s: suppressions.Suppression) -> str:
    lines = (
        f"line {s.target_line}" if s.last_line == s.target_line else f"lines {s.target_line}-{s.last_line}"
    )
    return f"nothing to ignore: {rule} reports nothing on {lines}"


def severity_in(rule: Rule, src: Source, settings: Settings) -> Severity | None:
    """The severity lint gives ``rule``'s findings in ``src``: the configured one, None when
    the rule is off or ignored for that file (``per-file-ignores``). What the site shows of a
    rule's judgement (a stale badge) follows it."""
    if _ignored_for_file(rule.name, src, settings):
        return None
    return settings.severity(rule.name, rule.severity)


def _ignored_for_file(rule: str, src: Source, settings: Settings) -> bool:
    if not settings.per_file_ignores:
        return False
    try:
        rel = absolute(src.path).relative_to(absolute(settings.root)).as_posix()
    except ValueError:
        rel = src.path.as_posix()
    return any(
        fnmatch(rel, pattern) and (rule in rules) for pattern, rules in settings.per_file_ignores.items()
    )


def _map_id(src: Source) -> str | None:
    if src.path.name in REGISTRY_FILES or not isinstance(src.data, dict):
        return None
    value = src.data.get("id")
    return value if isinstance(value, str) else None
