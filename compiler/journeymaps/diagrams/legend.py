"""Legends: one HTML-like table per view, every swatch paired with words."""

from __future__ import annotations

from journeymaps.diagrams import style
from journeymaps.diagrams.text import html

#: A legend row: an optional fill colour and the words that explain it.
Row = tuple[str | None, str]


def legend(rows: list[Row], swatch_row: list[Row] | None = None) -> str:
    """An HTML-like label; ``swatch_row`` is one row of coloured cells (a scale)."""
    width = len(swatch_row) if swatch_row else 1
    cells = [f'<TR><TD COLSPAN="{width}" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    if swatch_row:
        cells.append("<TR>" + "".join(f'<TD BGCOLOR="{c}">{html(t)}</TD>' for c, t in swatch_row) + "</TR>")
    for colour, text in rows:
        fill = f' BGCOLOR="{colour}"' if colour else ""
        cells.append(f'<TR><TD COLSPAN="{width}" ALIGN="LEFT"{fill}>{html(text)}</TD></TR>')
    table = '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="#666666">'
    return f"<{table}{''.join(cells)}</TABLE>>"


def emotion_scale() -> list[Row]:
    return [(style.EMOTION_FILL[v], style.emotion_label(v).split(" ")[0]) for v in range(-3, 4)]


def pain_rows() -> list[Row]:
    return [
        (style.PAIN_FILL[k], f"{style.PAIN_SYMBOL[k]} {k} pain point (note shape)")
        for k in ("technical", "process", "emotional")
    ]
