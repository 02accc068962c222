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
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
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


def state_file(report: Path) -> Path:
    """Where the runs so far of the report ``report`` are kept: in the repository's own
    folder (``.git/journeymaps-hook/``), which no commit holds (a link committed there could
    have led the write anywhere) and which clutters no folder of the user's."""
    from journeymaps import git

    key = hashlib.sha256(os.fsencode(os.path.abspath(report))).hexdigest()[:24]  # noqa: PTH100
    try:
        folder = git.git_dir(Path.cwd()) / "journeymaps-hook"
    except git.GitError:  # no repository: beside the report
        return report.parent / f".{report.name}.journeymaps-hook"
    folder.mkdir(exist_ok=True)
    return folder / f"{key}.json"


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


def merged(report: Path, outcome: Outcome, named: Sequence[str]) -> Outcome:
    """``outcome`` with the findings of the earlier runs of this pre-commit run that wrote
    ``report``; what is kept for the next run written. A report of another run (an earlier
    commit's) starts afresh; so does a run naming a file an earlier run named (pre-commit's
    runs of one list name each file once: this is the hook run again, by hand from one shell,
    say, whose fixed findings must not stay)."""
    from journeymaps.output import write_atomic
    from journeymaps.reading import Refused, json_value, read_regular

    me = session()
    try:
        state = state_file(report)
        with _locked(state):
            try:
                kept = json_value(read_regular(state, _MAX_STATE_BYTES, follow=False))
                same = isinstance(kept, dict) and kept.get("session") == me
                earlier = _load(kept["outcome"]) if same and not set(named) & set(kept["named"]) else None
            except (OSError, Refused, ValueError, KeyError, TypeError):
                earlier = None
            together = outcome if earlier is None else _join(earlier, outcome)
            names = [*(kept["named"] if earlier is not None else ()), *named]
            kept = {"session": me, "named": names, "outcome": _dump(together)}
            # Renamed into place: a link under its name is replaced, never written through.
            write_atomic(state, json.dumps(kept).encode("utf-8"))
    except OSError:  # nowhere to keep it (a read-only .git): this run's findings, as before
        return outcome
    return together


def _join(a: Outcome, b: Outcome) -> Outcome:
    """Both runs' findings, each once (a cross-map finding can be in both), and files."""
    findings = list(dict.fromkeys([*a.diagnostics, *b.diagnostics]))
    findings.sort(key=lambda d: (d.file, d.span.line, d.span.column))
    targets = a.targets | b.targets
    not_maps = a.not_maps | b.not_maps
    files = len(targets) if targets else max(a.files, b.files)
    maps = len(targets - not_maps) if targets else max(a.maps, b.maps)
    return replace(
        b,
        diagnostics=findings,
        files=files,
        maps=maps,
        targets=targets,
        not_maps=not_maps,
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
        notifications=tuple(finding(f) for f in d["notifications"]),
        seconds=float(d["seconds"]),
        raw_names={k: bytes.fromhex(v) for k, v in d["raw_names"].items()},
    )
