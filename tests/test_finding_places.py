"""A finding's message in the site's words (journeymaps.finding_words): only what names
something of the map is replaced; what does not, and what to type, stays as lint wrote it."""

from __future__ import annotations

from typing import Any

from journeymaps.finding_words import in_words


class Empty:
    """A map with an id and a title and nothing in it: every reference is unknown."""

    id = "m"
    title = "The map"

    def __getattr__(self, name: str) -> Any:
        return lambda ref: None


def test_what_names_nothing_of_the_map_stays_as_written() -> None:
    m: Any = Empty()
    teams = {"the": "A team called the", "tier-2": "Tier 2"}
    for message in [
        "next: no stage 'closing' in this map",
        "addresses: no pain point 'gone' in this map",
        "caused_by: no pain point 'p' in map 'other'",
        "a bot (contact.bot) hands the case to a human agent (contact.agent)",
        "evidence: [{source: zendesk, kind: tickets}] (kind: tickets) to the stage",
    ]:
        assert in_words(message, m, teams) == message
    assert in_words("map 'm' has no owner", m) == 'map "The map" has no owner'
    said = in_words("the case moves from tier-2 (a.b) to the (c.d) but", m, teams)
    assert said == "the case moves from Tier 2 (a.b) to A team called the (c.d) but"
    assert in_words("map 'm' has no owner", None) == "map 'm' has no owner"
