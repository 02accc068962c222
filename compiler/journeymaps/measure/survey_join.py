"""A survey's join to its ticket source, and what the join left out: the ticket source's
rows counted once, and the responses naming no ticket of it (with how many of those are one
of its ids written otherwise: leading zeros, a spreadsheet's trailing .0)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.sources import POINT_ZERO


@dataclass
class TicketJoin:
    """A survey's join to its ticket source: the source's name, the survey's responses and
    the tickets (SQL), and the tickets before de-duplication with ``dropped_from`` and
    ``kept_in`` (:func:`~journeymaps.measure.duplicates.marked_duplicates`) when the
    source's exports overlap."""

    tickets_source: str
    responses: str
    tickets: str
    marked: str | None


def joined(
    con: Any, joins: list[TicketJoin]
) -> tuple[tuple[str, list[tuple[Path, Path, int]]] | None, tuple[int, int, int]]:
    """What a survey's join to its ticket source (``joins``, none or one) left out: the
    ticket source's name and its rows counted once (file, the later file, rows), as its own
    run finds them; and the responses naming no ticket of it, and of those, how many name
    one with leading zeros added or dropped, and one with a trailing .0 added or dropped
    (a spreadsheet's 42.0). Neither is equated (0042 may not be 42, nor 42.0 be 42)."""
    if not joins:
        return None, (0, 0, 0)
    join = joins[0]
    duplicates: list[tuple[Path, Path, int]] = []
    if join.marked is not None:
        found = run_duckdb(
            con,
            f"SELECT dropped_from, kept_in, COUNT(*) AS n FROM ({join.marked}) "
            "WHERE dropped_from IS NOT NULL GROUP BY ALL ORDER BY ALL",
        )
        duplicates = [(Path(r["dropped_from"]), Path(r["kept_in"]), int(r["n"])) for r in found]
    counts = run_duckdb(
        con,
        f"WITH t AS (SELECT DISTINCT id FROM ({join.tickets}) WHERE id IS NOT NULL), "
        f"missing AS (SELECT ticket FROM ({join.responses}) "
        "WHERE ticket IS NOT NULL AND ticket NOT IN (SELECT id FROM t)) "
        "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE LTRIM(ticket, '0') IN "
        "(SELECT LTRIM(id, '0') FROM t)) AS zeros, "
        f"COUNT(*) FILTER (WHERE {POINT_ZERO.format('ticket')} IN "
        f"(SELECT {POINT_ZERO.format('id')} FROM t)) AS point_zero FROM missing",
    )
    said = counts[0]
    return (join.tickets_source, duplicates), (int(said["n"]), int(said["zeros"]), int(said["point_zero"]))
