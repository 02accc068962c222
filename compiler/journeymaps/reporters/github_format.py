"""GitHub Actions workflow commands: one annotation per finding, on the right line.

Escaped as the Actions toolkit escapes them (``%``, CR and LF in the message; also ``:`` and
``,`` in properties, and nothing else there: a property is a name the runner must get back
byte for byte); in the message, other control characters as the text format shows them. A column
range is given only within one line, as GitHub requires. The location is repeated in the
message because GitHub shows at most 10 annotations of each kind per step; the rest are
only in the log.
"""

from __future__ import annotations

from typing import TextIO

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.reporters.base import Outcome, in_workspace, one_line, plural

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    # Other line breaks (U+2028, form feed...) and control characters (ESC, which colours the
    # log or retitles a terminal) have no escape of GitHub's: written as \u2028, \x1b.
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A property (``file=``, ``title=``) exactly as the toolkit's ``escapeProperty``: the
    runner unescapes it back to the name it places the annotation by. A tab or an ESC in a
    file name was written as ``\\t`` or ``\\x1b`` (the message's escapes), a file no pull
    request has: the annotation was not shown on it. The runner reads a line up to CR or LF
    only, so the other control characters cannot end the command."""
    return (
        text.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def annotation(d: Diagnostic) -> str:
    # GitHub places an annotation by its path from the repository's root, not from where
    # lint ran; the text keeps the path as the log's reader typed it.
    props = [f"file={escape_property(in_workspace(d.file))}", f"line={d.span.line}"]
    if d.span.end_line == d.span.line and d.span.end_column > d.span.column:
        props += [f"col={d.span.column}", f"endColumn={d.span.end_column}"]
    elif d.span.end_line > d.span.line:
        props.append(f"endLine={d.span.end_line}")
    else:
        props.append(f"col={d.span.column}")
    props.append(f"title={escape_property(f'{d.code} {d.rule}')}")
    text = f"{d.file}:{d.span.line}:{d.span.column}: {d.code} [{d.rule}] {d.message}"
    return f"::{COMMANDS[d.severity]} {','.join(props)}::{escape_data(text)}"


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    for d in outcome.everything:
        out.write(annotation(d) + "\n")
    if outcome.quiet:
        return
    errors, warnings = outcome.count(Severity.ERROR), outcome.count(Severity.WARNING)
    out.write(
        f"journeymaps: {plural(errors, 'error')}, {plural(warnings, 'warning')} in "
        f"{plural(outcome.files, 'file')} ({plural(outcome.maps, 'map')})\n"
    )
