"""The JSON contract: ``{"version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json
from typing import Any, TextIO

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.reporters.base import Outcome
from journeymaps.terminal import writes_utf8

VERSION = 1


def finding(d: Diagnostic) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "code": d.code,
        "severity": d.severity.value,
        "file": d.file,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "message": d.message,
        "map": d.map_id,
    }


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    document = {
        "version": VERSION,
        "findings": [finding(d) for d in outcome.everything],
        "summary": {
            "files": outcome.files,
            "maps": outcome.maps,
            "errors": outcome.count(Severity.ERROR),
            "warnings": outcome.count(Severity.WARNING),
            "infos": outcome.count(Severity.INFO),
        },
    }
    json.dump(document, out, indent=2, ensure_ascii=not writes_utf8(out))
    out.write("\n")
