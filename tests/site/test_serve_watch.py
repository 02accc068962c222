"""What ``serve`` counts as a change to a watched file (the rebuild trigger)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from journeymaps.site.serve import snapshot
from journeymaps.site.staging import MARKER


def test_a_file_replaced_by_one_of_the_same_size_and_time_is_a_change(tmp_path: Path) -> None:
    """An editor's save-by-rename (or ``cp -p``) can leave size and modification time as
    they were: the inode and status-change time still tell."""
    maps = tmp_path / "maps"
    maps.mkdir()
    path = maps / "m.yaml"
    path.write_text("id: a\n")
    before = snapshot([maps], [])
    info = path.stat()
    other = tmp_path / "saved.yaml"
    other.write_text("id: b\n")  # same size
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))  # same time
    other.replace(path)
    assert path.stat().st_mtime_ns == info.st_mtime_ns and path.stat().st_size == info.st_size
    assert snapshot([maps], []) != before


def test_yaml_files_in_sub_folders_and_settings_files_are_watched_nothing_else(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    (maps / "team" / ".hidden").mkdir(parents=True)
    for name in ("a.yaml", "team/b.yml", "team/.hidden/c.yaml", "notes.txt", "team/d.yaml.bak"):
        (maps / name).write_text("x")
    settings = tmp_path / "journeymaps.toml"
    settings.write_text("")
    (maps / "loop").symlink_to(maps)  # a folder linked into itself is walked once
    seen = snapshot([maps], [settings, tmp_path / "pyproject.toml"])
    names = sorted(Path(p).relative_to(tmp_path).as_posix() for p in seen)
    assert names == [
        "journeymaps.toml",
        "maps/a.yaml",
        "maps/team/.hidden/c.yaml",
        "maps/team/b.yml",
    ]


def test_other_tools_folders_are_not_watched(tmp_path: Path) -> None:
    """A maps folder holding a node_modules (serve . in a web project) looked at every YAML
    file of every package ten times a second; lint does not read them."""
    maps = tmp_path / "maps"
    for name in ("m.yaml", "node_modules/pkg/x.yaml", "team/venv/y.yaml", "team/__pycache__/z.yaml"):
        (maps / name).parent.mkdir(parents=True, exist_ok=True)
        (maps / name).write_text("x")
    assert [Path(p).relative_to(maps).as_posix() for p in snapshot([maps], [])] == ["m.yaml"]
    # named, as serve maps/node_modules names it: watched
    assert len(snapshot([maps / "node_modules"], [])) == 1


def test_what_is_watched_changing_is_no_change_but_a_save_during_the_rebuild_still_is(tmp_path: Path) -> None:
    """After a rebuild serve watches what the new site depends on (a photo it now shows, a
    maps folder the settings added): a file newly watched is not a change in itself, nor is
    one no longer watched, yet a map saved while the rebuild ran still is, in a folder
    watched before or in one watched from now on."""
    import time

    from journeymaps.site.serve import _rewatched

    maps, more = tmp_path / "maps", tmp_path / "more"
    photo, old_photo = tmp_path / "new.png", tmp_path / "old.png"
    maps.mkdir()
    more.mkdir()
    for path in (maps / "m.yaml", more / "kept.yaml", more / "saved.yaml", photo, old_photo):
        path.write_text("x")
    time.sleep(0.2)  # all of them well before the rebuild
    old = ([maps], [old_photo])
    last = snapshot(*old)  # as the rebuild started
    since = time.time_ns()
    new = ([maps, more], [photo])
    (maps / "m.yaml").write_text("saved during the rebuild")
    (maps / "n.yaml").write_text("created during the rebuild")
    (more / "saved.yaml").write_text("saved in the newly watched folder during the rebuild")
    watching, looked = _rewatched(old, new, last, since)
    assert watching == new
    now = snapshot(*new)
    assert {k for k in now.keys() | looked.keys() if now.get(k) != looked.get(k)} == {
        str(maps / "m.yaml"),
        str(maps / "n.yaml"),
        str(more / "saved.yaml"),
    }
    assert _rewatched(new, new, now, time.time_ns()) == (new, now)


def test_a_new_day_is_built_again_without_an_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Maps are judged as of the build's date (stale badges, days since review): a serve
    left running overnight showed yesterday's judgement until some map was saved."""
    import journeymaps.site.serve as serve_module

    days = ["2026-12-04"]
    monkeypatch.setattr(serve_module, "_today", lambda: days[0])
    maps = tmp_path / "maps"
    maps.mkdir()
    rebuilt = threading.Event()
    said: list[str] = []
    stop = threading.Event()

    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("{}")  # a built site

    def rebuild() -> bool:
        rebuilt.set()
        return True

    serving = threading.Event()

    def say(line: str) -> None:
        said.append(line)
        if line.startswith("Serving "):
            serving.set()

    thread = threading.Thread(
        target=serve_module.serve,
        args=(site, "127.0.0.1", 0, rebuild, [maps], [], say, stop, 0.02),
        daemon=True,
    )
    thread.start()
    try:
        # serve says where it serves once it has taken the date (and its first look): a
        # fixed 0.3 s for that let a loaded machine's serve start on the next day already.
        assert serving.wait(10), said
        assert not rebuilt.wait(0.3), said  # the same day, nothing saved: nothing to do
        days[0] = "2026-12-05"
        assert rebuilt.wait(10), said
        assert "The date is now 2026-12-05: building again (maps are judged as of the date)" in said
        rebuilt.clear()
        assert not rebuilt.wait(0.3), said  # once
    finally:
        stop.set()
        thread.join(10)
