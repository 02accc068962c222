"""journeymaps measure over real files: every preset's layout, counted by DuckDB, checked
against an independent count in Python."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import statistics
import zoneinfo
from pathlib import Path
from typing import Any

import duckdb
import pytest
from exports_once import export, written_export, written_survey
from measuring import MAP, dates_written_otherwise, project, run

from conftest import TODAY
from journeymaps.lint import lint
from journeymaps.measure import engine, export_checks, metrics, queries, read_errors
from journeymaps.measure.engine import measure, reader_sql
from journeymaps.measure.fixtures import Spec
from journeymaps.measure.sources import MeasureError, configs, split_tags, sql_string
from journeymaps.settings import load_settings

SPEC = Spec(rows=3000, start=dt.date(2026, 1, 1), months=6, seed=11)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _desk(preset: str, path: str, tz: str = "Europe/Paris", extra: str = "") -> str:
    return f'[sources.desk]\npreset = "{preset}"\npath = "{path}"\ntimezone = "{tz}"\n{extra}'


def _quantile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (what SQL's percentile_cont does)."""
    values = sorted(values)
    pos = (len(values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def test_zendesk_numbers_match_an_independent_count(tmp_path: Path) -> None:
    path = export(tmp_path, "zendesk", "zendesk.csv", SPEC)
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    _, snaps = run(tmp_path)
    series = snaps["lockouts"]["series"]["desk|tag:locked_out"]["months"]
    by_month: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if "locked_out" not in row["Tags"].split():
                continue
            local = dt.datetime.strptime(row["Created at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=PARIS)
            by_month.setdefault(local.astimezone(dt.timezone.utc).strftime("%Y-%m"), []).append(row)
    assert sorted(series) == sorted(by_month)
    for month, rows in by_month.items():
        cell = series[month]
        if len(rows) < 5:
            assert cell == {"suppressed": True}
            continue
        frt = [float(r["First reply time in minutes"]) for r in rows]
        solved = [r for r in rows if r["Status"] in ("Solved", "Closed")]
        ttr = [float(r["Full resolution time in minutes"]) for r in solved]
        rated = [r["Satisfaction Score"] for r in rows if r["Satisfaction Score"] in ("Good", "Bad")]
        assert cell["contacts"] == len(rows)
        assert cell["customers"] == len({r["Requester id"] for r in rows})
        assert cell["frt"] == pytest.approx(statistics.median(frt))
        assert cell["frt_p90"] == pytest.approx(_quantile(frt, 0.9), abs=1e-4)
        assert cell["ttr"] == pytest.approx(statistics.median(ttr))
        assert cell["ttr_p90"] == pytest.approx(_quantile(ttr, 0.9), abs=1e-4)
        assert cell["csat"] == pytest.approx(rated.count("Good") / len(rated), abs=1e-4)
        assert cell["fcr"] == pytest.approx(
            sum(int(r["Replies"]) <= 1 for r in solved) / len(solved), abs=1e-4
        )
        assert cell["reopen"] == pytest.approx(
            sum(int(r["Reopens"]) > 0 for r in solved) / len(solved), abs=1e-4
        )
        assert cell["escalation"] == pytest.approx(
            sum(int(r["Group stations"]) >= 2 for r in rows) / len(rows), abs=1e-4
        )
        assert "aht" not in cell  # Zendesk's export has no handling time: left out, not guessed


@pytest.mark.parametrize(
    ("preset", "name"),
    [
        ("freshdesk", "fd.csv"),
        ("intercom", "ic.jsonl"),
        ("jira-service-management", "jsm.csv"),
        ("zendesk", "zd.parquet"),
    ],
)
def test_every_layout_gives_the_numbers_of_the_same_tickets(tmp_path: Path, preset: str, name: str) -> None:
    """The generator writes the same tickets in each help desk's layout: measured through
    each preset (CSV, JSON Lines or Parquet), they give Zendesk's CSV numbers."""
    selectors = '"tag:locked_out"', '"form:billing or tag:sev1"'
    evidence = "".join(f"      - {{source: desk, kind: tickets, ref: {s}}}\n" for s in selectors)
    maps = {"m.yaml": "id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence:\n" + evidence}
    ref = tmp_path / "ref"
    export(ref, "zendesk", "zendesk.csv", SPEC)
    project(ref, _desk("zendesk", "exports/zendesk.csv"), maps)
    expected = run(ref)[1]["m"]["series"]
    other = tmp_path / "other"
    export(other, preset, name, SPEC)
    tz = "" if preset == "intercom" else "Europe/Paris"  # Intercom's headers name the zone
    project(other, _desk(preset, f"exports/{name}", tz).replace('timezone = ""\n', ""), maps)
    got = run(other)[1]["m"]["series"]
    assert got.keys() == expected.keys()
    for key in expected:
        for month, cell in expected[key]["months"].items():
            mine = got[key]["months"][month]
            assert mine.get("contacts") == cell.get("contacts"), (key, month)
            assert mine.get("customers") == cell.get("customers"), (key, month)
            for metric in ("frt", "ttr", "csat", "fcr"):
                if metric in mine and mine[metric] is not None and cell.get(metric) is not None:
                    # Jira keeps minutes, not seconds: its durations are a minute apart at most.
                    assert mine[metric] == pytest.approx(
                        cell[metric], abs=1.0 if preset.startswith("jira") else 1e-4
                    )


def test_a_missing_column_is_named_with_the_preset(tmp_path: Path) -> None:
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=50))
    text = path.read_text("utf-8").replace("Created at", "Opened", 1)
    path.write_text(text, "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert "no column 'Created at'" in message and "preset zendesk" in message
    assert "[sources.desk.columns]" in message


def test_a_ticket_whose_line_is_over_2_mb_is_measured(tmp_path: Path) -> None:
    """One ticket whose field is over 2 MB (a pasted log) stopped measure when it came first
    (DuckDB's sniffer: "Maximum line size of 2000000 bytes exceeded"), and was set aside,
    uncounted, when it came later: DuckDB's default longest line was measure's."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=21000, months=2))
    lines = path.read_text("utf-8").split("\n")
    for n in (1, 20900):  # first, and past the rows DuckDB samples
        lines[n] = lines[n].replace("Synthetic", "x" * 3_000_000, 1)
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    result, _ = run(tmp_path)
    (desk,) = result.runs
    assert (desk.rows, desk.rejected_lines) == (21000, 0)


@pytest.mark.parametrize("row", [3, 15000], ids=["in-the-first-buffer", "past-it-among-the-sampled"])
def test_a_line_longer_than_measure_reads_is_named_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: int
) -> None:
    """Past the longest line read, the finding is at that line (DuckDB said "Line: 1" for
    any), with the way out: a larger memory-limit, or an export without the long text. It
    said DuckDB's option, which no one can set, after "CSV Error on Line: 1". Further in
    than DuckDB's first buffer, among the lines its sniffer samples, DuckDB said only "Error
    when sniffing file" and listed its own options, and measure passed that on."""
    monkeypatch.setattr(engine, "line_bytes", lambda memory_limit: 1_000_000)
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=20 if row < 20 else 20000))
    lines = path.read_text("utf-8").split("\n")
    lines[row] = lines[row].replace("Synthetic", "x" * 1_600_000, 1)
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert (err.value.file, err.value.line) == (path, row + 1)
    assert f"line {row + 1} is 2 MB" in message and "rows of up to 1 MB" in message
    assert "memory-limit = 256MB" in message and "Raise memory-limit to 64MB" in message
    assert "xxxxxxxxxx" not in message and "max_line_size" not in message and "sniffing" not in message


def test_a_line_too_long_at_the_start_is_named_without_waiting_for_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's sniffer took 10 s to fail on a 50 MB second line (a fraction of one further
    in): measure finds it first, in the bytes, and says the same at once, never handing the
    file to DuckDB (checked by what DuckDB was asked to read, not by a clock)."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=20))
    lines = path.read_text("utf-8").split("\n")
    lines[1] = lines[1].replace("Synthetic", "x" * 50_000_000, 1)
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    asked: list[Path] = []

    def reading(file: Path, *args: Any, **kwargs: Any) -> str:
        asked.append(Path(file))
        return reader_sql(file, *args, **kwargs)

    monkeypatch.setattr(engine, "reader_sql", reading)
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert (err.value.file, err.value.line) == (path, 2)
    assert "line 2 is 50 MB" in str(err.value) and "Raise memory-limit to 448MB" in str(err.value)
    assert path not in asked, "the file went to DuckDB's sniffer before its long line was found"


def test_a_memory_limit_larger_than_the_machine_s_memory_measures(tmp_path: Path) -> None:
    """The search for a long line read blocks of half the longest line read, an eighth of
    memory-limit: with 1000GB, a 62 GB read, and an internal error (MemoryError)."""
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=50))
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv", extra='[measure]\nmemory-limit = "1000GB"\n'))
    result, _ = run(tmp_path)
    assert [r.rows for r in result.runs] == [50]


def test_a_csv_too_wide_for_the_memory_limit_names_the_setting_to_raise(tmp_path: Path) -> None:
    """DuckDB parses a CSV a block of values per column: 10,000 columns ran out of 256MB,
    said as "Out of Memory Error: failed to allocate data of size 32.0 KiB (244.1 MiB/244.1
    MiB used)", naming neither the width nor the setting that gives DuckDB more."""
    path = tmp_path / "exports" / "wide.csv"
    path.parent.mkdir()
    names = ["Id", "Created at", *(f"Field {i}" for i in range(10_000))]
    path.write_text(",".join(names) + "\n" + ",".join(["1", "2026-01-05 10:00:00", *"x" * 10_000]) + "\n")
    project(tmp_path, _desk("zendesk", "exports/wide.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value) == (
        "source 'desk': wide.csv cannot be read as CSV: DuckDB ran out of memory reading its 10,002 "
        "columns with [measure] memory-limit = 256MB. Raise memory-limit, or export only the columns "
        "measure reads."
    )
    assert (err.value.file, err.value.line) == (path, 1)


def test_a_csv_header_wider_than_a_mb_is_not_given_a_count_it_does_not_have(tmp_path: Path) -> None:
    """100,000 columns, a header row of 1.2 MB: "reading its 88,306 columns", the count of
    its first MB, said as the export's."""
    path = tmp_path / "exports" / "wide.csv"
    path.parent.mkdir()
    names = ["Id", "Created at", *(f"Field {i}" for i in range(100_000))]
    path.write_text(",".join(names) + "\n" + ",".join(["1", "2026-01-05 10:00:00", *"x" * 100_000]) + "\n")
    project(tmp_path, _desk("zendesk", "exports/wide.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    first_mb = path.read_bytes()[: 1 << 20].count(b",")
    assert str(err.value) == (
        "source 'desk': wide.csv cannot be read as CSV: DuckDB ran out of memory reading its columns "
        f"(more than {first_mb:,} in the first MB of its header row) with [measure] memory-limit = 256MB. "
        "Raise memory-limit, or export only the columns measure reads."
    )
    assert (err.value.file, err.value.line) == (path, 1)


def test_a_csv_duckdb_cannot_sniff_for_another_reason_is_not_called_too_long(tmp_path: Path) -> None:
    """Only a line that is too long is said to be: DuckDB's sniffing error on a file whose
    lines are all short is passed on as it was."""
    path = tmp_path / "exports" / "zendesk.csv"
    path.parent.mkdir(parents=True)
    path.write_text("Id,Created\n" + "".join(f'{i},"2026-01-0{i % 9 + 1} "x"\n' for i in range(50)), "utf-8")
    said = 'Invalid Input Error: Error when sniffing file "zendesk.csv".'
    assert not export_checks.maybe_too_long(said, path, 1_000_000)
    assert export_checks.maybe_too_long("Maximum line size of 1000000 bytes exceeded", path, 1_000_000)


def test_a_row_too_long_made_of_short_lines_names_no_memory_limit_it_already_has(tmp_path: Path) -> None:
    """A row over the limit whose text is quoted lines has no long line to name: the finding
    says so, and no 'raise memory-limit to 256MB' when 256MB is what it has."""
    path = tmp_path / "x.csv"
    path.write_text('Id,Body\n1,"' + "short line\n" * 10 + '"\n', "utf-8")
    cfg = configs({"desk": {"preset": "zendesk", "path": "x.csv", "timezone": "UTC"}})["desk"]
    found = export_checks.too_long(cfg, path, (64, "256MB"))
    assert (found.file, found.line) == (path, 1)
    assert "a row is longer (quoted lines in it?)" in str(found)
    assert "Raise memory-limit, or export without the long text column" in str(found)


def test_a_row_too_long_past_the_sampled_lines_is_set_aside_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the lines DuckDB samples, a row longer than measure reads is set aside and
    counted, as a broken line is; its reason says the setting that reads it."""
    monkeypatch.setattr(engine, "line_bytes", lambda memory_limit: 1_000_000)
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=21000, months=2))
    lines = path.read_text("utf-8").split("\n")
    lines[20900] = lines[20900].replace("Synthetic", "x" * 1_600_000, 1)
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    result, _ = run(tmp_path)
    (desk,) = result.runs
    assert (desk.rows, desk.rejected_lines) == (20999, 1)
    assert desk.first_rejected is not None
    where, line, why = desk.first_rejected
    assert (where, line) == (path, 20901)
    assert why.startswith("Maximum line size of 1000000 bytes exceeded")
    assert why.endswith("(a row of up to 1/8 of [measure] memory-limit is read: raise it to read this one)")


def test_a_selector_on_a_field_the_export_lacks_is_an_error(tmp_path: Path) -> None:
    export(tmp_path, "jira-service-management", "jsm.csv", Spec(rows=50))
    project(tmp_path, _desk("jira-service-management", "exports/jsm.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)  # the map tests channel: and group:, which Jira's export has not
    assert "needs the" in str(err.value) and "jira-service-management" in str(err.value)


TAG_MAP = {
    "tags.yaml": MAP.split("    evidence:")[0]
    + '    evidence:\n      - {source: desk, kind: tickets, ref: "tag:sev1"}\n'
}


@pytest.mark.parametrize(
    ("preset", "renamed", "said"),
    [
        # Jira's labels are read by a pattern (Labels, Labels_1...): it was quoted, 'Labels(_\d+)?'
        (
            "jira-service-management",
            (b",Labels,Labels,Labels,", b",Label,Label_1,Label_2,"),
            "no column 'Labels'",
        ),
        ("zendesk", (b",Tags,", b",Ticket tags,"), "no column 'Tags'"),
        # A custom source reads only what it maps: the advice was "map a column to tag"
        ("custom", (b",Tags,", b",Ticket tags,"), "which the custom columns does not have"),
    ],
)
def test_a_selector_on_a_column_the_export_lacks_names_the_setting_that_maps_it(
    tmp_path: Path, preset: str, renamed: tuple[bytes, bytes], said: str
) -> None:
    """The message names the column in words and the settings key to map it with: 'tag' (the
    selector's word) was given as the key, and the settings refuse tag = ... (it is tags).
    Following the message, as written, measures the export."""
    path = export(tmp_path, "zendesk" if preset == "custom" else preset, "desk.csv", Spec(rows=50))
    path.write_bytes(path.read_bytes().replace(*renamed, 1))
    columns = '[sources.desk.columns]\nid = "Id"\ncreated = "Created at"\n' if preset == "custom" else ""
    project(tmp_path, _desk(preset, "exports/desk.csv", extra=columns), TAG_MAP)
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert said in message, message
    assert "(_" not in message
    fix = re.search(r'under \[sources\.desk\.columns\]: (\w+) = "\.\.\."$', message)
    assert fix is not None, message
    header = renamed[1].split(b",")[1].decode()
    columns = columns or "[sources.desk.columns]\n"
    project(tmp_path, _desk(preset, "exports/desk.csv", extra=f'{columns}{fix[1]} = "{header}"\n'), TAG_MAP)
    result, _ = run(tmp_path)
    assert result.runs[0].rows == 50


def test_a_missing_column_read_by_a_pattern_is_named_in_words_with_its_setting(tmp_path: Path) -> None:
    """An Intercom export without 'Conversation started at (its time zone)' (only its
    'Updated at (...)') was said to have "no column 'Conversation started at
    \\((?P<tz>[^)]+)\\)'", a regular expression, and to "Map it" without the key."""
    path = export(tmp_path, "intercom", "desk.csv", Spec(rows=50))
    path.write_bytes(path.read_bytes().replace(b"Conversation started at (", b"Updated at (", 1))
    project(tmp_path, _desk("intercom", "exports/desk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert "desk.csv has no column 'Conversation started at (Area/City)' for the created field" in message
    assert message.endswith('Map its column under [sources.desk.columns]: created = "...".')


def test_a_columns_table_maps_what_a_preset_lacks(tmp_path: Path) -> None:
    export(tmp_path, "jira-service-management", "jsm.csv", Spec(rows=200))
    extra = '[sources.desk.columns]\nchannel = "Issue Type"\ngroup = "Assignee"\n'
    project(tmp_path, _desk("jira-service-management", "exports/jsm.csv", extra=extra))
    _, snaps = run(tmp_path)
    assert "desk|tag:locked_out" in snaps["lockouts"]["series"]


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity"])
def test_a_number_that_is_not_finite_is_a_bad_value_not_an_internal_error(tmp_path: Path, value: str) -> None:
    """ "nan" in a minutes column reads as a double in DuckDB, and the snapshot (JSON, no NaN)
    stopped measure: "internal error: ValueError: Out of range float values are not JSON
    compliant: nan"."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=300))
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("First reply time in minutes")
    for row in rows[1:101]:
        row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    result, snaps = run(tmp_path)
    (desk,) = result.runs
    assert desk.rows == 300 and desk.bad_values == {"First reply time in minutes": 100}
    assert "nan" not in json.dumps(snaps).lower() and "infinity" not in json.dumps(snaps).lower()


def test_two_columns_of_the_name_a_field_reads_are_refused_naming_them(tmp_path: Path) -> None:
    """A second 'Tags' column (the first one empty): DuckDB renamed it 'Tags_1', measure
    read the first, and counted no tag at all, exit 0, nothing said."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=50))
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("Tags")
    rows = [[*row, row[column]] for row in rows]
    for row in rows[1:]:
        row[column] = ""
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert (err.value.file, err.value.line) == (path, 1)
    assert f"has two columns named 'Tags' (columns {column + 1} and {len(rows[0])})" in str(err.value)
    assert "which holds the tags field: rename or remove one" in str(err.value)


def test_excel_s_delimiter_line_above_the_header_is_named_with_the_fix(tmp_path: Path) -> None:
    """Excel writes "sep=," above the header when asked to: it said "its columns are: sep=,
    column1" and to map the columns under [sources.desk.columns]."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=20))
    path.write_text("sep=,\n" + path.read_text("utf-8"), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert "Its first line is Excel's delimiter line ('sep=...'): remove that line." in str(err.value)
    assert "[sources.desk.columns]" not in str(err.value)


def test_a_source_path_that_is_a_fifo_is_said_to_be_one(tmp_path: Path) -> None:
    """It said "no export found at exports/zendesk.csv" of a file that is there."""
    import os

    (tmp_path / "exports").mkdir()
    os.mkfifo(tmp_path / "exports" / "zendesk.csv")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value) == "source 'desk': exports/zendesk.csv is a named pipe (FIFO), not an export file"


def test_malformed_rows_and_values_are_counted_not_dropped_silently(tmp_path: Path) -> None:
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=2000, malformed=0.03))
    with path.open("a", encoding="utf-8") as f:
        # a broken CSV line at the end (two values; a quote left open would be an error, as
        # DuckDB reads the whole export with no quoting then: see test_hostile_exports)
        f.write('1,"short"\n')
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    result, _ = run(tmp_path)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:-1]
    broken_dates = sum(1 for r in rows if r[15] == "not a date")
    broken_numbers = sum(1 for r in rows if r[28] == "n/a")
    desk = result.runs[0]
    assert broken_dates > 20 and broken_numbers > 10
    assert desk.malformed_rows == broken_dates
    assert desk.bad_values == {"First reply time in minutes": broken_numbers}
    assert desk.rejected_lines == 1  # the broken line: set aside and counted
    assert desk.rows == 2000


def test_dates_in_no_format_read_are_named_with_one_and_the_formats(tmp_path: Path) -> None:
    """An export whose dates are in a format measure does not read (01.01.2026 01:24) was
    "N rows without a readable id or date ... no dated rows", and measure exited 0: no value
    shown, no format named, nothing to say how to read them."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=20))
    rows = dates_written_otherwise(path)
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    value = rows[0]["Created at"]
    assert str(err.value) == (
        f"source 'desk': no date of column 'Created at' could be read: '{value}' at line 2 is in "
        "none of the formats read, ISO 8601 (2026-01-31 14:05:00) and %Y-%m-%d %H:%M:%S, %Y-%m-%d %H:%M, "
        "%m/%d/%Y %H:%M, %m/%d/%Y %H:%M:%S. Name the export's under [sources.desk.columns]: "
        'created = {column = "Created at", format = "..."}, a strptime format such as "%d/%m/%Y %H:%M".'
    )
    second = path.read_text("utf-8").splitlines()[1]
    assert (err.value.file, err.value.line, err.value.column) == (path, 2, second.index(value) + 1)


def test_a_month_without_rows_is_a_zero_not_a_gap(tmp_path: Path) -> None:
    written_export(
        tmp_path / "exports" / "2026-01.csv",
        "zendesk",
        Spec(rows=400, start=dt.date(2026, 1, 1), months=2, seed=1),
    )
    written_export(
        tmp_path / "exports" / "2026-04.csv",
        "zendesk",
        Spec(rows=200, start=dt.date(2026, 4, 1), months=1, seed=2),
    )
    project(tmp_path, _desk("zendesk", "exports/*.csv", tz="UTC"))
    _, snaps = run(tmp_path)
    snap = snaps["lockouts"]
    assert snap["months"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    for key, series in snap["series"].items():
        assert series["months"]["2026-03"] == {"contacts": 0}, key
    nothing = snap["series"]["desk|tag:no_such_tag"]["months"]
    assert all(cell == {"contacts": 0} for cell in nothing.values())


@pytest.mark.parametrize("path", ["exports", "exports/*/*.csv", "exports/**/*.csv"])
def test_an_export_reached_twice_through_a_link_is_read_once(tmp_path: Path, path: str) -> None:
    """A link to an export (again.csv -> 2026/zendesk.csv) or to its folder (latest -> 2026)
    made it two files of the source: every ticket was counted twice, with nothing said."""
    written = export(tmp_path, "zendesk", "2026/zendesk.csv", Spec(rows=400))
    (tmp_path / "exports" / "2026" / "again.csv").symlink_to("zendesk.csv")
    (tmp_path / "exports" / "latest").symlink_to("2026")
    project(tmp_path, _desk("zendesk", path, tz="UTC"))
    result, _ = run(tmp_path)
    assert [r.rows for r in result.runs] == [400]
    assert result.runs[0].files == (written,)


def test_an_absolute_glob_reads_the_exports_it_matches(tmp_path: Path) -> None:
    """``path = "/data/exports/*.csv"``: Python's glob takes relative patterns only, and
    measure stopped with an internal error (NotImplementedError)."""
    elsewhere = tmp_path / "elsewhere"
    written_export(elsewhere / "2026-01.csv", "zendesk", Spec(rows=400, start=dt.date(2026, 1, 1), months=2))
    project(tmp_path / "p", _desk("zendesk", f"{elsewhere.as_posix()}/*.csv", tz="UTC"))
    result, snaps = run(tmp_path / "p")
    assert [r.rows for r in result.runs] == [400]
    assert snaps["lockouts"]["months"] == ["2026-01", "2026-02"]


def test_the_months_of_a_row_dated_in_the_year_9999_end_with_it() -> None:
    """Months were compared as text: after 9999-12 came "10000-01", which sorts before
    "9999-12", so one row dated 9999-12 in a 2026 export made measure count on to the year
    99989 (1.2 million months a series: minutes, and snapshots of hundreds of MB)."""
    assert engine._month_range("9999-11", "9999-12") == ["9999-11", "9999-12"]
    assert engine._month_range("9999-12", "10000-02") == ["9999-12", "10000-01", "10000-02"]
    assert engine._month_range("2026-12", "2026-11") == []


def test_a_row_dated_after_this_month_is_set_aside_not_a_series_to_its_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ticket created 9999-12-01 (a typo, a placeholder date) stretched every series of
    every map to that month: ~96,000 months each, 45 MB of snapshots, a chart no one can
    read. A row dated after the current month is counted apart and left out."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=200, start=dt.date(2026, 1, 1), months=2))
    header, first, rest = path.read_text("utf-8").split("\n", 2)
    created = next(v for v in first.split(",") if v.startswith("2026-01-"))
    path.write_text(f"{header}\n{first.replace(created, '9999-12-01 06:15:44', 1)}\n{rest}", "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv", tz="UTC"))
    monkeypatch.setattr(engine, "_this_month", lambda zone: (2026, 12), raising=False)
    result, snaps = run(tmp_path)
    (source,) = result.runs
    assert (source.first, source.last, source.rows, source.future_rows) == ("2026-01", "2026-02", 199, 1)
    assert snaps["lockouts"]["months"] == ["2026-01", "2026-02"]
    assert snaps["lockouts"]["as_of"] < "2026-03"


def test_rows_dated_in_1970_or_the_year_1_are_set_aside_not_a_series_back_to_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty date read as 1970-01-01, or a tool's 0001-01-01, stretched every series of
    every map back to that month: 24,000 empty months a series for the year 1 (6.6 MB
    snapshots). A year before 1 ("-0005") was an internal error. Such rows are counted
    apart and left out, as rows dated after this month are."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=200, start=dt.date(2026, 1, 1), months=2))
    lines = path.read_text("utf-8").split("\n")
    placeholders = [
        "1970-01-01 00:00:00",
        "0001-01-01 00:00:00",
        "-0005-01-01 00:00:00",
        "1979-12-31 23:59:59",
    ]
    for n, placeholder in enumerate(placeholders, 1):
        created = next(v for v in lines[n].split(",") if v.startswith("2026-01-"))
        lines[n] = lines[n].replace(created, placeholder, 1)
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv", tz="UTC"))
    monkeypatch.setattr(engine, "_this_month", lambda zone: (2026, 12), raising=False)
    result, snaps = run(tmp_path)
    (source,) = result.runs
    assert (source.first, source.last, source.rows, source.early_rows) == ("2026-01", "2026-02", 196, 4)
    assert snaps["lockouts"]["months"] == ["2026-01", "2026-02"]
    assert all(list(s["months"]) == ["2026-01", "2026-02"] for s in snaps["lockouts"]["series"].values())


def test_a_row_of_1980_is_measured() -> None:
    """The floor is below any help desk's real tickets: 1980-01 is a month like another."""
    assert engine.EARLIEST == (1980, 1)
    assert engine._month_number("1980-01") >= engine.EARLIEST > engine._month_number("1979-12")
    assert engine._month_number("-5-01") == (-5, 1) < engine.EARLIEST


def test_small_cells_are_suppressed_and_nothing_personal_is_written(tmp_path: Path) -> None:
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=150, months=6))
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    _, snaps = run(tmp_path)
    raw = (tmp_path / "metrics" / "lockouts.json").read_text("utf-8")
    suppressed = 0
    for series in snaps["lockouts"]["series"].values():
        for cell in series["months"].values():
            if cell.get("suppressed"):
                assert cell == {"suppressed": True}
                suppressed += 1
            else:
                assert cell["contacts"] == 0 or cell["contacts"] >= 5
                assert cell.get("customers") is None or cell["customers"] >= 5
    assert suppressed > 0
    for personal in ("example.com", "Customer ", "Synthetic", "Agent ", "Org "):
        assert personal not in raw


def test_k_is_a_setting(tmp_path: Path) -> None:
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=150, months=6))
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv") + "[measure]\nk = 50\n")
    _, snaps = run(tmp_path)
    cells = [c for s in snaps["lockouts"]["series"].values() for c in s["months"].values()]
    assert all(c.get("suppressed") or c["contacts"] in (0,) or c["contacts"] >= 50 for c in cells)


def test_snapshots_are_byte_identical_and_rewritten_only_on_change(tmp_path: Path) -> None:
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=500))
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    first, _ = run(tmp_path)
    before = (tmp_path / "metrics" / "lockouts.json").read_bytes()
    second, _ = run(tmp_path)
    assert first.written and not second.written and second.unchanged
    assert (tmp_path / "metrics" / "lockouts.json").read_bytes() == before


def test_months_are_counted_in_the_reporting_time_zone(tmp_path: Path) -> None:
    """Five tickets at 23:30 on 31 January in New York are February tickets in UTC."""
    rows = "".join(f"T{i},2026-01-31 23:30:00,locked_out,c{i}\n" for i in range(5))
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "t.csv").write_text("ticket,opened,labels,who\n" + rows, "utf-8")
    custom = (
        '[sources.desk]\npreset = "custom"\npath = "exports/t.csv"\ntimezone = "America/New_York"\n'
        '[sources.desk.columns]\nid = "ticket"\ncreated = "opened"\ntags = "labels"\nrequester = "who"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: desk, kind: tickets, ref: "tag:locked_out"}]\n'
    }
    project(tmp_path, custom, maps)
    assert run(tmp_path)[1]["m"]["months"] == ["2026-02"]
    project(tmp_path, custom + '[measure]\ntimezone = "America/New_York"\n', maps)
    assert run(tmp_path)[1]["m"]["months"] == ["2026-01"]


@pytest.mark.parametrize(
    "opened",
    [
        "2026-02-01T04:30:00Z",
        "2026-02-01T04:30:00+00:00",
        "2026-02-01T01:30:00+0200",
        "2026-02-01 10:00:00 +05:30",
    ],
)
def test_a_time_written_with_its_offset_is_the_instant_it_names(tmp_path: Path, opened: str) -> None:
    """Times as APIs and JSON exports write them carry their offset: it was dropped, and the
    time read in the source's time zone: these tickets of 23:30 on 31 January in New York
    were counted in February (read as 04:30, 01:30 or 10:00 in New York)."""
    rows = "".join(f"T{i},{opened},locked_out,c{i}\n" for i in range(5))
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "t.csv").write_text("ticket,opened,labels,who\n" + rows, "utf-8")
    custom = (
        '[sources.desk]\npreset = "custom"\npath = "exports/t.csv"\ntimezone = "America/New_York"\n'
        '[sources.desk.columns]\nid = "ticket"\ncreated = "opened"\ntags = "labels"\nrequester = "who"\n'
        '[measure]\ntimezone = "America/New_York"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: desk, kind: tickets, ref: "tag:locked_out"}]\n'
    }
    project(tmp_path, custom, maps)
    result, snaps = run(tmp_path)
    assert snaps["m"]["months"] == ["2026-01"]
    assert result.runs[0].last_day == "2026-01-31"


def test_a_zendesk_source_must_say_its_time_zone(tmp_path: Path) -> None:
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=50))
    project(tmp_path, '[sources.desk]\npreset = "zendesk"\npath = "exports/zendesk.csv"\n')
    with pytest.raises(MeasureError, match="Zendesk writes them in the account's time zone"):
        run(tmp_path)


def test_a_survey_joined_to_its_tickets_is_measured_by_the_tickets_selectors(tmp_path: Path) -> None:
    spec = Spec(rows=2000, months=3)
    tickets = export(tmp_path, "zendesk", "zendesk.csv", spec)
    survey = written_survey(tmp_path / "exports" / "ces.csv", spec, "ces")
    toml = _desk("zendesk", "exports/zendesk.csv", tz="UTC") + (
        '[sources.ces]\nkind = "survey"\nsurvey = "ces"\npath = "exports/ces.csv"\ntimezone = "UTC"\ntickets = "desk"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: ces, kind: survey, ref: "tag:locked_out"}]\n'
    }
    project(tmp_path, toml, maps)
    _, snaps = run(tmp_path)
    cells = snaps["m"]["series"]["ces|tag:locked_out"]["months"]
    with tickets.open(encoding="utf-8") as f:
        locked = {r["Id"] for r in csv.DictReader(f) if "locked_out" in r["Tags"].split()}
    scores: dict[str, list[float]] = {}
    with survey.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["ticket_id"] in locked:
                scores.setdefault(r["responded_at"][:7], []).append(float(r["score"]))
    for month, values in scores.items():
        if len(values) >= 5:
            assert cells[month]["responses"] == len(values)
            assert cells[month]["ces"] == pytest.approx(statistics.mean(values), abs=1e-4)


def test_a_csat_survey_measures_csat_from_its_scores(tmp_path: Path) -> None:
    """A CSAT survey's CSAT was never measured: the ticket metric's need (a 'satisfied'
    column) was asked of the survey, whose CSAT is its scores at or above satisfied-at. Its
    snapshot said csat was "not in export", and measure told the user to map a column."""
    spec = Spec(rows=2000, months=3)
    tickets = export(tmp_path, "zendesk", "zendesk.csv", spec)
    survey = written_survey(tmp_path / "exports" / "csat.csv", spec, "csat")
    toml = _desk("zendesk", "exports/zendesk.csv", tz="UTC") + (
        '[sources.sat]\nkind = "survey"\nsurvey = "csat"\npath = "exports/csat.csv"\ntimezone = "UTC"\ntickets = "desk"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: sat, kind: survey, ref: "tag:locked_out"}]\n'
    }
    project(tmp_path, toml, maps)
    result, snaps = run(tmp_path)
    assert result.runs[0].unavailable == [] and snaps["m"]["sources"]["sat"]["not_in_export"] == []
    cells = snaps["m"]["series"]["sat|tag:locked_out"]["months"]
    with tickets.open(encoding="utf-8") as f:
        locked = {r["Id"] for r in csv.DictReader(f) if "locked_out" in r["Tags"].split()}
    satisfied: dict[str, list[float]] = {}
    with survey.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["ticket_id"] in locked:
                satisfied.setdefault(r["responded_at"][:7], []).append(float(float(r["score"]) >= 4))
    checked = [month for month, values in satisfied.items() if len(values) >= 5]
    assert checked
    for month in checked:
        assert cells[month]["csat"] == pytest.approx(statistics.mean(satisfied[month]), abs=1e-4)


def test_a_survey_s_responses_are_not_doubled_by_a_ticket_in_two_exports(tmp_path: Path) -> None:
    """Joined to a ticket source whose exports overlap, a response matched its ticket once
    per export: counted twice."""
    spec = Spec(rows=600, months=3)
    tickets = export(tmp_path, "zendesk", "desk/zendesk.csv", spec)
    written_survey(tmp_path / "exports" / "ces.csv", spec, "ces")
    toml = _desk("zendesk", "exports/desk", tz="UTC") + (
        '[sources.ces]\nkind = "survey"\nsurvey = "ces"\npath = "exports/ces.csv"\ntimezone = "UTC"\ntickets = "desk"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: ces, kind: survey, ref: "tag:locked_out"}]\n'
    }
    project(tmp_path, toml, maps)
    _, once = run(tmp_path)
    (tickets.parent / "again.csv").write_bytes(tickets.read_bytes())
    _, twice = run(tmp_path)
    assert twice == once


def test_quotes_in_paths_headers_and_selectors_are_data_not_sql(tmp_path: Path) -> None:
    """A file named it's.csv, a header with quotes, a tag with an apostrophe: all read as
    data; nothing of them reaches SQL unescaped."""
    rows = "".join(
        f'T{i},2026-03-0{1 + i % 5} 10:00:00,"o\'brien, x",c{i},"a ""quoted"" value"\n' for i in range(10)
    )
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "it's.csv").write_text('ticket,opened,labels,who,"we""ird"\n' + rows, "utf-8")
    custom = (
        '[sources.desk]\npreset = "custom"\npath = "exports/it\'s.csv"\ntimezone = "UTC"\n'
        '[sources.desk.columns]\nid = "ticket"\ncreated = "opened"\ntags = "labels"\nrequester = "who"\n'
        "form = 'we\"ird'\n"
    )
    maps = {
        "m.yaml": "id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence:\n"
        '      - {source: desk, kind: tickets, ref: "tag:o\'brien"}\n'
        '      - {source: desk, kind: tickets, ref: \'form:"a \\"quoted\\" value"\'}\n'
    }
    project(tmp_path, custom, maps)
    series = run(tmp_path)[1]["m"]["series"]
    assert series["desk|tag:o'brien"]["months"]["2026-03"]["contacts"] == 10
    assert series['desk|form:"a \\"quoted\\" value"']["months"]["2026-03"]["contacts"] == 10


def test_a_fifo_among_the_exports_is_named_not_read(tmp_path: Path) -> None:
    """Never opened (reading it would block for ever), nor skipped without a word: a month
    missing from every number (see also test_hostile_exports)."""
    import os

    export(tmp_path, "zendesk", "a.csv", Spec(rows=100))
    os.mkfifo(tmp_path / "exports" / "b.csv")
    project(tmp_path, _desk("zendesk", "exports/*.csv"))
    with pytest.raises(MeasureError, match=r"exports/b\.csv is a named pipe \(FIFO\), not an export file"):
        run(tmp_path)


def test_a_large_export_is_aggregated_in_batches_with_the_same_numbers(tmp_path: Path) -> None:
    """Memory is bounded by cutting the aggregate into batches (month x selector range, run
    two at a time): cut as finely as can be with ``[measure] batch-rows``, the snapshot is
    byte for byte that of whole months, and a survey joined to its tickets too."""
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=1500, months=4, malformed=0.02))
    written_survey(tmp_path / "exports" / "csat.csv", Spec(rows=1500, months=4), "csat")
    survey = (
        '[sources.csat]\nkind = "survey"\nsurvey = "csat"\npath = "exports/csat.csv"\n'
        'timezone = "UTC"\ntickets = "desk"\n'
    )
    surveyed = (
        "id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence:\n"
        '      - {source: csat, kind: survey, ref: "tag:locked_out or channel:email"}\n'
    )
    maps = {"lockouts.yaml": MAP, "m.yaml": surveyed}
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv") + survey, maps)
    run(tmp_path)
    whole = {p.name: p.read_bytes() for p in (tmp_path / "metrics").glob("*.json")}
    shutil.rmtree(tmp_path / "metrics")
    settings = '[measure]\nbatch-rows = 7\nmemory-limit = "128MB"\n'
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv") + survey + settings, maps)
    seen: list[str] = []
    settings = load_settings(tmp_path)
    report = lint([tmp_path / "maps"], settings, TODAY, tmp_path)
    assert report.project is not None
    measure(list(report.project.maps), settings, seen.append)
    assert {p.name: p.read_bytes() for p in (tmp_path / "metrics").glob("*.json")} == whole
    batches = [s for s in seen if s.startswith("measuring desk: ") and "(month " in s]
    assert len(batches) >= 3 * 4  # every month in several batches


def test_batches_cut_a_month_by_selector_range_and_never_mix_months() -> None:
    staged = metrics.Staged(
        "SELECT 1",
        [metrics.Selection(1, "tag:a"), metrics.Selection(2, "tag:b")],
        "UTC",
        "UTC",
        metrics.TICKET_METRICS,
        [],
    )
    plan = [
        (None, 0, 3),
        ("2026-01", 0, 5),
        ("2026-01", 1, 4),
        ("2026-01", 2, 9),
        ("2026-02", 0, 2),
        ("2026-02", 2, 2),
    ]
    assert staged.batches(plan, limit=9) == [
        metrics.Batch(None, 0, 0),
        metrics.Batch("2026-01", 0, 1),
        metrics.Batch("2026-01", 2, 2),  # alone over the limit: one group is never split
        metrics.Batch("2026-02", 0, 2),
    ]


def test_progress_shows_while_a_query_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal, reading an export shows DuckDB's percentage (it was never shown: DuckDB
    tracks progress only with its progress bar enabled). A CSV read, not a computed range:
    DuckDB 1.5 (Python 3.10) reports no progress for a short range() scan, and a read that
    took 0.3 s could end before the first look at 0.25 s (it failed a clean CI run once)."""
    con = queries.connect(str(tmp_path))
    csv_path = tmp_path / "export.csv"
    seen: list[str] = []
    monkeypatch.setattr(queries, "POLL_SECONDS", 0.005)
    try:
        con.execute(
            f"COPY (SELECT i AS id, 'tag' || (i % 50) AS tags, 'email' AS channel FROM range(2000000) AS t(i)) "
            f"TO '{csv_path}' (HEADER)"
        )
        queries.run_duckdb(
            con, f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}')", "reading", seen.append
        )
    finally:
        con.close()
    assert seen and all(s.startswith("reading: ") and s.endswith("%") for s in seen)
    assert any(s != "reading: 0%" for s in seen), seen


def test_ctrl_c_as_the_query_starts_stops_it_before_the_connection_is_closed(tmp_path: Path) -> None:
    """Ctrl+C landing as the "0%" is shown (the query's thread just started, before the wait
    that handles it) left the query running: closing the connection then failed with
    "connection is busy with another call", an internal error, and DuckDB's thread aborted
    the process as it exited (a clean CI run, test_ctrl_c_mid_query...[0.0])."""
    con = queries.connect(str(tmp_path))

    def ctrl_c(shown: str) -> None:
        raise KeyboardInterrupt  # as the handler raises it, where the "0%" is printed

    try:
        with pytest.raises(KeyboardInterrupt):
            queries.run_duckdb(
                con, "SELECT count(*) FROM range(3000000000) t(x) WHERE x % 7 = 3", "reading", ctrl_c
            )
    finally:
        con.close()  # raised ResourceInUseException: the query still ran


def test_an_export_with_only_its_header_is_measured_as_empty(tmp_path: Path) -> None:
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=10))
    path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    result, snaps = run(tmp_path)
    assert result.runs[0].rows == 0 and result.runs[0].first is None
    assert all(s["months"] == {} for s in snaps["lockouts"]["series"].values())


def _monthly(tmp_path: Path) -> list[Path]:
    """Three monthly Zendesk exports of one source, as a team downloads them."""
    # ids continue from month to month, as one help desk numbers its tickets
    months = [
        Spec(rows=60, start=dt.date(2026, m, 1), months=1, seed=m, first_id=60 * (m - 1)) for m in (1, 2, 3)
    ]
    paths = [export(tmp_path, "zendesk", f"2026-0{i + 1}.csv", spec) for i, spec in enumerate(months)]
    project(tmp_path, _desk("zendesk", "exports/*.csv"))
    return paths


def test_a_monthly_export_with_a_column_renamed_is_named_not_measured_without_it(tmp_path: Path) -> None:
    """Read by name with the others, a month whose Tags column was renamed gave its tickets
    no tags: every selector missed them, the snapshot said so, and measure exited 0."""
    paths = _monthly(tmp_path)
    paths[1].write_text(paths[1].read_text("utf-8").replace(",Tags,", ",Labels,", 1), "utf-8")
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert "exports/2026-02.csv has no column 'Tags' for the tags field" in message
    assert "other files of this source have" in message and "[sources.desk.columns]" in message
    assert not (tmp_path / "metrics").exists()  # nothing written from a partial reading
    assert err.value.file == paths[1] and err.value.line == 1  # reported at its header row


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"", "is empty"), (b"\x00\x01\xff\xfe not an export\n", "is not UTF-8 (byte 0xff at line 1")],
    ids=["empty", "garbled"],
)
def test_an_empty_or_garbled_file_among_the_exports_is_an_error(
    tmp_path: Path, content: bytes, said: str
) -> None:
    """An empty or garbled download among monthly exports contributed no rows, silently: a
    month of tickets missing from every number."""
    paths = _monthly(tmp_path)
    paths[2].write_bytes(content)
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert f"2026-03.csv {said}" in str(err.value)
    assert err.value.file == paths[2]  # reported at the file, not at the settings


def test_a_file_duckdb_cannot_read_is_reported_at_that_file(tmp_path: Path) -> None:
    """DuckDB's own error reading one of a year of exports was said without the file."""
    paths = _monthly(tmp_path)
    paths[1].write_bytes(b"Id,Created at\n" + bytes(range(256)) * 40)
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert err.value.file == paths[1] and not err.value.settings


def _parquet_months(tmp_path: Path) -> list[Path]:
    """Three monthly Zendesk exports as Parquet, January's Group written as a number (a
    group id) where the other months have its name: one file of another type."""
    import duckdb

    # ids continue from month to month, as one help desk numbers its tickets
    months = [
        Spec(rows=60, start=dt.date(2026, m, 1), months=1, seed=m, first_id=60 * (m - 1)) for m in (1, 2, 3)
    ]
    paths = [export(tmp_path, "zendesk", f"2026-0{i + 1}.parquet", spec) for i, spec in enumerate(months)]
    renamed = paths[0].with_suffix(".tmp")
    duckdb.sql(
        f'COPY (SELECT * REPLACE (CAST(HASH("Group") % 100 AS BIGINT) AS "Group") '
        f"FROM '{paths[0]}') TO '{renamed}' (FORMAT parquet)"
    )
    renamed.replace(paths[0])
    return paths


def test_an_error_in_a_survey_s_ticket_export_is_named_at_the_ticket_source(tmp_path: Path) -> None:
    """A survey joined to its tickets reads the ticket export in its own query: an error in
    that export was reported as the survey's ("source 'ces': 2026-02.parquet ...")."""
    paths = _parquet_months(tmp_path)
    written_survey(tmp_path / "exports" / "ces.csv", Spec(rows=180, months=3), "ces")
    toml = _desk("zendesk", "exports/2026-*.parquet") + (
        '[sources.ces]\nkind = "survey"\nsurvey = "ces"\npath = "exports/ces.csv"\ntimezone = "UTC"\ntickets = "desk"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: ces, kind: survey, ref: "group:tier_2"}]\n'
    }
    project(tmp_path, toml, maps)
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value).startswith("source 'desk': "), str(err.value)
    assert err.value.file in paths and "source 'ces'" not in str(err.value)


def test_a_ticket_export_s_broken_line_is_counted_by_the_ticket_source_not_its_survey(tmp_path: Path) -> None:
    """The survey's query reads the ticket export too: its broken line was counted (and
    named) in the survey's summary as well as in the ticket source's."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=60))
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[6] = lines[6].replace(",", ";")  # line 7: one cell where a row has many
    path.write_text("".join(lines), "utf-8")
    written_survey(tmp_path / "exports" / "ces.csv", Spec(rows=60), "ces")
    toml = _desk("zendesk", "exports/zendesk.csv") + (
        '[sources.ces]\nkind = "survey"\nsurvey = "ces"\npath = "exports/ces.csv"\ntimezone = "UTC"\ntickets = "desk"\n'
    )
    maps = {
        "m.yaml": 'id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence: [{source: ces, kind: survey, ref: "group:tier_2"}, {source: desk, kind: tickets, ref: "tag:locked_out"}]\n'
    }
    project(tmp_path, toml, maps)
    result, _ = run(tmp_path)
    runs = {r.name: (r.rejected_lines, r.first_rejected and r.first_rejected[:2]) for r in result.runs}
    assert runs == {"desk": (1, (path, 7)), "ces": (0, None)}


def test_a_month_whose_parquet_column_has_another_type_is_named(tmp_path: Path) -> None:
    """DuckDB reads a set of Parquet files with the first one's types: January's Group as a
    number failed on February's names, and measure blamed February, in DuckDB's words
    ("Conversion Error: ... failed to cast column ... Could not convert string 'Tier 2'")."""
    paths = _parquet_months(tmp_path)
    project(tmp_path, _desk("zendesk", "exports/2026-*.parquet"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value) == (
        "source 'desk': 2026-01.parquet has column 'Group' as BIGINT, where 2026-02.parquet and "
        "2026-03.parquet have it as VARCHAR: export every file of a source with the same column types"
    )
    assert (err.value.file, err.value.line, err.value.settings) == (paths[0], 1, False)
    # the files unknown, DuckDB's own account, in words
    import duckdb

    said = duckdb.ConversionException(
        'Conversion Error: failed to cast\n\nIn file "/d/2026-02.parquet" the column "Group" has type '
        "VARCHAR, but we are trying to read it as type BIGINT.\nThis can happen when reading multiple"
    )
    cfg = configs({"desk": {"preset": "zendesk", "path": "x/*.parquet", "timezone": "UTC"}})["desk"]
    assert str(read_errors.unreadable(cfg, said)) == (
        "source 'desk': 2026-02.parquet has column 'Group' as VARCHAR, where the first file has it "
        "as BIGINT: export every file of a source with the same column types"
    )


def test_monthly_exports_with_the_same_columns_in_another_order_are_measured(tmp_path: Path) -> None:
    """The check is by field, not by header: a month whose columns come in another order
    (a re-ordered export view) is read with the others."""
    paths = _monthly(tmp_path)
    with paths[0].open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with paths[0].open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([row[::-1] for row in rows])
    result, _ = run(tmp_path)
    assert result.runs[0].rows == 180


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16", "UTF-16"),  # with a byte-order mark, as Excel's "Unicode Text"
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_an_export_saved_as_utf16_or_utf32_is_named_so(
    tmp_path: Path, encoding: str, name: str, suffix: str
) -> None:
    """Read as UTF-8, a UTF-16 export's columns were '\\x00I\\x00d\\x00'...: measure said it had
    no column 'Id' and listed them, zeros and all, instead of how it was saved."""
    path = export(tmp_path, "zendesk", f"zendesk{suffix}", Spec(rows=20))
    path.write_bytes(path.read_text("utf-8").encode(encoding))
    project(tmp_path, _desk("zendesk", f"exports/zendesk{suffix}"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert f"zendesk{suffix} is {name}, and measure reads UTF-8: save it as UTF-8" in message
    assert "\x00" not in message
    assert (err.value.file, err.value.line, err.value.settings) == (path, 1, False)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_an_export_saved_as_latin1_is_named_so_at_its_first_such_byte(
    tmp_path: Path, encoding: str, suffix: str
) -> None:
    """A Latin-1 export was measured: DuckDB set aside a few of its rows and read the others
    with their bytes as they were, so 'tag:café' matched none of the tickets tagged so."""
    path = export(tmp_path, "zendesk", f"zendesk{suffix}", Spec(rows=20))
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("Synthetic", "Synthétic", 1)
    path.write_bytes("".join(lines).encode(encoding))
    project(tmp_path, _desk("zendesk", f"exports/zendesk{suffix}"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert f"zendesk{suffix} is not UTF-8 (byte 0xe9 at line 4: saved as Latin-1 or Windows-1252?)" in str(
        err.value
    )
    assert "save it as UTF-8" in str(err.value)
    column = lines[3].index("Synthétic") + len("Synth") + 1
    assert (err.value.file, err.value.line, err.value.column) == (path, 4, column)


def test_duckdb_s_reason_is_kept_whatever_the_step_that_fails() -> None:
    """A file source failing after its files were opened kept the first line of DuckDB's
    error only ("Invalid Input Error: CSV Error on Line: 1"), at the source's path setting;
    the reason follows the quoted line, and the file it names is where to look."""
    import duckdb

    cfg = configs({"desk": {"preset": "zendesk", "path": "x/*.csv", "timezone": "UTC"}})["desk"]
    error = duckdb.InvalidInputException(
        "CSV Error on Line: 1\nOriginal Line: 1,secret@example.com\nExpected Number of Columns: 3 Found: 2"
    )
    found = read_errors.unreadable(cfg, error)
    assert str(found) == ("source 'desk': CSV Error on Line: 1: Expected Number of Columns: 3 Found: 2")
    assert found.setting == ("desk", "path") and "secret" not in str(found)
    named = read_errors.unreadable(
        cfg, duckdb.IOException('Could not read file "/data/x/2026-10.parquet": gone')
    )
    assert named.file == Path("/data/x/2026-10.parquet") and named.setting is None
    assert str(named).startswith("source 'desk': 2026-10.parquet cannot be read as Parquet: ")


def test_a_json_lines_export_whose_later_records_differ_is_measured(tmp_path: Path) -> None:
    """DuckDB typed a JSON Lines export from its first 20,480 records: a later record with a
    key of its own (a custom field set in March) or a date that is not one failed the whole
    run ("JSON transform error"). Every record's keys are found, and each is read as text,
    as a CSV export is: the bad date is a malformed row, counted."""
    path = export(tmp_path, "zendesk", "zendesk.jsonl", Spec(rows=21000, months=2))
    lines = path.read_text("utf-8").splitlines(keepends=True)
    created = lines[20950].split('"Created at":"', 1)[1].split('"', 1)[0]
    lines[20950] = lines[20950].replace(created, "not a date", 1)
    lines[20960] = lines[20960].replace('{"Id"', '{"Escalation note":{"by":"Tier 2"},"Id"', 1)
    lines[20970] = re.sub(r'"Reopens":"([0-9]+)"', r'"Reopens":\1', lines[20970], count=1)  # a number
    assert '"Reopens":"' not in lines[20970]
    path.write_text("".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.jsonl", tz="UTC"))
    result, snaps = run(tmp_path)
    (desk,) = result.runs
    assert (desk.rows, desk.malformed_rows) == (21000, 1)  # the bad date: malformed, counted
    assert snaps["lockouts"]["months"] == ["2026-01", "2026-02"]


#: The lockouts map with a selector that needs a second tag: what a lost tag changes.
_TWO_TAGS = {"m.yaml": MAP.replace("tag:locked_out", "tag:locked_out or tag:sev1")}


def _csv_series(root: Path) -> dict[str, Any]:
    """The series of :data:`_TWO_TAGS` measured from the Zendesk CSV export of 400 tickets
    (the reference another export of the same tickets must give)."""
    export(root, "zendesk", "zendesk.csv", Spec(rows=400, months=2))
    project(root, _desk("zendesk", "exports/zendesk.csv", tz="UTC"), _TWO_TAGS)
    series: dict[str, Any] = run(root)[1]["lockouts"]["series"]
    return series


def _same_contacts(got: dict[str, Any], expected: dict[str, Any], rename: str = "") -> None:
    """``got`` counts the contacts ``expected`` does, month by month (``rename``: the
    selector ``tag:locked_out`` as ``got`` names it), and every series but the tag nobody
    has counts some."""
    assert len(got) == len(expected)
    for key, series in expected.items():
        if "no_such_tag" not in key:  # the others are tickets, not empty series
            assert any(cell.get("contacts") for cell in series["months"].values()), key
        mine = got[key.replace("tag:locked_out", rename) if rename else key]
        for month, cell in series["months"].items():
            assert mine["months"][month].get("contacts") == cell.get("contacts"), (key, month)


@pytest.mark.parametrize("separator", [",", ", "])
def test_tags_given_as_a_json_array_are_split_into_tags(tmp_path: Path, separator: str) -> None:
    """A help desk's API writes a ticket's tags as a JSON array (Zendesk's ``"tags":
    ["billing", "sev1"]``): read as text, '["billing","sev1"]' was one tag (or, split on commas,
    '["billing"' and '"sev1"]'), so no selector matched and every tag series of a JSON export
    was empty. The array's items are the tags: the same numbers as the CSV export."""
    expected = _csv_series(tmp_path / "ref")
    other = tmp_path / "other"
    path = export(other, "zendesk", "zendesk.jsonl", Spec(rows=400, months=2))

    def listed(found: re.Match[str]) -> str:
        # A second tag in capitals: tags are compared in lower case, as from a CSV.
        tags = [f'"{t.upper() if i else t}"' for i, t in enumerate(found[1].split())]
        return f'"Tags":[{separator.join(tags)}]'

    text = re.sub(r'"Tags":"([^"]*)"', listed, path.read_text("utf-8"))
    assert '"Tags":["' in text
    path.write_text(text, "utf-8")
    project(other, _desk("zendesk", "exports/zendesk.jsonl", tz="UTC"), _TWO_TAGS)
    got = run(other)[1]["lockouts"]["series"]
    assert got.keys() == expected.keys()
    _same_contacts(got, expected)
    # An empty array is no tags, as an empty cell is; other text is split as before.
    import duckdb

    cases = {"[]": None, " [ ] ": None, "": None, '["a b", "C"]': ",a b,c,", "a B": ",a,b,"}
    for text, tags in cases.items():
        read = f"NULLIF({sql_string(text)}, '')"  # as the export's text is read
        assert duckdb.sql(f"SELECT {split_tags(read, 'tags_space')}").fetchall() == [(tags,)], text


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # An item is what JSON means: its escapes read (Python's json.dumps writes \u00e9).
        (r'["caf\u00e9", "say \"hi\""]', ',café,say "hi",'),
        # Front's and Intercom's tags are objects: the tag is the name.
        ('[{"id": 7, "name": "Billing"}, {"name": "sev1"}]', ",billing,sev1,"),
        ('[{"id": 7}]', None),
        # A null or an empty item is no tag (not the tag "null"); numbers are tags.
        ('[null, "", " a ", 42]', ",a,42,"),
        ("[null]", None),
        # As a CSV cell may hold it: on lines of its own.
        ('\n[\n  "a",\n  "b"\n]\n', ",a,b,"),
        # Not JSON: the text as written, as before (a tag may have brackets).
        ("[VIP]", ",[vip],"),
        ("[a] [b]", ",[a],[b],"),
        ('["a", "b"] c', ',["a",,"b"],c,'),
    ],
)
def test_a_json_array_s_items_are_the_tags_json_means(text: str, tags: str | None) -> None:
    import duckdb

    read = f"NULLIF({sql_string(text)}, '')"
    assert duckdb.sql(f"SELECT {split_tags(read, 'tags_space')}").fetchall() == [(tags,)]


def test_tags_given_as_a_parquet_list_are_its_items(tmp_path: Path) -> None:
    """A Parquet export from a warehouse holds tags as a list column: as text, DuckDB wrote
    it ``[billing, 'locked_out\\'s']``, not JSON, so a tag with a quote (or a comma, a
    bracket) was not the tag its selector names."""
    import duckdb

    expected = _csv_series(tmp_path / "ref")
    other = tmp_path / "other"
    path = export(other, "zendesk", "zendesk.parquet", Spec(rows=400, months=2))
    listed = other / "listed.parquet"
    renamed = "CASE WHEN t = 'locked_out' THEN 'Locked_out''s' ELSE UPPER(t) END"
    duckdb.sql(
        f'COPY (SELECT * REPLACE (LIST_TRANSFORM(STRING_SPLIT("Tags", \' \'), lambda t: {renamed}) AS "Tags") '
        f"FROM read_parquet({sql_string(str(path))})) TO {sql_string(str(listed))} (FORMAT parquet)"
    )
    listed.replace(path)
    name = "tag:locked_out's"
    project(
        other,
        _desk("zendesk", "exports/zendesk.parquet", tz="UTC"),
        {"m.yaml": _TWO_TAGS["m.yaml"].replace("tag:locked_out", name)},
    )
    _same_contacts(run(other)[1]["lockouts"]["series"], expected, rename=name)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("['billing', 'locked_out']", ",billing,locked_out,"),
        # repr quotes an item with an apostrophe in double quotes
        ("['Billing', \"agent's\"]", ",billing,agent's,"),
        ("['a',\n 'b', ]", ",a,b,"),
        ("['']", None),
        # Not a list as Python writes one: as written, as before
        ("['a', 'b'] c", ",['a',,'b'],c,"),
        ("['a\\\\b']", ",['a\\\\b'],"),
        ("[a, 'b']", ",[a,,'b'],"),
    ],
)
def test_a_python_list_as_pandas_writes_it_is_its_items(text: str, tags: str | None) -> None:
    """A list column written to CSV by pandas is ``str(list)``: ``['billing', 'sev1']``,
    not JSON. Split as written, its tags were "['billing'," and "'sev1']", and no selector
    matched them, with nothing said."""
    import duckdb

    read = f"NULLIF({sql_string(text)}, '')"
    assert duckdb.sql(f"SELECT {split_tags(read, 'tags_space')}").fetchall() == [(tags,)]
    if tags is None or not tags.startswith(",["):  # a list: the same whatever the reader
        assert duckdb.sql(f"SELECT {split_tags(read, 'tags_comma')}").fetchall() == [(tags,)]


def test_tags_written_by_pandas_are_measured_as_the_export_s_own(tmp_path: Path) -> None:
    """The same tickets, their tags written as pandas writes a list, count as the help
    desk's own export does."""
    expected = _csv_series(tmp_path / "ref")
    other = tmp_path / "other"
    path = export(other, "zendesk", "zendesk.csv", Spec(rows=400, months=2))
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["Tags"] = str(row["Tags"].split())  # ['billing', 'locked_out']
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert "['" in path.read_text("utf-8")
    project(other, _desk("zendesk", "exports/zendesk.csv", tz="UTC"), _TWO_TAGS)
    _same_contacts(run(other)[1]["lockouts"]["series"], expected)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ('{"a":1}\n{"a":2}\n{{"a":3}\n', (3, 2)),
        ('{"a":1}\n\n{"a":2}\n{{"a":3}\n', (4, 2)),  # a blank line: DuckDB names the line itself
        ('{"a":1}\n\n{{"a":3}\n', (3, 2)),  # and the line before it is no candidate
        ('{"a":1}\r\n{"a":"\u00e9\u00e9" x}\r\n', (2, 11)),  # the byte as characters
        ('{"a":1}\n{"a":2', (2, 7)),
    ],
    ids=["plain", "after-a-blank-line", "right-after-a-blank-line", "crlf-and-accents", "cut-short"],
)
def test_a_json_lines_error_is_placed_where_python_also_refuses_the_line(
    tmp_path: Path, text: str, at: tuple[int, int]
) -> None:
    """DuckDB 2.0 names the line after a malformed one, except after a blank line."""
    import duckdb

    path = tmp_path / "x.jsonl"
    path.write_bytes(text.encode("utf-8"))
    cfg = configs({"desk": {"preset": "zendesk", "path": "x.jsonl", "timezone": "UTC"}})["desk"]
    con = duckdb.connect()
    with pytest.raises(duckdb.Error) as raised:
        con.execute(
            f"SELECT * FROM read_json('{path}', format = 'newline_delimited', records = true)"
        ).fetchall()
    found = read_errors.unreadable(cfg, raised.value)
    assert (found.file, found.line, found.column) == (path, *at), str(raised.value)
    assert str(found).startswith(
        f"source 'desk': x.jsonl cannot be read as JSON Lines: line {at[0]} is not JSON: "
    )


def test_a_json_lines_record_longer_than_duckdb_reads_is_named_at_its_line(tmp_path: Path) -> None:
    """It was 'Invalid Input Error: "maximum_object_size" of 16777216 bytes exceeded while
    reading file "/abs/path" (>33554230 bytes)' at line 1: DuckDB's option, no line."""
    path = export(tmp_path, "zendesk", "zendesk.jsonl", Spec(rows=20))
    lines = path.read_text("utf-8").split("\n")
    lines[4] = lines[4].replace("Synthetic", "x" * 40_000_000, 1)
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.jsonl"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert (err.value.file, err.value.line) == (path, 5)
    assert "zendesk.jsonl cannot be read as JSON Lines: line 5 is 40 MB (a pasted log?)" in message
    assert "export without the long text field" in message and "maximum_object_size" not in message


@pytest.mark.parametrize(
    ("change", "said", "column"),
    [
        (
            lambda line: line.replace('{"Id":', '{"Id":"9","Id":', 1),
            'line 6: the record has the key "Id" twice: keep one',
            11,
        ),
        (
            lambda line: f"[{line}]",
            "line 6 is an array, not a record (an object, {...}): a JSON Lines export has one record a line",
            1,
        ),
        (
            lambda line: '{"Id":"1","x":' + "[" * 200 + "]" * 200 + "}",
            "line 6 nests arrays and objects 201 deep, and measure reads up to 128: export it flatter",
            1,
        ),
    ],
    ids=["duplicate-key", "array", "too-deep"],
)
def test_a_json_lines_line_duckdb_refuses_is_named_at_its_line_in_words(
    tmp_path: Path, change: Any, said: str, column: int
) -> None:
    """A duplicate key was said to be "a value of another type"; a line that is an array, or
    nested past DuckDB's 128 levels, was said at line 1 in DuckDB's words ("Binder Error:
    json_read expected records, but got non-record JSON instead.")."""
    path = export(tmp_path, "zendesk", "zendesk.jsonl", Spec(rows=20))
    lines = path.read_text("utf-8").split("\n")
    lines[5] = change(lines[5])
    path.write_text("\n".join(lines), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.jsonl"))
    if "deep" in said and int(duckdb.__version__.split(".")[0]) < 2:  # Python 3.10's DuckDB 1.5
        result, _ = run(tmp_path)  # reads any depth: the line is a row (without a date)
        assert (result.runs[0].rows, result.runs[0].malformed_rows) == (20, 1)
        return
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value) == f"source 'desk': zendesk.jsonl cannot be read as JSON Lines: {said}"
    assert (err.value.file, err.value.line, err.value.column) == (path, 6, column)


def test_empty_json_lines_records_are_rows_without_an_id_however_many(tmp_path: Path) -> None:
    """A record ``{}`` has no id nor date: one was counted so, but DuckDB took many of them
    (or many rare keys) for a map and failed ("expected records, but got non-record JSON")."""
    path = export(tmp_path, "zendesk", "zendesk.jsonl", Spec(rows=20))
    lines = path.read_text("utf-8").split("\n")
    path.write_text("\n".join(lines[:3] + ["{}"] * 30_000 + lines[3:]), "utf-8")
    project(tmp_path, _desk("zendesk", "exports/zendesk.jsonl"))
    result, _ = run(tmp_path)
    assert (result.runs[0].rows, result.runs[0].malformed_rows) == (30_020, 30_000)
    path.write_text("{}\n{}\n", "utf-8")  # nothing but empty records: no column at all
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value) == (
        "source 'desk': zendesk.jsonl cannot be read as JSON Lines: its records are all empty ({}): "
        "it has no field to measure"
    )
    assert (err.value.file, err.value.line) == (path, 1)


def test_a_handoff_s_sla_is_held_against_the_clock_it_names(tmp_path: Path) -> None:
    """A bot handing over to an agent promises a first reply within 5 minutes; held against
    the ticket's resolution time, as every SLA was, it was 100% breached in any data (the
    example map said so). With sla_clock: first-reply it is held against the first reply,
    over every ticket that crossed it; the resolution clock keeps its series and key."""
    path = export(tmp_path, "zendesk", "zendesk.csv", SPEC)
    steps = (
        "    steps:\n      - {id: bot, name: Bot, lane: frontstage, owner: support, actor: bot}\n"
        "      - {id: agent, name: Agent, lane: frontstage, owner: support, actor: agent}\n"
    )
    handoffs = "".join(
        f'  - {{from: s.bot, to: s.agent, sla: 1h{clock}, evidence: [{{source: desk, kind: tickets, ref: "tag:locked_out"}}]}}\n'
        for clock in ("", ", sla_clock: first-reply")
    )
    text = "id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n" + steps + "handoffs:\n" + handoffs
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"), {"m.yaml": text})
    _, snaps = run(tmp_path)
    series = snaps["m"]["series"]
    first = series["desk|tag:locked_out|sla=60m|first-reply"]
    assert (first["sla_minutes"], first["sla_clock"]) == (60, "first-reply")
    assert "sla_clock" not in series["desk|tag:locked_out|sla=60m"]  # as every snapshot had it
    by_month: dict[str, list[float]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if "locked_out" in row["Tags"].split() and row["First reply time in minutes"]:
                local = dt.datetime.strptime(row["Created at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=PARIS)
                month = local.astimezone(dt.timezone.utc).strftime("%Y-%m")
                by_month.setdefault(month, []).append(float(row["First reply time in minutes"]))
    compared = 0
    for month, replies in by_month.items():
        cell, resolved = first["months"][month], series["desk|tag:locked_out|sla=60m"]["months"][month]
        if len(replies) < 5:
            continue
        assert cell["sla_breach"] == pytest.approx(sum(r > 60 for r in replies) / len(replies), abs=1e-4)
        assert cell["sla_breach"] != resolved["sla_breach"]
        compared += 1
    assert compared >= 5


def test_an_export_not_utf8_past_its_first_mb_is_named_so_with_its_lines(tmp_path: Path) -> None:
    """A Windows-1252 export (Excel's re-save of a Zendesk export) whose first MB is ASCII was
    measured without each ticket whose tags had an accent: DuckDB set those lines aside, and
    the summary said "1 line that is not a CSV row", the numbers short of them."""
    path = export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=6000))
    lines = path.read_text("utf-8").splitlines(keepends=True)
    changed = [n for n, line in enumerate(lines) if n > 4000 and ",locked_out" in line][:2]
    for n in changed:
        lines[n] = lines[n].replace(",locked_out", ",caf\u00e9 locked_out", 1)
    path.write_bytes("".join(lines).encode("cp1252"))
    assert len("".join(lines[: changed[0]]).encode("cp1252")) > export_checks.HEAD_BYTES
    project(tmp_path, _desk("zendesk", "exports/zendesk.csv"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    message = str(err.value)
    assert f"zendesk.csv is not UTF-8 (byte 0xe9 at line {changed[0] + 1}, in its column 'Tags'" in message
    assert "2 lines of it with such a byte in a column measure reads would not be measured" in message
    assert "save it as UTF-8 (in Excel: Save As, CSV UTF-8)" in message
    column = lines[changed[0]].index("caf\u00e9") + len("caf") + 1
    assert (err.value.file, err.value.line, err.value.column) == (path, changed[0] + 1, column)
    assert not (tmp_path / "metrics").exists()


def test_a_json_lines_export_not_utf8_past_its_first_mb_is_named_so(tmp_path: Path) -> None:
    """A Windows-1252 JSON Lines export whose first MB is ASCII was said to have "line 6002 is
    not JSON: invalid UTF-8 encoding in string": its records are JSON, its bytes not UTF-8."""
    path = export(tmp_path, "zendesk", "zendesk.jsonl", Spec(rows=6000))
    lines = path.read_text("utf-8").splitlines(keepends=True)
    n = next(n for n, line in enumerate(lines) if n > 4000 and '"locked_out' in line)
    lines[n] = lines[n].replace('"locked_out', '"caf\u00e9 locked_out', 1)
    path.write_bytes("".join(lines).encode("cp1252"))
    assert len("".join(lines[:n]).encode("cp1252")) > export_checks.HEAD_BYTES
    project(tmp_path, _desk("zendesk", "exports/zendesk.jsonl"))
    with pytest.raises(MeasureError) as err:
        run(tmp_path)
    assert str(err.value) == (
        f"source 'desk': zendesk.jsonl is not UTF-8 (byte 0xe9 at line {n + 1}: saved as Latin-1 or "
        "Windows-1252?), and measure reads UTF-8 only: save it as UTF-8"
    )
    column = lines[n].index("caf\u00e9") + len("caf") + 1
    assert (err.value.file, err.value.line, err.value.column) == (path, n + 1, column)


def test_a_jira_cloud_export_s_satisfaction_column_gives_csat(tmp_path: Path) -> None:
    """Jira Cloud's CSV export (all fields) names the rating 'Custom field (Satisfaction)',
    beside 'Custom field (Satisfaction date)'; the preset read 'Satisfaction rating' only, so
    csat was left out of the snapshot ("no column is known for 'Satisfaction rating'")."""
    path = export(tmp_path, "jira-service-management", "jsm.csv", Spec(rows=300))
    project(tmp_path, _desk("jira-service-management", "exports/jsm.csv"), TAG_MAP)
    before, snaps = run(tmp_path)
    assert "csat" not in before.runs[0].unavailable
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0] = [("Custom field (Satisfaction)" if c == "Satisfaction rating" else c) for c in rows[0]]
    rows = [[*row, "Custom field (Satisfaction date)" if n == 0 else ""] for n, row in enumerate(rows)]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    shutil.rmtree(tmp_path / "metrics")
    after, again = run(tmp_path)
    assert "csat" not in after.runs[0].unavailable
    assert again == snaps
