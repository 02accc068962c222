"""The home page: each map's card, in numbered pages, with the files that could not be read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any

from journeymaps import keys, money
from journeymaps.diagnostics import Diagnostic
from journeymaps.finding_words import sentence
from journeymaps.lint import INPUT_RULES
from journeymaps.model import Map
from journeymaps.project import kind_of
from journeymaps.site import pages, paging
from journeymaps.site.load_words import LoadWords, load_words
from journeymaps.site.site_data import Page, SiteData, draft_of


def _cards(s: SiteData) -> list[dict[str, Any]]:
    return [{**s.per_map("card", m, lambda m: _card(s, m)), "health": _health(s, m)} for m in s.maps]


def _card(s: SiteData, m: Map) -> dict[str, Any]:
    """``m``'s card but its health (its findings come from other maps too)."""
    return {
        "map": m,
        "stale": s.stale.get(m.slug),
        "teams": sorted({x for x in [m.owner, *(st.owner for st in m.stages)] if x}),
        "open": sum(1 for o in m.opportunities if o.open),
        "money": s.map_totals.get(id(m), money.Total()),
        "draft": s.per_map("draft", m, draft_of),
    }


def _health(s: SiteData, m: Map) -> pages.Health:
    return s.health.get(m.src.display, pages.Health())


def _card_shown(s: SiteData, m: Map) -> str:
    """``m``'s card as the cards' data has it (:func:`paging.card_row`), its health aside, as one digest."""
    row = paging.card_row({**_card(s, m), "health": pages.Health()}, s.team_names, s.settings.currency)
    del row["h"]
    return keys.page_inputs_key("", [sorted(row.items())])


def _index_paths(s: SiteData) -> list[str]:
    """The home page's files: its numbered pages, and the cards' data when there are several."""
    count = max(1, -(-len(s.maps) // s.settings.maps_per_page))
    return [paging.page_path(n) for n in range(1, count + 1)] + ([paging.CARDS_SCRIPT] if count > 1 else [])


def _index_inputs(s: SiteData) -> str:
    """What the home page shows of each map: its card, whose every field is in the cards'
    data (:func:`paging.cards_script`); with the findings' counts and the files that could
    not be read. A step's text is not on it."""
    # Each map's card by one digest kept while the map is unchanged (the cards' data of
    # 1,000 maps made again every edit cost ~0.05 s), and its health (its findings).
    cards = [
        (s.per_map("card shown", m, lambda m: _card_shown(s, m)), astuple(_health(s, m))) for m in s.maps
    ]
    total = s.portfolio_money["total"]
    return s.inputs_key(
        cards,
        pages.counts(s.diagnostics),
        _broken(s),
        _broken(s, registries=True),
        total.contact_cost,
        total.revenue_at_risk,
        bool(s.ranked),
    )


#: What the home page says of a teams.yaml or personas.yaml that cannot be read, by its kind:
#: what the file is, and what every page shows meanwhile. Listed as a "map missing from the
#: site", it sent a director looking for a map that was there, its teams by their ids.
UNREAD_REGISTRY: dict[str, tuple[str, str]] = {
    "teams": (
        "The list of teams",
        "the teams it lists are shown by their ids, without their names or contacts",
    ),
    "personas": (
        "The list of personas",
        "the personas it lists are left out, and maps that name one show no persona",
    ),
}


#: The problems of one file the home page lists; the rest are counted, on the findings page
#: (300 teams each with a stray key pushed every map's card 57 KB down the page, and a map
#: written against an older schema listed each of its steps' problems there too).
PROBLEMS_SHOWN = 5


def _unread_registries(s: SiteData) -> list[dict[str, Any]]:
    """Each teams.yaml or personas.yaml that could not be read, once with its problems (a
    schema-invalid one may have several; the first :data:`PROBLEMS_SHOWN`, and how
    many more): what it is, what the site shows without it, and each problem in words with
    its ``file:line:col``."""
    files: dict[str, dict[str, Any]] = {}
    for d, said, _, more in _capped(_broken(s, registries=True)):
        name, meanwhile = UNREAD_REGISTRY[kind_of(Path(d.file))]
        entry = files.setdefault(
            d.file, {"file": d.file, "name": name, "meanwhile": meanwhile, "problems": [], "more": 0}
        )
        entry["problems"].append((d, said))
        entry["more"] += more
    return list(files.values())


def _broken(s: SiteData, registries: bool = False) -> list[tuple[Diagnostic, LoadWords, str | None]]:
    """The files that could not be read, each with its problem in words (see
    :mod:`load_words`: the schema's path read as jargon to the home page's readers) and its
    last page that built when ``serve`` keeps it (see :mod:`kept`): the home page said such a
    map was missing from the site while its page was there, marked broken. A page another map
    now has is not its own. ``registries``: the teams.yaml and personas.yaml files instead
    of the maps (see :func:`_unread_registries`)."""
    taken = {f"maps/{m.slug}.html" for m in s.maps}
    data = {src.display: src.data for src in s.report.sources}
    return [
        (
            d,
            _said(load_words(d.message, data.get(d.file))),
            page if (page := s.kept_pages.get(d.file)) and page not in taken else None,
        )
        for d in s.diagnostics
        if d.rule in INPUT_RULES and (kind_of(Path(d.file)) in UNREAD_REGISTRY) == registries
    ]


def _said(said: LoadWords) -> LoadWords:
    """A load problem as the home page lists it: a sentence (:func:`sentence`), not "missing
    required key 'stages'" lower-case after the map's title."""
    return LoadWords(said.title, sentence(said.what), said.path)


def _capped(
    broken: list[tuple[Diagnostic, LoadWords, str | None]],
) -> list[tuple[Diagnostic, LoadWords, str | None, int]]:
    """The first :data:`PROBLEMS_SHOWN` problems of each file that could not be read, in
    their order; the last shown of a file carries how many more it has (else 0)."""
    total: dict[str, int] = {}
    for d, _, _ in broken:
        total[d.file] = total.get(d.file, 0) + 1
    shown: list[tuple[Diagnostic, LoadWords, str | None, int]] = []
    listed: dict[str, int] = {}
    for d, said, page in broken:
        n = listed[d.file] = listed.get(d.file, 0) + 1
        if n <= PROBLEMS_SHOWN:
            last = n == min(PROBLEMS_SHOWN, total[d.file])
            shown.append((d, said, page, total[d.file] - n if last else 0))
    return shown


def index(s: SiteData) -> Iterator[Page]:
    """The maps as cards, in numbered pages of ``maps-per-page`` (index.html, index-2.html...);
    with more than one page, every card's data too, for the filters (see :mod:`paging`)."""
    maps = s.maps
    cards = _cards(s)
    shared = {
        "total": len(cards),
        "per_page": s.settings.maps_per_page,
        # Once for every page (the template's sum of lists was quadratic in the maps).
        "teams": sorted({t for c in cards for t in c["teams"]}, key=lambda t: s.team_names.get(t, t)),
        "team_names": s.team_names,
        "personas": sorted({m.persona.name for m in maps if m.persona}),
        "counts": pages.counts(s.diagnostics),
        "broken": _capped(broken := _broken(s)),
        "broken_kept": any(page for _, _, page in broken),
        "unread": _unread_registries(s),
        # The portfolio's headline, where a director starts: the home page was a catalogue
        # with no word of what it all costs nor where to look first.
        "all_money": s.portfolio_money["total"],
        # ...and, with none known, how to have it: a first map's home page said nothing of
        # what its pain points cost, where the examples' home leads with it.
        "pains_open": bool(s.ranked),
    }
    chunks = paging.paged(cards, s.settings.maps_per_page)
    for pager, chunk in chunks:
        yield (paging.page_path(pager.number), "index.html", {**shared, "cards": chunk, "pager": pager})
    if len(chunks) > 1:
        script = paging.cards_script(cards, s.team_names, s.settings.currency).decode()
        yield paging.CARDS_SCRIPT, "cards.js", {"script": script}  # written as is: see cards.js
