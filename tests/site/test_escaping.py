"""The site's pages escape what maps say exactly as markupsafe does (issue 18: the
templates write their output through :func:`journeymaps.templating.escape_text`, which
skips markupsafe's ``Markup`` wrapper but must never escape differently)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import markupsafe
import pytest

from journeymaps.settings import Settings
from journeymaps.site.build import build
from journeymaps.templating import _escape_python, environment, escape_text

HOSTILE = [
    "",
    "plain words",
    "<script>alert('x')</script>",
    "a \"quoted\" & <tagged> 'text'",
    "&amp; already an entity",
    "caf\u00e9 \u2014 \U0001f600 \u202e\x00\x1b",
    "<" * 1000 + "&" * 1000,
]


class _Html:
    def __html__(self) -> str:
        return "<b>as it says</b>"


class _Text(str):
    """A str subclass (an enum's value, say): escaped like text."""


@pytest.mark.parametrize(
    "value",
    [
        *HOSTILE,
        0,
        -12,
        10**40,
        True,
        False,
        None,
        1.5,
        -0.0,
        1e300,
        33.333333333333336,
        float("inf"),
        float("-inf"),
        float("nan"),
        _Text("<i>"),
        _Html(),
        markupsafe.Markup("<b>"),
    ],
)
def test_escaped_exactly_as_markupsafe_escapes(value: object) -> None:
    assert escape_text(value) == str(markupsafe.escape(value))


@pytest.mark.parametrize("text", [*HOSTILE, "\ud800<lone surrogate>", "\u0100 & \xff <wide>"])
def test_without_markupsafes_c_speedups_text_is_escaped_the_same(text: str) -> None:
    """Text is escaped by markupsafe's C helper when it has one, else in Python: the same."""
    assert _escape_python(text) == str(markupsafe.escape(text)) == escape_text(text)


def test_a_page_escapes_each_output_and_keeps_safe_markup() -> None:
    env = environment()
    template = env.from_string(
        '{% macro card(x) %}<p title="{{ x }}">{{ x }}</p>{% endmacro %}'
        "{{ text }}|{{ n }}|{{ safe }}|{{ card(text) }}|{{ text ~ '!' }}|{{ items|join(', ') }}"
    )
    out = template.render(text="<a href='x'>&\"", n=3, safe=markupsafe.Markup("<hr>"), items=["<", ">"])
    escaped = "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"
    assert out == (f'{escaped}|3|<hr>|<p title="{escaped}">{escaped}</p>|{escaped}!|&lt;, &gt;')


def test_an_undefined_name_still_fails_the_page() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ missing }}").render()


MAP = """\
id: extras
title: Extras
state: current
owner: support
reviewed: 2026-11-10
x-map-note: on the map
stages:
  - id: join
    name: Join
    owner: support
    x-stage-note: on the stage
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-30, x-evidence-note: "on <evidence>"}]
    steps:
      - {id: ask, name: Asks, lane: customer, emotion: 1, x-step-note: on the step}
      - {id: plain, name: Nothing extra, lane: frontstage, emotion: 0}
"""


def test_extension_fields_show_where_written_and_nowhere_else(tmp_path: Path) -> None:
    """The map page lists a stage's, step's and evidence's x- fields (its calls for them
    are skipped when there are none): each where it was written, escaped, and no empty list
    for the step with none."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "extras.yaml").write_text(MAP, "utf-8")
    out = tmp_path / "site"
    build([tmp_path / "maps"], Settings(root=tmp_path), tmp_path, out, today=dt.date(2026, 11, 22), jobs=1)
    page = (out / "maps" / "extras.html").read_text("utf-8")
    for key, label, value in [
        ("x-map-note", "Map note", "on the map"),
        ("x-stage-note", "Stage note", "on the stage"),
        ("x-step-note", "Step note", "on the step"),
        ("x-evidence-note", "Evidence note", "on &lt;evidence&gt;"),
    ]:
        assert f'<div><dt title="{key}">{label}</dt><dd>{value}</dd></div>' in page
    assert page.count('<dl class="extras"') == 4
    plain = page[page.index('<tr id="step-join.plain">') :]
    assert '<dl class="extras"' not in plain[: plain.index("</tr>")]
