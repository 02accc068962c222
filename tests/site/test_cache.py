"""The diagram cache stays within its limit; the least recently used diagrams go first."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, TODAY
from in_process import jm_here
from journeymaps.site.cache import GRACE_SECONDS, prune

DAY = 24 * 3600.0
FIXTURE = Path(__file__).parent / "fixture"


def _svg(folder: Path, name: str, size: int, age: float) -> Path:
    """A cache entry (named as journeymaps names them: key, digest), ``age`` seconds old."""
    key = hashlib.sha256(name.encode()).hexdigest()
    return _file(folder, f"{key}.{key[:32]}.svg", size, age)


def _file(folder: Path, name: str, size: int, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"x" * size)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_prune_removes_the_least_recently_used_down_to_three_quarters(tmp_path: Path) -> None:
    old = [_svg(tmp_path, f"old{i}", 1000, (10 - i) * DAY) for i in range(8)]  # old0 is the oldest
    young = _svg(tmp_path, "young", 1000, 60)  # used a minute ago: kept whatever the limit
    other = tmp_path / ".x.svg.tmp123"
    other.write_bytes(b"y" * 5000)  # a writer's temporary file: not counted, not removed

    assert prune(tmp_path, 100_000) == 0  # under the limit: nothing to do
    assert prune(tmp_path, 8000) == 3  # 9,000 bytes > 8,000: down to 6,000
    assert [p.exists() for p in old] == [False] * 3 + [True] * 5
    assert young.exists() and other.exists()

    assert prune(tmp_path, 0) == 5  # only the one within the grace period stays
    assert young.exists() and not any(p.exists() for p in old)
    assert GRACE_SECONDS >= 60


def test_prune_removes_only_what_journeymaps_wrote(tmp_path: Path) -> None:
    """$JOURNEYMAPS_CACHE set to a folder of the user's (one with a diagrams/ of its own):
    pruning removed every old .svg there, and any old dot-file (.gitkeep) as a writer's
    temporary file. Only cache entries and their writers' temporary files are removed."""
    mine = [_file(tmp_path, "journey.svg", 1000, 10 * DAY), _file(tmp_path, ".gitkeep", 0, 10 * DAY)]
    entry = _svg(tmp_path, "old", 1000, 10 * DAY)
    killed = _file(tmp_path, f".{entry.name}.{'0' * 12}", 10, 10 * DAY)
    assert prune(tmp_path, 0) == 1
    assert not entry.exists() and not killed.exists()
    assert all(p.exists() for p in mine)


def test_a_build_keeps_what_it_uses_and_prunes_the_stalest(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "maps", project / "maps")
    cache = tmp_path / "cache"
    env = {"JOURNEYMAPS_CACHE": str(cache), "JOURNEYMAPS_CACHE_MAX_MB": "1"}
    assert jm_here(project, "build", env=env).returncode == 0
    drawn = sorted((cache / "diagrams").glob("*.svg"))
    assert len(drawn) == 9
    # Another project's diagrams, unused for days, fill the cache past its limit; the
    # diagrams this project drew are made as old, so only reuse can keep them.
    stale = [_svg(cache / "diagrams", f"stale{i}", 200_000, 5 * DAY) for i in range(6)]
    for path in drawn:
        os.utime(path, (time.time() - 9 * DAY,) * 2)
    (project / "maps" / "support" / "billing-dispute.yaml").write_text(
        (project / "maps" / "support" / "billing-dispute.yaml").read_text("utf-8") + "\n# edited\n"
    )

    again = jm_here(project, "build", env=env)

    assert again.returncode == 0, again.stderr
    assert "(2 drawn, 7 from the cache)" in again.stdout  # the edited map's two diagrams are drawn again
    kept = {p.name for p in (cache / "diagrams").glob("*.svg")}
    reused = [p for p in drawn if p.name in kept]
    assert len(reused) == 7  # used by this build: kept, though they were the oldest files
    assert sum(p.exists() for p in stale) < len(stale)  # the stalest went
    total = sum(p.stat().st_size for p in (cache / "diagrams").glob("*.svg"))
    assert total <= 1024 * 1024


# "²".isdigit() is true, and int("²") a ValueError; "   " read as unset: the default limit,
# without a word (only an empty value is unset, as SOURCE_DATE_EPOCH's)
@pytest.mark.parametrize("limit", ["1G", "²", "   ", "\t"])
def test_a_limit_that_is_not_a_number_is_a_clear_error(tmp_path: Path, limit: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "maps", project / "maps")
    result = jm_here(
        project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "c"), "JOURNEYMAPS_CACHE_MAX_MB": limit}
    )
    assert result.returncode == 2
    assert f"JOURNEYMAPS_CACHE_MAX_MB must be a whole number of megabytes, not {limit!r}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize("variable", ["JOURNEYMAPS_CACHE", "JOURNEYMAPS_CACHE_KEY_FILE"])
@pytest.mark.parametrize("command", [["build"], ["lint"], ["render", "-o", "out"]])
def test_a_cache_variable_of_spaces_alone_is_a_clear_error(
    tmp_path: Path, variable: str, command: list[str]
) -> None:
    """``JOURNEYMAPS_CACHE="   "`` (a value lost in templating) made a folder named three
    spaces in the project, the cache in it, for ``git add -A`` to commit."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "maps", project / "maps")
    env = {
        "JOURNEYMAPS_CACHE": str(tmp_path / "c"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        variable: "   ",
    }
    result = jm_here(project, *command, env=env)
    assert result.returncode == 2, result.stderr
    assert (
        f"journeymaps: error: {variable} is only spaces ('   '): name a file or folder, or leave it unset"
        in (result.stderr)
    )
    assert sorted(p.name for p in project.iterdir()) == ["maps"]


def _drawn_once(marked: dict[str, float]) -> tuple[Any, list[Any]]:
    """The fixture map's diagrams drawn once into the cache (serve's ``marked`` filled)."""
    from journeymaps.lint import lint
    from journeymaps.settings import Settings
    from journeymaps.site.diagrams import Drawing

    report = lint([FIXTURE / "maps"], Settings(root=FIXTURE), TODAY, FIXTURE)
    assert report.project is not None
    (m,) = report.project.maps
    for _ in range(2):  # drawn, then found in the cache and marked used
        with Drawing(marked=marked) as drawing:
            drawing.start([], ("journey", "blueprint"), [m.src.path])
            drawing.offer(m.src)
            laid = drawing.map_diagrams(m)
    return m, laid


@pytest.mark.parametrize("marked_ago", [0.0, GRACE_SECONDS])
def test_serve_looks_again_for_a_cached_diagram_it_marked_used_long_ago(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marked_ago: float
) -> None:
    """serve remembers the cache files it found and marked used, and for half the grace
    period (nothing prunes them) neither looks for them nor marks them again; one marked
    longer ago may have been pruned: it is looked for again, and drawn again when gone."""
    from journeymaps.site.diagrams import Drawing

    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    marked: dict[str, float] = {}
    m, laid = _drawn_once(marked)
    assert all(x.cached for x in laid) and sorted(marked) == sorted(str(x.file) for x in laid)
    for name in marked:
        marked[name] -= marked_ago
    touched = {name: Path(name).stat().st_mtime_ns for name in marked}
    with Drawing(marked=marked) as drawing:
        drawing.start([], ("journey", "blueprint"), [m.src.path])
        for x in laid:  # pruned after this build listed the cache (another build's prune)
            os.utime(x.file, (time.time() - DAY,) * 2)
            touched[str(x.file)] = Path(x.file).stat().st_mtime_ns
            if marked_ago:
                x.file.unlink()
        drawing.offer(m.src)
        again = drawing.map_diagrams(m)
    if marked_ago:  # looked for, gone: drawn again, not published from a missing file
        assert [x.cached for x in again] == [False, False]
        assert all(x.ok and x.file is not None and x.file.is_file() for x in again)
    else:  # marked moments ago: taken as it is, not touched again
        assert [x.cached for x in again] == [True, True]
        assert {name: Path(name).stat().st_mtime_ns for name in marked} == touched
