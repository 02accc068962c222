"""Baselines: record today's findings so that CI fails only on new ones.

A baseline is a JSON file with one entry per finding: its fingerprint (rule + map id + the
ids of what it is about, see journeymaps.fingerprints), with the rule, file, map and message
kept beside it for people reading it in review. An entry hides one finding: two findings
with the same fingerprint need two entries, so a third one still shows. Entries that match
nothing any more are stale: ``lint`` reports them and ``baseline --prune`` removes them.

A file that cannot be read (yaml-syntax, encoding, unreadable-file), or that has duplicate
keys or format (schema) errors, is never known debt: nothing else in it was checked, so
its finding is neither recorded nor hidden. (A baselined schema error let a pull request
put any new error in that map: lint passed without checking it.)
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import Diagnostic
from journeymaps.fingerprints import VERSION as FINGERPRINTS
from journeymaps.reading import json_value
from journeymaps.rules.input import INPUT_RULES

VERSION = 2

#: Findings that keep the rest of their file from being checked: never recorded nor hidden.
UNCHECKED = INPUT_RULES


class BaselineError(Exception):
    """The baseline file cannot be used; the message says why and what to do."""


@dataclass
class Baseline:
    """The entries of a baseline file, in its order."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    #: How many entries were left out as unusable (see ``_entry``): they hide nothing, and
    #: ``prune`` does not write them back.
    unusable: int = 0


@dataclass
class Applied:
    """A run's findings measured against a baseline."""

    shown: list[Diagnostic]  # not in the baseline: these fail the run
    hidden: int  # findings the baseline knows
    stale: list[dict[str, Any]]  # entries that match no finding of the files checked
    kept: list[dict[str, Any]]  # entries that still match a finding


def entry(d: Diagnostic) -> dict[str, Any]:
    return {
        "fingerprint": d.fingerprint,
        "rule": d.rule,
        "file": d.file,
        "map": d.map_id,
        "message": d.message,
    }


def names_from(path: Path, cwd: Path) -> Path:
    """The folder a baseline's ``file`` names are written from: the baseline's own, so that
    it says the same whichever folder it was recorded in. Recorded from ``maps/billing``, it
    named the files there by name and every other one by its absolute path (``/home/alice/
    proj/maps/cancel.yaml``, in a file meant to be committed), and a run from another folder
    judged none of those entries. A baseline read through a pipe or a device (``--baseline
    <(git show main:.journeymaps-baseline.json)``) names them from the working folder."""
    full = Path(os.path.abspath(cwd / path))  # noqa: PTH100 - links kept, as named
    try:
        regular = stat.S_ISREG(full.stat().st_mode)
    except OSError:  # none yet (the file to write), or unreadable (said when it is read)
        regular = True
    return full.parent if regular else Path(os.path.abspath(cwd))  # noqa: PTH100


def _renamed(entries: Iterable[dict[str, Any]], name: Callable[[str], str]) -> list[dict[str, Any]]:
    """The entries with each ``file`` given as ``name`` says (copies; the others as they are)."""
    return [
        {**e, "file": name(e["file"])} if isinstance(e.get("file"), str) and e["file"] else e for e in entries
    ]


def _as_run_names(entries: list[dict[str, Any]], folder: Path, cwd: Path) -> list[dict[str, Any]]:
    """Entries named from ``folder`` (as written), named as a run from ``cwd`` names its
    files: relative inside ``cwd``, else by the absolute path (see ``project.display_path``)."""
    from journeymaps.project import display_path

    return _renamed(entries, lambda file: display_path(Path(os.path.normpath(folder / file)), cwd))


def _as_written(entries: Iterable[dict[str, Any]], folder: Path, cwd: Path) -> list[dict[str, Any]]:
    """Entries named as a run from ``cwd`` names them, named from ``folder`` (``../a.yaml``
    for a file beside it; an absolute path only across Windows drives). Also when
    ``folder`` is ``cwd``: the run names a file outside it by its absolute path."""

    def name(file: str) -> str:
        full = os.path.normpath(cwd / file)
        try:
            return Path(os.path.relpath(full, folder)).as_posix()
        except ValueError:  # Windows: another drive
            return Path(full).as_posix()

    return _renamed(entries, name)


def dump(entries: Iterable[dict[str, Any]], folder: Path, cwd: Path) -> bytes:
    """A baseline's bytes, the entries' files (named as a run from ``cwd`` names them)
    named from ``folder`` (see :func:`names_from`)."""
    entries = _as_written(entries, folder, cwd)
    fields = ("file", "rule", "fingerprint", "message")  # a hand-edited entry may lack some
    ordered = sorted(entries, key=lambda e: tuple(str(e.get(k) or "") for k in fields))
    document = {"version": VERSION, "fingerprints": FINGERPRINTS, "findings": ordered}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


#: Far more than a baseline of every finding of thousands of maps (~300 bytes an entry).
_MAX_BYTES = 512 * 1024 * 1024


def _read(path: Path) -> bytes:
    """The file's bytes: a regular file or a pipe (``--baseline <(git show main:b.json)``).
    A device is refused: /dev/zero was read until the OOM killer ended the run."""
    with path.open("rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            kind = "a character device" if stat.S_ISCHR(mode) else "not a regular file"
            raise BaselineError(f"{path} is not a journeymaps baseline (it is {kind})")
        data = f.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise BaselineError(f"{path} is not a journeymaps baseline (it is over {_MAX_BYTES >> 20} MB)")
    return data


_JSON_KINDS = {
    list: "list",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def load(path: Path, cwd: Path | None = None) -> Baseline:
    """A baseline file's entries, their files named as a run from ``cwd`` (this process's
    working folder when not given) names them; BaselineError when it cannot be used as one."""
    cwd = cwd or Path.cwd()
    try:
        data = _read(path)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
    read = parse(data, path)
    read.entries = _as_run_names(read.entries, names_from(path, cwd), cwd)
    return read


def parse(text: bytes, path: Path | str) -> Baseline:
    """The entries of a baseline's bytes (read from ``path``, as messages name it); a
    BaselineError when they cannot be used as one."""
    try:
        data = json_value(text)
    except ValueError as exc:
        raise BaselineError(f"{path} is not a journeymaps baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        # It said "(version 2)", which read as this file's version.
        what = "an object" if isinstance(data, dict) else f"a JSON {_JSON_KINDS.get(type(data), 'value')}"
        raise BaselineError(
            f'{path} is not a journeymaps baseline (it is {what} without a "findings" list): '
            f"record one with 'journeymaps baseline -o {path}'"
        )
    if data.get("version") != VERSION or data.get("fingerprints") != FINGERPRINTS:
        # As JSON writes it: a "version": true was said as Python's True.
        said = json.dumps(data["version"]) if "version" in data else "none"
        raise BaselineError(
            f"{path} was recorded by another version of journeymaps (baseline version "
            f"{said}; this one reads version {VERSION}, fingerprints {FINGERPRINTS}). "
            "Its fingerprints cannot be matched: nothing would be hidden, or the wrong findings "
            f"would be. Record it again with 'journeymaps baseline -o {path}' and review the "
            "findings it adds."
        )
    entries = [e for e in data["findings"] if _entry(e)]
    return Baseline(entries, len(data["findings"]) - len(entries))


#: Why an entry cannot be used, as ``_entry`` judges it, in the user's words.
UNUSABLE = (
    "without a fingerprint, with a file that is not text, or of a finding that keeps its file "
    "from being checked"
)


def _entry(e: Any) -> bool:
    """Whether a baseline entry can be used: a fingerprint, and its file's name text when
    given (a hand-edited ``"file": [1]`` ended lint in 'internal error: TypeError:
    unhashable type'); not of a rule in :data:`UNCHECKED` (an older journeymaps recorded
    schema errors: said stale, "fixed, or changed", they read as fixed). The other fields
    are only shown."""
    if not isinstance(e, dict):
        return False
    rule = e.get("rule")
    return (
        isinstance(e.get("fingerprint"), str)
        and isinstance(e.get("file"), str | None)
        and not (isinstance(rule, str) and rule in UNCHECKED)
    )


def under(named: Iterable[Path], cwd: Path) -> Callable[[Any], bool]:
    """Whether an entry's ``file`` (as shown, from ``cwd``) is one of the paths ``named`` or
    inside one: a run over those paths speaks for it, even when the file is gone."""
    folders = [Path(os.path.abspath(cwd / p)) for p in named]  # noqa: PTH100 - links kept, as named

    def inside(file: Any) -> bool:
        if not isinstance(file, str) or not file:
            return False
        path = Path(os.path.abspath(cwd / file))  # noqa: PTH100
        return any(path == f or f in path.parents for f in folders)

    return inside


def apply(
    diagnostics: list[Diagnostic],
    baseline: Baseline,
    checked: Iterable[str],
    *,
    whole: bool = False,
    named: Callable[[Any], bool] | None = None,
    rules: Container[str] | None = None,
) -> Applied:
    """Hide one finding per entry; entries left over, for files that were checked, are stale.
    ``whole``: the run checked the whole project, so every entry left over is stale (a
    deleted map's were kept forever: its file was never among those checked). ``named``
    (see :func:`under`): entries left over whose file is inside a folder the run was asked
    about are stale too (a deleted file of that folder). ``rules``: the only rules the run
    ran (``--select``, ``--ignore``); an entry of another rule was not checked, so it is not
    judged (every one was listed as stale, with --prune suggested)."""
    budget = Counter(e["fingerprint"] for e in baseline.entries)
    shown = []
    matched: Counter[str] = Counter()
    for d in diagnostics:
        fp = d.fingerprint
        if d.rule not in UNCHECKED and matched[fp] < budget[fp]:
            matched[fp] += 1
        else:
            shown.append(d)
    files = set(checked)
    kept, stale = [], []
    used: Counter[str] = Counter()
    for e in baseline.entries:
        fp = e["fingerprint"]
        if used[fp] < matched[fp]:
            used[fp] += 1
            kept.append(e)
        elif rules is not None and not (isinstance(e.get("rule"), str) and e["rule"] in rules):  # not run
            kept.append(e)
        elif whole or e.get("file") in files or (named is not None and named(e.get("file"))):
            stale.append(e)
        else:  # a file this run did not check (--changed-since, or paths): not judged
            kept.append(e)
    return Applied(shown, len(diagnostics) - len(shown), stale, kept)


def record(
    path: Path,
    diagnostics: Iterable[Diagnostic],
    kept: Iterable[dict[str, Any]] = (),
    cwd: Path | None = None,
) -> tuple[int, list[Diagnostic]]:
    """``journeymaps baseline``: write every finding to ``path``, with the entries ``kept``
    (those of files the run did not check); how many findings were recorded, and the
    findings that keep their file from being checked (:data:`UNCHECKED`), which never are.
    Files are named as the run from ``cwd`` names them, and written from ``path``'s folder."""
    from journeymaps.output import write_output

    cwd = cwd or Path.cwd()
    found = list(diagnostics)
    unreadable = [d for d in found if d.rule in UNCHECKED]
    entries = [entry(d) for d in found if d.rule not in UNCHECKED]
    write_output(path, dump([*entries, *kept], names_from(path, cwd), cwd))
    return len(entries), unreadable


def outside(path: Path, named: Iterable[Path], cwd: Path, recorded: Iterable[Diagnostic] = ()) -> Baseline:
    """The entries of the baseline at ``path`` whose file is not one of the paths ``named``
    nor inside one (with how many were unusable): what ``journeymaps baseline PATH...``
    keeps. A deleted file's entries under a folder named go with the rest of it. Empty when
    there is no baseline there to read (none yet, another version's): written anew, as before.

    An entry of a finding ``recorded`` again whose file is nowhere from ``cwd`` is that
    finding under another name (the baseline recorded in another folder, or before the map
    moved): kept, it doubled the entries, and a second such finding was hidden too."""
    if not path.is_file():
        return Baseline()
    try:
        old = load(path, cwd)
    except BaselineError:
        return Baseline()
    inside = under(named, cwd)
    again = {d.fingerprint for d in recorded if d.rule not in UNCHECKED}

    def moved(e: dict[str, Any]) -> bool:
        file = e.get("file")
        return (
            e["fingerprint"] in again
            and isinstance(file, str)
            and bool(file)
            and not os.path.lexists(cwd / file)
        )

    return Baseline([e for e in old.entries if not inside(e.get("file")) and not moved(e)], old.unusable)


def prune(
    path: Path,
    old: Baseline,
    diagnostics: list[Diagnostic],
    checked: Iterable[str],
    *,
    whole: bool = False,
    named: Callable[[Any], bool] | None = None,
    cwd: Path | None = None,
) -> Applied:
    """``journeymaps baseline --prune``: keep in ``path`` only the entries of ``old`` (read
    by :func:`load` from ``cwd``) that still match a finding of the files checked (see
    :func:`apply` for ``whole`` and ``named``)."""
    from journeymaps.output import write_atomic

    cwd = cwd or Path.cwd()
    applied = apply(diagnostics, old, checked, whole=whole, named=named)
    write_atomic(path, dump(applied.kept, names_from(path, cwd), cwd))
    return applied
