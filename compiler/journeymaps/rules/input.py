"""Rules about reading files, and about the run itself. Their findings come from the loader,
the validator, the settings and lint; they are registered here so that ``rules``,
``explain``, settings and suppressions know them, and the code that reports them uses the
names below (a typo is an import error, not a rule that silently never matches)."""

from __future__ import annotations

from journeymaps.diagnostics import Severity
from journeymaps.rules import Kind, Rule, register

YAML_SYNTAX = "yaml-syntax"
ENCODING = "encoding"
DUPLICATE_KEY = "duplicate-key"
SCHEMA = "schema"
UNREADABLE_FILE = "unreadable-file"
UNUSED_SUPPRESSION = "unused-suppression"
INVALID_SETTINGS = "invalid-settings"
MERMAID_SYNTAX = "mermaid-syntax"
DIAGRAM_FAILED = "diagram-failed"
UNREADABLE_SOURCE = "unreadable-source"

_HERE: list[Rule] = []


def _rule(rule: Rule) -> None:
    _HERE.append(register(rule))


_MAP = """
id: admin-locked-out
title: Admin locked out of their account
owner: support
reviewed: 2026-11-01
stages:
  - id: discovery
    name: Problem discovery
    owner: product
    evidence: [{source: zendesk, kind: tickets}]
"""

_rule(
    Rule(
        YAML_SYNTAX,
        "JM001",
        Severity.ERROR,
        "The file is not valid YAML, or uses YAML features maps refuse.",
        """
    The file could not be read as YAML: a syntax error, a tab used for indentation, a control
    character (pointed at by line and column), several documents in one file, or a feature
    journey maps refuse on purpose. Anchors and aliases (`&name`, `*name`) are refused because
    they hide what a map says and can expand into an "alias bomb" (one finding per file, with
    their count); custom tags (`!!python/object`) are refused because a map is data. Every
    line a tab indents is a finding of its own, at its tab, in one run (YAML stops at the
    first; a tab inside a block of text, after its indentation, is text and fine).

    The mistakes people new to YAML make are named with their fix, at the line to edit (the
    parser notices some only a line later): a key with no `: ` (`owner:support`); `: ` or
    ` #` inside unquoted text (quote it); a line indented under the key above, or lined up
    with nothing above it; a first key indented more than the keys after it; `-id: x` for a
    list item; a `[` or `{` never closed; text after a closing quote or bracket (`[DRAFT]
    Admin locked out`); a value starting with `@` or `%`.
    """,
        bad={"map.yaml": "id: admin-locked-out\ntitle: Locked out\nstages:\n\t- id: discovery\n"},
        good={"map.yaml": _MAP},
        kind=Kind.FATAL,
    )
)
_rule(
    Rule(
        ENCODING,
        "JM002",
        Severity.ERROR,
        "The file is not UTF-8.",
        """
    Journey maps are UTF-8 text (a byte-order mark is fine). Re-save the file as UTF-8; the
    finding points at the first byte that is not valid UTF-8.
    """,
        bad={"map.yaml": "id: admin-locked-out\ntitle: Caf\udce9 locked out\n"},
        good={"map.yaml": _MAP},
        kind=Kind.FATAL,
    )
)
_rule(
    Rule(
        DUPLICATE_KEY,
        "JM003",
        Severity.ERROR,
        "A key appears twice in the same mapping.",
        """
    YAML parsers silently keep the last of two equal keys, so half of what you wrote vanishes.
    journeymaps keeps the first, reports the second, and asks you to merge them.
    """,
        bad={"map.yaml": _MAP.replace("owner: support\n", "owner: support\nowner: product\n")},
        good={"map.yaml": _MAP},
        kind=Kind.INPUT,
    )
)
_rule(
    Rule(
        SCHEMA,
        "JM004",
        Severity.ERROR,
        "The file does not follow the journey map format.",
        """
    The file does not match its JSON Schema (`journeymaps schema`): a missing required key, an
    unknown key (often a typo), a wrong type, or a value out of range. Add the line
    `# yaml-language-server: $schema=…/journey-map.schema.json` at the top of a map to get the
    same checks and completion in your editor. YAML 1.1 surprises do not apply: `no` and `on`
    stay text, dates stay text and are checked as dates.
    """,
        bad={"map.yaml": _MAP.replace("    owner: product\n", "    owner: product\n    emotion: 7\n")},
        good={"map.yaml": _MAP},
        kind=Kind.INPUT,
    )
)
_rule(
    Rule(
        UNREADABLE_FILE,
        "JM005",
        Severity.ERROR,
        "A file could not, or must not, be read.",
        """
    The file exists but could not be read (permissions, a broken link, a folder named like a
    map, a sub-folder that cannot be listed), or it is not read on purpose: a symlink that
    points outside the project (a link to a secret in a pull request would otherwise be
    quoted in findings and published), something that is not a regular file (a FIFO would
    hang the run, /dev/zero would never end), or a file larger than `max-file-size-kb` in the
    settings (1024 by default). The other files are still checked.
    """,
        kind=Kind.FATAL,
    )
)
_rule(
    Rule(
        UNUSED_SUPPRESSION,
        "JM006",
        Severity.WARNING,
        "An inline ignore comment suppresses nothing.",
        """
    A `# journeymaps: ignore[rule-name] reason` comment on a line (or on its own line just
    above it) silences that rule there. When the rule no longer fires, or the name is not a
    rule, the comment is reported so stale suppressions do not pile up.
    """,
        bad={
            "map.yaml": _MAP.replace(
                "owner: support\n", "owner: support  # journeymaps: ignore[missing-owner] legacy\n"
            )
        },
        good={"map.yaml": _MAP},
        kind=Kind.RUN,
    )
)
_rule(
    Rule(
        INVALID_SETTINGS,
        "JM007",
        Severity.ERROR,
        "journeymaps.toml or [tool.journeymaps] is invalid.",
        """
    The settings file does not follow `journeymaps schema config`: an unknown key, a wrong
    type, an unknown rule name or severity. Nothing is linted until it is fixed (exit code 2).
    """,
        kind=Kind.RUN,
    )
)

_rule(
    Rule(
        MERMAID_SYNTAX,
        "JM008",
        Severity.ERROR,
        "A file given to `journeymaps import` is not a Mermaid journey it can read.",
        """
    `journeymaps import journey.mmd` reads a Mermaid `journey` diagram: a `journey` line,
    `section` lines, and tasks written `Name: score: actors` with a score from 1 to 5, in
    UTF-8. Anything else is reported at its line and column, and no map is written
    (exit code 1).
    """,
        kind=Kind.RUN,
    )
)

_rule(
    Rule(
        DIAGRAM_FAILED,
        "JM009",
        Severity.ERROR,
        "A map's diagram could not be drawn: Graphviz failed, or took longer than --timeout.",
        """
    `journeymaps build`, `render` and `diff --site` lay out each diagram with Graphviz, each
    within `--timeout` seconds (30 by default). A diagram that cannot be laid out (a map whose
    every stage leads to every other can take minutes) is reported at its map, the others
    are still drawn, and the run exits 1. Simplify the map's flow (fewer `next:` links), or
    raise `--timeout`.
    """,
        kind=Kind.RUN,
    )
)

_rule(
    Rule(
        UNREADABLE_SOURCE,
        "JM010",
        Severity.ERROR,
        "`journeymaps measure` cannot read a configured source as its settings describe it.",
        """
    An export file that is empty, garbled, saved as UTF-16 or UTF-32 (save it as UTF-8), not
    CSV, JSON Lines or Parquet, has a row longer than `memory-limit` reads, or lacks a column
    the source needs or its other files have (a monthly export with `Tags` renamed would
    measure that month without tags); no export where `path` points; a database that refuses
    the query or cannot be reached. Reported at the file's line (a JSON Lines record that is
    not JSON, a CSV row too long; the header row for the whole file) or at the source's
    settings, nothing is written, and `measure` exits 2. Export the file again with the same
    columns, or map the column under `[sources.NAME.columns]`.
    """,
        kind=Kind.RUN,
    )
)

#: A file with one of these problems has no data: no other rule runs on it.
FATAL_RULES = frozenset(r.name for r in _HERE if r.kind is Kind.FATAL)
#: The problems of reading a file (the loader's and the validator's findings).
INPUT_RULES = FATAL_RULES | {r.name for r in _HERE if r.kind is Kind.INPUT}
