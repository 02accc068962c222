"""A SQL source's one aggregate query, run on its database (PostgreSQL, through psycopg):
its columns' types checked first, stopped there at ``[measure] timeout`` or a Ctrl+C."""

from __future__ import annotations

import contextlib
from typing import Any

from journeymaps.measure import metrics
from journeymaps.measure.presets import FIELD_NAMES
from journeymaps.measure.queries import timed_out
from journeymaps.measure.sources import (
    MeasureError,
    SourceConfig,
    canonical_for,
    connection_url,
    sql_relation,
    url_scheme,
    without_secrets,
)

#: SQL URL schemes -> sqlglot dialect.
DIALECTS = {"postgresql": "postgres", "postgres": "postgres"}


def run_sql(cfg: SourceConfig, sql: str, timeout: float = 3600) -> list[dict[str, Any]]:
    url = connection_url(cfg)
    scheme = url_scheme(cfg, url)
    dialect = DIALECTS.get(scheme)
    if dialect is None:
        raise MeasureError(
            f"source '{cfg.name}': {scheme}:// URLs are not supported yet "
            f"(supported: {', '.join(sorted(DIALECTS))}): export the table to Parquet and measure the file",
            setting=(cfg.name, "url-env"),
        )
    try:
        import psycopg
    except ImportError:
        raise MeasureError(
            f"source '{cfg.name}': PostgreSQL sources need psycopg: pip install 'journeymaps[postgres]'",
            setting=(cfg.name,),
        ) from None
    query = metrics.transpile(sql, dialect)
    try:
        conn = psycopg.connect(url, connect_timeout=10)
        try:
            with conn.cursor() as cur:
                try:
                    # On the server: a query that never ends stops there too.
                    cur.execute(f"SET statement_timeout = {max(1, round(timeout * 1000))}".encode())
                    _check_sql_types(cfg, conn, cur, dialect)
                    cur.execute(query.encode())
                    cols = [d.name for d in cur.description or ()]
                    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
                except BaseException:
                    _cancel(conn)
                    raise
        finally:
            conn.close()  # not ``with conn``: its rollback, mid-query, printed psycopg's warning
    except psycopg.Error as exc:
        if isinstance(exc, psycopg.errors.QueryCanceled) and "statement timeout" in str(exc):
            raise timed_out(cfg, timeout) from None
        raise MeasureError(
            f"source '{cfg.name}': the database said: "
            + without_secrets(str(exc).strip().splitlines()[0], url),
            setting=(cfg.name, "table"),
        ) from None
    for row in rows:  # numeric -> float, like DuckDB's doubles
        for key, value in row.items():
            if (
                key not in ("sel", "month", "last__day")
                and value is not None
                and not isinstance(value, (int, float))
            ):
                row[key] = [float(v) for v in value] if isinstance(value, list) else float(value)
    return rows


#: The PostgreSQL types a canonical column's type is read from. A field of another of the
#: types listed failed deep in the metric query ("function timezone(unknown, text) does not
#: exist"), naming no column; a type not listed (an enum, an extension's) is left to the
#: database to judge.
SQL_TYPES_READ = {
    "TIMESTAMP": ("timestamp", "timestamptz"),
    "DOUBLE": ("int2", "int4", "int8", "float4", "float8", "numeric"),
    "INTEGER": ("int2", "int4", "int8", "numeric"),
    "BOOLEAN": ("bool",),
    "VARCHAR": ("text", "varchar", "bpchar", "name", "citext"),
}


SQL_TYPES_KNOWN = {name for names in SQL_TYPES_READ.values() for name in names} | {
    "date",
    "time",
    "timetz",
    "interval",
    "json",
    "jsonb",
    "bytea",
    "uuid",
    "money",
}


#: Fields only counted or compared whole: any type reads.
SQL_ANY_TYPE = frozenset({"id", "requester", "ticket"})


def _check_sql_types(cfg: SourceConfig, conn: Any, cur: Any, dialect: str) -> None:
    """A SQL source's column of a type its field cannot be read from is named, with its
    type and the types that read, at the source's table setting."""
    relation, mapped = sql_relation(cfg)
    cur.execute(metrics.transpile(f"SELECT * FROM ({relation}) AS r LIMIT 0", dialect).encode())
    canonical = canonical_for(cfg)
    for column in cur.description or ():
        name = column.name
        if name not in mapped or name in SQL_ANY_TYPE or name not in canonical:
            continue
        info = conn.adapters.types.get(column.type_code)
        if info is None:
            continue
        is_array = info.array_oid == column.type_code
        said = f"{info.name}[]" if is_array else info.name
        wanted = SQL_TYPES_READ[canonical[name]]
        if is_array or (info.name in SQL_TYPES_KNOWN and info.name not in wanted):
            raise MeasureError(
                f"source '{cfg.name}': column '{cfg.fields[name].column}' of {cfg.table} is {said}, and "
                f"the {FIELD_NAMES.get(name, name)} field is read from {', '.join(wanted)}: "
                f"cast it in a view, or map another column under [sources.{cfg.name}.columns]",
                setting=(cfg.name, "table"),
            )


def _cancel(conn: Any) -> None:
    """Ask the server to stop the query ``conn`` runs. A stopped measure (Ctrl+C, SIGTERM,
    SIGHUP) closed its connection only: the server went on running the query, for ever for
    one that never ends, one more on the user's database with each run stopped."""
    import psycopg

    with contextlib.suppress(psycopg.Error, OSError):
        conn.cancel_safe(timeout=5)
