"""The search box in Chromium when the query names something whole: a map's id or file name
pasted from the YAML, a CI log or a review, a title typed word for word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from journeymaps.settings import load_settings
from journeymaps.site.build import build


def _map(map_id: str, title: str, step: str) -> str:
    return "\n".join(
        [
            f"id: {map_id}",
            f"title: {title}",
            "owner: finance",
            "reviewed: 2026-11-16",
            "persona: {name: Account owner, archetype: no-code user}",
            "stages:",
            "  - id: contact",
            "    name: Contact support",
            "    owner: support",
            "    emotion: -1",
            "    evidence: [{source: zendesk, kind: tickets}]",
            "    steps:",
            f"      - {{id: asks, name: {step}, lane: frontstage}}",
            "",
        ]
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps (``billing-dispute`` is titled "Unexpected charge on the monthly
    invoice"), with maps before them by path whose titles hold the words of its id, and a
    map whose file is not named by its id."""
    maps = tmp_path_factory.mktemp("names") / "maps"
    shutil.copytree(ROOT / "maps", maps)
    (maps / "a-enterprise.yaml").write_text(
        _map("enterprise-billing", "Billing dispute on an enterprise contract", "Disputes the billing"),
        "utf-8",
    )
    (maps / "b-twice.yaml").write_text(
        _map("refund-again", "Refund promised twice", "Asks when the refund comes"), "utf-8"
    )
    (maps / "c-once.yaml").write_text(
        _map("refund-promised", "Refund promised", "Asks for a refund"), "utf-8"
    )
    (maps / "d-contact.yaml").write_text(
        _map("contact-centre", "Contact centre overhaul", "Calls the centre"), "utf-8"
    )
    (maps / "seat-true-up.yaml").write_text(
        _map("seat-charges", "Seat charges after a true up", "Seat true up questioned"), "utf-8"
    )
    out = maps.parent / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    return out


def _results(page, query: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The results listed for ``query``: (kind, title) each."""
    page.locator("#search-input").fill(query)
    page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")
    found = "[...document.querySelectorAll('#search-results a')].map(a => [a.firstChild.textContent, a.childNodes[1].textContent])"
    return [tuple(r) for r in page.evaluate(found)]


def test_a_pasted_map_id_or_file_name_lists_that_map_first(site: Path, browser) -> None:
    """ "billing-dispute" listed first a map titled "Billing dispute on an enterprise
    contract" (every word in its title) and the map whose id it is, titled otherwise, after
    it; a map's file name ("seat-true-up") listed its step "Seat true up questioned" first."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    results = _results(page, "billing-dispute")
    assert results[0] == ("map", "Unexpected charge on the monthly invoice"), results
    assert ("map", "Billing dispute on an enterprise contract") in results  # still found, after it
    assert _results(page, "seat-true-up")[0] == ("map", "Seat charges after a true up")
    assert _results(page, "Billing-Dispute ")[0] == ("map", "Unexpected charge on the monthly invoice")
    page.close()


def test_a_title_typed_whole_lists_what_it_names_first(site: Path, browser) -> None:
    """ "refund promised" listed "Refund promised twice" (earlier by path) before the map
    titled "Refund promised"."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    results = _results(page, "refund promised")
    assert results[:2] == [("map", "Refund promised"), ("map", "Refund promised twice")], results
    assert _results(page, "Refund Promised Twice")[0] == ("map", "Refund promised twice")
    # A one-word id inside a map (every map's stage "contact") names nothing in particular:
    # the map titled with the word comes first, as before.
    assert _results(page, "contact")[0] == ("map", "Contact centre overhaul")
    # Words that begin a whole name are not it: the usual order.
    assert _results(page, "refund prom")[:2] == [("map", "Refund promised twice"), ("map", "Refund promised")]
    page.close()


def test_a_map_renamed_in_the_period_is_found_by_its_former_title(tmp_path: Path, browser) -> None:
    """A map retitled from "Billing dispute" was no longer found by "billing dispute", the
    name people knew it by. Renamed within the What changed period, it is, first, and its
    result says what it was called; the history only goes back that far."""
    from history_repo import git

    project = tmp_path / "journeys"
    (project / "maps").mkdir(parents=True)
    shutil.copy(ROOT / "maps/teams.yaml", project / "maps/teams.yaml")
    (project / "maps/dispute.yaml").write_text(_map("charge", "Billing dispute", "Asks"), "utf-8")
    (project / "maps/renamed-long-ago.yaml").write_text(_map("old", "Invoice questions", "Asks"), "utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "maps", when="2026-06-01T09:00:00+00:00")
    (project / "maps/renamed-long-ago.yaml").write_text(_map("old", "Seat questions", "Asks"), "utf-8")
    git(project, "commit", "-q", "-am", "renamed before the period", when="2026-07-01T09:00:00+00:00")
    (project / "maps/dispute.yaml").write_text(
        _map("charge", "Unexpected charge on the invoice", "Asks"), "utf-8"
    )
    git(project, "commit", "-q", "-am", "retitled", when="2026-11-01T09:00:00+00:00")
    out = project / "site"
    build([project / "maps"], load_settings(project), project, out, today=TODAY)
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    assert _results(page, "billing dispute")[0] == ("map", "Unexpected charge on the invoice")
    first = page.locator("#search-results a").first
    assert first.locator(".where").inner_text() == "formerly \u201cBilling dispute\u201d"
    assert _results(page, "unexpected charge")[0] == ("map", "Unexpected charge on the invoice")
    assert _results(page, "invoice questions") == []  # renamed 125 days before the last commit
    page.close()
