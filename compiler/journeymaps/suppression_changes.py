"""What a change does to inline suppressions (``# journeymaps: ignore[rule] reason``).

A suppression hides findings as a settings change does, one comment at a time: a pull
request adding ``ignore[unknown-team]`` above a map's ``id:`` with seven unknown owners
passed ``diff --check`` unseen. So, as for settings (see :class:`journeymaps.comparison.SettingsChange`),
each side's suppressions are matched with the other side's by meaning (the rule, the text of
the line it targets, whether it covers a block; never the line number, which any edit above
moves): HEAD's findings that only a suppression the change adds hides are reported, and
BASE's that only one it removes hid are shown again rather than introduced. HEAD's findings
that a suppression both sides have hides are returned too: the change may bring new ones
under it (another unknown owner in a map suppressing unknown-team), said but not judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from journeymaps import suppressions
from journeymaps.diagnostics import Diagnostic
from journeymaps.lint import Report
from journeymaps.loader import JsonPath, Source
from journeymaps.suppressions import Matcher, Suppression

if TYPE_CHECKING:
    from yaml.nodes import Node


@dataclass(frozen=True)
class Comment:
    """A suppression comment the change adds (HEAD's) or removes (BASE's)."""

    file: str
    line: int
    rules: tuple[str, ...]  # those it adds or removes: ``ignore[a, b]`` that was ``ignore[a]`` adds b
    scope: str  # "covers the whole map", "covers lines 4-9"

    @property
    def words(self) -> str:
        """``ignore[unknown-team] at maps/a.yaml:2 covers the whole map``."""
        return f"ignore[{', '.join(self.rules)}] at {self.file}:{self.line} {self.scope}"


@dataclass
class Hidden:
    """A finding a suppression the change adds hides (or one it removes hid)."""

    finding: Diagnostic
    comment: Comment
    new: bool = False  # the change brings the finding: BASE's maps did not report it
    #: Kept above a handoff the change sends to another step (or takes from another): the
    #: comment the same, what it hides now about a handoff between other steps (see
    #: :func:`journeymaps.finding_changes.moved_comments`).
    retargeted: bool = False
    end: str = "to"  # which end of that handoff the change edits: "to", "from" or both, "ends"


#: What the change did to a retargeted handoff, by the end it edits: "a handoff this change ...".
ENDS = {
    "to": "sends to another step",
    "from": "starts from another step",
    "ends": "moves to other steps at both ends",
}


def ends_words(hidden: list[Hidden]) -> str:
    """What the change did to the handoffs of retargeted ``hidden``, in :data:`ENDS`' words."""
    return " or ".join(ENDS[e] for e in ENDS if any(h.end == e for h in hidden))


class Changed(NamedTuple):
    """What a change does to the suppressions of its maps, as HEAD's and BASE's findings."""

    hides: list[Hidden]  # HEAD's findings only a suppression the change adds hides
    reveals: list[Hidden]  # BASE's findings only a suppression the change removes hid
    #: HEAD's findings a suppression both sides have hides (whether BASE's hid them too is
    #: the comparison's to tell: a finding moves, a map's id changes).
    kept: list[Hidden]


def changed(base: Report, head: Report, pairs: Iterable[tuple[str | None, str | None]]) -> Changed:
    """What the change does to suppressions, for each pair of map files (BASE's, HEAD's;
    None: not on that side)."""
    sources = _by_display(base.sources), _by_display(head.sources)
    held = _by_file(base.suppressed), _by_file(head.suppressed)
    out = Changed([], [], [])
    for was, now in pairs:
        a = sources[0].get(was) if was is not None else None
        b = sources[1].get(now) if now is not None else None
        if b is None or (was is not None and a is None):
            continue  # removed, or read on one side only with the other side's settings
        found = held[1].get(b.display, [])
        if a is not None and a.text == b.text:
            # Every suppression kept; what they hide may still be new (a team deleted from
            # teams.yaml makes an owner of an untouched map unknown).
            if found:
                alike = _parsed(b)
                out.kept.extend(_only(found, alike, alike, b.display)[1])
            continue
        old, new = _parsed(a), _parsed(b)
        hides, kept = _only(found, new, old, b.display)
        out.hides.extend(hides)
        out.kept.extend(kept)
        if a is not None:
            out.reveals.extend(_only(held[0].get(a.display, []), old, new, a.display)[0])
    return out


def _by_display(sources: Iterable[Source]) -> dict[str, Source]:
    return {s.display: s for s in sources}


def _by_file(found: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {}
    for d in found:
        out.setdefault(d.file, []).append(d)
    return out


def _parsed(src: Source | None) -> list[Suppression]:
    """A file's suppressions, each placed by what its target line is in too (see
    :func:`_paths_at`)."""
    if src is None:
        return []
    found = suppressions.parse(src.text, src.block_end)
    if not found or src.positions is None:
        return found
    paths = _paths_at(src)
    return [s if s.whole_map else replace(s, within=paths.get(s.target_line, "")) for s in found]


def _paths_at(src: Source) -> dict[int, str]:
    """What each line of a file that parses starts, by meaning: the semantic path (see
    :func:`journeymaps.fingerprints.semantic_path`) of the outermost value or key on it,
    ``stages[contact].steps[agent-gathers].owner``. A suppression's target line by its text
    alone: ``owner: legacy-billing`` moved from one step to another was "kept", and the new
    error it hid there reported, not judged."""
    from yaml.nodes import MappingNode, SequenceNode

    from journeymaps.fingerprints import semantic_path

    out: dict[int, str] = {}
    root = src.nodes()
    todo: list[tuple[Node, JsonPath]] = [(root, ())] if root is not None else []
    while todo:  # parents before their children: the outermost on a line is kept
        node, path = todo.pop()
        out.setdefault(node.start_mark.line + 1, semantic_path(src.data, path))
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                at = (*path, str(key.value))
                todo += [(value, at), (key, at)]
        elif isinstance(node, SequenceNode):
            todo += [(item, (*path, i)) for i, item in reversed(list(enumerate(node.value)))]
    return out


def _only(
    found: list[Diagnostic], mine: list[Suppression], other: list[Suppression], file: str
) -> tuple[list[Hidden], list[Hidden]]:
    """The findings of a side (silenced there) that no suppression the other side also has
    would silence, each with the first of its own that does; and those one both sides have
    silences, each with it. Counting: two alike on one side and one on the other is one
    added."""
    if not found:
        return [], []
    budget = Counter((rule, s.place, s.within) for s in other for rule in s.rules)
    kept: list[Suppression] = []
    gained: list[Suppression] = []
    for s in mine:
        keep, gain = [], []
        for rule in s.rules:
            if budget[rule, s.place, s.within] > 0:
                budget[rule, s.place, s.within] -= 1
                keep.append(rule)
            else:
                gain.append(rule)
        # Fresh copies: matching marks a suppression used, and these are the report's.
        if keep:
            kept.append(replace(s, rules=tuple(keep), used=set()))
        if gain:
            gained.append(replace(s, rules=tuple(gain), used=set()))
    still, by = Matcher(kept), Matcher(gained)
    out: tuple[list[Hidden], list[Hidden]] = ([], [])
    for d in sorted(found, key=lambda d: d.line):
        # A suppression both sides have first: it hides the finding whatever the change adds.
        if (hider := still.suppressed(d.rule, d.line)) is not None:
            out[1].append(Hidden(d, _comment(hider, file)))
        elif (hider := by.suppressed(d.rule, d.line)) is not None:
            out[0].append(Hidden(d, _comment(hider, file)))
    return out


def _comment(s: Suppression, file: str) -> Comment:
    return Comment(file, s.span.line, s.rules, s.scope)
