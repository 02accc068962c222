"""A map's diagram opened on a phone, as a director shows it across a table: readable words
and the journey's first stage on screen, the rest a pan away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_pb_examples  # noqa: F401 - fixtures

PHONE = {"width": 390, "height": 844}

#: The height on screen of the smallest words of the diagram's shapes, and whether the first
#: stage's title (or, in a view without stages, the first shape) is inside the frame.
READ = """() => {
  const view = document.getElementById("diagram-view"), frame = view.getBoundingClientRect();
  const words = [...view.querySelectorAll("g.node text")].map((t) => t.getBoundingClientRect().height);
  const first = view.querySelector('g.node[id^="stage-"][id$="-title"] text, g.node text').getBoundingClientRect();
  return {smallest: Math.min(...words), inView: first.left >= frame.left && first.right <= frame.right
    && first.top >= frame.top && first.bottom <= frame.bottom};
}"""


@pytest.fixture(scope="module")
def site(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> Path:
    """The example maps' site, built once per test process (read-only)."""
    return pb_examples[0]


@pytest.mark.parametrize(
    "name",
    [
        "admin-locked-out.journey",
        "admin-locked-out-future.journey",
        "billing-dispute.journey",
        "production-outage.blueprint",
    ],
)
def test_a_diagram_opens_readable_on_a_phone_at_its_first_stage(site: Path, browser, name: str) -> None:
    """At 390 px the lockout journey opened at 46 %, its words 8 px tall, and the future-state
    one with its first stage half off the screen. It opens at 75 % at least (words about 14 px),
    the first stage's title on screen, and pans sideways to the rest."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto((site / "diagrams" / f"{name}.html").as_uri())
    level = int(page.locator("[data-zoom-level]").inner_text().split("\u2009")[0])
    read = page.evaluate(READ)
    assert level >= 75 and read["smallest"] >= 13, (level, read)
    assert read["inView"], read
    view = page.locator("#diagram-view")
    assert view.evaluate("v => v.scrollWidth > v.clientWidth")  # the rest is a pan away
    assert page.evaluate("document.documentElement.scrollWidth") <= 391  # the page itself stays put
    page.close()


#: Where the page shows the diagram's own title: each visible element whose words are the
#: title (the drawing's label in the SVG, or the page's line above the view), as boxes.
TITLE_SHOWN = """(title) => [...document.querySelectorAll("#diagram-view svg text, .diagram-page main p")]
  .filter((e) => e.textContent.trim() === title && getComputedStyle(e).visibility === "visible"
    && getComputedStyle(e).display !== "none" && e.getClientRects().length)
  .map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })"""


@pytest.mark.parametrize("font", ["as built", "wider"])
@pytest.mark.parametrize("name", ["billing-dispute.journey", "billing-dispute.blueprint"])
def test_on_a_phone_a_diagram_s_titles_are_read_whole(site: Path, browser, name: str, font: str) -> None:
    """At 390 px the drawing's own title ("Unexpected charge on the monthly invoice — Account
    owner (current state)") ran off the frame's right at the 75 % the diagram opens at, and
    where the phone's font is wider than the one Graphviz measured ("wider": DejaVu Sans for
    Liberation Sans) off its left too, centred as it is on its middle while the view starts
    past the drawing's margin. The page's heading and the drawing's title are each on screen
    whole; on a desktop and on paper the drawing keeps its own title."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto((site / "diagrams" / f"{name}.html").as_uri())
    if font == "wider":
        page.add_style_tag(content='#diagram-view svg text { font-family: "DejaVu Sans" !important; }')
    title = page.locator("#diagram-view svg g.graph > text").text_content().strip()
    heading = page.locator("h1").bounding_box()
    assert heading and heading["x"] >= 0 and heading["x"] + heading["width"] <= PHONE["width"], heading
    shown = page.evaluate(TITLE_SHOWN, title)
    assert all(left >= 0 and right <= PHONE["width"] for left, right in shown), (title, shown)
    # Said once: above the view when it adds to the heading (the journey's persona and
    # state), not at all when the heading says every word of it (the blueprint's).
    said = set(re.findall(r"\w+", page.locator("h1").inner_text().lower()))
    adds = not set(re.findall(r"\w+", title.lower())) <= said
    assert adds == name.endswith(".journey"), (title, said)
    assert len(shown) == (1 if adds else 0), (title, shown)
    page.emulate_media(media="print")  # printed from the phone: the whole drawing, its title in it
    assert page.locator("#diagram-view svg g.graph > text").is_visible()
    assert page.locator("[data-diagram-label]").is_hidden()
    page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "diagrams" / f"{name}.html").as_uri())
    assert page.locator("#diagram-view svg g.graph > text").is_visible()
    assert page.locator("[data-diagram-label]").is_hidden()
    page.close()
