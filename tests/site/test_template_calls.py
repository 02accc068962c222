"""The site's templates call functions, methods and macros as Jinja does (issue 18: the
site's context calls most of them directly instead of through Jinja's ``Context.call``)."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest

from journeymaps.templating import environment


@jinja2.pass_context
def _with_context(context: Any, name: str) -> str:
    return f"{name}={context.get(name)}"


@jinja2.pass_environment
def _with_environment(env: jinja2.Environment, text: str) -> str:
    return f"{text}:{env.autoescape}"


@jinja2.pass_eval_context
def _with_eval_context(eval_ctx: Any, text: str) -> str:
    return f"{text}:{eval_ctx.autoescape}"


def _stops() -> None:
    raise StopIteration


class _Site:
    def href(self, name: str, *, anchor: str = "") -> str:
        return f"{name}.html{anchor}"

    @jinja2.pass_context
    def marked(self, context: Any) -> str:
        return f"marked {context.get('page')}"


SOURCE = """\
{% macro card(x, y="y") %}[{{ x }}{{ y }}{{ caller() if caller is defined else "" }}]{% endmacro %}
{% for i in [1, 2] %}{% set page = "p" ~ i %}
{{ with_context("page") }} {{ with_environment("e") }} {{ with_eval_context("v") }}
{{ "abc".startswith("a") }} {{ {"k": i}.get("k") }} {{ site.href("m", anchor="#s") }} {{ site.marked() }}
{{ card(i) }}{% call card(i, y="z") %}inside{% endcall %} {{ plain(i) }} {{ stops() is undefined }}
{% endfor %}"""


@pytest.mark.parametrize("autoescape", [True, False])
def test_calls_are_made_as_jinja_makes_them(autoescape: bool) -> None:
    """Each kind of callable gets what Jinja would pass it, in a loop (where Jinja adds
    its loop and block variables to every call) as elsewhere."""
    names = {
        "with_context": _with_context,
        "with_environment": _with_environment,
        "with_eval_context": _with_eval_context,
        "site": _Site(),
        "plain": lambda i: i * 10,
        "stops": _stops,
    }
    ours, theirs = environment(), environment()
    theirs.context_class = jinja2.runtime.Context  # Jinja's own calls
    ours.autoescape = theirs.autoescape = autoescape
    rendered = ours.from_string(SOURCE).render(**names)
    assert rendered == theirs.from_string(SOURCE).render(**names)
    assert "page=p2" in rendered and "marked p2" in rendered and "[2zinside]" in rendered


class _Attrs:
    name = "attr"
    items = "an attribute, not the method"

    @property
    def broken(self) -> str:
        raise AttributeError("inside the property")

    def __getitem__(self, key: str) -> str:
        return f"item {key}"


ATTRS = """\
{% for d in [{"a": {"b": "dict"}}, {"a": {"b": 2}}] %}{{ d.a.b }} {{ d.a.keys()|list }} {% endfor %}
{{ o.name }} {{ o.items }} {{ o.broken }} {{ o.missing }} {{ (o).name.upper() }} {{ pairs[0].a }}
{% set ns = namespace(n=1) %}{% set ns.n = ns.n + 1 %}{{ ns.n }} {% for x in [1, 2] %}{{ loop.index }}{% endfor %}"""


def test_attributes_are_read_as_jinja_reads_them() -> None:
    """``x.name`` is read inline (issue 18), with what Jinja gives: the attribute, else the
    item (a dict's key, or __getitem__ when an attribute raises AttributeError)."""
    ours, theirs = environment(), environment()
    theirs.code_generator_class = jinja2.compiler.CodeGenerator
    names = {"o": _Attrs(), "pairs": [{"a": "first"}]}
    rendered = ours.from_string(ATTRS).render(**names)
    assert rendered == theirs.from_string(ATTRS).render(**names)
    assert rendered == (
        "dict [&#39;b&#39;] 2 [&#39;b&#39;] "
        "attr an attribute, not the method item broken item missing ATTR first\n2 12"
    )


def test_a_missing_attribute_still_fails_the_page() -> None:
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nothing'"):
        environment().from_string("{{ x.nothing }}").render(x=object())
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ x.a.b }}").render(x={})


def test_an_imported_template_sees_the_globals_the_importing_one_adds_as_jinja_promises() -> None:
    """A template's own globals reach the macros it imports without context (Jinja makes a
    module with them); the site's templates are imported that way ~3,000 times a build, so
    the question which globals are new is answered quickly (see templating._Globals)."""
    env = environment()
    env.loader = jinja2.DictLoader({"m.html": "{% macro show() %}{{ tone }}/{{ FAVICON[:4] }}{% endmacro %}"})
    page = env.from_string('{% from "m.html" import show %}{{ show() }}', globals={"tone": "calm"})
    assert page.render() == "calm/data"
    # imported again by a page without that global: the module made for the other is not reused
    plain = env.from_string('{% from "m.html" import show %}{{ show() }}')
    with pytest.raises(jinja2.UndefinedError):
        plain.render()
    assert set(page.globals.keys()) == set(page.globals) >= {"tone", "FAVICON", "range"}
