"""The pre-commit hook (pre-commit itself, on a real git repository) when a commit changes
the settings: every map they apply to is checked again, as lint --changed-since does."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import ROOT
from test_integrations import GIT_ENV, _init_committed, _pre_commit


def test_a_commit_that_only_deletes_the_settings_runs_the_hook_on_every_map(tmp_path: Path) -> None:
    """The settings turned a rule off; a commit deleting journeymaps.toml turned it back on,
    and the hook said "Nothing to check: 0 files." and passed, while CI failed on the map."""
    _git = _init_committed(tmp_path)
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text() + '\n[rules]\nunknown-team = "off"\n')
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    _git(["git", "commit", "-qam", "a team nobody listed, and its rule off"])
    assert _pre_commit(tmp_path, "run").returncode == 0
    _git(["git", "rm", "-q", "journeymaps.toml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/billing-dispute.yaml:" in result.stdout and "[unknown-team]" in result.stdout
    assert "journeymaps.toml is deleted (staged): every file is checked" in result.stdout


def test_a_commit_deleting_the_settings_of_maps_in_a_subfolder_checks_them(tmp_path: Path) -> None:
    """pre-commit runs at the repository's top: with journeys/journeymaps.toml deleted, the
    hook looked for maps/ there, found none, said "Nothing to check" and passed the maps the
    settings' rules, back on, fail."""
    project = tmp_path / "journeys"
    shutil.copytree(ROOT / "maps", project / "maps")
    owned = project / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    (project / "journeymaps.toml").write_text('[rules]\nunknown-team = "off"\n')
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = {"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    run_git = functools.partial(subprocess.run, cwd=tmp_path, check=True, env={**os.environ, **GIT_ENV})
    run_git(["git", "init", "-q", "-b", "main"])
    run_git(["git", "add", "."])
    run_git(["git", "commit", "-qm", "maps"])
    run_git(["git", "rm", "-q", "journeys/journeymaps.toml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert (
        "journeys/maps/support/billing-dispute.yaml:" in result.stdout and "[unknown-team]" in result.stdout
    )
    assert "journeys/journeymaps.toml is deleted (staged): every file is checked" in result.stdout


def test_settings_put_into_the_maps_folder_fail_the_hook_with_why(tmp_path: Path) -> None:
    """A journeymaps.toml added in maps/ is the nearest settings of every map there, and its
    maps folder (maps/maps) does not exist: the hook said "every file is checked", then
    "Nothing to check: 0 files.", and passed a map with an unknown owner that CI's lint,
    read with the project's settings, failed."""
    _git = _init_committed(tmp_path)
    (tmp_path / "maps" / "journeymaps.toml").write_text('[rules]\nunknown-team = "off"\n')
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert (
        "maps/journeymaps.toml is the settings of maps/support/billing-dispute.yaml, and no maps folder "
        "it names exists (maps/maps/)"
    ) in result.stdout, result.stdout


def test_a_nested_settings_file_is_said_by_the_hook_and_by_lint_alike(tmp_path: Path) -> None:
    """maps/support/journeymaps.toml: the hook, naming maps/support's files, used it (the
    nearest); ``journeymaps lint`` in CI, from the top, used journeymaps.toml for the same maps.
    Each judged the maps differently without a word: now each names both settings files."""
    from conftest import jm

    _git = _init_committed(tmp_path)
    (tmp_path / "maps" / "support" / "journeymaps.toml").write_text(
        'paths = ["."]\n[rules]\nunknown-team = "off"\n'
    )
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    _git(["git", "add", "-A"])
    said = (
        "maps/support/journeymaps.toml and journeymaps.toml both apply to maps/support/: "
        "journeymaps lint naming files there uses maps/support/journeymaps.toml, "
        "journeymaps lint from journeymaps.toml's folder uses journeymaps.toml"
    )
    hook = _pre_commit(tmp_path, "run")
    assert said in hook.stdout, hook.stdout + hook.stderr
    ci = jm(tmp_path, "lint")
    assert ci.returncode == 1 and "[unknown-team]" in ci.stdout, ci.stdout + ci.stderr
    assert said in ci.stderr, ci.stderr


def test_a_toml_file_in_a_maps_folder_is_not_read_as_a_map_by_the_hook(tmp_path: Path) -> None:
    """pre-commit names TOML files too (a settings change checks every map): one in a maps
    folder was read as a map, and the hook failed on schema at its line 1, where lint, which
    reads YAML only, passed."""
    _git = _init_committed(tmp_path)
    (tmp_path / "maps" / "support" / "typos.toml").write_text('[default]\nextend-ignore-re = ["SLA"]\n')
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 0 and "Passed" in result.stdout, result.stdout + result.stderr
