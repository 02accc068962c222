"""Commands whose point is bounded work, held to the CPU they use rather than to the wall clock.

CI runs parts of the suite at nice 19 beside a suite that keeps both cores busy (Python
3.10's and this machine's Python 3.11's, ``.ci/run`` steps 3 and 3b): there a ``measure``
of ~2 s of CPU once took past its 120 s of wall time, and failed for the machine's load, not
for its work. So the child's CPU is limited (``RLIMIT_CPU``: the kernel stops it with SIGXCPU
past the limit, SIGKILL a few seconds later): a return of the quadratic or exponential work
these tests are about still fails, within a minute of CPU, whatever the load; the wall clock
only guards against a hang that uses no CPU at all, and generously."""

from __future__ import annotations

import os
import resource
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

#: CPU seconds a command may use: each of these takes 1-3 s (2026-12-07, idle), and the work
#: they guard against took minutes to hours.
CPU_SECONDS = 60
#: Wall-clock seconds before the command is called hung: 200 times what they take idle.
WALL_SECONDS = 600


def run_cpu_bounded(
    args: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    cpu_seconds: int = CPU_SECONDS,
    address_space: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``args`` run in ``cwd`` with at most ``cpu_seconds`` of CPU (and ``address_space``
    bytes of memory, when given); a failure that says so when the CPU ran out."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    result = subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=WALL_SECONDS,
        env=env,
        preexec_fn=limits,
    )
    if result.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"{shlex.join(args)} used more than {cpu_seconds} s of CPU:\n{result.stderr[-4000:]}")
    return result


def jm_cpu_bounded(
    cwd: Path, *args: str, cpu_seconds: int = CPU_SECONDS, address_space: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``journeymaps ARGS`` as :func:`conftest.jm` runs it (GITHUB_ACTIONS left out, which
    picks another output format), held to ``cpu_seconds`` of CPU."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return run_cpu_bounded(
        [sys.executable, "-m", "journeymaps", *args],
        cwd,
        env=env,
        cpu_seconds=cpu_seconds,
        address_space=address_space,
    )
