"""SQL sources, tested for real: the fixture data loaded into PostgreSQL gives, metric for
metric, the numbers DuckDB gives from the export file.

The server comes from scripts/postgres (``eval "$(scripts/postgres)"``), which scripts/test
runs; its URL is in JOURNEYMAPS_TEST_POSTGRES_URL. Without it these tests are skipped on a
developer's machine, and fail in CI (CI=true), where a skip would hide that nothing ran.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from measuring import export, project, run

from conftest import jm
from in_process import jm_here
from journeymaps.measure import engine, metrics
from journeymaps.measure.fixtures import Spec
from journeymaps.measure.presets import CANONICAL, FIELD_NAMES
from journeymaps.measure.snapshot import Sla
from journeymaps.measure.sources import MeasureError, configs
from journeymaps.settings import load_settings

PG_TYPES = {
    "VARCHAR": "text",
    "TIMESTAMP": "timestamp",
    "DOUBLE": "double precision",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
}
SELECTORS = (
    "tag:locked_out",
    "tag:locked_out and (channel:mail or channel:chat)",
    'not tag:locked_out and group:"tier 2"',
    "form:billing or tag:sev1",
    "tag:billing_dispute and not (group:finance or channel:voice)",
    "tag:no_such_tag",
)


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("JOURNEYMAPS_TEST_POSTGRES_URL")
    if not url:
        why = (
            "JOURNEYMAPS_TEST_POSTGRES_URL is not set: start the test server with "
            'eval "$(scripts/postgres)" (scripts/test does)'
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{why}; in CI the PostgreSQL tests must run, not be skipped")
        pytest.skip(why)
    return url


@pytest.fixture
def table(pg_url: str) -> Iterator[str]:
    import psycopg

    name = f"tickets_{secrets.token_hex(4)}"
    yield name
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {name}")


def _load(pg_url: str, table: str, root: Path, collation: str | None = None) -> None:
    """The export's canonical rows (as DuckDB reads them) into a PostgreSQL table, its text
    columns in ``collation`` (a database's own, en_US.UTF-8 or ICU's; the test server's is C)."""
    import duckdb
    import psycopg

    settings = load_settings(root)
    cfgs = configs(settings.sources)
    con = duckdb.connect()
    relation = engine._file_relation(con, cfgs["files"], cfgs, root)[0]
    rows = con.execute(f"SELECT {', '.join(CANONICAL)} FROM ({relation})").fetchall()
    con.close()
    # The table's columns are the canonical fields under the names the settings use.
    names = [f'"{FIELD_NAMES[name]}"' for name in CANONICAL]
    collate = f' COLLATE "{collation}"' if collation else ""
    columns = ", ".join(
        f"{n} {PG_TYPES[t]}{collate if t == 'VARCHAR' else ''}"
        for n, t in zip(names, CANONICAL.values(), strict=True)
    )
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {table} ({columns})")
        with conn.cursor().copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def test_postgres_gives_every_metric_duckdb_gives(
    tmp_path: Path, pg_url: str, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=4000, months=6, malformed=0.01))
    evidence = "".join(
        f"      - {{source: {src}, kind: tickets, ref: {s!r}}}\n".replace("'", '"')
        if '"' not in s
        else f"      - {{source: {src}, kind: tickets, ref: '{s}'}}\n"
        for src in ("files", "pg")
        for s in SELECTORS
    )
    steps = (
        "    steps:\n      - {id: a, name: A, lane: support, owner: support}\n"
        "      - {id: b, name: B, lane: backstage, owner: identity}\n"
    )
    handoffs = "".join(
        f'  - {{from: s.a, to: s.b, sla: {sla}, evidence: [{{source: {src}, kind: tickets, ref: "tag:locked_out"}}]}}\n'
        for src in ("files", "pg")
        for sla in ("4h", "2d", "4h, sla_clock: first-reply")
    )
    text = (
        "id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence:\n"
        + evidence
        + steps
        + "handoffs:\n"
        + handoffs
    )
    toml = (
        '[sources.files]\npreset = "zendesk"\npath = "exports/zendesk.csv"\ntimezone = "America/New_York"\n'
        f'[sources.pg]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "America/New_York"\n'
        '[measure]\ntimezone = "Europe/Paris"\n'
    )
    project(tmp_path, toml, {"m.yaml": text})
    _load(pg_url, table, tmp_path)
    monkeypatch.setenv("JM_TEST_PG", pg_url)
    _, snaps = run(tmp_path)
    series = snaps["m"]["series"]
    from_files = {k.split("|", 1)[1]: v["months"] for k, v in series.items() if k.startswith("files|")}
    from_pg = {k.split("|", 1)[1]: v["months"] for k, v in series.items() if k.startswith("pg|")}
    assert len(from_files) == len(SELECTORS) + 3  # and the three SLAs of the handoffs
    assert from_pg.keys() == from_files.keys()
    compared = set()
    for key, months in from_files.items():
        assert from_pg[key].keys() == months.keys(), key
        for month, cell in months.items():
            pg_cell = from_pg[key][month]
            # The export lacks handling time; the table's column exists but is empty.
            pg_cell = {k: v for k, v in pg_cell.items() if k != "aht"}
            assert pg_cell == cell, (key, month)
            compared.update(cell)
    # Every ticket metric was compared with a value somewhere, not only nulls.
    expected = set(metrics.TICKET_METRICS) - {"aht"}
    assert expected <= compared


def test_a_sql_source_without_its_url_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JM_NOT_SET", raising=False)
    toml = '[sources.desk]\nurl-env = "JM_NOT_SET"\ntable = "tickets"\ntimezone = "UTC"\n'
    project(tmp_path, toml)
    with pytest.raises(MeasureError, match="JM_NOT_SET is not set"):
        run(tmp_path)
    result = jm_here(tmp_path, "measure", env={"JM_NOT_SET": ""})
    assert result.returncode == 2  # at the url-env setting's value, as lint says a problem
    assert result.stderr.startswith("journeymaps.toml:2:11: JM010 [unreadable-source] error: source 'desk'")


@pytest.mark.parametrize("dialect", ["postgres", "trino", "bigquery", "snowflake", "spark", "mysql"])
def test_the_metric_query_is_written_for_other_engines(dialect: str) -> None:
    """The one query transpiles; PostgreSQL's is run above, the others are expected to work."""
    import sqlglot

    sql = metrics.aggregate_sql(
        "SELECT * FROM tickets",
        [
            metrics.Selection(1, 'tag:a and not group:"tier 2"', Sla(240.0)),
            metrics.Selection(2, "tag:a", Sla(5.0, "first-reply")),
        ],
        "UTC",
        "UTC",
        metrics.TICKET_METRICS,
        [],
        inputs=tuple(CANONICAL),
        once=True,  # a ticket table's: each id once
    )
    out = metrics.transpile(sql, dialect)
    assert sqlglot.parse_one(out, read=dialect) is not None


def test_an_engine_without_a_connector_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JM_TRINO", "trino://user@host:8080/hive")
    project(tmp_path, '[sources.desk]\nurl-env = "JM_TRINO"\ntable = "tickets"\ntimezone = "UTC"\n')
    with pytest.raises(
        MeasureError, match=r"trino:// URLs are not supported yet \(supported: postgres, postgresql\)"
    ):
        run(tmp_path)


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_stopped_measure_stops_its_query_on_the_server(
    tmp_path: Path, pg_url: str, table: str, stop: str
) -> None:
    """measure stopped mid-query (Ctrl+C, a CI job cancelled, a closed terminal) closed its
    connection only: the server went on running the query (for ever, one that never ends),
    one more on the user's database with each run stopped; SIGTERM and SIGHUP also printed
    psycopg's "error ignored in rollback". The query is cancelled, and nothing is written."""
    import signal
    import subprocess
    import sys
    import time

    import psycopg

    columns = ", ".join(f'NULL::{PG_TYPES[t]} AS "{FIELD_NAMES[n]}"' for n, t in CANONICAL.items())
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a view that answers in 10 minutes
        conn.execute(f"CREATE VIEW {table} AS SELECT {columns} FROM (SELECT pg_sleep(600)) AS s")
    project(tmp_path, f'[sources.desk]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "UTC"\n')
    # Its connection known by its name: pg_stat_activity keeps only a query's first 1 KB.
    url = f"{pg_url}{'&' if '?' in pg_url else '?'}application_name={table}"
    running = f"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND application_name = '{table}'"
    mine = f"SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = '{table}'"
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymaps", "measure"],
        cwd=tmp_path,
        env={**os.environ, "JM_TEST_PG": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_stops_as_in_a_terminal,
    )
    try:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            deadline = time.monotonic() + 60
            while conn.execute(running).fetchone() != (1,):
                assert proc.poll() is None and time.monotonic() < deadline, "the query never ran"
                time.sleep(0.1)
            proc.send_signal(getattr(signal, stop))
            _, err = proc.communicate(timeout=30)
            deadline = time.monotonic() + 10
            while (left := conn.execute(running).fetchone()) != (0,) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert left == (0,), "the query still runs on the server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(mine)  # else the view cannot be dropped for 10 minutes
            conn.execute(f"DROP VIEW IF EXISTS {table}")
    assert proc.returncode == {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}[stop], err
    assert "error ignored" not in err and "Traceback" not in err
    assert not (tmp_path / "metrics").exists()


def _stops_as_in_a_terminal() -> None:
    """Ctrl+C and SIGHUP as a terminal's session has them: a job started in the background
    of a script ignores SIGINT, and so would the child."""
    import signal

    from conftest import hangup_as_in_a_terminal

    hangup_as_in_a_terminal()
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://ana:s3cret PW@127.0.0.1:1/db", 'unexpected spaces found in "***"'),
        ("postgresql://ana:s3cret%20PW@[::1/db", 'in URI: "postgresql://ana:***@[::1/db"'),
        (
            "postgresql://[::1/db?user=ana&password=s3cret",
            'in URI: "postgresql://[::1/db?user=ana&password=***"',
        ),
        ("host=127.0.0.1 user=ana password=s3cret dbname=db", "JM_DB holds no connection URL"),
    ],
)
def test_a_connection_urls_password_is_never_printed(tmp_path: Path, url: str, said: str) -> None:
    """libpq quotes a URL it cannot parse, and a keyword string was quoted whole as an
    unsupported URL's scheme: the password went to the terminal and the CI log."""
    project(tmp_path, '[sources.desk]\nurl-env = "JM_DB"\ntable = "tickets"\ntimezone = "UTC"\n')
    result = jm_here(tmp_path, "measure", env={"JM_DB": url})
    assert result.returncode == 2
    assert "JM010 [unreadable-source] error: source 'desk'" in result.stderr
    assert said in result.stderr
    assert "s3cret" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("field", "sql_type", "said"),
    [
        (
            "created",
            "text",
            "column 'created' of {table} is text, and the created field is read from timestamp, timestamptz",
        ),
        (
            "tags",
            "integer",
            "column 'tags' of {table} is int4, and the tags field is read from text, varchar",
        ),
        (
            "tags",
            "text[]",
            "column 'tags' of {table} is text[], and the tags field is read from text, varchar",
        ),
        ("solved", "text", "column 'solved' of {table} is text, and the solved field is read from bool"),
    ],
)
def test_a_sql_column_of_a_type_its_field_cannot_read_is_named(
    tmp_path: Path,
    pg_url: str,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    sql_type: str,
    said: str,
) -> None:
    """A column of another type failed deep in the metric query, in the database's words
    ("function timezone(unknown, text) does not exist"), naming no column."""
    import psycopg

    types = {name: PG_TYPES[t] for name, t in CANONICAL.items()} | {field: sql_type}
    columns = ", ".join(f'"{FIELD_NAMES[name]}" {t}' for name, t in types.items())
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {table} ({columns})")
    project(tmp_path, f'[sources.desk]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "UTC"\n')
    result = jm_here(tmp_path, "measure", env={"JM_TEST_PG": pg_url})
    assert result.returncode == 2
    assert result.stderr.startswith("journeymaps.toml:3:9: JM010 [unreadable-source] error: source 'desk': ")
    assert said.format(table=table) in result.stderr
    assert "cast it in a view, or map another column under [sources.desk.columns]" in result.stderr


def test_a_query_past_the_timeout_is_stopped_on_the_server_and_named(
    tmp_path: Path, pg_url: str, table: str
) -> None:
    """A query that never ends (a view waiting on a lock, a runaway join) hung measure until
    someone stopped it, and ran on in the database after that."""
    import psycopg

    columns = ", ".join(f'NULL::{PG_TYPES[t]} AS "{FIELD_NAMES[n]}"' for n, t in CANONICAL.items())
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a view that answers in 10 minutes
        conn.execute(f"CREATE VIEW {table} AS SELECT {columns} FROM (SELECT pg_sleep(600)) AS s")
    project(
        tmp_path,
        f'[sources.desk]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "UTC"\n'
        "[measure]\ntimeout = 0.5\n",
    )
    try:
        result = jm(tmp_path, "measure", env={"JM_TEST_PG": pg_url})
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP VIEW IF EXISTS {table}")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        "journeymaps.toml:1:1: JM010 [unreadable-source] error: source 'desk': its query ran longer "
        "than [measure] timeout = 0.5 seconds and was stopped"
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "metrics").exists()


def test_a_ticket_on_two_rows_of_a_table_is_counted_once_and_said(
    tmp_path: Path, pg_url: str, table: str
) -> None:
    """A table (or a view whose join fans out) with a ticket on two rows counted it twice:
    every volume inflated, with no word, where an export's were counted once and said. The
    row kept is chosen by its values (the one first resolved here), so the snapshot is the
    table's without the copies, byte for byte."""
    import psycopg

    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=600, months=3))
    project(
        tmp_path,
        '[sources.files]\npreset = "zendesk"\npath = "exports/zendesk.csv"\ntimezone = "UTC"\n'
        f'[sources.desk]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "UTC"\n',
    )
    _load(pg_url, table, tmp_path)
    alone = jm_here(tmp_path, "measure", env={"JM_TEST_PG": pg_url})
    assert alone.returncode == 0, alone.stderr
    assert "desk: 600 rows" in alone.stdout and "counted once" not in alone.stdout
    snapshot = (tmp_path / "metrics" / "lockouts.json").read_bytes()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # 20 tickets again, later resolved
        ids = f"SELECT id FROM {table} WHERE resolution IS NOT NULL ORDER BY id LIMIT 20"
        conn.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE id IN ({ids})")
        conn.execute(
            f"UPDATE {table} SET resolution = resolution + 6000 WHERE ctid IN "
            f"(SELECT MAX(ctid) FROM {table} GROUP BY id HAVING COUNT(*) > 1)"
        )
    twice = jm_here(tmp_path, "measure", env={"JM_TEST_PG": pg_url})
    assert twice.returncode == 0, twice.stderr
    assert "desk: 600 rows" in twice.stdout, twice.stdout
    assert f"  20 rows of {table}: tickets that table has on another row too, counted once\n" in twice.stdout
    assert (tmp_path / "metrics" / "lockouts.json").read_bytes() == snapshot


def test_the_copy_of_a_ticket_counted_is_the_same_whatever_the_databases_collation(
    tmp_path: Path, pg_url: str, table: str
) -> None:
    """A ticket on two rows that differ in their channel only ('Voice', then 'chat') was counted
    with the channel its database's collation sorts first: 'chat' in a database in ICU's or
    en_US's, 'Voice' in one in C's and in DuckDB, so channel:chat gave other numbers for the
    same table. The row kept is chosen by the values' bytes, wherever the query runs."""
    import psycopg

    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=600, months=3))
    icu = f"{table}_icu"
    refs = ("channel:chat", "channel:voice")
    evidence = "".join(
        f'      - {{source: {src}, kind: tickets, ref: "{ref}"}}\n' for src in ("c", "icu") for ref in refs
    )
    project(
        tmp_path,
        '[sources.files]\npreset = "zendesk"\npath = "exports/zendesk.csv"\ntimezone = "UTC"\n'
        f'[sources.c]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "UTC"\n'
        f'[sources.icu]\nurl-env = "JM_TEST_PG"\ntable = "{icu}"\ntimezone = "UTC"\n',
        {"m.yaml": "id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence:\n" + evidence},
    )
    try:
        _load(pg_url, table, tmp_path)
        _load(pg_url, icu, tmp_path, collation="und-x-icu")
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for name in (table, icu):  # 20 phone calls again, as chats
                conn.execute(
                    f"INSERT INTO {name} SELECT {', '.join(_copy_columns())} FROM {name} "
                    f"WHERE id IN (SELECT id FROM {name} WHERE channel = 'Voice' ORDER BY id LIMIT 20)"
                )
        measured = jm_here(tmp_path, "measure", env={"JM_TEST_PG": pg_url})
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {icu}")
    assert measured.returncode == 0, measured.stderr
    assert f"  20 rows of {icu}: tickets that table has on another row too, counted once\n" in measured.stdout
    series = json.loads((tmp_path / "metrics" / "m.json").read_text("utf-8"))["series"]
    for ref in refs:
        assert series[f"icu|{ref}"]["months"] == series[f"c|{ref}"]["months"], ref


def _copy_columns() -> list[str]:
    """A canonical table's columns, its channel as 'chat'."""
    return ["'chat' AS channel" if name == "channel" else f'"{FIELD_NAMES[name]}"' for name in CANONICAL]


def test_the_metric_query_counts_a_ticket_on_two_rows_once_in_duckdb(tmp_path: Path) -> None:
    """The one query of a SQL source, run by DuckDB (as it is written): a table with 20
    tickets on two rows (the copies resolved later) gives the numbers of the table without
    the copies, and says how many rows it left out."""
    import duckdb

    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=600, months=3))
    project(tmp_path, '[sources.files]\npreset = "zendesk"\npath = "exports/zendesk.csv"\ntimezone = "UTC"\n')
    cfgs = configs(load_settings(tmp_path).sources)
    con = duckdb.connect()
    relation = engine._file_relation(con, cfgs["files"], cfgs, tmp_path)[0]
    con.execute(f"CREATE TABLE once AS SELECT {', '.join(CANONICAL)} FROM ({relation})")
    con.execute(
        "CREATE TABLE twice AS SELECT * FROM once UNION ALL SELECT * REPLACE (resolution + 6000 AS resolution) "
        "FROM (SELECT * FROM once WHERE resolution IS NOT NULL ORDER BY id LIMIT 20)"
    )
    selections = [metrics.Selection(i + 1, s) for i, s in enumerate(SELECTORS)]

    def measured(name: str) -> list[tuple[object, ...]]:
        sql = metrics.aggregate_sql(
            f"SELECT * FROM {name}", selections, "UTC", "UTC", metrics.TICKET_METRICS, [],
            inputs=tuple(CANONICAL), once=True,
        )  # fmt: skip
        return con.execute(sql).fetchall()

    once, twice = measured("once"), measured("twice")
    assert [row[:-1] for row in twice] == [row[:-1] for row in once]
    assert sum(row[-1] for row in twice if row[0] == 0) == 20  # dup__row: the rows left out
    assert sum(row[-1] for row in once if row[0] == 0) == 0


def _similar_ids(root: Path) -> None:
    """A second export beside ``exports/zendesk.csv`` whose ids are its tickets' but for a
    trailing .0 (30: a month re-saved by a spreadsheet) or leading zeros (00123 for 20, and
    0123 too for 10 of them: 30 ids), one of them twice, and a 99.0 beside no 99."""
    lines = (root / "exports" / "zendesk.csv").read_text("utf-8").splitlines(keepends=True)
    rows = [line.replace(",", ".0,", 1) for line in lines[1:31]]
    rows += [f"00{line}" for line in lines[31:51]] + [f"0{line}" for line in lines[31:41]]
    rows += [f"00{lines[31]}", "99.0" + lines[51][lines[51].index(",") :]]
    (root / "exports" / "other-tool.csv").write_text("".join([lines[0], *rows]), "utf-8")


#: What measure says of those ids, of an export's tickets as of a table's.
SIMILAR_SAID = (
    "  30 ticket ids are another row's but for a trailing .0 (an export re-saved by a spreadsheet): "
    "123.0 and 123 are read as two tickets\n"
    "  30 ticket ids are another row's but for leading zeros: 00123 and 123 are read as two tickets\n"
)


def test_a_tables_ids_another_rows_but_for_a_point_zero_or_zeros_are_said_as_an_exports(
    tmp_path: Path, pg_url: str, table: str
) -> None:
    """A table holding ticket 100005 as 100005.0 or 00100005 beside 100005 (months loaded
    from two tools' exports) counted each twice without a word, where an export's are said."""
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=600, months=3))
    _similar_ids(tmp_path)
    evidence = "".join(
        f"      - {{source: {s}, kind: tickets, ref: tag:locked_out}}\n" for s in ("files", "desk")
    )
    project(
        tmp_path,
        '[sources.files]\npreset = "zendesk"\npath = "exports"\ntimezone = "UTC"\n'
        f'[sources.desk]\nurl-env = "JM_TEST_PG"\ntable = "{table}"\ntimezone = "UTC"\n',
        {"m.yaml": f"id: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    evidence:\n{evidence}"},
    )
    _load(pg_url, table, tmp_path)
    result = jm_here(tmp_path, "measure", env={"JM_TEST_PG": pg_url})
    assert result.returncode == 0, result.stderr
    desk, files = result.stdout.split("\nfiles: ", 1)
    assert "desk: 661 rows" in desk and f"  1 row of {table}: tickets that table has on another" in desk
    assert SIMILAR_SAID in desk + "\n", desk
    assert SIMILAR_SAID in files, files  # in the same words as the exports'


def test_the_metric_query_says_ids_another_rows_but_for_a_point_zero_or_zeros_in_duckdb(
    tmp_path: Path,
) -> None:
    """The one query of a SQL source, run by DuckDB: the ids that are another's but for a
    trailing .0 or leading zeros are counted in it, each id once, as an export's are."""
    import duckdb

    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=600, months=3))
    _similar_ids(tmp_path)
    project(tmp_path, '[sources.files]\npreset = "zendesk"\npath = "exports"\ntimezone = "UTC"\n')
    cfgs = configs(load_settings(tmp_path).sources)
    con = duckdb.connect()
    relation = engine._file_relation(con, cfgs["files"], cfgs, tmp_path)[0]
    con.execute(f"CREATE TABLE tickets AS SELECT {', '.join(CANONICAL)} FROM ({relation})")
    sql = metrics.aggregate_sql(
        "SELECT * FROM tickets", [metrics.Selection(1, "tag:locked_out")], "UTC", "UTC",
        metrics.TICKET_METRICS, [], inputs=tuple(CANONICAL), once=True,
    )  # fmt: skip
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    totals = [dict(zip(names, row, strict=True)) for row in cur.fetchall() if row[0] == 0]
    assert [sum(r[n] for r in totals) for n in ("point_zero__row", "zeros__row", "dup__row")] == [30, 30, 1]
