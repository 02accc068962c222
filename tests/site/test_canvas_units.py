"""The canvas's figures with their units, as the map's journey diagram says them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_examples


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


def test_a_pain_point_s_volume_on_the_canvas_says_what_it_counts(site: Path, browser) -> None:
    """The canvas said "700/month · $100,800/year": 700 of what a month, where the journey
    diagram beside it says "700 contacts/month"."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "maps/admin-locked-out.canvas.html").as_uri())
    figures = page.locator(".cell.pains .figures").all_inner_texts()
    page.close()
    assert "700 contacts/month · $100,800/year" in figures, figures
    assert "41 contacts/month measured · $5,904/year" in figures, figures
    assert all("contacts/month" in f or "customers/month" in f for f in figures), figures
