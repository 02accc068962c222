"""Files looked at, then read: diff's excluded maps (a map moved into a folder the settings
exclude) and the hook's staged JSON files (is it a schema copy?). Each file is read as what
it is when opened, not as what it was when looked at."""

from __future__ import annotations

import errno
import os
import stat
import sys
import threading
from pathlib import Path

from conftest import ROOT, Measures
from journeymaps.comparison import REMOVED, MapDiff
from journeymaps.excluded_moves import excluded_files, note_moves
from journeymaps.map_pairing import Entry
from journeymaps.settings import Settings

#: The one file the audit hook swaps for a FIFO as it is opened (audit hooks stay for the
#: process: it does nothing once the test has run).
_SWAP: dict[str, str] = {}


def _swap_on_open(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not args or not isinstance(args[0], (str, os.PathLike)):
        return
    target = _SWAP.pop(os.fspath(args[0]), None)  # type: ignore[arg-type]
    if target is not None:
        Path(target).unlink()
        os.mkfifo(target)


def _feed(fifo: str, stop: threading.Event, text: bytes = b"id: swapped-in\n") -> None:
    """Write ``text`` into the FIFO once a reader has it open (never blocking: the test ends)."""
    while not stop.is_set():
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno in (errno.ENXIO, errno.ENOENT):  # no reader yet, or not swapped yet
                stop.wait(0.01)
                continue
            return
        try:
            if not stat.S_ISFIFO(os.fstat(fd).st_mode):  # the regular file, not swapped yet
                stop.wait(0.01)
                continue
            os.write(fd, text)
        except OSError:
            pass
        finally:
            os.close(fd)
        return


def test_a_file_swapped_for_a_fifo_after_it_was_looked_at_is_not_read(tmp_path: Path) -> None:
    """The file's type was checked, then the file read by its name: a FIFO put there in
    between was opened as one (diff waited for a writer for ever, and read what one wrote)."""
    archive = tmp_path / "maps" / "archive"
    archive.mkdir(parents=True)
    (archive / "kept.yaml").write_text("id: kept\n")
    swapped = archive / "swapped.yaml"
    swapped.write_text("id: regular\n")
    settings = Settings(root=tmp_path, exclude=("maps/archive/*",))
    sys.addaudithook(_swap_on_open)
    stop = threading.Event()
    feeder = threading.Thread(target=_feed, args=(os.fspath(swapped), stop), daemon=True)
    feeder.start()
    _SWAP[os.fspath(swapped)] = os.fspath(swapped)
    try:
        found = excluded_files([tmp_path / "maps"], settings, tmp_path)
    finally:
        _SWAP.clear()
        stop.set()
        feeder.join()
    assert found == {"maps/archive/kept.yaml": b"id: kept\n"}


def test_a_staged_json_file_swapped_for_a_fifo_is_not_read_as_a_schema_copy(tmp_path: Path) -> None:
    """The hook asked whether a staged JSON file is a schema copy by checking it is a file,
    then reading its head by its name: a FIFO put there in between was opened as one (the
    hook waited for a writer, and took what one wrote for a schema)."""
    from journeymaps.lint_command import _schema_copy

    staged = tmp_path / "notes.json"
    staged.write_text('{"title": "not a schema"}\n')
    sys.addaudithook(_swap_on_open)
    stop = threading.Event()
    text = b'{"$schema": "https://json-schema.org/draft/2020-12/schema"}\n'
    feeder = threading.Thread(target=_feed, args=(os.fspath(staged), stop, text), daemon=True)
    feeder.start()
    _SWAP[os.fspath(staged)] = os.fspath(staged)
    try:
        found = _schema_copy(staged)
    finally:
        _SWAP.clear()
        stop.set()
        feeder.join()
    assert found is False


#: The map the pairing tests make hundreds of, one id each.
TEMPLATE = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text()


def _version(map_id: str, owner: str) -> str:
    """The template as the map ``map_id``, its first owner ``owner`` (``finanse``: an edit)."""
    text = TEMPLATE.replace("id: billing-dispute\n", f"id: {map_id}\n", 1)
    return text.replace("    owner: finance\n", f"    owner: {owner}\n", 1)


def _removed(count: int) -> list[MapDiff]:
    """``count`` maps of the template the change removes (``billing-0`` at ``b0.yaml``...)."""
    return [
        MapDiff(
            REMOVED,
            Entry(
                f"maps/support/b{i}.yaml",
                f"billing-{i}",
                None,
                None,
                None,
                _version(f"billing-{i}", "finance"),
            ),
            None,
        )
        for i in range(count)
    ]


def test_a_thousand_maps_moved_out_with_an_edit_each_are_told_apart_by_their_ids(
    likeness_measures: Measures,
) -> None:
    """A change moving every map of one template into the excluded archive, each with a line
    edited: no two files were copies, so each removed map was measured against every
    excluded file (all alike but for their ids): 600 maps took a minute, thousands a CI
    job's hour. Each still pairs with its own file, and its edit is said, and each is
    measured against its own file only (counted: the time is the benchmarks' to say)."""
    count = 600
    maps = _removed(count)
    # Named apart from their maps, so only their content tells which is which.
    excluded = {
        f"maps/archive/{count - i:04d}.yaml": _version(f"billing-{i}", "finanse").encode()
        for i in range(count)
    }
    note_moves(maps, excluded)
    assert [(md.excluded_as, md.excluded_edited) for md in maps[:3]] == [
        (f"maps/archive/{count - i:04d}.yaml", True) for i in range(3)
    ]
    assert all(md.excluded_as == f"maps/archive/{count - i:04d}.yaml" for i, md in enumerate(maps))
    assert likeness_measures.count == count  # 360,000 before


def test_a_thousand_maps_moved_out_with_their_ids_edited_too_are_told_apart_by_their_names(
    likeness_measures: Measures,
) -> None:
    """As above, each map's id edited in the move as well (``archived-billing-7``): no id
    told them apart, and every removed map was measured against every excluded file again
    (the share of lines a prefix filter looks at is the template's, in all of them). Each
    keeps its file's name, as ``git mv`` into the archive does: measured against that file."""
    count = 600
    maps = _removed(count)
    excluded = {
        f"maps/archive/b{i}.yaml": _version(f"archived-billing-{i}", "finanse").encode() for i in range(count)
    }
    note_moves(maps, excluded, set(excluded))
    assert [(md.excluded_as, md.excluded_edited, md.excluded_alike) for md in maps] == [
        (f"maps/archive/b{i}.yaml", True, []) for i in range(count)
    ]
    assert likeness_measures.count == count  # 360,000 before


def test_copies_added_beside_a_thousand_edited_moves_are_each_measured_once(
    likeness_measures: Measures,
) -> None:
    """Each map of one template moved out with an edit, and a copy of it added beside (see
    test_diff_excluded_edits): each copy is judged with its map, measured against it only,
    not against every map moved."""
    count = 300
    maps = _removed(count)
    excluded = {f"maps/archive/b{i}.yaml": _version(f"billing-{i}", "finanse").encode() for i in range(count)}
    excluded |= {
        f"maps/archive/b{i}-copy.yaml": _version(f"billing-{i}", "finance").encode() for i in range(count)
    }
    note_moves(maps, excluded, set(excluded))
    # Each pairs with its copy (the most alike), its edited move judged beside it.
    assert [(md.excluded_as, md.excluded_edited, md.excluded_alike) for md in maps] == [
        (f"maps/archive/b{i}-copy.yaml", False, [f"maps/archive/b{i}.yaml"]) for i in range(count)
    ]
    assert (
        likeness_measures.count == 3 * count
    )  # the two files of its id each, then its leftover once (90,600 before)
