"""Broken files give one clear finding each, with a line, exit 1, no traceback, and the rest
of the folder is still checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_files
from in_process import jm_here
from journeymaps.loader import PARSERS, Source, from_bytes, parse

GOOD = """\
id: good-map
title: A map that is fine
owner: support
reviewed: 2026-11-20
persona: {name: Admin}
stages:
  - id: only
    name: Only stage
    owner: support
    evidence: [{source: zendesk, kind: tickets}]
"""

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(20)
)

CASES: dict[str, tuple[bytes, str, int, str]] = {
    # name: (content, rule, line, message fragment)
    "syntax": (b"id: x\ntitle: [unclosed\nstages: []\n", "yaml-syntax", 2, ""),  # where it opened
    "tabs": (b"id: x\nstages:\n\t- id: a\n", "yaml-syntax", 3, "tabs"),
    "wrong-type": (b"id: x\ntitle: T\nstages: nope\n", "schema", 3, "expected a list, got 'nope'"),
    "empty": (b"", "schema", 1, "the file is empty"),
    "list-root": (b"- a\n- b\n", "schema", 1, "expected a mapping"),
    "bad-utf8": (b"id: x\ntitle: caf\xe9\n", "encoding", 2, "UTF-8"),
    "utf16": ("id: x\n".encode("utf-16"), "encoding", 1, "UTF-16"),
    # was "file is UTF-16" (its BOM starts as UTF-16's), and without BOMs "a NUL character"
    "utf32": ("id: x\n".encode("utf-32"), "encoding", 1, "file is UTF-32; save it as UTF-8"),
    "utf32-be": ("id: x\n".encode("utf-32-be"), "encoding", 1, "file is UTF-32; save it as UTF-8"),
    "utf16-no-bom": ("id: x\n".encode("utf-16-le"), "encoding", 1, "file is UTF-16; save it as UTF-8"),
    "utf16-be-no-bom": ("id: x\n".encode("utf-16-be"), "encoding", 1, "file is UTF-16; save it as UTF-8"),
    "duplicate": (b"id: x\ntitle: T\nid: y\nstages: []\n", "duplicate-key", 3, "duplicate key 'id'"),
    "bomb": (BOMB.encode(), "yaml-syntax", 1, "anchor"),
    "two-docs": (b"id: x\n---\nid: y\n", "yaml-syntax", 2, "'---' starts a second YAML document, and a file"),
    "python-tag": (b"id: !!python/object/apply:os.system [ls]\n", "yaml-syntax", 1, "tag"),
    # was "'<<<<<<< HEAD' has no ':' where a key is expected: write the key, ': ', then its value"
    "conflict": (
        b"id: x\n<<<<<<< HEAD\ntitle: A\n=======\ntitle: B\n>>>>>>> feature\nstages: []\n",
        "yaml-syntax",
        2,
        "'<<<<<<< HEAD' is a git conflict marker: a merge left both sides of a change in this file",
    ),
    "conflict-in-a-list": (
        b"id: x\nstages:\n  - id: a\n<<<<<<< HEAD\n    name: A\n=======\n    name: B\n>>>>>>> f\n",
        "yaml-syntax",
        4,
        "git conflict marker",
    ),
    "deep": (b"a: " + b"[" * 3000 + b"]" * 3000 + b"\n", "yaml-syntax", 1, "nested too deeply"),
}


def lint_json(cwd: Path, *args: str) -> tuple[int, dict, str]:
    """Run the installed command in a subprocess, as CI would."""
    proc = subprocess.run(
        [sys.executable, "-m", "journeymaps", "lint", "--format", "json", "--today", "2026-11-22", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def lint_here(cwd: Path, *args: str) -> tuple[int, dict, str]:
    """:func:`lint_json` run in this process (see :mod:`in_process`), for files whose
    findings are the point. Those that could hang a run, read without end or recurse without
    end (an alias bomb, a FIFO, /dev/zero, deep nesting) keep ``lint_json``'s process and its
    timeout: a hang fails the test, and a crash is that process's, not the test run's."""
    result = jm_here(cwd, "lint", "--format", "json", "--today", "2026-11-22", *args)
    return result.returncode, json.loads(result.stdout), result.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_gives_one_finding_and_the_rest_is_checked(tmp_path: Path, name: str) -> None:
    content, rule, line, fragment = CASES[name]
    write_files(tmp_path / "maps", {f"{name}.yaml": content, "good.yaml": GOOD})
    code, out, err = (lint_json if name in ("bomb", "deep") else lint_here)(tmp_path)
    assert code == 1
    assert "Traceback" not in err and err == ""
    broken = [f for f in out["findings"] if f["file"] == f"maps/{name}.yaml"]
    assert broken, out
    first = broken[0]
    assert (first["rule"], first["line"]) == (rule, line), first
    assert fragment in first["message"]
    assert first["column"] >= 1
    # The good map was still checked: it is counted and has no findings.
    assert out["summary"]["files"] == 2
    assert not [f for f in out["findings"] if f["file"] == "maps/good.yaml"]


TABBED = """\
id: tabbed
title: Indented with tabs here and there
owner: support
stages:
  - id: only
    name: Only stage
    owner: support
    description: |
      Logs, pasted:
      \tkept as written (a tab inside a block of text is text)
    steps:
\t- id: first
\t  name: First step
  - id: second
  \tname: Second stage
"""


def test_every_line_indented_with_a_tab_is_a_finding_in_one_run(tmp_path: Path) -> None:
    """YAML stops at the first tab, so a map indented with tabs got one finding a run and a
    newcomer fixed them one run at a time. Each tab-indented line is a finding at its tab,
    in one run, and nothing that only follows from them; a tab inside a block of text is
    not one."""
    write_files(tmp_path / "maps", {"tabbed.yaml": TABBED})
    result = jm_here(tmp_path, "lint", "--today", "2026-11-22")
    assert result.returncode == 1, result.stderr
    said = " JM001 [yaml-syntax] error: this line is indented with a tab (YAML does not allow tabs for indentation; use spaces)"
    assert [ln for ln in result.stdout.splitlines() if ln.startswith("maps/")] == [
        f"maps/tabbed.yaml:12:1:{said}",
        f"maps/tabbed.yaml:13:1:{said}",
        f"maps/tabbed.yaml:15:3:{said}",
    ]
    assert "Found 3 errors" in result.stdout
    write_files(tmp_path / "maps", {"tabbed.yaml": TABBED.replace("\t", "  ").replace("  kept", "\tkept")})
    fixed = jm_here(tmp_path, "lint", "--today", "2026-11-22")
    assert "JM001" not in fixed.stdout, fixed.stdout  # the tab in the block of text was never one
    one = TABBED.replace("\t- id: first\n\t  name", "  - id: first\n    name").replace("  \tname", "    name")
    write_files(tmp_path / "maps", {"tabbed.yaml": one.replace("  - id: first", "\t- id: first")})
    once = jm_here(tmp_path, "lint", "--today", "2026-11-22")
    assert (once.returncode, [ln for ln in once.stdout.splitlines() if ln.startswith("maps/")]) == (
        1,
        [f"maps/tabbed.yaml:12:1:{said}"],
    )


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_tabs_are_found_whichever_parser_runs(parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each parser decides which tabs it refuses (libyaml allows one in a flow list, the
    pure-Python parser does not); a file indented with tabs throughout is searched to the
    end, or to the limit on the search, which the last finding names."""
    from journeymaps import tab_indents

    text = "id: m\nlist: [a,\n\tb]\nstages:\n" + "".join(f"\t- id: s{n}\n\t  name: S\n" for n in range(100))
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    parse(src, parser)
    flow = [(3, 1)] if parser == "python" else []
    assert [(p.span.line, p.span.column) for p in src.problems] == flow + [(n, 1) for n in range(5, 205)]
    assert {p.message for p in src.problems} == {tab_indents.TAB_INDENT}
    monkeypatch.setattr(tab_indents, "TAB_SEARCH_LIMIT", 1000)
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    parse(src, parser)
    assert 1 < len(src.problems) < 50
    assert src.problems[-1].message == tab_indents.TAB_INDENT + tab_indents.TAB_SEARCH_STOPPED


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"bomb.yaml": BOMB})
    code, out, _ = lint_json(tmp_path)  # its timeout fails the test: expansion would never end
    assert code == 1
    assert {f["rule"] for f in out["findings"]} == {"yaml-syntax"}


def test_bom_is_accepted(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"bom.yaml": b"\xef\xbb\xbf" + GOOD.encode()})
    code, out, _ = lint_here(tmp_path)
    assert (code, out["findings"]) == (0, [])


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    (tmp_path / "maps" / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    (finding,) = out["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == ("unreadable-file", "maps/dangling.yaml", 1)
    assert finding["message"] == f"the file is a link to {tmp_path / 'nowhere.yaml'}, which does not exist"


def test_a_named_file_that_is_not_there_is_a_finding(tmp_path: Path) -> None:
    """A file named on the command line that is gone (a script passing a deleted file): a
    finding at file:1:1 and exit 1, as ruff reports it, the other files still checked (was
    click's usage error, exit 2, without a rule or a position, and nothing was checked)."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    code, out, err = lint_here(tmp_path, "maps/good.yaml", "maps/deleted.yaml")
    assert (code, err) == (1, "")
    (finding,) = out["findings"]
    assert (finding["rule"], finding["file"], finding["line"], finding["column"]) == (
        "unreadable-file",
        "maps/deleted.yaml",
        1,
        1,
    )
    assert "No such file" in finding["message"]
    assert out["summary"]["files"] == 2


def test_yaml_11_surprises_do_not_change_types(tmp_path: Path) -> None:
    # 'no' stays text, so a boolean key given 'yes' is a schema error with a hint, and a
    # base-60 looking value stays text.
    text = GOOD.replace("    name: Only stage\n", "    name: Only stage\n    end: yes\n")
    write_files(tmp_path / "maps", {"m.yaml": text})
    code, out, _ = lint_here(tmp_path)
    assert code == 1
    (finding,) = out["findings"]
    assert finding["rule"] == "schema"
    assert (finding["line"], finding["column"]) == (9, 10)
    assert "write true or false" in finding["message"]


# Year 0000 is a date to JSON Schema's RFC 3339 but not to Python: it was an internal error.
@pytest.mark.parametrize("day", ["2026-02-30", "0000-01-01"])
def test_dates_stay_text_and_are_checked_as_dates(tmp_path: Path, day: str) -> None:
    text = GOOD.replace("reviewed: 2026-11-20", f"reviewed: {day}")
    write_files(tmp_path / "maps", {"m.yaml": text})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    (finding,) = out["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("schema", 4, 11)
    assert f"'{day}' is not a valid date" in finding["message"]


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2026-13-01", "there is no month 13 (YYYY-MM-DD: the month comes before the day)"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("01/12/2026", "(YYYY-MM-DD)"),
    ],
)
def test_a_date_in_the_right_form_says_what_is_wrong_with_it(tmp_path: Path, day: str, why: str) -> None:
    """'2026-13-01' is not a valid date (YYYY-MM-DD)" told a user who wrote YYYY-DD-MM the
    form they thought they had followed."""
    write_files(tmp_path / "maps", {"m.yaml": GOOD.replace("reviewed: 2026-11-20", f"reviewed: {day}")})
    _, out, _ = lint_here(tmp_path)
    (finding,) = out["findings"]
    assert finding["message"] == f"reviewed: '{day}' is not a valid date{'' if why[0] == '(' else ':'} {why}"


def test_an_id_ending_in_a_line_break_is_not_an_id(tmp_path: Path) -> None:
    # Python's `$` matches before a final line break, JSON Schema's (ECMA 262) does not: such
    # an id passed as valid and the site got a page named "good-map\n.html".
    write_files(tmp_path / "maps", {"m.yaml": GOOD.replace("id: good-map", 'id: "good-map\\n"')})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    (finding,) = out["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("schema", 1, 5)
    assert "is not a valid id" in finding["message"]


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("!!str 5", "5"),
        ("!!str true", "true"),
        ("!!str 0x10", "0x10"),
        ("!!str", ""),
        ("! '5'", "5"),  # quoted, with the non-specific tag: text, as it was
        ("! 5", "5"),  # plain, with the non-specific tag: text too (it was the number 5)
        ("! -1.5", "-1.5"),
        ("! 0x10", "0x10"),
        ("! true", "true"),
        ("! ~", "~"),
        ("!", ""),  # the pure-Python parser read null, libyaml ""
        ("!   7 # a comment", "7"),
        ('! "true"', "true"),
        ("!<tag:yaml.org,2002:str> 5", "5"),
        ('!!int "5"', 5),
        ("!!float 1", 1.0),
        ('!!float "1.5"', 1.5),
        ('!!bool "false"', False),
        ('!!null ""', None),
        ("!!null ~", None),
    ],
)
def test_an_explicit_tag_is_honoured(parser: str, written: str, value: object) -> None:
    # A tag says what the value is: '!!str 5' was read as the number 5 (the loader could not
    # tell it from a plain 5), and a text field got "expected text, got 5".
    src = Source(Path("m.yaml"), "m.yaml", text=f"k: {written}\n")
    parse(src, parser)
    assert src.problems == []
    assert src.data == {"k": value}
    assert type(src.data["k"]) is type(value)


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("!!int true", "'true' is tagged !!int but is not a whole number"),
        ("!!float x", "'x' is tagged !!float but is not a number"),
        ("!!bool yes", "'yes' is tagged !!bool but is not true or false"),
        ("!!null x", "'x' is tagged !!null but is not null"),
        ("!foo x", "YAML tag '!foo' is not supported in journey maps; remove the tag"),
        ("!!binary aGk=", "YAML tag '!!binary' is not supported"),
        ("!!map x", "YAML tag '!!map' cannot be on a text"),
        ("!!str {a: 1}", "YAML tag '!!str' cannot be on a mapping"),
        ("!!map [1]", "YAML tag '!!map' cannot be on a list"),
    ],
)
def test_a_tag_the_value_does_not_fit_is_a_finding_at_the_value(
    parser: str, written: str, words: str
) -> None:
    # '!!int true' was read as true, '!!str {a: 1}' and '!!map [1]' were accepted as they
    # were written, without a word.
    src = Source(Path("m.yaml"), "m.yaml", text=f"k: {written}\n")
    parse(src, parser)
    (problem,) = src.problems
    assert (problem.rule, problem.span.line, problem.span.column) == ("yaml-syntax", 1, 4)
    assert words in problem.message


def test_a_tagged_value_is_linted_as_what_its_tag_says(tmp_path: Path) -> None:
    write_files(
        tmp_path / "maps",
        {
            "str.yaml": GOOD.replace("title: A map that is fine", "title: !!str 2026"),
            "foo.yaml": GOOD.replace("id: good-map", "id: foo-map").replace(
                "    owner: support", "    owner: !foo support"
            ),
        },
    )
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    assert [(f["file"], f["line"], f["column"], f["rule"]) for f in out["findings"]] == [
        ("maps/foo.yaml", 9, 12, "yaml-syntax")
    ]
    assert "YAML tag '!foo' is not supported in journey maps" in out["findings"][0]["message"]


def test_the_non_specific_tag_makes_a_number_text(tmp_path: Path) -> None:
    """In YAML, '!' on a plain value forces text: ``emotion: ! 2`` read as the number 2 and
    linted clean, where YAML (and any other tool reading the map) sees the text "2". The
    hint names the tag to remove (it said "remove the quotes" of a value without any)."""
    stage = "    owner: support\n"
    write_files(
        tmp_path / "maps",
        {
            "a.yaml": GOOD.replace(stage, stage + "    emotion: ! -2\n"),
            "b.yaml": GOOD.replace("good-map", "b-map").replace(stage, stage + "    emotion: !!str -2\n"),
        },
    )
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    expected = "stages[0].emotion: expected a whole number, got '-2' (remove the '{}' tag if it is a number)"
    assert [(f["file"], f["line"], f["column"], f["message"]) for f in out["findings"]] == [
        ("maps/a.yaml", 10, 14, expected.format("!")),
        ("maps/b.yaml", 10, 14, expected.format("!!str")),
    ]


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("!foo owner: x", "YAML tag '!foo' is not supported in journey maps; remove the tag (a key is text)"),
        ("!!int owner: x", "YAML tag '!!int' cannot be on a key; remove the tag (a key is text)"),
        ("!!null : x", "YAML tag '!!null' cannot be on a key"),
        ("x: {!!python/name:os.system owner: x}", "YAML tag '!!python/name:os.system' is not supported"),
    ],
)
def test_a_tag_on_a_key_is_a_finding_at_the_key(parser: str, written: str, words: str) -> None:
    # A key's tag was ignored: '!foo owner: x' read as 'owner: x' without a word, where
    # '!foo' on the value is refused.
    src = Source(Path("m.yaml"), "m.yaml", text=f"k: 1\n{written}\n")
    parse(src, parser)
    (problem,) = src.problems
    assert (problem.rule, problem.span.line) == ("yaml-syntax", 2)
    assert words in problem.message
    for fine in ("!!str owner: x", "'owner': x", "! owner: x"):
        src = Source(Path("m.yaml"), "m.yaml", text=f"{fine}\n")
        parse(src, parser)
        assert (src.problems, src.data) == ([], {"owner": "x"}), fine


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_a_tagged_number_too_long_to_read_is_one_finding(parser: str) -> None:
    # '!!int 999...' (5,000 digits) was also said to be "not a whole number".
    src = Source(Path("m.yaml"), "m.yaml", text=f"k: !!int {'9' * 5000}\n")
    parse(src, parser)
    assert [p.message for p in src.problems] == [
        "a number of 5,000 digits is too long to read; write a smaller number"
    ]


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"\r\x00# a comment\n", 2, 1),
        (b"id: m\rtitle: T\rgoal: a\x1bb\r", 3, 8),
        (b"id: m\r\ntitle: \x07\r\n", 2, 8),
        (b"id: m\rtitle: T\rgoal: caf\xe9\r", 3, 10),
    ],
)
def test_a_refused_character_in_a_file_of_cr_line_ends_is_on_its_line(
    raw: bytes, line: int, column: int
) -> None:
    # A control character or a byte that is not UTF-8 was placed by counting LF only: in a
    # file with CR line ends (old Mac editors, some exports) always on line 1, past its end.
    (problem,) = from_bytes(Path("m.yaml"), "m.yaml", raw).problems
    assert (problem.span.line, problem.span.column) == (line, column), problem
