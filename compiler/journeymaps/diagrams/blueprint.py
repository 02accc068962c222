"""The service blueprint: lanes as rows, stages as columns, the lines of interaction,
visibility and internal interaction between the rows, and handoffs between teams."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from journeymaps.business_time import words as duration
from journeymaps.diagrams import dot, links, style
from journeymaps.diagrams.legend import add_legend
from journeymaps.diagrams.text import label, plain
from journeymaps.diagrams.view import View
from journeymaps.model import Map, Stage, Step

#: The line drawn below each lane (the blueprint's classic separators).
LINES_BELOW = {
    "customer": "line of interaction",
    "frontstage": "line of visibility",
    "backstage": "line of internal interaction",
}

#: What the legend may explain, each said only when the blueprint shows it.
LEGEND = {
    "handoff": "blue arrow: a declared handoff, with its SLA",
    "lost": "bold vermillion arrow, \u26a0 context lost: the customer repeats themselves",
    "undeclared": "dashed vermillion arrow, \u26a0 undeclared: a handoff nobody declared",
}
#: How a step's channel reads under its name: "via email", never "email" under "... email".
VIA = {"in-person": "in person", "other": "via another channel"}


#: Where a handoff's words go. By the edge (xlabel, placed by its middle: a label node would
#: pull it out of the columns), except a handoff that loses the context: Graphviz keeps an
#: xlabel off nodes but not off other edges, and the billing map's Support -> Finance arrow,
#: going up from the agent's step, had its "context lost" words where the handoff coming
#: down the same column ran through them. Those words go by its arrowhead instead, turned
#: a right angle off the arrow and 80 pt out (at 60 their box, centred there, reached back
#: over the arrow): by the step that receives a story it must ask for again.
_LABEL_AT = {False: "xlabel", True: "headlabel"}
_AT_THE_TAKER = {"labelangle": "90", "labeldistance": "8"}
#: Air between a handoff's words and its arrow: Graphviz sets an edge's label box against
#: the line, so the outage map's "context carried" ended on the arrow going up from "Fix
#: deployed". Two no-break spaces each side of every line (Graphviz keeps them, and counts
#: them in the box) keep the words clear of a line running along either side.
_AIR = "\u00a0\u00a0"


def _aired(text: str) -> str:
    """A :func:`label` text with :data:`_AIR` before and after each of its lines."""
    return "".join(f"{_AIR}{line}{_AIR}\\l" for line in text.split("\\l")[:-1])


def via(channel: str | None) -> str | None:
    if not channel:
        return None
    return VIA.get(channel, f"via {style.channel_word(channel).lower()}")


#: An empty cell of the grid: it holds a place and is not drawn (drawn, as a white box, it
#: hid the handoff arrows crossing it).
SPACER = {"shape": "plaintext", "style": "invis"}


def step_label(step: Step, stage: Stage, teams: Mapping[str, str] | None = None) -> str:
    owner = (
        f"owner: {style.team_name(step.owner, teams)}" if step.owner and step.owner != stage.owner else None
    )
    feels = f"feels {style.emotion_label(step.emotion)}" if step.emotion is not None else None
    marks = " \u00b7 ".join(filter(None, (style.moment_word(step.moment), style.actor_word(step.actor))))
    return label(step.name, via(step.channel), marks or None, owner, feels, width=24)


def build(
    m: Map,
    *,
    page: str | None = None,
    teams: Mapping[str, str] | None = None,
    measured: Mapping[str, float] | None = None,
) -> dot.Digraph:
    """The service blueprint of one map; with ``page``, stages and steps link to it;
    ``teams`` gives owners their names."""
    g = dot.Digraph(name=f"blueprint-{m.id}", **style.graph_defaults())
    g.attr(
        rankdir="TB",
        newrank="true",
        # Straight handoff arrows: curved ones were routed around the grid's invisible
        # scaffolding, out past its last column.
        splines="line",
        nodesep="0.3",
        ranksep="0.3",
        id=f"blueprint-{m.id}",
        label=plain(f"Service blueprint: {m.title}", limit=160),
    )
    g.attr("node", shape="box", style="filled", fillcolor="white", margin="0.12,0.06")
    used = {step.lane for step in m.steps()}
    lanes = [lane for lane in style.LANES if lane != "physical-evidence" or lane in used]

    # A grid of rows; each row holds one cell per column (the lane titles, then the stages),
    # and each cell is a list of nodes: the steps of that stage in that lane, or a spacer.
    rows: list[list[list[str]]] = []
    g.node("__corner", label="", **SPACER)
    header = [["__corner"]]
    for stage in m.stages:
        owner = f"owner: {style.team_name(stage.owner, teams)}" if stage.owner else "no owner"
        g.node(
            f"__head.{stage.id}",
            label=label(stage.name, owner, width=24),
            id=f"stage-{stage.id}",
            shape="plaintext",
            **links.to(page, f"stage-{stage.id}", f"Stage {stage.name}: what happens there"),
        )
        header.append([f"__head.{stage.id}"])
    # One more column, empty, past the last stage: the lines run to the grid's right edge.
    g.node("__head.__end", label="", **SPACER, width="0.2")
    header.append(["__head.__end"])
    rows.append(header)
    for lane in lanes:
        g.node(
            f"__lane.{lane}",
            label=plain(style.LANE_TITLES[lane]),
            id=f"lane-{lane}",
            shape="plaintext",
        )
        row = [[f"__lane.{lane}"]]
        for stage in m.stages:
            steps = [s for s in stage.steps if s.lane == lane]
            for step in steps:
                rounded = "rounded,filled" if lane in ("customer", "physical-evidence") else "filled"
                shape = f"step-{step.ref}"
                g.node(
                    step.ref,
                    label=step_label(step, stage, teams),
                    id=shape,
                    style=rounded,
                    fillcolor=style.emotion_fill(step.emotion),
                    **links.to(page, shape, f"Step {step.name}"),
                )
            if not steps:
                g.node(f"__cell.{lane}.{stage.id}", label="", **SPACER, width="0.3", height="0.3")
            row.append([s.ref for s in steps] or [f"__cell.{lane}.{stage.id}"])
        g.node(f"__cell.{lane}.__end", label="", **SPACER, width="0.2", height="0.3")
        row.append([f"__cell.{lane}.__end"])
        rows.append(row)
        if lane in LINES_BELOW:
            line = [f"__line.{lane}.{i}" for i in range(len(m.stages) + 2)]
            g.node(
                line[0],
                label=plain(LINES_BELOW[lane]),
                fontcolor=style.MUTED,
                shape="plaintext",
                id=f"line-{lane}",
            )
            g.nodes(line[1:], label="", shape="point", width="0.01", height="0.01", color=style.LINE)
            g.edges(itertools.pairwise(line), style="dashed", dir="none", color=style.LINE, penwidth="1.5")
            rows.append([[name] for name in line])

    for row in rows:  # each row is a rank, its nodes kept in column order by flat edges
        flat = [name for cell in row for name in cell]
        with g.subgraph() as r:
            r.attr(rank="same")
            r.nodes(flat)
        if not flat[0].startswith("__line."):
            g.edges(itertools.pairwise(flat), style="invis")
    g.edges(  # each column kept straight by heavy invisible edges
        (
            (upper[col][0], lower[col][0])
            for col in range(len(m.stages) + 2)
            for upper, lower in itertools.pairwise(rows)
        ),
        style="invis",
        weight="100",
    )

    declared = {(h.from_ref, h.to_ref) for h in m.handoffs}
    shown: set[str] = set()
    for h in m.handoffs:
        if h.from_step is None or h.to_step is None:
            continue
        shown.add("lost" if h.context == "lost" else "handoff")
        words = ["\u26a0 context lost"] if h.context == "lost" else []
        # "SLA 1 business day" (as the pages say) on a line of its own: wrapped after "handoff,"
        # at 26 characters it broke as "SLA 1 business / day".
        words += ["handoff", f"SLA {duration(h.sla)}"] if h.sla else ["handoff, \u26a0 no SLA"]
        if h.context == "carried":
            words.append("context carried")
        lost = h.context == "lost"
        colour = style.VERMILLION if lost else style.BLUE
        g.edge(
            h.from_ref,
            h.to_ref,
            **{_LABEL_AT[lost]: _aired(label(*words, width=26))},
            **(_AT_THE_TAKER if lost else {}),
            color=colour,
            fontcolor=colour,
            penwidth="4" if lost else "2",
            constraint="false",
            id=f"handoff-{h.from_ref}-{h.to_ref}",
        )
    for giver, taker in m.implied_handoffs():
        if (giver.ref, taker.ref) not in declared:
            shown.add("undeclared")
            g.edge(
                giver.ref,
                taker.ref,
                xlabel=label(
                    f"\u26a0 undeclared handoff {style.team_name(giver.owner or '', teams)}"
                    f" \u2192 {style.team_name(taker.owner or '', teams)}",
                    width=26,
                ),
                color=style.VERMILLION,
                fontcolor=style.VERMILLION,
                style="dashed",
                penwidth="2.5",
                constraint="false",
                id=f"handoff-{giver.ref}-{taker.ref}",
            )
    emotions = [st.emotion for st in m.steps() if st.emotion is not None]
    add_legend(
        g, [line for key, line in LEGEND.items() if key in shown], emotions=emotions, left_to_right=False
    )
    return g


def title(m: Map) -> str:
    return f"Service blueprint of {m.title}"


def describe(m: Map) -> str:
    stages = ", ".join(s.name for s in m.stages)
    return (
        f"Service blueprint with {len(m.stages)} stages ({stages}), lanes from customer actions to "
        f"support processes, and {len(m.handoffs)} declared handoff{'' if len(m.handoffs) == 1 else 's'}."
    )


VIEW = View(
    "blueprint",
    "map",
    2,
    "service blueprint: lanes, stages, lines and handoffs",
    title,
    describe,
    build_map=build,
)
