"""A control character spelt as a YAML escape in a map ("Bill\\0ing\\e[31m", a team named
"Fin\\x01ance") is published as its escape (\\x1b), as a direction control is: the site's
pages held it raw (a browser shows nothing for it), and `export` printed it raw, so a
terminal obeyed its ESC sequences. Lint says so (JM904)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, example_line, on_a_terminal
from in_process import jm_here

#: A control character but tab and line breaks, written as such, or as a JSON escape a
#: script decodes into one (an escaped backslash before it is the text the site shows).
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DECODED_TO_ONE = re.compile(r"(?<!\\)\\u(?:00[01][0-8bce-f]|007f|008[0-9a-f]|009[0-9a-f])", re.IGNORECASE)


def _project(root: Path) -> Path:
    shutil.copytree(ROOT / "maps", root / "maps")
    (root / "journeymaps.toml").write_text(
        'site-title = "Our maps\\u001b[2J"\ncost-per-contact = 12\n', "utf-8"
    )
    billing = root / "maps" / "support" / "billing-dispute.yaml"
    text = billing.read_text("utf-8")
    text = text.replace(
        "title: Unexpected charge on the monthly invoice", 'title: "Bill\\0ing\\e[31m \\x9b2J charge"'
    )
    text = text.replace(
        "does: Opens the invoice PDF from the billing email.", 'does: "Opens the invoice\\a\\x01\\x7f PDF"'
    )
    text = text.replace("x-jira: BILL-214", '"x-jira\\e]0;pwn\\a": BILL-214')  # in a key
    billing.write_text(text, "utf-8")
    teams = root / "maps" / "teams.yaml"
    teams.write_text(teams.read_text("utf-8").replace("name: Finance", 'name: "Fin\\x01ance"', 1), "utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    root = _project(tmp_path_factory.mktemp("project"))
    out = root / "site"
    build([root / "maps"], load_settings(root), root, out, today=TODAY)
    return out


def test_no_file_of_the_site_holds_a_control_character(site: Path) -> None:
    held = []
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.suffix != ".png"):
        text = path.read_text("utf-8")
        if RAW.search(text) or (path.suffix in (".js", ".json") and DECODED_TO_ONE.search(text)):
            held.append(path.relative_to(site).as_posix())
    assert held == []
    # and the pages did show the texts, as their escapes
    page = (site / "maps" / "billing-dispute.html").read_text("utf-8")
    assert "<title>Bill\\x00ing\\x1b[31m \\x9b2J charge" in page
    assert "Opens the invoice\\x07\\x01\\x7f PDF" in page
    assert "x-jira\\x1b]0;pwn\\x07" in page
    assert "Bill\\x00ing\\x1b[31m \\x9b2J charge" in (site / "scorecard.html").read_text("utf-8")
    assert "Fin\\x01ance" in (site / "teams.html").read_text("utf-8")
    assert "Our maps\\x1b[2J" in (site / "index.html").read_text("utf-8")
    findings = (site / "findings.html").read_text("utf-8")
    assert "its text holds U+0000 NULL" in findings and "it is shown as \\x00" in findings
    svg = (site / "diagrams" / "billing-dispute.journey.svg").read_text("utf-8")
    assert "Bill\\x00ing\\x1b[31m \\x9b2J charge" in svg


def test_a_reader_sees_each_control_character_as_its_escape(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    assert page.title().startswith("Bill\\x00ing\\x1b[31m \\x9b2J charge")
    assert page.inner_text("h1").startswith("Bill\\x00ing\\x1b[31m \\x9b2J charge")
    assert "Opens the invoice\\x07\\x01\\x7f PDF" in page.inner_text("main")
    page.goto((site / "teams.html").as_uri())
    assert "Fin\\x01ance" in page.inner_text("main")
    page.close()


def test_lint_reports_each_control_character_where_it_was_written(site: Path) -> None:
    from journeymaps.lint import lint
    from journeymaps.settings import load_settings

    root = site.parent
    found = lint([root / "maps"], load_settings(root), TODAY, root).diagnostics
    assert sorted(
        (Path(d.file).name, d.line, d.column, d.path) for d in found if d.rule == "text-control-character"
    ) == [
        ("billing-dispute.yaml", 3, 8, "title"),
        ("billing-dispute.yaml", 26, 15, "stages[0].steps[0].does"),
        (
            "billing-dispute.yaml",
            example_line("billing-dispute", "x-jira:"),
            5,
            "opportunities[3].x-jira\\x1b]0;pwn\\x07",
        ),
        ("teams.yaml", 21, 11, "teams[5].name"),
    ]


def test_export_hands_the_terminal_no_control_character(tmp_path: Path) -> None:
    """`export` prints to standard output by default: on a terminal the title's ESC
    sequence turned the rest of the screen red, and the .mmd file held it too. The journey
    it prints reads back (`import`) with the text as the site shows it."""
    import os

    root = _project(tmp_path)
    args = ["export", "--map", "billing-dispute"]
    on_terminal = on_a_terminal(root, args, {**os.environ, "TERM": "xterm"})
    assert re.search(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]", on_terminal) is None, on_terminal
    assert b"title Bill\\x00ing\\x1b[31m \\x9b2J charge" in on_terminal
    exported = jm_here(root, *args)
    assert exported.returncode == 0, exported.stderr
    assert RAW.search(exported.stdout) is None
    (root / "b.mmd").write_text(exported.stdout, "utf-8")
    back = jm_here(root, "import", "b.mmd", "--id", "back", "-o", "back.yaml")
    assert back.returncode == 0, back.stderr
    from journeymaps.loader import load

    src = load(root / "back.yaml", "back.yaml")
    # export's " (current state)" read back as the map's state (import, since 2026-12-03)
    assert (src.data["title"], src.data["state"]) == ("Bill\\x00ing\\x1b[31m \\x9b2J charge", "current")
    assert src.hidden == []


def test_a_file_name_with_a_control_character_is_shown_as_its_escape(tmp_path: Path) -> None:
    """What the loader's escaping of the data never sees: a map's file name, on the
    findings page (the template's 'shown' filter escaped direction controls only)."""
    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    root = _project(tmp_path)
    (root / "maps" / "e\x1b[31m\x07.yaml").write_text(
        (root / "maps" / "support" / "billing-dispute.yaml")
        .read_text("utf-8")
        .replace("id: billing-dispute", "id: evil")
        .replace("owner: finance\nreviewed", "owner: nobody\nreviewed"),
        "utf-8",
    )
    out = root / "site"
    build([root / "maps"], load_settings(root), root, out, today=TODAY)
    findings = (out / "findings.html").read_text("utf-8")
    assert "maps/e\\x1b[31m\\x07.yaml:" in findings
    assert RAW.search(findings) is None
