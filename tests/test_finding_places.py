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


def test_typeset_names_and_apostrophes_are_curly_what_to_type_stays_straight() -> None:
    """The site's pages typeset a finding's names and apostrophes as every other line of the
    site; a value quoted to be typed keeps its straight marks."""
    m: Any = Empty()
    teams = {"support": "Support"}
    said = in_words(
        "loses context: finance receives the case without support's notes and must ask again", m, teams, True
    )
    assert said == "loses context: finance receives the case without Support\u2019s notes and must ask again"
    said = in_words("KPI 'Customer's \"first\" reply' is 5 (declared)", m, typeset=True)
    assert said == "KPI \u201cCustomer\u2019s \u2018first\u2019 reply\u201d is 5 (declared)"
    said = in_words('the handoff from "A "b"" to "C\'s": 93% of its tickets missed its SLA', m, typeset=True)
    assert (
        said
        == "the handoff from \u201cA \u2018b\u2019\u201d to \u201cC\u2019s\u201d: 93% of its tickets missed its SLA"
    )
    for message in (
        "channel: 'pigeon' is not one of ['web', 'email']",
        "next: no stage 'closing' in this map",
    ):
        assert in_words(message, m, teams, True) == message
        assert in_words(message, None, teams, True) == message
