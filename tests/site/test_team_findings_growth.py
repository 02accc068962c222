"""A team's findings pages name each map once with how many findings of each kind it has
there; finding those counts must not scan all the team's findings again for each map (issue
18, 10,000 maps: a team with findings in every map made its pages quadratic)."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import FILE_START, Diagnostic, Severity
from journeymaps.site.pages import TeamPage
from journeymaps.site.source_links import SourceLinks
from journeymaps.templating import environment


class _Counted(list[Diagnostic]):
    """The team's findings, counting the items anything iterating over them is handed."""

    handed = 0

    def __iter__(self) -> Iterator[Diagnostic]:
        for d in super().__iter__():
            _Counted.handed += 1
            yield d


def _findings(maps: int) -> list[Diagnostic]:
    kinds = (Severity.ERROR, Severity.WARNING, Severity.WARNING)
    return [
        Diagnostic("missing-owner", "JM001", kind, f"maps/m{i:05}.yaml", FILE_START, "no owner", f"m{i}")
        for i in range(maps)
        for kind in kinds
    ]


def _page(team: TeamPage) -> str:
    macro = environment().get_template("_team_items.html").module.findings_by_map  # type: ignore[attr-defined]
    repo = SourceLinks("/project")
    return str(macro(team.findings, team, "h2", "../", repo, {}, lambda d: d.message))


def test_each_map_s_counts_are_said_once_under_its_name() -> None:
    team = TeamPage("support", "Support", None, findings=_findings(3))
    page = _page(team)
    assert page.count("1 error and 2 warnings") == 3
    for i in range(3):
        assert f"maps/m{i:05}.yaml" in page


def test_the_counts_take_work_in_proportion_to_the_findings() -> None:
    """1,000 maps of 3 findings: each map's counts took a scan of all 3,000 (3,000,000 items
    handed out); in proportion, a few passes over them."""
    team = TeamPage("support", "Support", None, findings=_Counted(_findings(1000)))
    _Counted.handed = 0
    page = _page(team)
    assert page.count("1 error and 2 warnings") == 1000
    assert _Counted.handed <= 5 * len(team.findings)
