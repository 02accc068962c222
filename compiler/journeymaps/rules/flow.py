"""Flow: loops need circuit breakers, journeys don't stop mid-way, every stage is reachable."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map

_LOOP = (
    "    owner: support\n    emotion: 2\n    next: [{{to: discovery, label: reopened{breaker}}}, follow-up]\n"
)
_THIRD = """  - id: follow-up
    name: Follow-up survey
    owner: support
    evidence: [{source: delighted, kind: survey, as_of: 2026-10-30}]
"""


@map_rule(
    "loop-without-breaker",
    "JM301",
    Severity.WARNING,
    "A transition back to an earlier stage (a circular journey) has no circuit breaker.",
    bad=with_map(GOOD_MAP.replace("    owner: support\n    emotion: 2\n", _LOOP.format(breaker="")) + _THIRD),
    good=with_map(
        GOOD_MAP.replace(
            "    owner: support\n    emotion: 2\n",
            _LOOP.format(breaker=", breaker: auto-escalate after 2 replies"),
        )
        + _THIRD
    ),
)
def loop_without_breaker(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A `next` that points back to an earlier stage (or the same one) is a circular journey:
    the "Tier 1 loop" where the same macro is sent twice and the customer explains again.
    Loops are real and belong on a current-state map, but each needs a circuit breaker that
    ends it, written as `breaker:` on the transition (for example "auto-escalate after two
    customer replies"). A placeholder (`none yet`, `TODO`, `tbd`, `n/a`) is not a breaker.
    """
    for stage in m.stages:
        for t in stage.next:
            target = m.stage(t.to)
            if target is not None and target.index <= stage.index and not t.has_breaker:
                said = f" ('{t.breaker}' is a placeholder)" if t.breaker else ""
                yield Finding.at(
                    t.loc,
                    f"stage '{stage.id}' loops back to '{t.to}' with no circuit breaker{said}: add "
                    "breaker: (e.g. 'auto-escalate after 2 replies') to the transition",
                )


@map_rule(
    "dead-end",
    "JM302",
    Severity.WARNING,
    "A stage that is not the last ends the journey (next: []) without end: true.",
    bad=with_map(GOOD_MAP.replace("    owner: product\n", "    owner: product\n    next: []\n")),
    good=with_map(
        GOOD_MAP.replace("    owner: product\n", "    owner: product\n    next: []\n    end: true\n")
    ),
)
def dead_end(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A dead end is a place where the customer has no next step: the journey stops before its
    resolution. When the map shows a real dead end (customers give up here), mark it with
    `end: true` so readers know it is intended; otherwise point `next` where the journey goes.
    """
    last = len(m.stages) - 1
    for stage in m.stages:
        if stage.index < last and stage.next_given and not stage.next and not stage.end:
            yield Finding.at(
                stage.loc,
                f"stage '{stage.id}' is a dead end: next is empty but it is not the last stage; "
                "say where the journey goes, or mark end: true",
                "next",
            )


@map_rule(
    "unreachable-stage",
    "JM303",
    Severity.WARNING,
    "No path from the first stage leads to this stage.",
    bad=with_map(
        GOOD_MAP.replace("    owner: product\n", "    owner: product\n    next: []\n    end: true\n")
    ),
    good=with_map(GOOD_MAP),
)
def unreachable_stage(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    The journey starts at the first stage and follows `next` (or list order). A stage that no
    path reaches is never lived by the customer: link it with `next`, or remove it.
    """
    seen = m.reachable_stages()
    for stage in m.stages:
        if stage.id not in seen and m.stage(stage.id) is stage:
            yield Finding.at(
                stage.loc,
                f"stage '{stage.id}' is unreachable: no next leads to it; name it in the next: of a "
                "stage before it, or remove it",
                "id",
                key=True,
            )


_BRANCHES = """  - id: contact
    name: Contact
    owner: support
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-30}]
    next: [replacement, refund]
  - id: replacement
    name: Replacement shipped
    owner: support
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-30}]
{replacement_next}  - id: refund
    name: Refund issued
    owner: support
    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-30}]
"""


@map_rule(
    "branch-fall-through",
    "JM304",
    Severity.WARNING,
    "A branch's stage flows on, by list order, into another branch of the same choice.",
    bad=with_map(GOOD_MAP + _BRANCHES.replace("{replacement_next}", "")),
    good=with_map(GOOD_MAP + _BRANCHES.replace("{replacement_next}", "    next: [resolution]\n")),
)
def branch_fall_through(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A stage without `next` leads to the stage after it in the list. When that stage is the
    target of a branch (`next: [replacement, refund]`) and the stage after it is another
    target of the same branch, the two paths silently become one: customers who got a
    replacement flow on into the refund. Say where the branch goes (`next: [follow-up]`),
    or end it (`next: []` with `end: true`); write `next: [refund]` if it really continues
    there.
    """
    for stage in m.stages:
        targets = {t.to for t in stage.next}
        if len(targets) < 2:
            continue
        for t in stage.next:
            branch = m.stage(t.to)
            if branch is None or branch.next_given or not branch.next:
                continue
            into = branch.next[0].to
            if into in targets and into != branch.id:
                yield Finding.at(
                    branch.loc,
                    f"stage '{branch.id}' (a branch of '{stage.id}') falls through into its sibling branch "
                    f"'{into}' by list order: say where it goes with next:, or end it with next: [] and "
                    "end: true",
                    "id",
                    key=True,
                    about=stage.id,
                )
