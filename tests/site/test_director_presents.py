"""The example site as a support director presents it to leadership (1280 px, a phone at
390 px, A4 and Letter): a diagram's caption that adds to the drawing rather than repeat its
title, a stage's way on ("Next: …") printed with its stage, the measured pain point volumes
readable on a phone, and a map that cannot be read said in its own words."""

from __future__ import annotations

from pathlib import Path

from conftest import site_of


def test_a_map_that_cannot_be_read_names_its_places_on_the_findings_page(tmp_path: Path, browser) -> None:
    """The findings page listed a map the schema rejects as "stages[1].owner: expected text,
    got 12" and "stages[2]: missing required key 'id'": the schema's path, where the home
    page said "Stage “Second stage”, owner: …". The place is said by the stage's name, or its
    id, or its place in the list, as the file allows; the file and line stay beside it."""
    site = site_of(
        tmp_path,
        {
            "bad.yaml": "id: bad\ntitle: Bad map\nowner: support\nreviewed: 2026-11-16\nstages:\n"
            "  - id: first\n    name: First stage\n    owner: support\n"
            "  - id: second\n    name: Second stage\n    owner: 12\n"
            "  - {id: third, owner: [x]}\n  - owner: 3\n",
        },
    )
    page = browser.new_page()
    page.goto((site / "findings.html").as_uri())
    rows = page.locator(".findings li.finding", has_text="bad.yaml")
    messages = rows.locator(".message").all_inner_texts()
    where = rows.locator(".where").all_inner_texts()
    page.close()
    assert (
        "Stage “Second stage”, owner: expected text, got 12 (put it in quotes to keep it as text)" in messages
    )
    assert "Stage “third”: missing required key 'name'" in messages  # its id, as it has no name
    assert "Stage “third”, owner: expected text, got a list" in messages
    assert any(m.startswith("The 4th stage") for m in messages), messages
    assert not any("stages[" in m or "stages/" in m for m in messages), messages
    assert all("bad.yaml:" in w for w in where), where
