"""A journey diagram as wide as what it draws: no blank band beside the stages, so the page
opens it, and prints it, as large as it can. Measured in a real browser on the SVG each
renderer lays out."""

from __future__ import annotations

import pytest

from journeymaps.diagrams import map_diagram, to_svg
from journeymaps.model import Project

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")
RENDERERS = [pytest.param("embedded", marks=pytest.mark.embedded), "system"]

#: Graphviz's own border around a drawing: the graph's pad (0.3 in) and its 8 pt margin,
#: with a few points to spare.
BORDER = 40

#: Boxes [x, y, width, height]: the whole drawing (its white background), each stage, the legend.
BOXES = """() => {
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; };
  const shape = (g) => box(g.querySelector('polygon, path'));
  return {
    drawing: box(document.querySelector('g.graph > polygon')),
    stages: [...document.querySelectorAll('g.cluster')].filter((g) => g.id.startsWith('stage-')).map(shape),
    legend: shape(document.getElementById('legend')),
  };
}"""


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_journey_starts_at_its_left_edge_with_the_legend_below(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """The billing and future-state journeys began 275 and 313 pt right of their drawing's
    left edge (the legend's invisible ties from every column's foot were routed there): 1691
    and 1436 pt wide for 1445 and 1152 pt of content, so pages and prints showed them at
    85 % and 80 % of the size they could have."""
    m = next(m for m in examples.maps if m.id == map_id)
    teams = {t.id: t.name for t in (examples.teams or {}).values()}
    page = browser.new_page()
    page.set_content(to_svg(map_diagram("journey", m, teams=teams), renderer).decode("utf-8"))
    found = page.evaluate(BOXES)
    page.close()
    dx, _, width, _ = found["drawing"]
    stages, legend = found["stages"], found["legend"]
    left = min(s[0] for s in stages)
    right = max(s[0] + s[2] for s in stages)
    assert left - dx <= BORDER, (map_id, "blank left of the first stage", left - dx)
    content = max(right - left, legend[2])
    assert width <= content + 2 * BORDER, (map_id, "wider than what it draws", width, content)
    # The legend is still there, whole, under the stages and inside the drawing.
    bottom = max(s[1] + s[3] for s in stages)
    assert legend[1] >= bottom, (map_id, "legend beside or over a stage", legend[1], bottom)
    assert dx <= legend[0] and legend[0] + legend[2] <= dx + width, (map_id, legend, found["drawing"])


#: Boxes [x, y, width, height]: the whole drawing, each shape, line and arrow drawn outside
#: the legend (the grid: its titles, steps, handoffs' words, the lines between lanes), the legend.
BLUEPRINT_BOXES = """() => {
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; };
  return {
    drawing: box(document.querySelector('g.graph > polygon')),
    grid: [...document.querySelectorAll('g.node, g.edge')]
      .filter((g) => !g.id.startsWith('legend') && g.getBBox().width > 0).map(box),
    legend: box(document.getElementById('legend').querySelector('polygon, path')),
  };
}"""


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_blueprint_is_as_wide_as_its_grid_with_the_legend_below(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    """The blueprint's legend stood right of its grid, as tall as a row and 400 to 600 pt
    wide: billing's blueprint opened at 64 % at 1280 px and printed as small. Under the grid
    it takes no width of its own, and the drawing shows at the size its grid allows."""
    m = next(m for m in examples.maps if m.id == map_id)
    teams = {t.id: t.name for t in (examples.teams or {}).values()}
    page = browser.new_page()
    page.set_content(to_svg(map_diagram("blueprint", m, teams=teams), renderer).decode("utf-8"))
    found = page.evaluate(BLUEPRINT_BOXES)
    page.close()
    dx, _, width, _ = found["drawing"]
    grid, legend = found["grid"], found["legend"]
    left, right = min(b[0] for b in grid), max(b[0] + b[2] for b in grid)
    bottom = max(b[1] + b[3] for b in grid)
    assert legend[1] >= bottom, (map_id, "legend beside the grid", legend[1], bottom)
    assert width <= max(right - left, legend[2]) + 2 * BORDER, (
        map_id,
        "wider than its grid",
        width,
        right - left,
    )
    assert dx <= legend[0] and legend[0] + legend[2] <= dx + width, (map_id, legend, found["drawing"])
