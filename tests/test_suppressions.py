"""Inline suppressions: on the line, above the line, above a block; unused ones are reported."""

from __future__ import annotations

from pathlib import Path

from conftest import BASE, at, rules_of
from journeymaps import suppressions
from journeymaps.loader import from_bytes

NO_OWNER = BASE.replace("owner: support\nreviewed", "reviewed")


def test_suppression_on_the_line(project) -> None:
    text = NO_OWNER.replace("id: m\n", "id: m  # journeymaps: ignore[missing-owner] owned by the CX guild\n")
    assert project({"m.yaml": text}) == []


def test_suppression_on_the_line_above(project) -> None:
    text = "# journeymaps: ignore[missing-owner] owned by the CX guild\n" + NO_OWNER.lstrip("\n")
    assert project({"m.yaml": text}) == []


def test_suppression_above_a_list_item_covers_the_item(project) -> None:
    text = BASE.replace(
        "    owner: product\n    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n", ""
    )
    text = text.replace(
        "  - id: two\n",
        "  # journeymaps: ignore[missing-owner, unvalidated-stage] placeholder stage\n  - id: two\n",
    )
    assert project({"m.yaml": text}) == []


def test_suppression_only_silences_the_named_rule(project) -> None:
    text = NO_OWNER.replace("id: m\n", "id: m  # journeymaps: ignore[stale-map]\n")
    found = project({"m.yaml": text})
    assert rules_of(found) == ["missing-owner", "unused-suppression"]


def test_unused_and_unknown_suppressions_are_reported(project) -> None:
    text = BASE.replace("title: T\n", "title: T  # journeymaps: ignore[missing-owner, no-such-rule]\n")
    found = project({"m.yaml": text})
    assert at(found, "unused-suppression") == [(2, 11), (2, 11)]
    messages = sorted(d.message for d in found)
    assert "'no-such-rule' is not a rule" in messages[0]
    assert "nothing to ignore: missing-owner reports nothing on line 2" in messages[1]


def test_unused_suppression_can_be_turned_off(project) -> None:
    text = BASE.replace("title: T\n", "title: T  # journeymaps: ignore[missing-owner]\n")
    assert project({"m.yaml": text, "../journeymaps.toml": '[rules]\nunused-suppression = "off"\n'}) == []


def test_a_comment_above_the_first_key_covers_the_whole_map() -> None:
    """Its scope is said (diff reports it): a comment meant for ``id:`` silences the map."""
    text = "# schema note\n---\n# journeymaps: ignore[missing-owner] CX guild\n" + NO_OWNER.lstrip("\n")
    text = text.replace("title: T\n", "title: T  # journeymaps: ignore[stale-map]\n")
    text = text.replace("stages:\n", "stages:\n  # journeymaps: ignore[unvalidated-stage]\n", 1)
    src = from_bytes(Path("m.yaml"), "m.yaml", text.encode())
    found = suppressions.parse(src.text, src.block_end)
    assert [(s.rules, s.scope) for s in found] == [
        (("missing-owner",), "covers the whole map"),
        (("stale-map",), "covers line 5"),
        (("unvalidated-stage",), f"covers lines 10-{src.block_end(10)}"),
    ]
