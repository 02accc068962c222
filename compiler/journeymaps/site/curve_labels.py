"""Where a point's words go on the canvas's emotion curve, clear of the curve's lines.

The curve is drawn in percent of a width only the browser knows, so the words are placed
for the narrowest the curve can be (every column at its least): there a label spans the
most columns and the lines beside its point rise the most under it, so words clear there
are clear at any width. Their width is estimated from the font's metrics (the page's
fonts end with Liberation Sans, which has Helvetica's widths).

Each placement (centred over the point, ending at it, starting at it; on one line, or its
mark of a moment on a line of its own) is lifted until no line of the curve crosses its
words; the one lifted least wins, the first listed on a tie. "-3 worst ★ moment of truth",
centred at its standard height, sat on the admin lockout's two lines rising from its low
point, cut where they ran under its ends.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from journeymaps.diagrams.text import words_width
from journeymaps.records import record

#: The words' size (the page's .value: 12 px, bold) and the space between two of their lines.
SIZE, LEADING = 12, 14
#: The narrowest a step's column gets (5.25rem) and the step area of the narrowest screen
#: (320 px less the row labels and margins): a map of few steps has wider columns there.
COLUMN_LEAST, AREA_LEAST = 84.0, 200.0
#: Room for the white box behind the words (8 % each side) and for a system font a little
#: wider than Liberation Sans (Segoe UI, San Francisco).
WIDTH_SLACK = 1.25
#: How far past its point the words of a label set beside it start (or end), in pixels.
BESIDE = 9


@record(slots=True)
class Clearance:
    """How the words sit around their baseline and the air they keep from the curve."""

    up: float  # to their capitals' tops
    down: float  # to their descenders
    line_air: float  # from a line of the curve passing under them
    level_air: float  # from a level line (0, +3, -3)


@record(slots=True)
class Placed:
    """A label's lines, each with its baseline, how they are anchored and shifted (dx)."""

    lines: tuple[tuple[str, float], ...]
    anchor: str  # middle | end | start
    dx: int

    @property
    def base(self) -> float:
        return self.lines[-1][1]


#: Placements in order of preference: how the words sit against their point's x (anchor,
#: dx in pixels) and the span they cover, from the point, as parts of their width.
PLACEMENTS: dict[str, tuple[int, float, float]] = {
    "middle": (0, -0.5, 0.5),  # centred over the point
    "end": (BESIDE, -1.0, 0.0),  # to its left, ending just past it
    "start": (-BESIDE, 0.0, 1.0),  # to its right, starting just before it
}

Segment = tuple[float, float, float, float]  # x1, y1, x2, y2: x in percent, y in pixels
Level = float


@record
class Lines:
    """The curve's segments, left end first, in the order of their left ends: those under a
    label are found without going through every one (a map of 100 stages of 100 steps has
    10,000, and going through all of them for each point took minutes)."""

    segments: tuple[Segment, ...]
    lefts: tuple[float, ...]
    widest: float  # the widest segment's width: how far left of a label one may start

    @classmethod
    def of(cls, segments: Iterable[Segment]) -> Lines:
        ordered = sorted((x1, y1, x2, y2) if x1 <= x2 else (x2, y2, x1, y1) for x1, y1, x2, y2 in segments)
        widest = max((x2 - x1 for x1, _, x2, _ in ordered), default=0.0)
        return cls(tuple(ordered), tuple(s[0] for s in ordered), widest)

    def heights(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """The (highest, lowest) height of each segment over ``lo``..``hi`` (percent), within
        that extent: what words there must keep clear of."""
        out: list[tuple[float, float]] = []
        for ax, ay, bx, by in self.segments[
            bisect.bisect_left(self.lefts, lo - self.widest) : bisect.bisect_right(self.lefts, hi)
        ]:
            if bx < lo:
                continue  # ends left of the words
            a, b = max(lo, ax), min(hi, bx)
            if a > b or bx == ax:
                continue
            ya = ay + (by - ay) * (a - ax) / (bx - ax)
            yb = ay + (by - ay) * (b - ax) / (bx - ax)
            out.append((min(ya, yb), max(ya, yb)))
        return out


def place(
    x: float,
    start: float,
    parts: Sequence[str],
    *,
    columns: int,
    lines: Lines,
    levels: Sequence[Level],
    clearance: Clearance,
) -> Placed:
    """The label of a point at ``x`` (percent) made of ``parts`` (its value and words, then
    its moment's mark), its last line's baseline ``start`` at the least (the point's usual
    height for its words): placed with ``clearance`` clear of the curve's ``lines`` and of
    its ``levels``."""
    whole = " ".join(parts)
    span = max(COLUMN_LEAST * columns, AREA_LEAST)
    # Most labels sit centred over their point, on one line, where they start: that first
    # placement is tried before any other is made (~16,000 labels in 500 small maps, where
    # making each placement's lists was half of the canvas's labels, issue 18).
    width = _widths.get(whole) or _width(whole)
    lo, hi = x + -0.5 * width * 100 / span, x + 0.5 * width * 100 / span  # as PLACEMENTS' "middle"
    if lo >= 0 and hi <= 100 and _clear(start, lo, hi, lines, levels, clearance):
        return Placed(((whole, round(start, 1)),), "middle", 0)
    layouts = [(whole,)] if len(parts) < 2 else [(whole,), (" ".join(parts[:-1]), parts[-1])]
    candidates: list[tuple[int, float, int, Placed]] = []
    order = 0
    for rows in layouts:
        # A line's width is the same whatever its placement: measured once per layout.
        widths = [_widths.get(words) or _width(words) for words in rows]
        last = len(rows) - 1
        for anchor, (dx, left, right) in PLACEMENTS.items():
            extents = [(x + (dx + left * w) * 100 / span, x + (dx + right * w) * 100 / span) for w in widths]
            inside = all(lo >= 0 and hi <= 100 for lo, hi in extents)
            base = _lifted(start, extents, lines, levels, clearance)
            # Within the curve first, then lifted least, then in the order of preference.
            lift = round(start - base, 1)
            placed = Placed(
                ((rows[0], round(base, 1)),)
                if not last
                else tuple((words, round(base - LEADING * (last - i), 1)) for i, words in enumerate(rows)),
                anchor,
                dx,
            )
            if inside and lift == 0:
                return placed  # none after it can do better (most labels: centred, unlifted)
            candidates.append((0 if inside else 1, lift, order, placed))
            order += 1
    return min(candidates, key=lambda c: c[:3])[3]


#: The width a label's line of words is placed with, by its words: a curve's labels are
#: mostly the same few ("+2", "\u22123 worst", "0 end"), each measured once.
_widths: dict[str, float] = {}


def _width(words: str) -> float:
    if len(_widths) >= 10_000:  # bounded, for long-running processes (serve)
        _widths.clear()
    width = _widths[words] = words_width(words, SIZE, bold=True) * WIDTH_SLACK
    return width


def _clear(
    base: float, lo: float, hi: float, lines: Lines, levels: Sequence[Level], clearance: Clearance
) -> bool:
    """Whether one line of words at baseline ``base`` over ``lo``..``hi`` is clear of the
    level lines and of the curve's segments: what :func:`_lifted` finds on its first pass
    for such words (it then lifts them not at all), with its very sums."""
    words_up, words_down = clearance.up, clearance.down
    top, bottom = base + words_down + clearance.level_air, base - words_up - clearance.level_air
    for y in levels:
        if y < top and y > bottom:
            return False
    top, bottom = base + words_down + clearance.line_air, base - words_up - clearance.line_air
    return not any(high < top and low > bottom for high, low in lines.heights(lo, hi))


def _lifted(
    start: float,
    extents: Sequence[tuple[float, float]],
    lines: Lines,
    levels: Sequence[Level],
    clearance: Clearance,
) -> float:
    """The last line's baseline, from ``start`` raised until each line of words (the last
    one lowest, the others ``LEADING`` over it) is clear of the lines under its extent and
    of the level lines."""
    # What each line of words must keep clear of: (highest, lowest) heights and the air,
    # with how far that line of words sits over the last one. The level lines are the same
    # for each line of words; the curve's segments under it are found by their left ends
    # (see :meth:`Lines.heights`).
    words_up, words_down = clearance.up, clearance.down
    level_air, line_air = clearance.level_air, clearance.line_air
    levelled = [(y, y, level_air) for y in levels]
    last = len(extents) - 1
    under = [
        (LEADING * (last - i), [*levelled, *((high, low, line_air) for high, low in lines.heights(lo, hi))])
        for i, (lo, hi) in enumerate(extents)
    ]
    base = start
    lifted = True
    while lifted:  # each lift only raises it, and what it has cleared stays cleared
        lifted = False
        for up, near in under:
            for top, bottom, air in near:
                # The words' bottom and top (the same sums as written out, for the same floats).
                if top < base - up + words_down + air and bottom > base - up - words_up - air:
                    clear = top - words_down - air + up  # its words' air just over the line
                    if clear < base - 1e-6:
                        base, lifted = clear, True
    return base
