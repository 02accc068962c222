"""A map file swapped for a link out of the project between the look at where it leads and
the read: the file read is the file checked. And a map that is a link to nothing says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from in_process import jm_here

#: lint run with an audit hook that, when the map is first opened, replaces it with a link
#: to the secret: what a second process swapping the link at the worst moment does.
SWAPPING = """
import os, sys
from journeymaps.cli import main

name, secret = sys.argv[1], sys.argv[2]
sys.argv = ["journeymaps", "lint", "maps"]
swapped = []

def swap(event, args):
    if event == "open" and not swapped and isinstance(args[0], (str, os.PathLike)):
        if os.fspath(args[0]).endswith(name):
            swapped.append(True)
            os.remove(name)
            os.symlink(secret, name)

sys.addaudithook(swap)
main()
"""


@pytest.mark.parametrize("first", ["link-inside", "file"])
def test_a_map_swapped_for_a_link_out_of_the_project_as_it_is_opened_is_not_read(
    tmp_path: Path, first: str
) -> None:
    """It was checked by name (a link inside the project, or no link at all) and then
    opened by name: the link swapped in between was followed, and the file of the machine
    it led to read as a map."""
    (tmp_path / "secret.yaml").write_text("token: s3cr3t-value\n", "utf-8")
    project = tmp_path / "project"
    project.mkdir()
    assert jm_here(project, "init").returncode == 0
    name = "maps/first-journey.yaml"
    if first == "link-inside":
        (project / name).rename(project / "maps" / "real.yaml")
        (project / name).symlink_to("real.yaml")
        (project / "journeymaps.toml").write_text('paths = ["maps"]\nexclude = ["maps/real.yaml"]\n')
    result = subprocess.run(
        [sys.executable, "-c", SWAPPING, name, os.fspath(tmp_path / "secret.yaml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (project / name).is_symlink(), "the link was not swapped"
    assert result.returncode == 1, result.stdout + result.stderr
    assert "s3cr3t" not in result.stdout + result.stderr
    assert f"{name}:1:1: JM005 [unreadable-file] error: the file is a link to " in result.stdout, (
        result.stdout
    )
    assert "secret.yaml, outside the project" in result.stdout, result.stdout


def test_a_map_linked_to_nothing_says_where_the_link_leads(tmp_path: Path) -> None:
    """It read "cannot read file: No such file or directory", of a file ls lists."""
    assert jm_here(tmp_path, "init").returncode == 0
    (tmp_path / "maps" / "gone.yaml").symlink_to("archive/gone.yaml")
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 1, result.stdout
    assert (
        "maps/gone.yaml:1:1: JM005 [unreadable-file] error: the file is a link to archive/gone.yaml, "
        "which does not exist"
    ) in result.stdout, result.stdout
