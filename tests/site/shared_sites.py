"""Sites shared by the page tests, built once per test process (each xdist worker has its
own), and screenshots taken only when someone will look at them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import build_examples

# --- fastpagesb: the example site with its page list; screenshots kept on request ---------


def pb_read_only(site: Path) -> None:
    """Every file of ``site`` read-only: a test that writes to a shared site by mistake
    fails (unless run as root) instead of changing what the next test reads."""
    for path in site.rglob("*"):
        if path.is_file():
            path.chmod(0o444)


@pytest.fixture(scope="session", name="pb_examples")
def shared_pb_examples(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, list[str]], set[str]]:
    """The example maps' site as ``conftest.build_examples`` makes it, once per test process;
    with each template's pages and the page types that made one (see ``build_examples``).
    Read it, never change it: a test that changes a site builds its own."""
    out = tmp_path_factory.mktemp("pb-examples") / "site"
    made, types = build_examples(out)
    pb_read_only(out)
    return out, made, types


def pb_screenshot(target: Any, folder: Path, name: str, **options: Any) -> None:
    """``target.screenshot`` (a page or an element's locator) into ``folder`` as ``name``
    when $JOURNEYMAPS_SCREENSHOTS asks to keep them: a whole page's or a canvas's costs
    Chromium a third of a CPU-second or more, and in a temporary folder nobody looked at it.
    A test asserts what it needs of the page itself (a screenshot asserts nothing)."""
    if os.environ.get("JOURNEYMAPS_SCREENSHOTS"):
        target.screenshot(path=str(folder / name), **options)


@pytest.fixture(scope="session", name="pb_build_cache")
def shared_pb_build_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a ``journeymaps build`` run by a test (``conftest.jm``): one
    cache folder ($JOURNEYMAPS_CACHE) for the test process's builds of variants of the
    example maps, so each draws only the diagrams its change touched (a cache each drew every
    diagram of the examples again)."""
    return {"JOURNEYMAPS_CACHE": str(tmp_path_factory.mktemp("pb-build-cache"))}
