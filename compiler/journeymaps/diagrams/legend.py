"""Legends: a small cluster of sample nodes, every colour paired with words."""

from __future__ import annotations

import itertools

from journeymaps.diagrams import dot, style
from journeymaps.diagrams.text import label, plain


def add_legend(
    g: dot.Digraph, lines: list[str], *, emotions: bool = False, pains: bool = False, left_to_right: bool
) -> None:
    """A 'Legend' cluster holding one rank: a column in left-to-right views, a row in
    top-to-bottom ones. Few nodes, because a legend shares the graph's ranks."""
    chain: list[str] = []
    with g.subgraph(name="cluster___legend") as c:
        c.attr(label=plain("Legend"), id="legend", style="rounded", color=style.LINE)
        if emotions:
            scale = ":".join(style.EMOTION_FILL[v] for v in range(-3, 4))
            c.node(
                "__legend.emotion",
                label=plain("\u22123 \u2026 \u00b10 \u2026 +3"),
                shape="box",
                style="striped",
                fillcolor=scale,
                width="2.8",
            )
            lines = ["fill: the customer's emotion, \u22123 very negative to +3 very positive", *lines]
            chain.append("__legend.emotion")
        if pains:
            for kind in ("technical", "process", "emotional"):
                name = f"__legend.pain-{kind}"
                c.node(
                    name,
                    label=plain(f"{style.PAIN_SYMBOL[kind]} {kind} pain point"),
                    shape="note",
                    style="filled",
                    fillcolor=style.PAIN_FILL[kind],
                )
                chain.append(name)
        c.node("__legend.text", label=label(*lines, width=48, limit=400), shape="plaintext", style="solid")
        chain.append("__legend.text")
        with c.subgraph() as rank:
            rank.attr(rank="same")
            for name in chain:
                rank.node(name)
        # A flat edge's tail lands left of its head, or below it in a left-to-right layout:
        # reversed there (dir=back) so the column reads from the top.
        for a, b in itertools.pairwise(chain):
            if left_to_right:
                c.edge(b, a, style="invis", dir="back")
            else:
                c.edge(a, b, style="invis")
