"""The pre-commit hook (pre-commit itself, on a real git repository) committing a merge:
pre-commit then names only the files that were in conflict ("Checking merge-conflict files
only."), and the files the other branch brings went unchecked."""

from __future__ import annotations

from pathlib import Path

import yaml

from test_integrations import _init_committed, _pre_commit

OUTAGE = "maps/support/production-outage.yaml"
BILLING = "maps/support/billing-dispute.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def test_a_merge_checks_the_maps_the_other_branch_brings(tmp_path: Path) -> None:
    """main deletes the team engineering (its map handed to tier-2); a branch adds a map it
    owns. Each passed on its own; the merge, resolving a conflict in another map, passed the
    hook, and lint failed on the merged map's unknown owner."""
    _git = _init_committed(tmp_path)
    _git(["git", "checkout", "-q", "-b", "other"])
    new = tmp_path / "maps" / "support" / "outage-copy.yaml"
    new.write_text((tmp_path / OUTAGE).read_text().replace("id: production-outage", "id: outage-copy", 1))
    _edit(tmp_path / BILLING, "monthly invoice", "monthly bill")
    _git(["git", "add", "-A"])
    _git(["git", "commit", "-qm", "a copy of the outage map"])
    _git(["git", "checkout", "-q", "main"])
    teams = tmp_path / "maps" / "teams.yaml"
    data = yaml.safe_load(teams.read_text())
    data["teams"] = [t for t in data["teams"] if t["id"] != "engineering"]
    teams.write_text(yaml.safe_dump(data))
    _edit(tmp_path / OUTAGE, "owner: engineering", "owner: tier-2")
    _edit(tmp_path / BILLING, "monthly invoice", "invoice of the month")
    _git(["git", "commit", "-qam", "engineering's journeys go to tier-2"])
    assert _pre_commit(tmp_path, "run", "--all-files").returncode == 0
    assert _git(["git", "merge", "-q", "other"], check=False).returncode == 1  # the titles conflict
    _git(["git", "checkout", "-q", "--ours", BILLING])
    _git(["git", "add", "-A"])
    result = _pre_commit(tmp_path, "run")
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "maps/support/outage-copy.yaml:19:12: JM103 [unknown-team]" in result.stdout, result.stdout
    assert (
        "a merge is committed: every file it stages is checked, not only those in conflict" in result.stdout
    )
