"""The pre-commit hook (pre-commit itself, on a real git repository) with files on disk that
git does not have: one the commit untracks (``git rm --cached``), one nobody added.
pre-commit stashes what is not staged but leaves untracked files, so the hook read files
the commit does not have."""

from __future__ import annotations

from pathlib import Path

from test_integrations import _init_committed, _pre_commit


def test_a_map_untracked_but_left_on_disk_fails_the_hook_on_the_maps_it_breaks(tmp_path: Path) -> None:
    """The map was read from the disk: the hook passed, and the commit, without it, failed
    lint on the map based on it and the map whose pain point it causes."""
    _git = _init_committed(tmp_path)
    _git(["git", "rm", "-q", "--cached", "maps/support/admin-locked-out.yaml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/admin-locked-out-future.yaml:5:11: JM102 [unknown-reference]" in result.stdout
    assert "maps/support/production-outage.yaml:" in result.stdout
    assert (
        "maps/support/admin-locked-out.yaml is deleted (staged); the untracked file left on disk is not read"
        in result.stdout
    )
    assert (tmp_path / "maps" / "support" / "admin-locked-out.yaml").is_file()  # left as it was


def test_a_teams_file_untracked_but_left_on_disk_still_judges_the_owners(tmp_path: Path) -> None:
    """Without a teams.yaml in the commit no owner is checked: the owners are judged with the
    one untracked, as with one deleted, and said "is deleted (staged)", not "changed"."""
    _git = _init_committed(tmp_path)
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    _git(["git", "add", "-A"])
    _git(["git", "rm", "-q", "--cached", "maps/teams.yaml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/billing-dispute.yaml:4:8: JM103 [unknown-team]" in result.stdout
    assert "maps/teams.yaml is deleted (staged): the maps that use it are checked" in result.stdout


def test_settings_untracked_but_left_on_disk_no_longer_apply(tmp_path: Path) -> None:
    """The settings turned unknown-team off; a commit untracking them was linted with them
    (read from the disk): it passed, and the commit, without them, failed lint."""
    _git = _init_committed(tmp_path)
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text() + '\n[rules]\nunknown-team = "off"\n')
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("owner: finance", "owner: nobody", 1))
    _git(["git", "commit", "-qam", "a team nobody listed, and its rule off"])
    _git(["git", "rm", "-q", "--cached", "journeymaps.toml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/billing-dispute.yaml:4:8: JM103 [unknown-team]" in result.stdout
    assert "journeymaps.toml is deleted (staged): every file is checked" in result.stdout


def test_a_new_map_nobody_added_is_not_read_by_the_hook(tmp_path: Path) -> None:
    """A map based on a new map the commit forgot (never git added): the hook read the new
    map from the disk and passed; the commit, without it, failed lint (based_on: no map)."""
    _git = _init_committed(tmp_path)
    support = tmp_path / "maps" / "support"
    outage = (support / "production-outage.yaml").read_text()
    (support / "api-outage.yaml").write_text(outage.replace("id: production-outage", "id: api-outage", 1))
    based = outage.replace("id: production-outage\n", "id: production-outage\nbased_on: api-outage\n", 1)
    (support / "production-outage.yaml").write_text(based)
    _git(["git", "add", "maps/support/production-outage.yaml"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/production-outage.yaml:3:11: JM102 [unknown-reference]" in result.stdout
    assert "maps/support/api-outage.yaml: not checked, git does not have it (git add it to commit it)" in (
        result.stdout
    )


def test_a_photo_untracked_but_left_on_disk_fails_the_hook_as_lint_fails_the_commit(tmp_path: Path) -> None:
    """The persona's photo was read from the disk: the hook passed, and CI's lint, on a
    checkout without it, failed on persona-photo."""
    _git = _init_committed(tmp_path)
    _git(["git", "rm", "-q", "--cached", "maps/personas/workspace-admin.png"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert (
        "JM704 [persona-photo] error: photo: no file 'maps/personas/workspace-admin.png' in the project"
        in (result.stdout)
    )
    assert (tmp_path / "maps" / "personas" / "workspace-admin.png").is_file()  # left as it was


def test_a_snapshot_nobody_added_is_not_read_by_the_hook(tmp_path: Path) -> None:
    """A damaged metrics snapshot only on the disk (never git added): the hook read it and
    failed the commit on unreadable-snapshot, which CI, without the file, never reports."""
    _git = _init_committed(tmp_path)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "billing-dispute.json").write_text('{"version": 1, "map": "billing-dispute", [')
    owned = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    owned.write_text(owned.read_text().replace("title: Unexpected charge", "title: An unexpected charge", 1))
    _git(["git", "add", "maps/support/billing-dispute.yaml"])
    result = _pre_commit(tmp_path, "run", "--verbose")
    assert result.returncode == 0 and "Passed" in result.stdout, result.stdout + result.stderr
    assert "metrics snapshot" not in result.stdout
    assert "metrics/billing-dispute.json: not read, git does not have it (git add it to commit it)" in (
        result.stdout
    )


def test_a_schema_copy_untracked_but_left_on_disk_is_missing_for_the_hook(tmp_path: Path) -> None:
    """schema-reference set to error, and the schema copy the maps point at untracked: read
    from the disk, it was there and current, and the hook passed what lint fails."""
    _git = _init_committed(tmp_path)
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text() + '\n[rules]\nschema-reference = "error"\n')
    _git(["git", "commit", "-qam", "schema references are errors"])
    _git(["git", "rm", "-q", "--cached", "schema/journey-map.schema.json"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert (
        "maps/support/billing-dispute.yaml:1:33: JM104 [schema-reference] error: the schema "
        "../../schema/journey-map.schema.json does not exist"
    ) in result.stdout
