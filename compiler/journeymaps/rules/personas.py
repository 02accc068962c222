"""Personas: a photo is a local image inside the project, read like a map is."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Persona
from journeymaps.rules import Context, Finding, project_rule
from journeymaps.rules.examples import GOOD_MAP, TEAMS

_WITH_PHOTO = GOOD_MAP.replace(
    "persona: {name: Workspace admin, archetype: developer/admin}\n",
    "persona: {name: Workspace admin, archetype: developer/admin, photo: PHOTO}\n",
)


@project_rule(
    "persona-photo",
    "JM704",
    Severity.ERROR,
    "A persona's photo is outside the project, not a regular file, too large, or not an image.",
    bad={"teams.yaml": TEAMS, "map.yaml": _WITH_PHOTO.replace("PHOTO", "/home/me/.ssh/id_rsa")},
    good={
        "teams.yaml": TEAMS,
        "map.yaml": _WITH_PHOTO.replace("PHOTO", "maps/admin.gif"),
        "admin.gif": "GIF89a\x01\x00\x01\x00",
    },
)
def persona_photo(ctx: Context) -> Iterator[Finding]:
    """
    A persona's `photo` is copied into the site, so it is read under the same policy as the
    maps: a path relative to the project (the folder of the settings file), never outside it
    (no absolute path, no `..`, no link that leaves it), a regular file (not a FIFO or a
    device) of at most 2 MB, and a PNG, JPEG, GIF or WebP image by its bytes (an SVG can carry
    scripts, and a text file renamed .png is no photo) of at most 10,000 pixels a side and
    40 megapixels by its header (a few hundred bytes can claim 100,000 x 100,000 pixels, which
    every viewer's browser would try to decode); a header cut short is refused too. A photo
    that cannot be used is reported at the path and left out of the site.
    """
    seen: set[int] = set()
    personas: list[Persona] = list((ctx.project.personas or {}).values())
    personas += [m.persona for m in ctx.project.maps if m.persona is not None and m.persona_ref is None]
    for persona in personas:
        if persona.photo is None or id(persona) in seen:
            continue
        seen.add(id(persona))
        from journeymaps.photos import load_photo  # here: only a persona with a photo needs it

        found = load_photo(persona.photo, ctx.settings.root)
        if isinstance(found, str):
            yield Finding.at(persona.loc, found, "photo")
