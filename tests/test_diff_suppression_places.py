"""`journeymaps diff` on a suppression comment moved to another line of the same text: a
suppression is matched across the change by what it is written against, and a line such as
``owner: legacy-billing`` says little of that. Moved from one step to another (the base's
unknown owner fixed, a new one brought under it), it read as kept: the new error was
"reported, not judged" and ``--check`` passed."""

from __future__ import annotations

import json
from pathlib import Path

from test_diff import diff_here, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

MAP = "maps/support/billing-dispute.yaml"
OWNER = "        owner: legacy-billing  # journeymaps: ignore[unknown-team] the old queue, retired in Q1\n"
AGENT = "        actor: agent\n"
BOT = "        actor: bot\n"


def owned_by_the_old_queue(repo: Path, after: str) -> None:
    """The step whose ``actor`` line is ``after`` owned by a team teams.yaml does not list,
    suppressed on its line."""
    path = repo / MAP
    text = path.read_text().replace(OWNER, "")
    assert after in text
    path.write_text(text.replace(after, after + OWNER, 1))


def test_a_suppression_moved_to_another_step_cannot_hide_the_error_it_comes_with(repo: Path) -> None:
    """Before: `! hidden (new, by a suppression in the base)`, exit 0."""
    owned_by_the_old_queue(repo, AGENT)
    git(repo, "commit", "-qam", "the agent's step: the old queue")
    owned_by_the_old_queue(repo, BOT)  # the agent's step fixed; the bot's given the old queue
    git(repo, "commit", "-qam", "the bot's step now")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "suppression comments the change adds hide 1 error it brings" in result.stderr, result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [(f["rule"], f["new"]) for f in data["findings_suppressed"]] == [("unknown-team", True)], data
    assert data["findings_suppressed_in_base"] == [], data["findings_suppressed_in_base"]


def test_a_suppression_kept_on_its_step_is_still_kept(repo: Path) -> None:
    """The same comment on the same step, the lines above it edited: kept, nothing judged."""
    owned_by_the_old_queue(repo, AGENT)
    git(repo, "commit", "-qam", "the agent's step: the old queue")
    path = repo / MAP
    path.write_text(path.read_text().replace(AGENT, "        actor: agent   # a person\n", 1))
    git(repo, "commit", "-qam", "a note")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "suppression" not in result.stdout + result.stderr, result.stdout + result.stderr
