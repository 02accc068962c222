"""`journeymaps diff` on a stage whose id the change renames: the same stage (the same
steps), so its findings are the same findings. A fingerprint is anchored on the stage's id
(`stages[finance-review].id`), so a renamed stage's `unvalidated-stage` read as fixed and
introduced again (and failed `--check --strict`), its KPI's findings too, and the change
read "stage added", "stage removed" and a "step moved" for each of its steps. Lint's
fingerprints are left as they are: baselines hold them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_diff import diff_here, git
from test_diff_restaged import MAP
from test_diff_restaged import measured as measured  # the fixture: maps with their snapshots

_EVIDENCE = (
    "    evidence:\n"
    '      - {source: intercom, kind: transcript, ref: "billing escalations, sample of 25", as_of: 2026-10-20}\n'
    '      - {source: customer interviews, kind: interview, ref: "Q3 billing interviews (6)", as_of: 2026-09-30}\n'
)


@pytest.fixture
def unvalidated(measured: Path) -> Path:
    """ "Finance review" without its evidence, committed: `unvalidated-stage` on it, and its
    declared KPI "Time to resolution" off target."""
    path = measured / MAP
    text = path.read_text()
    assert _EVIDENCE in text
    path.write_text(text.replace(_EVIDENCE, "", 1))
    git(measured, "commit", "-qam", "finance review has no data")
    return measured


def _rename(repo: Path, was: str, now: str) -> None:
    """Every mention of stage ``was`` (its id, its ``next``, its steps' refs) as ``now``."""
    path = repo / MAP
    text = path.read_text()
    assert f"  - id: {was}\n" in text
    text = re.sub(rf"(?<![\w-]){re.escape(was)}\.", f"{now}.", text)  # its steps' refs
    path.write_text(
        text.replace(f"  - id: {was}\n", f"  - id: {now}\n", 1)
        .replace(f"      - {was}\n", f"      - {now}\n")
        .replace(f"    at: {was}\n", f"    at: {now}\n")
    )


def _findings(repo: Path, *args: str) -> dict[str, list[str]]:
    data = json.loads(diff_here(repo, *args, "--format", "json").stdout)
    return {key: [f["rule"] for f in data[key]] for key in data if key.startswith("findings_") and data[key]}


def test_a_stage_whose_id_is_renamed_keeps_its_findings(unvalidated: Path) -> None:
    _rename(unvalidated, "finance-review", "finance-check")
    result = diff_here(unvalidated, "HEAD")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:] == [
        "~ Unexpected charge on the monthly invoice (billing-dispute)",
        '    stage id changed: finance-review → finance-check (stage "Finance review")',
    ], lines
    assert _findings(unvalidated, "HEAD") == {}
    comment = diff_here(unvalidated, "HEAD", "--format", "markdown").stdout
    assert "stage id changed: finance-review → finance-check" in comment
    assert "Findings fixed" not in comment and "Findings introduced" not in comment, comment
    github = diff_here(unvalidated, "HEAD", "--format", "github").stdout
    assert github.strip() == "journeymaps diff HEAD → working tree: no finding introduced or fixed", github
    assert diff_here(unvalidated, "HEAD", "--check", "--strict").returncode == 0


def test_a_finding_the_renamed_stage_brings_is_still_new(unvalidated: Path) -> None:
    """Followed, not waved through: renamed and given an owner no teams.yaml lists, the
    stage's unknown owner is introduced, its missing evidence is not."""
    _rename(unvalidated, "finance-review", "finance-check")
    path = unvalidated / MAP
    text = path.read_text()
    path.write_text(
        text.replace(
            "  - id: finance-check\n    name: Finance review\n    owner: finance\n",
            "  - id: finance-check\n    name: Finance check\n    owner: billing-ops\n",
            1,
        )
    )
    lines = diff_here(unvalidated, "HEAD").stdout.splitlines()
    assert '    stage renamed: "Finance review" → "Finance check"' in lines, lines
    assert not [line for line in lines if "stage added" in line or "stage removed" in line], lines
    assert _findings(unvalidated, "HEAD") == {"findings_introduced": ["unknown-team"]}
    assert diff_here(unvalidated, "HEAD", "--check").returncode == 1


def test_a_stage_renamed_back_is_followed_too(unvalidated: Path) -> None:
    _rename(unvalidated, "finance-review", "finance-check")
    git(unvalidated, "commit", "-qam", "rename")
    assert _findings(unvalidated, "HEAD~1", "HEAD") == {}
    _rename(unvalidated, "finance-check", "finance-review")
    lines = diff_here(unvalidated, "HEAD").stdout.splitlines()
    assert lines[2:] == ['    stage id changed: finance-check → finance-review (stage "Finance review")'], (
        lines
    )
    assert _findings(unvalidated, "HEAD") == {}
    assert diff_here(unvalidated, "HEAD~1").stdout.startswith("No change to any journey map")


def test_two_stages_swapping_ids_keep_their_findings(unvalidated: Path) -> None:
    """ "Invoice review" and "Finance review" trade ids: each stage (its steps, its
    evidence or the lack of it) is where its findings are."""
    _rename(unvalidated, "review", "swap-tmp")
    _rename(unvalidated, "finance-review", "review")
    _rename(unvalidated, "swap-tmp", "finance-review")
    lines = diff_here(unvalidated, "HEAD").stdout.splitlines()
    assert sorted(lines[2:]) == [
        '    stage id changed: finance-review → review (stage "Finance review")',
        '    stage id changed: review → finance-review (stage "Invoice review")',
    ], lines
    assert _findings(unvalidated, "HEAD") == {}
    assert diff_here(unvalidated, "HEAD", "--check", "--strict").returncode == 0


def test_a_renamed_stage_given_a_step_more_is_still_the_same_stage(unvalidated: Path) -> None:
    """All its steps are there under the new id, with one added: the step is added to it."""
    _rename(unvalidated, "finance-review", "finance-check")
    path = unvalidated / MAP
    text = path.read_text()
    path.write_text(
        text.replace(
            "        feels: Exhausted.\n        emotion: -3\n",
            "        feels: Exhausted.\n        emotion: -3\n"
            "      - id: finance-asks-sales\n        name: Finance asks Sales about the deal\n"
            "        lane: backstage\n",
            1,
        )
    )
    lines = diff_here(unvalidated, "HEAD").stdout.splitlines()
    assert lines[2:] == [
        '    stage id changed: finance-review → finance-check (stage "Finance review")',
        '    step added: "Finance asks Sales about the deal", after "Finance asks the customer for the contract again"',
    ], lines
    assert _findings(unvalidated, "HEAD") == {}


def test_a_stage_without_steps_renamed_is_followed_by_its_name(measured: Path) -> None:
    """No steps to know it by: the one stage gone and the one come with its name alike are
    the same stage (its `unvalidated-stage` neither fixed nor introduced)."""
    path = measured / MAP
    text = path.read_text()
    stage = "  - id: resolution\n"
    assert stage in text
    path.write_text(
        text.replace(stage, "  - id: waiting\n    name: Waiting for Finance\n    emotion: -2\n\n" + stage, 1)
    )
    git(measured, "commit", "-qam", "a stage with no steps")
    assert "unvalidated-stage" in diff_here(measured, "HEAD~1", "HEAD").stdout
    path.write_text(path.read_text().replace("  - id: waiting\n", "  - id: waiting-on-finance\n", 1))
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    assert lines[2:] == [
        '    stage id changed: waiting → waiting-on-finance (stage "Waiting for Finance")'
    ], lines
    assert _findings(measured, "HEAD") == {}


def test_a_stage_renamed_and_split_in_one_change_keeps_its_name_and_findings(measured: Path) -> None:
    """ "Contact support" renamed `help` while "Agent gathers" moves out to a stage of its
    own: not all its steps are under the new id, but its name is, and no other stage has
    it. Its KPIs' findings (`stages[contact].kpis[...]`) read fixed and introduced again."""
    from test_diff_restaged import split_contact

    split_contact(measured)
    _rename(measured, "contact", "help")
    lines = diff_here(measured, "HEAD").stdout.splitlines()
    assert '    stage id changed: contact → help (stage "Contact support")' in lines, lines
    assert not [line for line in lines if line.startswith("    stage removed")], lines
    assert _findings(measured, "HEAD") == {}
