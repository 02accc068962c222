"""The site's tab icon is in its pages: a browser asks the host for nothing more."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse
from pathlib import Path

from conftest import build_examples


def test_no_page_sends_the_browser_to_the_host_for_a_favicon(tmp_path: Path, browser) -> None:
    """Without an icon in the page, Chromium asked every served site for /favicon.ico: a 404
    in serve's and a static host's logs and in the console, and a blank icon on the tab."""
    site = tmp_path / "site"
    build_examples(site)
    asked: list[str] = []

    class Recording(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            asked.append(urllib.parse.urlsplit(self.path).path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Recording, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        for path in ("index.html", "maps/billing-dispute.canvas.html", "404.html"):
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
            page.wait_for_load_state("networkidle")
            icon = page.locator("link[rel=icon]").get_attribute("href")
            assert icon is not None and icon.startswith("data:image/svg+xml,"), (path, icon)
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert "/index.html" in asked  # the server saw the pages
    assert "/favicon.ico" not in asked, asked
