"""journeymaps serve after a rebuild that fails outright (what ``build`` exits 2 for): the
open pages say the site is out of date, and why, until a rebuild works again."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import http_get, jm, serving

FIXTURE = Path(__file__).parent / "fixture"
BANNER = "#journeymaps-rebuild-failed"


@pytest.mark.parametrize(("width", "height", "label"), [(1280, 800, "desktop"), (390, 844, "phone")])
def test_open_pages_say_a_failed_rebuild_and_clear_once_it_is_fixed(
    tmp_path: Path, fixture_cache: Path, browser, screenshots: Path, width: int, height: int, label: str
) -> None:
    """The settings broken while a page is open: serve kept serving the last good site and
    the page showed nothing, so a map edited next looked live and was not. The terminal
    and the page say the rebuild failed, with ``file:line:col``, rule and message; a page
    opened meanwhile says so too; fixed, the page reloads with the edit and no banner."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    settings = project / "journeymaps.toml"
    good = settings.read_text()
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            with page.expect_request(lambda r: "/__journeymaps/build?after=" in r.url):
                page.goto(served.base + "maps/refund.html")
            settings.write_text(good + 'site-title = "Acme\n')  # an unterminated string
            said = served.until("the rebuild failed")
            assert "still serving the last site that built" in said
            finding = next(s for s in served.said if "[invalid-settings]" in s).strip()
            assert re.fullmatch(
                r"journeymaps\.toml:4:\d+: JM007 \[invalid-settings\] error: invalid TOML: .+", finding
            )

            banner = page.locator(BANNER)
            banner.wait_for(state="visible", timeout=20000)
            assert "This page is out of date: the last rebuild failed" in banner.inner_text()
            assert finding in banner.inner_text()
            assert page.title().startswith("Rebuild failed")
            box = banner.bounding_box()
            assert box is not None and box["width"] <= width and box["y"] == 0  # over the page, whole
            page.screenshot(path=screenshots / f"serve-rebuild-failed-{label}.png")

            # A map edited while the settings are broken is not in the site: the page says why.
            refund = project / "maps" / "refund.yaml"
            refund.write_text(
                refund.read_text().replace("title: Refund takes too long", "title: Refund is quick")
            )
            served.until("the rebuild failed")
            status, body = http_get(served.base + "teams.html")  # a page opened now says it too
            assert status == 200 and "This page is out of date" in body and html.escape(finding) in body
            assert page.locator("h1").inner_text() == "Refund takes too long"

            page.get_by_role("button", name="Hide").click()  # to look at the page beneath
            assert not banner.is_visible()

            settings.write_text(good)
            served.until("Rebuilt in")
            page.wait_for_function(
                "(document.querySelector('h1') || {}).textContent === 'Refund is quick'", timeout=20000
            )
            assert page.locator(BANNER).count() == 0 and not page.title().startswith("Rebuild failed")
        finally:
            page.close()
        served.stop()


def test_the_banner_quotes_the_error_as_text(tmp_path: Path, fixture_cache: Path, browser) -> None:
    """The error quotes the user's files: markup in it is shown, never run. The maps folder
    the settings name is missing (``journeymaps.toml:1:1``), named with a tag."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    settings = project / "journeymaps.toml"
    good = settings.read_text()
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page()
        try:
            with page.expect_request(lambda r: "/__journeymaps/build?after=" in r.url):
                page.goto(served.base + "index.html")
            settings.write_text('paths = ["<img src=x onerror=document.title=1>"]\n' + good)
            served.until("the rebuild failed")
            banner = page.locator(BANNER)
            banner.wait_for(state="visible", timeout=20000)
            assert "<img src=x onerror=document.title=1>" in banner.inner_text()
            assert "journeymaps.toml:1:" in banner.inner_text()
            assert page.locator(f"{BANNER} img").count() == 0
        finally:
            page.close()
        served.stop()


def test_serve_started_on_broken_settings_marks_the_site_built_before(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """serve started with settings broken since the last build: it serves that site (as it
    did), and its pages say they are out of date, and why."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    env = {"JOURNEYMAPS_CACHE": str(fixture_cache)}
    assert jm(project, "build", env=env).returncode == 0
    settings = project / "journeymaps.toml"
    settings.write_text(settings.read_text() + "bogus = 1\n")
    with serving(project, env=env) as served:
        assert any("the build failed: serving the site built before" in s for s in served.said)
        status, body = http_get(served.base + "maps/refund.html")
        assert status == 200 and "This page is out of date" in body
        assert "journeymaps.toml:4:1: JM007 [invalid-settings] error: unknown key &#x27;bogus&#x27;" in body
        served.stop()


def test_a_long_failure_is_cut_short_and_a_page_without_a_body_tag_still_says_it() -> None:
    """Every finding of a settings file with many errors filled the page (the terminal has
    them all); a page with no <body> tag (a hand-made one in the site) showed nothing."""
    from journeymaps.site.serve import BANNER_LINES, reload_script, served_page

    failure = tuple(
        f"journeymaps.toml:{n}:1: JM007 [invalid-settings] error: unknown key 'k{n}'" for n in range(1, 60)
    )
    page = served_page(b"<html><body class=x><h1>Hi</h1></body></html>", 3, "d", failure).decode()
    # the title changed first: a page still loading never shows the banner under its old title
    assert page.startswith('<html><body class=x><script>document.title = "Rebuild failed')
    assert page.index("</script>") < page.index('<div id="journeymaps-rebuild-failed"')
    assert "journeymaps.toml:20:1:" in page and "journeymaps.toml:21:1:" not in page
    assert f"... and {59 - BANNER_LINES} more: see the terminal running journeymaps serve" in page
    assert page.count("<script>") == 2  # the title's, and the reload script
    bare = served_page(b"<p>no body tag</p>", 3, "d", ("x",)).decode()
    assert bare.startswith('<script>document.title = "Rebuild failed')
    assert bare.endswith("<p>no body tag</p>" + reload_script(3, "d").decode())  # at the end: no </body>
    assert served_page(b"<p>no body tag</p>", 3, "d", ()) == b"<p>no body tag</p>" + reload_script(3, "d")


def test_the_banner_goes_into_the_body_not_a_head_script_or_comment_that_says_body() -> None:
    """``<body>`` in a head script's string, or a comment, took the banner: the script was
    cut by the banner's own ``</script>``, or the banner was hidden in the comment. A tag's
    quoted ``>`` is in the tag; a page of comments never closed is read in one pass."""
    import time

    from journeymaps.site.serve import served_page

    def marked(page: bytes) -> str:
        return served_page(page, 3, "d", ("x",)).decode()

    banner = '<script>document.title = "Rebuild failed'  # where the banner begins
    in_script = b'<html><head><script>var s = "<body>";</script></head><body class=x><h1>Hi</h1></body>'
    assert f'var s = "<body>";</script></head><body class=x>{banner}' in marked(in_script)
    in_comment = b"<!-- <body> --><BODY data-x='a>b'><h1>Hi</h1></BODY>"
    assert marked(in_comment).startswith(f"<!-- <body> --><BODY data-x='a>b'>{banner}")
    assert marked(b"<style>p{}</style><bodyguard><body/>").startswith(
        f"<style>p{{}}</style><bodyguard><body/>{banner}"
    )
    started = time.process_time()  # CPU time: a loaded machine's wall clock ran past 2 s
    assert marked(b"<!--" * 25000 + b"<body>").startswith(banner)  # all a comment: no body tag
    assert marked(b'<body a="' * 25000).startswith(banner)  # one tag never ended: no body tag
    assert time.process_time() - started < 2


def test_an_empty_comment_as_browsers_read_it_hides_no_body_tag() -> None:
    """ "<!-->" and "<!--->" are whole (empty) comments to a browser: taken for comments never
    closed, the rest of a hand-made page was in them, and the failed rebuild's banner went
    before the page's doctype (a page read in quirks mode) rather than into its body."""
    from journeymaps.site.serve import failure_banner, reload_script, served_page

    banner, script = failure_banner(("x",)), reload_script(3, "d")
    for empty in (b"<!-->", b"<!--->"):
        page = b"<!DOCTYPE html><html><head>" + empty + b"</head><body><h1>Hi</h1></body></html>"
        head, body = page.split(b"<h1>")
        assert served_page(page, 3, "d", ("x",)) == head + banner + b"<h1>" + body.replace(
            b"</body>", script + b"</body>"
        )


def test_a_failure_naming_a_folder_not_in_utf8_is_shown_not_an_error_on_every_page(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """The project in a folder named in bytes that are not UTF-8, its maps folder removed
    while serving: the error named it, and every page asked for then was dropped
    ("could not answer a request: UnicodeEncodeError"). The page says it as the terminal does."""
    project = Path(os.fsdecode(bytes(tmp_path) + b"/proj\xff"))
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        (project / "maps").rename(project / "maps.gone")
        served.until("the rebuild failed")
        status, body = http_get(served.base + "maps/refund.html")
        assert status == 200 and "This page is out of date" in body
        assert "proj\\udcff/maps" in body
        assert "could not answer" not in served.stop()
