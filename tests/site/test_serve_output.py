"""What ``journeymaps serve`` says on the terminal, and what becomes of it when no one reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import http_get, serving

FIXTURE = Path(__file__).parent / "fixture"


def test_the_first_build_says_what_it_made_as_build_does(tmp_path: Path) -> None:
    """The first build said nothing of its pages, maps and findings: only "Serving", where
    ``journeymaps build`` says "Built site/: …" and each later rebuild "Rebuilt in"."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}) as served:
        said = "".join(served.said)
        served.stop()
    built = re.search(r"Built site/: 14 pages, 1 map, 3 diagrams \(.*\); 0 errors, 1 warning", said)
    assert built, said
    assert built.start() < said.index("Serving"), said


def test_serve_keeps_serving_when_its_output_is_no_longer_read(tmp_path: Path) -> None:
    """``journeymaps serve | head -1``: once ``head`` had its line, the next rebuild's
    "Rebuilt in" met a closed pipe, and serve ended (exit 1, without a word), the preview
    gone from the browser at a save. Its lines are a log, the site its work: as
    ``python -m http.server`` and ``mkdocs serve``, it keeps serving, quietly."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymaps", "serve", "-p", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        while "Serving" not in (line := proc.stdout.readline()):
            assert line, "serve ended before serving"
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        proc.stdout.close()  # what head does once it has its line
        path = project / "maps" / "refund.yaml"
        path.write_text(
            path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
        )
        deadline = time.monotonic() + 60
        while "Refund is quick now" not in http_get(match[0] + "maps/refund.html")[1]:
            assert proc.poll() is None, f"serve ended ({proc.returncode}) at the rebuild"
            assert time.monotonic() < deadline, "never rebuilt"
            time.sleep(0.2)
        time.sleep(1)  # "Rebuilt in", said after the site is in place, has met the closed pipe
        assert proc.poll() is None, f"serve ended ({proc.returncode}) after the rebuild"
        assert http_get(match[0])[0] == 200
        proc.terminate()
        errors = proc.stderr.read()
        assert proc.wait(60) == 128 + 15
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(60)
        proc.stderr.close()
    assert errors.strip() == "journeymaps: terminated", errors
