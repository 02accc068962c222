"""DuckDB queries of a file source, run where Ctrl+C and ``[measure] timeout`` stop them and,
on a terminal, with their progress shown."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from journeymaps.interrupts import interrupts_held
from journeymaps.measure.sources import MeasureError, SourceConfig

#: What is told how a query is getting on ("measuring desk: 40%"); a terminal line.
Progress = Callable[[str], None]
_V = TypeVar("_V")


#: DuckDB's memory for a file source by default (``[measure] memory-limit``): past it, the
#: parsed rows spill to a temporary folder, so memory stops growing with the export; the
#: aggregate batches (``batch-rows``, two at a time) fit well within it.
MEMORY_LIMIT = "256MB"


#: Aggregate batches run at once, each on its own cursor: one batch reads one month, a
#: single DuckDB row group, which DuckDB scans on one thread; two keep both cores busy.
WORKERS = 2


#: DuckDB's threads: the parse of an export is split between them.
THREADS = 2


def connect(tmp: str, memory_limit: str = MEMORY_LIMIT) -> Any:
    """An embedded DuckDB for one file source, spilling to the folder ``tmp``."""
    import duckdb

    con = duckdb.connect(
        config={
            "threads": THREADS,
            # Past this, DuckDB spills the parsed rows to the temporary folder:
            # memory stays flat as the export grows.
            "memory_limit": memory_limit.replace(" ", ""),
            "temp_directory": tmp,
            # Every result is grouped and sorted: the rows' order is of no use.
            "preserve_insertion_order": False,
        }
    )
    # Progress is tracked (query_progress() is always -1 without it) but never printed by
    # DuckDB: ours shows on a terminal only.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


#: Seconds between two looks at a running query (its progress, a Ctrl+C, its timeout).
POLL_SECONDS = 0.25


#: Seconds a DuckDB query may run (``[measure] timeout``), while a source is measured.
TIMEOUT: contextvars.ContextVar[float | None] = contextvars.ContextVar("timeout", default=None)


class QueryTimeout(Exception):
    """A query ran past ``[measure] timeout``; it was interrupted. ``file``: the export it
    was reading, when it read one alone (its columns and types)."""

    def __init__(self, file: Path | None = None) -> None:
        super().__init__()
        self.file = file


def _deadline() -> float | None:
    timeout = TIMEOUT.get()
    return None if timeout is None else time.monotonic() + timeout


def _wait(done: threading.Event, deadline: float | None) -> bool:
    """Wait for ``done`` a poll's time; QueryTimeout once ``deadline`` has passed."""
    if deadline is None:
        return done.wait(POLL_SECONDS)
    if done.wait(max(0.0, min(POLL_SECONDS, deadline - time.monotonic()))):
        return True
    if time.monotonic() >= deadline:
        raise QueryTimeout
    return False


def run_duckdb(
    con: Any, sql: str, label: str | None = None, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Run one statement where Ctrl+C can stop it; on a terminal, show DuckDB's progress
    (``label: N%``) while it streams the files."""

    def rows() -> list[dict[str, Any]]:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description or ()]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()] if cols else []

    return interruptible(con, rows, label, progress)


def result_columns(con: Any, sql: str) -> list[tuple[str, str]]:
    """The columns of ``sql``'s result and their types, as :func:`run_duckdb` runs a query."""
    return interruptible(con, lambda: [(d[0], str(d[1])) for d in con.execute(sql).description or ()])


def interruptible(
    con: Any, query: Callable[[], _V], label: str | None = None, progress: Progress | None = None
) -> _V:
    """``query()`` (on ``con``) in a thread, where Ctrl+C and ``[measure] timeout`` stop it."""
    out: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            out["rows"] = query()
        except BaseException as exc:  # handed to the caller's thread
            out["error"] = exc
        finally:
            done.set()

    # Waited on through an Event, not Thread.join: a join interrupted by Ctrl+C can leave
    # is_alive() False while the thread still runs (CPython gh-90882).
    worker = threading.Thread(target=work, daemon=True)
    try:
        # Started with Ctrl+C held, inside the try: one landing between the start and the
        # try (the "0%" below is what a user sees just then) left the query running while
        # the caller closed the connection ("connection is busy": an internal error, then
        # DuckDB's thread aborted the process as it exited).
        with interrupts_held():
            worker.start()
        if progress is not None:
            progress(f"{label}: 0%")  # at once: DuckDB may report nothing for a while, or at all
        deadline = _deadline()
        while not _wait(done, deadline):
            if progress is not None:
                try:
                    pct = con.query_progress()
                except Exception:
                    pct = -1
                if pct >= 0:
                    progress(f"{label}: {pct:.0f}%")
    except BaseException:
        # Ctrl+C lands here, in the main thread, while the query runs in the worker: stop
        # the query and wait for it, or closing the connection fails with "connection is
        # busy" and the interrupt turns into an internal error.
        if worker.ident is not None:  # (started: the hold above makes that all or nothing)
            con.interrupt()
            while not done.wait(0.25):
                con.interrupt()
        raise
    if "error" in out:
        raise out["error"]
    found: _V = out["rows"]
    return found


def run_parallel(
    con: Any, statements: list[str], labels: list[str], progress: Progress | None
) -> list[list[dict[str, Any]]]:
    """Run the statements on :data:`WORKERS` cursors at once, each statement's rows in its
    place; Ctrl+C stops them all (as :func:`run_duckdb`); the first error is raised once
    every cursor is idle. ``labels[i]`` is shown when statement i starts, ``{pct}`` the
    share of statements started before it."""
    results: list[list[dict[str, Any]]] = [[] for _ in statements]
    errors: list[BaseException] = []
    lock = threading.Lock()
    done = threading.Event()
    todo = iter(range(len(statements)))
    cursors = [con.cursor() for _ in range(min(WORKERS, len(statements)))]
    running = [len(cursors)]

    def work(cur: Any) -> None:
        try:
            while True:
                with lock:
                    i = next(todo, None) if not errors else None
                    if i is not None and progress is not None:
                        progress(labels[i].format(pct=f"{100 * i / len(statements):.0f}"))
                if i is None:
                    return
                found = cur.execute(statements[i])
                cols = [d[0] for d in found.description or ()]
                results[i] = [dict(zip(cols, r, strict=True)) for r in found.fetchall()]
        except BaseException as exc:  # handed to the caller's thread
            with lock:
                errors.append(exc)
        finally:
            with lock:
                running[0] -= 1
                if not running[0]:
                    done.set()

    if not cursors:
        return results
    try:
        with interrupts_held():  # as in run_duckdb: every cursor's thread runs, or none
            for cur in cursors:
                threading.Thread(target=work, args=(cur,), daemon=True).start()
        deadline = _deadline()
        while not _wait(done, deadline):
            pass
    except BaseException:
        # As in run_duckdb: stop every query and wait for them before the connection closes.
        with lock:
            errors.append(KeyboardInterrupt())  # no cursor takes another statement
        while True:
            for cur in cursors:
                cur.interrupt()
            if done.wait(0.25):
                break
        raise
    finally:
        if done.is_set():
            for cur in cursors:
                cur.close()
    if errors:
        raise errors[0]
    return results


def timed_out(cfg: SourceConfig, timeout: float, file: Path | None = None) -> MeasureError:
    """A source's query stopped at ``[measure] timeout``: at the export it was reading
    alone (``file``, DuckDB's sniff of its columns), else at the source."""
    if file is not None:
        return MeasureError(
            f"source '{cfg.name}': reading {file.name} ran longer than [measure] timeout = {timeout:g} "
            "seconds and was stopped: raise timeout for an export this large (or this wide), or "
            "look for what holds the file (a network share that does not answer)",
            file=file,
        )
    return MeasureError(
        f"source '{cfg.name}': its query ran longer than [measure] timeout = {timeout:g} seconds and "
        "was stopped: raise timeout for a source this large, or look for what holds the query "
        "(a lock, a view that never ends)",
        setting=(cfg.name,),
    )
