from __future__ import annotations

from conftest import BASE, TEAMS, at

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
    assert project({"m.yaml": text + "    status: shipped\n"}) == []


def test_opportunity_without_deadline_is_info(project):
    found = project({"m.yaml": BASE + PAIN + OPP.replace("    due: 2027-01-31\n", "")})
    assert [(d.rule, d.severity.value) for d in found] == [("opportunity-without-deadline", "info")]


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


def test_future_map_ending_unhappy(project):
    future = BASE.replace("id: m\ntitle: T\n", "id: f\ntitle: T\nstate: future\nbased_on: m\n")
    sad = future + "    emotion: -1\n"
    found = project({"m.yaml": BASE, "f.yaml": sad})
    assert at(found, "unhappy-ending") == [(17, 14)]
    happy = future + "    emotion: 2\n"
    assert project({"m.yaml": BASE, "f.yaml": happy}) == []
    # A current-state map records what is: a sad ending is not a finding there.
    assert project({"m.yaml": BASE + "    emotion: -2\n"}) == []
