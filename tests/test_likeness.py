"""Pairing maps by content: only the maps that share a line of the other's rarest share are
measured, with the pairs all-against-all measuring gives."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from conftest import ROOT, Measures
from journeymaps.likeness import CANDIDATES, SIMILAR, nearest, pair_alike, similarity

T = TypeVar("T")


def by_measuring_all(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """The pairs as defined: every old map measured against every new one, the most alike
    first, ties by the old's text then the new's, each map in one pair at most."""
    scored = sorted((-similarity(o, e), o, e) for o in old for e in new if similarity(o, e) >= SIMILAR)
    taken: set[str] = set()
    out = []
    for _, o, e in scored:
        if o not in taken and e not in taken:
            taken |= {o, e}
            out.append((o, e))
    return out


def variants(rng: random.Random, count: int, own: float, tag: str) -> list[str]:
    """Maps written from the example maps, ``own`` of each one's lines its own words."""
    examples = [p.read_text() for p in sorted((ROOT / "maps" / "support").glob("*.yaml"))]
    out = []
    for i in range(count):
        lines = examples[i % len(examples)].splitlines()
        out.append(
            "\n".join(
                f"{line} {tag}{i}-{rng.randrange(10**6)}" if line.strip() and rng.random() < own else line
                for line in lines
            )
        )
    return out


def edited(rng: random.Random, text: str) -> str:
    """Some lines rewritten, some dropped: from barely touched to half rewritten."""
    share = rng.choice((0.05, 0.3, 0.45, 0.55))
    lines = [line for line in text.splitlines() if rng.random() > share / 3]
    return "\n".join(f"{line} edited" if rng.random() < share else line for line in lines)


def test_pairing_by_content_pairs_as_measuring_every_map_against_every_other() -> None:
    """Many candidates: maps of four templates, some barely their own (alike to dozens of
    others, ties among them), some mostly their own, edited by various amounts, with
    copies, blank files and files of one line."""
    rng = random.Random(55)
    alike = made = 0
    for own in (0.1, 0.4, 0.8):
        old = variants(rng, 40, own, "old")
        new = [edited(rng, o) for o in old[:30]] + variants(rng, 10, own, "new")
        old += ["", "id: x", "id: x\n"]
        new += ["", "id: x", old[0]]  # an empty file on both sides, a map alike to two
        rng.shuffle(new)
        expected = by_measuring_all(old, new)
        assert sorted(pair_alike(old, new, str, lambda t: (t,))) == sorted(expected)
        alike += sum(1 for o in old for e in new if similarity(o, e) >= SIMILAR)
        made += len(expected)
    assert alike > 3 * made > 100  # many candidates for each pair made


def test_copies_pair_as_measuring_every_map_against_every_other() -> None:
    """Maps moved unedited (copies on both sides, some the same text several times, some
    differing only in blank lines or trailing spaces, which count as the same lines) pair
    as measuring all does, the edited ones beside them too."""
    rng = random.Random(67)
    for own in (0.1, 0.8):
        old = variants(rng, 30, own, "old")
        old += [old[0], old[1], old[1], ""]  # the same map text twice and three times
        new = [o for o in old if rng.random() < 0.7]  # moved unedited
        new += [o + "\n\n" for o in old[:3]] + [o.replace("\n", "  \n", 5) for o in old[3:6]]
        new += [edited(rng, o) for o in old[6:12]] + ["", old[1]]
        rng.shuffle(new)
        expected = by_measuring_all(old, new)
        assert sorted(pair_alike(old, new, str, lambda t: (t,))) == sorted(expected)
        assert len(expected) > 20


def test_maps_moved_unedited_are_paired_without_measuring_each_against_all(
    likeness_measures: Measures,
) -> None:
    """A thousand maps written from one template (every line shared, so every pair a
    candidate) moved unedited: ``diff`` took 27 s, 15 s of it a million measures of
    likeness. Copies are paired as such; only the maps edited in the move are measured."""

    template = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()
    old = [template.replace("id: billing-dispute", f"id: billing-dispute-{i}", 1) for i in range(1000)]
    new = list(reversed(old[:990])) + [o + "\nnotes: edited in the move\n" for o in old[990:]]
    pairs = pair_alike(old, new, str, lambda t: (t,))
    assert sorted(pairs) == sorted(
        [(o, o) for o in old[:990]] + [(o, o + "\nnotes: edited in the move\n") for o in old[990:]]
    )
    assert likeness_measures.count <= 10 * 10  # the 10 edited maps against each other, at most


def test_capped_pairing_pairs_as_measuring_all_where_few_maps_share_a_line() -> None:
    """Capped (``diff``'s maps moved out of the checks), a map is measured against a few
    files only when more than :data:`CANDIDATES` share a line it must be measured by; the
    corpora above have fewer: the same pairs as measuring all, and none said capped."""
    rng = random.Random(73)
    for own in (0.1, 0.4, 0.8):
        old = variants(rng, 40, own, "old")
        new = [edited(rng, o) for o in old[:30]] + variants(rng, 10, own, "new")
        rng.shuffle(new)
        capped: list[str] = []
        assert len(old) <= CANDIDATES and len(new) <= CANDIDATES
        assert sorted(pair_alike(old, new, str, lambda t: (t,), capped)) == sorted(by_measuring_all(old, new))
        assert capped == []


def test_a_rare_line_shared_with_another_file_does_not_hide_the_maps_a_file_is_like() -> None:
    """More maps of one template than are measured against one file, and a file written
    from one of them with a new id, its title dropped, and a line only a short note shares:
    the note was its one candidate (too small to be alike), so the file was alike to none,
    though every map is (an edited move beside a copy went unjudged). Those sharing the
    template's line it stopped at are measured then: as measuring all."""
    template = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()
    title = "title: Unexpected charge on the monthly invoice\n"
    maps = [
        template.replace("id: billing-dispute\n", f"id: b{i}\n").replace(title, f"title: Charge {i}\n")
        for i in range(CANDIDATES + 10)
    ]
    note = "notes: see the runbook before refunding\n"
    moved = maps[5].replace("id: b5\n", "id: archived-b5\n").replace("title: Charge 5\n", note)
    found = nearest([*maps, note], [moved], str, str, CANDIDATES)
    assert found == nearest([*maps, note], [moved], str, str) != []
    capped: list[str] = []
    paired = pair_alike([moved], [*maps, note], str, lambda t: (t,), capped)
    assert paired == pair_alike([moved], [*maps, note], str, lambda t: (t,)) != []
    assert capped == [moved]  # said measured against a few only


def test_a_capped_map_is_said_so_only_where_one_not_measured_could_have_changed_its_match() -> None:
    """Capped, each map was said "told by its rarest lines only", even where no file it was
    not measured against could be as alike as its match (a map of one template with a
    title and steps of its own): every map of a thousand edited in a pull request said it.
    It is now said where the cap may have changed the match: of a map not said so, every
    file more alike to it than its match (paired), or alike enough (not), went to a map at
    least as alike to that file, as measuring all would have had it."""
    rng = random.Random(89)
    template = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text().splitlines()
    said = unsaid = 0
    for own in (0.03, 0.1, 0.3):
        # Maps of one template, ``own`` of each one's lines its own words: more share each
        # template line than are measured, so every map is capped.
        old = [
            "\n".join(
                f"{line} {i}-{rng.randrange(10**6)}" if rng.random() < own else line for line in template
            )
            for i in range(2 * CANDIDATES + 20)
        ]
        new = [edited(rng, o) for o in old[: 2 * CANDIDATES]] + variants(rng, 10, own, "new")
        rng.shuffle(new)
        capped: list[str] = []
        pairs = pair_alike(old, new, str, lambda t: (t,), capped)
        flagged, honest = _said_honestly(old, new, pairs, capped, str)
        said, unsaid = said + flagged, unsaid + honest
    assert said > 10 and unsaid > 40, (said, unsaid)


def _said_honestly(
    old: list[T], new: list[T], pairs: list[tuple[T, T]], capped: list[T], text: Callable[[T], str]
) -> tuple[int, int]:
    """How many of ``old`` were said told by a few only, and how many not; of each map not
    said so, asserts that every file more alike to it than its match (paired), or alike
    enough (not), went to a map at least as alike to that file, as measuring all would have."""
    mate = dict(pairs)
    by_new = {e: o for o, e in pairs}
    flagged = set(capped)
    for o in old:
        if o in flagged:
            continue
        for e in new:
            s = similarity(text(o), text(e))
            if (s > similarity(text(o), text(mate[o]))) if o in mate else (s >= SIMILAR):
                assert e in by_new and similarity(text(by_new[e]), text(e)) >= s
    said = sum(1 for o in old if o in flagged)
    return said, len(old) - said


def test_a_map_told_by_its_name_is_said_so_only_where_one_not_measured_could_have_changed_its_match() -> None:
    """With names (``diff``'s renames), a capped map is measured too against the files
    sharing the rarest word of its names, and of pairs as alike, those go first: maps of
    one template differing only in their ids (``j<i>`` renamed ``k<i>``) pair mostly each
    with its own (none did: the same first files were measured for each), maps with lines
    of their own each with its own. Names that mislead (a file numbered as another map's)
    change no honest word: of a map not said told by a few only, every file more alike to
    it than its match, or alike enough, went to a map at least as alike to that file, as
    above."""
    rng = random.Random(97)
    template = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()
    count = 3 * CANDIDATES
    said = unsaid = 0
    for own in (0.0, 0.03, 0.1):
        old = [
            (
                f"j{i}",
                "\n".join(
                    f"{line} {i}-{rng.randrange(10**6)}" if rng.random() < own else line
                    for line in template.replace("id: billing-dispute\n", f"id: j{i}\n", 1).splitlines()
                ),
            )
            for i in range(count)
        ]
        new = []
        was: dict[tuple[str, str], tuple[str, str]] = {}
        for i, (_, text) in enumerate(old):
            roll = rng.random()
            name = f"k{i}" if roll < 0.7 else f"k{rng.randrange(count)}" if roll < 0.85 else f"x-{i}-y"
            new.append((name, edited(rng, text.replace(f"id: j{i}\n", f"id: {name}\n", 1))))
            was[new[-1]] = old[i]
        rng.shuffle(new)
        capped: list[tuple[str, str]] = []
        pairs = pair_alike(old, new, lambda m: m[1], lambda m: (m[0],), capped, lambda m: m[0])
        flagged, honest = _said_honestly(old, new, pairs, capped, lambda m: m[1])
        said, unsaid = said + flagged, unsaid + honest
        right = sum(1 for o, e in pairs if was[e] is o)
        alike = sum(1 for e in new if similarity(was[e][1], e[1]) >= SIMILAR)
        assert (right > alike / 2 > 20) if own == 0 else (right == alike), (own, right, alike)
    assert said > 10 and unsaid > 40, (said, unsaid)


def test_maps_named_by_hex_codes_are_told_by_their_whole_code(likeness_measures: Measures) -> None:
    """Maps of one template differing only in their ids, named by a hex code
    (``map-3f2a9c1e`` renamed ``journey-3f2a9c1e``) and edited: the code's letters and
    digits apart (``3``, ``f``) are each shared by many maps, and a rare one by a wrong
    map; the whole code tells each its own, one measure each."""
    rng = random.Random(5)
    template = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()
    codes = [f"{rng.randrange(16**8):08x}" for _ in range(3 * CANDIDATES)]
    old = [(f"map-{c}", template.replace("id: billing-dispute\n", f"id: map-{c}\n", 1)) for c in codes]
    new = [
        (
            f"journey-{c}",
            t.replace(f"id: map-{c}\n", f"id: journey-{c}\n").replace("owner: finance", "owner: x", 1),
        )
        for c, (_, t) in zip(codes, old, strict=True)
    ]
    rng.shuffle(new)
    capped: list[tuple[str, str]] = []
    pairs = pair_alike(old, new, lambda m: m[1], lambda m: (m[0],), capped, lambda m: m[0])
    assert sorted((o[0], e[0]) for o, e in pairs) == sorted((f"map-{c}", f"journey-{c}") for c in codes)
    assert likeness_measures.count <= len(codes)
