"""The map canvas: the one horizontal grid the practice calls a journey map.

Stages and their steps are columns (each step a sub-column of its stage); rows are the
blueprint's lanes with the lines of interaction and visibility, what the customer does,
thinks and feels, channels, owners, the emotion curve at step resolution, and the pain
points, opportunities and KPIs under the stage they belong to.

Everything here is computed before rendering, so the template only places cells. Columns
are equal in width and the curve's x positions are percentages of the same span, which
is what keeps every point exactly over its step at any screen or paper width.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace

from markupsafe import Markup

from journeymaps.diagrams import style
from journeymaps.model import Map, Opportunity, Stage, Step
from journeymaps.quotes import curly, quotation
from journeymaps.records import record
from journeymaps.site.curve_labels import Clearance, Lines, Placed, place
from journeymaps.site.pages import RankedPain
from journeymaps.templating import escape_text

#: The lanes every canvas shows, in the blueprint's order; physical evidence only when used.
CORE_LANES = ("customer", "frontstage", "backstage", "support")
#: The line drawn after a lane's row: customer | interaction | frontstage | visibility | ...
LINE_AFTER = {"customer": "Line of interaction", "frontstage": "Line of visibility"}
#: Height of the curve's drawing in CSS pixels; room above +3 for labels, below -3 for
#: the pain markers.
CURVE_HEIGHT = 150
CURVE_TOP = 26
CURVE_BOTTOM = 30
#: The curve's 12 px words around their baseline: up to their capitals' tops, down to their
#: descenders, and the air kept between them and a level line.
WORDS_UP, WORDS_DOWN, WORDS_AIR = 10, 3, 2
#: Between a point's value and a line of the curve passing under it: clear of the white
#: box behind the words, which at 2 px cut the line under the future state's "+1".
LINE_AIR = 5
#: The point labels' words and air, for placing them clear of the curve.
LABEL_CLEARANCE = Clearance(WORDS_UP, WORDS_DOWN, LINE_AIR, WORDS_AIR)
#: The words marking a moment on the curve, on a line of their own where room is short.
MOMENT_MARKS = {"truth": "\u2605 moment of truth", "wow": "\u2726 wow"}
#: What a point's circle's title adds for its moment.
_MOMENT_TITLES = {"truth": ", a moment of truth", "wow": ", a wow moment"}
#: The centre of a run of columns (first, span) in percent of the step area.
_X = Callable[..., float]


@record(slots=True)
class Column:
    """One sub-column of the grid: a step, or a stage that has no steps."""

    stage: Stage
    step: Step | None


@record(slots=True)
class Cell:
    """Text placed under a run of columns: ``start`` is 0-based among the step columns."""

    start: int
    span: int
    text: str
    css: str = ""

    @property
    def place(self) -> str:
        """Its place in the grid (after the row labels' column), as an inline style."""
        return f"grid-column: {self.start + 2} / span {self.span}"


@record
class Handover:
    """A handoff leaving a step, in words."""

    to_team: str
    sla: str | None
    lost: bool
    note: str | None
    #: Between teams out of the customer's sight (see Handoff.behind_the_scenes).
    backstage: bool = False


@record(slots=True)
class Card:
    start: int
    step: Step
    owner: str
    handover: Handover | None
    pains: tuple[int, ...]  # numbers of the pain points at this step

    @property
    def place(self) -> str:
        return f"grid-column: {self.start + 2} / span 1"


@record
class PainNote:
    number: int
    ranked: RankedPain
    where: str  # the step's or the stage's name


@record
class Flow:
    """Where a stage leads, in words: onward, a branch, a loop back, or the end."""

    kind: str  # next | branch | loop | end | dead-end
    text: str


@record
class StageBlock:
    number: int
    stage: Stage
    start: int
    span: int
    owner: str
    on_path: bool
    #: Pieces of evidence validating it (the stage's, its steps', its pain points'); None on a
    #: future-state map, a hypothesis not judged by its data.
    evidence: int | None
    flows: tuple[Flow, ...]
    pains: tuple[PainNote, ...]
    opportunities: tuple[tuple[Opportunity, str], ...]  # with the owner's name

    @property
    def place(self) -> str:
        """Its place in the grid (after the row labels' column), as an inline style."""
        return f"grid-column: {self.start + 2} / span {self.span}"


@record(slots=True)
class Point:
    x: float  # percent of the curve's width
    y: float
    emotion: int
    name: str
    peak: bool = False
    end: bool = False
    moment: str | None = None  # truth | wow: marked on the curve
    #: The main path's lowest point (the first, on a tie): the worst moment the map page's
    #: summary names, so marked on the curve too ("worst", or "lowest" when not negative).
    worst: bool = False

    @property
    def best(self) -> bool:
        """The peak, when it is a high: a low peak is the worst moment, marked as such."""
        return self.peak and self.emotion > 0

    @property
    def lowest(self) -> bool:
        """Marked as the lowest: the worst point when it is not negative and not also the best
        (a flat curve's one point is its best, not its lowest)."""
        return self.worst and self.emotion >= 0 and not self.best


@record
class Line:
    points: tuple[Point, ...]
    branch: bool
    label: str
    rejoins: bool = False  # a branch whose last point is back on the main path

    @property
    def segments(self) -> list[tuple[Point, Point]]:
        return list(itertools.pairwise(self.points))


@record
class PainMark:
    x: float
    y: float
    number: int
    summary: str
    shift: int = 0  # pixels sideways: pain points at the same step side by side, not stacked


@record
class Loop:
    """A way back to an earlier stage, drawn as a dashed arc over the curve from ``x1``
    back to ``x2`` (percent), its height in the curve's pixels."""

    x1: float
    x2: float
    y1: float
    y2: float
    label: str
    breaker: bool

    @property
    def left(self) -> float:
        return min(self.x1, self.x2)

    @property
    def width(self) -> float:
        return round(abs(self.x1 - self.x2), 3)

    @property
    def path(self) -> str:
        """In a 100-wide box stretched over ``left``..``left + width``: from x1 up and back to x2."""
        start, end = (100, 0) if self.x1 >= self.x2 else (0, 100)
        return f"M {start} {self.y1} C {start} 4, {end} 4, {end} {self.y2}"


@record
class Curve:
    height: int
    lines: tuple[Line, ...]
    marks: tuple[PainMark, ...]
    levels: tuple[tuple[int, float], ...]
    peak: Point | None
    end: Point | None
    loops: tuple[Loop, ...] = ()
    worst: Point | None = None
    columns: int = 1  # the step columns the curve spans

    @functools.cached_property
    def drawn(self) -> Lines:
        """Its lines' segments, indexed for placing labels (made once, for every point)."""
        return Lines.of((a.x, a.y, b.x, b.y) for line in self.lines for a, b in line.segments)

    @functools.cached_property
    def _level_heights(self) -> list[float]:
        """The level lines' heights, as each label is placed clear of them."""
        return [y for _, y in self.levels]

    @functools.cached_property
    def _levels_up(self) -> list[float]:
        """The level lines' heights, lowest on the page first (greatest y): words raised
        over them meet them in that order (sorted once, not for each of the ~40 labels)."""
        return sorted(self._level_heights, reverse=True)

    @functools.cached_property
    def _levels_down(self) -> list[float]:
        """The level lines' heights, highest on the page first: words lowered under them."""
        return sorted(self._level_heights)

    @functools.cached_property
    def _line_points(self) -> list[tuple[Line, set[tuple[float, float]]]]:
        """Each line with where its points are: a point's value is placed over the lines
        that do not pass through it (looked up for each of the curve's points)."""
        return [(line, {(q.x, q.y) for q in line.points}) for line in self.lines]

    def label(self, p: Point) -> Placed:
        """A point's value and words ("\u22123 worst", "+3 best end") and its moment's mark,
        placed clear of the curve's lines (see :mod:`journeymaps.site.curve_labels`)."""
        said = " worst" if p.worst and p.emotion < 0 else " lowest" if p.lowest else " best" if p.best else ""
        words = style.signed(p.emotion) + said + (" end" if p.end else "")
        mark = MOMENT_MARKS.get(p.moment or "")
        return place(
            p.x,
            self.value_base(p),
            (words, mark) if mark else (words,),
            columns=self.columns,
            lines=self.drawn,
            levels=self._level_heights,
            clearance=LABEL_CLEARANCE,
        )

    def points_svg(self, ident: str) -> Markup:
        """Each point's circle, its title saying what the point is, and its label (placed by
        :meth:`label`), as the canvas's SVG shows them; ``ident``: the map's id, naming the
        labels' filter. Written here rather than in the template: ~40 values a point, each
        escaped and looked up by template code, were a fifth of the canvas's time (issue 18).

        The worst moment (the main path's lowest, as the map page's summary names it) and a
        high peak as the best: "-3 peak" read as "the best" to a director who does not know
        the peak-end rule; the peak's circle's title names the rule's word."""
        text = escape_text
        label_filter = f"url(#curve-label-{text(ident)})"
        out: list[str] = []
        for p in self.points:
            x, emotion, moment = str(p.x), p.emotion, p.moment
            kind = "point" + (" peak" if p.peak else "") + (" worst" if p.worst else "")
            kind += (" end" if p.end else "") + (f" moment-{text(moment)}" if moment else "")
            title = f"{text(curly(p.name))}: {text(style.emotion_label(emotion))}"
            if p.peak and emotion:
                title += ", the journey's most intense moment (its peak)"
            if p.worst and emotion < 0:
                title += ", its worst moment"
            elif p.lowest:
                title += ", its lowest moment"
            title += ", its end" if p.end else ""
            title += _MOMENT_TITLES.get(moment or "", "")
            radius = "7" if p.peak or p.worst or p.end else "5"
            out.append(
                f'    <circle cx="{x}%" cy="{p.y}" r="{radius}" fill="{text(style.emotion_fill(emotion))}"'
                f' class="{kind}"><title>{title}</title></circle>\n'
            )
            lb = self.label(p)
            dx = f' dx="{lb.dx}"' if lb.dx else ""
            if len(lb.lines) == 1:
                words = text(lb.lines[0][0])
            else:
                words = "".join(f'<tspan x="{x}%" y="{y}"{dx}>{text(w)}</tspan>' for w, y in lb.lines)
            out.append(
                f'    <text x="{x}%" y="{lb.base}" text-anchor="{text(lb.anchor)}"{dx} class="value"'
                f' filter="{label_filter}">{words}</text>\n'
            )
        return Markup("".join(out))

    def above(self, y: float, gap: float = 13) -> float:
        """The baseline of words ``gap`` pixels over ``y``, raised clear of a level line that
        would run through them (the "-1" over its point sat on the zero line)."""
        base = y - gap
        for level in self._levels_up:
            if base - WORDS_UP - WORDS_AIR <= level <= base + WORDS_DOWN + WORDS_AIR:
                base = level - WORDS_DOWN - WORDS_AIR
        return round(base, 1)

    def value_base(self, p: Point) -> float:
        """The baseline of a point's value, over the point and over any other line that
        passes just above it: billing's branch over its worst moment ran through "-3 worst",
        the future state's main path through its branch's "+1" (a white box kept them legible)."""
        gap = 13.0
        for line, at in self._line_points:
            if (p.x, p.y) in at:
                continue  # its own lines meet at the point, under the words
            y = _height_at(line.points, p.x)
            if y is not None and p.y - gap - WORDS_UP - WORDS_AIR <= y <= p.y:
                gap = max(gap, p.y - y + WORDS_DOWN + LINE_AIR)
        return self.above(p.y, gap)

    def below(self, base: float) -> float:
        """The baseline ``base`` of words, lowered clear of a level line that would run
        through them (the future state's branch label was struck through by the zero line)."""
        for level in self._levels_down:
            if base - WORDS_UP - WORDS_AIR <= level <= base + WORDS_DOWN + WORDS_AIR:
                base = level + WORDS_UP + WORDS_AIR
        return round(base, 1)

    @property
    def points(self) -> list[Point]:
        """Each point once: a branch starts (and may end) on a point of the main path, and
        drawn twice its label was two texts in one place."""
        once: dict[tuple[float, float], Point] = {}
        for line in self.lines:  # the main path first: its point (peak, end, moment) is kept
            for p in line.points:
                once.setdefault((p.x, p.y), p)
        return list(once.values())

    def description(self) -> str:
        main = next((line for line in self.lines if not line.branch), None)
        # Typeset as the page's names (the curve's description is read aloud in their words).
        parts = [f"{curly(p.name)} {style.emotion_label(p.emotion)}" for p in main.points] if main else []
        text = "Emotion along the main path: " + "; ".join(parts) + "." if parts else ""
        for line in self.lines:
            if line.branch:
                text += (
                    f" Branch ({line.label}): "
                    + "; ".join(f"{curly(p.name)} {style.emotion_label(p.emotion)}" for p in line.points[1:])
                    + "."
                )
        return text.strip()


@record
class LaneRow:
    lane: str
    title: str
    cards: tuple[Card, ...]
    line_after: str | None


@record
class Canvas:
    columns: tuple[Column, ...]
    stages: tuple[StageBlock, ...]
    lanes: tuple[LaneRow, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]  # does / thinks / feels / channel / owner
    curve: Curve | None
    kpis: bool
    main_path: tuple[str, ...]
    pains: tuple[PainNote, ...] = field(default=())
    #: Whether a stage has open opportunities (the canvas's row of them).
    opportunities: bool = False

    @property
    def width(self) -> int:
        return len(self.columns)


def main_path(m: Map) -> list[Stage]:
    """The journey's main path: from the first stage, following at each stage the first
    forward ``next`` that still reaches the end. The end is a stage marked ``end: true``
    (the first one listed), else the last stage. Loops back are never followed, so a
    circular journey still has one line; branches are what the path leaves out.

    A map names its main path by listing it first under ``next``."""
    if not m.stages:
        return []
    ends = [s for s in m.stages if s.end] or [m.stages[-1]]
    goal = ends[0]

    def forward(stage: Stage) -> list[Stage]:
        return [t for t in m.successors(stage) if t.index > stage.index]

    # The stages from which the goal can be reached going forward (no recursion: a map may
    # have thousands of stages), by position: two stages sharing an id (an error lint
    # reports) made the first look like it reached the goal, and the walk found no way on
    # (the map's page was not rendered).
    reaches = {goal.index}
    for stage in reversed(m.stages[: goal.index]):
        if any(t.index in reaches for t in forward(stage)):
            reaches.add(stage.index)
    if m.stages[0].index in reaches:
        path = [m.stages[0]]
        while path[-1].index != goal.index:
            path.append(next(t for t in forward(path[-1]) if t.index in reaches))
        return path
    # The end cannot be reached: the first-listed forward path until it stops.
    path = [m.stages[0]]
    while (step := forward(path[-1])) and step[0] not in path:
        path.append(step[0])
    return path


def build_canvas(m: Map, team_names: Mapping[str, str], pains: Sequence[RankedPain]) -> Canvas:
    """The canvas of one map; ``pains`` are its ranked pain points (biggest first)."""

    def team(team_id: str | None) -> str:
        return team_names.get(team_id, team_id) if team_id else "No owner"

    columns: list[Column] = []
    starts: dict[str, tuple[int, int]] = {}
    col_of: dict[str, int] = {}
    for stage in m.stages:
        start = len(columns)
        for st in stage.steps:
            col_of[st.ref] = len(columns)
            columns.append(Column(stage, st))
        if not stage.steps:
            columns.append(Column(stage, None))
        starts[stage.id] = (start, len(columns) - start)
    width = max(len(columns), 1)

    @functools.cache  # (each step's is asked for by its points, its pains and the curve's marks)
    def x(start: int, span: int = 1) -> float:
        return round((start + span / 2) * 100 / width, 3)

    path = main_path(m)
    on_path = {s.id for s in path}
    pain_notes = tuple(
        PainNote(
            i + 1,
            r,
            r.pain.step.name if r.pain.step else r.pain.stage.name if r.pain.stage else r.pain.at,
        )
        for i, r in enumerate(pains)
    )
    numbers = {n.ranked.pain.id: n.number for n in pain_notes}

    handovers: dict[str, Handover] = {}
    for h in m.handoffs:
        if h.from_step is not None:
            to_team = team(h.to_step.owner) if h.to_step else h.to_ref
            handovers[h.from_step.ref] = Handover(
                to_team, h.sla, h.context == "lost", h.note, h.behind_the_scenes
            )

    # Each step's pain point numbers and its lane's steps, gathered in one pass each (per
    # step and per lane, every pain point and every step were gone through again).
    pains_at: dict[str, list[int]] = {}
    for p in m.pain_points:
        if p.id in numbers and p.step is not None:
            pains_at.setdefault(p.step.ref, []).append(numbers[p.id])
    in_lane: dict[str, list[Step]] = {}
    for st in m.steps():
        in_lane.setdefault(st.lane, []).append(st)
    lanes = [lane for lane in style.LANES if lane in CORE_LANES or lane in in_lane]
    lane_rows = []
    for lane in lanes:
        cards = tuple(
            Card(col_of[ref], st, team(st.owner), handovers.get(ref), tuple(pains_at.get(ref, ())))
            for st in in_lane.get(lane, ())
            for ref in (st.ref,)
        )
        after = LINE_AFTER.get(lane)
        if lane == "customer" and "physical-evidence" in lanes:
            after = LINE_AFTER["customer"]
        lane_rows.append(LaneRow(lane, style.LANE_TITLES[lane], cards, after))

    def text_row(step_text: str, stage_text: str | None) -> tuple[Cell, ...]:
        cells: list[Cell] = []
        for stage in m.stages:
            start, span = starts[stage.id]
            values = [(col_of[st.ref], getattr(st, step_text)) for st in stage.steps]
            if any(v for _, v in values):
                cells.extend(Cell(c, 1, v) for c, v in values if v)
            elif stage_text and (value := getattr(stage, stage_text)):
                cells.append(Cell(start, span, value, "stage-wide"))
        return tuple(cells)

    def runs(value_of: dict[int, str], css: str = "") -> tuple[Cell, ...]:
        """Neighbouring columns of one stage with the same value share one cell."""
        cells: list[Cell] = []
        for stage in m.stages:
            start, span = starts[stage.id]
            c = start
            while c < start + span:
                value = value_of.get(c, "")
                end = c + 1
                while end < start + span and value_of.get(end, "") == value:
                    end += 1
                if value:
                    cells.append(Cell(c, end - c, value, css))
                c = end
        return tuple(cells)

    channel_of = {col_of[st.ref]: style.channel_word(st.channel) for st in m.steps() if st.channel}
    owner_of = {i: team(col.step.owner if col.step else col.stage.owner) for i, col in enumerate(columns)}
    thoughts = text_row("thinks", "thinking")
    rows = [
        ("Does", tuple(replace(c, text=curly(c.text)) for c in text_row("does", "doing"))),
        ("Thinks", tuple(replace(c, text=quotation(c.text)) for c in thoughts)),
        ("Feels", tuple(replace(c, text=curly(c.text)) for c in text_row("feels", "feeling"))),
        ("Channel", runs(channel_of)),
        ("Owner", runs(owner_of)),
    ]

    blocks = []
    for number, stage in enumerate(m.stages, 1):
        start, span = starts[stage.id]
        stage_pains = tuple(n for n in pain_notes if n.ranked.pain.stage is stage)
        ids = {n.ranked.pain.id for n in stage_pains}
        opportunities = tuple(
            (o, team(o.owner)) for o in m.opportunities if o.open and ids.intersection(o.addresses)
        )
        blocks.append(
            StageBlock(
                number,
                stage,
                start,
                span,
                team(stage.owner),
                stage.id in on_path,
                len(m.stage_evidence(stage)) if m.state == "current" else None,
                tuple(_flows(m, stage, path)),
                stage_pains,
                opportunities,
            )
        )

    return Canvas(
        columns=tuple(columns),
        stages=tuple(blocks),
        lanes=tuple(lane_rows),
        rows=tuple((name, cells) for name, cells in rows if cells),
        curve=_curve(m, path, col_of, starts, x, pain_notes, width),
        kpis=any(s.kpis for s in m.stages),
        main_path=tuple(s.id for s in path),
        pains=pain_notes,
        opportunities=any(b.opportunities for b in blocks),
    )


def _flows(m: Map, stage: Stage, path: list[Stage]) -> list[Flow]:
    """Where the journey goes after a stage, said only where it is not simply "the next
    column": branches, loops, named transitions, ends and dead ends."""
    flows = []
    ids = [s.id for s in path]
    for t in stage.next:
        target = m.stage(t.to)
        if target is None:
            continue
        words = f" ({t.label})" if t.label else ""
        if target.index <= stage.index:
            breaker = f"; breaker: {t.breaker}" if t.has_breaker else "; no circuit breaker"
            flows.append(Flow("loop", f"\u21ba Loops back to {target.name}{words}{breaker}"))
        elif stage.id in ids and target.id not in ids:
            why = f": {t.label}" if t.label else ""
            flows.append(Flow("branch", f"\u2933 Branch to {target.name}{why}"))
        elif t.label or target.index != stage.index + 1:
            flows.append(Flow("next", f"\u2192 {target.name}{words}"))
    if not stage.next:
        last = stage.index == len(m.stages) - 1
        if stage.end or last:
            flows.append(Flow("end", "\u25a0 The journey ends here"))
        else:
            flows.append(Flow("dead-end", "\u26a0 Dead end: no next step"))
    return flows


def _y(value: int) -> float:
    return round(CURVE_TOP + (3 - value) * (CURVE_HEIGHT - CURVE_TOP - CURVE_BOTTOM) / 6, 1)


def _stage_points(
    stage: Stage,
    col_of: Mapping[str, int],
    starts: Mapping[str, tuple[int, int]],
    x: _X,
) -> list[Point]:
    """A stage's points: each step the customer feels something at, else the stage's own
    emotion in the middle of its columns."""
    points = [
        Point(x(col_of[st.ref]), _y(st.emotion), st.emotion, st.name, moment=st.moment)
        for st in stage.steps
        if st.emotion is not None
    ]
    if not points and stage.emotion is not None:
        start, span = starts[stage.id]
        points.append(Point(x(start, span), _y(stage.emotion), stage.emotion, stage.name))
    return points


def _curve(
    m: Map,
    path: list[Stage],
    col_of: Mapping[str, int],
    starts: Mapping[str, tuple[int, int]],
    x: _X,
    pains: Sequence[PainNote],
    width: int,
) -> Curve | None:
    # Each stage's points, made once: the main path's, the branches' and the loops' (each
    # point a frozen object, and making them three times was half of a map's canvas model).
    point_of_stage = {}
    for stage in m.stages:
        pts = _stage_points(stage, col_of, starts, x)
        if pts:
            point_of_stage[stage.id] = pts
    main = [p for stage in path for p in point_of_stage.get(stage.id, ())]
    if not main:
        return None
    # Peak: the most intense moment on the main path (the first, on a tie); end: its last.
    peak_at = max(range(len(main)), key=lambda i: (abs(main[i].emotion), -i))
    worst_at = min(range(len(main)), key=lambda i: (main[i].emotion, i))
    last = len(main) - 1
    for i in dict.fromkeys((peak_at, worst_at, last)):
        main[i] = replace(main[i], peak=i == peak_at, worst=i == worst_at, end=i == last)
    lines = [Line(tuple(main), False, "main path")]
    on_path = {s.id for s in path}
    # Each branch: from the last point of the stage it leaves, through the stages off the
    # path it reaches, back to where it rejoins the path (if it does).
    for stage in path:
        for t in stage.next:
            target = m.stage(t.to)
            if target is None or target.id in on_path or target.index <= stage.index:
                continue
            branch: list[Point] = []
            if stage.id in point_of_stage:
                branch.append(_on(main, point_of_stage[stage.id][-1]))
            seen: set[str] = set()
            current: Stage | None = target
            while current is not None and current.id not in on_path and current.id not in seen:
                seen.add(current.id)
                branch.extend(point_of_stage.get(current.id, []))
                nxt = [s for s in m.successors(current) if s.index > current.index]
                current = nxt[0] if nxt else None
            rejoins = current is not None and current.id in on_path and current.id in point_of_stage
            if rejoins and current is not None:
                branch.append(_on(main, point_of_stage[current.id][0]))
            if len(branch) >= 2:
                lines.append(Line(tuple(branch), True, t.label or f"to {target.name}", rejoins))
    marks = []
    every = [p for line in lines for p in line.points]
    for note in pains:
        pain = note.ranked.pain
        if pain.stage is None:
            continue
        if pain.step is not None:
            px = x(col_of[pain.step.ref])
        else:
            start, span = starts[pain.stage.id]
            px = x(start, span)
        near = [p for p in every if p.x == px]
        # Under its point; where the customer feels nothing of their own (a backstage step,
        # a whole stage), under the line where it passes.
        py = near[0].y if near else _along(main, px)
        marks.append(PainMark(px, py, note.number, curly(pain.summary)))
    marks = _side_by_side(marks)
    loops = []
    for stage in m.stages:
        for t in stage.next:
            target = m.stage(t.to)
            if target is None or target.index > stage.index:
                continue
            back, to = point_of_stage.get(stage.id), point_of_stage.get(target.id)
            if not back or not to:
                continue
            a, b = back[-1], to[0]
            label = f"\u21ba {t.label or 'loops back'}"
            loops.append(Loop(a.x, b.x, a.y, b.y, label, t.has_breaker))
    return Curve(
        CURVE_HEIGHT,
        tuple(lines),
        tuple(marks),
        tuple((v, _y(v)) for v in (3, 0, -3)),
        next(p for p in main if p.peak),
        main[-1],
        tuple(loops),
        next(p for p in main if p.worst),
        width,
    )


def _side_by_side(marks: list[PainMark]) -> list[PainMark]:
    """Pain points at one step (or stage) in a row under it, centred: drawn in one place,
    the last hid the others ("4" over "2" on the outage's acknowledgement)."""
    at: dict[tuple[float, float], list[int]] = {}
    for i, k in enumerate(marks):
        at.setdefault((k.x, k.y), []).append(i)
    placed = list(marks)
    for same in at.values():
        for n, i in enumerate(same):
            placed[i] = replace(marks[i], shift=round((n - (len(same) - 1) / 2) * 18))
    return placed


def _along(line: list[Point], x: float) -> float:
    """The height of a line at ``x`` (between its points), or of the zero line off its ends."""
    for a, b in itertools.pairwise(line):
        if a.x <= x <= b.x and b.x > a.x:
            return round(a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x), 1)
    return _y(0)


def _height_at(line: Sequence[Point], x: float) -> float | None:
    """The height of a line at ``x``, or None where it does not pass."""
    for a, b in itertools.pairwise(line):
        lo, hi = sorted((a.x, b.x))
        if lo <= x <= hi and hi > lo:
            return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)
    return None


def _on(main: list[Point], point: Point) -> Point:
    """The main path's version of a point (so a branch starts exactly where the line is)."""
    return next((p for p in main if p.x == point.x and p.y == point.y), point)
