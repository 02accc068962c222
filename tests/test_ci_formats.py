"""Each CI format checked against its specification."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import BASE, write_files
from in_process import jm_here
from journeymaps.diagnostics import Diagnostic, Severity, Span
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.reporters.github_format import annotation

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
#: Format checks included: uri-reference is checked by rfc3987 (a test dependency).
FORMATS = jsonschema.FormatChecker()


def valid_sarif(document: dict) -> None:
    assert "uri-reference" in FORMATS.checkers, "install rfc3987: the URIs would go unchecked"
    jsonschema.validate(document, SARIF_SCHEMA, format_checker=FORMATS)


BROKEN = textwrap.dedent(BASE).strip().replace("owner: support\nreviewed", "reviewed") + "\n"
BROKEN += "pain_points:\n  - {id: p, at: one, kind: process, summary: S}\n"


def lint(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``journeymaps lint ARGS`` run in this process (see :mod:`in_process`): what each
    format says is the point here, not the process; ``env`` is added for the run."""
    return jm_here(cwd, "lint", "--today", "2026-11-22", *args, env=env)


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
    valid_sarif(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"JM001", "JM201", "JM601"} and all(r["help"]["text"] for r in rules)
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"JM001", "JM201", "JM601"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["journeymaps/v2"]
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def codeql_message(text: str) -> list[str | tuple[str, int]]:
    """A SARIF plain text message as GitHub's CodeQL viewer reads it (vscode-codeql's
    ``parseSarifPlainTextMessage``): text, and ``(link text, location id)`` for each embedded
    link, a ``[`` not escaped by an odd run of backslashes (SARIF 2.1.0 3.11.6)."""
    link = re.compile(r"\[(?P<text>(?:[^\\\]\[]|\\\\|\\\]|\\\[)*)\]\((?P<to>[0-9]+)\)")

    def unescape(s: str) -> str:
        return s.replace("\\[", "[").replace("\\]", "]").replace("\\\\", "\\")

    parts: list[str | tuple[str, int]] = []
    at = start = 0
    while (start := text.find("[", start)) >= 0:
        escapes = start - len(text[:start].rstrip("\\"))
        found = None if escapes % 2 else link.match(text, start)  # the lookbehind: not escaped
        if found is None:
            start += 1
            continue
        parts += [unescape(text[at:start]), (unescape(found["text"]), int(found["to"]))]
        at = start = found.end()
    return [*parts, unescape(text[at:])]


def test_sarif_messages_show_brackets_in_names_as_written_not_as_links(tmp_path: Path) -> None:
    """A team written as 'sup[x](1)' made a SARIF message with ``[x](1)`` in its text: an
    embedded link to a location that does not exist, which code scanning shows as a link
    (and drops the brackets). Brackets, and a backslash before one, are now escaped."""
    body = textwrap.dedent(BASE).strip().replace("owner: support\n    ev", "owner: 'sup[x](1)'\n    ev")
    body = body.replace("owner: product", "owner: 'a\\[b](2)\\]'")
    write_files(tmp_path / "maps", {"m.yaml": body + "\n"})
    said = [f["message"] for f in json.loads(lint(tmp_path, "--format", "json").stdout)["findings"]]
    assert any("'sup[x](1)'" in m for m in said) and any("'a\\[b](2)\\]'" in m for m in said)
    document = json.loads(lint(tmp_path, "--format", "sarif").stdout)
    valid_sarif(document)
    shown = [codeql_message(r["message"]["text"]) for r in document["runs"][0]["results"]]
    assert sorted(shown) == sorted([m] for m in said)  # each is text only, as lint says it
    assert all("markdown" not in r["message"] for r in document["runs"][0]["results"])


def test_sarif_of_a_clean_run_is_valid(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": textwrap.dedent(BASE).strip() + "\n"})
    document = json.loads(lint(tmp_path, "--format", "sarif").stdout)
    valid_sarif(document)
    assert document["runs"][0]["results"] == []
    # GitHub's code scanning links the tool's informationUri: it named a PyPI page that does
    # not exist (journeymaps is not published there); each rule's help names `explain`.
    assert "informationUri" not in document["runs"][0]["tool"]["driver"]


def test_junit_is_xml_with_a_case_per_finding(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    root = ET.fromstring(lint(tmp_path, "--format", "junit", "--strict").stdout)
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


def junit_suites(tmp_path: Path, *args: str) -> dict[str, object]:
    """The JUnit report as junitparser (what many CI plugins use) reads it."""
    from junitparser import JUnitXml

    path = tmp_path / "junit.xml"
    lint(tmp_path, "--output", f"junit={path.name}", *args)
    return {suite.name: suite for suite in JUnitXml.fromfile(str(path))}


def test_junit_as_ci_readers_see_it(tmp_path: Path) -> None:
    from junitparser import Error, Failure

    clean = textwrap.dedent(BASE).strip() + "\n"
    warned = (
        clean.replace("id: m\n", "id: w\n")
        + "pain_points:\n  - {id: p, at: one, kind: process, summary: S}\n"
    )
    write_files(
        tmp_path / "maps",
        {
            "clean.yaml": clean.replace("id: m\n", "id: c\n"),
            "warned.yaml": warned,
            "broken.yaml": "id: [\n",
            "sub/m.yaml": BROKEN,
        },
    )
    suites = junit_suites(tmp_path)
    assert set(suites) == {"maps/broken.yaml", "maps/clean.yaml", "maps/sub/m.yaml", "maps/warned.yaml"}
    (passed,) = list(suites["maps/clean.yaml"])  # type: ignore[call-overload]
    assert passed.is_passed and passed.classname == "maps.clean" and passed.name == "passes every rule"
    (warning,) = list(suites["maps/warned.yaml"])  # type: ignore[call-overload]
    assert warning.is_passed and "unaddressed-pain-point" in warning.system_out  # not a failure...
    broken = suites["maps/broken.yaml"]
    assert (broken.errors, broken.failures, broken.tests) == (1, 0, 1)  # type: ignore[attr-defined]
    assert isinstance(next(iter(broken)).result[0], Error)  # type: ignore[call-overload]
    m = suites["maps/sub/m.yaml"]
    assert (m.errors, m.failures, m.tests) == (0, 1, 2)  # type: ignore[attr-defined]
    assert {c.classname for c in m} == {"maps.sub.m"}  # type: ignore[attr-defined]
    for suite in suites.values():
        assert suite.time == 0 and suite._elem.get("errors") is not None  # type: ignore[attr-defined]
    strict = junit_suites(tmp_path, "--strict")  # ...unless --strict
    (warning,) = list(strict["maps/warned.yaml"])  # type: ignore[call-overload]
    assert isinstance(warning.result[0], Failure) and strict["maps/warned.yaml"].failures == 1  # type: ignore[attr-defined]


def test_junit_shows_a_direction_control_in_a_file_name_as_its_escape(tmp_path: Path) -> None:
    """``maps/b<U+202E>lmay.yaml``: the suite name and class name CI shows were written raw,
    so the name read in another order ("Trojan Source"); the text line already escaped it.
    The ``file`` attributes stay exact: tools open the file by them."""
    clean = textwrap.dedent(BASE).strip() + "\n"
    write_files(
        tmp_path / "maps",
        {"b\u202elmay.yaml": BROKEN, "c\u2066lean.yaml": clean.replace("id: m\n", "id: c\n")},
    )
    suites = junit_suites(tmp_path)
    assert set(suites) == {"maps/b\\u202elmay.yaml", "maps/c\\u2066lean.yaml"}
    broken, passed = suites["maps/b\\u202elmay.yaml"], suites["maps/c\\u2066lean.yaml"]
    assert {c.classname for c in broken} == {"maps.b\\u202elmay"}  # type: ignore[attr-defined]
    assert {c._elem.get("file") for c in broken} == {"maps/b\u202elmay.yaml"}  # type: ignore[attr-defined]
    assert [(c.classname, c._elem.get("file")) for c in passed] == [  # type: ignore[attr-defined]
        ("maps.c\\u2066lean", "maps/c\u2066lean.yaml")
    ]
    document = (tmp_path / "junit.xml").read_text("utf-8")
    assert document.count("\u202e") == 2 and document.count("\u2066") == 1  # the file attributes only


def test_sarif_uris_are_uri_references(tmp_path: Path) -> None:
    names = ["Billing dispute.yaml", "a#b.yaml", "100%.yaml", "caf\u00e9.yaml", "x:y.yaml"]
    write_files(tmp_path / "maps", {n: BROKEN.replace("id: m\n", f"id: m{i}\n") for i, n in enumerate(names)})
    document = json.loads(lint(tmp_path, "--format", "sarif").stdout)
    valid_sarif(document)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {
        "maps/Billing%20dispute.yaml",
        "maps/a%23b.yaml",
        "maps/100%25.yaml",
        "maps/caf%C3%A9.yaml",
        "maps/x%3Ay.yaml",
    }
    from urllib.parse import unquote

    assert {unquote(u) for u in uris} == {f"maps/{n}" for n in names}


def test_sarif_of_a_settings_error_is_written_with_a_notification(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    (tmp_path / "journeymaps.toml").write_text("paths = ['maps']\nreview-cadence = 3\n")
    result = lint(tmp_path, "--output", "sarif=out/r.sarif", "--output", "junit=out/j.xml")
    assert result.returncode == 2 and "JM007" in result.stdout
    document = json.loads((tmp_path / "out" / "r.sarif").read_text())
    valid_sarif(document)
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False and document["runs"][0]["results"] == []
    (note,) = invocation["toolConfigurationNotifications"]
    assert note["level"] == "error" and "review-cadence" in note["message"]["text"]
    assert note["associatedRule"]["id"] == "JM007"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "journeymaps.toml"
    assert ET.parse(tmp_path / "out" / "j.xml").getroot().get("errors") == "1"


def test_text_keeps_one_finding_per_line(tmp_path: Path) -> None:
    text = (
        textwrap.dedent(BASE)
        .strip()
        .replace("owner: product", 'owner: product\n    emotion: "x\\nfake.yaml:1:1: JM201\\e[2J"')
        + "\n"
    )
    write_files(tmp_path / "maps", {"m.yaml": text})
    out = lint(tmp_path).stdout.splitlines()
    # the schema's finding and JM904's (the value holds ESC), then the summary and the word
    # that the file was checked no further
    assert len(out) == 4 and all(line.startswith("maps/m.yaml:") for line in out[:2])
    assert "JM004 [schema]" in out[0] and "JM904 [text-control-character]" in out[1]
    # The newline in the value cannot start a line of its own (a fake finding), and the escape
    # sequence is shown, not run.
    assert "fake.yaml:1:1:" in out[0] and "\\x1b[2J" in out[0] and "\x1b" not in out[0]


def test_no_unused_suppression_where_the_rules_never_ran(tmp_path: Path) -> None:
    text = BROKEN.replace("reviewed:", "# journeymaps: ignore[missing-owner] legacy\nreviewed:").replace(
        "owner: product", "owner: product\n    emotion: 9"
    )
    write_files(tmp_path / "maps", {"m.yaml": text})
    found = json.loads(lint(tmp_path, "--format", "json").stdout)["findings"]
    assert [f["rule"] for f in found] == ["schema"]


def test_github_escapes_as_the_actions_toolkit_does() -> None:
    line = annotation(diag("100% broken\nsecond line", file="maps/a,b:c.yaml"))
    assert line.startswith(
        "::error file=maps/a%2Cb%3Ac.yaml,line=3,col=5,endColumn=9,title=JM201 missing-owner::"
    )
    assert line.endswith("::maps/a,b:c.yaml:3:5: JM201 [missing-owner] 100%25 broken%0Asecond line")
    assert "\n" not in line


def toolkit_escape_property(s: str) -> str:
    """actions/toolkit packages/core/src/command.ts ``escapeProperty``, transcribed."""
    return (
        s.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def runner_unescape_property(s: str) -> str:
    """What the runner makes of it (actions/runner ActionCommand.UnescapeProperty)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        s = s.replace(escaped, raw)
    return s


@pytest.mark.parametrize(
    "name",
    [
        "maps/a\tb.yaml",
        "maps/100%:x,y.yaml",
        "maps/a\x1bb.yaml",
        "maps/line\u2028break.yaml",
        "maps/cr\rlf\n.yaml",
    ],
)
def test_github_file_property_is_escaped_byte_for_byte_as_the_toolkit_does(name: str) -> None:
    """A tab (or ESC) in a file name was written as the message's escape, ``\\t``: GitHub
    looked for a file named with a backslash and showed the annotation on no line."""
    line = annotation(diag(file=name))
    props = line.split("::")[1].partition(" ")[2]
    file = props.split(",")[0].removeprefix("file=")
    assert file == toolkit_escape_property(name)
    assert runner_unescape_property(file) == name
    assert "\n" not in line and "\r" not in line  # one command, one line


def test_github_puts_errors_first_and_says_how_many_github_leaves_out() -> None:
    """GitHub annotates the first 10 errors, 10 warnings and 10 notices of a step and drops
    the rest without a word: a file's infos and warnings came before the next file's
    errors, and nothing said that 2 errors were not annotated."""
    found = []
    for i in range(12):
        found += [
            diag(file=f"maps/m{i:02}.yaml", severity=Severity.INFO, span=Span(1, 1, 1, 1)),
            diag(file=f"maps/m{i:02}.yaml", severity=Severity.WARNING, span=Span(2, 1, 2, 1)),
            diag(file=f"maps/m{i:02}.yaml", span=Span(3, 1, 3, 1)),
        ]
    lines = render("github", found[:-2]).splitlines()  # 11 errors, 11 warnings, 12 infos
    assert lines[0] == (
        "::notice title=journeymaps%3A more findings than annotations::GitHub shows 10 annotations of "
        "each kind per step: 1 more error, 1 more warning and 3 more infos are not annotated; every "
        "finding is in this step's log (and in code scanning, with --output sarif=FILE uploaded)"
    )
    kinds = [line.split(" ")[0] for line in lines[1:-1]]
    assert kinds == ["::error"] * 11 + ["::warning"] * 11 + ["::notice"] * 12
    assert lines[1].startswith("::error file=maps/m00.yaml,line=3,")  # each kind in file order
    few = render("github", found[:9]).splitlines()
    assert not few[0].startswith("::notice title=journeymaps")  # all shown: nothing to say


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
    assert out[-1] == "journeymaps: 1 error, 1 warning in 1 file (1 map)"


def test_gitlab_fields_and_unique_fingerprints() -> None:
    same = [diag(), diag(), diag(path="stages[1]")]
    issues = json.loads(render("gitlab", same))
    assert len({i["fingerprint"] for i in issues}) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"] == {"path": "maps/a.yaml", "lines": {"begin": 3, "end": 3}}


def test_sarif_fingerprints_are_unique_as_code_scanning_needs() -> None:
    """Two findings alike in one map (a duplicate key in two stages) had one SARIF
    fingerprint: code scanning takes a fingerprint for one alert, so the pull request's
    second read as the alert main already had, nothing new."""
    same = [diag(), diag(span=Span(9, 5, 9, 9)), diag(path="stages[1]")]
    document = json.loads(render("sarif", same))
    valid_sarif(document)
    prints = [r["partialFingerprints"]["journeymaps/v2"] for r in document["runs"][0]["results"]]
    assert prints[1] == prints[0] + "-1" and len(set(prints)) == 3
    gitlab = [i["fingerprint"] for i in json.loads(render("gitlab", same))]
    assert gitlab == prints  # one fingerprint a finding, whatever reads it


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


def gitlab_test_keys(tmp_path: Path, *args: str) -> dict[str, str]:
    """Each JUnit case as GitLab's merge request widget tells cases apart (its TestCase key:
    the suite's name, the classname and the case's name), read with junitparser, with its
    result: GitLab calls a failure whose key main's report lacks "newly failed", and one of
    main's whose key is gone "fixed". Cases alike in key are kept once."""
    from junitparser import JUnitXml

    path = tmp_path / "junit.xml"
    lint(tmp_path, "--output", f"junit={path.name}", *args)
    keys = {}
    for suite in JUnitXml.fromfile(str(path)):
        for case in suite:
            key = f"{suite.name}_{case.classname}_{case.name}"
            assert key not in keys, f"two cases GitLab keeps as one: {key}"
            keys[key] = type(case.result[0]).__name__ if case.result else "passed"
    return keys


def test_junit_cases_keep_their_identity_when_lines_move(tmp_path: Path) -> None:
    """A case was named by its position ("JM201 missing-owner at 3:1"): a merge request adding
    a comment line at the top of a map showed each of its failures as newly failed, and as
    fixed, in GitLab's test report, as it does Jenkins' test history. Named by the finding's
    fingerprint, as SARIF and Code Quality place it, a moved finding is the same case; two
    findings of one rule in a file are still two cases."""
    twice = BROKEN.replace("  - id: two\n    name: Two\n    owner: product\n", "  - id: two\n    name: Two\n")
    write_files(tmp_path / "maps", {"m.yaml": BROKEN, "n.yaml": twice.replace("id: m\n", "id: n\n")})
    before = gitlab_test_keys(tmp_path, "--strict")
    assert sum(1 for key in before if "maps/n.yaml" in key and "missing-owner" in key) == 2, before
    for name in ("m.yaml", "n.yaml"):
        path = tmp_path / "maps" / name
        path.write_text("# reviewed with finance\n\n" + path.read_text())
    assert gitlab_test_keys(tmp_path, "--strict") == before


def render_sarif_codes(tmp_path: Path) -> str:
    results = json.loads(lint(tmp_path, "--format", "sarif").stdout)["runs"][0]["results"]
    return json.dumps(
        [
            {
                "code": r["ruleId"],
                "line": r["locations"][0]["physicalLocation"]["region"]["startLine"],
                "fingerprint": r["partialFingerprints"]["journeymaps/v2"],
            }
            for r in results
        ]
    )


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    result = lint(tmp_path, "--output", "sarif=reports/r.sarif", "--output", "gitlab=reports/gl.json")
    assert result.stdout.startswith("maps/m.yaml:1:1: JM201")  # the text still on the terminal
    valid_sarif(json.loads((tmp_path / "reports" / "r.sarif").read_text()))
    assert len(json.loads((tmp_path / "reports" / "gl.json").read_text())) == 2


@pytest.mark.parametrize("bad", ["xml=out.xml", "sarif", "sarif="])
def test_bad_output_option_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    result = lint(tmp_path, "--output", bad)
    assert result.returncode == 2 and "expected FORMAT=FILE" in result.stderr


@pytest.mark.parametrize("second", ["sarif=a.json", "sarif=./reports/../a.json", "json=a.json"])
def test_two_outputs_to_one_file_is_a_usage_error(tmp_path: Path, second: str) -> None:
    """``--output json=a.json --output sarif=a.json`` kept the SARIF and lost the JSON
    report, exit 0 and nothing said."""
    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    (tmp_path / "reports").mkdir()
    result = lint(tmp_path, "--output", "json=a.json", "--output", second)
    assert result.returncode == 2 and "name the same file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.json").exists()  # refused before anything runs


def test_a_sarif_uri_names_a_file_name_that_is_not_utf8_by_its_bytes(tmp_path: Path) -> None:
    """maps/bad\\xff.yaml (git takes any bytes): its SARIF uri was the shown name encoded,
    ``maps/bad%5Cxff.yaml`` (a backslash, 'x', 'f', 'f'), a file code scanning cannot find.
    It is the real bytes, ``maps/bad%FF.yaml``; the other outputs show the name as before."""
    import os
    from urllib.parse import unquote_to_bytes

    write_files(tmp_path / "maps", {"m.yaml": BROKEN})
    (tmp_path / os.fsdecode(b"maps/bad\xff.yaml")).write_text("id: [\n")
    document = json.loads(lint(tmp_path, "--format", "sarif").stdout)
    valid_sarif(document)
    uris = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris["JM001"] == "maps/bad%FF.yaml"
    assert unquote_to_bytes(uris["JM001"]) == b"maps/bad\xff.yaml"
    assert (tmp_path / os.fsdecode(unquote_to_bytes(uris["JM001"]))).is_file()
    assert uris["JM201"] == "maps/m.yaml"
    text = lint(tmp_path).stdout
    assert "maps/bad\\xff.yaml:1:5: JM001 [yaml-syntax] error:" in text
    shown = {f["file"] for f in json.loads(lint(tmp_path, "--format", "json").stdout)["findings"]}
    assert shown == {"maps/bad\\xff.yaml", "maps/m.yaml"}


def test_ci_formats_name_files_from_the_repository_root_when_lint_runs_in_a_subfolder(
    tmp_path: Path,
) -> None:
    """The action's working-directory input (or a job's cd) ran lint in journeys/: its
    annotations said file=maps/m.yaml, which GitHub looks for at the repository's root, so
    they landed on no line of the pull request; code scanning and GitLab read SARIF and
    Code Quality paths the same way."""
    repo = tmp_path / "repo"
    write_files(repo / "journeys" / "maps", {"m.yaml": BROKEN})
    work = repo / "journeys"
    env = {"GITHUB_WORKSPACE": str(repo)}
    github = lint(work, "--format", "github", env=env)
    errors = [line for line in github.stdout.splitlines() if line.startswith("::error ")]
    assert errors and all(line.startswith("::error file=journeys/maps/m.yaml,") for line in errors)
    assert "::maps/m.yaml:" in errors[0]  # the log's text keeps the path as run
    sarif_run = lint(work, "--format", "sarif", env=env)
    sarif = json.loads(sarif_run.stdout)
    valid_sarif(sarif)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }
    assert uris == {"journeys/maps/m.yaml"}
    gitlab_run = subprocess.run(
        [sys.executable, "-m", "journeymaps", "lint", "--today", "2026-11-22", "--format", "gitlab"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
        env={**{k: v for k, v in os.environ.items() if k != "GITHUB_WORKSPACE"}, "CI_PROJECT_DIR": str(repo)},
    )
    assert {i["location"]["path"] for i in json.loads(gitlab_run.stdout)} == {"journeys/maps/m.yaml"}
    # Outside CI, and for a file outside the workspace, the path is as shown.
    outside = lint(work, "--format", "github").stdout
    assert "::error file=maps/m.yaml," in outside


def test_junit_names_files_from_the_repository_root_in_ci_wherever_lint_runs(tmp_path: Path) -> None:
    """Run from a folder below the repository's root in CI, JUnit named a map there
    ``refund.yaml`` and one beside it by its absolute path, its class after the runner's
    checkout folder (``work.ciuser.proj.maps.cancel``), and the names changed with the
    job's ``cd``; ``github``, ``sarif`` and ``gitlab`` named both from the root. Found by a CI
    engineer's try-out (GitLab's test report and Jenkins' history track cases by them)."""
    repo = tmp_path / "repo"
    write_files(
        repo / "maps", {"cancel.yaml": BROKEN, "billing/refund.yaml": BROKEN.replace("id: m\n", "id: r\n", 1)}
    )
    (repo / "journeymaps.toml").write_text('paths = ["maps"]\n')
    names = {}
    for cwd in (repo, repo / "maps" / "billing"):
        run = lint(cwd, "--format", "junit", env={"CI_PROJECT_DIR": str(repo)})
        cases = ET.fromstring(run.stdout).iter("testcase")
        names[cwd] = {(c.get("classname"), c.get("file")) for c in cases}
    assert names[repo] == names[repo / "maps" / "billing"], names
    assert {file for _, file in names[repo]} == {"maps/cancel.yaml", "maps/billing/refund.yaml"}
    assert {cls for cls, _ in names[repo]} == {"maps.cancel", "maps.billing.refund"}


def test_ci_formats_name_files_from_a_workspace_reached_through_a_link(tmp_path: Path) -> None:
    """GITHUB_WORKSPACE (or CI_PROJECT_DIR) is a link to the checkout (a runner's work
    folder moved to another disk): the working folder is where it leads, so every file
    seemed outside the workspace, and annotations named maps/m.yaml from journeys/, a file
    the repository does not have. A file named through a link to the checkout, too; and a
    SARIF uri of a name that is not UTF-8 was left relative to the working folder."""
    from urllib.parse import unquote_to_bytes

    repo = tmp_path / "repo"
    write_files(repo / "journeys" / "maps", {"m.yaml": BROKEN})
    (repo / "journeys" / os.fsdecode(b"maps/bad\xff.yaml")).write_text("id: [\n")
    (tmp_path / "link").symlink_to(repo, target_is_directory=True)
    env = {"GITHUB_WORKSPACE": str(tmp_path / "link")}

    def run(cwd: Path, *args: str) -> str:
        return lint(cwd, *args, env=env).stdout

    annotations = [line for line in run(repo / "journeys", "--format", "github").splitlines() if "::" in line]
    files = {line.split(" file=", 1)[1].split(",", 1)[0] for line in annotations}
    assert files == {"journeys/maps/m.yaml", "journeys/maps/bad\\xff.yaml"}, annotations
    sarif = json.loads(run(repo / "journeys", "--format", "sarif"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }
    assert {unquote_to_bytes(u) for u in uris} == {b"journeys/maps/m.yaml", b"journeys/maps/bad\xff.yaml"}
    env["GITHUB_WORKSPACE"] = str(repo)
    named = run(tmp_path, "--format", "github", str(tmp_path / "link" / "journeys" / "maps" / "m.yaml"))
    assert "::error file=journeys/maps/m.yaml," in named


def test_ci_formats_name_a_map_that_is_a_link_by_the_file_it_leads_to(tmp_path: Path) -> None:
    """maps/m.yaml is a link to docs/m.yaml: git holds the link as one line naming its
    target, and a pull request shows the changed lines of docs/m.yaml; annotated and
    uploaded at the link's path, the findings were on no line of the diff."""
    write_files(tmp_path / "docs", {"m.yaml": BROKEN})
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "m.yaml").symlink_to(Path("..") / "docs" / "m.yaml")
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    github = lint(tmp_path, "--format", "github", env=env).stdout
    errors = [line for line in github.splitlines() if line.startswith("::error ")]
    assert errors and all(line.startswith("::error file=docs/m.yaml,") for line in errors), github
    assert "::maps/m.yaml:" in errors[0]  # the log's text keeps the path as run
    sarif = json.loads(lint(tmp_path, "--format", "sarif", env=env).stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }
    assert uris == {"docs/m.yaml"}


def test_ci_formats_name_a_linked_maps_folder_s_files_where_git_has_them(tmp_path: Path) -> None:
    """maps is a link to docs/journeys inside the repository: annotations and code scanning
    named maps/m.yaml, a link the pull request's diff does not show, so a new error was
    on no line of it. The text keeps the path as run."""
    write_files(tmp_path / "docs" / "journeys", {"m.yaml": BROKEN})
    (tmp_path / "maps").symlink_to(Path("docs") / "journeys")
    env = {"GITHUB_WORKSPACE": str(tmp_path)}

    def run(fmt: str) -> str:
        return lint(tmp_path, "--format", fmt, env=env).stdout

    annotations = run("github").splitlines()
    assert annotations[0].startswith("::error file=docs/journeys/m.yaml,"), annotations
    assert "::maps/m.yaml:" in annotations[0]
    sarif = json.loads(run("sarif"))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/journeys/m.yaml"


def test_junit_text_shows_a_line_break_in_a_file_name_escaped() -> None:
    """A map named ``new<CR>line.yaml`` (git takes any name): the JUnit text wrote the CR
    raw, which an XML reader reads as a line feed, so the finding read as two lines, and
    its name was not the one the text format shows."""
    found = [diag("m", file="maps/new\rline.yaml"), diag("m", file="maps/a\nb.yaml")]
    root = ET.fromstring(render("junit", found))
    texts = [e.text for e in root.iter() if e.tag in ("failure", "error", "system-out")]
    assert sorted(texts) == [
        "maps/a\\nb.yaml:3:5: JM201 [missing-owner] error: m",
        "maps/new\\rline.yaml:3:5: JM201 [missing-owner] error: m",
    ], texts
