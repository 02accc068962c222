from __future__ import annotations

import datetime as dt

from conftest import BASE, at


def test_map_never_reviewed(project):
    found = project({"m.yaml": BASE.replace("reviewed: 2026-11-01\n", "")})
    assert at(found, "stale-map") == [(1, 1)]
    assert "never been reviewed" in found[0].message


def test_map_older_than_the_cadence_points_at_reviewed(project):
    found = project({"m.yaml": BASE}, today=dt.date(2027, 2, 1))
    assert at(found, "stale-map") == [(4, 11)]
    assert "92 days ago" in found[0].message and "90 days" in found[0].message
    assert project({"m.yaml": BASE}, today=dt.date(2027, 1, 30)) == []


def test_review_cadence_is_configurable(project):
    found = project({"m.yaml": BASE, "../journeymaps.toml": "review-cadence-days = 14\n"})
    assert at(found, "stale-map") == [(4, 11)]


def test_a_one_day_cadence_reads_in_the_singular(project):
    settings = {"../journeymaps.toml": "review-cadence-days = 1\n"}
    found = project({"m.yaml": BASE, **settings}, today=dt.date(2026, 11, 3))
    assert "was last reviewed 2 days ago (2026-11-01); the review cadence is 1 day:" in found[0].message


def test_a_stale_map_is_told_what_a_review_is(project):
    """ "Last reviewed 693 days ago; the review cadence is 90 days" left a newcomer to guess
    whether changing the date was the fix."""
    found = project({"m.yaml": BASE}, today=dt.date(2027, 2, 1))
    assert found[0].message.endswith(
        "the review cadence is 90 days: walk through the map with its owner, update what changed, "
        "and set reviewed: to the day of that review"
    )


def test_a_review_date_after_today_is_reported_not_taken_as_fresh(project):
    """A year typed wrong (2027 for 2026) kept the map from being reported stale for months."""
    later = BASE.replace("reviewed: 2026-11-01", "reviewed: 2027-11-01")
    found = project({"m.yaml": later}, today=dt.date(2026, 11, 22))
    assert at(found, "stale-map") == [(4, 11)]
    assert found[0].message == (
        "map 'm' says it was reviewed on 2027-11-01, after today (2026-11-22): write the date of the last review"
    )
    assert project({"m.yaml": BASE}, today=dt.date(2026, 11, 1)) == []  # reviewed today
