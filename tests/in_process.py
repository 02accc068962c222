"""``journeymaps ARGS`` run in the test's own process, for tests about a command's result
(findings, a diff's content) rather than about the process (exit codes on a signal, the
stdout/stderr split of a real pipe, a terminal's encoding: those keep ``conftest.jm``).

A process of its own costs ~0.2 s of CPU (Python's start and the imports); here a run costs
what the command does. The CLI keeps no state between runs that changes what it says: its
module-level caches are keyed by their inputs (a text, a project), so a second run in one
process says what a first one would.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from journeymaps.cli import cli

#: The name click gives the program in a usage error when run as ``python -m journeymaps``.
PROG = "python -m journeymaps"


def jm_here(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """What :func:`conftest.jm` gives (exit code, standard output, standard error), from a run
    in this process in ``cwd``; ``env`` is added to the environment for the run (minus
    GITHUB_ACTIONS, which picks another output format). An exception the command lets out
    fails the test with its traceback: what ``main()`` makes of one (a write error's line,
    "internal error", exit 2) is a real process's to show, so such tests use ``conftest.jm``."""
    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            cli,
            list(args),
            input=stdin,
            env={"GITHUB_ACTIONS": None, **(env or {})},
            prog_name=PROG,
            catch_exceptions=False,
        )
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["journeymaps", *args], result.exit_code, result.stdout, result.stderr)
