"""Quotation marks as typeset (journeymaps.quotes)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import MAP_HEAD, site_of
from journeymaps.quotes import curly, quotation


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Is it us?", "\u201cIs it us?\u201d"),
        ('"Is it us?"', "\u201cIs it us?\u201d"),  # the writer's own marks, not doubled
        ("\u201cIs it us?\u201d", "\u201cIs it us?\u201d"),
        ("'Did it send?'", "\u201cDid it send?\u201d"),
        ('It said "resolved" but it isn\'t', "\u201cIt said \u2018resolved\u2019 but it isn\u2019t\u201d"),
        ('"It said "resolved" but it isn\'t"', "\u201cIt said \u2018resolved\u2019 but it isn\u2019t\u201d"),
        # Two quotations side by side are not one wrapped around the whole.
        ('"resolved" they said, "fine"', "\u201c\u2018resolved\u2019 they said, \u2018fine\u2019\u201d"),
    ],
)
def test_a_thought_is_quoted_once(text: str, expect: str) -> None:
    assert quotation(text) == expect


def test_straight_quotes_turn_curly_by_their_place() -> None:
    assert curly('Generic "resolved" email') == "Generic \u201cresolved\u201d email"
    assert curly('I don\'t ("really")') == "I don\u2019t (\u201creally\u201d)"
    assert curly("no quotes") == "no quotes"


QUOTED = (
    "id: quoted\ntitle: Quoted\n" + MAP_HEAD + "stages:\n"
    "  - id: outage\n    name: Outage\n    owner: support\n"
    "    evidence: [{source: zendesk, kind: tickets}]\n"
    "    steps:\n"
    "      - {id: mail, name: 'Generic \"resolved\" email', lane: backstage}\n"
    '      - {id: reply, name: "Customer\'s reply", lane: customer, emotion: -2}\n'
)


def test_a_step_name_is_typeset_alike_on_the_canvas_and_in_the_diagrams(tmp_path: Path) -> None:
    """The canvas showed a step as Generic “resolved” email, its journey and blueprint
    diagrams as Generic "resolved" email, side by side on the map's page; their legends
    said "the customer's emotion" with a straight mark too."""
    site = site_of(tmp_path, {"quoted.yaml": QUOTED})
    canvas = (site / "maps" / "quoted.canvas.html").read_text("utf-8")
    assert "Generic \u201cresolved\u201d email" in canvas and "Customer\u2019s reply" in canvas
    for kind in ("journey", "blueprint"):
        svg = ElementTree.parse(site / "diagrams" / f"quoted.{kind}.svg")
        words = " ".join(" ".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
        assert "Generic \u201cresolved\u201d email" in words and "Customer\u2019s reply" in words, (
            kind,
            words,
        )
        assert '"' not in words and "'" not in words, (kind, words)


PAINED = QUOTED + (
    "pain_points:\n"
    "  - {id: closed, at: outage.reply, kind: process, volume: 120, severity: 4,\n"
    "     summary: 'It said \"resolved\" but it wasn''t'}\n"
    "opportunities:\n"
    "  - {id: reopen, addresses: [closed], believe: Reopening a case on a reply, will: cut repeat contacts,\n"
    "     owner: support}\n"
)


def test_a_pain_point_s_summary_is_typeset_wherever_a_reader_sees_it(tmp_path: Path) -> None:
    """A pain point's summary kept its straight quotes (It said "resolved" but it wasn't) on
    the map's page, its canvas, the portfolio and in the journey diagram, beside step names
    typeset with curly ones."""
    site = site_of(tmp_path, {"quoted.yaml": PAINED})
    typeset = "It said \u201cresolved\u201d but it wasn\u2019t"
    for page in ("maps/quoted.html", "maps/quoted.canvas.html", "portfolio.html"):
        html = (site / page).read_text("utf-8")
        # Every time the page says it (its table, its summary, the canvas, an opportunity's
        # "addresses", a pain mark's tooltip), typeset: autoescaped, a straight one is &#34;.
        assert html.count("It said") == html.count(typeset) >= 1, (page, html.count("It said"))
    svg = ElementTree.parse(site / "diagrams" / "quoted.journey.svg")
    words = " ".join(" ".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "It said \u201cresolved\u201d" in words, words
    tooltips = [
        a.get("{http://www.w3.org/1999/xlink}title") or "" for a in svg.iter("{http://www.w3.org/2000/svg}a")
    ]
    assert any(typeset in t for t in tooltips) and not any('"resolved"' in t for t in tooltips), tooltips


HANDED = (
    "id: quoted\ntitle: Quoted\n" + MAP_HEAD + "stages:\n"
    "  - id: outage\n    name: Outage\n    owner: support\n"
    "    evidence: [{source: zendesk, kind: tickets}]\n"
    "    steps:\n"
    "      - {id: mail, name: 'Generic \"resolved\" email', lane: backstage, channel: email, owner: support}\n"
    '      - {id: reply, name: "Customer\'s reply", lane: customer, channel: chat, emotion: -3, owner: success}\n'
    "handoffs:\n  - {from: outage.mail, to: outage.reply, sla: 4h, context: lost}\n"
    "pain_points:\n  - {id: closed, at: outage.reply, kind: process, summary: Closed too soon}\n"
)


def test_a_step_name_is_typeset_in_every_table_and_line_of_its_map_page(tmp_path: Path) -> None:
    """The map page typeset a step's name in its stage table and on the canvas, but kept the
    straight marks in the summary's "Worst:" line, the pain table's "Where", the handoff
    table and the channel switches: one name written two ways on one page."""
    teams = "teams:\n  - {id: support, name: Support}\n  - {id: success, name: Success}\n"
    site = site_of(tmp_path, {"quoted.yaml": HANDED, "teams.yaml": teams})
    page = (site / "maps" / "quoted.html").read_text("utf-8")
    # The findings too: their messages name the steps as the page does (the terminal keeps
    # lint's straight marks: tests/site/test_finding_quotes.py).
    html = page
    assert "Customer&#39;s reply" not in html and "&#34;resolved&#34;" not in html
    assert html.count("Customer\u2019s reply") >= 5  # stage table, worst, where, handoffs, switches
