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
