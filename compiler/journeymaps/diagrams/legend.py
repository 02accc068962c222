"""Legends: a small cluster explaining only what the diagram shows, every colour paired
with words."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from journeymaps.diagrams import dot, style
from journeymaps.diagrams.text import label, plain


def add_legend(
    g: dot.Digraph,
    lines: list[str],
    *,
    emotions: Iterable[int] = (),
    pains: Iterable[str] = (),
    left_to_right: bool,
    below: Iterable[str] = (),
    wrap: int = 44,
    one_row: bool = False,
) -> None:
    """A 'Legend' cluster holding one rank: a column in left-to-right views, a row in
    top-to-bottom ones. ``emotions``: the emotion values the diagram fills shapes with (one
    sample each, its value and word inside it); ``pains``: the kinds of pain point it shows.
    Nothing is drawn when there is nothing to explain. ``below``: nodes the legend goes
    under, by an invisible tie of no weight each (in a top-to-bottom view, the lowest shape:
    a tie spanning several rows bends around the shapes in between and widens the diagram).
    ``wrap``: the characters a line of its words holds. ``one_row``: the samples and the
    words side by side, a legend as low as it can be under a wide diagram."""
    values = sorted(set(emotions))
    kinds: list[str] = [k for k in ("technical", "process", "emotional") if k in set(pains)]
    if not (lines or values or kinds):
        return
    # The same legend recurs in diagram after diagram (a worker draws hundreds): its
    # statements are written once per worker and added again (~10 % of writing a view).
    key = (tuple(lines), tuple(values), tuple(kinds), left_to_right, g.depth, wrap, one_row)
    made = _legends.get(key)
    if made is None:
        if len(_legends) >= 1_000:  # bounded, for long-running processes (serve)
            _legends.clear()
        made = _legends[key] = _legend(g.part(), lines, values, kinds, left_to_right, wrap, one_row)
    statements, first = made
    g.extend(statements)
    g.edges(((name, first) for name in below), style="invis", weight="0")


#: A legend's statements and its first node, by what it shows and where it is written.
_legends: dict[tuple[object, ...], tuple[list[str], str]] = {}


def _legend(
    g: dot.Digraph,
    lines: list[str],
    values: list[int],
    kinds: list[str],
    left_to_right: bool,
    wrap: int,
    one_row: bool = False,
) -> tuple[list[str], str]:
    """The legend cluster written into ``g`` (an empty part of the diagram): its statements
    and the node the diagram's ``below`` shapes point to."""
    samples: list[str] = []  # one row: the emotions' fills
    chain: list[str] = []  # another: pain points and words
    with g.subgraph(name="cluster___legend") as c:
        c.attr(label=plain("Legend"), id="legend", style="rounded", color=style.LINE)
        # One sample per emotion value shown, its words inside it: no colour ramp whose
        # labels must line up with its stripes.
        for v in values:
            name = f"__legend.emotion{v:+d}"
            c.node(
                name,
                label=plain(style.emotion_label(v)),
                shape="box",
                style="rounded,filled",
                fillcolor=style.EMOTION_FILL[v],
                margin="0.06,0.03",
                id=f"legend-emotion{v:+d}",
            )
            samples.append(name)
        for kind in kinds:
            name = f"__legend.pain-{kind}"
            c.node(
                name,
                label=plain(f"{style.PAIN_SYMBOL[kind]} {kind} pain point"),
                shape="note",
                style="filled",
                fillcolor=style.PAIN_FILL[kind],
                id=f"legend-pain-{kind}",
            )
            chain.append(name)
        if values:
            lines = ["fill: the customer\u2019s emotion, \u22123 very negative to +3 very positive", *lines]
        if lines:
            c.node(
                "__legend.text",
                label=label(*lines, width=wrap, limit=500),
                shape="plaintext",
                style="solid",
                id="legend-words",
            )
            chain.append("__legend.text")
        rows = [r for r in ([*samples, *chain],) if r] if one_row else [r for r in (samples, chain) if r]
        for row in rows:
            with c.subgraph() as rank:
                rank.attr(rank="same")
                for name in row:
                    rank.node(name)
            # A flat edge's tail lands left of its head, or below it in a left-to-right layout:
            # reversed there (dir=back) so the row reads from the top.
            for a, b in itertools.pairwise(row):
                if left_to_right:
                    c.edge(b, a, style="invis", dir="back")
                else:
                    c.edge(a, b, style="invis")
        for upper, lower in itertools.pairwise(rows):
            c.edge(upper[0], lower[0], style="invis")
    return g.body, rows[0][0]
