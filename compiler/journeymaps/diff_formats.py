"""``journeymaps diff`` as text, as a pull-request comment (Markdown with Mermaid journeys)
and as JSON for bots (a versioned contract)."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

from journeymaps.baseline_changes import entry_json
from journeymaps.comparison import (
    ADDED,
    BROKEN,
    CHANGED,
    REMOVED,
    REPAIRED,
    STILL_BROKEN,
    UNCHECKED,
    Comparison,
    MapDiff,
)
from journeymaps.comparison_words import (
    baseline_lines,
    describe_status,
    folder_words,
    pairing_lines,
    registry_lines,
    removed_words,
    settings_lines,
    suppression_lines,
    unread_words,
)
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.mermaid import journey
from journeymaps.model import Map
from journeymaps.quotes import typeset
from journeymaps.reporters.base import BIDI_CONTROLS, counted, in_workspace, one_line, plural
from journeymaps.reporters.json_format import finding as json_finding
from journeymaps.suppression_changes import ENDS, Comment
from journeymaps.terminal import writes_utf8

#: The version of ``diff --format json``; bumped when a field changes meaning or goes away.
JSON_VERSION = 2
#: GitHub refuses comments longer than 65,536 characters: the journeys go first when over.
COMMENT_LIMIT = 60_000
#: Ends every comment, unseen (an HTML comment): a workflow finds journeymaps' own comment
#: by it, to update that one. ``gh pr comment --edit-last`` edited the last comment of the
#: same account, whatever had posted it (examples/github-workflows/journeymaps-pr.yml).
COMMENT_MARKER = "<!-- journeymaps-diff -->"


def _status_line(md: MapDiff, c: Comparison) -> str:
    if md.folder:
        return folder_words(md)
    if md.status == REMOVED and (folder := c.unread_in(md)) is not None:
        return unread_words(md, folder)
    if md.status == ADDED:
        m = md.new.model if md.new else None
        if m is None:
            return f"map added, but broken: {describe_status(md, c).partition(': ')[2]}"
        return f"map added ({m.state} state, {plural(len(m.stages), 'stage')})"
    if md.status == REMOVED:
        return removed_words(md, c)
    return describe_status(md, c)


#: A hidden finding's retargeted handoff, by the end the change edits (see :data:`ENDS`).
_SENT = {
    "to": ", its handoff sent to another step",
    "from": ", its handoff now from another step",
    "ends": ", its handoff moved at both ends",
}
_MARKS = {ADDED: "+", REMOVED: "-", BROKEN: "!", REPAIRED: "✓", STILL_BROKEN: "!", CHANGED: "~"}


def _folder_of(md: MapDiff) -> str:
    """A maps folder not read (see :meth:`Comparison.folders`) as its finding names it, with '/'."""
    side = md.new if md.new is not None and md.new.folder else md.old
    return (side.file if side is not None else md.map_id).rstrip("/") + "/"


def text(c: Comparison) -> str:
    if c.empty and c.settings is None:
        return (
            f"No change to any journey map between {one_line(c.said(False))} and {one_line(c.said(True))}.\n"
        )
    # The arrow of the comment's title and of each change's text ("Finance review" → ...);
    # a terminal that cannot show it gets '->' (journeymaps.terminal).
    out = [f"Journey maps: {one_line(c.base)} → {one_line(c.head)}"]
    for md in c.maps:
        head = f"{_MARKS[md.status]} {one_line(md.title)} ({one_line(c.label(md))})"
        if md.folder:  # no map: its folder, by its path (an error while not read)
            head = f"{'✓' if md.new is None or not md.new.folder else '!'} {one_line(_folder_of(md))}"
        if md.status == CHANGED:
            out.append(head)
            out += [f"    {one_line(ch.text)}" for ch in md.changes]
        else:
            out.append(f"{head}: {one_line(_status_line(md, c))}")
    # After the maps, where a terminal's last screen shows it: each so told says it in short.
    out += [f"? pairing: {one_line(line)}" for line in pairing_lines(c)]
    out += [f"~ {one_line(line)}" for line in registry_lines(c)]
    out += [f"! settings: {one_line(line)}" for line in settings_lines(c)]
    out += [f"! suppression: {one_line(line)}" for line in suppression_lines(c)]
    out += [f"! baseline: {one_line(line)}" for line in baseline_lines(c)]
    # As lint prints a finding (file:line:col, its severity), so an editor or a terminal
    # that opens lint's lines opens these: it dropped the column and the severity, which
    # the markdown comment shows. A fixed finding's place is in the base: its file only.
    # The message names the map's places and teams as the changes above it do, and as the
    # comment does ("identity receives the case without finance's notes" beside "owner of
    # stage "Resolution": Finance → Identity & Access"); lint's own output keeps the ids
    # its fingerprints and baselines are made of, and the JSON lint's message.
    out += [
        f"! introduced: {one_line(d.file)}:{d.line}:{d.column}: {d.code} [{d.rule}] "
        f"{d.severity.value}: {one_line(c.words(d))}"
        for d in c.introduced
    ]
    out += [
        f"! excluded (new): {one_line(d.file)}:{d.line}:{d.column}: {d.code} [{d.rule}] "
        f"{d.severity.value}: {one_line(c.words(d))}"
        for d in c.excluded_new
    ]
    out += [
        f"! hidden{' (new)' if h.new else ''}: {one_line(h.finding.file)}:{h.finding.line}:"
        f"{h.finding.column}: {h.finding.code} [{h.finding.rule}] {h.finding.severity.value}: "
        f"{one_line(c.words(h.finding))}"
        for h in c.suppressed
    ]
    out += [
        f"! hidden ({'new, ' if h.new else ''}by a suppression in the base"
        f"{_SENT[h.end] if h.retargeted else ''}): {one_line(h.finding.file)}:"
        f"{h.finding.line}:{h.finding.column}: {h.finding.code} [{h.finding.rule}] "
        f"{h.finding.severity.value}: {one_line(c.words(h.finding))}"
        for h in c.suppressed_in_base
    ]
    out += [
        f"✓ fixed: {one_line(d.file)}: {d.code} [{d.rule}] {d.severity.value}: "
        f"{one_line(c.words(d, head=False))}"
        for d in c.fixed
    ]
    out += [
        f"? no longer measured: {one_line(d.file)}: {d.code} [{d.rule}] {d.severity.value}: "
        f"{one_line(c.words(d, head=False))} (not measured since this change: run 'journeymaps "
        "measure' to know whether it is fixed)"
        for d in c.unmeasured
    ]
    out += [
        f"? no longer checked: {one_line(d.file)}: {d.code} [{d.rule}] {d.severity.value}: "
        f"{one_line(c.words(d, head=False))} (not fixed: {why})"
        for d, why in c.unchecked
    ]
    return "\n".join(out) + "\n"


#: What would start formatting in a comment's Markdown, each shown as written by a backslash
#: before it (CommonMark's escapes): emphasis ``*``, strikethrough ``~``, code spans (each
#: may pair with one the comment writes around it), an underscore at a word's edge (GitHub
#: emphasises none inside a word: ``billing_v2`` stays as typed), a link's ``[`` (when a
#: ``](`` or ``][`` follows it), an HTML tag or autolink (``<`` before a letter, ``/``, ``!``
#: or ``?``), a character reference (``&`` before ``amp;``), and a backslash before any
#: punctuation. The comment has no tables, so ``|`` stays as typed too.
_MARKDOWN = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])|[*`~]|\[(?=.*\][(\[])|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#?\w+;)"
)


def _md(text: str) -> str:
    """Text of a map or a finding, in a list item or a paragraph of the comment: on one line,
    shown as written by any Markdown reader. It was HTML-escaped (``Identity &amp; Access``,
    which GitHub shows right and a mail notification, the raw comment and other readers
    did not), backticks turned into quotes and every underscore escaped."""
    return _unlinked(_MARKDOWN.sub(lambda found: "\\" + found[0], one_line(" ".join(text.split()))))


#: A GitHub mention (``@user``, ``@org/team``: not an e-mail's ``@``; GitHub's filter takes
#: any character but an ASCII letter, digit or ``_`` before it, a backtick or 担当は too, as
#: the comment writes a map's backticks escaped, in no code element) or issue reference:
#: ``#42`` (not a character reference's ``&#64;``), ``GH-42`` in any case, and another
#: repository's ``acme/billing#42`` (its name a word of its own: not a URL's anchor,
#: ``example.com/faq#42``; escaped for Markdown, ``acme/billing\_api#42``). A commit's
#: SHA is linked too, but only when it names one of the repository's own commits: a link
#: to it notifies nobody, and cutting every run of 7 to 40 hex digits would cut ticket
#: numbers and amounts.
_LINKED = re.compile(
    r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])|(?<![\w&])#(?=\d)|(?<![\w-])GH-(?=\d)"
    r"|(?<![\w/.:\\-])[A-Za-z0-9-]+/[\w.\\-]+#(?=\d)",
    re.IGNORECASE,
)


def _unlinked(text: str) -> str:
    """``text`` with its mentions and issue references cut by an empty HTML comment, as
    Dependabot writes names in release notes: shown as typed, linking nothing. A map's words
    are the customer's or a team's: ``@finance-lead`` in a thought notified that user each
    time the comment was posted, and ``ticket #42`` (or ``GH-42``) left "mentioned this" on
    issue 42."""
    return _LINKED.sub(lambda found: found[0] + "<!-- -->", text)


#: In HTML, a ``&`` before a letter, a digit or ``#`` may be read as a character
#: reference, ``&copy`` even without its semicolon: escaped there only.
_AMPERSAND = re.compile(r"&(?=[#\w])")


def _html(text: str) -> str:
    """Text inside the comment's raw HTML (a collapsible block's ``<summary>``, which
    Markdown leaves as it is): escaped for HTML, on one line. ``_md`` showed its
    backslashes there (``Billing\\_Ops``)."""
    shown = one_line(" ".join(text.split()))
    return _unlinked(_AMPERSAND.sub("&amp;", shown).replace("<", "&lt;").replace(">", "&gt;"))


def _code(text: str) -> str:
    """Text for a code span or <code>: no Markdown escapes there, only HTML's."""
    return html.escape(" ".join(text.split()), quote=False).replace("`", "'").translate(BIDI_CONTROLS)


#: Up to this many changed maps, each one's changes are shown open in the comment.
OPEN_UP_TO = 3


def markdown(c: Comparison, journeys: bool = True) -> str:
    """A pull-request comment: a short summary first, each map's details (and its emotion
    journey before and after, as Mermaid) collapsible."""
    lines = [f"### Journey maps: {_md(c.base)} → {_md(c.head)}", ""]
    if c.empty and c.settings is None:
        return "\n".join([*lines, "No change to any journey map."]) + "\n"
    summary = []
    for status, words in (
        (BROKEN, "broken"),
        (ADDED, "added"),
        (REMOVED, "removed"),
        (REPAIRED, "loading again"),
        (STILL_BROKEN, "still broken"),
        (CHANGED, "changed"),
    ):
        n = len(c.having(status))
        if status == REMOVED:
            # A map moved where the settings exclude it is still in the change: its line says
            # it moved out of every check, and the summary above it said "1 map removed".
            n -= len(c.moved_out())
            n -= (unread_maps := sum(1 for md in c.having(REMOVED) if c.unread_in(md) is not None))
        if n:
            part = f"{plural(n, 'map')} {words}"
            summary.append(f"**{part}**" if status in (BROKEN, ADDED, REMOVED) else part)
        if status == REMOVED and (out := len(c.moved_out())):
            summary.append(f"**{plural(out, 'map')} moved out of the checks**")
        if status == REMOVED and unread_maps:
            summary.append(f"**{plural(unread_maps, 'map')} not read**")
    if unread := sum(1 for md in c.folders() if md.new is not None and md.new.folder):
        summary.insert(0, f"**{plural(unread, 'folder')} not read**")
    if renamed := len(c.registries_renamed):
        summary.append(f"{'a registry' if renamed == 1 else f'{renamed} registries'} renamed")
    if teams := len(c.teams_renamed):
        summary.append(f"{plural(teams, 'team')} renamed")
    if personas := len(c.personas_removed):
        summary.append(f"{plural(personas, 'persona')} removed")
    if c.settings is not None:
        # What acts on every map, first: a comment whose summary spoke only of findings read
        # as "no change" when a pull request turned a rule on or off.
        unchecked = len(c.settings.unchecked)
        no_longer = f", {plural(unchecked, 'map')} no longer checked" if unchecked else ""
        status = c.settings.status
        if status == "unchanged":  # alike on both sides: what acts is the maps moved under it
            status = "unchanged, maps moved under its per-file-ignores"
        what = f"do not load in {c.said(False)}" if c.settings.problem is not None else status
        summary.insert(0, f"**settings {_md(what)}**{no_longer}")
    summary.append(c.findings_summary())
    errors = sum(1 for d in c.introduced if d.severity is Severity.ERROR)
    # The new error in words first; a settings change acts on every map, and stays first.
    said = [" · ".join(summary), ""]
    lines += [*said, *_headline(c)] if c.settings is not None else [*_headline(c), *said]
    # Before the maps: a settings change acts on every map, and what it hides is in no list.
    lines += [f"- ⚠️ **Settings**: {_md(line)}" for line in settings_lines(c)]
    lines += [f"- ⚠️ **Suppression**: {_md(line)}" for line in suppression_lines(c)]
    lines += [f"- ⚠️ **Baseline**: {_md(line)}" for line in baseline_lines(c)]
    # Before the maps, so a comment cut to GitHub's size still says how many, and why.
    lines += [f"- ⚠️ **Pairing**: {_md(line)}" for line in pairing_lines(c)]
    lines += [f"- **Registry**: {_md(typeset(line))}" for line in registry_lines(c)]
    for md in c.maps:
        if md.folder:
            lines.append(f"- ⚠️ **Folder** <code>{_code(_folder_of(md))}</code>: {_md(_status_line(md, c))}")
        elif md.status != CHANGED:
            lines.append(
                f"- **{_md(md.title)}** (<code>{_code(c.label(md))}</code>): {_md(_status_line(md, c))}"
            )
    changed = c.having(CHANGED)
    # Open when few maps changed: the reviewer reads what the change means (a cost of inaction
    # going from $8,640 to $23,760 a year) without a click; a large change stays a list.
    opened = " open" if len(changed) <= OPEN_UP_TO else ""
    for md in changed:
        lines += [
            "",
            f"<details{opened}><summary><b>{_html(md.title)}</b> (<code>{_code(c.label(md))}</code>): "
            f"{plural(len(md.changes), 'change')}</summary>",
            "",
        ]
        lines += [f"- {_md(typeset(ch.text))}" for ch in md.changes]  # as the site
        lines += _journeys(md) if journeys else []
        lines += ["", "</details>"]
    for md in c.having(ADDED):
        if journeys and md.new and md.new.model:
            lines += ["", f"<details><summary>Journey of <b>{_html(md.title)}</b></summary>", ""]
            lines += ["```mermaid", _mermaid(md.new.model).rstrip("\n"), "```", "", "</details>"]
    silenced = [s.finding for s in c.settings.silenced] if c.settings else []
    stopped = [d for d, _ in c.unchecked]
    hidden = [h.finding for h in c.suppressed]
    kept = [h.finding for h in c.suppressed_in_base]
    hides = any(d.severity is Severity.ERROR for d in c.silenced_new)
    conceals = any(d.severity is Severity.ERROR for d in c.suppressed_new)
    # Not judged, but new errors all the same: shown open, as those a suppression adds hides.
    keeps = any(h.new and h.finding.severity is Severity.ERROR for h in c.suppressed_in_base)
    excluded = c.excluded_new
    for title, found in (
        ("Findings introduced", c.introduced),
        ("Findings the change brings in maps it moves where the settings exclude them", excluded),
        ("Findings silenced by the settings", silenced),
        ("Findings hidden by suppressions this change adds", hidden),
        (f"Findings hidden by suppressions {_html(c.said(False))} has too (reported, not judged)", kept),
        ("Findings fixed", c.fixed),
        ("Findings no longer measured (not fixed until 'journeymaps measure' says so)", c.unmeasured),
        (f"Findings {UNCHECKED}", stopped),
    ):
        if found:
            # Open when the change brings an error: a reviewer sees it without a click.
            opened = (
                " open"
                if (found is c.introduced and errors)
                or (found is excluded and any(d.severity is Severity.ERROR for d in found))
                or (found is silenced and hides)
                or (found is hidden and conceals)
                or (found is kept and keeps)
                else ""
            )
            lines += ["", f"<details{opened}><summary>{title} ({len(found)})</summary>", ""]
            # These have BASE's places: what the change fixed, or no longer measures or checks.
            head = all(found is not base for base in (c.fixed, c.unmeasured, stopped))
            # What happened first, in words; the rule after, for whoever fixes it: a line that
            # opened with "error `JM201` missing-owner" made a reviewer decode it first.
            lines += [
                f"- {d.severity.value}{_in_map(c.map_of(d, head))}: {_md(c.words(d, head, curly=True))} "
                f"({_md(d.file)}:{d.line}) · `{d.code}` {d.rule}"
                for d in found
            ]
            lines += ["", "</details>"]
    # One blank line between blocks: each block opens with one, and the summary ends with
    # one (two in a row showed as such in the comment's source, and in mail notifications).
    lines = [line for i, line in enumerate(lines) if line or i == 0 or lines[i - 1] or _in_fence(lines, i)]
    comment = "\n".join(lines) + "\n"
    if not journeys and len(comment) > COMMENT_LIMIT:
        return _cut(lines)
    if journeys and len(comment) > COMMENT_LIMIT:
        shorter = markdown(c, journeys=False)
        return (
            shorter.rstrip("\n")
            + "\n\n_The emotion journeys were left out to keep the comment within GitHub's size limit._\n"
        )
    return comment


def _headline(c: Comparison) -> list[str]:
    """What the change brings that a reviewer must see first, in words: its new errors (or,
    with none, its new warnings) by the first of them, "1 new error in **Refund**: step
    "Asks, Fills in the form" has no owner"; nothing when it brings no finding."""
    for severity in (Severity.ERROR, Severity.WARNING):
        new = [d for d in c.introduced if d.severity is severity]
        if new:
            first = new[0]
            count = f"**{plural(len(new), f'new {severity.value}')}**"
            lead = count if len(new) == 1 else f"{count}; the first"
            return [f"{lead}{_in_map(c.map_of(first))}: {_md(c.words(first, curly=True))}", ""]
    return []


def _in_map(m: Map | None) -> str:
    """Which map a finding is in, as the site's findings page names it: by its title."""
    return f" in **{_md(m.title)}**" if m is not None else ""


def _cut(lines: list[str]) -> str:
    """A comment still over :data:`COMMENT_LIMIT` without its journeys (a change to 2,000
    maps made 370 kB, which GitHub refuses, so none was posted): its first whole blocks
    that fit, and what was left out. The summary above them counts everything."""
    budget = COMMENT_LIMIT - 300  # the notes after it
    size = depth = 0
    keep = 0
    for i, line in enumerate(lines):
        size += len(line) + 1
        if size > budget:
            break
        depth += line.startswith("<details") - (line == "</details>")
        if depth == 0:
            keep = i + 1
    rest = lines[keep:]
    maps = sum(
        1 for line in rest if line.startswith(("- **", "<details><summary><b>", "<details open><summary><b>"))
    )
    findings = any("<summary>Findings " in line for line in rest)
    parts = [counted(maps, "more map")] if maps else []
    parts += ["the findings"] if findings else []
    left = " and ".join(parts) or "the rest of the comparison"
    note = (
        f"_Left out to keep the comment within GitHub's size limit: {left}; "
        "`journeymaps diff` prints the whole comparison._"
    )
    kept = lines[:keep]
    while kept and not kept[-1]:  # each block opens with a blank line: one before the note
        kept.pop()
    return "\n".join([*kept, "", note]) + "\n"


def _in_fence(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is inside a fenced code block (a Mermaid journey), kept as is."""
    return sum(1 for line in lines[:i] if line.startswith("```")) % 2 == 1


def comment(c: Comparison) -> str:
    """``diff --format markdown``: the pull-request comment, with :data:`COMMENT_MARKER`."""
    return f"{markdown(c)}\n{COMMENT_MARKER}\n"


def _mermaid(m: Map) -> str:
    """A map's Mermaid journey for a comment: bidi controls shown, not obeyed."""
    return journey(m).translate(BIDI_CONTROLS)


def _untitled(chart: str) -> list[str]:
    """A Mermaid journey's lines but its title."""
    return [line for line in chart.splitlines() if not line.lstrip().startswith("title ")]


def _journeys(md: MapDiff) -> list[str]:
    """The emotion journey before and after, when the change altered it."""
    old = md.old.model if md.old else None
    new = md.new.model if md.new else None
    if old is None or new is None:
        return []
    before, after = _mermaid(old), _mermaid(new)
    if _untitled(before) == _untitled(after):  # a map renamed: two charts alike but their titles
        return []
    return [
        "",
        "<details><summary>The emotion journey, before and after</summary>",
        "",
        "**Before**",
        "",
        "```mermaid",
        before.rstrip("\n"),
        "```",
        "",
        "**After**",
        "",
        "```mermaid",
        after.rstrip("\n"),
        "```",
        "",
        "</details>",
    ]


def as_json(c: Comparison) -> dict[str, Any]:
    """The JSON contract (version 2): see the README."""

    def finding(d: Diagnostic) -> dict[str, Any]:
        return {**json_finding(d), "fingerprint": d.fingerprint}

    maps = []
    changes: list[dict[str, Any]] = []
    for md in c.maps:
        side = md.old if md.status in (REPAIRED, REMOVED) else md.new
        problem = side.problem if side is not None else None
        maps.append(
            {
                "id": md.map_id,
                "title": md.title,
                "status": md.status,
                "file": md.new.file if md.new else None,
                "base_file": md.old.file if md.old else None,
                "problem": finding(problem) if problem is not None else None,
                "findings_uncompared": [finding(d) for d in md.uncompared],
                "findings_gone": [finding(d) for d in md.gone],
                "excluded_file": md.excluded_as,
                # A maps folder not read (a link out of the project), not a map; a map of
                # BASE in one HEAD does not read: that folder (not removed: unread).
                "folder": md.folder,
                "unread_in": c.unread_in(md) if md.status == REMOVED else None,
                "excluded_alike": md.excluded_alike,
                "excluded_partly": md.excluded_partly,
                "renamed_partly": md.renamed_partly,
                "findings_excluded_new": [finding(d) for d in md.excluded_new],
            }
        )
        if md.status != CHANGED:
            kind = {STILL_BROKEN: "map-broken"}.get(md.status, f"map-{md.status}")
            if md.folder:
                kind = "folder-not-read" if md.new is not None and md.new.folder else "folder-read-again"
            changes.append(_change(md.map_id, kind, {}, None, None, None, _status_line(md, c)))
        for ch in md.changes:
            changes.append(_change(md.map_id, ch.kind, ch.ids, ch.field, ch.before, ch.after, ch.text))
    return {
        "version": JSON_VERSION,
        "base": c.base,
        "head": c.head,
        "summary": {
            "maps": {s: len(c.having(s)) for s in (ADDED, REMOVED, CHANGED, BROKEN, REPAIRED, STILL_BROKEN)}
            # Of the removed, those moved where the settings exclude them (out of the checks).
            | {"excluded": len(c.moved_out())},
            "folders_not_read": sum(1 for md in c.folders() if md.new is not None and md.new.folder),
            "changes": len(changes),
            "findings_introduced": len(c.introduced),
            "findings_fixed": len(c.fixed),
            "findings_unmeasured": len(c.unmeasured),
            "findings_uncompared": sum(len(md.uncompared) for md in c.maps),
            "findings_gone": sum(len(md.gone) for md in c.maps),
            "findings_excluded_new": len(c.excluded_new),
            "findings_silenced": len(c.settings.silenced) if c.settings else 0,
            "findings_revealed": len(c.settings.revealed) if c.settings else 0,
            "findings_suppressed": len(c.suppressed),
            "findings_unsuppressed": len(c.unsuppressed),
            "findings_suppressed_in_base": len(c.suppressed_in_base),
            "baseline_accepted": len(c.baseline.accepted) if c.baseline else 0,
            "baseline_dropped": len(c.baseline.dropped) if c.baseline else 0,
            "baseline_moved": len(c.baseline.moved) if c.baseline else 0,
            # Each map keeps its own renamed_partly and excluded_partly: a tool may need each.
            "renamed_partly": len(c.told_by_few()[0]),
            "excluded_partly": len(c.told_by_few()[1]),
        },
        "settings": _settings_json(c, finding),
        "maps": maps,
        "changes": changes,
        "findings_introduced": [finding(d) for d in c.introduced],
        "findings_fixed": [finding(d) for d in c.fixed],
        "findings_unmeasured": [finding(d) for d in c.unmeasured],
        "registries_renamed": [{"base_file": was, "file": now} for was, now in c.registries_renamed.items()],
        "teams_renamed": [
            {"id": team_id, "file": file, "before": was, "after": now}
            for team_id, (file, was, now) in c.teams_renamed.items()
        ],
        "personas_removed": [
            {"id": persona_id, "file": file, "name": name}
            for persona_id, (file, name) in c.personas_removed.items()
        ],
        "findings_suppressed": [
            {**finding(h.finding), "suppression": _comment(h.comment), "new": h.new} for h in c.suppressed
        ],
        "findings_unsuppressed": [
            {**finding(h.finding), "suppression": _comment(h.comment)} for h in c.unsuppressed
        ],
        "findings_suppressed_in_base": [
            {
                **finding(h.finding),
                "suppression": _comment(h.comment),
                "new": h.new,
                "retargeted": h.retargeted,
            }
            for h in c.suppressed_in_base
        ],
        "suppressions_text": suppression_lines(c),
        "pairing_text": pairing_lines(c),
        "baseline": _baseline_json(c),
    }


def _baseline_json(c: Comparison) -> dict[str, Any] | None:
    """What the change does to the baseline (null: nothing): a key of version 2."""
    b = c.baseline
    if b is None:
        return None
    return {
        "file": b.file,
        "created": b.created,
        "deleted": b.deleted,
        "problem": b.problem,
        "accepted": [{**entry_json(e), "new": e.get("fingerprint") in b.new} for e in b.accepted],
        "dropped": [entry_json(e) for e in b.dropped],
        "moved": [{**entry_json(e), "now": c.rekeyed[e["fingerprint"]]} for e in b.moved],
        "followed": [entry_json(e) for e in b.followed],
        "text": baseline_lines(c),
    }


def _comment(s: Comment) -> dict[str, Any]:
    """A suppression comment the change adds (HEAD's place) or removes (BASE's)."""
    return {"file": s.file, "line": s.line, "rules": list(s.rules), "scope": s.scope}


def _settings_json(c: Comparison, finding: Callable[[Diagnostic], dict[str, Any]]) -> dict[str, Any] | None:
    """The settings change (null when the sides have the same settings): a key of version 2."""
    ch = c.settings
    if ch is None:
        return None
    return {
        "file": ch.file,
        "status": ch.status,
        "base_file": ch.base_file,
        "keys": ch.keys,
        "problem": finding(ch.problem) if ch.problem is not None else None,
        "findings_silenced": [
            {**finding(s.finding), "silenced_by": s.why, "new": s.new} for s in ch.silenced
        ],
        "findings_revealed": [{**finding(s.finding), "shown_by": s.why} for s in ch.revealed],
        "maps_unchecked": [{"file": f, "why": why} for f, why in ch.unchecked.items()],
        "text": settings_lines(c),
    }


def _change(
    map_id: str, kind: str, ids: dict[str, str], field: str | None, before: Any, after: Any, text: str
) -> dict[str, Any]:
    return {
        "map": map_id,
        "kind": kind,
        "ids": ids,
        "field": field,
        "before": before,
        "after": after,
        "text": text,
    }


def github(c: Comparison) -> str:
    """``diff --format github``: annotations on what the change brings, at its lines in HEAD:
    the findings it introduces, then those --check also judges so (of a file that loads
    again, or silenced by the change's own settings), each kind's errors first. GitHub
    shows 10 annotations of each kind per step: annotated by lint, a pull request's one new
    error was lost behind ten old ones. Then the comparison's summary, as a log line."""
    from dataclasses import replace

    from journeymaps.reporters.github_format import annotation, ordered, overflow

    def noted(found: list[Diagnostic], why: str) -> list[Diagnostic]:
        return [replace(d, message=f"{d.message} ({why})") for d in found]

    def reported(d: Diagnostic, why: str) -> Diagnostic:
        """Said, not judged: a warning annotation, so a run --check passes shows no error."""
        shown = Severity.WARNING if d.severity is Severity.ERROR else d.severity
        return replace(d, severity=shown, message=f"{d.message} ({why}: reported, not judged)")

    added = c.added_files()
    brought = ordered(
        [
            *noted(c.introduced, "introduced by this change"),
            *noted(c.unvetted, f"in a file that loads again: {c.said(False)} could not show it"),
            *noted(c.excluded_new, "brought by this change, in a map it moves where the settings exclude it"),
            *[
                replace(
                    s.finding,
                    message=f"{s.finding.message} (brought by this change, and "
                    + (
                        "silenced by its own settings change)"
                        if s.moved is None
                        else f"ignored where it moves {s.moved} (per-file-ignores))"
                    ),
                )
                for s in (c.settings.silenced if c.settings is not None else [])
                if s.new
            ],
            *[
                replace(
                    h.finding,
                    message=f"{h.finding.message} (brought by this change, and hidden by "
                    f"the suppression it adds at {h.comment.file}:{h.comment.line})",
                )
                for h in c.suppressed
                if h.new and h.finding.file not in added
            ],
            *[
                reported(
                    h.finding,
                    f"hidden by the suppression at {h.comment.file}:{h.comment.line} of this new map",
                )
                for h in c.suppressed
                if h.new and h.finding.file in added
            ],
            *[
                reported(
                    h.finding,
                    f"brought by this change, and hidden by the suppression at "
                    f"{h.comment.file}:{h.comment.line}, which the base has too",
                )
                for h in c.suppressed_in_base
                if h.new
            ],
            *[
                reported(
                    h.finding,
                    f"hidden by the suppression at {h.comment.file}:{h.comment.line}, which the base "
                    f"has too, above a handoff this change {ENDS[h.end]}",
                )
                for h in c.suppressed_in_base
                if h.retargeted and not h.new
            ],
        ]
    )
    out = []
    where = (
        "'journeymaps diff' lists them all (this step's log, the pull-request comment of --format markdown)"
    )
    if (notice := overflow(brought, where)) is not None:
        out.append(notice)
    out += [annotation(d, in_repository(c, d.file)) for d in brought]
    said = [
        *pairing_lines(c),
        *registry_lines(c),
        *settings_lines(c),
        *suppression_lines(c),
        *baseline_lines(c),
    ]
    out += [f"journeymaps diff: {one_line(line)}" for line in said]
    out.append(f"journeymaps diff {one_line(c.base)} → {one_line(c.head)}: {c.findings_summary()}")
    return "\n".join(out) + "\n"


def in_repository(c: Comparison, file: str) -> str:
    """A finding's file as GitHub places it: from the CI workspace when in one, else from the
    repository's top, wherever diff ran. Named from the project's folder, it was doubled
    under the workspace when diff ran below that folder (``maps/support/maps/support/…``),
    and missed the pull request's lines when the project is not the repository's top."""
    if c.root is None:  # two folders compared: as lint names them
        return in_workspace(file)
    path = os.path.join(c.root, file)  # noqa: PTH118 - str paths, as in_workspace
    if (shown := in_workspace(path)) != path:
        return shown
    if c.top is not None:
        inside = os.path.relpath(path, c.top)
        if not inside.startswith(os.pardir):
            return inside.replace(os.sep, "/")
    return file


def json_text(c: Comparison, utf8: bool) -> str:
    """``diff --format json``; all ASCII (``\\u2192``) unless written where UTF-8 goes."""
    return json.dumps(as_json(c), indent=2, ensure_ascii=not utf8) + "\n"


#: ``diff --format``: each format by name, and the text it prints for a comparison.
FORMATS: dict[str, Callable[[Comparison], str]] = {
    "text": text,
    "github": github,
    "markdown": comment,
    "json": lambda c: json_text(c, writes_utf8(sys.stdout)),
}


def for_file(name: str, c: Comparison) -> str:
    """What ``diff --output NAME=FILE`` writes: the comparison as ``--format NAME`` prints
    it, for a file written in UTF-8 whatever standard output takes (JSON not escaped)."""
    return json_text(c, utf8=True) if name == "json" else FORMATS[name](c)
