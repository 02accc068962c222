"""Which findings a change introduces and which it fixes, for ``journeymaps diff``: matched by
fingerprint and counted (two alike are two), followed through a renamed file, a changed map id
or a renamed teams.yaml; a map broken on both sides compared by its format errors."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from journeymaps.diagnostics import Diagnostic
from journeymaps.diff_sides import within
from journeymaps.fingerprints import without_positions
from journeymaps.lint import Report
from journeymaps.model import Map
from journeymaps.rules.input import FATAL_RULES
from journeymaps.suppression_changes import Hidden


def not_hidden_in(
    base: Report,
    kept: list[Hidden],
    renamed: dict[str, str],
    rescoped: dict[str, str],
    restaged: dict[str, dict[str, str]] | None = None,
) -> list[Hidden]:
    """HEAD's findings a suppression both sides have hides, but those BASE's suppressions
    hid too: reported once, when they came (an unrelated edit said nothing of them before)."""
    new = [k.finding for k in kept if k.new]
    if not new:
        return [k for k in kept if not k.new]
    still = {id(d) for d in match_findings(list(base.suppressed), new, renamed, rescoped, restaged)[0]}
    return [k for k in kept if not k.new or id(k.finding) in still]


def moved_comments(
    hides: list[Hidden],
    reveals: list[Hidden],
    renamed: dict[str, str],
    rescoped: dict[str, str],
    restaged: dict[str, dict[str, str]],
    restaged_in: Mapping[str, dict[str, str]],
) -> tuple[list[Hidden], list[Hidden], list[Hidden]]:
    """``hides`` and ``reveals`` but those of a comment that moved with what it is above,
    its line edited (a handoff's ends retyped when its step moved to another stage): a
    suppression the change removes and one it adds that hide the same finding (by meaning).
    It was hidden and still is: "a suppression this change adds hides 1 warning (1 of them
    new)" was said of a comment only carried along. Third, those of a comment above a
    handoff the change sends to another step or starts from another
    (:func:`journeymaps.map_changes.retargeted`): the same comment, kept, but what it hides
    is now about a handoff between other steps, which a reviewer should read (it was said
    to be a suppression the change adds). ``restaged_in``: ``restaged`` by HEAD's files."""
    came, went = match_findings(
        [r.finding for r in reveals], [h.finding for h in hides], renamed, rescoped, restaged
    )
    new, gone = {id(d) for d in came}, {id(d) for d in went}
    steps = {
        f: {k: v for k, v in refs.items() if not k.startswith("handoffs[")} for f, refs in restaged.items()
    }
    alone = {
        id(d)
        for d in match_findings(
            [r.finding for r in reveals], [h.finding for h in hides], renamed, rescoped, steps
        )[0]
    }
    aimed = [
        replace(h, retargeted=True, end=_edited_end(h.finding, restaged_in.get(h.finding.file, {})))
        for h in hides
        if id(h.finding) not in new and id(h.finding) in alone
    ]
    return (
        [h for h in hides if id(h.finding) in new],
        [r for r in reveals if id(r.finding) in gone],
        aimed,
    )


def _edited_end(d: Diagnostic, refs: Mapping[str, str]) -> str:
    """Which end (``to``, ``from``, or both: ``ends``) the change edits of the retargeted
    handoff a HEAD finding is about: its ``handoffs[from->to]`` as BASE had it, by the step
    it keeps, in the refs its own map retypes (``refs``; another map with a handoff between
    the same steps lent its wording). An end only retyped (its stage renamed, its step moved
    to another stage) is kept: it read as edited, "moves to other steps at both ends" said
    of a ``to`` edited."""
    for was, now in refs.items():
        if was.startswith("handoffs[") and now in d.anchor:
            ends = zip(_ends(was), _ends(now), strict=True)
            kept = [refs.get(a, a) == b for a, b in ends]
            return "to" if kept[0] else "from" if kept[1] else "ends"
    return "to"


def _ends(place: str) -> tuple[str, str]:
    """A handoff's (from, to) refs, from its place: ``handoffs[from->to]``."""
    a, _, b = place.removeprefix("handoffs[").removesuffix("]").partition("->")
    return a, b


def reshown(
    before: list[Diagnostic],
    after: list[Diagnostic],
    introduced: list[Diagnostic],
    reveals: list[Hidden],
    renamed: dict[str, str],
    rescoped: dict[str, str],
    restaged: dict[str, dict[str, str]] | None = None,
) -> list[Hidden]:
    """HEAD's findings that would be introduced but for BASE's findings a removed
    suppression hid there, each with that suppression."""
    still = {id(d) for d in introduced}
    by_print = {r.finding.fingerprint: r for r in reveals}
    by_rule = {r.finding.rule: r for r in reveals}
    out = []
    for d in match_findings(before, after, renamed, rescoped, restaged)[0]:
        if id(d) not in still:
            r = by_print.get(d.fingerprint) or by_rule.get(d.rule) or reveals[0]
            out.append(Hidden(d, r.comment))
    return out


def still_broken(
    was: list[Diagnostic], now: list[Diagnostic]
) -> tuple[list[Diagnostic], list[Diagnostic], list[Diagnostic]]:
    """A map that loads on neither side: (introduced, fixed, uncompared) among its findings.
    A side whose file parses lists every format error it has (schema, duplicate keys); one
    that does not parse, only the first problem (:data:`FATAL_RULES`). Dropped on both sides,
    a second schema error added to an invalid map passed ``--check``.

    Both parse: their format errors compared by rule and message without positions (not by
    fingerprint, whose anchor is the line's text: an edit to the offending line, or a comment
    after it, is not a new error). Neither parses: the problems compared by rule alone (the
    same syntax error, its line edited, is the base's). Only HEAD's parses: BASE's problem is
    fixed, and HEAD's errors, which BASE could not show, are uncompared (``--check`` judges
    them as a repaired map's). Only BASE's: HEAD's problem is introduced, BASE's errors
    uncompared (unknown in HEAD)."""
    fatal = [any(d.rule in FATAL_RULES for d in side) for side in (was, now)]
    if fatal == [False, True]:
        return [d for d in now if d.rule in FATAL_RULES], [], was
    if fatal == [True, False]:
        return [], [d for d in was if d.rule in FATAL_RULES], now

    def key(d: Diagnostic) -> tuple[str, ...]:
        return (d.rule,) if fatal[0] else (d.rule, without_positions(d.message))

    introduced, fixed = _beyond([(key(d), d) for d in was], [(key(d), d) for d in now])
    return introduced, fixed, []


def _beyond(
    was: list[tuple[object, Diagnostic]], now: list[tuple[object, Diagnostic]]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(``now``'s findings beyond ``was``'s count of their key, ``was``'s beyond ``now``'s),
    counting: two findings with one key are two findings."""
    out: tuple[list[Diagnostic], list[Diagnostic]] = ([], [])
    for found, other, into in ((now, was, out[0]), (was, now, out[1])):
        budget = Counter(k for k, _ in other)
        seen: Counter[object] = Counter()
        for k, d in found:
            seen[k] += 1
            if seen[k] > budget[k]:
                into.append(d)
    return out


def registry_pairs(base: Report, head: Report, renamed: dict[str, str]) -> list[tuple[str | None, str]]:
    """Each teams.yaml or personas.yaml HEAD read, with BASE's (None: BASE had none there),
    followed as :func:`renamed_registries` follows them."""
    was = {file for file, kind in base.kinds.items() if kind != "map"}
    back = {now: then for then, now in renamed.items()}
    out: list[tuple[str | None, str]] = []
    for file, kind in head.kinds.items():
        if kind != "map":
            then = back.get(file, file)
            out.append((then if then in was else None, file))
    return out


def renamed_registries(
    base: Report, head: Report, base_roots: list[Path] | None, head_roots: list[Path] | None
) -> tuple[dict[str, str], dict[str, str]]:
    """BASE's teams.yaml or personas.yaml → HEAD's: those followed, and those renamed. A
    registry has no id, so its findings are fingerprinted by its path: renamed, all were
    "introduced" and "fixed". Followed: one at the same place in each side's maps folder
    (named at another depth: ``maps/teams.yaml`` and ``teams.yaml``), and one of its kind
    gone with one come (teams.yaml → teams.yml, maps/ → journeys/), whatever others stay
    where they were (a second teams.yaml kept it from being followed); only the latter
    are renamed."""
    sides = _registries(base, base_roots), _registries(head, head_roots)
    followed: dict[str, str] = {}
    said: dict[str, str] = {}
    for kind in sorted({k for side in sides for k, _ in side.values()}):
        was, now = ({inner: f for f, (k, inner) in side.items() if k == kind} for side in sides)
        followed |= {was[inner]: now[inner] for inner in was.keys() & now.keys() if was[inner] != now[inner]}
        gone, come = sorted(was.keys() - now.keys()), sorted(now.keys() - was.keys())
        if len(gone) == 1 and len(come) == 1:
            followed[was[gone[0]]] = said[was[gone[0]]] = now[come[0]]
    return followed, said


def _registries(report: Report, roots: list[Path] | None) -> dict[str, tuple[str, str]]:
    """Each teams.yaml or personas.yaml a side read, as shown: its kind, and its path inside
    the side's maps folder when it was run on one (see :func:`journeymaps.map_pairing.entries`)."""
    top = roots[0] if roots is not None and len(roots) == 1 else None
    paths = {src.display: src.path for src in report.sources}
    out = {}
    for file, kind in report.kinds.items():
        path = paths.get(file)
        inner = within(top, path) if top is not None and path is not None else None
        if kind != "map":
            out[file] = (kind, inner or file)
    return out


def unchecked(
    fixed: list[Diagnostic],
    models: tuple[Mapping[str, Map], Mapping[str, Map]],
    rescoped: Mapping[str, str],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(fixed, no longer checked): ``fixed`` split by whether the finding's rule still judges
    its map (``models``: each side's maps by id). A rule that judges maps of some states
    only (:attr:`journeymaps.rules.Rule.states`: ``unvalidated-stage`` a current-state map)
    stops at a map the change turns to another: its findings stopped applying, and read as
    fixed."""
    from journeymaps.rules import all_rules

    rules = all_rules()
    still: list[Diagnostic] = []
    gone: list[Diagnostic] = []
    for d in fixed:
        rule = rules.get(d.rule)
        states = rule.states if rule is not None else frozenset()
        was = models[0].get(d.map_id or "") if states else None
        now = models[1].get(rescoped.get(d.file, d.map_id or "")) if states else None
        stopped = was is not None and now is not None and was.state in states and now.state not in states
        (gone if stopped else still).append(d)
    return still, gone


def match_findings(
    before: list[Diagnostic],
    after: list[Diagnostic],
    renamed: dict[str, str] | None = None,
    rescoped: dict[str, str] | None = None,
    restaged: dict[str, dict[str, str]] | None = None,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(introduced, fixed), counting: two findings with one fingerprint are two findings.
    ``renamed``: BASE's files by HEAD's names, whose findings are matched as HEAD's file's.
    ``rescoped``: BASE's files whose map's id changed, by the id in HEAD: a fingerprint is
    scoped by the map id, so their findings are matched as the map's under its new id.
    ``restaged``: BASE's files whose map moves steps to another stage, with the steps' refs
    (see :func:`journeymaps.map_changes.restaged`): a fingerprint is anchored on the ids of
    what it is about (``handoffs[contact.agent-gathers->...]``), so a stage split in two
    read each finding about a moved step as fixed and introduced again."""
    mark = as_in_head(renamed, rescoped, restaged)
    return _beyond([(mark(d), d) for d in before], [(d.fingerprint, d) for d in after])


def as_in_head(
    renamed: dict[str, str] | None = None,
    rescoped: dict[str, str] | None = None,
    restaged: dict[str, dict[str, str]] | None = None,
) -> Callable[[Diagnostic], str]:
    """The fingerprint a BASE finding has in HEAD where the change renames its file, its
    map's id or moves its steps (see :func:`match_findings`), else its own."""
    moved, ids, steps = renamed or {}, rescoped or {}, restaged or {}

    def mark(d: Diagnostic) -> str:
        if d.map_id and (d.file in ids or d.file in steps):
            if d.file in steps and d.anchor and not d.anchor.startswith("text:"):
                d = replace(d, anchor=moved_steps(d.anchor, steps[d.file]))
            return replace(d, map_id=ids.get(d.file, d.map_id)).fingerprint
        return (
            replace(d, file=moved[d.file]).fingerprint if d.file in moved and not d.map_id else d.fingerprint
        )

    return mark


def moved_steps(anchor: str, refs: dict[str, str]) -> str:
    """A fingerprint's anchor (:mod:`journeymaps.fingerprints`) with each retyped ref (see
    :func:`journeymaps.map_changes.restaged`) as HEAD has it: a moved step as a path
    (``stages[contact].steps[agent-gathers].owner``) and as a ref (``contact.agent-gathers``,
    a handoff's end); a renamed stage as a path (``stages[finance-review].id``), a way's
    target (``next[finance-review]``) and what a finding is about (``@finance-review``); a
    handoff sent to another step as a whole (``handoffs[a.b->c.d]``, see
    :func:`journeymaps.map_changes.retargeted`). In one pass: two stages trading ids are each
    renamed once, not renamed back."""
    if not refs:
        return anchor

    def now(found: re.Match[str]) -> str:
        if found["handoff"] is not None:
            if found[0] in refs:  # sent to another step: the same handoff
                return refs[found[0]]
            ends = (refs.get(end, end) if "." in end else end for end in found["handoff"].split("->"))
            return f"handoffs[{'->'.join(ends)}]"
        if found["stage"] is not None:
            stage, step = found["stage"], found["step"]
            if step is not None and f"{stage}.{step}" in refs:
                stage, _, step = refs[f"{stage}.{step}"].partition(".")
            else:
                stage = refs.get(stage, stage) if "." not in stage else stage
            return f"stages[{stage}]" + (f".steps[{step}]" if step is not None else "")
        ref = found["to"] or found["about"] or found["ref"]
        return refs.get(ref, ref)

    return _PLACES.sub(now, anchor)


#: The places an anchor names by ref: a path's stage (and step), a way's target, the stage
#: a finding is about, and a whole step ref (``contact.agent-gathers`` is not inside
#: ``contact.agent-gathers-2``; a handoff's ``->`` may follow one). A path's brackets
#: delimit the ids: no id holds "]". A stage's id alone is replaced only there: elsewhere
#: a word alike (a KPI's name, a pain point's id) is not that stage.
_PLACES = re.compile(
    r"handoffs\[(?P<handoff>[^\]]*)\]"
    r"|stages\[(?P<stage>[^\]]*)\](?:\.steps\[(?P<step>[^\]]*)\])?"
    r"|(?<=next\[)(?P<to>[^\].]*)(?=\])"
    r"|(?<=@)(?P<about>[\w-]+)$"
    r"|(?<![\w.-])(?P<ref>[^\W.][\w-]*\.[\w-]*\w)(?=->|[^\w.-]|$)"
)
