"""Scenarios the journeymaps diff tests share, so each test reads as its own: a map moved into
a folder the settings exclude, and the checks that the base's suppression above a handoff the
change edits is read as kept (not as one the change adds)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from test_diff import diff_here, git

ARCHIVED = "maps/archive/billing-dispute.yaml"


def exclude_archive(repo: Path) -> None:
    """Commit settings that exclude maps/archive/ (the folder made, still empty)."""
    (repo / "journeymaps.toml").write_text('exclude = ["maps/archive/*"]\n')
    (repo / "maps" / "archive").mkdir()
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "settings")


def archive_billing_dispute(repo: Path, *, misspell_owner: bool = False) -> Path:
    """Move billing-dispute into the excluded archive folder (uncommitted); with
    ``misspell_owner``, its first ``owner: finance`` edited to an unknown ``finanse`` in the move."""
    git(repo, "mv", "maps/support/billing-dispute.yaml", ARCHIVED)
    moved = repo / ARCHIVED
    if misspell_owner:
        moved.write_text(moved.read_text().replace("    owner: finance\n", "    owner: finanse\n", 1))
    return moved


def assert_no_suppression_said_added(result: subprocess.CompletedProcess[str]) -> None:
    """Neither the report nor the gate reads the base's comment as one the change adds."""
    assert not [line for line in result.stdout.splitlines() if "this change adds" in line], result.stdout
    assert "suppression comments the change adds" not in result.stderr, result.stderr


def hidden_by_the_base(result: subprocess.CompletedProcess[str], handoff: str) -> str:
    """The one ``! hidden`` line, said hidden by the base's suppression, "its handoff
    <handoff>"; what follows that prefix (the finding) is returned."""
    prefix = f"! hidden (by a suppression in the base, its handoff {handoff}): "
    [hidden] = [line for line in result.stdout.splitlines() if line.startswith("! hidden")]
    assert hidden.startswith(prefix), hidden
    return hidden.removeprefix(prefix)


def assert_kept_in_the_base(repo: Path) -> None:
    """The JSON contract: nothing hidden by an added comment, the one handoff-context-lost
    warning hidden by the base's, not new, its handoff retargeted."""
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["findings_suppressed"] == []
    [kept] = data["findings_suppressed_in_base"]
    assert (kept["rule"], kept["new"], kept["retargeted"]) == ("handoff-context-lost", False, True)
