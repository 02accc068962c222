"""The lines YAML refuses for a tab in their indentation, each at its tab (YAML stops at the
first); imported only when a parse fails."""

from __future__ import annotations

import dataclasses
import re

import yaml

from journeymaps.diagnostics import Span
from journeymaps.loader import LoadProblem
from journeymaps.rules.input import YAML_SYNTAX
from journeymaps.yaml_parsers import EVENT_LOADERS

#: Added to any YAML error at a tab (see yaml_errors.py), and to this search's finding.
TAB_HINT = " (YAML does not allow tabs for indentation; use spaces)"
TAB_INDENT = "this line is indented with a tab" + TAB_HINT
#: How far the search for tab-indented lines may read, in characters: it reads the file once
#: per such line, each time up to that line, so a map indented with tabs throughout (229
#: lines, 8 KB) reads 0.9 MB (0.14 s with libyaml, 1.8 s with the pure-Python parser).
#: Past this the lines left are not searched, and the last finding says so (a 100 KB map
#: indented with tabs throughout would take seconds).
TAB_SEARCH_LIMIT = 4_000_000
TAB_SEARCH_STOPPED = "; the lines below were not searched for more tabs"
#: Lines as YAML ends them (CR, LF or both; the line breaks only YAML 1.1 knows are already
#: stand-ins), each with its end.
_YAML_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def tab_indented(exc: yaml.MarkedYAMLError, text: str, parser: str) -> list[LoadProblem]:
    """Every line YAML refuses for a tab in its indentation, at its tab, when the error is
    one; [] otherwise.

    YAML stops at the first such tab, so a map indented with tabs got one finding a run.
    Each refused line is mended as a newcomer would (each tab two spaces, the maps' step)
    and the file read again, until it reads or stops at something else: that error is left
    unsaid, as it may only follow from the mending. Whether a tab is refused depends on the
    lines before it (a tab is text in a block scalar, a blank in a flow collection), so the
    parser that ran decides each one, not a pattern."""
    lines = _YAML_LINES.findall(text)
    found: list[LoadProblem] = []
    read = 0
    error: yaml.MarkedYAMLError | None = exc
    while error is not None and (mark := error.problem_mark) is not None:
        line = lines[mark.line] if mark.line < len(lines) else ""
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if mark.column >= len(indent) or indent[mark.column] != "\t":
            break  # not a tab in the indentation: that error is not for this search
        found.append(LoadProblem(YAML_SYNTAX, Span.point(mark.line + 1, mark.column + 1), TAB_INDENT))
        lines[mark.line] = indent.replace("\t", "  ") + line[len(indent) :]
        read += mark.index
        if read > TAB_SEARCH_LIMIT:
            found[-1] = dataclasses.replace(found[-1], message=TAB_INDENT + TAB_SEARCH_STOPPED)
            break
        error = _scan_error("".join(lines), parser)
    return found


def _scan_error(text: str, parser: str) -> yaml.MarkedYAMLError | None:
    """The first error YAML's scanner (tokens, no structure) finds in ``text``."""
    try:
        for _ in yaml.scan(text, Loader=EVENT_LOADERS[parser]):
            pass
    except yaml.MarkedYAMLError as exc:
        return exc
    except yaml.YAMLError:
        return None
    return None
