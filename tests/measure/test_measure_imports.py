"""What ``journeymaps measure`` of export files imports: sqlglot (0.1 s of CPU, a third of
the command's own imports) is for the SQL sources' queries alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from measuring import ONE_TAG_MAP, billing_export, project

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'


def test_measuring_an_export_file_does_not_import_sqlglot(tmp_path: Path) -> None:
    billing_export(tmp_path, ["2026-09-10 08:00"])
    project(tmp_path, DESK, {"m.yaml": ONE_TAG_MAP})
    probe = (
        "import sys\n"
        "from journeymaps.cli import main\n"
        "sys.argv = ['journeymaps', 'measure']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "wrote metrics/m.json" in run.stdout, run.stdout + run.stderr
    loaded = set(run.stderr.split())
    assert "duckdb" in loaded  # (the probe measured)
    assert "sqlglot" not in loaded
