"""The search index's builder: words, shards, postings, and what an edit changes.

How the browser uses it is in tests/site/test_browser.py (which also checks that site.js
splits and folds words as :mod:`journeymaps.site.search` does)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from journeymaps.site.search import fold, search_index, shard_name, whole_name, words


@dataclass
class Step:
    name: str
    ref: str
    does: str | None = None
    thinks: str | None = None
    feels: str | None = None
    evidence: tuple[Any, ...] = ()


@dataclass
class Stage:
    id: str
    name: str
    steps: list[Step] = field(default_factory=list)
    doing: str | None = None
    thinking: str | None = None
    feeling: str | None = None
    evidence: tuple[Any, ...] = ()
    kpis: tuple[Any, ...] = ()


@dataclass
class FakeMap:
    slug: str
    title: str
    stages: list[Stage] = field(default_factory=list)
    scenario: str | None = None
    goal: str | None = None
    persona: Any = None
    pain_points: tuple[Any, ...] = ()
    opportunities: tuple[Any, ...] = ()

    @property
    def id(self) -> str:
        return self.slug

    @property
    def src(self) -> Any:
        return SimpleNamespace(path=Path(f"maps/{self.slug}.yaml"))

    def steps(self) -> list[Step]:
        """Its steps, as a map's (a draft's results are marked)."""
        return [st for s in self.stages for st in s.steps]


def _payload(data: bytes) -> Any:
    text = data.decode()
    return json.loads(text[text.index(",") + 1 : text.rindex(")")])


def _shards(files: dict[str, bytes]) -> dict[str, list[Any]]:
    return {
        name.removeprefix("static/search/w/").removesuffix(".js"): _payload(data)
        for name, data in files.items()
        if name.startswith("static/search/w/")
    }


def test_words_are_folded_runs_of_letters_digits_and_marks() -> None:
    assert words(fold("Locked-out: the admin's CAFÉ crème, naïve Zürich")) == [
        "locked", "out", "the", "admin", "s", "cafe", "creme", "naive", "zurich"
    ]  # fmt: skip
    assert words(fold("ΟΔΟΣ Ὀδυσσεύς Москва Ёлка İstanbul ﬁne x² snake_case")) == [
        "οδοσ", "οδυσσευσ", "москва", "елка", "istanbul", "fine", "x2", "snake", "case"
    ]  # fmt: skip
    assert words(fold("हिन्दी भाषा 東京都")) == ["हिन्दी", "भाषा", "東京都"]  # marks stay in their word
    # "ß" is typed "ss" by whoever has no such key: "Strasse" finds "Straße" (and "STRASSE").
    assert words(fold("Straße STRAẞE Maßnahme")) == ["strasse", "strasse", "massnahme"]


def test_a_name_pasted_with_invisible_characters_is_found_by_its_words() -> None:
    """A soft hyphen or a zero-width space pasted from a document ("Pass\u00adword reset")
    split the word in two: searching "password" did not find the step."""
    m = FakeMap("m", "Reset", [Stage("s", "S", [Step("Pass\u00adword re\u200bset by e\u2060mail", "s.a")])])
    shards = _shards(search_index([m], {}))  # type: ignore[list-item]
    assert "password" in shards[shard_name("pa")][1]
    assert "reset" in shards[shard_name("re")][1]
    assert "email" in shards[shard_name("em")][1]


def test_shards_hold_each_word_by_its_first_two_characters() -> None:
    m = FakeMap(
        "lock",
        "Locked out in Москва",
        [Stage("s", "Lock screen", [Step("A locksmith", "s.a", does="Locks the café door")])],
        scenario="A lock",
    )
    files = search_index([m], {})  # type: ignore[list-item]
    shards = _shards(files)
    assert shard_name("lo") == "6c-6f" and shard_name("мо") == "43c-43e"
    # Map 0; entry 0 the map, 1 its stage, 2 its step; code = entry * 2 + (in its title);
    # whole names (a title, an id: words joined, then "=") entry * 2, those whose first word
    # has two characters or more ("A locksmith" has none: its shard would be "a ").
    assert shards["6c-6f"] == [
        0,
        {
            "lock": [0, 3, 4],
            "lock screen=": [2],
            "lock=": [0],
            "locked": [1, 2, 4],
            "locked out in москва=": [0],
            "locks": [4],
            "locksmith": [5],
        },
    ]
    assert shards["43c-43e"] == [0, {"москва": [1, 2, 4]}]
    assert shards["63-61"] == [0, {"cafe": [4]}]
    assert not any(len(w) < 2 for _, by_word in shards.values() for w in by_word)  # "a": never searched
    listed = files["static/search/shards.js"].decode()
    assert sorted(listed.split('"')[1].split()) == sorted(shards)
    entries = _payload(files["static/search/m/0.js"])
    assert [e["t"] for e in entries] == ["Locked out in Москва", "Lock screen", "A locksmith"]
    assert all("x" not in e for e in entries)  # the text that finds an entry is not shipped
    assert entries[2] == {
        "k": "step",
        "m": "Locked out in Москва",
        "t": "A locksmith",
        "u": "maps/lock.html#step-s.a",
    }
    assert _payload(files["static/search/m/1.js"]) == []  # the teams' entries: none


def test_the_teams_are_the_last_part() -> None:
    @dataclass
    class Team:
        id: str
        name: str

    files = search_index([FakeMap("a", "Alpha")], {"s": Team("support", "Support desk")})  # type: ignore[list-item]
    assert _payload(files["static/search/m/1.js"]) == [
        {"k": "team", "t": "Support desk", "u": "teams.html#team-support"}
    ]
    # Found by its id too, in its text; named word for word by its name and its id.
    assert _shards(files)["73-75"] == [1, {"support": [1], "support desk=": [0], "support=": [0]}]


def test_an_edit_changes_only_the_shards_of_the_maps_old_and_new_words() -> None:
    def portfolio(edited: str) -> list[FakeMap]:
        return [
            FakeMap(f"m{i}", f"Journey {i}", [Stage("s", "Billing dispute", [Step(text, "s.a")])])
            for i, text in enumerate(["Password reset", edited, "Invoice queue"])
        ]

    before = search_index(portfolio("Refund timeline"), {})  # type: ignore[arg-type]
    after = search_index(portfolio("Refund window"), {})  # type: ignore[arg-type]
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    # "timeline" gone, "window" new; "ti" and "wi" shards only held map 1's words; "re" holds
    # the step's whole title ("refund timeline=" then "refund window=").
    assert changed == {
        "static/search/m/1.js",
        "static/search/w/72-65.js",
        "static/search/w/74-69.js",
        "static/search/w/77-69.js",
        "static/search/shards.js",
    }
    assert "static/search/w/74-69.js" not in after  # no word begins so any more


def test_the_index_is_deterministic_and_inert() -> None:
    m = FakeMap("x", "</script><script>alert(1)</script> & <b>", scenario="a & b <i>")
    files = search_index([m, m], {})  # type: ignore[list-item]
    assert files == search_index([m, m], {})  # type: ignore[list-item]
    data = b"".join(files.values())
    assert b"<" not in data and b">" not in data and b"&" not in data
    assert _payload(files["static/search/m/0.js"])[0]["t"] == m.title


def test_a_whole_name_is_its_words_joined() -> None:
    """An id and a title typed with other separators or case name the same thing; a name whose
    first word has one character has none (its shard is one no query word loads)."""
    assert whole_name("escalation.on-call-paged") == "escalation on call paged="
    assert whole_name("Billing  Dispute") == whole_name("billing-dispute") == "billing dispute="
    assert whole_name("Crème brûlée") == "creme brulee="
    assert whole_name("A locksmith") == whole_name("") == whole_name("--") == ""
