"""The schemas are valid, documented, and their errors read in the user's words."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import BASE, at
from journeymaps.loader import PARSERS, Source, parse
from journeymaps.validate import SCHEMA_FILES, schema, validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_schema_is_valid_2020_12(kind: str) -> None:
    document = schema(kind)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


def _properties(node: object, where: str = "$"):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in node.items():
            yield from _properties(sub, f"{where}.{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{where}[{i}]")


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_every_property_has_a_description(kind: str) -> None:
    undocumented = [
        where
        for where, sub in _properties(schema(kind))
        if "description" not in sub and not ("$ref" in sub and "description" in _deref(kind, sub["$ref"]))
    ]
    assert undocumented == []


def _deref(kind: str, ref: str) -> dict:
    node = schema(kind)
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_packaged_schema_is_the_repository_schema() -> None:
    for kind, name in SCHEMA_FILES.items():
        assert schema(kind) == json.loads((ROOT / "schema" / name).read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "line", "column", "message"),
    [
        (
            ("    owner: support\n", "    owner: support\n    emotion: 7\n"),
            10,
            14,
            "stages[0].emotion: 7 is above the maximum of 3",
        ),
        (
            ("    name: One\n", "    name: One\n    ownr: support\n"),
            9,
            5,
            "unknown key 'ownr' in stages[0] (did you mean 'owner'?)",
        ),
        (("    name: Two\n", ""), 11, 5, "stages[1]: missing required key 'name'"),
        (  # the id the words could be, not an unrelated example
            ("id: m\n", "id: My Map\n"),
            1,
            5,
            "id: 'My Map' is not a valid id: use lowercase letters, digits and single hyphens, e.g. 'my-map'",
        ),
        (  # the team's name, as teams.yaml shows it: "not a valid id, e.g. 'login-fails'"
            ("\nowner: support\n", "\nowner: Customer Support\n"),
            3,
            8,
            "owner: 'Customer Support' is not a team id: name the team by its id in teams.yaml "
            "(lowercase letters, digits and single hyphens, e.g. 'support'), not by its name",
        ),
        (
            ("persona: {name: Admin}", "persona: {name: Admin, age: 40}"),
            5,
            24,
            "unknown key 'age' in persona",
        ),
        (
            ("persona: {name: Admin}", "persona: 42"),
            5,
            10,
            "persona: expected text or a mapping (key: value pairs), got 42",
        ),
        (  # which keys the mapping takes, the first ones it needs as an example
            (
                "evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n  - id: two",
                "evidence: [zendesk tickets]\n  - id: two",
            ),
            10,
            16,
            "stages[0].evidence[0]: expected a mapping (key: value pairs), got 'zendesk tickets' "
            "(its keys: source, kind, ref, url, as_of, note; e.g. {source: ..., kind: ...})",
        ),
        (
            ("    owner: product\n", "    owner: product\n    next: [{label: x}]\n"),
            14,
            12,
            "stages[1].next[0]: missing required key 'to'",
        ),
        (
            (
                "kind: tickets, as_of: 2026-10-01}]\n  - id: two",
                "kind: ticket, as_of: 2026-10-01}]\n  - id: two",
            ),
            10,
            40,
            "'ticket' is not one of tickets, survey, transcript, interview, analytics, other (did you mean 'tickets'?)",
        ),
    ],
)
def test_schema_errors_in_user_words_at_the_right_place(project, change, line, column, message) -> None:
    found = project({"m.yaml": BASE.replace(*change)})
    assert at(found, "schema") == [(line, column)], found
    assert message in found[0].message


def test_a_misspelt_required_key_is_one_error_at_its_line(project) -> None:
    """`sumary:` for `summary:` gave two errors, the less helpful first and on another line:
    "missing required key 'summary'" at the item's first line, then "unknown key 'sumary'
    ... did you mean 'summary'?" at the line to fix. Only the second is said now; a key
    missing with no misspelling of it beside it still is."""
    found = project({"m.yaml": BASE.replace("    name: Two\n", "    nmae: Two\n")})
    assert [(d.line, d.column, d.message.split(";")[0]) for d in found if d.rule == "schema"] == [
        (12, 5, "unknown key 'nmae' in stages[1] (did you mean 'name'?)")
    ]
    found = project({"m.yaml": BASE.replace("    name: Two\n", "    colour: Two\n")})
    messages = sorted(d.message.split(";")[0] for d in found if d.rule == "schema")
    assert messages == ["stages[1]: missing required key 'name'", "unknown key 'colour' in stages[1]"]


def test_another_tools_yaml_file_is_one_error_saying_it_is_no_map(project) -> None:
    """``lint .`` met a docker-compose.yml: an "unknown key" error for each of its keys and
    "missing required key 'id'", read as a broken map to mend. A map with misspelt keys
    keeps its errors and their suggestions."""
    found = project(
        {
            "docker-compose.yml": "services:\n  web:\n    image: nginx\nvolumes: {}\n",
            "typo.yaml": "titel: A\nstagess: []\n",
        }
    )
    compose = [(d.line, d.column, d.message) for d in found if d.file.endswith("docker-compose.yml")]
    assert compose == [
        (
            1,
            1,
            "this is not a journey map: none of its keys (services, volumes) is a map's "
            "(a journey map needs id, title and stages); every YAML file under the paths given "
            "is read as a map: name the maps' folder instead, or leave this file out with the "
            "settings' exclude",
        )
    ]
    typo = sorted(d.message.split(";")[0] for d in found if d.file.endswith("typo.yaml"))
    assert typo == [
        "missing required key 'id'",
        "unknown key 'stagess' (did you mean 'stages'?)",
        "unknown key 'titel' (did you mean 'title'?)",
    ]


def test_words_where_a_number_goes_are_told_the_range_signed_only_below_zero(project) -> None:
    """`volume: about 60` was told "write a number from +0 to +1000000000000"; an emotion,
    on a scale through zero, keeps its signs."""
    volume = BASE + "pain_points:\n  - {id: p, at: one, kind: process, summary: S, volume: about 60}\n"
    found = [d.message for d in project({"m.yaml": volume}) if d.rule == "schema"]
    assert found == [
        "pain_points[0].volume: expected a whole number, got 'about 60' (write a number from 0 to 1000000000000)"
    ]
    emotion = BASE.replace("    owner: support\n", "    owner: support\n    emotion: sad\n", 1)
    found = [d.message for d in project({"m.yaml": emotion}) if d.rule == "schema"]
    assert "(emotion is a score from -3 to +3," in found[0]


def test_a_colon_in_a_value_is_shown_quoted_in_the_map_s_own_words(project) -> None:
    """The fix for `root_cause: Root cause: PDF rendering` was a made-up example ("Self-service:
    attempt"); it is the map's own line, quoted."""
    text = BASE.replace("    name: Two\n", "    name: Root cause: PDF rendering\n")
    found = project({"m.yaml": text})
    assert found[0].message.endswith('put the whole value in quotes, as name: "Root cause: PDF rendering"')


def test_a_bracketed_value_is_shown_quoted_in_the_map_s_own_words(project) -> None:
    """The fix for `name: [DRAFT] Slow reply` was a made-up example ("[DRAFT] Admin locked
    out"); it is the map's own line, quoted, as for a colon."""
    text = BASE.replace("    name: Two\n", "    name: [DRAFT] Slow reply\n")
    found = project({"m.yaml": text})
    assert found[0].message.endswith('put the whole value in quotes, as name: "[DRAFT] Slow reply"')


def test_all_schema_errors_of_a_file_are_reported(project) -> None:
    text = BASE.replace("    owner: support\n", "    owner: support\n    emotion: 9\n").replace(
        "title: T\n", "title: 5\n"
    )
    found = project({"m.yaml": text})
    assert at(found, "schema") == [(2, 8), (10, 14)]


def test_unquoted_number_in_a_text_field_gets_a_hint(project) -> None:
    found = project({"m.yaml": BASE.replace("title: T\n", "title: 1e2\n")})
    assert found[0].message == "title: expected text, got 100.0 (put it in quotes to keep it as text)"


def test_quoted_number_gets_a_hint(project) -> None:
    found = project(
        {"m.yaml": BASE.replace("    owner: support\n", "    owner: support\n    emotion: '-1'\n")}
    )
    assert "remove the quotes" in found[0].message


def test_extension_keys_are_allowed(project) -> None:
    assert project({"m.yaml": BASE + "x-jira: CX-12\n"}) == []


NEWCOMER = BASE.replace("    name: One\n", "    name: One\n    ownr: support\n    emotoin: -1\n").replace(
    "    name: Two\n", "    name: Two\n    steps:\n      - {id: s, name: S, lane: customer, chanel: chat}\n"
)


def test_every_unknown_key_of_a_run_is_reported_with_the_allowed_keys(project) -> None:
    found = project({"m.yaml": NEWCOMER})
    assert at(found, "schema") == [(9, 5), (10, 5), (16, 42)]
    ownr, emotoin, chanel = (d.message for d in found)
    assert ownr.startswith("unknown key 'ownr' in stages[0] (did you mean 'owner'?); allowed here: id, name,")
    assert "(did you mean 'emotion'?)" in emotoin
    assert "in stages[1].steps[0] (did you mean 'channel'?)" in chanel
    assert (
        "lane, channel, moment, actor, context, owner, does, thinks, feels, emotion, evidence,"
        " or an x- key of your own"
    ) in chanel


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_the_comma_trap_in_a_flow_mapping_says_to_quote(parser) -> None:
    step = "    steps:\n      - {id: s, name: Asks again, by email, lane: customer}\n"
    src = Source(
        Path("m.yaml"), "m.yaml", text=BASE.lstrip().replace("    name: Two\n", f"    name: Two\n{step}")
    )
    parse(src, parser)
    (problem,) = validate(src, "map")
    assert (problem.span.line, problem.span.column) == (14, 35)
    assert "unknown key 'by email' in stages[1].steps[0]: inside { } a comma ends an unquoted value" in (
        problem.message
    )
    assert "'Asks again, by email' was split here; put text that contains commas in quotes" in problem.message


#: The other trap of flow style: a '#' after a space ends the line's text, '}' or ']' included.
HASH_IN_FLOW = [
    # (the lines put under stage two, where the '#' is: line, column, which brackets)
    (
        "    steps:\n      - {id: s, name: Posts in Slack #team-identity}\n      - {id: t, name: T}\n",
        14,
        38,
        "{ }",
    ),
    (
        "    steps:\n      - {id: s, name: Posts in Slack #team-identity,\n         lane: customer}\n",
        14,
        38,
        "{ }",
    ),
    ("    x-tags: [billing, refunds #q3]\n    x-owner: product\n", 13, 31, "[ ]"),
]


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(("lines", "line", "column", "brackets"), HASH_IN_FLOW)
def test_the_hash_trap_in_flow_style_points_at_the_hash_and_says_to_quote(
    parser: str, lines: str, line: int, column: int, brackets: str
) -> None:
    """YAML says only "did not find expected ',' or '}'", at the line after, which names
    neither the '#' nor what to do about it; both parsers are told apart from no other."""
    src = Source(
        Path("m.yaml"), "m.yaml", text=BASE.lstrip().replace("    name: Two\n", f"    name: Two\n{lines}")
    )
    parse(src, parser)
    (problem,) = src.problems
    assert problem.rule == "yaml-syntax"
    assert (problem.span.line, problem.span.column) == (line, column)
    assert f"a '#' after a space starts a comment, even inside {brackets}" in problem.message
    assert "put text that holds ' #' in quotes" in problem.message


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_a_comment_after_a_comma_in_flow_style_is_not_blamed_for_another_error(parser: str) -> None:
    lines = "    steps:\n      - {id: s,  # the first step\n         name: Asks lane: customer}\n"
    src = Source(
        Path("m.yaml"), "m.yaml", text=BASE.lstrip().replace("    name: Two\n", f"    name: Two\n{lines}")
    )
    parse(src, parser)
    (problem,) = src.problems
    assert problem.rule == "yaml-syntax" and "comment" not in problem.message


def test_a_real_unknown_key_in_a_flow_mapping_is_not_the_comma_trap(project) -> None:
    step = "    steps:\n      - {id: s, name: 'Asks again', colour: red}\n"
    found = project({"m.yaml": BASE.replace("    name: Two\n", f"    name: Two\n{step}")})
    assert "comma" not in found[0].message


def test_extension_keys_are_allowed_on_every_object(project) -> None:
    text = (
        BASE.replace("persona: {name: Admin}", "persona: {name: Admin, x-crm: seg-4}").replace(
            "kind: tickets, as_of", "kind: tickets, x-query: q1, as_of"
        )
        + "    kpis: [{name: FCR, current: 0.5, target: 0.7, x-dash: d1}]\n"
        "    next: [{to: one, breaker: escalate after 2 replies, x-why: loops}]\n"
        "handoffs: [{from: one.a, to: two.b, sla: 4h, x-queue: tier2}]\n"
        "pain_points: [{id: p, at: one, kind: process, summary: S, x-jira: CX-1}]\n"
        "opportunities: [{id: o, addresses: [p], believe: B, will: W, signal: S, owner: support,"
        " due: 2027-01-01, x-epic: E-1}]\n"
    ).replace("    name: One\n", "    name: One\n    steps: [{id: a, name: A, lane: backstage}]\n")
    text = text.replace("    name: Two\n", "    name: Two\n    steps: [{id: b, name: B, lane: backstage}]\n")
    found = project(
        {
            "m.yaml": text,
            "teams.yaml": "teams:\n  - {id: support, name: Support, x-slack: '#s'}\n  - {id: product, name: P}\n",
            "personas.yaml": "personas:\n  - {id: admin, name: Admin, x-segment: smb}\n",
        }
    )
    assert [d for d in found if d.rule == "schema"] == []


def test_words_for_an_emotion_get_a_hint_about_the_scale_not_quotes(project) -> None:
    found = project(
        {"m.yaml": BASE.replace("    owner: support\n", "    owner: support\n    emotion: frustrated\n")}
    )
    assert found[0].message == (
        "stages[0].emotion: expected a whole number, got 'frustrated' (emotion is a score from -3 to +3,"
        " e.g. -2 for frustrated; write the words under feeling:)"
    )


def test_a_status_in_other_words_gets_did_you_mean(project) -> None:
    text = BASE + "opportunities: [{id: o, believe: B, will: W, owner: support, status: done}]\n"
    found = project({"m.yaml": text})
    assert (
        "'done' is not one of proposed, planned, in-progress, shipped, dropped (did you mean 'shipped'?)"
        in (found[0].message)
    )


def test_an_unquoted_non_number_is_not_told_to_lose_quotes_it_does_not_have(project) -> None:
    """``1_0`` is text in YAML 1.2 (Python's float() would read it as 10): no quotes to remove."""
    found = project(
        {"m.yaml": BASE.replace("    owner: support\n", "    owner: support\n    emotion: 1_0\n", 1)}
    )
    assert "remove the quotes" not in found[0].message
    assert "emotion is a score from -3 to +3" in found[0].message, found[0].message
    quoted = project(
        {"m.yaml": BASE.replace("    owner: support\n", "    owner: support\n    emotion: '1_0'\n", 1)}
    )
    assert "remove the quotes" not in quoted[0].message  # without them it is still text


def test_a_file_the_fast_validator_rejects_is_never_passed_silently(project, monkeypatch) -> None:
    # The two validators read a few things differently (a year 0000 and an id ending in a
    # line break each passed the explaining one): where it finds nothing, the fast one's
    # own words are reported, at the value, rather than the file passing lint.
    import journeymaps.validate

    monkeypatch.setattr(journeymaps.validate, "explain", lambda *args, **kwargs: iter(()))
    found = project({"m.yaml": BASE.replace("    owner: support\n", "    owner: support\n    emotion: 7\n")})
    assert at(found, "schema") == [(10, 14)], found
    assert found[0].severity.name.lower() == "error"
    assert found[0].message.startswith("stages[0].emotion: 7 is greater than the maximum of 3")


#: The YAML mistakes newcomers make: (the lines added to a map's stage, where the finding is,
#: words it must say). The parsers say where their grammar stopped, often a line later, in
#: words of their own ("could not find expected ':'", "mapping values are not allowed here").
YAML_TRAPS = [
    (
        "    owner:product\n",
        13,
        5,
        "'owner:product' has no ': ' (YAML needs a space after a key's colon): write 'owner: product'",
    ),
    ("    emotion -1\n", 13, 5, "'emotion -1' has no ':' where a key is expected"),
    ("    description: Self-service: attempt\n", 13, 30, "a ': ' inside an unquoted value starts a key"),
    ("    steps: [{id: s, name: Self: attempt}]\n", 13, 31, "a ': ' inside an unquoted value in { }"),
    ("      description: x\n", 13, 18, "'description' is indented more than the key above it"),
    (
        "    description: [DRAFT] Slow reply\n",
        13,
        26,
        "a value that starts with '[' is a list and ended at its ']'",
    ),
    ("    description: 'Admin's account'\n", 13, 25, "the quoted value ended at the ' before this text"),
    # A quote left open ran on to the next one, lines below, where the error was, saying to
    # use "quotes of the other kind" there: the quote to close is on the line it opened.
    (
        '    description: "Slow reply\n    steps: [{id: s, name: "S", lane: customer}]\n',
        13,
        18,
        'this " is not closed on its line, so the quoted value runs on to line 14 and ends at the " '
        "there, before more text: close the quote on this line",
    ),
    (
        "    description: 'Admin''s reply\n    steps: [{id: s, name: 'S', lane: customer}]\n",
        13,
        18,
        "this ' is not closed on its line, so the quoted value runs on to line 14",
    ),
    (  # with no quote of its kind below: "found unexpected end of stream" past the last line
        '    description: "Slow reply\n',
        13,
        18,
        'this " is never closed, so the quoted value runs on to the end of the file: close the quote '
        "on this line",
    ),
    ("    description: @support\n", 13, 18, "a value cannot start with '@' in YAML unless it is quoted"),
    ("   description: x\n", 13, 4, "'description: x' is indented to column 4, which lines up with nothing"),
    (
        "  description: x\n",
        13,
        3,
        "'description: x' lines up with the '-' of the list above it, so YAML expected a new item "
        "('- ') here: indent it to column 5, under the keys of the item above",
    ),
    (
        "    steps: none\n      - {id: s, name: S}\n",
        14,
        12,
        "this list item follows a key that already has a value ('steps: none')",
    ),
    (
        "    steps:\n      -id: s\n      - id: t\n",
        14,
        7,
        "'-id: s' is a key, not a list item: put a space after the '-'",
    ),
    (  # the README's "-item without its space", in a list of plain values (tags, channels)
        "    steps:\n      - s\n      -t\n",
        15,
        7,
        "'-t' is not a list item: put a space after the '-' ('- t')",
    ),
    (
        "    steps:\n      - {id: s, name: S\n      - {id: t, name: T}\n",
        14,
        9,
        "this '{' is not closed: add the '}' at the end of line 14",
    ),
]


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(("lines", "line", "column", "words"), YAML_TRAPS)
def test_a_newcomers_yaml_mistake_is_named_where_it_was_made(
    parser: str, lines: str, line: int, column: int, words: str
) -> None:
    src = Source(
        Path("m.yaml"), "m.yaml", text=BASE.lstrip().replace("    name: Two\n", f"    name: Two\n{lines}")
    )
    parse(src, parser)
    (problem,) = src.problems
    assert problem.rule == "yaml-syntax"
    assert words in problem.message
    assert (problem.span.line, problem.span.column) == (line, column)


#: A line with no key where one belongs, at the start of a file or of a list item: the key
#: below it became more of its text, and was said to be "indented more than the key above
#: it" (a key that was not indented at all, below a line with no key). (text, line, column,
#: words); the last keeps those words: there a long value goes on, under its key.
KEYLESS_LINE_ABOVE = [
    ("owner:support\nid: m\n", 1, 1, "'owner:support' has no ': ' (YAML needs a space after a key's colon)"),
    ("emotion -1\nid: m\n", 1, 1, "'emotion -1' has no ':' where a key is expected"),
    ("# about\n\nowner support\n  x: 1\n", 3, 1, "'owner support' has no ':' where a key is expected"),
    ("id: m\nstages:\n  - id s\n    name: S\n", 3, 5, "'id s' has no ':' where a key is expected"),
    (
        "id: m\ngoal: a long goal\n  that goes on\n  for: ever\n",
        4,
        6,
        "'for' is indented more than the key above it",
    ),
]


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("text", [" id: m\ntitle: T\n", "# about\n  id: m\n  title: T\nstages: []\n"])
def test_an_indented_first_key_is_named_not_another_document(parser: str, text: str) -> None:
    """Both parsers said "did not find expected <document start>" at the next key, a line
    that is right: the spaces to remove are before the first key."""
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    parse(src, parser)
    (problem,) = src.problems
    line = 1 if text.startswith(" ") else 2
    assert (problem.span.line, problem.span.column) == (line, 1)
    assert problem.message.startswith("'id: m' is indented by ")
    assert "the top-level keys all start at the margin" in problem.message


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(("text", "line", "column", "words"), KEYLESS_LINE_ABOVE)
def test_a_line_with_no_key_above_a_key_is_named_not_the_key(
    parser: str, text: str, line: int, column: int, words: str
) -> None:
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    parse(src, parser)
    (problem,) = src.problems
    assert words in problem.message
    assert (problem.span.line, problem.span.column) == (line, column)


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("text", ["id: m\ntitle: [Draft\n", "id: m\ntitle: [\n", "id: m\ntitle: [a,\n"])
def test_a_bracket_never_closed_is_reported_where_it_opens_not_past_the_end(parser: str, text: str) -> None:
    """Both parsers stop at the end of the file, a line the file does not have (where
    GitHub cannot show an annotation)."""
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    parse(src, parser)
    (problem,) = src.problems
    assert (problem.span.line, problem.span.column) == (2, 8)
    assert problem.message.startswith("this '[' is never closed: add the ']' where it ends")


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(
    ("text", "at", "said"),
    [
        (
            "id: m\nstages:\n  - {id: a, name: A\n  - {id: b, name: B}\n",
            (3, 5),
            "'{' is not closed: add the '}' at the end of line 3",
        ),
        ("id: m\ntags: [a, b\nowner: x\n", (2, 7), "'[' is not closed: add the ']' at the end of line 2"),
        (
            "id: m\nstages:\n  - {id: a,\n     name: A\n\n  - id: b\n",
            (3, 5),
            "'{' is not closed: add the '}' at the end of line 4",
        ),
    ],
)
def test_a_bracket_left_open_at_the_end_of_its_line_is_named_there(
    parser: str, text: str, at: tuple[int, int], said: str
) -> None:
    """``- {id: a, name: A`` and the next item below it: the parser read the next line into
    the bracket, and the finding was at that next line, "a ': ' inside an unquoted value in
    { } starts a key ... put the value in quotes" (a newcomer's try-out)."""
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    parse(src, parser)
    (problem,) = src.problems
    assert (problem.span.line, problem.span.column) == at
    assert problem.message.startswith(f"this {said}, where it ends"), problem.message


def test_one_item_written_without_its_list_gets_the_list_written_out(project) -> None:
    """`next: contact` is the first thing a newcomer writes for "leads to contact"."""
    text = BASE.replace("    name: One\n", "    name: One\n    next: two\n")
    found = project({"m.yaml": text.replace("title: T", "title: T\ntags: billing")})
    assert [d.message for d in found if d.rule == "schema"] == [
        "tags: expected a list, got 'billing' (a list of one is written [billing])",
        "stages[0].next: expected a list, got 'two' (a list of one is written [two])",
    ]
    # A list of objects is not written that way: no such hint.
    found = project(
        {
            "m.yaml": BASE.replace(
                "evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]", "evidence: tickets", 1
            )
        }
    )
    assert [d.message for d in found if d.rule == "schema"] == [
        "stages[0].evidence: expected a list, got 'tickets'"
    ]


def test_a_title_or_name_past_200_characters_is_too_long_at_its_value(project) -> None:
    """A 100,000-character title was a map (its page's heading a wall of text, its diagram's
    label unreadable): titles and names are one line that names a thing."""
    long = "x" * 201
    text = BASE.replace("title: T", f"title: {long}").replace("name: Two", f"name: {long}")
    found = [(d.file, d.line, d.column, d.message) for d in project({"m.yaml": text}) if d.rule == "schema"]
    assert found == [
        ("maps/m.yaml", 2, 8, "title: too long (201 characters; at most 200)"),
        ("maps/m.yaml", 12, 11, "stages[1].name: too long (201 characters; at most 200)"),
    ]
    teams = [
        (d.file, d.line, d.message)
        for d in project({"teams.yaml": f"teams:\n  - {{id: support, name: {long}}}\n", "m.yaml": BASE})
        if d.rule == "schema"
    ]
    assert teams == [("maps/teams.yaml", 2, "teams[0].name: too long (201 characters; at most 200)")]
    at_most = project({"m.yaml": BASE.replace("title: T", f"title: {'x' * 200}")})
    assert [d for d in at_most if d.file == "maps/m.yaml" and d.rule == "schema"] == []
