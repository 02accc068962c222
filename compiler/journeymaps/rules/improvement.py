"""Improvement discipline: every pain point gets an opportunity, every opportunity a signal,
an owner and a deadline, and future-state maps point at the journey they improve."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, TEAMS, with_map

_PAIN = """pain_points:
  - id: reset-email-missing
    at: discovery
    kind: technical
    summary: Reset emails land in spam.
"""
_OPPORTUNITY = """opportunities:
  - id: reset-email-status
    addresses: [reset-email-missing]
    believe: Showing send time and expiry in the reset email
    will: cut "didn't receive the email" contacts
    owner: identity
    status: {status}
    due: {due}
{signal}"""
_SIGNAL = "    signal: 30% fewer 'didn't receive email' tickets within one billing cycle\n"


def _opp(status: str = "planned", due: str = "2027-01-31", signal: str = _SIGNAL) -> str:
    return GOOD_MAP + _PAIN + _OPPORTUNITY.format(status=status, due=due, signal=signal)


@map_rule(
    "unaddressed-pain-point",
    "JM601",
    Severity.WARNING,
    "No opportunity addresses this pain point.",
    bad=with_map(GOOD_MAP + _PAIN),
    good=with_map(_opp()),
)
def unaddressed_pain_point(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A pain point on a map is a promise to do something about it. List at least one
    opportunity whose `addresses` names it, even one with `status: dropped` that records the
    decision not to fix it. A resolved pain point (`status: resolved`) needs none.
    """
    addressed = {pid for o in m.opportunities for pid in o.addresses}
    for p in m.open_pain_points:
        if p.id not in addressed:
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' is not addressed by any opportunity: add one under "
                f"opportunities with addresses: [{p.id}] (status: dropped records a decision not to fix it)",
                "id",
                key=True,
            )


@map_rule(
    "unmeasurable-opportunity",
    "JM602",
    Severity.WARNING,
    "An opportunity has no signal: nobody will know whether it worked.",
    bad=with_map(_opp(signal="")),
    good=with_map(_opp()),
)
def unmeasurable_opportunity(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Write improvements as the practice does: "We believe [believe] will [will]. We will know
    we succeeded when [signal]." Without a measurable `signal` (e.g. "30% fewer 'didn't
    receive email' tickets within one billing cycle") the experiment cannot succeed or fail.
    """
    for o in m.opportunities:
        if o.signal is None and o.status != "dropped":
            yield Finding.at(
                o.loc,
                f"opportunity '{o.id}' has no signal: we will know we succeeded when ... ?",
                "id",
                key=True,
            )


@map_rule(
    "overdue-opportunity",
    "JM603",
    Severity.WARNING,
    "An opportunity is past its due date and neither shipped nor dropped.",
    bad=with_map(_opp(due="2026-01-31")),
    good=with_map(_opp(status="shipped", due="2026-01-31")),
)
def overdue_opportunity(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    An open opportunity past its `due` date is either late or quietly abandoned. Ship it,
    move the date, or set `status: dropped` so the map tells the truth.
    """
    for o in m.opportunities:
        if o.open and o.due is not None and o.due < ctx.today:
            days = (ctx.today - o.due).days
            yield Finding.at(
                o.loc,
                f"opportunity '{o.id}' was due {o.due} ({days} days ago) and is still {o.status}: "
                "ship it (status: shipped), move due:, or set status: dropped",
                "due",
            )


@map_rule(
    "opportunity-without-deadline",
    "JM604",
    Severity.INFO,
    "An open opportunity has no due date.",
    bad=with_map(_opp().replace("    due: 2027-01-31\n", "")),
    good=with_map(_opp()),
)
def opportunity_without_deadline(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    "Every improvement has an owner and a deadline." An open opportunity without `due` has
    no date to be held to.
    """
    for o in m.opportunities:
        if o.open and o.due is None:
            yield Finding.at(
                o.loc, f"opportunity '{o.id}' has no due date: add due: YYYY-MM-DD", "id", key=True
            )


def _future(based_on: str) -> str:
    return GOOD_MAP.replace(
        "id: admin-locked-out\ntitle: Admin locked out of their account\n",
        f"id: admin-locked-out-future\ntitle: Admin locked out (future)\nstate: future\n{based_on}",
    )


@map_rule(
    "future-without-baseline",
    "JM605",
    Severity.WARNING,
    "A future-state map does not point (based_on) at a current-state map.",
    bad={"teams.yaml": TEAMS, "future.yaml": _future("")},
    good={
        "teams.yaml": TEAMS,
        "current.yaml": GOOD_MAP,
        "future.yaml": _future("based_on: admin-locked-out\n"),
    },
    states=("future",),
)
def future_without_baseline(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Map the current state before the future state. A future-state map is a hypothesis about
    an improved journey and is read against the journey it improves: name that
    current-state map's id in `based_on`. Pointing at another future-state map is reported
    too.
    """
    if m.based_on is None:
        yield Finding.at(
            m.loc,
            f"future-state map '{m.id}' has no based_on: which current-state map does it improve?",
            "state",
        )
        return
    base = ctx.map_by_id(m.based_on)
    if base is not None and base.state == "future":
        yield Finding.at(
            m.loc,
            f"based_on: '{m.based_on}' is a future-state map; point at the current-state map",
            "based_on",
        )


@map_rule(
    "missing-persona",
    "JM701",
    Severity.WARNING,
    "The map names no persona.",
    bad=with_map(GOOD_MAP.replace("persona: {name: Workspace admin, archetype: developer/admin}\n", "")),
    good=with_map(GOOD_MAP),
)
def missing_persona(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    One persona, one scenario per map: the same scenario feels different to a no-code user
    and to a developer/admin. Name the persona, by id from personas.yaml or inline.
    """
    if m.persona is None and m.persona_ref is None:
        yield Finding.at(
            m.loc,
            f"map '{m.id}' names no persona: whose journey is this? add persona: {{name: ...}}, or the id "
            "of a persona in personas.yaml",
            "id",
            key=True,
        )


@map_rule(
    "unhappy-ending",
    "JM702",
    Severity.WARNING,
    "A future-state journey ends on a negative emotion (peak-end rule).",
    bad=with_map(_future("").replace("    emotion: 2\n", "    emotion: -2\n")),
    good=with_map(_future("")),
    states=("future",),
)
def unhappy_ending(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Customers judge an experience by its most intense moment and by its end (the peak-end
    rule), so a designed journey should end on a high-satisfaction resolution. A
    future-state map whose last stage (or that stage's last step with an emotion) is
    negative is reported. Current-state maps record what is, so they are not judged here.
    """
    if not m.stages:
        return
    last = m.stages[-1]
    emotions = [(st.emotion, st.loc) for st in last.steps if st.emotion is not None]
    emotion, loc = emotions[-1] if emotions else (last.emotion, last.loc)
    if emotion is not None and emotion < 0:
        yield Finding.at(
            loc, f"the journey ends at emotion {emotion}: design the end as a positive resolution", "emotion"
        )


_MOMENT = "    emotion: -1\n"


@map_rule(
    "moment-of-truth-negative",
    "JM703",
    Severity.WARNING,
    "A future-state journey leaves a moment of truth negative, or does not say how it feels.",
    bad=with_map(
        _future("").replace(
            _MOMENT,
            _MOMENT
            + "    steps:\n      - {id: reset, name: Reset mail arrives, moment: truth, emotion: -1}\n",
        )
    ),
    good=with_map(
        _future("").replace(
            _MOMENT,
            _MOMENT
            + "    steps:\n      - {id: reset, name: Reset mail arrives, moment: truth, emotion: 1}\n",
        )
    ),
    states=("future",),
)
def moment_of_truth_negative(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A moment of truth (`moment: truth` on a step) is where the customer decides whether to
    trust you: the first reply, the promise of a refund date, access regained. A future-state
    map is the journey you design, so each of its moments of truth should feel positive: one
    left negative (by the step's emotion, else its stage's) is reported, and so is one whose
    emotion is not said. Current-state maps record what is, so they are not judged here.
    """
    for step in m.moments("truth"):
        felt = m.felt(step)
        if felt is None:
            yield Finding.at(
                step.loc,
                f"moment of truth '{step.ref}' does not say how the customer feels: add emotion",
                "moment",
            )
        elif felt < 0:
            yield Finding.at(
                step.loc,
                f"the future-state journey leaves the moment of truth '{step.ref}' negative ({felt}): "
                "design it to feel positive",
                "emotion" if step.emotion is not None else "moment",
            )
