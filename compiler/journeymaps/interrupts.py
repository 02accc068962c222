"""Holding Ctrl+C back across a few statements that must not be cut in half."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl+C back while worker processes may start; an interrupt meanwhile is
    delivered on leaving.

    Two holds. The signal mask: a process starts with its parent thread's (it survives
    exec), so a worker cannot be interrupted before its initializer has set Ctrl+C aside.
    And the handler: the mask holds only this thread, so the kernel hands SIGINT to another
    one (the site writer, the pool's manager) and Python raises KeyboardInterrupt here all
    the same, possibly between starting a worker and sending it its start-up data (the
    worker then died with an EOFError traceback: seen in the Ctrl+C test).
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no POSIX signals to hold
        yield
        return
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    in_main = threading.current_thread() is threading.main_thread()  # handlers live there
    caught: list[int] = []
    previous_handler = (
        signal.signal(signal.SIGINT, lambda signum, _: caught.append(signum)) if in_main else None
    )
    try:
        yield
    finally:
        if in_main:
            signal.signal(signal.SIGINT, signal.SIG_DFL if previous_handler is None else previous_handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)  # one still pending arrives now
        if caught:
            if callable(previous_handler):
                previous_handler(signal.SIGINT, None)  # the default one raises KeyboardInterrupt
            elif previous_handler == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)
