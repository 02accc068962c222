"""``journeymaps lint`` as a user runs it: settings, rule selection, the files to check
(standard input, --changed-since, --force-exclude), the baseline, the outputs and the exit
code. The click command only parses the options into LintOptions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import stat
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from journeymaps import baseline, reading
from journeymaps.diagnostics import Diagnostic
from journeymaps.output import link_out_of, write_output
from journeymaps.project import absolute, display_path
from journeymaps.records import record
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.reporters.base import one_line
from journeymaps.rules import Rule, all_rules, named_with, with_code_prefix
from journeymaps.rules.input import INPUT_RULES
from journeymaps.settings import (
    SETTINGS_NAMES,
    Settings,
    SettingsError,
    around,
    find_settings_file,
    holds_settings,
    load_settings,
)

if TYPE_CHECKING:
    from journeymaps.git import Changes
    from journeymaps.hook_reports import Notes
    from journeymaps.lint import Report
    from journeymaps.sources_kept import KeptSources

from journeymaps.command_support import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

STDIN = Path("-")


#: Why --ignore cannot drop the rules that keep a file from being checked.
ALWAYS = (
    "a file that cannot be read, or that has duplicate keys or format errors, is always "
    "reported (nothing else in it is checked)"
)


class UsageFailure(Exception):
    """The run cannot start (a bad option, baseline or revision): exit code 2."""


@record
class LintOptions:
    paths: tuple[Path, ...] = ()
    fmt: str = "auto"
    strict: bool = False
    exit_zero: bool = False
    config: Path | None = None
    today: dt.date | None = None
    colour: str = "auto"
    outputs: tuple[tuple[str, Path], ...] = ()
    baseline_file: Path | None = None
    since: str | None = None
    quiet: bool = False
    verbose: bool = False
    statistics: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    stdin_filename: Path | None = None
    force_exclude: bool = False
    staged_deletions: bool = False
    #: Run as pre-commit's hook (--pre-commit): maybe one of several runs of one commit.
    hook: bool = False


def output_format(choice: str) -> str:
    """``auto``: GitHub annotations under GitHub Actions (as yamllint's ``-f auto``), else text."""
    if choice != "auto":
        return choice
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_colour(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ


def run(opts: LintOptions, cwd: Path) -> int:
    """Lint, print, write the outputs; the exit code. UsageFailure for a run that cannot start."""
    if not opts.hook:
        return _run(opts, cwd)
    # pre-commit splits a long list of files into several runs: a note is said once for all.
    from journeymaps import hook_reports

    global _hook_notes
    _hook_notes = hook_reports.notes([os.fsdecode(p) for p in opts.paths])
    try:
        return _run(opts, cwd)
    finally:
        hook_reports.keep_notes(_hook_notes)
        _hook_notes = None


def _run(opts: LintOptions, cwd: Path) -> int:
    from journeymaps.lint import Inputs, lint, read_inputs
    from journeymaps.reading import read_stream

    # Statistics are a table, not annotations: auto means text for them, under Actions too.
    fmt = "text" if opts.statistics and opts.fmt == "auto" else output_format(opts.fmt)
    if opts.statistics and fmt not in ("text", "json"):
        raise UsageFailure("--statistics prints text or json: choose --format text or --format json")
    reporter = REPORTERS[fmt]
    colour = use_colour(opts.colour, sys.stdout)
    try:
        # --stdin-filename alone reads standard input, as ruff's does; beside other paths it
        # would be ignored (their files linted, the text piped in not), so it is refused.
        stdin = STDIN in opts.paths or (opts.stdin_filename is not None and not opts.paths)
        if stdin and len(opts.paths) > 1:
            raise UsageFailure("'-' (standard input) cannot be combined with other paths")
        if opts.stdin_filename is not None and not stdin:
            raise UsageFailure(
                "--stdin-filename names the file read from standard input: "
                "give '-' as the only PATH, or no PATH"
            )
        if stdin and opts.stdin_filename and _stdin_path(opts, cwd).is_dir():
            # '' or 'x/..' named a folder, and standard input was checked as its first file.
            raise UsageFailure(f"--stdin-filename: a folder, not a file: {opts.stdin_filename}")
        # The settings of the project the maps are in (standard input: of --stdin-filename's).
        given = ([_stdin_path(opts, cwd)] if opts.stdin_filename else []) if stdin else list(opts.paths)
        # Deletions alone (pre-commit named no file): the project of the files deleted, which
        # may be in a folder below the one pre-commit runs in.
        deleted = _deletions(opts, stdin, _maps_folder(given, cwd))
        only_deleted = deleted is not None and not opts.paths
        unsettled: list[Path] = []  # settings files deleted, with no project left around them
        if only_deleted:
            assert deleted is not None
            # A workflow deleted beside them has no project: the first file that has one.
            projects = [p for p in deleted.paths if find_settings_file(p.parent) is not None]
            # Settings deleted, and none left above them: their folder, if it has maps, was
            # the project's (a fixture's settings deleted elsewhere is no project).
            unsettled = [
                p
                for p in ([] if projects else deleted.paths)
                if _held_settings(p, deleted) and Settings(root=absolute(p.parent)).existing_roots()
            ]
            given = (projects or unsettled or deleted.paths)[:1]
        settings = select_rules(load_settings(cwd, opts.config, given), opts.select, opts.ignore)
        if deleted is not None and opts.config is None and _untracked(settings.file, deleted):
            # git rm --cached: the commit has no settings file, whatever the disk holds
            # (read, the rules it turned off stayed off, and the hook passed what lint fails).
            assert settings.file is not None
            settings = select_rules(Settings(root=absolute(settings.file.parent)), opts.select, opts.ignore)
        if unsettled and settings.file is None:
            # Its maps folders are found from there, not from where pre-commit runs (the
            # repository's top): none found, the hook said "Nothing to check" and passed.
            settings = dataclasses.replace(settings, root=absolute(unsettled[0].parent))
        if only_deleted:
            assert deleted is not None
            deleted = dataclasses.replace(
                deleted,
                paths=[
                    p
                    for p in deleted.paths
                    if (
                        _in_project(p, settings)
                        and (p in deleted.kept_on_disk or deleted.merging or _read_by_maps(p, settings))
                    )
                    or _settings_gone(p, deleted, settings)
                ],
            )
            if not deleted.paths:
                # pre-commit runs the hook on every commit (always_run): one that touches no
                # map and deletes none of the project's files has nothing to check, and the
                # whole project's old findings would fail it.
                nothing = Outcome([], 0, 0, quiet=opts.quiet)
                reporter(nothing, sys.stdout, colour)
                _write_outputs(opts.outputs, nothing)
                return EXIT_OK
        targets = [_stdin_path(opts, cwd)] if stdin else list(opts.paths) or default_targets(settings)
        targets = [_by_maps_folder(p, cwd, settings) for p in targets]
    except SettingsError as exc:
        # Written even so (an upload step after this still finds its file), but never as
        # the settings file: the user's broken settings were replaced by the report.
        starts = [_stdin_path(opts, cwd)] if opts.stdin_filename else list(opts.paths)
        refuse_settings_places(opts.outputs, [*starts, cwd], opts.config, option="--output", what="a report")
        failed = Outcome([], 0, 0, notifications=exc.diagnostics, quiet=opts.quiet)
        reporter(failed, sys.stdout, colour)
        _write_outputs(opts.outputs, failed)  # an upload step after this still finds its file
        return EXIT_USAGE
    if opts.force_exclude and not stdin:
        _refuse_settings_without_maps(opts.paths, settings, cwd)
    refuse_overwriting_inputs(
        opts.outputs,
        targets,
        settings,
        option="--output",
        also=[opts.baseline_file] if opts.baseline_file else [],
    )
    known = _load_baseline(opts.baseline_file, cwd)
    changes = _changes(opts.since, _maps_folder(targets, cwd))
    named = (
        []
        if stdin or changes is not None or not opts.paths
        else [p for p in targets if not reading.is_folder(p)]
    )
    if only_deleted:
        targets = []  # the maps folders are read below, as when files are named
    given = targets
    if named or deleted is not None:
        # pre-commit names the changed files only: a team deleted, a pain point renamed or a
        # map's id changed broke maps nobody named, and the commit passed. Every map of the
        # project is read and judged in any case (cross-map rules need them), so those the
        # named files can break are reported too, at no cost.
        # Paths given need no maps folder of the settings': one missing is passed over here
        # (``lint`` alone reports it), as for ``lint maps`` (it was an internal error).
        targets = [*targets, *(root for root in settings.roots() if root.exists())]
    read = read_inputs(targets, settings)
    target_files = read.targets
    if opts.force_exclude:
        # Nor a TOML file pre-commit names (for a settings change): one in a maps folder was
        # read as a map and failed the hook, where lint's walk, YAML only, never reads it.
        target_files = [
            f for f in target_files if _in_maps_folders(f, settings) and f.suffix.lower() != ".toml"
        ]
    if settings.file is not None and not stdin:
        # The settings file in use, named (`lint journeymaps.toml` after editing it): a change
        # to it checks every file (said below), and it is no map. It was read as one: "JM004
        # expected a mapping ... a journey map needs id, title and stages", and exit 1.
        in_use = os.path.realpath(settings.file)
        target_files = [f for f in target_files if os.path.realpath(f) != in_use]
    # --force-exclude asks for the skipping (pre-commit names every staged YAML file): a line
    # per skipped file on every commit was noise, so it names them only when asked, as ruff's.
    if not stdin and not opts.quiet and (opts.verbose or not opts.force_exclude):
        _skipped_notes(targets, read.targets, target_files, settings.file)
    contents: dict[Path, bytes | str] = dict(read.contents)
    files = read.files
    if opts.force_exclude:
        # Nor is a file skipped one of the project's maps: a draft copied to the top and staged
        # made its map a duplicate-id in the hook, and in no lint of CI's nor on the site.
        skipped = set(read.targets) - set(target_files)
        files = [f for f in files if f not in skipped]
    if deleted is not None and deleted.not_in_git:
        # Files git does not have are not in the commit: not read (a map nobody added
        # passed the hook), each said, but for those the commit untracks (said deleted).
        kept = {absolute(p) for p in deleted.kept_on_disk}
        for f in target_files:
            if deleted.outside_git(f) and absolute(f) not in kept and not opts.quiet:
                _note(f"{display_path(f, cwd)}: not checked, git does not have it (git add it to commit it)")
        target_files = [f for f in target_files if not deleted.outside_git(f)]
        files = [f for f in files if not deleted.outside_git(f)]
    as_file: Path | None = None
    if stdin:
        as_file = target_files[0] if target_files else absolute(targets[0])
        contents[as_file] = read_stream(sys.stdin.buffer, settings.max_file_size_kb * 1024)
        if as_file not in files:
            files = [*files, as_file]
    if opts.config is None and not opts.quiet:
        from journeymaps.nested_settings import overlaps

        for overlap in overlaps(settings, files, cwd):
            _note(overlap)
    # The rules read photos, snapshots and schema copies themselves: those git does not have
    # are not there for them either (CI's checkout has none of them).
    absent = _NotInGit(deleted) if deleted is not None and deleted.not_in_git else None
    started = time.perf_counter()
    parsed_before = _kept_sources(settings, files)
    memo = parsed_before.memo() if parsed_before is not None else None
    report = lint(
        target_files,
        settings,
        opts.today or dt.date.today(),
        cwd,
        inputs=Inputs(target_files, files, contents, absent),
        memo=memo,
    )
    #: Each teams.yaml deleted that the owners are judged with: what the run does about it.
    registries_gone: dict[Path, str] = {}
    if (change := changes or deleted) is not None:
        # Without a teams.yaml no owner is checked: the maps are judged with the one deleted,
        # as diff judges them (a gate passed a map naming a team that does not exist).
        from journeymaps import teams_gone
        from journeymaps.changed import under_maps

        registries = teams_gone.deleted(
            change.paths,
            change.before,
            report,
            lambda p: under_maps(p, settings, report),
            kept_on_disk=change.kept_on_disk,
        )
        if registries:
            inputs = Inputs(target_files, [*files, *registries], {**contents, **registries}, absent)
            again = lint(target_files, settings, opts.today or dt.date.today(), cwd, inputs=inputs)
            went = f"was deleted since {opts.since}" if changes is not None else _went(change)
            report = teams_gone.judged(
                report, again, f"; that teams.yaml {went}, and without one no owner is checked"
            )
            registries_gone = {
                absolute(p): "without a teams.yaml no owner is checked, so the maps' owners are "
                f"checked against it as it was at {opts.since or change.since or 'HEAD'}"
                for p in registries
            }
    if absent is not None and not opts.quiet:
        # Said once each: the finding ("no file 'photos/ana.png'") names a file on the disk.
        kept = {absolute(p) for p in absent.changes.kept_on_disk}
        for path in sorted(absent.hidden - kept):
            _note(f"{display_path(path, cwd)}: not read, git does not have it (git add it to commit it)")
    outcome = Outcome(
        report.diagnostics,
        report.files,
        report.maps,
        targets=report.targets,
        not_maps=report.not_maps,
        folders=report.folders,
        strict=opts.strict,
        raw_names=report.raw_names,
        seconds=time.perf_counter() - started,
        quiet=opts.quiet,
    )
    if changes is not None:
        from journeymaps.changed import affected

        scope = affected(report, changes.paths, changes.before, settings, cwd, gone=registries_gone)
        recorded = opts.baseline_file if known is not None else None
        if recorded is not None and absolute(recorded) in changes.paths:
            # An entry dropped shows a known finding again, in files nobody touched.
            scope.files |= {s.display for s in report.sources if s.display in report.targets}
            scope.reasons.append(f"{display_path(recorded, cwd)} changed: every file is checked")
        outcome = _only(outcome, scope.files, report.kinds)
        if not opts.quiet:
            for reason in scope.reasons:
                _note(f"--changed-since {opts.since}: {reason}")
            if not scope.files:
                _note(f"No map changed since {opts.since}.")
    elif named or deleted is not None:
        from journeymaps.changed import Scope, affected

        scope = (
            affected(report, [absolute(p) for p in named], lambda _: {}, settings, cwd, named=True)
            if named
            else Scope()
        )
        if deleted is not None and deleted.paths:
            gone = affected(
                report,
                deleted.paths,
                deleted.before,
                settings,
                cwd,
                went=_went(deleted),
                gone=registries_gone,
                kept_on_disk=deleted.kept_on_disk,
            )
            # Once each: "is deleted (staged)", then "was deleted: the maps that use it are
            # checked", then a note, were three lines of one teams.yaml deleted.
            said = [
                f"{display_path(p, cwd)} {_went(deleted)}"
                + ("; the untracked file left on disk is not read" if p in deleted.kept_on_disk else "")
                for p in deleted.paths
                if absolute(p) not in gone.said
                and (not os.path.lexists(p) or p in deleted.kept_on_disk)  # not a link staged
            ]
            scope.files |= gone.files
            scope.reasons[:0] = [*said, *gone.reasons]
            if deleted.merging:
                scope.reasons.insert(
                    0, "a merge is committed: every file it stages is checked, not only those in conflict"
                )
        outcome = _only(outcome, (scope.files | _asked(report, given)) & set(report.targets), report.kinds)
        if not opts.quiet:
            for reason in scope.reasons:
                _note(reason)
    if known is not None:
        # The whole project, or the paths asked about, speak for their deleted files' entries.
        whole = not (stdin or changes is not None or opts.paths or deleted is not None)
        asked = baseline.under(opts.paths, cwd) if opts.paths and not stdin and changes is None else None
        # --select and --ignore: the entries of the rules left out were not checked
        ran = _rules_run(settings) if opts.select or opts.ignore else None
        applied = baseline.apply(
            outcome.diagnostics, known, outcome.targets, whole=whole, named=asked, rules=ran
        )
        outcome = dataclasses.replace(outcome, diagnostics=applied.shown)
        if not opts.quiet:
            _baseline_notes(applied, opts.baseline_file, known.unusable)
    if opts.statistics:
        print_statistics(outcome, fmt, sys.stdout)
    else:
        reporter(outcome, sys.stdout, colour)
    if opts.hook:
        # pre-commit splits a long list of files into several runs: each report holds them all.
        from journeymaps.hook_reports import merged

        for name, path in opts.outputs:
            write_report(name, path, merged(path, outcome, [os.fsdecode(p) for p in opts.paths]))
    else:
        _write_outputs(opts.outputs, outcome)
    if parsed_before is not None and memo is not None:
        sys.stdout.flush()  # the findings are shown while the files are kept
        parsed_before.keep_new(memo, leave_out=as_file)
    failing = sum(1 for d in outcome.diagnostics if outcome.fails(d))
    return EXIT_FINDINGS if failing and not opts.exit_zero else EXIT_OK


#: A lint of a project of this many files or more starts from the files its last lint parsed:
#: below, reading and writing them costs about what parsing saves, and a one-file lint of a
#: small project (the editor's and the hook's usual case) imports nothing it does not use.
KEEP_PARSED_FROM = 100


def _kept_sources(settings: Settings, files: Sequence[Path]) -> KeptSources | None:
    """Where a lint of a large project starts from the files its last lint parsed (see
    :mod:`journeymaps.sources_kept`); None for a small one."""
    if len(files) < KEEP_PARSED_FROM:
        return None
    from journeymaps.sources_kept import LINT, KeptSources

    return KeptSources(settings.root, LINT)


def default_targets(settings: Settings) -> list[Path]:
    """The settings' maps folders (SettingsError for one named there that is missing)."""
    roots = settings.existing_roots()
    if settings.paths_at is None:  # the default folder (one the settings name is refused there)
        for name, root in zip(settings.paths, settings.roots(), strict=True):
            if root in roots and (holds := around(root, settings.root)) is not None:
                raise UsageFailure(
                    f"{name}, the default maps folder, is {holds}: every YAML file in it would be read "
                    "as a map; name the folder that holds the maps (on the command line, or as paths "
                    "in journeymaps.toml)"
                )
    if not roots:
        names = ", ".join(p.as_posix() for p in settings.roots())
        raise UsageFailure(
            f"no maps folder found ({names}): name the maps to use, or start a maps repository here "
            "with 'journeymaps init'"
        )
    return roots


def select_rules(settings: Settings, select: Iterable[str], ignore: Iterable[str]) -> Settings:
    """Settings with only the selected rules on (at their configured severity, or their
    default one where the settings turned them off), minus the ignored ones. A file that
    cannot be read, or has duplicate keys or format errors, is always reported: nothing
    else in it was checked."""
    chosen = _resolve(select, "--select")
    dropped = _resolve(ignore, "--ignore")
    if not chosen and not dropped:
        return settings
    rules = dict(settings.rules)
    for name in all_rules():
        if name in INPUT_RULES:
            continue
        if (chosen and name not in chosen) or name in dropped:
            rules[name] = "off"
        elif chosen and rules.get(name) == "off":
            del rules[name]
    return dataclasses.replace(settings, rules=rules)


def _rules_run(settings: Settings) -> frozenset[str]:
    """The rules a run with ``settings`` runs: those not turned off."""
    rules = all_rules().items()
    return frozenset(name for name, rule in rules if settings.severity(name, rule.severity) is not None)


def _resolve(values: Iterable[str], option: str) -> set[str]:
    """Rule names from names, codes (JM201) and code prefixes (JM2), comma-separated. An
    empty one (``--select ''``, ``JM2,,JM3``) is refused, as ruff refuses it: it selected
    every rule, without a word. Rules that report a file that cannot be read are never
    ignored: --ignore naming one (or a prefix holding one: JM, JM0) is refused, in the words
    the user gave."""
    rules = all_rules()
    out: set[str] = set()
    for value in values:
        for word in (w.strip() for w in value.split(",")):
            if not word:
                raise UsageFailure(
                    f"{option} {value!r}: an empty rule name; give names, codes or code prefixes "
                    "(e.g. missing-owner, JM201, JM2), comma-separated"
                )
            found = _matching(word, rules)
            if not found:
                import difflib

                close = named_with(word) or difflib.get_close_matches(
                    word, [*rules, *(r.code for r in rules.values())], n=1
                )
                if len(close) > 1:  # a word of their names (--select stale)
                    hint = f" (rules named with it: {', '.join(close)})"
                else:
                    hint = (
                        f" (did you mean '{close[0]}'?)"
                        if close
                        else "; run 'journeymaps rules' for the list"
                    )
                raise UsageFailure(f"{option} {word}: no rule has this name or code{hint}")
            if option == "--ignore" and (fatal := sorted(found & INPUT_RULES, key=lambda n: rules[n].code)):
                if len(found) == 1:  # the rule itself, by name or code
                    raise UsageFailure(f"--ignore {word}: {ALWAYS}")
                raise UsageFailure(
                    f"--ignore {word}: it takes in {', '.join(fatal)}, and {ALWAYS}; "
                    "ignore narrower codes (e.g. JM2)"
                )
            out |= found
    return out


def _matching(word: str, rules: dict[str, Rule]) -> set[str]:
    if word.lower() in rules:  # names in any case, as codes (explain reads them alike)
        return {word.lower()}
    upper = word.upper()
    if upper == "ALL":
        return set(rules)
    return {r.name for r in with_code_prefix(upper) if r.name in rules}


def _stdin_path(opts: LintOptions, cwd: Path) -> Path:
    """Where standard input pretends to be: --stdin-filename decides the settings, per-file
    ignores and registries that apply, and the name findings show."""
    return absolute(cwd / opts.stdin_filename) if opts.stdin_filename else absolute(cwd / "-")


def _in_maps_folders(path: Path, settings: Settings) -> bool:
    roots = [absolute(r) for r in settings.roots()]
    return any(r == path or r in path.parents for r in roots)


def _by_maps_folder(path: Path, cwd: Path, settings: Settings) -> Path:
    """A path named on the command line as its maps folder names it (see
    :meth:`Settings.by_maps_folder`): named where a linked maps folder leads, as pre-commit
    names it, --force-exclude skipped it (the hook passed any error), and lint read it twice,
    a duplicate-id of itself."""
    if path == STDIN:
        return path
    named = absolute(cwd / path)
    through = settings.by_maps_folder(named)
    return path if through == named else through


def _load_baseline(file: Path | None, cwd: Path) -> baseline.Baseline | None:
    if file is None:
        return None
    try:
        return baseline.load(file, cwd)
    except baseline.BaselineError as exc:
        raise UsageFailure(str(exc)) from None


def _maps_folder(targets: list[Path], cwd: Path) -> Path:
    """Where the maps checked are (the first path linted, or its folder): the folder whose git
    repository --changed-since asks. The working folder's was asked: run from another
    repository, its changes were taken for the maps' (a map there sharing an id put unchanged
    maps here on the report). Not the settings' folder: it may be above the repository."""
    first = absolute(cwd / targets[0]) if targets else absolute(cwd)
    return first if reading.is_folder(first) else first.parent


def _changes(since: str | None, cwd: Path) -> Changes | None:
    if since is None:
        return None
    from journeymaps import git

    try:
        return git.changed_since(since, cwd)
    except git.GitError as exc:
        raise UsageFailure(f"--changed-since {since}: {exc}") from None


def _deletions(opts: LintOptions, stdin: bool, cwd: Path) -> Changes | None:
    """With --staged-deletions, the files git's index deletes (see
    :func:`journeymaps.git.staged_deletions`); otherwise None."""
    if not opts.staged_deletions:
        return None
    if stdin or opts.since is not None:
        raise UsageFailure(
            "--staged-deletions is for pre-commit: it cannot be combined with '-' "
            "or --changed-since (which counts deleted files itself)"
        )
    from journeymaps import git

    try:
        return git.staged_deletions(cwd)
    except git.GitError as exc:
        raise UsageFailure(f"--staged-deletions: {exc}") from None


def _refuse_settings_without_maps(paths: Sequence[Path], settings: Settings, cwd: Path) -> None:
    """UsageFailure when the settings of the files named have no maps folder: --force-exclude
    skipped every file as outside them. A journeymaps.toml put into maps/ (its maps folder
    maps/maps) said "every file is checked", then "Nothing to check: 0 files", and the hook
    passed every map under it."""
    if settings.file is None or any(root.exists() for root in settings.roots()):
        return
    root = absolute(settings.root)
    under = [
        p
        for p in paths
        if absolute(cwd / p).is_relative_to(root) and absolute(cwd / p) != absolute(settings.file)
    ]
    if not under:
        return
    folders = ", ".join(f"{display_path(r, cwd)}/" for r in settings.roots()) or "none"
    raise UsageFailure(
        f"{display_path(settings.file, cwd)} is the settings of {display_path(under[0], cwd)}, and "
        f"no maps folder it names exists ({folders}): every file named would be skipped "
        "unchecked (--force-exclude); set its paths to the maps folders, or move it to the "
        "project's top"
    )


def _untracked(path: Path | None, deleted: Changes) -> bool:
    """Whether ``path`` is a file git does not have (untracked, ignored, or untracked by the
    commit and left on disk)."""
    return path is not None and deleted.outside_git(path)


@dataclasses.dataclass
class _NotInGit:
    """Whether a file is one git does not have (:meth:`Changes.outside_git`), each such file
    the rules asked for kept, to be said."""

    changes: Changes
    hidden: set[Path] = dataclasses.field(default_factory=set)

    def __call__(self, path: Path) -> bool:
        if not self.changes.outside_git(path):
            return False
        self.hidden.add(absolute(path))
        return True


def _went(deleted: Changes) -> str:
    """How a file the hook finds deleted is said: staged, or since the revision pre-commit
    was given (a pre-push hook)."""
    return f"was deleted since {deleted.since}" if deleted.since else "is deleted (staged)"


def _in_project(path: Path, settings: Settings) -> bool:
    """A file of the project ``settings`` are for: in its folder (its maps, snapshots,
    photos, the settings themselves), or in a maps folder without settings."""
    if settings.file is not None:
        return absolute(path).is_relative_to(absolute(settings.root))
    return _in_maps_folders(absolute(path), settings)


#: What a persona's photo is named (see journeymaps.photos): a staged one is checked.
_PHOTO_SUFFIXES = (".png", ".gif", ".jpg", ".jpeg", ".webp")


def _read_by_maps(path: Path, settings: Settings) -> bool:
    """Whether a file staged that pre-commit did not name can change the maps' findings: one
    deleted, a link, a metrics snapshot, a photo, a copy of a schema. Not any other (a
    README): the hook runs on every commit, and read every map for none."""
    from journeymaps.measure.kpis import metrics_folder

    if not os.path.lexists(path) or path.is_symlink():
        return True
    here = absolute(path)
    return (
        absolute(metrics_folder(settings)) in here.parents
        or here.suffix.lower() in _PHOTO_SUFFIXES
        or _schema_copy(here)
    )


#: How much of a staged JSON file is read to tell a JSON Schema (its "$schema" comes first).
_SCHEMA_HEAD = 4096


def _schema_copy(path: Path) -> bool:
    """A JSON file that may be a copy of a schema the maps' editor comments point at (by its
    name, or by any name when it is a JSON Schema): a commit changing only the copy (an old
    version written back) left the maps pointing at it unchecked, and schema-reference, set
    to error, passed the hook while lint failed."""
    from journeymaps.validate import SCHEMA_FILES

    if path.suffix.lower() != ".json":
        return False
    if path.name in SCHEMA_FILES.values():
        return True
    from journeymaps.reading import Refused, read_head

    try:  # checked on the open file: a FIFO swapped in after a look would never end the read
        return b'"$schema"' in read_head(path, _SCHEMA_HEAD)
    except (Refused, OSError):
        return False


def _settings_gone(path: Path, deleted: Changes, settings: Settings) -> bool:
    """A settings file deleted above the maps folders: they were the maps' settings, and
    every rule they turned off or down is back ("Nothing to check" passed the maps it
    failed)."""
    here = absolute(path)
    return _held_settings(here, deleted) and any(here.parent in absolute(r).parents for r in settings.roots())


def _held_settings(path: Path, deleted: Changes) -> bool:
    """A deleted file that held settings: a journeymaps.toml, or a pyproject.toml with
    [tool.journeymaps] (one without, a project's packaging gone, is no settings change)."""
    here = absolute(path)
    if here.name not in SETTINGS_NAMES:
        return False
    if here.name != "pyproject.toml":
        return True
    raw = deleted.before([here]).get(here)
    return raw is not None and holds_settings(raw.decode("utf-8", "replace"))


def _asked(report: Report, paths: Sequence[Path]) -> set[str]:
    """The files checked that the command line named, or that are in a folder it named."""
    files = {absolute(p) for p in paths if not reading.is_folder(p)}
    folders = [absolute(p) for p in paths if reading.is_folder(p)]
    return {
        s.display
        for s in report.sources
        if (path := absolute(s.path)) in files or any(path.is_relative_to(f) for f in folders)
    }


def _only(outcome: Outcome, files: set[str], kinds: Mapping[str, str]) -> Outcome:
    return dataclasses.replace(
        outcome,
        diagnostics=[d for d in outcome.diagnostics if d.file in files],
        files=len(files - outcome.folders),
        maps=sum(
            1
            for f in files
            if kinds.get(f) == "map" and f not in outcome.not_maps and f not in outcome.folders
        ),
        targets=frozenset(files),
        not_maps=outcome.not_maps & files,
        folders=outcome.folders & files,
    )


def _baseline_notes(applied: baseline.Applied, file: Path | None, unusable: int = 0) -> None:
    if unusable:  # hand-edited: they hide nothing, so a finding they were meant for shows
        they = "it hides" if unusable == 1 else "they hide"
        _note(
            f"{unusable} baseline {'entry' if unusable == 1 else 'entries'} in {file} cannot be used "
            f"({baseline.UNUSABLE}): {they} nothing; "
            f"'journeymaps baseline --prune -o {file}' removes {'it' if unusable == 1 else 'them'}."
        )
    if applied.hidden:
        s = "s" if applied.hidden != 1 else ""
        _note(f"{applied.hidden} known finding{s} in {file} not shown.")
    if applied.stale:
        n = len(applied.stale)
        _note(
            f"{n} baseline {'entry' if n == 1 else 'entries'} in {file} {'matches' if n == 1 else 'match'} "
            f"no finding any more (fixed, or changed): 'journeymaps baseline --prune -o {file}' "
            f"removes {'it' if n == 1 else 'them'}."
        )
        for e in applied.stale[:10]:
            # A hand-edited entry may lack any of them: "None: [None] None" said nothing.
            where, rule = e.get("file") or "(no file)", e.get("rule") or "?"
            _note(f"  {where}: [{rule}] {e.get('message') or ''}".rstrip())
        if n > 10:
            _note(f"  ... and {n - 10} more")


def print_statistics(outcome: Outcome, fmt: str, out: TextIO) -> None:
    """How many findings each rule has, most first (as ruff's --statistics)."""
    counts = Counter(d.rule for d in outcome.everything)
    rules = all_rules()
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], rules[kv[0]].code))
    if fmt == "json":
        data = [
            {
                "rule": name,
                "code": rules[name].code,
                "severity": _severity(outcome.everything, name),
                "count": n,
            }
            for name, n in rows
        ]
        out.write(json.dumps(data, indent=2) + "\n")
        return
    width = max((len(name) for name, _ in rows), default=0)
    for name, n in rows:
        out.write(f"{n:>5}  {rules[name].code}  {name:<{width}}  {_severity(outcome.everything, name)}\n")


def _severity(found: list[Diagnostic], rule: str) -> str:
    return next(d.severity.value for d in found if d.rule == rule)


def _write_outputs(outputs: Iterable[tuple[str, Path]], outcome: Outcome) -> None:
    for name, path in outputs:
        write_report(name, path, outcome)


def refuse_overwriting_inputs(
    outputs: Iterable[tuple[str, Path]],
    targets: Sequence[Path],
    settings: Settings,
    *,
    option: str,
    also: Sequence[Path] = (),
    what: str = "a report",
) -> None:
    """UsageFailure when a report would be written over a file the run reads: a map, a
    registry, the settings file or a measured snapshot (``--output json=maps/a.yaml``
    replaced the map with the report, without a word; ``json=metrics/a.json`` the snapshot,
    which CI cannot make again without the raw data). Checked before anything runs:
    nothing is written then."""
    from journeymaps.measure.kpis import metrics_folder

    read_files = {os.path.realpath(p) for p in (*targets, *also) if reading.is_file(p)}
    if settings.file is not None:
        read_files.add(os.path.realpath(settings.file))
    # The maps folders too: cross-map rules read them whole, whichever files are named
    # (``lint maps/a.yaml --output json=maps/teams.yaml`` replaced the registry).
    folders = [os.path.realpath(p) for p in (*targets, *settings.roots()) if reading.is_folder(p)]
    # And the registries beside a file named: each is read, there or not yet.
    beside = {
        os.path.realpath(p.parent / n) for p in targets if reading.is_file(p) for n in reading.REGISTRY_NAMES
    }
    try:
        snapshots = os.path.realpath(metrics_folder(settings))
    except ValueError:  # a NUL in the metrics setting: no snapshot is read
        snapshots = None
    outputs = list(outputs)
    for name, path in outputs:
        _refuse_a_new_map(name, path, settings, option=option, what=what)
        _refuse_a_link_out(name, path, settings, option=option, what=what)
        real = os.path.realpath(path)
        if not path.is_file():
            if real in beside:  # the next run would read it
                given = f"{name}={path.as_posix()}" if name else path.as_posix()
                raise UsageFailure(
                    f"{option} {one_line(given)}: lint reads a {path.name} beside the files it "
                    f"checks; {what} is never written there: name another file"
                )
            continue  # a new file (or a folder, refused when written): nothing to lose
        inside = path.suffix.lower() in (".yaml", ".yml") and any(
            os.path.commonpath((real, folder)) == folder for folder in folders
        )
        snapshot = path.suffix == ".json" and os.path.dirname(real) == snapshots  # noqa: PTH120
        if real in read_files or real in beside or inside or snapshot:
            given = f"{name}={path.as_posix()}" if name else path.as_posix()
            raise UsageFailure(
                f"{option} {one_line(given)}: that is a file this run reads; "
                f"{what} is never written over it: name another file"
            )
    refuse_settings_places(outputs, [*targets, Path.cwd()], settings.file, option=option, what=what)


def refuse_settings_places(
    outputs: Iterable[tuple[str, Path]],
    starts: Sequence[Path],
    settings_file: Path | None,
    *,
    option: str,
    what: str,
) -> None:
    """UsageFailure for an output that is the settings file in use, or one named as a
    settings file (journeymaps.toml, pyproject.toml) where journeymaps looks for its
    settings: the folder of a path in ``starts`` (the paths read, the working folder) or
    one above it. ``diff --output markdown=journeymaps.toml`` made the comment the
    project's settings file, and the next run failed on its invalid TOML."""
    settings = os.path.realpath(settings_file) if settings_file is not None else None
    searched = {os.path.realpath(p if reading.is_folder(p) else p.parent) for p in starts}
    for name, path in outputs:
        real = os.path.realpath(path)
        folder = os.path.dirname(real)  # noqa: PTH120
        looked_in = path.name in SETTINGS_NAMES and any(_within(start, folder) for start in searched)
        if real == settings or looked_in:
            given = f"{name}={path.as_posix()}" if name else path.as_posix()
            raise UsageFailure(
                f"{option} {one_line(given)}: journeymaps reads its settings from that file; "
                f"{what} is never written there: name another file"
            )


def _within(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or inside it (both real paths)."""
    try:
        return os.path.commonpath((path, folder)) == folder
    except ValueError:  # another drive
        return False


def _refuse_a_link_out(name: str, path: Path, settings: Settings, *, option: str, what: str) -> None:
    """UsageFailure for an output reached through a link in the project that leads out of
    it (see :func:`journeymaps.output.link_out_of`). A repository can hold such a link under
    the name CI writes its report to (``results.sarif -> ~/.bashrc``): the file it led to
    was replaced with the report. The user who means that file names it; a pipe or a
    device (``/dev/stdout``, a link to it) is written into, not replaced."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # through the link: /proc/self/fd/1 too
            return
    except OSError:
        pass  # not there yet: it would be made there
    if (said := link_out_of(path, settings.root)) is not None:
        given = f"{name}={path.as_posix()}" if name else path.as_posix()
        raise UsageFailure(f"{option} {one_line(given)}: {one_line(said)}")


def _refuse_a_new_map(name: str, path: Path, settings: Settings, *, option: str, what: str) -> None:
    """UsageFailure for an output that would be a new YAML file in a maps folder (and not
    excluded): the next run reads it as a map. ``export -o maps/journey.yaml`` wrote the
    Mermaid journey there, exit 0, and the next lint failed on it (yaml-syntax)."""
    from fnmatch import fnmatch

    if path.suffix.lower() not in (".yaml", ".yml") or path.exists():
        return  # an existing one is refused, or not, as a file the run reads
    real = os.path.realpath(path)
    for root in settings.roots():
        folder = os.path.realpath(root)
        if os.path.commonpath((real, folder)) != folder:
            continue
        rel = os.path.relpath(real, os.path.realpath(settings.root)).replace(os.sep, "/")
        if not any(fnmatch(rel, pattern) for pattern in settings.exclude):
            from journeymaps.project import display_path

            given = f"{name}={path.as_posix()}" if name else path.as_posix()
            shown = one_line(display_path(root, Path.cwd()))
            raise UsageFailure(
                f"{option} {one_line(given)}: that is in a maps folder, where the next run would read "
                f"{what} as a map: name a file outside {shown}/, or another extension"
            )


def write_report(name: str, path: Path, outcome: Outcome) -> None:
    """One ``--output FORMAT=FILE``, written whole or not at all."""
    buffer = io.StringIO()
    REPORTERS[name](dataclasses.replace(outcome, quiet=False), buffer, False)
    write_file(path, buffer.getvalue())


def write_file(path: Path, text: str) -> None:
    """A file ``--output`` names (lint's, diff's), in UTF-8, written whole or not at all:
    UsageFailure when it cannot be."""
    try:
        write_output(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageFailure(f"cannot write {path}: {exc.strerror}") from None


def _skipped_notes(
    named: Sequence[Path],
    collected: Sequence[Path],
    checked: Sequence[Path],
    settings_file: Path | None = None,
) -> None:
    """Say which files named on the command line are not checked, and why: the run said
    "All checks passed: 0 files" as if the file had been checked and found clean. The
    settings file in use is not: its own line says every file is checked."""
    kept, left = set(checked), set(collected)
    in_use = os.path.realpath(settings_file) if settings_file is not None else None
    for path in named:
        if reading.is_folder(path) or absolute(path) in kept or os.path.realpath(path) == in_use:
            continue
        if (link := _read_as(path, kept)) is not None:  # "excluded by the settings" was untrue
            _note(f"{one_line(path.as_posix())}: read as {one_line(link)}, the link to it")
            continue
        why = (
            "excluded by the settings (exclude)"
            if absolute(path) not in left
            else "TOML, not a map (--force-exclude)"
            if path.suffix.lower() == ".toml"
            else "outside the maps folders (--force-exclude)"
        )
        _note(f"{one_line(path.as_posix())}: skipped, {why}")


def _read_as(path: Path, checked: set[Path]) -> str | None:
    """The registry link ``path`` is read under (``maps/teams.yaml -> common/all-teams.yaml``,
    see :mod:`journeymaps.registry_links`), shown; None when it is not."""
    import os

    from journeymaps.project import display_path, kind_of

    real = os.path.realpath(path)
    return next(
        (display_path(p, Path.cwd()) for p in checked if kind_of(p) != "map" and os.path.realpath(p) == real),
        None,
    )


def _note(message: str) -> None:
    """One line on stderr. It may quote a baseline entry or a file's name: a line break
    there started a line of its own (on GitHub, ``::error`` on a line is a command to the
    runner), and an escape sequence or a direction control was written raw."""
    line = one_line(message)
    if _hook_notes is None or _hook_notes.new(line):
        print(line, file=sys.stderr)


#: While a run as pre-commit's hook goes: the notes the earlier runs of its commit said.
_hook_notes: Notes | None = None
