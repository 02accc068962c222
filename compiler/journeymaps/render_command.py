"""``journeymaps render``: every requested view of every valid map, one failure at a time."""

from __future__ import annotations

import datetime as dt
import re
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from journeymaps.command_support import EXIT_FINDINGS, EXIT_OK, output_folder, project_settings, target_paths
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.diagrams import VIEWS, Diagram, RenderError, map_diagram, project_diagram, svg_id, to_svg
from journeymaps.lint import INPUT_RULES, Report, lint
from journeymaps.measure import kpis
from journeymaps.model import Map
from journeymaps.output import FileSet
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.reporters.base import plural, printable
from journeymaps.settings import Settings

#: ``render --format``: each format by name, and how a diagram becomes its file's bytes
#: (given the renderer's name and the timeout).
FORMATS: dict[str, Callable[[Diagram, str, float], bytes]] = {
    "svg": to_svg,
    "dot": lambda diagram, renderer_name, timeout: diagram.dot.encode("utf-8"),
}

#: ``render --format``: whether the head of a file of a diagram's name is one journeymaps
#: drew, as every version of render wrote them: an SVG whose title, of the diagram's id,
#: follows its opening ``<svg>`` (after Graphviz's prolog); a .dot that starts with the
#: diagram's first line. Those words anywhere in the head (a user's notes quoting them)
#: made a user's own file one to replace.
SIGNATURES: dict[str, Callable[[Diagram, bytes], bool]] = {
    "svg": lambda diagram, head: (
        re.match(
            rb"(\s*(<\?xml[^>]*>|<!DOCTYPE[^>]*>|<!--.*?-->))*\s*<svg\b[^>]*>\n"
            + re.escape(f'<title id="{svg_id(diagram)}-title">'.encode()),
            head,
            re.S,
        )
        is not None
    ),
    "dot": lambda diagram, head: (
        re.match(re.escape(diagram.dot.split("\n", 1)[0].encode("utf-8")) + rb"\r?\n", head) is not None
    ),
}
#: How far into a file its signature is looked for: past the XML prolog and ``<svg ...>``
#: (a few hundred bytes), not the whole of a large diagram.
_SIGNATURE_BYTES = 8 * 1024
#: What is under a diagram's name when it is neither a file nor a folder, in words.
_KINDS = {stat.S_IFLNK: "a link", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket"}


def run(
    *,
    paths: tuple[Path, ...],
    out: Path,
    views: tuple[str, ...],
    fmt: str,
    renderer_name: str,
    timeout: float,
    config: Path | None,
) -> None:
    """Render ``paths``' diagrams into ``out``; exits 0 when all were drawn, else 1."""
    cwd = Path.cwd()
    settings = project_settings(cwd, config, paths)
    targets = target_paths(paths, settings)
    out = output_folder(out, settings.file, cwd)
    ok = render_diagrams(targets, settings, cwd, out, views or tuple(VIEWS), fmt, renderer_name, timeout)
    sys.exit(EXIT_OK if ok else EXIT_FINDINGS)


def render_diagrams(
    targets: Sequence[Path],
    settings: Settings,
    cwd: Path,
    out: Path,
    views: Sequence[str],
    fmt: str,
    renderer_name: str,
    timeout: float,
) -> bool:
    """Write the diagrams; True when every map loaded and every diagram was laid out."""
    _refuse_default_output_through_a_link_out(out, settings)
    report = lint(targets, settings, dt.date.today(), cwd)
    broken = [d for d in report.diagnostics if d.severity is Severity.ERROR and d.rule in INPUT_RULES]
    if broken:  # maps that cannot be modelled are named, the others still render
        REPORTERS["text"](
            Outcome(broken, report.files, report.maps, not_maps=report.not_maps, folders=report.folders),
            sys.stderr,
            False,
        )
    assert report.project is not None
    target_maps = [m for m in report.project.maps if m.src.display in report.targets]
    names = {t.id: t.name for t in (report.project.teams or {}).values()}
    views = list(dict.fromkeys(views))  # --view journey twice is one diagram, counted once
    diagrams: list[Diagram] = []
    for m in target_maps:
        measured = _measured(m, settings)
        diagrams += [
            map_diagram(v, m, teams=names, measured=measured) for v in views if VIEWS[v].scope == "map"
        ]
    # A project view with nothing to draw (teams, when no team hands a case to another) is
    # said, not written: an SVG of unconnected boxes read as a diagram of something.
    wanted = [v for v in views if VIEWS[v].scope == "project"]
    empty = {v: why for v in wanted if (why := _nothing_to_draw(v, report))}
    diagrams += [project_diagram(v, report.project) for v in wanted if v not in empty]
    not_needed = [_not_needed(v, why, out, fmt, report) for v, why in empty.items()]
    _refuse_files_not_drawn(out, diagrams, fmt)
    failures: list[tuple[Diagram, str]] = []
    with FileSet() as files:  # stopped half-way, the folder keeps the last run's diagrams
        for diagram in diagrams:
            try:
                data = FORMATS[fmt](diagram, renderer_name, timeout)
            except RenderError as exc:
                failures.append((diagram, str(exc)))
                continue
            files.write(out / f"{diagram.filename}.{fmt}", data)
    if failures:
        from journeymaps.diagram_failures import not_drawn
        from journeymaps.reporters.text_format import line

        for found in not_drawn(failures, report, settings, cwd):
            click.echo(line(found), err=True)
    failed = len(failures)
    written = len(diagrams) - failed
    if not diagrams and not_needed and not broken:  # as a linter with nothing to report: exit 0
        click.echo(printable(f"Rendered nothing to {out.as_posix()}/: {'; '.join(not_needed)}"))
        return True
    click.echo(  # the folder as the user named it, its control characters escaped
        printable(
            f"Rendered {written} diagram{'s' if written != 1 else ''} to {out.as_posix()}/"
            + (f"; {failed} failed" if failed else "")
            + "".join(f"; {said}" for said in not_needed)
            + (f"; {_not_drawn(broken, report)}" if broken else "")
        )
    )
    return not failed and not broken


def _nothing_to_draw(view: str, report: Report) -> str | None:
    """Why the project gives project view ``view`` nothing to draw, or None."""
    check = VIEWS[view].nothing_to_draw
    assert report.project is not None
    return check(report.project) if check is not None else None


def _not_needed(view: str, why: str, out: Path, fmt: str, report: Report) -> str:
    """A view not drawn, and why: "no teams diagram, as no team hands a case to another in
    any journey". The diagram an earlier render drew is left (render deletes nothing) and
    named: it still shows handoffs the maps no longer have."""
    from journeymaps.reading import read_head

    said = f"no {view} diagram, as {why}"
    assert report.project is not None
    diagram = project_diagram(view, report.project)  # (its DOT: a few boxes, no arrow)
    earlier = out / f"{diagram.filename}.{fmt}"
    try:
        ours = earlier.is_file() and SIGNATURES[fmt](diagram, read_head(earlier, _SIGNATURE_BYTES))
    except OSError:  # unreadable: not known as ours
        ours = False
    if ours:
        said += f" ({earlier.as_posix()} is an earlier render's: delete it)"
    return said


def _refuse_default_output_through_a_link_out(out: Path, settings: Settings) -> None:
    """The default diagrams folder reached through a link in the project that leads out of
    it (a repository's ``diagrams -> ~/Pictures``): ``render`` replaced the same-named files
    there, though the user named no place. Refused as a report through such a link is (see
    :func:`journeymaps.output.link_out_of`); a folder the user names with ``-o``, the link
    itself too, is the user's choice, as ``build -o`` is."""
    from click.core import ParameterSource

    from journeymaps.command_support import fail
    from journeymaps.output import link_out_of
    from journeymaps.reporters.base import one_line

    if click.get_current_context().get_parameter_source("out") is not ParameterSource.DEFAULT:
        return
    if (said := link_out_of(out, settings.root)) is not None:
        fail(one_line(said))


def _refuse_files_not_drawn(out: Path, diagrams: Sequence[Diagram], fmt: str) -> None:
    """Refuse, before anything is drawn, to replace what is under a diagram's name and is
    not a diagram journeymaps drew: ``render -o ~`` replaced the user's own
    ``team-handoffs.svg`` (and a named pipe of a diagram's name), as ``build`` would
    not (it replaces only a site it wrote). A folder there is said by the writing."""
    from journeymaps.command_support import fail
    from journeymaps.reading import read_head

    found: list[str] = []
    for diagram in diagrams:
        path = out / f"{diagram.filename}.{fmt}"
        try:
            mode = path.lstat().st_mode
        except OSError:  # not there, or no folder to hold it: the writing says which
            continue
        if stat.S_ISDIR(mode):
            continue
        if stat.S_ISREG(mode):
            try:
                if SIGNATURES[fmt](diagram, read_head(path, _SIGNATURE_BYTES)):
                    continue
            except OSError:  # unreadable (or swapped meanwhile): not known as ours
                pass
        kind = _KINDS.get(stat.S_IFMT(mode), "a device" if not stat.S_ISREG(mode) else "")
        found.append(path.as_posix() + (f" ({kind})" if kind else ""))
    if found:
        them = " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found)
        are = "are not diagrams" if len(found) > 1 else "is not a diagram"
        fail(
            f"{them} {are} journeymaps drew, and render replaces only those: "
            f"move {'them' if len(found) > 1 else 'it'}, or name another folder with -o"
        )


def _not_drawn(broken: list[Diagnostic], report: Report) -> str:
    """The maps left undrawn for the errors above: "1 map not drawn (its 3 errors are
    above)". It said "2 map errors" of 2 errors in one map, a count lint's differed from
    (lint counts every error; these are those that stop a map from being drawn). A file
    that is no map (a broken teams.yaml, a workflow named) is said apart: it was "1 map not
    drawn"; so is a folder not read (a maps folder linked out of the project)."""
    files = {d.file for d in broken} - report.folders  # a folder not read is no file (said apart)
    maps = {f for f in files if report.kinds.get(f) == "map" and f not in report.not_maps}
    said = [f"{plural(len(maps), 'map')} not drawn"] if maps else []
    if folders := len(report.folders & {d.file for d in broken}):
        said.append(f"{plural(folders, 'folder')} not read")
    if others := len(files - maps):
        said.append(
            f"{plural(others, 'file')} that {'is no journey map' if others == 1 else 'are no journey maps'}"
        )
    whose = "its" if len(files) + folders == 1 else "their"
    return f"{', '.join(said)} ({whose} {plural(len(broken), 'error')} above)"


def _measured(m: Map, settings: Settings) -> dict[str, float] | None:
    """A measured map's pain point volumes, as the site draws them."""
    if not settings.sources:
        return None
    return kpis.measured_volumes(m, kpis.load_for(m, settings), settings.sources)
