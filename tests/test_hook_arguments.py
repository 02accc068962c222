"""pre-commit runs the hook as its entry, the user's ``args``, then the staged files' names,
with no ``--`` between: a file at the repository's top named like an option must be checked
as a file, and the user's ``args`` stay options."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from in_process import jm_here

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@e",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@e",
}
BIN = Path(sys.executable).parent
(HOOK,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def _hook(cwd: Path, args: list[str], files: list[str]) -> subprocess.CompletedProcess[str]:
    """The hook's entry, ``args`` and ``files``, as pre-commit runs it (it splits the entry as
    a shell does, and gives the hook no standard input to read)."""
    program, *entry = shlex.split(HOOK["entry"])
    return subprocess.run(
        [str(BIN / program), *entry, *args, *files],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def _maps_repository(tmp_path: Path, name: str) -> Path:
    """A repository of maps alone, its top the maps folder (the project's settings in the
    folder above, as for a git submodule of maps): its map, the error of an unknown owner,
    in a file ``name``, staged."""
    assert jm_here(tmp_path, "init").returncode == 0
    maps = tmp_path / "maps"
    first = maps / "first-journey.yaml"
    (maps / name).write_text(first.read_text().replace("owner: support", "owner: nobody", 1))
    first.unlink()
    _git(maps, "init", "-q", "-b", "main")
    _git(maps, "add", "-A")
    return maps


@pytest.mark.parametrize(
    "name",
    [
        "--exit-zero.yaml",  # a flag's name: "No such option", nothing checked
        "--output=sarif=x.yaml",  # an option and its value: obeyed
        "--stdin-filename=x.yaml",  # read standard input instead of the files
        "-q v.yaml",  # short flags, and a space
        "--select=JM1 café.yaml",  # '=', a space, not ASCII
        "-é.yaml",
    ],
)
def test_a_staged_map_named_like_an_option_is_checked_not_obeyed(tmp_path: Path, name: str) -> None:
    maps = _maps_repository(tmp_path, name)
    result = _hook(maps, [], [name, "teams.yaml"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{name}:8:8: JM103 [unknown-team] error: owner: team 'nobody'" in result.stdout
    assert "in 2 files (1 map)" in result.stdout
    assert sorted(p.name for p in maps.iterdir()) == sorted([".git", name, "teams.yaml"])  # nothing written


def test_the_users_args_stay_options_before_files_named_like_options(tmp_path: Path) -> None:
    """``args:`` of the user's config come between the entry and the files: each still an
    option, with its value (given apart or after '='), however the files are named."""
    maps = _maps_repository(tmp_path, "--exit-zero.yaml")
    args = [
        "--config",
        "../journeymaps.toml",
        "--output",
        "sarif=../lint.sarif",
        "--ignore=placeholder-text",
        "-q",
    ]
    result = _hook(maps, args, ["--exit-zero.yaml", "teams.yaml"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "--exit-zero.yaml:8:8: JM103 [unknown-team]" in result.stdout
    assert "JM901" not in result.stdout and "Found" not in result.stdout  # --ignore, -q
    assert '"uri": "--exit-zero.yaml"' in (tmp_path / "lint.sarif").read_text()  # --output
    # a user's flag, alone, still one
    zero = _hook(maps, ["--exit-zero"], ["--exit-zero.yaml"])
    assert zero.returncode == 0 and "JM103" in zero.stdout, zero.stdout + zero.stderr


def test_a_staged_file_named_as_an_option_writes_no_report_over_another(tmp_path: Path) -> None:
    """A YAML file at the top, outside the maps folders, named ``--output=sarif=notes.yaml``:
    the hook wrote a SARIF report over notes.yaml and the commit's map went unreported; it
    is a file, skipped as outside the maps folders."""
    assert jm_here(tmp_path, "init").returncode == 0
    (tmp_path / "notes.yaml").write_text("keep: me\n")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "start")
    first = tmp_path / "maps" / "first-journey.yaml"
    first.write_text(first.read_text().replace("owner: support", "owner: nobody", 1))
    (tmp_path / "--output=sarif=notes.yaml").write_text("a: 1\n")
    _git(tmp_path, "add", "-A")
    files = ["--output=sarif=notes.yaml", "maps/first-journey.yaml"]  # the staged YAML
    result = _hook(tmp_path, [], files)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "maps/first-journey.yaml:8:8: JM103 [unknown-team]" in result.stdout
    assert (tmp_path / "notes.yaml").read_text() == "keep: me\n"


def test_pre_commit_itself_checks_a_map_named_like_an_option(tmp_path: Path) -> None:
    """The published hook, run by pre-commit on a commit of a map named ``--exit-zero.yaml``
    with the user's ``args``: the map's error fails the commit."""
    maps = _maps_repository(tmp_path, "--exit-zero.yaml")
    hook = {**HOOK, "language": "system", "args": ["--ignore", "placeholder-text"]}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (maps / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(maps, "add", ".pre-commit-config.yaml")
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / ".cache"), "HOME": str(tmp_path)}
    env["PATH"] = f"{BIN}:{env['PATH']}"
    result = subprocess.run(
        [str(BIN / "pre-commit"), "run"], cwd=maps, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "--exit-zero.yaml:8:8: JM103 [unknown-team]" in result.stdout
    assert "JM901" not in result.stdout and "No such option" not in result.stdout


def test_init_says_what_a_config_of_an_earlier_init_lacks(tmp_path: Path) -> None:
    """The config the last init wrote reads a staged file named like an option as one: init
    keeps it (it is the team's) and says what to add."""
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: journeymaps-lint\n        name: journeymaps lint\n"
        "        entry: journeymaps lint --force-exclude --staged-deletions\n        language: system\n"
        "        types_or: [yaml, toml]\n        always_run: true\n"
    )
    said = jm_here(tmp_path, "init")
    assert said.returncode == 0, said.stderr
    assert (
        "kept    .pre-commit-config.yaml (its journeymaps hook reads a staged file named like an option"
        in (said.stdout)
    )
    assert "add --pre-commit to its entry" in said.stdout
    config.write_text(config.read_text().replace("lint --force", "lint --pre-commit --force"))
    assert "journeymaps hook" not in jm_here(tmp_path, "init").stdout


def test_init_reads_the_hook_not_a_comment_naming_what_it_lacks(tmp_path: Path) -> None:
    """init searched the whole config for --pre-commit: this one's comments (init's own,
    pasted above an older entry) name it, and init said nothing of an entry without it."""
    from journeymaps.scaffold import PRE_COMMIT

    config = tmp_path / ".pre-commit-config.yaml"
    old = PRE_COMMIT.replace("lint --pre-commit --force", "lint --force")
    assert "--pre-commit" in old  # in its comments
    config.write_text(old)
    said = jm_here(tmp_path, "init")
    assert said.returncode == 0, said.stderr
    assert "add --pre-commit to its entry" in said.stdout
    # Nor another hook's entry: the journeymaps hook's own entry or args.
    other = "      - {id: other, name: other, entry: other-tool --pre-commit, language: system}\n"
    config.write_text(old.replace("    hooks:\n", "    hooks:\n" + other))
    assert "add --pre-commit to its entry" in jm_here(tmp_path, "init").stdout
    config.write_text(old + "        args: [--pre-commit]\n")
    assert "journeymaps hook" not in jm_here(tmp_path, "init").stdout
    # A settings type only in a comment is no type of the hook's either.
    config.write_text(PRE_COMMIT.replace("types_or: [yaml, toml]", "types: [yaml]  # not toml"))
    assert "use types_or: [yaml, toml]" in jm_here(tmp_path, "init").stdout


def test_a_staged_copy_of_a_map_outside_the_maps_folders_is_no_map_of_the_project(tmp_path: Path) -> None:
    """A draft copied to the repository's top and staged beside its map: skipped as outside
    the maps folders, it was still read as one of the project's maps, and the hook failed the
    commit on a duplicate-id that neither CI's lint nor the site has."""
    assert jm_here(tmp_path, "init").returncode == 0
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "start")
    first = tmp_path / "maps" / "first-journey.yaml"
    first.write_text(first.read_text().replace("TODO the problem is solved", "solved", 1))
    (tmp_path / "draft.yaml").write_text(first.read_text())
    _git(tmp_path, "add", "-A")
    result = _hook(tmp_path, [], ["draft.yaml", "maps/first-journey.yaml"])
    assert result.returncode == 0 and "JM101" not in result.stdout, result.stdout + result.stderr
    assert "in 1 file (1 map)" in result.stdout
    assert jm_here(tmp_path, "lint").returncode == 0  # CI's lint: the same
