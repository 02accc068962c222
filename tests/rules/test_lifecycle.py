from __future__ import annotations

from conftest import BASE, at, rules_of

OPP = (
    "opportunities:\n"
    "  - {id: fix, addresses: [p], believe: B, will: W, signal: S, owner: support, due: 2027-01-01,"
    " status: STATUS}\n"
)


def pains(extra: str, status: str = "shipped") -> str:
    return (
        BASE
        + "pain_points:\n  - id: p\n    at: one\n    kind: process\n    summary: S\n"
        + extra
        + OPP.replace("STATUS", status)
    )


def test_a_resolved_pain_point_keeps_addresses_valid_and_is_not_unaddressed(project) -> None:
    found = project({"m.yaml": pains("    status: resolved\n    since: 2026-10-01\n    resolved_by: fix\n")})
    assert found == []


def test_resolved_without_date_or_fix_is_reported(project) -> None:
    found = project({"m.yaml": pains("    status: resolved\n")})
    assert at(found, "pain-point-lifecycle") == [(20, 13), (20, 13)]
    messages = " | ".join(d.message for d in found)
    assert "is resolved but does not say since when: add since: YYYY-MM-DD" in messages
    assert "does not say by what: add resolved_by" in messages


def test_resolved_by_an_opportunity_not_shipped(project) -> None:
    found = project(
        {
            "m.yaml": pains(
                "    status: resolved\n    since: 2026-10-01\n    resolved_by: fix\n", "in-progress"
            )
        }
    )
    assert [d.message for d in found if d.rule == "pain-point-lifecycle"] == [
        "pain point 'p' is resolved by 'fix', which is in-progress, not shipped"
    ]


def test_mitigated_needs_only_a_date(project) -> None:
    assert rules_of(project({"m.yaml": pains("    status: mitigated\n    since: 2026-10-01\n")})) == []


def test_unknown_resolved_by_and_caused_by_are_unknown_references(project) -> None:
    other = BASE.replace("id: m\n", "id: other\n") + (
        "pain_points: [{id: upstream, at: one, kind: process, summary: U}]\n"
        "opportunities: [{id: o, addresses: [upstream], believe: B, will: W, signal: S, owner: support,"
        " due: 2027-01-01}]\n"
    )
    extra = (
        "    status: resolved\n    since: 2026-10-01\n    resolved_by: fixx\n"
        "    caused_by: [other/upstream, other/upstrem, elsewhere/upstream, pp]\n"
    )
    found = project({"m.yaml": pains(extra), "other.yaml": other})
    refs = [d.message for d in found if d.rule == "unknown-reference"]
    assert refs == [
        "resolved_by: no opportunity 'fixx' in this map (did you mean 'fix'?)",
        "caused_by: no pain point 'upstrem' in map 'other' (did you mean 'upstream'?)",
        "caused_by: no map with id 'elsewhere'",
        "caused_by: no pain point 'pp' in this map (did you mean 'p'?)",
    ]


def test_caused_by_a_map_that_is_there_but_broken_is_not_called_missing(project) -> None:
    """It said "no map with id 'other' (did you mean 'other'?)": the map is there, and its
    own findings say what is wrong with it (as based_on does)."""
    broken = BASE.replace("id: m\n", "id: other\n").replace("title: T\n", "")
    found = project({"m.yaml": pains("    caused_by: [other/upstream]\n"), "other.yaml": broken})
    assert [d.message for d in found if d.rule == "unknown-reference"] == []
    assert [(d.file, d.rule) for d in found if d.severity.value == "error"] == [("maps/other.yaml", "schema")]


def test_a_pain_point_owner_must_be_a_team(project) -> None:
    teams = "teams:\n  - {id: support, name: S}\n  - {id: product, name: P}\n"
    found = project({"m.yaml": pains("    owner: suport\n"), "teams.yaml": teams})
    assert [d.message for d in found if d.rule == "unknown-team"] == [
        "owner: team 'suport' is not in maps/teams.yaml (did you mean 'support'?)"
    ]


def test_caused_by_itself_is_an_unknown_reference_at_the_entry(project) -> None:
    """caused_by naming the pain point itself was accepted and the site said "Caused by: <itself>"."""
    for ref in ("p", "m/p"):
        found = project(
            {
                "m.yaml": pains(
                    f"    caused_by: [q, {ref}]\n  - {{id: q, at: one, kind: process, summary: Q}}\n"
                )
            }
        )
        assert [(d.line, d.column, d.message) for d in found if d.rule == "unknown-reference"] == [
            (20, len("    caused_by: [q, ") + 1, f"caused_by: '{ref}' is this pain point itself")
        ], ref


def test_a_caused_by_loop_is_reported_on_each_pain_point_of_it(project) -> None:
    two = (
        BASE
        + "pain_points:\n"
        + "  - {id: a, at: one, kind: process, summary: A, caused_by: [b]}\n"
        + "  - {id: b, at: one, kind: process, summary: B, caused_by: [c]}\n"
        + "  - {id: c, at: one, kind: process, summary: C, caused_by: [a]}\n"
    )
    found = [d for d in project({"m.yaml": two}) if d.rule == "caused-by-cycle"]
    assert [(d.code, d.line, d.message.split(":")[1].strip()) for d in found] == [
        ("JM609", 16, "'b' leads back to 'a' (a → b → c → a)"),
        ("JM609", 17, "'c' leads back to 'b' (b → c → a → b)"),
        ("JM609", 18, "'a' leads back to 'c' (c → a → b → c)"),
    ]
    line = next(t for t in two.splitlines() if "{id: a," in t)
    assert found[0].column == line.index("[b]") + 2  # at the entry itself
    assert "must end at a root cause" in found[0].message


def test_a_caused_by_loop_across_maps_is_reported(project) -> None:
    other = BASE.replace("id: m\n", "id: other\n") + (
        "pain_points: [{id: upstream, at: one, kind: process, summary: U, caused_by: [m/p]}]\n"
    )
    found = project(
        {"m.yaml": pains("    caused_by: [other/upstream]\n", "in-progress"), "other.yaml": other}
    )
    messages = sorted(d.message for d in found if d.rule == "caused-by-cycle")
    assert len(messages) == 2
    assert "'m/p' leads back to 'upstream' (upstream → m/p → upstream)" in messages[0]
    assert "'other/upstream' leads back to 'p' (p → other/upstream → p)" in messages[1]
    # A chain that ends at a root cause is fine.
    root = other.replace(", caused_by: [m/p]", "")
    assert not [
        d
        for d in project({"m.yaml": pains("    caused_by: [other/upstream]\n"), "other.yaml": root})
        if d.rule == "caused-by-cycle"
    ]
