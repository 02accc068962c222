"""Each view of each example map, drawn by a real browser: not blank, a sensible size, and
every node's text inside its shape (the embedded Graphviz only estimates font metrics)."""

from __future__ import annotations

import pytest

from journeymaps.diagrams import MAP_VIEWS, Diagram, map_diagram, project_diagram, to_svg
from journeymaps.model import Project

# Runs in the page: pixel statistics of the SVG drawn on a canvas, and any node or cluster
# whose text sticks out of its shape.
MEASURE = """async () => {
  const svg = document.querySelector('svg');
  const overflow = [];
  for (const g of svg.querySelectorAll('g.node, g.cluster')) {
    const shapes = [...g.querySelectorAll(':scope > polygon, :scope > ellipse, :scope > path')];
    if (!shapes.length) continue;  // plaintext nodes have no shape to fit in
    const boxes = shapes.map(s => s.getBBox());  // a striped node is one polygon per stripe
    const x0 = Math.min(...boxes.map(b => b.x)), y0 = Math.min(...boxes.map(b => b.y));
    const box = {x: x0, y: y0, width: Math.max(...boxes.map(b => b.x + b.width)) - x0,
                 height: Math.max(...boxes.map(b => b.y + b.height)) - y0};
    for (const t of g.querySelectorAll(':scope > text')) {
      const b = t.getBBox();
      if (b.x < box.x - 1 || b.y < box.y - 1 || b.x + b.width > box.x + box.width + 1
          || b.y + b.height > box.y + box.height + 1) {
        overflow.push(g.id + ': ' + t.textContent);
      }
    }
  }
  const img = new Image();
  // As XML: outerHTML writes a no-break space as "&nbsp;", which no SVG file may hold.
  const xml = new XMLSerializer().serializeToString(svg);
  img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(xml)));
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white'; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0; const colours = new Set();
  for (let i = 0; i < data.length; i += 4 * 7) {
    if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) ink++;
    colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
  }
  return {width: img.width, height: img.height, ink: ink / (data.length / 28), colours: colours.size, overflow};
}"""


def _diagrams(project: Project) -> list[Diagram]:
    found = [map_diagram(view, m) for m in project.maps for view in MAP_VIEWS]
    return [*found, project_diagram("teams", project)]


def test_every_view_looks_like_a_diagram(examples: Project, browser, screenshots) -> None:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    for diagram in _diagrams(examples):
        svg = to_svg(diagram).decode("utf-8")
        page.set_content(f"<!doctype html><html><body style='margin:0;background:white'>{svg}</body></html>")
        page.locator("svg").first.screenshot(path=str(screenshots / f"{diagram.filename}.png"))
        stats = page.evaluate(MEASURE)
        name = diagram.filename
        assert 400 <= stats["width"] <= 8000 and 150 <= stats["height"] <= 5000, (name, stats)
        assert 0.03 <= stats["ink"] <= 0.9, (name, stats)  # neither blank nor a solid block
        assert stats["colours"] >= 8, (name, stats)  # emotion fills, lines and text all drawn
        assert stats["overflow"] == [], (name, stats["overflow"])
    page.close()


@pytest.mark.parametrize("renderer", [pytest.param("embedded", marks=pytest.mark.embedded), "system"])
def test_both_renderers_draw_in_a_browser(examples: Project, browser, renderer: str) -> None:
    page = browser.new_page()
    m = next(m for m in examples.maps if m.id == "billing-dispute")
    page.set_content(f"<!doctype html><body>{to_svg(map_diagram('journey', m), renderer).decode()}</body>")
    assert page.locator("#stage-review").count() == 1
    assert (
        page.locator("svg > title").first.text_content()
        == "Journey of Unexpected charge on the monthly invoice"
    )
    page.close()
