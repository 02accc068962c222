"""`journeymaps diff --check` on a settings change made with a second finding alike to one
the base has: findings are counted (two alike are two), but what HEAD's settings show of the
base's maps was counted whole, the findings the base already showed too. So an unrelated
settings edit (a rule turned off) let a second bad `next` through as "an error that HEAD's maps
already had is now shown", and ``--check`` passed."""

from __future__ import annotations

import json
from pathlib import Path

from test_diff import diff_here, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

MAP = "maps/support/billing-dispute.yaml"
NEXT = "    next:\n      - finance-review\n"


def nowhere(repo: Path, times: int) -> None:
    """The contact stage leads ``times`` times to a stage the map does not have."""
    path = repo / MAP
    text = path.read_text().replace("      - nowhere\n", "")
    assert NEXT in text
    path.write_text(text.replace(NEXT, NEXT + "      - nowhere\n" * times, 1))


def test_a_second_error_alike_to_the_bases_fails_with_a_settings_change(repo: Path) -> None:
    """Before: `1 error that HEAD~1's maps already had is now shown`, exit 0."""
    nowhere(repo, 1)
    git(repo, "commit", "-qam", "a stage that leads nowhere")
    nowhere(repo, 2)
    (repo / "journeymaps.toml").write_text('[rules]\nkpi-off-target = "off"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "twice, and no KPI findings")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the change introduces 1 error" in result.stderr, result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [(f["rule"], f["line"]) for f in data["findings_introduced"]] == [("unknown-reference", 65)]
    assert data["settings"]["findings_revealed"] == [], data["settings"]["findings_revealed"]


def test_an_error_a_rule_turned_on_shows_in_the_base_s_maps_is_still_not_judged(repo: Path) -> None:
    """What the settings do show of the base's maps stays theirs: reported, not judged."""
    (repo / "journeymaps.toml").write_text('[rules]\nunknown-reference = "off"\n')
    nowhere(repo, 1)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "references unchecked; a stage that leads nowhere")
    (repo / "journeymaps.toml").write_text("")
    git(repo, "commit", "-qam", "references checked again")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 error that HEAD~1's maps already had is now shown" in result.stdout, result.stdout
