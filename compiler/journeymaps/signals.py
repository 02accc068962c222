"""SIGTERM ends a run as Ctrl+C does: cleanly.

A CI runner cancelling a job sends SIGTERM. Its default action ended journeymaps on the
spot: the staging folder stayed behind, and the worker processes kept drawing (holding the
caller's stdout, so the caller hung) for minutes. Turned into an exception in the main
thread, it unwinds every ``with`` block as Ctrl+C does: the workers are stopped, the
staging folder removed, and the exit code is 143 (128 + SIGTERM), as shells expect.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType


class Terminated(BaseException):
    """SIGTERM arrived."""


def raise_on_sigterm() -> None:
    """From now on SIGTERM raises :class:`Terminated` in the main thread."""
    if hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise)


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated
