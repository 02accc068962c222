"""JUnit XML, as Jenkins, GitLab and junitparser read it: one test suite per file checked,
a passing test case for a clean file, a case per finding.

A finding that fails the run (an error, or a warning with ``--strict``) is a ``<failure>``;
a file that could not be read or does not follow the format is an ``<error>`` (it could not
be checked); other findings are passing cases that carry their message in ``<system-out>``.
``classname`` is the file's path in dotted form (``maps.support.billing-dispute``), which
Jenkins shows as package ``maps.support`` and class ``billing-dispute``. A case's ``name`` is
its rule and the finding's fingerprint (``JM201 missing-owner [3f9a2b1c4d5e]``), not its
place: GitLab's merge request report and Jenkins' test history tell cases apart by suite,
class and name, and a case named "at 3:1" read as newly failed, and fixed, once a line was
added above it. Its place is in ``line`` and in the failure's text.

In CI each file is named from the repository's root (``GITHUB_WORKSPACE``,
``CI_PROJECT_DIR``), as ``github``, ``sarif`` and ``gitlab`` name it: run from a folder below
it, the names were ``refund.yaml`` beside ``/builds/acme/cx/maps/cancel.yaml`` (a class
named after the runner's checkout folder), and changed with the job's ``cd``.

The names CI shows people (a suite's ``name``, a case's ``classname``) show a file name's
control characters as escapes, as the text line does (``maps/b\\u202elmay.yaml``); the
``file`` attributes keep the name exact, for the tools that open the file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TextIO

from journeymaps.diagnostics import Diagnostic
from journeymaps.reporters.base import Outcome, in_workspace, one_line, unique_fingerprints
from journeymaps.reporters.text_format import line
from journeymaps.rules.input import INPUT_RULES
from journeymaps.terminal import writes_utf8

_XML_UNSAFE = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF], "\ufffd")


def _xml(text: str) -> str:
    return text.translate(_XML_UNSAFE)


def classname(file: str) -> str:
    """``maps/support/billing-dispute.yaml`` → ``maps.support.billing-dispute``."""
    shown = one_line(file)  # not exact: a direction control left raw reordered the name CI showed
    stem, dot, suffix = shown.rpartition(".")
    path = stem if dot and suffix in ("yaml", "yml", "toml") else shown
    parts = [p.replace(".", "_") for p in path.split("/") if p]
    return _xml(".".join(parts) or "journeymaps")


def case_name(d: Diagnostic, fingerprint: str) -> str:
    """A finding's case name: its rule and its fingerprint's first 12 hex digits (with the
    ``-1`` of a second finding alike), the same however the lines above it move."""
    digest, dash, n = fingerprint.partition("-")
    return f"{d.code} {d.rule} [{digest[:12]}{dash}{n}]"


def _text(d: Diagnostic) -> str:
    # The text format's line: a CR or LF in a file's name or a message is shown escaped, not
    # written raw (an XML reader turns a raw CR into LF: one finding read as two lines).
    return _xml(line(d))


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    # Each finding with its fingerprint, the second of two alike told apart (its case's name).
    by_file: dict[str, list[tuple[Diagnostic, str]]] = defaultdict(list)
    for file in outcome.targets:
        by_file[in_workspace(file)] = []
    everything = outcome.everything
    for d, fingerprint in zip(everything, unique_fingerprints(everything), strict=True):
        by_file[in_workspace(d.file)].append((d, fingerprint))
    suites = ET.Element("testsuites", name="journeymaps")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    if not by_file:
        by_file[""] = []  # nothing to check is still a passing run, not an empty report
    for file, found in sorted(by_file.items()):
        suite = ET.SubElement(suites, "testsuite", name=_xml(one_line(file) or "journeymaps lint"))
        counts = {"tests": max(len(found), 1), "failures": 0, "errors": 0}
        if not found:
            passed = ET.SubElement(suite, "testcase", classname=classname(file), time="0")
            passed.set("name", "passes every rule" if file else f"{outcome.files} files pass every rule")
            if file:
                passed.set("file", _xml(file))
        for d, fingerprint in found:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=classname(file),
                name=_xml(case_name(d, fingerprint)),
                file=_xml(file),
                line=str(d.span.line),
                time="0",
            )
            if (d.rule in INPUT_RULES or d in outcome.notifications) and outcome.fails(d):
                counts["errors"] += 1
                ET.SubElement(case, "error", message=_xml(d.message), type=d.rule).text = _text(d)
            elif outcome.fails(d):
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=_xml(d.message), type=d.rule).text = _text(d)
            else:
                ET.SubElement(case, "system-out").text = _text(d)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        suite.set("time", "0")
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set("time", f"{outcome.seconds:.3f}")
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    document = ET.tostring(suites, encoding="unicode")
    if not writes_utf8(out):
        # A terminal that is not UTF-8 wrote its characters as Python escapes ("caf\\xe9"),
        # which no JUnit reader turns back: as character references, the XML is ASCII and exact.
        document = document.encode("ascii", "xmlcharrefreplace").decode("ascii")
    out.write(document)
    out.write("\n")
