"""Team handoffs across every map: teams as nodes, handoffs as edges weighted by how many
journeys cross them. The view an operations director asks for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from journeymaps.business_time import words as duration
from journeymaps.diagrams import dot, links, style
from journeymaps.diagrams.legend import add_legend
from journeymaps.diagrams.text import label, plain
from journeymaps.diagrams.view import PerMap, View
from journeymaps.model import Map, Project
from journeymaps.reporters.base import counted

#: What the legend may explain: the first two always, each other only when an arrow shows it.
TEAMS_LEGEND = {
    "teams": "box: a team; arrow: cases handed from one team to another",
    "width": "arrow width: how many journeys have that handoff",
    "declared": "blue arrow: declared handoffs",
    "lost": "bold vermillion arrow, \u26a0: some handoffs lose context",
    "undeclared": "dashed vermillion arrow, \u26a0: some handoffs are not declared",
}


@dataclass
class Crossing:
    """All handoffs from one team to another, across maps."""

    journeys: set[str] = field(default_factory=set)
    declared: int = 0
    undeclared: int = 0
    lost: int = 0
    slas: set[str] = field(default_factory=set)


#: One handoff a map makes from a team to another: (from, to), declared, loses context, SLA.
Handoff = tuple[tuple[str, str], bool, bool, str | None]


def map_handoffs(m: Map) -> list[Handoff]:
    """The handoffs between two teams in one map: those declared, then those implied by
    consecutive steps of different owners that no declared handoff covers."""
    found: list[Handoff] = []
    declared = set()
    for h in m.handoffs:
        if h.from_step is None or h.to_step is None or not h.from_step.owner or not h.to_step.owner:
            continue
        if h.from_step.owner == h.to_step.owner:  # a bot-to-human transfer: no team crossed
            continue
        declared.add((h.from_ref, h.to_ref))
        found.append(((h.from_step.owner, h.to_step.owner), True, h.context == "lost", h.sla))
    for a, b in m.implied_handoffs():
        if (a.ref, b.ref) not in declared and a.owner and b.owner and a.owner != b.owner:
            found.append(((a.owner, b.owner), False, False, None))
    return found


def crossings(project: Project, per_map: PerMap | None = None) -> dict[tuple[str, str], Crossing]:
    """(from team, to team) → what crosses, in a stable order (each map's handoffs from
    ``per_map`` when given)."""
    found: dict[tuple[str, str], Crossing] = defaultdict(Crossing)
    for m in project.maps:
        handoffs: list[Handoff] = per_map("handoffs", m, map_handoffs) if per_map else map_handoffs(m)
        for pair, declared, lost, sla in handoffs:
            c = found[pair]
            c.journeys.add(m.id)
            if declared:
                c.declared += 1
                c.lost += lost
                if sla:
                    c.slas.add(sla)
            else:
                c.undeclared += 1
    return dict(sorted(found.items()))


def crossed(edges: Mapping[tuple[str, str], Crossing]) -> set[str]:
    """The teams that hand a case to another team, or receive one, in some journey."""
    return {team for pair in edges for team in pair}


#: Why the view has nothing to draw when no team hands a case to another: every team an
#: unconnected box in a column (fourteen of them printed 8.5 cm high, their names ~3.5 pt)
#: tells a director nothing the sentence does not.
NO_HANDOFF = "no team hands a case to another in any journey"


def nothing_to_draw(project: Project, per_map: PerMap | None = None) -> str | None:
    """:data:`NO_HANDOFF` when no team hands a case to another team in any map, else None."""
    return None if crossings(project, per_map) else NO_HANDOFF


def build(project: Project, *, page: str | None = None, per_map: PerMap | None = None) -> dot.Digraph:
    """The team handoff view of the whole project; with ``page``, teams link to it."""
    g = dot.Digraph(name="team-handoffs", **style.graph_defaults())
    g.attr(
        rankdir="LR",
        nodesep="0.3",  # the labels' blank line under their words is room enough between teams
        ranksep="1.2",
        id="team-handoffs",
        label=plain("Team handoffs across all journeys"),
    )
    g.attr("node", shape="box", style="rounded,filled", fillcolor="#F2F2F2", margin="0.2,0.1")
    edges = crossings(project, per_map)
    names = {t.id: t.name for t in (project.teams or {}).values()}
    # A team that hands nothing off and receives nothing stood alone among the arrows, and a
    # director wondered why it floated: the teams page lists those under the diagram
    # (no_handoffs). With no handoff at all there is nothing to draw (nothing_to_draw): the
    # site and render leave the view out; drawn anyway, it shows every team.
    involved = sorted(crossed(edges) or set(names))
    for team in involved:
        title = names.get(team, team)
        g.node(
            team,
            id=f"team-{team}",
            label=label(title, width=30),  # the name a director knows, not the YAML id
            **links.to(page, f"team-{team}", f"Team {title}: what it owns and hands off"),
        )
    shown = {"teams", "width"} if edges else {"teams"}
    for (a, b), c in edges.items():
        n = len(c.journeys)
        words = [f"{n} journey{'s' if n != 1 else ''}"]
        if c.slas:
            words.append("SLA " + ", ".join(duration(s) for s in sorted(c.slas)))  # as the pages say
        attrs = {"color": style.BLUE, "fontcolor": style.BLUE, "style": "solid"}
        # The arrow's style: dashed when any is undeclared, else bold when any loses context.
        shown.add("undeclared" if c.undeclared else "lost" if c.lost else "declared")
        if c.lost:
            words.append(f"\u26a0 {c.lost} handoff{' loses' if c.lost == 1 else 's lose'} context")
            attrs = {"color": style.VERMILLION, "fontcolor": style.VERMILLION, "style": "bold"}
        if c.undeclared:
            words.append(f"\u26a0 {c.undeclared} undeclared")
            attrs = {"color": style.VERMILLION, "fontcolor": style.VERMILLION, "style": "dashed"}
        g.edge(
            a,
            b,
            # A blank line under the words: Graphviz routes the arrow along the label's lower
            # edge, and "SLA 30 minutes, 4 hours" sat on its own line.
            label=f"{label(*words, width=30)} \\l",
            penwidth=str(1 + 1.5 * min(n, 6)),
            id=f"handoff-{a}-{b}",
            **attrs,
        )
    # Its lines wrapped at 44 characters stood nine lines high, a third of the diagram's
    # height above the few teams it explains: at 64, five.
    add_legend(g, [line for key, line in TEAMS_LEGEND.items() if key in shown], left_to_right=True, wrap=64)
    return g


def title(project: Project) -> str:
    return "Team handoffs across all journeys"


def describe(project: Project) -> str:
    return f"Teams as boxes and the handoffs between them across {counted(len(project.maps), 'journey map')}."


VIEW = View(
    "teams",
    "project",
    3,
    "team handoffs across all maps",
    title,
    describe,
    build_project=build,
    nothing_to_draw=nothing_to_draw,
)
