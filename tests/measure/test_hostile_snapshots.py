"""A metrics snapshot is a committed file anyone can edit: a hand-edited or corrupted one
must never end lint or build in an internal error, nor put "nan hours" on a page."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import BASE, ROOT, jm
from in_process import jm_here
from journeymaps.rules.measured import _project, _snap, _with_kpi

KEY = "zendesk|tag:locked_out"  # the example's one series


def _measured_project(root: Path, change: Callable[[dict[str, Any]], None], raw: str = "") -> None:
    """The example map, whose KPI 'First reply time' (target 8 hours) is measured from a
    snapshot that ``change`` edits; a "RAW" string left in it is replaced by ``raw``, as
    written (JSON that Python does not write, such as 1e400)."""
    files = _project(_with_kpi(8), _snap({"2026-10": {"contacts": 900, "frt": 360.0}}))
    for name, text in files.items():
        path = root / (name.removeprefix("../") if name.startswith("../") else f"maps/{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    snapshot = root / "metrics" / "admin-locked-out.json"
    data = json.loads(snapshot.read_text("utf-8"))
    assert KEY in data["series"]
    change(data)
    snapshot.write_text(json.dumps(data, indent=1).replace('"RAW"', raw), "utf-8")


def _runs_cleanly(root: Path) -> tuple[list[str], str]:
    """lint's messages and the map's page, both commands having ended without an internal error."""
    lint = jm_here(root, "lint", "--today", "2026-11-22", "--format", "json")
    assert "internal error" not in lint.stderr and lint.returncode in (0, 1), lint.stderr
    build = jm_here(root, "build", "-o", "site")
    assert "internal error" not in build.stderr and build.returncode in (0, 1), build.stderr
    page = (root / "site" / "maps" / "admin-locked-out.html").read_text("utf-8")
    return [f["message"] for f in json.loads(lint.stdout)["findings"]], page


def _cell(value: object) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["series"][KEY]["months"]["2026-10"].update(frt=value)


@pytest.mark.parametrize(
    ("change", "raw"),
    [
        (_cell(float("nan")), ""),
        (_cell(float("inf")), ""),
        (_cell(float("-inf")), ""),
        (_cell("RAW"), "1e400"),
        (_cell(10**400), ""),  # ended lint and build in "OverflowError: int too large"
        (_cell(True), ""),  # read as 1 minute: "0.02 hours"
        (_cell(1e300), ""),  # a 300-digit number of hours
    ],
    ids=["nan", "infinity", "minus-infinity", "1e400", "400-digit-int", "true", "1e300"],
)
def test_a_value_measure_never_writes_is_not_measured(tmp_path: Path, change: Any, raw: str) -> None:
    # "KPI 'First reply time' is nan hours in 2026-10" in lint and on the page.
    _measured_project(tmp_path, change, raw)
    messages, page = _runs_cleanly(tmp_path)
    assert not [m for m in messages if "'First reply time' is" in m], messages
    assert 'First reply time</strong>: <span class="as-of">not measured yet</span>' in page
    assert not re.search(r"\b(nan|inf) hours", page)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(series=[]),
        lambda d: d.update(series="text"),
        lambda d: d["series"].update({KEY: [1]}),
        lambda d: d["series"][KEY].update(months=[1]),
        lambda d: d["series"][KEY].update(months=None),
        lambda d: d["series"][KEY]["months"].update({"2026-10": 5}),
        lambda d: d["series"][KEY]["months"].update({"2026-10": [5]}),
        lambda d: d["series"][KEY].update(months={"garbage": {"contacts": 900, "frt": 360.0}}),
        lambda d: d.update(as_of=5),
    ],
    ids=[
        "series-list",
        "series-text",
        "series-entry-list",
        "months-list",
        "months-null",
        "month-number",
        "month-list",
        "month-not-a-month",
        "as-of-number",
    ],
)
def test_a_snapshot_of_another_shape_is_not_measured(tmp_path: Path, change: Any) -> None:
    # Each ended lint and build in an internal error (AttributeError, TypeError, ValueError).
    _measured_project(tmp_path, change)
    messages, page = _runs_cleanly(tmp_path)
    assert 'First reply time</strong>: <span class="as-of">not measured yet</span>' in page
    # and said, not silently read as never measured
    assert any("admin-locked-out.json is not in the shape journeymaps measure writes" in m for m in messages)


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        ("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> branch\n", "is not JSON (Expecting value)"),
        ('{"version": 7}', "is not a snapshot this journeymaps reads (version 7, not 1)"),
        (b'{"version": 1, "map": "\xff"}', "is not JSON (not UTF-8)"),
        ("fifo", "cannot be read: the file is a named pipe (FIFO), not a regular file"),
        # ended lint in "internal error: OverflowError: cannot convert float infinity to integer"
        ('{"version": 1, "map": "admin-locked-out", "k": 1e400}', "is not in the shape journeymaps measure"),
        # was "is not JSON (not UTF-8)": Python reads no integer of more than 4,300 digits
        ('{"version": 1, "k": ' + "9" * 5000 + "}", "is not JSON (a number of more than 4,300 digits)"),
    ],
    ids=["merge-conflict", "another-version", "not-utf-8", "fifo", "k-infinite", "k-5000-digits"],
)
def test_a_damaged_snapshot_is_an_error_at_its_map(tmp_path: Path, damage: str | bytes, why: str) -> None:
    """A snapshot lint could not use was read as "never measured": the map's KPIs fell back to
    their declared values in lint, on the site and in diff, and nothing said so."""
    import os

    _measured_project(tmp_path, lambda d: None)
    snapshot = tmp_path / "metrics" / "admin-locked-out.json"
    if damage == "fifo":
        snapshot.unlink()
        os.mkfifo(snapshot)
    else:
        snapshot.write_bytes(damage if isinstance(damage, bytes) else damage.encode())
    lint = jm(tmp_path, "lint", "--today", "2026-11-22", "--format", "json")
    assert lint.returncode == 1 and "internal error" not in lint.stderr, lint.stderr
    (found,) = [f for f in json.loads(lint.stdout)["findings"] if f["rule"] == "unreadable-snapshot"]
    assert (found["file"], found["code"], found["severity"]) == ("maps/map.yaml", "JM808", "error")
    assert found["message"].startswith(f"the metrics snapshot metrics/admin-locked-out.json {why}"), found
    assert "run 'journeymaps measure' again" in found["message"]


def test_a_kpi_at_minus_zero_reads_zero_in_lint_diff_and_pages(tmp_path: Path) -> None:
    # -0.0 is a number YAML and the schema accept, and a rate of -0.001 rounds to it: lint,
    # diff and the page said "-0 hours" and "-0%".
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: product, name: Product}\n"
    base = textwrap.dedent(BASE).strip() + "\n"
    kpis = (
        "    kpis:\n"
        "      - {name: Waiting, current: -0.0, target: 5, unit: hours, direction: higher}\n"
        "      - {name: Satisfied, metric: csat, current: -0.001, target: 0.7}\n"
    )
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text(teams)
    (tmp_path / "maps" / "m.yaml").write_text(
        base.replace("    owner: support\n", "    owner: support\n" + kpis, 1)
    )
    lint = jm_here(tmp_path, "lint", "--today", "2026-11-22", "--format", "json")
    messages = [f["message"] for f in json.loads(lint.stdout)["findings"] if f["rule"] == "kpi-off-target"]
    assert "KPI 'Waiting' is 0 hours (declared); the target is 5 hours (higher is better)" in messages
    assert "KPI 'Satisfied' is 0% (declared); the target is 70% (higher is better)" in messages
    assert jm_here(tmp_path, "build", "-o", "site").returncode == 0
    page = (tmp_path / "site" / "maps" / "m.html").read_text("utf-8")
    assert "Waiting</strong>: now 0 hours" in page and "Satisfied</strong>: now 0%" in page
    assert not re.search(r"-0(%| hours)", page)
    (tmp_path / "before").mkdir()
    (tmp_path / "before" / "teams.yaml").write_text(teams)
    (tmp_path / "before" / "m.yaml").write_text(base)
    diff = jm_here(tmp_path, "diff", "before", "maps")
    assert 'KPI added at stage "One": Waiting (0 hours, target 5 hours)' in diff.stdout, diff.stdout
    assert not re.search(r"-0(%| hours)", diff.stdout)


def test_snapshots_read_the_same_with_their_folder_listed_once(tmp_path: Path) -> None:
    """lint and the site list the snapshots folder once (a stat per map and question cost a
    build ~10 stats a map, issue 18): what each map is told must not change."""
    from journeymaps.measure import snapshot
    from journeymaps.rules.measured import _snap

    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "admin-locked-out.json").write_text(_snap({"2026-10": {"contacts": 900, "frt": 360.0}}))
    (folder / "damaged.json").write_text("{not json")
    asked = [("admin-locked-out", "load"), ("damaged", "problem"), ("never-measured", "load")]
    before = [getattr(snapshot, how)(folder, map_id) for map_id, how in asked]
    assert before[0] is not None and before[1] is not None and before[2] is None
    with snapshot.listed(folder):
        assert [getattr(snapshot, how)(folder, map_id) for map_id, how in asked] == before
    # A folder that is not there, or not a folder: no snapshot, as before.
    for missing in (tmp_path / "nowhere", folder / "admin-locked-out.json"):
        with snapshot.listed(missing):
            assert snapshot.load(missing, "admin-locked-out") is None
            # another folder than the one listed is looked in as before
            assert snapshot.load(folder, "admin-locked-out") == before[0]


def test_a_build_lists_the_snapshots_folder_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build lists the folder for its pages, and lint, inside it, listed it again."""
    import datetime as dt
    import os

    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "m.yaml").write_text(
        (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()
    )
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    listings: list[str] = []
    real = os.listdir

    def listdir(path: Any = ".") -> list[str]:
        if os.fspath(path) == os.fspath(metrics):
            listings.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    build(
        [tmp_path / "maps"], load_settings(tmp_path), tmp_path, tmp_path / "site", today=dt.date(2026, 11, 22)
    )
    assert len(listings) == 1, listings


def test_a_snapshots_folder_named_longer_than_the_file_system_allows_does_not_fail_the_build(
    tmp_path: Path,
) -> None:
    """``[measure] metrics`` naming a folder of 300 characters: the site's stamp listed it
    and the system's "File name too long" ended the build as "cannot write the site to
    site/", which it had not tried, while lint ran. No snapshot can be there: the build goes
    on, as lint does, with none."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "m.yaml").write_text(BASE, "utf-8")
    (tmp_path / "journeymaps.toml").write_text(f'[measure]\nmetrics = "{"x" * 300}"\n', "utf-8")
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm_here(tmp_path, "lint", env=env).returncode in (0, 1)
    result = jm_here(tmp_path, "build", env=env)
    assert "cannot write the site" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
