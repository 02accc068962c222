"""Holding Ctrl+C, SIGTERM and SIGHUP back across a few statements that must not be cut in half."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

#: Signals that end a run: Ctrl+C, SIGTERM (a CI runner cancelling a job) and SIGHUP (the
#: terminal closed).
STOPS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def interrupts_held(signals: tuple[int, ...] = STOPS) -> Iterator[None]:
    """Hold ``signals`` (Ctrl+C, SIGTERM and SIGHUP) back while worker processes may start
    or a folder is being made and named; one arriving meanwhile is delivered on leaving.

    Two holds. The signal mask: a process starts with its parent thread's (it survives
    exec), so a worker cannot be interrupted before its initializer has set the signals
    up. And the handlers: the mask holds only this thread, so the kernel hands the signal to
    another one (the site writer, the pool's manager) and Python raises here all the same,
    possibly between starting a worker and sending it its start-up data (the worker then
    died with an EOFError traceback: seen in the Ctrl+C test).
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no POSIX signals to hold
        yield
        return
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, set(signals))
    in_main = threading.current_thread() is threading.main_thread()  # handlers live there
    caught: list[int] = []
    previous: dict[int, Any] = {}
    if in_main:
        for signum in signals:
            # One ignored stays ignored (SIGHUP under nohup): a handler here would be the
            # default action in a worker started meanwhile, and a hang-up killed it.
            if signal.getsignal(signum) is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, lambda signum, _: caught.append(signum))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)  # one still pending arrives now
        for signum in dict.fromkeys(caught):
            handler = previous.get(signum)
            if callable(handler):
                handler(signum, None)  # Python's own raises KeyboardInterrupt
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def hangup_held_from_helpers() -> contextlib.AbstractContextManager[None]:
    """Start a helper process here (multiprocessing's resource tracker) that lives through
    SIGHUP: a closed terminal sends it to the whole process group, and the tracker, which
    ignores only SIGINT and SIGTERM, died of it; started again by the build's next lock, it
    printed a KeyError traceback and "leaked semaphore objects".

    Held back, not ignored: the helper starts with this thread's signal mask and unblocks
    only SIGINT and SIGTERM, so it never takes a hang-up. Ignoring it here as well let
    another thread of this process (the site writer's) take a SIGHUP sent meanwhile and drop
    it: the build ran on to exit 0 (seen in CI). Held, it is delivered on leaving."""
    hup = getattr(signal, "SIGHUP", None)
    return contextlib.nullcontext() if hup is None else interrupts_held((hup,))
