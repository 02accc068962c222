"""The process pool of Python 3.10 and 3.11.0-3.11.4 made to end when its workers die, as
3.11.5's and later ones' do.

A pool whose workers died (killed, or stopped by Ctrl+C) with a job waiting that is larger
than a pipe holds (a big map, ~100 KB pickled) waited forever for its feeder thread, stuck
writing that job to workers that are gone. Python 3.11.5 closes the queue's reading end
before waiting (CPython gh-94777, in 3.12.0 and 3.11.5), so the write fails and the pool
ends; this does the same before, in the same thread and at the same point. (Debian 12's
python3 is 3.11.2: a build whose worker was killed, or stopped with Ctrl+C or SIGTERM, hung
there until killed.)

It replaces closing that end from the build's thread: the pool's own thread could be
closing it at the same moment (the feeder closes it when told to end). Both closed the
descriptor, the feeder's close failed, and it went back to waiting for a job that never
came: Ctrl+C hung the build (1 run in 5 on Python 3.10). Closed twice, the descriptor's
number could also have been another file's by then.
"""

from __future__ import annotations

import contextlib
import sys
from concurrent.futures import process
from typing import Any


def backport() -> None:
    """Make every pool this process starts from now on end as Python 3.11.5's does (nothing
    on 3.11.5 and later; once)."""
    if sys.version_info >= (3, 11, 5) or getattr(process._ExecutorManagerThread, "_ends_as_311", False):
        return
    process._ExecutorManagerThread = _ManagerThread  # type: ignore[misc]


class _ManagerThread(process._ExecutorManagerThread):
    """The pool's managing thread, with Python 3.11.5's ``terminate_broken``."""

    _ends_as_311 = True
    _broken = False

    def terminate_broken(self, cause: Any) -> None:
        # Python 3.11.5 closes the reading end after the workers are told to terminate and
        # before the queue is told to end: this thread does both, in that order.
        self._broken = True
        super().terminate_broken(cause)

    def join_executor_internals(self) -> None:
        if self._broken:
            with contextlib.suppress(OSError):
                self.call_queue._reader.close()  # type: ignore[attr-defined]
        super().join_executor_internals()
