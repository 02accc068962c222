"""A settings file that is a link: read when it leads inside its own folder (the project's
top), refused, with nothing of the file it leads to quoted, when it leads out of it. A pull
request's journeymaps.toml linked to a file of the CI machine had its values printed in the
log ("paths: expected a list, got 's3cr3t-value'")."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from in_process import jm_here

SECRET = 'paths = "s3cr3t-value"\n'
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@e",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@e",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def _project(tmp_path: Path) -> Path:
    """A new project in ``tmp_path/project``, and a secret TOML file beside it."""
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "creds.toml").write_text(SECRET, "utf-8")
    project = tmp_path / "project"
    project.mkdir()
    assert jm_here(project, "init").returncode == 0
    return project


def _assert_refused(output: str, name: str = "journeymaps.toml") -> None:
    assert "s3cr3t" not in output, output
    assert (
        f"{name}:1:1: JM007 [invalid-settings] error: cannot read settings: the file is a link to " in output
    )
    assert "outside the folder that holds it" in output, output


def test_lint_and_build_refuse_settings_linked_out_of_the_project(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "journeymaps.toml").unlink()
    (project / "journeymaps.toml").symlink_to("../secret/creds.toml")
    lint = jm_here(project, "lint")
    assert lint.returncode == 2, lint.stdout + lint.stderr
    _assert_refused(lint.stdout + lint.stderr)
    build = jm_here(project, "build", "-o", "out")
    assert build.returncode == 2, build.stdout + build.stderr
    _assert_refused(build.stdout + build.stderr)
    assert not (project / "out").exists()


def test_a_pyproject_linked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "journeymaps.toml").unlink()
    (tmp_path / "secret" / "pyproject.toml").write_text(f"[tool.journeymaps]\n{SECRET}", "utf-8")
    (project / "pyproject.toml").symlink_to(tmp_path / "secret" / "pyproject.toml")
    lint = jm_here(project, "lint")
    assert lint.returncode == 2, lint.stdout + lint.stderr
    _assert_refused(lint.stdout + lint.stderr, "pyproject.toml")


def test_settings_linked_within_the_project_are_read(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "config").mkdir()
    (project / "journeymaps.toml").rename(project / "config" / "journeymaps.toml")
    (project / "config" / "journeymaps.toml").write_text('paths = ["maps"]\nrules = {unknown-team = "off"}\n')
    (project / "journeymaps.toml").symlink_to("config/journeymaps.toml")
    (project / "maps" / "first-journey.yaml").write_text(
        (project / "maps" / "first-journey.yaml").read_text("utf-8").replace("owner: ", "owner: x-", 1)
    )
    lint = jm_here(project, "lint")
    # read: the unknown owner passes, as the linked settings say
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "Found 0 errors" in lint.stdout and "[unknown-team]" not in lint.stdout, lint.stdout


def test_settings_linked_to_nothing_say_where_the_link_leads(tmp_path: Path) -> None:
    """It read "cannot read settings: No such file or directory", of a file the user could see."""
    project = _project(tmp_path)
    (project / "journeymaps.toml").unlink()
    (project / "journeymaps.toml").symlink_to("shared/journeymaps.toml")
    lint = jm_here(project, "lint")
    assert lint.returncode == 2, lint.stdout
    assert (
        "journeymaps.toml:1:1: JM007 [invalid-settings] error: cannot read settings: the file is a "
        "link to shared/journeymaps.toml, which does not exist"
    ) in lint.stdout, lint.stdout


def test_diff_refuses_a_revisions_settings_linked_out_of_the_project(tmp_path: Path) -> None:
    """diff reads each side's settings in a temporary copy: a link there to an absolute
    path leads out of it as out of the working tree, on either side."""
    project = _project(tmp_path)
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "start")
    kept = (project / "journeymaps.toml").read_text("utf-8")
    (project / "journeymaps.toml").unlink()
    (project / "journeymaps.toml").symlink_to(tmp_path / "secret" / "creds.toml")
    _git(project, "commit", "-qam", "linked")
    (project / "journeymaps.toml").unlink()
    (project / "journeymaps.toml").write_text(kept, "utf-8")  # the working tree's are fine
    head = jm_here(project, "diff", "HEAD~1", "HEAD", "--check")
    assert head.returncode == 2, head.stdout + head.stderr
    assert "s3cr3t" not in head.stdout + head.stderr
    assert "journeymaps.toml:1:1: invalid-settings in HEAD: cannot read settings: the file is a link to" in (
        head.stderr
    )
    _git(project, "commit", "-qam", "unlinked")
    base = jm_here(project, "diff", "HEAD~1", "HEAD")
    assert "s3cr3t" not in base.stdout + base.stderr
    assert "does not load in HEAD~1" in base.stdout and "outside the folder that holds it" in base.stdout


def test_a_wrong_typed_settings_value_is_quoted_short_and_escaped(tmp_path: Path) -> None:
    """A guard (it held before): a value of the wrong type is quoted to 40 characters, its
    line breaks and control characters escaped, in every format, so settings cannot write
    a file's lines, or terminal escapes, into a log."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "journeymaps.toml").write_text(
        'paths = """first line\nsecond \\u001b]0;pwned\\u0007 line, and then the rest of a long secret"""\n',
        "utf-8",
    )
    for fmt in ("text", "github", "json", "sarif", "junit", "gitlab"):
        result = jm_here(tmp_path, "lint", "--format", fmt)
        assert result.returncode == 2, (fmt, result.stdout)
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, fmt
        assert "the rest of a long secret" not in result.stdout, fmt
        assert "first line second" in result.stdout, fmt
