from __future__ import annotations

from conftest import BASE, TEAMS, at


def test_duplicate_map_ids_across_files(project):
    found = project({"a.yaml": BASE, "b.yaml": BASE})
    assert at(found, "duplicate-id") == [(1, 5)]
    (d,) = [d for d in found if d.rule == "duplicate-id"]
    assert d.file == "maps/b.yaml" and "maps/a.yaml" in d.message


def test_a_broken_map_with_a_used_id_has_only_its_own_findings(project):
    """A map that does not follow the format, copied from another (its id kept): it was also
    told its id was taken and "meanwhile this map's page is maps/m--2.html", a page a
    broken map never has, while the summary said it was checked no further than its errors."""
    found = project({"a.yaml": BASE, "b.yaml": BASE.replace("title: T", "titel: T")})
    assert [(d.file, d.rule) for d in found] == [("maps/b.yaml", "schema")]


def test_two_broken_maps_sharing_an_id_the_format_refuses_are_not_compared(project):
    """'First Journey' is not an id at all: each map had the schema's finding there, and the
    second a duplicate-id at the same place naming a page 'maps/First Journey--2.html'."""
    broken = BASE.replace("id: m", "id: First Journey")
    found = project({"a.yaml": broken, "b.yaml": broken})
    assert [(d.file, d.line, d.rule) for d in found] == [
        ("maps/a.yaml", 1, "schema"),
        ("maps/b.yaml", 1, "schema"),
    ]


def test_a_valid_map_after_a_broken_one_with_its_id_is_told_the_other_is_broken(project):
    """The broken map's id is read reliably (a valid id): it still holds the page name, so the
    valid map's page really is m--2 and the finding stays, saying why the other was not listed."""
    found = project({"a.yaml": BASE.replace("title: T", "titel: T"), "b.yaml": BASE})
    (d,) = [d for d in found if d.rule == "duplicate-id"]
    assert d.file == "maps/b.yaml" and "maps/a.yaml" in d.message
    assert "maps/a.yaml does not follow the format yet" in d.message


def test_duplicate_stage_and_step_ids_within_a_map(project):
    text = (
        BASE.replace("id: two", "id: one")
        + """
      steps:
        - {id: s, name: S}
        - {id: s, name: S again}
    """.replace("\n      ", "\n    ")
    )
    found = project({"m.yaml": text})
    assert at(found, "duplicate-id") == [(11, 9), (18, 14)]


def test_duplicate_team_ids(project):
    found = project({"teams.yaml": TEAMS + "  - {id: support, name: Again}\n", "m.yaml": BASE})
    assert at(found, "duplicate-id") == [(5, 10)]


def test_a_team_or_persona_defined_in_two_registries_is_reported_where_it_comes_again(project):
    """Two teams.yaml (one per folder) both defining team support: the name shown was that of
    whichever file's path sorted first, without a word (a test passed here, failed in CI)."""
    personas = "personas:\n  - {id: admin, name: Admin}\n"
    found = project(
        {
            "a/teams.yaml": TEAMS,
            "b/teams.yaml": "teams:\n  - {id: support, name: Support B}\n",
            "a/personas.yaml": personas,
            "b/personas.yaml": personas,
            "a/m.yaml": BASE,
        }
    )
    dupes = sorted((d.file, d.line, d.message) for d in found if d.rule == "duplicate-id")
    assert dupes == [
        (
            "maps/b/personas.yaml",
            2,
            "persona id 'admin' is already defined in maps/a/personas.yaml:2, and that definition "
            "is the one used: keep one of the two",
        ),
        (
            "maps/b/teams.yaml",
            2,
            "team id 'support' is already defined in maps/a/teams.yaml:2, and that definition is "
            "the one used: keep one of the two",
        ),
    ]


def test_unknown_references_point_at_the_reference(project):
    text = (
        BASE.replace("    owner: support\n    evidence", "    owner: support\n    next: [tow]\n    evidence")
        + """
handoffs:
  - {from: one.x, to: two.y, sla: 1h}
pain_points:
  - {id: p, at: three, kind: process, summary: S}
opportunities:
  - {id: o, addresses: [q], believe: B, will: W, signal: S, owner: support, due: 2027-01-01}
"""
    )
    found = project({"m.yaml": text.replace("persona: {name: Admin}", "persona: nobody\nbased_on: gone")})
    refs = [(d.line, d.column, d.message) for d in found if d.rule == "unknown-reference"]
    assert [(line, col) for line, col, _ in refs] == [
        (5, 10),
        (6, 11),
        (11, 12),
        (19, 12),
        (19, 23),
        (21, 17),
        (23, 25),
    ]
    assert "no stage 'tow' in this map (did you mean 'two'?)" in refs[2][2]
    # A name near none of them is told the ids there are, as an unknown team is told the teams.
    assert refs[5][2] == "at: no stage 'three' in this map (its stages: one, two)"
    assert "there is no personas.yaml" in refs[0][2]


def test_a_persona_id_without_personas_yaml_is_told_where_to_add_it(project):
    found = project({"teams.yaml": TEAMS, "m.yaml": BASE.replace("{name: Admin}", "admin")})
    (said,) = [d.message for d in found if d.rule == "unknown-reference"]
    assert said == (
        "persona: 'admin' is not defined: there is no personas.yaml; add maps/personas.yaml "
        "(its format: journeymaps schema personas), or write the persona inline"
    )


def test_persona_must_be_in_the_registry(project):
    personas = "personas:\n  - {id: admin, name: Admin}\n"
    found = project({"personas.yaml": personas, "m.yaml": BASE.replace("{name: Admin}", "admn")})
    assert at(found, "unknown-reference") == [(5, 10)]
    assert "did you mean 'admin'" in found[0].message
    assert project({"personas.yaml": personas, "m.yaml": BASE.replace("{name: Admin}", "admin")}) == []


def test_one_broken_entry_of_teams_yaml_does_not_make_every_owner_unknown(project):
    """A newcomer's teams.yaml with one bad entry gave an unknown-team error at every owner
    of every map, naming teams written right there; its own finding is the one to fix."""
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: product, name: Product}\n  - billing\n"
    found = project({"teams.yaml": teams, "m.yaml": BASE.replace("owner: product", "owner: prodct")})
    assert [(d.file, d.rule) for d in found] == [
        ("maps/m.yaml", "unknown-team"),
        ("maps/teams.yaml", "schema"),
    ]
    assert "team 'prodct' is not in maps/teams.yaml (did you mean 'product'?)" in found[0].message
    unreadable = project({"teams.yaml": "teams: [{id: support\n", "m.yaml": BASE})
    assert [(d.file, d.rule) for d in unreadable] == [("maps/teams.yaml", "yaml-syntax")]


def test_an_owner_written_right_where_teams_yaml_miswrote_the_id_is_told_to_fix_teams_yaml(project):
    """teams.yaml's `id: Support` (not a valid id) made every `owner: support` an error saying
    "did you mean 'Support'?": followed, the map's owner was refused as not a team id, and
    teams.yaml's own error said to write 'support', a loop for a newcomer."""
    teams = "teams:\n  - {id: Support, name: Support}\n  - {id: product, name: Product}\n"
    found = project({"teams.yaml": teams, "m.yaml": BASE.replace("owner: product", "owner: support")})
    said = [d.message for d in found if d.rule == "unknown-team"]
    assert said and all(
        m == "owner: team 'support' is not in maps/teams.yaml (its 'Support' is not a valid id: "
        "write it 'support' there)"
        for m in said
    ), said
    assert [d.rule for d in found if d.file == "maps/teams.yaml"] == ["schema"]


def test_an_unknown_team_names_the_file_and_the_teams_it_lists(project):
    """A newcomer's first error, their own team not yet listed: it said only "is not in
    teams.yaml", not which file, what teams it lists, or what to do."""
    teams = "teams:\n" + "".join(f"  - {{id: team-{i:02d}, name: T{i}}}\n" for i in range(10))
    found = project({"teams.yaml": teams, "m.yaml": BASE.replace("owner: product", "owner: billing")})
    assert [d.message for d in found if "'billing'" in d.message] == [
        "owner: team 'billing' is not in maps/teams.yaml: add it there, or name a team it lists "
        "(team-00, team-01, team-02, team-03, team-04, team-05, team-06, team-07 and 2 more)"
    ]


def test_one_broken_entry_of_personas_yaml_does_not_make_its_personas_unknown(project):
    personas = "personas:\n  - {id: admin, name: Admin}\n  - {id: buyer}\n"
    found = project({"personas.yaml": personas, "m.yaml": BASE.replace("{name: Admin}", "admin")})
    assert [(d.file, d.rule) for d in found] == [("maps/personas.yaml", "schema")]
    found = project({"personas.yaml": personas, "m.yaml": BASE.replace("{name: Admin}", "admn")})
    assert [(d.file, d.rule) for d in found] == [
        ("maps/m.yaml", "unknown-reference"),
        ("maps/personas.yaml", "schema"),
    ]


def test_unknown_team_only_when_teams_yaml_exists(project):
    text = BASE.replace("owner: product", "owner: prodct")
    assert at(project({"m.yaml": text}), "unknown-team") == []
    found = project({"teams.yaml": TEAMS, "m.yaml": text})
    assert at(found, "unknown-team") == [(13, 12)]
    assert "did you mean 'product'" in found[0].message
