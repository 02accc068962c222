"""The findings page: every finding by rule and by team; past ``rows-per-page``, each rule's
in numbered pages."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Diagnostic
from journeymaps.rules import all_rules
from journeymaps.site import pages, paging
from journeymaps.site.page_types.teams import teams_are_split
from journeymaps.site.site_data import Page, SiteData


def _findings_inputs(s: SiteData) -> str:
    """Every finding, and those of each team (by the owner of the map they are in), with
    where each team's findings are listed (on the teams page, or a team's own page)."""
    teams = [(t.team_id, t.name) for t in s.team_pages if t.findings]
    return s.inputs_key(s.findings_owned, teams, s.settings.rows_per_page, teams_are_split(s))


def _by_rule(s: SiteData) -> dict[str, list[Diagnostic]]:
    """Each rule's findings, the rules with errors first, then those with warnings, then
    notes (nine notes listed first put the page's warnings out of sight), each group in the
    order of the rules' codes."""
    rules = all_rules()
    found: dict[str, list[Diagnostic]] = {}
    for d in s.diagnostics:
        found.setdefault(d.rule, []).append(d)
    return dict(
        sorted(found.items(), key=lambda kv: (min(d.severity.rank for d in kv[1]), rules[kv[0]].code))
    )


def _findings_paths(s: SiteData) -> list[str]:
    """findings.html; past ``rows-per-page`` findings, each rule's numbered pages too."""
    cap = s.settings.rows_per_page
    if len(s.diagnostics) <= cap:
        return ["findings.html"]
    rule_pages = [
        f"findings/{paging.page_path(n, rule)}"
        for rule, found in _by_rule(s).items()
        for n in range(1, paging.page_count(len(found), cap) + 1)
    ]
    return ["findings.html", *rule_pages]


def findings(s: SiteData) -> Iterator[Page]:
    """Every finding by rule and by team; past ``rows-per-page`` findings, an overview of
    each rule's and each team's counts, each rule's findings in numbered pages
    (findings/<rule>.html, findings/<rule>-2.html...) and each team's on its team page."""
    by_rule = _by_rule(s)
    cap = s.settings.rows_per_page
    split = len(s.diagnostics) > cap
    yield (
        "findings.html",
        "findings.html",
        {
            "by_rule": by_rule,
            "by_team": s.team_pages,
            "diagnostics": s.diagnostics,
            "counts": pages.counts(s.diagnostics),
            "split": split,
            "teams_split": teams_are_split(s),
        },
    )
    if not split:
        return
    rules = all_rules()
    for rule, found in by_rule.items():
        for pager, chunk in paging.paged(found, cap, rule):
            yield (
                f"findings/{paging.page_path(pager.number, rule)}",
                "findings-rule.html",
                {"r": rules[rule], "name": rule, "items": chunk, "total": len(found), "pager": pager},
            )
