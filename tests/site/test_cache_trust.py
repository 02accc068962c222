"""Nothing read from the cache is trusted blindly (issue 13): a cache can be shared or
restored in CI, and what it holds ends up on a published site or runs as native code."""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TODAY, jm
from in_process import jm_here
from journeymaps import cache_seal
from journeymaps.site.search_kept import KeptParts
from journeymaps.sources_kept import KeptSources, decoded, encoded

FIXTURE = Path(__file__).parent / "fixture"
ENTRY = re.compile(r"([0-9a-f]{64})\.([0-9a-f]{32})(\.[0-9a-f]{32})?\.svg\Z")


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _tamper(cache: Path, change, tag: Callable[[str], str] = lambda found: found) -> int:
    """Change every cached diagram; keep each file's name consistent with its new bytes
    when the name records a digest (an attacker can compute one too), and give it ``tag``
    of the tag it had (by default the same: the attacker cannot make the new one)."""
    changed = 0
    for path in sorted((cache / "diagrams").glob("*.svg")):
        data = change(path.read_bytes())
        m = ENTRY.match(path.name)
        name = f"{m[1]}.{hashlib.sha256(data).hexdigest()[:32]}{tag(m[3] or '')}.svg" if m else ""
        target = path.with_name(name) if m else path
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
    # Text split by a character reference reached the check in pieces, none holding "url(";
    # CSS reads an escape as the letter, and image-set() loads without url().
    "style-split-by-reference": _inject(
        b"<style>* { background: ur&#108;(https://evil.example/x.png) }</style>"
    ),
    "style-escape": _inject(b"<style>* { background: u\\72l(https://evil.example/x.png) }</style>"),
    "style-image-set": _inject(
        b"<style>* { background: image-set('https://evil.example/x.png' 1x) }</style>"
    ),
    # XML reads one comment; HTML ends it at "<!-->", so the script would run in the page
    # that inlines the diagram.
    "comment": _inject(b"<!-->x<script>alert(1)</script>-->"),
    "entities": lambda svg: re.sub(rb"<!DOCTYPE[^>]*>", b'<!DOCTYPE svg [<!ENTITY x "y">]>', svg, count=1),
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built once with a cache of its own: ``reference/`` (the site) and
    ``cache/`` (its drawings, tagged with this user's key). Tests tamper with a copy of the
    cache (:func:`cache_copy`), never with this one."""
    folder = tmp_path_factory.mktemp("reference")
    shutil.copytree(FIXTURE, folder / "project")
    env = {"JOURNEYMAPS_CACHE": str(folder / "cache")}
    assert jm(folder / "project", "build", "-o", str(folder / "reference"), env=env).returncode == 0
    assert len(list((folder / "cache" / "diagrams").glob("*.svg"))) == 3
    return folder


def cache_copy(reference: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A project with the reference build's cache copied beside it (as a cache restored in
    CI: this user's files, their modes kept): the project and its build's environment."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    shutil.copytree(reference / "cache", tmp_path / "cache")
    return project, {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}


@pytest.mark.parametrize("how", sorted(TAMPERED))
def test_a_tampered_cache_is_never_published(tmp_path: Path, how: str, reference: Path) -> None:
    """Truncated, emptied or random cached SVGs, and one holding <script>, were copied into
    the site ("8 unchanged"): a stored XSS when a cache is shared or restored in CI. (Built
    in this process; the planted diagrams' test below builds in processes of their own.)"""
    project, env = cache_copy(reference, tmp_path)
    assert _tamper(tmp_path / "cache", TAMPERED[how]) == 3

    result = jm_here(project, "build", "-o", "site", env=env)

    assert result.returncode == 0, result.stderr
    assert "3 diagrams (3 drawn, 0 from the cache)" in result.stdout
    assert result.stderr.count("the cached diagram was refused") == 3, result.stderr
    assert _tree(project / "site" / "diagrams") == _tree(reference / "reference" / "diagrams")
    # The bad files were replaced: the next build uses the cache again.
    again = jm_here(project, "build", "-o", "again", env=env)
    assert "3 diagrams (0 drawn, 3 from the cache)" in again.stdout and again.stderr == ""
    assert _tree(project / "again" / "diagrams") == _tree(reference / "reference" / "diagrams")


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param(lambda found: "", id="dropped"),
        pytest.param(lambda found: "." + os.urandom(16).hex(), id="random"),
    ],
)
def test_a_planted_diagram_is_checked_whatever_tag_its_name_carries(
    tmp_path: Path, tag, reference: Path
) -> None:
    """A diagram drawn here is named with a tag only this user's key makes, and is then
    not read for content again; a planted one with no tag or a made-up one is."""
    project, env = cache_copy(reference, tmp_path)
    assert _tamper(tmp_path / "cache", TAMPERED["script"], tag) == 3
    result = jm(project, "build", "-o", "site", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("the cached diagram was refused") == 3, result.stderr
    assert _tree(project / "site" / "diagrams") == _tree(reference / "reference" / "diagrams")


def test_diagrams_drawn_here_are_not_read_for_content_again_but_another_keys_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a cached diagram for what it holds was a third of a build whose diagrams
    were all cached (1.4 ms each). Drawn here, with this user's key: only the digest is
    checked. The same cache under another key (restored in CI): each is read in full,
    and still used."""
    from journeymaps.settings import load_settings
    from journeymaps.site import cache as cache_module
    from journeymaps.site.build import build

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(tmp_path / "a" / "key"))
    read: list[bytes] = []
    check = cache_module.svg_problem
    monkeypatch.setattr(cache_module, "svg_problem", lambda data: read.append(data) or check(data))
    settings = load_settings(project, None)

    def built(out: str) -> None:
        build([project / "maps"], settings, project, tmp_path / out, today=TODAY, jobs=1)

    built("first")
    names = sorted(p.name for p in (tmp_path / "cache" / "diagrams").glob("*.svg"))
    assert len(names) == 3 and all(ENTRY.match(n)[3] for n in names), names  # tagged
    built("second")
    assert read == []
    monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(tmp_path / "b" / "key"))
    built("third")
    assert len(read) == 3
    assert _tree(tmp_path / "third" / "diagrams") == _tree(tmp_path / "first" / "diagrams")


def test_a_diagram_drawn_here_is_chosen_over_another_entry_of_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache shared with another key (or one planted beside this user's drawing) holds
    two tagged entries of one key; the one the folder happened to list last was used: the
    other key's drawing, read in full, or a planted one that holds nothing a browser runs
    but shows something else. This user's own drawing is the one chosen."""
    from journeymaps.settings import load_settings
    from journeymaps.site import cache as cache_module
    from journeymaps.site.build import build

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(tmp_path / "a" / "key"))
    settings = load_settings(project, None)

    def built(out: str) -> None:
        build([project / "maps"], settings, project, tmp_path / out, today=TODAY, jobs=1)

    built("first")
    folder = tmp_path / "cache" / "diagrams"
    own = sorted(p.name for p in folder.glob("*.svg"))
    for name in own:  # the same diagram, another title, under another key's tag
        data = (folder / name).read_bytes().replace(b"<title>", b"<title>Not this one: ", 1)
        digest = hashlib.sha256(data).hexdigest()[:32]
        (folder / f"{name[:64]}.{digest}.{os.urandom(16).hex()}.svg").write_bytes(data)
    listdir = os.listdir
    # This user's entries listed first, whatever the file system's order.
    monkeypatch.setattr(os, "listdir", lambda path=".": sorted(listdir(path), key=lambda n: n not in own))
    read: list[bytes] = []
    check = cache_module.svg_problem
    monkeypatch.setattr(cache_module, "svg_problem", lambda data: read.append(data) or check(data))
    built("second")
    assert _tree(tmp_path / "second" / "diagrams") == _tree(tmp_path / "first" / "diagrams")
    assert read == []


def test_an_unchanged_diagram_comes_from_the_last_site(tmp_path: Path) -> None:
    """The previous site's copy of a diagram, checked when it was published, is reused; the
    cache's own copy is not read again."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm_here(project, "build", env=env).returncode == 0
    for path in (tmp_path / "cache" / "diagrams").glob("*.svg"):
        path.write_bytes(b"damaged after it was published")
    settings = project / "journeymaps.toml"  # a change that draws nothing again
    settings.write_text(settings.read_text("utf-8").replace("Acme journeys", "Acme's journeys"))
    result = jm_here(project, "build", env=env)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "3 diagrams (0 drawn, 3 from the cache)" in result.stdout
    for path in (project / "site" / "diagrams").glob("*.svg"):
        assert path.read_bytes().startswith(b"<?xml"), path.name


SPY = """
import hashlib, os, sys, wasmtime
loaded = []
for name in ("deserialize", "deserialize_file"):
    original = getattr(wasmtime.Module, name)
    if name == "deserialize":
        original_deserialize = original
    def spy(*args, _original=original, **kwargs):
        loaded.append(1)
        return _original(*args, **kwargs)
    setattr(wasmtime.Module, name, staticmethod(spy))
made = os.environ.get("JOURNEYMAPS_TEST_COMPILED")
if made:  # a compile of that WebAssembly gives the module compiled once for the session
    deserialize, compile_wasm = original_deserialize, wasmtime.Module
    class Compiling(wasmtime.Module):
        def __new__(cls, engine, wasm):
            if hashlib.sha256(wasm).hexdigest() != os.environ["JOURNEYMAPS_TEST_COMPILED_FROM"]:
                return compile_wasm(engine, wasm)
            try:
                return deserialize(engine, open(made, "rb").read())
            except wasmtime.WasmtimeError:  # another engine configuration: compiled here
                return compile_wasm(engine, wasm)
    wasmtime.Module = Compiling
from journeymaps.diagrams.render import renderer
assert b"<svg" in renderer("embedded").layout("digraph { a -> b }")
print("loaded" if loaded else "compiled")
"""


@pytest.fixture(scope="session")
def compiled_graphviz(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The Graphviz module as this install compiles it, made once for the session (in this
    process, or loaded from the user's cache under its checks), for the processes that
    must compile it (see SPY): a compile costs ~2 s of CPU, and those tests are about
    whether a process compiles or loads, not about wasmtime's compiler (the first process
    of :func:`test_compiled_graphviz_is_loaded_only_from_where_only_this_user_writes`
    compiles for real)."""
    import wasmtime  # noqa: F401 (the embedded tests need it)

    from journeymaps.diagrams.render import renderer, wasm_path

    made = tmp_path_factory.mktemp("compiled-graphviz") / "graphviz.cwasm"
    made.write_bytes(renderer("embedded")._module.serialize())  # type: ignore[attr-defined]
    made.chmod(0o400)
    wasm = hashlib.sha256(wasm_path().read_bytes()).hexdigest()
    return {"JOURNEYMAPS_TEST_COMPILED": str(made), "JOURNEYMAPS_TEST_COMPILED_FROM": wasm}


def _start(
    cache: Path, key: Path | None = None, user: Path | None = None, compiled: dict[str, str] | None = None
) -> str:
    """Whether a process with ``cache`` as its $JOURNEYMAPS_CACHE (and ``user`` as the user's
    own cache folder: by default none, so only ``cache`` can hold a module) compiled the
    Graphviz module or loaded it. With ``compiled`` (:func:`compiled_graphviz`) a compile
    there gives the session's module rather than compiling it again."""
    extra = {"JOURNEYMAPS_CACHE_KEY_FILE": str(key)} if key else {}
    extra |= compiled or {}
    user = user or cache.parent / f"{cache.name}-no-user-cache"
    result = subprocess.run(
        [sys.executable, "-c", SPY],
        env={**os.environ, "JOURNEYMAPS_CACHE": str(cache), "XDG_CACHE_HOME": str(user), **extra},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.embedded
def test_compiled_graphviz_is_loaded_only_from_where_only_this_user_writes(
    tmp_path: Path, compiled_graphviz: dict[str, str]
) -> None:
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
    assert _start(beside, compiled=compiled_graphviz) == "compiled"

    shared = tmp_path / "shared"  # a folder others may write to
    (shared / "graphviz").mkdir(parents=True)
    shutil.copy(module, shared / "graphviz" / module.name)
    (shared / "graphviz").chmod(0o777)
    assert _start(shared, compiled=compiled_graphviz) == "compiled"

    planted = tmp_path / "planted"  # a module another user wrote
    (planted / "graphviz").mkdir(parents=True, mode=0o700)
    shutil.copy(module, planted / "graphviz" / module.name)
    if os.geteuid() == 0:
        os.chown(planted / "graphviz" / module.name, 65534, 65534)
    else:  # without root, another user's file cannot be made: one others may write will do
        (planted / "graphviz" / module.name).chmod(0o666)
    assert _start(planted, compiled=compiled_graphviz) == "compiled"

    damaged = tmp_path / "damaged"  # its bytes are not those its name records
    (damaged / "graphviz").mkdir(parents=True, mode=0o700)
    data = bytearray(module.read_bytes())
    data[len(data) // 2] ^= 0xFF
    (damaged / "graphviz" / module.name).write_bytes(bytes(data))
    assert _start(damaged, compiled=compiled_graphviz) == "compiled"


@pytest.mark.embedded
def test_a_compiled_graphviz_module_is_loaded_only_when_this_users_key_sealed_it(
    tmp_path: Path, compiled_graphviz: dict[str, str]
) -> None:
    """The digest in a module's name proves its bytes are whole, not who compiled them: a
    module restored from a CI cache (this user's, mode 0600) was loaded as native code."""
    cache, key = tmp_path / "cache", tmp_path / "state" / "key"
    assert _start(cache, key, compiled=compiled_graphviz) == "compiled"
    (module,) = (cache / "graphviz").glob("graphviz-*.cwasm")
    written = (module.stat().st_ino, module.stat().st_mtime_ns)
    assert _start(cache, key, compiled=compiled_graphviz) == "loaded"
    assert (module.stat().st_ino, module.stat().st_mtime_ns) == written  # not compiled again

    data = module.read_bytes()
    sealed = data.startswith(b"journeymaps-sealed-1\n")
    raw = data[len(b"journeymaps-sealed-1\n") + 32 :] if sealed else data
    forgeries = {
        "another-key": data,  # a cache restored from another runner, sealed with its key
        "unsealed": raw,  # the module's bytes under their right digest, not sealed at all
        "bad-mac": data[:30] + bytes([data[30] ^ 1]) + data[31:],  # its MAC (or bytes) changed
    }
    for how, forged in forgeries.items():
        restored = tmp_path / how / "graphviz"
        restored.mkdir(parents=True, mode=0o700)
        (restored / module.name).write_bytes(forged)
        (restored / module.name).chmod(0o600)
        other = key if how == "bad-mac" else tmp_path / "other" / "key"
        assert _start(restored.parent, other, compiled=compiled_graphviz) == "compiled", how
        assert len(list(restored.glob("graphviz-*.cwasm"))) == 1  # replaced, not added to
        assert _start(restored.parent, other, compiled=compiled_graphviz) == "loaded", how


@pytest.mark.embedded
def test_a_cache_of_its_own_loads_the_module_the_users_cache_holds(
    tmp_path: Path, compiled_graphviz: dict[str, str]
) -> None:
    """Each $JOURNEYMAPS_CACHE of its own (a project's, a CI job's) compiled Graphviz again,
    about two seconds of CPU each, though the user's cache held the same module: it is
    loaded from there, under the same checks, and nothing is written into the user's cache
    or added to the other."""
    user = tmp_path / "home-cache"
    assert (
        _start(user / "journeymaps", user=user, compiled=compiled_graphviz) == "compiled"
    )  # the user's own cache
    (module,) = (user / "journeymaps" / "graphviz").glob("graphviz-*.cwasm")
    kept = (module.stat().st_ino, module.stat().st_mtime_ns)
    project = tmp_path / "project-cache"
    assert _start(project, user=user, compiled=compiled_graphviz) == "loaded"
    assert not list(project.glob("graphviz/*.cwasm"))  # nothing compiled, nothing copied
    assert (module.stat().st_ino, module.stat().st_mtime_ns) == kept

    # ...and only when it would be loaded from the user's cache itself
    module.chmod(0o666)  # now others could have written it
    assert _start(tmp_path / "second-project-cache", user=user, compiled=compiled_graphviz) == "compiled"
    assert module.exists()  # the user's cache is not this run's to tidy
    module.chmod(0o600)
    assert (
        _start(
            tmp_path / "third-project-cache",
            user=user,
            key=tmp_path / "another" / "key",
            compiled=compiled_graphviz,
        )
        == "compiled"
    )


def test_diagrams_are_drawn_without_comments_and_inlined_as_checked() -> None:
    """Graphviz's comments (a tenth of a diagram's bytes, never seen) are dropped as it is
    drawn, so a full-size page inlines the published SVG less its XML prologue only; a
    comment inside CDATA is text that the check read as it is, and is left as it is."""
    from journeymaps.diagrams import tidied
    from journeymaps.site.cache import svg_problem
    from journeymaps.site.story import inline_svg

    graphviz = (
        b'<?xml version="1.0"?>\n<!-- Generated by graphviz version 16.1.0\n -->\n'
        b'<svg xmlns="http://www.w3.org/2000/svg">\n<!-- step&#45;one -->\n'
        b'<g id="node1"><text>a</text></g>\n</svg>\n'
    )
    drawn = tidied(graphviz)
    assert drawn == (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n'
        b'<g id="node1"><text>a</text></g>\n</svg>\n'
    )
    assert svg_problem(drawn) is None
    assert (
        inline_svg(drawn)
        == b'<svg xmlns="http://www.w3.org/2000/svg">\n<g id="node1"><text>a</text></g>\n</svg>\n'
    )
    hidden = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[svg { background: '
        b"u<!-- -->rl(https://evil.example/x.png) }]]></style></svg>"
    )
    # The check refuses any function in a style sheet (it read "u<!-- -->rl(" as no url(,
    # and let it pass), and the page would inline the text as it is: no url( made of it.
    assert svg_problem(hidden) == "its style sheet loads or runs something"
    assert b"url(" not in inline_svg(hidden)


def _poison_base_template(cache: Path, key_file: Path, sealed_with: Path | None) -> Path:
    """What a poisoned CI cache holds: base.html compiled from a source with a script, under
    the name and checksum of the real one, owned by this user with mode 0600 (what
    actions/cache restores), unsealed or sealed with another machine's key."""
    script = f"""
import os
from pathlib import Path
from jinja2.bccache import Bucket
from journeymaps import templating
env = templating.environment()
source, filename, _ = env.loader.get_source(env, "base.html")
bucket = Bucket(env, env.bytecode_cache.get_cache_key("base.html", filename),
                env.bytecode_cache.get_source_checksum(source))
bucket.code = env.compile(source.replace("</body>", "<script>alert('poisoned-cache')</script></body>", 1),
                          "base.html", filename)
data = bucket.bytecode_to_string()
path = Path({str(cache)!r}) / "templates" / f"{{bucket.key}}.jinja"
if {str(sealed_with) if sealed_with else ""!r}:
    from journeymaps import cache_seal
    os.environ["JOURNEYMAPS_CACHE_KEY_FILE"] = {str(sealed_with)!r}
    data = cache_seal.seal("templates/" + path.name, data)
path.write_bytes(data)
path.chmod(0o600)
print(path)
"""
    env = {**os.environ, "JOURNEYMAPS_CACHE": str(cache), "JOURNEYMAPS_CACHE_KEY_FILE": str(key_file)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file written again has a new inode."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "another-machines-key"])
def test_poisoned_compiled_templates_are_never_run(tmp_path: Path, sealed: bool) -> None:
    """Compiled templates were trusted on owner and mode alone: a restored cache holding
    base.html compiled with a <script> put it into every page (and ran its Python)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    cache, key = tmp_path / "cache", tmp_path / "state" / "cache-key"
    env = {"JOURNEYMAPS_CACHE": str(cache), "JOURNEYMAPS_CACHE_KEY_FILE": str(key)}
    assert jm_here(project, "build", "-o", "reference", env=env).returncode == 0
    poisoned = _poison_base_template(cache, key, tmp_path / "elsewhere" / "cache-key" if sealed else None)

    result = jm_here(project, "build", "-o", "site", env=env)

    assert result.returncode == 0 and result.stderr == "", result.stderr
    pages = list((project / "site").rglob("*.html"))
    assert pages and not [p for p in pages if "poisoned-cache" in p.read_text("utf-8")]
    assert _tree(project / "site") == _tree(project / "reference")
    assert b"poisoned-cache" not in poisoned.read_bytes()  # compiled again and replaced


def test_a_cache_this_user_sealed_is_used_and_another_keys_is_replaced(tmp_path: Path) -> None:
    """A valid cache is loaded, not compiled again (its files are not rewritten); the same
    cache under another key (another runner, another machine) is compiled again, once."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    cache = tmp_path / "cache"
    env = {"JOURNEYMAPS_CACHE": str(cache), "JOURNEYMAPS_CACHE_KEY_FILE": str(tmp_path / "a" / "key")}
    assert jm_here(project, "build", "-o", "first", env=env).returncode == 0
    compiled = _files(cache / "templates")
    assert compiled
    key = (tmp_path / "a" / "key").stat()
    assert key.st_mode & 0o777 == 0o600 and (tmp_path / "a").stat().st_mode & 0o777 == 0o700

    assert jm_here(project, "build", "-o", "second", env=env).returncode == 0
    assert _files(cache / "templates") == compiled  # loaded, not written again

    other = {**env, "JOURNEYMAPS_CACHE_KEY_FILE": str(tmp_path / "b" / "key")}
    result = jm_here(project, "build", "-o", "third", env=other)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    recompiled = _files(cache / "templates")
    assert recompiled.keys() == compiled.keys()
    assert all(recompiled[name] != compiled[name] for name in compiled)
    assert _tree(project / "third") == _tree(project / "first")


def test_a_key_file_set_inside_the_cache_is_not_used(tmp_path: Path) -> None:
    """A key kept in the cache folder travels with it: a cache restored in CI would bring
    its author's key, and templates or drawings sealed with it would be trusted as this
    user's. Such a key is never made or used: nothing is sealed or tagged, all still works."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    cache = tmp_path / "cache"
    env = {"JOURNEYMAPS_CACHE": str(cache), "JOURNEYMAPS_CACHE_KEY_FILE": str(cache / "keys" / "key")}
    for out in ("first", "second"):
        result = jm_here(project, "build", "-o", out, env=env)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    assert not (cache / "keys" / "key").exists()
    names = [p.name for p in (cache / "diagrams").glob("*.svg")]
    assert len(names) == 3 and not any(ENTRY.match(n)[3] for n in names), names  # untagged
    assert "3 diagrams (0 drawn, 3 from the cache)" in result.stdout  # the cache is still used, read in full
    assert _tree(project / "second" / "diagrams") == _tree(project / "first" / "diagrams")


def test_a_fifo_named_as_the_key_file_does_not_hang_the_build(tmp_path: Path) -> None:
    """``JOURNEYMAPS_CACHE_KEY_FILE`` naming a FIFO: opening it to read the key waited for a
    writer, and the build hung. It is no key (not a regular file): the build goes on without
    one, and the FIFO is left as it is (the user named it)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (tmp_path / "keys").mkdir(mode=0o700)
    key = tmp_path / "keys" / "key"
    os.mkfifo(key, 0o600)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache"), "JOURNEYMAPS_CACHE_KEY_FILE": str(key)}
    try:
        result = jm(project, "build", env=env, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the build hung on a FIFO named as the key file")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site" / "index.html").is_file() and key.is_fifo()


def test_a_history_period_planted_in_the_cache_is_not_published(tmp_path: Path) -> None:
    """The What changed page is cached by commit ids, which anyone can compute: a cache
    restored in CI, or shared, published whatever changes, commits and authors its JSON
    said. A period is kept sealed with this user's key, as compiled templates are; one that
    is not (planted, or another key's) is read from git again and replaced."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=Priya", "-c", "user.email=p@example.com", *args],
            cwd=project,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "Maps")
    refund = project / "maps" / "refund.yaml"
    refund.write_text(refund.read_text("utf-8").replace("title: ", "title: Edited ", 1), "utf-8")
    git("commit", "-q", "-am", "Retitle the refund map")
    cache = tmp_path / "cache"
    env = {"JOURNEYMAPS_CACHE": str(cache), "JOURNEYMAPS_CACHE_KEY_FILE": str(tmp_path / "a" / "key")}
    assert jm_here(project, "build", "-o", "first", env=env).returncode == 0
    (period,) = (cache / "history").glob("*.json")
    stored = period.read_bytes()
    # The JSON after the seal's head (its MAC is 32 random-looking bytes: looking for the
    # first "{" found one inside it about one run in eight, and the test failed in CI).
    text = stored[len(cache_seal.MAGIC) + hashlib.sha256().digest_size :].decode("utf-8")
    assert text.startswith("{")
    assert "Retitle the refund map" in text
    period.write_text(text.replace("Retitle the refund map", "Nothing to see here"), "utf-8")
    period.chmod(0o600)
    result = jm_here(project, "build", "-o", "second", env=env)
    assert result.returncode == 0, result.stderr
    page = (project / "second" / "changes.html").read_text("utf-8")
    assert "Nothing to see here" not in page and "Retitle the refund map" in page
    assert _tree(project / "second") == _tree(project / "first")
    assert period.read_bytes() == stored  # read from git again, and replaced


def _two_maps_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """The fixture with a second map (the one edited later, so that what a build kept of the
    first stays valid), built once with a cache and a key of its own (this process's too,
    to seal with); the project, and the environment its builds run in."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    refund = project / "maps" / "refund.yaml"
    (project / "maps" / "second.yaml").write_text(
        refund.read_text("utf-8").replace("id: refund", "id: second", 1), "utf-8"
    )
    env = {
        "JOURNEYMAPS_CACHE": str(tmp_path / "cache"),
        "JOURNEYMAPS_CACHE_KEY_FILE": str(tmp_path / "a" / "key"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert jm_here(project, "build", "-o", "site", env=env).returncode == 0
    return project, env


def _plant(
    kept: Path, planted: str, name: str, forged: bytes, not_ours: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In place of the file a build ``kept``: ``forged`` sealed with another key, or not
    sealed ("unsealed…"); ``not_ours`` sealed with this user's key; or a FIFO."""
    kept.unlink()
    if planted == "another key":
        key = os.environ["JOURNEYMAPS_CACHE_KEY_FILE"]
        monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(Path(key).parent.parent / "b" / "key"))
        kept.write_bytes(cache_seal.seal(name, forged) or b"")
        monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", key)
    elif planted.startswith("unsealed"):
        kept.write_bytes(forged)
    elif planted.startswith("this key"):
        kept.write_bytes(cache_seal.seal(name, not_ours) or b"")
    else:
        os.mkfifo(kept)
    if kept.is_file():
        kept.chmod(0o600)
        assert kept.stat().st_size > len(cache_seal.MAGIC)  # sealed, or planted as it is


def _rebuilt(project: Path, env: dict[str, str]) -> dict[str, bytes]:
    """The site after the second map's edit, which must be the clean build's (the marker,
    which names the build's own output, aside)."""
    second = project / "maps" / "second.yaml"
    second.write_text(second.read_text("utf-8").replace("title: ", "title: Edited ", 1), "utf-8")
    rebuilt = jm(project, "build", "-o", "site", env=env, timeout=120)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert jm_here(project, "build", "-o", "clean", env=env).returncode == 0
    site, clean = _tree(project / "site"), _tree(project / "clean")
    for tree in (site, clean):
        del tree[".journeymaps-site"]
    assert site == clean
    return site


def _sealed_payload(kept: Path) -> bytes:
    return kept.read_bytes()[len(cache_seal.MAGIC) + hashlib.sha256().digest_size :]


PLANTED = ["another key", "unsealed", "this key, not ours", "a FIFO"]


@pytest.mark.parametrize("planted", PLANTED)
def test_search_parts_planted_in_the_cache_are_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    """Each map's part of the search index is kept in the cache for the next build of its
    site (issue 18), and what a part holds is written into the site's scripts. The file is
    sealed with this user's key: one planted or restored (another key's, unsealed), one
    that holds no parts, or no file at all (a FIFO) is not read; the parts are made again."""
    project, env = _two_maps_built(tmp_path, monkeypatch)
    (kept,) = (tmp_path / "cache" / "search").glob("*.parts")
    parts = marshal.loads(_sealed_payload(kept))
    assert parts, "the build kept no part"
    # each part's entries replaced, and its digests (what says its files are the previous
    # site's) changed, so that each file is written from what the cache says
    entries = '{"t":"Planted</script><script>alert(1)</script>"}'
    forged = {
        k: (entries, shards, "forged", dict.fromkeys(shards, "forged"))
        for k, (_, shards, _, _) in parts.items()
    }
    not_parts = dict.fromkeys(parts, ("Planted",))
    name = KeptParts(project / "site")._name
    _plant(kept, planted, name, marshal.dumps(forged), marshal.dumps(not_parts), monkeypatch)
    site = _rebuilt(project, env)
    assert not any(b"Planted" in data for data in site.values())


class _Runs:
    """A pickle that runs code when read: it makes the file it names."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.mark.parametrize("planted", [*PLANTED, "unsealed, runs code"])
def test_parsed_files_planted_in_the_cache_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    """The files a build parsed are kept in the cache for the next build of its site (issue
    18): what the file holds is every map's data, and its few values that are not plain are
    pickles (reading one runs whatever it says). The file is sealed with this user's key for this code: one planted or restored
    (another key's, unsealed, one that would run code), one that holds no files, or no file
    at all (a FIFO) is not read; the files are parsed again."""
    project, env = _two_maps_built(tmp_path, monkeypatch)
    (kept,) = (tmp_path / "cache" / "sources").glob("*.sources")
    sources = decoded(_sealed_payload(kept))
    assert any(s.path.name == "refund.yaml" for s in sources.values()), "the build kept no file"
    for src in sources.values():  # each map's title replaced, as a page would show it
        if isinstance(src.data, dict) and "title" in src.data:
            src.data["title"] = "Planted"
    marker = tmp_path / "ran"
    forged = pickle.dumps(_Runs(marker)) if planted == "unsealed, runs code" else encoded(sources)
    name = KeptSources(project / "site")._name
    _plant(kept, planted, name, forged, marshal.dumps(dict.fromkeys(sources, "Planted")), monkeypatch)
    site = _rebuilt(project, env)
    assert not marker.exists()
    assert not any(b"Planted" in data for data in site.values())
