"""What ``journeymaps measure`` does, behind its thin click command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from journeymaps.diagnostics import FILE_START, Diagnostic, Severity, Span, shorten
from journeymaps.lint import lint
from journeymaps.measure.engine import EARLIEST, Result, measure
from journeymaps.measure.exports_in_git import exports_git_takes, warning
from journeymaps.measure.progress import terminal_progress
from journeymaps.measure.sources import MeasureError, in_project
from journeymaps.project import display_path
from journeymaps.reading import shown_name
from journeymaps.reporters.base import counted
from journeymaps.rules.input import INPUT_RULES, INVALID_SETTINGS, UNREADABLE_SOURCE
from journeymaps.rules.measured import INVALID_SELECTOR
from journeymaps.settings import Settings

#: The lint rules whose findings stop a map from being measured correctly.
BLOCKING = INPUT_RULES | {INVALID_SELECTOR}


@dataclass
class Outcome:
    findings: list[Diagnostic]
    result: Result | None
    #: The files and maps read, for the findings' summary ("in 4 files (3 maps)"; it said
    #: "in 0 files (0 maps)" of a finding in a map).
    files: int = 0
    maps: int = 0


def _no_sources(settings: Settings, named: Callable[[Path], str]) -> str:
    """What to write where, when no source is configured: "add [sources.NAME] to the
    settings" left which file, and what a source needs, for a newcomer to find out."""
    file = settings.file
    table = "sources.zendesk"
    if file is None:
        where = "create journeymaps.toml (journeymaps init writes one) and add"
    elif file.name == "pyproject.toml":
        where, table = f"add one to {named(file)}, e.g.", "tool.journeymaps.sources.zendesk"
    else:
        where = f"add one to {named(file)}, e.g."
    return (
        f'No sources configured: {where} [{table}] with preset = "zendesk", path = '
        '"exports/zendesk/*.csv" and timezone = "UTC", to measure the evidence whose source is '
        "zendesk (journeymaps schema config lists every key)."
    )


def run(targets: Sequence[Path], settings: Settings, cwd: Path, echo: Callable[[str], None]) -> Outcome:
    """Lint the maps (a selector that does not parse is reported at its line and column),
    measure the others, and say what each source held."""

    def named(path: Path) -> str:
        # As measure's other messages name a file: relative to the project, wherever it is
        # run from (from maps/, relative to the working folder, each export's name was
        # absolute).
        return shown_name(in_project(path, settings.root))

    report = lint(targets, settings, dt.date.today(), cwd)
    assert report.project is not None
    findings = [d for d in report.diagnostics if d.rule in BLOCKING and d.severity is Severity.ERROR]
    read = {"files": report.files, "maps": report.maps}
    if not settings.sources:
        echo(_no_sources(settings, named))
        return Outcome(findings, None, **read)
    maps = [m for m in report.project.maps if m.src.display in report.targets]
    progress = terminal_progress()
    try:
        result = measure(maps, settings, progress)
    finally:
        if progress is not None:
            progress.clear()
    for run in result.runs:
        months = f"{run.first} to {run.last}" if run.first else "no dated rows"
        # A source's name as the other messages give it: one of 10,000 characters was said whole.
        name = shorten(run.name)
        echo(f"{name}: {counted(run.rows, 'row')}, {months}, in {run.seconds:.1f} s")
        # Each said only when there are some: "0 lines that are not CSV rows" was said of
        # every JSON Lines and Parquet source.
        uncounted = []
        if run.malformed_rows:
            uncounted.append(f"{counted(run.malformed_rows, 'row')} without a readable id or date")
        if run.rejected_lines:
            verb = "is not a CSV row" if run.rejected_lines == 1 else "are not CSV rows"
            uncounted.append(f"{counted(run.rejected_lines, 'line')} that {verb}")
        if uncounted:
            echo(f"  {', '.join(uncounted)}: not counted")
        if run.future_rows:
            echo(
                f"  {counted(run.future_rows, 'row')} dated after this month "
                "(a typo? 9999-12-31?): not counted"
            )
        if run.early_rows:
            echo(
                f"  {counted(run.early_rows, 'row')} dated before {EARLIEST[0]} (an empty date read as "
                "1970-01-01? 0001-01-01?): not counted"
            )
        # Exports overlap (a weekly and a monthly one; a copy): each ticket once. A survey's
        # ticket source's too: the survey's responses are joined to each ticket once.
        tickets, joined = run.ticket_duplicates or ("", [])
        tickets = shorten(tickets)
        for (dropped, kept, count), of in [(d, "") for d in run.duplicates] + [
            (d, f" (ticket source {tickets})") for d in joined
        ]:
            where = (
                "that file has on another row too, counted once"
                if dropped == kept
                else f"{named(kept)} has too, counted once (from the file later in name order)"
            )
            echo(f"  {counted(count, 'row')} of {named(dropped)}{of}: tickets {where}")
        if run.table_duplicates:  # as an export's: the table's rows are tickets too
            table = settings.sources[run.name]["table"]
            echo(
                f"  {counted(run.table_duplicates, 'row')} of {table}: tickets that table has on another "
                "row too, counted once"
            )
        for path, line, count in run.headers_again:  # exports joined by cat, headers and all
            where = f"{named(path)}:{line}" if line else named(path)
            echo(
                f"  {where}: the header row again (exports joined with their headers?): "
                f"{counted(count, 'row')}, not counted"
            )
        for path in run.no_rows:  # a month missing from every number, not a quiet one
            echo(f"  {named(path)} has no ticket below its header (an export filtered to nothing?)")
        # 42.0 or 0042 beside 42: not guessed to be one ticket, but said
        for n, how, ids in [
            (run.point_zero_ids, "a trailing .0 (an export re-saved by a spreadsheet)", "123.0 and 123"),
            (run.zero_padded_ids, "leading zeros", "00123 and 123"),
        ]:
            if n:
                echo(
                    f"  {counted(n, 'ticket id')} {'is' if n == 1 else 'are'} another row's but for {how}: "
                    f"{ids} are read as two tickets"
                )
        missing, zeros, point_zero = run.unmatched
        if missing:  # ids written otherwise by the survey tool: said, not guessed at
            source = tickets or "its ticket source"
            reasons = [
                f"{n:,} of them are {source}'s ids but for {how}: {ids} are read as two tickets"
                for n, how, ids in [
                    (zeros, "leading zeros", "00123 and 123"),
                    (point_zero, "a trailing .0 (an export re-saved by a spreadsheet)", "123.0 and 123"),
                ]
                if n
            ]
            because = "; ".join(reasons)
            echo(
                f"  {counted(missing, 'response')} {'names' if missing == 1 else 'name'} a ticket {source} "
                f"does not have: its selectors cannot test them{f' ({because})' if because else ''}"
            )
        if run.first_rejected is not None:
            path, line, why = run.first_rejected
            echo(f"  the first line that is not a CSV row: {named(path)}:{line}: {why}")
        if (undated := run.first_undated) is not None:
            where = named(undated.path)
            if undated.line:
                where += f":{undated.line}:{undated.column}"
            echo(
                f"  the first date that does not read: {where}: column '{undated.header}': "
                f"{undated.said(line=False)} (set its format under [sources.{name}.columns])"
            )
        for header, count in sorted(run.bad_values.items()):
            echo(f"  {counted(count, 'value')} of '{header}' could not be read: left out of its metric")
        if run.unavailable:
            # Said as a fact, not a fault: a newcomer could not tell whether to act on it.
            echo(
                f"  not measured, this export has no columns for them: {', '.join(run.unavailable)}"
                " (KPIs on them keep their declared values)"
            )
            said = [f"{key} ({', '.join(names)})" for key, names in run.needed.items()]
            headers = [text for text in said if text.startswith("'")]
            fields = [text for text in said if not text.startswith("'")]
            where = f"[sources.{name}.columns]"
            # "map" is a journey map here: say "name", and the line to write for a field.
            if headers:
                echo(
                    f"  to measure them, export the columns {', '.join(headers)}, or name yours under {where}"
                )
            if fields:
                keys = [text.split(" (", 1)[0] for text in fields]
                it, column = ("it", "column") if len(keys) == 1 else ("them", "columns")
                lines = ", ".join(f'{key} = "COLUMN"' for key in keys)
                echo(
                    f"  no column is known for {', '.join(fields)}: to measure {it}, "
                    f"name your export's {column} under {where} ({lines})"
                )
    for path in result.written:
        echo(f"wrote {named(path)}")
    if result.unchanged:
        echo(f"{counted(len(result.unchanged), 'snapshot')} unchanged")
    tracked, added = exports_git_takes((f for run in result.runs for f in run.files), settings.root)
    note = warning(tracked, added, (named(p) for p in (*tracked, *added)))
    if note is not None:
        echo(note)
    return Outcome(findings, result, **read)


def error_finding(exc: MeasureError, settings: Settings, cwd: Path) -> Diagnostic:
    """A source that could not be measured, as lint reports a problem: at the export file's
    line, else at the source's key in the settings file (its table's line for a problem of
    the whole source), with a rule name. It was one line that named neither a line nor a rule,
    so CI could not annotate it and an editor could not jump to it."""
    from journeymaps.direction_controls import shown
    from journeymaps.rules import all_rules
    from journeymaps.settings import read_settings_text
    from journeymaps.toml_positions import key_at, value_at

    rule = all_rules()[exc.rule or (INVALID_SETTINGS if exc.settings else UNREADABLE_SOURCE)]
    where, span = display_path(settings.root, cwd), FILE_START
    if exc.file is not None:
        where, span = display_path(exc.file, cwd), Span.point(exc.line, exc.column)
    elif settings.file is not None:
        where = display_path(settings.file, cwd)
        try:
            text = read_settings_text(settings.file)
        except (OSError, UnicodeDecodeError):  # changed since it was read: its first line
            text = ""
        if text and exc.setting is not None:
            path = ("sources", *exc.setting)
            span = value_at(text, path) if len(path) > 2 else key_at(text, path)
    # an export's name and a database's words are quoted: their controls as escapes
    return Diagnostic(rule.name, rule.code, Severity.ERROR, where, span, shown(str(exc)))
