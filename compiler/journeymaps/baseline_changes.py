"""What a change does to the project's baseline (``.journeymaps-baseline.json``): the
findings ``lint --baseline`` stops showing because the change records them, and those it
shows again because the change drops their entries.

A pull request could add its own new error to the baseline beside the map that brings it:
``lint --baseline`` then passed, and the comment said nothing of it (the file's JSON diff
was the only trace). ``diff`` judges findings without the baseline, so ``--check`` is not
changed by it; this says what the edit means, in every format.
"""

from __future__ import annotations

import stat
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from journeymaps import baseline, git
from journeymaps.records import record
from journeymaps.reporters.base import plural, printable

#: The file ``journeymaps baseline`` writes, in the folder it runs in (the project's top).
NAME = ".journeymaps-baseline.json"
#: A baseline larger than this is not compared (about 200,000 entries).
MAX_BYTES = 64 * 1024 * 1024
#: How many entries a sentence names before "and N more", and how much of each message.
NAMED, SHORT = 5, 72


@record
class Side:
    """One side's baseline: its entries (None: no baseline there), or why it cannot be read."""

    entries: list[dict[str, Any]] | None = None
    problem: str | None = None


@record
class BaselineChange:
    """The entries HEAD's baseline has beyond BASE's (``accepted``) and those it lost
    (``dropped``), each counted as often as it is written; ``new``: the fingerprints of the
    findings the change brings."""

    file: str
    accepted: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    new: frozenset[str]
    created: bool = False  # BASE had no baseline
    deleted: bool = False  # HEAD has none
    problem: str | None = None  # a side that cannot be read: said, not compared
    #: HEAD's entries of findings the change moves (a step to another stage, a map's id
    #: renamed), under the fingerprint they no longer have: lint --baseline shows them anew.
    moved: list[dict[str, Any]] = field(default_factory=list)
    #: Entries recorded again under the fingerprint the change gives their finding (each
    #: taken out of ``accepted`` and ``dropped``): lint --baseline hides them as before.
    followed: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """In words, for every format."""
        if self.problem is not None:
            return [f"the baseline {self.file} {self.problem}: what it accepts was not compared"]
        out = []
        if self.accepted:
            n = len(self.accepted)
            brought = sum(1 for e in self.accepted if e.get("fingerprint") in self.new)
            of_them = f" ({brought} of them new in this change)" if brought else ""
            verb = (
                f"this change adds the baseline {self.file}: it accepts"
                if self.created
                else f"the baseline {self.file} accepts"
            )
            counted = plural(n, "finding" if self.created else "more finding")
            out.append(
                f"{verb} {counted}{of_them}: 'lint --baseline' no longer shows {_them(n)}, and "
                f"this comparison judges {_them(n)} as ever: {_named(self.accepted)}"
            )
        if self.moved:
            n = len(self.moved)
            out.append(
                f"the baseline {self.file} accepts {plural(n, 'finding')} under the place this change "
                f"moves {_them(n)} from (a step moved to another stage, a stage's or a map's id "
                f"renamed): 'lint --baseline' shows {_them(n)} again as new until the baseline is "
                f"recorded again ('journeymaps baseline'): {_named(self.moved)}"
            )
        if self.followed:
            n = len(self.followed)
            out.append(
                f"the baseline {self.file} records {plural(n, 'finding')} again where this change "
                f"moves {_them(n)}: 'lint --baseline' hides {_them(n)} as before: {_named(self.followed)}"
            )
        if self.dropped:
            n = len(self.dropped)
            verb = (
                f"this change deletes the baseline {self.file}, which accepted"
                if self.deleted
                else (f"the baseline {self.file} no longer accepts")
            )
            out.append(
                f"{verb} {plural(n, 'finding')}: 'lint --baseline' shows {_them(n)} again where "
                f"{'they are' if n > 1 else 'it is'} still found: {_named(self.dropped)}"
            )
        return out


def _them(n: int) -> str:
    return "them" if n > 1 else "it"


def _named(entries: list[dict[str, Any]]) -> str:
    """The first entries in words ("unknown-team in billing-dispute: owner: ..."), the rest counted."""
    said = []
    for e in entries[:NAMED]:
        rule, where, message = (_text(e.get(k)) for k in ("rule", "map", "message"))
        where = where or _text(e.get("file")) or "an unnamed file"
        said.append(f"{rule or 'a finding'} in {where}" + (f": {_short(message)}" if message else ""))
    rest = len(entries) - NAMED
    return "; ".join(said) + (f"; and {rest} more ('diff --format json' lists them all)" if rest > 0 else "")


def _short(message: str, most: int = SHORT) -> str:
    """A finding's message cut at a word to ``most`` characters (its whole is in the JSON)."""
    if len(message) <= most:
        return message
    return message[:most].rsplit(" ", 1)[0].rstrip(",;:(") + "\u2026"


def _text(value: Any) -> str:
    """An entry's field as words: one line, its control characters as escapes (a baseline
    is a file the pull request writes: an escape sequence there reached the comment raw)."""
    return printable(" ".join(value.split())) if isinstance(value, str) else ""


def read_revision(spec: str, cwd: Path) -> Side:
    """The baseline in the project's folder (``cwd``) at the revision ``spec``."""
    try:
        (data,) = git.read_files(spec, [NAME], cwd, MAX_BYTES)
        # No bytes: missing, or there and not read. Too large read as no baseline, and a
        # change making it larger "deletes the baseline" (as read_folder says it, now).
        found = git.object_size(spec, NAME, cwd) if data is None else None
    except git.GitError as exc:
        return Side(problem=f"cannot be read at {spec}: {exc}")
    if found is not None and found[0] != "blob":
        return Side(problem=f"at {spec} is not a regular file")
    if found is not None and found[1] > MAX_BYTES:
        return Side(problem=f"at {spec} is over {MAX_BYTES >> 20} MB")
    return Side() if data is None else _parsed(data, spec)


def read_folder(folder: Path, said: str) -> Side:
    """The baseline in ``folder`` (the working tree's project folder, or a folder side)."""
    path = folder / NAME
    try:
        info = path.stat()
    except FileNotFoundError:
        return Side()
    except OSError as exc:
        return Side(problem=f"cannot be read in {said}: {exc.strerror}")
    if not stat.S_ISREG(info.st_mode):  # a FIFO would wait for a writer forever
        return Side(problem=f"in {said} is not a regular file")
    if info.st_size > MAX_BYTES:
        return Side(problem=f"in {said} is over {MAX_BYTES >> 20} MB")
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return Side(problem=f"cannot be read in {said}: {exc.strerror}")
    return _parsed(data, said)


def _parsed(data: bytes, said: str) -> Side:
    try:
        return Side(baseline.parse(data, NAME).entries)
    except baseline.BaselineError as exc:
        why = str(exc).removeprefix(f"{NAME} ")
        return Side(problem=f"in {said} {why}" if why.startswith("is ") else f"in {said}: {why}")


def compare(
    base: Side, head: Side, new: Iterable[str], rekeyed: Mapping[str, str] | None = None, file: str = NAME
) -> BaselineChange | None:
    """How HEAD's baseline differs from BASE's (None: alike, or neither has one); ``new``:
    the fingerprints of the findings the change brings; ``rekeyed``: BASE's fingerprints the
    change rewrites, by HEAD's (see :attr:`journeymaps.comparison.Comparison.rekeyed`)."""
    if base.problem is not None or head.problem is not None:
        if base.problem is not None and head.problem is not None:
            return None  # unreadable on both sides: nothing the change did to it
        return BaselineChange(file, [], [], frozenset(), problem=base.problem or head.problem)
    if base.entries is None and head.entries is None:
        return None
    accepted = _beyond(head.entries or [], base.entries or [])
    dropped = _beyond(base.entries or [], head.entries or [])
    moves = rekeyed or {}
    followed = _followed(dropped, accepted, moves)
    for gone in followed:  # each pair's two entries: the old one dropped, the new one accepted
        dropped.remove(gone)
        accepted.remove(next(e for e in accepted if e.get("fingerprint") == moves[gone["fingerprint"]]))
    # HEAD's entries still under a fingerprint the change rewrote, the new one not recorded.
    kept = Counter(e["fingerprint"] for e in head.entries or [])
    moved = []
    for e in head.entries or []:
        if (now := moves.get(e["fingerprint"])) is not None:
            if kept[now] > 0:
                kept[now] -= 1
            else:
                moved.append(e)
    if not accepted and not dropped and not moved and not followed:
        return None
    return BaselineChange(
        file,
        accepted,
        dropped,
        frozenset(new),
        created=base.entries is None,
        deleted=head.entries is None,
        moved=moved,
        followed=followed,
    )


def _followed(
    dropped: list[dict[str, Any]], accepted: list[dict[str, Any]], moves: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The dropped entries whose finding the change moves and that HEAD records again
    under the fingerprint it has now (one accepted entry each)."""
    there = Counter(e.get("fingerprint") for e in accepted)
    out = []
    for e in dropped:
        now = moves.get(e["fingerprint"])
        if now is not None and there[now] > 0:
            there[now] -= 1
            out.append(e)
    return out


def _beyond(these: list[dict[str, Any]], those: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of ``these`` that ``those`` does not have (one for one, by fingerprint)."""
    budget = Counter(e["fingerprint"] for e in those)
    out = []
    for e in these:
        if budget[e["fingerprint"]] > 0:
            budget[e["fingerprint"]] -= 1
        else:
            out.append(e)
    return out


def entry_json(e: dict[str, Any]) -> dict[str, Any]:
    """An entry as ``diff --format json`` gives it: the fields a baseline records."""
    return {k: e.get(k) for k in ("fingerprint", "rule", "file", "map", "message")}
