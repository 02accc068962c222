"""journeymaps diff on a real git repository: what a change means for the journeys."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PARSED_HOOK, ROOT
from conftest import jm as run_jm
from in_process import jm_here

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "PATH": "/usr/bin:/bin",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env={**ENV, "HOME": str(cwd)}
    ).stdout


def jm(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``journeymaps diff ARGS`` in a process of its own, as a user runs it."""
    return run_jm(cwd, "diff", *args, "--today", "2026-11-22")


def diff_here(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``journeymaps diff ARGS`` run in this process (see :mod:`in_process`), for the tests
    about what a comparison says; those about the process itself use :func:`jm`."""
    return jm_here(cwd, "diff", *args, "--today", "2026-11-22")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    return tmp_path


def texts(data: dict) -> dict[str, list[str]]:
    """Each map's change sentences, from the JSON contract."""
    out: dict[str, list[str]] = {}
    for c in data["changes"]:
        out.setdefault(c["map"], []).append(c["text"])
    return out


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "maps" / "support" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_no_change(repo: Path) -> None:
    result = jm(repo, "HEAD")
    assert result.returncode == 0
    assert result.stdout == "No change to any journey map between HEAD and the working tree.\n"


def test_the_text_header_has_the_comments_arrow_and_ascii_where_the_terminal_lacks_it(repo: Path) -> None:
    """The text header said "HEAD -> working tree" and its change lines "→", the comment's
    header "→"; a terminal that cannot show "→" (Latin-1, a Windows console's cp1252) got
    nothing but "internal error: UnicodeEncodeError"."""
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    assert diff_here(repo, "HEAD").stdout.splitlines() == [
        "Journey maps: HEAD → working tree",
        "~ Unexpected charge on the monthly invoice (billing-dispute)",
        '    stage renamed: "Finance review" → "Finance investigation"',
    ]
    assert diff_here(repo, "HEAD", "--format", "markdown").stdout.startswith(
        "### Journey maps: HEAD → working tree\n"
    )
    for encoding in ("latin-1", "cp1252"):
        result = run_jm(repo, "diff", "HEAD", env={"PYTHONIOENCODING": encoding})
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout.splitlines() == [
            "Journey maps: HEAD -> working tree",
            "~ Unexpected charge on the monthly invoice (billing-dispute)",
            '    stage renamed: "Finance review" -> "Finance investigation"',
        ]


def test_an_evidence_ref_edited_names_the_refs_it_went_from_and_to(repo: Path) -> None:
    """A ref edited read as "evidence added to stage "Contact support": zendesk (tickets)"
    and "evidence removed from" it in the same words: the same thing added and removed."""
    edit(
        repo,
        "billing-dispute.yaml",
        'ref: "tag:billing_dispute", as_of',
        'ref: "tag:true_up_surprise", as_of',
    )
    said = texts(json.loads(diff_here(repo, "HEAD", "--format", "json").stdout))["billing-dispute"]
    assert 'evidence added to stage "Contact support": zendesk (tickets, tag:true_up_surprise)' in said
    assert 'evidence removed from stage "Contact support": zendesk (tickets, tag:billing_dispute)' in said


def test_renames_moves_owner_and_emotion_changes(repo: Path) -> None:
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    edit(
        repo,
        "billing-dispute.yaml",
        "    name: Contact support\n    owner: support\n    emotion: -2",
        "    name: Contact support\n    owner: success\n    emotion: -1",
    )
    edit(
        repo,
        "admin-locked-out.yaml",
        "      - id: unlock-account\n        name: Identity team unlocks the account manually",
        "      - id: unlock-account\n        name: Identity team unlocks the account in one click",
    )
    git(repo, "commit", "-qam", "edits")
    result = diff_here(repo, "HEAD~1", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    changes = texts(data)
    assert 'stage renamed: "Finance review" → "Finance investigation"' in changes["billing-dispute"]
    assert (
        'owner of stage "Contact support": Customer Support (Tier 1) → Customer Success'
        in changes["billing-dispute"]
    )
    assert 'emotion at stage "Contact support": -2 → -1' in changes["billing-dispute"]
    assert (
        'step renamed: "Identity team unlocks the account manually" → "Identity team unlocks the account in '
        'one click"'
    ) in changes["admin-locked-out"]


def test_stage_and_step_moves_pain_points_and_opportunities(repo: Path) -> None:
    path = repo / "maps" / "support" / "production-outage.yaml"
    text = path.read_text()
    # move the survey stage before the fix stage, and the survey step into the fix stage
    text = text.replace("  - id: fix\n", "  - id: fix-and-confirm\n").replace(
        "at: fix.resolved-mail", "at: fix-and-confirm.resolved-mail"
    )
    text = text.replace(
        "from: fix.fix-deployed\n    to: fix.resolved-mail",
        "from: fix-and-confirm.fix-deployed\n    to: fix-and-confirm.resolved-mail",
    )
    text = text.replace(
        "  - id: stale-status-page\n",
        "  - id: gone\n    at: detection\n    kind: process\n    summary: Added pain\n  - id: stale-status-page\n",
        1,
    )
    text = text.replace("    status: in-progress\n", "    status: shipped\n", 1)
    path.write_text(text)
    result = diff_here(repo, "HEAD", "--format", "json")
    changes = texts(json.loads(result.stdout))["production-outage"]
    # The same stage (the same steps) under a new id: not one removed and one added, each
    # of its steps "moved" from it (see test_diff_stage_renamed).
    assert 'stage id changed: fix → fix-and-confirm (stage "Fix and confirmation")' in changes
    assert not [c for c in changes if c.startswith(("stage added", "stage removed", "step moved"))], changes
    assert 'pain point added: "Added pain" (process, severity ?) at "Detection"' in changes
    assert any(
        c.startswith('opportunity "An instant sev-1 acknowledgement') and c.endswith("in progress → shipped")
        for c in changes
    )


def test_pain_point_lifecycle_changes_are_counted(repo: Path) -> None:
    edit(
        repo,
        "billing-dispute.yaml",
        '    severity: 3\n    evidence:\n      - {source: zendesk, kind: tickets, ref: "tag:true_up_surprise"',
        "    severity: 3\n    status: resolved\n    since: 2026-11-20\n    resolved_by: true-up-warning\n"
        '    evidence:\n      - {source: zendesk, kind: tickets, ref: "tag:true_up_surprise"',
    )
    edit(repo, "billing-dispute.yaml", "    status: mitigated\n", "    status: open\n")
    edit(
        repo,
        "billing-dispute.yaml",
        "    owner: finance\n    root_cause: Finance works",
        "    owner: support\n    root_cause: Finance works",
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    by_kind = {(c["kind"], c["field"]): c for c in data["changes"] if c["map"] == "billing-dispute"}
    resolved = by_kind[("pain-point-resolved", "status")]
    assert (resolved["before"], resolved["after"], resolved["ids"]["pain_point"]) == (
        "open",
        "resolved",
        "surprise-true-up",
    )
    assert (
        resolved["text"]
        == 'pain point resolved by "Emailing account owners seven days before a seat true-up is invoiced": '
        '"Seat true-ups appear on the invoice with no warning email." at "Invoice review"'
    )
    reopened = by_kind[("pain-point-changed", "status")]
    assert (reopened["before"], reopened["after"]) == ("mitigated", "open")
    owner = by_kind[("pain-point-changed", "owner")]
    assert (owner["before"], owner["after"]) == ("finance", "support")


def test_cost_before_and_after_counts_shared_contacts_once(repo: Path) -> None:
    """Linking two pain points as the same contacts lowers the map's cost in diff: the
    contacts were paid for twice before."""
    edit(
        repo,
        "admin-locked-out.yaml",
        "    same_contacts_as: [repeat-information]\n",
        "",
    )
    git(repo, "commit", "-qam", "unlinked")
    edit(
        repo,
        "admin-locked-out.yaml",
        "    volume: 450\n    severity: 2\n",
        "    volume: 450\n    severity: 2\n    same_contacts_as: [repeat-information]\n",
    )
    (repo / "journeymaps.toml").write_text("cost-per-contact = 12\n")
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    cost = [c for c in data["changes"] if c["kind"] == "cost-changed"]
    assert [(c["map"], c["field"], c["before"], c["after"]) for c in cost] == [
        ("admin-locked-out", "contact_cost", 273600.0, 208800.0)  # 1,900 then 1,450 contacts x $12 x 12
    ]
    assert cost[0]["text"] == "cost of inaction (contacts) a year: $273,600 → $208,800 (at $12 a contact)"


def test_channel_switches_are_counted(repo: Path) -> None:
    """Finance answering in the chat, the refund confirmed there too: the customer stays in
    the chat (one switch fewer) and no longer repeats themselves."""
    edit(
        repo,
        "billing-dispute.yaml",
        "        channel: email\n        context: lost\n",
        "        channel: chat\n        context: carried\n",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        '        channel: email\n        does: Reads "your refund',
        '        channel: chat\n        does: Reads "your refund',
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    found = {c["field"]: (c["kind"], c["before"], c["after"], c["text"]) for c in data["changes"]}
    assert found["channel_switches"] == ("map-changed", 3, 2, "channel switches: 3 → 2")
    assert found["channel_switches_lost"] == (
        "map-changed",
        1,
        0,
        "channel switches that lose context: 1 → 0",
    )
    assert found["context"][1:3] == ("lost", "carried")


def test_persona_details_are_counted(repo: Path) -> None:
    path = repo / "maps" / "personas.yaml"
    text = path.read_text().replace("    proficiency: expert\n", "    proficiency: intermediate\n")
    path.write_text(text.replace("without waiting on support.", "without waiting on anyone."))
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    found = [(c["map"], c["field"], c["before"], c["after"], c["text"]) for c in data["changes"]]
    assert (
        "admin-locked-out",
        "goal",
        "Keep the team working without waiting on support.",
        "Keep the team working without waiting on anyone.",
        'goal of persona "Workspace admin": "Keep the team working without waiting on support."'
        ' → "Keep the team working without waiting on anyone."',
    ) in found
    goal = next(c for c in data["changes"] if c["map"] == "admin-locked-out" and c["field"] == "goal")
    assert goal["ids"] == {"persona": "workspace-admin"}  # the persona's goal, not the map's
    assert (
        "admin-locked-out",
        "proficiency",
        "expert",
        "intermediate",
        'proficiency of persona "Workspace admin": expert → intermediate',
    ) in found


def test_actor_and_moment_changes_are_counted(repo: Path) -> None:
    edit(
        repo, "admin-locked-out.yaml", "        emotion: -3\n        moment: truth\n", "        emotion: -3\n"
    )
    edit(repo, "billing-dispute.yaml", "        actor: bot\n", "        actor: system\n")
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    found = {(c["map"], c["field"]): (c["kind"], c["before"], c["after"]) for c in data["changes"]}
    assert found[("admin-locked-out", "moment")] == ("step-changed", "truth", None)
    assert found[("billing-dispute", "actor")] == ("step-changed", "bot", "system")


def test_what_the_customer_does_thinks_and_feels_is_compared(repo: Path) -> None:
    """The voice of the customer and the map's words were not compared: a pull request that
    rewrote what the customer thinks, a step's feelings, the scenario, a hypothesis or which
    pain points a fix addresses read "No change to any journey map"."""
    edit(repo, "billing-dispute.yaml", "I'll just dispute it with my bank.", "I'll dispute it and leave.")
    edit(repo, "billing-dispute.yaml", "        feels: Exhausted.\n", "        feels: Ignored.\n")
    edit(
        repo,
        "billing-dispute.yaml",
        "        does: Issues a credit note for the 12 seats.\n",
        "        does: Issues a credit note for the 12 seats.\n        thinks: Finally.\n",
    )
    edit(repo, "billing-dispute.yaml", "two days\n  before their own", "one day\n  before their own")
    edit(repo, "billing-dispute.yaml", "tags: [billing, refund, finance]", "tags: [billing, refund]")
    edit(
        repo,
        "billing-dispute.yaml",
        "    addresses: [notes-lost-at-handoff, chargeback-after-silence]\n",
        "    addresses: [notes-lost-at-handoff]\n",
    )
    edit(repo, "billing-dispute.yaml", "stop Finance asking customers", "stop Finance ever asking customers")
    edit(repo, "billing-dispute.yaml", "Escalated by a Slack message;", "Escalated by email;")
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    lines = texts(data)["billing-dispute"]
    for expected in (
        'scenario: "...the monthly invoice, two days before their own..." → "...the monthly invoice, one day before their own..."',
        "tags: billing, refund, finance → billing, refund",
        'what the customer thinks at stage "Chargeback (customer gives up)": "I\'ll just dispute it with my bank." → "I\'ll dispute it and leave."',
        'what the customer feels at step "Finance asks the customer for the contract again": "Exhausted." → "Ignored."',
        'what the customer thinks at step "Refund issued": none → "Finally."',
        'note on handoff "Agent gathers transaction details" → "Finance investigates the seat true-up": "Escalated by a Slack message; the chat transcript is not attached." → "Escalated by email; the chat transcript is not attached."',
        'pain points addressed of opportunity "Escalating billing chats through a Zendesk side conversation with the transcript attached": "The Support to Finance handoff loses the agent\'s notes; the customer sends the contract twice.", "Customers who hear nothing for a week file chargebacks and often churn." → "The Support to Finance handoff loses the agent\'s notes; the customer sends the contract twice."',
        'expected result of opportunity "Escalating billing chats through a Zendesk side conversation with the transcript attached": "stop Finance asking customers for documents already given" → "stop Finance ever asking customers for documents already given"',
    ):
        assert expected.replace("...", "\u2026") in lines, (expected, lines)
    found = {(c["field"], c["after"]) for c in data["changes"] if c["map"] == "billing-dispute"}
    assert ("addresses", "notes-lost-at-handoff") in found  # a bot reads the format's keys, whole
    assert ("thinking", "I'll dispute it and leave.") in found
    assert diff_here(repo, "HEAD", "--check").returncode == 0  # words are reported, not judged


def test_a_circuit_breaker_a_kpi_s_direction_and_refreshed_evidence_are_compared(repo: Path) -> None:
    """Removing the Tier 1 loop's circuit breaker, turning a KPI's direction round, or
    pulling evidence again with a new figure in its note read as no change to the map."""
    edit(
        repo,
        "admin-locked-out.yaml",
        "        breaker: auto-escalate to identity check after 2 customer replies\n",
        "",
    )
    edit(
        repo,
        "admin-locked-out.yaml",
        "        target: 0.60\n        direction: lower",
        "        target: 0.60\n        direction: higher",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        'ref: "refund follow-up survey", as_of: 2026-11-04, note: 39% unsure which refund date to believe}',
        'ref: "refund follow-up survey", as_of: 2026-11-20, note: 30% unsure which refund date to believe}',
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "    sla: 1bd\n",
        "    sla: 1bd\n    evidence:\n      - {source: zendesk, kind: tickets, ref: 'tag:escalated'}\n",
    )
    lines = texts(json.loads(diff_here(repo, "HEAD", "--format", "json").stdout))
    assert (
        'evidence added to handoff "Agent gathers transaction details" → "Finance investigates the seat'
        ' true-up": zendesk (tickets, tag:escalated)'
    ) in lines["billing-dispute"]
    assert (
        'circuit breaker of the way from stage "Contact support" to "Self-service attempt": '
        '"auto-escalate to identity check after 2 customer replies" → none'
    ) in lines["admin-locked-out"], lines["admin-locked-out"]
    assert (
        'direction of KPI "Search-to-ticket ratio" at stage "Self-service attempt": lower → higher'
        in lines["admin-locked-out"]
    )
    assert (
        'as_of of evidence from qualtrics (survey) at stage "Resolution": 2026-11-04 → 2026-11-20'
        in lines["billing-dispute"]
    )
    assert (
        'note of evidence from qualtrics (survey) at stage "Resolution": "39% unsure which refund date to believe" → "30% unsure which refund date to believe"'
        in lines["billing-dispute"]
    )
    # A KPI without an owner of its own takes its stage's: the stage's new owner is one change.
    edit(
        repo,
        "billing-dispute.yaml",
        "    name: Finance review\n    owner: finance\n",
        "    name: Finance review\n    owner: support\n",
    )
    lines = texts(json.loads(diff_here(repo, "HEAD", "--format", "json").stdout))
    assert [x for x in lines["billing-dispute"] if x.startswith("owner of")] == [
        'owner of stage "Finance review": Finance → Customer Support (Tier 1)'
    ]


def test_a_long_text_edited_shows_the_words_that_changed() -> None:
    from journeymaps.text_changes import edited

    before = "The agent " + "reads the whole case history and " * 6 + "replies within the hour."
    after = before.replace("within the hour", "the next day")
    assert edited(before, after) == (
        '"\u2026history and replies within the hour."',
        '"\u2026history and replies the next day."',
    )
    assert edited("Short.", "Short, and\n  folded.") == ('"Short."', '"Short, and folded."')
    assert edited(None, before)[0] == "none"
    assert edited(before, before + " Then closes it.")[1] == '"\u2026within the hour. Then closes it."'


def test_extension_keys_changes_are_named_before_and_after(repo: Path) -> None:
    """diff ignored every change to an x- key (the README says they are kept on any object)."""
    edit(repo, "billing-dispute.yaml", "    x-jira: BILL-214 ", "    x-jira: BILL-300 ")
    edit(
        repo,
        "billing-dispute.yaml",
        'ref: "tag:billing_dispute", as_of: 2026-11-03}',
        'ref: "tag:billing_dispute", as_of: 2026-11-03, x-view: 4711}',
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "{name: CSAT of billing tickets, metric: csat, target: 0.80}",
        "{name: CSAT of billing tickets, metric: csat, target: 0.80, x-looker: tile-7}",
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    found = {c["field"]: c for c in data["changes"] if c["field"] and c["field"].startswith("x-")}
    assert {k: (c["kind"], c["before"], c["after"]) for k, c in found.items()} == {
        "x-jira": ("opportunity-changed", "BILL-214", "BILL-300"),
        "x-view": ("evidence-changed", None, "4711"),
        "x-looker": ("kpi-changed", None, "tile-7"),
    }
    assert found["x-looker"]["ids"] == {"stage": "contact", "kpi": "CSAT of billing tickets"}
    text = diff_here(repo, "HEAD").stdout
    assert 'x-view of evidence from zendesk (tickets) at stage "Contact support": none → 4711' in text
    assert 'x-looker of KPI "CSAT of billing tickets" at stage "Contact support": none → tile-7' in text
    assert "x-jira of opportunity" in text and "BILL-214 → BILL-300" in text
    assert "BILL-214 → BILL-300" in diff_here(repo, "HEAD", "--format", "markdown").stdout


def test_extension_lists_and_mappings_are_worded_as_a_reader_reads_them(repo: Path) -> None:
    """A changed x- list read as JSON (``x-links of the map: ["a"] → ["a", "b"]``) while the
    map page shows it as a list."""
    lists = {
        "x-links": ('[a, "b, c"]', '[a, "b, c", d]'),
        "x-notes": ("[a]", '[a, "b, c", "d; e"]'),
        "x-teams": ("[red, blue]", "[blue]"),
        "x-order": ("[p, q]", "[q, p]"),
        "x-owner": ("{name: Priya, tags: [x, y]}", '{name: "Dana, Priya"}'),
        "x-since": ("[]", "[q3]"),
        "x-jira": ("BILL-1", "BILL-2"),
    }
    before = "".join(f"{k}: {a}\n" for k, (a, _) in lists.items())
    after = "".join(f"{k}: {b}\n" for k, (_, b) in lists.items())
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("\ntitle:", f"\n{before}title:", 1))
    git(repo, "commit", "-qam", "extensions")
    path.write_text(path.read_text().replace(before, after, 1))
    text = diff_here(repo, "HEAD").stdout
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("x-")] == [
        "x-jira of the map: BILL-1 → BILL-2",
        "x-links of the map: added d",
        # an item with a comma is one item, not two
        'x-notes of the map: added "b, c", "d; e"',
        "x-order of the map: reordered: p, q → q, p",
        'x-owner of the map: name: Priya, tags: (x, y) → name: "Dana, Priya"',
        "x-since of the map: an empty list → q3",
        "x-teams of the map: removed red",
    ]
    assert '["' not in text
    # the JSON contract keeps the values as before: text as written, anything else as JSON
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    found = {c["field"]: (c["before"], c["after"]) for c in data["changes"] if c["field"].startswith("x-")}
    assert found["x-links"] == ('["a", "b, c"]', '["a", "b, c", "d"]')
    assert found["x-jira"] == ("BILL-1", "BILL-2")


def test_maps_added_removed_and_findings_introduced_and_fixed(repo: Path) -> None:
    (repo / "maps" / "support" / "admin-locked-out-future.yaml").unlink()
    new = (
        (repo / "maps" / "support" / "billing-dispute.yaml")
        .read_text()
        .replace("id: billing-dispute\n", "id: refund-delay\n")
    )
    new = new.replace("owner: finance\nreviewed", "reviewed")  # a missing owner: a new error
    (repo / "maps" / "support" / "refund-delay.yaml").write_text(new)
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [m["id"] for m in data["maps"] if m["status"] == "added"] == ["refund-delay"]
    assert [m["id"] for m in data["maps"] if m["status"] == "removed"] == ["admin-locked-out-future"]
    assert {f["rule"] for f in data["findings_introduced"]} >= {"missing-owner"}
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "broken")
    path = repo / "maps" / "support" / "refund-delay.yaml"
    path.write_text(path.read_text().replace("reviewed:", "owner: finance\nreviewed:", 1))
    fixed = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["findings_fixed"]
    assert [f["rule"] for f in fixed] == ["missing-owner"]


def test_a_removed_map_s_findings_go_with_it_and_are_not_fixed(repo: Path) -> None:
    """Deleting a map with findings said they were fixed ("findings: 1 fixed"): a reviewer
    read an improvement where a map was only taken away."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("owner: finance\nreviewed", "reviewed"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a map with an error")
    gone = [
        f["rule"] for f in json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["findings_fixed"]
    ]
    assert gone == []  # nothing changed yet
    path.unlink()
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    (removed,) = [m for m in data["maps"] if m["status"] == "removed"]
    assert "missing-owner" in {f["rule"] for f in removed["findings_gone"]}
    assert data["findings_fixed"] == [] and data["summary"]["findings_fixed"] == 0
    assert data["summary"]["findings_gone"] == len(removed["findings_gone"])
    text = diff_here(repo, "HEAD").stdout
    n = len(removed["findings_gone"])
    assert f"(billing-dispute): map removed, and its {n} findings with it" in text
    assert "fixed" not in text
    md = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert md.splitlines()[2] == f"**1 map removed** · findings: {n} gone with a removed map"


def test_markdown_is_a_pull_request_comment(repo: Path) -> None:
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance <b>review</b>\n")
    md = diff_here(repo, "HEAD", "--format", "markdown").stdout
    lines = md.splitlines()
    assert lines[0] == "### Journey maps: HEAD → working tree"
    assert lines[2] == "1 map changed · no finding introduced or fixed"  # the short summary first
    # Few maps changed: each one's changes open, its emotion journeys a click away
    assert "<details open><summary><b>Unexpected charge on the monthly invoice</b>" in md
    assert "<details><summary>The emotion journey, before and after</summary>" in md
    outside_journeys = "".join(md.split("```")[::2])  # Mermaid code blocks are not HTML
    # Markdown's own escape (an HTML escape, "&lt;b&gt;", showed as such outside GitHub)
    assert "Finance \\<b>review\\</b>" in outside_journeys and "<b>review</b>" not in outside_journeys
    # one blank line between blocks (two after the summary, a newcomer's try-out)
    assert not [i for i in range(1, len(lines)) if lines[i] == lines[i - 1] == ""], md


def test_a_change_to_many_maps_lists_them_collapsed(repo: Path) -> None:
    """A change to a few maps shows what each means without a click (the cost of inaction
    was inside a collapsed section, under "1 map changed"); past three maps, each map's
    changes stay behind its summary line, the comment a list to scan."""
    for name in ("admin-locked-out.yaml", "admin-locked-out-future.yaml", "billing-dispute.yaml"):
        edit(repo, name, "\ntitle: ", "\ntitle: Edited ")
    md = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert md.count("<details open><summary><b>") == 3
    edit(repo, "production-outage.yaml", "\ntitle: ", "\ntitle: Edited ")
    md = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert md.count("<details open>") == 0 and md.count("<details><summary><b>") == 4


def test_two_folders(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "a" / "maps")
    shutil.copytree(ROOT / "maps", tmp_path / "b" / "maps")
    (tmp_path / "b" / "maps" / "support" / "production-outage.yaml").unlink()
    result = diff_here(tmp_path, str(tmp_path / "a"), str(tmp_path / "b"))
    assert "- Production API outage during business hours (production-outage): map removed" in result.stdout


def test_folders_named_at_different_depths_pair_files_inside_them(tmp_path: Path) -> None:
    """``diff /tmp/fresh maps`` in a project compared ``maps/first-journey.yaml`` with
    ``first-journey.yaml`` and said "file renamed" of a file nobody renamed."""
    assert jm_here(tmp_path, "init", "fresh").returncode == 0
    shutil.copytree(tmp_path / "fresh", tmp_path / "proj")
    proj = tmp_path / "proj"
    for base, head in (("../fresh", "maps"), ("../fresh/maps", "."), ("../fresh", "../fresh/maps")):
        result = diff_here(proj, base, head)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"No change to any journey map between {base} and {head}.\n"
    # A real rename is still one, named inside each folder (both sides read alike).
    (proj / "maps" / "first-journey.yaml").rename(proj / "maps" / "locked-out.yaml")
    assert diff_here(proj, "../fresh", "maps").stdout.splitlines() == [
        "Journey maps: ../fresh → maps",
        "~ Customer locked out of their account (first-journey)",
        "    file renamed: first-journey.yaml → locked-out.yaml",
    ]
    assert (
        "    file renamed: maps/first-journey.yaml → maps/locked-out.yaml"
        in diff_here(proj, "../fresh", ".").stdout
    )


def test_a_fifo_in_a_folder_side_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    """Each YAML file's head was opened to find its schema comment, blocking on a FIFO (or
    a link to one) for ever; lint of the same folder reports it."""
    shutil.copytree(ROOT / "maps", tmp_path / "a" / "maps")
    shutil.copytree(ROOT / "maps", tmp_path / "b" / "maps")
    os.mkfifo(tmp_path / "b" / "maps" / "pipe.yaml")
    result = diff_here(tmp_path, str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.returncode == 0, result.stderr
    assert "+ maps/pipe.yaml (maps/pipe.yaml): map added, but broken: unreadable-file" in result.stdout


def test_a_folder_named_as_the_base_revision_cannot_stand_in_for_it(repo: Path) -> None:
    """A name that is a folder was read as one, before any revision: a pull request adding a
    folder ``origin/main`` (or ``main``) holding its own maps was compared with itself by the
    action's ``diff origin/main --check``, and its new error passed. Both is ambiguous, as for
    git: refused, saying how to name the folder."""
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "owner: nobody\nreviewed")
    shutil.copytree(repo / "maps", repo / "main" / "maps")
    result = diff_here(repo, "main", "--check")
    assert result.returncode == 2, result.stdout
    assert result.stderr == (
        "journeymaps: error: 'main' is both a folder and a git revision: write ./main for the "
        "folder, or remove the folder\n"
    )
    assert diff_here(repo, "./main", "--check").returncode == 0  # the folder, when named as one


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    result = jm(repo, "no-such-rev")
    assert result.returncode == 2 and "no-such-rev" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("",), ("", "HEAD"), ("HEAD", "")])
def test_an_empty_revision_is_a_usage_error(repo: Path, args: tuple[str, ...]) -> None:
    """``diff "$BASE"`` with BASE unset: "" was taken for the folder "." and compared with
    the working tree, "No change to any journey map between  and working tree", exit 0."""
    (repo / "maps" / "support" / "billing-dispute.yaml").unlink()  # a change there is
    result = diff_here(repo, *args)
    assert result.returncode == 2, result.stdout
    assert "'' is not a revision (a revision cannot be empty or start with '-')" in result.stderr
    assert result.stdout == ""


def test_a_site_folder_not_ours_is_refused_naming_the_option_given(repo: Path) -> None:
    """``--site`` at something journeymaps did not write: refused, and told to choose
    another --site (it said "--output", an option diff does not have)."""
    (repo / "notes").mkdir()
    (repo / "notes" / "mine.txt").write_text("keep me\n")
    result = diff_here(repo, "HEAD", "--site", "notes")
    assert result.returncode == 2, result.stderr
    assert (
        "notes exists and was not written by journeymaps; choose another --site or remove it" in result.stderr
    )
    assert "--output" not in result.stderr
    assert (repo / "notes" / "mine.txt").read_text() == "keep me\n"


def test_site_shows_before_and_after_with_changes_highlighted(repo: Path, browser) -> None:
    import xml.etree.ElementTree as ET

    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    result = diff_here(repo, "HEAD", "--site", "review")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "Wrote the before/after diagrams: open review/index.html\n"  # said where
    site = repo / "review"
    assert sorted(p.name for p in site.glob("*.svg")) == [
        "billing-dispute.after.svg",
        "billing-dispute.before.svg",
    ]
    after = ET.fromstring((site / "billing-dispute.after.svg").read_bytes())
    # the stage's title (a shape of its own at the head of the stage's column) says so
    marked = [el for el in after.iter() if el.get("id") == "stage-finance-review-title"]
    assert marked and "changed" in "".join(marked[0].itertext())
    untouched = next(el for el in after.iter() if el.get("id") == "stage-review-title")
    assert "changed" not in "".join(untouched.itertext())
    # owners by the teams' names, as the built site's diagrams (it said "owner: finance")
    words = " ".join("".join(after.itertext()).split())
    assert "owner: Finance" in words and "owner: finance" not in words, words[:300]
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    assert page.locator("h2").first.inner_text().startswith("Unexpected charge on the monthly invoice")
    assert page.locator("img").count() == 2
    # The images load lazily, and "load" does not wait for them: a check made at once found
    # one not yet decoded (naturalWidth 0) in CI. Each is brought into view, as a reader
    # scrolls, and must then show.
    for img in page.locator("img").all():
        img.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=10_000
    )
    page.close()


INSERTED_STAGE = """  - id: self-service
    name: Help-center search
    owner: support
    emotion: -1
    evidence: [{source: zendesk guide, kind: analytics, ref: "searches for 'invoice'"}]
    steps:
      - {id: searches-help, name: Searches the help center for the charge, lane: customer, channel: web, emotion: -1}

"""


def history(repo: Path) -> None:
    """A commit that inserts a stage, moves whole blocks and resolves a pain point."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    text = path.read_text()
    text = text.replace("  - id: contact\n", INSERTED_STAGE + "  - id: contact\n", 1)
    # Move the handoffs block to the end of the file, and a pain point to the top of its list.
    handoffs = text[text.index("handoffs:\n") : text.index("pain_points:\n")]
    text = text.replace(handoffs, "") + "\n" + handoffs.rstrip("\n") + "\n"
    pain = text[text.index("  - id: surprise-true-up\n") : text.index("opportunities:\n")]
    text = text.replace(pain, "").replace("pain_points:\n", "pain_points:\n" + pain.rstrip("\n") + "\n", 1)
    # Resolve a pain point: gone from the map and from what the opportunity addresses.
    end = text.index("    cost_per_contact: 65\n") + len("    cost_per_contact: 65\n")
    resolved = text[text.index("  - id: chargeback-after-silence\n") : end]
    text = text.replace(resolved, "").replace(
        "addresses: [notes-lost-at-handoff, chargeback-after-silence]", "addresses: [notes-lost-at-handoff]"
    )
    path.write_text(text)
    git(repo, "commit", "-qam", "self-service stage; chargebacks resolved")


def test_a_real_history_reads_right_in_text_markdown_and_json(repo: Path, browser) -> None:
    import xml.etree.ElementTree as ET

    history(repo)
    text = diff_here(repo, "HEAD~1", "HEAD").stdout
    assert text.splitlines() == [
        "Journey maps: HEAD~1 → HEAD",
        "~ Unexpected charge on the monthly invoice (billing-dispute)",
        '    stage added: "Help-center search" (owner Customer Support (Tier 1)) at position 2, after "Invoice'
        ' review", with 1 step: "Searches the help center for the charge"',
        '    pain point resolved (removed): "Customers who hear nothing for a week file chargebacks and often churn." at "Chargeback (customer gives up)"',
        "    channel switches: 3 → 4",  # the help-center search on the web, between email and chat
        "    cost of inaction (contacts) a year: $49,800 → $38,880",  # 14 chargebacks x $65 x 12 fewer
        "    revenue at risk a year: $36,000 → none",
    ]  # one insertion, no stage "moved", nothing from the moved blocks, no finding introduced

    data = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert data["version"] == 2 and data["summary"]["maps"]["changed"] == 1
    assert [
        {k: c[k] for k in ("map", "kind", "ids", "field", "before", "after")} for c in data["changes"]
    ] == [
        {
            "map": "billing-dispute",
            "kind": "stage-added",
            "ids": {"stage": "self-service"},
            "field": None,
            "before": None,
            "after": "Help-center search",
        },
        {
            "map": "billing-dispute",
            "kind": "pain-point-resolved",
            "ids": {"pain_point": "chargeback-after-silence", "stage": "chargeback"},
            "field": None,
            "before": "Customers who hear nothing for a week file chargebacks and often churn.",
            "after": None,
        },
        {
            "map": "billing-dispute",
            "kind": "map-changed",
            "ids": {},
            "field": "channel_switches",
            "before": 3,
            "after": 4,
        },
        {
            "map": "billing-dispute",
            "kind": "cost-changed",
            "ids": {},
            "field": "contact_cost",
            "before": 49800.0,
            "after": 38880.0,
        },
        {
            "map": "billing-dispute",
            "kind": "cost-changed",
            "ids": {},
            "field": "revenue_at_risk",
            "before": 36000.0,
            "after": None,
        },
    ]
    assert data["findings_introduced"] == [] and data["findings_fixed"] == []

    md = diff_here(repo, "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert md.splitlines()[2] == "1 map changed · no finding introduced or fixed"
    before, after = md.split("**Before**")[1].split("**After**")
    assert before.count("```mermaid") == 1 and after.count("```mermaid") == 1
    assert "section Help-center search" not in before and "section Help-center search" in after
    # emotion -1: a whole score, as Mermaid's are (it was 2.33, which reviewers read as a bug)
    assert "    Searches the help center for the charge: 2: support" in after
    blocks = [b for b in md.split("```")[1::2] if b.startswith("mermaid\n")]
    tasks = [ln for b in blocks for ln in b.splitlines() if ln.startswith("    ")]
    assert tasks and all(ln.split(":")[1].strip() in {"1", "2", "3", "4", "5"} for ln in tasks), tasks

    assert diff_here(repo, "HEAD~1", "HEAD", "--site", "review").returncode == 0
    svg = {
        side: ET.fromstring((repo / "review" / f"billing-dispute.{side}.svg").read_bytes())
        for side in ("before", "after")
    }

    def marked(side: str) -> set[str]:
        return {
            el.get("id", "")
            for el in svg[side].iter()
            if el.get("id")
            and "changed" in "".join(el.itertext())
            and el.get("id", "").startswith(("stage-", "step-", "pain-"))
        }

    assert marked("after") == {"stage-self-service-title"}  # not every stage after it (its title says so)
    assert marked("before") == {"pain-chargeback-after-silence"}  # the resolved pain point, where it was


def test_a_map_that_cannot_be_read_is_broken_not_removed(repo: Path) -> None:
    path = repo / "maps" / "support" / "admin-locked-out.yaml"
    good = path.read_text()
    path.write_text(good.replace("stages:\n", "stages:\n  - [unclosed\n", 1))
    text = diff_here(repo, "HEAD").stdout
    assert (
        "! Admin locked out of their account (admin-locked-out): broken in the working tree: yaml-syntax at line"
        in text
    )
    assert "removed" not in text
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    (broken,) = data["maps"]
    assert broken["status"] == "broken" and broken["problem"]["rule"] == "yaml-syntax"
    git(repo, "commit", "-qam", "broken")
    path.write_text(good)
    text = diff_here(repo, "HEAD").stdout
    assert (
        "✓ Admin locked out of their account (admin-locked-out): loads again in the working tree (was broken in HEAD: yaml-syntax at line"
        in text
    )
    assert "added" not in text


def test_a_map_added_broken_is_not_said_to_be_broken_on_both_sides(repo: Path) -> None:
    """It had one side, yet read "it does not load on either side"."""
    (repo / "maps" / "support" / "new.yaml").write_text("id: new\ntitle: [unclosed\n")
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[1] == (
        "+ maps/support/new.yaml (maps/support/new.yaml): map added, but broken: yaml-syntax at line 2: "
        "this '[' is never closed: add the ']' where it ends (a value that starts with '[' is a list; put "
        "text that starts with one in quotes); nothing else in it was checked"
    )


def test_a_renamed_file_is_one_change(repo: Path) -> None:
    git(repo, "mv", "maps/support/production-outage.yaml", "maps/support/outage.yaml")
    assert diff_here(repo, "HEAD").stdout.splitlines() == [
        "Journey maps: HEAD → working tree",
        "~ Production API outage during business hours (production-outage)",
        "    file renamed: maps/support/production-outage.yaml → maps/support/outage.yaml",
    ]


def test_before_and_after_of_what_a_support_lead_cares_about(repo: Path) -> None:
    edit(
        repo,
        "billing-dispute.yaml",
        "    sla: 1bd\n    context: lost\n",
        "    sla: 4h\n    context: carried\n",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "{name: Time to resolution, current: 6, target: 2, unit: days,",
        "{name: Time to resolution, current: 4, target: 2, unit: days,",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "    volume: 180\n    severity: 4\n",
        "    volume: 90\n    severity: 3\n",
    )
    edit(repo, "billing-dispute.yaml", "at: resolution.refund-email", "at: resolution.refund-issued")
    edit(
        repo,
        "billing-dispute.yaml",
        "    owner: support\n    due: 2026-12-31\n    status: in-progress",
        "    owner: finance\n    due: 2027-02-28\n    status: shipped",
    )
    edit(repo, "billing-dispute.yaml", "as_of: 2026-10-20}", "as_of: 2025-01-20}")
    edit(repo, "billing-dispute.yaml", "    sla_clock: first-reply ", "    sla_clock: resolution ")
    lines = texts(json.loads(diff_here(repo, "HEAD", "--format", "json").stdout))["billing-dispute"]
    for expected in (
        'sla_clock of handoff "Billing bot answers first" → "Agent gathers transaction details": first-reply → resolution',
        'current value of KPI "Time to resolution" at stage "Finance review": 6 days → 4 days (better: lower is better)',
        'sla of handoff "Agent gathers transaction details" → "Finance investigates the seat true-up": 1 business day → 4 hours',
        'context of handoff "Agent gathers transaction details" → "Finance investigates the seat true-up": lost → carried',
        'severity of pain point "The Support to Finance handoff loses the agent\'s notes; the customer sends the contract twice.": 4 → 3',
        'volume of pain point "The Support to Finance handoff loses the agent\'s notes; the customer sends the contract twice.": 180 → 90',
        'place (at) of pain point "The agent promises 5-7 days, the email says 2; customers stop trusting both.": "Refund confirmation email" in "Resolution" → "Refund issued" in "Resolution"',
        'opportunity "One refund-timeline macro shared by Support and Finance, matching the payment processor": in progress → shipped',
        'owner of opportunity "One refund-timeline macro shared by Support and Finance, matching the payment processor": Customer Support (Tier 1) → Finance',
        'due of opportunity "One refund-timeline macro shared by Support and Finance, matching the payment processor": 2026-12-31 → 2027-02-28',
        'evidence from intercom (transcript) at stage "Finance review" went stale: as_of 2025-01-20, 671 days old (limit 365)',
    ):
        assert expected in lines, (expected, lines)


def test_a_moved_stage_is_one_move() -> None:
    from journeymaps.map_changes import moved

    assert moved(list("abcde"), list("abdce")) in ({"c"}, {"d"})
    assert moved(list("abcde"), list("axbcde")) == set()  # an insertion moves nothing
    assert moved(list("abcde"), list("eabcd")) == {"e"}


def test_a_link_committed_in_an_old_revision_is_left_out_not_a_crash(repo: Path) -> None:
    """A revision holding a link to /etc/passwd (or out of the tree) among the maps: the
    link is not followed nor extracted, the rest is compared."""
    (repo / "maps" / "support" / "passwd.yaml").symlink_to("/etc/passwd")
    (repo / "maps" / "support" / "up").symlink_to("../../../../etc")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "links")
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    (repo / "maps" / "support" / "passwd.yaml").unlink()
    (repo / "maps" / "support" / "up").unlink()
    git(repo, "commit", "-qam", "edits")
    result = diff_here(repo, "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "Finance investigation" in result.stdout
    assert "root:" not in result.stdout


def test_a_revision_is_linted_with_its_schema_copies_and_photos(tmp_path: Path) -> None:
    """The base revision is read with the project files it had outside the maps folders:
    the editor schema copies ``init`` writes (schema-reference) and persona photos
    (persona-photo). Linted without them, every map's schema-reference finding was "fixed"
    in the PR comment of a change that touched only a title."""
    assert jm_here(tmp_path, "init", ".").returncode == 0
    (tmp_path / "assets").mkdir()
    shutil.copy(ROOT / "maps" / "personas" / "workspace-admin.png", tmp_path / "assets" / "admin.png")
    personas = (
        "personas:\n  - id: admin\n    name: Workspace admin\n    archetype: developer/admin\n"
        "    photo: assets/admin.png\n"
    )
    (tmp_path / "maps" / "personas.yaml").write_text(personas)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "pr")
    lint = jm_here(tmp_path, "lint", "--format", "json")
    rules = {f["rule"] for f in json.loads(lint.stdout)["findings"]}
    assert not rules & {"schema-reference", "persona-photo"}, lint.stdout
    path = tmp_path / "maps" / "first-journey.yaml"
    text = path.read_text()
    lines = text.split("\n")
    path.write_text("\n".join('title: "Renamed journey"' if ln.startswith("title:") else ln for ln in lines))
    # As the GitHub action runs it for the PR comment: base revision, working tree.
    comment = jm_here(tmp_path, "diff", "--today", "2026-11-22", "--format", "markdown", "--", "main").stdout
    assert "no finding introduced or fixed" in comment, comment
    git(tmp_path, "commit", "-qam", "renamed")
    for args in (["main"], ["main", "HEAD"], ["HEAD~1", "HEAD"]):
        data = json.loads(diff_here(tmp_path, *args, "--format", "json").stdout)
        assert data["findings_fixed"] == [] and data["findings_introduced"] == [], (args, data)
        assert [c["field"] for c in data["changes"]] == ["title"], data
    # Deleting the copies in a change is still seen: the head has no copies, the base had.
    shutil.rmtree(tmp_path / "schema")
    data = json.loads(diff_here(tmp_path, "main", "--format", "json").stdout)
    assert {f["rule"] for f in data["findings_introduced"]} == {"schema-reference"}
    assert data["findings_fixed"] == []


def test_a_broken_maps_findings_are_unknown_not_fixed(repo: Path) -> None:
    """A map that stops loading has findings nobody can see, not none: they are neither
    fixed nor, once it loads again, introduced."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    good = path.read_text()
    path.write_text(good.replace("    owner: finance\n", "", 1))  # a finding to lose sight of
    git(repo, "commit", "-qam", "unowned stage")
    path.write_text(path.read_text() + "  - [broken\n")
    git(repo, "commit", "-qam", "broken")
    broken = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert broken["findings_fixed"] == [], broken["findings_fixed"]
    assert [f["rule"] for f in broken["findings_introduced"]] == ["yaml-syntax"]
    (entry,) = broken["maps"]
    assert entry["status"] == "broken"
    assert "missing-owner" in {f["rule"] for f in entry["findings_uncompared"]}
    assert broken["summary"]["findings_uncompared"] == len(entry["findings_uncompared"])
    comment = diff_here(repo, "HEAD~1", "HEAD", "--format", "markdown").stdout
    n = len(entry["findings_uncompared"])
    assert f"findings: 1 introduced (1 error), {n} not compared (a map that cannot be read)" in comment
    # the error a change brings is shown open, with its severity (the list was folded, and
    # an error read as an info)
    assert "<details open><summary>Findings introduced (1)</summary>" in comment
    assert "\n- error: this '['" in comment and " · `JM001` yaml-syntax\n" in comment
    text = diff_here(repo, "HEAD~1", "HEAD").stdout
    assert "✓ fixed" not in text and "could not be compared" in text, text
    git(repo, "checkout", "-q", "HEAD~1", "--", "maps")
    git(repo, "commit", "-qam", "loads again")
    again = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert again["findings_introduced"] == [], again["findings_introduced"]
    assert [f["rule"] for f in again["findings_fixed"]] == ["yaml-syntax"]
    assert again["maps"][0]["status"] == "repaired"
    text = diff_here(repo, "HEAD~1", "HEAD").stdout
    assert "! introduced" not in text and "could not be compared" in text, text


def test_a_map_whose_id_changes_in_place_keeps_its_findings(repo: Path) -> None:
    """A map's id changed in its own file read as one map removed "and its 9 findings with
    it" and another added, its old errors all "introduced": --check failed a rename. It is
    one map, its id changed, and its findings followed; one it really brings is still one."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: nobody\n"))
    git(repo, "commit", "-qam", "unknown owners")
    path.write_text(path.read_text().replace("id: billing-dispute\n", "id: billing-disputes\n", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "introduced" not in result.stdout and "added" not in result.stdout
    assert "map id changed: billing-dispute → billing-disputes" in result.stdout
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [(m["status"], m["id"]) for m in data["maps"]] == [("changed", "billing-disputes")]
    (change,) = [c for c in data["changes"] if c["kind"] == "map-id-changed"]
    assert (change["before"], change["after"]) == ("billing-dispute", "billing-disputes")
    # a new error in the same change is still introduced
    path.write_text(path.read_text().replace("    owner: support\n", "    owner: nobody-else\n", 1))
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [d["message"].split(":")[1] for d in data["findings_introduced"]] == [
        " team 'nobody-else' is not in maps/teams.yaml"
    ]
    # a map that takes another's file while that map keeps its id elsewhere is not followed
    other = repo / "maps" / "support" / "moved.yaml"
    git(repo, "checkout", "-q", "--", ".")
    other.write_text(path.read_text())
    path.write_text(path.read_text().replace("id: billing-dispute\n", "id: brand-new\n", 1))
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert {(m["status"], m["id"]) for m in data["maps"]} >= {("added", "brand-new")}


def test_a_renamed_registry_keeps_its_findings(repo: Path) -> None:
    """A registry has no id: its findings are fingerprinted by its path, so teams.yaml
    renamed teams.yml showed each of them introduced and fixed (a renamed map is followed)."""
    git(repo, "mv", "maps/teams.yaml", "maps/teams.yml")
    git(repo, "mv", "maps/personas.yaml", "maps/personas.yml")
    result = diff_here(repo, "HEAD", "--check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "introduced" not in result.stdout and "fixed" not in result.stdout
    # said, where it read "No change to any journey map"
    assert result.stdout.splitlines() == [
        "Journey maps: HEAD → working tree",
        "~ maps/personas.yaml → maps/personas.yml: personas registry renamed, its findings followed",
        "~ maps/teams.yaml → maps/teams.yml: teams registry renamed, its findings followed",
    ]
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "2 registries renamed · no finding introduced or fixed" in comment
    assert "- **Registry**: maps/teams.yaml → maps/teams.yml: teams registry renamed" in comment
    assert json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["registries_renamed"] == [
        {"base_file": "maps/personas.yaml", "file": "maps/personas.yml"},
        {"base_file": "maps/teams.yaml", "file": "maps/teams.yml"},
    ]
    # the page too, which said "No change to any journey map" and nothing else
    assert diff_here(repo, "HEAD", "--site", "review").returncode == 0
    page = (repo / "review" / "index.html").read_text()
    assert "<li>maps/teams.yaml → maps/teams.yml: teams registry renamed, its findings followed</li>" in page
    assert "No change to any journey map" in page  # true: the maps are as they were
    # and a finding it really brings is still one
    teams = repo / "maps" / "teams.yml"
    teams.write_text(
        teams.read_text().replace("teams:\n", "teams:\n  - {id: product, name: Product again}\n", 1)
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [(f["file"], f["rule"]) for f in data["findings_introduced"]] == [
        ("maps/teams.yml", "duplicate-id")
    ]
    assert data["findings_fixed"] == []


def test_a_registry_renamed_beside_another_of_its_kind_keeps_its_findings(repo: Path) -> None:
    """Followed only when a side had one teams.yaml: with a second beside it, the renamed
    one's findings were all "introduced" and "fixed"."""
    (repo / "maps" / "support" / "teams.yaml").write_text(
        "teams:\n  - {id: billing, name: Billing}\n  - {id: billing, name: Billing again}\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a second teams file, with a finding")
    git(repo, "mv", "maps/support/teams.yaml", "maps/support/teams.yml")
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "Journey maps: HEAD → working tree",
        "~ maps/support/teams.yaml → maps/support/teams.yml: teams registry renamed, its findings followed",
    ]


def test_maps_sharing_an_id_are_told_apart_by_file(repo: Path) -> None:
    """Two maps with one id (a duplicate-id finding): editing one is a change to it, not
    an addition and a removal."""
    source = repo / "maps" / "support" / "billing-dispute.yaml"
    shutil.copy(source, repo / "maps" / "support" / "billing-copy.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "copy")
    edit(repo, "billing-copy.yaml", "title: Unexpected charge on the monthly invoice", "title: Changed copy")
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [(m["status"], m["file"], m["base_file"]) for m in data["maps"]] == [
        ("changed", "maps/support/billing-copy.yaml", "maps/support/billing-copy.yaml")
    ], data["maps"]
    assert [c["field"] for c in data["changes"]] == ["title"]
    # Renaming one of the two is still one move.
    git(repo, "commit", "-qam", "edit")
    git(repo, "mv", "maps/support/billing-copy.yaml", "maps/support/billing-other.yaml")
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [(m["status"], m["file"], m["base_file"]) for m in data["maps"]] == [
        ("changed", "maps/support/billing-other.yaml", "maps/support/billing-copy.yaml")
    ], data["maps"]


def test_json_fields_are_the_maps_keys_and_stale_evidence_has_its_old_date(repo: Path) -> None:
    edit(
        repo,
        "billing-dispute.yaml",
        "{name: Time to resolution, current: 6, target: 2, unit: days,",
        "{name: Time to resolution, current: 4, target: 2, unit: days,",
    )
    edit(repo, "billing-dispute.yaml", "as_of: 2026-10-20}", "as_of: 2025-01-20}")
    changes = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["changes"]
    kpi = next(c for c in changes if c["kind"] == "kpi-changed")
    assert (kpi["field"], kpi["before"], kpi["after"]) == ("current", 6, 4)
    assert kpi["text"].startswith('current value of KPI "Time to resolution"')  # words for people
    stale = next(c for c in changes if c["kind"] == "evidence-stale")
    assert (stale["field"], stale["before"], stale["after"]) == ("as_of", "2026-10-20", "2025-01-20")
    # Every field a change names is a key of the map format: no spaces, no words.
    assert all(c["field"] is None or " " not in c["field"] for c in changes)


def test_a_revision_is_read_whole_whatever_its_gitattributes_leave_out_of_an_archive(repo: Path) -> None:
    """A revision's maps were read through ``git archive``, which leaves out what that
    revision's .gitattributes mark ``export-ignore``: a branch marking its map so and breaking
    it passed ``diff main HEAD --check`` ("map removed"), and a base marking its maps so had
    every map of the working tree read as added, all their findings introduced."""
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / ".gitattributes").write_text("maps/support/billing-dispute.yaml export-ignore\n")
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "owner: nobody\nreviewed")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hidden from archives")
    result = diff_here(repo, "main...HEAD", "--check", "--format", "json")
    assert result.returncode == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings_introduced"]] == ["unknown-team"]
    edit(repo, "billing-dispute.yaml", "owner: nobody\nreviewed", "owner: finance\nreviewed")
    same = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert same["summary"]["maps"]["added"] == 0, same["maps"]
    # Every file marked so: git's archive of nothing ended the run ("internal error: ReadError").
    (repo / ".gitattributes").write_text("maps export-ignore\n")
    git(repo, "commit", "-qam", "all hidden from archives")
    everything = diff_here(repo, "HEAD")
    assert (everything.returncode, everything.stderr) == (0, ""), everything.stderr
    assert everything.stdout == "No change to any journey map between HEAD and the working tree.\n"


def test_a_revision_is_read_as_committed_whatever_its_gitattributes_fill_in(repo: Path) -> None:
    """``git archive`` fills ``$Format:...$`` in the files a revision's .gitattributes mark
    ``export-subst``: a branch so marking its maps turned ``# $Format:%n$    owner: success``,
    a comment in the committed map, into a line with an owner, and the missing owner it
    brings passed ``diff main HEAD --check`` as "No change to any journey map". (A project
    in a folder of the repository is archived as a tree, which git fills nothing in.)"""
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / ".gitattributes").write_text("maps/** export-subst\n")
    edit(
        repo,
        "production-outage.yaml",
        "    name: Post-incident survey\n    owner: success\n",
        "    name: Post-incident survey\n    # $Format:%n$    owner: success\n",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "an owner only archives see")
    result = diff_here(repo, "main", "HEAD", "--check", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert [f["rule"] for f in json.loads(result.stdout)["findings_introduced"]] == ["missing-owner"]


def test_only_files_are_fetched_from_a_revision(repo: Path) -> None:
    """What a map names as a schema copy or a photo is fetched from the base revision only
    when it is a file there: a folder named instead (``photo: maps``) is not copied whole."""
    from journeymaps import git as jgit

    (repo / "sub").mkdir()
    (repo / "sub" / "a b.json").write_text("{}")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "sub")
    wanted = ["sub/a b.json", "sub", "maps", "maps/teams.yaml", "missing.json", "new\nline"]
    assert jgit.files("HEAD", wanted, repo) == ["sub/a b.json", "maps/teams.yaml"]
    assert jgit.files("HEAD", ["a b.json", "../maps/teams.yaml"], repo / "sub") == ["a b.json"]


def test_hostile_schema_comments_in_a_revision_are_not_followed(repo: Path) -> None:
    """A schema comment naming a path out of the repository, a folder, or holding control
    characters: nothing outside the revision is read, and the run ends normally."""
    head = "id: odd\ntitle: Odd\nowner: support\nreviewed: 2026-11-01\nstages: []\n"
    refs = ["../../../../etc/passwd", "..", "../s\x01x/j.json", "../maps", "/etc/hostname"]
    for i, ref in enumerate(refs):
        (repo / "maps" / f"odd{i}.yaml").write_text(
            f"# yaml-language-server: $schema={ref}\n" + head.replace("odd", f"odd{i}")
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "odd comments")
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    result = diff_here(repo, "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["findings_introduced"] == [] and data["findings_fixed"] == [], data
    assert "root:" not in result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_bidi_controls_in_a_change_are_shown_not_obeyed(repo: Path, fmt: str) -> None:
    """A stage renamed with a right-to-left override read reversed in the PR comment and the
    terminal (Trojan Source): the controls are shown as escapes."""
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance \u202eweiver\n")
    out = diff_here(repo, "HEAD", "--format", fmt).stdout
    assert "Finance \\u202eweiver" in out
    assert "\u202e" not in out


def test_two_changed_maps_sharing_an_id_name_their_files(repo: Path) -> None:
    """Both changed, two maps with one id had the same header ("~ Title (billing-dispute)")
    in the terminal and the PR comment: which section was which file?"""
    source = repo / "maps" / "support" / "billing-dispute.yaml"
    shutil.copy(source, repo / "maps" / "support" / "billing-copy.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "copy")
    edit(repo, "billing-copy.yaml", "name: Finance review\n", "name: Finance check\n")
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance audit\n")
    text = diff_here(repo, "HEAD").stdout
    assert "(billing-dispute, maps/support/billing-copy.yaml)" in text
    assert "(billing-dispute, maps/support/billing-dispute.yaml)" in text
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "<code>billing-dispute, maps/support/billing-copy.yaml</code>" in comment
    edit(repo, "billing-copy.yaml", "name: Finance check\n", "name: Finance review\n")  # one changed
    assert "(billing-dispute)\n" in diff_here(repo, "HEAD").stdout  # an id alone when it says enough


def test_diff_site_has_a_layout_timeout_and_says_which_diagram_it_left_out(tmp_path: Path) -> None:
    # A pull request adding a map that takes long to lay out held a CI job for 30 s a side
    # with no way to bound it (build and render had --timeout); a diagram that was not
    # drawn was left out of the page without a word.
    from conftest import tangled, write_files

    write_files(
        tmp_path / "a" / "maps",
        {"other.yaml": (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()},
    )
    write_files(tmp_path / "b" / "maps", {"tangled.yaml": tangled(45)})
    out = tmp_path / "site"
    result = diff_here(
        tmp_path, str(tmp_path / "a"), str(tmp_path / "b"), "--site", str(out), "--timeout", "0.2"
    )
    assert result.returncode == 0, result.stderr
    assert "Tangled (tangled): map added" in result.stdout
    page = (out / "index.html").read_text("utf-8")
    assert "After: the diagram could not be drawn:" in page and "0.2" in page
    assert not (out / "tangled.after.svg").exists()
    refused = diff_here(
        tmp_path, str(tmp_path / "a"), str(tmp_path / "b"), "--site", str(out), "--timeout", "nan"
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr


def test_maps_committed_as_links_read_as_the_working_tree_reads_them(repo: Path) -> None:
    """A map committed as a link was left out of a revision's side (the export skipped
    links) while the working tree's side read it or reported it: ``diff HEAD~1 HEAD`` said
    "No change" where ``diff HEAD~1`` named the map and the links' findings."""
    shared = repo / "shared"
    shared.mkdir()
    text = (repo / "maps" / "support" / "billing-dispute.yaml").read_text()
    (shared / "refund.yaml").write_text(
        text.replace("id: billing-dispute\n", "id: refund-linked\n").replace(
            "title: Unexpected charge", "title: Linked refund"
        )
    )
    support = repo / "maps" / "support"
    (support / "refund.yaml").symlink_to("../../shared/refund.yaml")  # inside the project
    (support / "passwd.yaml").symlink_to("/etc/passwd")  # out of it
    (support / "gone.yaml").symlink_to("nowhere.yaml")  # to nothing
    (support / "folder.yaml").symlink_to("../../shared")  # a folder: lint reports it (JM005)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "maps as links")

    def body(result: subprocess.CompletedProcess[str]) -> list[str]:
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[1:]  # the heading names the sides

    committed, working = body(diff_here(repo, "HEAD~1", "HEAD")), body(diff_here(repo, "HEAD~1"))
    assert committed == working
    shown = "\n".join(committed)
    assert "Linked refund on the monthly invoice (refund-linked): map added" in shown
    for name, why in (
        ("passwd.yaml", "the file is a link to /etc/passwd, outside the project"),
        ("gone.yaml", "the file is a link to nowhere.yaml, which does not exist"),
        ("folder.yaml", "the file is a link to a folder"),
    ):
        assert f"introduced: maps/support/{name}:1:1: JM005 [unreadable-file] error: {why}" in shown, shown
    assert "root:" not in shown
    data = json.loads(diff_here(repo, "HEAD", "HEAD~1", "--format", "json").stdout)
    assert [m["id"] for m in data["maps"] if m["status"] == "removed"] == [
        "maps/support/folder.yaml",
        "maps/support/gone.yaml",
        "maps/support/passwd.yaml",
        "refund-linked",
    ], data["maps"]


def test_a_link_out_of_a_side_is_not_read_for_its_schema_comment(tmp_path: Path) -> None:
    """A revision's links are made again in its copy (see above): one pointing out of it
    is not opened to look for a schema comment either (lint refuses to read it)."""
    from journeymaps.diff_sides import _schema_copies

    outside = tmp_path / "outside.yaml"
    outside.write_text("# yaml-language-server: $schema=../schema/journey-map.schema.json\nid: x\n")
    side = tmp_path / "side"
    (side / "maps").mkdir(parents=True)
    (side / "maps" / "in.yaml").write_text("# yaml-language-server: $schema=../schema/teams.schema.json\n")
    (side / "maps" / "out.yaml").symlink_to(outside)
    assert _schema_copies(side, [side / "maps"]) == ["schema/teams.schema.json"]


def test_site_lists_the_findings_the_change_introduces_and_fixes(repo: Path, browser) -> None:
    """The review page said "Findings: 1 introduced, 0 fixed." and no more: a reviewer had
    to go to the CI log to learn which finding, where."""
    edit(repo, "billing-dispute.yaml", "name: Finance review\n    owner: finance\n", "name: Finance review\n")
    result = diff_here(repo, "HEAD", "--site", "review")
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    page.goto((repo / "review" / "index.html").as_uri())
    section = page.locator("section", has=page.locator("h2#findings-introduced"))
    assert section.locator("h2").inner_text().startswith("Findings this change introduces (")
    rows = section.locator("li.finding").all_inner_texts()
    assert rows and all(
        "JM201 Missing owner" in r and "maps/support/billing-dispute.yaml:" in r for r in rows
    ), rows
    assert page.locator("h2#findings-fixed").count() == 0  # nothing fixed: no empty list
    said = f"Findings: {len(rows)} introduced ({len(rows)} error{'s' if len(rows) > 1 else ''})."
    assert (
        f"{said} They are listed below the maps." in page.locator("main > p").all_inner_texts()
    )  # not ", 0 fixed"
    page.close()


def test_a_comment_folds_findings_that_are_not_errors(repo: Path) -> None:
    edit(repo, "billing-dispute.yaml", "reviewed: 2026-11-10\n", "reviewed: 2024-01-10\n")
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "· findings: 1 introduced\n" in comment, comment  # not ", 0 fixed": a zero says nothing
    assert "<details><summary>Findings introduced (1)</summary>" in comment
    assert "\n- warning in **" in comment and ") · `JM" in comment


def test_a_broken_teams_registrys_findings_are_unknown_not_fixed(repo: Path) -> None:
    """teams.yaml made unreadable: its findings were listed as fixed ("✓ fixed: maps/
    teams.yaml: ..."), and, once it read again, as introduced."""
    teams = repo / "maps" / "teams.yaml"
    good = teams.read_text()
    teams.write_text(good + "x-note: TODO\n")  # a finding of its own to lose sight of
    git(repo, "commit", "-qam", "note")
    teams.write_text(teams.read_text() + "bad: [\n")
    git(repo, "commit", "-qam", "broken")
    broken = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert not [f for f in broken["findings_fixed"] if f["file"] == "maps/teams.yaml"], broken[
        "findings_fixed"
    ]
    assert [f["rule"] for f in broken["findings_introduced"]] == ["yaml-syntax"]
    git(repo, "checkout", "-q", "HEAD~1", "--", "maps")
    git(repo, "commit", "-qam", "reads again")
    again = json.loads(diff_here(repo, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [f["rule"] for f in again["findings_fixed"]] == ["yaml-syntax"]
    assert not [f for f in again["findings_introduced"] if f["file"] == "maps/teams.yaml"], again


def test_deleting_teams_yaml_cannot_hide_the_unknown_owner_it_comes_with(repo: Path) -> None:
    """Without a teams.yaml no owner is checked: a pull request deleting it and naming a team
    that does not exist passed --check, and the maps' old unknown owners read as fixed."""
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "owner: ghost-team\nreviewed")
    git(repo, "commit", "-qam", "an unknown owner already on main")
    (repo / "maps" / "teams.yaml").unlink()
    alone = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert alone.returncode == 0, alone.stderr  # deleting the registry alone passes: no owner is new
    assert not [f for f in json.loads(alone.stdout)["findings_fixed"] if f["rule"] == "unknown-team"]
    edit(repo, "production-outage.yaml", "owner: tier-2\nreviewed", "owner: nobody\nreviewed")
    result = jm(repo, "HEAD", "--check")  # the gate as CI runs it
    assert result.returncode == 1
    assert result.stderr == "journeymaps diff --check: the change introduces 1 error\n"
    introduced = [line for line in result.stdout.splitlines() if line.startswith("! introduced")]
    assert introduced == [
        "! introduced: maps/support/production-outage.yaml:4:8: JM103 [unknown-team] error: owner: team "
        "'nobody' is not in maps/teams.yaml: add it there, or name a team it lists (engineering, finance, "
        "identity, product, success, support, tier-2); this change deletes that teams.yaml, and without "
        "one no owner is checked"
    ]
    # nor does the rule turned off in the same change: what it silences is judged, as always
    (repo / "journeymaps.toml").write_text('[rules]\nunknown-team = "off"\n')
    off = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert off.returncode == 1, off.stderr
    assert "silences 1 error it brings" in off.stderr
    data = json.loads(off.stdout)
    silenced = [(f["message"][:27], f["new"]) for f in data["settings"]["findings_silenced"]]
    assert sorted(silenced) == [("owner: team 'ghost-team' is", False), ("owner: team 'nobody' is not", True)]
    assert not [f for f in data["findings_fixed"] if f["rule"] == "unknown-team"]


def test_check_fails_on_an_error_the_change_introduces_after_printing_the_comment(repo: Path) -> None:
    """diff exited 0 whatever the change brought: a pull-request job that posted the comment
    could not also fail on a new error without running lint over findings it already had."""
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "reviewed")  # missing-owner
    assert diff_here(repo, "HEAD").returncode == 0  # without --check: a report, as before
    result = diff_here(repo, "HEAD", "--format", "markdown", "--check")
    assert result.returncode == 1
    assert result.stdout.rstrip().endswith("<!-- journeymaps-diff -->")  # the whole comment first
    assert "1 introduced (1 error)" in result.stdout
    assert result.stderr == "journeymaps diff --check: the change introduces 1 error\n"


def test_check_passes_findings_the_base_already_had_and_fails_a_map_that_no_longer_loads(
    repo: Path,
) -> None:
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "reviewed")
    git(repo, "commit", "-qam", "an error already on main")
    edit(repo, "billing-dispute.yaml", "reviewed: 2026-11-10", "reviewed: 2026-11-12")
    result = diff_here(repo, "HEAD", "--check")
    assert (result.returncode, result.stderr) == (0, "")
    edit(repo, "admin-locked-out.yaml", "stages:\n", "stages:\n  - [unclosed\n")
    broken = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert broken.returncode == 1
    assert "yaml-syntax" in {f["rule"] for f in json.loads(broken.stdout)["findings_introduced"]}


def test_check_strict_fails_on_an_introduced_warning_too(repo: Path) -> None:
    edit(repo, "billing-dispute.yaml", "reviewed: 2026-11-10", "reviewed: 2020-01-10")  # stale-map
    assert diff_here(repo, "HEAD", "--check").returncode == 0
    strict = diff_here(repo, "HEAD", "--check", "--strict")
    assert strict.returncode == 1
    assert strict.stderr == "journeymaps diff --check: the change introduces 1 warning\n"


def test_check_fails_on_an_error_of_a_map_that_loads_again(repo: Path) -> None:
    """A map broken on main (a schema error) repaired by a pull request that also gave it
    an owner no team list has: its findings could not be compared, so --check passed, and
    the error was on main from then on, in every later base's findings."""
    edit(repo, "billing-dispute.yaml", "reviewed: 2026-11-10", "reviewed: 2026-11-10\nx_note: legacy")
    git(repo, "commit", "-qam", "a map broken on main")
    edit(repo, "billing-dispute.yaml", "reviewed: 2026-11-10\nx_note: legacy", "reviewed: 2026-11-10")
    repaired = diff_here(repo, "HEAD", "--check")
    assert (repaired.returncode, repaired.stderr) == (0, "")  # repaired alone: nothing to fail
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "owner: nobody-knows\nreviewed")
    result = diff_here(repo, "HEAD", "--check", "--format", "markdown")
    assert result.returncode == 1
    assert result.stdout.rstrip().endswith("<!-- journeymaps-diff -->")  # the whole comment first
    assert result.stderr == (
        "journeymaps diff --check: a file that loads again has 1 error the base could not show "
        "(the file did not load there), judged as introduced\n"
    )
    # A teams.yaml read again is judged alike: its new errors were in no list.
    git(repo, "checkout", "-q", "--", ".")
    teams = repo / "maps" / "teams.yaml"
    good = teams.read_text()
    teams.write_text("teams: [\n")
    git(repo, "commit", "-qam", "teams broken on main")
    teams.write_text(good + "  - {id: Not An Id, name: X}\n")
    assert "1 error the base could not show" in diff_here(repo, "HEAD", "--check").stderr


def test_nothing_to_compare_is_an_error_not_no_change(repo: Path) -> None:
    """Maps kept in journeys/ with no settings naming it (the action's paths input): diff
    compared nothing, said "No change to any journey map", and --check passed any error."""
    git(repo, "mv", "maps", "journeys")
    git(repo, "commit", "-qm", "maps elsewhere")
    edit_at = repo / "journeys" / "support" / "billing-dispute.yaml"
    edit_at.write_text(edit_at.read_text().replace("owner: finance\nreviewed", "reviewed"))
    result = diff_here(repo, "HEAD", "--check")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "journeymaps: error: nothing to compare: no file in the maps folders (maps) of HEAD nor of "
        "the working tree; diff compares the folders the settings name (paths in journeymaps.toml)\n"
    )
    (repo / "journeymaps.toml").write_text('paths = ["journeys"]\n')
    assert diff_here(repo, "HEAD", "--check").returncode == 1  # named: compared, and the error fails it


def test_strict_without_check_is_a_usage_error(repo: Path) -> None:
    result = diff_here(repo, "HEAD", "--strict")
    assert result.returncode == 2
    assert "--strict is for --check" in result.stderr and result.stdout == ""


def test_a_file_too_large_for_any_reader_is_never_read_from_a_revision(repo: Path) -> None:
    """A map committed at 5 KB, read with a 1 KB limit: git's archive (and cat-file) held a
    blob whole in memory, 2-6 times over once parsed (a 300 MB map in history took 1.7 GB).
    It is now its size only: a sparse file the reader refuses as too large, and no bytes."""
    from journeymaps import git as jm_git

    big = "id: big\nx-a: " + "a" * 5000 + "\n"
    (repo / "maps" / "big one.yaml").write_text(big)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "big")
    dest = repo.parent / "exported"
    jm_git.export("HEAD", ["maps"], repo, dest, max_bytes=1000)
    made = dest / "maps" / "big one.yaml"
    assert made.stat().st_size == len(big) and made.stat().st_blocks == 0  # no data in it
    kept = sorted(p.name for p in (repo / "maps").rglob("*.yaml"))
    assert sorted(p.name for p in (dest / "maps").rglob("*.yaml")) == kept
    small = next(p for p in (repo / "maps").rglob("*.yaml") if p.name != "big one.yaml")
    assert (dest / small.relative_to(repo)).read_bytes() == small.read_bytes()
    # and blob by blob: within the limit its bytes, over it (or missing) none
    rel = small.relative_to(repo).as_posix()
    specs = ["HEAD:maps/big one.yaml", f"HEAD:{rel}", "HEAD:maps/none.yaml", "HEAD:maps"]
    assert jm_git.blobs(specs, repo, 1000) == [None, small.read_bytes(), None, None]


def test_lint_changed_since_does_not_hold_a_large_committed_map_in_memory(tmp_path: Path) -> None:
    """A 60 MB map committed, then deleted in the work tree: ``lint --changed-since HEAD``
    read the old version whole to learn its id (288 MiB peak for 40 MB). Its size is now
    asked first, and a file no map can be is not read."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    size = 60_000_000
    (tmp_path / "maps" / "big.yaml").write_text("id: big\nx-a: " + "a" * size + "\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    (tmp_path / "maps" / "big.yaml").unlink()
    measured = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, subprocess, sys\n"
            "r = subprocess.run([sys.executable, '-m', 'journeymaps', 'lint', '--changed-since', 'HEAD'])\n"
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "compiler")},
    )
    code, peak = measured.stdout.split()[-2:]
    assert code == "0", measured.stdout + measured.stderr
    assert int(peak) < size, f"peak {int(peak) / 1e6:.0f} MB"


def test_a_comment_about_thousands_of_maps_stays_within_github_s_limit() -> None:
    """Without its journeys a change to 2,000 maps still made a 370 kB comment, which GitHub
    refuses (65,536 characters): none was posted. It is cut after whole blocks, and says so."""
    from journeymaps.comparison import CHANGED, Comparison, MapDiff
    from journeymaps.diff_formats import COMMENT_LIMIT, comment
    from journeymaps.map_changes import Change
    from journeymaps.map_pairing import Entry

    def side(i: int) -> Entry:
        return Entry(f"maps/m{i}.yaml", f"m{i}", f"Map {i}", None, None, "")

    maps = [
        MapDiff(
            CHANGED, side(i), side(i), [Change("pain-point-changed", f"severity of pain point {i}: 3 → 4")]
        )
        for i in range(2000)
    ]
    md = comment(Comparison("HEAD~1", "HEAD", maps, [], []))
    assert len(md) < 65_536 and len(md) <= COMMENT_LIMIT + 400
    assert md.startswith("### Journey maps: HEAD\\~1 → HEAD\n\n2000 maps changed")  # ~ strikes through
    assert md.count("<details") == md.count("</details>")  # cut between blocks, not inside one
    shown = md.count("<details><summary><b>")
    assert f"Left out to keep the comment within GitHub's size limit: {2000 - shown:,} more maps;" in md
    assert "\n\n\n" not in md and md.endswith("<!-- journeymaps-diff -->\n")


def test_printing_a_comparison_of_thousands_of_maps_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each map's label counted the maps sharing its id over all of them: 2,000 maps took
    9 s to print as markdown, 5,000 a minute. Counted in the work done (how often a map's id
    is asked for), not by a clock: 5,000 maps asked for 25 million ids then."""
    from journeymaps.comparison import CHANGED, Comparison, MapDiff
    from journeymaps.diff_formats import FORMATS
    from journeymaps.map_pairing import Entry

    def side(i: int) -> Entry:
        return Entry(f"maps/m{i}.yaml", f"m{i % 4999}", f"Map {i}", None, None, "")

    asked = 0
    plain = MapDiff.map_id.fget
    assert plain is not None

    def counted(self: MapDiff) -> str:
        nonlocal asked
        asked += 1
        return plain(self)

    monkeypatch.setattr(MapDiff, "map_id", property(counted))
    maps = [MapDiff(CHANGED, side(i), side(i), []) for i in range(5000)]
    c = Comparison("HEAD~1", "HEAD", maps, [], [])
    out = FORMATS["text"](c)
    assert asked < 50 * len(maps), f"{asked:,} ids asked for {len(maps):,} maps"
    assert "(m0, maps/m0.yaml)" in out and "(m0, maps/m4999.yaml)" in out and "(m1)\n" in out


def test_a_branch_is_compared_from_where_it_left_main(repo: Path) -> None:
    """``main...HEAD``, as ``git diff main...HEAD``: the branch's own changes, not main's since
    (which ``diff main`` shows undone). It was refused as an unknown revision."""
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance check\n")
    git(repo, "commit", "-qam", "feature")
    git(repo, "checkout", "-q", "main")
    edit(repo, "production-outage.yaml", "\ntitle: ", "\ntitle: Edited ")
    git(repo, "commit", "-qam", "main moves on")
    git(repo, "checkout", "-q", "feature")
    for args in (("main...HEAD",), ("main...",), ("main...feature",)):
        result = diff_here(repo, *args)
        assert result.returncode == 0, result.stderr
        assert 'stage renamed: "Finance review" → "Finance check"' in result.stdout, args
        assert "Edited" not in result.stdout, args
    assert "Journey maps: main...HEAD → HEAD\n" in diff_here(repo, "main...HEAD").stdout
    assert "Edited" in diff_here(repo, "main").stdout  # two revisions: main's change, undone
    changed = jm_here(repo, "lint", "--changed-since", "main...", "--format", "json")
    assert {f["file"] for f in json.loads(changed.stdout)["findings"]} == {
        "maps/support/billing-dispute.yaml"
    }
    git(repo, "checkout", "-q", "--orphan", "alone")
    git(repo, "commit", "-qm", "unrelated")
    result = diff_here(repo, "main...HEAD")
    assert (
        result.returncode == 2
        and "no commit where 'HEAD' left 'main' (they have no commit in common)" in result.stderr
    )
    result = diff_here(repo, "main..HEAD")
    assert result.returncode == 2 and "a range names two revisions: name one, or A...B" in result.stderr


def test_maps_in_a_submodule_are_read_at_the_commit_each_side_records(repo: Path, tmp_path: Path) -> None:
    """``git archive`` leaves a submodule's files out: its maps were "added" by every
    change, all their findings "introduced" (``--check`` failed a change to nothing)."""
    from conftest import BASE

    shared = tmp_path / "shared"
    (shared / "maps").mkdir(parents=True)
    (shared / "maps" / "remote.yaml").write_text(BASE.replace("id: m", "id: remote"))
    git(shared, "init", "-q", "-b", "main")
    git(shared, "add", "-A")
    git(shared, "commit", "-qm", "shared")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", shared.as_uri(), "maps/shared")
    git(repo, "commit", "-qm", "submodule")
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "No change to any journey map between HEAD and the working tree.\n"
    added = diff_here(repo, "HEAD~1", "HEAD").stdout
    assert "(remote): map added" in added
    sub = repo / "maps" / "shared"
    (sub / "maps" / "remote.yaml").write_text(
        BASE.replace("id: m", "id: remote").replace("name: Two", "name: Second")
    )
    git(sub, "commit", "-qam", "edit")
    changed = diff_here(repo, "HEAD").stdout
    assert '"Two" → "Second"' in changed and "map added" not in changed
    git(repo, "commit", "-qam", "submodule moved on")
    assert diff_here(repo, "HEAD~1", "HEAD").stdout == changed.replace("HEAD → working tree", "HEAD~1 → HEAD")


def test_an_unknown_branch_is_told_the_branches_there_are(tmp_path: Path) -> None:
    """``journeymaps diff main``, as the README has it, in a repository whose first branch
    git named master said only "not a branch, tag or commit of this repository"."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    git(tmp_path, "init", "-q", "-b", "master")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    git(tmp_path, "checkout", "-q", "-b", "shorter-wait")
    git(tmp_path, "update-ref", "refs/remotes/origin/master", "HEAD")
    git(tmp_path, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/master")
    for args in (("diff", "main", "--today", "2026-11-22"), ("lint", "--changed-since", "main")):
        result = jm_here(tmp_path, *args)
        assert result.returncode == 2, result.stdout
        assert (
            "unknown revision 'main' (not a branch, tag or commit of this repository; "
            "its branches: master, shorter-wait, origin/master)"
        ) in result.stderr, result.stderr
    for i in range(6):
        git(tmp_path, "branch", f"topic-{i}")
    result = jm_here(tmp_path, "diff", "main", "--today", "2026-11-22")
    assert (
        "its branches: master, shorter-wait, topic-0, topic-1, topic-2, topic-3 and 3 more)" in result.stderr
    )


def test_a_repository_git_refuses_is_said_not_taken_for_one_without_commits(repo: Path) -> None:
    """A checkout owned by another user (a CI container) or a .git file that is not one:
    "unknown revision 'HEAD~1' (the repository has no commit yet: commit the maps first)"."""
    (repo / "sub").mkdir()
    shutil.copytree(repo / "maps", repo / "sub" / "maps")
    (repo / "sub" / ".git").write_text("garbage\n")
    for args in (("HEAD",), ("--changed-since", "HEAD")):
        command = ("diff", *args, "--today", "2026-11-22") if args[0] == "HEAD" else ("lint", *args)
        result = jm_here(repo / "sub", *command)
        assert result.returncode == 2, result.stdout
        assert "git cannot read this repository (invalid gitfile format:" in result.stderr
        assert "no commit yet" not in result.stderr and "Traceback" not in result.stderr
    from journeymaps.git import _unreadable

    said = _unreadable("detected dubious ownership in repository at '/w/maps'")
    assert said.endswith("if you trust them, git config --global --add safe.directory /w/maps")


def test_a_maps_folder_committed_as_a_link_is_read_through_it(repo: Path) -> None:
    """``maps -> journeys/maps``: the work tree is read through the link, a revision's side
    was not (a link to a folder is refused as a map): every map "added" by a change to
    nothing, and a commit changing a map "No change"."""
    (repo / "journeys").mkdir()
    git(repo, "mv", "maps", "journeys/maps")
    (repo / "maps").symlink_to("journeys/maps")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "maps moved behind a link")
    assert (
        diff_here(repo, "HEAD").stdout == "No change to any journey map between HEAD and the working tree.\n"
    )
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance check\n")
    git(repo, "commit", "-qam", "renamed a stage")
    result = diff_here(repo, "HEAD~1", "HEAD")
    assert 'stage renamed: "Finance review" → "Finance check"' in result.stdout, result.stdout
    assert "map added" not in result.stdout


def drop_contact_owner(repo: Path) -> None:
    """A change a gate must catch: the "Contact support" stage loses its owner (3 steps
    without one, 3 missing-owner errors)."""
    edit(
        repo,
        "billing-dispute.yaml",
        "    name: Contact support\n    owner: support\n",
        "    name: Contact support\n",
    )


def test_a_settings_change_cannot_hide_the_error_it_comes_with(repo: Path) -> None:
    """Both sides were linted with the working tree's settings: a pull request that turned
    missing-owner off and dropped an owner showed nothing, and --check passed."""
    drop_contact_owner(repo)
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "off"\n')
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout
    assert (
        "! settings: journeymaps.toml turns off missing-owner: 3 errors that HEAD's settings report "
        "are no longer shown (3 of them new in this change)"
    ) in result.stdout.splitlines()
    assert "journeymaps.toml (added in the working tree)" in result.stdout
    assert "fixed" not in result.stdout
    assert "silences 3 errors it brings" in result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["version"] == 2
    assert data["summary"]["findings_silenced"] == 3
    assert data["settings"]["file"] == "journeymaps.toml"
    assert data["settings"]["status"] == "added"
    assert [(f["rule"], f["silenced_by"], f["new"]) for f in data["settings"]["findings_silenced"]] == [
        ("missing-owner", "turns off missing-owner", True)
    ] * 3
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "journeymaps.toml turns off missing-owner: 3 errors" in comment
    assert (
        comment.splitlines()[2]
        == "**settings added** · 1 map changed · findings: 3 silenced by the settings, 3 of them new"
    )
    assert "<details open><summary>Findings silenced by the settings (3)</summary>" in comment


def test_github_annotates_what_the_change_brings_first_and_says_what_github_leaves_out(repo: Path) -> None:
    """Annotated by lint, a pull request's new error came after ten old ones and GitHub,
    which shows ten of a kind per step, never showed it. diff's annotations are the
    change's own findings, errors first, and a notice says how many are not shown."""
    drop_contact_owner(repo)
    lines = diff_here(repo, "HEAD", "--format", "github").stdout.splitlines()
    assert [line.split(" ")[0] for line in lines[:-1]] == ["::error"] * 3
    assert all(line.endswith("(introduced by this change)") for line in lines[:-1])
    assert lines[0].startswith("::error file=maps/support/billing-dispute.yaml,line=")
    assert lines[-1] == "journeymaps diff HEAD → working tree: findings: 3 introduced (3 errors)"
    source = (repo / "maps" / "support" / "billing-dispute.yaml").read_text()
    for i in range(3):
        (repo / "maps" / "support" / f"copy-{i}.yaml").write_text(
            source.replace("id: billing-dispute\n", f"id: billing-dispute-{i}\n", 1)
        )
    lines = diff_here(repo, "HEAD", "--format", "github").stdout.splitlines()
    assert lines[0] == (
        "::notice title=journeymaps%3A more findings than annotations::GitHub shows 10 annotations of each "
        "kind per step: 2 more errors are not annotated; 'journeymaps diff' lists them all (this step's log, "
        "the pull-request comment of --format markdown)"
    )
    assert sum(1 for line in lines if line.startswith("::error ")) == 12


def test_a_settings_change_alone_is_reported_and_passes_check(repo: Path) -> None:
    """A deliberate rule change stays possible: the findings it hides are named, not
    called fixed, and --check passes (nothing new came with it)."""
    drop_contact_owner(repo)
    git(repo, "commit", "-qam", "no owner")
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "off"\n')
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "rule off")
    result = diff_here(repo, "HEAD~1", "HEAD", "--check")
    assert result.returncode == 0, result.stderr
    assert (
        "! settings: journeymaps.toml turns off missing-owner: 3 errors that HEAD~1's settings report "
        "are no longer shown"
    ) in result.stdout.splitlines()
    assert "fixed" not in result.stdout


def test_sentences_name_each_side_as_it_is_not_as_the_other(repo: Path) -> None:
    """``diff main...HEAD`` said "errors that main...HEAD's settings report": read as HEAD's,
    the side that silences them; and the working tree was "working tree" in sentences."""
    git(repo, "checkout", "-qb", "feature")
    drop_contact_owner(repo)
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "off"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "rule off, owner dropped")
    lines = diff_here(repo, "main...HEAD").stdout.splitlines()
    assert lines[0] == "Journey maps: main...HEAD → HEAD"
    assert "! settings: journeymaps.toml (added in HEAD): rules.missing-owner default → off" in lines
    assert (
        "! settings: journeymaps.toml turns off missing-owner: 3 errors that the settings of the merge base "
        "of main and HEAD report are no longer shown (3 of them new in this change)"
    ) in lines
    (repo / "journeymaps.toml").unlink()
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert (
        "! settings: journeymaps.toml (removed in the working tree): rules.missing-owner off → default"
        in lines
    )


def test_a_map_excluded_by_the_change_is_not_removed(repo: Path) -> None:
    drop_contact_owner(repo)
    git(repo, "commit", "-qam", "no owner")
    (repo / "journeymaps.toml").write_text('exclude = ["maps/support/billing-*"]\n')
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stderr
    assert "removed" not in result.stdout
    assert (
        "! settings: journeymaps.toml excludes maps/support/billing-dispute.yaml (exclude "
        "'maps/support/billing-*'): 3 errors, 1 warning and 2 infos that HEAD's settings report are no "
        "longer shown"
    ) in result.stdout.splitlines()


def test_settings_invalid_at_the_base_are_said_not_a_traceback(repo: Path) -> None:
    (repo / "journeymaps.toml").write_text("[rules\n")
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "broken settings")
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "warning"\n')
    drop_contact_owner(repo)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "! settings: journeymaps.toml does not load in HEAD (journeymaps.toml:1:7: invalid-settings: "
        "invalid TOML: Expected ']' at the end of a table declaration): HEAD was read with "
        "the working tree's settings"
    ) in result.stdout.splitlines()
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert comment.splitlines()[2].startswith("**settings do not load in HEAD** · ")


def test_settings_outside_the_repository_apply_to_both_sides(repo: Path, tmp_path_factory) -> None:
    """--config naming a file outside the repository: it has no revision, so both sides
    read it, as before (two folders compared)."""
    outside = tmp_path_factory.mktemp("settings") / "journeymaps.toml"
    outside.write_text('[rules]\nmissing-owner = "off"\n')
    before = repo.parent / f"{repo.name}-before"
    shutil.copytree(repo / "maps", before / "maps")
    drop_contact_owner(repo)
    result = jm_here(
        repo,
        "diff",
        str(before / "maps"),
        "maps",
        "--config",
        str(outside),
        "--check",
        "--today",
        "2026-11-22",
    )
    assert result.returncode == 0, result.stderr
    assert "! settings" not in result.stdout
    assert "owner of stage" in result.stdout


def test_settings_outside_the_repository_read_both_revisions(repo: Path, tmp_path_factory) -> None:
    """--config /elsewhere/journeymaps.toml (an organisation's shared settings) with a git
    revision failed: "HEAD: not a folder, and /elsewhere is in no git repository" (git was
    asked about the settings' folder). It has no revision: both sides read it."""
    outside = tmp_path_factory.mktemp("settings") / "journeymaps.toml"
    outside.write_text(f'paths = ["{(repo / "maps").as_posix()}"]\n[rules]\nstale-map = "off"\n')
    drop_contact_owner(repo)
    result = jm_here(
        repo / "maps", "diff", "HEAD", "--config", str(outside), "--check", "--today", "2026-11-22"
    )
    assert result.returncode == 1, result.stderr
    assert "! settings" not in result.stdout
    assert "! introduced: maps/support/billing-dispute.yaml:" in result.stdout
    assert "stale-map" not in result.stdout
    assert result.stderr == "journeymaps diff --check: the change introduces 3 errors\n"


def test_settings_outside_the_repository_naming_maps_outside_it_are_refused(
    repo: Path, tmp_path_factory
) -> None:
    """Their maps folder has no revision: said at the settings' paths, not a git error."""
    folder = tmp_path_factory.mktemp("settings")
    (folder / "journeymaps.toml").write_text('site-title = "x"\npaths = ["maps"]\n')
    (folder / "maps").mkdir()
    result = jm_here(repo, "diff", "HEAD", "--config", str(folder / "journeymaps.toml"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(
        f"journeymaps: error: {(folder / 'journeymaps.toml').as_posix()}:2:10: invalid-settings: paths: "
        f"'maps' is {(folder / 'maps').as_posix()}, outside the git repository of the working folder "
        f"({repo.as_posix()}): no revision has files there"
    ), result.stderr


def test_settings_a_revision_cannot_be_read_with_are_refused_naming_them(
    repo: Path, tmp_path_factory
) -> None:
    """A maps folder outside the settings' folder ended in git's "'../maps' is outside
    repository", naming neither file nor setting."""
    (repo / "conf").mkdir()
    (repo / "conf" / "journeymaps.toml").write_text('paths = ["../maps"]\n')
    git(repo, "add", "conf")
    git(repo, "commit", "-qm", "settings in conf/")
    result = jm_here(repo, "diff", "--config", "conf/journeymaps.toml", "HEAD~1", "--today", "2026-11-22")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "journeymaps: error: conf/journeymaps.toml:1:10: invalid-settings: paths: '../maps' is outside "
        "the settings file's folder"
    ), result.stderr
    both = jm_here(
        repo, "diff", "--config", "conf/journeymaps.toml", "HEAD~1", "HEAD", "--today", "2026-11-22"
    )
    assert both.returncode == 2 and both.stderr == result.stderr  # not "nothing to compare ... (maps)"
    assert "Traceback" not in result.stderr


def test_a_rule_lowered_to_a_warning_is_said_and_its_new_errors_fail_check(repo: Path) -> None:
    drop_contact_owner(repo)
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "warning"\n')
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1
    assert (
        "! settings: journeymaps.toml lowers missing-owner to warning: 3 errors that HEAD's settings "
        "report are now shown as warnings (3 of them new in this change)"
    ) in result.stdout.splitlines()


def test_old_findings_a_stricter_setting_shows_are_said_and_do_not_fail_check(repo: Path) -> None:
    """Per-revision settings made a shorter review cadence "introduce" every old map's
    stale-map error, and --check failed a change that brought none: the base's maps had them."""
    (repo / "journeymaps.toml").write_text('review-cadence-days = 1\n[rules]\nstale-map = "error"\n')
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stderr
    assert "introduced" not in result.stdout
    assert (
        "! settings: journeymaps.toml sets stale-map to error: 4 errors that HEAD's maps already had are now shown"
    ) in result.stdout.splitlines()
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["findings_introduced"] == []
    assert {f["rule"] for f in data["settings"]["findings_revealed"]} == {"stale-map"}


def test_a_comment_s_summary_says_what_a_settings_change_alone_did(repo: Path) -> None:
    """The summary said "no finding introduced or fixed" when the change turned a rule on
    and 4 errors the maps already had now show, or excluded a map: read as no change."""
    (repo / "journeymaps.toml").write_text('review-cadence-days = 1\n[rules]\nstale-map = "error"\n')
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert (
        comment.splitlines()[2]
        == "**settings added** · findings: 4 already in HEAD, now shown by the settings"
    )
    assert json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["summary"]["findings_revealed"] == 4
    (repo / "journeymaps.toml").write_text('exclude = ["maps/support/billing-*"]\n')
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert comment.splitlines()[2] == (
        "**settings added**, 1 map no longer checked · findings: 3 silenced by the settings"
    )
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "warning"\n')
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert comment.splitlines()[2] == "**settings added** · no finding introduced or fixed"


def test_the_diff_site_says_what_a_settings_change_silences(repo: Path, tmp_path_factory) -> None:
    """--site's page said only "No finding introduced or fixed" of a change turning
    missing-owner off while dropping an owner: the settings change was on no line of it."""
    drop_contact_owner(repo)
    (repo / "journeymaps.toml").write_text('[rules]\nmissing-owner = "off"\n')
    site = tmp_path_factory.mktemp("out") / "diff-site"
    result = diff_here(repo, "HEAD", "--site", str(site))
    assert result.returncode == 0, result.stderr
    page = (site / "index.html").read_text("utf-8")
    assert '<h2 id="settings">Settings</h2>' in page
    assert (
        "<li>journeymaps.toml turns off missing-owner: 3 errors that HEAD&#39;s settings report are no "
        "longer shown (3 of them new in this change)</li>"
    ) in page


def test_settings_invalid_in_a_head_revision_are_an_error_at_their_line(repo: Path) -> None:
    (repo / "journeymaps.toml").write_text("[rules\n")
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "broken settings")
    (repo / "journeymaps.toml").unlink()
    result = diff_here(repo, "HEAD~1", "HEAD")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "journeymaps: error: journeymaps.toml:1:7: invalid-settings in HEAD: invalid TOML: Expected ']' "
        "at the end of a table declaration\n"
    )


def test_an_edit_to_a_map_broken_on_both_sides_says_nothing_in_it_was_checked(repo: Path) -> None:
    """--check passes it (its errors cannot be compared); the comment said only "still
    broken", and a reviewer took the edit as checked."""
    path = repo / "maps" / "support" / "admin-locked-out.yaml"
    path.write_text(path.read_text().replace("stages:\n", "stages:\n  - [unclosed\n", 1))
    git(repo, "commit", "-qam", "broken")
    path.write_text(path.read_text().replace("Admin locked out", "Admin still locked out", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("! ")]
    assert line.startswith(
        "! maps/support/admin-locked-out.yaml (maps/support/admin-locked-out.yaml): still broken in"
    )
    assert line.endswith("; it does not load on either side: nothing in it was checked")
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "does not load on either side: nothing in it was checked" in comment
    assert "nothing in it was checked" in result.stderr
    # the offending line itself edited, still broken: its error is the base's, not introduced
    path.write_text(path.read_text().replace("  - [unclosed\n", "  - [still unclosed\n", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "introduced" not in result.stdout and "fixed" not in result.stdout
    assert "still broken in the working tree: yaml-syntax" in result.stdout


def test_a_new_format_error_in_a_map_broken_on_both_sides_fails_the_gate(repo: Path) -> None:
    """A map invalid in the base (an emotion of -9) and a second schema error added by the
    change: its findings were dropped on both sides, and --check passed the new error."""
    path = repo / "maps" / "support" / "admin-locked-out.yaml"
    text = path.read_text()
    path.write_text(text.replace("    emotion: -1\n", "    emotion: -9\n", 1))
    git(repo, "commit", "-qam", "invalid")
    path.write_text(path.read_text().replace("        emotion: -2\n", "        emotion: 12\n", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the change introduces 1 error" in result.stderr
    assert "12 is above the maximum of 3" in result.stdout
    assert "-9 is below the minimum" not in result.stdout.partition("findings:")[2].split("introduced")[0]
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [d["message"] for d in data["findings_introduced"]] == [
        "stages[0].steps[0].emotion: 12 is above the maximum of 3"
    ]
    assert data["findings_fixed"] == []
    # its base's error moved down a line by an edit above it, and re-typed on its line: not new
    path.write_text(
        text.replace("    emotion: -1\n", "    emotion:   -9   # to check\n", 1).replace(
            "stages:\n", "# a note\nstages:\n", 1
        )
    )
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "introduced" not in result.stdout and "fixed" not in result.stdout
    assert "its format errors were compared" in result.stdout
    # the error fixed, another made on the same map: one fixed, one introduced
    path.write_text(text.replace("    emotion: -1\n", "    emotion: 7\n", 1))
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [d["message"] for d in data["findings_introduced"]] == [
        "stages[0].emotion: 7 is above the maximum of 3"
    ]
    assert [d["message"] for d in data["findings_fixed"]] == [
        "stages[0].emotion: -9 is below the minimum of -3"
    ]


def test_a_map_made_unreadable_on_top_of_its_format_errors_fails_the_gate(repo: Path) -> None:
    """Invalid in the base, and the change breaks its YAML as well: the new syntax error is
    introduced (the base parsed); the base's schema errors cannot be compared."""
    path = repo / "maps" / "support" / "admin-locked-out.yaml"
    path.write_text(path.read_text().replace("    emotion: -1\n", "    emotion: -9\n", 1))
    git(repo, "commit", "-qam", "invalid")
    path.write_text(path.read_text().replace("stages:\n", "stages:\n  - [unclosed\n", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    mine = [d for d in data["findings_introduced"] if d["file"] == "maps/support/admin-locked-out.yaml"]
    assert [d["rule"] for d in mine] == ["yaml-syntax"]
    assert data["findings_fixed"] == []
    (md,) = [m for m in data["maps"] if m["id"] == "admin-locked-out"]
    assert [d["rule"] for d in md["findings_uncompared"]] == ["schema"]
    # the other way round: its syntax repaired, a schema error left that the base could not show
    git(repo, "commit", "-qam", "unreadable")
    path.write_text(path.read_text().replace("stages:\n  - [unclosed\n", "stages:\n", 1))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the base could not show" in result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert [d["rule"] for d in data["findings_fixed"] if d["file"] == md["file"]] == ["yaml-syntax"]


def test_a_revisions_maps_folders_outside_its_project_are_not_read(repo: Path) -> None:
    """A revision's settings are read as committed: paths = ["../../.."] had lint walk the
    file system's root from the temporary folder it was checked out in."""
    (repo / "journeymaps.toml").write_text('paths = ["../../../../../../../../.."]\n')
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "paths out")
    result = diff_here(repo, "HEAD~1", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["status"] == "added"
    assert {m["file"] for m in data["settings"]["maps_unchecked"]} >= {"maps/support/billing-dispute.yaml"}
    assert data["summary"]["findings_introduced"] == 0


def test_a_map_no_longer_excluded_is_not_added(repo: Path) -> None:
    (repo / "journeymaps.toml").write_text('exclude = ["maps/support/billing-*"]\n')
    git(repo, "add", "journeymaps.toml")
    git(repo, "commit", "-qm", "exclude")
    (repo / "journeymaps.toml").unlink()
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stderr
    assert "added" not in result.stdout.replace("(removed in the working tree)", "")
    assert "introduced" not in result.stdout
    assert "that HEAD's maps already had are now shown" in result.stdout


def test_settings_moved_to_another_file_name_it(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.journeymaps.rules]\nstale-map = "error"\n')
    git(repo, "add", "pyproject.toml")
    git(repo, "commit", "-qm", "settings")
    (repo / "pyproject.toml").unlink()
    (repo / "journeymaps.toml").write_text('[rules]\nstale-map = "error"\n')
    result = diff_here(repo, "HEAD")
    assert result.stdout.splitlines() == [
        "Journey maps: HEAD → working tree",
        "! settings: journeymaps.toml (changed in the working tree, was pyproject.toml)",
    ]
    assert (
        json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["settings"]["base_file"]
        == "pyproject.toml"
    )


def test_a_settings_file_moved_to_another_folder_is_followed(tmp_path: Path) -> None:
    """journeymaps.toml moved from the repository's top into journeys/ (its paths rewritten):
    the base was read with no settings, so the rule it had turned off "silenced" 3 errors
    the change brought, and --check failed a change that kept the rules as they were."""
    shutil.copytree(ROOT / "maps", tmp_path / "journeys" / "maps")
    (tmp_path / "journeymaps.toml").write_text(
        'paths = ["journeys/maps"]\nexclude = ["journeys/maps/support/admin-*"]\n[rules]\nmissing-owner = "off"\n'
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    project = tmp_path / "journeys"
    git(tmp_path, "mv", "journeymaps.toml", "journeys/journeymaps.toml")
    (project / "journeymaps.toml").write_text(
        'exclude = ["maps/support/admin-*"]\n[rules]\nmissing-owner = "off"\n'
    )
    path = project / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(
        path.read_text().replace(
            "    name: Contact support\n    owner: support\n", "    name: Contact support\n", 1
        )
    )
    result = diff_here(project, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    settings = [line for line in result.stdout.splitlines() if line.startswith("! settings")]
    assert settings == [
        "! settings: journeymaps.toml (changed in the working tree, was ../journeymaps.toml): measure.metrics"
    ]
    assert "admin" not in result.stdout  # still excluded on both sides
    # and back: the top's settings now, journeys/journeymaps.toml in the base
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "settings moved into journeys/")
    git(tmp_path, "mv", "journeys/journeymaps.toml", "journeymaps.toml")
    (tmp_path / "journeymaps.toml").write_text(
        'paths = ["journeys/maps"]\nexclude = ["journeys/maps/support/admin-*"]\n[rules]\nmissing-owner = "off"\n'
    )
    data = json.loads(diff_here(tmp_path, "HEAD", "--format", "json").stdout)
    assert data["settings"]["base_file"] == "journeys/journeymaps.toml"
    assert data["settings"]["findings_silenced"] == [] and data["settings"]["findings_revealed"] == []
    assert data["maps"] == []


def test_working_tree_settings_naming_a_folder_around_the_project_are_refused(repo: Path) -> None:
    """A pull request's journeymaps.toml with paths = [".."] (or ["/"]): lint refuses it,
    and diff, which did not ask lint's question, read every YAML file around the project."""
    (repo / "journeymaps.toml").write_text('paths = ["maps", ".."]\n', "utf-8")
    result = diff_here(repo, "HEAD")
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "journeymaps.toml: paths: '..' is " in result.stderr
        and "the folder around the project's: every YAML file in it would be read as a map" in result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_one_comparison_is_printed_and_written_in_other_formats(repo: Path) -> None:
    """The action printed the comment (--format markdown) and had no annotations of what the
    change brings: a second diff run for them would lint both sides twice. --output writes
    the same comparison in other formats, as lint's does, after --check's exit is decided."""
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "reviewed")  # missing-owner
    result = diff_here(
        repo,
        "HEAD",
        "--format",
        "github",
        "--check",
        "--output",
        "markdown=comment.md",
        "--output",
        "json=out/diff.json",
        "--output",
        "text=diff.txt",
    )
    assert result.returncode == 1
    assert result.stderr == "journeymaps diff --check: the change introduces 1 error\n"
    assert result.stdout == diff_here(repo, "HEAD", "--format", "github").stdout
    for name, file in (("markdown", "comment.md"), ("json", "out/diff.json"), ("text", "diff.txt")):
        assert (repo / file).read_text(encoding="utf-8") == diff_here(
            repo, "HEAD", "--format", name
        ).stdout, name
    assert "missing-owner" in (repo / "comment.md").read_text()


def test_files_diff_writes_are_utf8_whatever_the_terminal_takes(repo: Path) -> None:
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    result = run_jm(
        repo,
        "diff",
        "HEAD",
        "--output",
        "text=diff.txt",
        "--output",
        "json=diff.json",
        env={"PYTHONIOENCODING": "latin-1"},
    )
    assert result.returncode == 0 and result.stdout.startswith("Journey maps: HEAD -> working tree\n")
    assert (repo / "diff.txt").read_text(encoding="utf-8").startswith("Journey maps: HEAD → working tree\n")
    data = (repo / "diff.json").read_text(encoding="utf-8")
    assert "\\u2192" not in data  # not escaped to ASCII, as on that standard output
    assert (
        json.loads(data)["changes"][0]["text"] == 'stage renamed: "Finance review" → "Finance investigation"'
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--output", "sarif=r.sarif"],
            "'sarif=r.sarif': expected FORMAT=FILE with FORMAT one of github, json",
        ),
        (["--output", "markdown"], "'markdown': expected FORMAT=FILE"),
        (["--output", "markdown=-"], "'markdown=-': name a file; standard output carries the run's own"),
        (
            ["--output", "markdown=a.md", "--output", "json=a.md"],
            "name the same file: each report needs its own",
        ),
        (["--output", "json=maps/support/billing-dispute.yaml"], "that is a file this run reads"),
        (
            ["--output", "text=maps/support/new.yaml"],
            "that is in a maps folder, where the next run would read",
        ),
        (["--output", "markdown=maps"], "cannot write maps: it is a folder, not a file"),
        # no settings yet: the comment became them, and every later run failed on its TOML
        (["--output", "markdown=journeymaps.toml"], "journeymaps reads its settings from that file"),
    ],
)
def test_an_output_diff_cannot_write_is_a_usage_error(repo: Path, args: list[str], said: str) -> None:
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "reviewed")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = diff_here(repo, "HEAD", *args)
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""  # nor printed: the action's lint annotated what was printed again
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before  # nothing written, nothing written over


def test_github_annotations_name_files_from_the_repository_top_wherever_diff_runs(tmp_path: Path) -> None:
    """Run below the project's folder in CI, the annotation's file was the project's path
    under the working folder (maps/support/maps/support/…); outside CI, the path from the
    project's folder, which is not where GitHub looks when the project is in a subfolder."""
    project = tmp_path / "journeys"
    shutil.copytree(ROOT / "maps", project / "maps")
    (project / "journeymaps.toml").write_text('paths = ["maps"]\n')
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    target = project / "maps" / "support" / "production-outage.yaml"
    target.write_text(target.read_text().replace("owner: tier-2\nreviewed", "reviewed"))  # missing-owner
    where = "::error file=journeys/maps/support/production-outage.yaml,line=2,col=1,"
    for cwd in (project, project / "maps", project / "maps" / "support"):
        for workspace in (str(tmp_path), ""):  # in CI, and not
            env = {"GITHUB_WORKSPACE": workspace, "CI_PROJECT_DIR": ""}
            result = jm_here(cwd, "diff", "main", "--format", "github", "--today", "2026-11-22", env=env)
            assert result.returncode == 0, result.stderr
            (line,) = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
            assert line.startswith(where), (cwd, workspace, line)
            # the text keeps the path the log's reader knows (from the project's folder)
            assert "::maps/support/production-outage.yaml:2:1: JM201 [missing-owner]" in line


@pytest.mark.parametrize(
    ("settings_in", "prefix"),
    [
        ("org", "repo/"),  # above the repository: fails before the fix
        ("org/repo", ""),  # at its top, diff and lint run below it: already alike
    ],
)
def test_settings_above_the_folder_diff_runs_in_exclude_and_ignore_as_lint_does(
    tmp_path: Path, settings_in: str, prefix: str
) -> None:
    """An organisation's journeymaps.toml above the repository names its patterns from its
    own folder (repo/maps/drafts/*). Lint skipped the drafts; diff, reading the maps from
    the repository's top, kept the patterns as written: a draft was an added map whose
    syntax error --check failed on, and a per-file-ignores rule silenced nothing."""
    repo = tmp_path / "org" / "repo"
    shutil.copytree(ROOT / "maps", repo / "maps")
    (repo / "maps" / "drafts").mkdir()
    (repo / "maps" / "drafts" / "wip.yaml").write_text("id: [unfinished\n")
    (tmp_path / settings_in / "journeymaps.toml").write_text(
        f'paths = ["{prefix}maps"]\nexclude = ["{prefix}maps/drafts/*"]\n'
        f'[per-file-ignores]\n"{prefix}maps/support/billing*" = ["missing-owner"]\n'
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "maps")
    (repo / "maps" / "drafts" / "new.yaml").write_text("id: [also unfinished\n")
    (repo / "maps" / "drafts" / "wip.yaml").write_text("id: [still unfinished\n")
    edit(repo, "billing-dispute.yaml", "owner: finance\nreviewed", "reviewed")  # missing-owner, ignored
    for cwd in (repo, repo / "maps", repo / "maps" / "drafts"):
        linted = jm_here(cwd, "lint", "--format", "json", "--today", "2026-11-22")
        found = [(f["file"], f["rule"]) for f in json.loads(linted.stdout)["findings"]]
        assert not [f for f in found if "drafts" in f[0] or f[1] == "missing-owner"], (cwd, found)
        result = diff_here(cwd, "main", "--format", "json", "--check")
        assert result.returncode == 0, (cwd, result.stdout, result.stderr)
        data = json.loads(result.stdout)
        assert data["findings_introduced"] == [] and data["findings_fixed"] == []
        assert [m["file"] for m in data["maps"]] == ["maps/support/billing-dispute.yaml"]  # no draft


def test_one_finding_a_settings_change_shows_is_said_in_the_singular(repo: Path) -> None:
    """ "1 error that HEAD's maps already had are now shown"."""
    (repo / "maps" / "drafts").mkdir()
    (repo / "maps" / "drafts" / "wip.yaml").write_text("id: [unfinished\n")
    (repo / "journeymaps.toml").write_text('exclude = ["maps/drafts/*"]\n')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "drafts")
    (repo / "journeymaps.toml").write_text("")
    result = diff_here(repo, "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        "! settings: journeymaps.toml changes exclude: 1 error that HEAD's maps already had is now shown"
        in result.stdout.splitlines()
    ), result.stdout


SUPPRESS_TEAMS = "# journeymaps: ignore[unknown-team] the new teams are being set up\n"


def suppress_whole_map(repo: Path) -> None:
    """A suppression on line 2, alone above ``id:``: it covers the whole map."""
    edit(repo, "billing-dispute.yaml", "id: billing-dispute\n", SUPPRESS_TEAMS + "id: billing-dispute\n")


def ghost_owners(repo: Path, count: int) -> None:
    """``count`` stages and steps owned by a team teams.yaml does not list."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("    owner: finance\n", "    owner: ghost-team\n", count))


def test_a_suppression_cannot_hide_the_errors_it_comes_with(repo: Path) -> None:
    """A pull request adding ignore[unknown-team] above a map's id (the whole map) with seven
    unknown owners passed --check, and no format said a word of the suppression."""
    suppress_whole_map(repo)
    ghost_owners(repo, 7)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    said = (
        "a suppression this change adds hides 7 errors (7 of them new in this change): "
        "ignore[unknown-team] at maps/support/billing-dispute.yaml:2 covers the whole map"
    )
    assert f"! suppression: {said}" in result.stdout.splitlines()
    assert sum(line.startswith("! hidden (new): ") for line in result.stdout.splitlines()) == 7
    assert "suppression comments the change adds hide 7 errors it brings" in result.stderr
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["summary"]["findings_suppressed"] == 7
    assert data["suppressions_text"] == [said]
    assert {(f["rule"], f["new"], f["suppression"]["line"]) for f in data["findings_suppressed"]} == {
        ("unknown-team", True, 2)
    }
    assert data["findings_suppressed"][0]["suppression"]["scope"] == "covers the whole map"
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert f"- ⚠️ **Suppression**: {said}" in comment
    assert "<details open><summary>Findings hidden by suppressions this change adds (7)</summary>" in comment
    annotations = diff_here(repo, "HEAD", "--format", "github").stdout
    assert annotations.count("hidden by the suppression it adds at maps/support/billing-dispute.yaml:2") == 7
    site = repo.parent / "diff-site"
    assert diff_here(repo, "HEAD", "--site", str(site)).returncode == 0
    assert "covers the whole map" in (site / "index.html").read_text()


def test_a_suppression_added_alone_passes_and_says_what_it_hides(repo: Path) -> None:
    """Deliberate, in a change of its own: the base's errors it hides are reported, not
    "fixed" (they are still in the map), and --check passes."""
    ghost_owners(repo, 2)
    git(repo, "commit", "-qam", "two unknown owners")
    suppress_whole_map(repo)
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "! suppression: a suppression this change adds hides 2 errors: ignore[unknown-team] at "
        "maps/support/billing-dispute.yaml:2 covers the whole map"
    ) in result.stdout.splitlines()
    assert "fixed" not in result.stdout
    assert "No change" not in result.stdout


def test_a_suppression_removed_shows_the_base_errors_again_without_failing(repo: Path) -> None:
    """Removing a suppression showed the errors it hid as introduced, and --check failed on
    errors the base already had."""
    suppress_whole_map(repo)
    ghost_owners(repo, 2)
    git(repo, "commit", "-qam", "two unknown owners, suppressed")
    edit(repo, "billing-dispute.yaml", SUPPRESS_TEAMS, "")
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "introduced" not in result.stdout
    assert (
        "! suppression: a suppression this change removes no longer hides 2 errors that HEAD's maps "
        "already had: ignore[unknown-team] at maps/support/billing-dispute.yaml:2 covers the whole map "
        "(in HEAD)"
    ) in result.stdout.splitlines()
    assert (
        json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)["summary"]["findings_unsuppressed"]
        == 2
    )


def test_a_suppression_moved_by_an_edit_above_it_is_not_added(repo: Path) -> None:
    """Suppressions are matched by what they are written against, not by line number: lines
    added above one are no new suppression."""
    edit(
        repo,
        "billing-dispute.yaml",
        "owner: finance\nreviewed",
        "owner: ghost-team  # journeymaps: ignore[unknown-team]\nreviewed",
    )
    git(repo, "commit", "-qam", "an unknown owner, suppressed")
    edit(
        repo,
        "billing-dispute.yaml",
        "tags: [billing, refund, finance]\n",
        "tags: [billing, refund, finance]\nx-note: moved\n",
    )
    edit(repo, "billing-dispute.yaml", "id: billing-dispute\n", "# a note\n\nid: billing-dispute\n")
    result = diff_here(repo, "HEAD", "--check", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert (data["findings_suppressed"], data["findings_unsuppressed"], data["findings_introduced"]) == (
        [],
        [],
        [],
    )


def test_a_new_map_with_a_suppression_passes_and_says_what_it_hides(repo: Path) -> None:
    """A new map's findings are all new, so a suppression written in it (with its reason)
    failed --check whatever it hid: a map could never land with one. It is reported, the
    map's other errors still fail the gate."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    text = path.read_text().replace("id: billing-dispute\n", SUPPRESS_TEAMS + "id: billing-refund\n", 1)
    new = repo / "maps" / "support" / "billing-refund.yaml"
    new.write_text(text.replace("    owner: finance\n", "    owner: ghost-team\n", 2))
    result = diff_here(repo, "HEAD", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "! suppression: a suppression in a map this change adds hides 2 errors (the map is new: "
        "reported, not judged): ignore[unknown-team] at maps/support/billing-refund.yaml:2 covers the whole map"
    ) in result.stdout.splitlines()
    assert "suppression" not in result.stderr
    # Annotated as warnings: a passing run showed two error annotations on the pull request.
    notes = [n for n in diff_here(repo, "HEAD", "--format", "github").stdout.splitlines() if "JM103" in n]
    assert [n.split(" ", 1)[0] for n in notes] == ["::warning", "::warning"], notes
    assert all("of this new map: reported, not judged)" in n for n in notes), notes
    # an error it does not hide is still the change's
    new.write_text(new.read_text().replace("  - id: ", "  - id: Bad Id\n    name: x\n  - id: ", 1))
    assert diff_here(repo, "HEAD", "--check").returncode == 1


def test_a_revision_without_git_installed_says_git_is_missing(repo: Path, tmp_path_factory) -> None:
    """A project with settings, git not on PATH (a slim container): diff blamed the settings,
    "a settings file outside any git repository cannot read a git revision", sending the user
    to move a file that was in its repository all along."""
    (repo / "journeymaps.toml").write_text('paths = ["maps"]\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "settings")
    empty = tmp_path_factory.mktemp("no-git-here")
    result = run_jm(repo, "diff", "HEAD", env={"PATH": str(empty)})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "journeymaps: error: HEAD: not a folder, and git is needed on PATH to read a revision"
        " (or compare two folders: journeymaps diff OLD_FOLDER NEW_FOLDER)\n"
    )


@pytest.mark.parametrize(
    ("rev", "said"),
    [
        (
            "HEAD^{tree}",
            "'HEAD^{tree}' is a tree (a folder's contents), not a commit: name the commit (HEAD, say)",
        ),
        (
            "HEAD:maps",
            "'HEAD:maps' is a tree (a folder's contents), not a commit: name the commit (HEAD, say)",
        ),
        (
            "HEAD:maps/teams.yaml",
            "'HEAD:maps/teams.yaml' is a blob (a file's contents), not a commit: name the commit (HEAD, say)",
        ),
    ],
)
def test_a_tree_or_a_file_given_for_a_commit_is_said_to_be_one(repo: Path, rev: str, said: str) -> None:
    """``diff HEAD^{tree}`` was refused as an "unknown revision ... not a branch, tag or
    commit of this repository", which it is."""
    result = diff_here(repo, rev)
    assert result.returncode == 2
    assert said in result.stderr and "unknown revision" not in result.stderr, result.stderr


def test_a_map_moved_where_the_settings_exclude_it_is_said_to_be_moved_there(repo: Path) -> None:
    """Moved into an excluded folder, a map leaves every check as a deleted one does; the
    comparison said only "map removed", and the reviewer had no reason to look at the file
    the change still holds (with a new unknown owner in it, here)."""
    from diff_helpers import archive_billing_dispute, exclude_archive  # it imports this module

    exclude_archive(repo)
    archive_billing_dispute(repo, misspell_owner=True)
    (repo / "maps" / "support" / "production-outage.yaml").unlink()  # deleted: said as ever
    git(repo, "commit", "-q", "-am", "archive")
    for args in (("HEAD~1", "HEAD"), ("HEAD~1",)):
        data = json.loads(diff_here(repo, *args, "--format", "json").stdout)
        by_id = {m["id"]: m for m in data["maps"]}
        assert by_id["billing-dispute"]["excluded_file"] == "maps/archive/billing-dispute.yaml"
        assert by_id["production-outage"]["excluded_file"] is None
        text = diff_here(repo, *args).stdout
        assert (
            "map moved to maps/archive/billing-dispute.yaml, which the settings exclude: no longer"
            " linted, compared or published"
        ) in text, text
        assert "- Production API outage during business hours (production-outage): map removed" in text, text


@pytest.mark.parametrize("head", [[], ["HEAD"]], ids=["working-tree", "revision"])
def test_a_file_with_the_same_bytes_on_both_sides_is_parsed_once(
    repo: Path, tmp_path: Path, head: list[str]
) -> None:
    """Each side parsed and validated every file: a change to one map of 1,000 parsed 2,000
    (~1.4 s of a ~5.7 s diff). HEAD's files with BASE's bytes are now taken from BASE's
    parse: only the edited map is parsed twice, and what diff says is unchanged."""
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", "name: Finance investigation\n")
    if head:
        git(repo, "commit", "-q", "-am", "renamed")
    base = "HEAD~1" if head else "HEAD"
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PARSED_HOOK, "utf-8")
    log = tmp_path / "parsed"
    env = {"PYTHONPATH": str(hook), "PARSED_LOG": str(log)}
    result = run_jm(repo, "diff", base, *head, "--format", "json", "--today", "2026-11-22", env=env)
    assert result.returncode == 0, result.stderr
    parsed = log.read_text("utf-8").split()
    files = sorted(p.name for p in (repo / "maps").rglob("*.yaml"))
    assert sorted(parsed) == sorted([*files, "billing-dispute.yaml"])
    assert texts(json.loads(result.stdout)) == {
        "billing-dispute": ['stage renamed: "Finance review" → "Finance investigation"']
    }
