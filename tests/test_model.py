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


def test_a_whole_number_written_as_a_float_is_modelled_and_drawn_as_one(project) -> None:
    """``emotion: 1.0`` passes the schema (a whole number), and stopped ``build`` with an
    internal error: the diagrams' legend formats emotions with ``:+d``."""
    from conftest import BASE
    from journeymaps.diagrams import MAP_VIEWS, map_diagram

    text = (
        BASE.replace(
            "    name: One\n",
            "    name: One\n    emotion: -2.0\n    steps: [{id: a, name: A, emotion: 1.0}]\n",
        )
        + "pain_points:\n  - {id: p, at: one, kind: process, summary: S, volume: 40.0, severity: 4.0,"
        " customers_at_risk: 2.0}\n"
    )
    found = project(
        {"m.yaml": text, "teams.yaml": "teams:\n  - {id: support, name: S}\n  - {id: product, name: P}\n"}
    )
    assert not [d for d in found if d.rule in ("schema", "yaml-syntax")], found
    from journeymaps.loader import from_bytes

    src = from_bytes(Path("m.yaml"), "m.yaml", text.encode())
    m = build_map(src, {})
    for view in MAP_VIEWS:
        assert map_diagram(view, m, page="../maps/m.html").dot.startswith("digraph")
    stage = m.stages[0]
    pain = m.pain_points[0]
    values = (stage.emotion, stage.steps[0].emotion, pain.volume, pain.severity, pain.customers_at_risk)
    assert values == (-2, 1, 40, 4, 2) and all(type(v) is int for v in values), values
