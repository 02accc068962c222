"""journeymaps.model builds each field of a step from its own key (build_map gives a step's
fields by position, for speed: a swap of two text fields would pass the type checker)."""

from __future__ import annotations

from pathlib import Path

from journeymaps.loader import Source
from journeymaps.model import Loc, Step, build_map


def test_each_step_field_comes_from_its_own_key() -> None:
    written = {
        "id": "s1",
        "name": "Asks",
        "lane": "backstage",
        "channel": "chat",
        "owner": "billing",
        "does": "does this",
        "thinks": "thinks that",
        "feels": "feels so",
        "emotion": -2,
        "description": "described",
        "actor": "agent",
        "moment": "truth",
        "context": "lost",
    }
    data = {"id": "m", "title": "M", "stages": [{"id": "a", "name": "A", "owner": "ops", "steps": [written]}]}
    src = Source(path=Path("m.yaml"), display="m.yaml", data=data)
    step = build_map(src, None).stages[0].steps[0]
    assert step == Step(
        id="s1",
        name="Asks",
        stage_id="a",
        lane="backstage",
        channel="chat",
        owner="billing",
        owner_given=True,
        does="does this",
        thinks="thinks that",
        feels="feels so",
        emotion=-2,
        description="described",
        evidence=(),
        loc=Loc(src, ("stages", 0, "steps", 0)),
        actor="agent",
        moment="truth",
        context="lost",
    )
    defaults = {"id": "s2", "name": "Waits"}
    data["stages"][0]["steps"] = [defaults]
    step = build_map(src, None).stages[0].steps[0]
    assert (step.lane, step.owner, step.owner_given, step.emotion) == ("customer", "ops", False, None)
