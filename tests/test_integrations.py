"""The ready-made integrations run the commands they promise, on the example maps."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, jm
from in_process import jm_here

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@e",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@e",
}


def _expression(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    """GitHub's ${{ inputs.X }} and ${{ steps.ID.outputs.KEY }} (missing ones are '')."""

    def value(m: re.Match[str]) -> str:
        parts = m[1].split(".")
        if parts[0] == "inputs":
            return inputs.get(parts[1], "")
        return outputs.get(parts[1], {}).get(parts[3], "")

    return re.sub(r"\$\{\{ *([\w.-]+) *\}\}", value, text)


def _run_action(
    work: Path, inputs: dict[str, str], tmp_path: Path
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the action's steps as the runner does: conditions, env: from the inputs, the
    working directory, bash -eo pipefail, step outputs. journeymaps comes from this
    environment (the install step is the only one skipped)."""
    values = {k: v.get("default", "") for k, v in ACTION["inputs"].items()} | inputs
    runner = tmp_path / "runner"
    (runner / "journeymaps" / "bin").mkdir(parents=True, exist_ok=True)
    link = runner / "journeymaps" / "bin" / "journeymaps"
    if not link.exists():
        link.symlink_to(Path(sys.executable).parent / "journeymaps")
    outputs: dict[str, dict[str, str]] = {}
    results = {}
    for step in ACTION["runs"]["steps"][1:]:
        assert "${{" not in step["run"], "inputs must reach scripts through env:, not be pasted in"
        condition = step.get("if", "")
        if condition:
            m = re.fullmatch(r"inputs\.([\w-]+) != ''", condition)
            assert m, condition
            if not values[m[1]]:
                continue
        out_file = tmp_path / f"output-{len(results)}"
        out_file.write_text("")
        env = {**os.environ, **GIT_ENV, "RUNNER_TEMP": str(runner), "GITHUB_OUTPUT": str(out_file)}
        env["GITHUB_WORKSPACE"] = str(work)  # the checkout, as the runner sets it
        env["GITHUB_STEP_SUMMARY"] = str(tmp_path / "summary.md")
        env |= {k: _expression(str(v), values, outputs) for k, v in step.get("env", {}).items()}
        cwd = work / _expression(step.get("working-directory", "."), values, outputs)
        results[step.get("id", step["name"])] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if "id" in step:
            outputs[step["id"]] = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    return results


def _annotations(step: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    """The annotations GitHub shows for a step, as its runner reads the log: each line that
    is a workflow command (none between ``::stop-commands::TOKEN`` and ``::TOKEN::``), the
    first 10 of each kind (errors, warnings, notices); the rest are only in the log."""
    shown: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    stopped = None
    for line in (step.stdout + step.stderr).splitlines():
        if stopped is not None:
            stopped = None if line == f"::{stopped}::" else stopped
        elif line.startswith("::stop-commands::"):
            stopped = line.removeprefix("::stop-commands::")
        elif (m := re.match(r"::(error|warning|notice)[ :]", line)) and len(shown[m[1]]) < 10:
            shown[m[1]].append(line)
    return shown


def _repo(work: Path) -> Path:
    for folder in ("maps", "schema"):  # a maps repository, with the schemas its maps point at
        shutil.copytree(ROOT / folder, work / folder)
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "maps"]):
        subprocess.run(
            ["git", *args], cwd=work, check=True, env={**os.environ, **GIT_ENV}, capture_output=True
        )
    return work


def test_action_lints_with_annotations_writes_sarif_and_builds_the_site(tmp_path: Path) -> None:
    work = _repo(tmp_path / "repo")
    steps = _run_action(work, {"sarif": "results.sarif", "build-site": "public"}, tmp_path)
    lint, build, final = steps["lint"], steps["build"], steps["Fail with lint's status"]
    assert lint.returncode == 0, lint.stderr
    assert lint.stdout.strip().endswith("0 errors, 0 warnings in 6 files (4 maps)")
    assert json.loads((work / "results.sarif").read_text())["version"] == "2.1.0"
    assert build.returncode == 0, build.stderr
    assert (work / "public" / "index.html").is_file()
    assert final.returncode == 0


def test_action_runs_every_step_then_fails_with_lints_status(tmp_path: Path) -> None:
    work = _repo(tmp_path / "repo")
    broken = work / "maps" / "support" / "billing-dispute.yaml"
    broken.write_text(broken.read_text().replace("owner: finance\nreviewed", "reviewed"))
    steps = _run_action(work, {"sarif": "r.sarif", "diff-base": "main", "build-site": "site"}, tmp_path)
    # The examples' declared KPIs are off target (notices): the error is the one. With
    # diff-base, the diff annotates it (the change brings it), and lint's log has it as text.
    errors = [line for step in steps.values() for line in _annotations(step)["error"]]
    assert len(errors) == 1 and errors[0].startswith("::error file=maps/support/billing-dispute.yaml,line=2,")
    assert "maps/support/billing-dispute.yaml:2:1: JM201 [missing-owner] error: " in steps["lint"].stdout
    assert (work / "r.sarif").is_file()
    assert "missing-owner" in (work / "journeymaps-diff.md").read_text()  # the diff was written
    assert (work / "site" / "index.html").is_file()  # and the site built
    final = steps["Fail with lint's status"]
    assert final.returncode == 1 and "journeymaps lint exited 1" in final.stdout
    relaxed = _run_action(work, {"exit-zero": "true"}, tmp_path)
    assert relaxed["Fail with lint's status"].returncode == 0
    # Without diff-base, lint annotates.
    errors = [line for line in relaxed["lint"].stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and errors[0].startswith("::error file=maps/support/billing-dispute.yaml,line=2,")
    # diff-check left the gate to a diff that never ran (no diff-base): every error passed.
    no_gate = _run_action(work, {"exit-zero": "true", "diff-check": "true"}, tmp_path)[
        "Fail with lint's status"
    ]
    assert no_gate.returncode == 1 and "journeymaps lint exited 1" in no_gate.stdout
    assert no_gate.stdout.startswith("::warning title=journeymaps::diff-check is true but diff-base is empty")


@pytest.mark.parametrize("switch", ["strict", "exit-zero", "diff-check"])
def test_action_refuses_a_switch_that_is_neither_true_nor_false(tmp_path: Path, switch: str) -> None:
    """diff-check: "yes" read as false: with exit-zero, the gate the user asked for was off
    and every error passed."""
    work = _repo(tmp_path / "repo")
    steps = _run_action(
        work, {switch: "yes", "exit-zero": "true"} if switch != "exit-zero" else {switch: "yes"}, tmp_path
    )
    check = steps["Check the switches"]
    assert check.returncode == 2
    assert check.stdout == f"::error title=journeymaps::the input {switch} must be true or false\n"


def test_action_inputs_never_run_as_commands(tmp_path: Path) -> None:
    work = _repo(tmp_path / "repo")
    marker = tmp_path / "injected"
    hostile = {
        "diff-base": f'main" ; touch {marker} ; echo "',
        "sarif": f"$(touch {marker})",
        "build-site": f"site`touch {marker}`",
    }
    steps = _run_action(work, hostile, tmp_path)
    assert not marker.exists()
    assert steps["lint"].returncode == 0 and (work / hostile["sarif"]).is_file()  # just an odd file name
    assert (work / hostile["build-site"] / "index.html").is_file()
    assert "could not compare" in (work / "journeymaps-diff.md").read_text()
    assert steps["Fail with lint's status"].returncode == 2  # the diff could not run: the action fails
    paths = _run_action(work, {"paths": f"maps $(touch {marker})"}, tmp_path)
    assert not marker.exists() and paths["lint"].returncode == 0
    # The words are paths, and none is there: each an unreadable-file finding, lint exits 1.
    assert "journeymaps lint exited 1" in paths["Fail with lint's status"].stdout
    assert "file=$(touch,line=1,col=1,title=JM005 unreadable-file::" in paths["lint"].stdout


def test_action_working_directory(tmp_path: Path) -> None:
    work = _repo(tmp_path / "repo" / "journeys").parent
    steps = _run_action(work, {"working-directory": "journeys", "sarif": "r.sarif"}, tmp_path)
    assert steps["lint"].returncode == 0 and (work / "journeys" / "r.sarif").is_file()
    assert "in 6 files (4 maps)" in steps["lint"].stdout
    # GitHub places annotations and code scanning alerts by their path from the checkout.
    notices = [line for line in steps["lint"].stdout.splitlines() if line.startswith("::notice ")]
    # (but the first: past GitHub's 10 of a kind, a notice of its own counts the rest)
    notices = [line for line in notices if "more findings than annotations" not in line]
    assert notices and all(line.startswith("::notice file=journeys/maps/") for line in notices)
    sarif = json.loads((work / "journeys" / "r.sarif").read_text())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }
    assert uris and all(uri.startswith("journeys/maps/") for uri in uris)
    # With diff-base the diff annotates, by the same path: the one the pull request shows.
    target = work / "journeys" / "maps" / "support" / "billing-dispute.yaml"
    target.write_text(target.read_text().replace("owner: finance\nreviewed", "reviewed"))
    steps = _run_action(work, {"working-directory": "journeys", "diff-base": "HEAD"}, tmp_path)
    (error,) = _annotations(steps["diff"])["error"]
    assert error.startswith("::error file=journeys/maps/support/billing-dispute.yaml,line=2,")
    assert "missing-owner" in (work / "journeys" / "journeymaps-diff.md").read_text()


def test_action_installs_itself_unless_a_version_is_asked_for() -> None:
    install = ACTION["runs"]["steps"][0]
    assert install["env"] == {"JM_VERSION": "${{ inputs.version }}"}
    assert 'pip" install -q "$GITHUB_ACTION_PATH"' in install["run"]


def test_action_and_workflows_follow_githubs_schemas(tmp_path: Path) -> None:
    """check-jsonschema's vendored copies of SchemaStore's schemas, as editors and linters use."""
    assert jm_here(tmp_path, "init").returncode == 0
    checker = str(Path(sys.executable).parent / "check-jsonschema")
    checks = {
        "vendor.github-actions": [ROOT / "action.yml"],
        "vendor.github-workflows": [
            *(ROOT / "examples" / "github-workflows").glob("*.yml"),
            tmp_path / ".github" / "workflows" / "journeymaps.yml",
        ],
        "vendor.gitlab-ci": [ROOT / "examples" / "gitlab" / ".gitlab-ci.yml"],
    }
    for schema, files in checks.items():
        result = subprocess.run(
            [checker, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_runs_journeymaps_lint_on_yaml() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert (
        hook["id"] == "journeymaps-lint"
        and hook["types_or"] == ["yaml", "toml"]
        and hook["language"] == "python"
    )
    # pre-commit passes every staged YAML file: those outside the maps folders are skipped.
    files = [
        "maps/support/billing-dispute.yaml",
        "maps/teams.yaml",
        "examples/github-workflows/journeymaps-pr.yml",
    ]
    program, *args = hook["entry"].split()
    command = [str(Path(sys.executable).parent / program), *args, *files]  # as pre-commit runs it
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_example_ci_files_are_valid_yaml_calling_real_commands() -> None:
    from journeymaps.cli import cli

    commands = set(cli.commands)
    for path in [*(ROOT / "examples").rglob("*.yml")]:
        text = path.read_text()
        yaml.safe_load(text)
        for used in re.findall(r"journeymaps (\w+)", text):
            assert used in commands, (path.name, used)


def test_the_example_workflows_say_what_to_put_for_owner() -> None:
    """`uses: <owner>/journeymaps@v0.1.0`, copied as the README says, failed on GitHub with
    nothing in the file saying what <owner> stands for."""
    for path in (ROOT / "examples" / "github-workflows").glob("*.yml"):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "<owner>/journeymaps" in line and not line.lstrip().startswith("#"):
                above = " ".join(lines[max(0, number - 2) : number])
                assert "Replace <owner> with the GitHub account or organisation" in above, path.name


def test_the_workflows_a_repository_copies_have_names_of_their_own(tmp_path: Path) -> None:
    """The README has the pull-request example copied beside the workflow `init` writes: both
    were named "journey maps", so a pull request listed two checks of that name, and the
    Actions tab two workflows, with nothing telling which failed."""
    assert jm_here(tmp_path, "init").returncode == 0
    files = [
        tmp_path / ".github" / "workflows" / "journeymaps.yml",
        *sorted((ROOT / "examples" / "github-workflows").glob("*.yml")),
    ]
    names = [yaml.safe_load(path.read_text())["name"] for path in files]
    assert len(set(names)) == len(names), names


PR_WORKFLOW = ROOT / "examples" / "github-workflows" / "journeymaps-pr.yml"
#: Stands in for the GitHub CLI: logs each call; ``api --paginate URL --jq EXPR`` runs the
#: filter with jq over the comments in $GH_COMMENTS, as gh does over each page.
FAKE_GH = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "api --paginate" ] && [ "$4" = --jq ]; then exec jq -r "$5" "$GH_COMMENTS"; fi
"""


def _github_path_filter(pattern: str) -> re.Pattern[str]:
    """A workflow's ``paths`` pattern as GitHub matches it against a file's path from the
    repository's top: ``**`` any characters, ``*`` and ``?`` any but ``/``."""
    parts = re.split(r"(\*\*|\*|\?)", pattern)
    wild = {"**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wild.get(p, re.escape(p)) for p in parts))


def test_the_pull_request_workflow_runs_on_every_file_diff_compares() -> None:
    """The workflow ran on a pull request touching maps/ or journeymaps.toml only: one that
    only recorded the baseline ("the baseline accepts 3 more findings"), committed new
    metrics snapshots (a breach measured, or JM810 cleared), changed the settings in
    pyproject.toml or the schema copies had no comment and no annotation, though diff says
    what each of them does to the journeys."""
    from journeymaps.baseline_changes import NAME as BASELINE
    from journeymaps.schema_copies import DEFAULT_FOLDER as SCHEMAS
    from journeymaps.settings import SETTINGS_NAMES, MeasureSettings

    trigger = yaml.safe_load(PR_WORKFLOW.read_text())[True]["pull_request"]  # YAML 1.1: on is True
    filters = [_github_path_filter(p) for p in trigger["paths"]]
    compared = [
        "maps/support/billing-dispute.yaml",
        "maps/teams.yaml",
        "maps/personas/workspace-admin.png",
        *SETTINGS_NAMES,
        BASELINE,
        f"{MeasureSettings().metrics}/billing-dispute.json",
        f"{SCHEMAS}/journey-map.schema.json",
    ]
    missed = [path for path in compared if not any(f.fullmatch(path) for f in filters)]
    assert not missed, trigger["paths"]


def _post_comment(tmp_path: Path, comments: list[dict[str, object]]) -> list[str]:
    """Run the example workflow's comment step, as the runner would (``bash -e``, its env:
    with the expressions filled in), on a pull request with these comments; gh's calls."""
    (step,) = [
        s
        for s in yaml.safe_load(PR_WORKFLOW.read_text())["jobs"]["lint"]["steps"]
        if "gh " in s.get("run", "")
    ]
    assert "${{" not in step["run"], "values reach the script through env:, never pasted in"
    work = tmp_path / "work"
    (work / "bin").mkdir(parents=True)
    (work / "bin" / "gh").write_text(FAKE_GH)
    (work / "bin" / "gh").chmod(0o755)
    (work / "journeymaps-diff.md").write_text("### Journey maps: a → b\n")
    (work / "comments.json").write_text(json.dumps(comments))
    filled = {"github.token": "t", "github.event.pull_request.number": "7", "github.repository": "o/r"}
    env = {
        k: re.sub(r"\$\{\{ *([\w.]+) *\}\}", lambda m: filled[m[1]], str(v)) for k, v in step["env"].items()
    }
    env |= {
        "PATH": f"{work / 'bin'}:{os.environ['PATH']}",
        "GH_LOG": str(work / "log"),
        "GH_COMMENTS": str(work / "comments.json"),
    }
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return (work / "log").read_text().splitlines()[1:]  # after the listing of the comments


def test_the_pr_workflow_updates_journeymaps_own_comment_and_no_other(tmp_path: Path) -> None:
    """``gh pr comment --edit-last`` edited the last comment of the account, whichever
    workflow had posted it: a coverage report became the journey maps' diff."""
    from journeymaps.diff_formats import COMMENT_MARKER

    bot, post = "github-actions[bot]", "pr comment 7 --repo o/r --body-file journeymaps-diff.md"
    others = [
        {"id": 1, "user": {"login": bot}, "body": "Coverage: 91%"},  # another workflow's
        {"id": 2, "user": {"login": "alice"}, "body": f"> quoting it\n{COMMENT_MARKER}"},  # a person's
    ]
    assert _post_comment(tmp_path / "first", others) == [post]  # the first run posts its own
    ours = {"id": 3, "user": {"login": bot}, "body": f"### Journey maps: a → b\n\n{COMMENT_MARKER}\n"}
    later = {"id": 4, "user": {"login": bot}, "body": "Coverage: 92%"}
    assert _post_comment(tmp_path / "next", [*others, ours, later]) == [
        "api --method PATCH repos/o/r/issues/comments/3 -F body=@journeymaps-diff.md --silent"
    ]


def test_the_comment_ends_with_the_marker_the_workflow_looks_for(tmp_path: Path) -> None:
    from journeymaps.diff_formats import COMMENT_MARKER

    (step,) = [
        s
        for s in yaml.safe_load(PR_WORKFLOW.read_text())["jobs"]["lint"]["steps"]
        if "gh " in s.get("run", "")
    ]
    assert step["env"]["MARKER"] == COMMENT_MARKER == "<!-- journeymaps-diff -->"
    work = _repo(tmp_path / "repo")
    assert jm_here(work, "diff", "HEAD", "--format", "markdown").stdout.endswith(f"\n{COMMENT_MARKER}\n")
    # the action's own words when diff cannot compare end with it too
    steps = _run_action(work, {"diff-base": "no-such-revision"}, tmp_path)
    assert _annotations(steps["lint"])["notice"]  # nothing compared: lint annotates, as without diff-base
    assert (
        (work / "journeymaps-diff.md")
        .read_text()
        .endswith(
            f"could not compare with `no-such-revision` (exit 2): see the job log.\n\n{COMMENT_MARKER}\n"
        )
    )


def test_every_script_of_the_action_and_example_workflows_is_valid_bash() -> None:
    files = [ROOT / "action.yml", *(ROOT / "examples" / "github-workflows").glob("*.yml")]
    for path in files:
        data = yaml.safe_load(path.read_text())
        steps = (
            data["runs"]["steps"]
            if "runs" in data
            else [s for j in data["jobs"].values() for s in j["steps"]]
        )
        for step in steps:
            if "run" in step:
                result = subprocess.run(["bash", "-n", "-c", step["run"]], capture_output=True, text=True)
                assert result.returncode == 0, (path.name, step.get("name"), result.stderr)


def test_action_writes_the_diff_summary(tmp_path: Path) -> None:
    work = _repo(tmp_path / "repo")
    target = work / "maps" / "support" / "billing-dispute.yaml"
    target.write_text(target.read_text().replace("name: Finance review", "name: Finance investigation"))
    steps = _run_action(work, {"diff-base": "HEAD"}, tmp_path)
    assert steps["diff"].returncode == 0, steps["diff"].stderr
    comment = (work / "journeymaps-diff.md").read_text()
    assert comment.startswith("### Journey maps: HEAD → working tree")
    assert comment.endswith("\n<!-- journeymaps-diff -->\n")  # unseen, in the summary too
    assert "stage renamed: \u201cFinance review\u201d → \u201cFinance investigation\u201d" in comment
    assert (tmp_path / "summary.md").read_text() == comment


def test_action_whose_comment_cannot_be_written_still_lints_and_fails_with_the_diffs_status(
    tmp_path: Path,
) -> None:
    """The comment's place taken (a folder named journeymaps-diff.md): diff could not write
    it (exit 2), and neither could the fallback comment, which ended the step with bash's
    own error and no status, so on GitHub the lint step and its annotations were skipped."""
    work = _repo(tmp_path / "repo")
    (work / "journeymaps-diff.md").mkdir()
    target = work / "maps" / "support" / "billing-dispute.yaml"
    target.write_text(target.read_text().replace("owner: finance", "owner: nobody", 1))
    steps = _run_action(work, {"diff-base": "HEAD"}, tmp_path)
    assert steps["diff"].returncode == 0, steps["diff"].stdout + steps["diff"].stderr
    assert "::error title=journeymaps::journeymaps diff could not compare with HEAD (exit 2)" in (
        steps["diff"].stdout
    )
    assert "Is a directory" not in steps["diff"].stderr
    assert "JM103" in steps["lint"].stdout  # lint annotates, as when diff cannot run
    final = steps["Fail with lint's status"]
    assert final.returncode == 1 and "journeymaps lint exited 1" in final.stdout


def _pre_commit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pre-commit itself, run in the repository ``tmp_path`` (its home and cache inside it)."""
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / ".cache"), "HOME": str(tmp_path)}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    return subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _pre_commit_run_all(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run --all-files`` in ``tmp_path``, made a git repository with every file
    staged."""
    for args in (["init", "-q", "-b", "main"], ["add", "."]):
        subprocess.run(
            ["git", *args], cwd=tmp_path, check=True, env={**os.environ, **GIT_ENV}, capture_output=True
        )
    return _pre_commit(tmp_path, "run", "--all-files")


def test_init_config_works_with_pre_commit(tmp_path: Path) -> None:
    """A freshly init'ed repository passes pre-commit as written: the workflow init writes
    is YAML outside the maps folder and is skipped."""
    assert jm_here(tmp_path, "init").returncode == 0
    result = _pre_commit_run_all(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "journeymaps lint" in result.stdout and "Passed" in result.stdout


def test_a_failing_pre_commit_run_shows_the_findings_not_the_skipped_files(tmp_path: Path) -> None:
    """pre-commit passes every staged YAML file and shows the hook's output when it fails:
    the findings came among a line per skipped file (the pre-commit config, each workflow)."""
    assert jm_here(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    first.write_text(first.read_text().replace("owner: support", "owner: nobody", 1))
    result = _pre_commit_run_all(tmp_path)
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/first-journey.yaml:8:8: JM103 [unknown-team]" in result.stdout
    assert "skipped" not in result.stdout + result.stderr


def test_pre_commit_hook_checks_the_maps_a_changed_teams_file_breaks(tmp_path: Path) -> None:
    """pre-commit passes only the changed files: deleting a team from teams.yaml passed the
    hook while every map it owned broke (CI's --changed-since saw it, too late)."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    teams = tmp_path / "maps" / "teams.yaml"
    data = yaml.safe_load(teams.read_text())
    data["teams"] = [t for t in data["teams"] if t["id"] != "finance"]
    teams.write_text(yaml.safe_dump(data))
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    program, *args = hook["entry"].split()
    command = [str(Path(sys.executable).parent / program), *args, "maps/teams.yaml"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout
    assert "maps/support/billing-dispute.yaml:4:8: JM103 [unknown-team] error: owner: team 'finance'" in (
        result.stdout
    )
    assert "maps/teams.yaml is named: the maps that use it are checked (4 more)" in result.stderr
    one_map = subprocess.run(
        [*command[:-1], "maps/support/admin-locked-out.yaml"], cwd=tmp_path, text=True, capture_output=True
    )
    # a map: itself, and the maps it can break (the future-state map based on it, and the
    # map whose pain point it causes), each said why
    assert one_map.returncode == 0 and "in 3 files (3 maps)" in one_map.stdout
    assert "maps based on a changed map, or sharing its id, are checked (1 more)" in one_map.stderr
    assert "maps whose caused_by leads to a changed map are checked (1 more)" in one_map.stderr


def test_a_pull_request_cannot_name_its_own_folder_as_the_diff_base(tmp_path: Path) -> None:
    """diff reads a name that is a folder as the folder: where diff-base did not resolve (a
    shallow checkout), a pull request adding a folder origin/main with its own maps in it
    was compared with itself, and its new error passed diff-check. A diff-base that is a
    path in the checkout is refused: the action fails."""
    work = _repo(tmp_path / "repo")
    new = work / "maps" / "support" / "production-outage.yaml"
    new.write_text(new.read_text().replace("owner: tier-2\nreviewed", "reviewed"))  # a new error
    shutil.copytree(work / "maps", work / "origin" / "main" / "maps")
    steps = _run_action(
        work, {"exit-zero": "true", "diff-base": "origin/main", "diff-check": "true"}, tmp_path
    )
    assert "diff-base is a path in the checkout, not only a revision" in steps["diff"].stderr, steps["diff"]
    assert "journeymaps diff could not compare with origin/main (exit 2)" in steps["diff"].stdout
    final = steps["Fail with lint's status"]
    assert final.returncode == 2 and "journeymaps diff exited 2" in final.stdout, final.stdout


def test_the_comment_of_a_diff_base_that_does_not_resolve_shows_it_whole_in_one_code_span(
    tmp_path: Path,
) -> None:
    """A branch name may hold backticks (git allows them) and a workflow input line ends: the
    comment put the base between single backticks, so a backtick in it closed the code span
    and what followed was Markdown, an @mention GitHub notified, and a blank line began a
    paragraph of its own. Now the span's fence is longer than any run of backticks in the
    name, and a line end shows as a space, as a code span shows it."""
    work = _repo(tmp_path / "repo")
    base = "release`@octocat` **x**\n\n# heading ``y``"
    steps = _run_action(work, {"diff-base": base}, tmp_path)
    assert steps["diff"].returncode == 0, steps["diff"]
    comment = (work / "journeymaps-diff.md").read_text()
    shown = "release`@octocat` **x**  # heading ``y``"
    assert f"could not compare with ``` {shown} ``` (exit 2)" in comment, comment
    # CommonMark: a code span's fence is a run of backticks no run inside it matches
    (line,) = [line for line in comment.splitlines() if "could not compare" in line]
    fence = re.search(r"`+", line)
    assert fence and all(len(run) != len(fence[0]) for run in re.findall(r"`+", shown)), line


def test_action_with_diff_check_fails_only_on_what_the_change_brings(tmp_path: Path) -> None:
    """A repository whose maps already had findings could only turn lint's failure off
    (exit-zero), and then a pull request adding an error passed: the diff said so, but
    nothing failed. With diff-check the action fails on what the change introduces."""
    work = _repo(tmp_path / "repo")
    old = work / "maps" / "support" / "billing-dispute.yaml"
    old.write_text(old.read_text().replace("owner: finance\nreviewed", "reviewed"))
    subprocess.run(
        ["git", "commit", "-qam", "old findings"], cwd=work, check=True, env={**os.environ, **GIT_ENV}
    )
    gate = {"exit-zero": "true", "diff-base": "main", "diff-check": "true"}
    steps = _run_action(work, gate, tmp_path)
    assert "Found 1 error," in steps["lint"].stdout  # reported in lint's log, as before
    assert not [line for step in steps.values() for line in _annotations(step)["error"]]  # but old
    assert steps["Fail with lint's status"].returncode == 0  # and nothing new: it passes
    new = work / "maps" / "support" / "production-outage.yaml"
    new.write_text(new.read_text().replace("owner: tier-2\nreviewed", "reviewed"))  # a new error
    steps = _run_action(work, gate, tmp_path)
    final = steps["Fail with lint's status"]
    assert final.returncode == 1 and "journeymaps diff exited 1" in final.stdout
    assert steps["diff"].stderr == "journeymaps diff --check: the change introduces 1 error\n"
    assert [line.split(",")[0] for line in _annotations(steps["diff"])["error"]] == [
        "::error file=maps/support/production-outage.yaml"
    ]
    comment = (work / "journeymaps-diff.md").read_text()
    assert "missing-owner" in comment and "could not compare" not in comment  # the real comment
    assert (
        _run_action(work, {**gate, "diff-check": "false"}, tmp_path)["Fail with lint's status"].returncode
        == 0
    )


def test_in_a_pull_request_the_action_annotates_the_error_it_brings_not_old_ones(tmp_path: Path) -> None:
    """GitHub shows 10 error annotations per step. Annotated by lint, maps with 11 old errors
    showed none for the one a pull request added (lint's 12th): the gate failed on an error
    no reviewer saw where they look. With diff-base the diff annotates what the change brings;
    lint's findings, old and new, are all in its log."""
    work = _repo(tmp_path / "repo")
    old = work / "maps" / "support" / "billing-dispute.yaml"
    text = old.read_text().replace("owner: finance\n", "owner: nobody\n")
    old.write_text(text.replace("    owner: support\n", "    owner: nobody\n", 1))
    subprocess.run(
        ["git", "commit", "-qam", "old findings"], cwd=work, check=True, env={**os.environ, **GIT_ENV}
    )
    assert "Found 11 errors," in jm_here(work, "lint", "--format", "text").stdout  # at the base
    new = work / "maps" / "support" / "production-outage.yaml"
    new.write_text(new.read_text().replace("owner: tier-2\nreviewed", "reviewed"))  # the pull request's
    steps = _run_action(work, {"exit-zero": "true", "diff-base": "main", "diff-check": "true"}, tmp_path)
    shown = [line for step in steps.values() for line in _annotations(step)["error"]]
    brought = "::error file=maps/support/production-outage.yaml,line=2,col=1,endColumn=3,title=JM201 missing-owner::"
    assert [line for line in shown if line.startswith(brought)] == [
        f"{brought}maps/support/production-outage.yaml:2:1: JM201 [missing-owner] map 'production-outage' "
        "has no owner: set its owner to the id of the team that keeps it true (introduced by this change)"
    ]
    assert not [line for line in shown if "billing-dispute" in line]  # no old error takes a place
    log = steps["lint"].stdout
    assert "Found 12 errors," in log and log.count(" JM103 [unknown-team] error: ") == 11
    assert "maps/support/production-outage.yaml:2:1: JM201 [missing-owner] error: " in log
    comment = (work / "journeymaps-diff.md").read_text()
    assert comment.startswith("### Journey maps: main → working tree\n")
    assert "missing-owner" in comment and comment.endswith("\n<!-- journeymaps-diff -->\n")
    assert (tmp_path / "summary.md").read_text() == comment
    final = steps["Fail with lint's status"]
    assert final.returncode == 1 and "journeymaps diff exited 1" in final.stdout


def test_with_diff_base_no_line_of_lints_log_is_a_workflow_command(tmp_path: Path) -> None:
    """With diff-base lint writes text, where a file named '::error::…' began a line: the
    runner would read it as a command, an annotation no finding made, in one of the places
    the diff's own annotations are shown."""
    work = _repo(tmp_path / "repo")
    (work / "journeymaps.toml").write_text('paths = ["."]\n')
    subprocess.run(["git", "add", "journeymaps.toml"], cwd=work, check=True, env={**os.environ, **GIT_ENV})
    subprocess.run(["git", "commit", "-qm", "settings"], cwd=work, check=True, env={**os.environ, **GIT_ENV})
    (work / "::error::Forged.yaml").write_text("id: forged\n")
    steps = _run_action(work, {"diff-base": "main"}, tmp_path)
    log = steps["lint"].stdout
    forged = "::error::Forged.yaml:1:1: JM004 [schema] error: "
    assert [line for line in log.splitlines() if line.startswith(forged)]  # in the log, as text
    stop = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", log.splitlines()[0])
    assert stop and log.endswith(f"\n::{stop[1]}::\n")
    assert _annotations(steps["lint"]) == {"error": [], "warning": [], "notice": []}
    (error,) = _annotations(steps["diff"])["error"]  # the finding's own annotation, escaped
    assert error.startswith("::error file=%3A%3Aerror%3A%3AForged.yaml,line=1,")


def _init_committed(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """The example maps with what init writes (the settings, the pre-commit config), all
    committed in a new repository; and a way to run git there."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    assert jm_here(tmp_path, "init").returncode == 0
    _git = functools.partial(
        subprocess.run, cwd=tmp_path, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )
    _git(["git", "init", "-q", "-b", "main"])
    _git(["git", "add", "."])
    _git(["git", "commit", "-qm", "maps"])
    return _git


def test_a_commit_that_only_deletes_a_map_runs_the_hook_on_the_maps_it_breaks(tmp_path: Path) -> None:
    """pre-commit names no deleted file, and ran no hook for a commit that only deleted a map:
    the map based on it and the map whose pain point it caused broke, and the commit passed."""
    _git = _init_committed(tmp_path)
    clean = _pre_commit(tmp_path, "run")  # nothing staged: nothing to say, and no whole-project lint
    assert clean.returncode == 0, clean.stdout + clean.stderr
    _git(["git", "rm", "-q", "maps/support/admin-locked-out.yaml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/admin-locked-out-future.yaml:5:" in result.stdout, result.stdout
    assert "maps/support/production-outage.yaml:" in result.stdout, result.stdout
    assert "maps/support/admin-locked-out.yaml is deleted (staged)" in result.stdout, result.stdout
    # the published hook runs the same way
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"] == local["entry"] and hook["always_run"] is local["always_run"] is True


def test_a_commit_that_only_changes_the_settings_runs_the_hook_on_every_map(tmp_path: Path) -> None:
    """The hook took YAML files only: a commit making a rule an error (or a map unreadable)
    in journeymaps.toml checked nothing and passed, while every map it broke failed CI, where
    --changed-since checks every map when the settings change."""
    _git = _init_committed(tmp_path)
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text() + '\n[rules]\nkpi-off-target = "error"\n')
    _git(["git", "add", "journeymaps.toml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/billing-dispute.yaml:36:16: JM804 [kpi-off-target] error" in result.stdout
    assert "journeymaps.toml is named: every file is checked" in result.stdout
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["types_or"] == local["types_or"] == ["yaml", "toml"]
    # another TOML file staged (a linter's settings) is skipped, as YAML outside the maps folders
    (tmp_path / "ruff.toml").write_text("line-length = 100\n")
    _git(["git", "checkout", "-q", "HEAD", "--", "journeymaps.toml"])
    _git(["git", "add", "ruff.toml"])
    other = _pre_commit(tmp_path, "run")
    assert other.returncode == 0, other.stdout + other.stderr


def test_staged_deletions_alone_checks_nothing_when_nothing_is_deleted(tmp_path: Path) -> None:
    """The hook runs on every commit (always_run): a commit of a README must not fail on the
    project's old errors, nor lint every map."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    run_git = functools.partial(subprocess.run, cwd=tmp_path, check=True, env={**os.environ, **GIT_ENV})
    run_git(["git", "init", "-q", "-b", "main"])
    run_git(["git", "add", "."])
    run_git(["git", "commit", "-qm", "maps"])
    quiet = jm(tmp_path, "lint", "--force-exclude", "--staged-deletions")
    assert quiet.returncode == 0 and "JM103" not in quiet.stdout, quiet.stdout + quiet.stderr
    assert jm(tmp_path, "lint").returncode == 1  # the error is there
    refused = jm(tmp_path, "lint", "--staged-deletions", "--changed-since", "HEAD")
    assert refused.returncode == 2 and "--staged-deletions" in refused.stderr


def test_the_hook_works_for_maps_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    """pre-commit runs the hook at the repository's top: with the maps and their settings in
    journeys/, a commit of a README (no file named) ended in "no maps folder found", and so
    did every commit."""
    project = tmp_path / "journeys"
    shutil.copytree(ROOT / "maps", project / "maps")
    (project / "journeymaps.toml").write_text("cost-per-contact = 12\n")
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = {"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    run_git = functools.partial(subprocess.run, cwd=tmp_path, check=True, env={**os.environ, **GIT_ENV})
    run_git(["git", "init", "-q", "-b", "main"])
    run_git(["git", "add", "."])
    run_git(["git", "commit", "-qm", "maps"])
    (tmp_path / "README.md").write_text("Our journeys\n")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "old.yml").write_text("on: push\n")
    run_git(["git", "add", "."])
    run_git(["git", "commit", "-qm", "more"])
    run_git(["git", "rm", "-q", ".github/old.yml"])  # a deletion outside the maps: nothing to check
    readme = _pre_commit(tmp_path, "run")
    assert readme.returncode == 0, readme.stdout + readme.stderr
    run_git(["git", "rm", "-q", "journeys/maps/support/admin-locked-out.yaml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "journeys/maps/support/admin-locked-out-future.yaml:5:" in result.stdout, result.stdout


@pytest.fixture
def no_new_file_in(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], None]]:
    """Makes a folder where no new file can be made but an existing one can still be written
    (a read-only folder; as root, which permissions do not stop, an immutable one)."""
    locked: list[Path] = []

    def lock(folder: Path) -> None:
        if os.geteuid() == 0:
            if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
                pytest.skip("chattr +i is not supported here")
        else:
            folder.chmod(0o555)
        locked.append(folder)
        try:
            (folder / ".probe").touch()
        except OSError:
            return
        (folder / ".probe").unlink()
        pytest.skip("a new file can still be made there")

    yield lock
    for folder in locked:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_a_diff_that_cannot_write_its_comment_leaves_each_finding_one_annotation(
    tmp_path: Path, no_new_file_in: Callable[[Path], None]
) -> None:
    """The diff printed its annotations, then could not write journeymaps-diff.md (exit 2):
    the action took it for a diff that could not compare and had lint annotate every
    finding, so the error the change brings was annotated twice."""
    work = _repo(tmp_path / "repo")
    new = work / "maps" / "support" / "production-outage.yaml"
    new.write_text(new.read_text().replace("owner: tier-2\nreviewed", "reviewed"))  # an error brought
    (work / "journeymaps-diff.md").write_text("an earlier comment\n")  # written in place by the shell
    no_new_file_in(work)
    steps = _run_action(work, {"diff-base": "main"}, tmp_path)
    assert steps["diff"].returncode == 0, steps["diff"].stderr  # the step's fallback comment stands
    assert "cannot write journeymaps-diff.md" in steps["diff"].stderr
    shown = [line for step in steps.values() for line in _annotations(step)["error"]]
    brought = [line for line in shown if line.startswith("::error file=maps/support/production-outage.yaml,")]
    assert len(brought) == 1, shown
    assert "could not compare with `main` (exit 2)" in (work / "journeymaps-diff.md").read_text()
    final = steps["Fail with lint's status"]
    assert final.returncode == 1 and "journeymaps lint exited 1" in final.stdout  # lint's, first
