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


#: Annotations of each kind (error, warning, notice) GitHub shows for a step; the rest are
#: only in the step's log ("10 warning annotations, 10 error annotations, and 10 notice
#: annotations per step", actions/toolkit docs/problem-matchers.md; 50 per job).
SHOWN_PER_STEP = 10


def ordered(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then warnings, then infos, each in the order given: GitHub shows the
    first 10 of each kind, and a warning written first took no error's place, but a file's
    findings in file order let ten old infos and warnings of ``a.yaml`` read as the run."""
    return sorted(diagnostics, key=lambda d: d.severity.rank)


def overflow(diagnostics: list[Diagnostic], where: str) -> str | None:
    """A notice, written first (so it is among the notices shown), saying how many findings
    of each kind GitHub leaves out of the annotations and where they all are; None when
    every one is shown. GitHub drops the rest without a word."""
    counts = {sev: sum(1 for d in diagnostics if d.severity is sev) for sev in COMMANDS}
    if all(n <= SHOWN_PER_STEP for n in counts.values()):
        return None
    counts[Severity.INFO] += 1  # this notice takes a notice's place
    parts = [
        plural(n - SHOWN_PER_STEP, f"more {sev.value}") for sev, n in counts.items() if n > SHOWN_PER_STEP
    ]
    text = (
        f"GitHub shows {SHOWN_PER_STEP} annotations of each kind per step: {_and(parts)} are not "
        f"annotated; {where}"
    )
    title = escape_property("journeymaps: more findings than annotations")
    return f"::notice title={title}::{escape_data(text)}"


def _and(parts: list[str]) -> str:
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def annotation(d: Diagnostic, file: str | None = None) -> str:
    """``d`` as a workflow command, at ``file`` (default: ``d.file`` from the CI workspace)."""
    # GitHub places an annotation by its path from the repository's root, not from where
    # lint ran; the text keeps the path as the log's reader typed it.
    where = in_workspace(d.file) if file is None else file
    props = [f"file={escape_property(where)}", f"line={d.span.line}"]
    if d.span.end_line == d.span.line and d.span.end_column > d.span.column:
        props += [f"col={d.span.column}", f"endColumn={d.span.end_column}"]
    elif d.span.end_line > d.span.line:
        props.append(f"endLine={d.span.end_line}")
    else:
        props.append(f"col={d.span.column}")
    props.append(f"title={escape_property(f'{d.code} {d.rule}')}")
    text = f"{d.file}:{d.span.line}:{d.span.column}: {d.code} [{d.rule}] {d.message}"
    return f"::{COMMANDS[d.severity]} {','.join(props)}::{escape_data(text)}"


#: Where every finding of a lint run is, said when GitHub annotates only some.
EVERYTHING = "every finding is in this step's log (and in code scanning, with --output sarif=FILE uploaded)"


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    findings = [*outcome.notifications, *ordered(outcome.diagnostics)]
    if (notice := overflow(findings, EVERYTHING)) is not None:
        out.write(notice + "\n")
    for d in findings:
        out.write(annotation(d) + "\n")
    if outcome.quiet:
        return
    errors, warnings = outcome.count(Severity.ERROR), outcome.count(Severity.WARNING)
    out.write(f"journeymaps: {plural(errors, 'error')}, {plural(warnings, 'warning')} in {outcome.scope}\n")
