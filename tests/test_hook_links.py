"""The pre-commit hook (pre-commit itself, on a real git repository) with files staged that
pre-commit does not name to it (its types are YAML and TOML): a map staged as a link (tagged
"symlink", never "yaml"), a metrics snapshot (JSON), a persona's photo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import ROOT
from test_integrations import GIT_ENV, _init_committed, _pre_commit

MAP = "maps/support/billing-dispute.yaml"


def test_a_map_replaced_by_a_link_to_another_map_fails_the_hook(tmp_path: Path) -> None:
    """A map made a link to another map is that map twice (duplicate-id): pre-commit named
    no file, the hook said "Nothing to check: 0 files." and passed; lint failed."""
    _git = _init_committed(tmp_path)
    (tmp_path / MAP).unlink()
    (tmp_path / MAP).symlink_to("admin-locked-out.yaml")
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert f"{MAP}:" in result.stdout and "[duplicate-id]" in result.stdout, result.stdout


def test_a_new_link_to_a_map_fails_the_hook(tmp_path: Path) -> None:
    _git = _init_committed(tmp_path)
    (tmp_path / "maps" / "copy.yaml").symlink_to("support/admin-locked-out.yaml")
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "[duplicate-id]" in result.stdout, result.stdout


def test_a_link_staged_outside_the_maps_folders_checks_nothing(tmp_path: Path) -> None:
    """The hook runs on every commit: a link elsewhere (a README's) is no map."""
    _git = _init_committed(tmp_path)
    (tmp_path / "README.md").write_text("Our journeys\n")
    (tmp_path / "LIESMICH.md").symlink_to("README.md")
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_conflicted_metrics_snapshot_fails_the_hook(tmp_path: Path) -> None:
    """A snapshot is JSON: pre-commit named none, and a merge's conflict markers committed in
    one (unreadable-snapshot, an error of the map) passed the hook; lint failed."""
    shutil.copytree(ROOT / "examples" / "metrics", tmp_path / "metrics")
    _git = _init_committed(tmp_path)
    snapshot = tmp_path / "metrics" / "billing-dispute.json"
    snapshot.write_text("<<<<<<< HEAD\n" + snapshot.read_text())
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert f"{MAP}:" in result.stdout and "[unreadable-snapshot]" in result.stdout, result.stdout
    assert "maps whose metrics snapshot changed are checked (1 more)" in result.stdout


def test_a_persona_photo_that_is_no_image_fails_the_hook(tmp_path: Path) -> None:
    _git = _init_committed(tmp_path)
    (tmp_path / "maps" / "personas" / "workspace-admin.png").write_text("not a picture\n")
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "[persona-photo]" in result.stdout, result.stdout


def test_a_link_staged_in_the_first_commit_fails_the_hook(tmp_path: Path) -> None:
    """Before the first commit there is no HEAD to compare the index with: the links staged
    were never looked at, and a map linked to nothing passed the hook while lint failed."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps", ignore=shutil.ignore_patterns("teams.yaml"))
    (tmp_path / "maps" / "old-outage.yaml").symlink_to("archive/outage.yaml")  # moved away
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = {"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    for args in (["init", "-q", "-b", "main"], ["add", "."]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env={**os.environ, **GIT_ENV})
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/old-outage.yaml:1:1:" in result.stdout and "[unreadable-file]" in result.stdout


def test_a_schema_copy_staged_alone_checks_the_maps_pointing_at_it(tmp_path: Path) -> None:
    """The copy is JSON, which pre-commit never names: a commit writing back an old version
    said "Nothing to check" and passed, while lint (schema-reference set to error) failed on
    every map whose editor comment points at it."""
    _git = _init_committed(tmp_path)
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text() + '\n[rules]\nschema-reference = "error"\n')
    _git(["git", "commit", "-qam", "editor comments must lead to this version's schema"])
    copy = tmp_path / "schema" / "journey-map.schema.json"
    copy.write_text(copy.read_text().replace('"title": ', '"title": "v0 ', 1))
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert f"{MAP}:1:33:" in result.stdout and "[schema-reference] error" in result.stdout
    assert "a schema copy changed: files whose editor comment names it are checked" in result.stdout


def test_other_json_staged_alone_checks_nothing(tmp_path: Path) -> None:
    """Only a schema is read for: a package.json bumped reads no map."""
    _git = _init_committed(tmp_path)
    (tmp_path / "package.json").write_text('{"name": "journeys"}\n')
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run", "--verbose")
    assert result.returncode == 0 and "Nothing to check" in result.stdout, result.stdout + result.stderr


def test_paths_are_resolved_as_realpath_resolves_them(tmp_path: Path) -> None:
    """What the named files can break is found by where each file leads (git names a link's
    target): each folder is resolved once and a file only when it is a link
    (``changed.RealPaths``), and that must be ``os.path.realpath``, whatever the links."""
    from journeymaps.changed import RealPaths

    real, elsewhere = tmp_path / "real", tmp_path / "elsewhere"
    real.mkdir()
    elsewhere.mkdir()
    (real / "a.yaml").write_text("id: a\n")
    (elsewhere / "b.yaml").write_text("id: b\n")
    (tmp_path / "linked").symlink_to(real)  # a folder that is a link
    (real / "to-b.yaml").symlink_to(elsewhere / "b.yaml")  # a file that is a link
    (real / "to-to-b.yaml").symlink_to(real / "to-b.yaml")  # a link to a link
    (real / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (real / "loop.yaml").symlink_to(real / "loop.yaml")
    (real / "up").symlink_to(tmp_path)  # a folder link leading back up
    paths = [
        real / "a.yaml",
        tmp_path / "linked" / "a.yaml",
        tmp_path / "linked" / "to-b.yaml",
        tmp_path / "linked" / "to-to-b.yaml",
        tmp_path / "linked" / "missing.yaml",
        real / "dangling.yaml",
        real / "loop.yaml",
        real / "up" / "linked" / "a.yaml",
        tmp_path / "nowhere" / "x.yaml",
    ]
    resolve = RealPaths()
    for path in paths * 2:  # the second time from the folders it resolved
        assert resolve(path) == Path(os.path.realpath(path)), path
