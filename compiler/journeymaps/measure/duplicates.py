"""Tickets counted once: a ticket source's rows of a ticket in two of its exports (a weekly
and a monthly one overlap), or twice in one, are one ticket, kept in the later file."""

from __future__ import annotations

from journeymaps.measure.sources import SourceConfig

#: The column holding a row's export file, when a source's tickets are de-duplicated.
FILE_COLUMN = "jm__file"


def deduplicated(cfg: SourceConfig) -> bool:
    """Whether a source's rows are tickets, each counted once: in two of its exports (a
    weekly and a monthly export overlap; a copy is all overlap), or twice in one (a
    spreadsheet's pasted rows: each was counted, volume inflated, nothing said)."""
    return cfg.kind == "tickets"


def marked_duplicates(relation: str) -> str:
    """``relation`` (with :data:`FILE_COLUMN`) with two columns more: ``dropped_from``, the
    file of a row whose ticket id is also in a file later in name order (a later export
    named by its date, the fresher status) or again in its own, and ``kept_in``, the file
    of the row counted; NULL for the rows counted. Of a ticket's rows in one file, the one
    kept is decided by the fields the join takes (rows are read in no order). A window: for
    a survey's ticket source, joined in (a ticket source's own rows are de-duplicated once
    loaded, see :class:`~journeymaps.measure.metrics.Staged`)."""
    by_id = "OVER (PARTITION BY id"
    last = f"MAX({FILE_COLUMN}) {by_id})"
    rank = f"ROW_NUMBER() {by_id} ORDER BY {FILE_COLUMN} DESC, tags, channel, grp, form)"
    later = "id IS NOT NULL AND jm__n > 1"
    return (
        f"SELECT * EXCLUDE ({FILE_COLUMN}, jm__last, jm__n), "
        f"CASE WHEN {later} THEN {FILE_COLUMN} END AS dropped_from, "
        f"CASE WHEN {later} THEN jm__last END AS kept_in "
        f"FROM (SELECT *, {last} AS jm__last, {rank} AS jm__n FROM ({relation}))"
    )
