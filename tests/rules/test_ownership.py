from __future__ import annotations

from conftest import BASE, at


def test_map_without_owner(project):
    found = project({"m.yaml": BASE.replace("owner: support\nreviewed", "reviewed")})
    assert at(found, "missing-owner") == [(1, 1)]
    # The key to add, as a newcomer reads it ("name the team" left where, and how, to them).
    assert found[0].message == "map 'm' has no owner: set its owner to the id of the team that keeps it true"


def test_stage_without_owner_or_steps(project):
    found = project({"m.yaml": BASE.replace("    owner: product\n", "")})
    assert at(found, "missing-owner") == [(11, 5)]
    assert found[0].message == "stage 'two' has no owner: set its owner to the id of the team that owns it"


def test_steps_of_an_unowned_stage_need_owners(project):
    text = (
        BASE.replace("    owner: product\n", "")
        + """\
    steps:
      - {id: a, name: A, owner: product}
      - {id: b, name: B}
"""
    )
    found = project({"m.yaml": text})
    assert at(found, "missing-owner") == [(16, 10)]
    assert "step 'two.b' has no owner" in found[0].message


def test_opportunity_without_owner(project):
    text = (
        BASE
        + """\
opportunities:
  - {id: o, believe: B, will: W, signal: S, due: 2027-01-01}
"""
    )
    found = project({"m.yaml": text})
    assert at(found, "missing-owner") == [(16, 6)]
    assert (
        found[0].message == "opportunity 'o' has no owner: who delivers it? Set its owner to their team's id"
    )
