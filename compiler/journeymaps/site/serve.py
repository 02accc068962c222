"""``journeymaps serve``: build, serve on localhost, rebuild when a map changes, and reload the
page in the browser. The reload script is added to served pages only, never to built files."""

from __future__ import annotations

import functools
import gc
import http.server
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

RELOAD_PATH = "/__journeymaps/build"
IDLE_SECONDS = 15.0
#: How long a page's question "has it been rebuilt?" is held open before "not yet".
HOLD_SECONDS = 10.0
#: The page asks the server, which answers as soon as a rebuild is done (a long poll: no
#: polling delay between the rebuild and the reload); asked again at once, or after a second
#: when the server is away.
RELOAD_SCRIPT = b"""<script>
(function () {
  var seen = null;
  function ask() {
    fetch("%s" + (seen === null ? "" : "?after=" + seen), {cache: "no-store"}).then(function (r) {
      return r.text();
    }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); return; }
      seen = v;
      ask();
    }).catch(function () { setTimeout(ask, 1000); });
  }
  ask();
})();
</script>
""" % RELOAD_PATH.encode()


class Builds:
    """A counter the pages ask about: it changes after every successful rebuild, once, as
    soon as its site is in place (:meth:`published`, called by the build itself before it
    tidies up, or by the loop after it)."""

    def __init__(self) -> None:
        self.number = 0
        self.changed = threading.Condition()
        self._told = True  # the current rebuild's site has been announced

    def started(self) -> None:
        """A rebuild begins: its site is announced once, by the first :meth:`published`."""
        with self.changed:
            self._told = False

    def published(self) -> None:
        with self.changed:
            if self._told:
                return
            self._told = True
            self.number += 1
            self.changed.notify_all()

    def after(self, seen: str | None, timeout: float) -> int:
        """The build number once it is no longer ``seen`` (at once when it already is
        not), or after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: str(self.number) != seen, timeout)
            return self.number


class Handler(http.server.SimpleHTTPRequestHandler):
    builds: Builds
    #: Seconds a connection may sit idle before it is closed: each held a thread for ever.
    timeout = IDLE_SECONDS

    def do_GET(self) -> None:  # the http.server API names it so
        if self._refused():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == RELOAD_PATH:
            seen = urllib.parse.parse_qs(url.query).get("after", [None])[0]
            body = str(self.builds.after(seen, HOLD_SECONDS if seen is not None else 0)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_HEAD(self) -> None:  # the http.server API names it so
        if not self._refused():
            super().do_HEAD()

    def _refused(self) -> bool:
        """A path no file can have (a NUL byte: %00) is a 404, not a traceback."""
        if "\0" in urllib.parse.unquote(self.path):
            self.send_error(404, "File not found")
            return True
        return False

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows builds
        pass


class Server(http.server.ThreadingHTTPServer):
    """The preview server: room for a burst of connections (the default backlog is 5), and
    an error while answering one request is a line on the terminal, never a traceback."""

    request_queue_size = 128
    daemon_threads = True
    say: Callable[[str], None] = print

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser went away: nothing to tell
        self.say(f"journeymaps: serve: could not answer a request: {type(exc).__name__}: {exc}")


def attempt(rebuild: Callable[[], bool], say: Callable[[str], None]) -> bool:
    """One rebuild; whatever goes wrong, the last good site keeps being served and the
    terminal says why."""
    try:
        return rebuild()
    except Exception as exc:
        say(f"journeymaps: internal error while building: {type(exc).__name__}: {exc}")
        say("journeymaps: still serving the last site that built; please report the error above")
        return False


def snapshot(folders: list[Path], extra: list[Path]) -> dict[str, tuple[int, int]]:
    """Modification time (to the nanosecond) and size of every YAML file and settings file:
    what a change looks like (two saves within one second are two changes)."""
    seen: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for path in folder.rglob("*.y*ml") if folder.is_dir() else [folder]:
            try:
                info = path.stat()
            except OSError:
                continue
            seen[str(path)] = (info.st_mtime_ns, info.st_size)
    for path in extra:
        try:
            info = path.stat()
        except OSError:  # no such settings file (yet)
            continue
        seen[str(path)] = (info.st_mtime_ns, info.st_size)
    return seen


def serve(
    out: Path,
    host: str,
    port: int,
    rebuild: Callable[[], bool],
    watched: list[Path],
    extra: list[Path],
    say: Callable[[str], None],
    stop: threading.Event | None = None,
    interval: float = 0.2,
    builds: Builds | None = None,
) -> None:
    """Serve ``out`` until interrupted, calling ``rebuild`` whenever a watched file changes.
    ``builds``: the counter pages ask about, when ``rebuild`` tells it its site is in place
    (:meth:`Builds.published`) before it returns."""
    builds = builds or Builds()
    handler = functools.partial(type("BoundHandler", (Handler,), {"builds": builds}), directory=str(out))
    server = Server((host, port), handler)
    server.say = say
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"Serving {out.as_posix()}/ on http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)")
    stop = stop or threading.Event()
    last = snapshot(watched, extra)
    try:
        while not stop.wait(interval):
            now = snapshot(watched, extra)
            if now != last:
                last = now
                started = time.perf_counter()
                builds.started()
                if attempt(rebuild, say):
                    builds.published()  # unless the rebuild has said so already
                    say(f"Rebuilt in {time.perf_counter() - started:.2f} s")
                # A build leaves its model frozen out of the collector (project.collector_
                # paused); idle now, hand it back so nothing accumulates across rebuilds.
                gc.unfreeze()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
