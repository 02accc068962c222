"""journeymaps serve answers a page with one rebuild's state: its number, its failure and
the failure's kind, read together under the lock the rebuild writes them under. Read one by
one, a page asked for while a rebuild was between its writes got one failure's lines under
another kind's banner (an owners' notice headed "Rebuild failed"), and a digest of no state
at all, which reloaded the page once more for nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import http_get
from journeymaps.site.serve import BANNER_WORDS, Builds, listen

#: What a rebuild said of its site before (a broken map) and says now (an owners' notice).
BROKEN = ("maps/refunds.yaml:3:5: JM101 [schema] 'stages' must be a list",)
NOTICE = ("maps/refunds.yaml:2:8: JM402 [unknown-team] owner 'ops' is not listed in teams.yaml",)


class TellingLock:
    """The lock of a :class:`Builds`, which says when a thread other than its holder asks
    for it: the test then knows the request waits for the rebuild, without a timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None
        self.asked = threading.Event()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._holder not in (None, threading.get_ident()):
            self.asked.set()
        got = self._lock.acquire(blocking, timeout)
        if got:
            self._holder = threading.get_ident()
        return got

    def release(self) -> None:
        self._holder = None
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Builds, TellingLock]]:
    """A server for a one-page site whose last rebuild failed (a broken map), its
    :class:`Builds` telling when a request waits for it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><head><title>Refunds</title></head><body>site</body></html>")
    builds = Builds()
    lock = TellingLock()
    builds.changed = threading.Condition(lock)  # type: ignore[arg-type]
    builds.failed(BROKEN)
    server = listen(site, "127.0.0.1", 0, builds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", builds, lock
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _asked_mid_rebuild(url: str, builds: Builds, lock: TellingLock) -> tuple[int, str]:
    """``url`` asked for while a rebuild holds the lock between its two writes (the owners'
    notice replacing the broken map's lines: the lines written, the kind not yet), answered
    at once or once the rebuild is done."""
    answer: list[tuple[int, str]] = []
    answered = threading.Event()

    def ask() -> None:
        answer.append(http_get(url))
        answered.set()

    asking = threading.Thread(target=ask, daemon=True)
    with builds.changed:
        builds.failure = NOTICE  # as Builds.published writes it: the lines, then the kind
        asking.start()
        deadline = time.monotonic() + 30
        while not (lock.asked.is_set() or answered.is_set()) and time.monotonic() < deadline:
            time.sleep(0.01)
        builds.kind = "unlisted"
        builds.number += 1
    asking.join(30)
    assert answer, "no answer"
    return answer[0]


def test_a_page_asked_for_mid_rebuild_has_one_rebuilds_banner(served: Any) -> None:
    """The page waits for the rebuild: its banner is the owners' notice's, heading and
    lines, not the broken map's heading over the notice's lines; and it is the page served
    once the rebuild is done (the same reload number and digest)."""
    base, builds, lock = served
    status, page = _asked_mid_rebuild(f"{base}/index.html", builds, lock)
    assert status == 200
    title, heading, _ = BANNER_WORDS["unlisted"]
    assert heading in page and f'document.title = "{title} \u00b7 "' in page, page[:2000]
    assert BANNER_WORDS["failed"][0] not in page and BANNER_WORDS["failed"][1] not in page, page[:2000]
    assert "JM402 [unknown-team]" in page
    assert http_get(f"{base}/index.html") == (status, page)


def test_a_pages_digest_asked_for_mid_rebuild_is_one_rebuilds(served: Any) -> None:
    """The digest an open page compares with its own (to know whether to reload) is the
    one of the state the rebuild left, not of its lines with the kind before it."""
    base, builds, lock = served
    url = f"{base}/__journeymaps/page?page=/"
    assert _asked_mid_rebuild(url, builds, lock) == http_get(url)
