"""The diagram cache: what is read from it is verified, and it never fills the disk.

**Verified.** A cache can be shared or restored (a CI cache, a copied home folder), so
nothing read from it is trusted: each diagram is stored as ``KEY.DIGEST.svg``, DIGEST being
the SHA-256 of its bytes, and a copy is published only when its bytes still have that
digest (a truncated, emptied or random file is drawn again) and hold nothing that runs in
a browser (scripts, event handlers, foreign objects, links that are not the site's own).
The bytes checked are the bytes published (read once), so the cache cannot change under the
check.

**Checked once.** That content check reads the whole SVG (~0.9 ms for a small map's
diagram; at 1.4 ms it was a third of a build whose diagrams are all cached). A diagram this user's
journeymaps drew (from escaped DOT) is stored as ``KEY.DIGEST.TAG.svg``, TAG a MAC of KEY and
DIGEST under this user's cache key (:mod:`journeymaps.cache_seal`, kept outside the cache):
only that key can make the name, and the digest still proves the bytes, so such a file is
checked for damage only. A restored or planted cache (another key, or none) is checked in
full, as before.
A refused diagram is drawn again and replaces the bad file.

**Bounded.** The least recently used diagrams go first.

Every edit of a map adds its diagrams to the cache (``serve`` rebuilds on each save), and
nothing else ever removes them. A build marks the cached diagrams it used (their modification
time becomes "last used") and then, when the folder holds more than its limit, removes the
ones unused for longest, down to three quarters of the limit so that the next builds do not
prune again at once. The cache is shared by every project of a user, so age is the only fair
measure; an hour of grace keeps what another build is using. (A build that listed a long
unused diagram and copies it after another build pruned it fails cleanly, old site kept;
running it again draws the diagram.)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from journeymaps.output import remove_if_abandoned, write_atomic
from journeymaps.reading import Refused, read_regular

#: The variable that sets the limit, in megabytes.
LIMIT_VARIABLE = "JOURNEYMAPS_CACHE_MAX_MB"
DEFAULT_LIMIT_MB = 1024
#: A diagram used this recently is never removed (another build may be about to copy it).
GRACE_SECONDS = 3600.0
#: No diagram is larger (the largest bounded map draws ~2 MB).
MAX_SVG_BYTES = 64 * 1024 * 1024

_ENTRY = re.compile(r"([0-9a-f]{64})\.([0-9a-f]{32})(?:\.([0-9a-f]{32}))?\.svg\Z")
#: A writer's temporary file for an entry (see :func:`journeymaps.output.write_atomic`).
_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.[0-9a-f]{32}(?:\.[0-9a-f]{32})?\.svg\.[0-9a-f]{12}\Z")


def entry_name(key: str, svg: bytes) -> str:
    """The file name of a diagram in the cache: its key, the digest of its bytes, and the
    tag that says this user's journeymaps drew it (none without a cache key)."""
    digest = hashlib.sha256(svg).hexdigest()[:32]
    mark = _tag(key, digest)
    return f"{key}.{digest}.{mark}.svg" if mark else f"{key}.{digest}.svg"


def drawn_here(name: str) -> bool:
    """The entry's name carries this user's tag: its bytes (when they still have its
    digest) are a drawing journeymaps made, and need no content check."""
    m = _ENTRY.match(name)
    if m is None or m[3] is None:
        return False
    from journeymaps.cache_seal import tagged

    return tagged(f"diagrams/{m[1]}", m[2].encode(), m[3])


def _tag(key: str, digest: str) -> str | None:
    from journeymaps.cache_seal import tag  # not at the top: hmac is not needed to read the cache

    return tag(f"diagrams/{key}", digest.encode())


def store(folder: Path, key: str, svg: bytes) -> str:
    """Keep ``svg`` under ``key``; its file name (OSError when the cache cannot keep it)."""
    name = entry_name(key, svg)
    write_atomic(os.path.join(folder, name), svg)  # noqa: PTH118 - a Path per diagram cost more
    return name


def listing(folder: Path) -> dict[str, str]:
    """The cache's diagrams: key -> file name (listed once: a stat per diagram cost more)."""
    try:
        names = os.listdir(folder)  # noqa: PTH208 - names, not 10^5 Paths
    except OSError:
        return {}
    found: dict[str, str] = {}
    for name in names:
        if (m := _ENTRY.match(name)) is not None:
            held = found.get(m[1])
            if held is None or (m[3] is not None and _rather(name, held)):
                found[m[1]] = name
    return found


def _rather(tagged: str, held: str) -> bool:
    """Of two entries of one key, ``tagged`` (a tagged one) rather than ``held``: when
    ``held`` has no tag, or when only ``tagged`` is this user's drawing (a cache shared with
    another key, or one planted beside it: never chosen over this user's own by the order
    the folder happens to list them). Tags are verified only here, on such a pair."""
    m = _ENTRY.match(held)
    return m is None or m[3] is None or (drawn_here(tagged) and not drawn_here(held))


def digest_of(name: str) -> str:
    """The digest part of a cache entry's file name ("" for a name that is not an entry)."""
    m = _ENTRY.match(name)
    return m[2] if m else ""


def read_checked(path: Path, digest: str, *, content: bool = True) -> tuple[bytes | None, str | None]:
    """The bytes of the diagram at ``path`` when they may be published, else None and why:
    they are not those stored under ``digest``, or (``content``) they hold something that
    runs in a browser (without ``content``: a diagram this build drew, checked for damage).
    These bytes are what is published, never the file read again: nothing can change
    between the check and the site."""
    try:
        data = read_regular(path, MAX_SVG_BYTES, follow=False)
    except Refused as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"it cannot be read: {exc.strerror or exc}"
    if hashlib.sha256(data).hexdigest()[:32] != digest:
        return None, "its bytes are not those that were stored (truncated, emptied or replaced)"
    problem = svg_problem(data) if content else None
    return (None, problem) if problem is not None else (data, None)


_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
#: The elements Graphviz writes (and a few it may): shapes, text, links, a style sheet.
_ELEMENTS = frozenset(
    f"{_SVG} {name}"
    for name in (
        *("svg", "g", "a", "title", "desc", "style", "text", "tspan", "defs"),
        *("polygon", "polyline", "path", "ellipse", "circle", "rect", "line"),
        *("linearGradient", "radialGradient", "stop"),
    )
)
_LINKS = frozenset({"href", f"{_XLINK} href"})
#: What makes a style sheet (or a style attribute) load or run something: any function
#: ("url(", "image-set(", "expression(": all load or run), at-rule ("@import") or escape
#: ("u\\72l(" is "url(" to CSS), which the drawing's own style sheets never have, and a
#: few words that load without one.
_STYLE_SIGNS = ("(", "@", "\\")
_STYLE_WORDS = ("javascript:", "behavior:", "-moz-binding")


def _style_loads(css: str) -> bool:
    if any(x in css for x in _STYLE_SIGNS):
        return True
    low = css.lower()
    return any(x in low for x in _STYLE_WORDS)


#: Attributes Graphviz writes that none of the checks below could flag (no event handler,
#: link or style): passed over at once, as most of a drawing's attributes are these.
_PLAIN_ATTRIBUTES = frozenset(
    (
        *("id", "class", "fill", "stroke", "points", "d", "x", "y", "cx", "cy", "rx", "ry", "r"),
        *("width", "height", "viewBox", "transform", "text-anchor", "font-family", "font-size"),
        *("font-weight", "font-style", "stroke-width", "stroke-dasharray", "fill-opacity"),
        *("stroke-opacity", "role", "aria-labelledby", "aria-label", "target"),
    )
)
_STYLE = f"{_SVG} style"


def svg_problem(data: bytes) -> str | None:
    """Why an SVG must not be published, read as a browser reads an SVG file (None for
    Graphviz's output of escaped DOT): an element other than Graphviz's shapes, text and
    links (so no script, foreignObject, iframe, use, image, animation or set), an event
    handler, a link that is not the site's own (relative: ``../`` or ``#``), a document type
    that declares entities, a processing instruction, a comment, a style that loads anything.

    ~0.9 ms a small map's diagram (was 1.4; expat alone ~0.35 ms): the text and
    end-of-element handlers are set only while a style sheet is open (its text is the only
    text read), and the attributes no check can flag are passed over first."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    found: list[str] = []
    #: The elements open inside the outermost open style sheet, innermost last: for a style
    #: element, its own text so far (its CSS, checked whole at its end: a character
    #: reference or CDATA section splits the text expat hands over, and "ur&#108;(" was
    #: passed chunk by chunk); None for another element (its text is not CSS to a browser).
    in_style: list[list[str] | None] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name not in _ELEMENTS:
            found.append(f"it holds a <{name.rpartition(' ')[2]}> element")
        if in_style or name == _STYLE:
            if not in_style:
                parser.CharacterDataHandler = text
                parser.EndElementHandler = end
            in_style.append([] if name == _STYLE else None)
        for attr, value in attrs.items():
            if attr in _PLAIN_ATTRIBUTES:
                continue
            local = attr.rpartition(" ")[2].lower()
            if local.startswith("on"):
                found.append(f"it holds an event handler ({local})")
            elif attr in _LINKS and not value.strip().startswith(("../", "#")):
                found.append("it links outside the site")
            elif local in ("base", "style") and _style_loads(value):
                found.append(f"its {local} attribute loads or runs something")

    def end(name: str) -> None:
        css = in_style.pop()
        if css is not None and _style_loads("".join(css)):
            found.append("its style sheet loads or runs something")
        if not in_style:
            parser.CharacterDataHandler = None
            parser.EndElementHandler = None

    def text(chunk: str) -> None:
        css = in_style[-1]
        if css is not None:
            css.append(chunk)

    def doctype(name: str, sysid: str | None, pubid: str | None, has_internal_subset: int) -> None:
        if has_internal_subset:
            found.append("its document type declares entities")

    def instruction(target: str, data: str) -> None:
        found.append(f"it holds a processing instruction ({target})")

    def comment(data: str) -> None:
        # The drawing leaves none, and a full-size page inlines the SVG as it is: HTML ends
        # a comment where XML does not ("<!-->"), so one could hide markup from this check.
        found.append("it holds a comment")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.CommentHandler = comment
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return f"it is not well-formed XML ({xml.parsers.expat.errors.messages[exc.code]})"
    if not found and not data.lstrip().startswith((b"<?xml", b"<!", b"<svg")):
        found.append("it is not an SVG")
    return found[0] if found else None


def limit() -> int:
    """The cache's limit in bytes (a usage error when the variable is not a whole number)."""
    from journeymaps.site.staging import SiteError  # not at the top: drawing workers import this module

    given = os.environ.get(LIMIT_VARIABLE, "")
    if not given:  # only empty is unset ("   " was too, the default limit without a word)
        return DEFAULT_LIMIT_MB * 1024 * 1024
    value = given.strip()
    if not (value.isascii() and value.isdigit()):  # "²".isdigit() too, and int() refuses it
        raise SiteError(f"{LIMIT_VARIABLE} must be a whole number of megabytes, not {given!r}")
    return int(value) * 1024 * 1024


def mark_used(files: Iterable[Path]) -> None:
    """Make each file's modification time "now": it was just used."""
    for path in files:
        with contextlib.suppress(OSError):  # gone meanwhile: nothing to keep
            os.utime(path)


def prune(folder: Path, limit_bytes: int, now: float | None = None) -> int:
    """Remove the least recently used SVGs of ``folder`` while it holds more than
    ``limit_bytes``, down to three quarters of it; the number of files removed."""
    entries: list[tuple[float, int, str]] = []
    total = 0
    now = time.time() if now is None else now
    try:
        with os.scandir(folder) as it:
            for entry in it:
                # Only what journeymaps names so: $JOURNEYMAPS_CACHE set to a folder of the
                # user's had its diagrams/*.svg and dot-files (.gitkeep) removed.
                if not _ENTRY.match(entry.name):
                    if _TEMPORARY.match(entry.name):
                        remove_if_abandoned(entry, now)  # a killed writer's temporary file
                    continue
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    entries.append((st.st_mtime, st.st_size, entry.path))
                    total += st.st_size
    except OSError:  # no cache yet, or unreadable: nothing to do
        return 0
    if total <= limit_bytes:
        return 0
    target = limit_bytes * 3 // 4
    young = now - GRACE_SECONDS
    removed = 0
    for mtime, size, path in sorted(entries):
        if total <= target or mtime > young:
            break
        with contextlib.suppress(OSError):
            Path(path).unlink()
            total -= size
            removed += 1
    return removed
