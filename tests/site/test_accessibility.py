"""axe-core (from the npm registry, pinned by tests/a11y/package-lock.json) over every page
type at desktop and phone width: no serious or critical violation.

Set up once with ``npm ci --prefix tests/a11y``; nothing is fetched from a CDN."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_sites import pooled_browser, shared_pb_examples  # noqa: F401 - fixtures

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SETUP = "npm ci --prefix tests/a11y"

#: Pages visited besides the first of each template: the other example maps (a future
#: state, a map with branches and measured numbers) put other parts of the same templates on screen.
MORE_PAGES = [
    "maps/billing-dispute.html",
    "maps/admin-locked-out.html",
    "diagrams/billing-dispute.blueprint.html",
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is not installed: run `{SETUP}` in the repository (it reads tests/a11y/package-lock.json)"
        )
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module")
def built(pb_examples: tuple[Path, dict[str, list[str]], set[str]]) -> tuple[Path, list[str], set[str]]:
    """The examples' site (built once per test process, read-only), and one page of each
    template the page registry used (the first made with it), then :data:`MORE_PAGES`."""
    out, made, types = pb_examples
    first = [paths[0] for _, paths in sorted(made.items())]
    return out, first + [p for p in MORE_PAGES if p not in first], types


@pytest.fixture(scope="module")
def site(built: tuple[Path, list[str], set[str]]) -> Path:
    return built[0]


def test_every_page_type_is_checked(built: tuple[Path, list[str], set[str]]) -> None:
    """Each page type of the registry made at least one page of the examples, so the check
    below reaches it (the scorecard was once left out of a list kept by hand)."""
    from journeymaps.site.registry import PAGES

    _, names, types = built
    assert types == {kind.pages.__name__ for kind in PAGES}
    assert {"scorecard.html", "findings.html", "diagrams/billing-dispute.blueprint.html"} <= set(names)


def serious(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The serious and critical violations axe-core finds on ``page`` (a ``file://`` page;
    the ``axe_source`` fixture checks that axe-core is installed)."""
    # By its address, not its 650 kB of text: the text crossed Python, Playwright's driver
    # and Chromium's protocol again for each page and was compiled anew; a script file is
    # read and its compiled code cached by Chromium.
    page.add_script_tag(url=AXE.as_uri())
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("label", "viewport"),
    [("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_no_serious_or_critical_violation(
    built: tuple[Path, list[str], set[str]], browser, axe_source: str, label: str, viewport: dict[str, int]
) -> None:
    site, names, _ = built
    page = browser.new_page(viewport=viewport)
    found = {}
    for name in names:
        page.goto((site / name).as_uri())
        if name == "index.html":  # the search open, with results: its markup counts too
            page.locator("#search-input").fill("refund")
            page.locator("#search-results a").first.wait_for()  # the index arrives after the typing
        if violations := serious(page):
            found[name] = violations
    assert found == {}, label
    page.close()


def test_the_check_finds_what_it_is_for(site: Path, browser, axe_source: str) -> None:
    """The check itself: the old search box (aria-expanded on a plain input) is critical."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.evaluate("document.getElementById('search-input').setAttribute('aria-expanded', 'false')")
    assert any("aria-allowed-attr" in v for v in serious(page))
    page.close()


def test_what_changed_over_a_quarter(quarter: Path, browser, axe_source: str) -> None:
    """The What changed page and a map's section with a quarter of changes in them (the
    examples' own history is short), with their lists opened. The quarter's history and
    site are the test process's own (``quarter``, shared read-only with the history tests)."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    found = {}
    for name in ("changes.html", "maps/billing-dispute.html"):
        page.goto((quarter / "site" / name).as_uri())
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if violations := serious(page):
            found[name] = violations
    assert found == {}
    page.close()
