"""journeymaps diff on a real git repository: many maps of one template renamed inside the
maps folder, each with a new id. Neither id nor name tells which file is which map: content
does, and the template's lines, the most of each map, made every map a candidate for every
file (1,000 maps: 1,000,000 measures of likeness, 36 s). Measures are counted
(``likeness_measures``), not timed."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from conftest import Measures
from journeymaps.likeness import CANDIDATES, SIMILAR, similarity
from journeymaps.map_pairing import Entry, pair
from test_diff import diff_here, git, repo
from test_diff_moves_renamed import _map, _misspell_owner
from test_likeness import edited, variants

__all__ = ["repo"]  # the fixture, shared with test_diff

#: Three times the maps one is measured against at most: past the cap, so each is said
#: compared with only some, and measuring all against all would be 22,500 measures, not
#: 3 each (quadratic work shows as plainly as at 600 maps, at a quarter of the cost).
COUNT = 3 * CANDIDATES
PARTLY = "by its rarest lines and its name only (too many are alike to compare it with each)"
#: What each of many maps so told says (the why said once).
SHORT = "paired by its rarest lines and its name only"
STEP = "        name: Reads the billing email\n"


def _edit(text: str, i: int) -> str:
    """An edit of the map's own in the rename: a step renamed (``… email <i>``), and the
    first ``owner: finance`` made the unknown ``finanse`` (an error the change brings)."""
    assert STEP in text
    return _misspell_owner(text.replace(STEP, f"        name: Reads the billing email {i}\n", 1))


def _rename(
    repo: Path,
    count: int,
    *,
    edit: bool = False,
    deleted: int | None = None,
    broken: int | None = None,
    own_title: bool = True,
) -> None:
    """Commit ``count`` maps (``maps/support/j<i>.yaml``, id ``j<i>``), then rename each to
    ``k<i>.yaml`` with the id ``k<i>``, edited when ``edit``; the ``deleted``-th deleted
    instead, the ``broken``-th left unparsable too; uncommitted. Without ``own_title``, the
    maps differ only in their ids."""
    for i in range(count):
        (repo / "maps" / "support" / f"j{i}.yaml").write_text(_map(f"j{i}", i, own_title=own_title))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many maps of one template")
    for i in range(count):
        (repo / "maps" / "support" / f"j{i}.yaml").unlink()
        if i != deleted:
            text = _map(f"k{i}", i, own_title=own_title)
            text = _edit(text, i) if edit else text
            (repo / "maps" / "support" / f"k{i}.yaml").write_text(
                text + ("broken: [\n" if i == broken else "")
            )
    git(repo, "add", "-A")


def _renamed(data: dict) -> dict[str, tuple[str | None, str | None, bool]]:
    """Each map's base file, file, and whether said told by some files only."""
    return {
        m["id"]: (m["base_file"], m["file"], m["renamed_partly"])
        for m in data["maps"]
        if m["id"][0] in "jk" and m["id"][1:].isdigit()
    }


def test_maps_renamed_with_new_ids_are_paired_each_with_one_measure(
    repo: Path, likeness_measures: Measures
) -> None:
    """:data:`COUNT` maps renamed unedited but for their ids: each is its base map but for
    its ``id:`` line, so that pairs it, one measure each (``COUNT**2`` before), nothing said
    partly compared."""
    _rename(repo, COUNT)
    data = json.loads(diff_here(repo, "main", "--format", "json").stdout)
    assert likeness_measures.count <= 3 * COUNT
    assert _renamed(data) == {
        f"k{i}": (f"maps/support/j{i}.yaml", f"maps/support/k{i}.yaml", False) for i in range(COUNT)
    }
    said = {c["map"]: c["text"] for c in data["changes"] if c["kind"] == "map-moved"}
    assert said["k7"] == "file renamed: maps/support/j7.yaml → maps/support/k7.yaml"


def test_maps_renamed_with_new_ids_and_edits_are_paired_and_said_plainly(
    repo: Path, likeness_measures: Measures
) -> None:
    """As above, each edited too (a step renamed, an unknown owner): content but the id
    pairs none, so each is measured against the files sharing its rarest lines only (its
    title's file), not every file: still paired with its own base map, its edits reported
    against it, its error brought by the change. Each said "told from the other added maps
    by its rarest lines only", 600 times: no file it was not measured against could be as
    alike as its own (they lack its title, and have its edit's lines no more than its
    own has), so the cap changed nothing, and nothing is said."""
    _rename(repo, COUNT, edit=True)
    result = diff_here(repo, "main", "--format", "json", "--check")
    assert likeness_measures.count <= 3 * COUNT
    assert result.returncode == 1, result.stderr
    assert f"journeymaps diff --check: the change introduces {COUNT} errors" in result.stderr
    data = json.loads(result.stdout)
    assert _renamed(data) == {
        f"k{i}": (f"maps/support/j{i}.yaml", f"maps/support/k{i}.yaml", False) for i in range(COUNT)
    }
    steps = {c["map"]: c["after"] for c in data["changes"] if c["field"] == "name" and c["after"]}
    assert steps == {f"k{i}": f"Reads the billing email {i}" for i in range(COUNT)}
    said = {c["map"]: c["text"] for c in data["changes"] if c["kind"] == "map-moved"}
    assert said["k7"] == "file renamed: maps/support/j7.yaml → maps/support/k7.yaml"
    assert "file renamed: maps/support/j7.yaml → maps/support/k7.yaml\n" in diff_here(repo, "main").stdout
    for args in ((), ("--format", "markdown")):
        assert PARTLY not in diff_here(repo, "main", *args).stdout


def test_maps_told_apart_by_their_ids_only_are_said_told_by_a_few(repo: Path) -> None:
    """Maps of one template differing only in their ids, renamed with new ids and edited:
    nothing but the ids told them apart, and each was measured against a few files only,
    as alike as others not measured: each pairing is said so, and each map that found no
    rename among those few too (each now finds its own by its name: see below)."""
    count = CANDIDATES + 10
    _rename(repo, count, edit=True, own_title=False)
    data = json.loads(diff_here(repo, "main", "--format", "json").stdout)
    based = [m for m in data["maps"] if m["base_file"]]
    assert len(based) == count and all(m["renamed_partly"] for m in based), based[:3]
    renamed = [m for m in based if m["file"]]
    assert len(renamed) >= CANDIDATES, len(renamed)
    text = diff_here(repo, "main").stdout
    # Each in short, the why said once (see test_diff_pairing_notes).
    assert text.count(f"; {SHORT}\n") == len(renamed)
    assert text.count(f"; no rename of it found {SHORT[len('paired ') :]}\n") == count - len(renamed)
    assert text.count(f"? pairing: {count} maps were told from the added maps") == 1


def test_a_map_deleted_or_broken_while_many_alike_are_renamed_is_said_told_by_a_few(repo: Path) -> None:
    """Maps of one template renamed with new ids and an edit, one of them deleted: every
    file is more like another map, so it is removed, as measuring all says; but it was
    measured against a few files only, and those it was not are alike enough to be its
    rename: said, in every format. One renamed broken is paired by its own title, which
    no file it was not measured against has: its words say why it is broken, and no more."""
    count = CANDIDATES + 10
    _rename(repo, count, edit=True, deleted=3, broken=5)
    data = json.loads(diff_here(repo, "main", "--format", "json").stdout)
    assert _renamed(data) == {
        "j3": ("maps/support/j3.yaml", None, True),
        "j5": ("maps/support/j5.yaml", "maps/support/k5.yaml", False),  # k5's id unread
        **{
            f"k{i}": (f"maps/support/j{i}.yaml", f"maps/support/k{i}.yaml", False)
            for i in range(count)
            if i not in (3, 5)
        },
    }
    gone = f"map removed, and its 3 findings with it; no rename of it found: looked for among the added maps {PARTLY}"
    said = {c["map"]: c["text"] for c in data["changes"] if c["map"] in ("j3", "j5")}
    assert said["j3"] == gone
    assert said["j5"].startswith("broken in the working tree: yaml-syntax at line ")
    assert PARTLY not in said["j5"]
    for args in ((), ("--format", "markdown")):
        out = diff_here(repo, "main", *args).stdout
        assert gone in out
        assert said["j5"] in out
        assert out.count(PARTLY) == 1


def _entries(texts: list[str], side: str) -> list[Entry]:
    return [Entry(f"maps/{side}{i}.yaml", f"{side}-{i}", None, None, None, t) for i, t in enumerate(texts)]


def _by_measuring_all(old: list[Entry], new: list[Entry]) -> set[tuple[str, str]]:
    """Every old map measured against every new one, the most alike first, ties by file
    name (the old's, then the new's), each map in one pair at most."""
    scored = sorted(
        (-s, o.file, e.file) for o in old for e in new if (s := similarity(o.text, e.text)) >= SIMILAR
    )
    taken: set[str] = set()
    out = set()
    for _, o, e in scored:
        if o not in taken and e not in taken:
            taken |= {o, e}
            out.add((o, e))
    return out


def test_renames_pair_as_measuring_all_where_few_maps_share_a_line() -> None:
    """Nothing capped (no line in more than :data:`CANDIDATES` files): maps renamed with a
    new id, edited by various amounts or not at all, and maps alike to none, pair as
    measuring each against each, and none is said compared with only some."""
    rng = random.Random(20)
    for own in (0.1, 0.4, 0.8):
        old = variants(rng, 20, own, "old")
        new = [edited(rng, o) for o in old[:10]]
        new += [re.sub(r"(?m)^id: .*$", f"id: renamed-{i}", o, count=1) for i, o in enumerate(old[10:16])]
        new += variants(rng, 8, own, "new")
        rng.shuffle(new)
        assert len(old) + len(new) <= CANDIDATES
        olds, news = _entries(old, "o"), _entries(new, "n")
        capped: list[Entry] = []
        paired = {(o.file, e.file) for o, e in pair(olds, news, capped) if o and e}
        assert paired == _by_measuring_all(olds, news)
        assert len(paired) >= 10  # the renamed copies and the least edited maps at least
        assert capped == []


def test_maps_told_apart_by_their_ids_only_are_each_paired_with_their_rename(
    repo: Path, likeness_measures: Measures
) -> None:
    """:data:`COUNT` maps of one template differing only in their ids, each renamed
    (``j<i>.yaml`` to ``k<i>.yaml``, id ``j<i>`` to ``k<i>``) and edited: every line but the
    ids' was in every map, so each was measured against the same first :data:`CANDIDATES`
    files, and 100 of 150 read as removed and 100 as added (950 of 1,000). Each is now
    measured against the files sharing the rarest word of its names too (``17``), one
    measure each: paired with its own rename, its edits reported against it, its error
    brought by the change; still said told by its lines and name only, as files it was not
    measured against are as alike. One deleted (``j3``) takes no other's rename: as alike
    to many, it is the one whose name they do not share."""
    _rename(repo, COUNT, edit=True, own_title=False, deleted=3)
    result = diff_here(repo, "main", "--format", "json", "--check")
    assert likeness_measures.count <= 3 * COUNT
    assert f"journeymaps diff --check: the change introduces {COUNT - 1} errors" in result.stderr
    data = json.loads(result.stdout)
    assert _renamed(data) == {
        "j3": ("maps/support/j3.yaml", None, True),
        **{
            f"k{i}": (f"maps/support/j{i}.yaml", f"maps/support/k{i}.yaml", True)
            for i in range(COUNT)
            if i != 3
        },
    }
    steps = {c["map"]: c["after"] for c in data["changes"] if c["field"] == "name" and c["after"]}
    assert steps == {f"k{i}": f"Reads the billing email {i}" for i in range(COUNT) if i != 3}
    said = {c["map"]: c["text"] for c in data["changes"] if c["kind"] in ("map-moved", "map-removed")}
    # One of many so told: in short, the why said once (see test_diff_pairing_notes).
    assert said["k17"] == f"file renamed: maps/support/j17.yaml → maps/support/k17.yaml; {SHORT}"
    assert said["j3"].endswith(f"; no rename of it found {SHORT[len('paired ') :]}")
    assert sum(SHORT[len("paired ") :] in text for text in said.values()) == COUNT
