"""What changed between two versions of one map, as records a reviewer and a bot can read.

Each Change names its kind (``stage-added``, ``handoff-changed``...), the ids of the thing,
the field, and the values before and after, with a sentence for people. Things are matched
by id; order is compared by the longest common subsequence, so inserting a stage is one
insertion, not a move of every stage after it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any

from journeymaps import likeness
from journeymaps.business_time import words as duration
from journeymaps.model import Evidence, Handoff, Kpi, Loc, Map, PainPoint, Stage, Step, extra_text
from journeymaps.quotes import plain, quoted
from journeymaps.records import record
from journeymaps.site.words import state_words
from journeymaps.text_changes import edited

Value = str | int | float | bool | None


@record
class Change:
    """One change a reviewer cares about."""

    kind: str  # thing-verb: stage-added, step-moved, pain-point-resolved, kpi-changed...
    text: str  # the sentence shown in text and markdown
    ids: dict[str, str] = field(default_factory=dict)  # stage, step, pain_point, opportunity, handoff...
    field: str | None = None  # for *-changed and *-moved: what changed
    before: Value = None
    after: Value = None
    #: A retargeted handoff's ``from->to`` as BASE names it (not in the JSON contract): the
    #: end it keeps may be retyped too (its stage renamed), and the before diagram has the
    #: old name only.
    then: str | None = None

    def marks(self, side: str) -> frozenset[str]:
        """What to outline on the ``before`` or ``after`` diagram (stage ids, step refs, pain:ID)."""
        verb = self.kind.rsplit("-", 1)[1]
        if (side == "before" and verb == "added") or (side == "after" and verb in ("removed", "resolved")):
            return frozenset()
        if "pain_point" in self.ids:
            return frozenset({f"pain:{self.ids['pain_point']}"})
        if self.then is not None and side == "before":  # a retargeted handoff where it was
            return frozenset(self.then.split("->"))
        if "handoff" in self.ids:
            return frozenset(self.ids["handoff"].split("->"))
        if self.kind == "stage-changed" and self.field == "id" and side == "before":
            return frozenset({str(self.before)})  # the stage as the before diagram has it
        if self.kind == "step-changed" and self.field == "id" and side == "before":
            return frozenset({f"{self.ids['stage']}.{self.before}"})  # as the before diagram has it
        return frozenset({self.ids.get("step") or self.ids.get("stage") or ""} - {""})


def _value(v: Any) -> Value:
    if isinstance(v, dt.date):
        return v.isoformat()
    return v if isinstance(v, (str, int, float, bool)) or v is None else str(v)


def _show(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return plain(str(_value(v)))


def _emotion(v: int | None) -> str:
    return "none" if v is None else f"{v:+d}" if v else "0"


@record
class Names:
    """People's words for what a change names: the things of the map after the change, else
    before it (marked removed), and the project's team names. Ids stay in ``ids``."""

    old: Map
    new: Map
    teams: Mapping[str, str] = field(default_factory=dict)

    def team(self, team_id: str | None) -> str:
        # "no owner", not "none": read as a team's name or a slip, not the gap it is.
        return "no owner" if team_id is None else plain(self.teams.get(team_id, team_id))

    def stage(self, stage_id: str) -> str:
        s = self.new.stage(stage_id)
        if s is not None:
            return quoted(s.name)
        gone = self.old.stage(stage_id)
        return f"{quoted(gone.name)} (removed)" if gone is not None else f"{stage_id} (removed)"

    def place(self, at: str) -> str:
        """A pain point's place: its step (and stage) or its stage."""
        if "." not in at:
            return self.stage(at)
        for m, mark in ((self.new, ""), (self.old, " (removed)")):
            st = m.step(at)
            stage = m.stage(at.partition(".")[0])
            if st is not None and stage is not None:
                # Its step moved to another stage: where it was, not a step removed.
                kept = mark and any(x.id == st.id for x in self.new.steps())
                return f"{quoted(st.name)} in {quoted(stage.name)}{'' if kept else mark}"
        return f"{at} (removed)"

    def opportunity(self, opportunity_id: str) -> str:
        for m, mark in ((self.new, ""), (self.old, " (removed)")):
            o = m.opportunity(opportunity_id)
            if o is not None:
                return f"{quoted(o.believe)}{mark}"
        return f"{opportunity_id} (removed)"

    def pains(self, refs: str | None) -> str:
        """``caused_by`` as joined in a change: each pain point of this map by its summary;
        one in another map (``map-id/pain-id``) as written."""
        if refs is None:
            return "none"
        out = []
        for ref in refs.split(", "):
            p = self.new.pain_point(ref) or self.old.pain_point(ref)
            out.append(quoted(p.summary) if p is not None else ref)
        return ", ".join(out)

    def step(self, ref: str) -> str:
        for m, mark in ((self.new, ""), (self.old, " (removed)")):
            st = m.step(ref)
            if st is not None:
                # Moved to another stage, its ref retyped: still on the map, not removed.
                kept = mark and any(x.id == st.id for x in self.new.steps())
                return f"{quoted(st.name)}{'' if kept else mark}"
        return f"{ref} (removed)"


def lcs(a: Sequence[str], b: Sequence[str]) -> set[str]:
    """The items of the longest common subsequence of two sequences of distinct ids."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    out, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            out.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def moved(old: Sequence[str], new: Sequence[str]) -> set[str]:
    """Ids on both sides whose place in the order changed: those not in the LCS."""
    both = set(old) & set(new)
    return both - lcs([i for i in old if i in both], [i for i in new if i in both])


def modelled_alike(old: Map, new: Map) -> bool:
    """Whether the two maps were modelled from the same text with the same persona: then
    :func:`compare_maps` and :func:`restaged`, which read nothing but the two models, find
    nothing, and a change to one map of 1,000 need not compare the 999 others (~1.2 s)."""
    if old.src.text != new.src.text or old.src.parser != new.src.parser:
        return False
    a, b = old.persona, new.persona
    if a is None or b is None:
        return a is b
    # Written in the map (the text above) or in a personas file: the same place in the same text.
    return a.loc.path == b.loc.path and a.loc.src.text == b.loc.src.text


def compare_maps(
    old: Map, new: Map, today: dt.date, max_age: int, teams: Mapping[str, str] | None = None
) -> list[Change]:
    """Every change between two versions of a map, in journey order, worded with names
    (``teams``: team id -> name)."""
    say = Names(old, new, teams or {})
    out: list[Change] = []
    for name, a, b in (
        ("title", old.title, new.title),
        ("owner", old.owner, new.owner),
        ("state", old.state, new.state),
        ("based_on", old.based_on, new.based_on),
        ("persona", _persona(old), _persona(new)),
    ):
        if a != b:
            words = "map owner" if name == "owner" else name
            shown = (
                (quoted(a or ""), quoted(b or ""))
                if name == "title"
                else (say.team(a), say.team(b))
                if name == "owner"
                else _personas_said(old, new)
                if name == "persona"
                else (_show(a), _show(b))
            )
            out.append(Change("map-changed", f"{words}: {shown[0]} → {shown[1]}", {}, name, a, b))
    out += _words(
        "map-changed",
        {},
        None,
        [
            ("scenario", "scenario", old.scenario, new.scenario),
            ("goal", "goal", old.goal, new.goal),
            ("description", "description", old.description, new.description),
        ],
    )
    if old.tags != new.tags:
        a, b = ", ".join(old.tags) or None, ", ".join(new.tags) or None
        out.append(Change("map-changed", f"tags: {_show(a)} → {_show(b)}", {}, "tags", a, b))
    out += _persona_details(old, new)
    out += _stages(old, new, say)
    out += _steps(old, new, say)
    out += _handoffs(old, new, say)
    out += _pain_points(old, new, say)
    out += _opportunities(old, new, say)
    out += _evidence(old, new, today, max_age)
    out += _channel_switches(old, new)
    out += _extensions(old, new)
    if old.reviewed != new.reviewed:
        out.append(
            Change(
                "map-changed",
                f"reviewed: {old.reviewed or 'never'} → {new.reviewed or 'never'}",
                {},
                "reviewed",
                _value(old.reviewed),
                _value(new.reviewed),
            )
        )
    return out


def _channel_switches(old: Map, new: Map) -> list[Change]:
    """How often the customer changes channel, and how often that loses their story."""

    def count(m: Map) -> tuple[int, int]:
        switches = m.channel_switches()
        return len(switches), sum(1 for _, b in switches if b.context == "lost")

    (a, a_lost), (b, b_lost) = count(old), count(new)
    out = []
    if a != b:
        out.append(Change("map-changed", f"channel switches: {a} → {b}", {}, "channel_switches", a, b))
    if a_lost != b_lost:
        text = f"channel switches that lose context: {a_lost} → {b_lost}"
        out.append(Change("map-changed", text, {}, "channel_switches_lost", a_lost, b_lost))
    return out


def _persona_details(old: Map, new: Map) -> list[Change]:
    """What the map says of its persona beyond the name (shared or inline)."""
    a, b = old.persona, new.persona
    shared = old.persona_ref is not None and old.persona_ref == new.persona_ref
    if a is None or b is None or (a.name != b.name and not shared):
        return []  # no persona, or another one: "persona: A → B" says it
    # Named in ``ids``: its goal is not the map's goal, though both are the map's changes.
    ids = {"persona": b.id or b.name}
    label = f"persona {quoted(b.name)}"
    out: list[Change] = []
    if a.name != b.name:
        # Renamed in personas.yaml: the map's page and diagram name it anew, and the map's
        # own YAML (its id) is unchanged, so it read "No change to any journey map".
        said = f"persona renamed: {quoted(a.name)} → {quoted(b.name)}"
        out.append(Change("map-changed", said, ids, "name", a.name, b.name))
    out += _fields(
        "map-changed",
        ids,
        label,
        [
            ("proficiency", a.proficiency, b.proficiency),
            (
                "preferred channels",
                ", ".join(a.preferred_channels) or None,
                ", ".join(b.preferred_channels) or None,
            ),
            ("photo", a.photo, b.photo),
        ],
    )
    if a.frustrations != b.frustrations:
        # The customer's words, each quoted as a thought is (a frustration holding "; " read
        # as two), and only those added or removed, as an x- list's items.
        was, now = "; ".join(a.frustrations) or None, "; ".join(b.frustrations) or None
        said = f"frustrations of {label}: {_listed(list(a.frustrations), list(b.frustrations))}"
        out.append(Change("map-changed", said, ids, "frustrations", was, now))
    return out + _words(
        "map-changed",
        ids,
        label,
        [
            ("archetype", "archetype of", a.archetype, b.archetype),
            ("goal", "goal of", a.goal, b.goal),
            ("description", "description of", a.description, b.description),
        ],
    )


def _listed(olds: list[str], news: list[str]) -> str:
    """A list of texts changed, as its items quoted: those added and removed (``added
    "Slow refunds"; removed "Scripted answers"``), else its new order."""
    if not olds or not news:
        return f"{', '.join(map(quoted, olds)) or 'none'} → {', '.join(map(quoted, news)) or 'none'}"
    added, removed = _less(news, olds), _less(olds, news)
    parts = [f"added {', '.join(map(quoted, added))}"] if added else []
    parts += [f"removed {', '.join(map(quoted, removed))}"] if removed else []
    return "; ".join(parts) or f"reordered: {', '.join(map(quoted, olds))} → {', '.join(map(quoted, news))}"


def _persona(m: Map) -> str | None:
    return m.persona_ref or (m.persona.name if m.persona else None)


def _personas_said(old: Map, new: Map) -> tuple[str, str]:
    """A map's persona before and after by name, as the site says it; by what the map
    writes when a side has none or both have one name (a shared persona made inline)."""
    a, b = old.persona, new.persona
    if a is None or b is None or a.name == b.name:
        return _show(_persona(old)), _show(_persona(new))
    return quoted(a.name), quoted(b.name)


#: The words a change's text uses for a field, and the key the JSON ``field`` gives (the
#: map format's key): a bot reads keys, a reviewer reads words.
FIELD_KEYS = {
    "place (at)": "at",
    "caused by": "caused_by",
    "current value": "current",
    "preferred channels": "preferred_channels",
    "pain points addressed": "addresses",
    "volume unit": "volume_unit",
    "cost per contact": "cost_per_contact",
    "customers at risk": "customers_at_risk",
    "value per customer": "value_per_customer",
    "revenue at risk": "revenue_at_risk",
    "same contacts as": "same_contacts_as",
}


def _fields(
    kind: str,
    ids: dict[str, str],
    label: str,
    pairs: Iterable[tuple[str, Any, Any]],
    show: Callable[[Any], str] = _show,
    shows: Mapping[str, Callable[[Any], str]] | None = None,
) -> list[Change]:
    """``shows`` words some fields in names (an owner, a place); the values stay ids."""
    out = []
    for name, a, b in pairs:
        if a != b:
            said = (shows or {}).get(name, show)
            words = f"{name} of {label}: {said(a)} → {said(b)}"
            out.append(Change(kind, words, ids, FIELD_KEYS.get(name, name), _value(a), _value(b)))
    return out


def _words(
    kind: str,
    ids: dict[str, str],
    label: str | None,
    texts: Iterable[tuple[str, str, str | None, str | None]],
) -> list[Change]:
    """Changes of what a thing says in words: (the format's key, the words for it, before,
    after). A reviewer reads what the customer now thinks, not only that a line moved; the
    values stay whole for a bot, the sentence shows the words that changed."""
    out = []
    for key, words, a, b in texts:
        if a != b:
            was, now = edited(a, b)
            where = f"{words} {label}" if label else words
            out.append(Change(kind, f"{where}: {was} → {now}", ids, key, a, b))
    return out


def _after(items: Sequence[Any], index: int, name: Callable[[Any], str]) -> str:
    return f"after {quoted(name(items[index - 1]))}" if index else "at the start"


def _stages(old: Map, new: Map, say: Names) -> list[Change]:
    out: list[Change] = []
    renamed = renamed_stages(old, new)
    back = {now: was for was, now in renamed.items()}
    # The first of a duplicated id (an error lint reports), as the map's own lookups have it.
    before: dict[str, Stage] = {}
    for s in old.stages:
        before.setdefault(s.id, s)
    now = {s.id: s for s in new.stages}
    shifted = moved([renamed.get(s.id, s.id) for s in old.stages], [s.id for s in new.stages])
    claimed: set[str] = set()  # old stages paired: a second stage of one id is not that one edited
    for s in new.stages:
        ids = {"stage": s.id}
        prev = before.get(back.get(s.id, s.id))
        twice = prev is not None and prev.id in claimed
        if twice:
            prev = None
        elif prev is not None:
            claimed.add(prev.id)
        if prev is not None and prev.id != s.id:
            # The same stage (its steps), its id retyped: not one added and one removed.
            text = f"stage id changed: {prev.id} → {s.id} (stage {quoted(s.name)})"
            out.append(Change("stage-changed", text, ids, "id", prev.id, s.id))
        if prev is None:
            where = _after(new.stages, s.index, lambda x: x.name)
            # Its owner and steps: which team the change gives a part of the journey, and
            # what the customer meets there (its steps' own lines are left to this one).
            owner = f"owner {say.team(s.owner)}" if s.owner else "no owner"
            names = ", ".join(quoted(st.name) for st in s.steps)
            steps = f", with {len(s.steps)} step{'s' if len(s.steps) != 1 else ''}: {names}" if names else ""
            again = f" (its id {s.id} is already used by another stage of the map)" if twice else ""
            text = f"stage added: {quoted(s.name)} ({owner}) at position {s.index + 1}, {where}{steps}{again}"
            out.append(Change("stage-added", text, ids, None, None, s.name))
            continue
        if prev.name != s.name:
            out.append(
                Change(
                    "stage-changed",
                    f"stage renamed: {quoted(prev.name)} → {quoted(s.name)}",
                    ids,
                    "name",
                    prev.name,
                    s.name,
                )
            )
        if s.id in shifted:
            where = _after(new.stages, s.index, lambda x: x.name)
            text = (
                f"stage moved: {quoted(s.name)} from position {prev.index + 1} to {s.index + 1}, now {where}"
            )
            out.append(Change("stage-moved", text, ids, "position", prev.index + 1, s.index + 1))
        out += _owner_and_emotion("stage", ids, prev, s, say)
        out += _words(
            "stage-changed",
            ids,
            f"stage {quoted(s.name)}",
            [
                ("doing", "what the customer does at", prev.doing, s.doing),
                ("thinking", "what the customer thinks at", prev.thinking, s.thinking),
                ("feeling", "what the customer feels at", prev.feeling, s.feeling),
                ("description", "description of", prev.description, s.description),
            ],
        )
        old_next = [renamed.get(t.to, t.to) for t in prev.next if not t.implicit]
        new_next = [t.to for t in s.next if not t.implicit]
        if old_next != new_next:
            a, b = ", ".join(old_next) or "the next stage", ", ".join(new_next) or "the next stage"
            a_said = ", ".join(say.stage(x) for x in old_next) or _next_by_order(prev, say)
            b_said = ", ".join(say.stage(x) for x in new_next) or _next_by_order(s, say)
            if prev.next_given and not prev.next:
                a = a_said = "nothing (ends)"
            if s.next_given and not s.next:
                b = b_said = "nothing (ends)"
            text = f"stage {quoted(s.name)} leads to: {a_said} → {b_said}"
            out.append(Change("stage-changed", text, ids, "next", a, b))
        out += _ways(prev, s, say)
        out += _kpis(prev, s, say)
    for s in old.stages:
        if renamed.get(s.id, s.id) not in now or _taken(s.id, renamed, back):
            out.append(
                Change("stage-removed", f"stage removed: {quoted(s.name)}", {"stage": s.id}, None, s.name)
            )
    return out


def _taken(stage_id: str, renamed: Mapping[str, str], back: Mapping[str, str]) -> bool:
    """Whether an old stage's id is another's in the new side (renamed into it), the stage
    itself not renamed: removed, its id reused."""
    return stage_id not in renamed and stage_id in back


def _next_by_order(stage: Stage, say: Names) -> str:
    """Where a stage that names no ``next`` goes: the next stage in the list, by name. A
    reviewer read "→ the next stage" and opened the YAML to learn which."""
    after = next((t.to for t in stage.next if t.implicit), None)
    return f"the next stage ({say.stage(after)})" if after else "the next stage"


def _owner_and_emotion(
    kind: str, ids: dict[str, str], before: Stage | Step, after: Stage | Step, say: Names
) -> list[Change]:
    """The owner and emotion changes of a stage or a step, in the same words for both."""
    out = []
    if before.owner != after.owner:
        text = f"owner of {kind} {quoted(after.name)}: {say.team(before.owner)} → {say.team(after.owner)}"
        out.append(Change(f"{kind}-changed", text, ids, "owner", before.owner, after.owner))
    if before.emotion != after.emotion:
        text = (
            f"emotion at {kind} {quoted(after.name)}: {_emotion(before.emotion)} → {_emotion(after.emotion)}"
        )
        out.append(Change(f"{kind}-changed", text, ids, "emotion", before.emotion, after.emotion))
    return out


def _ways(old: Stage, new: Stage, say: Names) -> list[Change]:
    """The label and circuit breaker of each way out of a stage that both sides have: a
    breaker removed is what lets a loop run forever, and a reviewer should read it."""
    before = {t.to: t for t in old.next if not t.implicit}
    out = []
    for t in new.next:
        prev = before.get(t.to)
        if prev is None or t.implicit:
            continue
        out += _words(
            "stage-changed",
            {"stage": new.id},
            f"the way from stage {quoted(new.name)} to {say.stage(t.to)}",
            [
                ("label", "label of", prev.label, t.label),
                ("breaker", "circuit breaker of", prev.breaker, t.breaker),
            ],
        )
    return out


def _kpis(old: Stage, new: Stage, say: Names) -> list[Change]:
    out: list[Change] = []
    before: dict[str, Kpi] = {k.name: k for k in old.kpis}
    now: dict[str, Kpi] = {k.name: k for k in new.kpis}
    for name, k in now.items():
        ids = {"stage": new.id, "kpi": name}
        prev = before.get(name)
        if prev is None:
            values = f"{_kpi_show(k.current, k)}, target {_kpi_show(k.target, k)}"
            out.append(
                Change(
                    "kpi-added",
                    f"KPI added at stage {quoted(new.name)}: {plain(name)} ({values})",
                    ids,
                    None,
                    None,
                    name,
                )
            )
            continue
        label = f"KPI {quoted(name)} at stage {quoted(new.name)}"
        for field_name, a, b in _kpi_values(prev, k)[:2]:  # each side in its own unit
            if a != b:
                way = _which_way(field_name, prev, k, a, b)
                text = f"{field_name} of {label}: {_kpi_show(a, prev)} → {_kpi_show(b, k)}{way}"
                key = FIELD_KEYS.get(field_name, field_name)
                out.append(Change("kpi-changed", text, ids, key, _value(a), _value(b)))
        kpi_fields = _kpi_values(prev, k)[2:]
        if not prev.owner_given and not k.owner_given:
            # Its stage's owner before and after (a KPI without one takes it): the stage's
            # change says it, not once more for each of its KPIs (as for steps).
            kpi_fields = [v for v in kpi_fields if v[0] != "owner"]
        out += _fields("kpi-changed", ids, label, kpi_fields, shows={"owner": say.team})
        out += _words(
            "kpi-changed", ids, label, [("description", "description of", prev.description, k.description)]
        )
    for name in before.keys() - now.keys():
        ids = {"stage": new.id, "kpi": name}
        out.append(
            Change("kpi-removed", f"KPI removed at stage {quoted(new.name)}: {plain(name)}", ids, None, name)
        )
    return out


#: A KPI's value or target moved, by whether it went the better way: (value, target) words.
_WAYS = {True: ("better", "a stricter target"), False: ("worse", "a looser target")}


def _which_way(field_name: str, a: Kpi, b: Kpi, was: float | None, now: float | None) -> str:
    """Whether a value or target moved the way that is better (" (a looser target: lower is
    better)"): "5 minutes → 10 minutes" read alike whether a team raised its bar or lowered
    it. Nothing when a side has none, or the unit or the better way differs between them."""
    from journeymaps.measure.kpis import direction

    better = direction(b)
    if was is None or now is None or a.unit != b.unit or better is None or direction(a) != better:
        return ""
    up = (now > was) == (better == "higher")
    return f" ({_WAYS[up][field_name == 'target']}: {better} is better)"


def _kpi_show(value: float | None, k: Kpi) -> str:
    """A KPI's value in the site's words ("40.9%", "2.83 hours"), "none" when it has none."""
    from journeymaps.measure.kpis import value_text  # here: most diffs change no KPI

    return "none" if value is None else value_text(value, k, fine=True)


def _kpi_values(a: Kpi, b: Kpi) -> list[tuple[str, Any, Any]]:
    return [
        ("current value", a.current, b.current),
        ("target", a.target, b.target),
        ("unit", a.unit, b.unit),
        ("metric", a.metric, b.metric),
        ("direction", a.direction, b.direction),
        ("owner", a.owner, b.owner),
        ("source", a.source, b.source),
        ("ref", a.ref, b.ref),
        ("percentile", a.percentile, b.percentile),
    ]


def _steps(old: Map, new: Map, say: Names) -> list[Change]:
    out: list[Change] = []
    renamed = renamed_stages(old, new)
    back = {now: was for was, now in renamed.items()}
    # Old steps by their id in ``new``: a step whose id is renamed is the same step.
    ids_now = renamed_steps(old, new)
    before = {ids_now.get(st.id, st.id): st for st in old.steps()}
    now_ids = {st.id for st in new.steps()}
    # Each step's stage as the new side names it: a stage's id renamed moves none of its steps.
    old_stage_of = {ids_now.get(st.id, st.id): renamed.get(st.stage_id, st.stage_id) for st in old.steps()}
    for stage in new.stages:
        prev_stage = old.stage(back.get(stage.id, stage.id))
        staying = [st.id for st in stage.steps if old_stage_of.get(st.id) == stage.id]
        shifted = moved(
            [ids_now.get(st.id, st.id) for st in prev_stage.steps if ids_now.get(st.id, st.id) in staying]
            if prev_stage
            else [],
            staying,
        )
        for i, st in enumerate(stage.steps):
            ids = {"stage": stage.id, "step": st.ref}
            prev = before.get(st.id)
            if prev is None:
                if prev_stage is None:
                    continue  # a step of a new stage: "stage added" says it
                where = _after(stage.steps, i, lambda x: x.name)
                # An owner of its own: another team works the case there (its stage's, unsaid).
                owner = f" (owner {say.team(st.owner)})" if st.owner_given and st.owner else ""
                text = f"step added: {quoted(st.name)}{owner}, {where}"
                out.append(Change("step-added", text, ids, None, None, st.name))
                continue
            if old_stage_of[st.id] != st.stage_id:
                was, now = say.stage(old_stage_of[st.id]), say.stage(st.stage_id)
                text = f"step moved: {quoted(st.name)} from stage {was} to {now}"
                out.append(Change("step-moved", text, ids, "stage", prev.stage_id, st.stage_id))
            elif st.id in shifted:
                where = _after(stage.steps, i, lambda x: x.name)
                text = f"step moved: {quoted(st.name)} now {where} in stage {quoted(stage.name)}"
                old_pos = next(
                    j for j, x in enumerate(prev_stage.steps if prev_stage else ()) if x.id == prev.id
                )
                out.append(Change("step-moved", text, ids, "position", old_pos + 1, i + 1))
            if prev.id != st.id:
                text = f"step id changed: {prev.id} → {st.id} (step {quoted(st.name)})"
                out.append(Change("step-changed", text, ids, "id", prev.id, st.id))
            if prev.name != st.name:
                text = f"step renamed: {quoted(prev.name)} → {quoted(st.name)}"
                out.append(Change("step-changed", text, ids, "name", prev.name, st.name))
            step_changes = _owner_and_emotion("step", ids, prev, st, say)
            if not prev.owner_given and not st.owner_given and old_stage_of[st.id] == st.stage_id:
                # Its stage's owner, inherited before and after: the stage's own change says
                # it; listed again for each step, one edit read as a reassignment of many.
                step_changes = [c for c in step_changes if c.field != "owner"]
            out += step_changes
            if prev.lane != st.lane:
                text = f"step {quoted(st.name)} moved lane: {prev.lane} → {st.lane}"
                out.append(Change("step-changed", text, ids, "lane", prev.lane, st.lane))
            out += _fields(
                "step-changed",
                ids,
                f"step {quoted(st.name)}",
                [
                    ("channel", prev.channel, st.channel),
                    ("actor", prev.actor, st.actor),
                    ("moment", prev.moment, st.moment),
                    ("context", prev.context, st.context),
                ],
            )
            out += _words(
                "step-changed",
                ids,
                f"step {quoted(st.name)}",
                [
                    ("does", "what happens at", prev.does, st.does),
                    ("thinks", "what the customer thinks at", prev.thinks, st.thinks),
                    ("feels", "what the customer feels at", prev.feels, st.feels),
                    ("description", "description of", prev.description, st.description),
                ],
            )
    for st in old.steps():
        stage_id = st.stage_id
        if (
            st.id not in now_ids
            and st.id not in ids_now
            and new.stage(renamed.get(stage_id, stage_id)) is not None
            and not _taken(stage_id, renamed, back)
        ):
            # else "stage removed" says it
            ids = {"stage": st.stage_id, "step": st.ref}
            out.append(Change("step-removed", f"step removed: {quoted(st.name)}", ids, None, st.name))
    return out


def _handoffs(old: Map, new: Map, say: Names) -> list[Change]:
    out: list[Change] = []
    before = {(h.from_ref, h.to_ref): h for h in old.handoffs}
    now = {(h.from_ref, h.to_ref): h for h in new.handoffs}
    paired, aimed = _paired_handoffs(old, new)
    paired |= aimed
    ids_now = renamed_steps(old, new)
    for key, h in now.items():
        name = f"{say.step(h.from_ref)} → {say.step(h.to_ref)}"
        ids = {"handoff": f"{h.from_ref}->{h.to_ref}"}
        prev = before.get(paired.get(key, key))
        if prev is not None and key in aimed:
            # An end edited: the same handoff (its comment, its SLA) sent elsewhere or taken
            # from another step, not one added and one removed.
            kept = [a == b for a, b in zip(_step_ids(prev, ids_now), _step_ids(h), strict=True)]
            then = f"{prev.from_ref}->{prev.to_ref}"
            if not any(kept):
                text = (
                    f"handoff from {say.step(prev.from_ref)} to {say.step(prev.to_ref)} now goes "
                    f"from {say.step(h.from_ref)} to {say.step(h.to_ref)}"
                )
                out.append(Change("handoff-retargeted", text, ids, "ends", then, ids["handoff"], then))
            elif kept[0]:
                text = (
                    f"handoff from {say.step(h.from_ref)} now goes to {say.step(h.to_ref)}, "
                    f"was {say.step(prev.to_ref)}"
                )
                out.append(Change("handoff-retargeted", text, ids, "to", prev.to_ref, h.to_ref, then))
            else:
                text = (
                    f"handoff to {say.step(h.to_ref)} now comes from {say.step(h.from_ref)}, "
                    f"was {say.step(prev.from_ref)}"
                )
                out.append(Change("handoff-retargeted", text, ids, "from", prev.from_ref, h.from_ref, then))
        if prev is None:
            # As the site says it: the clock it is held against, and how the case travels
            # (the note): what a reviewer checks "context carried" against.
            from journeymaps.measure.kpis import CLOCK_WORDS  # here, as for KPIs: seldom needed

            sla = f"SLA {duration(h.sla)}{CLOCK_WORDS[h.sla_clock]}" if h.sla else "no SLA"
            note = f", note: {quoted(h.note)}" if h.note else ""
            text = f"handoff added: {name} ({sla}, context {h.context or 'not said'}){note}"
            out.append(Change("handoff-added", text, ids, None, None, f"{h.from_ref} → {h.to_ref}"))
            continue
        out += _fields(
            "handoff-changed",
            ids,
            f"handoff {name}",
            [
                ("sla", prev.sla, h.sla),
                ("sla_clock", prev.sla_clock, h.sla_clock),
                ("context", prev.context, h.context),
            ],
            shows={"sla": lambda sla: duration(sla) if sla else "none"},  # "1 business day", not "1bd"
        )
        out += _words("handoff-changed", ids, f"handoff {name}", [("note", "note on", prev.note, h.note)])
    for key, h in before.items():
        if key not in now and key not in paired.values():
            name = f"{h.from_ref} → {h.to_ref}"
            out.append(
                Change(
                    "handoff-removed",
                    f"handoff removed: {say.step(h.from_ref)} → {say.step(h.to_ref)}",
                    {"handoff": f"{key[0]}->{key[1]}"},
                    None,
                    name,
                )
            )
    return out


def restaged(old: Map, new: Map) -> dict[str, str]:
    """The refs the change retypes, each in ``old`` → in ``new``: a step moved to another
    stage (a stage split in two: ``contact.agent-gathers`` → ``agent-intake.agent-gathers``),
    only a step whose id no other step of its map has, on either side (two are a guess); and
    a stage whose id is renamed (:func:`renamed_stages`), with each of its steps; and a
    handoff sent to another step (:func:`retargeted`), as ``handoffs[from->to]``."""
    sides = [Counter(st.id for st in m.steps()) for m in (old, new)]
    now = {st.id: st.ref for st in new.steps()}
    renamed = renamed_stages(old, new)
    out = dict(renamed)
    # A renamed stage's steps still in it, whatever other steps' ids; one moved out of it
    # (renamed and split in one change) goes where it is now, as any moved step.
    held = {(st.stage_id, st.id) for st in new.steps()}
    for st in old.steps():
        if (then := renamed.get(st.stage_id)) is not None and (then, st.id) in held:
            out[st.ref] = f"{then}.{st.id}"
    out |= {
        st.ref: now[st.id]
        for st in old.steps()
        if st.id in now and now[st.id] != st.ref and sides[0][st.id] == sides[1][st.id] == 1
    }
    ids_now = renamed_steps(old, new)  # a step whose id is renamed: its ref with it
    out |= {st.ref: now[ids_now[st.id]] for st in old.steps() if st.id in ids_now}
    # A handoff sent to another step: its whole place (``handoffs[from->to]``), not its
    # ends, which are still there as they were.
    return out | {f"handoffs[{was}]": f"handoffs[{now}]" for was, now in retargeted(old, new).items()}


def renamed_steps(old: Map, new: Map) -> dict[str, str]:
    """The steps whose id the change renames, old id → new id: in the same stage (its id
    renamed or not), the old id gone from ``new`` and the new one not in ``old``, one to one;
    only ids no other step of the map has. The same name, or, its name changed too, at
    least :data:`~journeymaps.likeness.SIMILAR` alike in what else it holds
    (:func:`_step_likeness`), as git pairs a file renamed and edited. A handoff to it read as
    sent to another step, beside "step added" and "step removed"."""
    sides = [Counter(st.id for st in m.steps()) for m in (old, new)]
    back = {now: was for was, now in renamed_stages(old, new).items()}
    pairs: dict[str, str] = {}
    for stage in new.stages:
        prev = old.stage(back.get(stage.id, stage.id))
        if prev is None:
            continue
        gone = [st for st in prev.steps if st.id not in sides[1] and sides[0][st.id] == 1]
        come = [st for st in stage.steps if st.id not in sides[0] and sides[1][st.id] == 1]
        for st in come:
            alike = [was for was in gone if was.name == st.name]
            if len(alike) == 1 and sum(x.name == st.name for x in come) == 1:
                pairs[alike[0].id] = st.id
        pairs |= _renamed_and_retitled(
            [st for st in prev.steps if st in gone and st.id not in pairs],
            [st for st in stage.steps if st in come and st.id not in pairs.values()],
            old,
            new,
        )
    return pairs


def _renamed_and_retitled(gone: list[Step], come: list[Step], old: Map, new: Map) -> dict[str, str]:
    """Steps of one stage whose id and name both changed, old id → new id: each alike enough
    to only one of the others (:func:`_step_likeness`); of several, the one in the same
    place of the stage, else none (a guess)."""
    if not gone or not come:
        return {}
    place = {st.id: i for i, st in enumerate(gone)} | {st.id: i for i, st in enumerate(come)}
    holds = [_step_content(old, st) for st in gone], [_step_content(new, st) for st in come]
    ties: dict[str, list[str]] = {}
    for j, st in enumerate(come):
        found = [was.id for i, was in enumerate(gone) if _step_likeness(holds[0][i], holds[1][j])]
        if len(found) > 1:  # several alike: the one where it was, if one is
            found = [was for was in found if place[was] == j]
        ties[st.id] = found
    taken = Counter(was for found in ties.values() for was in found)
    return {found[0]: now for now, found in ties.items() if len(found) == 1 and taken[found[0]] == 1}


def _step_content(m: Map, st: Step) -> set[tuple[str, Any]]:
    """What a step holds besides its id and name, each a (what, value) pair: its fields set,
    each of its handoffs (the other end's step id, the SLA, context and note) and the ids of
    the pain points at it."""
    out: set[tuple[str, Any]] = {
        (name, value)
        for name, value in (
            ("lane", st.lane),
            ("channel", st.channel),
            ("owner", st.owner if st.owner_given else None),
            ("actor", st.actor),
            ("moment", st.moment),
            ("context", st.context),
            ("does", st.does),
            ("thinks", st.thinks),
            ("feels", st.feels),
            ("emotion", st.emotion),
            ("description", st.description),
            ("evidence", tuple(_key(e) for e in st.evidence) or None),
            ("extras", st.loc.extras or None),
        )
        if value is not None
    }
    for h in m.handoffs:
        for end, other, role in ((h.from_step, h.to_step, "to"), (h.to_step, h.from_step, "from")):
            if end is st:
                there = other.id if other is not None else (h.to_ref if role == "to" else h.from_ref)
                out.add((f"handoff {role}", (there, h.sla, h.context, h.note)))
    out |= {("pain point", p.id) for p in m.pain_points if p.step is st}
    return out


def _step_likeness(was: set[tuple[str, Any]], now: set[tuple[str, Any]]) -> bool:
    """Two steps' contents (:func:`_step_content`) alike enough to be one step: the share
    in common at least git's rename threshold, and something in common besides the lane
    (every step has one; two steps of the same lane and nothing else are two steps)."""
    common = was & now
    if not {what for what, _ in common} - {"lane"}:
        return False
    return len(common) / max(len(was), len(now)) >= likeness.SIMILAR


def renamed_stages(old: Map, new: Map) -> dict[str, str]:
    """The stages whose id the change renames, old id → new id: a stage of ``new`` that has
    all the steps (by id) of a stage of ``old`` with another id (and maybe steps added), or
    none, as the old one, and its name, or, failing that, its name and some of its steps
    (renamed and split in one change); one to one, the old id gone from ``new`` and the new
    one not in ``old`` (or each itself renamed: two stages trading ids). Its findings are
    anchored on its id: renamed, each read as fixed and introduced again. Stages merged
    into one are no rename."""
    sides = [{s.id: frozenset(st.id for st in s.steps) for s in m.stages} for m in (old, new)]
    if sides[0] == sides[1]:  # each stage with its own steps (most maps): none renamed
        return {}
    holds = [(s.id, s.name, {st.id for st in s.steps}) for s in new.stages]
    pairs: dict[str, str] = {}
    for s in old.stages:
        steps = {st.id for st in s.steps}
        # A stage without steps is known by its name: another with none and the same name.
        found = [now for now, name, has in holds if (steps <= has if steps else not has and name == s.name)]
        if not found and s.id not in sides[1]:
            # Renamed and split in one change: the stage of a new id that kept its name and
            # some of its steps (the others moved out, each followed as a moved step).
            found = [
                now for now, name, has in holds if name == s.name and steps & has and now not in sides[0]
            ]
        if len(found) == 1 and found[0] != s.id:
            pairs[s.id] = found[0]
    taken = Counter(pairs.values())
    pairs = {was: now for was, now in pairs.items() if taken[now] == 1}
    ids = {s.id for s in old.stages}, {s.id for s in new.stages}
    # An id the change gives to another stage: the old stage of that id is gone from it (it
    # had steps, and the stages of ``new`` with that id hold none of them). A stage renamed
    # into the id of one the change removes read as that one renamed, its steps moved.
    held: dict[str, set[str]] = {}
    for sid, _, has in holds:
        held.setdefault(sid, set()).update(has)
    left = {s.id for s in old.stages if s.steps and not {st.id for st in s.steps} & held.get(s.id, set())}
    while True:  # a pair kept only by another pair (a swap) goes with it
        targets = set(pairs.values())  # once a round: a chain of 100 renames was cubic
        kept = {
            a: b
            for a, b in pairs.items()
            if (a not in ids[1] or a in targets) and (b not in ids[0] or b in pairs or b in left)
        }
        if kept == pairs:
            return pairs
        pairs = kept


def _twins(old: Map, new: Map) -> dict[str, PainPoint]:
    """Each pain point id ``new`` uses more than once, with the one of them that is ``old``'s
    pain point of that id (the same summary, else the first): the others are added. Keyed by
    id, the last one was compared with the old one, and a pain point added under an id
    already used read as that one reworded."""
    counts = Counter(p.id for p in new.pain_points)
    out: dict[str, PainPoint] = {}
    for pid in (pid for pid, n in counts.items() if n > 1):
        alike = [p for p in new.pain_points if p.id == pid]
        prev = old.pain_point(pid)
        out[pid] = next((p for p in alike if prev is not None and p.summary == prev.summary), alike[0])
    return out


def _paired_handoffs(
    old: Map, new: Map
) -> tuple[dict[tuple[str, str], tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    """(moved, retargeted): ``new``'s handoffs that are ``old``'s under other (from, to)
    refs, each by its refs in ``new`` → in ``old``. Moved: its steps (by id) alike, a step
    moved to another stage (a stage split in two) retyping its refs. Retargeted: from the
    same step to another, the only handoff gone and the only one come from that step; else
    to the same step from another (its ``from`` edited), the only ones gone and come to it."""
    before = {(h.from_ref, h.to_ref): h for h in old.handoffs}
    now = {(h.from_ref, h.to_ref): h for h in new.handoffs}
    ids_now = renamed_steps(old, new)  # a step's id renamed: its handoffs only retyped
    moved_from = {_step_ids(h, ids_now): key for key, h in before.items() if key not in now}
    moved = {
        key: moved_from.pop(_step_ids(h))
        for key, h in now.items()
        if key not in before and _step_ids(h) in moved_from
    }
    places = [{(h.from_ref, h.to_ref): i for i, h in enumerate(m.handoffs)} for m in (old, new)]

    def alike(was: tuple[str, str], key: tuple[str, str]) -> bool:
        return _alike(before[was], now[key], places[0][was] == places[1][key])

    def ends(was: tuple[str, str], key: tuple[str, str]) -> bool:
        a, b = _step_ids(before[was], ids_now), _step_ids(now[key])
        return a[0] == b[0] or a[1] == b[1]

    def unpaired() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        left = [key for key in moved_from.values() if key not in aimed.values()]
        return left, [key for key in now if key not in before and key not in moved and key not in aimed]

    # First one end edited and the rest alike, one to one: two handoffs trading their
    # ``from`` lines (each its SLA and note kept) read as each sent to the other's target,
    # with the other's SLA and note, when a step was tried before the rest.
    aimed: dict[tuple[str, str], tuple[str, str]] = {}
    aimed |= _one_to_one(*unpaired(), lambda was, key: ends(was, key) and alike(was, key))
    # By the step it leaves (its ``to`` edited), then by the one it reaches (its ``from``).
    for end in (0, 1):
        gone: dict[str, list[tuple[str, str]]] = {}
        for ids, key in moved_from.items():
            if key not in aimed.values():
                gone.setdefault(ids[end], []).append(key)
        come: dict[str, list[tuple[str, str]]] = {}
        for key, h in now.items():
            if key not in before and key not in moved and key not in aimed:
                come.setdefault(_step_ids(h)[end], []).append(key)
        aimed |= {
            keys[0]: gone[step][0]
            for step, keys in come.items()
            if len(keys) == 1 and len(gone.get(step, ())) == 1
        }
    # Both ends edited: the same handoff still when something else ties it to the one gone,
    # one to one (:func:`_alike`); both ends new and nothing alike, one added and one removed.
    aimed |= _one_to_one(*unpaired(), alike)
    return moved, aimed


def _one_to_one(
    gone: list[tuple[str, str]],
    come: list[tuple[str, str]],
    tied: Callable[[tuple[str, str], tuple[str, str]], bool],
) -> dict[tuple[str, str], tuple[str, str]]:
    """Each handoff of ``come`` tied to only one of ``gone``, itself tied to no other: the
    one → the other (two alike are a guess)."""
    ties = {key: [was for was in gone if tied(was, key)] for key in come}
    taken = Counter(was for found in ties.values() for was in found)
    return {key: found[0] for key, found in ties.items() if len(found) == 1 and taken[found[0]] == 1}


def _alike(was: Handoff, now: Handoff, same_place: bool) -> bool:
    """A handoff gone and one come, each between other steps, are one with both ends edited:
    the same note or the same ``x-`` keys (written, not empty), or the same place in the
    list with the same SLA, clock and context."""
    if (was.note and was.note == now.note) or (was.loc.extras and was.loc.extras == now.loc.extras):
        return True
    return same_place and (was.sla, was.sla_clock, was.context) == (now.sla, now.sla_clock, now.context)


def retargeted(old: Map, new: Map) -> dict[str, str]:
    """The handoffs the change sends to another step or starts from another (its ``to`` or
    its ``from`` edited, see :func:`_paired_handoffs`), each as a fingerprint names it
    (``from->to``): in ``old`` → in ``new``. Its findings (context lost, no SLA) are the
    same handoff's: followed, not fixed and introduced again."""
    return {f"{a}->{b}": f"{x}->{y}" for (x, y), (a, b) in _paired_handoffs(old, new)[1].items()}


def _step_ids(h: Handoff, renamed: Mapping[str, str] | None = None) -> tuple[str, str]:
    """A handoff's steps by their ids, whatever stage holds them; an old side's through the
    step ids the change renames (:func:`renamed_steps`)."""
    ids = (h.from_step.id if h.from_step else h.from_ref, h.to_step.id if h.to_step else h.to_ref)
    return ids if not renamed else (renamed.get(ids[0], ids[0]), renamed.get(ids[1], ids[1]))


def _pain_points(old: Map, new: Map, say: Names) -> list[Change]:
    out: list[Change] = []
    before = {p.id: p for p in old.pain_points}
    now = {p.id: p for p in new.pain_points}
    moved_steps = restaged(old, new)
    twins = _twins(old, new)
    for p in new.pain_points:
        pid = p.id
        ids = {"pain_point": pid, "stage": p.at.partition(".")[0]}
        if "." in p.at:
            ids["step"] = p.at
        prev = before.get(pid) if twins.get(pid, p) is p else None
        if prev is None:
            facts = f"{p.kind}, severity {p.severity or '?'}"
            # How many it hits and who took it on, as the diagram and the team's page show it.
            facts += f", {p.volume} {p.volume_unit}/month" if p.volume is not None else ""
            facts += f", owner {say.team(p.owner)}" if p.owner else ""
            # An id used twice (an error lint reports): the other one is not this one edited.
            again = (
                f" (its id {pid} is already used by another pain point of the map)" if pid in twins else ""
            )
            text = f"pain point added: {quoted(p.summary)} ({facts}) at {say.place(p.at)}{again}"
            out.append(Change("pain-point-added", text, ids, None, None, p.summary))
            continue
        now_fixed = p.fixed and not prev.fixed
        if now_fixed:  # kept on the map as the record of the fix: resolved, like a removal
            by = f" by {say.opportunity(p.resolved_by)}" if p.resolved_by else ""
            text = f"pain point resolved{by}: {quoted(p.summary)} at {say.place(p.at)}"
            out.append(Change("pain-point-resolved", text, ids, "status", prev.status, p.status))
        if prev.summary != p.summary:
            # As an opportunity reworded: the edit, quoted and cut to the words that changed.
            # It read `summary of pain point "<new>": <old> → <new>`, the new summary twice
            # and neither side quoted, so a summary holding "→" or ":" read as three texts.
            was, is_now = edited(prev.summary, p.summary)
            text = f"pain point reworded: {was} → {is_now}"
            out.append(Change("pain-point-changed", text, ids, "summary", prev.summary, p.summary))
        pairs: list[tuple[str, Any, Any]] = [
            ("severity", prev.severity, p.severity),
            ("volume", prev.volume, p.volume),
            # At a step the change moves to another stage, its ref retyped: still there.
            ("place (at)", p.at if moved_steps.get(prev.at) == p.at else prev.at, p.at),
            ("kind", prev.kind, p.kind),
            ("status", prev.status, prev.status if now_fixed else p.status),
            ("owner", prev.owner, p.owner),
            ("caused by", ", ".join(prev.caused_by) or None, ", ".join(p.caused_by) or None),
            # What it costs: the map's cost line moved by thousands with no word of which
            # pain point's number did it.
            ("volume unit", prev.volume_unit, p.volume_unit),
            ("cost per contact", prev.cost_per_contact, p.cost_per_contact),
            ("customers at risk", prev.customers_at_risk, p.customers_at_risk),
            ("value per customer", prev.value_per_customer, p.value_per_customer),
            ("revenue at risk", prev.revenue_at_risk, p.revenue_at_risk),
            (
                "same contacts as",
                ", ".join(prev.same_contacts_as) or None,
                ", ".join(p.same_contacts_as) or None,
            ),
        ]
        out += _fields(
            "pain-point-changed",
            ids,
            f"pain point {quoted(p.summary)}",
            pairs,
            shows={
                "owner": say.team,
                "caused by": say.pains,
                "same contacts as": say.pains,
                "place (at)": lambda at: "none" if at is None else say.place(at),
            },
        )
        out += _words(
            "pain-point-changed",
            ids,
            f"pain point {quoted(p.summary)}",
            [
                ("root_cause", "root cause of", prev.root_cause, p.root_cause),
                ("description", "description of", prev.description, p.description),
            ],
        )
    for pid, p in before.items():
        if pid not in now:
            ids = {"pain_point": pid, "stage": p.at.partition(".")[0]}
            if "." in p.at:
                ids["step"] = p.at
            text = f"pain point resolved (removed): {quoted(p.summary)} at {say.place(p.at)}"
            out.append(Change("pain-point-resolved", text, ids, None, p.summary, None))
    return out


def _opportunities(old: Map, new: Map, say: Names) -> list[Change]:
    out: list[Change] = []
    before = {o.id: o for o in old.opportunities}
    for o in new.opportunities:
        ids = {"opportunity": o.id}
        prev = before.get(o.id)
        if prev is None:
            owner = f"owner {say.team(o.owner)}" if o.owner else "no owner"
            facts = f"{state_words(o.status)}, {owner}, due {o.due or 'none'}"
            # What it claims to fix: what a reviewer weighs it against.
            addresses = f", addresses: {say.pains(', '.join(o.addresses))}" if o.addresses else ""
            text = f"opportunity added: {quoted(o.believe)} ({facts}){addresses}"
            out.append(Change("opportunity-added", text, ids, None, None, o.believe))
            continue
        if prev.believe != o.believe:
            was, is_now = edited(prev.believe, o.believe)
            text = f"opportunity reworded, we believe: {was} → {is_now}"
            out.append(Change("opportunity-changed", text, ids, "believe", prev.believe, o.believe))
        if prev.status != o.status:
            text = f"opportunity {quoted(o.believe)}: {state_words(prev.status)} → {state_words(o.status)}"
            out.append(Change("opportunity-changed", text, ids, "status", prev.status, o.status))
        pairs = [
            ("owner", prev.owner, o.owner),
            ("due", prev.due, o.due),
            ("impact", prev.impact, o.impact),
            ("effort", prev.effort, o.effort),
        ]
        # A pain point removed from the map leaves the list with it: its removal says so.
        kept = [a for a in prev.addresses if "/" in a or new.pain_point(a) is not None]
        if kept != list(o.addresses):
            pairs.append(
                ("pain points addressed", ", ".join(prev.addresses) or None, ", ".join(o.addresses) or None)
            )
        out += _fields(
            "opportunity-changed",
            ids,
            f"opportunity {quoted(o.believe)}",
            pairs,
            shows={"owner": say.team, "pain points addressed": say.pains},
        )
        out += _words(
            "opportunity-changed",
            ids,
            f"opportunity {quoted(o.believe)}",
            [
                ("will", "expected result of", prev.will, o.will),
                ("signal", "signal of", prev.signal, o.signal),
                ("description", "description of", prev.description, o.description),
            ],
        )
    now = {o.id for o in new.opportunities}
    for oid, o in before.items():
        if oid not in now:
            out.append(
                Change(
                    "opportunity-removed",
                    f"opportunity removed: {quoted(o.believe)}",
                    {"opportunity": oid},
                    None,
                    o.believe,
                )
            )
    return out


def _holders(
    m: Map, moved: Mapping[str, str] | None = None
) -> Iterable[tuple[dict[str, str], str, tuple[Evidence, ...]]]:
    """Everything that holds evidence: (ids, words, evidence). ``moved``: the old side's
    steps moved to another stage (:func:`restaged`), named by their refs in the new side."""
    at = _along(moved)
    for s in m.stages:
        yield {"stage": at(s.id)}, f"stage {quoted(s.name)}", s.evidence
        for st in s.steps:
            ref = at(st.ref)
            ids = {"stage": ref.partition(".")[0], "step": ref}
            yield ids, f"step {quoted(st.name)}", st.evidence
    for p in m.pain_points:
        yield (
            {"pain_point": p.id, "stage": at(p.at).partition(".")[0]},
            f"pain point {quoted(p.summary)}",
            p.evidence,
        )
    for h in m.handoffs:
        ends = " → ".join(
            quoted(st.name) if st else ref for st, ref in ((h.from_step, h.from_ref), (h.to_step, h.to_ref))
        )
        yield {"handoff": _handoff_key(h, moved)}, f"handoff {ends}", h.evidence


def _along(moved: Mapping[str, str] | None) -> Callable[[str], str]:
    """A ref as the new side writes it, its step moved to another stage: a moved step's or
    handoff's evidence and ``x-`` keys are matched by where they are now (matched by the
    old refs, the new side had no such holder, and their changes went unsaid)."""
    refs = moved or {}
    return lambda ref: refs.get(ref, ref)


def _handoff_key(h: Handoff, moved: Mapping[str, str] | None) -> str:
    """A handoff's ``from->to`` as the new side writes it (see :func:`_along`), sent to
    another step too (:func:`retargeted`): its evidence and ``x-`` keys are the same handoff's."""
    refs = moved or {}
    aimed = refs.get(f"handoffs[{h.from_ref}->{h.to_ref}]")
    if aimed is not None:
        return aimed.removeprefix("handoffs[").removesuffix("]")
    return f"{refs.get(h.from_ref, h.from_ref)}->{refs.get(h.to_ref, h.to_ref)}"


def _key(e: Evidence) -> tuple[str, str, str]:
    return (e.source, e.kind, e.ref or "")


def _entry(e: Evidence) -> str:
    """An evidence entry in words, with its reference: a ref edited (``tag:mfa_reset`` to
    ``tag:2fa_lost``) read "evidence added to stage "Contact": zendesk (tickets)", then
    "evidence removed from" it, in the same words."""
    source, kind = plain(e.source), plain(e.kind)
    return f"{source} ({kind}, {plain(e.ref)})" if e.ref else f"{source} ({kind})"


def _evidence(old: Map, new: Map, today: dt.date, max_age: int) -> list[Change]:
    out: list[Change] = []
    before = {tuple(sorted(ids.items())): list(ev) for ids, _, ev in _holders(old, restaged(old, new))}

    def stale(e: Evidence) -> bool:
        return e.is_stale(today, max_age)

    for ids, words, ev in _holders(new):
        prev = before.get(tuple(sorted(ids.items())))
        if prev is None:
            continue  # a new stage, step or pain point: its addition says it all
        old_keys = {_key(e) for e in prev}
        new_keys = {_key(e) for e in ev}
        added = [e for e in ev if _key(e) not in old_keys]
        gone = [e for e in prev if _key(e) not in new_keys]
        if added:
            what = ", ".join(_entry(e) for e in added)
            out.append(
                Change("evidence-added", f"evidence added to {words}: {what}", ids, None, len(prev), len(ev))
            )
        if gone:
            what = ", ".join(_entry(e) for e in gone)
            out.append(
                Change(
                    "evidence-removed",
                    f"evidence removed from {words}: {what}",
                    ids,
                    None,
                    len(prev),
                    len(ev),
                )
            )
        was_stale = {_key(e) for e in prev if stale(e)}
        prev_of = {_key(e): e for e in prev}
        for e in ev:
            was = prev_of.get(_key(e))
            if was is None:
                continue  # added: said above
            went_stale = stale(e) and _key(e) not in was_stale
            if went_stale:
                age = (today - e.as_of).days if e.as_of else 0
                text = (
                    f"evidence from {plain(e.source)} ({plain(e.kind)}) at {words} went stale: "
                    f"as_of {e.as_of}, {age} days old (limit {max_age})"
                )
                out.append(Change("evidence-stale", text, ids, "as_of", _value(was.as_of), _value(e.as_of)))
            out += _refreshed(ids, words, was, e, stale, dated=not went_stale)
    return out


def _refreshed(
    ids: dict[str, str],
    words: str,
    prev: Evidence,
    e: Evidence,
    stale: Callable[[Evidence], bool],
    dated: bool = True,
) -> list[Change]:
    """An entry kept with new data: its ``as_of`` (pulled again, or fresh again), its note
    ("CSAT 61%" → "CSAT 70%") or its link."""
    label = f"evidence from {plain(e.source)} ({plain(e.kind)}) at {words}"
    out = []
    if dated and prev.as_of != e.as_of:
        again = ", no longer stale" if stale(prev) and not stale(e) else ""
        text = f"as_of of {label}: {_show(prev.as_of)} → {_show(e.as_of)}{again}"
        out.append(Change("evidence-changed", text, ids, "as_of", _value(prev.as_of), _value(e.as_of)))
    return out + _words(
        "evidence-changed",
        ids,
        label,
        [("note", "note of", prev.note, e.note), ("url", "link of", prev.url, e.url)],
    )


def _extended(
    m: Map, moved: Mapping[str, str] | None = None
) -> Iterable[tuple[tuple[str, ...], str, dict[str, str], str, Loc]]:
    """Every object that can hold ``x-`` keys: (match key, kind, ids, words, where written);
    ``moved`` as for :func:`_holders`."""
    at = _along(moved)
    yield ("map",), "map-changed", {}, "the map", m.loc
    for s in m.stages:
        yield ("stage", s.id), "stage-changed", {"stage": s.id}, f"stage {quoted(s.name)}", s.loc
        for k in s.kpis:
            ids = {"stage": s.id, "kpi": k.name}
            yield (
                ("kpi", s.id, k.name),
                "kpi-changed",
                ids,
                f"KPI {quoted(k.name)} at stage {quoted(s.name)}",
                k.loc,
            )
        for st in s.steps:
            ids = {"stage": s.id, "step": st.ref}
            yield ("step", at(st.ref)), "step-changed", ids, f"step {quoted(st.name)}", st.loc
    for h in m.handoffs:
        words = f"handoff {quoted(_named(m, h.from_ref))} → {quoted(_named(m, h.to_ref))}"
        ids = {"handoff": f"{h.from_ref}->{h.to_ref}"}
        yield ("handoff", _handoff_key(h, moved)), "handoff-changed", ids, words, h.loc
    for p in m.pain_points:
        ids = {"pain_point": p.id, "stage": p.at.partition(".")[0]}
        yield ("pain", p.id), "pain-point-changed", ids, f"pain point {quoted(p.summary)}", p.loc
    for o in m.opportunities:
        ids = {"opportunity": o.id}
        yield ("opportunity", o.id), "opportunity-changed", ids, f"opportunity {quoted(o.believe)}", o.loc
    for ids, words, evidence in _holders(m, moved):
        for e in evidence:
            said = f"evidence from {plain(e.source)} ({plain(e.kind)}) at {words}"
            key = ("evidence", *(f"{k}={v}" for k, v in sorted(ids.items())), *_key(e))
            yield key, "evidence-changed", ids, said, e.loc


def _named(m: Map, ref: str) -> str:
    st = m.step(ref)
    return st.name if st is not None else ref


def _extensions(old: Map, new: Map) -> list[Change]:
    """``x-`` keys added, changed or removed on anything both versions have, by key (the
    values are the team's own: compared as text, never checked)."""
    before = {key: dict(loc.extra_values) for key, *_, loc in _extended(old, restaged(old, new))}
    out: list[Change] = []
    for key, kind, ids, words, loc in _extended(new):
        was = before.get(key)
        if was is None:
            continue  # new: its addition says it
        now = dict(loc.extra_values)
        for name in sorted(was.keys() | now.keys()):
            a, b = was.get(name, _ABSENT), now.get(name, _ABSENT)
            if _extra(a) != _extra(b):
                said = f"{name} of {words}: {_extension_words(a, b)}"
                out.append(Change(kind, said, ids, name, _extra(a), _extra(b)))
    return out


#: An ``x-`` key that is not written (a written ``null`` reads "null").
_ABSENT = object()


def _extra(v: Any) -> str | None:
    """The value as the JSON contract gives it: text as written, anything else as JSON."""
    return None if v is _ABSENT else extra_text(v)


def _extension_words(a: Any, b: Any) -> str:
    """A change of an ``x-`` value as a reader reads it, as the map page shows it: a list
    as its items (only what was added or removed when both sides are lists: ``added b``),
    a mapping as its keys and values, text as written (``x-links: ["a"] → ["a", "b"]``
    read as JSON)."""
    if isinstance(a, list) and isinstance(b, list) and a and b:
        olds, news = [_item(x) for x in a], [_item(x) for x in b]
        added, removed = _less(news, olds), _less(olds, news)
        parts = [f"added {', '.join(added)}"] if added else []
        parts += [f"removed {', '.join(removed)}"] if removed else []
        return "; ".join(parts) or f"reordered: {', '.join(olds)} → {', '.join(news)}"
    return f"{_reads(a)} → {_reads(b)}"


def _less(items: list[str], others: list[str]) -> list[str]:
    """``items`` less ``others``, counting repeats."""
    left = list(others)
    out = []
    for x in items:
        if x in left:
            left.remove(x)
        else:
            out.append(x)
    return out


def _reads(v: Any, depth: int = 0) -> str:
    """An ``x-`` value in words: ``a, b`` for a list, ``key: value, ...`` for a mapping (a
    list or mapping inside one in parentheses), three levels deep at most as on the map
    page; a number, true or null as JSON."""
    if v is _ABSENT:
        return "none"
    if isinstance(v, str):
        return plain(v)
    if isinstance(v, list) and depth < 3:
        said = ", ".join(_inner(x, depth) for x in v)
        return said or "an empty list"
    if isinstance(v, dict) and depth < 3:
        said = ", ".join(f"{k}: {_inner(x, depth)}" for k, x in v.items())
        return said or "an empty mapping"
    return extra_text(v)


def _inner(v: Any, depth: int) -> str:
    said = _item(v, depth + 1)
    return f"({said})" if isinstance(v, (list, dict)) and v and depth + 1 < 3 else said


def _item(v: Any, depth: int = 0) -> str:
    """A member of a list or mapping in words: text with a comma or a semicolon quoted, as
    the members are listed with them (``added "b, c"``, not two items ``b`` and ``c``)."""
    if isinstance(v, str) and ("," in v or ";" in v):
        return quoted(v)
    return _reads(v, depth)
