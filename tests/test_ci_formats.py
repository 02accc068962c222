"""Each CI format checked against its specification."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import BASE, write_files
from journeymaps.diagnostics import Diagnostic, Severity, Span
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.reporters.github_format import annotation

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
BROKEN = textwrap.dedent(BASE).strip().replace("owner: support\nreviewed", "reviewed") + "\n"
BROKEN += "pain_points:\n  - {id: p, at: one, kind: process, summary: S}\n"


def lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeymaps", "lint", "--today", "2026-11-22", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def render(fmt: str, diagnostics: list[Diagnostic]) -> str:
    out = io.StringIO()
    REPORTERS[fmt](Outcome(diagnostics, 1, 1), out, False)
    return out.getvalue()


def diag(message: str = "m", file: str = "maps/a.yaml", span: Span | None = None, **kw: object) -> Diagnostic:
    span = span or Span(3, 5, 3, 9)
    return Diagnostic(
        kw.get("rule", "missing-owner"),
        "JM201",
        kw.get("severity", Severity.ERROR),
        file,
        span,  # type: ignore[arg-type]
        message,
        "a",
        str(kw.get("path", "stages[0]")),
    )


def test_sarif_validates_against_the_official_schema(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN, "bad.yaml": "id: [\n"})
    result = lint(tmp_path, "--format", "sarif")
    document = json.loads(result.stdout)
    jsonschema.validate(document, SARIF_SCHEMA)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"JM001", "JM201", "JM601"} and all(r["help"]["text"] for r in rules)
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"JM001", "JM201", "JM601"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["journeymaps/v1"]
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_sarif_of_a_clean_run_is_valid(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": textwrap.dedent(BASE).strip() + "\n"})
    document = json.loads(lint(tmp_path, "--format", "sarif").stdout)
    jsonschema.validate(document, SARIF_SCHEMA)
    assert document["runs"][0]["results"] == []


def test_junit_is_xml_with_a_case_per_finding(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    root = ET.fromstring(lint(tmp_path, "--format", "junit").stdout)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("name") == "maps/m.yaml" and len(cases) == int(suite.get("tests", "0")) == 2
    assert {c.find("failure").get("type") for c in cases} == {"missing-owner", "unaddressed-pain-point"}  # type: ignore[union-attr]


def test_junit_of_a_clean_run_has_one_passing_case(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": textwrap.dedent(BASE).strip() + "\n"})
    root = ET.fromstring(lint(tmp_path, "--format", "junit").stdout)
    (case,) = root.iter("testcase")
    assert case.find("failure") is None


def test_github_escapes_as_the_actions_toolkit_does() -> None:
    line = annotation(diag("100% broken\nsecond line", file="maps/a,b:c.yaml"))
    assert line.startswith(
        "::error file=maps/a%2Cb%3Ac.yaml,line=3,col=5,endColumn=9,title=JM201 missing-owner::"
    )
    assert line.endswith("::maps/a,b:c.yaml:3:5: JM201 [missing-owner] 100%25 broken%0Asecond line")
    assert "\n" not in line


def test_github_column_rules() -> None:
    assert ",col=5,endColumn=9," in annotation(diag())  # a range within one line
    multi = annotation(diag(span=Span(3, 5, 7, 1)))
    assert "endLine=7" in multi and "col=" not in multi  # no column range across lines
    point = annotation(diag(span=Span(3, 5, 3, 5)))
    assert ",col=5," in point and "endColumn" not in point
    assert annotation(diag(severity=Severity.INFO)).startswith("::notice ")
    assert annotation(diag(severity=Severity.WARNING)).startswith("::warning ")


def test_github_format_end_to_end(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    out = lint(tmp_path, "--format", "github").stdout.splitlines()
    assert out[0].startswith("::error file=maps/m.yaml,line=1,col=1,") and "JM201 [missing-owner]" in out[0]
    assert out[-1] == "journeymaps: 1 errors, 1 warnings in 1 files (1 maps)"


def test_gitlab_fields_and_unique_fingerprints() -> None:
    same = [diag(), diag(), diag(path="stages[1]")]
    issues = json.loads(render("gitlab", same))
    assert len({i["fingerprint"] for i in issues}) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"] == {"path": "maps/a.yaml", "lines": {"begin": 3, "end": 3}}


def test_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    before = {f["code"]: f for f in json.loads(render_sarif_codes(tmp_path))}
    path = tmp_path / "maps" / "m.yaml"
    path.write_text("# a comment\n\n" + path.read_text())
    after = {f["code"]: f for f in json.loads(render_sarif_codes(tmp_path))}
    assert before.keys() == after.keys()
    for code in before:
        assert before[code]["line"] + 2 == after[code]["line"]
        assert before[code]["fingerprint"] == after[code]["fingerprint"]


def render_sarif_codes(tmp_path: Path) -> str:
    results = json.loads(lint(tmp_path, "--format", "sarif").stdout)["runs"][0]["results"]
    return json.dumps(
        [
            {
                "code": r["ruleId"],
                "line": r["locations"][0]["physicalLocation"]["region"]["startLine"],
                "fingerprint": r["partialFingerprints"]["journeymaps/v1"],
            }
            for r in results
        ]
    )


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    result = lint(tmp_path, "--output", "sarif=reports/r.sarif", "--output", "gitlab=reports/gl.json")
    assert result.stdout.startswith("maps/m.yaml:1:1: JM201")  # the text still on the terminal
    jsonschema.validate(json.loads((tmp_path / "reports" / "r.sarif").read_text()), SARIF_SCHEMA)
    assert len(json.loads((tmp_path / "reports" / "gl.json").read_text())) == 2


@pytest.mark.parametrize("bad", ["xml=out.xml", "sarif", "sarif="])
def test_bad_output_option_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    result = lint(tmp_path, "--output", bad)
    assert result.returncode == 2 and "expected FORMAT=FILE" in result.stderr
