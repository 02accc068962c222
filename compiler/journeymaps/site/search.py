"""The site's search index, sharded so that a query loads only what it needs.

A query word finds the entries (a map, its stages, steps, KPIs, evidence, pain points and
opportunities; the teams) one of whose words it begins ("lock" finds "locked"). The index:

- ``static/search/w/<prefix>.js``: a *shard*, the words beginning with one two-character
  prefix (named by its code points in hex, ``6c-6f`` for "lo", safe for any Unicode) and,
  for each, where it occurs: ``[map number, {word: [code, ...], ...}, ...]`` with
  ``code = entry number within the map * 2 + (1 if the word is in the entry's title)``;
  besides the words, an entry's *whole names* (its title, its id, a map's file name; none
  for evidence, described in generated words; of several words only, inside a map) as
  their words joined by spaces and ended by ``=`` ("billing dispute="), with ``code = entry
  number * 2``: a query that is one of them, word for word, ranks that entry first;
- ``static/search/shards.js``: the names of the shards there are, and the number of the
  teams' part (the search ranks teams, as maps, before what is inside the maps);
- ``static/search/m/<map number>.js``: a map's entries (title, kind, link, map title; a map
  renamed in the What changed period, its former title; a draft's, its badge), the teams' in
  the last one; loaded only for the results shown.

Both are scripts calling a function of the search box (``file://`` allows no fetch). A
shard is the concatenation of each map's part of it, kept by ``serve`` while the map is
unchanged: an edit renders again only the shards of the words it added or removed (or
moved between entries) and the map's entries. Words and folding are those of
``templates/static/site.js``: both sides must agree, which ``tests/site/test_browser.py``
checks in Chromium.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from typing import Any

from journeymaps import keys
from journeymaps.model import Map
from journeymaps.records import record
from journeymaps.site import site_data
from journeymaps.site.evidence_words import evidence_words
from journeymaps.site.words import draft_badge

#: Says which layout of the index the site has; pages load it, so it stays tiny.

# No check for circular references: the index is made of fresh lists and dicts that hold
# none, and the check is an id recorded and dropped for each (~1 in 5 of the shards' time).
_JSON = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False).encode
_SORTED_JSON = json.JSONEncoder(
    ensure_ascii=True, sort_keys=True, separators=(",", ":"), check_circular=False
).encode
_ASCII_WORD = re.compile("[a-zA-Z0-9]+")
_STRIPPED_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Text as the search compares it: lower case, compatibility-decomposed, without the
    accents of Latin, Greek and Cyrillic letters (so "Café" is "cafe"), final sigma as
    sigma, "ß" as "ss" (as Germans type it without the letter: "Strasse" finds "Straße").
    The browser folds the query the same way (site.js ``fold``)."""
    if text.isascii():  # most text: nothing to decompose (4x quicker)
        return text.lower()
    # Invisible format characters go first: a name pasted from a document with a soft hyphen
    # or a zero-width space ("Pass\u00adword") was two words, and "password" did not find it.
    folded = _STRIPPED_MARKS.sub("", unicodedata.normalize("NFKD", _format_pattern().sub("", text.lower())))
    return folded.replace("\u03c2", "\u03c3").replace("\u00df", "ss")


@functools.cache
def _format_pattern() -> re.Pattern[str]:
    r"""The invisible format characters (category Cf: ``\p{Cf}`` in site.js)."""
    codes = [*range(0x20000), *range(0xE0000, 0xE1000)]
    kinds = map(unicodedata.category, map(chr, codes))
    return re.compile(
        "[" + "".join(chr(c) for c, kind in zip(codes, kinds, strict=True) if kind == "Cf") + "]"
    )


@functools.cache
def _word_pattern() -> re.Pattern[str]:
    """A word: a run of letters, digits and combining marks (``[\\p{L}\\p{N}\\p{M}]+`` in
    site.js; Python's ``re`` has no property classes, so the marks are listed)."""
    # Combining marks are in planes 0, 1 and 14 only (the others hold none, nor will).
    codes = [*range(0x20000), *range(0xE0000, 0xE1000)]
    kinds = map(unicodedata.category, map(chr, codes))  # map: a loop in C, 5x quicker
    marks = [c for c, kind in zip(codes, kinds, strict=True) if kind[0] == "M"]
    ranges: list[str] = []
    start = end = marks[0]
    for code in [*marks[1:], -1]:
        if code != end + 1:
            ranges.append(f"{chr(start)}-{chr(end)}" if end > start else chr(start))
            start = code
        end = code
    return re.compile(f"(?:[^\\W_]|[{''.join(ranges)}])+")


def words(text: str) -> list[str]:
    """The words of already folded text, in order."""
    if text.isascii():  # most text: a plain class is 4x quicker than the Unicode one
        return _ASCII_WORD.findall(text)
    return _word_pattern().findall(text)


def whole_name(text: str) -> str:
    """How the index holds a whole title or id, to rank first the entry a query names word
    for word: its words joined by spaces, then ``=`` ("billing-dispute" and "Billing dispute"
    are both "billing dispute="); "" when its first word has one character (its shard would
    be one a query word never loads). The browser makes the same of the query (site.js)."""
    # ASCII text (most) folds to itself lowered (two calls fewer: ~41,000 names in 500 maps)
    said = _ASCII_WORD.findall(text.lower()) if text.isascii() else words(fold(text))
    return f"{' '.join(said)}=" if said and len(said[0]) > 1 else ""


def prefix_of(word: str) -> str:
    """The shard a word (of two characters or more) is in: its first two characters."""
    return word[:2]


def shard_name(prefix: str) -> str:
    """A shard's file name, safe for any Unicode: its characters' code points in hex."""
    return "-".join(f"{ord(c):x}" for c in prefix)


@record
class MapIndex:
    """One map's part of the index (or the teams'), made from it alone."""

    #: Its entries as the items of a JSON list (without the brackets).
    entries: str
    #: Each prefix of its words -> its part of that shard, a JSON object of word -> codes.
    shards: dict[str, str]
    #: A digest of :attr:`entries`, and of each part of a shard: what a file's inputs name,
    #: so that an edit rewrites only the files it changes (not every shard of the map).
    entries_digest: str
    digests: dict[str, str]


def map_index(m: Map, was: str | None = None) -> MapIndex:
    """``m``'s part of the index; ``was``: its former title, which finds it too."""
    return index_of(_search_entries(m, was))


def index_of(entries: list[dict[str, Any]]) -> MapIndex:
    """The part of the index of ``entries`` (each with ``t``, ``k``, ``u``, ``x``, ``m``,
    ``n``): ``x``, text that finds the entry, and ``n``, the whole names of its title and ids
    (:func:`whole_name`, a line each), are not shipped; their words and whole names are."""
    # Each word once an entry, with its number (entries in order, so each word's codes are in
    # order too): marked as the title's, else the text's. ~13 words an entry: a defaultdict,
    # not a list made for setdefault at each, and no sort of the names (each is its own key).
    codes: defaultdict[str, list[int]] = defaultdict(list)
    for number, e in enumerate(entries):
        title = _findable(e["t"])
        code = number * 2 + 1
        for word in title:
            codes[word].append(code)
        code -= 1
        if text := e.get("x"):
            for word in _findable(text) - title:
                codes[word].append(code)
        # Its whole names, never marked as the title's: the entry's words already are.
        if names := e.get("n"):
            for name in set(names.split("\n")) - {""}:
                codes[name].append(code)
    by_prefix: dict[str, dict[str, list[int]]] = {}
    for word in sorted(codes):
        by_prefix.setdefault(prefix_of(word), {})[word] = codes[word]
    # Every part in one JSON encoding (one C call, not one a prefix), cut where one part's
    # object ends and the next begins: "},{" is nowhere else, as words are letters, digits
    # and marks (escaped to ASCII: no <, > or & to make inert either) and codes numbers.
    parts = _JSON(list(by_prefix.values()))[2:-2].split("},{") if by_prefix else []
    shards = {prefix: f"{{{part}}}" for prefix, part in zip(by_prefix, parts, strict=True)}
    entries_json = _entries_json(list(map(_shipped, entries)))
    digests = {prefix: _digest(part) for prefix, part in shards.items()}
    return MapIndex(entries_json, shards, _digest(entries_json), digests)


def _shipped(entry: dict[str, Any]) -> dict[str, Any]:
    """What the site ships of an entry: all but ``x`` and ``n`` (a copy, two pops in C)."""
    shipped = entry.copy()
    shipped.pop("x", None)
    shipped.pop("n", None)
    return shipped


def _findable(text: str) -> set[str]:
    """The words of ``text`` a query can find: :func:`words` of two characters or more (a
    query word needs two: a shorter one finds nothing), found as such by the pattern."""
    if text.isascii():  # most text: fold() lowers it, and it stays ASCII
        return set(_ASCII_FINDABLE.findall(text.lower()))
    folded = fold(text)
    if folded.isascii():
        return set(_ASCII_FINDABLE.findall(folded))
    return set(_findable_pattern().findall(folded))


_ASCII_FINDABLE = re.compile("[a-zA-Z0-9]{2,}")


@functools.cache
def _findable_pattern() -> re.Pattern[str]:
    """:func:`_word_pattern`'s words of two characters or more."""
    return re.compile(_word_pattern().pattern.removesuffix("+") + "{2,}")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def search_index(
    maps: list[Map], teams: dict[str, Any], site: site_data.SiteData | None = None
) -> dict[str, bytes]:
    """The search index by its path in the site (see the module's docstring). Map ``n`` is
    ``maps[n]``; the teams are the number after the last map.

    With ``site``, each map's part is kept by ``serve`` while the map is unchanged, and a
    file whose parts (by map number and digest) are those the previous build made it from
    is linked from that site: an edit rewrites the shards whose words it changed."""
    files: dict[str, bytes] = {}

    def fresh(name: str, *made_of: object) -> bool:
        """Whether the file at ``name`` is to be made: not the previous site's."""
        return site is None or not site.unchanged(site.inputs_key(*made_of), name)

    # A map renamed in the What changed period is found by its former title too (its part
    # made afresh: it depends on the history, not on the map alone); one renamed before is
    # not: its titles further back are in no history the build reads.
    formerly = {h.map_id: h.was_title for h in site.history.maps if h.was_title} if site else {}

    def part_of(m: Map) -> MapIndex:
        if was := formerly.get(m.id):
            return map_index(m, was)
        return site.per_map("search", m, drawn_or_made) if site is not None else map_index(m)

    def drawn_or_made(m: Map) -> MapIndex:
        """As its drawing worker made it (see journeymaps.site.drawer.search_part), as the
        previous build of the site kept it (see journeymaps.site.search_kept), or here."""
        drawing = site.drawing if site is not None else None
        part = drawing.search_part(m) if drawing is not None else None
        kept = site.search_kept if site is not None else None
        if kept is None:
            return part if part is not None else map_index(m)
        assert site is not None
        key = part_key(site, m)
        if part is None:
            part = kept.get(key) or map_index(m)
        kept.put(key, part)
        return part

    parts = [part_of(m) for m in maps]
    team_entries = []
    for t in sorted(teams.values(), key=lambda t: t.id):
        href = site.team_href(t.id) if site is not None else f"teams.html#team-{t.id}"
        team_entries.append({"t": t.name, "k": "team", "u": href, "x": t.id, "n": _names(t.name, t.id)})
    parts.append(index_of(team_entries))
    for number, part in enumerate(parts):
        name = f"static/search/m/{number}.js"
        if fresh(name, "search-entries", number, part.entries_digest):
            files[name] = f"window.JOURNEYMAPS_SEARCH_ENTRIES({number},[{part.entries}]);\n".encode()

    in_shard: dict[str, list[int]] = {}
    for number, part in enumerate(parts):
        for prefix in part.shards:
            in_shard.setdefault(prefix, []).append(number)
    # Which shards there are, loaded when the search box is first used: a word without one
    # finds nothing, and asking for its file would log an error in the browser's console.
    # With them, the number of the teams' part: the search ranks a team, as a map, before
    # the stages and steps in the maps.
    names = " ".join(shard_name(prefix) for prefix in sorted(in_shard))
    if fresh("static/search/shards.js", "search-shards", names, len(maps)):
        listing = f'window.JOURNEYMAPS_SEARCH_SHARDS("{names}",{len(maps)});\n'
        files["static/search/shards.js"] = listing.encode()
    for prefix in sorted(in_shard):
        numbers = in_shard[prefix]
        code = shard_name(prefix)
        name = f"static/search/w/{code}.js"
        made = "\n".join(f"{n}:{parts[n].digests[prefix]}" for n in numbers) if site else ""
        if fresh(name, "search-words", made):
            body = ",".join(f"{n},{parts[n].shards[prefix]}" for n in numbers)
            files[name] = f'window.JOURNEYMAPS_SEARCH_WORDS("{code}",[{body}]);\n'.encode()
    return files


def part_key(site: site_data.SiteData, m: Map) -> str:
    """What a map's part of the index is kept under (see journeymaps.site.search_kept)."""
    # Made from the map alone, as a drawing worker, which knows no date, makes it.
    return keys.page_inputs_key(site.undated_base, ("search-part", *site.map_file(m)))


def kept_or_made(site: site_data.SiteData, m: Map) -> MapIndex:
    """A map's part as the last build of the site kept it, else made here (``serve``'s
    warm-up on an up-to-date site: it made every part, ~1.3 s of 1,000 realistic maps)."""
    kept = site.search_kept.get(part_key(site, m)) if site.search_kept is not None else None
    return kept or map_index(m)


def _names(*texts: str) -> str:
    """The whole names of ``texts``, a line each (a whole name holds no line break)."""
    return "\n".join(whole_name(text) for text in texts)


def _inert(text: str) -> str:
    """JSON made inert inside any HTML context a script might end up in."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _entries_json(entries: list[dict[str, Any]]) -> str:
    """Entries of the search index as the items of a JSON list (without the brackets),
    inert inside any HTML context a script might end up in."""
    # The list in one encoding (its items joined by "," as the separators say), not an
    # encoding an entry: ~50 a small map.
    return _inert(_SORTED_JSON(entries)[1:-1])


def _search_entries(m: Map, was: str | None = None) -> list[dict[str, Any]]:
    """One map's entries in the search index: the map, its stages, steps, KPIs, evidence, pain
    points and opportunities. Each is found by the words of its id too, in its text (as a
    team is): ids are what people paste from the YAML, a CI log or a review
    ("conflicting-refund-timelines", "escalation.on-call-paged"), and "refund" missed a
    pain point whose summary says "5-7 days". The map is found by ``was``, its former
    title, too, and its result says so (``f``). A draft's results each carry its badge
    (``w``, as its card's data has it): listed like a finished journey's, one was opened and
    presented as such."""
    url = f"maps/{m.slug}.html"
    draft = site_data.draft_of(m)
    persona = m.persona.name if m.persona else ""
    stem = m.src.path.stem
    about = " ".join(filter(None, (m.scenario, m.goal, persona, m.id, stem, was)))
    names = _names(m.title, m.id, stem, *filter(None, [was]))
    entries: list[dict[str, Any]] = [
        {"t": m.title, "k": "map", "u": url, "x": about, "n": names, **({"f": was} if was else {})}
    ]
    if draft:
        entries[0]["w"] = draft_badge(draft, "draft")  # as on its own card and page
    marked = {"w": draft_badge(draft)} if draft else {}  # as beside what it holds elsewhere

    def entry(title: str, kind: str, anchor: str, ident: str, *more: str | None) -> None:
        """An entry; one with an ``ident`` is named whole by it and by its title, when of
        several words (evidence, described by generated words, by neither): one word names
        nothing in particular inside the maps, where every map may have a stage "contact",
        and listed first they pushed the maps titled with the word down."""
        text = " ".join(filter(None, (*more, ident, m.title)))
        names = "\n".join(n for n in _names(title, ident).split("\n") if " " in n) if ident else ""
        entries.append(
            {"t": title, "k": kind, "u": f"{url}#{anchor}", "x": text, "m": m.title, "n": names, **marked}
        )

    for s in m.stages:
        entry(s.name, "stage", f"stage-{s.id}", s.id, s.doing, s.thinking, s.feeling)
        for st in s.steps:
            entry(st.name, "step", f"step-{st.ref}", st.ref, st.does, st.thinks, st.feels, s.name)
        # What the scorecard and the map name a KPI ("First contact resolution", "CSAT …"),
        # the words a review searches for; its stage lists it with its numbers.
        for k in s.kpis:
            entry(k.name, "KPI", f"stage-{s.id}", "", k.description, k.metric, s.name)
        for e in (*s.evidence, *(e for st in s.steps for e in st.evidence)):
            entry(evidence_words(e).text, "evidence", f"stage-{s.id}", "", e.ref, e.note, s.name)
    for p in m.pain_points:
        entry(p.summary, "pain point", f"pain-{p.id}", p.id, p.description, p.kind)
        for e in p.evidence:
            entry(evidence_words(e).text, "evidence", f"pain-{p.id}", "", e.ref, e.note, p.summary)
    for o in m.opportunities:
        entry(o.believe, "opportunity", f"opportunity-{o.id}", o.id, o.will, o.signal)
    return entries
