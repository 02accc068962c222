"""The drawing workers kept fed while the build's main thread is busy.

The process pool hands maps to its workers through two threads of the build's process: its
manager thread (which reads each result and moves the next maps into the pool's queue) and
the queue's feeder (which pickles each map and writes it to the workers' pipe). Each step of
each needs the GIL. While the main thread runs Python without a pause (lint's parse, the
search index), CPython hands the GIL to a waiting thread only once its switch interval has
passed, 5 ms by default, and these threads wait for it several times a map. With the queue
one map deep beyond each worker's, the workers ran dry: in a build of the 500 small maps
both sat idle for ~0.4 s of lint, before their first map but three, and again for ~0.2 s of
the search index (issue 18; a timeline of each worker's maps, 2026-12-07).

So, while a pool draws: maps are queued further ahead (the feeder writes them as the pipe
takes them, a worker done with one finds the next waiting), and a thread waiting for the GIL
gets it after 1 ms rather than 5 (an interval only costs when a thread is waiting: then it
is the pool's, or the site writer's, whose files are the build's too).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import process

#: Maps queued to the workers beyond one each (the pool's own default is one). A small
#: map's job is a few KB pickled: 64 of them are a few MB at most, held by the feeder.
QUEUED_MAPS = 64

#: The GIL's switch interval while a pool draws (CPython's default is 0.005 s).
SWITCH_INTERVAL = 0.001


@contextlib.contextmanager
def queued_maps(count: int = QUEUED_MAPS) -> Iterator[None]:
    """Pools made meanwhile queue ``count`` maps beyond one each (the pool's constructor
    reads it from its module: the only way to set it)."""
    before = process.EXTRA_QUEUED_CALLS
    setattr(process, "EXTRA_QUEUED_CALLS", count)  # noqa: B010 - a Final to type checkers
    try:
        yield
    finally:
        setattr(process, "EXTRA_QUEUED_CALLS", before)  # noqa: B010


class QuickSwitches:
    """The GIL's switch interval at :data:`SWITCH_INTERVAL` from :meth:`start` until
    :meth:`stop`, then as it was. The interval is the process's: with several holders at
    once (builds in threads of one process), the first sets it and the last puts it back."""

    _lock = threading.Lock()
    _holders = 0
    _before = 0.0

    def __init__(self) -> None:
        self._holding = False

    def start(self) -> None:
        with self._lock:
            if self._holding:
                return
            self._holding = True
            cls = type(self)
            if cls._holders == 0:
                cls._before = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH_INTERVAL, cls._before))
            cls._holders += 1

    def stop(self) -> None:
        with self._lock:
            if not self._holding:
                return
            self._holding = False
            cls = type(self)
            cls._holders -= 1
            if cls._holders == 0:
                sys.setswitchinterval(cls._before)


def in_worker() -> None:
    """In a worker forked meanwhile: the switch interval the build's process had before (a
    worker's threads are not the pool's: nothing there waits on the GIL to feed anyone)."""
    if QuickSwitches._holders:
        sys.setswitchinterval(QuickSwitches._before)
