"""The reports (``--output FORMAT=FILE``) of a pre-commit hook run split into several.

pre-commit passes the staged files on the hook's command line, and splits a long list into
several runs of the hook, one after the other (``require_serial`` makes them serial, not
one: pre-commit's ``xargs`` cuts the list at 128 KiB of names on POSIX, 30 KiB on Windows).
Each run wrote the user's ``--output`` file whole: the report held the last run's findings
only, and a SARIF upload showed a commit with errors as clean. So a run as the hook merges
its findings with those of the earlier runs of the same pre-commit run: the runs of one
pre-commit run are the hook's processes started by the same pre-commit process (see
:mod:`journeymaps.hook_session`), and what they found so far is kept in the repository's own
folder, in a file of that pre-commit run's own (two at once in one repository, from two
terminals or an editor's beside a commit, keep theirs apart), under a lock, as JSON. The
first run of a later pre-commit run removes the files of those that ended.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import Diagnostic, Severity, Span
from journeymaps.hook_session import UNDATED_GAP, Session, session
from journeymaps.reporters.base import Outcome

#: A state file larger than this is not read (a new pre-commit run starts afresh).
_MAX_STATE_BYTES = 64 * 1024 * 1024

#: The state of a run not written for this many seconds is an ended run's: the first run of
#: the hook in a later pre-commit run removes it (a run that was stopped, Ctrl+C, left it).
STALE_SECONDS = 60 * 60


def _digest(text: str, size: int) -> str:
    return hashlib.sha256(os.fsencode(text)).hexdigest()[:size]


def _run_name(run: Session) -> str:
    """The start of the names of the files of the pre-commit run ``run``: its process id,
    then its start time's digest (so that the files of an ended run with the same id, whose
    process cannot be running any more, are known as such by their names alone)."""
    return f"{run.pid}.{_digest(run.started, 16)}"


def _folder() -> Path | None:
    """The repository's own folder's ``journeymaps-hook/`` (``.git/journeymaps-hook/``),
    which no commit holds (a link committed there could have led a write anywhere) and which
    clutters no folder of the user's; None outside a repository."""
    from journeymaps import git

    try:
        folder = git.git_dir(Path.cwd()) / "journeymaps-hook"
    except git.GitError:
        return None
    folder.mkdir(exist_ok=True)
    if folder.is_symlink():  # its old runs' files are removed: a link led that anywhere
        raise OSError(f"{folder} is a link")
    return folder


def state_file(report: Path) -> Path:
    """Where the runs so far of this pre-commit run keep the report ``report``: a file of
    this pre-commit run's own, so that two at once (two terminals, an editor's beside a
    commit) keep theirs apart (see :func:`_folder`; beside the report outside a repository)."""
    folder = _folder()
    if folder is None:
        return report.parent / f".{report.name}.journeymaps-hook"
    where = _digest(os.path.abspath(report), 24)  # noqa: PTH100
    return folder / f"{_run_name(session())}.{where}.json"


@contextlib.contextmanager
def _locked(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """Held while the state is read and written: pre-commit's runs are serial with
    ``require_serial``, not without it (a user's own hook entry may drop it). Yields whether
    it is held: without ``wait``, not when another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the runs are serial
        yield True
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path.parent / f"{path.name}.lock", flags, 0o600)
    except OSError:  # a link committed under its name: not followed, nor locked
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _sweep(folder: Path, me: Session) -> None:
    """Remove the state of ended pre-commit runs: not written for :data:`STALE_SECONDS`, or
    of an earlier pre-commit process with this one's process id (ended: the id is this one's
    now). A file another run holds locked is left."""
    mine = _run_name(me)
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    # A run's age is its state's (its lock file is made once, and never written again).
    ages: dict[str, float] = {}
    for entry in entries:
        state = entry.name.removesuffix(".lock")
        if not state.endswith(".json") or state.startswith(f"{mine}."):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        ages[state] = age if entry.name == state else ages.get(state, age)
    for state, age in ages.items():
        if age > STALE_SECONDS or state.startswith(f"{me.pid}."):
            path = folder / state
            with contextlib.suppress(OSError), _locked(path, wait=False) as held:
                if held:
                    path.unlink(missing_ok=True)
                    Path(f"{path}.lock").unlink(missing_ok=True)


def _fresh(state: Path, me: Session) -> bool:
    """Whether the state kept in ``state`` may be an earlier run's of this pre-commit run:
    always when pre-commit's start time is known (it is in the file's name and in the
    file), else only if it was written lately (see :data:`hook_session.UNDATED_GAP`)."""
    if me.started:
        return True
    try:
        return time.time() - state.stat(follow_symlinks=False).st_mtime <= UNDATED_GAP
    except OSError:
        return False


def _carry(state: Path, named: Sequence[str], update: Callable[[Any], Any] | None) -> Any:
    """What the earlier runs of this pre-commit run kept in ``state`` (None: this run is the
    first, or the hook run again: see :func:`merged`); with ``update``, what it returns for
    it is kept instead, with this run's names."""
    from journeymaps.output import write_atomic
    from journeymaps.reading import Refused, json_value, read_regular

    me = session()
    with _locked(state):
        try:
            kept = json_value(read_regular(state, _MAX_STATE_BYTES, follow=False))
            # A run naming no files lints them all: pre-commit splits a list of names only.
            go_on = (
                isinstance(kept, dict)
                and kept.get("session") == me.key
                and bool(named)
                and isinstance(kept["named"], list)
                and bool(kept["named"])
                and all(isinstance(name, str) for name in kept["named"])
                and not set(named) & set(kept["named"])
                and _fresh(state, me)
            )
        except (OSError, Refused, ValueError, KeyError, TypeError):
            go_on = False
        before = kept["data"] if go_on else None
        if update is not None:
            names = [*(kept["named"] if go_on else ()), *named]
            # Renamed into place: a link under its name is replaced, never written through.
            write_atomic(
                state,
                json.dumps({"session": me.key, "named": names, "data": update(before)}).encode("utf-8"),
            )
    if not go_on and update is not None:  # a new run: the ended ones' files go
        _sweep(state.parent, me)
    return before


def merged(report: Path, outcome: Outcome, named: Sequence[str]) -> Outcome:
    """``outcome`` with the findings of the earlier runs of this pre-commit run that wrote
    ``report``; what is kept for the next run written. A report of another run (an earlier
    commit's) starts afresh; so does a run naming a file an earlier run named (pre-commit's
    runs of one list name each file once: this is the hook run again, by hand from one shell,
    say, whose fixed findings must not stay)."""
    together = outcome

    def join(before: Any) -> Any:
        nonlocal together
        earlier = None if before is None else _load(before)
        together = outcome if earlier is None else _join(earlier, outcome)
        return _dump(together)

    try:
        _carry(state_file(report), named, join)
    except (OSError, ValueError, KeyError, TypeError):  # nowhere to keep it (a read-only .git)
        return outcome
    return together


@dataclass
class Notes:
    """The lines a run as the hook says on stderr that an earlier run of the same pre-commit
    run said already (``earlier``): a staged deletion's note was said once per run."""

    named: Sequence[str]
    earlier: frozenset[str] = frozenset()
    said: set[str] = field(default_factory=set)

    def new(self, line: str) -> bool:
        """Whether to say ``line``: not said by an earlier run."""
        self.said.add(line)
        return line not in self.earlier


def _notes_file(folder: Path) -> Path:
    """Where the notes of this pre-commit run are kept (one file per run, as reports')."""
    return folder / f"{_run_name(session())}.notes.json"


def _lines(kept: Any) -> set[str]:
    """The notes kept, as lines (anything else in a forged or damaged file left out)."""
    return {line for line in kept if isinstance(line, str)} if isinstance(kept, list) else set()


def notes(named: Sequence[str]) -> Notes:
    """The notes of this run, knowing those the earlier runs said."""
    # No folder to keep them in (a read-only .git): each run says its notes, and lints.
    try:
        folder = _folder()
        before = None if folder is None else _carry(_notes_file(folder), named, None)
    except OSError:
        return Notes(named)
    return Notes(named, frozenset(_lines(before)))


def keep_notes(said: Notes) -> None:
    """Keep what this run said, for the runs after it."""
    with contextlib.suppress(OSError):
        if (folder := _folder()) is not None:
            _carry(_notes_file(folder), said.named, lambda before: sorted(_lines(before) | said.said))


def _join(a: Outcome, b: Outcome) -> Outcome:
    """Both runs' findings, each once (a cross-map finding can be in both), and files."""
    findings = list(dict.fromkeys([*a.diagnostics, *b.diagnostics]))
    findings.sort(key=lambda d: (d.file, d.span.line, d.span.column))
    targets = a.targets | b.targets
    not_maps = a.not_maps | b.not_maps
    folders = a.folders | b.folders
    files = len(targets - folders) if targets else max(a.files, b.files)
    maps = len(targets - not_maps - folders) if targets else max(a.maps, b.maps)
    return replace(
        b,
        diagnostics=findings,
        files=files,
        maps=maps,
        targets=targets,
        not_maps=not_maps,
        folders=folders,
        notifications=tuple(dict.fromkeys([*a.notifications, *b.notifications])),
        seconds=a.seconds + b.seconds,
        raw_names={**a.raw_names, **b.raw_names},
    )


def _dump(o: Outcome) -> dict[str, Any]:
    def finding(d: Diagnostic) -> dict[str, Any]:
        return {**asdict(d), "severity": d.severity.value}

    return {
        "diagnostics": [finding(d) for d in o.diagnostics],
        "notifications": [finding(d) for d in o.notifications],
        "files": o.files,
        "maps": o.maps,
        "targets": sorted(o.targets),
        "not_maps": sorted(o.not_maps),
        "folders": sorted(o.folders),
        "seconds": o.seconds,
        "raw_names": {k: v.hex() for k, v in o.raw_names.items()},
    }


def _texts(kept: Any, names: Sequence[str]) -> dict[str, str]:
    """``kept``'s values under ``names``, each text (TypeError otherwise)."""
    texts = {name: kept[name] for name in names}
    if not all(isinstance(text, str) for text in texts.values()):
        raise TypeError(names)
    return texts


def _finding(f: Any) -> Diagnostic:
    """A finding kept by :func:`_dump`; TypeError, KeyError or ValueError for anything else
    (a damaged file: a finding of the wrong shape would end the report's writing)."""
    span = f["span"]
    at = {name: span[name] for name in ("line", "column", "end_line", "end_column")}
    if not all(type(n) is int for n in at.values()) or not isinstance(f["map_id"], str | None):
        raise TypeError(f)
    return Diagnostic(
        **_texts(f, ("rule", "code", "file", "message", "path", "anchor")),
        severity=Severity(f["severity"]),
        span=Span(**at),
        map_id=f["map_id"],
    )


def _load(d: Any) -> Outcome | None:
    """The outcome :func:`_dump` kept; None for anything else (a damaged file)."""
    try:
        folders = d.get("folders", ())  # kept by a version without it: none
        names = [*d["targets"], *d["not_maps"], *folders, *d["raw_names"]]
        if not all(isinstance(name, str) for name in names):
            return None
        return Outcome(
            [_finding(f) for f in d["diagnostics"]],
            int(d["files"]),
            int(d["maps"]),
            targets=frozenset(d["targets"]),
            not_maps=frozenset(d["not_maps"]),
            folders=frozenset(folders),
            notifications=tuple(_finding(f) for f in d["notifications"]),
            seconds=float(d["seconds"]),
            raw_names={k: bytes.fromhex(_texts(d["raw_names"], (k,))[k]) for k in d["raw_names"]},
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None
