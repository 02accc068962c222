"""Quotation marks on every page of a site with a history: the site typesets quotes curly
(“…”); the What changed lists of the map pages and the What changed page showed the
changes' quotations straight ("…"), and a team's steps and an opportunity's hypothesis
kept the map's own straight marks, beside curly ones elsewhere on the same page."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The page's visible words, leaving out code (a command, a YAML snippet keeps its marks).
VISIBLE_PROSE = """() => {
  const main = document.querySelector("main").cloneNode(true);
  main.querySelectorAll("code, pre, kbd, samp, script, style").forEach(e => e.remove());
  document.body.appendChild(main);  // innerText needs it laid out
  const text = main.innerText;
  main.remove();
  return text;
}"""


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "diagrams" not in p.parts)


def test_no_page_shows_a_straight_double_quote_in_its_prose(quarter: Path, browser) -> None:
    site = quarter / "site"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    straight: dict[str, list[str]] = {}
    for path in _pages(site):
        page.goto(path.as_uri())
        # The format page's selector example (group:"Tier 2") is syntax, quoted as typed.
        text = page.evaluate(VISIBLE_PROSE).replace('group:"Tier 2"', "")
        lines = [line for line in text.splitlines() if '"' in line]
        if lines:
            straight[str(path.relative_to(site))] = lines[:3]
    page.close()
    assert straight == {}, "\n".join(f"{k}: {v}" for k, v in straight.items())


@pytest.mark.parametrize("width", [1280, 390])
def test_a_map_s_what_changed_list_quotes_curly(quarter: Path, browser, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page.goto((quarter / "site" / "maps" / "billing-dispute.html").as_uri())
    items = page.locator("#map-changed ~ ul.changes li, #map-changed ~ .map-event").all_inner_texts()
    page.close()
    assert any("owner of stage \u201cInvoice review\u201d" in i for i in items), items
