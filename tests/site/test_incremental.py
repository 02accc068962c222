"""A rebuild renders only what changed, and its site is byte for byte the one a clean build
makes: through a sequence of edits (a map's text, a KPI's target, an opportunity's date, a
handoff's SLA, a map added, a map deleted, a stage renamed that another map is based on,
teams.yaml, a setting, a pain point's volume, a persona and its photo, the home page in
pages, the portfolio, teams and scorecard in pages, a step left a placeholder, a map broken
and fixed), the site built incrementally after each edit is compared with a clean build of
the same maps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PARSED_HOOK, ROOT, jm, serving
from journeymaps import loader
from journeymaps.project import Memo
from journeymaps.settings import load_settings
from journeymaps.site import registry, search
from journeymaps.site.build import BuildResult, build
from journeymaps.sources_kept import REWRITE_SHARE, KeptSources

TODAY = dt.date(2026, 11, 22)
SETTINGS = 'cost-per-contact = 12\nsite-title = "Acme journeys"\n'


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def folders(folder: Path) -> list[str]:
    """Every folder of a site (an emptied one left behind is a difference too)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def edit(path: Path, old: str, new: str, *, regex: bool = False) -> None:
    text = path.read_text("utf-8")
    changed = re.sub(old, new, text) if regex else text.replace(old, new, 1)
    assert changed != text, f"{old!r} not in {path}"
    path.write_text(changed, "utf-8")


def _new_project(folder: Path) -> Path:
    shutil.copytree(ROOT / "maps", folder / "project/maps")
    (folder / "project/journeymaps.toml").write_text(SETTINGS, "utf-8")
    return folder / "project"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The diagram cache a first build of the example maps fills, drawn once per module:
    each test's cache starts as a copy of it, so that its first build takes them from the
    cache as later builds do, rather than drawing the same ~12 diagrams again (~1 s of CPU
    a test). What a test's edits change is drawn in the test, as before; the tests about
    the cache itself start from an empty one (``empty_cache``)."""
    folder = tmp_path_factory.mktemp("drawn")
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("JOURNEYMAPS_CACHE", str(folder / "cache"))
        site_build(_new_project(folder), folder / "site")
    return folder / "cache"


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example maps in a project of their own, and an empty cache."""
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    return _new_project(tmp_path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: Path) -> Path:
    """The example maps in a project of their own, and a cache holding their diagrams."""
    shutil.copytree(drawn, tmp_path / "cache")
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    return _new_project(tmp_path)


def site_build(
    project: Path, out: Path, *, keep_broken: bool = False, memo: Memo | None = None
) -> BuildResult:
    settings = load_settings(project, None)
    return build(
        [project / "maps"], settings, project, out, today=TODAY, jobs=1, keep_broken=keep_broken, memo=memo
    )


MAPS = "maps/support"
#: Each edit, and a page it must show in the incremental site.
EDITS: list[tuple[str, Callable[[Path], None], str, str]] = [
    (
        "a step's text",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and "),
        "maps/billing-dispute.html",
        "Frowns and",
    ),
    (
        "a KPI's target (the scorecard)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "metric: fcr, current: 0.22, target: 0.50",
            "metric: fcr, current: 0.22, target: 0.65",
        ),
        "scorecard.html",
        "65%",
    ),
    (
        "an opportunity's date (the teams page)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "due: 2027-01-15", "due: 2027-02-17"),
        "teams.html",
        "2027-02-17",
    ),
    (
        "a handoff's SLA (the teams page and its diagram)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "sla: 1bd", "sla: 3bd"),
        "teams.html",
        "SLA 3 business days",
    ),
    (
        "a map added",
        lambda p: (p / MAPS / "billing-dispute-2.yaml").write_text(
            (p / MAPS / "billing-dispute.yaml")
            .read_text("utf-8")
            .replace("id: billing-dispute\n", "id: billing-dispute-2\n", 1)
            .replace("title: ", "title: Second ", 1),
            "utf-8",
        ),
        "maps/billing-dispute-2.html",
        "Second ",
    ),
    ("a map deleted", lambda p: (p / MAPS / "production-outage.yaml").unlink(), "index.html", "Second "),
    (
        "a stage renamed that another map is based on",
        lambda p: edit(p / MAPS / "admin-locked-out.yaml", r"\bdiscovery\b", "noticing", regex=True),
        "maps/admin-locked-out-future.html",
        "admin-locked-out",
    ),
    (
        "the title of a map another is based on",
        lambda p: edit(p / MAPS / "admin-locked-out.yaml", "\ntitle: ", "\ntitle: Retitled "),
        "maps/admin-locked-out-future.html",
        "Retitled ",
    ),
    (
        "the title of a future state",
        lambda p: edit(p / MAPS / "admin-locked-out-future.yaml", "\ntitle: ", "\ntitle: Renamed "),
        "maps/admin-locked-out.html",
        "Renamed ",
    ),
    (
        "teams.yaml",
        lambda p: edit(p / "maps/teams.yaml", "name: Customer Support (Tier 1)", "name: Frontline Support"),
        "maps/billing-dispute.html",
        "Frontline Support",
    ),
    (
        "a setting",
        lambda p: edit(p / "journeymaps.toml", "cost-per-contact = 12", "cost-per-contact = 30"),
        "portfolio.html",
        "Acme journeys",
    ),
    (
        "a pain point's volume (the money on the card and the portfolio)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "volume: 180", "volume: 1800"),
        "portfolio.html",
        "$388,800",  # 1,800 contacts a month x $18 x 12
    ),
    (
        "a persona's frustrations",
        lambda p: edit(p / "maps/personas.yaml", "Scripted answers", "Canned answers"),
        "personas.html",
        "Canned answers",
    ),
    (
        "a persona's photo: a new picture under the same name",
        lambda p: (p / "maps/personas/workspace-admin.png").write_bytes(
            (p / "maps/personas/workspace-admin.png").read_bytes() + b"another picture"
        ),
        "personas.html",
        "personas/",
    ),
    (
        "the home page in pages of two maps",
        lambda p: (p / "journeymaps.toml").write_text(
            (p / "journeymaps.toml").read_text("utf-8") + "maps-per-page = 2\n", "utf-8"
        ),
        "index-2.html",
        "(page 2 of 2)",
    ),
    (
        "the portfolio, teams and scorecard in pages of two rows",
        lambda p: (p / "journeymaps.toml").write_text(
            (p / "journeymaps.toml").read_text("utf-8") + "rows-per-page = 2\n", "utf-8"
        ),
        "portfolio-2.html",
        "(page 2 of ",
    ),
    (
        "a pain point's summary on a later page of the portfolio",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "summary: ", "summary: Sadly, "),
        "static/pains/finance.js",
        "Sadly, ",
    ),
    (
        "the title of a map on the second page",
        lambda p: edit(p / MAPS / "billing-dispute-2.yaml", "\ntitle: Second ", "\ntitle: Later "),
        "static/cards.js",
        "Later ",
    ),
    # Each page of a team's lists is rendered again only when what it shows changed (its
    # items as it words them): each kind of list, while in pages.
    (
        "a step's name (a team's steps in pages)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "Finance investigates the", "Finance checks the"),
        "maps/billing-dispute.html",
        "Finance checks the",
    ),
    (
        "an opportunity overdue now (a team's opportunities in pages)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "due: 2027-03-31", "due: 2026-10-01"),
        "teams/finance/opportunities-2.html",
        'class="badge error">overdue',
    ),
    (
        "a handoff's SLA (a team's handoffs in pages)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "sla: 5m", "sla: 15m"),
        "teams/support/handoffs-made-3.html",
        "SLA 15 minutes",
    ),
    (
        "a pain point's volume (a team's pains in pages, costliest first)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "volume: 1800", "volume: 2400"),
        "portfolio.html",
        "$518,400",  # 2,400 contacts a month x $18 x 12
    ),
    (
        "a KPI's current value (a team's KPIs and a metric across maps in pages)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml", "current: 0.22, target: 0.65", "current: 0.31, target: 0.65"
        ),
        "scorecard/teams/support/kpis-2.html",
        "31%",
    ),
    (
        "an opportunity's words and status (a cell of the matrix in pages)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "believe: Emailing account owners seven days",
            "believe: Emailing account admins seven days",
        ),
        "portfolio-high-impact-medium-effort-2.html",
        "Emailing account admins",
    ),
    (
        "a pain point's words further down the portfolio (its row alone)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "Seat true-ups appear", "Seat true-ups show up"),
        "static/pains/finance.js",
        "Seat true-ups show up",
    ),
    (
        "a pain point's volume further down the portfolio (its row alone)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "volume: 28\n", "volume: 27\n"),
        "static/pains/finance.js",
        '"27"',
    ),
    (
        "a stage renamed that another map is based on (in pages)",
        lambda p: edit(p / MAPS / "admin-locked-out.yaml", r"\bnoticing\b", "spotting", regex=True),
        "maps/admin-locked-out-future.html",
        "admin-locked-out",
    ),
    (
        "the portfolio, teams and scorecard whole again (their split pages gone)",
        lambda p: edit(p / "journeymaps.toml", "rows-per-page = 2\n", ""),
        "teams.html",
        '<section id="team-support"',
    ),
    # What serve keeps per map (each map's part of the teams, scorecard and portfolio
    # pages, and of the duplicate-id rule), changed alone:
    (
        "a stage's owner (the teams pages)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "name: Contact support\n    owner: support",
            "name: Contact support\n    owner: success",
        ),
        "teams.html",
        "Contact support",
    ),
    (
        "a KPI's owner (the scorecard's teams)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "metric: contacts, owner: finance, target: 20}",
            "metric: contacts, owner: support, target: 20}",
        ),
        "scorecard.html",
        "Billing dispute contacts",
    ),
    (
        "a pain point's severity (its rank in the portfolio)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml", "volume: 120\n    severity: 3", "volume: 120\n    severity: 5"
        ),
        "portfolio.html",
        "5/5",
    ),
    (
        "an opportunity's impact (its cell of the matrix)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "impact: medium\n    effort: low",
            "impact: low\n    effort: low",
        ),
        "portfolio.html",
        "One refund-timeline macro",
    ),
    (
        "an opportunity's owner (the teams pages, the matrix and the money by team)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "effort: low\n    owner: support",
            "effort: low\n    owner: success",
        ),
        "teams.html",
        "One refund-timeline macro",
    ),
    (
        "an id used twice in a map (a finding, on its team's page too)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "- id: refund-email", "- id: refund-issued"),
        "findings.html",
        "Step id &#39;refund-issued&#39; is already used",
    ),
    (
        "the id told apart again",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml",
            "- id: refund-issued\n        name: Refund confirmation",
            "- id: refund-email\n        name: Refund confirmation",
        ),
        "maps/billing-dispute.html",
        "Refund confirmation email",
    ),
    (
        "a step named TODO (a draft: its card and its opportunities on the portfolio marked)",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml", "name: Reads the billing email", "name: TODO reads"
        ),
        "portfolio.html",
        "draft map: 1 of ",
    ),
    (
        "the step written again",
        lambda p: edit(
            p / MAPS / "billing-dispute.yaml", "name: TODO reads", "name: Reads the billing email"
        ),
        "maps/billing-dispute.html",
        "Reads the billing email",
    ),
    (
        "a map broken (YAML error)",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "\ntitle: ", "\ntitle: [unclosed "),
        "index.html",
        "billing-dispute.yaml",
    ),
    (
        "the map fixed again",
        lambda p: edit(p / MAPS / "billing-dispute.yaml", "\ntitle: [unclosed ", "\ntitle: "),
        "maps/billing-dispute.html",
        "Frowns and",
    ),
]


#: Clean builds (a new folder, no memo) by the maps they were built from, kept for the
#: module: both ways of rebuilding below make the same edits to the same maps, so the second
#: compares its site with the clean builds the first made (a clean build is made from
#: nothing but the maps, the settings and the project's folder).
_CLEAN: dict[str, Path] = {}


def _clean_build(project: Path) -> Path:
    """A clean build of ``project`` as it is now: made, or one made of the same files."""
    files = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        if path.is_file():
            files.update(f"{path.relative_to(project).as_posix()}\0{path.stat().st_size}\0".encode())
            files.update(path.read_bytes())
    key = files.hexdigest()
    if key not in _CLEAN:
        clean = project.parent / f"clean-{key[:16]}"
        shutil.rmtree(clean, ignore_errors=True)  # one a failed build left
        site_build(project, clean)
        _CLEAN[key] = clean
    return _CLEAN[key]


@pytest.fixture
def same_place(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, project: Path) -> Path:
    """``project`` moved to a folder of the same name in each test of the module (removed
    first): the site's record of its inputs names the project's folder, and
    :func:`_clean_build` shares clean builds between tests."""
    folder = tmp_path_factory.getbasetemp() / "incremental-project"
    folder.mkdir(exist_ok=True)
    shutil.rmtree(folder / "project", ignore_errors=True)
    return Path(shutil.move(project, folder / "project"))


@pytest.mark.parametrize("serving", [False, True], ids=["build", "serve"])
def test_each_incremental_rebuild_is_byte_identical_to_a_clean_build(
    same_place: Path, tmp_path: Path, serving: bool
) -> None:
    """As ``serve`` builds: with a memo of parsed, validated and modelled files and of
    findings, kept from one build to the next, and a broken map keeping its previous page,
    marked broken (so that step alone differs from a clean build, by design)."""
    project, out = same_place, tmp_path / "site"
    keep_broken, memo = serving, Memo() if serving else None
    site_build(project, out, keep_broken=keep_broken, memo=memo)
    for what, change, page, shown in EDITS:
        change(project)
        result = site_build(project, out, keep_broken=keep_broken, memo=memo)
        assert not result.up_to_date, what
        assert shown in (out / page).read_text("utf-8"), what
        clean = _clean_build(project)
        if keep_broken and "broken" in what:
            continue
        incremental, expected = tree(out), tree(clean)
        assert sorted(incremental) == sorted(expected), what
        differing = [name for name in expected if incremental[name] != expected[name]]
        assert differing == [], f"after {what}: {differing}"
        assert folders(out) == folders(clean), what


def test_an_edit_to_one_map_renders_only_its_pages_again(project: Path, tmp_path: Path) -> None:
    """The pages of the maps that did not change, and the pages that do not show what
    changed, are the previous site's files (linked, not rendered again); the edited map's
    pages are new."""
    out = tmp_path / "site"
    site_build(project, out)
    before = {name: (out / name).stat().st_ino for name in tree(out)}
    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out)
    after = {name: (out / name).stat().st_ino for name in tree(out)}
    kept = {name for name in after if before.get(name) == after[name]}
    assert "maps/production-outage.html" in kept
    assert "maps/production-outage.canvas.html" in kept
    assert "diagrams/production-outage.journey.html" in kept
    assert "diagrams/production-outage.journey.svg" in kept
    # A step's text is on none of these: their inputs did not change
    unchanged = {"index.html", "portfolio.html", "personas.html", "findings.html", "format.html"}
    assert unchanged | {"teams.html", "scorecard.html", "diagrams/team-handoffs.svg"} <= kept
    assert "maps/billing-dispute.html" not in kept
    assert "maps/billing-dispute.canvas.html" not in kept
    assert "Frowns and" in (out / "maps/billing-dispute.html").read_text("utf-8")
    # The search index: the shards of the step's new words, "frowns" and "and"; not the
    # map's entries (their titles did not change), nor the shards of its other words
    searched = {name for name in after if name.startswith("static/search")}
    assert searched - kept == {"static/search/w/66-72.js", "static/search/w/61-6e.js"}, sorted(
        searched - kept
    )


def test_an_edit_renders_only_the_pages_of_a_team_s_lists_that_show_it(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's lists in pages (1,000 maps: ~570 pages) were rendered again, every one,
    when any map changed what a team shows. Now a page of them is the previous site's file
    unless what it lists changed: a step renamed renders the pages of steps it is on. An
    edit that changes nothing the teams pages show asks no page for its own digest."""
    config = project / "journeymaps.toml"
    config.write_text(config.read_text("utf-8") + "rows-per-page = 2\n", "utf-8")
    asked: list[str] = []

    def spied(kind: registry.PageType) -> registry.PageType:
        each = kind.shown_each
        if each is None:
            return kind
        return dataclasses.replace(kind, shown_each=lambda s, page: asked.append(page[0]) or each(s, page))

    monkeypatch.setattr(registry, "PAGES", [spied(kind) for kind in registry.PAGES])
    out = tmp_path / "site"
    site_build(project, out)
    lists = sorted(p.relative_to(out).as_posix() for p in out.glob("teams/*/*.html"))
    before = {name: (out / name).stat().st_ino for name in lists}

    def rebuilt(old: str, new: str) -> set[str]:
        """The lists' pages rendered again after ``old`` is edited to ``new``."""
        edit(project / MAPS / "billing-dispute.yaml", old, new)
        asked.clear()
        site_build(project, out)
        return {name for name in lists if (out / name).stat().st_ino != before[name]}

    # a step's text: no team's list, scorecard part or portfolio page shows it
    assert rebuilt("does: ", "does: Frowns and ") == set()
    assert asked == []
    rendered = rebuilt("Finance investigates the", "Finance checks the")
    assert set(lists) <= set(asked)
    showing = {name for name in lists if "Finance checks the" in (out / name).read_text("utf-8")}
    assert showing and all("/steps" in name for name in showing), showing
    assert rendered == showing, (sorted(rendered), sorted(showing))
    assert len(lists) > 10 * len(rendered), lists  # the other lists' pages, linked
    _same_as_clean(project, out, tmp_path / "clean")


def _cache(tmp_path: Path) -> dict[str, bytes]:
    return tree(tmp_path / "cache" / "diagrams")


@pytest.mark.parametrize("then", ["a map edited", "nothing changed"])
def test_a_site_file_edited_in_place_reaches_neither_the_cache_nor_the_next_site(
    empty_cache: Path, tmp_path: Path, then: str
) -> None:
    """Someone edits the built site by hand (a diagram and pages, in place, as an editor
    or ``>>`` does): the cache is untouched, and the next build, whether a map changed or
    nothing did, is again the site a clean build makes (an unchanged file used to be linked
    from the edited site, or the site called up to date)."""
    project, out = empty_cache, tmp_path / "site"
    site_build(project, out)
    cache = _cache(tmp_path)
    for name in (
        "diagrams/production-outage.journey.svg",
        "diagrams/production-outage.journey.html",
        "maps/production-outage.html",
        "index.html",
    ):
        with (out / name).open("ab") as f:  # the same file (inode), as an in-place edit
            f.write(b"<script>alert(1)</script>")
    assert _cache(tmp_path) == cache
    if then == "a map edited":
        edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    result = site_build(project, out)
    assert not result.up_to_date
    assert {name: data for name, data in _cache(tmp_path).items() if name in cache} == cache
    clean = tmp_path / "clean"
    site_build(project, clean)
    incremental, expected = tree(out), tree(clean)
    assert sorted(incremental) == sorted(expected)
    assert [name for name in expected if incremental[name] != expected[name]] == []


@pytest.mark.parametrize("serving", [False, True], ids=["build", "serve"])
def test_a_map_edit_that_splits_the_teams_page_relinks_every_owner(
    project: Path, tmp_path: Path, serving: bool
) -> None:
    """Map pages link owners to where the team is shown (teams.html#team-x, or teams/x.html
    once the teams page is split), so whether it is split is part of every map page's
    inputs: a map added past ``rows-per-page`` team items splits it, and the unchanged
    maps' pages are rendered again with the new links, as a clean build makes them."""
    from journeymaps.lint import lint
    from journeymaps.site import pages
    from journeymaps.site.site_data import _team_items

    settings = load_settings(project, None)
    report = lint([project / "maps"], settings, TODAY, project)
    assert report.project is not None
    ranked = pages.ranked_pains(report.project.maps, settings)  # each team's pain points count too
    teams = pages.team_pages(report.project, report.diagnostics, TODAY, ranked=ranked)
    items = sum(_team_items(t) for t in teams)
    config = project / "journeymaps.toml"
    config.write_text(config.read_text("utf-8") + f"rows-per-page = {items}\n", "utf-8")  # not split yet
    out = tmp_path / "site"
    memo = Memo() if serving else None
    site_build(project, out, keep_broken=serving, memo=memo)
    assert not (out / "teams").exists()
    assert 'href="../teams.html#team-' in (out / "maps/production-outage.html").read_text("utf-8")
    (project / MAPS / "billing-dispute-2.yaml").write_text(
        (project / MAPS / "billing-dispute.yaml")
        .read_text("utf-8")
        .replace("id: billing-dispute\n", "id: b2\n"),
        "utf-8",
    )
    site_build(project, out, keep_broken=serving, memo=memo)
    assert (out / "teams").is_dir()  # split now
    page = (out / "maps/production-outage.html").read_text("utf-8")
    assert 'href="../teams/' in page and "teams.html#team-" not in page
    clean = tmp_path / "clean"
    site_build(project, clean)
    incremental, expected = tree(out), tree(clean)
    assert sorted(incremental) == sorted(expected)
    assert [name for name in expected if incremental[name] != expected[name]] == []


def _hidden(tmp_path: Path) -> list[str]:
    """The hidden folders beside the site (staging folders, serve's spare site)."""
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site."))


def _same_as_clean(project: Path, out: Path, clean: Path) -> None:
    site_build(project, clean)
    incremental, expected = tree(out), tree(clean)
    assert sorted(incremental) == sorted(expected)
    assert [name for name in expected if incremental[name] != expected[name]] == []
    assert folders(out) == folders(clean)


def test_serve_brings_the_spare_site_up_to_date_instead_of_making_a_new_one(
    project: Path, tmp_path: Path
) -> None:
    """serve keeps the site a rebuild replaces, hidden, and the next rebuild brings it up
    to date (an unchanged page is the served page's other name, not linked again); the
    spare goes when serve stops."""
    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    for word in ("Frowns", "Smiles", "Shrugs"):
        edit(project / MAPS / "billing-dispute.yaml", "does: ", f"does: {word} and ")
        site_build(project, out, keep_broken=True, memo=memo)
    (spare,) = _hidden(tmp_path)
    unchanged = "maps/production-outage.html"
    assert (tmp_path / spare / unchanged).stat().st_ino == (out / unchanged).stat().st_ino
    assert "Shrugs and" not in (tmp_path / spare / "maps/billing-dispute.html").read_text("utf-8")
    _same_as_clean(project, out, tmp_path / "clean")
    memo.spares.close()
    assert _hidden(tmp_path) == []


def test_a_build_from_elsewhere_between_two_serve_rebuilds_throws_the_spare_away(
    project: Path, tmp_path: Path
) -> None:
    """``journeymaps build`` run in another terminal replaces the served site: the spare
    is no longer the site before it, and using it would bring back what that build changed."""
    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out, keep_broken=True, memo=memo)  # the first site is the spare now
    edit(project / MAPS / "production-outage.yaml", "\ntitle: ", "\ntitle: Elsewhere ")
    site_build(project, out)  # another process, no memo
    edit(project / MAPS / "admin-locked-out.yaml", "\ntitle: ", "\ntitle: Later ")
    site_build(project, out, keep_broken=True, memo=memo)
    assert "Elsewhere " in (out / "maps/production-outage.html").read_text("utf-8")
    _same_as_clean(project, out, tmp_path / "clean")


def test_a_rebuild_that_fails_in_the_spare_leaves_the_served_site_whole_and_the_next_one_right(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that fails after it has written into the spare (a full disk) leaves the
    served site as it was; the spare, half brought up to date, is thrown away: reused, it
    would show the failed rebuild's page once the edit is undone."""
    from journeymaps.site import build as build_module

    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out, keep_broken=True, memo=memo)
    edit(project / MAPS / "production-outage.yaml", "\ntitle: ", "\ntitle: Retitled ")
    site_build(project, out, keep_broken=True, memo=memo)  # billing-dispute's page: one file in both
    served = tree(out)
    edit(project / MAPS / "billing-dispute.yaml", "does: Frowns and ", "does: Failed and ")

    def full_disk(*args: object) -> None:  # once every page is written
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "keep_broken_pages", full_disk)
        with pytest.raises(OSError, match="No space"):
            site_build(project, out, keep_broken=True, memo=memo)
    assert tree(out) == served
    assert _hidden(tmp_path) == []
    edit(project / MAPS / "billing-dispute.yaml", "does: Failed and ", "does: Frowns and ")  # undone
    edit(project / MAPS / "admin-locked-out.yaml", "\ntitle: ", "\ntitle: Later ")
    site_build(project, out, keep_broken=True, memo=memo)
    assert "Failed and" not in (out / "maps/billing-dispute.html").read_text("utf-8")
    _same_as_clean(project, out, tmp_path / "clean")


def test_serve_makes_its_first_spare_while_idle_and_the_first_edit_uses_it(
    project: Path, tmp_path: Path
) -> None:
    """The first edit after serve started had no spare and linked every file into a new
    folder (the slowest edit: 1.9-2.4 s at 1,000 maps). A spare made of hard links to the
    served files, in the background after the first build, is brought up to date instead."""
    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    assert _hidden(tmp_path) == []
    memo.spares.prepare(out.resolve())
    memo.spares.wait()
    (spare,) = _hidden(tmp_path)
    served = {rel: (out / rel).stat().st_ino for rel in tree(out)}
    assert {rel: (tmp_path / spare / rel).stat().st_ino for rel in tree(tmp_path / spare)} == served
    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out, keep_broken=True, memo=memo)
    # Swapped in under its hidden name's exchange: the same hidden name now holds the site
    # replaced (a new staging folder would have left another name).
    assert _hidden(tmp_path) == [spare]
    assert "Frowns and" in (out / "maps/billing-dispute.html").read_text("utf-8")
    assert "Frowns and" not in (tmp_path / spare / "maps/billing-dispute.html").read_text("utf-8")
    _same_as_clean(project, out, tmp_path / "clean")
    memo.spares.close()
    assert _hidden(tmp_path) == []


def test_serve_starting_on_an_up_to_date_site_prepares_what_the_first_edit_needs(
    project: Path, tmp_path: Path
) -> None:
    """serve starting on an up-to-date site read the maps but computed nothing the pages make
    of them: its first edit computed it all for every map (the slowest edit). It is computed
    as serve starts, and the edits after it give the site a clean build makes."""
    out, memo = tmp_path / "site", Memo()
    site_build(project, out)
    assert site_build(project, out, keep_broken=True, memo=memo).up_to_date
    made = {what for what, _ in memo.derived}
    assert {
        "ranked",
        "money groups",
        "matrix shown",
        "card shown",
        "teams shown",
        "scorecard shown",
        "titled",
        "handoffs",
        "search",
    } <= made
    for old, new in (("volume: 180", "volume: 1800"), ("impact: high", "impact: low")):
        edit(project / MAPS / "billing-dispute.yaml", old, new)
        site_build(project, out, keep_broken=True, memo=memo)
        _same_as_clean(project, out, tmp_path / f"clean-{new}")


def test_a_stop_landing_as_a_rebuild_takes_the_spare_leaves_nothing_hidden(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C or SIGTERM landing while a rebuild took the spare (after it left the spares,
    before the rebuild held it) lost it: neither the spares' to remove when serve stops,
    nor the rebuild's to throw away, it stayed beside the site (seen once as a hidden
    .site.new-… after SIGTERM under load)."""
    import os
    import signal

    from journeymaps.site import spare as spare_module

    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out, keep_broken=True, memo=memo)
    assert len(_hidden(tmp_path)) == 1  # the spare
    identity = spare_module.identity

    def stopped_while_checking(target: Path) -> object:
        os.kill(os.getpid(), signal.SIGINT)  # delivered at the next line Python runs
        return identity(target)

    edit(project / MAPS / "billing-dispute.yaml", "does: Frowns and ", "does: Smiles and ")
    with monkeypatch.context() as patched:
        patched.setattr(spare_module, "identity", stopped_while_checking)
        with pytest.raises(KeyboardInterrupt):
            site_build(project, out, keep_broken=True, memo=memo)
    memo.spares.close()  # serve stopping
    assert _hidden(tmp_path) == []
    assert "Frowns and" in (out / "maps/billing-dispute.html").read_text("utf-8")  # served site whole


def test_a_photo_saved_while_the_pages_are_made_is_published_by_the_next_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages read a persona's photo, then the site's record of what it shows read the
    file again: a photo saved in between was recorded and never shown, and every build after
    it called the site up to date, with the old photo (serve sees the save, rebuilds, and
    finds nothing to do). The record is of the image the pages show."""
    import struct
    import zlib

    import journeymaps.site.site_data as site_data

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes((200, 30, 30)) * 16 for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    other = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    out = tmp_path / "site"
    site_build(project, out)
    photo = project / "maps/personas/workspace-admin.png"
    read = site_data.load_photo

    def saved_right_after(written: str, root: Path) -> object:
        found = read(written, root)
        photo.write_bytes(other)  # the editor's save lands as the pages are made
        return found

    edit(project / "maps/personas.yaml", "name: Workspace admin", "name: Workspace lead")
    monkeypatch.setattr(site_data, "load_photo", saved_right_after)
    site_build(project, out)
    monkeypatch.undo()
    assert not site_build(project, out).up_to_date  # the photo the site shows is not the file's
    clean = tmp_path / "clean"
    site_build(project, clean)
    assert tree(out) == tree(clean)


def test_serve_keeps_the_files_added_to_the_site_by_hand(project: Path, tmp_path: Path) -> None:
    """``serve`` rebuilding after each edit removed a ``CNAME`` added to the served site
    (and kept no file of its own a user put there); one the user removes stays removed,
    though the spare site still holds it."""
    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    (out / "CNAME").write_bytes(b"journeys.example.com\n")
    (out / "gone.txt").write_bytes(b"for a while\n")
    for word in ("Frowns", "Smiles", "Shrugs"):
        edit(project / MAPS / "billing-dispute.yaml", "does: ", f"does: {word} and ")
        assert not site_build(project, out, keep_broken=True, memo=memo).up_to_date
        assert (out / "CNAME").read_bytes() == b"journeys.example.com\n"
        (out / "gone.txt").unlink(missing_ok=True)
    assert not (out / "gone.txt").exists()
    # replaced, as an editor saves (a new file renamed over it): the spare's is the old one
    (out / "CNAME.new").write_bytes(b"maps.example.com\n")
    (out / "CNAME.new").replace(out / "CNAME")
    for word in ("Nods", "Waves"):
        edit(project / MAPS / "billing-dispute.yaml", "does: ", f"does: {word} and ")
        site_build(project, out, keep_broken=True, memo=memo)
        assert (out / "CNAME").read_bytes() == b"maps.example.com\n"
    memo.spares.close()


def test_serve_keeps_an_empty_folder_made_in_the_site_by_hand(project: Path, tmp_path: Path) -> None:
    """``mkdir site/.well-known`` while ``serve`` ran: the next rebuild dropped the folder (a
    file is kept, an empty folder was not). It stays through every rebuild, the spare's
    turns included; one the user removes stays removed."""
    out, memo = tmp_path / "site", Memo()
    site_build(project, out, keep_broken=True, memo=memo)
    (out / ".well-known").mkdir()
    (out / "maps" / "drafts").mkdir()
    (out / "gone").mkdir()
    for word in ("Frowns", "Smiles", "Shrugs"):
        edit(project / MAPS / "billing-dispute.yaml", "does: ", f"does: {word} and ")
        assert not site_build(project, out, keep_broken=True, memo=memo).up_to_date
        assert (out / ".well-known").is_dir() and (out / "maps" / "drafts").is_dir()
        if (out / "gone").is_dir():
            (out / "gone").rmdir()
    assert not (out / "gone").exists()
    memo.spares.close()


@pytest.mark.parametrize(
    "page", ["../outside/notes.txt", "/PLACE/outside/notes.txt", "maps/./../../outside/notes.txt"]
)
def test_a_marker_edited_to_lead_out_of_the_site_writes_nothing_there(
    project: Path, tmp_path: Path, page: str
) -> None:
    """``serve`` keeps a broken map's last page, found by the marker's list of each map's
    pages: a marker edited to list ``../outside/notes.txt`` (a site folder committed to
    the repository, changed in a pull request) had the next rebuild copy that file into the
    site and write the page over it, outside the site. Such a marker is no build's."""
    out, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_bytes(b"mine\n")
    site_build(project, out, keep_broken=True)
    marker = out / ".journeymaps-site"
    data = json.loads(marker.read_text("utf-8"))
    listed = page.replace("/PLACE", str(tmp_path))
    data["pages_of"][f"{MAPS}/billing-dispute.yaml"] = [listed, "maps/billing-dispute.html"]
    marker.write_text(json.dumps(data), "utf-8")
    edit(project / MAPS / "billing-dispute.yaml", "id: billing-dispute", "id: [billing-dispute")

    result = site_build(project, out, keep_broken=True)

    assert result.summary.broken
    assert (outside / "notes.txt").read_bytes() == b"mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "outside", "project", "site"]


def test_a_kept_page_replaced_by_a_link_out_of_the_site_is_not_followed(
    project: Path, tmp_path: Path
) -> None:
    """``serve`` keeps a broken map's last page and diagrams: one replaced by a link (to a
    private key, in a site folder a pull request changed) was followed, and the file it led
    to copied into the site as the map's page and diagram, for the next deploy to publish."""
    out, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "id_rsa").write_bytes(b"PRIVATE KEY\n")
    site_build(project, out, keep_broken=True)
    for rel in ("maps/billing-dispute.html", "diagrams/billing-dispute.journey.svg"):
        (out / rel).unlink()
        (out / rel).symlink_to(outside / "id_rsa")
    edit(project / MAPS / "billing-dispute.yaml", "id: billing-dispute", "id: [billing-dispute")

    result = site_build(project, out, keep_broken=True)

    assert result.summary.broken
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and not [p for p in files if b"PRIVATE KEY" in p.read_bytes()]


def test_a_rebuild_parses_and_indexes_only_the_changed_file(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``journeymaps build`` parsed every file again after one map's edit, and (its diagrams
    all in the cache, so no worker made them) every map's part of the search index: on
    1,000 realistic maps ~1.3 s and ~1 s of a ~5.7 s rebuild (issue 18). What a build parsed
    and validated, and each map's part, are kept for the next build of the site: the edited
    file alone is parsed and indexed again (the site is a clean build's: the test of each
    edit above). Another site of the same maps has none kept yet."""
    out = tmp_path / "site"
    site_build(project, out)
    parsed: list[str] = []
    indexed: list[str] = []
    parse, index = loader.from_bytes, search.map_index
    monkeypatch.setattr(
        loader, "from_bytes", lambda path, *rest: parsed.append(path.name) or parse(path, *rest)
    )
    monkeypatch.setattr(search, "map_index", lambda m, was=None: indexed.append(m.id) or index(m, was))
    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out)
    assert (parsed, indexed) == (["billing-dispute.yaml"], ["billing-dispute"])
    assert "Frowns and" in (out / "maps/billing-dispute.html").read_text("utf-8")
    assert "frowns" in (out / "static/search/w/66-72.js").read_text("utf-8")
    parsed.clear()
    indexed.clear()
    site_build(project, tmp_path / "other")
    assert sorted(parsed) == sorted(path.name for path in (project / "maps").rglob("*.yaml"))
    assert sorted(indexed) == sorted(path.stem for path in (project / MAPS).glob("*.yaml"))


def test_a_build_after_a_few_edits_among_many_files_does_not_write_the_kept_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one map's edit among 1,000 a build wrote every parsed file to the cache again
    (~45 MB, ~0.25 s of a ~4 s rebuild). As lint's, the kept file is written again once one
    file in REWRITE_SHARE was parsed anew: until then the next builds parse the few edited
    files again (~1.5 ms each), and every site is a clean build's."""
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixture", project)
    text = (project / "maps/refund.yaml").read_text("utf-8")
    (project / "maps/refund.yaml").unlink()
    names = [f"refund-{i:02}.yaml" for i in range(2 * REWRITE_SHARE)]
    for i, name in enumerate(names):
        (project / "maps" / name).write_text(text.replace("id: refund", f"id: refund-{i}", 1), "utf-8")
    out = tmp_path / "site"
    site_build(project, out)
    kept = KeptSources(out).path
    written = kept.read_bytes()
    parsed: list[str] = []
    parse = loader.from_bytes
    monkeypatch.setattr(
        loader, "from_bytes", lambda path, *rest: parsed.append(path.name) or parse(path, *rest)
    )

    def edit_and_build(*edited: str) -> list[str]:
        for name in edited:
            edit(project / "maps" / name, "\ntitle: ", "\ntitle: Edited ")
        parsed.clear()
        site_build(project, out)
        return sorted(parsed)

    assert edit_and_build(names[0]) == [names[0]]
    assert kept.read_bytes() == written  # one new file in 41: not written again
    assert edit_and_build(names[1]) == names[:2]  # the first edit's file parsed again
    assert kept.read_bytes() == written
    _same_as_clean(project, out, tmp_path / "clean")
    assert edit_and_build(names[2]) == names[:3]  # 3 new files in 41: written
    assert kept.read_bytes() != written
    assert edit_and_build(names[3]) == [names[3]]  # the three before it were kept


def test_serve_starting_on_an_up_to_date_site_takes_the_search_parts_the_build_kept(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve`` started on a site ``build`` made renders nothing but computes what each map
    gives the pages, for its first edit: it made every map's part of the search index (on
    1,000 realistic maps ~1.5 s of a ~3.5 s start). It takes the parts the build kept, and
    the site after the first edit is a clean build's."""
    out = tmp_path / "site"
    site_build(project, out)
    indexed: list[str] = []
    index = search.map_index
    monkeypatch.setattr(search, "map_index", lambda m, was=None: indexed.append(m.id) or index(m, was))
    memo = KeptSources(out).memo()  # as serve starts
    assert site_build(project, out, memo=memo).up_to_date
    assert indexed == []
    assert sum(what == "search" for what, _ in memo.derived) == len(list((project / MAPS).glob("*.yaml")))

    edit(project / MAPS / "billing-dispute.yaml", "does: ", "does: Frowns and ")
    site_build(project, out, memo=memo)
    assert indexed == ["billing-dispute"]
    site_build(project, tmp_path / "clean")
    assert tree(out) == tree(tmp_path / "clean")


def test_the_first_build_of_a_day_indexes_no_map_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new day rebuilds every page (staleness is judged as of it), but no map's part of the
    search index depends on the date: the first build of each day made them all again (on
    1,000 realistic maps ~1.3 s of the main thread). They are kept under a key without the
    date, and the site is a clean build's of that day."""
    out = tmp_path / "site"
    site_build(project, out)
    indexed: list[str] = []
    index = search.map_index
    monkeypatch.setattr(search, "map_index", lambda m, was=None: indexed.append(m.id) or index(m, was))
    settings = load_settings(project, None)
    tomorrow = TODAY + dt.timedelta(days=1)
    result = build([project / "maps"], settings, project, out, today=tomorrow, jobs=1)
    assert "date changed" in " ".join(result.reasons)
    assert indexed == []
    build([project / "maps"], settings, project, tmp_path / "clean", today=tomorrow, jobs=1)
    assert sorted(indexed) == sorted(path.stem for path in (project / MAPS).glob("*.yaml"))
    assert tree(out) == tree(tmp_path / "clean")


@pytest.mark.parametrize("built", [True, False], ids=["after-a-build", "first"])
def test_serve_starts_from_the_files_the_last_build_parsed(
    tmp_path: Path, fixture_cache: Path, built: bool
) -> None:
    """``journeymaps serve`` on the site ``journeymaps build`` made lints every file before
    it serves (to prepare the first edit): it parses none of them again, the build having
    kept them (on 1,000 realistic maps ~1.3 s of waiting, issue 18). Without a build before,
    it parses them all."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "site" / "fixture", project)
    env = {"JOURNEYMAPS_CACHE": str(fixture_cache)}
    if built:
        assert jm(project, "build", env=env).returncode == 0
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PARSED_HOOK, "utf-8")
    log = tmp_path / "parsed"
    with serving(project, env={**env, "PYTHONPATH": str(hook), "PARSED_LOG": str(log)}) as served:
        assert "Serving" in served.first
    parsed = set(log.read_text("utf-8").split()) if log.exists() else set()
    assert parsed == (set() if built else {"refund.yaml", "teams.yaml"})
