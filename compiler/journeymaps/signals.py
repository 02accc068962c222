"""SIGTERM ends a run as Ctrl+C does: cleanly.

A CI runner cancelling a job sends SIGTERM. Its default action ended journeymaps on the
spot: the staging folder stayed behind, and the worker processes kept drawing (holding the
caller's stdout, so the caller hung) for minutes. Turned into an exception in the main
thread, it unwinds every ``with`` block as Ctrl+C does: the workers are stopped, the
staging folder removed, and the exit code is 143 (128 + SIGTERM), as shells expect.
"""

from __future__ import annotations

import _thread
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


class Terminated(BaseException):
    """SIGTERM arrived (or SIGHUP: the terminal closed, an ssh session dropped)."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal, as shells report a process the signal ended."""
        return 128 + self.signum

    @property
    def words(self) -> str:
        return "hung up" if self.signum == getattr(signal, "SIGHUP", None) else "terminated"


def raise_on_sigterm() -> None:
    """From now on SIGTERM raises :class:`Terminated` in the main thread, Ctrl+C and SIGTERM
    reach this process, and a stop that Python had to drop is sent again (see
    :func:`_resend_dropped_stops`).

    Reach it: a process starts with the signal mask of the thread that started it, and
    Python never clears it. Started from a thread that held SIGTERM back (a CI runner, a
    supervisor written in Python, a pool's helper thread), SIGTERM stayed pending for ever:
    ``serve`` never stopped and was killed (seen in CI). A build drawing in workers escaped
    it only because starting multiprocessing's resource tracker unblocks both signals."""
    if hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise)
        # A closed terminal's SIGHUP killed a build on the spot, leaving its staging folder
        # and the resource tracker's warning. Not when it was ignored (nohup): kept so.
        if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
            signal.signal(signal.SIGHUP, _raise)
        if not getattr(sys.unraisablehook, "resends_stops", False):
            sys.unraisablehook = _resend_dropped_stops(sys.unraisablehook)
        if hasattr(signal, "pthread_sigmask"):
            from journeymaps.interrupts import STOPS

            # Last, once SIGTERM raises: a stop sent before this process could take it (held
            # since its start) arrives here, and is raised as any later one (the caller
            # turns it into 143 or 130), not the default action (killed) or a traceback.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOPS))


def _resend_dropped_stops(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    """An unraisable-exception hook that sends a dropped stop signal again.

    A signal's exception is raised in whatever Python code runs when it arrives. When that
    is a weakref callback or a ``__del__`` (the garbage collector's, a thread pool's
    bookkeeping), Python can only print "Exception ignored in ..." and carry on: the stop
    was lost, and ``serve`` kept serving after SIGTERM (seen under heavy load). Sent again,
    the signal is handled at the next line the main thread runs. Not while the interpreter
    shuts down: by then the default action would kill the process instead of ending it."""

    def hook(unraisable: Any) -> None:
        kind = unraisable.exc_type
        if (
            isinstance(kind, type)
            and issubclass(kind, Terminated | KeyboardInterrupt)
            and not sys.is_finalizing()
        ):
            # From another thread, started without waiting for it (``threading`` waits, and
            # the signal would be raised in that wait, here, and dropped again).
            value = unraisable.exc_value
            again = value.signum if isinstance(value, Terminated) else signal.SIGINT
            _thread.start_new_thread(os.kill, (os.getpid(), again))
            return
        previous(unraisable)

    hook.resends_stops = True  # type: ignore[attr-defined]
    return hook


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)
