"""``journeymaps diff``: compare two revisions' maps, write the comparison, judge --check."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from journeymaps import diff, diff_formats, diff_site
from journeymaps.command_support import EXIT_FINDINGS, echo_all, fail, os_reason, project_settings, say
from journeymaps.lint_command import UsageFailure, refuse_overwriting_inputs, write_file


def run(
    *,
    base: str,
    head: str | None,
    fmt: str,
    config: Path | None,
    today: dt.date | None,
    site_dir: Path | None,
    timeout: float,
    check: bool,
    strict: bool,
    outputs: list[tuple[str, Path]],
) -> None:
    """Compare ``base`` with ``head`` and print it (see ``diff --help`` for the exit codes)."""
    if strict and not check:
        fail("--strict is for --check: only --check makes diff exit 1")
    cwd = Path.cwd()
    settings = project_settings(cwd, config)
    if head is None and "..." in base and not Path(base).is_dir():
        head = base.partition("...")[2] or None  # as git diff A...B: up to B (A... : the working tree)
    # Before anything runs, as lint: never over a map, a registry or the settings the
    # comparison reads (the working tree's maps folders, or the folders compared).
    read = [r for r in settings.roots() if r.exists()]
    read += [Path(side) for side in (base, head) if side and Path(side).is_dir()]
    try:
        refuse_overwriting_inputs(outputs, read, settings, option="--output", what="a comparison")
    except UsageFailure as exc:
        fail(str(exc))
    try:
        # Each revision with the settings committed there, in the project's folder: read with
        # the working tree's, a pull request turning a rule off hid its errors on both sides.
        # A --config file is read at each revision under its name too (outside the
        # repository, it has no revision: both sides read it).
        names = (settings.file.name,) if config is not None and settings.file else diff.SETTINGS_FILES
        comparison = diff.run(base, head, settings, cwd, today or dt.date.today(), names)
    except diff.DiffError as exc:
        fail(str(exc))
    if head is None and config is None:
        # The gate reads the working tree with the top settings, the pre-commit hook (lint
        # naming files) with the nearest: a settings file in the maps folders judged the same
        # maps otherwise there, and only lint said so.
        from journeymaps.nested_settings import overlaps
        from journeymaps.project import collect
        from journeymaps.reading import linked_out

        # Not a maps folder that a link takes out of the project: lint refuses it unread
        # (its finding is in the comparison), and this walk listed the machine's folder.
        roots = [r for r in settings.roots() if r.exists() and linked_out(r, settings.root) is None]
        maps = collect(roots, settings.exclude, settings.root)
        for overlap in overlaps(settings, maps, cwd):
            say(overlap, err=True)  # names a folder of the repository's: escaped, as lint's notes
    if comparison.files_read == 0:
        # Maps kept elsewhere (the action's paths input, with no settings to say so): "No
        # change to any journey map", and --check passed whatever they held.
        from journeymaps.project import display_path

        folders = ", ".join(display_path(r, cwd) for r in settings.roots())
        fail(
            f"nothing to compare: no file in the maps folders ({folders}) of {base} nor of "
            f"{head or 'the working tree'}; diff compares the folders the settings name (paths in "
            "journeymaps.toml)"
        )
    if site_dir is not None:
        from journeymaps.site.staging import SiteError

        try:
            diff_site.write_site(comparison, site_dir, timeout=timeout)
        except SiteError as exc:
            fail(str(exc))
        except OSError as exc:  # the output side, as build's
            fail(f"cannot write the diagrams to {site_dir.as_posix()}/: {os_reason(exc, writing=True)}")
        # On stderr: the comparison on stdout often goes to a file (a pull-request comment).
        # Nothing said where the page was, nor that it was written.
        click.echo(f"Wrote the before/after diagrams: open {(site_dir / 'index.html').as_posix()}", err=True)
    shown = diff_formats.FORMATS[fmt](comparison)
    # The same comparison in other formats (the action: the pull-request comment to a file,
    # annotations on standard output), each file whole or not at all, as lint's --output.
    # Before anything is printed: annotations printed before a file failed (exit 2) were
    # printed again by the action's lint, which annotates when the diff could not.
    for name, path in outputs:
        try:
            write_file(path, diff_formats.for_file(name, comparison))
        except UsageFailure as exc:
            fail(str(exc))
    echo_all(shown)
    if check:
        from journeymaps.diff_check import verdict

        said, fails = verdict(comparison, strict)
        # On stderr too: the comparison often goes to a file (a pull-request comment), and
        # the job's log should still say why it failed.
        # Escaped: a map moved to a file named with a line break and '::error ...' wrote a
        # line GitHub's runner took for a workflow command (it reads standard error too).
        for line in said:
            say(line, err=True)
        if fails:
            sys.exit(EXIT_FINDINGS)
