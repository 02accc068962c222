"""``journeymaps serve``: build, serve on localhost, rebuild when a map changes, and reload the
page in the browser. The reload script is added to served pages only, never to built files."""

from __future__ import annotations

import functools
import gc
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

RELOAD_PATH = "/__journeymaps/build"
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

    def do_GET(self) -> None:  # the http.server API names it so
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

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows builds
        pass


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
        if path.is_file():
            seen[str(path)] = path.stat().st_mtime
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
    server = http.server.ThreadingHTTPServer((host, port), handler)
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
                if rebuild():
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
