"""The journey view: stages left to right, each a column of its steps, with transitions,
loops, dead ends, pain points and the customer's emotion."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from journeymaps.business_time import words as duration
from journeymaps.diagrams import dot, links, style
from journeymaps.diagrams.legend import add_legend
from journeymaps.diagrams.text import label, plain, width
from journeymaps.diagrams.view import View
from journeymaps.model import Map, PainPoint, Stage, Step
from journeymaps.quotes import curly

#: What the legend may explain, each said only when the diagram shows it.
LEGEND = {
    "loop": "\u21ba dashed blue arrow: a loop back, with its circuit breaker",
    "loop-unbroken": "\u21ba bold dashed vermillion arrow, \u26a0: a loop with no breaker",
    "behind": "square corners: a step out of the customer\u2019s sight (backstage, support)",
    "dead-end": "octagon: a dead end, the customer has no next step",
    "unreachable": "dashed stage: no path leads to it",
    "lost": "bold vermillion arrow, \u26a0 context lost: a handoff where the customer repeats themselves",
    # Team to team, out of the customer's sight (Handoff.behind_the_scenes): as the map page says it.
    "lost-behind": (
        "bold vermillion arrow, \u26a0 context lost behind the scenes: the receiving team asks again"
    ),
    "changed": "thick purple outline, \u2731 changed: touched by this change",
}


CHANGED = "\u2731 changed"
#: A card's width beyond its words, in points: its margin (0.12 in, below) on either side.
CARD_MARGIN = 2 * 0.12 * 72
_EMPTY = plain("(no steps mapped)")


def stage_id(stage: Stage) -> str:
    return f"stage-{stage.id}"


def step_id(step: Step) -> str:
    return f"step-{step.ref}"


def _inches(points: float) -> str:
    return f"{points / 72:.3f}"


def _anchor(stage: Stage) -> str:
    """The node an edge into a stage attaches to."""
    return stage.steps[0].ref if stage.steps else f"__stage.{stage.id}"


def _exit(stage: Stage) -> str:
    return stage.steps[-1].ref if stage.steps else f"__stage.{stage.id}"


def step_label(
    step: Step, stage: Stage, changed: bool = False, teams: Mapping[str, str] | None = None
) -> str:
    lane = style.LANE_TITLES.get(step.lane, step.lane)
    where = " \u00b7 ".join(filter(None, (lane, style.channel_word(step.channel))))
    owner = (
        f"owner: {style.team_name(step.owner, teams)}" if step.owner and step.owner != stage.owner else None
    )
    feels = f"feels {style.emotion_label(step.emotion)}" if step.emotion is not None else None
    marks = " \u00b7 ".join(filter(None, (style.moment_word(step.moment), style.actor_word(step.actor))))
    return label(CHANGED if changed else None, curly(step.name), where, marks or None, owner, feels)


#: A pain point's label's width in characters.
PAIN_WIDTH = 30


def pain_label(pain: PainPoint, changed: bool = False, measured: float | None = None) -> str:
    """A pain point's card; ``measured``: its measured monthly volume, shown (and said to be
    measured) in place of the declared one, as the map's page and canvas show it."""
    head = f"{CHANGED} \u00b7 " if changed else ""
    head += f"{style.PAIN_SYMBOL[pain.kind]} {pain.kind} pain"
    severity = f"severity {pain.severity}/5" if pain.severity is not None else None
    if severity is not None and len(head) + 3 + len(severity) <= PAIN_WIDTH:
        head, severity = f"{head} \u00b7 {severity}", None
    # else on a line of its own: wrapped with the head, it broke as "severity" / "4/5"
    volume = f"{pain.volume} {pain.volume_unit}/month" if pain.volume is not None else None
    if measured is not None:
        volume = f"{style.volume_figure(measured)} {pain.volume_unit}/month, measured"
    return label(head, severity, curly(pain.summary), volume, width=PAIN_WIDTH)


def stage_label(
    stage: Stage, unreachable: bool, changed: bool = False, teams: Mapping[str, str] | None = None
) -> str:
    owner = f"owner: {style.team_name(stage.owner, teams)}" if stage.owner else "no owner"
    emotion = f"emotion {style.emotion_label(stage.emotion)}" if stage.emotion is not None else None
    warning = "\u26a0 unreachable: no path leads here" if unreachable else None
    return label(CHANGED if changed else None, warning, stage.name, owner, emotion, width=34)


def build(
    m: Map,
    changed: frozenset[str] = frozenset(),
    *,
    page: str | None = None,
    teams: Mapping[str, str] | None = None,
    measured: Mapping[str, float] | None = None,
) -> dot.Digraph:
    """The journey view of one map. ``changed`` holds stage ids, step refs and ``pain:ID``s
    to highlight (what a change touched, for reviewers): a thick purple outline and the
    word "changed".
    With ``page`` (the map's page, relative to the SVG), shapes link to its sections;
    ``teams`` gives owners their names; ``measured``, pain points' measured monthly volumes
    by id (the site's, from the map's snapshot).

    Stages are columns side by side in list order, tops aligned; each column holds its steps
    from the top, then its pain points. Transitions run between the columns' first shapes,
    so branches and loops never push a stage down into a staircase."""
    g = dot.Digraph(name=f"journey-{m.id}", **style.graph_defaults())
    persona = f" \u2014 {m.persona.name}" if m.persona else ""
    # said once: "Admin locked out (future state) — Workspace admin (future state)"
    state = "" if m.title.endswith(f"({m.state} state)") else f" ({m.state} state)"
    g.attr(
        rankdir="TB",
        compound="true",
        newrank="true",
        nodesep="0.5",
        ranksep="0.3",
        id=f"journey-{m.id}",
        label=plain(f"{m.title}{persona}{state}", limit=160),
    )
    g.attr("node", shape="box", style="rounded,filled", fillcolor="white", margin="0.12,0.06")
    reached = m.reachable_stages()
    pains_at: dict[str, list[PainPoint]] = {}
    for pain in m.open_pain_points:  # a resolved one is the record of a fix: it no longer hurts
        if pain.stage is not None:
            pains_at.setdefault(pain.stage.id, []).append(pain)

    last = len(m.stages) - 1
    # The foot of the longest column (the most shapes, one row each: the lowest row), the
    # one shape the legend hangs under. Tied under every column's foot, the invisible ties
    # from the shorter columns ran down past the longer ones and Graphviz bent them left of
    # the first stage: a blank band of up to ~300 pt, so the diagram opened and printed smaller.
    deepest = ("", 0)
    # Every stage's title block as tall as the tallest, so the columns' tops line up.
    titles = {s.id: stage_label(s, s.id not in reached, s.id in changed, teams) for s in m.stages}
    tallest = max((t.count("\\l") for t in titles.values()), default=0)
    for stage in m.stages:
        unreachable = stage.id not in reached
        with g.subgraph(name=f"cluster_{stage.id}") as c:
            touched = stage.id in changed
            c.attr(
                label="",  # the stage's title is the column's head, below
                id=stage_id(stage),
                style="rounded,filled,dashed" if unreachable else "rounded,filled",
                fillcolor=style.emotion_fill(stage.emotion),
                color=style.PURPLE if touched else style.VERMILLION if unreachable else style.LINE,
                penwidth="4" if touched else "2" if unreachable else "1",
                **links.to(page, stage_id(stage), f"Stage {stage.name}: what happens there"),
            )
            # The stage's title is a shape of its own, the top row the columns hang from, every
            # one as tall as the tallest (steps of different heights would be centred on it,
            # misaligning the stages). As a shape, not the cluster's label, it takes room in
            # the layout: a flow's label between two stages is placed beside the titles, in a
            # gap Graphviz widens for it, never drawn over them. It is as wide as the column's
            # widest card (by the embedded Graphviz's own measure of words), its lines starting
            # at its left edge, so it starts where the stage does: centred over wider cards, a
            # title stood up to ~50 pt in from the stage's edge and read as misaligned.
            words = {st.ref: step_label(st, stage, st.ref in changed, teams) for st in stage.steps}
            pains = [
                (p, pain_label(p, f"pain:{p.id}" in changed, (measured or {}).get(p.id)))
                for p in pains_at.get(stage.id, [])
            ]
            cards = [*words.values(), *(text for _, text in pains)] or [_EMPTY]
            head = f"__head.{stage.id}"
            c.node(
                head,
                label=titles[stage.id] + " \\l" * (tallest - titles[stage.id].count("\\l")),
                id=f"{stage_id(stage)}-title",
                shape="plaintext",
                style="solid",
                margin="0.02,0.02",
                width=_inches(max(width(card, float(style.FONT_SIZE)) for card in cards) + CARD_MARGIN),
                **links.to(page, stage_id(stage), f"Stage {stage.name}: what happens there"),
            )
            column: list[str] = [head]
            if not stage.steps:
                c.node(
                    _anchor(stage),
                    label=_EMPTY,
                    id=f"{stage_id(stage)}-anchor",
                    style="rounded,dashed",
                    fontcolor=style.MUTED,
                    **links.to(page, stage_id(stage), f"Stage {stage.name}: what happens there"),
                )
                column.append(_anchor(stage))
            for step in stage.steps:
                behind = step.lane in ("backstage", "support")
                ref = step.ref  # (a property: made on each use)
                mark = {"color": style.PURPLE, "penwidth": "4"} if ref in changed else {}
                shape = f"step-{ref}"  # step_id(step)
                c.node(
                    ref,
                    label=words[ref],
                    id=shape,
                    fillcolor=style.emotion_fill(step.emotion),
                    style="filled" if behind else "rounded,filled",
                    **mark,
                    **links.to(page, shape, f"Step {curly(step.name)}"),
                )
                column.append(ref)
            if not stage.next:  # the journey ends here, or strands the customer: said in the column
                dead = stage.index < last and not stage.end
                c.node(
                    f"__end.{stage.id}",
                    label=plain("Dead end" if dead else "End"),
                    id=f"end-{stage.id}",
                    shape="octagon" if dead else "doublecircle",
                    style="filled",
                    fillcolor="#F8CBAD" if dead else "#E2F0D9",
                    color=style.VERMILLION if dead else style.GREEN,
                    penwidth="2" if dead else "1",
                )
                column.append(f"__end.{stage.id}")
            c.edge(head, column[1], style="invis", weight="10")
            c.edges(itertools.pairwise(column[1:]), weight="10")  # the steps, in order, downwards, close
            below = column[-1]
            for pain, text in pains:
                name = f"__pain.{pain.id}"
                marked = f"pain:{pain.id}" in changed
                c.node(
                    name,
                    label=text,
                    id=f"pain-{pain.id}",
                    shape="note",
                    style="filled",
                    fillcolor=style.PAIN_FILL[pain.kind],
                    **({"color": style.PURPLE, "penwidth": "4"} if marked else {}),
                    **links.to(page, f"pain-{pain.id}", f"Pain point: {curly(pain.summary)}"),
                )
                c.edge(below, name, style="invis", weight="10")  # under the steps, one by one
                tied = pain.step.ref if pain.step else _anchor(stage)
                c.edge(name, tied, style="dotted", dir="none", constraint="false")
                below = name
            depth = len(column) + len(pains)
            if depth > deepest[1]:
                deepest = (below, depth)

    # The stages' first shapes share the top row, in list order.
    row = [f"__head.{stage.id}" for stage in m.stages]
    with g.subgraph() as top:
        top.attr(rank="same")
        top.nodes(row)
    # minlen 0: no gap of their own (Graphviz keeps one the width of nodesep between flat-edged
    # shapes), the titles being as wide as their columns; the stages stand as close as their cards.
    g.edges(itertools.pairwise(row), style="invis", weight="10", minlen="0")

    for stage in m.stages:
        for t in stage.next:
            target = m.stage(t.to)
            if target is None:
                continue
            attrs = {"ltail": f"cluster_{stage.id}", "lhead": f"cluster_{target.id}", "constraint": "false"}
            if target.index <= stage.index:  # a loop: drawn so it cannot be mistaken for progress
                lines = [f"\u21ba {t.label or 'loops back'}"]
                if t.has_breaker:
                    lines.append(f"breaker: {t.breaker}")
                    attrs.update(color=style.BLUE, fontcolor=style.BLUE, style="dashed", penwidth="1.5")
                else:
                    lines.append("\u26a0 no circuit breaker" + (f" ({t.breaker})" if t.breaker else ""))
                    attrs.update(
                        color=style.VERMILLION, fontcolor=style.VERMILLION, style="dashed", penwidth="3"
                    )
                g.edge(  # from the stage's last shape: apart from the arrows along the top
                    _exit(stage),
                    f"__head.{target.id}",
                    label=label(*lines, width=30, limit=80),
                    id=f"loop-{stage.id}-{target.id}",
                    **attrs,
                )
            else:
                # A labelled flow keeps its minimum length: at 0 Graphviz drops its label.
                extra = {"label": label(t.label, width=24, limit=60)} if t.label else {"minlen": "0"}
                g.edge(
                    f"__head.{stage.id}",
                    f"__head.{target.id}",
                    id=f"flow-{stage.id}-{target.id}",
                    **attrs,
                    **extra,
                )

    # A handoff that loses the customer's context: shown here as in the blueprint.
    shown: set[str] = set()
    for h in m.handoffs:
        if h.context != "lost" or h.from_step is None or h.to_step is None:
            continue
        team = style.team_name(h.to_step.owner, teams) if h.to_step.owner else "another team"
        # "1 business day", as the pages say, kept on one line by no-break spaces: wrapped,
        # it read "context lost, SLA 1" over "business day".
        sla = ", " + f"SLA {duration(h.sla)}".replace(" ", "\u00a0") if h.sla else ""
        g.edge(
            h.from_ref,
            h.to_ref,
            label=label(f"\u26a0 handoff to {team}: context lost{sla}", width=26),
            color=style.VERMILLION,
            fontcolor=style.VERMILLION,
            penwidth="3",
            constraint="false",
            id=f"handoff-{h.from_ref}-{h.to_ref}",
        )
        shown.add("lost-behind" if h.behind_the_scenes else "lost")
    steps = list(m.steps())
    loops = [
        t
        for stage in m.stages
        for t in stage.next
        if (x := m.stage(t.to)) is not None and x.index <= stage.index
    ]
    shown |= {"loop" for t in loops if t.has_breaker} | {"loop-unbroken" for t in loops if not t.has_breaker}
    shown |= {"behind" for st in steps if st.lane in ("backstage", "support")}
    shown |= {"dead-end" for i, s in enumerate(m.stages) if not s.next and not s.end and i < last}
    shown |= {"unreachable" for s in m.stages if s.id not in reached}
    shown |= {"changed"} if changed else set()
    emotions = [v for v in (*(s.emotion for s in m.stages), *(st.emotion for st in steps)) if v is not None]
    add_legend(
        g,
        [line for key, line in LEGEND.items() if key in shown],
        emotions=emotions,
        pains={p.kind for p in m.open_pain_points if p.stage is not None},
        left_to_right=False,
        below=[deepest[0]] if deepest[0] else [],
    )
    return g


def title(m: Map) -> str:
    return f"Journey of {m.title}"


def describe(m: Map) -> str:
    stages = ", ".join(s.name for s in m.stages)
    pains = len(m.pain_points)
    return (
        f"Journey of {len(m.stages)} stages: {stages}; "
        f"{sum(len(s.steps) for s in m.stages)} steps and {pains} pain point{'s' if pains != 1 else ''}."
    )


VIEW = View(
    "journey",
    "map",
    1,
    "stages, steps, loops, pain points and emotion",
    title,
    describe,
    build_map=build,
    measured=True,
)
