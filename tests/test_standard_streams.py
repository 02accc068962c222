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


def _to_a_reader_gone(cwd: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """``journeymaps ARGS | head -c 0``: the reader goes once the first output is there, as
    ``head`` does having its lines; the pipe holds a page, so that the rest is still to come."""
    import fcntl
    import termios

    read, write = os.pipe()
    fcntl.fcntl(read, 1031, 4096)  # F_SETPIPE_SZ: the smallest pipe, so that any output fills it
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymaps", *args],
        cwd=cwd,
        stdout=write,
        stderr=subprocess.PIPE,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(cwd / "cache")},
    )
    os.close(write)
    waiting = bytearray(4)
    while proc.poll() is None:  # the first output, or the end
        fcntl.ioctl(read, termios.FIONREAD, waiting)
        if int.from_bytes(waiting, sys.byteorder) > 0:
            break
    os.close(read)
    _, stderr = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(args, proc.returncode, b"", stderr)


@pytest.mark.parametrize("args", [["lint"], ["lint", "--format", "json"], ["diff", "HEAD"]])
def test_a_reader_gone_is_no_finding(project: Path, args: list[str]) -> None:
    """``journeymaps lint | head`` exited 1, which a script reads as "errors found"; ``diff |
    head`` exited 0, the rest of what it printed lost without a word. Both end now as git
    does on a closed pipe: 141 (128 + SIGPIPE), silently."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for git in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "empty"]):
        subprocess.run(["git", *git], cwd=project, check=True, env={**os.environ, **env}, capture_output=True)
    for i in range(3):  # more than a pipe's page of lint findings and of diff lines
        shutil.copy(project / "maps/support/billing-dispute.yaml", project / f"maps/copy{i}.yaml")
    result = _to_a_reader_gone(project, args)
    assert (result.returncode, result.stderr) == (141, b"")


@pytest.mark.parametrize(
    "args", [["--help"], ["-h"], ["--version"], ["-V"], ["lint", "--help"], ["schema", "-h"]]
)
def test_help_and_version_to_a_closed_pipe_end_as_other_commands_do(tmp_path: Path, args: list[str]) -> None:
    """``journeymaps --help | head -1`` and ``journeymaps --version | true`` exited 1 (click's
    own answer to a closed pipe), where every command ends 141, silently: a script under
    ``set -o pipefail`` read the version check as a failure. Run as installed (the
    ``journeymaps`` script), its output a pipe whose reader has gone."""
    script = Path(sys.executable).with_name("journeymaps")
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            [script, *args], cwd=tmp_path, stdout=write, stderr=subprocess.PIPE, timeout=300
        )
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (141, b"")


@pytest.mark.parametrize("args", [["nosuch"], ["lint", "--bogus"], []])
def test_a_usage_error_to_a_closed_pipe_ends_as_other_commands_do(tmp_path: Path, args: list[str]) -> None:
    """``journeymaps lint --bogus 2>&1 | head`` with the reader gone exited 1 (the usage
    message could not be written, and its error not either: Python's own exit), which a
    script reads as "errors found". It ends 141, silently, as a command's output does."""
    script = Path(sys.executable).with_name("journeymaps")
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([script, *args], cwd=tmp_path, stdout=write, stderr=write, timeout=300)
    finally:
        os.close(write)
    assert result.returncode == 141
