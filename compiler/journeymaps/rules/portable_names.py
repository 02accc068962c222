"""Names every checkout can hold: Windows keeps some names for its devices, in any case and
with any extension (``con``, ``con.html``, ``NUL.yaml``), and refuses some characters."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import PurePosixPath

from journeymaps.diagnostics import FILE_START, Severity
from journeymaps.model import Map
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map
from journeymaps.windows_names import device_name, name_problem


@map_rule(
    "windows-reserved-name",
    "JM105",
    Severity.ERROR,
    "A map id or map file named as a Windows device (con, nul, aux, com1), or a file name Windows refuses.",
    bad=with_map(GOOD_MAP.replace("id: admin-locked-out", "id: aux", 1)),
    good=with_map(GOOD_MAP),
)
def windows_reserved_name(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A map's id names its page and diagrams in the site (`maps/ID.html`), and Windows keeps
    some names for its devices, in any case and with any extension: `con`, `prn`, `aux`,
    `nul`, `com0` to `com9`, `lpt0` to `lpt9` (and `com¹` to `com³`, `lpt¹` to `lpt³`).
    A site with `maps/con.html` cannot be checked out or unpacked on Windows, and a build
    there writes the page to the console. The same goes for a map's own file (`nul.yaml`)
    or a folder on its way (`aux/`), and for a name with a character Windows refuses
    (`<>:"\\|?*`, a control character: `billing: refunds.yaml`) or ending in a dot or
    space: the repository cannot be checked out there. Choose another id or name
    (`console`, `aux-billing`, `billing-refunds.yaml`).
    """
    map_id = m.id
    if device_name(map_id) is not None:
        yield Finding.at(
            m.loc,
            f"map id '{map_id}' is a name Windows keeps for a device: its page, maps/{map_id}.html, "
            "cannot be held by a Windows checkout of the site; choose another id",
            "id",
        )
    rel = os.path.relpath(m.src.path, ctx.settings.root)
    parts = PurePosixPath(rel.replace(os.sep, "/")).parts if not rel.startswith("..") else (m.src.path.name,)
    for depth, part in enumerate(parts, start=1):
        if (problem := name_problem(part)) is not None:
            what = "this file's name" if depth == len(parts) else f"the folder {'/'.join(parts[:depth])}/"
            yield Finding(
                m.src,
                FILE_START,
                f"{what} {problem}: the repository cannot be checked out there; rename it",
            )
            break
