"""SARIF within what its real consumer accepts: GitHub code scanning rejects a whole upload
whose run holds more than 25,000 results ("Analysis SARIF file rejected due to result
limits"). A first lint of a large legacy portfolio then gave no alert at all."""

from __future__ import annotations

import io
import json

import pytest

from journeymaps.diagnostics import Severity
from journeymaps.reporters import REPORTERS, Outcome
from test_ci_formats import diag, valid_sarif

RESULTS_PER_RUN = 25_000  # docs.github.com: "SARIF results exceed hard limit"


def sarif(diagnostics: list, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    out = io.StringIO()
    REPORTERS["sarif"](Outcome(diagnostics, 1, 1), out, False)
    return json.loads(out.getvalue()), capsys.readouterr().err


def test_a_run_over_the_limit_keeps_the_most_severe_and_says_what_it_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Warnings first in the files' order, three errors last: a cut at the limit in order
    # would have dropped the errors, the findings that fail the build.
    many = [diag(f"w{i}", file=f"maps/m{i}.yaml", severity=Severity.WARNING) for i in range(RESULTS_PER_RUN)]
    errors = [diag(f"e{i}", file=f"maps/e{i}.yaml") for i in range(3)]
    document, err = sarif([*many, *errors], capsys)
    run = document["runs"][0]
    results = run["results"]
    assert len(results) == RESULTS_PER_RUN
    assert [r["message"]["text"] for r in results if r["level"] == "error"] == ["e0", "e1", "e2"]
    assert results[0]["message"]["text"] == "w0"  # kept in their order
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    said = note["message"]["text"]
    assert "25,000 most severe of 25,003 findings (3 warnings left out)" in said
    assert "journeymaps lint" in said
    assert said in err  # the CI log says it too
    # Each kept finding has the fingerprint it has in a run with nothing left out.
    whole, _ = sarif(errors, capsys)
    assert [r["partialFingerprints"] for r in results[-3:]] == [
        r["partialFingerprints"] for r in whole["runs"][0]["results"]
    ]
    run["results"] = results[:5]  # the official schema, on a sample (25,000 take minutes)
    valid_sarif(document)


def test_a_run_within_the_limit_is_whole_and_silent(capsys: pytest.CaptureFixture[str]) -> None:
    findings = [diag(f"w{i}", severity=Severity.WARNING, path=f"stages[{i}]") for i in range(3)]
    document, err = sarif(findings, capsys)
    assert len(document["runs"][0]["results"]) == 3
    assert document["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []
    assert err == ""
    valid_sarif(document)
