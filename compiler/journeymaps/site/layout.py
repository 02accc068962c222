"""Parts of pages that many pages show alike, rendered once a build from their templates'
macros instead of on every page: the site's navigation (the same on every page of a depth
whose path is under none of its entries) and the emotion badges (one per emotion)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from journeymaps.diagrams.style import EMOTION_WORD


def site_nav(env: jinja2.Environment, nav: Sequence[tuple[str, str]]) -> Callable[[str, str], Markup]:
    """``site_nav(root, path)``: the navigation of the page at ``path`` (``root`` leading
    back to the site's root), rendered once for each root and set of entries that are the
    page's own (it reads nothing else: ``nav`` is the build's)."""
    macro = env.get_template("_nav.html").module.site_nav  # type: ignore[attr-defined]
    rendered: dict[tuple[str, tuple[bool, ...]], Markup] = {}
    # An entry is the page's own when the page is it or under it ("teams.html": "teams/x.html").
    prefixes = [(href, (href[:-5] + "-", href[:-5] + "/")) for href, _ in nav]

    def shown(root: str, path: str) -> Markup:
        key = (root, tuple(path == href or path.startswith(under) for href, under in prefixes))
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = macro(nav, root, path)
        return html

    return shown


def emotion_badge(env: jinja2.Environment) -> Callable[[Any], Any]:
    """``emotion_badge(value)``: macros.html's badge of an emotion, each rendered once (a map
    page shows one for each stage and step: ~40 macro calls a small map)."""
    macro = env.get_template("macros.html").module.emotion_badge  # type: ignore[attr-defined]
    badges = {value: macro(value) for value in (None, *EMOTION_WORD)}

    def badge(value: Any) -> Any:
        html = badges.get(value) if isinstance(value, int | None) else None
        return macro(value) if html is None else html  # (an emotion out of range: as it was)

    return badge
