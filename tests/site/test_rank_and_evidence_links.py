"""What a director reads off a map page and the portfolio: the pain points' order says what
it is by (volume x severity, not the cost shown beside it), and an evidence entry's link to
its data is there to follow, only when it is a web address."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_pb_build_cache, shared_pb_examples  # noqa: F401 - fixtures

from conftest import ROOT
from in_process import jm_here


@pytest.fixture(scope="module")
def site(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> Path:
    """The example maps' site, built once per test process (read-only)."""
    return pb_examples[0]


@pytest.mark.parametrize("name", ["portfolio.html", "maps/admin-locked-out.html"])
def test_the_pain_points_order_says_what_it_is_by(site: Path, browser, name: str) -> None:
    """ "Pain points, biggest first" over a table with a cost column read as ranked by cost;
    the chargebacks ($10,920 a year) came below pain points costing $3,989 and $5,760. The
    heading and the words under it say the order is volume x severity, which the rows follow."""
    page = browser.new_page()
    page.goto((site / name).as_uri())
    section = page.locator("section", has=page.locator("h2", has_text="Pain points"))
    heading = section.locator("h2").inner_text()
    assert "volume \u00d7 severity" in heading, heading
    said = section.locator("p.rank-rule").inner_text()
    assert "cost of inaction" in said and "not the order" in said, said
    headers = section.locator("thead th").all_inner_texts()
    column = headers.index("Volume \u00d7 severity")
    scores = [
        # with thousands separators, as the money beside them ("3,600")
        int(row.locator("th, td").nth(column).inner_text().replace(",", ""))
        for row in section.locator("tbody tr").all()
    ]
    assert len(scores) >= 4 and scores == sorted(scores, reverse=True), scores
    page.close()


URLS = {
    "stripe": "https://dashboard.example.com/reports/true-ups?month=2026-11",
    "zendesk": "javascript:alert(1)",
    "qualtrics": "http://surveys.example.org/csat",
    "intercom": "file:///etc/passwd",
}


def test_an_evidence_url_is_a_link_only_when_it_is_a_web_address(
    tmp_path: Path, browser, pb_build_cache: dict[str, str]
) -> None:
    """An evidence entry's `url` was kept and shown nowhere. A web address is now a link to
    the data, named by its host; anything else is shown as text, never a link, and the page
    loads nothing from it."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    billing = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    text = billing.read_text("utf-8")
    for source, url in URLS.items():
        text = text.replace(f"{{source: {source}, ", f'{{source: {source}, url: "{url}", ', 1)
    billing.write_text(text, "utf-8")
    built = jm_here(tmp_path, "build", "maps", "-o", "site", env=pb_build_cache)
    assert built.returncode == 0, built.stderr
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto((tmp_path / "site" / "maps" / "billing-dispute.html").as_uri())
    links = page.locator("ul.evidence a").evaluate_all("as => as.map(a => [a.href, a.textContent])")
    assert sorted(links) == [
        ["http://surveys.example.org/csat", "the data (surveys.example.org)"],
        ["https://dashboard.example.com/reports/true-ups?month=2026-11", "the data (dashboard.example.com)"],
    ]
    shown = " ".join(page.locator("ul.evidence").all_inner_texts())
    assert "javascript:alert(1)" in shown and "file:///etc/passwd" in shown  # as text
    assert all(u.startswith("file://") for u in asked), asked
    page.close()


def test_an_uncosted_project_is_not_told_about_a_cost_it_does_not_see(tmp_path: Path) -> None:
    """The words under the heading spoke of "the cost of inaction beside it" on pages that
    show no cost (no `cost-per-contact` set): only the order is said there."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "site" / "fixture", project)
    settings = project / "journeymaps.toml"
    settings.write_text(settings.read_text().replace("cost-per-contact = 12\n", ""))
    result = jm_here(project, "build", "-o", "site")
    assert result.returncode == 0, result.stderr
    for name in ("portfolio.html", "maps/refund.html"):
        page = (project / "site" / name).read_text()
        said = page.split('<p class="rank-rule">')[1].split("</p>")[0]
        assert said == "Ranked by monthly volume \u00d7 severity (1\u20135), as teams prioritise.", (
            name,
            said,
        )


def test_a_pain_points_evidence_is_shown_in_its_row(
    tmp_path: Path, browser, pb_build_cache: dict[str, str]
) -> None:
    """A pain point's `evidence` was indexed for search and shown nowhere: a director read
    "41 a month, measured" with no word of what was counted, nor a link to the data. Its row
    now says it, as a stage's evidence is said, and links a web address."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "examples" / "metrics", tmp_path / "examples" / "metrics")
    locked = tmp_path / "maps" / "support" / "admin-locked-out.yaml"
    text = locked.read_text("utf-8")
    asked = '        ref: "tag:reset_email_missing"\n        as_of: 2026-11-02\n'
    assert asked in text
    locked.write_text(
        text.replace(asked, asked + '        url: "https://desk.example.com/views/42"\n', 1), "utf-8"
    )
    built = jm_here(tmp_path, "build", "maps", "-o", "site", env=pb_build_cache)
    assert built.returncode == 0, built.stderr
    page = browser.new_page()
    page.goto((tmp_path / "site" / "maps" / "admin-locked-out.html").as_uri())
    row = page.locator("#pain-reset-email-missing")
    said = row.locator(".pain-evidence").inner_text()
    assert said.startswith("Evidence: Support tickets from Zendesk tagged"), said
    assert "tag:reset_email_missing" not in said and "as of 2 Nov 2026" in said, said  # in its title
    link = row.locator(".pain-evidence a")
    assert link.get_attribute("href") == "https://desk.example.com/views/42"
    assert link.inner_text() == "the data (desk.example.com)"
    assert page.locator("#pain-outdated-article .pain-evidence").count() == 0  # none recorded
    page.close()


def test_an_opportunity_worth_more_than_every_high_impact_one_asks_about_its_impact(
    tmp_path: Path, browser, pb_build_cache: dict[str, str], site: Path
) -> None:
    """The matrix places an opportunity by the impact its map declares and says what it is
    worth by the pain points it addresses: a "filler" worth more than the "quick wins" left
    a director unable to tell which to believe. One of lower impact worth more than every
    high-impact one now asks whether its impact is right; the caption says where each comes
    from."""
    # The pain point the low-impact "unlock status e-mail" addresses, hit by 2,450 admins
    # a month instead of 450: worth more than every high-impact opportunity
    _examples_built_with(
        tmp_path,
        "admin-locked-out.yaml",
        "manual unlock is invisible; the customer gets no status until it is done.\n    volume: 450\n",
        ("volume: 450", "volume: 2450"),
        pb_build_cache,
    )
    page = browser.new_page()
    page.goto((tmp_path / "site" / "portfolio.html").as_uri())
    flagged = page.locator("table.matrix li.card", has=page.locator(".outworth"))
    assert flagged.count() == 1
    assert flagged.locator("a").inner_text().startswith("Emailing the admin when the unlock request")
    assert "worth more than every high-impact opportunity: is its impact right?" in flagged.inner_text()
    assert "impact, as each map says" in page.locator("table.matrix caption").inner_text()
    page.close()
    # The examples as they are (the module's site, built with the repository's settings): none asked about
    assert "outworth" not in (site / "portfolio.html").read_text("utf-8")


def test_the_top_pain_points_tile_names_the_revenue_at_risk_below_its_three(site: Path, browser) -> None:
    """The billing map's "Top pain points" tile, ranked by volume x severity, left off the
    chargebacks that carry all of the map's $36,000 a year revenue at risk: a director
    reading only the tile never met them. Below the three, it names them."""
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    tile = page.locator(".tile.pains-top")
    assert tile.locator("ol > li").count() == 3
    said = tile.locator("p.at-risk").inner_text()
    assert said == (
        "Also, revenue at risk: Customers who hear nothing for a week file chargebacks and often churn. $36,000/year"
    )
    assert tile.locator("p.at-risk a").get_attribute("href") == "#pain-chargeback-after-silence"
    page.goto((site / "maps" / "production-outage.html").as_uri())  # no revenue at risk there
    assert page.locator(".tile.pains-top p.at-risk").count() == 0
    page.close()


def test_a_cell_s_own_pages_ask_about_an_opportunity_s_impact_as_the_matrix_does(
    tmp_path: Path, browser, pb_build_cache: dict[str, str]
) -> None:
    """Past ``rows-per-page`` open opportunities the matrix shows counts and each cell has
    pages of its own: there, an opportunity of lower impact worth more than every high-impact
    one was listed without the question the matrix's card asks. Its row asks it, on its
    page and among the rows the team filter brings from the cell's other pages; the others
    do not."""
    # The pain point only the medium-impact "incident summary" mail addresses, sent 4,000
    # times a month instead of 40: worth more than every high-impact opportunity
    _examples_built_with(
        tmp_path,
        "production-outage.yaml",
        "says nothing about cause or prevention.\n    volume: 40\n",
        ("volume: 40", "volume: 4000"),
        pb_build_cache,
        settings="rows-per-page = 2\n",
    )
    site = tmp_path / "site"
    question = "worth more than every high-impact opportunity: is its impact right?"
    page = browser.new_page()
    page.goto((site / "portfolio.html").as_uri())
    assert page.locator("table.matrix li.card").count() == 0  # counts, linking to the cells' pages
    page.goto(
        (site / "portfolio-medium-impact-low-effort-2.html").as_uri()
    )  # the third of the cell, on its second page
    row = page.locator("#cell-opportunities tbody tr:visible")
    assert row.count() == 1 and row.locator("th").inner_text().startswith("A resolved mail with cause")
    assert row.locator(".badge.outworth").all_inner_texts() == [question]
    page.goto((site / "portfolio-medium-impact-low-effort.html").as_uri())
    assert page.locator("#cell-opportunities tbody tr:visible").count() == 2
    assert page.locator("#cell-opportunities .outworth:visible").count() == 0  # neither of the first two
    page.locator("select[data-filter=team]").select_option("tier-2")  # its team: its row from page 2
    row = page.locator("#cell-opportunities tbody[data-filtered] tr")
    row.first.wait_for()
    assert row.count() == 1 and row.locator(".badge.outworth").all_inner_texts() == [question]
    for other in ["portfolio-high-impact-low-effort.html", "portfolio-low-impact-low-effort.html"]:
        page.goto((site / other).as_uri())
        assert page.locator(".outworth").count() == 0
    page.close()


def _examples_built_with(
    tmp_path: Path, name: str, written: str, change: tuple[str, str], env: dict[str, str], settings: str = ""
) -> None:
    """The examples built into ``tmp_path``/site (``journeymaps build`` run with ``env``),
    ``written`` in map ``name`` changed by ``change``, and ``settings`` added to the project's."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    toml = (ROOT / "pyproject.toml").read_text("utf-8")
    assert "\n[tool.journeymaps]\n" in toml
    toml = toml.replace("\n[tool.journeymaps]\n", "\n[tool.journeymaps]\n" + settings, 1)
    (tmp_path / "pyproject.toml").write_text(toml, "utf-8")
    path = tmp_path / "maps" / "support" / name
    text = path.read_text("utf-8")
    assert written in text
    path.write_text(text.replace(written, written.replace(*change), 1), "utf-8")
    built = jm_here(tmp_path, "build", "maps", "-o", "site", env=env)
    assert built.returncode == 0, built.stderr
