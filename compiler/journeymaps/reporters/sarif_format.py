"""SARIF 2.1.0: rules with descriptions and help, stable ruleIds, fingerprints that follow
meaning (see journeymaps.fingerprints). Code scanning (GitHub) and most IDEs read it.

A run that could not check anything (invalid settings) is still a valid SARIF file: the
problem is a tool configuration notification and ``executionSuccessful`` is false, so an
upload step after it has a file to upload and says why there are no results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.parse import quote

from journeymaps import __version__
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.fingerprints import VERSION as FINGERPRINTS
from journeymaps.reporters.base import Outcome, in_workspace, unique_fingerprints
from journeymaps.terminal import writes_utf8

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def artifact(file: str | bytes) -> dict[str, str]:
    """A path as a SARIF artifactLocation: a percent-encoded URI reference (a space, '#', '%',
    ':' or a non-ASCII letter would otherwise make it another URI, or none). Given as bytes
    (a name that is not UTF-8), each byte is encoded as it is: the file's real name."""
    if (file[:1] == "/") if isinstance(file, str) else (file[:1] == b"/"):
        return {"uri": "file://" + quote(file, safe="/")}
    return {"uri": quote(file, safe="/"), "uriBaseId": "%SRCROOT%"}


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


def document(outcome: Outcome) -> dict[str, Any]:
    from journeymaps.rules import all_rules

    rules = list(all_rules().values())
    index = {r.name: i for i, r in enumerate(rules)}
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
                                "message": {"text": d.message},
                                "associatedRule": {"id": d.code, "index": index[d.rule]},
                                "locations": [_location(d, outcome.raw_names)],
                            }
                            for d in outcome.notifications
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
                        "message": {"text": d.message},
                        "locations": [_location(d, outcome.raw_names)],
                        "partialFingerprints": {FINGERPRINTS: fingerprint},
                        **({"properties": {"map": d.map_id, "path": d.path}} if d.map_id else {}),
                    }
                    for d, fingerprint in zip(
                        outcome.diagnostics, unique_fingerprints(outcome.diagnostics), strict=True
                    )
                ],
            }
        ],
    }


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    json.dump(document(outcome), out, indent=2, ensure_ascii=not writes_utf8(out))
    out.write("\n")
