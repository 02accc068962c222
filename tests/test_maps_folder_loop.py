"""A maps folder that is a link leading round in a loop (``maps -> maps``, or ``maps ->
other -> maps``), as a pull request can make it: a folder not read, as a link out of the
project is (see test_linked_out_folders), in diff, lint, build and render alike."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BASE, TEAMS
from in_process import jm_here
from test_diff import ENV

TODAY = ("--today", "2026-11-22")
SAID = (
    "the folder maps/ is a link that leads back to itself (a loop of links), so no file in it is read: "
    "replace the link with the folder, or remove it"
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True, env={**ENV, "HOME": str(cwd)})


def _loop(repo: Path, links: int) -> None:
    """maps/ replaced by a link to itself (1), or by one of two links leading to each other."""
    shutil.rmtree(repo / "maps")
    if links == 1:
        (repo / "maps").symlink_to("maps")
    else:
        (repo / "maps").symlink_to("other")
        (repo / "other").symlink_to("maps")


def _repo(tmp_path: Path, links: int = 1, *, commit: bool = True) -> Path:
    """A repository of two maps whose last commit (or working tree) loops its maps folder."""
    repo = tmp_path / "repo"
    (repo / "maps").mkdir(parents=True)
    (repo / "maps" / "a.yaml").write_text(BASE.lstrip(), "utf-8")
    (repo / "maps" / "b.yaml").write_text(BASE.lstrip().replace("id: m", "id: n"), "utf-8")
    (repo / "maps" / "teams.yaml").write_text(TEAMS.lstrip(), "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "maps")
    _loop(repo, links)
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "maps loop")
    return repo


@pytest.mark.parametrize("links", [1, 2], ids=["to-itself", "two-links"])
@pytest.mark.parametrize("committed", [True, False], ids=["revisions", "working-tree"])
def test_diff_says_the_folder_is_not_read_not_that_its_maps_were_removed(
    tmp_path: Path, links: int, committed: bool
) -> None:
    """diff said "map removed" of each map of the base: the folder is not read, as diff
    says of a maps folder a link takes out of the project."""
    repo = _repo(tmp_path, links, commit=committed)
    sides = ("HEAD~1", "HEAD") if committed else ("HEAD",)
    text = jm_here(repo, "diff", *sides, *TODAY)
    assert text.returncode == 0, text.stdout + text.stderr
    assert f"! maps/: folder not read: {SAID}; no map in it is compared or checked" in text.stdout, (
        text.stdout
    )
    assert "removed" not in text.stdout and "Traceback" not in text.stdout + text.stderr
    assert text.stdout.count("not read: its folder maps/ is not read, so the map is neither compared") == 2
    data = json.loads(jm_here(repo, "diff", *sides, "--format", "json", *TODAY).stdout)
    assert data["summary"]["folders_not_read"] == 1
    assert data["summary"]["maps"]["added"] == 0
    # each map of the base: in the folder not read (README: "unread_in"), not removed
    assert sorted(m["unread_in"] for m in data["maps"] if not m["folder"]) == ["maps", "maps"]
    assert {c["kind"] for c in data["changes"]} >= {"folder-not-read"}


@pytest.mark.parametrize("links", [1, 2], ids=["to-itself", "two-links"])
def test_lint_build_and_render_say_the_folder_is_not_read(tmp_path: Path, links: int) -> None:
    """lint said "no maps folder found", exit 2, though maps/ was there; build and render
    the same. It is one unreadable-file finding, "1 folder not read", exit 1, as for a link
    out of the project."""
    repo = _repo(tmp_path, links)
    linted = jm_here(repo, "lint", *TODAY)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert linted.stdout.splitlines() == [
        f"maps:1:1: JM005 [unreadable-file] error: {SAID}",
        "Found 1 error, 0 warnings, 0 infos in 0 files (0 maps), 1 folder not read.",
    ]
    built = jm_here(repo, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 1, built.stdout + built.stderr
    assert SAID[1:] in (repo / "site" / "findings.html").read_text("utf-8")  # "The folder" there
    rendered = jm_here(repo, "render")
    assert rendered.returncode == 1, rendered.stdout + rendered.stderr
    assert "1 folder not read (its 1 error above)" in rendered.stdout + rendered.stderr
    for result in (linted, built, rendered):
        assert (
            "Traceback" not in result.stdout + result.stderr and "no maps folder found" not in result.stderr
        )


def _chain(repo: Path, links: int) -> None:
    """maps/ moved to real/ and named by a chain of ``links`` links, one to the next: no
    loop, but more than the system follows (40 on Linux)."""
    (repo / "maps").rename(repo / "real")
    before = "real"
    for n in range(1, links + 1):
        (repo / f"l{n}").symlink_to(before)
        before = f"l{n}"
    (repo / "maps").symlink_to(before)


def test_a_chain_of_too_many_links_is_not_called_a_loop(tmp_path: Path) -> None:
    """maps/ named by a chain of 45 links that leads to the maps, no loop: lint, build and
    diff said it "leads back to itself (a loop of links)", and to remove it: a chain
    too long, to link to the folder itself."""
    repo = _repo(tmp_path, commit=False)
    (repo / "maps").unlink()
    git(repo, "checkout", "-q", "--", "maps")
    _chain(repo, 45)
    said = (
        "the folder maps/ is a chain of more links than the system follows (40 on Linux), one to the next, "
        "so no file in it is read: replace the link with the folder, or link it to the folder itself"
    )
    linted = jm_here(repo, "lint", *TODAY)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert linted.stdout.splitlines() == [
        f"maps:1:1: JM005 [unreadable-file] error: {said}",
        "Found 1 error, 0 warnings, 0 infos in 0 files (0 maps), 1 folder not read.",
    ]
    text = jm_here(repo, "diff", "HEAD", *TODAY)  # the working tree's (a revision has no l1...l45)
    assert f"! maps/: folder not read: {said}; no map in it is compared or checked" in text.stdout, (
        text.stdout
    )
    assert "loop" not in text.stdout and "removed" not in text.stdout
    (repo / "l31").unlink()  # a chain of 16 links is followed
    (repo / "l31").symlink_to("real")
    shorter = jm_here(repo, "lint", *TODAY).stdout
    assert "(2 maps)" in shorter and "not read" not in shorter, shorter


def test_lint_counts_a_loop_and_a_link_out_as_folders_whatever_their_findings_say(tmp_path: Path) -> None:
    """A looped maps folder was told from a file by its finding's words: reworded, it would
    have been "1 file" of the summary while still not read; a maps folder linked out of
    the project to nothing was "1 file (1 map)" (no folder on the disk). The read policy marks the
    folders it refuses, a loop and a link out of the project alike, so the summary (text
    and JSON) counts them as folders whatever their findings say (not looked at here)."""
    outside = tmp_path / "runner-home"
    outside.mkdir()
    (outside / "hosts.yaml").write_text(BASE.lstrip(), "utf-8")
    project = tmp_path / "project"
    (project / "kept").mkdir(parents=True)
    (project / "kept" / "a.yaml").write_text(BASE.lstrip(), "utf-8")
    (project / "kept" / "teams.yaml").write_text(TEAMS.lstrip(), "utf-8")
    (project / "maps").symlink_to("maps")  # a loop
    (project / "out").symlink_to(outside)  # out of the project
    asked = ("kept", "maps", "out")  # a settings' path that loops is invalid settings

    text = jm_here(project, "lint", *asked, *TODAY)
    assert text.returncode == 1, text.stdout + text.stderr
    *findings, summary = text.stdout.splitlines()
    assert [f.split(" error: ")[0] for f in findings] == [
        "maps:1:1: JM005 [unreadable-file]",
        "out:1:1: JM005 [unreadable-file]",
    ], text.stdout
    assert summary.endswith(" in 2 files (1 map), 2 folders not read."), summary
    data = json.loads(jm_here(project, "lint", *asked, "--format", "json", *TODAY).stdout)
    assert data["summary"]["files"] == 2 and data["summary"]["maps"] == 1, data["summary"]
    assert sorted(f["file"] for f in data["findings"]) == ["maps", "out"]

    # A maps folder a link takes out of the project to nothing ("the folder maps/ is a link
    # to ..."): no folder on the disk, it was "1 file (1 map)".
    gone = tmp_path / "gone"
    gone.mkdir()
    (gone / "maps").symlink_to(tmp_path / "not-there")
    text = jm_here(gone, "lint", "maps", *TODAY)
    assert text.returncode == 1, text.stdout + text.stderr
    assert text.stdout.startswith("maps:1:1: JM005 [unreadable-file] error: the folder maps/ is a link")
    assert text.stdout.splitlines()[-1].endswith(" in 0 files (0 maps), 1 folder not read."), text.stdout
    data = json.loads(jm_here(gone, "lint", "maps", "--format", "json", *TODAY).stdout)
    assert data["summary"]["files"] == 0 and data["summary"]["maps"] == 0, data["summary"]
