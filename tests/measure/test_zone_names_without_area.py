"""A source's ``zone-names`` mapping a name to an IANA name without a slash: UTC, GMT, Zulu
are read as the zones they are; an old name kept without its area (Japan, PRC) is a settings
error at it. Both were accepted, and every time named so was left uncounted ("in none of the
formats read"): measure tells a zone's name from an offset by its slash."""

from __future__ import annotations

from pathlib import Path

import pytest
from measured_at_once import measure_here
from measuring import ONE_TAG_MAP, billing_export, billing_months, project

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/desk.csv"\ntimezone = "Asia/Tokyo"\n'


@pytest.mark.parametrize("zone", ["UTC", "GMT", "Zulu"])
def test_a_utc_name_without_an_area_is_read(tmp_path: Path, zone: str) -> None:
    """22:00 UTC on 30 September is September's (Tokyo's local 22:00 would be too, but
    09:30 UTC on 1 October read as Tokyo's would be September's)."""
    billing_export(tmp_path, ["2026-09-30 22:00:00 XST", "Thu, 01 Oct 2026 09:30:00 XST"])
    project(tmp_path, DESK + f'zone-names = {{XST = "{zone}"}}\n', {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "does not read" not in result.stdout + result.stderr
    assert billing_months(tmp_path) == {"2026-09": 2, "2026-10": 1}


@pytest.mark.parametrize("zone", ["Japan", "PRC"])
def test_an_old_name_without_its_area_is_refused_at_it(tmp_path: Path, zone: str) -> None:
    billing_export(tmp_path, ["2026-09-30 22:00:00 XST"])
    project(tmp_path, DESK + f'zone-names = {{XST = "{zone}"}}\n', {"m.yaml": ONE_TAG_MAP})
    result = measure_here(tmp_path)
    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    assert (
        f"journeymaps.toml:5:21: JM007 [invalid-settings] error: source 'desk': zone-names: XST = '{zone}'"
        in said
    )
    assert "use its Area/City name" in said and "Traceback" not in said
    assert not (tmp_path / "metrics").exists()
