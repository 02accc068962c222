"""What each view draws, checked on the DOT and on the laid-out SVG, for both renderers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from journeymaps.diagrams import MAP_VIEWS, map_diagram, project_diagram, to_svg
from journeymaps.diagrams.text import wrap
from journeymaps.model import Map, Project

SVG = "{http://www.w3.org/2000/svg}"
RENDERERS = [pytest.param("embedded", marks=pytest.mark.embedded), "system"]


def by_id(project: Project, map_id: str) -> Map:
    return next(m for m in project.maps if m.id == map_id)


def svg_ids(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {el.get("id"): el for el in root.iter() if el.get("id")}


def test_journey_dot_has_a_cluster_per_stage_and_a_node_per_step(examples: Project) -> None:
    m = by_id(examples, "admin-locked-out")
    dot = map_diagram("journey", m).dot
    for stage in m.stages:
        assert re.search(rf'subgraph "?cluster_{stage.id}"? {{', dot)
        assert f'id="stage-{stage.id}"' in dot
        assert f"owner: {stage.owner}" in dot
        for step in stage.steps:
            assert f'"{step.ref}" [label="{wrap(step.name)[0]}\\l' in dot
    assert "id=legend" in dot


def test_journey_loop_with_breaker_is_drawn_apart(examples: Project) -> None:
    dot = map_diagram("journey", by_id(examples, "admin-locked-out")).dot
    loop = next(line for line in dot.splitlines() if 'id="loop-contact-self-service"' in line)
    assert "constraint=false" in loop and "style=dashed" in loop
    assert "breaker: auto-escalate to" in loop and "#0072B2" in loop


def test_journey_loop_without_breaker_and_dead_end_are_marked(examples: Project) -> None:
    from dataclasses import replace

    m = by_id(examples, "admin-locked-out")
    contact = m.stage("contact")
    assert contact is not None
    no_breaker = replace(contact, next=tuple(replace(t, breaker=None) for t in contact.next))
    triage = m.stage("triage")
    assert triage is not None
    dead = replace(triage, next=(), next_given=True)
    stages = tuple(no_breaker if s.id == "contact" else dead if s.id == "triage" else s for s in m.stages)
    broken = replace(m, stages=stages, _stages={s.id: s for s in stages})
    dot = map_diagram("journey", broken).dot
    loop = next(line for line in dot.splitlines() if 'id="loop-contact-self-service"' in line)
    assert "no circuit breaker" in loop and "#D55E00" in loop and "penwidth=3" in loop
    assert "Dead end" in dot and "shape=octagon" in dot
    # the stages after the dead end are unreachable and drawn dashed with a warning
    assert "unreachable: no path leads here" in dot and "rounded,filled,dashed" in dot


def test_pain_points_are_attached_with_kind_and_severity(examples: Project) -> None:
    m = by_id(examples, "admin-locked-out")
    dot = map_diagram("journey", m).dot
    for pain in m.pain_points:
        assert f'id="pain-{pain.id}"' in dot
        # on the head's line when it fits, else whole on a line of its own
        assert f"{pain.kind} pain \u00b7 severity {pain.severity}/5\\l" in dot or (
            f"{pain.kind} pain\\lseverity {pain.severity}/5\\l" in dot
        )
        assert pain.stage is not None
        target = (
            pain.step.ref if pain.step else pain.stage.steps[0].ref
        )  # a stage's pain hangs on its first step
        assert f'"__pain.{pain.id}" -> "{target}"' in dot


def test_a_pain_point_s_severity_is_never_cut_in_two() -> None:
    """ "♥ emotional pain · severity 4/5" is 31 characters: wrapped at 30 it read "severity"
    on one line and "4/5" on the next (a newcomer's try-out)."""
    from types import SimpleNamespace

    from journeymaps.diagrams.journey import pain_label

    for kind in ("emotional", "process", "technical"):
        for changed in (False, True):
            pain = SimpleNamespace(kind=kind, severity=4, summary="Asks again", volume=None, volume_unit="")
            lines = pain_label(pain, changed).split("\\l")  # type: ignore[arg-type]
            assert any(line.endswith("severity 4/5") for line in lines), lines
            assert "4/5" not in lines and not any(line.endswith("severity") for line in lines), lines


def test_emotion_is_colour_and_words(examples: Project) -> None:
    dot = map_diagram("journey", by_id(examples, "admin-locked-out")).dot
    assert "feels \u22123 very negative" in dot and 'fillcolor="#F4B183"' in dot
    assert "feels +2 positive" in dot


def test_blueprint_has_lanes_lines_and_handoffs(examples: Project) -> None:
    m = by_id(examples, "billing-dispute")
    dot = map_diagram("blueprint", m).dot
    for title in ("Customer actions", "Frontstage", "Backstage", "Support processes"):
        assert title in dot
    for line in ("line of interaction", "line of visibility", "line of internal interaction"):
        assert line in dot
    lost = next(x for x in dot.splitlines() if "->" in x and 'id="handoff-contact.agent-gathers-' in x)
    assert "#D55E00" in lost and "penwidth=4" in lost
    words = next(x for x in dot.splitlines() if 'id="handoff-contact.agent-gathers-' in x and "-label" in x)
    assert "context lost" in words and "#D55E00" in words
    assert "SLA 1 business day" in words  # business days, in words as the pages say


def test_teams_view_weights_handoffs_across_maps(examples: Project) -> None:
    dot = project_diagram("teams", examples).dot
    assert 'id="team-support"' in dot and "Customer Support (Tier 1)" in dot
    edge = next(x for x in dot.splitlines() if 'id="handoff-support-finance"' in x)
    assert "1 journey" in edge and "1 handoff loses context" in edge


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("view", MAP_VIEWS)
def test_svg_is_accessible_with_stable_ids(examples: Project, renderer: str, view: str) -> None:
    for m in examples.maps:
        diagram = map_diagram(view, m)
        svg = to_svg(diagram, renderer)
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == diagram.title
        assert m.title in diagram.title
        assert root.find(f"{SVG}desc").text.startswith(("Journey of", "Service blueprint"))
        ids = svg_ids(svg)
        for stage in m.stages:
            assert f"stage-{stage.id}" in ids
            for step in stage.steps:
                assert f"step-{step.ref}" in ids
        assert "legend" in ids


@pytest.mark.parametrize("renderer", RENDERERS)
def test_team_view_svg(examples: Project, renderer: str) -> None:
    svg = to_svg(project_diagram("teams", examples), renderer)
    ids = svg_ids(svg)
    assert {"team-support", "team-finance", "handoff-support-finance", "legend"} <= set(ids)


@pytest.mark.embedded
def test_embedded_output_is_deterministic(examples: Project) -> None:
    for m in examples.maps:
        for view in MAP_VIEWS:
            first = to_svg(map_diagram(view, m), "embedded")
            assert to_svg(map_diagram(view, m), "embedded") == first


@pytest.mark.parametrize("renderer", RENDERERS)
def test_bots_and_moments_of_truth_are_visible_in_both_diagrams(examples: Project, renderer: str) -> None:
    """A bot's step and a moment of truth read in the diagram itself, not only on the page."""
    bot = by_id(examples, "billing-dispute")
    truth = by_id(examples, "admin-locked-out")
    assert (
        '"contact.bot-answers" [label="Billing bot answers first\\lFrontstage · Chat\\lby a bot\\l'
        in map_diagram("journey", bot).dot
    )
    assert '[label="Billing bot answers\\lfirst\\lvia chat\\lby a bot\\l' in map_diagram("blueprint", bot).dot
    for view in ("journey", "blueprint"):
        svg = to_svg(map_diagram(view, truth), renderer)
        node = svg_ids(svg)["step-self-service.reset-email"]
        assert "★ moment of truth" in "".join(node.itertext()), view
        assert svg == to_svg(map_diagram(view, truth), renderer)  # deterministic


def test_a_lost_handoff_s_sla_stays_on_one_line_of_the_journey(examples: Project) -> None:
    """Wrapped at 26 characters, the journey's label read "context lost, SLA 1" over
    "business day"."""
    dot = map_diagram("journey", by_id(examples, "billing-dispute")).dot
    lost = next(x for x in dot.splitlines() if 'id="handoff-contact.agent-gathers-' in x)
    lines = lost.split('label="', 1)[1].split('"', 1)[0].split("\\l")
    assert "SLA\u00a01\u00a0business\u00a0day" in lines, lines
