"""Dates written with the day and the month as numbers (05/12/2026) read either way round:
an export whose days are all 12 or less is said, not read as the preset happens to read it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from measuring import DESK, HEADERS, ONE_TAG_MAP, project, run

from in_process import jm_here

MAP = ONE_TAG_MAP


def _export(root: Path, preset: str, days: range) -> None:
    """60 tickets of March and April 2026, written day first (31/03/2026 10:00)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS[preset])
        for n in range(60):
            day = days[n % len(days)]
            out.writerow([f"T-{n}", f"{day:02d}/{3 + n % 2:02d}/2026 10:00", "billing"])


def _months(root: Path) -> dict[str, int]:
    snap = json.loads((root / "metrics" / "m.json").read_text("utf-8"))
    return {m: c.get("contacts", 0) for m, c in snap["series"]["desk|tag:billing"]["months"].items()}


def test_dates_a_zendesk_preset_would_read_month_first_are_said_when_none_tells(tmp_path: Path) -> None:
    """A Zendesk export written day first (an agent's locale) whose days were all 12 or less
    was read month first without a word: 60 tickets of March and April were counted from
    January to December, exit 0. Now measure stops at the first such date, says both
    formats, and the one named in the settings is read."""
    _export(tmp_path, "zendesk", range(1, 13))
    project(tmp_path, DESK.format(preset="zendesk"), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "exports/desk.csv:2:" in said and "[unreadable-source]" in said
    assert "read day first or month first alike" in said
    assert '"%m/%d/%Y %H:%M"' in said and '"%d/%m/%Y %H:%M"' in said
    assert not (tmp_path / "metrics" / "m.json").exists()

    columns = '[sources.desk.columns]\ncreated = {column = "Created at", format = "%d/%m/%Y %H:%M"}\n'
    project(tmp_path, DESK.format(preset="zendesk") + columns, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _months(tmp_path) == {"2026-03": 30, "2026-04": 30}


@pytest.mark.parametrize("preset", ["zendesk", "jira-service-management"])
def test_a_day_over_12_tells_which_way_round_and_is_read_without_a_word(tmp_path: Path, preset: str) -> None:
    """Where one date has a number over 12, the export's order is known: no question asked
    (Jira's day-first dates read as before; a Zendesk export so written fails as before)."""
    _export(tmp_path, preset, range(1, 29))
    project(tmp_path, DESK.format(preset=preset), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    assert "alike" not in result.stdout + result.stderr
    if preset == "jira-service-management":
        assert result.returncode == 0, result.stdout + result.stderr
        assert _months(tmp_path) == {"2026-03": 30, "2026-04": 30}


def test_jira_dates_read_day_first_are_said_too_when_none_tells(tmp_path: Path) -> None:
    """Jira's export read day first: a US site's 03/05/2026 (5 March) was 3 May."""
    _export(tmp_path, "jira-service-management", range(1, 13))
    project(tmp_path, DESK.format(preset="jira-service-management"), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "reads them day first (%d/%m/%Y %H:%M)" in said
    assert 'or "%m/%d/%Y %H:%M" for month first' in said


def test_each_export_head_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check for dates read either way round looked for them in each export's first MB,
    which it read again after the load's checks had read it: a second read of every file of
    a year of exports. It is given what the first read found."""
    from journeymaps.measure import export_checks

    reads: list[Path] = []
    real = export_checks.read_head

    def read_head(path: Path, size: int) -> bytes:
        reads.append(path)
        return real(path, size)

    monkeypatch.setattr(export_checks, "read_head", read_head)
    _export(tmp_path, "jira-service-management", range(1, 29))
    project(tmp_path, DESK.format(preset="jira-service-management"), {"m.yaml": MAP})
    _, snaps = run(tmp_path)
    assert snaps["m"]["series"]["desk|tag:billing"]["months"]["2026-03"]["contacts"] == 30
    assert reads == [tmp_path / "exports" / "desk.csv"]


@pytest.mark.parametrize("blank", ["", " "])
def test_a_date_column_blank_in_every_row_is_said(tmp_path: Path, blank: str) -> None:
    """Every date blank (a report exported without them): "40 rows without a readable id or
    date: not counted", a snapshot of no month written over the last, exit 0. Now measure
    stops at the column, as it does when no date of it reads."""
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    path.write_text("Id,Created at,Tags\n" + "".join(f"T-{n},{blank},billing\n" for n in range(40)), "utf-8")
    project(tmp_path, DESK.format(preset="zendesk"), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert (
        "exports/desk.csv:1:4: JM010 [unreadable-source] error: source 'desk': column 'Created at' of "
        "desk.csv is blank in every row: no ticket has a date to be counted in a month"
    ) in said
    assert not (tmp_path / "metrics" / "m.json").exists()


def _month_first(root: Path) -> None:
    """60 tickets of January to March 2026, written month first (01/13/2026 10:00)."""
    path = root / "exports" / "desk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"T-{n},{n % 3 + 1:02d}/{n % 28 + 1:02d}/2026 10:00,billing\n" for n in range(60))
    path.write_text("Id,Created at,Tags\n" + rows, "utf-8")


def test_a_named_format_the_dates_prove_the_wrong_way_round_is_said(tmp_path: Path) -> None:
    """A day-first format named for a month-first export: the 32 dates with a day over 12
    did not read, the 28 others were read day first, January to March's tickets counted
    from January to December, exit 0. A date with its second number over 12 says the format
    is the wrong way round: measure stops there and names the other."""
    _month_first(tmp_path)
    columns = '[sources.desk.columns]\ncreated = {column = "Created at", format = "%d/%m/%Y %H:%M"}\n'
    project(tmp_path, DESK.format(preset="zendesk") + columns, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert (
        "exports/desk.csv:14:6: JM010 [unreadable-source] error: source 'desk': the dates of column " in said
    )
    assert "'01/13/2026 10:00' has 13 as its second number" in said
    assert 'format = "%m/%d/%Y %H:%M"' in said
    assert not (tmp_path / "metrics" / "m.json").exists()


def test_a_preset_format_the_dates_prove_the_wrong_way_round_is_said(tmp_path: Path) -> None:
    """Jira's preset reads day first: a US site's export was read so where its days were 12
    or less, the others left unread, exit 0."""
    _month_first(tmp_path)
    (tmp_path / "exports" / "desk.csv").write_text(
        (tmp_path / "exports" / "desk.csv")
        .read_text()
        .replace("Id,Created at,Tags", "Issue key,Created,Labels")
    )
    project(tmp_path, DESK.format(preset="jira-service-management"), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "'01/13/2026 10:00' has 13 as its second number" in said
    assert "Preset jira-service-management reads them day first" in said
    assert 'format = "%m/%d/%Y %H:%M"' in said


def _as_parquet(root: Path) -> None:
    """The CSV export as Parquet with every column text (VARCHAR), as a tool that writes
    what it was given writes it; the CSV removed."""
    import duckdb

    csv_path = root / "exports" / "desk.csv"
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) "
            f"TO '{csv_path.with_suffix('.parquet')}' (FORMAT parquet)"
        )
    csv_path.unlink()


def _finding(said: str) -> str:
    """The message of a run's first finding, without its place."""
    line = next(line for line in said.splitlines() if "[unreadable-source]" in line)
    return line.split(" error: ", 1)[1]


@pytest.mark.parametrize(
    "columns",
    ["", '[sources.desk.columns]\ncreated = {column = "Created at", format = "%d/%m/%Y %H:%M"}\n'],
    ids=["none-tells", "named-format-contradicted"],
)
def test_parquet_dates_written_as_text_are_checked_as_csv_dates_are(tmp_path: Path, columns: str) -> None:
    """A Parquet export whose dates are text (VARCHAR): a month-first 01/13/2026 read day
    first, or day-first dates all of 12 or less read month first by the Zendesk preset,
    were read without a word, each ticket counted in another month, exit 0. The export's
    head, which the check looks in for such dates, is Parquet's compressed bytes. Said as
    for the same export as CSV, in the same words."""
    if columns:
        _month_first(tmp_path)
    else:
        _export(tmp_path, "zendesk", range(1, 13))
    toml = DESK.format(preset="zendesk") + columns
    project(tmp_path, toml, {"m.yaml": MAP})
    as_csv = jm_here(tmp_path, "measure")
    assert as_csv.returncode == 2, as_csv.stdout + as_csv.stderr
    _as_parquet(tmp_path)
    project(tmp_path, toml.replace("desk.csv", "desk.parquet"), {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert said.startswith("exports/desk.parquet:1:1: JM010 [unreadable-source] error: "), said
    assert _finding(said) == _finding(as_csv.stdout + as_csv.stderr)
    assert not (tmp_path / "metrics" / "m.json").exists()


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_date_the_wrong_way_round_is_said_at_its_own_cell(tmp_path: Path, kind: str) -> None:
    """The finding was at the value's first place in the file, whatever its column: here an
    'Updated at' of line 2 that is the same date, not the 'Created at' of line 5 it is about."""
    rows = [
        ("T-1", "01/13/2026 10:00", "01/02/2026 09:00"),
        ("T-2", "01/03/2026 10:00", "01/03/2026 10:00"),
        ("T-3", "01/13/2026 10:00", "01/04/2026 10:00"),
        ("T-4", "01/14/2026 10:00", "01/13/2026 10:00"),
    ]
    path = tmp_path / "exports" / f"desk.{kind}"
    path.parent.mkdir(parents=True)
    if kind == "csv":
        text = "Id,Updated at,Created at,Tags\n" + "".join(f'{i},{u},"{c}",billing\n' for i, u, c in rows)
    else:
        text = "".join(
            json.dumps({"Id": i, "Updated at": u, "Created at": c, "Tags": "billing"}) + "\n"
            for i, u, c in rows
        )
    path.write_text(text, "utf-8")
    columns = '[sources.desk.columns]\ncreated = {column = "Created at", format = "%d/%m/%Y %H:%M"}\n'
    project(tmp_path, DESK.format(preset="zendesk").replace("desk.csv", path.name) + columns, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    line = 5 if kind == "csv" else 4
    at = text.splitlines()[line - 1].rindex("01/13/2026 10:00") + 1  # its 'Created at', the last
    assert said.startswith(f"exports/{path.name}:{line}:{at}: JM010 [unreadable-source] error: "), said
    assert "'01/13/2026 10:00' has 13 as its second number" in said
