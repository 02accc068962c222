"""``journeymaps`` run in the test's own process, for the tests about what a command makes
(the site, its files, what it says), not about the process that runs it: a ``journeymaps
build`` of one map costs ~0.6 s of CPU in a process of its own (Python, the imports, the
templates) and ~0.05 s here once the first has run. The tests about a process (exit on a
signal, a traceback, what reaches a terminal) keep :func:`conftest.jm`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def jm_here(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``journeymaps ARGS`` in ``cwd`` run by click's CliRunner in this process, with ``env``
    added to its environment for the run (minus GITHUB_ACTIONS, as :func:`conftest.jm`);
    what it said and its exit code as :func:`conftest.jm` gives them. An exception it does
    not handle fails the test (a process of its own says "internal error", exit 2)."""
    from click.testing import CliRunner

    from journeymaps.cli import cli

    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            cli, list(args), env={"GITHUB_ACTIONS": None, **(env or {})}, catch_exceptions=False
        )
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["journeymaps", *args], result.exit_code, result.stdout, result.stderr)
