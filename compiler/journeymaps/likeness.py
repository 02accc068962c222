"""How alike two map files are, as git's rename detection measures it: the share of their
content in common. ``diff`` pairs a removed map with an added one by it when neither their
files nor their ids tell it (a file renamed and its id changed in one change read as one map
removed and a new one added: its old errors gone with it, its suppressions a new map's)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any, Generic, NamedTuple, TypeVar

#: git's default (``-M50%``). Unrelated maps share their keys' lines (``steps:``,
#: ``lane: customer``): the examples are 7-12 % alike; a map half rewritten is a new one.
SIMILAR = 0.5

#: The most maps one is measured against when pairing by content may be capped (see
#: :func:`_candidates`): maps of one template share most of their lines, so every pair was a
#: candidate, and 600 maps moved out with new ids and names were 360,000 measures (40 s).
CANDIDATES = 50

#: The most maps one is measured against for a word of its names (see :class:`_Words`).
NAMED = 4

T = TypeVar("T")
U = TypeVar("U")

#: Maps of one side, each with its lines as measured (see :func:`_content`).
Side = list[tuple[T, Counter[str]]]


def _content(text: str) -> Counter[str]:
    """Each non-blank line (its indentation kept: the same words under another key are
    other content) by the bytes it weighs, as git counts bytes, not lines, in common."""
    # Counted first, weighed once per line kept: maps padded with thousands of lines were
    # weighed line by line, the most of pairing them once measured one against one.
    counts = Counter(filter(None, map(str.rstrip, text.splitlines())))
    return Counter({k: n * (len(k.encode()) + 1) for k, n in counts.items()})


def same_lines(text: str) -> frozenset[tuple[str, int]]:
    """The file's lines as they are measured, as a key: two files with the same key are
    100 % alike (blank lines and trailing spaces aside)."""
    return frozenset(_content(text).items())


#: A map file's top-level ``id`` (quoted or not), read without parsing the file.
ID_LINE = re.compile(r"""^id:[ \t]*["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?\r?$""", re.MULTILINE)


def same_lines_but_id(text: str) -> frozenset[tuple[str, int]]:
    """A map file's lines but its top-level ``id:`` (see :func:`same_lines`)."""
    return _but_id(text)[1]


def _but_id(text: str) -> tuple[Counter[str], frozenset[tuple[str, int]]]:
    """The file's lines as measured, and as :func:`same_lines_but_id` keys them: read once
    (maps padded with thousands of lines took seconds more read twice)."""
    lines = _content(text)
    bare = lines.copy()
    if (found := ID_LINE.search(text)) and (kept := found[0].rstrip()):
        bare[kept] -= len(kept.encode()) + 1
        if bare[kept] <= 0:
            del bare[kept]
    return lines, frozenset(bare.items())


def pair_same_but_id(
    old: Sequence[T], new: Sequence[U], text_old: Callable[[T], str], text_new: Callable[[U], str]
) -> list[tuple[T, U]]:
    """Each of ``old`` (in order) with the first of ``new`` (in order) not yet paired that
    has the same lines but for its ``id:``, at least :data:`SIMILAR` alike: a map given a
    new id and a new name (``git mv a.yaml archive/2025-a.yaml`` with ``id: archived-a``).
    One measure each: maps of one template with new ids and names were all measured against
    all (their rarest lines, an id and a title, are too little of them to rule any out)."""
    if not old or not new:
        return []
    files: dict[frozenset[tuple[str, int]], list[tuple[U, Counter[str]]]] = {}
    for e in reversed(new):  # reversed: the first in order is popped first
        lines, bare = _but_id(text_new(e))
        files.setdefault(bare, []).append((e, lines))
    out = []
    for o in old:
        lines, bare = _but_id(text_old(o))
        mates = files.get(bare, [])
        if mates and _alike(lines, mates[-1][1]) >= SIMILAR:
            out.append((o, mates.pop()[0]))
    return out


def similarity(a: str, b: str) -> float:
    """0 (nothing in common) to 1 (the same lines): bytes in common over the larger file's."""
    return _alike(_content(a), _content(b))


def _alike(a: Counter[str], b: Counter[str]) -> float:
    size = max(a.total(), b.total())
    if size == 0:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(min(n, large[k]) for k, n in small.items() if k in large) / size


def pair_alike(
    old: Sequence[T],
    new: Sequence[T],
    text: Callable[[T], str],
    order: Callable[[T], tuple[Any, ...]],
    capped: list[T] | None = None,
    names: Callable[[T], str] | None = None,
) -> list[tuple[T, T]]:
    """One-to-one pairs of ``old`` and ``new`` at least :data:`SIMILAR` alike, the most alike
    first; ties by ``order`` of the old, then of the new, so the same sides pair alike. With
    ``capped``, each old map is measured against :data:`CANDIDATES` new ones at most (see
    :func:`_candidates`), and those whose pairing the cap may have changed are put there:
    a new map not measured could be at least as alike as the one it paired with, or, not
    paired, at least :data:`SIMILAR` alike (see :func:`_unmeasured_at_most`). Every map of
    a thousand of one template, renamed and edited, was said told "by its rarest lines
    only", though its own title told it from every other map that was not measured.

    With ``names`` (a map's id and file name), a capped map is measured too against the new
    maps sharing the rarest word of its names (see :meth:`_Words.named`), and of pairs as alike,
    those are taken first: maps of one template differing only in their ids, renamed
    (``j17`` to ``k17``) and edited, all shared every line but the ids', so each was
    measured against the same first few files, and of a thousand, 950 read as removed and
    950 as added (the rest paired with whichever was first)."""
    if not old or not new:  # nothing to pair: not read (maps padded with thousands of lines)
        return []
    old_side = [(x, _content(text(x))) for x in old]
    new_side = [(x, _content(text(x))) for x in new]
    copies, taken = _pair_copies(old_side, new_side, order)
    sides = [m for m in old_side if id(m[0]) not in taken], [m for m in new_side if id(m[0]) not in taken]
    # Each old map is measured only against the new ones sharing a line of its rarest
    # share (see _candidates): all against all, 300 maps a side were 90,000 measures.
    index: dict[str, list[int]] = {}
    for j, (_, b) in enumerate(sides[1]):
        for k in b:
            index.setdefault(k, []).append(j)
    seen = Counter(k for side in sides for _, c in side for k in c)
    scored = []
    limit = None if capped is None else CANDIDATES
    most: Counter[str] = Counter()  # each line's most weight in one new map
    if capped is not None:
        # Line by line, not ``most |= b``: Counter's union walks all of ``most`` each time,
        # and 10,000 maps of one template (two lines of their own each) took 4 s in it.
        for _, b in sides[1]:
            for k, n in b.items():
                if n > most[k]:
                    most[k] = n
    unmeasured: list[tuple[T, float]] = []  # each capped map, and how alike one not measured can be
    words: _Words[T] | None = None  # read when a map is capped: most pairings have none
    for o, a in sides[0]:
        candidates = _candidates(a, index, seen, limit)
        named: frozenset[int] = frozenset()
        if not candidates.every and capped is not None:
            unmeasured.append((o, _unmeasured_at_most(a, candidates.walked, most)))
            if names is not None:
                words = words or _Words(sides, names)
                named = words.named(o)
                candidates = candidates._replace(found=sorted(named.union(candidates.found)))
        for score, j in _scores(a, lambda j: sides[1][j][1], candidates):
            e = sides[1][j][0]
            scored.append((-score, j not in named, order(o), order(e), o, e))
    scored.sort(key=lambda s: s[:4])
    out = copies
    got: dict[int, float] = {}  # how alike each old map is to the new one it paired with
    for score, _, _, _, o, e in scored:
        if id(o) not in taken and id(e) not in taken:
            taken |= {id(o), id(e)}
            out.append((o, e))
            got[id(o)] = -score
    if capped is not None:
        # Where one not measured may be as alike as its match (a tie may go either way), or
        # alike enough to be a match it did not get.
        capped.extend(o for o, bound in unmeasured if bound >= got.get(id(o), SIMILAR))
    return out


#: A name's words (letters and digits between other marks), and each one's words and
#: numbers: ``j17`` is ``j17``, ``j`` and ``17``; ``billing-2025`` is ``billing`` and ``2025``.
_WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r"\d+|[^\W\d_]+")


class _Words(Generic[T]):
    """The words of each map's names (its id and file name: see :meth:`named`), and the new
    maps by each word."""

    def __init__(self, sides: tuple[Side[T], Side[T]], names: Callable[[T], str]) -> None:
        self.names = names
        self.index: dict[str, list[int]] = {}
        for j, (e, _) in enumerate(sides[1]):
            for w in _words(names(e)):
                self.index.setdefault(w, []).append(j)
        self.seen = Counter(w for o, _ in sides[0] for w in _words(names(o)))

    def named(self, o: T) -> frozenset[int]:
        """The new maps sharing the rarest word of ``o``'s names that a new map has (the
        fewest maps of both sides have it, then by the word), when no more than
        :data:`NAMED` do: ``j17`` renamed ``k17`` shares ``17`` with it alone, a word all
        maps of a folder share tells nothing."""
        shared = [(self.seen[w] + len(self.index[w]), w) for w in _words(self.names(o)) if w in self.index]
        if not shared:
            return frozenset()
        listed = self.index[min(shared)[1]]
        return frozenset(listed) if len(listed) <= NAMED else frozenset()


def _words(name: str) -> frozenset[str]:
    """The words of ``name`` and their parts, in any case: ``j17`` renamed ``k17`` shares
    ``17``; ``map-3f2a9c1e`` renamed ``journey-3f2a9c1e`` shares ``3f2a9c1e``, which its
    parts, shared by many (``3``, ``f``), would not tell."""
    words = [w.casefold() for w in _WORD.findall(name)]
    return frozenset(words).union(p for w in words for p in _PART.findall(w))


def _unmeasured_at_most(a: Counter[str], walked: frozenset[str], most: Counter[str]) -> float:
    """How alike to ``a`` a new map that :func:`_candidates` did not measure can be, at
    most: it shares none of the ``walked`` lines (every map sharing one was a candidate),
    and of each other line at most what the new map with the most of it has (``most``);
    over ``a``'s size, as the larger file's is no smaller. A map of one template keeps its
    own lines (its title, its steps), rarest, walked: one not measured shares the
    template's lines at most, less those the map's edit changed in every new map."""
    total = a.total()
    if total == 0:
        return 0.0
    return sum(min(n, most[k]) for k, n in a.items() if k not in walked) / total


def nearest(
    old: Sequence[T],
    new: Sequence[U],
    text_old: Callable[[T], str],
    text_new: Callable[[U], str],
    limit: int | None = None,
) -> list[tuple[U, T]]:
    """Each of ``new`` with the one of ``old`` it is most alike to, at least :data:`SIMILAR`
    (many to one: two copies of a map both pair with it); ties by place in ``old``. Each
    is measured only against those sharing a line of its rarest share (see
    :func:`_candidates`), of a size that can be as alike; against ``limit`` at most when
    given (:data:`CANDIDATES`)."""
    old_side = [_content(text_old(x)) for x in old]
    index: dict[str, list[int]] = {}
    for i, a in enumerate(old_side):
        for k in a:
            index.setdefault(k, []).append(i)
    new_side = [(x, _content(text_new(x))) for x in new]
    seen = Counter(k for a in old_side for k in a)
    seen.update(k for _, b in new_side for k in b)
    out = []
    for e, b in new_side:
        best: tuple[float, int] | None = None
        for score, i in _scores(b, old_side.__getitem__, _candidates(b, index, seen, limit)):
            if best is None or score > best[0]:  # ties: the first in place
                best = (score, i)
        if best is not None:
            out.append((e, old[best[1]]))
    return out


def _pair_copies(
    old: Side[T], new: Side[T], order: Callable[[T], tuple[Any, ...]]
) -> tuple[list[tuple[T, T]], set[int]]:
    """The pairs of maps with the same lines, and the ``id`` of each map paired. Such a pair
    is 100 % alike, as alike as a pair can be, so pairing copies before measuring anything
    gives the pairs :func:`pair_alike` defines (ties by ``order`` as there, then by place
    in the list as its stable sort keeps them): a thousand maps moved unedited into an
    excluded folder, from one template (every line shared), were a million measures."""
    waiting: dict[frozenset[tuple[str, int]], list[tuple[tuple[Any, ...], T]]] = {}
    for _, (e, b) in sorted(enumerate(new), key=lambda n: (order(n[1][0]), n[0]), reverse=True):
        if b:  # an empty file is 0 % alike to anything, another empty one too
            waiting.setdefault(frozenset(b.items()), []).append((order(e), e))
    pairs: list[tuple[tuple[Any, ...], tuple[Any, ...], T, T]] = []
    taken: set[int] = set()
    for o, a in sorted(old, key=lambda m: order(m[0])):  # stable: ties keep the list's order
        same = waiting.get(frozenset(a.items())) if a else None
        while same and id(same[-1][1]) in taken:  # one map listed twice pairs once
            same.pop()
        if same and id(o) not in taken:
            e_order, e = same.pop()  # the first by order, then place (the list is reversed)
            pairs.append((order(o), e_order, o, e))
            taken |= {id(o), id(e)}
    pairs.sort(key=lambda p: p[:2])
    return [(o, e) for _, _, o, e in pairs], taken


class Candidates(NamedTuple):
    """The maps (by index, in order) one is measured against (see :func:`_candidates`)."""

    found: list[int]
    #: Measured only when none of ``found`` is alike enough: the first of those sharing the
    #: line the walk stopped at (past the limit), so maps of one template, all alike, still
    #: pair, and an edited move beside a copy is still judged.
    more: list[int]
    #: Whether they are all that can be alike enough.
    every: bool
    #: The lines whose maps are all in ``found`` (not all: :func:`_unmeasured_at_most`).
    walked: frozenset[str] = frozenset()


def _candidates(
    a: Counter[str], index: dict[str, list[int]], seen: Counter[str], limit: int | None = None
) -> Candidates:
    """The new maps that can be :data:`SIMILAR` alike to ``a``: those sharing one of its
    lines whose weight leaves less than that share of ``a`` after them, its rarest first
    (``seen``: in how many maps each line is). Sharing none of those, the bytes in common
    are at most the rest, under the share of ``a``, and so of the larger file: exact, the
    same pairs as measuring all (prefix filtering, as in set similarity joins).

    With a ``limit``, a line that would take them past it (a line of the template every
    map shares) ends the walk: those sharing its rarer lines are measured, then, none
    alike enough, the first ``limit`` sharing that line; not all (said by the caller)."""
    rest = a.total()
    enough = SIMILAR * rest
    found: set[int] = set()
    walked: list[str] = []
    for k in sorted(a, key=lambda k: (seen[k], k)):
        if rest < enough:
            break
        listed = index.get(k, [])
        if limit is not None and (len(listed) > limit or len(found.union(listed)) > limit):
            more = list(islice((j for j in listed if j not in found), limit))
            return Candidates(sorted(found), more, False, frozenset(walked))
        found.update(listed)
        walked.append(k)
        rest -= a[k]
    return Candidates(sorted(found), [], True)


def _scores(
    a: Counter[str], other: Callable[[int], Counter[str]], candidates: Candidates
) -> list[tuple[float, int]]:
    """The candidates at least :data:`SIMILAR` alike to ``a``, each with how alike, in order
    (``other``: a candidate's lines by its index); ``more`` only when none of ``found`` is."""
    for group in (candidates.found, candidates.more):
        out = []
        for j in group:
            b = other(j)
            small, large = sorted((a.total(), b.total()))
            if large and small / large >= SIMILAR:  # bytes in common never pass the smaller size
                score = _alike(a, b)
                if score >= SIMILAR:
                    out.append((score, j))
        if out:
            return out
    return []
