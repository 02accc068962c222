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


HANGUP_WHILE_THE_TRACKER_STARTS = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    from multiprocessing import resource_tracker
    from journeymaps.interrupts import hangup_held_from_helpers
    from journeymaps.signals import Terminated, raise_on_sigterm

    raise_on_sigterm()
    # Another thread that takes signals, as the build's site writer and pool threads do.
    threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
    try:
        with hangup_held_from_helpers():
            resource_tracker.ensure_running()
            os.killpg(os.getpgrp(), signal.SIGHUP)  # the terminal closes now
            time.sleep(0.2)
        for _ in range(200):  # 2 s of work after
            time.sleep(0.01)
        print("kept running")
        sys.exit(1)
    except Terminated as exc:
        time.sleep(0.2)
        os.kill(resource_tracker._resource_tracker._pid, 0)  # still there: it took no hang-up
        print(f"stopped: {exc.words}")
        sys.exit(exc.exit_code)
    """
)


def test_a_hangup_while_a_helper_process_starts_is_not_lost() -> None:
    """The terminal closed while the build started multiprocessing's resource tracker: SIGHUP
    was ignored there to keep the tracker alive, so another thread of the build took the
    signal and dropped it, and the build ran to the end with exit 0 (seen in CI). It is
    delivered once the tracker has started, and the build stops as it would a moment later;
    the tracker, which the group's hang-up reached too, lives on to clean up after it."""
    assert hasattr(signal, "SIGHUP")
    run = subprocess.run(
        [sys.executable, "-c", HANGUP_WHILE_THE_TRACKER_STARTS],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # its own group, so the hang-up reaches nothing else
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),  # as in a terminal
    )
    assert (run.returncode, run.stdout.strip()) == (129, "stopped: hung up"), run.stderr


UNWINDING = textwrap.dedent(
    """
    import os, signal, sys, time
    from journeymaps.cli import cli, main

    @cli.command("stuck")
    def stuck():
        try:
            os.kill(os.getpid(), signal.{name})
            time.sleep(5)  # the stop is raised here
        finally:
            # As a ``with lock:`` whose wait the stop cut while taking the lock back: its
            # release then fails, and this error replaces the stop as the block unwinds.
            raise RuntimeError("release unlocked lock")

    sys.argv = ["journeymaps", "stuck"]
    main()
    """
)


@pytest.mark.parametrize(
    ("name", "code", "said"), [("SIGTERM", 143, "terminated"), ("SIGINT", 130, "interrupted")]
)
def test_a_stop_that_turns_into_another_error_as_it_unwinds_is_still_a_stop(
    name: str, code: int, said: str
) -> None:
    """``serve`` stopped by SIGTERM ended in "internal error: RuntimeError: release unlocked
    lock", exit 2 (seen once in the suite): the signal arrived inside a lock's wait, and
    unwinding that ``with`` raised another error in its place."""
    run = subprocess.run(
        [sys.executable, "-c", UNWINDING.replace("{name}", name)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == code, run.stderr
    assert run.stderr.strip() == f"journeymaps: {said}"
