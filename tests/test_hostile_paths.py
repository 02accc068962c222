"""Names a hostile repository gives its files and folders (control characters, line breaks,
``::`` workflow commands) in what journeymaps writes on standard error: each on one line,
escaped, as lint's notes are."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import jm
from in_process import jm_here

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@e",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@e",
}
#: A name that, written raw, retitles the terminal (OSC) and starts a line GitHub's runner
#: reads as a workflow command (it reads them on standard error too).
HOSTILE = "x\x1b]0;pwned\x07\n::error title=pwned::y"
SHOWN = "x\\x1b]0;pwned\\x07\\n::error title=pwned::y"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def _repository(tmp_path: Path, settings: str = "") -> Path:
    assert jm_here(tmp_path, "init").returncode == 0
    with (tmp_path / "journeymaps.toml").open("a") as f:
        f.write(settings)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "start")
    return tmp_path


def _assert_escaped(stderr: str) -> None:
    assert "\x1b" not in stderr and "\x07" not in stderr, stderr
    assert not [line for line in stderr.splitlines() if line.startswith("::")], stderr
    assert SHOWN in stderr, stderr


def test_diff_check_names_a_map_moved_to_an_excluded_hostile_name_on_one_line(tmp_path: Path) -> None:
    """A map moved where the settings exclude it, to a file named with ESC and a line break:
    --check's verdict wrote the name raw, the terminal retitled and a line '::error
    title=pwned::...' on standard error, an annotation the change wrote itself."""
    repo = _repository(tmp_path, 'exclude = ["maps/archive/**"]\n')
    (repo / "maps" / "archive").mkdir()
    (repo / "maps" / "first-journey.yaml").rename(repo / "maps" / "archive" / f"{HOSTILE}.yaml")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "archived")
    result = jm_here(repo, "diff", "HEAD~1", "HEAD", "--check")
    assert "moved where the settings exclude it, out of every check" in result.stderr, result.stderr
    _assert_escaped(result.stderr)


def test_diff_names_a_nested_settings_file_in_a_hostile_folder_on_one_line(tmp_path: Path) -> None:
    """A settings file in a maps folder named with ESC and a line break: lint's warning
    escaped the name, diff's (the CI gate's) wrote it raw."""
    repo = _repository(tmp_path)
    folder = repo / "maps" / HOSTILE
    folder.mkdir()
    (folder / "journeymaps.toml").write_text("review-cadence-days = 30\n")
    first = (repo / "maps" / "first-journey.yaml").read_text()
    (folder / "m.yaml").write_text(first.replace("id: first-journey", "id: second-journey"))
    result = jm_here(repo, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "both apply to" in result.stderr, result.stderr
    _assert_escaped(result.stderr)


def test_the_hook_checks_the_maps_based_on_a_deleted_map_named_with_a_line_break(tmp_path: Path) -> None:
    """A map named 'a<LF>b.yaml' deleted (staged), another map based on it: its bytes in
    HEAD were never asked of git (its batch reads one name a line), so the hook said
    "Nothing to check: 0 files" and passed a commit that breaks the other map."""
    repo = _repository(tmp_path)
    first = repo / "maps" / "first-journey.yaml"
    text = first.read_text()
    (repo / "maps" / "a\nb.yaml").write_text(text.replace("id: first-journey", "id: base-map"))
    first.write_text(text.replace("id: first-journey\n", "id: first-journey\nbased_on: base-map\n"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "based on")
    _git(repo, "rm", "-q", "maps/a\nb.yaml")
    result = jm(repo, "lint", "--pre-commit", "--force-exclude", "--staged-deletions")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "maps/a\\nb.yaml is deleted (staged)" in result.stderr
    assert (
        "maps/first-journey.yaml:6:11: JM102 [unknown-reference] error: based_on: no map with id 'base-map'"
        in result.stdout
    ), result.stdout


def test_the_hook_says_a_teams_yaml_staged_as_a_broken_link_changed_not_deleted(tmp_path: Path) -> None:
    """maps/teams.yaml made a link that leads back to itself, and staged: the hook said
    "maps/teams.yaml is deleted (staged)" of a file the commit keeps, above its error."""
    repo = _repository(tmp_path)
    teams = repo / "maps" / "teams.yaml"
    teams.unlink()
    teams.symlink_to("teams.yaml")
    _git(repo, "add", "-A")
    result = jm(repo, "lint", "--pre-commit", "--force-exclude", "--staged-deletions")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "maps/teams.yaml changed: the maps that use it are checked" in result.stderr, result.stderr
    assert "deleted" not in result.stderr, result.stderr
    assert (
        "maps/teams.yaml:1:1: JM005 [unreadable-file] error: the file is a link that leads back"
        in result.stdout
    )


def test_a_settings_file_linked_into_a_maps_folder_is_said_a_link(tmp_path: Path) -> None:
    """maps/sub/journeymaps.toml a link to the top journeymaps.toml: lint naming a map there
    (the hook) read it from maps/sub/, its paths naming no folder there, and passed the map's
    unknown owner that CI fails; the warning said to move these settings into the file they
    are, not that the link is the cause."""
    repo = _repository(tmp_path)
    sub = repo / "maps" / "sub"
    sub.mkdir()
    text = (repo / "maps" / "first-journey.yaml").read_text()
    (sub / "x.yaml").write_text(
        text.replace("id: first-journey", "id: x").replace("owner: support", "owner: nobody")
    )
    (sub / "journeymaps.toml").symlink_to("../../journeymaps.toml")
    # Read from maps/sub/ (the hook naming the map), the link leads out of its folder: refused,
    # as any settings link out of the project is, with the way out that fits.
    hook = jm_here(repo, "lint", "maps/sub/x.yaml")
    assert hook.returncode == 2, hook.stdout
    assert (
        "maps/sub/journeymaps.toml:1:1: JM007 [invalid-settings] error: cannot read settings:" in hook.stdout
    )
    assert "remove the link: the settings file it leads to applies to this folder without it" in hook.stdout
    for args in (["lint"], ["diff", "HEAD"]):
        result = jm_here(repo, *args)
        assert (
            "warning: maps/sub/journeymaps.toml is a link to journeymaps.toml: journeymaps lint naming "
            "files in maps/sub/ reads it as the settings of maps/sub/"
        ) in result.stderr, (args, result.stderr)
        assert "remove the link (journeymaps.toml applies to maps/sub/ without it)" in result.stderr
        assert "move these settings" not in result.stderr
    (sub / "journeymaps.toml").unlink()  # as said: the hook then fails what CI fails
    assert "JM103 [unknown-team]" in jm_here(repo, "lint", "maps/sub/x.yaml").stdout
