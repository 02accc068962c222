"""journeymaps serve: a page open in the browser shows a map's change by itself."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "fixture"


def test_serve_rebuilds_and_reloads_the_page(tmp_path: Path, browser) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymaps", "serve", "-p", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        base = f"http://127.0.0.1:{match[1]}/"
        with urllib.request.urlopen(base, timeout=10) as response:  # our own loopback server
            html = response.read().decode()
        assert "Refund takes too long" in html and "/__journeymaps/build" in html
        assert (
            "/__journeymaps/build" not in (project / "site" / "index.html").read_text()
        )  # built files stay pure

        page = browser.new_page()
        page.goto(base + "maps/refund.html")
        assert page.locator("h1").inner_text() == "Refund takes too long"
        time.sleep(1)  # the page has read the current build number
        path = project / "maps" / "refund.yaml"
        path.write_text(
            path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
        )
        page.wait_for_function(
            "document.querySelector('h1').textContent === 'Refund is quick now'", timeout=20000
        )
        page.close()
        # The page reloads as soon as the new site is in place, before the rebuild has
        # tidied up and said how long it took: wait for that line before stopping the server.
        said: list[str] = []
        reader = threading.Thread(target=lambda: said.extend(_lines_until(proc.stdout, "Rebuilt in")))
        reader.start()
        reader.join(timeout=60)
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=10)  # also closes the pipes
    assert any("Rebuilt in" in line for line in said), (said, rest)


def _lines_until(stream: Any, text: str) -> Iterator[str]:
    for line in stream:
        yield line
        if text in line:
            return
