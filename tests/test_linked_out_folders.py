"""A maps folder that a link takes out of the project (``maps -> /home/runner/.config``) is
one unreadable-file finding and is not read (see test_maps_folder_links): what the
commands say of it besides that finding, and what else does not walk it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import BASE, TEAMS
from in_process import jm_here
from test_diff import ENV

SECRET = "TOKEN-s3cr3t-value"


def _outside(tmp_path: Path) -> Path:
    """A folder of the machine outside the project, holding YAML with a secret in it."""
    out = tmp_path / "runner-home"
    (out / "sub").mkdir(parents=True)
    (out / "hosts.yaml").write_text(BASE.replace("title: T", f"title: {SECRET}").lstrip(), "utf-8")
    (out / "teams.yaml").write_text(TEAMS.lstrip(), "utf-8")
    (out / "sub" / "more.yaml").write_text(BASE.replace("title: T", f"title: {SECRET}").lstrip(), "utf-8")
    return out


def _project(tmp_path: Path, maps_target: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "maps").symlink_to(maps_target)
    return project


def test_a_folder_not_read_is_counted_as_one_not_as_a_map(tmp_path: Path) -> None:
    """The summary counted the refused folder as "1 file (1 map)": no file of it was read,
    and it is no map. It is counted apart, as the summary counts what is no journey map."""
    project = _project(tmp_path, _outside(tmp_path))
    text = jm_here(project, "lint", "--today", "2026-11-22")
    assert text.returncode == 1, text.stdout
    assert (
        text.stdout.splitlines()[-1]
        == "Found 1 error, 0 warnings, 0 infos in 0 files (0 maps), 1 folder not read."
    )
    github = jm_here(project, "lint", "--format", "github", "--today", "2026-11-22")
    assert (
        github.stdout.splitlines()[-1]
        == "journeymaps: 1 error, 0 warnings in 0 files (0 maps), 1 folder not read"
    )
    # Beside maps that are read, in a folder the settings name by its own path.
    (project / "kept").mkdir()
    (project / "kept" / "a.yaml").write_text(BASE.lstrip(), "utf-8")
    (project / "kept" / "teams.yaml").write_text(TEAMS.lstrip(), "utf-8")
    (project / "journeymaps.toml").write_text('paths = ["maps", "kept"]\n', "utf-8")
    both = jm_here(project, "lint", "--today", "2026-11-22")
    assert both.stdout.splitlines()[-1].endswith(" in 2 files (1 map), 1 folder not read."), both.stdout
    # The build's report and render say the same.
    report = tmp_path / "report.txt"
    jm_here(
        project,
        "build",
        "-o",
        str(tmp_path / "site"),
        "--report",
        f"text={report}",
        env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert report.read_text("utf-8").splitlines()[-1].endswith(" in 2 files (1 map), 1 folder not read.")
    rendered = jm_here(project, "render", "maps", "-o", str(tmp_path / "drawn"))
    assert "1 folder not read (its 1 error above)" in rendered.stdout + rendered.stderr
    assert "map not drawn" not in rendered.stdout + rendered.stderr


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True, env={**ENV, "HOME": str(cwd)})


def _repo(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose maps folder the last commit replaces with a link out of it, and
    the folder it leads to."""
    out = _outside(tmp_path)
    repo = tmp_path / "repo"
    (repo / "maps").mkdir(parents=True)
    (repo / "maps" / "a.yaml").write_text(BASE.lstrip(), "utf-8")
    # A finding in the base's teams.yaml: unread in HEAD, not fixed.
    (repo / "maps" / "teams.yaml").write_text(TEAMS.lstrip() + "  - {id: support, name: Again}\n", "utf-8")
    (repo / "maps" / "personas.yaml").write_text("personas:\n  - {id: admin, name: Admin}\n", "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "maps")
    shutil.rmtree(repo / "maps")
    (repo / "maps").symlink_to(out)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "maps elsewhere")
    return repo, out


def _listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders the run lists (os.walk and pathlib list with os.scandir), by real path."""
    listed: list[str] = []
    scandir = os.scandir

    def watched(path: Any = ".") -> Any:
        if not isinstance(path, int):
            listed.append(os.path.realpath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", watched)
    return listed


@pytest.mark.parametrize("sides", [("HEAD~1", "HEAD"), ("HEAD~1",)], ids=["revisions", "working-tree"])
def test_diff_does_not_list_a_maps_folder_linked_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sides: tuple[str, ...]
) -> None:
    """diff walked the folder (its schema copies' search, the nested-settings check of the
    working tree): ``maps -> /`` listed the whole machine, though no file of it was read."""
    repo, out = _repo(tmp_path)
    (repo / "journeymaps.toml").write_text('exclude = ["drafts/*"]\n', "utf-8")  # the moves' walk too
    listed = _listed(monkeypatch)
    result = jm_here(repo, "diff", *sides, "--today", "2026-11-22")
    assert "Traceback" not in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert [p for p in listed if p == str(out) or p.startswith(str(out) + os.sep)] == []


def test_a_folder_named_below_the_link_is_named_by_the_link(tmp_path: Path) -> None:
    """``lint maps/sub/`` where maps is the link: "the folder maps/sub/ is a link" named a
    folder that is none."""
    out = _outside(tmp_path)
    project = _project(tmp_path, out)
    result = jm_here(project, "lint", "maps/sub/", "--today", "2026-11-22")
    assert result.stdout.startswith(
        f"maps/sub:1:1: JM005 [unreadable-file] error: the folder maps/ is a link to {out.as_posix()}, "
    ), result.stdout
    assert SECRET not in result.stdout


def test_diff_says_a_maps_folder_linked_out_is_one_not_a_map_added(tmp_path: Path) -> None:
    """diff called the folder "map added, but broken" and counted it a map, and the maps
    it had "removed": it is a maps folder that a link takes out of the project, and they
    are not read."""
    repo, out = _repo(tmp_path)
    text = jm_here(repo, "diff", "HEAD~1", "HEAD", "--today", "2026-11-22")
    lines = text.stdout.splitlines()
    said = f"! maps/: folder not read: the folder maps/ is a link to {out.as_posix()}, outside the project"
    assert said in text.stdout, text.stdout
    assert not [line for line in lines if "map added" in line or "map removed" in line], text.stdout
    assert "fixed" not in text.stdout
    assert "persona" not in text.stdout  # personas.yaml is unread there, its personas not removed
    assert "no map in it is compared or checked, nor the 1 finding its files had" in text.stdout
    assert (
        "(m): not read: its folder maps/ is not read, so the map is neither compared nor checked"
        in text.stdout
    )
    comment = jm_here(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown", "--today", "2026-11-22").stdout
    assert "**1 folder not read** · **1 map not read**" in comment, comment
    assert "map added" not in comment and "map removed" not in comment
    data = json.loads(
        jm_here(repo, "diff", "HEAD~1", "HEAD", "--format", "json", "--today", "2026-11-22").stdout
    )
    assert data["summary"]["folders_not_read"] == 1
    assert data["summary"]["maps"]["added"] == 0
    folder = next(m for m in data["maps"] if m["folder"])
    assert folder["file"] == "maps" and folder["problem"]["rule"] == "unreadable-file"
    assert [m["unread_in"] for m in data["maps"] if not m["folder"]] == ["maps"]
    assert {c["kind"] for c in data["changes"]} >= {"folder-not-read"}
    assert SECRET not in json.dumps(data)
    page = tmp_path / "review"
    jm_here(repo, "diff", "HEAD~1", "HEAD", "--site", str(page), "--today", "2026-11-22")
    review = (page / "index.html").read_text("utf-8")
    assert "folder not read: the folder maps/ is a link to" in review
    assert ">folder not read</span>" in review and SECRET not in review


def test_settings_linked_out_of_a_project_above_are_not_read_from_a_folder_beside(tmp_path: Path) -> None:
    """Run from the project's docs/ (an editor's terminal, a CI step's working-directory),
    ``journeymaps lint ../maps/hosts.yaml`` took the nearest settings, where ``maps ->``
    led, over the project's own: only settings inside the working folder were judged. The
    project's settings hold maps/ by its path, so a link taking it out is refused, as that
    project's maps folder is."""
    out = _outside(tmp_path)
    (out / "journeymaps.toml").write_text(f'exclude = ["{SECRET}"]\n', "utf-8")
    project = _project(tmp_path, out)
    (project / "journeymaps.toml").write_text('paths = ["maps"]\n', "utf-8")
    (project / "docs").mkdir()
    result = jm_here(project / "docs", "lint", "../maps/hosts.yaml", "--today", "2026-11-22")
    assert result.returncode == 2, result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert (
        "journeymaps.toml:1:1: JM007 [invalid-settings] error: cannot read settings: the folder that holds it "
        in (result.stdout)
    )
    assert f"outside the project of {(project / 'journeymaps.toml').as_posix()}" in result.stdout
    # From /, which holds everything: the project's settings hold maps/ by its path all the same.
    from_top = jm_here(Path("/"), "lint", str(project / "maps" / "hosts.yaml"), "--today", "2026-11-22")
    assert from_top.returncode == 2 and SECRET not in from_top.stdout + from_top.stderr, from_top.stdout
    # Named by its own path, it is read: the command line chose it, no link in a repository did.
    named = jm_here(
        project / "docs", "lint", "--config", str(out / "journeymaps.toml"), str(out / "hosts.yaml")
    )
    assert named.returncode == 0 and named.stdout.startswith("All checks passed"), named.stdout


def test_serve_does_not_list_a_folder_a_link_takes_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve's watcher walked the maps folders ten times a second, following links to
    folders lint never follows: ``maps -> /`` or ``maps/sub -> /`` listed the whole machine
    each time. The maps folder linked out is looked at (its link replaced is a change), not
    listed; a link to a folder inside it is not walked."""
    from journeymaps.settings import load_settings
    from journeymaps.site.serve import snapshot
    from journeymaps.site.watching import watched

    out = _outside(tmp_path)
    project = _project(tmp_path, out)
    folders, files = watched([], load_settings(project), {}, [])
    assert folders == [] and project / "maps" in files
    real = tmp_path / "real"
    (real / "maps").mkdir(parents=True)
    (real / "maps" / "a.yaml").write_text("id: a\n", "utf-8")
    (real / "maps" / "sub").symlink_to(out)
    listed = _listed(monkeypatch)
    seen = snapshot([real / "maps"], [])
    assert sorted(seen) == [str(real / "maps" / "a.yaml")]
    assert [p for p in listed if p.startswith(str(out))] == []
