"""The pre-commit hook (pre-commit itself, on a real git repository) run on two revisions,
as a pre-push hook is and as CI runs it (``pre-commit run --from-ref origin/main --to-ref
HEAD``): nothing is staged then, and the files those commits delete must be seen."""

from __future__ import annotations

from pathlib import Path

from test_integrations import _init_committed, _pre_commit


def test_a_pushed_commit_deleting_a_map_fails_the_hook_on_the_maps_it_breaks(tmp_path: Path) -> None:
    """The hook compared the index with HEAD, where nothing is staged: "Passed", while the
    map based on the deleted one and the map whose pain point it caused failed lint."""
    _git = _init_committed(tmp_path)
    _git(["git", "checkout", "-q", "-b", "tidy"])
    _git(["git", "rm", "-q", "maps/support/admin-locked-out.yaml"])
    _git(["git", "commit", "-qm", "an old map goes", "--no-verify"])
    result = _pre_commit(tmp_path, "run", "--from-ref", "main", "--to-ref", "HEAD")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/admin-locked-out-future.yaml:5:11: JM102 [unknown-reference]" in result.stdout
    assert "maps/support/production-outage.yaml:" in result.stdout
    assert "maps/support/admin-locked-out.yaml was deleted since main" in result.stdout


def test_pushed_commits_that_delete_nothing_the_maps_read_check_nothing(tmp_path: Path) -> None:
    _git = _init_committed(tmp_path)
    _git(["git", "checkout", "-q", "-b", "docs"])
    (tmp_path / "NOTES.md").write_text("How we map journeys\n")
    _git(["git", "add", "-A"])
    _git(["git", "commit", "-qm", "notes"])
    result = _pre_commit(tmp_path, "run", "--from-ref", "main", "--to-ref", "HEAD", "--verbose")
    assert result.returncode == 0 and "Nothing to check" in result.stdout, result.stdout + result.stderr
