"""``journeymaps serve`` when its site folder is deleted under it: every page was a 404 until
the next edit of a map (mkdocs serve builds it again; users expect as much)."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

from conftest import http_get as _get
from conftest import serving
from journeymaps.site.serve import serve
from journeymaps.site.staging import MARKER

FIXTURE = Path(__file__).parent / "fixture"


def _until_served(url: str, timeout: float = 60) -> tuple[int, str]:
    """The page once served again, its build number left out (each rebuild moves it on)."""
    deadline = time.monotonic() + timeout
    answer = _get(url)
    while answer[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = _get(url)
    return answer[0], _numberless(answer[1])


def _numberless(page: str) -> str:
    return re.sub(r'var seen = "\d+"', 'var seen = "N"', page)


def _head(url: str) -> tuple[int, int, str, bytes]:
    """(status, Content-Length, Content-Type, body) of a HEAD from our own loopback server."""
    import http.client
    import urllib.parse

    where = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(where.netloc, timeout=10)
    try:
        conn.request("HEAD", where.path or "/")
        response = conn.getresponse()
        length = int(response.getheader("Content-Length", "-1"))
        return response.status, length, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def test_a_deleted_site_is_built_again_without_an_edit(tmp_path: Path, fixture_cache: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        status, index = _get(served.base)
        assert status == 200
        index = _numberless(index)
        shutil.rmtree(project / "site")  # rm -rf site
        assert "site/ was deleted: building it again" in served.line()
        assert "Rebuilt in" in served.line()
        assert _until_served(served.base) == (200, index)
        for name in list((project / "site").iterdir()):  # rm -rf site/* site/.*: the folder stays
            if name.is_dir():
                shutil.rmtree(name)
            else:
                name.unlink()
        assert "site/ was deleted: building it again" in served.line()
        assert "Rebuilt in" in served.line()
        assert _until_served(served.base) == (200, index)
        output = served.stop()
    assert "Traceback" not in output, output


def _serving_failing(site: Path) -> tuple[threading.Event, threading.Event, list[str]]:
    """serve() on ``site`` with a rebuild that fails (as on a settings error): whether it
    was called, the stop, and what serve said."""
    rebuilt = threading.Event()
    stop = threading.Event()
    said: list[str] = []

    def rebuild() -> bool:
        rebuilt.set()
        return False

    kwargs = {"stop": stop, "interval": 0.02, "last": {}}
    threading.Thread(
        target=serve, args=(site, "127.0.0.1", 0, rebuild, [], [], said.append), kwargs=kwargs, daemon=True
    ).start()
    return rebuilt, stop, said


def test_a_page_asked_for_while_the_site_is_gone_says_so(tmp_path: Path) -> None:
    """Between the deletion and the rebuild (or when the rebuild fails), a page says what
    happened and reloads itself, rather than a bare 404."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>home</body></html>")
    (site / MARKER).write_text("{}")
    rebuilt, stop, said = _serving_failing(site)
    try:
        deadline = time.monotonic() + 10
        while not said and time.monotonic() < deadline:
            time.sleep(0.02)
        port = said[0].split("http://127.0.0.1:")[1].split("/")[0]
        shutil.rmtree(site)
        assert rebuilt.wait(10), "the deleted site was not built again"
        for page_url in ("", "maps/checkout.html", "maps/"):
            status, page = _get(f"http://127.0.0.1:{port}/{page_url}")
            assert status == 503, page_url
            assert "The site's folder was deleted" in page and 'http-equiv="refresh"' in page
            # HEAD: the same answer without the body (it was the file server's 404)
            head = _head(f"http://127.0.0.1:{port}/{page_url}")
            assert head == (503, len(page.encode()), "text/html; charset=utf-8", b""), page_url
        # a failing rebuild is not tried again and again (only on the next edit)
        rebuilt.clear()
        assert not rebuilt.wait(0.5)
        assert _get(f"http://127.0.0.1:{port}/diagrams/checkout.svg")[0] == 404  # not a page: as before
    finally:
        stop.set()


def test_a_site_deleted_as_a_rebuild_ends_is_built_again(tmp_path: Path) -> None:
    """A deletion landing between the rebuild putting the site in place and serve looking at
    it again was never seen: serve took the missing site as the state to compare with, and
    served 503 pages until the next edit."""
    site = tmp_path / "site"
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "a.yaml").write_text("id: a\n")
    calls: list[bool] = []
    again = threading.Event()
    stop = threading.Event()

    def rebuild() -> bool:
        site.mkdir(exist_ok=True)
        (site / "index.html").write_text("<html><body>home</body></html>")
        (site / MARKER).write_text("{}")
        if not calls:
            shutil.rmtree(site)  # rm -rf site, in the instant the rebuild ends
        else:
            again.set()
        calls.append(True)
        return True

    kwargs = {"stop": stop, "interval": 0.02, "last": {}}
    said: list[str] = []
    threading.Thread(
        target=serve,
        args=(site, "127.0.0.1", 0, rebuild, [maps], [], said.append),
        kwargs=kwargs,
        daemon=True,
    ).start()
    try:
        assert again.wait(10), f"the site deleted as the rebuild ended was not built again: {said}"
        assert any("site/ was deleted: building it again" in line for line in said)
    finally:
        stop.set()


def test_a_site_deleted_as_serve_says_where_it_is_is_built_again(tmp_path: Path) -> None:
    """serve said where the site was before looking at it: a deletion in that instant (the
    user's ``rm -rf site`` as the line appears) was taken as the state to start from, and the
    site stayed a 503 until the next edit. CI hit it once under load."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>home</body></html>")
    (site / MARKER).write_text("{}")
    rebuilt = threading.Event()
    stop = threading.Event()

    def say(line: str) -> None:
        if line.startswith("Serving"):
            shutil.rmtree(site)  # in the instant the line is printed, before anything else

    def rebuild() -> bool:
        rebuilt.set()
        return False

    kwargs = {"stop": stop, "interval": 0.02, "last": {}}
    threading.Thread(
        target=serve, args=(site, "127.0.0.1", 0, rebuild, [], [], say), kwargs=kwargs, daemon=True
    ).start()
    try:
        assert rebuilt.wait(10), "the site deleted as serve started was not built again"
    finally:
        stop.set()


def test_a_site_whose_place_a_file_took_for_a_moment_is_built_again_once_it_goes(
    tmp_path: Path, fixture_cache: Path
) -> None:
    """``rm -rf site; touch site``: the rebuild is refused (a file is in the way), and after
    ``rm site`` every page answered "Rebuilding the site" for good: serve tried again only
    at the next edit of a map."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        status, index = _get(served.base)
        assert status == 200
        index = _numberless(index)
        shutil.rmtree(project / "site")
        (project / "site").write_text("in the way\n")
        assert "site/ was deleted: building it again" in served.line()
        refused = served.line()
        assert "error" in refused and "site" in refused, refused
        assert "the rebuild failed: no site to serve until a rebuild works" in served.line()
        time.sleep(0.5)  # nothing changes: no rebuild tried again and again
        (project / "site").unlink()
        assert "Rebuilt in" in served.line()
        assert _until_served(served.base) == (200, index)
        output = served.stop()
    assert "Traceback" not in output, output
    assert output.count("journeymaps: error") == 1, output
