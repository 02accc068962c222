"""Page parts rendered once a build (site/layout.py): each page still gets its own."""

from __future__ import annotations

import re

from journeymaps.site import layout
from journeymaps.templating import environment

NAV = [("index.html", "Maps"), ("portfolio.html", "Portfolio"), ("teams.html", "Teams")]


def _current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" aria-current="page">', html)


def test_the_navigation_marks_each_pages_own_entry_at_its_depth() -> None:
    shown = layout.site_nav(environment(), NAV)
    assert _current(shown("", "index.html")) == ["index.html"]
    assert _current(shown("", "portfolio-2.html")) == ["portfolio.html"]  # a later page of it
    assert _current(shown("../", "teams/support.html")) == ["../teams.html"]  # a page under it
    assert _current(shown("../", "maps/billing.html")) == []
    assert 'href="../index.html"' in shown("../", "maps/billing.html")
    assert 'href="index.html"' in shown("", "format.html")
    # the same page again, and another of the same depth and entries: the same HTML
    assert shown("../", "maps/other.html") == shown("../", "maps/billing.html")


def test_emotion_badges_are_those_of_the_macro() -> None:
    env = environment()
    macro = env.get_template("macros.html").module.emotion_badge  # type: ignore[attr-defined]
    badge = layout.emotion_badge(env)
    for value in (-3, -1, 0, 2, 3, None):
        assert badge(value) == macro(value)
    assert 'style="background: ' in badge(-3) and badge(None) == ""
