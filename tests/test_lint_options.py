"""What users of ruff and yamllint expect from lint: --statistics, --select/--ignore,
standard input for editors, GitHub annotations under Actions, --quiet, --force-exclude."""

from __future__ import annotations

import json
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BASE, TEAMS, jm, write_files
from in_process import jm_here

GOOD = textwrap.dedent(BASE).strip() + "\n"
# missing-owner (map), unvalidated-stage (two), unaddressed-pain-point
MESSY = (
    GOOD.replace("owner: support\nreviewed", "reviewed").replace(
        "    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n", ""
    )
    + "pain_points:\n  - {id: p, at: one, kind: process, summary: S}\n"
)


def lint(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``journeymaps lint ARGS`` run in this process (see :mod:`in_process`), for what the
    options make lint say; a terminal's encoding is a real process's (:func:`lint_process`)."""
    return jm_here(cwd, "lint", "--today", "2026-11-22", *args, env=env, stdin=stdin)


def lint_process(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``journeymaps lint ARGS`` in a process of its own, as a user runs it."""
    return jm(cwd, "lint", "--today", "2026-11-22", *args, env=env)


def test_statistics_count_findings_by_rule(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": MESSY})
    result = lint(tmp_path, "--statistics")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "    2  JM202  unvalidated-stage       warning",
        "    1  JM201  missing-owner           error",
        "    1  JM601  unaddressed-pain-point  warning",
    ]
    data = json.loads(lint(tmp_path, "--statistics", "--format", "json").stdout)
    assert data[0] == {"rule": "unvalidated-stage", "code": "JM202", "severity": "warning", "count": 2}
    wrong = lint(tmp_path, "--statistics", "--format", "sarif")
    assert wrong.returncode == 2 and "--statistics prints text or json" in wrong.stderr


def test_statistics_under_github_actions_print_the_table(tmp_path: Path) -> None:
    """`journeymaps lint --statistics` in a workflow step was exit 2, "choose --format text or
    --format json", an option the user never gave: auto chose annotations."""
    write_files(tmp_path / "maps", {"m.yaml": MESSY})
    result = lint(tmp_path, "--statistics", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == "    2  JM202  unvalidated-stage       warning"


def rules_found(cwd: Path, *args: str) -> list[str]:
    return [f["rule"] for f in json.loads(lint(cwd, "--format", "json", *args).stdout)["findings"]]


def test_select_and_ignore_by_name_code_or_prefix(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": MESSY, "broken.yaml": "id: [\n"})
    assert rules_found(tmp_path, "--select", "missing-owner") == ["yaml-syntax", "missing-owner"]
    assert rules_found(tmp_path, "--select", "Missing-Owner") == ["yaml-syntax", "missing-owner"]
    assert rules_found(tmp_path, "--select", "JM6,jm201") == [
        "yaml-syntax",
        "missing-owner",
        "unaddressed-pain-point",
    ]
    assert "unvalidated-stage" not in rules_found(tmp_path, "--ignore", "JM202")
    assert rules_found(tmp_path, "--select", "JM2", "--ignore", "unvalidated-stage") == [
        "yaml-syntax",
        "missing-owner",
    ]
    # a rule the settings turned off is checked again when selected on the command line
    (tmp_path / "journeymaps.toml").write_text("[rules]\nmissing-owner = 'off'\n")
    assert "missing-owner" not in rules_found(tmp_path)
    assert "missing-owner" in rules_found(tmp_path, "--select", "missing-owner")
    unknown = lint(tmp_path, "--select", "missing-ownr")
    assert unknown.returncode == 2 and "did you mean 'missing-owner'?" in unknown.stderr
    # A word of a rule's name, as a newcomer asks for it: only "run 'journeymaps rules'" before.
    word = lint(tmp_path, "--select", "owner")
    assert (
        word.returncode == 2
        and "--select owner: no rule has this name or code (did you mean 'missing-owner'?)" in word.stderr
    )
    several = lint(tmp_path, "--ignore", "stale").stderr
    assert (
        "--ignore stale: no rule has this name or code (rules named with it: stale-evidence, stale-map)"
        in several
    )
    fatal = lint(tmp_path, "--ignore", "yaml-syntax")
    assert fatal.returncode == 2 and "always reported" in fatal.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # an empty selector selected every rule, without a word (ruff refuses it)
        (
            ["--select", ""],
            "journeymaps: error: --select '': an empty rule name; give names, codes or code "
            "prefixes (e.g. missing-owner, JM201, JM2), comma-separated\n",
        ),
        (["--select", "JM2,,JM6"], "journeymaps: error: --select 'JM2,,JM6': an empty rule name"),
        (["--ignore", " "], "journeymaps: error: --ignore ' ': an empty rule name"),
        # it said "--ignore encoding: ...", naming a rule the user never wrote
        (
            ["--ignore", "JM"],
            "journeymaps: error: --ignore JM: it takes in yaml-syntax, encoding, duplicate-key, "
            "schema, unreadable-file, and a file that cannot be read, or that has duplicate keys or "
            "format errors, is always reported (nothing else in it is checked); ignore narrower codes "
            "(e.g. JM2)\n",
        ),
        (
            ["--ignore", "JM002"],
            "journeymaps: error: --ignore JM002: a file that cannot be read, or that has duplicate keys "
            "or format errors, is always reported (nothing else in it is checked)\n",
        ),
    ],
)
def test_an_empty_or_unignorable_selection_is_a_usage_error_in_the_words_given(
    tmp_path: Path, args: list[str], said: str
) -> None:
    write_files(tmp_path / "maps", {"m.yaml": MESSY})
    result = lint(tmp_path, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(said), result.stderr


#: A map with a format error (an unknown key), so checked no further, and an owner no team
#: list has: the error a pull request hid behind it.
UNCHECKED = GOOD.replace("reviewed:", "x_note: legacy\nreviewed:").replace("owner: product", "owner: nobody")


@pytest.mark.parametrize(
    ("settings", "args", "code", "said"),
    [
        ("", ["--ignore", "schema"], 2, "--ignore schema: a file that cannot be read, or that has"),
        ("", ["--select", "JM1"], 1, "JM004 [schema] error: unknown key 'x_note'"),
        ("[rules]\nschema = 'off'\n", [], 2, "rules: schema cannot be turned off or lowered"),
        ("[rules]\nschema = 'warning'\n", [], 2, "rules: schema cannot be turned off or lowered"),
        ("[per-file-ignores]\n'maps/*' = ['schema']\n", [], 2, "per-file-ignores: schema cannot be ignored"),
        ("[rules]\nyaml-syntax = 'off'\n", [], 2, "rules: yaml-syntax cannot be turned off or lowered"),
        ("", ["--inline"], 1, "JM004 [schema] error: unknown key 'x_note'"),
    ],
)
def test_a_map_checked_no_further_never_passes_as_checked(
    tmp_path: Path, settings: str, args: list[str], code: int, said: str
) -> None:
    """Silencing a format error (settings, --ignore, a comment) left its map checked no
    further, and lint said "All checks passed" over the owner no team list has; turning
    yaml-syntax off in the settings passed a file that is not YAML at all."""
    text = UNCHECKED
    if args == ["--inline"]:
        text, args = text.replace("x_note: legacy", "x_note: legacy  # journeymaps: ignore[schema] old"), []
    write_files(tmp_path / "maps", {"teams.yaml": TEAMS, "m.yaml": text})
    (tmp_path / "journeymaps.toml").write_text(settings)
    result = lint(tmp_path, *args)
    assert result.returncode == code, result.stdout
    assert said in result.stdout + result.stderr
    assert "All checks passed" not in result.stdout


def test_a_suppression_for_a_rule_not_selected_is_not_unused(tmp_path: Path) -> None:
    text = MESSY.replace("reviewed:", "# journeymaps: ignore[missing-owner] CX guild\nreviewed:")
    write_files(tmp_path / "maps", {"m.yaml": text})
    assert rules_found(tmp_path, "--select", "unused-suppression,JM6") == ["unaddressed-pain-point"]


def test_standard_input_with_a_filename_for_editors(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"teams.yaml": TEAMS, "m.yaml": GOOD})
    (tmp_path / "journeymaps.toml").write_text("[per-file-ignores]\n'maps/legacy/*' = ['missing-owner']\n")
    unsaved = GOOD.replace("owner: product", "owner: prodcut")  # what the editor holds, not the disk
    result = lint(tmp_path, "-", "--stdin-filename", "maps/m.yaml", stdin=unsaved)
    assert result.returncode == 1
    assert result.stdout.startswith("maps/m.yaml:13:12: JM103 [unknown-team] error: owner: team 'prodcut'")
    assert "(did you mean 'product'?)" in result.stdout and "1 file (1 map)" in result.stdout
    # A new file in a folder the settings treat differently: its name decides.
    legacy = lint(
        tmp_path, "-", "--stdin-filename", "maps/legacy/new.yaml", stdin=MESSY.replace("id: m\n", "id: n\n")
    )
    assert "missing-owner" not in legacy.stdout and "unvalidated-stage" in legacy.stdout
    anonymous = lint(tmp_path, "-", stdin="id: [\n")
    assert anonymous.stdout.startswith("-:1:5: JM001 [yaml-syntax] error: this '[' is never closed")
    mixed = lint(tmp_path, "-", "maps", stdin=GOOD)
    assert mixed.returncode == 2 and "cannot be combined" in mixed.stderr


def test_standard_input_without_a_name_does_not_judge_the_schema_comment(tmp_path: Path) -> None:
    """`cat map | journeymaps lint -` said the schema ../schema/... was missing (relative to
    the working folder's parent) and to run 'journeymaps schema --write ../schema', outside
    the project; with no file name, a relative reference points nowhere in particular."""
    write_files(tmp_path / "maps", {"teams.yaml": TEAMS, "m.yaml": GOOD})
    assert jm_here(tmp_path, "init").returncode == 0
    text = "# yaml-language-server: $schema=../schema/journey-map.schema.json\n" + GOOD
    assert "schema-reference" not in lint(tmp_path, "-", stdin=text).stdout
    named = lint(tmp_path, "-", "--stdin-filename", "maps/deeper/m.yaml", stdin=text)
    assert "JM104 [schema-reference]" in named.stdout  # named: judged from where it would be


def test_a_stdin_filename_without_dash_reads_standard_input_or_is_refused(tmp_path: Path) -> None:
    """As ruff's: --stdin-filename alone reads what the editor pipes in; beside other paths it
    is refused, where it was ignored (the files on disk linted, the piped text not)."""
    write_files(tmp_path / "maps", {"teams.yaml": TEAMS, "m.yaml": GOOD})
    unsaved = GOOD.replace("owner: product", "owner: prodcut")
    alone = lint(tmp_path, "--stdin-filename", "maps/m.yaml", stdin=unsaved)
    assert alone.returncode == 1
    assert alone.stdout.startswith("maps/m.yaml:13:12: JM103 [unknown-team] error: owner: team 'prodcut'")
    beside = lint(tmp_path, "maps", "--stdin-filename", "maps/m.yaml", stdin=unsaved)
    assert beside.returncode == 2 and "Traceback" not in beside.stderr
    assert "--stdin-filename names the file read from standard input" in beside.stderr


def test_github_annotations_under_github_actions(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": MESSY})
    on_actions = lint(tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert on_actions.stdout.startswith("::error file=maps/m.yaml,line=1,")
    assert lint(tmp_path).stdout.startswith("maps/m.yaml:1:1: JM201")
    forced = lint(tmp_path, "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert forced.stdout.startswith("maps/m.yaml:1:1: JM201")


def test_quiet_prints_the_findings_only(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    clean = lint(tmp_path, "--quiet")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    write_files(tmp_path / "maps", {"m.yaml": MESSY})
    assert jm_here(tmp_path, "baseline").returncode == 0
    write_files(tmp_path / "maps", {"n.yaml": MESSY.replace("id: m\n", "id: n\n")})
    noisy = lint(tmp_path, "-q", "--baseline", ".journeymaps-baseline.json")
    assert noisy.stderr == ""
    assert len(noisy.stdout.splitlines()) == 4 and all(
        line.startswith("maps/n.yaml:") for line in noisy.stdout.splitlines()
    )


def test_force_exclude_skips_files_outside_the_maps_folders(tmp_path: Path) -> None:
    write_files(tmp_path, {"maps/m.yaml": GOOD, ".github/workflows/ci.yml": "on: push\njobs: {}\n"})
    named = ["maps/m.yaml", ".github/workflows/ci.yml"]
    assert lint(tmp_path, *named).returncode == 1  # named: checked (and not a map)
    skipped = lint(tmp_path, "--force-exclude", *named)
    assert skipped.returncode == 0 and "All checks passed: 1 file (1 map)" in skipped.stdout


def test_a_map_named_where_a_linked_maps_folder_leads_is_checked_once(tmp_path: Path) -> None:
    """maps is a link to docs/journeys: git, and so pre-commit, name docs/journeys/m.yaml.
    --force-exclude skipped it as outside the maps folders (the hook passed an owner no team
    list has), and a plain lint read it twice, a duplicate-id of itself."""
    bad = GOOD.replace("owner: product", "owner: nobody")
    write_files(tmp_path / "docs" / "journeys", {"teams.yaml": TEAMS, "m.yaml": bad})
    (tmp_path / "maps").symlink_to(Path("docs") / "journeys")
    (tmp_path / "journeymaps.toml").write_text('paths = ["maps"]\n')
    for args in (["--force-exclude"], [], ["-", "--stdin-filename"]):
        stdin = bad if "-" in args else None
        result = jm_here(
            tmp_path, "lint", "--today", "2026-11-22", *args, "docs/journeys/m.yaml", stdin=stdin
        )
        assert result.returncode == 1, (args, result.stdout)
        assert result.stdout.startswith("maps/m.yaml:13:12: JM103 [unknown-team]"), (args, result.stdout)
        assert "duplicate-id" not in result.stdout, args


def test_force_exclude_skips_without_a_word_unless_verbose(tmp_path: Path) -> None:
    """pre-commit names every staged YAML file: a line per skipped file on every commit was
    noise. As with ruff's --force-exclude, the skipping is silent; -v names them."""
    write_files(
        tmp_path,
        {
            "maps/m.yaml": GOOD,
            "maps/drafts/d.yaml": MESSY,
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            "journeymaps.toml": 'exclude = ["maps/drafts/*"]\n',
        },
    )
    named = ["maps/m.yaml", "maps/drafts/d.yaml", ".github/workflows/ci.yml"]
    skipped = lint(tmp_path, "--force-exclude", *named)
    assert (skipped.returncode, skipped.stderr) == (0, "")
    verbose = lint(tmp_path, "--force-exclude", "-v", *named)
    assert verbose.stderr.splitlines() == [
        "maps/drafts/d.yaml: skipped, excluded by the settings (exclude)",
        ".github/workflows/ci.yml: skipped, outside the maps folders (--force-exclude)",
    ]
    assert lint(tmp_path, "-q", "-v", "--force-exclude", *named).stderr == ""


def test_a_named_file_the_settings_exclude_is_said_to_be_skipped(tmp_path: Path) -> None:
    """It said "All checks passed: 0 files", as if the file had been checked and was clean."""
    write_files(tmp_path, {"maps/drafts/d.yaml": MESSY, "journeymaps.toml": 'exclude = ["maps/drafts/*"]\n'})
    result = lint(tmp_path, "maps/drafts/d.yaml")
    assert result.returncode == 0
    assert result.stderr == "maps/drafts/d.yaml: skipped, excluded by the settings (exclude)\n"
    assert result.stdout == "Nothing to check: 0 files.\n"  # not "All checks passed: 0 files (0 maps)."
    assert lint(tmp_path, "maps").stderr == ""  # a folder: its excluded files are not news


def test_a_terminal_that_is_not_utf8_gets_every_finding(tmp_path: Path) -> None:
    """A finding quoting a character the terminal's encoding lacks (a Windows console's
    cp1252) ended the run in "internal error: UnicodeEncodeError", the findings after it
    unprinted: the character is written as an escape instead."""
    write_files(tmp_path / "maps", {"m.yaml": "id: ☃-map\ntitle: x\n"})
    result = lint_process(tmp_path, env={"PYTHONIOENCODING": "cp1252"})
    assert (result.returncode, result.stderr) == (1, "")
    assert "maps/m.yaml:1:5: JM004 [schema] error: id: '\\u2603-map' is not a valid id" in result.stdout
    assert "\nFound 2 errors, 0 warnings, 0 infos in 1 file (1 map).\n" in result.stdout
    # JSON there is all ASCII: its data exact (the escapes were invalid JSON, "→" became "->")
    for fmt in ("json", "sarif", "gitlab"):
        data = lint_process(tmp_path, "--format", fmt, env={"PYTHONIOENCODING": "cp1252"})
        assert data.stdout.isascii(), fmt
        assert "'☃-map' is not a valid id" in json.dumps(json.loads(data.stdout), ensure_ascii=False), fmt
    # JUnit there is ASCII too, with character references any XML reader turns back (it
    # wrote the Python escape "\u2603", which a JUnit reader shows as those six characters)
    junit = lint_process(tmp_path, "--format", "junit", env={"PYTHONIOENCODING": "cp1252"})
    assert junit.stdout.isascii() and "\\u2603" not in junit.stdout
    messages = [e.get("message") for e in ET.fromstring(junit.stdout.encode()).iter("error")]
    assert (
        "id: '☃-map' is not a valid id: use lowercase letters, digits and single hyphens, e.g. 'map'"
        in messages
    )


def test_a_file_held_back_by_its_format_errors_is_said_to_be_checked_further_once_fixed(
    tmp_path: Path,
) -> None:
    """A newcomer fixed "Found 3 errors" (the format's) and met a missing owner and a broken
    reference next, in a second round nothing had announced: the rules past the format do
    not run on a file that does not follow it, and the summary now says so, naming it."""
    broken = "id: m\ntitle: T\nreviewed: 2026-11-01\nstages:\n  - {id: a, nme: A}\n"
    write_files(tmp_path / "maps", {"m.yaml": broken, "ok.yaml": BASE.replace("id: m\n", "id: ok\n", 1)})
    result = lint(tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        "1 file (maps/m.yaml) checked no further than its YAML or format errors: references, "
        "owners and the other rules check it once these are fixed."
    )
    fixed = broken.replace("nme: A", "name: A")
    write_files(tmp_path / "maps", {"m.yaml": fixed})
    again = lint(tmp_path)
    assert "JM201 [missing-owner]" in again.stdout  # the next round, as it said
    assert "checked no further" not in again.stdout


def test_a_mistyped_path_is_not_said_to_have_yaml_or_format_errors(tmp_path: Path) -> None:
    """`journeymaps lint maps/m.yml` (for m.yaml) said the file was "checked no further than
    its YAML or format errors", which it has none of: it is not there."""
    write_files(tmp_path / "maps", {"m.yaml": BASE})
    result = lint(tmp_path, "maps/m.yml")
    assert result.returncode == 1
    assert "maps/m.yml:1:1: JM005 [unreadable-file] error: cannot read file: No such file" in result.stdout
    assert "checked no further" not in result.stdout


def test_a_map_copied_from_another_folder_is_pointed_at_the_schema_copy_there_is(tmp_path: Path) -> None:
    """A map copied from maps/support/ to maps/ kept "../../schema/...": lint said to run
    'journeymaps schema --write ../schema', which wrote the schemas outside the repository.
    The project's copy is there: the comment is to point at it."""
    assert jm_here(tmp_path, "init").returncode == 0
    text = (tmp_path / "maps" / "first-journey.yaml").read_text()
    moved = text.replace("../schema/journey-map.schema.json", "../../schema/journey-map.schema.json", 1)
    (tmp_path / "maps" / "first-journey.yaml").write_text(moved)
    said = lint(tmp_path).stdout
    assert (
        "maps/first-journey.yaml:1:33: JM104 [schema-reference] warning: the schema "
        "../../schema/journey-map.schema.json does not exist, so editors show no completion: "
        "point the comment at ../schema/journey-map.schema.json, this version's copy"
    ) in said
    assert "--write" not in said
