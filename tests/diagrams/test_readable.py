"""Diagrams a person can read, measured in a real browser on the laid-out SVG: journey
stages side by side with their tops aligned (no staircase), a legend that explains only what
is drawn, blueprint lines across the whole grid with every card and handoff inside it, words
instead of ids, and the lost-context handoff in the journey view too."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from journeymaps.diagrams import map_diagram, to_svg
from journeymaps.model import Map, Project
from journeymaps.settings import load_settings
from journeymaps.site.build import build

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")
#: Both renderers: the embedded Graphviz (Python 3.11+) and the system's dot.
RENDERERS = [pytest.param("embedded", marks=pytest.mark.embedded), "system"]


def _map(project: Project, map_id: str) -> Map:
    return next(m for m in project.maps if m.id == map_id)


def _names(project: Project) -> dict[str, str]:
    return {t.id: t.name for t in (project.teams or {}).values()}


def _open(browser, svg: bytes):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.set_content(svg.decode("utf-8"))
    return page


#: The bounding box of each cluster (a stage) in document order: [id, x, y, width, height].
CLUSTERS = """() => [...document.querySelectorAll('g.cluster')].filter(g => g.id.startsWith('stage-'))
  .map(g => { const b = g.querySelector('polygon, path').getBBox(); return [g.id, b.x, b.y, b.width, b.height]; })"""


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_journey_stages_stand_side_by_side_with_their_tops_aligned(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    m = _map(examples, map_id)
    page = _open(browser, to_svg(map_diagram("journey", m, teams=_names(examples)), renderer))
    boxes = page.evaluate(CLUSTERS)
    assert [b[0] for b in boxes] == [f"stage-{s.id}" for s in m.stages]
    tops = [b[2] for b in boxes]
    assert max(tops) - min(tops) <= 12, (map_id, tops)  # a stage label line at most
    lefts = [b[1] for b in boxes]
    assert lefts == sorted(lefts), (map_id, lefts)  # in list order, left to right
    for (_, x0, _, w0, _), (_, x1, _, _, _) in itertools.pairwise(boxes):
        assert x0 + w0 <= x1, map_id  # side by side, never stacked
    page.close()


LEGEND_TEXT = "() => [...document.querySelectorAll('[id^=legend] text')].map(t => t.textContent).join(' ')"


@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_legend_explains_only_what_the_diagram_shows(examples: Project, browser, renderer: str) -> None:
    billing = _map(examples, "billing-dispute")  # no loop, no technical pain, no dead end
    page = _open(browser, to_svg(map_diagram("journey", billing), renderer))
    legend = page.evaluate(LEGEND_TEXT)
    assert "technical pain point" not in legend and "loop back" not in legend and "dead end" not in legend
    assert "process pain point" in legend and "emotional pain point" in legend
    assert "context lost" in legend  # its lost handoff is drawn
    # One sample per emotion the map uses, its words inside it (no stripes to line up).
    samples = page.evaluate(
        "() => [...document.querySelectorAll('g.node[id^=legend-emotion]')].map(g => g.querySelector('text').textContent)"
    )
    assert samples == [
        "\u22123 very negative",
        "\u22122 negative",
        "\u22121 slightly negative",
        "+1 slightly positive",
    ]
    assert page.evaluate("() => document.querySelectorAll('g.node[id^=legend]').length") <= 8
    page.close()
    locked = _map(examples, "admin-locked-out")  # a loop with a breaker
    page = _open(browser, to_svg(map_diagram("journey", locked), renderer))
    assert "loop back, with its circuit breaker" in page.evaluate(LEGEND_TEXT)
    page.close()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_journey_shows_the_handoff_that_loses_context(examples: Project, browser, renderer: str) -> None:
    svg = to_svg(map_diagram("journey", _map(examples, "billing-dispute"), teams=_names(examples)), renderer)
    page = _open(browser, svg)
    label = page.locator(
        "g.edge-label[id='handoff-contact.agent-gathers-finance-review.finance-investigates-label']"
    )
    assert "handoff to Finance: context lost" in " ".join(label.locator("text").all_text_contents())
    page.close()


#: The blueprint's grid: where each line of interaction/visibility/internal interaction runs
#: (x from, x to, y), and the boxes of the step cards, stage headers and handoff arrows.
GRID = """() => {
  const box = e => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  const lines = {};
  for (const g of document.querySelectorAll('g.edge')) {
    const p = g.querySelector('path');
    if (!p || p.getAttribute('stroke-dasharray') === null) continue;
    const b = box(p);
    const y = Math.round(b[1]);
    lines[y] = lines[y] ? [Math.min(lines[y][0], b[0]), Math.max(lines[y][1], b[2])] : [b[0], b[2]];
  }
  const cards = [...document.querySelectorAll('g.node')].filter(g => g.id.startsWith('step-'))
    .map(g => [g.id, ...box(g.querySelector('polygon, path'))]);
  const heads = [...document.querySelectorAll('g.node')].filter(g => g.id.startsWith('stage-')).map(g => [g.id, ...box(g)]);
  const handoffs = [...document.querySelectorAll('g.edge')].filter(g => g.id.startsWith('handoff-'))
    .map(g => [g.id, ...box(g.querySelector('path'))]);
  return {lines: Object.entries(lines).map(([y, [a, b]]) => [+y, a, b]), cards, heads, handoffs};
}"""


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_blueprint_lines_span_the_grid_with_cards_and_handoffs_inside(
    examples: Project, browser, map_id: str, renderer: str
) -> None:
    m = _map(examples, map_id)
    page = _open(browser, to_svg(map_diagram("blueprint", m), renderer))
    grid = page.evaluate(GRID)
    lines = sorted(grid["lines"])
    assert len(lines) == 3, lines  # interaction, visibility, internal interaction
    right = max(x1 for _, _, _, x1, _ in grid["cards"] + grid["heads"])
    for y, _, end in lines:
        assert end >= right, (map_id, y, end, right)  # past the last column's cards
    # A card sits between the two lines around its lane, never across one.
    for ref, _, y0, _, y1 in grid["cards"]:
        for y, _, _ in lines:
            assert not (y0 < y < y1), (map_id, ref, y)
    # Handoff arrows stay inside the grid (they once looped out past the last column).
    for ident, x0, _, x1, _ in grid["handoffs"]:
        assert x1 <= max(end for _, _, end in lines) + 1 and x0 >= min(a for _, a, _ in lines) - 1, (
            map_id,
            ident,
        )
    page.close()


#: What is drawn on top where the lines run: along each handoff arrow (between its ends), and
#: along each dashed line where it passes through a handoff's label. Each point: what the
#: arrow or the line's own group is, and what the topmost shape there belongs to.
ON_TOP = """() => {
  const svg = document.querySelector('svg');
  const at = (path, length) => {
    const p = path.getPointAtLength(length).matrixTransform(path.getScreenCTM());
    const top = document.elementFromPoint(p.x, p.y);
    return top ? (top.closest('g.edge, g.edge-label, g.node') || top).id : null;
  };
  const hidden = [];
  for (const g of document.querySelectorAll('g.edge[id^=handoff-]')) {
    const path = g.querySelector('path');
    const n = path.getTotalLength();
    for (let i = 1; i < 10; i++) {
      const top = at(path, n * i / 10);
      if (top !== g.id && !(top || '').endsWith('-label')) hidden.push([g.id, i, top]);
    }
  }
  const struck = [];
  const labels = [...document.querySelectorAll('g.edge-label text, g.node[id^=handoff-] text')].map(t => [t, t.getBoundingClientRect()]);
  for (const g of document.querySelectorAll('g.edge')) {
    const path = g.querySelector('path');
    if (!path || path.getAttribute('stroke-dasharray') === null) continue;
    const n = path.getTotalLength();
    for (let l = 0; l < n; l += 1) {
      const p = path.getPointAtLength(l).matrixTransform(path.getScreenCTM());
      for (const [text, box] of labels) {
        if (p.x > box.left + 1 && p.x < box.right - 1 && p.y > box.top + 1 && p.y < box.bottom - 1) {
          const top = document.elementFromPoint(p.x, p.y);
          if (top !== text) struck.push([text.textContent, top && top.tagName]);
        }
      }
    }
  }
  return {hidden, struck, crossings: labels.length};
}"""


@pytest.mark.parametrize("renderer", RENDERERS)
def test_blueprint_handoffs_and_their_labels_are_not_drawn_over(
    examples: Project, browser, renderer: str
) -> None:
    """The billing dispute's blueprint: the dashed line of internal interaction ran through
    "handoff, SLA 1bd" (drawn after the label), and the empty cells, drawn as white boxes,
    hid part of the blue handoff arrow."""
    m = _map(examples, "billing-dispute")
    page = browser.new_page(viewport={"width": 2400, "height": 1400})
    page.set_content(to_svg(map_diagram("blueprint", m, teams=_names(examples)), renderer).decode("utf-8"))
    seen = page.evaluate(ON_TOP)
    assert seen["crossings"] >= 4, seen  # both handoffs' labels, three lines each
    assert seen["hidden"] == [], seen["hidden"]
    assert seen["struck"] == [], seen["struck"]
    page.close()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_blueprint_cards_say_the_channel_once_in_words(examples: Project, browser, renderer: str) -> None:
    m = _map(examples, "billing-dispute")
    page = _open(browser, to_svg(map_diagram("blueprint", m), renderer))
    lines = page.evaluate(
        "() => [...document.querySelectorAll('#step-resolution\\\\.refund-email text')].map(t => t.textContent)"
    )
    assert lines[-3:-1] == ["email", "via email"] or "via email" in lines, lines
    assert [a for a, b in itertools.pairwise(lines) if a == b] == []  # no "email / email"
    page.close()


def test_site_diagrams_say_team_names_and_redraw_when_a_name_changes(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "maps").mkdir(parents=True)
    for name in ("teams.yaml", "personas.yaml", "support/admin-locked-out.yaml"):
        (project / "maps" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "maps" / name).write_bytes((ROOT / "maps" / name).read_bytes())
    settings = load_settings(project)
    build([project / "maps"], settings, project, project / "site", today=TODAY)
    for view in ("journey", "blueprint"):
        svg = (project / "site" / "diagrams" / f"admin-locked-out.{view}.svg").read_text("utf-8")
        assert "owner: Customer Support" in svg and "owner: support" not in svg, view
    teams = (project / "maps" / "teams.yaml").read_text("utf-8")
    (project / "maps" / "teams.yaml").write_text(
        teams.replace("Customer Support (Tier 1)", "Frontline Support")
    )
    build([project / "maps"], settings, project, project / "site", today=TODAY)
    svg = (project / "site" / "diagrams" / "admin-locked-out.journey.svg").read_text("utf-8")
    assert "owner: Frontline Support" in svg


def test_diagrams_drawn_by_the_workers_say_persona_and_team_names(tmp_path: Path) -> None:
    """The worker processes (four maps or more, two jobs) are sent the shared personas and
    the team names, and draw them as the main process would."""
    project = tmp_path / "p"
    (project / "maps").mkdir(parents=True)
    for path in (ROOT / "maps").rglob("*.yaml"):
        target = project / "maps" / path.relative_to(ROOT / "maps")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    result = build([project / "maps"], load_settings(project), project, project / "site", today=TODAY, jobs=2)
    assert result.laid and all(x.ok for x in result.laid)
    admin = (project / "site" / "diagrams" / "admin-locked-out.journey.svg").read_text("utf-8")
    assert "Workspace admin" in admin  # the shared persona's name, in the title
    assert "Customer Support (Tier 1)" in admin  # a team's name, not its id
    for view in ("journey", "blueprint"):
        for svg in (project / "site" / "diagrams").glob(f"*.{view}.svg"):
            assert "owner: support" not in svg.read_text("utf-8"), svg.name


def test_a_drawing_worker_imports_only_what_drawing_needs() -> None:
    """Each worker is a new process that imports the worker module and starts the renderer:
    not the schema validator, the project loader or the package metadata."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from journeymaps.site import drawer\n"
        "from journeymaps.diagrams.render import renderer\n"
        "renderer('embedded')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(run.stdout.split())
    assert "wasmtime" in loaded and "journeymaps.model" in loaded
    unused = {"journeymaps.validate", "jsonschema_rs", "journeymaps.project", "importlib.metadata", "jinja2"}
    assert loaded & unused == set()
    # Nor the YAML loader: a worker receives each map's data already parsed.
    assert loaded & {"journeymaps.loader", "yaml"} == set()


def test_a_worker_draws_every_example_map_as_the_build_process_does(
    examples: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker models each map from its sent data, not from a loaded file: every view comes
    out drawn, byte for byte as drawn from the map the build modelled (a worker that failed
    to model one would leave it to the build process, unseen but slower)."""
    from journeymaps.site import drawer

    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path))
    names = {t.id: t.name for t in (examples.teams or {}).values()}
    monkeypatch.setattr(drawer, "_personas", examples.personas)
    monkeypatch.setattr(drawer, "_team_names", names)
    views = ["journey", "blueprint"]
    for m in examples.maps:
        job = (
            str(m.src.path),
            m.src.data,
            m.slug,
            [(v, f"key-{m.slug}-{v}") for v in views],
            "embedded",
            30.0,
            None,  # not measured: see tests/site/test_measured_diagram.py
        )
        drawn, part = drawer.draw_map(job)
        assert part is None
        assert [(view, svg, error) for view, _, svg, error in drawn] == [(v, None, None) for v in views]
        for view, name, _, _ in drawn:
            assert name is not None
            expected = to_svg(map_diagram(view, m, page=drawer.map_page(m), teams=names), "embedded")
            assert (tmp_path / "diagrams" / name).read_bytes() == expected
