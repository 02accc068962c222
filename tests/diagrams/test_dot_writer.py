"""journeymaps.diagrams.dot writes what the graphviz package would, for every view of real and
example maps (and naughty ones: test_naughty_strings), only faster; and it never lets text become markup or break out of its quotes."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import graphviz
import pytest

from conftest import TODAY
from journeymaps.diagrams import dot, journey, legend, map_diagram, project_diagram
from journeymaps.lint import lint
from journeymaps.model import Project
from journeymaps.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


class Reference(graphviz.Digraph):
    """The graphviz package, with every attribute value marked as text (never an HTML-like
    label), which is what journeymaps' writer always does."""

    def node(self, name: str, label: str | None = None, **attrs: Any) -> None:
        super().node(name, label=_text(label), **{k: _text(v) for k, v in attrs.items()})

    def edge(self, tail_name: str, head_name: str, label: str | None = None, **attrs: Any) -> None:
        super().edge(tail_name, head_name, label=_text(label), **{k: _text(v) for k, v in attrs.items()})

    # journeymaps' writer's shorthands, as the package would write them one by one
    def nodes(self, names: Any, label: str | None = None, **attrs: Any) -> None:
        for name in names:
            self.node(name, label, **attrs)

    def edges(self, pairs: Any, label: str | None = None, **attrs: Any) -> None:
        for tail, head in pairs:
            self.edge(tail, head, label, **attrs)

    depth = 0  # the package indents a subgraph's lines when adding them

    def part(self) -> Reference:
        return Reference()

    def extend(self, statements: Any) -> None:
        self.body += statements


def _text(value: str | None) -> str | None:
    return None if value is None else graphviz.nohtml(value)


def _project(folder: Path) -> Project:
    report = lint([folder], Settings(root=folder.parent), TODAY, folder.parent)
    assert report.project is not None and report.project.maps
    return report.project


def with_reference(monkeypatch: pytest.MonkeyPatch, draw: Any) -> tuple[str, str]:
    """What ``draw`` gives with journeymaps' writer, then with the graphviz package."""
    with monkeypatch.context() as patch:  # each writer's own legends, none kept from before
        patch.setattr(legend, "_legends", {})
        ours = draw()
    with monkeypatch.context() as patch:
        patch.setattr(dot, "Digraph", Reference)
        patch.setattr(legend, "_legends", {})
        theirs = draw()
    return ours, theirs


@pytest.mark.parametrize("folder", ["maps", "tests/site/fixture"])
def test_same_dot_as_the_graphviz_package(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(ROOT / folder)
    for m in project.maps:
        for view in ("journey", "blueprint"):
            ours, theirs = with_reference(monkeypatch, lambda: map_diagram(view, m).dot)  # noqa: B023
            assert ours == theirs, f"{m.id} {view}"
        changed = frozenset(s.id for s in m.stages[:1])
        ours, theirs = with_reference(monkeypatch, lambda: journey.build(m, changed).source)  # noqa: B023
        assert ours == theirs
    ours, theirs = with_reference(monkeypatch, lambda: project_diagram("teams", project).dot)
    assert ours == theirs


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("spam", "spam"),
        ("_a1", "_a1"),
        ("-4.2", "-4.2"),
        (".42", ".42"),
        ("", '""'),
        ("node", '"node"'),  # keywords are quoted, in any case
        ("Graph", '"Graph"'),
        ("spam eggs", '"spam eggs"'),
        ("<b>x</b>", '"<b>x</b>"'),  # never an HTML-like label
        ('say "hi"', '"say \\"hi\\""'),
        ('\\"', '"\\""'),  # an escaped quote stays one escaped quote
        ("a\\\\", '"a\\\\"'),  # an escaped backslash at the end is fine
    ],
)
def test_quote(text: str, quoted: str) -> None:
    assert dot.quote(text) == quoted


def test_a_lone_backslash_cannot_end_a_quoted_string() -> None:
    with pytest.raises(ValueError, match="lone backslash"):
        dot.quote("oops\\")


def test_statements() -> None:
    g = dot.Digraph("g", graph_attr={"rankdir": "LR", "bgcolor": "white"})
    g.attr("node", shape="box")
    g.node("a b", label="A", color=None, style="filled")
    g.edge("a b", "c:port:n", style="dashed")
    with g.subgraph(name="cluster_x") as c:
        c.attr(label="X")
        with c.subgraph() as r:
            r.attr(rank="same")
            r.node("c")
    assert g.source == (
        "digraph g {\n"
        "\tgraph [bgcolor=white rankdir=LR]\n"
        "\tnode [shape=box]\n"
        '\t"a b" [label=A style=filled]\n'
        '\t"a b" -> c:port:n [style=dashed]\n'
        "\tsubgraph cluster_x {\n"
        "\t\tlabel=X\n"
        "\t\t{\n"
        "\t\t\trank=same\n"
        "\t\t\tc\n"
        "\t\t}\n"
        "\t}\n"
        "}\n"
    )


def test_runs_of_statements_read_as_one_by_one() -> None:
    one_by_one, at_once = dot.Digraph("g"), dot.Digraph("g")
    names = ["a", "b c", "node", "d:p"]
    for name in names:
        one_by_one.node(name, label="", shape="point", width=None)
    for a, b in itertools.pairwise(names):
        one_by_one.edge(a, b, style="invis")
    at_once.nodes(names, label="", shape="point", width=None)
    at_once.edges(itertools.pairwise(names), style="invis")
    assert at_once.source == one_by_one.source


def test_a_legend_made_once_is_written_where_each_diagram_puts_it() -> None:
    """Legends are kept per worker: a second diagram gets the same one, at its own depth."""
    legend._legends.clear()

    def drawn(inside: bool) -> str:
        g = dot.Digraph("g")
        if inside:
            with g.subgraph(name="cluster_x") as c:
                legend.add_legend(c, ["words"], emotions=[1, -2], left_to_right=False, below=["s"])
        else:
            legend.add_legend(g, ["words"], emotions=[1, -2], left_to_right=False, below=["s"])
        return g.source

    fresh = {inside: drawn(inside) for inside in (False, True)}
    assert "\tsubgraph cluster___legend {\n\t\tcolor=" in fresh[False]
    assert "\t\tsubgraph cluster___legend {\n\t\t\tcolor=" in fresh[True]
    assert '\ts -> "__legend.emotion-2" [style=invis weight=0]' in fresh[False]
    assert drawn(False) == fresh[False] and drawn(True) == fresh[True]
