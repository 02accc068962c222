"""A NUL byte inside an export's tag value: one byte of the file zeroed (a block of them, or
its end, is said as such: see :mod:`.nul_tail`). Read as text, 'bill\\x00ing' is no tag: the
ticket matched none of its selectors, and nothing was said."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from journeymaps.measure.export_checks import first_line
from journeymaps.measure.queries import run_duckdb
from journeymaps.measure.read_errors import FileRead
from journeymaps.measure.sources import MeasureError, SourceConfig


def nul_in_tags(con: Any, cfg: SourceConfig, files: Mapping[Path, FileRead]) -> None:
    """MeasureError at the first NUL byte of the source's files when a ticket's tags hold
    one. Asked of the distinct tag lists the load made (``tagsig``), not of every row: the
    files are read again only then."""
    import duckdb

    try:
        found = run_duckdb(con, "SELECT 1 AS v FROM tagsig WHERE CONTAINS(tags, CHR(0)) LIMIT 1")
    except duckdb.CatalogException:  # no tags read
        return
    if not found:
        return
    for path, read in files.items():
        if read.source.name != cfg.name:
            continue
        at = first_line(path, _nul_column)
        if at is not None:
            line, column = at
            raise MeasureError(
                f"source '{cfg.name}': {path.name} has a NUL byte in a ticket's tags (line {line}), "
                "which is not text: a byte of the file lost in a copy? Its tags would match no "
                "selector: export it again",
                file=path,
                line=line,
                column=column,
            )


def _nul_column(text: bytes) -> int | None:
    at = text.find(b"\x00")
    return None if at == -1 else len(text[:at].decode("utf-8", "replace")) + 1
