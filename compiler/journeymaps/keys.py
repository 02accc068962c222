"""Every cache key in one place, and what each is made of.

- :func:`code_digest`: our code (the package's Python sources); a change, even unreleased
  (an editable install), draws diagrams again and rebuilds the site.
- :func:`renderer_identity`: the renderer and its Graphviz version.
- :func:`settings_key`: the settings as the run understood them.
- :func:`personas_key`, :func:`map_key`, :func:`dot_key`: a diagram in the diagram cache.
- :func:`page_inputs_key`: what one page of the site is made of (the next build links an
  unchanged page instead of rendering it).
- :func:`template_identity`, :func:`template_checksum`: a compiled template in the cache (its
  source, our code, Jinja).
- :func:`graphviz_module_key`: the compiled Graphviz module (its bytes, wasmtime, the machine).
- :func:`history_key`: the "What changed" history read from git (the commits at both ends
  of the period, its length, a shallow clone, the code and settings).
- :func:`site_stamp` and :func:`site_fingerprint`: everything a site depends on (the code
  and the shipped templates and schemas, the renderer, the date, the settings, measured
  numbers, the HEAD commit (the "What changed" page) and every input file), part by part,
  so that a build can say why it ran (:func:`why_rebuilt`) the way Sphinx does.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import journeymaps
from journeymaps import __version__
from journeymaps.reading import REGISTRY_NAMES, shown_name

if TYPE_CHECKING:
    import datetime as dt

    from journeymaps.diagrams import Diagram
    from journeymaps.photos import Photo
    from journeymaps.settings import Settings

#: A file as a build read it: its bytes, its text, or None when it could not be read.
Contents = Mapping[Path, "bytes | str | None"]

#: The parts of a site stamp besides the input files (those are keyed ``file:PATH``).
CODE, RENDERER, DATE, SETTINGS, MEASURED, HISTORY = (
    "journeymaps",
    "renderer",
    "date",
    "settings",
    "measured",
    "history",
)
#: The layout timeout, when not the default (see :func:`journeymaps.site.build.build`).
TIMEOUT = "timeout"
#: The files a build was asked for, when not every file it read (see :func:`asked_stamp`).
ASKED = "asked"
FILE = "file:"
#: Files a build found it depended on besides its inputs (persona photos), keyed
#: ``also:PATH``: the next build checks them again before calling the site up to date.
ALSO = "also:"


def _sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    """A digest of our code (views, model, rules, site): a few milliseconds once per process."""
    package = Path(journeymaps.__file__).parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@functools.cache
def shipped_digest() -> str:
    """A digest of the shipped templates and schemas (what the site's pages and lint's
    findings are made with besides the code)."""
    from journeymaps.templating import templates_dir
    from journeymaps.validate import schema_dir

    return _folders_digest(("templates", templates_dir()), ("schema", schema_dir()))


@functools.cache
def schemas_digest() -> str:
    """A digest of the shipped schemas alone (what a file's parse and validation are made
    with besides the code): lint needs it without importing the site's templating."""
    from journeymaps.validate import schema_dir

    return _folders_digest(("schema", schema_dir()))


def _folders_digest(*folders: tuple[str, Path]) -> str:
    h = hashlib.sha256()
    for name, folder in folders:
        for path in sorted(folder.rglob("*")):
            data = _read(path)
            h.update(f"{name}/{path.relative_to(folder).as_posix()}".encode() + b"\0")
            h.update(b"unreadable" if data is None else data)
    return h.hexdigest()


@functools.cache
def renderer_identity(name: str) -> str:
    """The renderer and its Graphviz version: part of every cached diagram's key, so that
    an upgraded Graphviz lays the diagrams out again."""
    from journeymaps.diagrams.render import RENDERERS

    return f"{name} ({RENDERERS[name].version()})"


#: Settings fields that say only where a value is written, for messages.
_WORDING_ONLY = frozenset({"paths_at"})


def settings_key(settings: Settings) -> str:
    """The settings as this run understood them (defaults included), and the settings file's
    bytes (a comment is not a change to the site, but the file is cheap to hash)."""
    # Not where the settings file says its paths (named from the folder the run started in,
    # for messages): a build from maps/ said "settings changed" and built every page again.
    material = repr(sorted((k, v) for k, v in vars(settings).items() if k not in _WORDING_ONLY)).encode()
    raw = _read(settings.file) if settings.file else b""
    return _sha(material, b"unreadable" if raw is None else raw)


def personas_key(registries: Iterable[tuple[Path, bytes]]) -> str:
    """What every map diagram depends on besides its own file: the registries' (personas,
    teams) bytes, in order. Not their paths: a project checked out elsewhere (a CI runner, a
    moved folder) draws the same diagrams and finds them in the cache."""
    h = hashlib.sha256()
    for _, raw in registries:
        h.update(len(raw).to_bytes(8, "big") + raw)
    return h.hexdigest()


def map_key(content: str, view: str, renderer: str, personas: str, slug: str, measured: str = "") -> str:
    """A map's diagram: the code, the renderer (its :func:`renderer_identity`), the view, the
    personas, the map's page name (its shapes link there) and the map's own bytes, by their
    :func:`file_digest` (the site's record has it: hashing each map's bytes again for each
    view cost a 1,000-map rebuild ~18 ms); ``measured``, for a view showing measured numbers,
    the map's snapshot and the sources that read it."""
    material = "\0".join((code_digest(), renderer, view, personas, slug, content, measured))
    return hashlib.sha256(material.encode()).hexdigest()


def dot_key(diagram: Diagram, renderer: str) -> str:
    """A diagram of the whole project: keyed by its DOT."""
    material = "\0".join((code_digest(), renderer, diagram.title, diagram.description, diagram.dot))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def page_inputs_key(base: str, parts: Iterable[object]) -> str:
    """One digest of what a page is made of: ``base`` (what every page depends on) and the
    parts the page names, each by its ``repr``."""
    h = hashlib.sha256(base.encode())
    for part in parts:
        text = repr(part).encode("utf-8", "surrogateescape")
        h.update(len(text).to_bytes(8, "big") + text)
    return h.hexdigest()


def template_identity() -> str:
    """What compiled templates are compiled by: our code (the options that shape the
    compiled code live in it) and Jinja's version."""
    import jinja2

    return f"{code_digest()} jinja2 {jinja2.__version__}"


def template_checksum(identity: str, source: str) -> str:
    """A compiled template's key: its source and its :func:`template_identity`, so a changed
    template or a new journeymaps or Jinja compiles it again."""
    return hashlib.sha256(f"{identity}\0{source}".encode("utf-8", "surrogateescape")).hexdigest()


def graphviz_module_key(wasm: bytes, wasmtime_version: str, *, checked: bool = True) -> str:
    """The compiled Graphviz module's name: the module's bytes, wasmtime's version and the
    machine (native code compiled for one is refused by another); ``checked``, compiled with
    the checks that let a layout be stopped (a module without them is another module)."""
    import platform

    made = wasm + wasmtime_version.encode() + platform.machine().encode()
    return hashlib.sha256(made if checked else made + b" unchecked").hexdigest()[:20]


def history_key(settings: Settings, version: str, head: str, base: str, days: int, shallow: bool) -> str:
    """The "What changed" history: the cache format's ``version``, the code, the settings,
    the commits at both ends of the period, its length in days and whether the clone is
    shallow (a deepened clone reads more history)."""
    material = "\0".join(
        (version, code_digest(), settings_key(settings), head, base, str(days), str(shallow))
    )
    return hashlib.sha256(material.encode()).hexdigest()


def site_stamp(inputs: Contents, settings: Settings, renderer: str, today: dt.date) -> dict[str, str]:
    """Everything a site depends on, part by part (part -> digest): the code with the
    shipped templates and schemas, the renderer (its :func:`renderer_identity`), the date (staleness
    is judged as of it), the settings, the measured numbers and each input file."""
    from journeymaps.history import head_id

    try:
        measured = sorted((settings.root / settings.measure.metrics).glob("*.json"))
    except (OSError, ValueError):
        # A folder no file can be in (a name too long: Path.glob's is_dir raises for it):
        # no snapshots, as measure.snapshot.listed and lint take it. Its error ended the
        # build as "cannot write the site to site/".
        measured = []
    stamp = {
        CODE: _sha(code_digest().encode(), shipped_digest().encode()),
        RENDERER: _sha(renderer.encode()),
        DATE: today.isoformat(),
        SETTINGS: settings_key(settings),
        MEASURED: _sha(*(os.fsencode(p) + b"\0" + (_read(p) or b"unreadable") for p in measured)),
        HISTORY: _sha(head_id(settings.root).encode()),
    }
    for path, data in sorted(inputs.items(), key=lambda kv: str(kv[0])):
        raw = b"unreadable" if data is None else data.encode() if isinstance(data, str) else data
        stamp[FILE + _shown(path, settings.root)] = file_digest(raw)
    return stamp


def asked_stamp(asked: Sequence[Path], read: Iterable[Path], root: Path) -> dict[str, str]:
    """The ``asked`` part of a stamp: the files a build over some paths was asked for, when
    they are not every file it read (a map folder of several, or a wrong path: ``build
    site`` built a site of no map, and the ``build`` after it, of every map, found the site
    "up to date", the same files having been read). Nothing when every file read was asked
    for, so a build of the maps folders keeps the stamp it had."""
    if set(asked) == set(read):
        return {}
    return {ASKED: _sha(*(_shown(p, root).encode() + b"\0" for p in sorted(asked, key=str)))}


def file_digest(raw: bytes) -> str:
    """An input file's bytes as the site's record keeps them."""
    return _sha(raw)


def file_digests(inputs: Contents, settings: Settings, stamp: Mapping[str, str]) -> dict[str, str]:
    """Each input file's digest in ``stamp`` (its :func:`site_stamp`), by its path."""
    return {str(path): stamp[FILE + _shown(path, settings.root)] for path in inputs}


def pages_base(stamp: Mapping[str, str], registries: str, *, dated: bool = True) -> str:
    """What every page of the site depends on: the code with the templates, the renderer,
    the date, the settings, the measured numbers, the commit the history ends at (a map's
    page shows what changed) and the registries (teams and personas: their
    :func:`personas_key`). A page's recorded inputs start from it. ``dated=False``: all of
    it but the date, for what no date changes (a map's part of the search index)."""
    parts = (CODE, RENDERER, *((DATE,) if dated else ()), SETTINGS, MEASURED, HISTORY)
    return _sha(*(stamp[part].encode() for part in parts), registries.encode())


def has_head(stamp: Mapping[str, str]) -> bool:
    """Whether the site's project is in a git repository with a commit (its ``history`` part
    is not that of no HEAD): what its pages may say they were built from."""
    return stamp.get(HISTORY) != _sha(b"")


def _shown(path: Path, root: Path) -> str:
    """A path as the site's record keeps it: inside the project, relative to its root."""
    # As strings for a file under the root (twice a file a build: relative_to cost a
    # 1,000-map serve rebuild ~0.04 s); both are normalised Paths, so a prefix ending at a
    # separator is what relative_to finds.
    full, base = str(path), str(root)
    if full.startswith(base) and full[len(base) : len(base) + 1] == os.sep and base != os.sep:
        return shown_name(full[len(base) + 1 :].replace(os.sep, "/"))
    try:
        return shown_name(path.relative_to(root).as_posix())
    except ValueError:
        return shown_name(path.as_posix())


def site_fingerprint(stamp: Mapping[str, str]) -> str:
    """One digest of a :func:`site_stamp`: equal stamps, equal sites."""
    return _sha(*(f"{part}\0{digest}".encode() for part, digest in sorted(stamp.items())))


#: How each part's change is told, in this order.
_TOLD = (
    (CODE, "journeymaps changed"),
    (RENDERER, "renderer changed"),
    (TIMEOUT, "layout timeout changed"),
    (ASKED, "paths changed"),
    (SETTINGS, "settings changed"),
    (MEASURED, "measured numbers changed"),
    (HISTORY, "commits changed"),
    (DATE, "date changed"),
)


def why_rebuilt(previous: Mapping[str, str] | None, stamp: Mapping[str, str]) -> list[str]:
    """Why a build with ``stamp`` cannot reuse the site built with ``previous`` ([] when it
    can): ``journeymaps changed``, ``settings changed``, ``maps changed: 2``..."""
    if previous is None:
        return ["no previous build"]
    if not previous:
        return ["the previous build kept no record of its inputs"]
    reasons = [told for part, told in _TOLD if previous.get(part) != stamp.get(part)]
    files = {k for k in (*previous, *stamp) if k.startswith(FILE)}
    changed = sorted(k.removeprefix(FILE) for k in files if previous.get(k) != stamp.get(k))
    # teams.yaml is not a map: "maps changed: 3" for two maps and it was miscounted
    registries = [name for name in changed if name.rsplit("/", 1)[-1] in REGISTRY_NAMES]
    if maps := len(changed) - len(registries):
        reasons.append(f"maps changed: {maps}")
    reasons += [f"{name} changed" for name in registries]
    also = {k for k in (*previous, *stamp) if k.startswith(ALSO)}
    if changed_also := sum(1 for k in also if previous.get(k) != stamp.get(k)):
        reasons.append(f"photos changed: {changed_also}")
    return reasons


def photos_stamp(written: Iterable[str], root: Path) -> dict[str, str]:
    """The ``also:`` part of a stamp for the persona photos named ``written``: each as the
    site would publish it (its name there is its content's digest), or why it cannot be."""
    from journeymaps.photos import load_photo

    return photos_stamp_of({path: load_photo(path, root) for path in set(written)})


def photos_stamp_of(loaded: Mapping[str, Photo | str]) -> dict[str, str]:
    """:func:`photos_stamp` of photos already loaded (as written -> the image, or why it
    cannot be used): a build records the images its pages show, not the files read again
    once they are written (a photo saved in between was recorded, never shown, and the
    next build called the site up to date)."""
    from journeymaps.photos import Photo

    return {
        ALSO + path: found.site_path if isinstance(found, Photo) else _sha(found.encode())
        for path, found in sorted(loaded.items())
    }


def _read(path: Path) -> bytes | None:
    """A file's bytes; b"" for a folder, None when unreadable."""
    try:
        return path.read_bytes() if path.is_file() else b""
    except OSError:
        return None
