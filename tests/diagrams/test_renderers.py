"""Renderers fail clearly, one diagram at a time, and never stay broken."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from journeymaps.diagrams.render import EmbeddedGraphviz, RenderError, SystemGraphviz

SMALL = "digraph { a -> b }"
# A graph whose layout takes well over a second.
SLOW = (
    "digraph { "
    + " ".join(f"n{i} -> n{(i * 7919) % 1500}; n{i} -> n{(i * 31) % 1500};" for i in range(1500))
    + " }"
)


@pytest.mark.parametrize("cls", [pytest.param(EmbeddedGraphviz, marks=pytest.mark.embedded), SystemGraphviz])
def test_broken_dot_is_a_clear_error_and_the_next_diagram_works(cls: type) -> None:
    renderer = cls()
    with pytest.raises(RenderError, match="could not lay out"):
        renderer.layout("digraph { a -> ")
    assert renderer.layout(SMALL).lstrip().startswith(b"<?xml")


@pytest.mark.parametrize("cls", [pytest.param(EmbeddedGraphviz, marks=pytest.mark.embedded), SystemGraphviz])
def test_a_layout_that_takes_too_long_is_stopped(cls: type) -> None:
    renderer = cls()
    with pytest.raises(RenderError, match=r"took longer than 0\.2 s"):
        renderer.layout(SLOW, timeout=0.2)
    assert b"<svg" in renderer.layout(SMALL)


@pytest.mark.embedded
def test_embedded_instances_are_never_reused() -> None:
    # This Graphviz build trapped on the second layout of this blueprint (a map whose
    # every text is a single space) when an instance was reused.
    dot = (Path(__file__).parent / "data" / "reuse-trap.dot").read_text("utf-8")
    renderer = EmbeddedGraphviz()
    first = renderer.layout(dot)
    assert renderer.layout(dot) == first


def test_system_renderer_without_dot_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no dot on it
    with pytest.raises(RenderError, match=r"no Graphviz 'dot' command on PATH.*--renderer embedded"):
        SystemGraphviz()


@pytest.mark.embedded
def test_compiled_module_is_cached_and_a_damaged_cache_is_recompiled(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-user-cache"))  # only this cache
    first = EmbeddedGraphviz().layout(SMALL)
    (cached,) = (tmp_path / "graphviz").glob("graphviz-*.cwasm")
    assert EmbeddedGraphviz().layout(SMALL) == first  # loaded from the cache
    cached.write_bytes(b"not a module")
    assert EmbeddedGraphviz().layout(SMALL) == first  # damaged: compiled again
    (again,) = (tmp_path / "graphviz").glob("graphviz-*.cwasm")
    assert again.read_bytes() != b"not a module"


@pytest.mark.embedded
def test_modules_compiled_for_another_version_are_removed(tmp_path, monkeypatch) -> None:
    """Each wasmtime or Graphviz upgrade compiles a new module (~3 MB): the old ones go, and
    so do those kept beside the diagrams before (never loaded from there)."""
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-user-cache"))  # only this cache
    (tmp_path / "graphviz").mkdir(mode=0o700)
    (tmp_path / "graphviz" / "graphviz-0123456789abcdef0123-00.cwasm").write_bytes(b"for an older wasmtime")
    (tmp_path / "graphviz-0123456789abcdef0123.cwasm").write_bytes(b"kept where others could write")
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "diagrams" / "kept.svg").write_bytes(b"<svg/>")
    EmbeddedGraphviz().layout(SMALL)
    (cached,) = (tmp_path / "graphviz").glob("graphviz-*.cwasm")
    assert not cached.name.startswith("graphviz-0123456789abcdef0123")
    assert not list(tmp_path.glob("graphviz-*.cwasm"))
    assert (tmp_path / "diagrams" / "kept.svg").exists()


#: A process that compiles Graphviz's module once another is ready to, and says so in the log.
_COMPILING = """
import pathlib, sys, time, wasmtime
log, ready, me = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]

class Counted(wasmtime.Module):  # a compile; a module loaded from the cache is not one
    def __init__(self, engine, wasm):
        with log.open("a") as f:
            f.write(me + "\\n")
        super().__init__(engine, wasm)

wasmtime.Module = Counted
(ready / me).touch()
while len(list(ready.iterdir())) < 2:
    time.sleep(0.01)
from journeymaps.diagrams.render import EmbeddedGraphviz
assert b"<svg" in EmbeddedGraphviz().layout("digraph { a -> b }")
"""


@pytest.mark.embedded
def test_processes_that_find_no_compiled_module_compile_it_once_between_them(tmp_path: Path) -> None:
    """A first build's drawing workers (every build on a CI runner, whose cache key is new)
    each compiled Graphviz's module at once: ~1.3 s of CPU each. One compiles it now; the
    others wait for it and load what it kept."""
    import os
    import subprocess
    import sys

    log, ready = tmp_path / "compiled.log", tmp_path / "ready"
    ready.mkdir()
    env = {**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "no-user-cache")  # only this cache
    both = [
        subprocess.Popen([sys.executable, "-c", _COMPILING, str(log), str(ready), name], env=env)
        for name in ("first", "second")
    ]
    assert [p.wait(timeout=120) for p in both] == [0, 0]
    assert len(log.read_text().split()) == 1, log.read_text()
    assert len(list((tmp_path / "cache" / "graphviz").glob("graphviz-*.cwasm"))) == 1


@pytest.mark.embedded
def test_a_process_stopped_while_it_compiles_holds_no_other_up_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held by a process stopped mid-compile (Ctrl+Z), the lock that lets one process compile
    the module while the others wait would hold every other build up. One waits
    COMPILE_WAIT seconds, then compiles its own."""
    import fcntl
    import os
    import threading

    import wasmtime

    from journeymaps.diagrams import render
    from journeymaps.keys import graphviz_module_key

    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-user-cache"))  # only this cache
    monkeypatch.setattr(render, "COMPILE_WAIT", 0.5)
    key = graphviz_module_key(
        render.wasm_path().read_bytes(), render._wasmtime_version(wasmtime), checked=True
    )
    (tmp_path / "graphviz").mkdir(mode=0o700)
    held = os.open(tmp_path / "graphviz" / f".compiling-{key}", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX)  # the stopped process's
    laid: list[bytes] = []
    try:
        started = time.monotonic()
        worker = threading.Thread(target=lambda: laid.append(EmbeddedGraphviz().layout(SMALL)), daemon=True)
        worker.start()
        worker.join(60)
        assert not worker.is_alive(), "it waited for the stopped process"
        assert time.monotonic() - started >= 0.5
    finally:
        os.close(held)
    assert laid and b"<svg" in laid[0]


def _slow_layout_in_child(queue: Any) -> None:
    from journeymaps.diagrams.render import renderer

    started = time.monotonic()
    try:
        renderer("embedded").layout(SLOW, timeout=0.2)
        queue.put("finished?")
    except RenderError:
        queue.put(time.monotonic() - started)


@pytest.mark.embedded
def test_the_timeout_holds_in_a_forked_process() -> None:
    """Threads are not copied by fork: a child of a process that has laid out a diagram still
    stops a layout that runs too long (its epoch ticker is started again)."""
    import multiprocessing

    from journeymaps.diagrams.render import renderer

    renderer("embedded").layout(SMALL)  # the shared renderer exists, with its ticker
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_slow_layout_in_child, args=(queue,))
    child.start()
    child.join(60)
    hung = child.is_alive()
    if hung:
        child.kill()
    assert not hung, "the layout was never stopped"
    took = queue.get(timeout=5)
    assert isinstance(took, float) and took < 5


@pytest.mark.embedded
def test_call_stack_exhausted_is_said_in_words() -> None:
    """A long enough chain exhausts Graphviz's stack: the error was shown as the first line
    of a wasm backtrace ("Graphviz failed: error while executing at wasm backtrace:")."""
    chain = "digraph { " + " ".join(f"n{i} -> n{i + 1};" for i in range(20_000)) + " }"
    renderer = EmbeddedGraphviz()
    with pytest.raises(RenderError) as caught:
        renderer.layout(chain, timeout=120)
    assert str(caught.value) == (
        "Graphviz ran out of stack laying out this diagram: it is too large or too deeply chained to draw"
    )
    assert b"<svg" in renderer.layout(SMALL)  # and the next diagram is drawn


@pytest.mark.parametrize("name", [pytest.param("embedded", marks=pytest.mark.embedded), "system"])
def test_a_drawn_diagram_keeps_every_shape_and_no_comment(name: str) -> None:
    """Graphviz names each node and edge in a comment (an eighth of a diagram's bytes, which
    nobody sees): the drawing drops them, and only them."""
    from journeymaps.diagrams import Diagram, to_svg
    from journeymaps.site.cache import svg_problem

    dot = 'digraph { "step-one" -> "step-two" [label="handoff"]; "step-two" -> "step-three" }'
    raw = (EmbeddedGraphviz if name == "embedded" else SystemGraphviz)().layout(dot)
    svg = to_svg(Diagram(view="journey", key="x", title="X", description="Three steps.", dot=dot), name)

    assert raw.count(b"<!--") >= 6 and b"<!--" not in svg
    assert svg.count(b'class="node"') == raw.count(b'class="node"') == 3
    assert svg.count(b"<text") == raw.count(b"<text")
    assert svg_problem(svg) is None
