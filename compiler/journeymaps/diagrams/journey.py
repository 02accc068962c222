"""The journey view: stages left to right, each a column of its steps, with transitions,
loops, dead ends, pain points and the customer's emotion."""

from __future__ import annotations

import graphviz

from journeymaps.diagrams import style
from journeymaps.diagrams.legend import Row, emotion_scale, legend, pain_rows
from journeymaps.diagrams.text import html, html_lines, plain
from journeymaps.model import Map, PainPoint, Stage, Step
from journeymaps.rules.flow import reachable_stages


def stage_id(stage: Stage) -> str:
    return f"stage-{stage.id}"


def step_id(step: Step) -> str:
    return f"step-{step.ref}"


def _anchor(stage: Stage) -> str:
    """The node an edge to or from a stage attaches to."""
    return stage.steps[0].ref if stage.steps else f"__stage.{stage.id}"


def _exit(stage: Stage) -> str:
    return stage.steps[-1].ref if stage.steps else f"__stage.{stage.id}"


def _row(text: str, bold: bool = False) -> str:
    body = f"<B>{text}</B>" if bold else text
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{body}</TD></TR>'


def _table(rows: list[str]) -> str:
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def step_label(step: Step, stage: Stage) -> str:
    rows = [_row(html_lines(step.name), bold=True)]
    where = " \u00b7 ".join(x for x in (step.lane, step.channel) if x)
    rows.append(_row(html(where)))
    if step.owner and step.owner != stage.owner:
        rows.append(_row(html(f"owner: {step.owner}")))
    if step.emotion is not None:
        rows.append(_row(html(f"feels {style.emotion_label(step.emotion)}")))
    return _table(rows)


def pain_label(pain: PainPoint) -> str:
    head = f"{style.PAIN_SYMBOL[pain.kind]} {pain.kind} pain"
    if pain.severity is not None:
        head += f" \u00b7 severity {pain.severity}/5"
    rows = [_row(html(head), bold=True), _row(html_lines(pain.summary, width=30))]
    if pain.volume is not None:
        rows.append(_row(html(f"{pain.volume} contacts/month")))
    return _table(rows)


def stage_label(stage: Stage, unreachable: bool) -> str:
    rows = []
    if unreachable:
        rows.append(_row(html("\u26a0 unreachable: no path leads here"), bold=True))
    rows.append(_row(html_lines(stage.name, width=32), bold=True))
    facts = [f"owner: {stage.owner}" if stage.owner else "no owner"]
    if stage.emotion is not None:
        facts.append(f"emotion {style.emotion_label(stage.emotion)}")
    rows.append(_row(html(" \u00b7 ".join(facts))))
    return _table(rows)


JOURNEY_LEGEND: list[Row] = [
    (None, "fill = customer emotion, \u22123 (very negative) to +3 (very positive)"),
    *pain_rows(),
    (None, "solid arrow = the journey goes on"),
    (None, "\u21ba dashed arrow = loop back, with its circuit breaker"),
    (None, "\u21ba bold dashed arrow marked \u26a0 = loop with no breaker"),
    (None, "octagon = dead end \u00b7 dashed stage = unreachable"),
]


def build(m: Map) -> graphviz.Digraph:
    """The journey view of one map."""
    g = graphviz.Digraph(name=f"journey-{m.id}", **style.graph_defaults())
    persona = f" \u2014 {m.persona.name}" if m.persona else ""
    g.attr(
        rankdir="LR",
        compound="true",
        newrank="true",
        nodesep="0.25",
        ranksep="0.6",
        label=plain(f"{m.title}{persona} ({m.state} state)", limit=160),
        id=f"journey-{m.id}",
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
            c.attr(
                label=stage_label(stage, unreachable),
                id=stage_id(stage),
                style="rounded,filled,dashed" if unreachable else "rounded,filled",
                fillcolor=style.emotion_fill(stage.emotion),
                color=style.VERMILLION if unreachable else style.LINE,
                penwidth="2" if unreachable else "1",
            )
            with c.subgraph() as column:
                column.attr(rank="same")
                if not stage.steps:
                    column.node(
                        _anchor(stage),
                        label=html("(no steps mapped)"),
                        id=f"{stage_id(stage)}-anchor",
                        shape="box",
                        style="rounded,dashed",
                        fontcolor=style.MUTED,
                    )
                for step in stage.steps:
                    column.node(
                        step.ref,
                        label=step_label(step, stage),
                        id=step_id(step),
                        fillcolor=style.emotion_fill(step.emotion),
                        style="filled" if step.lane in ("backstage", "support") else "rounded,filled",
                    )
                for pain in pains_at.get(stage.id, []):
                    column.node(
                        f"__pain.{pain.id}",
                        label=pain_label(pain),
                        id=f"pain-{pain.id}",
                        shape="note",
                        style="filled",
                        fillcolor=style.PAIN_FILL[pain.kind],
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
                rows = [_row(html_lines(f"\u21ba {t.label or 'loops back'}", width=30, limit=80))]
                if t.breaker:
                    rows.append(_row(html_lines(f"breaker: {t.breaker}", width=30, limit=80)))
                    attrs.update(color=style.BLUE, fontcolor=style.BLUE, style="dashed", penwidth="1.5")
                else:
                    rows.append(_row(html("\u26a0 no circuit breaker"), bold=True))
                    attrs.update(
                        color=style.VERMILLION, fontcolor=style.VERMILLION, style="dashed", penwidth="3"
                    )
                g.edge(
                    _exit(stage),
                    _anchor(target),
                    label=_table(rows),
                    constraint="false",
                    id=f"loop-{stage.id}-{target.id}",
                    **attrs,
                )
            else:
                label = {"label": plain(t.label, limit=60)} if t.label else {}
                g.edge(_exit(stage), _anchor(target), id=f"flow-{stage.id}-{target.id}", **attrs, **label)
        if not stage.next:
            dead = stage.index < last and not stage.end
            name = f"__end.{stage.id}"
            g.node(
                name,
                label=html("Dead end" if dead else "End"),
                id=f"end-{stage.id}",
                shape="octagon" if dead else "doublecircle",
                style="filled",
                fillcolor="#F8CBAD" if dead else "#E2F0D9",
                color=style.VERMILLION if dead else style.GREEN,
                penwidth="2" if dead else "1",
            )
            g.edge(_exit(stage), name, ltail=f"cluster_{stage.id}")
    g.node(
        "__legend", label=legend(JOURNEY_LEGEND, emotion_scale()), shape="plaintext", id="legend", style=""
    )
    return g
