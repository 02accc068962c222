"""``journeymaps serve``: build the site, serve it, rebuild and reload on each change."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from journeymaps.command_support import (
    EXIT_USAGE,
    fail,
    maps_folders,
    os_reason,
    output_folder,
    report_settings_error,
    say,
)
from journeymaps.reading import linked_out
from journeymaps.reporters.base import one_line
from journeymaps.reporters.text_format import line as finding_line
from journeymaps.settings import SettingsError, load_settings, settings_file_for

if TYPE_CHECKING:
    from journeymaps.lint import Report


def run(
    *,
    paths: tuple[Path, ...],
    out: Path,
    host: str,
    port: int,
    renderer_name: str,
    timeout: float,
    config: Path | None,
) -> None:
    """Serve the site of ``paths`` from ``out`` until stopped (see ``serve --help``)."""
    if not host.strip():
        # It listened on every interface and said "http://:8000/", a link that opens nothing.
        # Refused, as python -m http.server --bind '' and mkdocs serve -a :8000 refuse it:
        # every interface is a choice to spell out (0.0.0.0), not what an empty value means.
        fail("--host is empty: give an address, e.g. 127.0.0.1 (this machine) or 0.0.0.0 (every interface)")
    if any(c.isspace() for c in host):
        # ' 127.0.0.1' (a stray space, or a line break from $(cat host.txt)) said "cannot
        # listen on  127.0.0.1:8000: Name or service not known", the space all but invisible.
        # Refused, not stripped, as the empty host is: no address holds a space, so the value
        # is not what was meant, and guessing what was meant is the user's call.
        fail(
            f"--host '{host}' has a space or line break in it: give the address alone, e.g. --host 127.0.0.1"
        )
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # [::1], as a URL writes it
    from journeymaps.build_command import (
        dropped_users_words,
        outcome,
        refuse_output_as_maps,
        refuse_output_through_a_link_to_nothing,
        replaced_users_words,
    )
    from journeymaps.site.build import build as build_site
    from journeymaps.site.kept import UnreadRegistry, unlisted_owners, unread_registries
    from journeymaps.site.serve import Builds, attempt, listen, snapshot, url_host
    from journeymaps.site.serve import serve as run_server
    from journeymaps.site.spare import Spares
    from journeymaps.site.staging import SiteError, check_output, mount_point
    from journeymaps.site.watching import watched as watched_by
    from journeymaps.sources_kept import KeptSources

    cwd = Path.cwd()
    # Where build puts it by default (beside the settings); the settings themselves are
    # read, and a problem with them reported, by each rebuild.
    with contextlib.suppress(SettingsError):
        out = output_folder(out, config or settings_file_for(paths, cwd), cwd)
    refuse_output_as_maps(paths, out)
    root = cwd  # the project's folder, for a link out of it
    with contextlib.suppress(SettingsError):
        root = settings_file.parent if (settings_file := config or settings_file_for(paths, cwd)) else cwd
    refuse_output_through_a_link_to_nothing(out, root)
    try:
        # A folder journeymaps did not write (-o .) failed the first build, and was served
        # anyway, as if it were the last good site: the project's .env, .git, raw exports.
        check_output(out)
    except SiteError as exc:
        fail(str(exc))
    # What one build keeps for the next: only what changed is read again. The first starts
    # from the files the last `journeymaps build` of this site parsed (see sources_kept).
    memo = KeptSources(out).memo()
    builds = Builds()  # told as soon as a rebuild's site is in place: the page reloads then
    # What the last site that built depends on, to watch (see journeymaps.site.watching):
    # set once the settings are known, after each rebuild that read them.
    depends: list[tuple[list[Path], list[Path]]] = []
    first = True  # the build before serving starts
    unlisted: list[str] = []  # the last site's owners naming teams not listed, as lines

    def owners(report: Report) -> tuple[str, ...]:
        """The lines of the owners naming teams not listed, of the site ``report`` is of."""
        unlisted[:] = [finding_line(d) for d in unlisted_owners(report.diagnostics)]
        return tuple(unlisted)

    def published(report: Report) -> None:
        """The new site is in place: its pages say at once what is wrong with its owners."""
        builds.published(owners(report))

    def failed(said: str) -> bool:
        """A rebuild that failed outright: said on the terminal and by every open page."""
        _log(said, err=True)
        builds.failed((said,))
        return False

    def rebuild() -> bool:
        nonlocal first
        if memo.spares is None and not mount_point(target := Path(os.path.realpath(out))):
            # serve starting on a site already there: its spare is made while the maps are
            # read (its links wait on the disk, not on Python), rather than after "Serving",
            # where the first edit waited for it
            memo.spares = Spares()
            memo.spares.prepare(target)
        try:
            settings = load_settings(cwd, config, paths)
            result = build_site(
                list(paths) or maps_folders(settings),
                settings,
                settings.root,  # files named from the project's folder, as build names them
                out,
                renderer=renderer_name,
                timeout=timeout,
                keep_broken=True,  # a page open in the browser stays, marked broken
                memo=memo,
                on_published=published,
            )
        except (SettingsError, UnreadRegistry) as exc:
            said = tuple(finding_line(d) for d in exc.diagnostics)
            if first and isinstance(exc, SettingsError):
                # as build says it (serve ends here when there is no site yet)
                with _unless_closed(err=True):
                    report_settings_error(exc)
            else:  # the findings, then that the last site is still served (not lint's "Nothing was checked")
                for finding in said:
                    _log(finding, err=True)
            builds.failed(said)
            return False
        except (SiteError, click.UsageError) as exc:
            return failed(f"journeymaps: error: {one_line(str(exc))}")
        except OSError as exc:  # e.g. a full disk: say so and keep serving the last site
            reason = os_reason(exc, writing=True)
            return failed(f"journeymaps: error: cannot write the site to {out.as_posix()}/: {reason}")
        depends[:] = [watched_by(list(paths), settings, result.summary.stamp, settings_files)]
        if unread := unread_registries(result.summary.broken):
            # Built without a teams or personas file, as build builds it, there being no
            # better site to keep (serve started with it broken, or the site deleted):
            # every page says so (the same lines again reload no page).
            builds.failed(unread, kind="unread")
        elif first and result.report is not None:
            # the build before serving (up to date or not): no rebuild announced, no page yet
            if said := owners(result.report):
                builds.failed(said, kind="unlisted")
        elif result.up_to_date and unlisted:
            builds.failed(tuple(unlisted), kind="unlisted")  # the same site, saying the same
        elif result.up_to_date:
            builds.unchanged()  # the site is as it was: no page reloads
        # a rebuilt site's owners naming unlisted teams, as its pages say them (the first
        # build's outcome counts them, as build's does)
        told = unlisted if not result.up_to_date and not first else []
        for line in (*result.summary.broken, *told, *result.summary.failed):
            _log(line, err=True)
        if result.replaced_users:
            _log(f"journeymaps: warning: {replaced_users_words(out, result.replaced_users)}", err=True)
        if result.dropped_users:
            _log(f"journeymaps: warning: {dropped_users_words(out, result.dropped_users)}", err=True)
        if first:
            # The first build said nothing of what it made (build does; later rebuilds say
            # "Rebuilt in"): the pages, maps and findings, before "Serving".
            _log(outcome(out, result))
        target = Path(os.path.realpath(out))
        if memo.spares is not None and not mount_point(target):
            memo.spares.prepare(target)  # no spare yet (the first build): made while idle
        return True

    settings_files = [cwd / "journeymaps.toml", cwd / "pyproject.toml", *([config] if config else [])]
    try:
        found = load_settings(cwd, config, paths)
        # every maps folder, even one missing now (seen once it appears; a name too long for
        # the file system was an error of its own here, before the settings could say it)
        watched = list(paths) or found.roots()
        settings_files += [found.file] if found.file else []  # the maps' project's, run from anywhere
        # A maps folder that a link takes out of the project is not read (one finding): looked
        # at, not listed (maps -> / was walked ten times a second); its link replaced is a change.
        linked = [w for w in watched if linked_out(w, found.root) is not None]
        watched = [w for w in watched if w not in linked]
        settings_files += linked
    except SettingsError:
        watched = list(paths)
    # How the files look before the first build: an edit saved while it runs, or before the
    # server starts watching, is a change (it was missed, and the page never reloaded).
    before = snapshot(watched, settings_files)
    try:
        server = listen(out, host, port, builds)  # before the first build: a taken port is said now
    except OSError as exc:
        fail(f"cannot listen on {url_host(host)}:{port}: {exc.strerror}{_listen_hint(exc, port)}")
    try:
        built = attempt(rebuild, lambda said: _log(said, err=True), builds)
        first = False  # a later rebuild says "Rebuilt in", even if this first one failed
        if not built and not out.exists():
            server.server_close()
            sys.exit(EXIT_USAGE)
        if not built:  # the site of an earlier build or serve: served, marked out of date
            _log(
                "journeymaps: the build failed: serving the site built before, its pages marked out of date",
                err=True,
            )
        run_server(
            out,
            host,
            port,
            rebuild,
            watched,
            settings_files,
            _log,
            builds=builds,
            last=before,
            server=server,
            watching=lambda: depends[0] if depends else (watched, settings_files),
        )
    finally:
        if memo.spares is not None:
            memo.spares.close()  # the hidden spare site goes with the server


def _listen_hint(exc: OSError, port: int) -> str:
    """What to do when serve cannot listen: most often a first serve still runs elsewhere."""
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if 0 < port < 65535 else 8001
        return f" (another server, perhaps another journeymaps serve, has it); choose another: --port {other}"
    return ""


@contextlib.contextmanager
def _unless_closed(*, err: bool = False) -> Iterator[None]:
    """serve's output, gone quiet once its reader has gone: ``serve | head -1`` ended serve
    (exit 1, silently) at the first rebuild after ``head`` had its line, the preview gone
    from the browser at a save. The lines are a log and the site is the work: as
    ``python -m http.server`` and ``mkdocs serve`` (whose logging drops what it cannot
    write), serve keeps serving, its lines sent to the null device from then on, and
    stops on Ctrl+C as always."""
    try:
        yield
    except BrokenPipeError:
        stream = sys.stderr if err else sys.stdout
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, stream.fileno())  # what is still in its buffer goes there too
        os.close(quiet)


def _log(line: str, *, err: bool = False) -> None:
    """One line of serve's (see :func:`say` and :func:`_unless_closed`)."""
    with _unless_closed(err=err):
        say(line, err=err)
