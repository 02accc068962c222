"""The one finding type shared by every rule and every reporter."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How bad a finding is; ``off`` only appears in settings, never on a finding."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where, which rule, how severe, and what to do about it."""

    rule: str
    code: str
    severity: Severity
    file: str
    span: Span
    message: str
    map_id: str | None = None

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.span.line, self.span.column, self.code, self.message)
