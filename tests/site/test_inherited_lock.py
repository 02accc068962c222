"""A staging folder's lock is not held by the processes a build forks (its drawing
workers): a worker left running when its build is killed kept the lock, so the next build
took the killed build's folder for a live one's and left it beside the site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from in_process import jm_here

FIXTURE = Path(__file__).parent / "fixture"

#: A build's life as far as the lock goes: the staging folder entered, a process forked
#: (a drawing worker that will not end: stuck, it outlives the build), then the build gone
#: at once, as by ``kill -9``: nothing removed, nothing closed by the build itself.
KILLED_BUILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from journeymaps.site.staging import StagedFolder

    staged = StagedFolder(Path(sys.argv[1])).__enter__()
    worker = os.fork()
    if worker == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # the test reads the build's output to its end
            os.dup2(null, fd)
        time.sleep(120)
        os._exit(0)
    print(worker, staged.folder, flush=True)
    os._exit(9)
    """
)


def test_a_killed_builds_folder_goes_though_a_worker_it_forked_still_runs(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "maps").mkdir(parents=True)
    (project / "maps" / "refund.yaml").write_bytes((FIXTURE / "maps" / "refund.yaml").read_bytes())
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(project / "site")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert killed.returncode == 9, killed.stderr
    worker, folder = killed.stdout.split()
    try:
        assert Path(folder).is_dir()  # what a kill -9 leaves
        os.kill(int(worker), 0)  # the worker still runs
        result = jm_here(project, "build")
        assert result.returncode in (0, 1), result.output
        assert (project / "site" / "index.html").is_file()
        left = [p.name for p in project.iterdir() if p.name.startswith(".site.")]
        assert left == [], "the killed build's staging folder was taken for a live build's"
    finally:
        os.kill(int(worker), signal.SIGKILL)
