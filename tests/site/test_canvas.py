"""The canvas model: which path is the journey's main one, what the curve draws, and the
odd maps people write (no steps, no emotions, loops, dead ends, a branch that rejoins)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import TODAY
from journeymaps.lint import lint
from journeymaps.model import Map, Project
from journeymaps.settings import Settings
from journeymaps.site.canvas import build_canvas, main_path
from journeymaps.site.pages import ranked_pains


def _map(tmp_path: Path, body: str) -> Map:
    maps = tmp_path / "maps"
    maps.mkdir(exist_ok=True)
    head = "id: m\ntitle: T\nowner: support\nreviewed: 2026-11-01\npersona: {name: A}\n"
    (maps / "m.yaml").write_text(head + textwrap.dedent(body).strip() + "\n", "utf-8")
    report = lint([maps], Settings(root=tmp_path), TODAY, tmp_path)
    assert report.project is not None and report.project.maps, [d.message for d in report.diagnostics]
    return report.project.maps[0]


def _canvas(m: Map):  # type: ignore[no-untyped-def]
    return build_canvas(m, {"support": "Support"}, ranked_pains([m], Settings(root=Path())))


def _ids(stages) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.id for s in stages]


def test_the_main_path_ends_at_the_stage_marked_end(examples: Project) -> None:
    billing = next(m for m in examples.maps if m.id == "billing-dispute")
    assert _ids(main_path(billing)) == ["review", "contact", "finance-review", "resolution"]
    locked = next(m for m in examples.maps if m.id == "admin-locked-out")  # a loop back, not followed
    assert _ids(main_path(locked)) == [
        "discovery",
        "self-service",
        "contact",
        "triage",
        "resolution",
        "follow-up",
    ]


def test_the_map_names_its_main_path_by_listing_it_first(tmp_path: Path) -> None:
    m = _map(
        tmp_path,
        """
        stages:
          - {id: a, name: A, emotion: -1, next: [c, b]}
          - {id: b, name: B, emotion: -3, next: [c]}
          - {id: c, name: C, emotion: 2, next: []}
        """,
    )
    assert _ids(main_path(m)) == ["a", "c"]
    curve = _canvas(m).curve
    assert curve is not None
    main, branch = curve.lines
    assert [p.name for p in main.points] == ["A", "C"] and not main.branch
    # The branch through B leaves A and rejoins at C, dashed; the peak is on the main path.
    assert branch.branch and [p.name for p in branch.points] == ["A", "B", "C"]
    assert (
        curve.peak is not None and curve.peak.name == "C" and curve.end is not None and curve.end.name == "C"
    )


def test_steps_give_the_curve_its_points_and_a_stage_without_them_its_own(tmp_path: Path) -> None:
    m = _map(
        tmp_path,
        """
        stages:
          - id: a
            name: A
            emotion: -1
            steps:
              - {id: s1, name: S1, lane: customer, emotion: -3}
              - {id: s2, name: S2, lane: backstage}
              - {id: s3, name: S3, lane: frontstage, emotion: 1}
          - {id: b, name: B, emotion: 2}
        pain_points:
          - {id: p, at: a.s2, kind: process, summary: Slow, volume: 10, severity: 2}
        """,
    )
    c = _canvas(m)
    assert c.width == 4  # three steps, and a stage with none
    assert c.curve is not None
    points = c.curve.lines[0].points
    assert [(p.name, p.emotion) for p in points] == [("S1", -3), ("S3", 1), ("B", 2)]
    assert [p.x for p in points] == [12.5, 62.5, 87.5]  # centres of columns 1, 3 and 4 of 4
    mark = c.curve.marks[0]
    assert mark.x == 37.5  # over the backstage step, on the line between its neighbours
    assert points[0].y > mark.y > points[1].y


def test_a_map_without_emotions_has_no_curve_and_still_a_canvas(tmp_path: Path) -> None:
    m = _map(
        tmp_path,
        """
        stages:
          - {id: a, name: A, steps: [{id: s, name: S, lane: customer}]}
          - {id: b, name: B}
        """,
    )
    c = _canvas(m)
    assert c.curve is None and c.width == 2 and len(c.stages) == 2


def test_dead_ends_loops_and_unknown_targets_are_said_in_words(tmp_path: Path) -> None:
    m = _map(
        tmp_path,
        """
        stages:
          - {id: a, name: A, emotion: -1, next: [b, nowhere]}
          - {id: b, name: B, emotion: -2, next: [{to: a, label: try again}]}
          - {id: c, name: C, emotion: 1, next: []}
          - {id: d, name: D, emotion: 0}
        """,
    )
    flows = {b.stage.id: [f.kind for f in b.flows] for b in _canvas(m).stages}
    assert flows["b"] == ["loop"] and flows["c"] == ["dead-end"] and flows["d"] == ["end"]
    curve = _canvas(m).curve
    assert curve is not None and curve.loops and "try again" in curve.loops[0].label
    assert not curve.loops[0].breaker


def test_the_longest_journey_the_schema_accepts_has_a_main_path(tmp_path: Path) -> None:
    """The longest chain of stages lint accepts (100) is followed to its end, every stage on
    the curve (the walk keeps no recursion: generated maps can be long)."""
    stages = "\n".join(f"  - {{id: s{i}, name: S{i}, emotion: {i % 7 - 3}}}" for i in range(100))
    m = _map(tmp_path, "stages:\n" + stages)
    assert len(main_path(m)) == 100
    curve = _canvas(m).curve
    assert curve is not None and len(curve.lines[0].points) == 100


def test_two_stages_sharing_an_id_still_give_a_main_path(tmp_path: Path) -> None:
    """Found by the fuzz test: stages s, s, t (a duplicate id lint reports) made the first s
    look as if it reached the end through the second, and the walk found no way on: the
    map's page was "could not be rendered: StopIteration"."""
    m = _map(tmp_path, "stages:\n- id: s\n  name: S\n- id: s\n  name: S again\n- id: t\n  name: T\n")
    path = main_path(m)
    assert path[0] is m.stages[0] and len(path) >= 1
    _canvas(m)  # the canvas is built
