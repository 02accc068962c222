"""The service blueprint: lanes as rows, stages as columns, the lines of interaction,
visibility and internal interaction between the rows, and handoffs between teams."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping

from journeymaps.business_time import words as duration
from journeymaps.diagrams import dot, links, style
from journeymaps.diagrams.legend import add_legend
from journeymaps.diagrams.text import label, plain
from journeymaps.diagrams.view import View
from journeymaps.model import Map, Stage, Step
from journeymaps.quotes import curly
from journeymaps.records import record

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
    # Team to team, out of the customer's sight (Handoff.behind_the_scenes): as the map page says it.
    "lost-behind": (
        "bold vermillion arrow, \u26a0 context lost behind the scenes: the receiving team asks again"
    ),
    "undeclared": "dashed vermillion arrow, \u26a0 undeclared: a handoff nobody declared",
}
#: How a step's channel reads under its name: "via email", never "email" under "... email".
VIA = {"in-person": "in person", "other": "via another channel"}


#: A handoff's words are a node of their own beside the step they belong to, in that step's
#: lane: placed by the edge (an xlabel at its middle), they sat on the dashed line between
#: the two lanes the arrow crosses (the outage map's "context carried" on the line of
#: visibility), as Graphviz keeps an xlabel off nodes but not off lines. Beside the giver,
#: on the side away from the arrow; a handoff that loses the context has its words by the
#: step that receives a story it must ask for again (the taker).
SAY = "__say."


@record
class Words:
    """A handoff's words: the node beside ``step``, before it (left) or after it."""

    name: str
    step: str
    before: bool
    attrs: tuple[tuple[str, str], ...]


def _words_of(
    m: Map, teams: Mapping[str, str] | None
) -> tuple[list[Words], list[tuple[str, str, dict[str, str]]], set[str]]:
    """The words of every handoff drawn, the handoff arrows (giver, taker, attributes) and
    what the legend must explain."""
    column = {st.ref: stage.index for stage in m.stages for st in stage.steps}
    said: list[Words] = []
    arrows: list[tuple[str, str, dict[str, str]]] = []
    shown: set[str] = set()

    def say(giver: str, taker: str, text: str, colour: str, at_taker: bool) -> None:
        ident = f"handoff-{giver}-{taker}"
        step, other = (taker, giver) if at_taker else (giver, taker)
        before = column[other] >= column[step]  # away from the arrow: left unless it goes left
        said.append(
            Words(
                f"{SAY}{giver}-{taker}",
                step,
                before,
                (
                    ("label", text.replace("\\l", "\\r") if before else text),
                    ("id", f"{ident}-label"),
                    ("shape", "plaintext"),
                    ("fontcolor", colour),
                    ("style", "solid"),  # not filled: a white box would hide an arrow crossing it
                ),
            )
        )

    declared = {(h.from_ref, h.to_ref) for h in m.handoffs}
    for h in m.handoffs:
        if h.from_step is None or h.to_step is None:
            continue
        lost = h.context == "lost"
        shown.add(("lost-behind" if h.behind_the_scenes else "lost") if lost else "handoff")
        words = ["\u26a0 context lost"] if lost else []
        # "SLA 1 business day" (as the pages say) on a line of its own: wrapped after "handoff,"
        # at 26 characters it broke as "SLA 1 business / day".
        words += ["handoff", f"SLA {duration(h.sla)}"] if h.sla else ["handoff, \u26a0 no SLA"]
        if h.context == "carried":
            words.append("context carried")
        colour = style.VERMILLION if lost else style.BLUE
        say(h.from_ref, h.to_ref, label(*words, width=26), colour, lost)
        arrows.append((h.from_ref, h.to_ref, {"color": colour, "penwidth": "4" if lost else "2"}))
    for giver, taker in m.implied_handoffs():
        if (giver.ref, taker.ref) not in declared:
            shown.add("undeclared")
            text = label(
                f"\u26a0 undeclared handoff {style.team_name(giver.owner or '', teams)}"
                f" \u2192 {style.team_name(taker.owner or '', teams)}",
                width=26,
            )
            say(giver.ref, taker.ref, text, style.VERMILLION, False)
            arrows.append(
                (giver.ref, taker.ref, {"color": style.VERMILLION, "style": "dashed", "penwidth": "2.5"})
            )
    return said, arrows, shown


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
    return label(curly(step.name), via(step.channel), marks or None, owner, feels, width=24)


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
    said, arrows, shown = _words_of(m, teams)
    beside: defaultdict[str, list[Words]] = defaultdict(list)
    for w in said:
        beside[w.step].append(w)
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
            cell: list[str] = []
            for step in steps:
                for w in beside[step.ref]:
                    g.node(w.name, **dict(w.attrs))
                cell += [w.name for w in beside[step.ref] if w.before]
                cell.append(step.ref)
                cell += [w.name for w in beside[step.ref] if not w.before]
                rounded = "rounded,filled" if lane in ("customer", "physical-evidence") else "filled"
                shape = f"step-{step.ref}"
                g.node(
                    step.ref,
                    label=step_label(step, stage, teams),
                    id=shape,
                    style=rounded,
                    fillcolor=style.emotion_fill(step.emotion),
                    **links.to(page, shape, f"Step {curly(step.name)}"),
                )
            if not steps:
                g.node(f"__cell.{lane}.{stage.id}", label="", **SPACER, width="0.3", height="0.3")
            row.append(cell or [f"__cell.{lane}.{stage.id}"])
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
    # Each column kept straight by heavy invisible edges (through its first step): each
    # row's anchors found once, not once as the upper row and again as the lower.
    anchors = [[_anchor(cell) for cell in row] for row in rows]
    g.edges(
        (
            (upper[col], lower[col])
            for col in range(len(m.stages) + 2)
            for upper, lower in itertools.pairwise(anchors)
        ),
        style="invis",
        weight="100",
    )

    for giver, taker, attrs in arrows:
        g.edge(giver, taker, **attrs, constraint="false", id=f"handoff-{giver}-{taker}")
    emotions = [st.emotion for st in m.steps() if st.emotion is not None]
    # Under the grid, hung from its last lane's title, in one row: beside it (where Graphviz
    # puts a part tied to nothing) it made billing's blueprint half again as wide as its grid,
    # which opened at 64 % at 1280 px and scrolled sideways to it.
    add_legend(
        g,
        [line for key, line in LEGEND.items() if key in shown],
        emotions=emotions,
        left_to_right=False,
        below=[f"__lane.{lanes[-1]}"],
        one_row=True,
    )
    return g


def _anchor(cell: list[str]) -> str:
    """The node a column is aligned by: a cell's first step, not a handoff's words beside it."""
    first = cell[0]  # most cells: one step or a spacer
    return first if not first.startswith(SAY) else next(name for name in cell if not name.startswith(SAY))


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
