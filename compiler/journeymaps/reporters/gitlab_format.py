"""GitLab Code Quality (the CodeClimate subset GitLab reads): every finding with a unique
fingerprint, so merge requests show what a change introduced and fixed."""

from __future__ import annotations

import json
from typing import TextIO

from journeymaps.diagnostics import Severity
from journeymaps.reporters.base import Outcome, in_workspace, unique_fingerprints
from journeymaps.terminal import writes_utf8

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    issues = []
    found = outcome.everything
    for d, fingerprint in zip(found, unique_fingerprints(found), strict=True):
        issues.append(
            {
                "type": "issue",
                "check_name": d.rule,
                "description": f"{d.code} [{d.rule}] {d.message}",
                "categories": ["Style"],
                "severity": SEVERITIES[d.severity],
                "fingerprint": fingerprint,
                "location": {
                    "path": in_workspace(d.file),
                    "lines": {"begin": d.span.line, "end": d.span.end_line},
                },
            }
        )
    json.dump(issues, out, indent=2, ensure_ascii=not writes_utf8(out))
    out.write("\n")
