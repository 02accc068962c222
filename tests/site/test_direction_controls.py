"""A direction control in a map ("Pays \\u202e0001$", Trojan Source) is published as its
escape, never as the order it disguises: lint warned (JM903), and the site, its diagrams
and its search index showed stakeholders "Pays $1000"."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, example_line

#: Any direction control written as such, or as a JSON escape a script decodes into one (an
#: escaped backslash before it, as in "\\\\u202e", is the text the site shows: not one).
RAW = re.compile("[\u202a-\u202e\u2066-\u2069]")
DECODED_TO_ONE = re.compile(r"(?<!\\)\\u(?:202[a-e]|206[6-9])", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "maps", root / "maps")
    shutil.copy(ROOT / "pyproject.toml", root)  # the settings ([tool.journeymaps])
    billing = root / "maps" / "support" / "billing-dispute.yaml"
    text = billing.read_text("utf-8")
    text = text.replace(
        "title: Unexpected charge on the monthly invoice",
        'title: "Unexpected charge of \\u202E0001$"',  # an escape, in quotes
    )
    text = text.replace(  # the character itself, as pasted
        "does: Opens the invoice PDF from the billing email.", "does: Pays \u202e0001$ of the invoice"
    )
    text = text.replace("x-jira: BILL-214", "x-jira\u2067: BILL-214")  # in a key
    billing.write_text(text, "utf-8")
    teams = root / "maps" / "teams.yaml"
    teams.write_text(teams.read_text("utf-8").replace("name: Finance", "name: \u2066Finance", 1), "utf-8")
    out = root / "site"
    build([root / "maps"], load_settings(root), root, out, today=TODAY)
    return out


def test_no_file_of_the_site_holds_a_direction_control(site: Path) -> None:
    held = []
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.suffix != ".png"):
        text = path.read_text("utf-8")
        if RAW.search(text) or (path.suffix in (".js", ".json") and DECODED_TO_ONE.search(text)):
            held.append(path.relative_to(site).as_posix())
    assert held == []
    # and the pages did show the texts, as their escapes
    page = (site / "maps" / "billing-dispute.html").read_text("utf-8")
    assert "Unexpected charge of \\u202e0001$" in page
    assert "Pays \\u202e0001$ of the invoice" in page
    assert "\\u2066Finance" in (site / "teams.html").read_text("utf-8")
    svg = (site / "diagrams" / "billing-dispute.journey.svg").read_text("utf-8")
    assert "Unexpected charge of \\u202e0001$" in svg


def test_a_reader_sees_the_text_in_the_file_s_order(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    assert page.inner_text("h1").startswith("Unexpected charge of \\u202e0001$")
    assert "Pays \\u202e0001$ of the invoice" in page.inner_text("main")
    page.close()


def test_lint_still_reports_each_control_where_it_was_written(site: Path) -> None:
    from journeymaps.lint import lint
    from journeymaps.settings import load_settings

    root = site.parent
    found = lint([root / "maps"], load_settings(root), TODAY, root).diagnostics
    assert sorted(
        (Path(d.file).name, d.line, d.column, d.path) for d in found if d.rule == "text-direction-control"
    ) == [
        ("billing-dispute.yaml", 3, 8, "title"),
        ("billing-dispute.yaml", 26, 15, "stages[0].steps[0].does"),
        (
            "billing-dispute.yaml",
            example_line("billing-dispute", "x-jira:"),
            5,
            "opportunities[3].x-jira\\u2067",
        ),
        ("teams.yaml", 21, 11, "teams[5].name"),
    ]


SMALL_MAP = """\
id: {id}
title: Small
owner: support
reviewed: 2026-11-10
stages:
  - id: join
    name: Join
    owner: support
    evidence: [{{source: zendesk, kind: tickets, as_of: 2026-10-30}}]
    steps:
      - {{id: ask, name: Asks, lane: customer, emotion: 1}}
pain_points:
  - {{id: slow, at: join, kind: process, summary: Slow, volume: 10, severity: 3, owner: support}}
"""


def test_a_file_name_a_setting_or_a_parser_s_words_show_no_direction_control(tmp_path: Path) -> None:
    """What the loader's escaping of the data never sees: the site's title and currency
    (settings), a map's file name, and a broken map's finding quoting its line. Each was
    written raw ("maps/b\\u202elmay.yaml" shown as "maps/b" and the rest backwards)."""
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    (tmp_path / "journeymaps.toml").write_text(
        'site-title = "Our \u202e0001$ maps"\ncurrency = "\u2067EUR"\ncost-per-contact = 12\n', "utf-8"
    )
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "teams.yaml").write_text("teams:\n  - {id: support, name: Support}\n", "utf-8")
    (maps / "small.yaml").write_text(SMALL_MAP.format(id="small"), "utf-8")
    (maps / "b\u202elmay.yaml").write_text(SMALL_MAP.format(id="b"), "utf-8")  # a finding: unreviewed...
    broken = SMALL_MAP.format(id="broken").replace(
        "owner: support\nreviewed", "owner:supp\u202eort\nreviewed"
    )
    (maps / "broken.yaml").write_text(broken, "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY)
    held = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and RAW.search(p.read_text("utf-8"))
    )
    assert held == []
    index = (out / "index.html").read_text("utf-8")
    assert "Our \\u202e0001$ maps" in index
    assert "owner:supp\\u202eort&#39; has no" in index  # the broken map's finding
    assert "\\u2067EUR" in (out / "maps" / "small.html").read_text("utf-8")
    assert "maps/b\\u202elmay.yaml:" in (out / "findings.html").read_text("utf-8")


def test_serve_s_broken_map_banner_shows_a_direction_control_as_its_escape(tmp_path: Path) -> None:
    """serve keeps a map that stops parsing on its last page, with a banner quoting the
    parser's finding: the line it quotes was written there with its control raw."""
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "teams.yaml").write_text("teams:\n  - {id: support, name: Support}\n", "utf-8")
    (maps / "small.yaml").write_text(SMALL_MAP.format(id="small"), "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY, keep_broken=True)
    broken = SMALL_MAP.format(id="small").replace("owner: support\nreviewed", "owner:supp\u202eort\nreviewed")
    (maps / "small.yaml").write_text(broken, "utf-8")
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY, keep_broken=True)
    page = (out / "maps" / "small.html").read_text("utf-8")
    assert "This map could not be read" in page
    assert "owner:supp\\u202eort" in page
    assert RAW.search(page) is None
