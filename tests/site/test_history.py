"""The site's "What changed" page and each map's section of it, built from a real git history."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from history_repo import DANA, MARCO, PRIYA, ROOT, git

from conftest import BASE, TEAMS
from in_process import jm_here


def visible(page: Path) -> str:
    """A page's main text as a reader sees it: tags dropped, entities decoded, spaces folded."""
    text = page.read_text()
    main = text[text.index("<main") : text.index("</main>")]
    main = re.sub(r'<time class="date"[^>]*>([^<]*)</time>', r"\1", main)  # inline: no space around it
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def raw_of(project: Path) -> str:
    return (project / "site" / "changes.html").read_text()


def test_a_quarter_of_the_examples_history(quarter: Path) -> None:
    page = visible(quarter / "site" / "changes.html")
    assert (
        "From 14 Aug 2026 to 12 Nov 2026 , the 90 days up to the latest change : 6 edits to the maps" in page
    )
    assert "compared here with the maps as they were on 12 Aug 2026 ." in page
    # a pain point opened, then the one resolved by the opportunity that shipped, with who and when
    assert (
        "pain point added: “Customers who hear nothing for a week file chargebacks and often churn.” "
        "(emotional, severity 5, 14 contacts/month) at “Chargeback (customer gives up)” 8 Oct 2026 · Marco Rossi"
    ) in page
    assert (
        "pain point resolved by “Attaching the invoice PDF to the invoice email”: “The invoice email linked to "
        "a PDF that needed a login billing contacts did not have.” at “Invoice review” 15 Sep 2026 · Priya Shah"
    ) in page
    assert "opportunity “Attaching the invoice PDF to the invoice email”: in progress → shipped" in page
    assert "no KPI named to check it against" in page  # the example has a signal, no KPI
    assert "open → mitigated 20 Oct 2026 · Dana Kim" in page
    assert (
        "owner of stage “Invoice review”: Customer Support (Tier 1) → Finance 3 Sep 2026 · Marco Rossi"
        in page
    )
    # its step that inherits the stage's owner is not listed again, as reassigned by itself
    assert "owner of step “Reads the billing email”" not in page
    assert "emotion at stage “Invoice review”: -3 → -2 29 Sep 2026 · Dana Kim" in page
    assert "stage added: “Chargeback (customer gives up)”" in page
    assert "maps/billing/billing-dispute.yaml (moved from maps/support/billing-dispute.yaml" in page
    counts = {
        words: int(n) for n, words in re.findall(r"<strong>(\d+)</strong> ([a-z ]+)</li>", raw_of(quarter))
    }
    assert counts == {  # each in its number ("1 pain points opened" read as a slip)
        "pain point opened": 1,
        "pain point resolved": 1,
        "pain point mitigated": 1,
        "opportunity shipped": 1,
        # the stage's and the pain point's; not again for the step inheriting the stage's owner
        "owners changed": 2,
        "emotion changed": 1,
        "stage added or removed": 1,
    }  # no "0 maps added": what did not change is not counted
    assert "Admin locked out" not in page  # unchanged maps are not listed
    raw = (quarter / "site" / "changes.html").read_text()
    assert 'href="maps/billing-dispute.html#pain-chargeback-after-silence"' in raw
    assert "The history is" not in page  # the whole period is in the repository


def test_each_map_page_says_what_changed_to_it(quarter: Path) -> None:
    page = visible(quarter / "site" / "maps" / "billing-dispute.html")
    section = page[page.index("What changed since 14 Aug 2026") :]
    assert "Pain points resolved (1)" in section
    assert "15 Sep 2026 · Priya Shah" in section
    assert "6 commits touched this map" in section
    raw = (quarter / "site" / "maps" / "billing-dispute.html").read_text()
    assert 'href="#stage-chargeback"' in raw  # the change leads to its section of the page
    other = visible(quarter / "site" / "maps" / "admin-locked-out.html")
    assert (
        "No change to this map from 14 Aug 2026 to 12 Nov 2026 , the 90 days up to the latest change" in other
    )


def test_the_period_comes_from_the_settings_and_the_option(quarter: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(quarter, project, symlinks=True, ignore=shutil.ignore_patterns("site"))
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm_here(project, "build", "--history-days", "30", env=env).returncode == 0
    page = visible(project / "site" / "changes.html")
    assert "From 13 Oct 2026 to 12 Nov 2026 , the 30 days" in page
    assert "open → mitigated 20 Oct 2026" in page
    assert "chargebacks" not in page  # 2026-10-08: before the period
    settings = project / "journeymaps.toml"  # a working-tree edit of the settings: not a commit
    settings.write_text("history-days = 45\n" + settings.read_text())
    assert jm_here(project, "build", env=env).returncode == 0
    page = visible(project / "site" / "changes.html")
    assert "From 28 Sep 2026 to 12 Nov 2026 , the 45 days" in page
    assert "-3 → -2 29 Sep 2026" in page and "resolved by" not in page
    (project / "journeymaps.toml").write_text("history-days = 0\n")
    result = jm_here(project, "build", env=env)
    assert result.returncode == 2
    assert "journeymaps.toml:1:16:" in result.stdout + result.stderr
    assert "history-days" in result.stdout + result.stderr


def test_the_page_depends_on_the_commits_not_the_clock(quarter: Path, tmp_path: Path) -> None:
    pages = []
    for day, epoch in (("a", "1790000000"), ("b", "1800000000")):
        out = tmp_path / day
        env = {"SOURCE_DATE_EPOCH": epoch, "JOURNEYMAPS_CACHE": str(tmp_path / f"cache-{day}")}
        assert jm_here(quarter, "build", "-o", str(out), env=env).returncode == 0
        pages.append(visible(out / "changes.html"))
    assert pages[0] == pages[1]
    again = tmp_path / "again"
    assert (
        jm_here(
            quarter, "build", "-o", str(again), env={"JOURNEYMAPS_CACHE": str(tmp_path / "c2")}
        ).returncode
        == 0
    )
    assert (again / "changes.html").read_bytes() == (quarter / "site" / "changes.html").read_bytes()


def test_a_new_commit_builds_the_site_again(quarter: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(quarter, project, symlinks=True)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm_here(project, "build", env=env).returncode == 0  # here: the settings' folder is another
    assert "is up to date" in jm_here(project, "build", env=env).stdout
    (project / "NOTES.md").write_text("Quarterly review notes\n")
    git(project, "add", "NOTES.md")
    git(project, "commit", "-q", "-m", "Notes", who=DANA, when="2026-12-01T09:00:00+00:00")
    result = jm_here(project, "build", env=env)
    assert "Building site/: commits changed" in result.stdout
    page = visible(project / "site" / "changes.html")
    assert "From 2 Sep 2026 to 1 Dec 2026" in page  # the period follows the latest commit


def test_uncommitted_map_changes_are_said(quarter: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(quarter, project, symlinks=True, ignore=shutil.ignore_patterns("site"))
    path = project / "maps" / "support" / "production-outage.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Major ", 1))
    assert jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}).returncode == 0
    page = visible(project / "site" / "changes.html")
    assert "1 map file changed but not committed yet (maps/support/production-outage.yaml)" in page


def test_not_a_git_repository(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    result = jm_here(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    page = visible(tmp_path / "site" / "changes.html")
    assert "This project is not in a git repository, so there is no history to compare." in page
    assert "not in a git repository" in visible(tmp_path / "site" / "maps" / "billing-dispute.html")


def test_a_repository_without_commits(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    git(tmp_path, "init", "-q", "-b", "main")
    result = jm_here(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    assert "The git repository has no commits yet" in visible(tmp_path / "site" / "changes.html")


def test_a_shallow_clone_says_the_history_is_incomplete(quarter: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "3", f"file://{quarter}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = jm_here(clone, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    page = visible(clone / "site" / "changes.html")
    assert "The history is incomplete. This is a shallow clone: its oldest commit is from 8 Oct 2026" in page
    assert "git fetch --unshallow" in page
    assert "open → mitigated 20 Oct 2026 · Dana Kim" in page  # what the clone holds is still shown
    assert "in progress → shipped" not in page  # 2026-09-15: not in the clone


@pytest.fixture
def small(tmp_path: Path) -> Path:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text(TEAMS)
    return tmp_path


def commit_map(project: Path, text: str, when: str, message: str, name: str = "m.yaml") -> None:
    (project / "maps" / name).write_text(text)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, who=PRIYA, when=when)


def test_a_map_that_did_not_parse_at_the_start_of_the_period(small: Path) -> None:
    git(small, "init", "-q", "-b", "main")
    commit_map(small, "id: m\ntitle: [broken\n", "2026-04-01T09:00:00+00:00", "half-written map")
    commit_map(small, "id: n\ntitle: {x\n", "2026-04-01T09:00:00+00:00", "another", name="n.yaml")
    commit_map(small, BASE, "2026-08-20T09:00:00+00:00", "m written properly")
    result = jm_here(small, "build")
    assert result.returncode == 1  # n.yaml is still broken: the build says so, as before
    page = visible(small / "site" / "changes.html")
    assert "Loads again in the latest commit (was broken in the commit before the period: yaml-syntax" in page
    assert "maps/n.yaml" not in page  # broken at both ends and untouched: nothing changed
    commit_map(small, "id: n\ntitle: {y\n", "2026-08-21T09:00:00+00:00", "still broken", name="n.yaml")
    assert jm_here(small, "build").returncode == 1
    page = visible(small / "site" / "changes.html")
    assert "maps/n.yaml:2:8: yaml-syntax: this '{' is never closed" in page


def test_hostile_history_is_shown_as_text(small: Path) -> None:
    """Links to /etc/passwd and out of the tree, a name with a newline, control and direction
    characters and markup in commit messages: nothing followed, nothing executed."""
    git(small, "init", "-q", "-b", "main")
    (small / "maps" / "passwd.yaml").symlink_to("/etc/passwd")
    (small / "maps" / "up").symlink_to("../../../../etc")
    (small / "maps" / "new\nline.yaml").write_text(BASE.replace("id: m", "id: nl"))
    commit_map(small, BASE, "2026-04-01T09:00:00+00:00", "links")
    (small / "maps" / "passwd.yaml").unlink()
    (small / "maps" / "up").unlink()
    evil = BASE.replace("owner: support\nreviewed", "owner: product\nreviewed")
    commit_map(small, evil, "2026-08-20T09:00:00+00:00", "<img src=x onerror=alert(1)> \x1b[31mred\u202eevil")
    result = jm_here(small, "build")
    assert result.returncode == 0, result.stderr
    raw = (small / "site" / "changes.html").read_text()
    assert "root:" not in raw and "\x1b" not in raw and "\u202e" not in raw
    assert "<img" not in raw and "&lt;img src=x onerror=alert(1)&gt;" in raw
    assert "map owner: Support → Product" in visible(small / "site" / "changes.html")


def test_a_changed_extension_list_reads_as_its_items_not_json(small: Path) -> None:
    """``x-links of the map: ["a"] → ["a", "b"]``: the map page shows the list as a list."""
    git(small, "init", "-q", "-b", "main")
    with_links = BASE.replace("title: T\n", "title: T\nx-links: [a]\nx-tags: [red]\n")
    commit_map(small, with_links, "2026-04-01T09:00:00+00:00", "links")
    later = with_links.replace("x-links: [a]", 'x-links: [a, "<b>x</b>"]').replace("[red]", "{tone: red}")
    commit_map(small, later, "2026-08-20T09:00:00+00:00", "more links")
    assert jm_here(small, "build").returncode == 0
    page = visible(small / "site" / "changes.html")
    assert "x-links of the map: added <b>x</b>" in page
    assert "x-tags of the map: red → tone: red" in page
    assert '["' not in page
    raw = raw_of(small)
    assert "<b>x" not in raw and "added &lt;b&gt;x&lt;/b&gt;" in raw


def test_a_latest_commit_dated_past_year_9999_is_said_not_a_crash(small: Path) -> None:
    """git takes 9999-12-31 23:59:59 UTC at +14:00, which it shows as year 10000: reading
    that date was 'internal error: ValueError: Invalid isoformat string', and every build
    of the site failed until another commit came."""
    git(small, "init", "-q", "-b", "main")
    commit_map(small, BASE, "@253402300799 +1400", "from the future")
    result = jm_here(small, "build")
    assert result.returncode == 0, result.stderr
    assert "The history could not be read: the latest commit's date" in visible(
        small / "site" / "changes.html"
    )


MEASURED = BASE.replace(
    "    owner: support\n    evidence",
    "    owner: support\n    kpis:\n      - {name: FCR, metric: fcr, current: 0.6, target: 0.5}\n    evidence",
    1,
)
SIGNALS = """
pain_points:
  - {id: p1, at: one, kind: process, summary: Customers repeat themselves, volume: 10, severity: 3}
opportunities:
  - id: o1
    addresses: [p1]
    believe: Sharing the ticket with the second agent
    will: stop the repeats
    signal: FCR at 50%
    kpi: {name: FCR, target: 0.5}
    owner: support
    due: 2026-12-01
    status: STATUS1
  - id: o2
    addresses: [p1]
    believe: A callback within the hour
    will: lift FCR further
    signal: FCR at 70%
    kpi: {name: FCR, target: 0.7}
    owner: support
    due: 2026-12-01
    status: STATUS2
"""


def test_shipped_opportunities_say_whether_their_signal_is_met(small: Path) -> None:
    git(small, "init", "-q", "-b", "main")
    before = MEASURED + SIGNALS.replace("STATUS1", "in-progress").replace("STATUS2", "planned")
    commit_map(small, before, "2026-04-01T09:00:00+00:00", "opportunities")
    after = MEASURED + SIGNALS.replace("STATUS1", "shipped").replace("STATUS2", "shipped")
    commit_map(small, after, "2026-08-20T09:00:00+00:00", "both shipped")
    assert jm_here(small, "build").returncode == 0
    page = visible(small / "site" / "changes.html")
    assert "in progress → shipped signal met FCR is 60%, target 50%" in page
    assert "planned → shipped signal not met FCR is 60%, target 70%" in page
    assert "signal met FCR is 60%" in visible(small / "site" / "maps" / "m.html")


def test_the_history_is_cached_by_commit_ids(
    quarter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymaps import diff, history
    from journeymaps.settings import load_settings

    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    settings = load_settings(quarter)
    first = history.read(settings, 90)

    def no_more(*args: object, **kwargs: object) -> None:
        raise AssertionError("compared again although no commit changed")

    monkeypatch.setattr(diff, "run", no_more)
    again = history.read(settings, 90)
    assert again.to_json() == first.to_json()
    assert [m.title for m in again.maps] == ["Unexpected charge on the monthly invoice"]
    assert again.maps[0].items["resolved"][0]["author"] == PRIYA[0]
    assert MARCO[0] in {c.author for c in again.maps[0].commits}


@pytest.mark.parametrize(("width", "label"), [(1440, "desktop"), (390, "phone")])
def test_the_quarter_in_a_browser(quarter: Path, browser, screenshots: Path, width: int, label: str) -> None:  # type: ignore[no-untyped-def]
    """Read as a support director would: every change visible, nothing wider than the screen,
    and each change leads to its section of the map's page."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((quarter / "site" / "changes.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert page.get_by_role("link", name="What changed").get_attribute("aria-current") == "page"
    assert page.get_by_role("heading", name="Pain points resolved").is_visible()
    page.screenshot(path=str(screenshots / f"history-{label}-changes.png"), full_page=True)
    page.get_by_text("6 commits touched this map").click()  # the details open
    assert page.get_by_text("Billing maps get their own folder").is_visible()
    page.get_by_role("link", name=re.compile("Customers who hear nothing for a week")).click()
    assert page.url.endswith("maps/billing-dispute.html#pain-chargeback-after-silence")
    assert page.locator("#pain-chargeback-after-silence").is_visible()
    page.locator("#map-changed").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.locator("section[aria-labelledby=map-changed]").screenshot(
        path=str(screenshots / f"history-{label}-map-section.png")
    )
    if label == "desktop":
        page.goto((quarter / "site" / "changes.html").as_uri())
        page.emulate_media(media="print")
        assert page.get_by_role("heading", name="Opportunities shipped").is_visible()
        page.screenshot(path=str(screenshots / "history-print-changes.png"), full_page=True)
        assert page.pdf(format="A4")[:4] == b"%PDF"
    assert errors == []
    page.close()


def test_a_commit_that_edits_several_maps_dates_each_of_them(small: Path) -> None:
    git(small, "init", "-q", "-b", "main")
    (small / "maps" / "n.yaml").write_text(BASE.replace("id: m", "id: n"))
    commit_map(small, BASE, "2026-04-01T09:00:00+00:00", "two maps")
    (small / "maps" / "n.yaml").write_text(
        BASE.replace("id: m", "id: n").replace("name: Two", "name: Second")
    )
    (small / "maps" / "m.yaml").write_text(BASE.replace("name: One", "name: First"))
    git(small, "add", "-A")
    git(small, "commit", "-q", "-m", "both", who=MARCO, when="2026-08-20T09:00:00+00:00")
    assert jm_here(small, "build").returncode == 0
    page = visible(small / "site" / "changes.html")
    assert "“One” → “First” 20 Aug 2026 · Marco Rossi" in page
    assert "“Two” → “Second” 20 Aug 2026 · Marco Rossi" in page
    assert "date unknown" not in page


def test_the_history_cache_keeps_the_newest_periods(
    quarter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from journeymaps import history
    from journeymaps.settings import load_settings

    folder = tmp_path / "cache" / "history"
    folder.mkdir(parents=True)
    for i in range(history.KEEP + 10):
        old = folder / f"{i:064x}.json"
        old.write_text("{}")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    (folder / "tmpkilled_1.tmp").write_text("half")  # tempfile's name
    os.utime(folder / "tmpkilled_1.tmp", (1_000_000, 1_000_000))
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    assert history.read(load_settings(quarter), 90).state == "ok"
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == history.KEEP and not any(n.endswith(".tmp") for n in kept)
    assert f"{0:064x}.json" not in kept and f"{history.KEEP + 9:064x}.json" in kept


def test_the_history_cache_removes_only_its_own_files(
    quarter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$JOURNEYMAPS_CACHE set to a folder of the user's with a history/ of its own: all but
    the newest 50 of its .json files, and its old .tmp files, were removed."""
    import os

    from journeymaps import history
    from journeymaps.settings import load_settings

    folder = tmp_path / "mine" / "history"
    folder.mkdir(parents=True)
    names = [f"{i}.json" for i in range(history.KEEP + 5)] + ["draft.tmp"]
    for name in names:
        (folder / name).write_text("{}")
        os.utime(folder / name, (1_000_000, 1_000_000))
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "mine"))
    assert history.read(load_settings(quarter), 90).state == "ok"
    assert set(names) <= {p.name for p in folder.iterdir()}


def test_a_history_shorter_than_the_period_is_said_not_filled_in(small: Path) -> None:
    """Like this repository's own examples: first committed days ago. The page says when
    the history begins and counts the maps as added then, with what they hold."""
    git(small, "init", "-q", "-b", "main")
    commit_map(
        small,
        MEASURED + SIGNALS.replace("STATUS1", "shipped").replace("STATUS2", "planned"),
        "2026-11-22T09:00:00+00:00",
        "maps",
    )
    assert jm_here(small, "build").returncode == 0
    page = visible(small / "site" / "changes.html")
    assert (
        "The history is shorter than the period: this repository's first commit is from 22 Nov 2026" in page
    )
    # ("compared with no maps at all" read as a fault)
    # ("counts as added in the period, the history starting within it" read backwards)
    assert "the history starts within the period, so every map counts as added; 1 edit to the maps." in page
    # Already shipped when the map was added: said apart from what it brings, as the page's
    # "opportunities shipped" count leaves it out ("2 opportunities (1 shipped)" beside "0 shipped").
    assert (
        "Map added with 1 open pain point and 1 opportunity; 1 opportunity already shipped"
        " when it was added (not counted above) 22 Nov 2026 · Priya Shah"
    ) in page
    assert "the history of this repository begins on 22 Nov 2026" in visible(
        small / "site" / "maps" / "m.html"
    )


def test_a_maps_folder_committed_as_a_link_lists_its_maps_changes(tmp_path: Path) -> None:
    """maps -> content/maps, committed: git's log of ``maps`` held only the link's commit, so
    the page counted "1 maps added" and said "No map changed in this period"."""
    project = tmp_path / "p"
    real = project / "content" / "maps"
    real.mkdir(parents=True)
    (real / "teams.yaml").write_text(TEAMS)
    (project / "maps").symlink_to("content/maps")
    git(project, "init", "-q", "-b", "main")
    commit_map(project, BASE, "2026-04-01T09:00:00+00:00", "the map")
    commit_map(project, BASE.replace("title: T", "title: Renamed"), "2026-08-20T09:00:00+00:00", "renamed")
    commit_map(
        project,
        BASE.replace("title: T", "title: Renamed").replace("owner: product", "owner: support"),
        "2026-08-21T09:00:00+00:00",
        "support owns two",
    )
    (real / "m.yaml").write_text((real / "m.yaml").read_text() + "# being edited\n")
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm_here(project, "build", env=env).returncode == 0
    page = visible(project / "site" / "changes.html")
    assert "No map changed" not in page
    assert "owner of stage “Two”: Product → Support 21 Aug 2026 · Priya Shah" in page
    assert "2 commits touched this map" in page  # the map's own, not the link's one
    assert "maps/m.yaml" in page  # named as lint names it, through the link
    # and its uncommitted edit is said, as for any maps folder
    assert "1 map file changed but not committed yet (maps/m.yaml)" in page


def test_a_project_in_a_folder_of_the_repository(tmp_path: Path) -> None:
    """A monorepo: the maps' project is docs/journeys/ of a larger repository."""
    project = tmp_path / "docs" / "journeys"
    (project / "maps").mkdir(parents=True)
    (project / "maps" / "teams.yaml").write_text(TEAMS)
    (project / "journeymaps.toml").write_text("history-days = 90\n")
    (tmp_path / "README.md").write_text("The company repository\n")
    git(tmp_path, "init", "-q", "-b", "main")
    commit_map(project, BASE, "2026-04-01T09:00:00+00:00", "journeys")
    commit_map(project, BASE.replace("name: Two", "name: Second"), "2026-08-20T09:00:00+00:00", "renamed")
    assert jm_here(project, "build").returncode == 0
    page = visible(project / "site" / "changes.html")
    assert "“Two” → “Second” 20 Aug 2026 · Priya Shah" in page
    assert "maps/m.yaml" in page and "docs/journeys" not in page


def test_a_map_whose_file_name_is_not_utf8_is_listed_and_dated(small: Path) -> None:
    """Its name as git says it (bytes) is the name lint shows (``lat\\xe9.yaml``): the map was
    counted among those added but left out of the list, and its changes went undated."""
    git(small, "init", "-q", "-b", "main")
    name = b"lat\xe9.yaml".decode("utf-8", "surrogateescape")
    commit_map(small, BASE, "2026-04-01T09:00:00+00:00", "latin", name=name)
    commit_map(small, BASE.replace("name: Two", "name: Second"), "2026-08-20T09:00:00+00:00", "x", name=name)
    assert jm_here(small, "build", "--history-days", "200").returncode == 0
    page = visible(small / "site" / "changes.html")
    assert "maps/lat\\xe9.yaml" in page
    assert "Map added 1 Apr 2026 · Priya Shah" in page
    assert jm_here(small, "build").returncode == 0
    assert "“Two” → “Second” 20 Aug 2026 · Priya Shah" in visible(small / "site" / "changes.html")


def test_a_map_added_with_pain_points_mitigated_or_resolved_says_them_apart() -> None:
    """ "Map added with 1 open pain point" was said of a mitigated one (a newcomer's
    try-out); resolved and mitigated ones the map came with are not in the page's counts."""
    from journeymaps import history

    text = BASE + SIGNALS.replace("STATUS1", "shipped").replace("STATUS2", "planned").replace(
        "volume: 10, severity: 3}",
        "volume: 10, severity: 3}\n"
        "  - {id: p2, at: one, kind: process, summary: Slow, status: mitigated, since: 2026-10-01}\n"
        "  - {id: p3, at: two, kind: process, summary: Lost, status: resolved, since: 2026-10-01, resolved_by: o1}",
    )
    m = history._model(text.encode(), "maps/m.yaml")
    assert m is not None
    assert history._holding(m) == (
        " with 1 open pain point and 1 opportunity; 1 pain point already mitigated, 1 pain point"
        " already resolved and 1 opportunity already shipped when it was added (not counted above)"
    )


def _examples_committed(tmp_path: Path, settings: str = "cost-per-contact = 12\n") -> Path:
    """The example maps and ``settings``, committed on 2026-06-01, before the period."""
    project = tmp_path / "journeys"
    shutil.copytree(ROOT / "maps", project / "maps")
    (project / "journeymaps.toml").write_text(settings)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "maps", when="2026-06-01T10:00:00+00:00")
    return project


def _outage_edited(tmp_path: Path, edits: list[tuple[str, str]]) -> str:
    """The What changed page's words after one commit of ``edits`` to the outage map."""
    project = _examples_committed(tmp_path)
    outage = project / "maps" / "support" / "production-outage.yaml"
    text = outage.read_text()
    for before, after in edits:
        assert before in text, before
        text = text.replace(before, after, 1)
    outage.write_text(text)
    git(project, "commit", "-q", "-am", "Outage map edited", who=DANA, when="2026-11-20T10:00:00+00:00")
    result = jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    return visible(project / "site" / "changes.html")


DOUBLED = ("    volume: 900\n", "    volume: 1800\n")


def test_a_cost_of_inaction_that_moved_says_who_moved_it(tmp_path: Path) -> None:
    """A pain point's volume doubled in one commit, and the cost of inaction that moved with
    it read "date unknown" beside lines that each said their date, author and commit."""
    page = _outage_edited(tmp_path, [DOUBLED])
    assert re.search(
        r"cost of inaction \(contacts\) a year: \$[\d,]+ → \$[\d,]+ \(at \$12 a contact\) 20 Nov 2026 · Dana Kim",
        page,
    ), page
    assert "date unknown" not in page


def test_a_pain_grown_and_a_handoff_that_loses_context_are_not_other_changes(tmp_path: Path) -> None:
    """The status page's pain doubled (its cost of inaction with it) and a handoff that loses
    the customer's context was added: all three were folded under "3 other changes (steps,
    handoffs, KPIs, evidence…)", closed, below the tiles that said nothing changed."""
    lost = (
        "  - from: fix.fix-deployed\n",
        "  - from: escalation.on-call-paged\n    to: fix.fix-deployed\n    sla: 2h\n    context: lost\n"
        "  - from: fix.fix-deployed\n",
    )
    page = _outage_edited(tmp_path, [DOUBLED, lost])
    pains = page.index("Pain points: volume, severity and cost (2)")
    assert page.index("volume of pain point", pains) < page.index("cost of inaction", pains)
    handoffs = page.index("Handoffs added, removed or changed (1)")
    assert page.index("handoff added: “On-call engineer paged” → “Fix deployed”", handoffs)
    assert "other change" not in page.split("touched this map")[0].replace("channel switches", "")


def test_the_other_changes_summary_says_what_it_holds(tmp_path: Path) -> None:
    """What the customer thinks at a step and an opportunity's expected result were reworded,
    and a KPI's target moved: the three were folded under "3 other changes (steps, KPIs,
    evidence…)", which said nothing of the words inside. It says what each change is about."""
    page = _outage_edited(
        tmp_path,
        [
            ('thinks: "Is it us?"', 'thinks: "Is it our network?"'),
            ("will: tell customers within minutes", "will: tell customers within five minutes"),
            ("current: 17, target: 5,", "current: 17, target: 10,"),
        ],
    )
    assert "3 other changes: what the customer does, thinks and feels; hypotheses; KPIs" in page, page[
        page.index("other change") - 40 :
    ][:300]
    assert "(steps, KPIs, evidence…)" not in page


def test_a_new_price_is_on_the_page_with_who_set_it(tmp_path: Path) -> None:
    """The price of a contact went from $12 to $25 in the period: every cost of inaction on the
    page is counted at $25 on both sides, and the page never said the price had changed, nor
    when, nor who changed it."""
    project = _examples_committed(tmp_path, 'cost-per-contact = 12\n[rules]\nstale-map = "warning"\n')
    (project / "journeymaps.toml").write_text('cost-per-contact = 25\n[rules]\nstale-map = "error"\n')
    git(project, "commit", "-q", "-am", "Price from finance", who=MARCO, when="2026-10-02T10:00:00+00:00")
    outage = project / "maps" / "support" / "production-outage.yaml"
    outage.write_text(outage.read_text().replace(*DOUBLED, 1))
    git(project, "commit", "-q", "-am", "Outage map edited", who=DANA, when="2026-11-20T10:00:00+00:00")
    result = jm_here(project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    page = visible(project / "site" / "changes.html")
    settings = page.index("Settings journeymaps.toml")
    assert page.index("cost-per-contact $12 → $25 2 Oct 2026 · Marco Rossi", settings), page
    assert "rules.stale-map warning → error" in page
    assert "the cost of inaction this page lists counts both sides at $25 a contact" in page
    assert settings < page.index("Production API outage")  # above the maps it prices
    # no settings change in the period: no section
    quiet = _outage_edited(tmp_path / "other", [DOUBLED])
    assert "Settings journeymaps.toml" not in quiet


def test_a_clone_of_depth_one_with_settings_builds(small: Path, tmp_path: Path) -> None:
    """actions/checkout's default: one commit, the settings file in it. The history's base
    was that same commit, and comparing the settings at both ends failed the whole build
    ("cannot make a folder at /tmp/journeymaps-history-settings-…: a file is in the way")."""
    (small / "journeymaps.toml").write_text('paths = ["maps"]\n')
    git(small, "init", "-q", "-b", "main")
    commit_map(small, BASE, "2026-04-01T09:00:00+00:00", "first")
    commit_map(
        small,
        BASE.replace("owner: support\nreviewed", "owner: product\nreviewed"),
        "2026-08-20T09:00:00+00:00",
        "second",
    )
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{small}", str(clone)], check=True, capture_output=True
    )
    result = jm_here(clone, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    page = visible(clone / "site" / "changes.html")
    assert "The history is incomplete. This is a shallow clone" in page
