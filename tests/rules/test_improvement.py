from __future__ import annotations

from conftest import BASE, TEAMS, TODAY, at
from journeymaps.lint import lint
from journeymaps.project import Memo
from journeymaps.settings import load_settings

PAIN = """\
pain_points:
  - {id: p, at: one, kind: technical, summary: Reset mail in spam}
"""
OPP = """\
opportunities:
  - id: o
    addresses: [p]
    believe: B
    will: W
    signal: 30% fewer tickets
    owner: support
    due: 2027-01-31
"""


def test_unaddressed_pain_point(project):
    found = project({"m.yaml": BASE + PAIN})
    assert at(found, "unaddressed-pain-point") == [(16, 6)]
    # It said only "is not addressed by any opportunity", not how to address it.
    assert found[0].message == (
        "pain point 'p' is not addressed by any opportunity: add one under opportunities with "
        "addresses: [p] (status: dropped records a decision not to fix it)"
    )
    assert project({"m.yaml": BASE + PAIN + OPP}) == []


def test_unmeasurable_opportunity(project):
    found = project({"m.yaml": BASE + PAIN + OPP.replace("    signal: 30% fewer tickets\n", "")})
    assert at(found, "unmeasurable-opportunity") == [(18, 5)]


def test_dropped_opportunity_needs_no_signal(project):
    text = BASE + PAIN + OPP.replace("    signal: 30% fewer tickets\n", "    status: dropped\n")
    assert at(project({"m.yaml": text}), "unmeasurable-opportunity") == []


def test_overdue_opportunity_points_at_due(project):
    text = BASE + PAIN + OPP.replace("2027-01-31", "2026-10-31")
    found = project({"m.yaml": text})
    assert at(found, "overdue-opportunity") == [(24, 10)]
    assert "22 days ago" in found[0].message
    assert found[0].message.endswith("ship it (status: shipped), move due:, or set status: dropped")
    assert project({"m.yaml": text + "    status: shipped\n"}) == []


def test_opportunity_without_deadline_is_info(project):
    found = project({"m.yaml": BASE + PAIN + OPP.replace("    due: 2027-01-31\n", "")})
    assert [(d.rule, d.severity.value) for d in found] == [("opportunity-without-deadline", "info")]
    assert found[0].message == "opportunity 'o' has no due date: add due: YYYY-MM-DD"


def test_future_state_needs_a_current_state_baseline(project):
    future = BASE.replace("id: m\ntitle: T\n", "id: f\ntitle: T\nstate: future\n")
    found = project({"teams.yaml": TEAMS, "m.yaml": BASE, "f.yaml": future})
    assert at(found, "future-without-baseline") == [(3, 8)]
    chained = BASE.replace("id: m\ntitle: T\n", "id: g\ntitle: T\nstate: future\nbased_on: f\n")
    fixed = future.replace("state: future\n", "state: future\nbased_on: m\n")
    found = project({"m.yaml": BASE, "f.yaml": fixed, "g.yaml": chained})
    assert at(found, "future-without-baseline") == [(4, 11)]
    assert "'f' is a future-state map" in found[0].message


def test_missing_persona(project):
    found = project({"m.yaml": BASE.replace("persona: {name: Admin}\n", "")})
    assert at(found, "missing-persona") == [(1, 1)]
    assert found[0].message.endswith("add persona: {name: ...}, or the id of a persona in personas.yaml")


def test_future_map_ending_unhappy(project):
    future = BASE.replace("id: m\ntitle: T\n", "id: f\ntitle: T\nstate: future\nbased_on: m\n")
    sad = future + "    emotion: -1\n"
    found = project({"m.yaml": BASE, "f.yaml": sad})
    assert at(found, "unhappy-ending") == [(17, 14)]
    happy = future + "    emotion: 2\n"
    assert project({"m.yaml": BASE, "f.yaml": happy}) == []
    # A current-state map records what is: a sad ending is not a finding there.
    assert project({"m.yaml": BASE + "    emotion: -2\n"}) == []


FUTURE_STEP = (
    BASE.replace("id: m\n", "id: m-future\nstate: future\nbased_on: m\n")
    + "  - id: three\n    name: Three\n    owner: support\n    emotion: 2\n"
)


def test_a_future_moment_of_truth_left_negative_is_reported(project) -> None:
    current = BASE.replace(
        "    name: Two\n", "    name: Two\n    steps: [{id: s, name: S, moment: truth, emotion: -2}]\n"
    )
    future = FUTURE_STEP.replace(
        "    name: Two\n", "    name: Two\n    steps: [{id: s, name: S, moment: truth, emotion: -1}]\n"
    )
    found = project({"m.yaml": current, "f.yaml": future})
    assert [(d.file, d.message) for d in found if d.rule == "moment-of-truth-negative"] == [
        (
            "maps/f.yaml",
            "the future-state journey leaves the moment of truth 'two.s' negative (-1): design it to feel positive",
        )
    ]  # the current-state map records what is: not judged


def test_a_moment_of_truth_takes_its_stage_emotion_or_must_say_one(project) -> None:
    stage_felt = FUTURE_STEP.replace(
        "    name: Two\n", "    name: Two\n    emotion: -2\n    steps: [{id: s, name: S, moment: truth}]\n"
    )
    found = project({"m.yaml": BASE, "f.yaml": stage_felt})
    assert "negative (-2)" in next(d.message for d in found if d.rule == "moment-of-truth-negative")
    unsaid = FUTURE_STEP.replace(
        "    name: Two\n", "    name: Two\n    steps: [{id: s, name: S, moment: truth}]\n"
    )
    found = project({"m.yaml": BASE, "f.yaml": unsaid})
    assert [d.message for d in found if d.rule == "moment-of-truth-negative"] == [
        "moment of truth 'two.s' does not say how the customer feels: add emotion"
    ]


def test_a_positive_moment_of_truth_and_a_wow_moment_pass(project) -> None:
    good = FUTURE_STEP.replace(
        "    name: Two\n",
        "    name: Two\n    steps: [{id: s, name: S, moment: truth, emotion: 1}, {id: w, name: W, moment: wow, emotion: 3}]\n",
    )
    assert [
        d for d in project({"m.yaml": BASE, "f.yaml": good}) if d.rule == "moment-of-truth-negative"
    ] == []


def test_serve_judges_an_unchanged_future_map_again_when_its_baseline_changes(tmp_path, monkeypatch):
    """serve keeps a map rule's findings on an unchanged map only when the check read nothing
    but that map: the future map's baseline is another map, so turning the baseline into a
    future-state map is reported on the unchanged future map at the next rebuild."""
    monkeypatch.chdir(tmp_path)
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "m.yaml").write_text(BASE)
    for other in ("g", "h"):  # h asks for its baseline after g did
        future = f"id: {other}\ntitle: T\nstate: future\nbased_on: m\n"
        (maps / f"{other}.yaml").write_text(BASE.replace("id: m\ntitle: T\n", future))
    memo = Memo()

    def found() -> list[tuple[str, str]]:
        report = lint([maps], load_settings(tmp_path), TODAY, tmp_path, memo=memo)
        return [(d.file, d.message) for d in report.diagnostics if d.rule == "future-without-baseline"]

    assert found() == []
    (maps / "m.yaml").write_text(BASE.replace("id: m\ntitle: T\n", "id: m\ntitle: T\nstate: future\n"))
    assert found() == [
        ("maps/g.yaml", "based_on: 'm' is a future-state map; point at the current-state map"),
        ("maps/h.yaml", "based_on: 'm' is a future-state map; point at the current-state map"),
        ("maps/m.yaml", "future-state map 'm' has no based_on: which current-state map does it improve?"),
    ]
