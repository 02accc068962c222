"""The site's pages escape what maps say exactly as markupsafe does (issue 18: the
templates write their output through :func:`journeymaps.templating.escape_text`, which
skips markupsafe's ``Markup`` wrapper but must never escape differently)."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from journeymaps.templating import environment, escape_text

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
        float("inf"),
        _Text("<i>"),
        _Html(),
        markupsafe.Markup("<b>"),
    ],
)
def test_escaped_exactly_as_markupsafe_escapes(value: object) -> None:
    assert escape_text(value) == str(markupsafe.escape(value))


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
