"""SARIF 2.1.0: rules with descriptions and help, stable ruleIds, fingerprints that follow
meaning (see journeymaps.fingerprints). Code scanning (GitHub) and most IDEs read it.

A run that could not check anything (invalid settings) is still a valid SARIF file: the
problem is a tool configuration notification and ``executionSuccessful`` is false, so an
upload step after it has a file to upload and says why there are no results.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.parse import quote

from journeymaps import __version__
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.fingerprints import VERSION as FINGERPRINTS
from journeymaps.reporters.base import Outcome, counted, in_workspace, unique_fingerprints
from journeymaps.terminal import writes_utf8

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: GitHub code scanning rejects a whole upload whose run has more results ("Analysis SARIF
#: file rejected due to result limits"): a first lint of a large legacy portfolio left the
#: repository with no alert at all rather than with the ones that matter.
RESULTS_PER_RUN = 25_000
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def artifact(file: str | bytes) -> dict[str, str]:
    """A path as a SARIF artifactLocation: a percent-encoded URI reference (a space, '#', '%',
    ':' or a non-ASCII letter would otherwise make it another URI, or none). Given as bytes
    (a name that is not UTF-8), each byte is encoded as it is: the file's real name."""
    if (file[:1] == "/") if isinstance(file, str) else (file[:1] == b"/"):
        return {"uri": "file://" + quote(file, safe="/")}
    return {"uri": quote(file, safe="/"), "uriBaseId": "%SRCROOT%"}


#: A bracket, with the backslashes right before it: what a plain text message must escape.
_BRACKETED = re.compile(r"(\\*)([\[\]])")


def message(text: str) -> dict[str, str]:
    """A plain text SARIF message saying ``text`` as it is. In a message's text, ``[here](3)``
    is an embedded link (SARIF 2.1.0 3.11.6), which code scanning shows as a link to a
    location: a step named ``Refund [x](1)`` would have been one. Every ``[`` and ``]`` is
    escaped with a backslash, and a backslash right before one with another, so viewers that
    follow the spec (and CodeQL's, which escapes them the same way) show them as written."""
    return {"text": _BRACKETED.sub(lambda m: m[1] * 2 + "\\" + m[2], text)}


def _location(d: Diagnostic, raw_names: Mapping[str, bytes]) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": artifact(in_workspace(raw_names.get(d.file) or d.file)),
            "region": {
                "startLine": d.span.line,
                "startColumn": d.span.column,
                "endLine": d.span.end_line,
                "endColumn": max(d.span.end_column, d.span.column),
            },
        }
    }


def kept(diagnostics: list[Diagnostic], limit: int = RESULTS_PER_RUN) -> list[int]:
    """The positions of the findings a run can hold: all of them, or the ``limit`` most
    severe (errors, then warnings, then notes; in their order within each), in their order."""
    if len(diagnostics) <= limit:
        return list(range(len(diagnostics)))
    ranked = sorted(range(len(diagnostics)), key=lambda i: _RANK[diagnostics[i].severity])
    return sorted(ranked[:limit])


def left_out(diagnostics: list[Diagnostic], keep: list[int]) -> str:
    """What was left out of the run, said for people; "" when nothing was."""
    if len(keep) == len(diagnostics):
        return ""
    kept_at = set(keep)
    out = [d for i, d in enumerate(diagnostics) if i not in kept_at]
    counts = ", ".join(
        counted(n, word)
        for severity, word in (
            (Severity.ERROR, "error"),
            (Severity.WARNING, "warning"),
            (Severity.INFO, "note"),
        )
        if (n := sum(1 for d in out if d.severity is severity))
    )
    return (
        f"This SARIF file holds the {len(keep):,} most severe of {len(diagnostics):,} findings "
        f"({counts} left out): GitHub code scanning rejects a run of more than "
        f"{RESULTS_PER_RUN:,} results. `journeymaps lint` lists them all."
    )


def document(outcome: Outcome) -> dict[str, Any]:
    from journeymaps.rules import all_rules

    rules = list(all_rules().values())
    index = {r.name: i for i, r in enumerate(rules)}
    # Fingerprints of every finding, before any is left out: each keeps its own.
    prints = unique_fingerprints(outcome.diagnostics)
    keep = kept(outcome.diagnostics)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "journeymaps",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "fullDescription": {"text": r.doc or r.summary},
                                "help": {
                                    "text": f"{r.doc}\n\nRun `journeymaps explain {r.name}` for examples."
                                },
                                "defaultConfiguration": {"level": LEVELS[r.severity]},
                            }
                            for r in rules
                        ],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not outcome.notifications,
                        "toolConfigurationNotifications": [
                            {
                                "level": LEVELS[d.severity],
                                "message": message(d.message),
                                "associatedRule": {"id": d.code, "index": index[d.rule]},
                                "locations": [_location(d, outcome.raw_names)],
                            }
                            for d in outcome.notifications
                        ],
                        "toolExecutionNotifications": [
                            {"level": "warning", "message": message(said)}
                            for said in filter(None, [left_out(outcome.diagnostics, keep)])
                        ],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {
                    "%SRCROOT%": {
                        "description": {
                            "text": "The repository's folder in CI (GITHUB_WORKSPACE, CI_PROJECT_DIR), "
                            "else the working folder of the run."
                        }
                    }
                },
                "results": [
                    {
                        "ruleId": d.code,
                        "ruleIndex": index[d.rule],
                        "level": LEVELS[d.severity],
                        "message": message(d.message),
                        "locations": [_location(d, outcome.raw_names)],
                        "partialFingerprints": {FINGERPRINTS: prints[i]},
                        **({"properties": {"map": d.map_id, "path": d.path}} if d.map_id else {}),
                    }
                    for i in keep
                    for d in (outcome.diagnostics[i],)
                ],
            }
        ],
    }


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    json.dump(document(outcome), out, indent=2, ensure_ascii=not writes_utf8(out))
    out.write("\n")
    if said := left_out(outcome.diagnostics, kept(outcome.diagnostics)):
        print(f"journeymaps: {said}", file=sys.stderr)  # in the CI log too, not only in the file
