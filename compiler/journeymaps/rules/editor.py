"""Editor support: the schema a file points its editor at is there and current."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from journeymaps import schema_copies
from journeymaps.diagnostics import Severity
from journeymaps.rules import Context, Finding, project_rule
from journeymaps.rules.examples import GOOD_MAP, with_map


@project_rule(
    "schema-reference",
    "JM104",
    Severity.WARNING,
    "The schema a file's yaml-language-server comment points at is missing or outdated.",
    bad=with_map("# yaml-language-server: $schema=../schema/journey-map.schema.json\n" + GOOD_MAP.lstrip()),
    good=with_map(GOOD_MAP),
)
def schema_reference(ctx: Context) -> Iterator[Finding]:
    """
    A `# yaml-language-server: $schema=...` comment at the top of a map gives completion,
    descriptions and checks in VS Code, JetBrains and Neovim. It should point, by a path
    relative to the map, at a copy of the schemas kept in the repository: that works offline.
    `journeymaps init` writes the copies into `schema/`; after upgrading journeymaps, run
    `journeymaps schema --write schema` so editors check against the format this version
    reads. A copy that is missing or from another version is reported, and so is an address
    on journeymaps.dev (no host serves the schemas).
    """
    read: dict[Any, Any] = {}
    files = [(m.src, "map") for m in ctx.project.maps] + list(ctx.project.registries)
    for src, kind in files:
        problem = schema_copies.check(src.path, src.display, src.text, kind, read)
        if problem is not None:
            yield Finding(src, problem.span, problem.message)
