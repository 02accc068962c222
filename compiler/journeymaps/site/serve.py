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
RELOAD_SCRIPT = b"""<script>
(function () {
  var seen = null;
  setInterval(function () {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) location.reload();
      seen = v;
    }).catch(function () {});
  }, 700);
})();
</script>
""" % RELOAD_PATH.encode()


class Builds:
    """A counter the pages poll: it changes after every successful rebuild."""

    def __init__(self) -> None:
        self.number = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.number += 1


class Handler(http.server.SimpleHTTPRequestHandler):
    builds: Builds
    #: Seconds a connection may sit idle before it is closed: each held a thread for ever.
    timeout = IDLE_SECONDS

    def do_GET(self) -> None:  # the http.server API names it so
        if self._refused():
            return
        if self.path == RELOAD_PATH:
            body = str(self.builds.number).encode()
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


def snapshot(folders: list[Path], extra: list[Path]) -> dict[str, float]:
    """Modification times of every YAML file and settings file: what a change looks like."""
    seen: dict[str, float] = {}
    for folder in folders:
        for path in folder.rglob("*.y*ml") if folder.is_dir() else [folder]:
            try:
                seen[str(path)] = path.stat().st_mtime
            except OSError:
                continue
    for path in extra:
        try:
            seen[str(path)] = path.stat().st_mtime
        except OSError:  # no such settings file (yet)
            continue
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
    interval: float = 0.5,
) -> None:
    """Serve ``out`` until interrupted, calling ``rebuild`` whenever a watched file changes."""
    builds = Builds()
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
                if attempt(rebuild, say):
                    builds.bump()
                    say(f"Rebuilt in {time.perf_counter() - started:.2f} s")
                # A build leaves its model frozen out of the collector (project.collector_
                # paused); idle now, hand it back so nothing accumulates across rebuilds.
                gc.unfreeze()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
