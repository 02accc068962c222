"""import of hostile journeys: what it writes is a map lint reads, and what lint will say of
it is said when it is written, at the journey's lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from in_process import jm_here


def test_controls_in_a_journey_are_said_at_their_line_as_lint_says_them(tmp_path: Path) -> None:
    """A NUL, a RIGHT-TO-LEFT OVERRIDE or an isolate in a journey went into the map without
    a word, and the map's first lint warned of a map just made (JM903, JM904). Lint warns
    of them, so import writes the map (as escapes, YAML that reads back) and warns too, at
    the journey's line and column, with lint's rule."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text(
        "journey\n  title Ti\u202etle\n  section A\u2066x\u2069B\n    Ta\x00sk: 3: me\x01\n    Ok: 3: me\n",
        "utf-8",
    )
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("j.mmd:")]
    assert said == [
        "j.mmd:2:11: JM903 [text-direction-control] warning: title: its text holds U+202E RIGHT-TO-LEFT "
        "OVERRIDE, an invisible control that shows the characters after it in another order: remove it",
        "j.mmd:3:12: JM903 [text-direction-control] warning: stages[0].name: its text holds U+2066 "
        "LEFT-TO-RIGHT ISOLATE, an invisible control that shows the characters after it in another "
        "order: remove it",
        "j.mmd:4:7: JM904 [text-control-character] warning: stages[0].steps[0].name: its text holds "
        "U+0000 NULL, a control character that pages do not show and terminals obey; it is shown as "
        "\\x00: remove it",
        "j.mmd:4:17: JM904 [text-control-character] warning: stages[0].steps[0].description: its text "
        "holds U+0001, a control character that pages do not show and terminals obey; it is shown as "
        "\\x01: remove it",
    ]
    written = (tmp_path / "maps" / "j.yaml").read_text("utf-8")
    assert "\x00" not in written and "\u202e" not in written  # as escapes: YAML that reads back
    assert yaml.safe_load(written)["title"] == "Ti\u202etle"
    lint = jm_here(tmp_path, "lint", "maps")
    assert lint.returncode == 0, lint.stdout  # warnings, not errors: a map lint accepts
    linted = re.findall(r"(JM90[34]) \[[a-z-]+\] warning: (\S+):", lint.stdout)
    assert linted == [
        (m[0], m[1]) for m in re.findall(r"(JM90[34]) \[[a-z-]+\] warning: (\S+):", result.stderr)
    ]


def test_controls_lint_is_told_to_leave_alone_are_not_said(tmp_path: Path) -> None:
    """As lint: a rule turned off in the settings says nothing on import either."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "journeymaps.toml").write_text('[rules]\ntext-control-character = "off"\n', "utf-8")
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Ta\x07sk: 3: me\n", "utf-8")
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    assert "JM904" not in result.stderr


@pytest.mark.parametrize(
    ("command", "out"), [("import", "maps/j.txt"), ("import", "maps/.j.yaml"), ("new", "maps/j.md")]
)
def test_a_map_is_not_written_where_lint_never_reads_it(tmp_path: Path, command: str, out: str) -> None:
    """-o maps/j.txt (or a hidden .j.yaml) was written, and "run journeymaps lint" then
    never read it: lint walks *.yaml and *.yml files only, hidden ones skipped."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Ask: 3: me\n", "utf-8")
    args = ("import", "j.mmd", "--id", "j") if command == "import" else ("new", "j")
    result = jm_here(tmp_path, *args, "-o", out)
    assert result.returncode != 0
    assert f"{out}: lint and build read only maps in files named *.yaml or *.yml, not hidden" in result.stderr
    assert "name it j.yaml (--output)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "maps").iterdir()) == []
    assert not (tmp_path / "schema").exists()


def test_what_is_not_kept_is_said_in_a_line_not_a_line_per_source_line(tmp_path: Path) -> None:
    """30,000 accTitle lines (or front matter keys) were each named: a 680 KB message."""
    (tmp_path / "maps").mkdir()
    front = "".join(f"k{i}: 1\n" for i in range(20))
    body = "  accTitle: x\n" * 30_000
    (tmp_path / "j.mmd").write_text(f"---\n{front}---\njourney\n{body}  section A\n    Ask: 3: me\n", "utf-8")
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    (said,) = [line for line in result.stdout.splitlines() if line.startswith("Not kept")]
    assert said == (
        "Not kept (a map has no place for them): "
        + "".join(f"front matter 'k{i}' (line {i + 2}), " for i in range(10))
        + "and 11 more."
    )
    (tmp_path / "k.mmd").write_text(f"journey\n{body}  section A\n    Ask: 3: me\n", "utf-8")
    kept = jm_here(tmp_path, "import", "k.mmd", "--id", "k")
    assert "Not kept (a map has no place for them): accTitle (lines 2, 3, 4 and 29,997 more)." in kept.stdout


@pytest.mark.parametrize(
    ("command", "out", "what"),
    [
        ("import", "maps/billing: refunds.yaml", "the file's name has ':'"),
        ("new", "maps/nul.yaml", "the file's name is 'nul' to Windows, a device"),
        ("import", "maps/x?/j.yaml", "the folder maps/x?/ has '?'"),
    ],
)
def test_a_map_is_not_written_under_a_name_lint_refuses(
    tmp_path: Path, command: str, out: str, what: str
) -> None:
    """-o 'maps/billing: refunds.yaml' was written, and lint's first word on the new map was
    a windows-reserved-name error; with the rule off, the name is the user's to choose."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Ask: 3: me\n", "utf-8")
    args = ("import", "j.mmd", "--id", "j") if command == "import" else ("new", "j")
    result = jm_here(tmp_path, *args, "-o", out)
    assert result.returncode != 0
    assert f"{out}: {what}" in result.stderr and "lint refuses it (windows-reserved-name)" in result.stderr
    assert list((tmp_path / "maps").iterdir()) == []
    (tmp_path / "journeymaps.toml").write_text('[rules]\nwindows-reserved-name = "off"\n', "utf-8")
    assert jm_here(tmp_path, *args, "-o", out).returncode == 0
    assert (tmp_path / out).is_file()


def test_a_byte_order_mark_starting_a_line_is_blank_as_to_mermaid(tmp_path: Path) -> None:
    """Two journeys' parts joined with cat, each saved with a BOM (Notepad): the second's
    "section B" was refused as "a task is 'Name: score: actors'" at a line that looks right;
    Mermaid reads the BOM as a blank."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "a.mmd").write_bytes(b"\xef\xbb\xbfjourney\n  section A\n    Ask: 3: me\n")
    (tmp_path / "b.mmd").write_bytes(b"\xef\xbb\xbf  section B\n    Pay: 2: me\n")
    (tmp_path / "j.mmd").write_bytes((tmp_path / "a.mmd").read_bytes() + (tmp_path / "b.mmd").read_bytes())
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "maps" / "j.yaml").read_text("utf-8"))
    assert [(s["name"], [t["name"] for t in s["steps"]]) for s in data["stages"]] == [
        ("A", ["Ask"]),
        ("B", ["Pay"]),
    ]


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ('"Checkout \\"fast\\" path"', 'Checkout "fast" path'),
        ("'It''s here' # from the wiki", "It's here"),
        ("Plain words # a comment", "Plain words"),
        ('"A\\ud800B"', "A\\ud800B"),  # a lone surrogate no file holds: kept as written
    ],
)
def test_a_front_matter_title_is_read_as_yaml_reads_it(tmp_path: Path, written: str, title: str) -> None:
    """Mermaid's front matter is YAML; import only stripped the quotes: a title's escapes kept
    their backslashes, 'It''s' its doubled quote, and a comment became part of the title."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text(
        f"---\ntitle: {written}\n---\njourney\n  section A\n    Ask: 3: me\n", "utf-8"
    )
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((tmp_path / "maps" / "j.yaml").read_text("utf-8"))["title"] == title


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_map_written_outside_the_maps_folders_is_said_so(tmp_path: Path, command: str) -> None:
    """-o notes/j.yaml was written with "then run journeymaps lint", and lint, reading the
    maps folders, passed without reading it."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Ask: 3: me\n", "utf-8")
    args = ("import", "j.mmd", "--id", "j") if command == "import" else ("new", "j")
    result = jm_here(tmp_path, *args, "-o", "notes/j.yaml")
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert (
        "It is outside the maps folders (maps/): lint and build read it only once it is moved there "
        "(or when lint is given its name)." in said
    ), said
    inside = jm_here(tmp_path, *args[:-1], "k", "-o", "maps/sub/k.yaml")
    assert inside.returncode == 0, inside.stderr
    assert "outside the maps folders" not in inside.stdout
