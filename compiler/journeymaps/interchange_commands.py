"""``journeymaps export`` and ``journeymaps import``: maps to and from another tool's format."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from journeymaps import schema_copies
from journeymaps.command_support import (
    EXIT_FINDINGS,
    echo_all,
    fail,
    os_reason,
    project_settings,
    say,
    target_paths,
)
from journeymaps.interchange import (
    InterchangeError,
    NotAMap,
    TooLarge,
    dropped_words,
    export,
    import_journey,
    read_text,
    write_exports,
)
from journeymaps.lint_command import UsageFailure, refuse_overwriting_inputs
from journeymaps.mermaid import MermaidError
from journeymaps.output import AlreadyThere, FileSet
from journeymaps.reading import Refused, read_regular, read_stream
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.reporters.base import one_line, plural
from journeymaps.rules import all_rules
from journeymaps.rules.input import MERMAID_SYNTAX, SCHEMA, UNREADABLE_FILE


def run_export(
    *, paths: tuple[Path, ...], fmt: str, map_ids: tuple[str, ...], out: str | None, config: Path | None
) -> None:
    """Export the maps of ``paths`` (those ``map_ids`` name) in ``fmt`` to ``out`` or standard output."""
    cwd = Path.cwd()
    settings = project_settings(cwd, config, paths)
    targets = target_paths(paths, settings)
    # "-o journeys/" with one map wrote a file named journeys, a folder with two
    folder = out is not None and out.endswith(("/", os.sep))
    # '-' is standard output, as for every tool that takes -o (it wrote a file named -)
    to = Path(out) if out not in (None, "-") else None
    try:
        # -o maps/m.yaml replaced the map with its journey, without a word
        refuse_overwriting_inputs([("", to)] if to else [], targets, settings, option="-o", what="an export")
        exported = export(targets, settings, cwd, fmt, map_ids)
        written = write_exports(exported, fmt, to, folder=folder)
    except (InterchangeError, UsageFailure) as exc:
        # what could not be read first, in lint's words: it said only "no map to export"
        if isinstance(exc, InterchangeError) and exc.broken:
            REPORTERS["text"](Outcome(exc.broken, 0, 0, quiet=True), sys.stderr, False)
        fail(str(exc))
    if not written:
        echo_all(next(iter(exported.texts.values())))
    for path in written:
        say(f"Wrote {path.as_posix()}", err=True)
    if exported.left_out:
        click.echo(exported.left_out + ".", err=True)
    if exported.broken:  # what could not be read, in lint's words, and a failing exit
        REPORTERS["text"](Outcome(exported.broken, 0, 0, quiet=True), sys.stderr, False)
        sys.exit(EXIT_FINDINGS)


def _origin(source: Path, shown: str, cwd: Path, root: Path) -> str:
    """The source as the new map's first lines name it: from the project's folder when it is
    in it, else by its file name. The name as typed (``../../j.mmd`` from maps/billing)
    was wrong from the map's folder and the project's alike, and an absolute one put
    ``/home/alice/Downloads`` into a file meant to be committed."""
    if source == Path("-"):
        return shown
    full = Path(os.path.abspath(cwd / source))  # noqa: PTH100 - links kept, as named
    top = Path(os.path.abspath(root))  # noqa: PTH100
    return one_line((full.relative_to(top) if top in full.parents else Path(full.name)).as_posix())


def run_import(
    *, source: Path, fmt: str, map_id: str | None, owner: str | None, out: Path | None, config: Path | None
) -> None:
    """Write the map read from ``source`` (see ``import --help``); a finding exits 1."""
    cwd = Path.cwd()
    settings = project_settings(cwd, config)
    shown = "<stdin>" if source == Path("-") else one_line(source.as_posix())
    limit = settings.max_file_size_kb * 1024
    try:
        # As lint reads a map: a FIFO hung the import, /dev/zero filled the memory.
        raw = read_stream(sys.stdin.buffer, limit) if source == Path("-") else read_regular(source, limit)
    except (Refused, OSError) as exc:
        raw = str(exc) if isinstance(exc, Refused) else f"cannot read file: {exc.strerror or exc}"
    if isinstance(raw, str):
        _refused(shown, 1, 1, UNREADABLE_FILE, one_line(raw))
    try:
        path, text, parsed, warnings = import_journey(
            read_text(source, raw), _origin(source, shown, cwd, settings.root), settings, map_id, owner, out
        )
        # the map points its editor at the project's schema copy: written when missing, as by new
        # The map first: one that cannot be written leaves no schema/ behind (all or none).
        with FileSet(within=settings.root) as files:
            files.write(path, text.encode("utf-8"), new=True)  # never over one made meanwhile
            written = schema_copies.write_if_missing(settings.root / schema_copies.DEFAULT_FOLDER, files)
    except MermaidError as exc:
        _refused(shown, exc.line, exc.column, MERMAID_SYNTAX, str(exc))
    except TooLarge as exc:  # the rule lint would refuse the written map with
        from journeymaps.project import display_path

        _refused(
            shown, exc.line, exc.column, UNREADABLE_FILE, exc.words(one_line(display_path(exc.path, cwd)))
        )
    except NotAMap as exc:  # the schema finding lint would give the written map
        from journeymaps.project import display_path

        words = one_line(exc.words(one_line(display_path(exc.path, cwd))))
        _refused(shown, exc.line, exc.column, SCHEMA, words)
    except InterchangeError as exc:
        fail(str(exc))
    except AlreadyThere:  # made since it was looked for: another import of the same id
        fail(f"{path.as_posix()} already exists; choose another --id or --output")
    except OSError as exc:
        fail(os_reason(exc))
    from journeymaps.project import display_path

    for schema_path, _ in written:
        say(f"Wrote {display_path(schema_path, cwd)} (editors read it for completion).")
    steps = sum(len(sec.tasks) for sec in parsed.sections)
    say(
        f"Created {display_path(path, cwd)} from {shown}: {plural(len(parsed.sections), 'stage')}, "
        f"{plural(steps, 'step')}. "
        "Add the persona, evidence and pain points, then run journeymaps lint."
    )
    from journeymaps.scaffold import outside_note

    if (outside := outside_note(path, [Path(display_path(r, cwd)) for r in settings.roots()])) is not None:
        say(outside)
    if warnings:  # in lint's words, at the journey's lines: the map holds them as escapes
        REPORTERS["text"](Outcome(warnings, 0, 0, quiet=True), sys.stderr, False)
    if parsed.dropped:
        say(f"Not kept (a map has no place for them): {dropped_words(parsed.dropped)}.")


def _refused(shown: str, line: int, column: int, rule_name: str, words: str) -> NoReturn:
    """Stop on a finding of the map to import, said as lint says one (``file:line:col: CODE
    [rule] error: words``) on standard error, with lint's exit code for findings."""
    rule = all_rules()[rule_name]
    click.echo(f"{shown}:{line}:{column}: {rule.code} [{rule.name}] error: {words}", err=True)
    sys.exit(EXIT_FINDINGS)
