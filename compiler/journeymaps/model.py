"""Typed, immutable journey-map objects built from schema-valid data.

Rules and renderers read these, never raw dicts. References inside a map (``next``, ``at``,
handoff ends, ``addresses``) are resolved here; a reference that does not resolve is kept as
``None`` next to its text so the ``unknown-reference`` rule can point at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING, Any

from journeymaps.diagnostics import Span
from journeymaps.records import record

if TYPE_CHECKING:  # annotations only: a drawing worker models maps without the YAML loader
    from journeymaps.loader import JsonPath, Source

#: Lanes out of the customer's sight: a change of owner after them is a handoff.
BEHIND_THE_SCENES = frozenset({"backstage", "support"})
#: Lanes where the customer acts, or sees an artefact: no team receives the case there.
CUSTOMER_SIDE = frozenset({"customer", "physical-evidence"})


@record(slots=True)
class Loc:
    """Where an object was written: its file and its path inside the file's data."""

    src: Source
    path: JsonPath

    def span(self, *sub: str | int, key: bool = False) -> Span:
        return self.src.span(self.path + sub, key=key)

    def child(self, *sub: str | int) -> Loc:
        return Loc(self.src, self.path + sub)

    @property
    def extras(self) -> tuple[tuple[str, str], ...]:
        """The ``x-`` extension keys written on this object, with their values as text (see
        :func:`extra_text`): what a change compares and a page's inputs record."""
        return tuple((k, extra_text(v)) for k, v in self.extra_values)

    @property
    def extra_values(self) -> tuple[tuple[str, Any], ...]:
        """The ``x-`` extension keys written on this object, with their values as read (text,
        a number, a list, a mapping): kept for the team's own tooling and shown on the site,
        never checked."""
        node: Any = self.src.data
        for part in self.path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return ()
        if not isinstance(node, dict):
            return ()
        return tuple((k, v) for k, v in node.items() if isinstance(k, str) and k.startswith("x-"))


def extra_text(value: Any) -> str:
    """An extension value as a reader sees it: text as written, anything else as JSON."""
    import json

    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@record(slots=True)
class Team:
    id: str
    name: str
    contact: str | None
    description: str | None
    loc: Loc


@record(slots=True)
class Persona:
    id: str | None  # None for a persona written inline in a map
    name: str
    archetype: str | None
    goal: str | None
    description: str | None
    loc: Loc
    frustrations: tuple[str, ...] = ()
    preferred_channels: tuple[str, ...] = ()
    proficiency: str | None = None  # novice | intermediate | expert
    photo: str | None = None  # a path relative to the project, as written


@record(slots=True)
class Evidence:
    source: str
    kind: str
    ref: str | None
    url: str | None
    as_of: dt.date | None
    note: str | None
    loc: Loc

    def age(self, today: dt.date) -> int | None:
        """Days since the data was pulled (None: no ``as_of``)."""
        return None if self.as_of is None else (today - self.as_of).days

    def is_stale(self, today: dt.date, max_age_days: int) -> bool:
        """Pulled longer ago than ``evidence-max-age-days`` (never, without an ``as_of``)."""
        age = self.age(today)
        return age is not None and age > max_age_days


@record(slots=True)
class Kpi:
    name: str
    current: float | None
    target: float | None
    unit: str | None
    description: str | None
    loc: Loc
    metric: str | None = None  # a standard metric (journeymaps.measure.kpis) or a custom name
    direction: str | None = None  # higher | lower; None: the standard metric's
    owner: str | None = None  # effective owner: its own, else its stage's
    source: str | None = None
    ref: str | None = None
    percentile: int = 50
    owner_given: bool = False  # its own owner, not its stage's (as a step's)


@record(slots=True)
class Transition:
    """An edge from one stage to another; ``implicit`` when it comes from list order."""

    to: str
    label: str | None
    breaker: str | None
    implicit: bool
    loc: Loc

    @property
    def has_breaker(self) -> bool:
        """A real circuit breaker: ``none yet``, ``TODO`` or ``n/a`` is not one."""
        from journeymaps.placeholders import placeholder_breaker

        return bool(self.breaker) and not placeholder_breaker(self.breaker)


@record(slots=True)
class Step:
    id: str
    name: str
    stage_id: str
    lane: str
    channel: str | None
    owner: str | None  # effective owner: its own, else its stage's
    owner_given: bool
    does: str | None
    thinks: str | None
    feels: str | None
    emotion: int | None
    description: str | None
    evidence: tuple[Evidence, ...]
    loc: Loc
    actor: str | None = None  # customer | agent | bot | system; None when not said
    moment: str | None = None  # truth (a moment of truth) | wow
    #: Arriving here from another channel, what the customer already said: carried | lost.
    context: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.stage_id}.{self.id}"


def bot_to_human(a: Step, b: Step) -> bool:
    """A bot's step followed by a human agent's: a handoff even inside one team."""
    return a.actor == "bot" and b.actor == "agent"


@record(slots=True)
class Stage:
    id: str
    name: str
    index: int
    owner: str | None
    emotion: int | None
    doing: str | None
    thinking: str | None
    feeling: str | None
    description: str | None
    evidence: tuple[Evidence, ...]
    kpis: tuple[Kpi, ...]
    steps: tuple[Step, ...]
    next: tuple[Transition, ...]
    next_given: bool
    end: bool
    loc: Loc


@record(slots=True)
class Handoff:
    from_ref: str
    to_ref: str
    from_step: Step | None
    to_step: Step | None
    sla: str | None
    context: str | None
    note: str | None
    loc: Loc
    evidence: tuple[Evidence, ...] = ()
    #: What its SLA is measured against: "resolution" (the default) or "first-reply".
    sla_clock: str = "resolution"

    @property
    def behind_the_scenes(self) -> bool:
        """Both its steps out of the customer's sight (``backstage`` or ``support``): the case
        moves between teams, the customer is not handed on, so context lost there has the
        receiving team ask again, not the customer repeat themselves."""
        a, b = self.from_step, self.to_step
        return a is not None and b is not None and a.lane in BEHIND_THE_SCENES and b.lane in BEHIND_THE_SCENES


@record(slots=True)
class PainPoint:
    id: str
    at: str
    stage: Stage | None  # the stage it is at (also set when it is at a step)
    step: Step | None
    kind: str
    summary: str
    description: str | None
    volume: int | None
    severity: int | None
    cost_per_contact: float | None
    evidence: tuple[Evidence, ...]
    loc: Loc
    volume_unit: str = "contacts"
    status: str = "open"  # open | mitigated | resolved
    since: dt.date | None = None  # when the status last changed
    resolved_by: str | None = None  # the opportunity that mitigated or resolved it
    owner: str | None = None
    root_cause: str | None = None
    caused_by: tuple[str, ...] = ()  # pain point ids, or map-id/pain-point-id
    #: Pain points of this map felt on the same contacts (or customers): counted once.
    same_contacts_as: tuple[str, ...] = ()
    customers_at_risk: int | None = None  # customers a year who may leave over it
    value_per_customer: float | None = None  # what one of them is worth a year
    revenue_at_risk: float | None = None  # a stated yearly amount, instead of the two above

    @property
    def resolved(self) -> bool:
        """True when its ``at`` reference resolves (not its lifecycle: see ``fixed``)."""
        return self.stage is not None and (self.step is not None or "." not in self.at)

    @property
    def fixed(self) -> bool:
        """Resolved in its lifecycle: kept as a record, no longer costing anything."""
        return self.status == "resolved"


@record(slots=True)
class Opportunity:
    id: str
    addresses: tuple[str, ...]
    believe: str
    will: str
    signal: str | None
    impact: str | None
    effort: str | None
    owner: str | None
    due: dt.date | None
    status: str
    description: str | None
    loc: Loc
    kpi_name: str | None = None  # the signal as a KPI of the map...
    kpi_target: float | None = None  # ...and the value it must reach

    @property
    def open(self) -> bool:
        return self.status not in ("shipped", "dropped")


@record(slots=True)
class Map:
    id: str
    title: str
    state: str
    based_on: str | None
    owner: str | None
    reviewed: dt.date | None
    persona_ref: str | None  # the id written, when the persona is shared
    persona: Persona | None  # resolved (None when unknown or absent)
    scenario: str | None
    goal: str | None
    description: str | None
    tags: tuple[str, ...]
    stages: tuple[Stage, ...]
    handoffs: tuple[Handoff, ...]
    pain_points: tuple[PainPoint, ...]
    opportunities: tuple[Opportunity, ...]
    loc: Loc
    #: The name of its page and diagrams: its id; a later map with the same id gets
    #: ``id--2`` (no id can hold two hyphens in a row), so neither page is lost.
    slug: str
    _stages: dict[str, Stage] = field(repr=False, compare=False)
    _steps: dict[str, Step] = field(repr=False, compare=False)

    @property
    def src(self) -> Source:
        return self.loc.src

    def stage(self, stage_id: str) -> Stage | None:
        return self._stages.get(stage_id)

    def step(self, ref: str) -> Step | None:
        """A step by ``stage-id.step-id``."""
        return self._steps.get(ref)

    def steps(self) -> Iterator[Step]:
        for stage in self.stages:
            yield from stage.steps

    def felt(self, step: Step) -> int | None:
        """What the customer feels at a step: its emotion, else its stage's."""
        if step.emotion is not None:
            return step.emotion
        stage = self.stage(step.stage_id)
        return stage.emotion if stage is not None else None

    def moments(self, kind: str) -> Iterator[Step]:
        """The steps marked as moments of ``kind`` (truth or wow), in journey order."""
        return (st for st in self.steps() if st.moment == kind)

    def pain_point(self, pain_id: str) -> PainPoint | None:
        return next((p for p in self.pain_points if p.id == pain_id), None)

    def opportunity(self, opportunity_id: str) -> Opportunity | None:
        return next((o for o in self.opportunities if o.id == opportunity_id), None)

    @property
    def open_pain_points(self) -> tuple[PainPoint, ...]:
        """The pain points customers still hit (open or mitigated)."""
        return tuple(p for p in self.pain_points if not p.fixed)

    def successors(self, stage: Stage) -> Iterator[Stage]:
        for t in stage.next:
            target = self._stages.get(t.to)
            if target is not None:
                yield target

    def reachable_stages(self) -> set[str]:
        """Ids of the stages some path from the first stage reaches."""
        if not self.stages:
            return set()
        seen = {self.stages[0].id}
        todo = [self.stages[0]]
        while todo:
            for target in self.successors(todo.pop()):
                if target.id not in seen:
                    seen.add(target.id)
                    todo.append(target)
        return seen

    def flow_pairs(self) -> Iterator[tuple[Step, Step]]:
        """Consecutive steps in flow order: within a stage, then across each transition."""
        for stage in self.stages:
            yield from zip(stage.steps, stage.steps[1:], strict=False)
            if not stage.steps:
                continue
            for target in self.successors(stage):
                if target.steps:
                    yield stage.steps[-1], target.steps[0]

    def implied_handoffs(self) -> Iterator[tuple[Step, Step]]:
        """Where the case changes hands (each pair once), declared or not: a behind-the-scenes
        step, or an agent's frontstage step, followed by a team's step another team owns, and
        a bot's step followed by a human agent's, even inside one team."""
        seen: set[tuple[str, str]] = set()
        for a, b in self.flow_pairs():
            team_change = (
                (a.lane in BEHIND_THE_SCENES or (a.lane == "frontstage" and a.actor == "agent"))
                and b.lane not in CUSTOMER_SIDE
                and a.owner is not None
                and b.owner is not None
                and a.owner != b.owner
            )
            if (team_change or bot_to_human(a, b)) and (a.ref, b.ref) not in seen:
                seen.add((a.ref, b.ref))
                yield a, b

    def channel_switches(self) -> list[tuple[Step, Step]]:
        """Where the customer changes channel (chat → phone), in journey order: a step with a
        channel followed in flow order by the next step with a channel (steps without one,
        backstage work, are looked through), on another channel. Each pair once."""
        if all(st.channel is None for st in self.steps()):
            return []  # many maps name no channel: no walk of the flow for them
        after: dict[str, list[Step]] = {}
        for a, b in self.flow_pairs():
            after.setdefault(a.ref, []).append(b)
        order = {st.ref: i for i, st in enumerate(self.steps())}
        found: set[tuple[str, str]] = set()
        out: list[tuple[Step, Step]] = []
        for a in self.steps():
            if a.channel is None:
                continue
            todo, seen = list(after.get(a.ref, ())), set()
            while todo:
                b = todo.pop()
                if b.ref in seen:
                    continue
                seen.add(b.ref)
                if b.channel is None:
                    todo.extend(after.get(b.ref, ()))
                elif b.channel != a.channel and (a.ref, b.ref) not in found:
                    found.add((a.ref, b.ref))
                    out.append((a, b))
        return sorted(out, key=lambda ab: (order[ab[0].ref], order[ab[1].ref]))

    def stage_evidence(self, stage: Stage) -> tuple[Evidence, ...]:
        """The data validating ``stage``: its own evidence, its steps', its pain points'."""
        return (
            *stage.evidence,
            *(e for step in stage.steps for e in step.evidence),
            *(e for p in self.pain_points if p.stage is stage for e in p.evidence),
        )

    def all_evidence(self) -> Iterator[Evidence]:
        """Every piece of evidence of the map: its stages', steps', pain points', handoffs'."""
        for stage in self.stages:
            yield from stage.evidence
            for step in stage.steps:
                yield from step.evidence
        for p in self.pain_points:
            yield from p.evidence
        for h in self.handoffs:
            yield from h.evidence

    def review_age(self, today: dt.date) -> int | None:
        """Days since the map was last reviewed (None: never reviewed)."""
        return None if self.reviewed is None else (today - self.reviewed).days

    def is_stale(self, today: dt.date, cadence_days: int) -> bool:
        """Never reviewed, or not within the review cadence (``review-cadence-days``)."""
        age = self.review_age(today)
        return age is None or age > cadence_days


@record(slots=True)
class Project:
    """Every map and registry found under the maps folders."""

    maps: tuple[Map, ...]
    teams: dict[str, Team] | None  # None when there is no teams.yaml
    personas: dict[str, Persona] | None  # None when there is no personas.yaml
    map_ids: dict[str, list[Source]]  # every map id written, valid map or not
    registries: tuple[tuple[Source, str], ...] = ()  # valid teams/personas files and their key
    #: Per registry kind (teams, personas) whose file has findings of its own: the ids still
    #: legible in it (None: none could be read). Rules checking names against that registry
    #: accept these, or check nothing, rather than blame every map for one broken entry.
    broken_registries: dict[str, frozenset[str] | None] = field(default_factory=dict)
    #: The files read that are neither a map nor a registry above (they did not parse, or do
    #: not follow the format): no rule reads them, but what they hide is still reported.
    invalid: tuple[Source, ...] = ()


def _text(d: dict[str, Any], key: str) -> str | None:
    value = d.get(key)
    return value if isinstance(value, str) else None


def _whole(d: dict[str, Any], key: str, default: int | None = None) -> Any:
    """A field the schema types as a whole number: ``1.0`` (or ``!!float 1``) passes it, and
    is kept as the int 1, which the diagrams and pages format as one (``1.0`` stopped the
    build with "Unknown format code 'd' for object of type 'float'")."""
    value = d.get(key, default)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _evidence(items: list[dict[str, Any]] | None, parent: Loc, *sub: str | int) -> tuple[Evidence, ...]:
    """The evidence ``items`` written at ``sub`` under ``parent``. Most steps have none: their
    Loc is made only when there is some (a Loc and a generator a step were ~10 % of lint's
    modelling of small maps)."""
    if not items:
        return ()
    loc = parent.child(*sub)
    return tuple(
        Evidence(
            source=e["source"],
            kind=e["kind"],
            ref=_text(e, "ref"),
            url=_text(e, "url"),
            as_of=_date(e.get("as_of")),
            note=_text(e, "note"),
            loc=loc.child(i),
        )
        for i, e in enumerate(items)
    )


def build_team(d: dict[str, Any], loc: Loc) -> Team:
    return Team(d["id"], d["name"], _text(d, "contact"), _text(d, "description"), loc)


def build_persona(d: dict[str, Any], loc: Loc, persona_id: str | None = None) -> Persona:
    return Persona(
        persona_id if persona_id is not None else d.get("id"),
        d["name"],
        _text(d, "archetype"),
        _text(d, "goal"),
        _text(d, "description"),
        loc,
        tuple(d.get("frustrations", ())),
        tuple(d.get("preferred_channels", ())),
        _text(d, "proficiency"),
        _text(d, "photo"),
    )


class Slugs:
    """Page names for maps in the order their files are read: a map's id, or ``id--N`` for
    the Nth map with that id (the duplicate-id rule reports it)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def next(self, src: Source) -> str | None:
        """The page name of ``src`` when it is a map with an id (None otherwise)."""
        data = src.data
        if not isinstance(data, dict) or not isinstance(map_id := data.get("id"), str):
            return None
        n = self._seen.get(map_id, 0) + 1
        self._seen[map_id] = n
        return map_id if n == 1 else f"{map_id}--{n}"


def build_map(src: Source, personas: dict[str, Persona] | None, slug: str | None = None) -> Map:
    """A Map from one schema-valid file; ``slug`` names its page (default: its id)."""
    d: dict[str, Any] = src.data
    root = Loc(src, ())
    stages_data: list[dict[str, Any]] = d["stages"]
    stages: list[Stage] = []
    for i, s in enumerate(stages_data):
        sloc = root.child("stages", i)
        owner = _text(s, "owner")
        # A step's fields given in their order, not by name: matching 17 keywords cost
        # ~1.5 us a step, a tenth of modelling a small map (a drawing worker models each
        # map it draws, issue 18). tests/test_model.py checks each field's value.
        steps = tuple(
            Step(
                st["id"],  # id
                st["name"],  # name
                s["id"],  # stage_id
                st.get("lane", "customer"),  # lane
                _text(st, "channel"),  # channel
                st.get("owner", owner),  # owner
                "owner" in st,  # owner_given
                _text(st, "does"),  # does
                _text(st, "thinks"),  # thinks
                _text(st, "feels"),  # feels
                _whole(st, "emotion"),  # emotion
                _text(st, "description"),  # description
                _evidence(st.get("evidence"), sloc, "steps", j, "evidence"),  # evidence
                sloc.child("steps", j),  # loc
                _text(st, "actor"),  # actor
                _text(st, "moment"),  # moment
                _text(st, "context"),  # context
            )
            for j, st in enumerate(s.get("steps", ()))
        )
        if "next" in s:
            nexts = tuple(_transition(t, sloc.child("next", k)) for k, t in enumerate(s["next"]))
        elif i + 1 < len(stages_data):
            nexts = (Transition(stages_data[i + 1]["id"], None, None, True, sloc),)
        else:
            nexts = ()
        stages.append(
            Stage(
                id=s["id"],
                name=s["name"],
                index=i,
                owner=owner,
                emotion=_whole(s, "emotion"),
                doing=_text(s, "doing"),
                thinking=_text(s, "thinking"),
                feeling=_text(s, "feeling"),
                description=_text(s, "description"),
                evidence=_evidence(s.get("evidence"), sloc, "evidence"),
                kpis=tuple(
                    Kpi(
                        k["name"],
                        k.get("current"),
                        k.get("target"),
                        _text(k, "unit"),
                        _text(k, "description"),
                        sloc.child("kpis", n),
                        metric=_text(k, "metric"),
                        direction=_text(k, "direction"),
                        owner=_text(k, "owner") or owner,
                        owner_given=_text(k, "owner") is not None,
                        source=_text(k, "source"),
                        ref=_text(k, "ref"),
                        percentile=_whole(k, "percentile", 50),
                    )
                    for n, k in enumerate(s.get("kpis", ()))
                ),
                steps=steps,
                next=nexts,
                next_given="next" in s,
                end=bool(s.get("end", False)),
                loc=sloc,
            )
        )
    # First definition wins, so a duplicate id never hides the original.
    by_stage: dict[str, Stage] = {}
    by_step: dict[str, Step] = {}
    for stage in stages:
        by_stage.setdefault(stage.id, stage)
        for step in stage.steps:
            by_step.setdefault(step.ref, step)

    persona_ref: str | None = None
    persona: Persona | None = None
    raw_persona = d.get("persona")
    if isinstance(raw_persona, str):
        persona_ref = raw_persona
        persona = (personas or {}).get(raw_persona)
    elif isinstance(raw_persona, dict):
        persona = build_persona(raw_persona, root.child("persona"), persona_id=None)

    def place(ref: str) -> tuple[Stage | None, Step | None]:
        stage_id, _, step_id = ref.partition(".")
        return by_stage.get(stage_id), by_step.get(ref) if step_id else None

    pain_points = []
    for i, p in enumerate(d.get("pain_points", ())):
        at_stage, at_step = place(p["at"])
        pain_points.append(
            PainPoint(
                id=p["id"],
                at=p["at"],
                stage=at_stage,
                step=at_step,
                kind=p["kind"],
                summary=p["summary"],
                description=_text(p, "description"),
                volume=_whole(p, "volume"),
                severity=_whole(p, "severity"),
                cost_per_contact=p.get("cost_per_contact"),
                evidence=_evidence(p.get("evidence"), root, "pain_points", i, "evidence"),
                loc=root.child("pain_points", i),
                volume_unit=p.get("volume_unit", "contacts"),
                status=p.get("status", "open"),
                since=_date(p.get("since")),
                resolved_by=_text(p, "resolved_by"),
                owner=_text(p, "owner"),
                root_cause=_text(p, "root_cause"),
                caused_by=tuple(p.get("caused_by", ())),
                same_contacts_as=tuple(p.get("same_contacts_as", ())),
                customers_at_risk=_whole(p, "customers_at_risk"),
                value_per_customer=p.get("value_per_customer"),
                revenue_at_risk=p.get("revenue_at_risk"),
            )
        )
    return Map(
        id=d["id"],
        title=d["title"],
        state=d.get("state", "current"),
        based_on=_text(d, "based_on"),
        owner=_text(d, "owner"),
        reviewed=_date(d.get("reviewed")),
        persona_ref=persona_ref,
        persona=persona,
        scenario=_text(d, "scenario"),
        goal=_text(d, "goal"),
        description=_text(d, "description"),
        tags=tuple(d.get("tags", ())),
        stages=tuple(stages),
        handoffs=tuple(
            Handoff(
                h["from"],
                h["to"],
                by_step.get(h["from"]),
                by_step.get(h["to"]),
                _text(h, "sla"),
                _text(h, "context"),
                _text(h, "note"),
                root.child("handoffs", i),
                _evidence(h.get("evidence"), root, "handoffs", i, "evidence"),
                _text(h, "sla_clock") or "resolution",
            )
            for i, h in enumerate(d.get("handoffs", ()))
        ),
        pain_points=tuple(pain_points),
        opportunities=tuple(
            Opportunity(
                id=o["id"],
                addresses=tuple(o.get("addresses", ())),
                believe=o["believe"],
                will=o["will"],
                signal=_text(o, "signal"),
                impact=_text(o, "impact"),
                effort=_text(o, "effort"),
                owner=_text(o, "owner"),
                due=_date(o.get("due")),
                status=o.get("status", "proposed"),
                description=_text(o, "description"),
                loc=root.child("opportunities", i),
                kpi_name=o["kpi"]["name"] if "kpi" in o else None,
                kpi_target=o["kpi"]["target"] if "kpi" in o else None,
            )
            for i, o in enumerate(d.get("opportunities", ()))
        ),
        loc=root,
        slug=slug or d["id"],
        _stages=by_stage,
        _steps=by_step,
    )


def _transition(t: str | dict[str, Any], loc: Loc) -> Transition:
    if isinstance(t, str):
        return Transition(t, None, None, False, loc)
    return Transition(t["to"], _text(t, "label"), _text(t, "breaker"), False, loc)
