"""Ownership: every map, touchpoint and improvement has a team accountable for it."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map


@map_rule(
    "missing-owner",
    "JM201",
    Severity.ERROR,
    "A map, a stage (or a step of an unowned stage) or an opportunity has no owner.",
    bad=with_map(GOOD_MAP.replace("    owner: product\n", "")),
    good=with_map(GOOD_MAP),
)
def missing_owner(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    "Without accountability, your map risks becoming a static document." Every map needs a
    team that keeps it true, every touchpoint a team that owns it, every improvement a team
    that delivers it. A stage's owner is inherited by its steps; a stage without an owner
    is fine only when each of its steps names one.
    """
    if m.owner is None:
        yield Finding.at(
            # The key to add: "name the team" left a newcomer to find where, and how.
            m.loc,
            f"map '{m.id}' has no owner: set its owner to the id of the team that keeps it true",
            "id",
            key=True,
        )
    for stage in m.stages:
        if stage.owner is not None:
            continue
        if not stage.steps:
            said = f"stage '{stage.id}' has no owner: set its owner to the id of the team that owns it"
            yield Finding.at(stage.loc, said, "id", key=True)
            continue
        for step in stage.steps:
            if step.owner is None:
                yield Finding.at(
                    step.loc,
                    f"step '{step.ref}' has no owner, and neither has its stage: set owner on "
                    "the stage or the step",
                    "id",
                    key=True,
                )
    for o in m.opportunities:
        if o.owner is None:
            said = f"opportunity '{o.id}' has no owner: who delivers it? Set its owner to their team's id"
            yield Finding.at(o.loc, said, "id", key=True)
