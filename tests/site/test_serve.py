"""journeymaps serve: a page open in the browser shows a map's change by itself."""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import serving

if TYPE_CHECKING:
    from playwright.sync_api import Request

FIXTURE = Path(__file__).parent / "fixture"


def _asks_held(request: Request) -> bool:
    """The page's question "rebuilt since build N?", which the server holds until a rebuild."""
    return "/__journeymaps/build?after=" in request.url


def test_serve_rebuilds_and_reloads_the_page(tmp_path: Path, fixture_cache: Path, browser) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        with urllib.request.urlopen(served.base, timeout=10) as response:  # our own loopback server
            html = response.read().decode()
        assert "Refund takes too long" in html and "/__journeymaps/build" in html
        assert (
            "/__journeymaps/build" not in (project / "site" / "index.html").read_text()
        )  # built files stay pure

        page = browser.new_page()
        with page.expect_request(_asks_held):  # the page has read the current build number
            page.goto(served.base + "maps/refund.html")
        assert page.locator("h1").inner_text() == "Refund takes too long"
        path = project / "maps" / "refund.yaml"
        path.write_text(
            path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
        )
        page.wait_for_function(
            "(document.querySelector('h1') || {}).textContent === 'Refund is quick now'", timeout=20000
        )
        page.close()
        # The page reloads as soon as the new site is in place, before the rebuild has
        # tidied up and said how long it took: wait for that line before stopping the server.
        served.until("Rebuilt in")
        served.stop()


#: Run in a page before its own scripts: the page is in the background (a tab not shown),
#: until ``show`` makes it visible, as a browser does when its tab is picked.
_IN_THE_BACKGROUND = """
Object.defineProperty(document, "visibilityState", {configurable: true, get: () => window.shown ? "visible" : "hidden"});
Object.defineProperty(document, "hidden", {configurable: true, get: () => !window.shown});
"""
_SHOW = "window.shown = true; document.dispatchEvent(new Event('visibilitychange'))"


def test_tabs_in_the_background_leave_the_browser_room_and_reload_once_shown(
    tmp_path: Path, fixture_cache: Path, browser
) -> None:
    """A browser opens at most 6 connections to one server, and each open page held one
    for its reload question: with 8 tabs of the preview open, a page opened next waited
    for one of those questions to end (up to 10 s). A page in the background asks nothing
    (as mkdocs serve, mkdocs#3391); shown after a rebuild, even one opened in the
    background that never asked, it reloads."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        context = browser.new_context()
        try:
            tabs = []
            for _ in range(8):
                tab = context.new_page()
                tab.add_init_script(_IN_THE_BACKGROUND)
                tab.goto(served.base + "maps/refund.html")
                tabs.append(tab)
            time.sleep(1)  # each has asked, if it asks while hidden
            page = context.new_page()
            started = time.monotonic()
            page.goto(served.base + "teams.html", timeout=20000)
            assert time.monotonic() - started < 3, "a new page waited for a free connection"
            path = project / "maps" / "refund.yaml"
            path.write_text(
                path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
            )
            served.until("Rebuilt in")
            tabs[0].evaluate(_SHOW)
            tabs[0].wait_for_function(
                "(document.querySelector('h1') || {}).textContent === 'Refund is quick now'", timeout=20000
            )
        finally:
            context.close()
        served.stop()


def test_a_page_gone_for_a_while_comes_back_by_itself(tmp_path: Path, fixture_cache: Path, browser) -> None:
    """A map's id changed (or its file stashed, or moved away) and the page open on it
    reloaded into a 404, which had no reload script: once the id was put back, the tab
    stayed "File not found" for good. The 404 of a page asks for rebuilds as pages do."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page()
        try:
            page.goto(served.base + "maps/refund.html")
            path = project / "maps" / "refund.yaml"
            text = path.read_text()
            path.write_text(text.replace("id: refund\n", "id: refund-renamed\n", 1))
            served.until("Rebuilt in")
            page.wait_for_function("document.body.textContent.includes('File not found')", timeout=20000)
            path.write_text(text)
            served.until("Rebuilt in")
            page.wait_for_function(
                "(document.querySelector('h1') || {}).textContent === 'Refund takes too long'", timeout=20000
            )
        finally:
            page.close()
        served.stop()


def test_many_visible_tabs_share_one_question_and_only_changed_pages_reload(
    tmp_path: Path, fixture_cache: Path, browser
) -> None:
    """Each visible tab held a connection open for its reload question: with 6 preview
    windows side by side, a browser's 6 connections to the server were taken and a page
    opened next waited up to 10 s. One tab asks for all and tells the others; a tab
    reloads when its own page changed (not another map's: it lost what was open there),
    and when the tab that asks is closed another asks."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    path = project / "maps" / "refund.yaml"
    other = path.read_text().replace("id: refund\n", "id: other\n", 1)
    (project / "maps" / "other.yaml").write_text(
        other.replace("title: Refund takes too long", "title: Another")
    )
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        context = browser.new_context()
        try:
            tabs, others = [], []
            for n in range(8):
                tab = context.new_page()
                tab.goto(served.base + ("maps/refund.html" if n % 4 else "maps/other.html"))
                (tabs if n % 4 else others).append(tab)
            time.sleep(1)  # each has asked, if each asks
            page = context.new_page()
            started = time.monotonic()
            page.goto(served.base + "teams.html", timeout=20000)
            assert time.monotonic() - started < 3, "a new page waited for a free connection"
            page.close()
            for tab in others:
                tab.evaluate("window.kept = true")  # gone once the tab reloads
            for title in ("Refund is quick now", "Refund is instant"):
                path.write_text(re.sub(r"title: .*", f"title: {title}", path.read_text(), count=1))
                served.until("Rebuilt in")
                for tab in tabs:
                    tab.wait_for_function(
                        f"(document.querySelector('h1') || {{}}).textContent === '{title}'", timeout=20000
                    )
                # the tab that asks (the first, which took the lock) gone: another asks
                (others if title.endswith("now") else tabs).pop(0).close()
            time.sleep(1)  # the other map's tab has heard of both rebuilds
            assert [tab.evaluate("window.kept === true") for tab in others] == [True]
        finally:
            context.close()
        served.stop()


def test_a_diagram_changed_is_shown_changed_after_the_reload(
    tmp_path: Path, fixture_cache: Path, browser
) -> None:
    """The site's files were served with Last-Modified and no Cache-Control: the browser
    kept a diagram unchanged for hours as fresh for a tenth of its age, and a reload asks
    again only for the page. The map changed, the page reloaded with its new text and the
    diagram's old picture, for minutes."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        diagram = project / "site" / "diagrams" / "refund.journey.svg"
        morning = time.time() - 2 * 3600
        os.utime(diagram, (morning, morning))  # drawn in the morning, unchanged since
        context = browser.new_context()
        try:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            asked: dict[str, str] = {}
            kept: list[str] = []
            cdp.on(
                "Network.requestWillBeSent", lambda e: asked.__setitem__(e["requestId"], e["request"]["url"])
            )
            cdp.on("Network.requestServedFromCache", lambda e: kept.append(asked.get(e["requestId"], "")))
            with page.expect_request(_asks_held):  # the page has read the current build number
                page.goto(served.base + "maps/refund.html")
            path = project / "maps" / "refund.yaml"
            path.write_text(
                path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
            )
            page.wait_for_function(
                "(document.querySelector('h1') || {}).textContent === 'Refund is quick now'", timeout=20000
            )
            page.wait_for_load_state("load")
            assert "Refund is quick now" in diagram.read_text()  # the diagram changed
            assert not [url for url in kept if url.endswith(".svg")], kept
        finally:
            context.close()
        served.until("Rebuilt in")
        served.stop()


def test_without_web_locks_each_tab_asks_for_itself(tmp_path: Path, fixture_cache: Path, browser) -> None:
    """A preview opened from another machine over plain http is no secure context: the
    browser gives it no Web Locks, so no tab can ask for all. Each asks for itself, and
    reloads, as before one asked for all."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        context = browser.new_context()
        try:
            context.add_init_script(
                "Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined})"
            )
            tabs = [context.new_page() for _ in range(2)]
            for tab in tabs:
                tab.goto(served.base + "maps/refund.html")
            time.sleep(1)  # each has asked
            path = project / "maps" / "refund.yaml"
            path.write_text(
                path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
            )
            for tab in tabs:
                tab.wait_for_function(
                    "(document.querySelector('h1') || {}).textContent === 'Refund is quick now'",
                    timeout=20000,
                )
        finally:
            context.close()
        served.until("Rebuilt in")
        served.stop()


#: A hand-made page whose head says "</body>" in a script, a comment and its title.
_HAND_MADE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ends at &lt;/body&gt; </body></title>
<script>var closing = "</body>";</script>
<!-- the page ends at </body> -->
</head><body><h1>Hand-made</h1>
</BODY >
</html>
"""


def test_the_reload_script_goes_before_the_closing_body_tag_not_into_a_head_script() -> None:
    """The reload script went before the first "</body>" of the page: one in a head
    script's string broke that script and the page never reloaded, one in a comment hid it.
    It goes before the last closing tag outside scripts, comments and the title (any case),
    at the end of a page without one, and in one pass over a hostile page."""
    from journeymaps.site.serve import failure_banner, reload_script, served_page

    script = reload_script(3, "d")

    def served(page: bytes) -> bytes:
        return served_page(page, 3, "d", ())

    head, tail = _HAND_MADE.split(b"</BODY >")
    assert served(_HAND_MADE) == head + script + b"</BODY >" + tail
    assert served(b"<p>no closing tag</p>") == b"<p>no closing tag</p>" + script
    assert served(b"<body>a</body>b</body>") == b"<body>a</body>b" + script + b"</body>"
    assert served(b"<body><scripts></body>") == b"<body><scripts>" + script + b"</body>"
    # With the failed rebuild's banner: each where it goes, whichever comes first.
    banner = failure_banner(("x",))
    assert served_page(b"<body>a</body>", 3, "d", ("x",)) == b"<body>" + banner + b"a" + script + b"</body>"
    assert served_page(b"</body><body>", 3, "d", ("x",)) == script + b"</body><body>" + banner
    # CPU time, not wall time: this is ~0.05 s of work, and on a loaded machine (CI's two
    # cores shared by every test) the wall clock ran past 1 s for it.
    started = time.process_time()
    hostile = b"<html><body>" + b"<!--" * 25000 + b"</body>" * 25000
    assert served(hostile) == hostile + script  # all a comment from the first "<!--"
    closed = b"</body>" * 25000
    assert served(b"<body>" + closed + b"<!--" * 25000) == (
        b"<body>" + closed[:-7] + script + b"</body>" + b"<!--" * 25000
    )
    assert served(b"<script" * 25000 + closed) == b"<script" * 25000 + closed[:-7] + script + b"</body>"
    assert time.process_time() - started < 1


def test_a_full_size_diagram_page_is_not_walked_tag_by_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    """A diagram's full-size page (a big map's: 1 MB of SVG, 17,000 tags, a title each
    shape) took 17 ms a request to find its last "</body>" outside comments, scripts and
    titles, walking every "<" of it, where putting the reload script in had taken 1 ms:
    each reload of it waited for that. Its last "</body>" is found from the end, and the
    page walked only when a comment or the like may hold it (counted here, not timed)."""
    from journeymaps.site import serve

    walked: list[int] = []
    walk = serve._markup

    def counted(low: bytes) -> Iterator[int]:
        for at in walk(low):
            walked.append(at)
            yield at

    monkeypatch.setattr(serve, "_markup", counted)
    shapes = b"".join(
        b'<g id="node%d" class="node"><title>s%d&#45;&gt;s%d</title>'
        b'<path fill="none" stroke="#333" d="M%d,1C2,3 4,5 6,7"/><text x="1" y="2">Stage %d</text></g>\n'
        % (i, i, i + 1, i, i)
        for i in range(4000)
    )
    page = (
        b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Journey</title>'
        b'<script src="../site.js" defer></script></head><body><main><svg viewBox="0 0 9 9">'
        + shapes
        + b"</svg></main>\n</body>\n</html>\n"
    )
    script = serve.reload_script(3, "d")
    assert serve.served_page(page, 3, "d", ()) == page.replace(b"</body>", script + b"</body>")
    assert walked == []  # (every one of its 16,000 "<" before)
    # One whose last "</body" is in a comment after the real one is walked, and placed right.
    held = page.replace(b"</html>", b"<!-- not </body> -->\n</html>")
    assert serve.served_page(held, 3, "d", ()) == held.replace(b"</body>", script + b"</body>", 1)
    assert len(walked) > 16_000


def test_a_page_whose_head_says_closing_body_still_reloads(
    tmp_path: Path, fixture_cache: Path, browser
) -> None:
    """A page of the site whose head script says "</body>" took the reload script inside
    that script: the page showed the script's end as text and never reloaded. Here a
    hand-made page in the site (a rebuild keeps it): it shows only its own text, and once
    changed it reloads with the next rebuild."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        (project / "site" / "hand.html").write_bytes(_HAND_MADE)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            with page.expect_request(_asks_held, timeout=10000):
                page.goto(served.base + "hand.html")
            assert page.locator("body").inner_text().strip() == "Hand-made"
            assert page.evaluate("closing") == "</body>" and errors == []
            hand = project / "site" / "hand.html"
            hand.write_bytes(_HAND_MADE.replace(b"<h1>Hand-made</h1>", b"<h1>Hand-made, changed</h1>"))
            path = project / "maps" / "refund.yaml"
            path.write_text(
                path.read_text().replace("title: Refund takes too long", "title: Refund is quick now")
            )
            page.wait_for_function(
                "(document.querySelector('h1') || {}).textContent === 'Hand-made, changed'", timeout=20000
            )
            assert page.locator("body").inner_text().strip() == "Hand-made, changed" and errors == []
        finally:
            page.close()
        served.until("Rebuilt in")
        served.stop()
