"""The pre-commit hook (pre-commit itself, on a real git repository) when a commit changes
the settings: every map they apply to is checked again, as lint --changed-since does."""

from __future__ import annotations

from pathlib import Path

from test_integrations import _init_committed, _pre_commit


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
