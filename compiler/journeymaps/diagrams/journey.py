"""The journey view: stages left to right, each a column of its steps, with transitions,
loops, dead ends, pain points and the customer's emotion."""

from __future__ import annotations

from journeymaps.diagrams import dot, links, style
from journeymaps.diagrams.legend import add_legend
from journeymaps.diagrams.text import label, plain
from journeymaps.model import Map, PainPoint, Stage, Step
from journeymaps.rules.flow import reachable_stages

JOURNEY_LEGEND = [
    "solid arrow: the journey goes on",
    "\u21ba dashed blue arrow: a loop back, with its circuit breaker",
    "\u21ba bold dashed vermillion arrow, \u26a0: a loop with no breaker",
    "square corners: a step out of the customer's sight (backstage, support)",
    "octagon: dead end; dashed stage: unreachable",
]


CHANGED = "\u2731 changed"


def stage_id(stage: Stage) -> str:
    return f"stage-{stage.id}"


def step_id(step: Step) -> str:
    return f"step-{step.ref}"


def _anchor(stage: Stage) -> str:
    """The node an edge into a stage attaches to."""
    return stage.steps[0].ref if stage.steps else f"__stage.{stage.id}"


def _exit(stage: Stage) -> str:
    return stage.steps[-1].ref if stage.steps else f"__stage.{stage.id}"


def step_label(step: Step, stage: Stage, changed: bool = False) -> str:
    where = " \u00b7 ".join(x for x in (step.lane, step.channel) if x)
    owner = f"owner: {step.owner}" if step.owner and step.owner != stage.owner else None
    feels = f"feels {style.emotion_label(step.emotion)}" if step.emotion is not None else None
    return label(CHANGED if changed else None, step.name, where, owner, feels)


def pain_label(pain: PainPoint, changed: bool = False) -> str:
    head = f"{CHANGED} \u00b7 " if changed else ""
    head += f"{style.PAIN_SYMBOL[pain.kind]} {pain.kind} pain"
    if pain.severity is not None:
        head += f" \u00b7 severity {pain.severity}/5"
    volume = f"{pain.volume} contacts/month" if pain.volume is not None else None
    return label(head, pain.summary, volume, width=30)


def stage_label(stage: Stage, unreachable: bool, changed: bool = False) -> str:
    owner = f"owner: {stage.owner}" if stage.owner else "no owner"
    emotion = f"emotion {style.emotion_label(stage.emotion)}" if stage.emotion is not None else None
    warning = "\u26a0 unreachable: no path leads here" if unreachable else None
    return label(CHANGED if changed else None, warning, stage.name, owner, emotion, width=34)


def build(m: Map, changed: frozenset[str] = frozenset(), *, page: str | None = None) -> dot.Digraph:
    """The journey view of one map. ``changed`` holds stage ids, step refs and ``pain:ID``s
    to highlight (what a change touched, for reviewers): a thick purple outline and the
    word "changed".
    With ``page`` (the map's page, relative to the SVG), shapes link to its sections."""
    g = dot.Digraph(name=f"journey-{m.id}", **style.graph_defaults())
    persona = f" \u2014 {m.persona.name}" if m.persona else ""
    g.attr(
        rankdir="LR",
        compound="true",
        newrank="true",
        nodesep="0.25",
        ranksep="0.6",
        id=f"journey-{m.id}",
        label=plain(f"{m.title}{persona} ({m.state} state)", limit=160),
    )
    g.attr("node", shape="box", style="rounded,filled", fillcolor="white", margin="0.12,0.06")
    reached = reachable_stages(m)
    pains_at: dict[str, list[PainPoint]] = {}
    for pain in m.pain_points:
        if pain.stage is not None:
            pains_at.setdefault(pain.stage.id, []).append(pain)

    for stage in m.stages:
        unreachable = stage.id not in reached
        with g.subgraph(name=f"cluster_{stage.id}") as c:
            touched = stage.id in changed
            c.attr(
                label=stage_label(stage, unreachable, touched),
                id=stage_id(stage),
                style="rounded,filled,dashed" if unreachable else "rounded,filled",
                fillcolor=style.emotion_fill(stage.emotion),
                color=style.PURPLE if touched else style.VERMILLION if unreachable else style.LINE,
                penwidth="4" if touched else "2" if unreachable else "1",
                **links.to(page, stage_id(stage), f"Stage {stage.name}: what happens there"),
            )
            with c.subgraph() as column:
                column.attr(rank="same")
                if not stage.steps:
                    column.node(
                        _anchor(stage),
                        label=plain("(no steps mapped)"),
                        id=f"{stage_id(stage)}-anchor",
                        style="rounded,dashed",
                        fontcolor=style.MUTED,
                        **links.to(page, stage_id(stage), f"Stage {stage.name}: what happens there"),
                    )
                for step in stage.steps:
                    behind = step.lane in ("backstage", "support")
                    mark = {"color": style.PURPLE, "penwidth": "4"} if step.ref in changed else {}
                    column.node(
                        step.ref,
                        label=step_label(step, stage, bool(mark)),
                        id=step_id(step),
                        fillcolor=style.emotion_fill(step.emotion),
                        style="filled" if behind else "rounded,filled",
                        **mark,
                        **links.to(page, step_id(step), f"Step {step.name}"),
                    )
                for pain in pains_at.get(stage.id, []):
                    marked = f"pain:{pain.id}" in changed
                    column.node(
                        f"__pain.{pain.id}",
                        label=pain_label(pain, marked),
                        id=f"pain-{pain.id}",
                        shape="note",
                        style="filled",
                        fillcolor=style.PAIN_FILL[pain.kind],
                        **({"color": style.PURPLE, "penwidth": "4"} if marked else {}),
                        **links.to(page, f"pain-{pain.id}", f"Pain point: {pain.summary}"),
                    )
            # In a left-to-right layout a flat edge's tail lands below its head; drawing the
            # edge reversed (dir=back) keeps the first step on top with the arrow pointing down.
            for a, b in zip(stage.steps, stage.steps[1:], strict=False):
                c.edge(b.ref, a.ref, dir="back")
            for pain in pains_at.get(stage.id, []):
                tied = pain.step.ref if pain.step else _anchor(stage)
                c.edge(f"__pain.{pain.id}", tied, style="dotted", dir="none", constraint="false")

    last = len(m.stages) - 1
    for stage in m.stages:
        for t in stage.next:
            target = m.stage(t.to)
            if target is None:
                continue
            attrs = {"ltail": f"cluster_{stage.id}", "lhead": f"cluster_{target.id}"}
            if target.index <= stage.index:  # a loop: drawn so it cannot be mistaken for progress
                lines = [f"\u21ba {t.label or 'loops back'}"]
                if t.breaker:
                    lines.append(f"breaker: {t.breaker}")
                    attrs.update(color=style.BLUE, fontcolor=style.BLUE, style="dashed", penwidth="1.5")
                else:
                    lines.append("\u26a0 no circuit breaker")
                    attrs.update(
                        color=style.VERMILLION, fontcolor=style.VERMILLION, style="dashed", penwidth="3"
                    )
                g.edge(
                    _exit(stage),
                    _anchor(target),
                    label=label(*lines, width=30, limit=80),
                    constraint="false",
                    id=f"loop-{stage.id}-{target.id}",
                    **attrs,
                )
            else:
                extra = {"label": label(t.label, width=24, limit=60)} if t.label else {}
                g.edge(_exit(stage), _anchor(target), id=f"flow-{stage.id}-{target.id}", **attrs, **extra)
        if not stage.next:
            dead = stage.index < last and not stage.end
            name = f"__end.{stage.id}"
            g.node(
                name,
                label=plain("Dead end" if dead else "End"),
                id=f"end-{stage.id}",
                shape="octagon" if dead else "doublecircle",
                style="filled",
                fillcolor="#F8CBAD" if dead else "#E2F0D9",
                color=style.VERMILLION if dead else style.GREEN,
                penwidth="2" if dead else "1",
            )
            g.edge(_exit(stage), name, ltail=f"cluster_{stage.id}")
    lines = (
        [*JOURNEY_LEGEND, "thick purple outline, \u2731 changed: touched by this change"]
        if changed
        else JOURNEY_LEGEND
    )
    add_legend(g, lines, emotions=True, pains=True, left_to_right=True)
    return g
