"""A stop signal that arrives while Python runs a weakref callback (or a ``__del__``) is
raised there, where Python can only print "Exception ignored" and drop it: ``serve`` kept
serving after SIGTERM that way under heavy load. journeymaps sends such a stop again."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import held_launcher

FIXTURE = Path(__file__).parent / "site" / "fixture"

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time, weakref
    from journeymaps.signals import Terminated, raise_on_sigterm

    raise_on_sigterm()

    class Thing:
        pass

    def callback():  # the stop arrives while this runs
        os.kill(os.getpid(), signal.{name})
        for _ in range(20):
            time.sleep(0.01)

    thing = Thing()
    weakref.finalize(thing, callback)
    try:
        del thing
        for _ in range(300):  # 3 s of work after the callback
            time.sleep(0.01)
        print("kept running")
        sys.exit(1)
    except Terminated:
        print("stopped: terminated")
        sys.exit(143)
    except KeyboardInterrupt:
        print("stopped: interrupted")
        sys.exit(130)
    """
)


@pytest.mark.parametrize(
    ("name", "code", "said"), [("SIGTERM", 143, "terminated"), ("SIGINT", 130, "interrupted")]
)
def test_a_stop_raised_in_a_weakref_callback_is_not_lost(name: str, code: int, said: str) -> None:
    assert hasattr(signal, name)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("{name}", name)], capture_output=True, text=True, timeout=60
    )
    assert (run.returncode, run.stdout.strip()) == (code, f"stopped: {said}"), run.stderr
    assert "Exception ignored" not in run.stderr


@pytest.mark.parametrize(
    ("name", "code", "said"), [("SIGTERM", 143, "terminated"), ("SIGINT", 130, "interrupted")]
)
def test_a_stop_sent_before_journeymaps_unblocked_it_ends_the_run_cleanly(
    tmp_path: Path, name: str, code: int, said: str
) -> None:
    """journeymaps unblocks the stop signals at start; one already pending arrived right
    there, before SIGTERM had its handler and outside the code that turns a stop into an
    exit code: Ctrl+C printed a Python traceback, SIGTERM killed the process (no 143)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    run = subprocess.run(
        [*held_launcher(pending=name), "-m", "journeymaps", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert (run.returncode, run.stderr.strip()) == (code, f"journeymaps: {said}"), run.stderr
    assert sorted(p.name for p in project.iterdir()) == ["journeymaps.toml", "maps"]
