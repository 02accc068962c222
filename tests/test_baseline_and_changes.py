"""Baselines and --changed-since, on a real git repository made by the test."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

from conftest import BASE, write_files
from conftest import jm as run_jm

GOOD = textwrap.dedent(BASE).strip() + "\n"
NO_OWNER = GOOD.replace("owner: support\nreviewed", "reviewed")


def jm(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_jm(cwd, *args, "--today", "2026-11-22")


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
    }
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env).stdout


def test_baseline_hides_known_findings_and_shows_new_ones(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"old.yaml": NO_OWNER})
    assert jm(tmp_path, "lint").returncode == 1
    recorded = jm(tmp_path, "baseline")
    assert recorded.returncode == 0 and "Recorded 1 findings" in recorded.stdout
    data = json.loads((tmp_path / ".journeymaps-baseline.json").read_text())
    assert data["version"] == 1 and data["findings"][0]["rule"] == "missing-owner"

    quiet = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json")
    assert quiet.returncode == 0 and "1 known finding" in quiet.stderr
    # Lines moving does not resurface a known finding...
    path = tmp_path / "maps" / "old.yaml"
    path.write_text("# moved down\n\n" + path.read_text())
    assert jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json").returncode == 0
    # ...but a new one fails.
    write_files(tmp_path / "maps", {"new.yaml": NO_OWNER.replace("id: m\n", "id: n\n")})
    new = jm(tmp_path, "lint", "--baseline", ".journeymaps-baseline.json", "--format", "json")
    assert new.returncode == 1
    assert [f["file"] for f in json.loads(new.stdout)["findings"]] == ["maps/new.yaml"]


def test_a_broken_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    (tmp_path / "b.json").write_text("{not json")
    result = jm(tmp_path, "lint", "--baseline", "b.json")
    assert result.returncode == 2 and "not a journeymaps baseline" in result.stderr


def test_changed_since_reports_only_changed_maps_with_the_whole_folder_as_context(tmp_path: Path) -> None:
    future = GOOD.replace("id: m\ntitle: T\n", "id: f\ntitle: F\nstate: future\nbased_on: m\n")
    write_files(tmp_path / "maps", {"current.yaml": NO_OWNER, "future.yaml": future})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    assert "No map changed" in jm(tmp_path, "lint", "--changed-since", base).stderr
    # Change the future map: the unchanged current map's error is not reported, and
    # based_on still resolves because the whole folder is read.
    path = tmp_path / "maps" / "future.yaml"
    path.write_text(path.read_text().replace("title: F", "title: F2") + "x-note: changed\n")
    result = jm(tmp_path, "lint", "--changed-since", base, "--format", "json")
    document = json.loads(result.stdout)
    assert result.returncode == 0, document
    assert document["findings"] == [] and document["summary"]["files"] == 1
    # A new, untracked map counts as changed.
    write_files(tmp_path / "maps", {"added.yaml": NO_OWNER.replace("id: m\n", "id: a\n")})
    added = json.loads(jm(tmp_path, "lint", "--changed-since", base, "--format", "json").stdout)
    assert {f["file"] for f in added["findings"]} == {"maps/added.yaml"}


def test_changed_since_an_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": GOOD})
    git(tmp_path, "init", "-q")
    result = jm(tmp_path, "lint", "--changed-since", "no-such-rev")
    assert result.returncode == 2 and "--changed-since no-such-rev" in result.stderr
