from __future__ import annotations

import datetime as dt

from conftest import BASE, at

NO_EVIDENCE_TWO = BASE.replace(
    "    owner: product\n    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n",
    "    owner: product\n",
)


def test_stage_without_evidence(project):
    found = project({"m.yaml": NO_EVIDENCE_TWO})
    assert at(found, "unvalidated-stage") == [(11, 5)]
    # It named the kinds of data, not how to write an entry.
    assert found[0].message == (
        "stage 'two' has no evidence: add the data behind it to the stage, a step or a pain point "
        "at it, e.g. evidence: [{source: zendesk, kind: tickets, ref: ...}] (kind: tickets, survey, "
        "transcript, interview, analytics or other)"
    )


def test_evidence_on_a_step_or_a_pain_point_validates_the_stage(project):
    on_step = (
        NO_EVIDENCE_TWO + "    steps:\n      - {id: s, name: S, evidence: [{source: x, kind: survey}]}\n"
    )
    assert at(project({"m.yaml": on_step}), "unvalidated-stage") == []
    on_pain = NO_EVIDENCE_TWO + (
        "pain_points:\n  - {id: p, at: two, kind: process, summary: S, evidence: [{source: x, kind: interview}]}\n"
    )
    assert at(project({"m.yaml": on_pain}), "unvalidated-stage") == []


def test_future_state_maps_are_not_judged_by_evidence(project):
    future = NO_EVIDENCE_TWO.replace("title: T\n", "title: T\nstate: future\nbased_on: m\n").replace(
        "id: m\n", "id: f\n", 1
    )
    found = project({"m.yaml": BASE, "f.yaml": future})
    assert at(found, "unvalidated-stage") == []


def test_stale_evidence_points_at_as_of(project):
    text = BASE.replace("as_of: 2026-10-01}]\n  - id: two", "as_of: 2025-01-01}]\n  - id: two")
    found = project({"m.yaml": text})
    assert at(found, "stale-evidence") == [(10, 56)]
    assert "690 days old" in found[0].message


def test_evidence_age_is_configurable(project):
    text = BASE.replace("as_of: 2026-10-01}]\n  - id: two", "as_of: 2026-06-01}]\n  - id: two")
    assert at(project({"m.yaml": text}), "stale-evidence") == []
    found = project({"m.yaml": text, "../journeymaps.toml": "evidence-max-age-days = 30\n"})
    assert at(found, "stale-evidence") == [(10, 56), (14, 56)]


def test_evidence_dated_after_today_is_reported(project):
    """An as_of after today never grew old enough to be reported."""
    text = BASE.replace("as_of: 2026-10-01}]\n  - id: two", "as_of: 2027-10-01}]\n  - id: two")
    found = project({"m.yaml": text}, today=dt.date(2026, 11, 22))
    assert at(found, "stale-evidence") == [(10, 56)]
    assert "says it was pulled on 2027-10-01, after today (2026-11-22)" in found[0].message
