"""Edge labels a presenter can read: laid out by real Graphviz and measured in the browser on
the SVG, a flow's label between two stages is never drawn over a stage's title, and a team
handoff's label never touches its own arrow."""

from __future__ import annotations

import pytest

from journeymaps.diagrams import map_diagram, project_diagram, to_svg
from journeymaps.model import Project

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")
RENDERERS = [pytest.param("embedded", marks=pytest.mark.embedded), "system"]

#: Boxes [x, y, width, height] of the texts of each kind: the stages' titles (a cluster's
#: own label, or the title shape of its column) and every edge's label.
TEXT_BOXES = """() => {
  const box = (t) => { const b = t.getBBox(); return [b.x, b.y, b.width, b.height, t.textContent]; };
  const titles = [...document.querySelectorAll(
    'g.cluster[id^="stage-"] text, g.node[id^="stage-"][id$="-title"] text')].map(box);
  const labels = [...document.querySelectorAll('g.edge-label text, g.edge > text, g.edge a > text')]
    .map(box);
  return {titles, labels};
}"""

#: For each edge with a label: the label's text boxes and points along its own line.
EDGE_LINES = r"""() => [...document.querySelectorAll('g.edge')].map((g) => {
  const label = document.getElementById(g.id + '-label');
  const texts = [...(label || g).querySelectorAll('text')].filter((t) => t.textContent.trim());
  const path = g.querySelector('path');
  const points = [];
  for (let i = 0; path && i <= 200; i++) {
    const p = path.getPointAtLength(path.getTotalLength() * i / 200);
    points.push([p.x, p.y]);
  }
  // The box of each line's ink: from its first to its last visible character (the spaces
  // around words are air, not text a reader sees touching the line).
  const ink = (t) => {
    const s = t.textContent, b = t.getBBox();
    const first = s.search(/\S/), last = s.length - 1 - [...s].reverse().join('').search(/\S/);
    const x0 = t.getStartPositionOfChar(first).x, x1 = t.getEndPositionOfChar(last).x;
    return [x0, b.y, x1 - x0, b.height];
  };
  return {id: g.id, boxes: texts.map(ink), points};
}).filter((e) => e.boxes.length)"""


def _overlap(a: list[float], b: list[float]) -> bool:
    """Whether two boxes [x, y, width, height] share any area."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _distance(point: list[float], box: list[float]) -> float:
    """How far a point is from a box (0 inside it)."""
    dx = max(box[0] - point[0], 0.0, point[0] - (box[0] + box[2]))
    dy = max(box[1] - point[1], 0.0, point[1] - (box[1] + box[3]))
    return float((dx * dx + dy * dy) ** 0.5)


def _open(browser, svg: bytes):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.set_content(svg.decode("utf-8"))
    return page


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_no_flow_label_is_drawn_over_a_stage_title(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """The future-state map's "still locked (SSO-enforced workspace)", between two adjacent
    stages, was written across both stages' titles ("Self-service recovery", "Priority chat")."""
    m = next(m for m in examples.maps if m.id == map_id)
    page = _open(browser, to_svg(map_diagram("journey", m), renderer))
    found = page.evaluate(TEXT_BOXES)
    assert found["titles"], map_id
    clashes = [
        (label[4], title[4])
        for label in found["labels"]
        for title in found["titles"]
        if _overlap(label, title)
    ]
    assert clashes == [], (map_id, clashes)
    page.close()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_team_handoffs_label_stands_clear_of_its_arrow(examples: Project, browser, renderer: str) -> None:
    """ "SLA 30 minutes, 4 hours" sat on the blue arrow it describes, and "⚠ 1 handoff loses
    context" on the vermillion one: each label keeps a few pixels of air from its line."""
    page = _open(browser, to_svg(project_diagram("teams", examples), renderer))
    edges = page.evaluate(EDGE_LINES)
    assert len(edges) >= 2
    for edge in edges:
        nearest = min(_distance(p, box) for p in edge["points"] for box in edge["boxes"])
        assert nearest >= 4, (edge["id"], nearest)
    page.close()


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_blueprint_handoffs_words_stand_clear_of_its_arrow(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """The outage blueprint's "handoff / SLA 30 minutes / context carried" ended where its
    arrow went up from "Fix deployed": the words touched the line they describe."""
    m = next(m for m in examples.maps if m.id == map_id)
    page = _open(browser, to_svg(map_diagram("blueprint", m), renderer))
    edges = [e for e in page.evaluate(EDGE_LINES) if e["id"].startswith("handoff-")]
    assert edges or not m.handoffs, map_id
    for edge in edges:
        nearest = min(_distance(p, box) for p in edge["points"] for box in edge["boxes"])
        assert nearest >= 4, (map_id, edge["id"], nearest)
    page.close()


#: Each handoff's words, as ``words``: their ink (as in :data:`EDGE_LINES`) and text. The
#: start of the scripts below, which each return what they measure the words against.
HANDOFF_WORDS = r"""() => {
  const ink = (t) => {
    const s = t.textContent, b = t.getBBox();
    const first = s.search(/\S/), last = s.length - 1 - [...s].reverse().join('').search(/\S/);
    const x0 = t.getStartPositionOfChar(first).x, x1 = t.getEndPositionOfChar(last).x;
    return [x0, b.y, x1 - x0, b.height, s.trim()];
  };
  const words = [];
  for (const g of document.querySelectorAll('g.edge[id^="handoff-"]')) {
    const label = document.getElementById(g.id + '-label');
    words.push(...[...(label || g).querySelectorAll('text')].filter((t) => t.textContent.trim()).map(ink));
  }
"""

#: The handoffs' words and points along every one of the blueprint's dashed lines
#: (interaction, visibility, internal interaction).
HANDOFF_WORDS_AND_LANE_LINES = (
    HANDOFF_WORDS
    + r"""
  const points = [];
  for (const g of document.querySelectorAll('g.edge')) {
    const title = g.querySelector('title');
    if (!title || !title.textContent.startsWith('__line.')) continue;
    const path = g.querySelector('path');
    for (let i = 0; i <= 100; i++) {
      const p = path.getPointAtLength(path.getTotalLength() * i / 100);
      points.push([p.x, p.y]);
    }
  }
  return {words, points};
}"""
)


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_blueprint_handoffs_words_stand_clear_of_the_lane_lines(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """The outage blueprint's "context carried" sat on the line of visibility, and every
    example's handoff had a line of words struck through by a lane's dashed line: a
    handoff's words keep a few pixels of air from each line between the lanes."""
    m = next(m for m in examples.maps if m.id == map_id)
    page = _open(browser, to_svg(map_diagram("blueprint", m), renderer))
    found = page.evaluate(HANDOFF_WORDS_AND_LANE_LINES)
    assert found["points"], map_id
    assert found["words"] or not m.handoffs, map_id
    struck = [
        (word[4], round(near, 1))
        for word in found["words"]
        if (near := min(_distance(p, word) for p in found["points"])) < 4
    ]
    assert struck == [], (map_id, struck)
    page.close()


#: The handoffs' words and the box of every step's card.
HANDOFF_WORDS_AND_CARDS = (
    HANDOFF_WORDS
    + r"""
  const cards = [...document.querySelectorAll('g.node[id^="step-"]')].map((g) => {
    const b = g.querySelector('polygon, path').getBBox();
    return [b.x, b.y, b.width, b.height, g.id];
  });
  return {words, cards};
}"""
)


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_blueprint_handoffs_words_do_not_touch_a_card(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """The outage blueprint's "handoff / SLA 30 minutes" sat against the bottom of the
    "Generic "resolved" email" card: a handoff's words keep 4 px from every card."""
    m = next(m for m in examples.maps if m.id == map_id)
    page = _open(browser, to_svg(map_diagram("blueprint", m), renderer))
    found = page.evaluate(HANDOFF_WORDS_AND_CARDS)
    assert found["cards"], map_id
    grown = [[c[0] - 4, c[1] - 4, c[2] + 8, c[3] + 8, c[4]] for c in found["cards"]]
    touching = [(w[4], c[4]) for w in found["words"] for c in grown if _overlap(w, c)]
    assert touching == [], (map_id, touching)
    page.close()
