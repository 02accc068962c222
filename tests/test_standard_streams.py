"""journeymaps run with a standard stream closed (``>&-``, ``2>&-``, ``<&-``), as a cron
line or a service unit may run it: lint, export and build ended in "internal error:
AttributeError: 'NoneType' object has no attribute 'isatty'", or exited 0 having written
nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def _run(cwd: Path, args: list[str], closed: int) -> subprocess.CompletedProcess[bytes]:
    """``journeymaps ARGS`` with descriptor ``closed`` shut, the other two captured."""
    pipes = {n: (subprocess.PIPE if n != closed else None) for n in (1, 2)}
    return subprocess.run(
        [sys.executable, "-m", "journeymaps", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL if closed != 0 else None,
        stdout=pipes[1],
        stderr=pipes[2],
        preexec_fn=lambda: os.close(closed),
        timeout=300,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(cwd / "cache")},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    return tmp_path


@pytest.mark.parametrize("args", [["lint"], ["export", "--map", "billing-dispute"]])
def test_a_closed_standard_output_is_refused_in_words(project: Path, args: list[str]) -> None:
    result = _run(project, args, closed=1)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "journeymaps: error: cannot write standard output: it is closed; "
        "to drop what it says, send it to /dev/null\n"
    )


def test_a_closed_standard_error_still_builds_the_site(project: Path) -> None:
    result = _run(project, ["build"], closed=2)
    assert result.returncode == 0
    assert b"Built site/" in result.stdout
    assert (project / "site" / "maps" / "billing-dispute.html").is_file()


def test_a_closed_standard_input_reads_as_empty(project: Path) -> None:
    result = _run(project, ["lint", "-"], closed=0)
    assert result.returncode == 1
    assert b"-:1:1: JM004 [schema] error: the file is empty" in result.stdout
    assert b"internal error" not in result.stderr
