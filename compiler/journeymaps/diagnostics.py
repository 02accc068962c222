"""The one finding type shared by every rule and every reporter."""

from __future__ import annotations

import enum
import re

from journeymaps.records import record


class Severity(str, enum.Enum):
    """How bad a finding is; ``off`` only appears in settings, never on a finding."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@record(slots=True)
class Span:
    """A 1-based region of a file; ``end`` points just past the last character."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column)


FILE_START = Span(1, 1, 1, 1)


@record(slots=True)
class Diagnostic:
    """One finding: where, which rule, how severe, and what to do about it."""

    rule: str
    code: str
    severity: Severity
    file: str
    span: Span
    message: str
    map_id: str | None = None
    path: str = ""  # where in the file's data (e.g. stages[2].owner), when known
    anchor: str = ""  # what it is about, by ids or by text (see journeymaps.fingerprints)

    @property
    def fingerprint(self) -> str:
        """Stable across edits that move lines or list items: the rule, the map (or file)
        and what the finding is about, never a position."""
        from journeymaps.fingerprints import fingerprint, without_positions

        anchor = self.anchor or f"{self.path}\0{without_positions(self.message)}"
        return fingerprint(self.rule, self.map_id or self.file, anchor)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.span.line, self.span.column, self.code, self.message)


def shorten(text: str, limit: int = 40) -> str:
    """At most ``limit`` characters of something a file holds: a message names it so the
    user can find it, without echoing a file that may not be a map at all."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: What ``str.splitlines()`` breaks a line at besides CR and LF.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LINE_END = re.compile(r"\r\n|\r|\n")


def line_breaks(text: str, start: int = 0, end: int | None = None) -> int:
    """How many lines end in ``text[start:end]``: at CR, LF or CRLF, as the parsers and
    editors end them (a file of CR line ends was read as one line)."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def column_at(text: str, at: int) -> int:
    """The column (1-based) of offset ``at`` in its line of ``text``."""
    return at - max(text.rfind("\n", 0, at), text.rfind("\r", 0, at))


def position_after(before: str) -> tuple[int, int]:
    """The line and column (1-based) just past ``before``."""
    return line_breaks(before) + 1, column_at(before, len(before))


def text_lines(text: str) -> list[str]:
    """``text``'s lines as an editor (and every position journeymaps gives) counts them: split
    at CR and LF only, as ``str.splitlines()`` otherwise splits it."""
    if not _OTHER_BREAKS.search(text):
        return text.splitlines()
    lines = _LINE_END.split(text)
    return lines[:-1] if lines and not lines[-1] else lines
