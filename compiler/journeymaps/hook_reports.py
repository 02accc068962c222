"""The reports (``--output FORMAT=FILE``) of a pre-commit hook run split into several.

pre-commit passes the staged files on the hook's command line, and splits a long list into
several runs of the hook, one after the other (``require_serial`` makes them serial, not
one: pre-commit's ``xargs`` cuts the list at 128 KiB of names on POSIX, 30 KiB on Windows).
Each run wrote the user's ``--output`` file whole: the report held the last run's findings
only, and a SARIF upload showed a commit with errors as clean. So a run as the hook merges
its findings with those of the earlier runs of the same pre-commit run: the runs of one
pre-commit run are the hook's processes with the same parent (pre-commit itself, known by
its process id and start time), and what they found so far is kept in the repository's own
folder, under a lock, as JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import Diagnostic, Severity, Span
from journeymaps.reporters.base import Outcome

#: A state file larger than this is not read (a new pre-commit run starts afresh).
_MAX_STATE_BYTES = 64 * 1024 * 1024


def session() -> str:
    """Which pre-commit run this process is a part of: its parent's process id and, where the
    system says it, the parent's start time (a process id is used again, in time)."""
    parent = os.getppid()
    try:
        stat = Path(f"/proc/{parent}/stat").read_text("utf-8", "replace")
        started = stat[stat.rindex(")") + 2 :].split()[19]  # field 22, after the command's name
    except (OSError, ValueError, IndexError):
        started = ""
    return f"{parent}:{started}"


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
    return folder


def state_file(report: Path) -> Path:
    """Where the runs so far of the report ``report`` are kept (see :func:`_folder`; beside
    the report outside a repository)."""
    folder = _folder()
    if folder is None:
        return report.parent / f".{report.name}.journeymaps-hook"
    return folder / f"{hashlib.sha256(os.fsencode(os.path.abspath(report))).hexdigest()[:24]}.json"  # noqa: PTH100


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Held while the state is read and written: pre-commit's runs are serial with
    ``require_serial``, not without it (a user's own hook entry may drop it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the runs are serial
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path.parent / f"{path.name}.lock", flags, 0o600)
    except OSError:  # a link committed under its name: not followed, nor locked
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


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
                and kept.get("session") == me
                and bool(named)
                and bool(kept["named"])
                and not set(named) & set(kept["named"])
            )
        except (OSError, Refused, ValueError, KeyError, TypeError):
            go_on = False
        before = kept["data"] if go_on else None
        if update is not None:
            names = [*(kept["named"] if go_on else ()), *named]
            # Renamed into place: a link under its name is replaced, never written through.
            write_atomic(
                state, json.dumps({"session": me, "named": names, "data": update(before)}).encode("utf-8")
            )
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
        together = outcome if before is None else _join(_load(before), outcome)
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


def _lines(kept: Any) -> set[str]:
    """The notes kept, as lines (anything else in a forged or damaged file left out)."""
    return {line for line in kept if isinstance(line, str)} if isinstance(kept, list) else set()


def notes(named: Sequence[str]) -> Notes:
    """The notes of this run, knowing those the earlier runs said."""
    # No folder to keep them in (a read-only .git): each run says its notes, and lints.
    try:
        folder = _folder()
        before = None if folder is None else _carry(folder / "notes.json", named, None)
    except OSError:
        return Notes(named)
    return Notes(named, frozenset(_lines(before)))


def keep_notes(said: Notes) -> None:
    """Keep what this run said, for the runs after it."""
    with contextlib.suppress(OSError):
        if (folder := _folder()) is not None:
            _carry(folder / "notes.json", said.named, lambda before: sorted(_lines(before) | said.said))


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


def _load(d: dict[str, Any]) -> Outcome:
    def finding(f: dict[str, Any]) -> Diagnostic:
        return Diagnostic(**{**f, "severity": Severity(f["severity"]), "span": Span(**f["span"])})

    return Outcome(
        [finding(f) for f in d["diagnostics"]],
        int(d["files"]),
        int(d["maps"]),
        targets=frozenset(d["targets"]),
        not_maps=frozenset(d["not_maps"]),
        folders=frozenset(d.get("folders", ())),  # kept by a version without it: none
        notifications=tuple(finding(f) for f in d["notifications"]),
        seconds=float(d["seconds"]),
        raw_names={k: bytes.fromhex(v) for k, v in d["raw_names"].items()},
    )
