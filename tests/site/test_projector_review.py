"""The example site read as a support director reads it on a projector and a phone: the
worst moment the summary names is the one the curve marks, and quotes read as typeset."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_example_site  # noqa: F401 - fixtures

from conftest import MAP_HEAD, site_of

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


#: The summary tile's first line (what it calls the worst moment and its name), the curve's
#: words at the point it marks worst or lowest, and that point's and the main path's lowest
#: heights (the main path: its solid line's points; y grows downwards).
WORST = r"""() => {
  const said = document.querySelector('.tile.moments p').innerText;
  const curve = document.querySelector('svg.curve, .canvas svg');
  const values = [...document.querySelectorAll('text.value')];
  const marked = values.filter((t) => /\b(worst|lowest)\b/.test(t.textContent));
  const y = (t) => parseFloat(t.previousElementSibling.getAttribute('cy'));  // its point's
  const main = [...document.querySelectorAll('line.main')]
    .flatMap((l) => [parseFloat(l.getAttribute('y1')), parseFloat(l.getAttribute('y2'))]);
  const names = marked.map((t) => t.previousElementSibling.querySelector('title').textContent);
  return {said, marked: marked.map((t) => [t.textContent, y(t)]), names,
          lowest: main.length ? Math.max(...main) : null};
}"""


def _worst(browser, page_path: Path) -> dict:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_path.as_uri())
    found: dict = page.evaluate(WORST)
    page.close()
    return found


@pytest.mark.parametrize("map_id", EXAMPLES)
def test_the_worst_moment_named_is_the_one_the_curve_marks(site: Path, browser, map_id: str) -> None:
    """The future-state map's summary said "Worst: ±0 neutral Lockout screen..." while its
    curve marked only "+3 best": the moment the tile names is the one the curve marks, at the
    main path's lowest point, and a moment that is not negative is called the lowest."""
    found = _worst(browser, site / "maps" / f"{map_id}.html")
    assert len(found["marked"]) == 1, found
    (words, y), name = found["marked"][0], found["names"][0].split(":")[0]
    assert y == found["lowest"], found
    label = "Worst" if "worst" in words else "Lowest"
    assert found["said"].startswith(f"{label}:") and found["said"].endswith(name), found


def test_a_best_moment_before_the_worst_does_not_hide_it(tmp_path: Path, browser) -> None:
    """The curve marked only the most intense moment: a +3 before a -3 was "+3 best", and the
    -3 the summary called the worst was a plain point."""
    body = (
        "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n"
        "  - {id: a, name: Joy, emotion: 3, evidence: [{source: zendesk, kind: tickets}]}\n"
        "  - {id: b, name: Pain, emotion: -3, evidence: [{source: zendesk, kind: tickets}]}\n"
        "  - {id: c, name: Calm, emotion: 0, evidence: [{source: zendesk, kind: tickets}]}\n"
    )
    out = site_of(tmp_path, {"m.yaml": body})
    found = _worst(browser, out / "maps" / "m.html")
    assert [w for w, _ in found["marked"]] == ["\u22123 worst"], found
    assert found["said"].startswith("Worst:") and found["said"].endswith("Pain"), found


QUOTED = (
    "id: m\ntitle: M\n" + MAP_HEAD + "stages:\n"
    "  - id: a\n    name: Resolved\n    evidence: [{source: zendesk, kind: tickets}]\n"
    "    thinking: 'Why can''t I \"just\" log in?'\n    steps:\n"
    '      - id: mail\n        name: Generic "resolved" email\n        lane: frontstage\n'
    '        does: Reads a "resolved" mail.\n'
    "        thinks: 'It said \"resolved\" but it isn''t'\n"
    "      - id: again\n        name: Checks again\n        lane: customer\n"
    "        thinks: '\"Is it us?\"'\n"
)


def test_a_thought_with_quotes_reads_as_typeset(tmp_path: Path, browser) -> None:
    """A thought holding quotes was shown as “It said "resolved" but it isn't”, and one the
    writer put in quotes as ““Is it us?””: a thought is quoted once, in curly marks, its own
    quotes nested inside as single ones; the words around it have curly quotes too."""
    out = site_of(tmp_path, {"m.yaml": QUOTED})
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((out / "maps" / "m.canvas.html").as_uri())
    thoughts = page.locator(".cell.thinks").all_inner_texts()
    assert thoughts == ["\u201cIt said \u2018resolved\u2019 but it isn\u2019t\u201d", "\u201cIs it us?\u201d"]
    assert page.locator(".cell.does").all_inner_texts() == ["Reads a \u201cresolved\u201d mail."]
    assert "Generic \u201cresolved\u201d email" in page.locator(".step-card a").all_inner_texts()
    page.goto((out / "maps" / "m.html").as_uri())
    steps = page.locator("#step-a\\.mail td[data-label^='Does']").inner_text()
    assert "\u201cIt said \u2018resolved\u2019 but it isn\u2019t\u201d" in steps, steps
    assert '"' not in page.locator("#step-a\\.again").inner_text()
    stage = page.locator("#stage-a dd").all_inner_texts()
    assert "\u201cWhy can\u2019t I \u2018just\u2019 log in?\u201d" in stage, stage
    page.close()


#: The curve's words (each point's value, a branch's and a loop's label) whose box a level
#: line (+3, 0, -3) runs through, with that line's height.
STRUCK = r"""() => {
  const svg = document.querySelector('svg.canvas-curve');
  const levels = [...svg.querySelectorAll('line.level')].map((l) => l.y1.baseVal.value);
  const struck = [];
  for (const t of svg.querySelectorAll('text.value, text.branch-label, text.loop-label')) {
    const b = t.getBBox();
    for (const y of levels) if (y > b.y - 1 && y < b.y + b.height + 1) struck.push([t.textContent, y]);
  }
  return {struck, texts: svg.querySelectorAll('text.value').length};
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_no_level_line_runs_through_the_curves_words(site: Path, browser, map_id: str, width: int) -> None:
    """The outage's and the billing dispute's "-1" sat on the curve's zero line, the locked-out
    admin's "+2" on its +3 line, and the future state's "branch: still locked" was struck
    through by the zero line: words on the curve keep clear of its level lines."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "maps" / f"{map_id}.canvas.html").as_uri())
    found = page.evaluate(STRUCK)
    page.close()
    assert found["texts"] >= 3, found
    assert found["struck"] == [], found


#: Each point's value on the curve that a line of the curve (the main path or a branch)
#: runs through over its point, or cuts through the white box behind it (2 px round the
#: words), with that line's height there.
CROSSED = r"""() => {
  const svg = document.querySelector('svg.canvas-curve');
  const lines = [...svg.querySelectorAll('line.main, line.branch')].map((l) =>
    [l.x1.baseVal.value, l.y1.baseVal.value, l.x2.baseVal.value, l.y2.baseVal.value]);
  const crossed = [];
  for (const t of svg.querySelectorAll('text.value')) {
    const b = t.getBBox(), x = b.x + b.width / 2;
    for (const [x1, y1, x2, y2] of lines) {
      if (x < Math.min(x1, x2) || x > Math.max(x1, x2) || x1 === x2) continue;
      const y = y1 + (y2 - y1) * (x - x1) / (x2 - x1);
      if (y > b.y - 3 && y < b.y + b.height + 3) crossed.push([t.textContent, Math.round(y)]);
    }
  }
  return crossed;
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_no_line_of_the_curve_runs_through_a_value_over_its_point(
    site: Path, browser, map_id: str, width: int
) -> None:
    """Billing's branch passed over its worst moment through "-3 worst", and the future
    state's main path over its branch's "+1": a white box behind the words kept them
    legible, struck through. A value stands above any line passing over its point."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "maps" / f"{map_id}.canvas.html").as_uri())
    crossed = page.evaluate(CROSSED)
    page.close()
    assert crossed == [], crossed


#: Each step card of the canvas whose edge comes within 3 px of its lane's top or bottom
#: (where the lane band, or the dashed line between lanes, begins): [id, above, below].
CARDS_AT_THE_LANE_EDGE = r"""() => {
  const bands = [...document.querySelectorAll('.canvas .lane-band')];
  const near = [];
  for (const card of document.querySelectorAll('.canvas .step-card')) {
    const lane = [...card.classList].find((k) => k.startsWith('lane-'));
    const band = bands.find((b) => b.classList.contains(lane)).getBoundingClientRect();
    const box = card.getBoundingClientRect();
    const above = box.top - band.top, below = band.bottom - box.bottom;
    if (above < 3 || below < 3) near.push([card.id, +above.toFixed(1), +below.toFixed(1)]);
  }
  return near;
}"""


@pytest.mark.parametrize("page_name", ["{}.html", "{}.canvas.html"])
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_a_printed_card_stands_clear_of_its_lane_s_edges(
    site: Path, browser, map_id: str, page_name: str
) -> None:
    """Printed, the outage's "Fix deployed" card, "SLA 30 minutes" on its last line, sat on
    the edge of the support lane below it, and every frontstage card on the line of
    visibility: 1.7 px apart on an A4 sheet. A card keeps 3 px of its lane around it."""
    page = browser.new_page(viewport={"width": 1123, "height": 794})  # A4 landscape
    page.goto((site / "maps" / page_name.format(map_id)).as_uri())
    page.emulate_media(media="print")
    near = page.evaluate(CARDS_AT_THE_LANE_EDGE)
    page.close()
    assert near == [], near


#: Each point's words on the curve whose box (the words' whole width and height) a line of
#: the curve (the main path or a branch) crosses anywhere, with that line's ends.
BOX_CROSSED = r"""() => {
  const svg = document.querySelector('svg.canvas-curve');
  const lines = [...svg.querySelectorAll('line.main, line.branch')].map((l) =>
    [l.x1.baseVal.value, l.y1.baseVal.value, l.x2.baseVal.value, l.y2.baseVal.value]);
  const crosses = ([x1, y1, x2, y2], b) => {  // the segment clipped to the box (Liang-Barsky)
    let t0 = 0, t1 = 1;
    const dx = x2 - x1, dy = y2 - y1;
    for (const [p, q] of [[-dx, x1 - b.x], [dx, b.x + b.width - x1], [-dy, y1 - b.y], [dy, b.y + b.height - y1]]) {
      if (p === 0) { if (q < 0) return false; continue; }
      const r = q / p;
      if (p < 0) { if (r > t1) return false; t0 = Math.max(t0, r); }
      else { if (r < t0) return false; t1 = Math.min(t1, r); }
    }
    return t0 <= t1;
  };
  const crossed = [];
  for (const t of svg.querySelectorAll('text.value')) {
    const b = t.getBBox();
    for (const l of lines) if (crosses(l, b)) crossed.push([t.textContent, l.map(Math.round)]);
  }
  return crossed;
}"""


@pytest.mark.parametrize(("media", "width"), [("screen", 1280), ("screen", 390), ("print", 1123)])
@pytest.mark.parametrize("page_name", ["{}.html", "{}.canvas.html"])
@pytest.mark.parametrize("map_id", EXAMPLES)
def test_no_line_of_the_curve_crosses_a_point_s_words(
    site: Path, browser, map_id: str, page_name: str, media: str, width: int
) -> None:
    """The lockout's "-3 worst ★ moment of truth", centred over its low point, was wider than
    the dip: the lines rising to the points beside it ran under both of its ends (its white
    box cut them short). No line of the curve crosses a point's words, on screen or paper."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "maps" / page_name.format(map_id)).as_uri())
    page.emulate_media(media=media)
    crossed = page.evaluate(BOX_CROSSED)
    page.close()
    assert crossed == [], crossed
