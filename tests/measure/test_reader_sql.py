"""The SQL that reads an export's columns names each column's text once: written out in
each use, a time's text was repeated 327 times in its reader, 140 KB of SQL that DuckDB
took 0.9 s of CPU to plan in every measure of a Zendesk export, of ten rows or a million."""

from __future__ import annotations

import re

import pytest
from measuring import time_fields

from journeymaps.measure.presets import PRESETS
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


@pytest.mark.parametrize("preset", [*PRESETS])
def test_no_time_is_read_inside_a_lambda(preset: str) -> None:
    """A time's 24-hour form and its zone form are columns its reader reads by name, not a
    lambda's (LIST_TRANSFORM) arguments: DuckDB shares no repeated work inside a lambda,
    and a 1,000,000-ticket Zendesk measure took ~25 % more CPU."""
    _, res, times = time_fields(preset)
    sql = [res.over("scan"), *(res.exprs[name] for name in times), *res.bad.values()]
    # The one lambda left is the fallback for JavaScript's, an email's and Go's layouts
    # (date_layouts), asked only of a value with a letter that the reader left NULL.
    named = {name for s in sql for name in re.findall(r"(?i)lambda\s+(\w+)", s)}
    assert named <= {"jm__layout", "jm__time"}, (times, named)
