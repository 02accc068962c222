"""The SQL that reads an export's columns names each column's text once: written out in
each use, a time's text was repeated 327 times in its reader, 140 KB of SQL that DuckDB
took 0.9 s of CPU to plan in every measure of a Zendesk export, of ten rows or a million."""

from __future__ import annotations

import pytest

from journeymaps.measure.sources import canonical_for, configs, ident, resolve

EXPORTS = {
    "zendesk": ["Id", "Created at", "Tags", "Full resolution time in minutes"],
    "hubspot": ["Ticket ID", "Create date", "Close date", "Category"],
}


@pytest.mark.parametrize("preset", EXPORTS)
def test_each_column_s_text_is_written_once(preset: str) -> None:
    cfg = configs({"desk": {"preset": preset, "path": "exports/desk.csv", "timezone": "UTC"}})["desk"]
    res = resolve(cfg, EXPORTS[preset], "desk.csv", canonical_for(cfg))
    sql = " ".join([*res.exprs.values(), *res.bad.values()])
    for column, text in res.raw.values():
        once = text.count(ident(column))  # its text as read once (its ends, then trimmed)
        # and (the id and the creation time) once more where the header row is looked for
        assert sql.count(ident(column)) <= once + 1, (column, sql.count(ident(column)), len(sql))
