"""Thin click commands: parse options, call the pipeline, choose the exit code.

A command's options reach its module's ``run`` by name (``run(**options)``): the click
decorators declare the flags once, and ``run``'s keyword-only parameters, named as the
options' destinations, are their one typed list."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import math
import os
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from journeymaps import __version__
from journeymaps.command_support import (
    EXIT_PIPE,
    EXIT_USAGE,
    fail,
    os_reason,
    say,
    say_error,
)
from journeymaps.reporters import REPORTERS
from journeymaps.reporters.base import printable
from journeymaps.rules import all_rules
from journeymaps.validate import SCHEMA_FILES, id_problem, schema, too_long

if TYPE_CHECKING:
    from journeymaps.signals import Terminated


class RegistryChoice(click.Choice[str]):
    """A choice list read from its registry (``module.NAME``) only when click needs it, for
    help or to check a value: a one-file lint imports none of the other commands' modules
    (start-up is most of its time)."""

    def __init__(self, module: str, name: str) -> None:
        self.case_sensitive = True
        self._where = (module, name)
        self._choices: tuple[str, ...] | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            import importlib

            module, name = self._where
            self._choices = tuple(getattr(importlib.import_module(module), name))
        return self._choices

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        self._choices = tuple(value)


class RegistryValue:
    """A module's constant as an option's default, read only when click needs it (the command
    runs, or its help shows the default): the diagram options' module would cost a one-file lint
    ~10 % of its time. Callable, so click resolves it; not a function, so help shows its value."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)

    def __call__(self) -> Any:
        import importlib

        module, name = self._where
        return getattr(importlib.import_module(module), name)

    def __str__(self) -> str:
        return str(self())


if TYPE_CHECKING:
    _DateBase = click.ParamType[dt.date]
else:  # click < 8.2 has no generic ParamType at run time
    _DateBase = click.ParamType


class _Date(_DateBase):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


class _Given(click.Path):
    """A path option or argument: an empty one (an unset variable, ``-o "$OUT"``) is refused,
    not read as the current folder (``render -o ""`` and ``schema --write ""`` wrote into
    the project's root, ``build -o ""`` said ". exists"); so is ``-`` where standard input or
    output cannot be used (``baseline -o -`` wrote a file named ``-``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "":
            self.fail("an empty path (an unset variable?)", param, ctx)
        if value == "-" and not self.allow_dash:  # read as a file or folder named "-"
            self.fail("'-' (standard input or output) cannot be used here: name a file or folder", param, ctx)
        return super().convert(value, param, ctx)


class _MapFile(_Given):
    """The file ``new`` or ``import`` writes a map to: a name ending in a slash is a folder,
    refused (``-o journeys/`` wrote the map as a file named journeys)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.endswith(("/", os.sep)):
            self.fail(
                f"'{printable(value)}' names a folder: name the map's file (e.g. {printable(value)}ID.yaml)",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


class _Named(_Given):
    """A path to lint: one that is not there is a finding (unreadable-file), as ruff reports
    it; an empty one is refused, not read as the current folder (which lints the whole
    project)."""


class _Maps(_Given):
    """The maps a command reads, named on its command line: each must be there, and one that
    cannot be read is a finding (unreadable-file) in the run's format, as the same file is
    when found in a folder. click's own checks said "Usage: ... Path 'x.yaml' is not
    readable" of a file, and "does not exist" of one in a folder the user may not enter,
    with nothing in the report."""

    def __init__(self) -> None:
        super().__init__(readable=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        try:
            Path(path).stat()
        except (FileNotFoundError, NotADirectoryError):
            self.fail(f"Path {printable(os.fspath(value))!r} does not exist.", param, ctx)
        except OSError:  # it cannot be looked at: reading it says why, at the file
            pass
        return path


_MAPS = _Maps()


if TYPE_CHECKING:
    _SecondsBase = click.ParamType[float]
else:
    _SecondsBase = click.ParamType


class _Seconds(_SecondsBase):
    """Seconds, from 0.1 to a day: "nan", "inf" and 1e308 were internal errors (a layout's
    deadline is counted in whole ticks). Refused in words: click's FloatRange said "'abc' is
    not a valid float range" and "0.0 is not in the range 0.1<=x<=86400"."""

    name = "seconds"
    LEAST, MOST = 0.1, 86400.0
    _RANGE = "give 0.1 to 86400 (a day), e.g. --timeout 30"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        shown = repr(value) if isinstance(value, str) else repr(f"{value}")
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{shown} is not a number of seconds; {self._RANGE}", param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{shown} is not a number of seconds; {self._RANGE}", param, ctx)
        if seconds <= 0:
            self.fail(f"{shown} is not a positive number of seconds; {self._RANGE}", param, ctx)
        if seconds < self.LEAST:
            self.fail(f"{shown} seconds is too short for a layout; {self._RANGE}", param, ctx)
        if seconds > self.MOST:
            self.fail(f"{shown} seconds is more than a day; {self._RANGE}", param, ctx)
        return seconds


#: Options several commands share, declared once.
config_option = click.option(
    "--config",
    "config",
    type=_Given(exists=True, dir_okay=False, path_type=Path),
    help="Settings file (default: the nearest journeymaps.toml or pyproject.toml above the "
    "first path named, else above the current folder).",
)
#: ... for the commands that name no maps (diff, import): found from the current folder.
config_here_option = click.option(
    "--config",
    "config",
    type=_Given(exists=True, dir_okay=False, path_type=Path),
    help="Settings file (default: the nearest journeymaps.toml or pyproject.toml above the current folder).",
)


def _schema_id(definition: str) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A callback refusing, as a usage error, an id the map schema refuses (``$defs.id`` or
    ``teamId``): ``new`` and ``import`` wrote a map lint then refused (``--owner ../../x``),
    or failed on a 300-character id with "File name too long"."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and (problem := id_problem(value, definition)) is not None:
            raise click.BadParameter(printable(problem))
        return value

    return check


def _utf8_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A text option refused, as a usage error, when it holds a byte that is not UTF-8 (typed
    in a Latin-1 shell, read by Python as a lone surrogate): ``new --title`` ended in
    'internal error: UnicodeEncodeError' writing the map."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise click.BadParameter(
                f"'{printable(value)}' holds a byte that is not UTF-8 (at character {exc.start + 1}): "
                "type it in a UTF-8 terminal"
            ) from None
    return value


def _title_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``new --title``: UTF-8 (see :func:`_utf8_text`), no longer than lint allows (100,000
    characters were written), and without what lint reports in a map's text (a control
    character, a direction control): the map was written with it as an escape, and its first
    lint warned about a title the user had just typed."""
    from journeymaps.direction_controls import CONTROL_CHARACTER, DIRECTION_CONTROL, DIRECTION_CONTROLS, shown

    value = _utf8_text(ctx, param, value)
    if value is None:
        return value
    if (long := too_long(value, "name", "a title")) is not None:  # lint's limit (schema $defs.name)
        raise click.BadParameter(printable(long))
    found = [m.start() for m in (DIRECTION_CONTROL.search(value), CONTROL_CHARACTER.search(value)) if m]
    if not found:
        return value
    char = value[min(found)]
    if char in DIRECTION_CONTROLS:
        what = f"U+{ord(char):04X} {DIRECTION_CONTROLS[char]}, a direction control (text-direction-control)"
    else:
        what = f"U+{ord(char):04X}, a control character (text-control-character)"
    raise click.BadParameter(
        f"'{shown(value)}' holds {what}, which lint reports in a map: type the title without it"
    )


#: ``--today`` of the commands judging staleness and due dates (lint, baseline).
today_option = click.option("--today", type=_Date(), help="Judge staleness and due dates as of this date.")

#: ``--owner`` of the commands starting a map (new, import).
owner_option = click.option(
    "--owner",
    callback=_schema_id("teamId"),
    help="The owning team (default: the first team in teams.yaml, or support).",
)


def map_file_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o/--output``: the file a new map is written to (new, import)."""
    return click.option("-o", "--output", "out", type=_MapFile(), help=help_text)


def _diff_formats() -> Collection[str]:
    from journeymaps.diff_formats import FORMATS

    return FORMATS


def outputs_option(
    flag: str, help_text: str, formats: Callable[[], Collection[str]] = lambda: REPORTERS
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``FLAG FORMAT=FILE``, repeatable: more reports of the run (lint --output, build
    --report, diff --output), checked by :func:`_outputs` before anything runs; FORMAT one of
    ``formats()`` (read only then: diff's formats are not a lint's to import)."""
    return click.option(
        flag,
        "outputs",
        multiple=True,
        metavar="FORMAT=FILE",
        callback=lambda ctx, param, value: _outputs(value, flag, formats()),
        help=help_text,
    )


def site_output_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o/--output``: the site's folder (build and serve)."""
    return click.option(
        "-o",
        "--output",
        "out",
        type=_Given(path_type=Path),
        default=Path("site"),  # where it goes depends on the settings: said in the help
        help=help_text,
    )


renderer_option = click.option(
    "--renderer",
    "renderer_name",
    type=RegistryChoice("journeymaps.diagrams.render", "RENDERERS"),
    default=RegistryValue("journeymaps.diagrams.render", "DEFAULT_RENDERER"),
    show_default=True,
    help="embedded: Graphviz in WebAssembly, same bytes everywhere (Python 3.11+); system: the dot on PATH.",
)


timeout_option = click.option(
    "--timeout",
    type=_Seconds(),
    default=RegistryValue("journeymaps.diagrams.render", "DEFAULT_TIMEOUT"),
    show_default=True,
    help="Seconds one diagram may take to lay out (0.1 to 86400).",
)


def _reader_gone(*streams: int) -> NoReturn:
    """``lint | head``: click said exit 1, which a script reads as "errors found". As git and
    coreutils (killed by SIGPIPE), 128 + SIGPIPE, silently; what is still in the buffers
    of standard output (and of ``streams``, descriptors) goes to the null device."""
    quiet = os.open(os.devnull, os.O_WRONLY)
    for fd in {sys.stdout.fileno(), *streams}:
        os.dup2(quiet, fd)
    os.close(quiet)
    sys.exit(EXIT_PIPE)


class _Commands(click.Group):
    """The command group; Ctrl+C ends a command the way shells expect."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The group's --help and --version print while its arguments are parsed, before any
        # command is invoked: a closed pipe there was click's exit 1 (``--version | true``).
        try:
            try:
                return super().parse_args(ctx, args)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            _reader_gone()

    def invoke(self, ctx: click.Context) -> Any:
        from journeymaps.signals import Terminated

        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a reader gone is found here, not by Python's flush at exit
        except BrokenPipeError:
            _reader_gone()
        except KeyboardInterrupt:
            # Click would print "Aborted!" and exit 1, which a script cannot tell from a
            # failure; 128 + SIGINT is what shells and CI runners read as "interrupted".
            click.echo("\njourneymaps: interrupted", err=True)
            sys.exit(130)
        except Terminated as exc:  # SIGTERM, SIGHUP: everything was cleaned up on the way here
            _stopped(exc)


#: lint's hidden option of pre-commit's hook entry: see :class:`_LintCommand`.
HOOK_OPTION = "--pre-commit"


class _LintCommand(click.Command):
    """lint's command line; with :data:`HOOK_OPTION` among its options, read as pre-commit
    gives it: the files named after the options are paths even when they look like options
    (see :mod:`journeymaps.hook_arguments`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if HOOK_OPTION in args:  # else nothing more is imported: start-up is a one-file lint's time
            from journeymaps.hook_arguments import mark_paths

            options = [p for p in self.get_params(ctx) if isinstance(p, click.Option)]
            names = {name for p in options for name in (*p.opts, *p.secondary_opts)}
            takes_value = {name for p in options if not (p.is_flag or p.count) for name in p.opts}
            args = mark_paths(args, takes_value, names)
        return super().parse_args(ctx, args)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="journeymaps")
def cli() -> None:
    """Customer journey maps as code: lint, render and publish YAML journey maps."""
    from journeymaps import environment

    if (problem := environment.problem()) is not None:  # before any command writes a file
        fail(problem)


@cli.command(
    cls=_LintCommand,
    epilog="Exit codes: 0 no errors; 1 errors (warnings too with --strict); 2 usage, settings or "
    "internal error.",
)
@click.argument("paths", nargs=-1, type=_Named(allow_dash=True, readable=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *sorted(REPORTERS)]),
    default="auto",
    show_default=True,
    help="Output format; auto: github annotations under GitHub Actions, else text.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Always exit 0 unless the run itself fails (reporting only).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no summary, no notes.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also name each file skipped by --force-exclude, and why."
)
@click.option("--statistics", is_flag=True, help="Count the findings by rule instead of listing them.")
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Check only these rules: names, codes or code prefixes (JM2), comma-separated; repeatable.",
)
@click.option(
    "--ignore", multiple=True, metavar="RULES", help="Do not check these rules (as --select); repeatable."
)
@config_option
@today_option
@click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output (auto: on a terminal, unless NO_COLOR).",
)
@outputs_option(
    "--output", "Also write the findings in FORMAT to FILE (repeatable), e.g. sarif=results.sarif."
)
@click.option(
    "--baseline",
    "baseline_file",
    type=_Given(dir_okay=False, path_type=Path),
    help="Report only findings not recorded in this baseline (see journeymaps baseline).",
)
@click.option(
    "--changed-since",
    "since",
    metavar="REV",
    help="Report only on files changed since this git revision, and on the maps those changes "
    "can break (users of a changed teams.yaml, personas.yaml or based_on map).",
)
@click.option(
    "--stdin-filename",
    type=_Given(dir_okay=False, path_type=Path),
    help="The name of the file read from standard input (for editors; implies PATH '-'); "
    "its project's settings apply.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Skip files outside the maps folders, even when named, without a word (for pre-commit; "
    "-v names them).",
)
@click.option(
    "--staged-deletions",
    is_flag=True,
    help="Also check the maps that the deletions staged in git's index can break, and those its "
    "staged links, metrics snapshots and photos touch (for pre-commit, which names none of them); "
    "with no PATH, only those.",
)
@click.option(
    HOOK_OPTION,
    "pre_commit",
    is_flag=True,
    hidden=True,  # the hook's entry: not for a command line typed by hand
    help="The command line is pre-commit's: the existing files named after the options are paths, "
    "even when named like options.",
)
def lint(paths: tuple[Path, ...], outputs: list[tuple[str, Path]], **options: Any) -> None:
    """Check journey maps, teams.yaml and personas.yaml (default: the maps folders).
    PATH '-' reads one file from standard input."""
    from journeymaps.lint_command import LintOptions, UsageFailure, run

    hook = options.pop("pre_commit")  # read by _LintCommand too: how the command line is parsed

    try:
        code = run(LintOptions(paths=paths, outputs=tuple(outputs), hook=hook, **options), Path.cwd())
    except UsageFailure as exc:
        fail(str(exc))
    sys.exit(code)


@cli.command(
    "diff",
    epilog="Exit codes: 0 compared (with --check: and no error introduced); 1 with --check, the "
    "change introduces an error (a warning too with --strict); 2 usage or internal error.",
)
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--format",
    "fmt",
    type=RegistryChoice("journeymaps.diff_formats", "FORMATS"),
    default="text",
    show_default=True,
    help="markdown: a pull-request comment with Mermaid emotion journeys; json: changes for bots; "
    "github: annotations on the findings the change brings.",
)
@config_here_option
@click.option("--today", type=_Date(), help="Judge staleness as of this date.")
@click.option(
    "--site",
    "site_dir",
    type=_Given(file_okay=False, path_type=Path),
    help="Also write before/after diagrams of each changed map, changes highlighted, to this folder.",
)
@timeout_option
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 when the change introduces an error finding (a map that no longer loads is one; "
    "so is an error of a file that loads again, and one its own settings change or a suppression "
    "comment it adds silences; one a suppression the base has too hides is only reported), after "
    "printing the comparison: a pull-request gate that existing findings do not fail.",
)
@click.option("--strict", is_flag=True, help="With --check: a warning introduced fails too.")
@outputs_option(
    "--output",
    "Also write the comparison in FORMAT to FILE (repeatable), e.g. markdown=comment.md "
    "beside --format github: one comparison, several renderings.",
    _diff_formats,
)
def diff_cmd(**options: Any) -> None:
    """What a change means for the journeys: BASE and HEAD are git revisions or folders
    (HEAD defaults to the working tree). --format json is a versioned contract for bots."""
    from journeymaps.diff_command import run

    run(**options)


@cli.command("export")
@click.argument("paths", nargs=-1, type=_MAPS)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid"]),
    default="mermaid",
    show_default=True,
    help="mermaid: a Mermaid journey (emotion by step), drawn inline by GitHub and GitLab.",
)
@click.option(
    "--map", "map_ids", multiple=True, metavar="ID", help="Export this map (repeatable; default: all)."
)
@click.option(
    "-o",
    "--output",
    "out",
    type=_Given(allow_dash=True),  # as written: a trailing slash names a folder; - is stdout
    help="A file for one map, or a folder for several or when it ends in / (ID.mmd each); "
    "default (or -): standard output.",
)
@config_option
def export_cmd(**options: Any) -> None:
    """Write maps in another tool's format (default: every map in the maps folders)."""
    from journeymaps.interchange_commands import run_export

    run_export(**options)


@cli.command("import")
@click.argument("source", type=_Given(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["mermaid"]), default="mermaid", show_default=True)
@click.option(
    "--id", "map_id", callback=_schema_id("id"), help="The new map's id (default: from the journey's title)."
)
@owner_option
@map_file_option("Where to write it (default: MAPS_FOLDER/ID.yaml); never overwritten.")
@config_here_option
def import_cmd(**options: Any) -> None:
    """Start a map from another tool's diagram: a Mermaid journey's sections become stages,
    its tasks steps, its scores emotions, its actors (when they are teams) owners. SOURCE
    '-' reads standard input."""
    from journeymaps.interchange_commands import run_import

    run_import(**options)


@cli.command("measure")
@click.argument("paths", nargs=-1, type=_MAPS)
@config_option
def measure_cmd(**options: Any) -> None:
    """Count each map's evidence selectors in the configured sources ([sources.NAME]) and
    write one aggregate snapshot per map (metrics/<map-id>.json) for lint, build and diff."""
    from journeymaps.measure_command import run

    run(**options)


@cli.command("init")
@click.argument("folder", type=_Given(file_okay=False, path_type=Path), default=Path())
def init_cmd(folder: Path) -> None:
    """Start a maps repository: maps/, teams.yaml, an example map (when maps/ has none), the
    schemas, settings, pre-commit, a GitHub workflow and a .gitignore. Existing files are
    never overwritten."""
    from journeymaps.scaffold_commands import run_init

    run_init(folder)


@cli.command("new")
@click.argument("map_id", metavar="ID", callback=_schema_id("id"))
@click.option(
    "--template",
    type=RegistryChoice("journeymaps.scaffold", "TEMPLATES"),
    default="support-issue",
    show_default=True,
    help="The scenario to start from.",
)
@click.option("--title", callback=_title_text, help="The map's title (default: from the id).")
@owner_option
@map_file_option("Where to write it (default: MAPS_FOLDER/ID.yaml).")
def new_cmd(**options: Any) -> None:
    """Start a new map from a scenario template."""
    from journeymaps.scaffold_commands import run_new

    run_new(**options)


@cli.command("baseline")
@click.argument("paths", nargs=-1, type=_MAPS)
@click.option(
    "-o",
    "--output",
    "out",
    type=_Given(dir_okay=False, path_type=Path),
    default=Path(".journeymaps-baseline.json"),  # where it goes depends on the settings: said in the help
    help="The baseline file (default: .journeymaps-baseline.json beside the project's settings "
    "file, else in the current folder).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Only remove the entries of the existing baseline that match no finding any more; add nothing.",
)
@config_option
@today_option
def baseline_cmd(**options: Any) -> None:
    """Record today's findings, so that lint --baseline FILE fails only on new ones."""
    from journeymaps.baseline_command import run

    run(**options)


def _outputs(
    values: tuple[str, ...], option: str = "--output", formats: Collection[str] = REPORTERS
) -> list[tuple[str, Path]]:
    """``FORMAT=FILE`` pairs, checked before anything runs; FORMAT one of ``formats`` (lint's
    reporters by default, diff's formats for diff)."""
    pairs: list[tuple[str, Path]] = []
    for value in values:
        name, sep, file = value.partition("=")
        if not sep or not file or name not in formats:
            raise click.BadParameter(
                f"{value!r}: expected FORMAT=FILE with FORMAT one of {', '.join(sorted(formats))}",
                param_hint=option,
            )
        if file == "-":  # it wrote a file named -; standard output is the report's own
            also = f" (for {name} there: --format {name})" if option == "--output" else ""
            raise click.BadParameter(
                f"{value!r}: name a file; standard output carries the run's own report{also}",
                param_hint=option,
            )
        same = next((f"{n}={f}" for n, f in pairs if os.path.realpath(f) == os.path.realpath(file)), None)
        if same is not None:  # the last written was kept, the other report lost unsaid
            raise click.BadParameter(
                f"{value!r} and {same!r} name the same file: each report needs its own",
                param_hint=option,
            )
        pairs.append((name, Path(file)))
    return pairs


@cli.command()
@click.argument("paths", nargs=-1, type=_MAPS)
@click.option(
    "-o",
    "--output",
    "out",
    type=_Given(file_okay=False, path_type=Path),
    default=Path("diagrams"),
    help="Folder to write the diagrams to (default: diagrams/ beside the project's settings "
    "file, else in the current folder).",
)
@click.option(
    "--view",
    "views",
    multiple=True,
    type=RegistryChoice("journeymaps.diagrams", "VIEWS"),
    help="Views to render (repeatable). Default: journey and blueprint of each map, and teams.",
)
@click.option(
    "--format",
    "fmt",
    type=RegistryChoice("journeymaps.render_command", "FORMATS"),
    default="svg",
    show_default=True,
)
@renderer_option
@timeout_option
@config_option
def render(**options: Any) -> None:
    """Render the diagrams of journey maps (default: every map in the maps folders)."""
    from journeymaps.render_command import run

    run(**options)


@cli.command(
    epilog="Exit codes: 0 built; 1 built, but a map could not be read, a diagram could not be drawn, "
    "or (with --strict) lint found errors; 2 usage, settings or internal error, nothing written."
)
@click.argument("paths", nargs=-1, type=_MAPS)
@site_output_option(
    "Folder to write the site to; replaced whole, and only if journeymaps wrote it "
    "(default: site/ beside the project's settings file, else in the current folder)."
)
@click.option("--strict", is_flag=True, help="Exit 1 when a map has lint errors (the site is still written).")
@renderer_option
@timeout_option
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Diagrams laid out in parallel (default, and most: one per core this process may use).",
)
@config_option
@outputs_option(
    "--report", "Also write the build's findings in FORMAT to FILE (repeatable), e.g. sarif=results.sarif."
)
@click.option(
    "--history-days",
    type=click.IntRange(1, 3660),
    metavar="DAYS",
    help="The period of the What changed page: DAYS before the latest commit "
    "(default: history-days in the settings, else 90).",
)
def build(**options: Any) -> None:
    """Lint, render and write the static site (default: the maps folders, into site/ beside
    the project's settings)."""
    from journeymaps.build_command import run

    run(**options)


@cli.command()
@click.argument("paths", nargs=-1, type=_MAPS)
@site_output_option(
    "Folder to write the site to, as build's --output (default: site/ beside the project's "
    "settings file, else in the current folder)."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (IPv4 or IPv6: ::1 for this machine, :: for every interface).",
)
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port, named when serving starts).",
)
@renderer_option
@timeout_option
@config_option
def serve(**options: Any) -> None:
    """Build the site, serve it locally, and rebuild and reload the page when a map changes."""
    from journeymaps.serve_command import run

    run(**options)


@cli.command("schema")
@click.argument("kind", type=click.Choice(sorted(SCHEMA_FILES)), required=False)
@click.option(
    "--write",
    "folder",
    type=_Given(file_okay=False, path_type=Path),
    help="Write the schemas (or KIND's) into this folder instead, for editors; e.g. --write schema.",
)
def schema_cmd(kind: str | None, folder: Path | None) -> None:
    """Print the JSON Schema of a map (default), teams.yaml, personas.yaml or the settings;
    or write them into a folder of the maps repository, where the maps' yaml-language-server
    comments point (run it again after upgrading journeymaps)."""
    if folder is None:
        click.echo(json.dumps(schema(kind or "map"), indent=2, ensure_ascii=False))
        return
    from journeymaps import schema_copies
    from journeymaps.output import FileSet

    try:
        # all or none: a copy that could not be written left the others of two versions
        # never through a link out of the working folder to a place not there (it was made)
        with FileSet(within=Path.cwd()) as files:
            done = schema_copies.write(folder, [kind] if kind else SCHEMA_FILES, files)
    except OSError as exc:
        fail(f"cannot write the schemas to {folder.as_posix()}/: {os_reason(exc, writing=True)}")
    for path, status in done:
        say(f"{status:<9} {path.as_posix()}")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=RegistryChoice("journeymaps.rule_commands", "RULE_LISTINGS"),
    default="text",
    show_default=True,
)
def rules(fmt: str) -> None:
    """List every rule with its code, default severity and summary."""
    from journeymaps.rule_commands import RULE_LISTINGS

    click.echo(RULE_LISTINGS[fmt](list(all_rules().values())))


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show a rule's documentation with a failing and a passing example."""
    from journeymaps.rule_commands import run_explain

    run_explain(rule)


#: What a full or failing output device says.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _stopped(exc: Terminated) -> NoReturn:
    """The end of a run SIGTERM or SIGHUP stopped: said, and 128 + the signal."""
    with contextlib.suppress(OSError):  # a hung-up terminal takes no more words
        click.echo(f"\njourneymaps: {exc.words}", err=True)
    sys.exit(exc.exit_code)


def main() -> None:
    """Entry point: no Python traceback ever reaches the user."""
    from journeymaps.signals import Terminated, raise_on_sigterm
    from journeymaps.terminal import fall_back_to_ascii, open_closed_streams

    if not open_closed_streams():  # '>&-': what the command writes could only be lost
        say_error("cannot write standard output: it is closed; to drop what it says, send it to /dev/null")
        sys.exit(EXIT_USAGE)
    fall_back_to_ascii()  # a non-UTF-8 terminal gets '->' for '→', never a UnicodeEncodeError
    try:
        raise_on_sigterm()  # in here: a stop held since the start arrives as it unblocks them
        cli(standalone_mode=True)
    except SystemExit:
        raise
    except BrokenPipeError:
        # A usage error's message, written by click after it let go of the error, to a
        # reader gone (``lint --bogus 2>&1 | head``): Python's own exit 1 otherwise.
        _reader_gone(sys.stderr.fileno())
    except KeyboardInterrupt:
        click.echo("\njourneymaps: interrupted", err=True)
        sys.exit(130)
    except Terminated as exc:
        _stopped(exc)
    except Exception as exc:
        _after(exc)


def _after(exc: Exception) -> NoReturn:
    """The end of a run an error ended: a stop signal behind it (see :func:`_stop_behind`),
    the machine (an OSError), or a bug."""
    from journeymaps.signals import Terminated

    stop = _stop_behind(exc)
    if isinstance(stop, Terminated):
        _stopped(stop)
    if isinstance(stop, KeyboardInterrupt):
        click.echo("\njourneymaps: interrupted", err=True)
        sys.exit(130)
    if os.environ.get("JOURNEYMAPS_DEBUG"):
        raise exc
    if isinstance(exc, OSError):  # the machine, not a bug: a full disk, a file where a folder should be
        if exc.filename is None and exc.errno in _FULL:
            # A file journeymaps writes is named by its error: one without a name is the
            # output (> /dev/full said only "No space left on device").
            say_error(f"cannot write standard output: {exc.strerror}")
        else:
            say_error(os_reason(exc))
    else:
        say_error(f"{type(exc).__name__}: {exc}", "journeymaps: internal error: ")
        click.echo("Please report it; set JOURNEYMAPS_DEBUG=1 to see the traceback.", err=True)
    sys.exit(EXIT_USAGE)


def _stop_behind(exc: BaseException) -> BaseException | None:
    """The stop (SIGTERM, SIGHUP, Ctrl+C) an error was raised while handling, if any. A
    signal's exception can arrive inside a lock's release or a condition's wait: unwinding,
    that ``with`` then raised "RuntimeError: release unlocked lock", and ``serve`` stopped by
    SIGTERM ended in an internal error, exit 2, instead of 143 (seen in the test suite)."""
    from journeymaps.signals import Terminated

    seen: set[int] = set()
    at: BaseException | None = exc
    while at is not None and id(at) not in seen:
        if isinstance(at, Terminated | KeyboardInterrupt):
            return at
        seen.add(id(at))
        at = at.__cause__ or at.__context__
    return None
