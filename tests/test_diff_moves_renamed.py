"""journeymaps diff on a real git repository: many maps of one template moved into a folder
the settings exclude, each with a new id and a new file name. Neither id nor name tells
which file is which map: content does, and the template's lines, the most of each map,
made every map a candidate for every file (600 maps: 360,000 measures of likeness, 40 s).
Measures are counted (``likeness_measures``), not timed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, Measures
from diff_helpers import exclude_archive
from journeymaps.comparison import REMOVED, MapDiff
from journeymaps.comparison_words import removed_words
from journeymaps.excluded_moves import note_moves
from journeymaps.likeness import CANDIDATES
from journeymaps.map_pairing import Entry
from test_diff import diff_here, git, repo

__all__ = ["repo"]  # the fixture, shared with test_diff

TEMPLATE = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()
TITLE = "title: Unexpected charge on the monthly invoice\n"

#: Three times the maps one is measured against at most: past the cap, so each edited one
#: is said compared with only some, and measuring all against all would be 22,500
#: measures, not 3 each (quadratic work shows as plainly as at 600, at a quarter of the cost).
COUNT = 3 * CANDIDATES


def _map(map_id: str, i: int, *, own_title: bool = True) -> str:
    """The template as the map ``map_id``, the ``i``-th of its kind (its own title, as
    real maps have, unless ``own_title`` is False: then only its id is its own)."""
    assert "id: billing-dispute\n" in TEMPLATE and TITLE in TEMPLATE
    text = TEMPLATE.replace("id: billing-dispute\n", f"id: {map_id}\n", 1)
    return text.replace(TITLE, f"title: Unexpected charge number {i}\n", 1) if own_title else text


def _misspell_owner(text: str) -> str:
    """An edit in the move: the first ``owner: finance`` made the unknown ``finanse``."""
    assert "    owner: finance\n" in text
    return text.replace("    owner: finance\n", "    owner: finanse\n", 1)


def _archive(repo: Path, count: int, *, edit: bool = False, own_title: bool = True) -> dict[str, str]:
    """Commit ``count`` maps (``maps/support/b<i>.yaml``, id ``billing-<i>``), then move each
    into the excluded archive with a new id (``archived-<i>``) and a new name (numbered
    backwards, so neither name nor order tells them), edited when ``edit``; uncommitted.
    Each base map's id with the file it went to."""
    exclude_archive(repo)
    for i in range(count):
        (repo / "maps" / "support" / f"b{i}.yaml").write_text(_map(f"billing-{i}", i, own_title=own_title))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many maps of one template")
    went = {}
    for i in range(count):
        (repo / "maps" / "support" / f"b{i}.yaml").unlink()
        moved = f"maps/archive/{count - i:04d}.yaml"
        text = _map(f"archived-{i}", i, own_title=own_title)
        (repo / moved).write_text(_misspell_owner(text) if edit else text)
        went[f"billing-{i}"] = moved
    git(repo, "add", "-A")
    return went


def _moved(data: dict) -> dict[str, tuple[str | None, bool, bool]]:
    """Each removed map's excluded file, whether said edited, whether said partly compared."""
    return {
        m["id"]: (m["excluded_file"], m["findings_excluded_new"] != [], m["excluded_partly"])
        for m in data["maps"]
        if m["status"] == "removed"
    }


def test_maps_moved_out_with_new_ids_and_names_are_paired_each_with_one_measure(
    repo: Path, likeness_measures: Measures
) -> None:
    """:data:`COUNT` maps moved unedited but for their ids, each under a new name: each is
    its own file but for its ``id:`` line, so that pairs it, one measure each (``COUNT**2``
    before), to the file it went to, nothing said partly compared."""
    count = COUNT
    went = _archive(repo, count)
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert likeness_measures.count <= 3 * count
    assert _moved(data) == {map_id: (moved, False, False) for map_id, moved in went.items()}
    assert data["summary"]["maps"]["excluded"] == count


def test_maps_moved_out_with_new_ids_names_and_edits_are_paired_and_said_plainly(
    repo: Path, likeness_measures: Measures
) -> None:
    """As above, each edited in the move too (an unknown owner): content but the id pairs
    none, so each is measured against the files sharing its rarest lines only (its title's
    file), not every file (``COUNT**2`` measures before): still paired with the file it went
    to, its edit judged. Each said "told from the other excluded files by its rarest lines
    only", :data:`COUNT` times, though no file it was not measured against could be as alike
    as its own (they lack its title): nothing is said."""
    count = COUNT
    went = _archive(repo, count, edit=True)
    result = diff_here(repo, "HEAD", "--format", "json", "--check")
    assert likeness_measures.count <= 3 * count
    assert result.returncode == 1, result.stderr
    assert f"journeymaps diff --check: {count} errors the change brings in {count} maps" in result.stderr
    data = json.loads(result.stdout)
    assert _moved(data) == {map_id: (moved, True, False) for map_id, moved in went.items()}
    [said] = [c["text"] for c in data["changes"] if c["map"] == "billing-7"]
    assert said == (
        f"map moved to {went['billing-7']}, which the settings exclude: no longer linted, compared or "
        "published (edited in the move, with 1 finding the base's map did not have), and its 3 findings "
        "with it, not fixed"
    )


def test_maps_told_apart_by_their_ids_only_moved_out_are_said_told_by_a_few(repo: Path) -> None:
    """Maps of one template differing only in their ids, moved out with new ids and names
    and edited: nothing but the ids told them apart, so each move is a guess among files
    as alike, most not measured: each is said so (or, not paired, looked for among few)."""
    from journeymaps.likeness import CANDIDATES

    count = CANDIDATES + 10
    _archive(repo, count, edit=True, own_title=False)
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    moved = _moved(data)
    assert len(moved) == count and all(partly for _, _, partly in moved.values()), moved
    found = sum(1 for file, _, _ in moved.values() if file)
    assert found >= CANDIDATES, moved
    text = diff_here(repo, "HEAD").stdout
    # Each in short, the why said once (see test_diff_pairing_notes).
    assert text.count("; paired by its rarest lines and its name only") == found
    assert text.count("; no move of it found by its rarest lines and its name only") == count - found
    assert text.count(f"? pairing: {count} maps were told from the excluded files") == 1


@pytest.mark.parametrize("own_title", [True, False], ids=["own-titles", "only-ids-differ"])
def test_copies_with_new_ids_beside_edited_moves_are_caught_among_many(repo: Path, own_title: bool) -> None:
    """More maps than are measured against each other (so each file is measured against a
    few maps only), each moved with a new id, a new name and an unknown owner, and beside
    it a copy of the base's map with another new id: the copy is the map's file but for its
    id and is taken for its move, and the edited file is still judged (``excluded_alike``),
    its error failing ``--check``, for every map. With titles alike as well (maps differing
    only in their ids), each edited file is judged with some map, never with none."""
    count = CANDIDATES + 10
    _archive(repo, count, edit=True, own_title=own_title)
    for i in range(count):
        copy = repo / "maps" / "archive" / f"copy-{i}.yaml"
        copy.write_text(_map(f"copy-of-{i}", i, own_title=own_title))
    git(repo, "add", "-A")
    result = diff_here(repo, "HEAD", "--format", "json", "--check")
    assert result.returncode == 1, result.stderr
    assert f"journeymaps diff --check: {count} errors the change brings in" in result.stderr, result.stderr
    data = json.loads(result.stdout)
    moved = [m for m in data["maps"] if m["status"] == "removed"]
    assert len(moved) == count
    judged = sorted(name for m in moved for name in m["excluded_alike"])
    assert judged == sorted(f"maps/archive/{count - i:04d}.yaml" for i in range(count))
    if own_title:  # each copy taken for its own map's move, its edited file judged with it
        assert {m["id"]: (m["excluded_file"], m["excluded_alike"]) for m in moved} == {
            f"billing-{i}": (f"maps/archive/copy-{i}.yaml", [f"maps/archive/{count - i:04d}.yaml"])
            for i in range(count)
        }


def test_a_map_deleted_while_many_alike_move_out_is_said_looked_for_among_a_few() -> None:
    """Maps of one template moved out with new ids, names and an edit, and one of them
    deleted, not moved: every file is more like another map, so it is removed, as when
    each is measured against all; but it was measured against a few files only: said."""
    count = 60
    maps = [
        MapDiff(
            REMOVED,
            Entry(f"maps/support/b{i}.yaml", f"billing-{i}", None, None, None, _map(f"billing-{i}", i)),
            None,
        )
        for i in range(count)
    ]
    excluded = {
        f"maps/archive/{count - i:04d}.yaml": _misspell_owner(_map(f"archived-{i}", i)).encode()
        for i in range(1, count)
    }
    note_moves(maps, excluded, set(excluded))
    assert [md.excluded_as for md in maps] == [
        None,
        *(f"maps/archive/{count - i:04d}.yaml" for i in range(1, count)),
    ]
    assert removed_words(maps[0]) == (
        "map removed; no move of it found: looked for among the excluded files by its rarest lines and its name only "
        "(too many are alike to compare it with each)"
    )


def test_maps_told_apart_by_their_ids_only_moved_out_are_each_paired_with_their_move(
    repo: Path, likeness_measures: Measures
) -> None:
    """:data:`COUNT` maps of one template differing only in their ids, moved out with new
    ids (``billing-<i>`` to ``archived-<i>``) and names, and edited: every line but the ids'
    was in every file, so each was measured against the same first :data:`CANDIDATES`
    files, and 100 of 150 read as removed, their moves not found. Each is now measured
    against the files sharing the rarest word of its names too (``7``), one measure each:
    paired with the file it went to, its edit judged; still said told by its lines and
    name only, as files it was not measured against are as alike."""
    went = _archive(repo, COUNT, edit=True, own_title=False)
    result = diff_here(repo, "HEAD", "--format", "json", "--check")
    assert likeness_measures.count <= 3 * COUNT
    assert f"journeymaps diff --check: {COUNT} errors the change brings in {COUNT} maps" in result.stderr
    data = json.loads(result.stdout)
    assert _moved(data) == {map_id: (moved, True, True) for map_id, moved in went.items()}
    [said] = [c["text"] for c in data["changes"] if c["map"] == "billing-7"]
    assert said.startswith(f"map moved to {went['billing-7']}, which the settings exclude")
    # One of many so told: in short, the why said once (see test_diff_pairing_notes).
    assert said.endswith("; paired by its rarest lines and its name only")
    assert data["pairing_text"][0].startswith(
        f"{COUNT} maps were told from the excluded files by their rarest"
    )
