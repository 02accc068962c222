"""Sites and browser pages shared by the page tests, made once per test process (each xdist
worker has its own).

Eleven modules each built the example maps (``maps/``) into a site of their own, and each of
their ~400 tests opened a new Chromium page (a new browser context and renderer process,
about 0.35 CPU-seconds, more than loading and reading the page). A module uses them by
importing the fixtures it needs (by these names; pytest knows them by the names below)::

    from shared_sites import pooled_browser, shared_example_site

    @pytest.fixture(scope="module")
    def site(example_site: Path) -> Path:
        return example_site

Offered here:

- ``example_site`` (``shared_example_site``): the example maps built with the repository's
  settings (as ``conftest.build_examples`` builds them), read-only: a test that changes a
  site builds or copies its own (``shutil.copytree`` of this one). Files are made read-only,
  which stops a stray write unless the tests run as root.
- ``browser`` (``pooled_browser``): the session's Chromium (tests/conftest.py's, overridden
  in the importing module) whose ``new_page`` hands out a page a test closed before, reset
  to a new page's state, instead of starting another (``PagePool``); a page whose handlers,
  routes or context a test touched is closed instead. Everything else (``new_context``
  ...) is the browser's own.

Further shared sites go at the end of this file, each memoised in ``_BUILT`` as
``shared_example_site`` is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import build_examples

#: Page members after whose use a page is closed rather than handed out again: what they
#: set (handlers, routes, scripts, its context's state) would outlive a reset.
_KEEPS_STATE = frozenset(
    {
        "on",
        "once",
        "route",
        "route_from_har",
        "route_web_socket",
        "unroute",
        "unroute_all",
        "expose_function",
        "expose_binding",
        "add_init_script",
        "add_locator_handler",
        "set_extra_http_headers",
        "set_default_timeout",
        "set_default_navigation_timeout",
        "context",
        "clock",
        "request",
        "expect_event",
        "expect_popup",
        "expect_download",
        "expect_file_chooser",
        "expect_console_message",
        "wait_for_event",
        "go_back",
        "go_forward",
    }
)

#: Undoes what a page may have written to its origin's storage (file:// pages share one).
_CLEAR_STORAGE = "() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }"

#: A new page's viewport when none is asked for (Playwright's default).
_DEFAULT_VIEWPORT = {"width": 1280, "height": 720}


class PooledPage:
    """A Chromium page that goes back to its pool when the test closes it; any other use
    is the page's own."""

    def __init__(self, pool: PagePool, key: str, page: Any, viewport: dict[str, int]) -> None:
        self._pool, self._key, self._page, self._viewport = pool, key, page, viewport
        self._keeps_state = False

    def __getattr__(self, name: str) -> Any:
        if name in _KEEPS_STATE:
            self._keeps_state = True
        return getattr(self._page, name)

    def close(self, **options: Any) -> None:
        """Back to the pool as a new page would be, or closed if it cannot be."""
        if self._keeps_state or options or self._page.is_closed() or not self._pool.reset(self):
            if not self._page.is_closed():
                self._page.context.close()
            return
        self._pool.idle.setdefault(self._key, []).append(self._page)


class PagePool:
    """``browser.new_page`` with the pages tests closed handed out again: one page per set
    of options at a time, each in its own context as ``Browser.new_page`` makes it."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.idle: dict[str, list[Any]] = {}
        #: Every page made, closed at the module's end: those a test left open too.
        self._made: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_page(self, **options: Any) -> PooledPage:
        key = json.dumps(options, sort_keys=True, default=repr)
        viewport = options.get("viewport") or _DEFAULT_VIEWPORT
        idle = self.idle.get(key)
        if idle:
            page = idle.pop()
        else:
            page = self._browser.new_page(**options)
            self._made.append(page)
        return PooledPage(self, key, page, dict(viewport))

    def reset(self, pooled: PooledPage) -> bool:
        """``pooled``'s page as ``new_page`` gives it: a blank document, no storage, the
        mouse at the top left, no media emulated, the viewport asked for. False when that
        failed (the page is then closed, not reused)."""
        page = pooled._page
        try:
            page.evaluate(_CLEAR_STORAGE)
            page.goto("about:blank")
            page.context.clear_cookies()
            page.emulate_media(
                media="null",
                color_scheme="null",
                reduced_motion="null",
                forced_colors="null",
                contrast="null",
            )
            page.set_viewport_size(pooled._viewport)
            page.mouse.move(0, 0)
        except Exception:  # a page the test left broken: a new one next time
            return False
        return True

    def close_all(self) -> None:
        for page in self._made:
            if not page.is_closed():
                page.context.close()
        self._made.clear()
        self.idle.clear()


@pytest.fixture(scope="module", name="browser")
def pooled_browser(browser: Any) -> Iterator[PagePool]:
    """The session's Chromium (tests/conftest.py's ``browser``), its pages handed out again
    (``PagePool``) in the module that imports this; closed at the module's end."""
    pool = PagePool(browser)
    yield pool
    pool.close_all()


#: The sites built in this test process, by the run's base temporary folder. A fixture
#: imported into several modules is a fixture of each (session-scoped or not, each module
#: would build its own): this is what makes them one.
_BUILT: dict[tuple[Path, str], Any] = {}


def _examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]], set[str]]:
    """The example maps' site with each template's pages and the page types that made one
    (see ``build_examples``), built once per test process: a session fixture imported into
    several modules is a fixture of each, and would build once per module."""
    key = (tmp_path_factory.getbasetemp(), "examples")
    if key not in _BUILT:
        out = tmp_path_factory.mktemp("example-site") / "site"
        made, types = build_examples(out)
        for path in out.rglob("*"):  # what a test writes by mistake fails (unless run as root)
            if path.is_file():
                path.chmod(0o444)
        _BUILT[key] = (out, made, types)
    return _BUILT[key]


@pytest.fixture(scope="session", name="example_site")
def shared_example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps' site, built once per test process; read it, never change it."""
    return _examples(tmp_path_factory)[0]


# --- fastpagesb: the example site with its page list; screenshots kept on request ---------


@pytest.fixture(scope="session", name="pb_examples")
def shared_pb_examples(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, list[str]], set[str]]:
    """:func:`shared_example_site`'s site (the same build) with each template's pages and the
    page types that made one. Read it, never change it: a test that changes a site builds
    its own."""
    return _examples(tmp_path_factory)


def pb_screenshot(target: Any, folder: Path, name: str, **options: Any) -> None:
    """``target.screenshot`` (a page or an element's locator) into ``folder`` as ``name``
    when $JOURNEYMAPS_SCREENSHOTS asks to keep them: a whole page's or a canvas's costs
    Chromium a third of a CPU-second or more, and in a temporary folder nobody looked at it.
    A test asserts what it needs of the page itself (a screenshot asserts nothing)."""
    import os  # here, not above: the head of this file is fastpagesa's, unchanged

    if os.environ.get("JOURNEYMAPS_SCREENSHOTS"):
        target.screenshot(path=str(folder / name), **options)


@pytest.fixture(scope="session", name="pb_build_cache")
def shared_pb_build_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a ``journeymaps build`` run by a test (``conftest.jm``): one
    cache folder ($JOURNEYMAPS_CACHE) for the test process's builds of variants of the
    example maps, so each draws only the diagrams its change touched (a cache each drew every
    diagram of the examples again)."""
    return {"JOURNEYMAPS_CACHE": str(tmp_path_factory.mktemp("pb-build-cache"))}
