"""Nothing read from the cache is trusted blindly (issue 13): a cache can be shared or
restored in CI, and what it holds ends up on a published site or runs as native code."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import jm

FIXTURE = Path(__file__).parent / "fixture"
ENTRY = re.compile(r"([0-9a-f]{64})\.([0-9a-f]{32})\.svg\Z")


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _tamper(cache: Path, change) -> int:
    """Change every cached diagram; keep each file's name consistent with its new bytes
    when the name records a digest (an attacker can compute one too)."""
    changed = 0
    for path in sorted((cache / "diagrams").glob("*.svg")):
        data = change(path.read_bytes())
        m = ENTRY.match(path.name)
        target = path.with_name(f"{m[1]}.{hashlib.sha256(data).hexdigest()[:32]}.svg") if m else path
        path.unlink()
        target.write_bytes(data)
        changed += 1
    return changed


def _inject(markup: bytes):
    return lambda svg: svg.replace(b"</svg>", markup + b"</svg>", 1)


TAMPERED = {
    "truncated": lambda svg: svg[: len(svg) // 2],
    "emptied": lambda svg: b"",
    "random": lambda svg: os.urandom(len(svg)),
    "script": _inject(b"<script>alert(document.domain)</script>"),
    "namespaced-script": _inject(b'<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>'),
    "event-handler": lambda svg: svg.replace(b"<g id=", b'<g onmouseover="alert(1)" id=', 1),
    "foreign-object": _inject(
        b'<foreignObject><body xmlns="http://www.w3.org/1999/xhtml">hi</body></foreignObject>'
    ),
    "javascript-link": lambda svg: svg.replace(
        b'xlink:href="../', b'xlink:href="&#106;avascript:alert(1)//', 1
    ),
    "animated-link": _inject(b'<a><set attributeName="href" to="javascript:alert(1)"/></a>'),
    "style-import": _inject(b"<style>@import url(https://evil.example/x.css);</style>"),
    "entities": lambda svg: re.sub(rb"<!DOCTYPE[^>]*>", b'<!DOCTYPE svg [<!ENTITY x "y">]>', svg, count=1),
}


@pytest.mark.parametrize("how", sorted(TAMPERED))
def test_a_tampered_cache_is_never_published(tmp_path: Path, how: str) -> None:
    """Truncated, emptied or random cached SVGs, and one holding <script>, were copied into
    the site ("8 unchanged"): a stored XSS when a cache is shared or restored in CI."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm(project, "build", "-o", "reference", env=env).returncode == 0
    assert _tamper(tmp_path / "cache", TAMPERED[how]) == 3

    result = jm(project, "build", "-o", "site", env=env)

    assert result.returncode == 0, result.stderr
    assert "3 diagrams (0 unchanged)" in result.stdout
    assert result.stderr.count("the cached diagram was refused") == 3, result.stderr
    assert _tree(project / "site" / "diagrams") == _tree(project / "reference" / "diagrams")
    # The bad files were replaced: the next build uses the cache again.
    again = jm(project, "build", "-o", "again", env=env)
    assert "3 diagrams (3 unchanged)" in again.stdout and again.stderr == ""
    assert _tree(project / "again" / "diagrams") == _tree(project / "reference" / "diagrams")


def test_an_unchanged_diagram_comes_from_the_last_site(tmp_path: Path) -> None:
    """The previous site's copy of a diagram, checked when it was published, is reused; the
    cache's own copy is not read again."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm(project, "build", env=env).returncode == 0
    for path in (tmp_path / "cache" / "diagrams").glob("*.svg"):
        path.write_bytes(b"damaged after it was published")
    settings = project / "journeymaps.toml"  # a change that draws nothing again
    settings.write_text(settings.read_text("utf-8").replace("Acme journeys", "Acme's journeys"))
    result = jm(project, "build", env=env)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "3 diagrams (3 unchanged)" in result.stdout
    for path in (project / "site" / "diagrams").glob("*.svg"):
        assert path.read_bytes().startswith(b"<?xml"), path.name


SPY = """
import sys, wasmtime
loaded = []
for name in ("deserialize", "deserialize_file"):
    original = getattr(wasmtime.Module, name)
    def spy(*args, _original=original, **kwargs):
        loaded.append(1)
        return _original(*args, **kwargs)
    setattr(wasmtime.Module, name, staticmethod(spy))
from journeymaps.diagrams.render import renderer
assert b"<svg" in renderer("embedded").layout("digraph { a -> b }")
print("loaded" if loaded else "compiled")
"""


def _start(cache: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SPY],
        env={**os.environ, "JOURNEYMAPS_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.embedded
def test_compiled_graphviz_is_loaded_only_from_where_only_this_user_writes(tmp_path: Path) -> None:
    """Compiled Graphviz modules are native code; they were loaded from the same writable
    folder as the diagrams, whoever had put them there."""
    first = tmp_path / "first"
    assert _start(first) == "compiled"
    assert _start(first) == "loaded"  # the spy sees a load
    (module,) = (first / "graphviz").glob("graphviz-*.cwasm")
    key = module.name.split("-")[1]

    beside = tmp_path / "beside"  # where modules were kept before, beside the diagrams
    beside.mkdir()
    shutil.copy(module, beside / f"graphviz-{key}.cwasm")
    assert _start(beside) == "compiled"

    shared = tmp_path / "shared"  # a folder others may write to
    (shared / "graphviz").mkdir(parents=True)
    shutil.copy(module, shared / "graphviz" / module.name)
    (shared / "graphviz").chmod(0o777)
    assert _start(shared) == "compiled"

    planted = tmp_path / "planted"  # a module another user wrote
    (planted / "graphviz").mkdir(parents=True, mode=0o700)
    shutil.copy(module, planted / "graphviz" / module.name)
    if os.geteuid() == 0:
        os.chown(planted / "graphviz" / module.name, 65534, 65534)
    else:  # without root, another user's file cannot be made: one others may write will do
        (planted / "graphviz" / module.name).chmod(0o666)
    assert _start(planted) == "compiled"

    damaged = tmp_path / "damaged"  # its bytes are not those its name records
    (damaged / "graphviz").mkdir(parents=True, mode=0o700)
    data = bytearray(module.read_bytes())
    data[len(data) // 2] ^= 0xFF
    (damaged / "graphviz" / module.name).write_bytes(bytes(data))
    assert _start(damaged) == "compiled"


def test_a_full_size_page_shows_the_checked_diagram_less_its_comments_only() -> None:
    """The full-size page inlines the published SVG without Graphviz's comments (a tenth of
    its bytes, never seen); a comment inside CDATA is text that the check read as it is, so
    it is left alone: dropped, it would turn a checked style into one that loads something."""
    from journeymaps.site.cache import svg_problem
    from journeymaps.site.story import inline_svg

    graphviz = (
        b'<?xml version="1.0"?>\n<!-- Generated by graphviz -->\n<svg xmlns="http://www.w3.org/2000/svg">\n'
        b'<!-- step&#45;one -->\n<g id="node1"><text>a</text></g>\n</svg>\n'
    )
    assert (
        inline_svg(graphviz)
        == '<svg xmlns="http://www.w3.org/2000/svg">\n<g id="node1"><text>a</text></g>\n</svg>\n'
    )
    hidden = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[svg { background: '
        b"u<!-- -->rl(https://evil.example/x.png) }]]></style></svg>"
    )
    assert svg_problem(hidden) is None  # as the check reads it: text with no url( in it
    assert "url(" not in inline_svg(hidden)
