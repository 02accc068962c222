"""Copies of the JSON Schemas inside a maps repository, for editors.

Editors (the YAML language server in VS Code, JetBrains, Neovim) read a map's schema from the
``# yaml-language-server: $schema=...`` comment at its top, and give completion, descriptions
and checks from it. The comment points at a copy in the repository, by a path relative to the
map: it works offline and needs no host. ``journeymaps schema --write DIR`` writes or updates
the copies; the ``schema-reference`` rule says when a copy is missing or from another version.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import Span, position_after
from journeymaps.output import FileSet, write_atomic
from journeymaps.reading import DEFAULT_MAX_KB, Refused, json_value, read_regular
from journeymaps.records import record
from journeymaps.validate import SCHEMA_FILES, schema

#: The folder ``init`` and ``new`` write the copies to, beside the settings file.
DEFAULT_FOLDER = "schema"
#: The comment editors read, on any of the first lines of a file.
#: At a line's start: after LF or a lone CR (a file of CR line ends, as editors read it).
COMMENT = re.compile(r"(?:^|(?<=\r))#\s*yaml-language-server:\s*\$schema=(?P<ref>\S+)", re.M)
_HEAD = 2048  # the comment belongs at the top; a file's first bytes are searched


def _comment(source_text: str) -> re.Match[str] | None:
    """The editor comment in the file's head, if any. Most maps have none: the words are
    looked for first (~0.4 us), as the pattern tried at each of 2,048 places took ~55 us a
    file (issue 18)."""
    if "yaml-language-server" not in source_text[:_HEAD]:
        return None
    return COMMENT.search(source_text, 0, _HEAD)


def text(kind: str) -> str:
    """A schema as written to disk: stable, readable JSON."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def write(
    folder: Path, kinds: Iterable[str] = SCHEMA_FILES, files: FileSet | None = None
) -> list[tuple[Path, str]]:
    """Write each schema into ``folder``: (path, "created" | "updated" | "unchanged");
    through ``files`` when given, with the files written with them (all or none)."""
    done = []
    for kind in kinds:
        path = folder / SCHEMA_FILES[kind]
        wanted = text(kind)
        try:
            current: str | None = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current == wanted:
            done.append((path, "unchanged"))
            continue
        if files is None:
            write_atomic(path, wanted.encode("utf-8"))
        else:
            files.write(path, wanted.encode("utf-8"))
        done.append((path, "created" if current is None else "updated"))
    return done


def write_if_missing(folder: Path, files: FileSet | None = None) -> list[tuple[Path, str]]:
    """The copies written into ``folder`` when the map schema's is not there (``new`` and
    ``import`` point the map they write at it), as :func:`write` says; else none."""
    return [] if (folder / SCHEMA_FILES["map"]).is_file() else write(folder, files=files)


def comment(file: Path, folder: Path, kind: str) -> str:
    """The comment for ``file`` pointing at ``kind``'s copy in ``folder``, by a relative path."""
    ref = Path(os.path.relpath(folder / SCHEMA_FILES[kind], file.parent)).as_posix()
    return f"# yaml-language-server: $schema={ref}"


def local_reference(source_text: str) -> str | None:
    """The relative path a file's editor comment points at (None for none, or an address)."""
    m = _comment(source_text)
    if m is None or re.match(r"[a-z][a-z0-9+.-]*:", m["ref"], re.I):
        return None
    return m["ref"]


@record
class Problem:
    span: Span
    message: str


def check(file: Path, display: str, source_text: str, kind: str, read: dict[Any, Any]) -> Problem | None:
    """What is wrong with the schema a file's comment points at, if anything.

    A relative path must lead to a copy of this journeymaps' schema; a journeymaps.dev
    address leads nowhere (no such host serves it). Other addresses are the user's choice.
    ``display`` is the file as findings show it (relative to the working folder), so that the
    command the message suggests names the folder as the user would type it. ``read`` caches
    the copies already parsed in this run (and whether each is this version's)."""
    m = _comment(source_text)
    if m is None:
        return None
    ref = m["ref"]
    line, _ = position_after(source_text[: m.start()])  # a lone CR ends a line too, as in editors
    span = Span(line, m.start("ref") - m.start() + 1, line, m.end("ref") - m.start() + 1)
    fix = f"run 'journeymaps schema --write {DEFAULT_FOLDER}' and point at the copy"
    if "journeymaps.dev" in ref:
        return Problem(span, f"no host serves {ref}, so editors show no completion: {fix}")
    if re.match(r"[a-z][a-z0-9+.-]*:", ref, re.I):  # another address: not ours to judge
        return None
    if file.name == "-":  # standard input with no --stdin-filename: relative to nothing
        return None
    # Said once a run for each folder, reference and kind (1,000 maps in one folder pointing
    # at one copy made ~5,000 Paths and 1,000 comparisons of the schema).
    asked = ("said", str(file.parent), ref, kind, os.path.dirname(display))  # noqa: PTH120
    if asked not in read:
        read[asked] = _said(file, display, ref, kind, read)
    said: str | None = read[asked]
    return Problem(span, said) if said is not None else None


def _copy(path: Path, read: dict[Any, Any]) -> Any:
    """The parsed schema at ``path`` (None: no such file; "invalid": not a copy; an
    :class:`Unreadable`: there, but it cannot be read), read once."""
    if path not in read:
        try:
            # As a map is read: a FIFO there hung lint, /dev/zero filled the memory.
            read[path] = json_value(read_regular(path, DEFAULT_MAX_KB * 1024))
        except Refused:
            read[path] = "invalid"  # there, but not a copy: not a file, or far too large for one
        except (FileNotFoundError, NotADirectoryError):
            read[path] = None
        except OSError as exc:  # it said "does not exist" of a copy it may not read
            read[path] = Unreadable(exc.strerror or str(exc))
        except ValueError:
            read[path] = "invalid"
    return read[path]


@record
class Unreadable:
    """A schema copy that is there but cannot be read, and why."""

    why: str


def _nearest_copy(folder: Path, name: str, kind: str, read: dict[Any, Any]) -> Path | None:
    """This version's copy of the schema ``name`` in a ``schema/`` folder beside ``folder`` or
    one of the folders above it (where ``journeymaps init`` writes them), the nearest first."""
    for above in (folder, *folder.parents):
        candidate = above / DEFAULT_FOLDER / name
        if _copy(candidate, read) == schema(kind):
            return candidate
    return None


def _said(file: Path, display: str, ref: str, kind: str, read: dict[Any, Any]) -> str | None:
    """What :func:`check` says of a relative reference ``ref`` in ``file``."""
    name = Path(ref).name
    copy_kind = next((k for k, f in SCHEMA_FILES.items() if f == name), kind)
    path = Path(os.path.normpath(file.parent / ref))
    copy = _copy(path, read)
    folder = Path(os.path.normpath(Path(display).parent / Path(ref).parent)).as_posix()
    if isinstance(copy, Unreadable):
        return (
            f"the schema {ref} cannot be read ({copy.why}), so editors show no completion: make it "
            f"readable, or run 'journeymaps schema --write {folder}'"
        )
    if copy is None:
        nearest = _nearest_copy(file.parent, name, copy_kind, read)
        if nearest is not None:
            # A map copied from another folder keeps its old path: writing a copy where that
            # path leads (run from the repository's top, "../schema") wrote outside it.
            there = Path(os.path.relpath(nearest, file.parent)).as_posix()
            return (
                f"the schema {ref} does not exist, so editors show no completion: point the "
                f"comment at {there}, this version's copy"
            )
        return (
            f"the schema {ref} does not exist, so editors show no completion: "
            f"run 'journeymaps schema --write {folder}'"
        )
    if copy != schema(copy_kind):
        return (
            f"the schema {ref} is not this journeymaps version's, so editors check against another "
            f"format: run 'journeymaps schema --write {folder}' to update it"
        )
    return None
