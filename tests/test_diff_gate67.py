"""journeymaps diff on a real git repository: a step whose id and name change together (one
step, not one added and one removed), the excluded-move counts and gate, and a retargeted
handoff's wording and outline in changes that touch more than one map or stage."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from test_diff import diff_here, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

BILLING = Path("maps") / "support" / "billing-dispute.yaml"


def _rewrite(repo: Path, *pairs: tuple[str, str]) -> None:
    path = repo / BILLING
    text = path.read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)


def _changes(repo: Path) -> list[tuple[str, str | None, object, object]]:
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    return [(c["kind"], c["field"], c["before"], c["after"]) for c in data["changes"]]


def test_a_step_whose_id_and_name_change_together_is_one_step_changed(repo: Path) -> None:
    """finance-investigates renamed reviews-true-up, "Finance investigates the seat true-up"
    renamed "Finance reviews the true-up", in its place with its lane, words and handoff:
    read as "step added", "step removed", and the handoff sent to a removed step (its
    suppression read as hiding a warning about a handoff sent elsewhere)."""
    _rewrite(
        repo,
        ("finance-investigates", "reviews-true-up"),
        ("name: Finance investigates the seat true-up", "name: Finance reviews the true-up"),
    )
    assert _changes(repo) == [
        ("step-changed", "id", "finance-investigates", "reviews-true-up"),
        ("step-changed", "name", "Finance investigates the seat true-up", "Finance reviews the true-up"),
    ]
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "another step" not in result.stdout + result.stderr
    assert "step added" not in result.stdout and "step removed" not in result.stdout
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "one whose id and its name changed together is too" in readme


def test_a_step_replaced_in_its_place_by_one_with_nothing_alike_is_added_and_removed(repo: Path) -> None:
    """Its id, name, lane and words all new, no handoff to it: another step, not a rename."""
    _rewrite(
        repo,
        (
            "      - id: finance-investigates\n        name: Finance investigates the seat true-up\n"
            "        lane: backstage\n        does: Re-reads the contract and the seat audit log.\n",
            "      - id: calls-customer\n        name: Finance calls the customer\n"
            "        lane: frontstage\n        channel: phone\n        does: Calls to confirm the seat count.\n",
        ),
        ("    to: finance-review.finance-investigates\n", "    to: finance-review.asks-again\n"),
    )
    kinds = [k for k, *_ in _changes(repo) if k.startswith("step")]
    assert kinds == ["step-added", "step-removed"], kinds


SENT = (
    "  - from: contact.agent-gathers\n    to: finance-review.finance-investigates\n",
    "  - from: contact.agent-gathers\n    to: finance-review.asks-again\n",
)
STARTED = ("  - from: contact.opens-chat\n    to: finance-review.asks-again\n", SENT[1])


def test_two_maps_whose_handoffs_end_alike_each_say_which_end_their_change_edits(repo: Path) -> None:
    """A copy of the billing map (another id, sorted first) whose handoff's ``from`` is
    edited, and the billing map's handoff's ``to``, both now between the same steps: the
    billing map's suppression read as hiding a warning about a handoff this change "starts
    from another step", the copy's wording taken for it."""
    text = (repo / BILLING).read_text().replace("id: billing-dispute\n", "id: billing-copy\n", 1)
    copy = repo / "maps" / "support" / "a-billing-copy.yaml"
    copy.write_text(text.replace(SENT[0], STARTED[0]))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a copy")
    copy.write_text(copy.read_text().replace(*STARTED))
    _rewrite(repo, SENT)
    result = diff_here(repo, "HEAD", "--check", "--strict")
    hidden = sorted(line for line in result.stdout.splitlines() if line.startswith("! hidden"))
    assert [line.split(":", 2)[:2] for line in hidden] == [
        [
            "! hidden (by a suppression in the base, its handoff now from another step)",
            " maps/support/a-billing-copy.yaml",
        ],
        [
            "! hidden (by a suppression in the base, its handoff sent to another step)",
            " maps/support/billing-dispute.yaml",
        ],
    ], hidden


def _outlined(svg: str) -> set[str]:
    """The steps and stages a review page's diagram marks "✱ changed", by their node ids."""
    nodes = re.findall(r'<g id="([^"]+)" class="node">(.*?)</g>', svg, flags=re.S)
    return {html.unescape(node) for node, body in nodes if "\u2731 changed" in body}


def test_a_handoff_retargeted_as_its_from_stage_is_renamed_is_outlined_at_both_ends_before(
    repo: Path,
) -> None:
    """Stage contact renamed intake, the handoff from its step sent to another step: the
    review page's before diagram outlined the old target but not the step the handoff came
    from (looked up as intake.agent-gathers, a name only the after diagram has)."""
    _rewrite(repo, ("  - id: contact\n", "  - id: intake\n"), ("contact.", "intake."))
    _rewrite(
        repo,
        (
            "    to: finance-review.finance-investigates\n    sla: 1bd",
            "    to: finance-review.asks-again\n    sla: 1bd",
        ),
    )
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    before = _outlined((site / "billing-dispute.before.svg").read_text())
    assert {"step-contact.agent-gathers", "step-finance-review.finance-investigates"} <= before, before
    after = _outlined((site / "billing-dispute.after.svg").read_text())
    assert {"step-intake.agent-gathers", "step-finance-review.asks-again"} <= after, after
