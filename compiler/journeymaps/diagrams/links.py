"""Links from a diagram's shapes to the page that tells more about them.

Only the site's diagrams carry them (``journeymaps render`` draws for any place, where a
page may not exist): a stage opens its stage-by-stage section, a step its row, a pain point
its entry, a team its section of the teams page. The fragments are the ids the pages and
the SVGs share (``stage-ID``, ``step-STAGE.STEP``, ``pain-ID``, ``team-ID``).
"""

from __future__ import annotations

from journeymaps.diagrams.text import plain


def to(page: str | None, fragment: str, title: str) -> dict[str, str]:
    """DOT attributes making a shape a link to ``page#fragment`` (none without a page).

    ``title`` is what a pointer or a screen reader is told about the link.
    """
    if page is None:
        return {}
    # A map's two views link the same shapes (its stages and steps): the second finds them
    # here. The same dict is returned each time: callers only spread it (``**``).
    key = (page, fragment, title)
    made = _made.get(key)
    if made is None:
        if len(_made) >= 2_000:  # only the map at hand's are wanted again
            _made.clear()
        made = {"href": f"{page}#{fragment}", "target": "_top", "tooltip": plain(title, limit=120)}
        _made[key] = made
    return made


_made: dict[tuple[str, str, str], dict[str, str]] = {}
