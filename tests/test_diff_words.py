"""How `journeymaps diff` words a change in its text and Markdown, for a reviewer of a pull
request and for a script reading the text: names quoted unambiguously, teams by their names,
and a comment that shows the map's words as written in any Markdown reader."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from in_process import jm_here
from test_diff import diff_here, edit, git
from test_diff import repo as repo  # the fixture: the example maps, committed on main

#: A quotation in the text output, as a script takes it: between straight marks, its own
#: marks escaped with a backslash (as git quotes a path, and JSON a string).
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquoted(said: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", said)


def test_a_name_or_text_holding_quotes_is_quoted_unambiguously_in_the_text(repo: Path) -> None:
    """A stage renamed `Finance "review"` read `"Finance review" → "Finance "review""`, and a
    thought quoting the customer's words `"They charged me for "12 extra seats" ..."`: four
    marks in a row, where a reader and a script saw two quotations with a word between.
    The text escapes a quotation's own marks; JSON's `text` is the text's line; the comment
    nests them as single curly marks."""
    edit(repo, "billing-dispute.yaml", "name: Finance review\n", 'name: Finance "review"\n')
    edit(
        repo,
        "billing-dispute.yaml",
        'thinking: "We never agreed to 12 extra seats."',
        "thinking: 'They charged me for \"12 extra seats\" we never agreed to.'",
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    thought = (
        '    what the customer thinks at stage "Invoice review": "We never agreed to 12 extra seats."'
        ' → "They charged me for \\"12 extra seats\\" we never agreed to."'
    )
    renamed = '    stage renamed: "Finance review" → "Finance \\"review\\""'
    assert thought in lines and renamed in lines, lines
    # A script takes the names back from the text: what the JSON's values hold.
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["kind"] == "stage-changed" and c["field"] == "name")
    assert [unquoted(q) for q in QUOTED.findall(renamed)] == [change["before"], change["after"]]
    assert change["after"] == 'Finance "review"'
    assert {f"    {c['text']}" for c in data["changes"]} >= {thought, renamed}
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "- stage renamed: \u201cFinance review\u201d → \u201cFinance \u2018review\u2019\u201d\n" in comment
    assert "\u201cThey charged me for \u201812 extra seats\u2019 we never agreed to.\u201d\n" in comment


def test_a_finding_in_the_text_names_teams_as_the_changes_and_the_comment_do(repo: Path) -> None:
    """Beside `owner of stage "Resolution": Customer Support (Tier 1) → Identity & Access`,
    the text's new finding said `identity receives the case without support's notes` (and
    the steps by their ids), where the comment says the teams' and steps' names. Lint's own
    output and the JSON keep lint's message, ids and all: its fingerprints and baselines
    are made of it, and whoever fixes the YAML types the ids."""
    edit(
        repo,
        "admin-locked-out.yaml",
        "    sla: 4h\n    context: carried\n",
        "    sla: 4h\n    context: lost\n",
    )
    said = (
        "Identity & Access receives the case without Customer Support (Tier 1)'s notes and must ask "
        "again for what is already known, of Customer Support (Tier 1) or of the customer"
    )
    text = diff_here(repo, "HEAD").stdout
    line = next(line for line in text.splitlines() if line.startswith("! introduced: "))
    assert line.startswith(
        "! introduced: maps/support/admin-locked-out.yaml:224:14: JM403 [handoff-context-lost]"
    )
    assert (
        'warning: handoff "Agent verifies identity" → "Identity team unlocks the account manually" '
        f"loses context: {said} (reported" in line
    ), line
    assert said in diff_here(repo, "HEAD", "--format", "markdown").stdout
    lint_said = "identity receives the case without support's notes"
    assert lint_said in jm_here(repo, "lint").stdout
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert lint_said in data["findings_introduced"][0]["message"]


def test_the_comment_escapes_for_markdown_not_for_html(repo: Path) -> None:
    """The comment wrote `Identity &amp; Access`: GitHub shows "&", but the raw comment, a
    mail notification and other Markdown readers showed "&amp;". It turned a backtick into a
    quote and wrote `Billing\\_Ops` inside a collapsible block's title, where Markdown is not
    read and the backslash showed. It now escapes what would start formatting, and only
    that, in Markdown, and escapes for HTML inside HTML."""
    edit(
        repo, "billing-dispute.yaml", "title: Unexpected charge", "title: Billing_Ops & an unexpected charge"
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "    name: Resolution\n    owner: finance\n",
        "    name: Resolution\n    owner: identity\n",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "name: Refund issued\n",
        "name: Refund *issued* to `billing_v2` & <refunds> [queue](https://x.test) &amp; C:\\*\n",
    )
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert (
        "<details open><summary><b>Billing_Ops & an unexpected charge on the monthly invoice</b>" in comment
    )
    assert "- owner of stage \u201cResolution\u201d: Finance → Identity & Access\n" in comment
    assert (
        "- step renamed: \u201cRefund issued\u201d → \u201cRefund \\*issued\\* to \\`billing_v2\\` & \\<refunds>"
        " \\[queue](https://x.test) \\&amp; C:\\\\\\*\u201d\n" in comment
    ), comment
    assert "&amp; Access" not in comment and "Billing\\_Ops" not in comment


def test_a_pain_points_summary_root_cause_and_signal_are_read_as_edits_of_words(repo: Path) -> None:
    """A pain point's summary edited read `summary of pain point "<new summary>": <old
    summary> → <new summary>`: the new summary twice, neither side quoted, so a root cause
    holding "→" read as three texts, and a one-word edit as 300 characters. They now read as
    the other texts of a map do: quoted, a long one cut to the words that changed."""
    edit(
        repo,
        "billing-dispute.yaml",
        "loses the agent's notes; the customer sends the contract twice.",
        "loses the agent's notes, so the customer sends the contract twice.",
    )
    edit(repo, "billing-dispute.yaml", "in its own queue, which", "in its own queue → which")
    edit(repo, "billing-dispute.yaml", 'signal: Zero "please', 'signal: Under 2 "please')
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    summary = (
        "The Support to Finance handoff loses the agent's notes, so the customer sends the contract twice."
    )
    assert lines[2:] == [
        '    pain point reworded: "…loses the agent\'s notes; the customer sends…"'
        ' → "…loses the agent\'s notes, so the customer sends…"',
        f'    root cause of pain point "{summary}": '
        '"Finance works in its own queue, which does not show the chat transcript."'
        ' → "Finance works in its own queue → which does not show the chat transcript."',
        '    signal of opportunity "Escalating billing chats through a Zendesk side conversation with'
        ' the transcript attached": "Zero \\"please send the contract again\\" replies in a month of'
        ' escalations" → "Under 2 \\"please send the contract again\\" replies in a month of escalations"',
    ], lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    first = data["changes"][0]
    assert (first["field"], first["after"]) == ("summary", summary)


def test_a_team_renamed_in_teams_yaml_is_said(repo: Path) -> None:
    """A pull request renaming a team in teams.yaml read "No change to any journey map",
    though every map and page names the team by it; with an owner changed too, the change
    said `Finance & Billing → Identity & Access` of a team the base called "Finance"."""
    teams = repo / "maps" / "teams.yaml"
    teams.write_text(teams.read_text().replace("name: Finance\n", 'name: Finance & "Billing"\n', 1))
    said = 'maps/teams.yaml: team finance renamed: "Finance" → "Finance & \\"Billing\\""'
    assert diff_here(repo, "HEAD").stdout.splitlines() == ["Journey maps: HEAD → working tree", f"~ {said}"]
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "1 team renamed · no finding introduced or fixed" in comment
    assert (
        "- **Registry**: maps/teams.yaml: team finance renamed: \u201cFinance\u201d → "
        "\u201cFinance & \u2018Billing\u2019\u201d\n" in comment
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["teams_renamed"] == [
        {"id": "finance", "file": "maps/teams.yaml", "before": "Finance", "after": 'Finance & "Billing"'}
    ]


def test_a_persona_no_map_names_removed_from_personas_yaml_is_said(repo: Path) -> None:
    """A pull request deleting a persona no map uses read "No change to any journey map"
    in every format: the persona the team wrote for a coming journey was gone unsaid."""
    personas = repo / "maps" / "personas.yaml"
    written = personas.read_text()
    personas.write_text(
        written + '  - id: support-lead\n    name: Support "lead"\n    goal: Keep the queue moving.\n'
    )
    git(repo, "commit", "-qam", "a persona for the escalation map")
    personas.write_text(written)
    said = 'maps/personas.yaml: persona support-lead removed: "Support \\"lead\\""'
    assert diff_here(repo, "HEAD").stdout.splitlines() == ["Journey maps: HEAD → working tree", f"~ {said}"]
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "1 persona removed · no finding introduced or fixed" in comment, comment
    assert (
        "- **Registry**: maps/personas.yaml: persona support-lead removed: \u201cSupport \u2018lead\u2019\u201d\n"
        in comment
    ), comment
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["personas_removed"] == [
        {"id": "support-lead", "file": "maps/personas.yaml", "name": 'Support "lead"'}
    ]
    assert diff_here(repo, "HEAD", "--check").returncode == 0


def test_a_personas_name_and_frustrations_are_quoted_as_other_names_and_words(repo: Path) -> None:
    """`proficiency of persona Workspace admin: expert → intermediate` beside `step "Agent
    verifies identity"`: the persona's name (and its frustrations, the customer's words)
    unquoted, so a script reading the text could not tell where a name ended, and a
    frustration holding `; ` read as two."""
    personas = repo / "maps" / "personas.yaml"
    text = personas.read_text().replace("    proficiency: expert\n", "    proficiency: intermediate\n", 1)
    personas.write_text(
        text.replace(
            "      - Repeating the account details they gave in the form\n",
            "      - Repeating the account details; twice\n",
            1,
        )
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert '    proficiency of persona "Workspace admin": expert → intermediate' in lines, lines
    said = (
        '    frustrations of persona "Workspace admin": added "Repeating the account details; twice";'
        ' removed "Repeating the account details they gave in the form"'
    )
    assert said in lines, lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["field"] == "frustrations")
    assert change["after"] == (
        "Scripted answers that ignore what they already tried; Repeating the account details; twice"
    )
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "proficiency of persona \u201cWorkspace admin\u201d: expert → intermediate" in comment, comment


#: GitHub's mention filter (html-pipeline's MentionFilter): ``@login`` after the start or a
#: character that is not an ASCII word character (Ruby's ``\W``), in any text node but those
#: inside ``code``, ``pre``, ``a`` or ``style``.
GITHUB_MENTION = re.compile(r"(?:^|[^A-Za-z0-9_])@[a-z0-9]", re.IGNORECASE | re.MULTILINE)


def test_the_comment_mentions_nobody_and_links_no_issue(repo: Path) -> None:
    """A map's words quoted in the pull-request comment are the customer's or a team's,
    not the reviewer's: `@finance-lead` in a thought notified that GitHub user (or a whole
    team, `@acme/billing`) each time the comment was posted, and `ticket #42` linked issue
    42 of the repository and left a "mentioned this" on it. Both are cut with an empty HTML
    comment, as Dependabot writes the names in its release notes: shown as typed, mentioning
    and linking nothing. An e-mail address is no mention and stays as typed."""
    edit(
        repo,
        "billing-dispute.yaml",
        'thinking: "We never agreed to 12 extra seats."',
        'thinking: "Ask @finance-lead or @acme/billing about ticket #42, mail ap@example.com"',
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "title: Unexpected charge on the monthly invoice",
        "title: 'Unexpected charge for @ceo in #7'",
    )
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "Ask @<!-- -->finance-lead or @<!-- -->acme/billing about ticket #<!-- -->42" in comment, comment
    assert "mail ap@example.com" in comment
    assert "for @<!-- -->ceo in #<!-- -->7" in comment
    assert not GITHUB_MENTION.search(comment.replace("ap@example.com", "")), comment
    assert not re.search(r"(?<![\w&])#\d", comment), comment


def test_a_handle_in_backticks_or_after_a_non_ascii_letter_mentions_nobody(repo: Path) -> None:
    """Handles are often written in backticks (`@finance-lead`), and Japanese or Chinese
    text puts no space before one (担当は@billing-ops). The comment shows a map's backticks
    as typed, escaped, so no code element holds the handle, and GitHub's mention filter
    takes any character but an ASCII letter, digit or underscore before an ``@``: both
    notified that user each time the comment was posted, where a handle after a space
    was cut."""
    edit(
        repo,
        "billing-dispute.yaml",
        'thinking: "We never agreed to 12 extra seats."',
        'thinking: "Ask `@finance-lead`; 担当は@billing-ops です"',
    )
    edit(
        repo,
        "billing-dispute.yaml",
        "title: Unexpected charge on the monthly invoice",
        "title: 'Unexpected charge, ask `@ceo`'",
    )
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "Ask \\`@<!-- -->finance-lead\\`; 担当は@<!-- -->billing-ops です" in comment, comment
    assert "<b>Unexpected charge, ask `@<!-- -->ceo`</b>" in comment, comment
    # What GitHub reads as text: the comment but its own code spans and <code> elements.
    text = re.sub(r"<code>.*?</code>|(?<!\\)`[^`]*(?<!\\)`", "", comment)
    assert not GITHUB_MENTION.search(text), comment


def test_the_comment_links_no_issue_written_gh_n_or_in_another_repository(repo: Path) -> None:
    """`#42` was cut, but GitHub links `GH-42` (any case) to issue 42 as well, and
    `acme/billing#7` to issue 7 of that repository, each leaving "mentioned this" on it.
    A page's anchor in a URL (`faq#42`) is the URL's, and stays whole; the text output
    keeps every one as typed."""
    said = "See GH-42, gh-7 and acme/billing-api#7 (not https://example.com/faq#42 nor DEBUG-42)"
    edit(
        repo,
        "billing-dispute.yaml",
        'thinking: "We never agreed to 12 extra seats."',
        f'thinking: "{said}"',
    )
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    cut = (
        "See GH-<!-- -->42, gh-<!-- -->7 and acme/billing-api#<!-- -->7"
        " (not https://example.com/faq#42 nor DEBUG-42)"
    )
    assert cut in comment, comment
    assert not re.search(r"(?<![\w-])gh-\d", comment, re.IGNORECASE), comment
    assert said in diff_here(repo, "HEAD").stdout


def test_a_handoff_added_says_its_sla_clock_context_and_note(repo: Path) -> None:
    """A pull request adding a handoff read `handoff added: "Bot answers" → "Agent gathers"
    (SLA 5 minutes, context carried)`: not that the SLA is held against the first reply,
    nor what the PR says of how the case travels (its note), which is what a reviewer
    checks the claim "context carried" against."""
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    added = (
        "  - from: contact.bot-answers\n    to: contact.agent-gathers\n    sla: 5m\n"
        "    sla_clock: first-reply    # the bot hands over to the agent's first reply: measured on it\n"
        "    context: carried\n"
        "    note: The bot passes the invoice number and the chat so far to the agent.\n"
    )
    text = path.read_text()
    assert added in text
    path.write_text(text.replace(added, ""))

    git(repo, "commit", "-q", "-am", "no bot handoff")
    path.write_text(text)
    said = (
        '    handoff added: "Billing bot answers first" → "Agent gathers transaction details" (SLA 5 minutes to the first reply,'
        ' context carried), note: "The bot passes the invoice number and the chat so far to the agent."'
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert said in lines, lines
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "note: \u201cThe bot passes the invoice number and the chat so far to the agent.\u201d" in comment


def test_a_value_holding_one_double_quote_is_quoted_as_a_name_is(repo: Path) -> None:
    """An `x-` value and an evidence ref are shown as written, unquoted; one holding a
    double quote (`27" monitors`, `subject:"refund`) put a stray mark in the sentence: a
    script reading the text's quotations, and the comment's curly marks, paired it with
    the next quotation's opening mark (`“ monitors, epic: ”`). Such a value is quoted,
    its mark escaped, as a name is."""
    edit(
        repo,
        "billing-dispute.yaml",
        "    x-jira: BILL-214 ",
        "    x-jira: {key: BILL-214, title: 'Refund on 27\" monitors', epic: 'Billing, notes'} ",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        '      - {source: zendesk, kind: tickets, ref: "tag:billing_dispute", as_of: 2026-11-03}\n',
        '      - {source: zendesk, kind: tickets, ref: "tag:billing_dispute", as_of: 2026-11-03}\n'
        "      - {source: zendesk, kind: tickets, ref: 'subject:\"refund', as_of: 2026-11-03}\n",
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    jira = (
        '    x-jira of opportunity "Attaching the invoice PDF to the invoice email": BILL-214 → '
        'key: BILL-214, title: "Refund on 27\\" monitors", epic: "Billing, notes"'
    )
    evidence = '    evidence added to stage "Contact support": zendesk (tickets, "subject:\\"refund")'
    assert jira in lines and evidence in lines, lines
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "title: \u201cRefund on 27\u2019 monitors\u201d, epic: \u201cBilling, notes\u201d\n" in comment, (
        comment
    )
    assert "(tickets, \u201csubject:\u2019refund\u201d)" in comment, comment


def test_lints_quoted_step_names_in_a_finding_are_quoted_as_the_changes_are(tmp_path: Path) -> None:
    """`sla-breached` names a handoff's steps between straight double quotes; a step named
    `Billing "bot" answers first` read `the handoff from "Billing "bot" answers first" to …`
    in the text (two quotations with a word between), and the comment kept those straight
    marks beside its curly ones. The text escapes them, the comment nests them; lint's own
    message (terminal, JSON, SARIF, baselines) is left as lint writes it."""
    from conftest import ROOT

    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    shutil.copytree(ROOT / "examples" / "metrics", tmp_path / "examples" / "metrics")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # the snapshots and the sources they count
    path = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    text = path.read_text()
    git(tmp_path, "init", "-q", "-b", "main")
    path.write_text(text.replace("    sla: 5m\n", "", 1))  # no SLA, none breached
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    path.write_text(text.replace("name: Billing bot answers first", 'name: Billing "bot" answers first'))
    lines = [line for line in diff_here(tmp_path, "HEAD").stdout.splitlines() if "[sla-breached]" in line]
    assert len(lines) == 1, lines
    assert (
        'the handoff from "Billing \\"bot\\" answers first" to "Agent gathers transaction details": '
        in (lines[0])
    ), lines
    comment = diff_here(tmp_path, "HEAD", "--format", "markdown").stdout
    said = "the handoff from \u201cBilling \u2018bot\u2019 answers first\u201d to \u201cAgent gathers transaction details\u201d: "
    assert said in comment, comment
    lint = jm_here(tmp_path, "lint", "--format", "json")
    messages = [f["message"] for f in json.loads(lint.stdout)["findings"] if f["rule"] == "sla-breached"]
    assert any(m.startswith('the handoff from "Billing "bot" answers first" to ') for m in messages), messages


def test_a_step_moved_to_another_stage_keeps_its_handoffs(repo: Path) -> None:
    """A stage split in two: "Agent gathers transaction details" moved from "Contact
    support" to a new "Agent intake", its handoffs' `from`/`to` retyped to its new place.
    The diff read two handoffs added and two removed, the same ones, a step still on the
    map said "(removed)": a reviewer looked for a handoff the change did not touch."""
    edit(
        repo,
        "billing-dispute.yaml",
        "      - id: agent-gathers\n",
        "\n  - id: agent-intake\n    name: Agent intake\n    owner: support\n    steps:\n"
        "      - id: agent-gathers\n",
    )
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("contact.agent-gathers", "agent-intake.agent-gathers"))
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert (
        '    step moved: "Agent gathers transaction details" from stage "Contact support" to "Agent intake"'
        in lines
    ), lines
    changes = [line for line in lines if line.startswith("    ")]
    assert not [line for line in changes if "handoff" in line or "(removed)" in line], changes


def test_an_opportunity_added_says_the_pain_points_it_addresses(repo: Path) -> None:
    """A pull request adding an opportunity read `opportunity added: "Bringing a Finance
    analyst into the billing chat…" (planned, owner Finance, due 2027-03-01)`: not which
    pain points it claims to address, what a reviewer weighs it against."""
    edit(
        repo,
        "billing-dispute.yaml",
        "opportunities:\n",
        "opportunities:\n  - id: finance-in-chat\n"
        "    addresses: [notes-lost-at-handoff, conflicting-refund-timelines]\n"
        "    believe: Bringing a Finance analyst into the billing chat\n"
        "    will: end the second request for the contract\n    signal: Refund-date complaints halve\n"
        "    impact: high\n    effort: medium\n    owner: finance\n    due: 2027-03-01\n    status: planned\n",
    )
    said = (
        '    opportunity added: "Bringing a Finance analyst into the billing chat" (planned, owner Finance,'
        " due 2027-03-01), addresses: \"The Support to Finance handoff loses the agent's notes; the customer"
        ' sends the contract twice.", "The agent promises 5-7 days, the email says 2; customers stop trusting'
        ' both."'
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert said in lines, lines


def test_where_the_next_stage_by_list_order_leads_is_named(repo: Path) -> None:
    """A stage split in two, "Contact support" no longer naming where it goes: the diff
    read `leads to: "Finance review", "Chargeback (customer gives up)" → the next stage`,
    and a reviewer had to open the YAML to learn which stage that is now."""
    edit(
        repo,
        "billing-dispute.yaml",
        "      - id: agent-gathers\n",
        "\n  - id: agent-intake\n    name: Agent intake\n    owner: support\n    steps:\n"
        "      - id: agent-gathers\n",
    )
    path = repo / "maps" / "support" / "billing-dispute.yaml"
    path.write_text(path.read_text().replace("contact.agent-gathers", "agent-intake.agent-gathers"))
    said = (
        '    stage "Contact support" leads to: "Finance review", "Chargeback (customer gives up)"'
        ' → the next stage ("Agent intake")'
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert said in lines, lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["field"] == "next" and c["ids"] == {"stage": "contact"})
    assert change["after"] == "the next stage"  # the contract's value, as before


def test_a_map_given_another_persona_names_both_as_the_site_does(repo: Path) -> None:
    """A pull request moving a map to another shared persona (and deleting the one it
    had) read `persona: account-owner → workspace-admin`, the registry's ids, where the
    site's pages and the rest of the diff say "Account owner" and "Workspace admin"."""
    edit(repo, "billing-dispute.yaml", "persona: account-owner", "persona: workspace-admin")
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert '    persona: "Account owner" → "Workspace admin"' in lines, lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["field"] == "persona")
    assert (change["before"], change["after"]) == ("account-owner", "workspace-admin")  # ids, as before


def test_a_shared_persona_renamed_in_personas_yaml_is_said_in_each_map_naming_it(repo: Path) -> None:
    """A pull request renaming "Account owner" to "Billing account owner" in personas.yaml
    read "No change to any journey map" in every format, though the map's page and its
    diagram's title name the persona by it; a goal edited beside the rename was dropped too."""
    personas = repo / "maps" / "personas.yaml"
    text = personas.read_text().replace("    name: Account owner\n", "    name: Billing account owner\n", 1)
    personas.write_text(text.replace("goal: Pay exactly what", "goal: Pay only what", 1))
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert lines[1] == "~ Unexpected charge on the monthly invoice (billing-dispute)", lines
    assert '    persona renamed: "Account owner" → "Billing account owner"' in lines, lines
    assert any(line.startswith('    goal of persona "Billing account owner": ') for line in lines), lines
    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert "No change to any journey map" not in comment, comment
    assert "persona renamed: \u201cAccount owner\u201d → \u201cBilling account owner\u201d" in comment, (
        comment
    )
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(
        c for c in data["changes"] if c["ids"] == {"persona": "account-owner"} and c["field"] == "name"
    )
    assert (change["before"], change["after"]) == ("Account owner", "Billing account owner")


def test_a_stage_added_says_its_owner_and_its_steps(repo: Path) -> None:
    """A pull request adding a follow-up stage owned by Customer Success read `stage added:
    "Follow-up call" at position 5, after "Resolution"`: not which team now owns a part of
    the journey, nor what the customer meets there, which a reviewer had to find in the YAML."""
    edit(
        repo,
        "billing-dispute.yaml",
        "    next: []\n    end: true\n",
        "    next: [follow-up]\n\n  - id: follow-up\n    name: Follow-up call\n    owner: success\n"
        "    steps:\n      - id: csm-calls\n        name: Customer Success calls the owner\n"
        "        lane: frontstage\n        channel: phone\n"
        "      - id: seats-checked\n        name: Seat count checked\n        lane: backstage\n"
        "    next: []\n    end: true\n",
    )
    said = (
        '    stage added: "Follow-up call" (owner Customer Success) at position 5, after "Resolution",'
        ' with 2 steps: "Customer Success calls the owner", "Seat count checked"'
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert said in lines, lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["kind"] == "stage-added")
    assert change["after"] == "Follow-up call"  # the contract's value, as before


def test_a_pain_point_added_says_how_many_it_hits_and_who_owns_it(repo: Path) -> None:
    """A pull request adding a pain point owned by Tier 2, hitting 40 customers a month, read `pain
    point added: "…" (process, severity 4) at "Tier 2 acknowledges"`: not how many
    customers it hits nor which team took it on, what the diagram and the team's page show."""
    edit(
        repo,
        "production-outage.yaml",
        "pain_points:\n",
        "pain_points:\n  - id: logs-not-read\n    at: report.ack\n    kind: process\n"
        "    summary: Tier 2 asks for the logs already attached.\n    volume: 40\n"
        "    volume_unit: customers\n    severity: 4\n    owner: tier-2\n",
    )
    said = (
        '    pain point added: "Tier 2 asks for the logs already attached." (process, severity 4, 40 customers/month,'
        ' owner Technical Support (Tier 2)) at "Tier 2 acknowledges" in "Sev-1 ticket"'
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    assert said in lines, lines


def test_a_kpi_target_or_value_moved_says_which_way_is_better(repo: Path) -> None:
    """A pull request moving the sev-1 first-response target from 5 to 10 minutes read
    `target of KPI …: 5 minutes → 10 minutes`, alike to one making it stricter: a reviewer
    who does not know lower is better for it could not tell the team relaxed its own goal."""
    edit(
        repo,
        "production-outage.yaml",
        "current: 17, target: 5, unit: minutes",
        "current: 12, target: 10, unit: minutes",
    )
    edit(repo, "billing-dispute.yaml", "current: 0.22, target: 0.50}", "current: 0.20, target: 0.60}")
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    for said in (
        '    target of KPI "First response time (sev-1)" at stage "Sev-1 ticket": 5 minutes → 10 minutes'
        " (a looser target: lower is better)",
        '    current value of KPI "First response time (sev-1)" at stage "Sev-1 ticket": 17 minutes → 12 minutes'
        " (better: lower is better)",
        '    target of KPI "First contact resolution" at stage "Contact support": 50.0% → 60.0%'
        " (a stricter target: higher is better)",
        '    current value of KPI "First contact resolution" at stage "Contact support": 22.0% → 20.0%'
        " (worse: higher is better)",
    ):
        assert said in lines, lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["map"] == "production-outage" and c["field"] == "target")
    assert (change["before"], change["after"]) == (5, 10)  # the contract's values, as before


def test_a_step_added_with_an_owner_of_its_own_says_it(repo: Path) -> None:
    """A pull request adding a Customer Success step to Engineering's stage read `step added:
    "Customer Success briefs the account", after "On-call engineer paged"`: not that
    another team now works the case there, which the diagram and the team's page show."""
    edit(
        repo,
        "production-outage.yaml",
        "      - id: updates\n",
        "      - id: cs-briefs\n        name: Customer Success briefs the account\n        owner: success\n"
        "        lane: frontstage\n        channel: email\n      - id: updates\n",
    )
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    said = '    step added: "Customer Success briefs the account" (owner Customer Success), after "On-call engineer paged"'
    assert said in lines, lines


def test_a_pain_points_own_price_edited_is_said_beside_the_cost_it_moves(repo: Path) -> None:
    """A pull request raising one pain point's cost per contact from 18 to 30 and its
    revenue at risk read only `cost of inaction (contacts) a year: $49,800 → $75,720`: a
    $26,000 jump with no word of which pain point, or which number, moved it."""
    edit(repo, "billing-dispute.yaml", "    cost_per_contact: 18\n", "    cost_per_contact: 30\n")
    edit(repo, "billing-dispute.yaml", "    revenue_at_risk: 36000\n", "    revenue_at_risk: 50000\n")
    lines = diff_here(repo, "HEAD").stdout.splitlines()
    for said in (
        "    cost per contact of pain point \"The Support to Finance handoff loses the agent's notes; the"
        ' customer sends the contract twice.": 18 → 30',
        '    revenue at risk of pain point "Customers who hear nothing for a week file chargebacks and often'
        ' churn.": 36000 → 50000',
        "    cost of inaction (contacts) a year: $49,800 → $75,720",
    ):
        assert said in lines, lines
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    fields = {
        c["field"]: (c["before"], c["after"]) for c in data["changes"] if c["kind"] == "pain-point-changed"
    }
    assert fields["cost_per_contact"] == (18, 30) and fields["revenue_at_risk"] == (36000, 50000)
