"""Settings: severities, per-file ignores, cadence, and clear errors for bad settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import BASE, ROOT, TEAMS, jm, write_files
from cpu_bounded import jm_cpu_bounded, run_cpu_bounded
from in_process import jm_here

NO_EVIDENCE = BASE.replace("    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n", "", 1)


def test_severity_can_be_raised_lowered_or_turned_off(project) -> None:
    found = project({"m.yaml": NO_EVIDENCE, "../journeymaps.toml": '[rules]\nunvalidated-stage = "error"\n'})
    assert [(d.rule, d.severity.value) for d in found] == [("unvalidated-stage", "error")]
    found = project({"m.yaml": NO_EVIDENCE, "../journeymaps.toml": '[rules]\nunvalidated-stage = "off"\n'})
    assert found == []


def test_per_file_ignores(project) -> None:
    settings = '[per-file-ignores]\n"maps/legacy/*.yaml" = ["unvalidated-stage"]\n'
    found = project(
        {
            "legacy/old.yaml": NO_EVIDENCE,
            "new.yaml": NO_EVIDENCE.replace("id: m\n", "id: n\n"),
            "../journeymaps.toml": settings,
        }
    )
    assert [(d.file, d.rule) for d in found] == [("maps/new.yaml", "unvalidated-stage")]


def test_settings_in_pyproject(project) -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.journeymaps.rules]\nunvalidated-stage = "off"\n'
    assert project({"m.yaml": NO_EVIDENCE, "../pyproject.toml": pyproject}) == []


def test_paths_setting_picks_the_maps_folder(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "journeys/m.yaml": textwrap.dedent(NO_EVIDENCE).strip() + "\n",
            "journeymaps.toml": 'paths = ["journeys"]\n',
        },
    )
    result = jm_here(tmp_path, "lint", "--format", "json", "--today", "2026-11-22")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in findings] == [("journeys/m.yaml", "unvalidated-stage")]


def test_lint_of_a_projects_maps_from_another_folder_uses_the_projects_settings(tmp_path: Path) -> None:
    # As ruff: the settings are the nearest above the maps named, not above the current
    # folder. The examples' persona photo is relative to the project: found, exit 0.
    result = jm_here(tmp_path, "lint", "--format", "json", "--today", "2026-11-22", str(ROOT / "maps"))
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [f for f in findings if f["rule"] == "persona-photo"] == []
    # The measured KPIs come from the project's snapshots ([measure] metrics in its settings).
    assert any(f["rule"] == "kpi-off-target" and "in 2026-10" in f["message"] for f in findings)


def test_build_of_a_projects_maps_from_another_folder_uses_the_projects_settings(tmp_path: Path) -> None:
    result = jm(tmp_path, "build", str(ROOT / "maps"), "-o", "site")
    assert result.returncode == 0, result.stdout + result.stderr
    portfolio = (tmp_path / "site" / "portfolio.html").read_text("utf-8")
    assert "$64,800" in portfolio  # cost-per-contact = 12 in the project's pyproject.toml
    assert "no cost of inaction" not in portfolio
    assert list((tmp_path / "site" / "personas").glob("*.png"))  # the photo, relative to the project


def test_standard_input_takes_the_settings_of_its_stdin_filename(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_files(project, {"journeymaps.toml": '[rules]\nunvalidated-stage = "off"\n', "maps/.keep": ""})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    text = textwrap.dedent(NO_EVIDENCE).strip() + "\n"
    args = ("lint", "--format", "json", "--today", "2026-11-22", "-")
    named = jm_here(elsewhere, *args, "--stdin-filename", str(project / "maps" / "m.yaml"), stdin=text)
    assert (named.returncode, json.loads(named.stdout)["findings"]) == (0, [])
    unnamed = jm_here(elsewhere, *args, stdin=text)
    assert [f["rule"] for f in json.loads(unnamed.stdout)["findings"]] == ["unvalidated-stage"]


@pytest.mark.parametrize("name", ["", "x/..", "maps/x/../support"])
def test_a_stdin_filename_that_is_a_folder_is_a_usage_error(tmp_path: Path, name: str) -> None:
    """It named the folder, and what standard input held was checked as the folder's first
    file (maps/personas.yaml, say): its findings landed on a file the editor never sent."""
    write_files(tmp_path / "maps", {"support/m.yaml": BASE, "personas.yaml": "personas: []\n"})
    result = jm_here(tmp_path, "lint", "--format", "json", "--stdin-filename", name, "-", stdin="id: [\n")
    assert result.returncode == 2, result.stdout
    # "" as every empty path option (an unset variable), the others as the folder they are
    said = "'--stdin-filename': an empty path" if name == "" else "--stdin-filename: a folder, not a file"
    assert said in result.stderr


def test_maps_outside_any_project_take_the_current_folders_settings(tmp_path: Path) -> None:
    write_files(tmp_path, {"journeymaps.toml": '[rules]\nunvalidated-stage = "off"\n'})
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    write_files(outside, {"m.yaml": textwrap.dedent(NO_EVIDENCE).strip() + "\n"})
    result = jm_here(tmp_path, "lint", "--format", "json", "--today", "2026-11-22", str(outside / "m.yaml"))
    assert (result.returncode, json.loads(result.stdout)["findings"]) == (0, [])


def test_maps_of_two_projects_in_one_run_are_refused(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_files(
            tmp_path / name, {"journeymaps.toml": "", "maps/m.yaml": textwrap.dedent(BASE).strip() + "\n"}
        )
    result = jm(tmp_path, "build", "a/maps", "b/maps", "-o", "site")
    assert result.returncode == 2
    assert result.stderr.startswith("b/journeymaps.toml:1:1: JM007 [invalid-settings] error: b/maps is in ")
    assert "another project than a/maps (settings a/journeymaps.toml)" in result.stderr
    assert "--config" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    # Named with --config, one set of settings applies to both.
    both = jm_here(tmp_path, "lint", "--config", "a/journeymaps.toml", "a/maps", "b/maps")
    assert "invalid-settings" not in both.stdout + both.stderr


def _settings_error(tmp_path: Path, toml: str, fmt: str = "json") -> tuple[int, dict]:
    write_files(tmp_path, {"maps/m.yaml": textwrap.dedent(BASE).strip() + "\n", "journeymaps.toml": toml})
    result = jm_here(tmp_path, "lint", "--format", fmt)  # about the finding: in this process
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout) if fmt == "json" else {"text": result.stdout}


def test_unknown_setting_is_exit_2_with_a_position(tmp_path: Path) -> None:
    code, out = _settings_error(tmp_path, 'paths = ["maps"]\nreview-cadence = 30\n')
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == ("invalid-settings", "journeymaps.toml", 2)
    assert "unknown key 'review-cadence' (did you mean 'review-cadence-days'?)" in finding["message"]


def test_every_unknown_setting_is_reported_in_one_run(tmp_path: Path) -> None:
    """A newcomer's settings file with three typos: all three at once, each with the closest
    key, in lint's output and on stderr for the other commands (before: only the first)."""
    toml = (
        'paths = ["maps"]\nreview-cadence = 30\ncurency = "€"\n'
        '[business-calendar]\nhour = "08:00-16:00"\n[rules]\nstale-maps = "off"\n'
    )
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    assert [(f["line"], f["message"]) for f in out["findings"]] == [
        (2, StartsWith("unknown key 'review-cadence' (did you mean 'review-cadence-days'?)")),
        (3, StartsWith("unknown key 'curency' (did you mean 'currency'?)")),
        (
            5,
            "unknown key 'hour' in business-calendar (did you mean 'hours'?); allowed here: days, hours, holidays",
        ),
        (7, "rules: unknown rule 'stale-maps' (did you mean 'stale-map'?)"),
    ]
    result = jm(tmp_path, "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [line.split(" error: ")[0] for line in result.stderr.splitlines() if "JM007" in line] == [
        f"journeymaps.toml:{n}:1: JM007 [invalid-settings]" for n in (2, 3, 5, 7)
    ]


def test_a_settings_error_is_at_its_own_table_not_the_first_key_of_that_name(tmp_path: Path) -> None:
    """Every source has a `path`: an error in the second one's pointed at the first one's line."""
    toml = (
        'paths = ["maps"]\n[sources.zendesk]\npreset = "zendesk"\npath = "z/*.csv"\ntimezone = "UTC"\n'
        '[sources.ces]\nkind = "survey"\nsurvey = "ces"\npath = 3\ntimezone = "UTC"\ntickets = "zendesk"\n'
    )
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    assert [(f["line"], f["message"].split(":")[0]) for f in out["findings"]] == [(9, "sources.ces.path")]
    pyproject = '[tool.journeymaps]\npaths = ["maps"]\n[tool.journeymaps.sources.a]\npath = "a.csv"\n'
    pyproject += "timezone = 'UTC'\n[tool.journeymaps.sources.b]\ntimezone = 'UTC'\npath = 5\n"
    write_files(tmp_path, {"pyproject.toml": pyproject})
    result = jm_here(tmp_path, "lint", "--format", "json", "--config", "pyproject.toml")
    assert [(f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]] == [(8, 8)]  # the 5


class StartsWith(str):
    """Equal to any text that starts with it (the allowed keys follow the suggestion)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(str(self))

    __hash__ = str.__hash__


@pytest.mark.parametrize(
    ("toml", "line"), [('[tool]\njourneymaps = "x"\n', 2), ("[[tool.journeymaps]]\npaths = []\n", 1)]
)
def test_a_tool_journeymaps_that_is_not_a_table_is_invalid_settings(
    tmp_path: Path, toml: str, line: int
) -> None:
    """It was 'internal error: AttributeError: 'str' object has no attribute 'get''."""
    write_files(tmp_path, {"pyproject.toml": toml, "maps/m.yaml": BASE})
    result = jm_here(tmp_path, "lint", "--format", "json", "--config", "pyproject.toml")
    assert result.returncode == 2, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"]) == ("invalid-settings", line)
    assert finding["message"] == "[tool.journeymaps] must be a table of settings"
    # A pyproject.toml whose tool is not a table holds no settings of ours: the defaults.
    (tmp_path / "pyproject.toml").write_text("tool = 5\n")
    assert jm_here(tmp_path, "lint", "--config", "pyproject.toml").returncode == 0


def test_unknown_rule_and_bad_severity_in_settings(tmp_path: Path) -> None:
    code, out = _settings_error(tmp_path, '[rules]\nmissing-owners = "off"\n')
    assert code == 2 and "unknown rule 'missing-owners'" in out["findings"][0]["message"]
    assert out["findings"][0]["line"] == 2
    code, out = _settings_error(tmp_path, '[rules]\nmissing-owner = "loud"\n')
    assert code == 2 and "'loud' is not one of error, warning, info, off" in out["findings"][0]["message"]


def test_broken_toml_is_reported_in_the_chosen_format(tmp_path: Path) -> None:
    code, out = _settings_error(tmp_path, "paths = [\n", fmt="text")
    assert code == 2
    assert out["text"].startswith("journeymaps.toml:2:1: JM007 [invalid-settings] error: invalid TOML")


def test_a_merge_conflict_left_in_the_settings_is_named_as_one(tmp_path: Path) -> None:
    """It was "invalid TOML: Invalid statement", at the marker but not saying what it was."""
    toml = 'paths = ["maps"]\n<<<<<<< HEAD\nreview-cadence-days = 30\n=======\nreview-cadence-days = 60\n>>>>>>> x\n'
    code, out = _settings_error(tmp_path, toml, fmt="text")
    assert code == 2
    assert out["text"].startswith(
        "journeymaps.toml:2:1: JM007 [invalid-settings] error: '<<<<<<< HEAD' is a git conflict marker: "
        "a merge left both sides of a change in this file"
    )


@pytest.mark.parametrize(
    "toml",
    [
        "x = " + "[" * 100_000 + "\n",  # deeper than tomllib recurses
        "x = " + "{a=" * 5_000 + "1" + "}" * 5_000 + "\n",
        "[" + ".".join(["a"] * 20_000) + "]\n",  # read, but deeper than the checks recurse
    ],
)
def test_settings_nested_too_deeply_are_invalid_settings(tmp_path: Path, toml: str) -> None:
    """Each ended every command in 'internal error: RecursionError'."""
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == ("invalid-settings", "journeymaps.toml", 1)
    assert finding["message"].startswith("invalid TOML: nested too deeply to read")


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "json"])
def test_a_settings_error_quoting_a_direction_control_shows_it_as_its_escape(
    tmp_path: Path, fmt: str
) -> None:
    """'unknown key' quotes the key: SARIF, GitLab, JUnit and JSON wrote its control raw
    (text escaped it)."""
    write_files(tmp_path, {"maps/m.yaml": textwrap.dedent(BASE).strip() + "\n"})
    (tmp_path / "journeymaps.toml").write_text('"ti\u202etle" = 1\n', "utf-8")
    result = jm_here(tmp_path, "lint", "--format", fmt)
    assert result.returncode == 2, result.stdout
    shown = "unknown key 'ti\\u202etle'"  # the escape, as text
    assert (shown if fmt == "junit" else json.dumps(shown)[1:-1]) in result.stdout
    assert "\u202e" not in result.stdout


@pytest.mark.parametrize(
    ("folder", "said"),
    [("/", "is the file system's root, the whole machine"), ("..", "the folder around the project's")],
)
def test_a_maps_folder_around_the_project_is_refused_before_it_is_walked(
    tmp_path: Path, folder: str, said: str
) -> None:
    """``paths = ["/"]`` read every YAML file of the machine as a map: lint ran for minutes,
    and serve watched the whole disk. A folder holding the project's own is a settings error
    at its value; the project's own folder ("." ) is still a maps folder."""
    project = tmp_path / "project"
    code, out = _settings_error(project, f'paths = ["maps", "{folder}"]\n')
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("invalid-settings", 1, 18)
    assert f"paths: '{folder}' " in finding["message"] and said in finding["message"]
    assert "name the folder that holds the maps, such as 'maps'" in finding["message"]
    (project / "journeymaps.toml").write_text('paths = ["."]\n', "utf-8")
    assert jm_here(project, "lint").returncode == 0


def test_a_maps_folder_the_settings_name_but_is_missing_is_an_error(tmp_path: Path) -> None:
    """A typo in ``paths`` used to be skipped quietly: lint checked the other folders (or
    none) and passed. Now it is a settings error at the ``paths`` line, for every command
    that takes its maps from the settings; nothing is built."""
    code, out = _settings_error(tmp_path, 'site-title = "Acme"\npaths = ["maps", "jouneys"]\n')
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == ("invalid-settings", "journeymaps.toml", 2)
    assert finding["column"] == 18  # the folder named, not the key
    assert finding["message"].startswith("paths: 'jouneys' does not exist")
    for command in (["build"], ["render"], ["baseline"]):
        result = jm(tmp_path, *command)
        assert result.returncode == 2, command
        assert result.stderr.startswith("journeymaps.toml:2:18: JM007 [invalid-settings] error: paths:")
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "diagrams").exists()
    # Paths given on the command line do not need the settings' folders: a folder, or a file
    # (as pre-commit names them; that was an internal error).
    assert jm_here(tmp_path, "lint", "maps").returncode == 0
    named = jm_here(tmp_path, "lint", "maps/m.yaml")
    assert (named.returncode, named.stderr) == (0, "")


@pytest.mark.parametrize(
    ("measure", "line", "column", "message"),
    [
        ("batch-rows = 0", 3, 14, "batch-rows: 0 is below the minimum"),
        ('memory-limit = "lots"', 3, 16, "memory-limit: 'lots' does not match the expected form"),
        ('memory-limit = "256"', 3, 16, "memory-limit: '256' does not match the expected form"),
        ('k = 5\nmemory-limit = "16MB"', 4, 16, "memory-limit: 16MB is too little for DuckDB to measure in"),
        # DuckDB 1.5 (Python 3.10) ran out of memory at 64MB with two batches at once.
        (
            'memory-limit = "64MB"',
            3,
            16,
            "memory-limit: 64MB is too little for DuckDB to measure in (at least 128MB)",
        ),
    ],
)
def test_measure_batch_rows_and_memory_limit_are_checked(
    tmp_path: Path, measure: str, line: int, column: int, message: str
) -> None:
    """The measure engine's two dials: a bad value is a settings error at the value, not a
    DuckDB failure halfway through a run."""
    code, out = _settings_error(tmp_path, f'paths = ["maps"]\n[measure]\n{measure}\n')
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("invalid-settings", line, column)
    assert message in finding["message"], finding["message"]


def test_measure_batch_rows_and_memory_limit_are_read(tmp_path: Path) -> None:
    from journeymaps.measure import metrics, queries
    from journeymaps.settings import MeasureSettings, load_settings

    (tmp_path / "journeymaps.toml").write_text(
        '[measure]\nbatch-rows = 1000\nmemory-limit = "1 GiB"\n', "utf-8"
    )
    settings = load_settings(tmp_path)
    assert (settings.measure.batch_rows, settings.measure.memory_limit) == (1000, "1 GiB")
    con = queries.connect(str(tmp_path), settings.measure.memory_limit)
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "1.0 GiB"
    finally:
        con.close()
    assert MeasureSettings().batch_rows == metrics.BATCH_ROWS == 500_000  # the documented default


def test_a_settings_error_points_at_the_value_when_the_value_is_wrong(tmp_path: Path) -> None:
    """Every settings error pointed at its key's column, as if the key were misspelt, where
    the value was what was wrong (yamllint and ruff point at the value)."""
    toml = (
        'paths = ["maps"]\n'
        "review-cadence-days =   -3\n"
        "curency = 1\n"
        'measure = {k = 5, memory-limit = "lots"}\n'
        'exclude = ["drafts/*", 3]\n'
        '[rules]\nstale-map = "loud"\nstale-mapp = "off"\n'
        '[per-file-ignores]\n"maps/*" = ["stale-map", "stale-mapp"]\n'
    )
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    assert [(f["line"], f["column"], f["message"].split(" (")[0]) for f in out["findings"]] == [
        (2, 25, "review-cadence-days: -3 is below the minimum of 1"),
        (3, 1, StartsWith("unknown key 'curency'")),
        (4, 34, "measure.memory-limit: 'lots' does not match the expected form"),
        (5, 24, "exclude[1]: expected text, got 3"),  # the item, not the list
        (7, 13, "rules.stale-map: 'loud' is not one of error, warning, info, off"),
        (8, 1, "rules: unknown rule 'stale-mapp'"),
        (10, 26, "per-file-ignores: unknown rule 'stale-mapp'"),
    ]


@pytest.mark.parametrize(
    ("toml", "line", "column"),
    [
        ('[measure]\ntimezone = "Mars/Olympus"\n', 2, 12),
        ('measure = {k = 5, timezone = "Mars/Olympus"}\n', 1, 30),
        ('[sources.s]\nkind = "survey"\nsurvey = "ces"\npath = "s.csv"\ntimezone = "Mars/Olympus"\n', 5, 12),
        # files of the database that are no zone: Python reads them, DuckDB does not, and
        # measure failed after the settings passed, at another line
        ('[measure]\ntimezone = "right/UTC"\n', 2, 12),
        ('[measure]\ntimezone = "localtime"\n', 2, 12),
        ('[measure]\ntimezone = "posixrules"\n', 2, 12),
    ],
)
def test_an_unknown_time_zone_is_a_settings_error_at_the_value(
    tmp_path: Path, toml: str, line: int, column: int
) -> None:
    """``timezone = "Mars/Olympus"`` linted clean, and failed only once measure ran."""
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("invalid-settings", line, column)
    zone = toml.split('timezone = "')[1].split('"')[0]
    assert finding["message"].endswith(
        f"timezone: unknown time zone '{zone}' (use an IANA name such as Europe/Paris)"
    )


def test_time_zones_are_not_refused_where_python_has_no_time_zone_database(tmp_path: Path) -> None:
    """Without the system's zoneinfo or the tzdata package (Windows, a slim container) no name
    can be checked: a real one must not be called unknown (DuckDB measures with its own)."""
    write_files(
        tmp_path,
        {
            "maps/m.yaml": textwrap.dedent(BASE).strip() + "\n",
            "journeymaps.toml": '[measure]\ntimezone = "America/New_York"\n',
        },
    )
    assert jm(tmp_path, "lint").returncode == 0
    assert jm(tmp_path, "lint", env={"PYTHONTZPATH": ""}).returncode == 0


@pytest.mark.parametrize("command", [["lint"], ["build"], ["render"], ["measure"]])
def test_a_settings_error_ends_every_command_the_same_way(tmp_path: Path, command: list[str]) -> None:
    """The finding, then that nothing was done, whichever command met it (``build`` and the
    others said "Found 1 error ... in 0 files (0 maps)", as if the maps had been read)."""
    write_files(
        tmp_path, {"maps/m.yaml": textwrap.dedent(BASE).strip() + "\n", "journeymaps.toml": "curency = 1\n"}
    )
    result = jm(tmp_path, *command)
    assert result.returncode == 2
    said = (result.stdout + result.stderr).strip().splitlines()
    assert said[0].startswith("journeymaps.toml:1:1: JM007 [invalid-settings] error: unknown key 'curency'")
    assert said[-1] == "Nothing was checked: fix the settings first."
    assert "0 files" not in result.stdout + result.stderr


def test_the_build_summary_counts_in_words(tmp_path: Path) -> None:
    """ "1 error, 1 warning", not "1 errors, 1 warnings"."""
    unowned = textwrap.dedent(BASE).strip().replace("    owner: support\n", "", 1) + "\n"
    write_files(tmp_path, {"maps/m.yaml": unowned, "journeymaps.toml": ""})
    result = jm(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    assert re.search(r"; (\d+) errors?, (\d+) warnings? \(see site/findings.html\)", result.stdout)
    assert not re.search(r"\b1 errors\b|\b1 warnings\b", result.stdout)


def test_a_whole_number_written_as_a_float_is_read_as_one(tmp_path: Path) -> None:
    """``maps-per-page = 2.0`` passes the schema's integer (JSON Schema counts 2.0 as one),
    and 'build' stopped with an internal error: range() of a float, paging the home page."""
    from journeymaps.settings import load_settings
    from journeymaps.site import paging

    (tmp_path / "journeymaps.toml").write_text(
        "maps-per-page = 2.0\nrows-per-page = 3.0\nreview-cadence-days = 30.0\n"
        "max-file-size-kb = 512.0\ncost-per-contact = 12.5\n[measure]\nk = 7.0\n"
    )
    s = load_settings(tmp_path)
    assert [len(chunk) for _, chunk in paging.paged(list(range(5)), s.maps_per_page)] == [2, 2, 1]
    values = (s.maps_per_page, s.rows_per_page, s.review_cadence_days, s.max_file_size_kb, s.measure.k)
    assert values == (2, 3, 30, 512, 7) and all(type(v) is int for v in values), values
    assert s.cost_per_contact == 12.5


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('  [tool.journeymaps]\npaths = ["nope"]\n', "paths: 'nope' does not exist"),  # indented
        ('[ tool.journeymaps ]\npaths = ["nope"]\n', "paths: 'nope' does not exist"),
        ('[tool."journeymaps"]\npaths = ["nope"]\n', "paths: 'nope' does not exist"),
        ('[tool]\njourneymaps.paths = ["nope"]\n', "paths: 'nope' does not exist"),  # a dotted key
        ('tool = {journeymaps = {paths = ["nope"]}}\n', "paths: 'nope' does not exist"),
        ('[tool]\njourneymaps = "x"\n', "[tool.journeymaps] must be a table of settings"),
        ("[[tool.journeymaps]]\npaths = []\n", "[tool.journeymaps] must be a table of settings"),
    ],
)
def test_settings_in_pyproject_are_found_however_the_toml_writes_them(
    tmp_path: Path, toml: str, says: str
) -> None:
    """pyproject.toml was searched for a line starting '[tool.journeymaps]' or
    '[tool.journeymaps.': settings written any other valid way (an indented header, a
    dotted key, an inline table) were not found, and the run went on with the defaults,
    green, without a word."""
    write_files(tmp_path, {"pyproject.toml": toml + '\n[project]\nname = "x"\n', "maps/m.yaml": BASE})
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 2, result.stdout + result.stderr
    assert says in result.stdout + result.stderr


def test_a_pyproject_naming_journeymaps_as_a_dependency_holds_no_settings(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "x"\ndependencies = ["journeymaps>=1"]\n'
    write_files(tmp_path, {"pyproject.toml": pyproject, "maps/m.yaml": BASE})
    assert jm_here(tmp_path, "lint", "maps").returncode == 0


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        (
            "[business-calendar]\nholidays = [2026-12-25]\n",
            "business-calendar.holidays[0]: expected text, got",
        ),
        ("site-title = 1979-05-27T07:32:00Z\n", "site-title: expected text, got"),
        ("currency = 07:32:00\n", "currency: expected text, got"),
    ],
)
def test_a_toml_date_where_text_goes_is_called_a_date(tmp_path: Path, toml: str, says: str) -> None:
    """TOML has dates of its own (holidays = [2026-12-25], unquoted): the error called one
    "a mapping", which it is nowhere, and the fix (quotes) went unsaid."""
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    (finding,) = out["findings"]
    assert finding["message"] == f"{says} a TOML date or time (put it in quotes to keep it as text)"


@pytest.mark.parametrize(
    ("toml", "table"),
    [
        ('[rules]\nJM201 = "off"\n', "rules"),
        ('[per-file-ignores]\n"maps/*.yaml" = ["jm201"]\n', "per-file-ignores"),
    ],
)
def test_a_rule_code_in_the_settings_names_the_rule_to_write(tmp_path: Path, toml: str, table: str) -> None:
    """--select, --ignore and explain take JM201; the settings said "unknown rule 'JM201'",
    of a rule they know, and did not say which name to write."""
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    (finding,) = out["findings"]
    written = "JM201" if table == "rules" else "jm201"
    assert finding["message"] == (
        f"{table}: '{written}' is the code of missing-owner; the settings name rules: write missing-owner"
    )


def test_settings_that_are_not_utf8_are_an_error_at_the_byte(tmp_path: Path) -> None:
    """A settings file saved as Latin-1 was "not UTF-8" at 1:1, whichever line the é was on:
    the user searched the file for it. Now at its line and column, naming the byte."""
    code, out = _settings_error(tmp_path, 'paths = ["maps"]\nsite-title = "Caf\udce9"\n')
    assert code == 2
    (finding,) = out["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("invalid-settings", 2, 18)
    assert finding["message"] == "settings file is not UTF-8: byte 0xe9 here; save it as UTF-8"


@pytest.mark.parametrize("command", [["new", "m"], ["import", "j.mmd"], ["lint"]])
def test_a_maps_folder_named_with_a_nul_is_invalid_settings(tmp_path: Path, command: list[str]) -> None:
    """``paths = ["maps\\u0000x"]``: no folder can be named so; lint said it does not exist,
    and new and import ended in 'internal error: ValueError: embedded null byte'."""
    write_files(tmp_path, {"journeymaps.toml": 'paths = ["maps", "maps\\u0000x"]\n', "maps/.keep": ""})
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    result = jm(tmp_path, *command)
    said = result.stderr or result.stdout  # lint's findings go to standard output
    assert result.returncode == 2, said
    assert said.startswith(
        "journeymaps.toml:1:18: JM007 [invalid-settings] error: paths[1]: 'maps\\x00x' holds a NUL "
    ), said
    assert "internal error" not in said


@pytest.mark.parametrize("inside", ["\u2028", "\u2029", "\x85"])  # TOML refuses the C0 ones
def test_a_settings_error_after_a_character_python_breaks_lines_at_is_at_its_line(
    tmp_path: Path, inside: str
) -> None:
    """TOML ends a line at LF only; the positions were found with str.splitlines(), which
    also breaks at U+2028, NEL, a form feed...: a comment or text holding one put every
    later finding a line too far down."""
    toml = f'# note {inside} here\nsite-title = "A{inside}B"\nreview-cadence = 3\ncurrency = 5\n'
    code, out = _settings_error(tmp_path, toml)
    assert code == 2
    assert [(f["line"], f["column"]) for f in out["findings"]] == [(3, 1), (4, 12)], out["findings"]


def test_a_pyproject_named_with_config_but_holding_no_settings_is_invalid(tmp_path: Path) -> None:
    """``--config pyproject.toml`` whose table is misspelt ([tool.journeymap]) ran on the
    defaults without a word: "Nothing to check: 0 files.", exit 0, in CI too."""
    write_files(tmp_path, {"pyproject.toml": '[tool.journeymap]\npaths = ["journeys"]\n', "maps/.keep": ""})
    result = jm_here(tmp_path, "lint", "--config", "pyproject.toml")
    assert result.returncode == 2, result.stdout
    assert result.stdout.startswith(
        "pyproject.toml:1:1: JM007 [invalid-settings] error: pyproject.toml has no [tool.journeymaps] table"
    ), result.stdout
    assert "(did you mean [tool.journeymap]?)" not in result.stdout  # it names what is there
    assert "[tool.journeymap] is not it" in result.stdout


@pytest.mark.parametrize("table", ["journeymap", "journey-maps", "jounreymaps"])
def test_a_pyproject_found_above_with_its_table_misspelt_is_invalid(tmp_path: Path, table: str) -> None:
    """Found by walking up (no --config), [tool.journeymap] was skipped: the defaults
    applied, the folder its paths named was never checked, exit 0."""
    write_files(tmp_path, {"pyproject.toml": f'[tool.{table}]\npaths = ["journeys"]\n', "maps/.keep": ""})
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 2, result.stdout
    assert result.stdout.startswith(
        f"pyproject.toml:1:1: JM007 [invalid-settings] error: pyproject.toml has no [tool.journeymaps] "
        f"table ([tool.{table}] is not it): rename it [tool.journeymaps]"
    ), result.stdout


def test_a_pyproject_with_another_tool_of_a_near_name_is_not_ours(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.journey]\nx = 1\n", "maps/m.yaml": BASE})
    write_files(tmp_path, {"maps/teams.yaml": TEAMS})
    result = jm_here(tmp_path, "lint")
    assert "invalid-settings" not in result.stdout, result.stdout


def test_settings_saved_as_utf16_are_named_so(tmp_path: Path) -> None:
    """A journeymaps.toml written by PowerShell's > (UTF-16) was "not UTF-8: byte 0xff"."""
    write_files(tmp_path, {"journeymaps.toml": 'paths = ["maps"]\n'.encode("utf-16"), "maps/.keep": ""})
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 2
    assert result.stdout.startswith(
        "journeymaps.toml:1:1: JM007 [invalid-settings] error: settings file is UTF-16; save it as UTF-8"
    ), result.stdout


@pytest.mark.parametrize("command", ["lint", "build", "serve"])
def test_a_maps_folder_named_longer_than_any_file_system_takes_is_a_settings_error(
    tmp_path: Path, command: str
) -> None:
    """A name of 300 characters: Path.exists raises "File name too long" where a missing
    folder gives False, and every command ended with a bare "error: File name too long: …"
    (serve before it could even start), not at the ``paths`` line."""
    long = "x" * 300
    write_files(
        tmp_path,
        {"maps/m.yaml": textwrap.dedent(BASE).strip() + "\n", "journeymaps.toml": f'paths = ["{long}"]\n'},
    )
    result = subprocess.run(
        [sys.executable, "-m", "journeymaps", command, *(["-p", "0"] if command == "serve" else [])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert f"journeymaps.toml:1:10: JM007 [invalid-settings] error: paths: '{long}' does not exist" in said, (
        said
    )
    assert "Traceback" not in said and "File name too long" not in said


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("maps", "is a link that leads back to itself (a loop of links)"),
        ("../gone", "is a link to ../gone, which is not there"),
    ],
)
def test_a_maps_folder_that_is_a_link_to_nothing_is_said_so(tmp_path: Path, target: str, said: str) -> None:
    """``maps`` a link to itself (swapped in under a running ``serve``), or to a share not
    mounted: "paths: 'maps' does not exist (looked for /abs/maps)", though it was there."""
    write_files(tmp_path / "project", {"journeymaps.toml": 'paths = ["maps"]\n'})
    (tmp_path / "project" / "maps").symlink_to(target)
    result = jm_here(tmp_path / "project", "lint")
    assert result.returncode == 2
    assert (
        result.stdout.splitlines()[0]
        == f"journeymaps.toml:1:10: JM007 [invalid-settings] error: paths: 'maps' {said}"
    )


@pytest.mark.parametrize(
    ("toml", "first"),
    [
        (
            "".join(f"k{i} = {i}\n" for i in range(50_000)),
            "journeymaps.toml:1:1: JM007 [invalid-settings] error: unknown key 'k0'",
        ),
        (
            "[measure]\n" + "".join(f"k{i} = {i}\n" for i in range(50_000)),
            "journeymaps.toml:2:1: JM007 [invalid-settings] error: unknown key 'k0' in measure",
        ),
        (
            "measure = {" + ", ".join(f"k{i} = {i}" for i in range(50_000)) + "}\n",
            "journeymaps.toml:1:1: JM007 [invalid-settings] error: unknown key 'k0' in measure",
        ),
    ],
    ids=["top", "table", "inline"],
)
def test_a_settings_file_of_many_unknown_keys_is_said_not_hung_on(
    tmp_path: Path, toml: str, first: str
) -> None:
    """A settings file of 50,000 unknown keys (under the 1 MB limit: a generated file, a
    pasted lock file) ran for hours: each finding's place was looked for in every line."""
    write_files(tmp_path, {"maps/m.yaml": textwrap.dedent(BASE).strip() + "\n", "journeymaps.toml": toml})
    result = jm_cpu_bounded(tmp_path, "lint")  # its CPU, not its wall time: CI runs it at nice 19
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith(first), lines[0]
    assert len(lines) == 50_001 and lines[-1] == "Nothing was checked: fix the settings first."


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ("site-title = 'x'\n" + "a." * 200_000 + "a = 1\n", "2:1"),
        ("[" + "a." * 200_000 + "a]\nx = 1\n", "1:1"),
        ("x = {" + "a." * 200_000 + "a = 1}\n", "1:6"),
    ],
    ids=["dotted-key", "table", "inline"],
)
def test_a_key_of_200_000_parts_is_too_deep_not_gigabytes(tmp_path: Path, toml: str, where: str) -> None:
    """``a.a.a.…a = 1``, 200,000 parts (400 KB, under the 1 MB limit): Python's TOML reader
    took gigabytes and minutes over it (3.5 GB at 30,000 parts) before the check that says
    it is too deep. Refused before it is read."""
    write_files(tmp_path, {"maps/m.yaml": textwrap.dedent(BASE).strip() + "\n", "journeymaps.toml": toml})
    result = run_cpu_bounded(
        [sys.executable, "-m", "journeymaps", "lint"], tmp_path, address_space=2_000_000_000
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"journeymaps.toml:{where}: JM007 [invalid-settings] error: invalid TOML: nested too deeply "
        "to read (no setting nests more than a few levels)"
    )
