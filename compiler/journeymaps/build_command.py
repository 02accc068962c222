"""``journeymaps build``: lint, render and write the site, and say what it made."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from journeymaps.command_support import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    os_reason,
    output_folder,
    project_settings,
    say,
    say_error,
    target_paths,
)
from journeymaps.lint_command import UsageFailure, refuse_overwriting_inputs, write_report
from journeymaps.reporters.base import one_line, plural, printable
from journeymaps.site.build import BuildResult, build_date
from journeymaps.site.build import build as build_site
from journeymaps.site.staging import MARKER, SiteError


def run(
    *,
    paths: tuple[Path, ...],
    out: Path,
    strict: bool,
    renderer_name: str,
    timeout: float,
    jobs: int | None,
    config: Path | None,
    outputs: list[tuple[str, Path]],
    history_days: int | None,
) -> None:
    """Build the site of ``paths`` into ``out``; exits with the code ``build --help`` lists."""
    cwd = Path.cwd()
    settings = project_settings(cwd, config, paths)
    out = output_folder(out, settings.file, cwd)
    refuse_output_as_maps(paths, out)
    refuse_output_through_a_link_to_nothing(out, settings.root)
    if history_days is not None:
        settings = dataclasses.replace(settings, history_days=history_days)
    targets = target_paths(paths, settings)
    if jobs is not None:
        from journeymaps.site.diagrams import available_cores

        # Layout is CPU-bound: a worker more than the cores only costs a process (a Python
        # and a Graphviz of its own); a huge number ended in an internal error (OverflowError).
        jobs = min(jobs, available_cores())
    try:
        refuse_overwriting_inputs(outputs, targets, settings, option="--report")
    except UsageFailure as exc:
        fail(str(exc))
    # Files named from the project's folder (the settings file's), not from the folder the
    # build runs in: built from maps/, the site named them otherwise, its record said
    # "settings changed" and every page was made again, and the map pages lost their
    # latest change (the history names files from the project's folder).
    names_from = settings.root
    try:
        result = build_site(
            targets, settings, names_from, out, renderer=renderer_name, timeout=timeout, jobs=jobs
        )
    except SiteError as exc:
        fail(str(exc))
    except OSError as exc:  # the output side: a full disk, a file where a folder should be
        fail(f"cannot write the site to {out.as_posix()}/: {os_reason(exc, writing=True)}")
    summary = result.summary
    for line in (*summary.broken, *summary.failed, *result.refused):
        click.echo(line, err=True)
    if outputs:
        from journeymaps.diagram_failures import with_undrawn
        from journeymaps.lint import lint as run_lint

        # An up-to-date build did no linting: lint again, for the report only.
        report = result.report or run_lint(targets, settings, build_date(), names_from)
        report = with_undrawn(report, summary.undrawn)  # they failed the build: annotated too
        for name, path in outputs:
            try:
                write_report(name, path, report)
            except UsageFailure as exc:
                fail(str(exc))
    failed = bool(summary.broken or summary.failed or (strict and summary.errors))
    if not result.up_to_date:
        say(f"Building {out.as_posix()}/: {', '.join(result.reasons)}")
    say(outcome(out, result))
    if result.kept_unknown:
        say_error(kept_unknown_words(out, result.kept_unknown), prefix="journeymaps: warning: ")
    if result.replaced_users:
        say_error(replaced_users_words(out, result.replaced_users), prefix="journeymaps: warning: ")
    if result.dropped_users:
        say_error(dropped_users_words(out, result.dropped_users), prefix="journeymaps: warning: ")
    if paths and not result.summary.maps and not result.summary.broken:  # a broken map is listed
        # `journeymaps build docs`, or a folder of drafts the settings exclude: "Built site/:
        # 9 pages, 0 maps" and exit 0, the site of every map replaced by an empty one.
        named = ", ".join(p.as_posix() for p in paths)
        folders = ", ".join(settings.paths) or "none"
        say_error(
            f"no map in {named}: the site lists none (the settings' maps folders: {folders}; "
            "journeymaps build without a path builds them)",
            prefix="journeymaps: warning: ",
        )
    if result.up_to_date and strict and summary.errors:  # it failed, and said only "up to date"
        click.echo(f"journeymaps: {_findings_words(out, result)}; --strict fails on errors", err=True)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def replaced_users_words(out: Path, replaced: Sequence[str]) -> str:
    """What a build said of files added to the site by hand where it now writes its own."""
    shown = ", ".join(printable(x) for x in replaced[:5]) + (", ..." if len(replaced) > 5 else "")
    return (
        f"{plural(len(replaced), 'file')} added to {out.as_posix()}/ by hand ({shown}) "
        f"{'is' if len(replaced) == 1 else 'are'} now written by the build, which replaced "
        f"{'it' if len(replaced) == 1 else 'them'}: keep yours elsewhere, under another name"
    )


def dropped_users_words(out: Path, dropped: Sequence[str]) -> str:
    """What a build said of entries of the site neither files nor links (a FIFO, a socket)."""
    shown = ", ".join(printable(x) for x in dropped[:5]) + (", ..." if len(dropped) > 5 else "")
    return (
        f"left out of {out.as_posix()}/: {shown}, neither a file nor a link (a named pipe, a "
        "socket, a device), which no web host publishes"
    )


def kept_unknown_words(out: Path, kept: Sequence[str]) -> str:
    """What a build whose previous marker could not be read kept of the previous site."""
    shown = ", ".join(printable(x) for x in kept[:5]) + (", ..." if len(kept) > 5 else "")
    return (
        f"{out.as_posix()}/{MARKER} could not be read, so the build could not tell the files "
        f"it wrote from yours: kept {plural(len(kept), 'file')} it does not write ({shown}); "
        "delete those that are not yours"
    )


def refuse_output_through_a_link_to_nothing(out: Path, root: Path) -> None:
    """The default site folder reached through a link in the project that leads out of it
    to nothing (``site -> ~/.config/autostart``, a repository's link): the build made that
    folder and wrote the site there, though the user named no place. Refused as ``init``
    and ``new`` refuse it (see :func:`journeymaps.output.link_out_of`). A link out to a
    folder that is there (a web server's) is followed, and replaced only if journeymaps
    wrote it; so is one the user names with ``-o``, there or not."""
    from click.core import ParameterSource

    from journeymaps.output import link_out_of

    if click.get_current_context().get_parameter_source("out") is not ParameterSource.DEFAULT or out.exists():
        return
    if (said := link_out_of(out, root)) is not None:
        fail(one_line(said))


def refuse_output_as_maps(paths: Sequence[Path], out: Path) -> None:
    """``journeymaps build site``, the output named as the maps (as ``mkdocs build`` has no
    path, or ``-o`` read as a place): the site was replaced by one of no map, with exit 0."""
    site = Path(os.path.realpath(out))
    for path in paths:
        named = Path(os.path.realpath(path))
        if named == site or site in named.parents:
            fail(
                f"{path.as_posix()} is where the site is written, not maps: run journeymaps build "
                "without a path (the maps folders of the settings), name the maps folders, or give "
                "-o FOLDER to write the site elsewhere"
            )


def _findings_words(out: Path, result: BuildResult) -> str:
    """The findings' count, with where to read them: the site's findings page, by its path
    (none when there is nothing to read: it said "see site/findings.html" of 0 and 0)."""
    summary = result.summary
    counts = f"{plural(summary.errors, 'error')}, {plural(summary.warnings, 'warning')}"
    return f"{counts} (see {out.as_posix()}/findings.html)" if summary.errors or summary.warnings else counts


def outcome(out: Path, result: BuildResult) -> str:
    """What a build made, in one line: said by ``build``, and by ``serve`` of its first build."""
    if result.up_to_date:
        return f"{out.as_posix()}/ is up to date: no map, setting or template changed since the last build"
    summary = result.summary
    # A diagram that could not be drawn was counted as drawn ("9 drawn" beside its
    # diagram-failed error): it is counted apart.
    undrawn = f", {result.undrawn} could not be drawn" if result.undrawn else ""
    drawn = summary.diagrams - result.unchanged_diagrams - result.undrawn
    return (
        f"Built {out.as_posix()}/: {plural(summary.pages, 'page')}, {plural(summary.maps, 'map')}, "
        f"{plural(summary.diagrams, 'diagram')} ({drawn} drawn, "
        f"{result.unchanged_diagrams} from the cache{undrawn}); {_findings_words(out, result)}."
    )
