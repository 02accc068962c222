"""Rules about reading files. Their findings come from the loader and validator; they are
registered here so that ``rules``, ``explain``, settings and suppressions know them."""

from __future__ import annotations

from journeymaps.diagnostics import Severity
from journeymaps.rules import Rule, register

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

register(
    Rule(
        "yaml-syntax",
        "JM001",
        Severity.ERROR,
        "The file is not valid YAML, or uses YAML features maps refuse.",
        """
    The file could not be read as YAML: a syntax error, a tab used for indentation, a control
    character (pointed at by line and column), several documents in one file, or a feature
    journey maps refuse on purpose. Anchors and aliases (`&name`, `*name`) are refused because
    they hide what a map says and can expand into an "alias bomb" (one finding per file, with
    their count); custom tags (`!!python/object`) are refused because a map is data.
    """,
        bad={"map.yaml": "id: admin-locked-out\ntitle: Locked out\nstages:\n\t- id: discovery\n"},
        good={"map.yaml": _MAP},
    )
)
register(
    Rule(
        "encoding",
        "JM002",
        Severity.ERROR,
        "The file is not UTF-8.",
        """
    Journey maps are UTF-8 text (a byte-order mark is fine). Re-save the file as UTF-8; the
    finding points at the first byte that is not valid UTF-8.
    """,
        bad={"map.yaml": "id: admin-locked-out\ntitle: Caf\udce9 locked out\n"},
        good={"map.yaml": _MAP},
    )
)
register(
    Rule(
        "duplicate-key",
        "JM003",
        Severity.ERROR,
        "A key appears twice in the same mapping.",
        """
    YAML parsers silently keep the last of two equal keys, so half of what you wrote vanishes.
    journeymaps keeps the first, reports the second, and asks you to merge them.
    """,
        bad={"map.yaml": _MAP.replace("owner: support\n", "owner: support\nowner: product\n")},
        good={"map.yaml": _MAP},
    )
)
register(
    Rule(
        "schema",
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
    )
)
register(
    Rule(
        "unreadable-file",
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
    )
)
register(
    Rule(
        "unused-suppression",
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
    )
)
register(
    Rule(
        "invalid-settings",
        "JM007",
        Severity.ERROR,
        "journeymaps.toml or [tool.journeymaps] is invalid.",
        """
    The settings file does not follow `journeymaps schema config`: an unknown key, a wrong
    type, an unknown rule name or severity. Nothing is linted until it is fixed (exit code 2).
    """,
    )
)
