"""A stage's title starts at the stage's left edge, as a reader scans a row of columns: not
centred over a wider column, a few words adrift inside it. Measured in a real browser on the
SVG each renderer lays out."""

from __future__ import annotations

import re

import pytest

from journeymaps.diagrams import map_diagram, to_svg
from journeymaps.diagrams.render import renderer
from journeymaps.diagrams.text import label, width
from journeymaps.model import Project

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")

#: How far in from its stage's edge a title's words may start, in points: the stage's margin
#: (8) and the title's own (1.4), with a few to spare where Graphviz sets a card off-centre.
#: The system's dot measures words ~12 % wider than the embedded Graphviz, whose measure the
#: titles are sized by: its titles may stand up to half that difference further in.
INSET = {"embedded": 16, "system": 28}

#: For each stage: its id, its outline's left edge, where its title's words start.
TITLES = """() => [...document.querySelectorAll('g.cluster')].filter((g) => g.id.startsWith('stage-'))
  .map((g) => {
    const texts = [...document.querySelectorAll(`g.node[id="${g.id}-title"] text`)];
    return [g.id, g.querySelector('polygon, path').getBBox().x, Math.min(...texts.map((t) => t.getBBox().x))];
  })"""


@pytest.mark.parametrize("renderer", [pytest.param("embedded", marks=pytest.mark.embedded), "system"])
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_stage_title_starts_at_the_stage_edge(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """ "Invoice review" and "Finance review" started 45 and 54 pt in from their stages' edges
    (centred over wider cards), "Self-service attempt" 44: directors read them as misaligned."""
    m = next(m for m in examples.maps if m.id == map_id)
    teams = {t.id: t.name for t in (examples.teams or {}).values()}
    page = browser.new_page()
    page.set_content(to_svg(map_diagram("journey", m, teams=teams), renderer).decode("utf-8"))
    titles = page.evaluate(TITLES)
    page.close()
    assert [t[0] for t in titles] == [f"stage-{s.id}" for s in m.stages]
    adrift = [(ident, round(words - edge)) for ident, edge, words in titles if words - edge > INSET[renderer]]
    assert adrift == [], (map_id, renderer, adrift)
    assert all(words - edge >= 0 for _, edge, words in titles), (map_id, titles)  # inside its stage


#: The corners of a laid-out node's outline: x,y pairs.
CORNER = re.compile(r"(-?[\d.]+),-?[\d.]+")


@pytest.mark.embedded
@pytest.mark.parametrize(
    "words",
    [
        "Requests a password reset",
        "owner: Identity & Access",
        "\u2605 moment of truth",
        "feels \u00b13 \u00b7 W@M",
    ],
)
def test_a_label_is_as_wide_as_the_embedded_graphviz_measures_it(words: str) -> None:
    """The titles are sized by this estimate: it must be Graphviz's own, to the point."""
    text = label(words, width=80)
    svg = renderer("embedded").layout(
        f'digraph {{ node [fontname=Helvetica fontsize=14 shape=box margin=0 width=0.01]; a [label="{text}"] }}'
    )
    outline = re.search(r'class="node">.*?points="([^"]+)"', svg.decode(), re.S)
    assert outline is not None
    xs = [float(x) for x in CORNER.findall(outline.group(1))]
    assert abs(max(xs) - min(xs) - width(text, 14)) < 0.5, (words, max(xs) - min(xs), width(text, 14))
