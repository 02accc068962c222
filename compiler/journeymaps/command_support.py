"""What every command shares: exit codes, its one-line messages on the terminal (escaped,
cut into pieces a closed pipe cannot lose), the reasons the machine refused, and the run's
settings and maps folders. The commands' modules import these from here, not cli.py's
internals."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.reporters.base import printable
from journeymaps.settings import Settings, SettingsError, load_settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
#: Standard output's reader went away (``lint | head``): 128 + SIGPIPE, as shells say of git.
EXIT_PIPE = 141


def project_settings(cwd: Path, config: Path | None, paths: tuple[Path, ...] = ()) -> Settings:
    """The run's settings (those of the project ``paths`` are in, else the current folder's);
    invalid settings are a finding on stderr and exit code 2."""
    try:
        return load_settings(cwd, config, paths)
    except SettingsError as exc:
        settings_failed(exc)


def report_settings_error(exc: SettingsError) -> None:
    """The one way a settings error is shown, as ``lint`` shows it: the invalid-settings
    findings on stderr, then that nothing was done."""
    REPORTERS["text"](Outcome([], 0, 0, notifications=tuple(exc.diagnostics)), sys.stderr, False)


def settings_failed(exc: SettingsError) -> NoReturn:
    report_settings_error(exc)
    sys.exit(EXIT_USAGE)


def output_folder(out: Path, settings_file: Path | None, cwd: Path) -> Path:
    """An output (the site's folder, render's diagrams, the baseline): ``--output`` as given;
    by default (``site/``, ``diagrams/``, ``.journeymaps-baseline.json``) beside the
    project's settings file, as mkdocs puts its site
    beside mkdocs.yml. Run from a subfolder (``cd maps && journeymaps build``), the site went
    into maps/site/, which the .gitignore that ``init`` writes (``/site/``, ``/diagrams/``)
    does not cover: the next ``git add .`` took it in. Without settings, in the current
    folder. Named from the current folder (``../site``)."""
    from click.core import ParameterSource

    given = click.get_current_context().get_parameter_source("out") is not ParameterSource.DEFAULT
    if given or settings_file is None:
        return out
    try:
        return Path(os.path.relpath(settings_file.parent / out, cwd))
    except ValueError:  # Windows: on another drive than the current folder
        return settings_file.parent / out


def target_paths(paths: tuple[Path, ...], settings: Settings) -> list[Path]:
    """The paths given, else the maps folders; a settings error goes to stderr, exit code 2."""
    try:
        return list(paths) or maps_folders(settings)
    except SettingsError as exc:
        settings_failed(exc)
    except click.UsageError as exc:  # one line, as lint says it (not under click's usage block)
        fail(exc.message)


def maps_folders(settings: Settings) -> list[Path]:
    """The settings' maps folders (SettingsError for one named there that is missing; a
    UsageError when there is none, which serve says and goes on serving)."""
    from journeymaps.lint_command import UsageFailure, default_targets

    try:
        return default_targets(settings)
    except UsageFailure as exc:
        raise click.UsageError(str(exc)) from None


def os_reason(exc: OSError, *, writing: bool = False) -> str:
    """What the machine refused, in words: the reason and the path, as the user names it
    (relative to the working folder). ``writing``: a refusal is the folder's that refused a
    write, never the temporary folder a site is staged in ("Permission denied:
    /home/me/ro/.site.new-k370h6z5"); otherwise (reading, say) the path refused."""
    from journeymaps.output import WriteError, file_in_the_way, refusing_folder
    from journeymaps.project import display_path

    if isinstance(exc, WriteError):  # says it already, naming the file the user asked for
        return str(exc)
    filename = exc.filename if isinstance(exc.filename, str) else None
    if isinstance(exc, (FileExistsError, NotADirectoryError)) and filename:
        blocker = file_in_the_way(filename)
        if blocker:
            return f"{display_path(Path(blocker), Path.cwd())} is a file, not a folder"
        return f"cannot make a folder at {display_path(Path(filename), Path.cwd())}: a file is in the way"
    if writing and isinstance(exc, PermissionError) and filename:
        return f"no permission to write in {display_path(Path(refusing_folder(filename)), Path.cwd())}"
    if writing and exc.errno == errno.EROFS and filename:
        # the folder on that file system, not the staging folder it refused to make
        return f"{display_path(Path(refusing_folder(filename)), Path.cwd())} is on a read-only file system"
    where = f": {display_path(Path(filename), Path.cwd())}" if filename else ""
    return f"{exc.strerror or exc}{where}"


def echo_all(text: str) -> None:
    """``text`` on standard output, in lines: written at once, a write cut short by a
    reader gone (``diff | head``) lost the rest without an error (Python's text stream drops
    what a partial write left), and the command exited 0 as if all was read."""
    for line in text.splitlines(keepends=True):
        # Pieces within the stream's 8 KB buffer (2048 characters of up to 4 bytes): what a
        # partial write left stays in it, and the next flush raises BrokenPipeError.
        for start in range(0, len(line), 2048):
            click.echo(line[start : start + 2048], nl=False)


def fail(message: str) -> NoReturn:
    say_error(message)
    sys.exit(EXIT_USAGE)


def say_error(message: str, prefix: str = "journeymaps: error: ") -> None:
    """One line on stderr. A name the user gave (an output path, a host) may hold control
    characters: written as is, an escape sequence cleared the terminal or set its title, and
    a line break split the message. They are written as escapes (\\x1b, \\n)."""
    click.echo(prefix + printable(message), err=True)


def say(line: str, *, err: bool = False) -> None:
    """One line that names what the user gave (a path, a host), escaped as :func:`say_error`
    escapes it: a success line ("Building X/", "Recorded ... in X") wrote an output folder's
    escape sequence or line break to the terminal as is."""
    click.echo(printable(line), err=err)
