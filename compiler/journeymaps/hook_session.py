"""Which pre-commit run a run as the hook is a part of (see :mod:`journeymaps.hook_reports`).

pre-commit sets nothing per run in its hooks' environment (``PRE_COMMIT=1`` is the same for
every run), and its runs of one hook are processes of their own, one after the other: what
they share, and another pre-commit run does not, is pre-commit's own process. A process id is
used again in time (soon, on Windows), so a run is known by pre-commit's process id *and* its
start time, which the system says in one of several ways (:data:`STARTED`, tried in order):
``/proc`` on Linux, ``ps`` where there is no ``/proc`` (macOS, the BSDs), the kernel's own
call on Windows. Where none says it (a ``/proc`` hidden from the user, ``ps`` missing), the
run is known by the process id alone, and the state it keeps is taken as a later run's only
while it is fresh (:data:`UNDATED_GAP`).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: A run whose pre-commit's start time is unknown carries on the state of an earlier one with
#: the same pre-commit process id only if that state was written less than this many seconds
#: ago: pre-commit starts the next run of the hook as soon as one ends, and a run of the hook
#: takes seconds, while a process id comes back after many processes (hours, often days).
UNDATED_GAP = 10 * 60


@dataclass(frozen=True)
class Session:
    """pre-commit's process: its id, and its start time as the system says it ("" unknown)."""

    pid: int
    started: str

    @property
    def key(self) -> str:
        return f"{self.pid}:{self.started}"


def _by_proc(pid: int) -> str:
    """Linux: field 22 of ``/proc/PID/stat`` (clock ticks after boot)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("utf-8", "replace")
        return stat[stat.rindex(")") + 2 :].split()[19]  # after the command's name, which may hold spaces
    except (OSError, ValueError, IndexError):
        return ""


def _by_ps(pid: int) -> str:
    """Where there is no ``/proc`` (macOS, the BSDs): ``ps -o lstart=``, to the second, in
    words that are the same whatever the user's language and time zone."""
    if sys.platform == "win32":
        return ""
    try:
        done = subprocess.run(
            ["ps", "-o", "lstart=", "-p", str(pid)],
            capture_output=True,
            env={**os.environ, "LC_ALL": "C", "TZ": "UTC0"},
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    words = done.stdout.decode("ascii", "replace").split()
    return "-".join(words) if done.returncode == 0 and len(words) >= 4 else ""


def _by_windows(pid: int) -> str:
    """Windows: the process's creation time, from ``GetProcessTimes``."""
    if sys.platform != "win32":
        return ""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ""
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(wintypes.HANDLE(handle), *(ctypes.byref(t) for t in times)):
            return ""
        return str(times[0].dwHighDateTime << 32 | times[0].dwLowDateTime)
    finally:
        kernel32.CloseHandle(handle)


#: The ways to a process's start time, tried in order (the first to say one is taken).
STARTED: dict[str, Callable[[int], str]] = {"proc": _by_proc, "ps": _by_ps, "windows": _by_windows}


def started(pid: int, ways: Sequence[str] = tuple(STARTED)) -> str:
    """The start time of process ``pid`` by the first of ``ways`` (names in :data:`STARTED`)
    that says it ("": none)."""
    for way in ways:
        try:
            if at := STARTED[way](pid):
                return at
        except Exception:  # a system's call not as expected (ctypes's own errors too): none
            continue
    return ""


def _parent_of(pid: int) -> int:
    """Windows: the parent of process ``pid`` (0: unknown), from a snapshot of the processes."""
    if sys.platform != "win32":
        return 0
    import ctypes
    from ctypes import wintypes

    class Entry(ctypes.Structure):
        _fields_ = (
            ("dwSize", wintypes.DWORD),
            ("cntUsage", wintypes.DWORD),
            ("th32ProcessID", wintypes.DWORD),
            ("th32DefaultHeapID", ctypes.c_size_t),
            ("th32ModuleID", wintypes.DWORD),
            ("cntThreads", wintypes.DWORD),
            ("th32ParentProcessID", wintypes.DWORD),
            ("pcPriClassBase", wintypes.LONG),
            ("dwFlags", wintypes.DWORD),
            ("szExeFile", wintypes.WCHAR * 260),
        )

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateToolhelp32Snapshot.restype = wintypes.HANDLE
    kernel32.CreateToolhelp32Snapshot.argtypes = (wintypes.DWORD, wintypes.DWORD)
    kernel32.Process32FirstW.argtypes = (wintypes.HANDLE, ctypes.POINTER(Entry))
    kernel32.Process32NextW.argtypes = (wintypes.HANDLE, ctypes.POINTER(Entry))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    snapshot = kernel32.CreateToolhelp32Snapshot(0x2, 0)  # TH32CS_SNAPPROCESS
    if not snapshot or snapshot == wintypes.HANDLE(-1).value:
        return 0
    try:
        entry = Entry()
        entry.dwSize = ctypes.sizeof(Entry)
        more = kernel32.Process32FirstW(snapshot, ctypes.byref(entry))
        while more:
            if entry.th32ProcessID == pid:
                return int(entry.th32ParentProcessID)
            more = kernel32.Process32NextW(snapshot, ctypes.byref(entry))
    finally:
        kernel32.CloseHandle(snapshot)
    return 0


def _pre_commit_pid() -> int:
    """pre-commit's process id: the parent's; on Windows, where the command ``journeymaps``
    is a launcher (``journeymaps.exe``, a process of its own for each run, running Python on
    itself), the launcher's parent."""
    parent = os.getppid()
    if sys.platform == "win32" and sys.argv and sys.argv[0].lower().endswith(".exe"):
        try:
            return _parent_of(parent) or parent
        except Exception:  # a system's call not as expected: the parent, as before
            return parent
    return parent


def session_of(pid: int, ways: Sequence[str] = tuple(STARTED)) -> Session:
    """The session of the runs whose pre-commit is process ``pid``, its start time found by
    ``ways`` (the seam: without the ``/proc`` way, the path a system without ``/proc`` takes)."""
    return Session(pid, started(pid, ways))


@functools.cache
def session() -> Session:
    """Which pre-commit run this process is a part of (the same for the whole process:
    reparented, when pre-commit ends first, it is still a part of the run it was started by)."""
    return session_of(_pre_commit_pid())
