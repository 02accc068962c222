"""`journeymaps diff` on a stage split made in the same change as a map moved under a
``per-file-ignores`` pattern, or as teams.yaml deleted: a moved step's finding is the one the
base had there. Those two readings matched findings by fingerprint without following the
moved steps, so the base's unknown owner at the moved step read both as fixed and as an
error the change brings (``--check`` failed a change that brought none)."""

from __future__ import annotations

import json
from pathlib import Path

from test_diff import diff_here, git, repo
from test_diff_restaged import split_contact

__all__ = ["repo"]  # the fixture, shared with test_diff

MAP = "maps/support/billing-dispute.yaml"
LEGACY = "maps/legacy/billing-dispute.yaml"


def ghost_at_agent_gathers(repo: Path) -> None:
    """The base has an unknown owner at the step the split moves."""
    path = repo / MAP
    text = path.read_text()
    step = "        actor: agent\n        does: Looks up"
    assert step in text
    path.write_text(
        text.replace(step, "        actor: agent\n        owner: ghost-team\n        does: Looks up", 1)
    )


def split(repo: Path, file: str) -> None:
    """:func:`split_contact` on the map at ``file``."""
    if file != MAP:
        (repo / MAP).parent.mkdir(parents=True, exist_ok=True)
        (repo / file).rename(repo / MAP)
        split_contact(repo)
        (repo / MAP).rename(repo / file)
    else:
        split_contact(repo)


def test_a_map_moved_under_an_ignore_and_split_keeps_its_old_error_unfixed_and_not_new(repo: Path) -> None:
    """Before: `✓ fixed: ... unknown-team` and `1 error ... no longer shown (1 of them new in
    this change)`, exit 1."""
    (repo / "journeymaps.toml").write_text('[per-file-ignores]\n"maps/legacy/*" = ["unknown-team"]\n')
    ghost_at_agent_gathers(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "legacy maps keep their old teams; a ghost owner")
    (repo / LEGACY).parent.mkdir()
    git(repo, "mv", MAP, LEGACY)
    split(repo, LEGACY)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "billing is legacy, and its intake a stage of its own")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fixed" not in result.stdout, result.stdout
    assert (
        "! settings: journeymaps.toml ignores unknown-team in maps/legacy/* (per-file-ignores), where "
        f"this change moves {MAP}: 1 error that HEAD~1's settings report is no longer shown"
    ) in result.stdout.splitlines(), result.stdout


def test_a_new_error_at_a_moved_step_under_an_ignore_still_fails(repo: Path) -> None:
    """Matched through the split, not waved through: a second unknown owner the change brings
    is still judged."""
    (repo / "journeymaps.toml").write_text('[per-file-ignores]\n"maps/legacy/*" = ["unknown-team"]\n')
    ghost_at_agent_gathers(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "legacy maps keep their old teams; a ghost owner")
    (repo / LEGACY).parent.mkdir()
    git(repo, "mv", MAP, LEGACY)
    split(repo, LEGACY)
    path = repo / LEGACY
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: phantom\n", 1))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "legacy, split, and a phantom owner")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    new = [f["message"].split(":")[1].strip() for f in data["settings"]["findings_silenced"] if f["new"]]
    assert new == ["team 'phantom' is not in maps/teams.yaml"], data["settings"]["findings_silenced"]


def test_deleting_teams_yaml_with_a_stage_split_neither_fixes_nor_brings_the_moved_steps_owner(
    repo: Path,
) -> None:
    """Before: the moved step's unknown owner both `! introduced` (judged with the deleted
    teams.yaml) and `✓ fixed`, exit 1."""
    ghost_at_agent_gathers(repo)
    git(repo, "commit", "-qam", "a ghost owner")
    git(repo, "rm", "-q", "maps/teams.yaml")
    split(repo, MAP)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "no teams.yaml, and the intake a stage of its own")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [f["rule"] for f in data["findings_introduced"]] == [], data["findings_introduced"]
    assert [f["rule"] for f in data["findings_fixed"] if f["rule"] == "unknown-team"] == [], data[
        "findings_fixed"
    ]


def test_a_rule_turned_off_with_a_stage_split_neither_fixes_nor_brings_the_moved_steps_error(
    repo: Path,
) -> None:
    """Before: `1 error ... no longer shown (1 of them new in this change)`, `✓ fixed` of the
    base's unknown owner at the moved step, and `--check` failed: "silences 1 error it brings"."""
    ghost_at_agent_gathers(repo)
    git(repo, "commit", "-qam", "a ghost owner")
    (repo / "journeymaps.toml").write_text('[rules]\nunknown-team = "off"\n')
    split(repo, MAP)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "owners unchecked, and the intake a stage of its own")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fixed" not in result.stdout, result.stdout
    assert (
        "! settings: journeymaps.toml turns off unknown-team: 1 error that HEAD~1's settings report is "
        "no longer shown"
    ) in result.stdout.splitlines(), result.stdout


def test_a_rule_turned_on_with_a_map_id_changed_shows_the_base_error_not_a_new_one(repo: Path) -> None:
    """Before: the base's unknown owner, shown by the rule turned back on, was introduced
    (the map's id changed in the same change) and `--check` failed."""
    (repo / "journeymaps.toml").write_text('[rules]\nunknown-team = "off"\n')
    ghost_at_agent_gathers(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "owners unchecked; a ghost owner")
    (repo / "journeymaps.toml").write_text("")
    path = repo / MAP
    path.write_text(path.read_text().replace("id: billing-dispute\n", "id: invoice-dispute\n", 1))
    git(repo, "commit", "-qam", "owners checked again; the map renamed")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert data["findings_introduced"] == [], data["findings_introduced"]
