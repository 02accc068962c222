"""What ``journeymaps measure`` of export files imports: sqlglot (0.1 s of CPU, a third of
the command's own imports) is for the SQL sources' queries alone."""

from __future__ import annotations

from pathlib import Path

from measuring import ONE_TAG_MAP, billing_export, project

from conftest import modules_imported

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'


def test_measuring_an_export_file_does_not_import_sqlglot(tmp_path: Path) -> None:
    billing_export(tmp_path, ["2026-09-10 08:00"])
    project(tmp_path, DESK, {"m.yaml": ONE_TAG_MAP})
    said, loaded = modules_imported(tmp_path, "measure")
    assert "wrote metrics/m.json" in said, said
    assert "duckdb" in loaded  # (the probe measured)
    assert "sqlglot" not in loaded
