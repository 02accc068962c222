"""journeymaps serve: a page open in the browser shows a map's change by itself."""

from __future__ import annotations

import shutil
import time
import urllib.request
from pathlib import Path

from conftest import serving

FIXTURE = Path(__file__).parent / "fixture"


def test_serve_rebuilds_and_reloads_the_page(tmp_path: Path, browser) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project) as served:
        with urllib.request.urlopen(served.base, timeout=10) as response:  # our own loopback server
            html = response.read().decode()
        assert "Refund takes too long" in html and "/__journeymaps/build" in html
        assert (
            "/__journeymaps/build" not in (project / "site" / "index.html").read_text()
        )  # built files stay pure

        page = browser.new_page()
        page.goto(served.base + "maps/refund.html")
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
        served.until("Rebuilt in")
        served.stop()
