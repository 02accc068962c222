from __future__ import annotations

import pytest

from conftest import BASE, at

STEP = "    steps:\n      - id: s\n        name: Searches\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "        does: TODO what the customer does\n",
            "'TODO what the customer does' is a placeholder (TODO)",
        ),
        (
            "        does: Checks the invoice, TBD with Finance\n",
            "'Checks the invoice, TBD with Finance' is a placeholder (TBD)",
        ),
        (
            "        does: Lorem ipsum dolor sit amet\n",
            "'Lorem ipsum dolor sit amet' is a placeholder (Lorem)",
        ),
        ('        does: "..."\n', "'...' is a placeholder: write what you know"),
        ("        does: n/a\n", "'n/a' is a placeholder: write what you know"),
        ("        does: N/A\n", "'N/A' is a placeholder: write what you know"),  # any case, as before
        ("        does: FIXME\n", "'FIXME' is a placeholder: write what you know"),
        ('        does: "\\u2026"\n', "'\u2026' is a placeholder: write what you know"),  # spelt as an escape
    ],
)
def test_placeholders_are_reported_at_their_value(project, line, message) -> None:
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert at(found, "placeholder-text") == [(12, 15)]
    assert found[0].message.startswith(f"stages[0].steps[0].does: {message}")


@pytest.mark.parametrize(
    "line",
    [
        "        does: Types the password... and waits\n",
        "        does: Adds the todo list to the ticket\n",
        "        does: Writes n/a in the form\n",
        "        x-draft: TODO\n",
    ],
)
def test_real_text_and_extension_keys_are_not_placeholders(project, line) -> None:
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert at(found, "placeholder-text") == []


def test_a_hashtag_after_unquoted_text_is_reported(project) -> None:
    line = "        does: Zendesk side conversation to #team-identity\n"
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert at(found, "text-cut-by-comment") == [(12, 15)]
    assert found[0].message == (
        "stages[0].steps[0].does: the text stops before '#team-identity', which YAML reads as a comment; "
        "put the whole value in quotes to keep it"
    )


@pytest.mark.parametrize(
    "line",
    [
        '        does: "Zendesk side conversation to #team-identity"\n',
        "        does: Zendesk side conversation  # checked with the team\n",
        "        does: Opens ticket#4521\n",  # no space before #: YAML keeps it as text
        "        does: Waits  # journeymaps: ignore[placeholder-text] real text\n",
    ],
)
def test_quoted_text_and_ordinary_comments_are_left_alone(project, line) -> None:
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert at(found, "text-cut-by-comment") == []


@pytest.mark.parametrize(
    ("before", "line"),
    [
        ("", "        does: Waits\t#team-identity\n"),  # a tab before the '#' counts as a blank
        ("##banner\n#!shebang-like\n# ordinary\n", "        does: Waits #team-identity\n"),
    ],
)
def test_a_hashtag_is_found_after_other_hashes(project, before, line) -> None:
    """The file is first searched for any such '#' (most have none): that search must find
    it after '#' signs that do not count."""
    text = before + BASE.replace("    name: One\n", "    name: One\n" + STEP + line)
    found = project({"m.yaml": text})
    assert [f.rule for f in found if f.rule == "text-cut-by-comment"] == ["text-cut-by-comment"]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("        does: Pays \u202e0001$ of the invoice\n", "U+202E RIGHT-TO-LEFT OVERRIDE"),  # as typed
        ('        does: "Pays \\u2067x of it"\n', "U+2067 RIGHT-TO-LEFT ISOLATE"),  # as an escape
    ],
)
def test_a_direction_control_is_reported_at_its_value(project, line, code) -> None:
    """ "Pays \u202e0001$" shows as "Pays $1000" on the site and in a review: the file says
    otherwise (Trojan Source). Nothing reported it."""
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert at(found, "text-direction-control") == [(12, 15)]
    assert found[0].message == (
        f"stages[0].steps[0].does: its text holds {code}, an invisible control that shows the "
        "characters after it in another order: remove it"
    )


def test_a_direction_control_in_a_key_or_a_registry_is_reported(project) -> None:
    found = project(
        {
            "m.yaml": BASE.replace("    name: One\n", "    name: One\n    x-note\u202e: hidden\n"),
            "teams.yaml": "teams:\n  - id: support\n    name: \u2066Support\n",
        }
    )
    assert sorted(
        (d.file.rsplit("/", 1)[-1], d.line, d.column, d.path)
        for d in found
        if d.rule == "text-direction-control"
    ) == [
        ("m.yaml", 9, 5, "stages[0].x-note\\u202e"),  # the key as the site shows it
        ("teams.yaml", 3, 11, "teams[0].name"),
    ]


def test_a_direction_control_in_a_comment_is_reported_at_it_and_a_value_s_once(project) -> None:
    """A comment is no data, but a control in it reorders what a reviewer reads on that line
    of the diff: it was never reported. One in a value is reported once, by its path."""
    found = project(
        {
            "m.yaml": BASE.replace("    name: One\n", "    name: One  # fine \u2067x\n")
            .replace("title:", "# notes \u202e here\ntitle:")
            .replace("    name: One", "    name: O\u202ene  # ok"),
            "teams.yaml": "teams:  # \u2066two\u2069\n  - id: support\n    name: Support\n",  # one a line
        }
    )
    got = sorted(
        (d.file.rsplit("/", 1)[-1], d.line, d.column, d.message.split(",")[0])
        for d in found
        if d.rule == "text-direction-control"
    )
    lines = BASE.strip("\n").splitlines()  # as the file is written
    title = next(n for n, text in enumerate(lines, 1) if text.startswith("title:"))
    stage = next(n for n, text in enumerate(lines, 1) if text == "    name: One") + 1
    assert got == [
        ("m.yaml", title, 9, "a comment holds U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("m.yaml", stage, 11, "stages[0].name: its text holds U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("m.yaml", stage, 30, "a comment holds U+2067 RIGHT-TO-LEFT ISOLATE"),
        ("teams.yaml", 1, 11, "a comment holds U+2066 LEFT-TO-RIGHT ISOLATE"),
    ]


def test_right_to_left_text_without_controls_is_not_reported(project) -> None:
    arabic = "        does: \u064a\u062f\u0641\u0639 \u0627\u0644\u0641\u0627\u062a\u0648\u0631\u0629 1000$\n"
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + arabic)})
    assert at(found, "text-direction-control") == []


@pytest.mark.parametrize(
    ("keys", "second"),
    [
        ("'x-k\\u202e': as text\n\"x-k\\u202e\": a control\n", (4, 1)),  # the escape as text, then a control
        ("\"x-k\\u202e\": a control\n'x-k\\u202e': as text\n", (4, 1)),
        ("x-k\u202e: pasted\n'x-k\\u202e': as text\n", (4, 1)),
    ],
)
def test_two_keys_one_once_its_control_is_shown_is_a_duplicate_key(project, keys: str, second: tuple) -> None:
    """A key holding a control and one holding its escape as text are one key once the
    control is shown: the later value was dropped without a word (and JM903 pointed at the
    key without the control)."""
    found = project({"m.yaml": "id: m\ntitle: T\n" + keys + "stages: [{id: s, name: S}]\n"})
    duplicates = [d for d in found if d.rule == "duplicate-key"]
    assert [(d.line, d.column) for d in duplicates] == [second]
    assert "duplicate key 'x-k\\u202e' (first defined on line 3)" in duplicates[0].message


def test_a_direction_control_is_reported_in_a_file_with_a_schema_error(project) -> None:
    """A map or registry with a schema error was not modelled, so JM903 said nothing about
    it until that error was fixed: a control could hide behind an unknown key."""
    line = "        does: Pays \u202e0001$ of the invoice\n"
    found = project(
        {
            "m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line) + "titel: typo\n",
            "teams.yaml": "teams:\n  - id: support\n    nam: \u2066Support\n",
        }
    )
    assert sorted((d.file.rsplit("/", 1)[-1], d.rule, d.line, d.column) for d in found) == [
        ("m.yaml", "schema", 19, 1),
        ("m.yaml", "text-direction-control", 12, 15),
        ("teams.yaml", "schema", 3, 5),  # 'nam', the misspelt 'name' (not said missing too)
        ("teams.yaml", "text-direction-control", 3, 10),
    ]


@pytest.mark.parametrize(
    ("line", "name", "escape"),
    [
        ('        does: "Bill\\0ing"\n', "U+0000 NULL", "\\x00"),
        ('        does: "Pays\\e[8m twice"\n', "U+001B ESCAPE", "\\x1b"),
        ('        does: "Pays \\x01 twice"\n', "U+0001", "\\x01"),
        ('        does: "Pays \\x7f twice"\n', "U+007F DELETE", "\\x7f"),
        ('        does: "Pays \\x9b2J twice"\n', "U+009B CONTROL SEQUENCE INTRODUCER", "\\x9b"),
        ('        does: "Pays\\r twice"\n', "U+000D CARRIAGE RETURN", "\\x0d"),
        ("        does: Pays\u2026 \x85twice\n", "U+0085 NEXT LINE", "\\x85"),  # as pasted
    ],
)
def test_a_control_character_is_reported_at_its_value(project, line, name, escape) -> None:
    """A YAML escape spelt a control character ("\\e[8m" hides what follows it on a
    terminal) that reached every page and the terminal (export) raw, and no rule said so."""
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert at(found, "text-control-character") == [(12, 15)]
    assert found[0].message == (
        f"stages[0].steps[0].does: its text holds {name}, a control character that pages do not show "
        f"and terminals obey; it is shown as {escape}: remove it"
    )


def test_a_byte_order_mark_inside_a_name_is_reported_and_not_at_the_file_s_start(project) -> None:
    """U+FEFF pasted into a name (or spelt "\\uFEFF") was kept, invisible on every page, and
    no rule said so: "Check\\ufeffout" and "Checkout" read as one name and are two. It is
    JM904's, shown as its escape; the byte order mark that starts a file is no text's."""
    text = "\ufeff" + BASE.replace("name: One", "name: On\ufeffe").replace("name: Two", 'name: "Tw\\uFEFFo"')
    found = project({"m.yaml": text})
    assert at(found, "text-control-character") == [(9, 11), (13, 11)]
    assert [d.message for d in found if d.rule == "text-control-character"] == [
        f"stages[{i}].name: its text holds U+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible character "
        "(a byte order mark, inside the text) that makes names that look alike differ; it is shown "
        "as \\ufeff: remove it"
        for i in (0, 1)
    ]
    assert not project({"m.yaml": "\ufeff" + BASE})  # at the start only: nothing to say


def test_a_control_character_in_a_key_or_a_registry_is_reported(project) -> None:
    found = project(
        {
            "m.yaml": BASE.replace("    name: One\n", '    name: One\n    "x-note\\e]0;t\\a": hidden\n'),
            "teams.yaml": 'teams:\n  - id: support\n    name: "Supp\\x01ort"\n',
        }
    )
    assert sorted(
        (d.file.rsplit("/", 1)[-1], d.line, d.column, d.path)
        for d in found
        if d.rule == "text-control-character"
    ) == [
        ("m.yaml", 9, 5, "stages[0].x-note\\x1b]0;t\\x07"),  # the key as the site shows it
        ("teams.yaml", 3, 11, "teams[0].name"),
    ]


def test_tabs_and_line_breaks_are_not_control_characters(project) -> None:
    lines = '        does: "Pays\\tthe invoice\\nthen waits"\n        thinking: |\n          One\tTwo\n\n          Three\n'
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + lines)})
    assert at(found, "text-control-character") == []


def test_a_text_with_a_direction_control_and_a_control_character_is_reported_by_both_rules(project) -> None:
    line = '        does: "Pays \\u202e0001$\\e[8m of it"\n'
    found = project({"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line)})
    assert sorted((d.rule, d.line, d.column) for d in found) == [
        ("text-control-character", 12, 15),
        ("text-direction-control", 12, 15),
    ]


def test_a_control_character_is_reported_in_a_file_with_a_schema_error(project) -> None:
    line = '        does: "Pays\\e[8m twice"\n'
    found = project(
        {"m.yaml": BASE.replace("    name: One\n", "    name: One\n" + STEP + line) + "titel: typo\n"}
    )
    assert sorted((d.rule, d.line, d.column) for d in found) == [
        ("schema", 19, 1),
        ("text-control-character", 12, 15),
    ]


def test_a_file_with_lines_ended_by_cr_alone_has_its_comment_findings_on_their_lines(project) -> None:
    """A file saved with CR line ends (classic Mac editors; the fuzz test made one of a
    leading CR): the editor comment's finding (schema-reference) and a control in a comment
    were placed by counting LF alone: line 2 for the comment on line 3, line 1 for all."""
    text = "\r# yaml-language-server: $schema=../nowhere/journey-map.schema.json\r" + BASE.lstrip(
        "\n"
    ).replace("title:", "# notes \u202e here\ntitle:").replace("\n", "\r")
    found = project({"m.yaml": text.encode("utf-8")})
    lines = text.split("\r")
    note = next(n for n, line in enumerate(lines, 1) if line.startswith("# notes"))
    assert (note, at(found, "schema-reference")) == (4, [(2, 33)])
    assert at(found, "text-direction-control") == [(note, 9)]
