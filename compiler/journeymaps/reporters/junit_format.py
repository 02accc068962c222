"""JUnit XML: one test suite per file, one failing test case per finding (infos are
skipped cases), and a passing case for a clean file, so CI test tabs show maps as tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TextIO

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.reporters.base import Outcome

_XML_UNSAFE = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF], "\ufffd")


def _xml(text: str) -> str:
    return text.translate(_XML_UNSAFE)


def report(outcome: Outcome, out: TextIO, colour: bool) -> None:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in outcome.diagnostics:
        by_file[d.file].append(d)
    suites = ET.Element(
        "testsuites",
        name="journeymaps",
        tests=str(max(len(outcome.diagnostics), 1)),
        failures=str(sum(1 for d in outcome.diagnostics if d.severity is not Severity.INFO)),
    )
    if not by_file:
        suite = ET.SubElement(suites, "testsuite", name="journeymaps lint", tests="1", failures="0")
        ET.SubElement(
            suite, "testcase", classname="journeymaps", name=f"{outcome.files} files pass every rule"
        )
    for file, found in sorted(by_file.items()):
        failures = [d for d in found if d.severity is not Severity.INFO]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=_xml(file),
            tests=str(len(found)),
            failures=str(len(failures)),
            skipped=str(len(found) - len(failures)),
        )
        for d in found:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_xml(file),
                name=_xml(f"{d.code} {d.rule} at {d.span.line}:{d.span.column}"),
                file=_xml(file),
                line=str(d.span.line),
            )
            if d.severity is Severity.INFO:
                ET.SubElement(case, "skipped", message=_xml(d.message))
            else:
                failure = ET.SubElement(case, "failure", message=_xml(d.message), type=d.rule)
                failure.text = _xml(
                    f"{d.file}:{d.span.line}:{d.span.column}: {d.code} [{d.rule}] "
                    f"{d.severity.value}: {d.message}"
                )
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
