"""``journeymaps serve`` rebuilds on a change to anything the site is built from, not only
to a YAML file of the maps folders it found at start: the served site is then the one
``journeymaps build`` makes of the same files, byte for byte."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, serving
from in_process import jm_here

SETTINGS = 'cost-per-contact = 12\nsite-title = "Acme journeys"\n'
#: What these tests' builds are run with (the date: each build judges the maps alike).
SOURCE_DATE_EPOCH = "1795000000"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the example maps' diagrams, drawn once for this module's serves (each
    drew them all in its first build, as did the build it is compared with: ~1 s of CPU
    each). Never handed out itself: see :func:`warm_cache`."""
    root = tmp_path_factory.mktemp("drawn")
    shutil.copytree(ROOT / "maps", root / "maps")
    (root / "journeymaps.toml").write_text(SETTINGS, "utf-8")
    cache = root / "cache"
    result = jm_here(
        root, "build", env={"JOURNEYMAPS_CACHE": str(cache), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    )
    assert result.returncode == 0, result.stderr
    return cache


@pytest.fixture
def warm_cache(tmp_path: Path, drawn: Path) -> Callable[[str], Path]:
    """``warm_cache(name)``: ``tmp_path/name``, a copy of :func:`drawn` (a build writes to
    its cache). A cached diagram is found by its DOT source: a diagram the change alters
    is drawn again in either build, the others are the same drawing."""

    def copy(name: str) -> Path:
        shutil.copytree(drawn, tmp_path / name, symlinks=True)
        return tmp_path / name

    return copy


def _png(colour: tuple[int, int, int]) -> bytes:
    """A 16x16 PNG of one colour (another picture under the same file name)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(colour) * 16 for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".journeymaps-site"  # its stamp names the output folder's files
    }


def _git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def _replace_photo(project: Path) -> None:
    (project / "maps/personas/workspace-admin.png").write_bytes(_png((200, 30, 30)))


def _commit(project: Path) -> None:
    _git(project, "commit", "-q", "--allow-empty", "-m", "Another commit")


def _add_maps_folder(project: Path) -> None:
    """A second maps folder named in the settings (built), then a map edited there."""
    more = project / "more"
    more.mkdir()
    text = (project / "maps/support/billing-dispute.yaml").read_text("utf-8")
    (more / "copy.yaml").write_text(text.replace("id: billing-dispute", "id: billing-copy", 1), "utf-8")
    (project / "journeymaps.toml").write_text(SETTINGS + 'paths = ["maps", "more"]\n', "utf-8")


@pytest.mark.parametrize(
    ("change", "then"),
    [
        (_replace_photo, None),  # a persona's photo: no YAML changes
        (_commit, None),  # the What changed page follows HEAD
        # the folder's map built once; then edited, in a folder serve was not watching
        (
            _add_maps_folder,
            lambda p: (p / "more/copy.yaml").write_text(
                (p / "more/copy.yaml").read_text("utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8"
            ),
        ),
    ],
    ids=["photo", "commit", "paths"],
)
def test_a_change_to_what_the_site_is_built_from_is_rebuilt(
    tmp_path: Path,
    warm_cache: Callable[[str], Path],
    change: Callable[[Path], None],
    then: Callable[[Path], None] | None,
) -> None:
    """serve watched the maps folders' YAML files and the settings files: a persona's photo
    replaced, a commit, or an edit in a maps folder added to ``paths`` left the served
    site stale (another photo, another What changed page, the old map) until some map was
    saved."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "maps", project / "maps")
    (project / "journeymaps.toml").write_text(SETTINGS, "utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Maps")
    env = {"JOURNEYMAPS_CACHE": str(warm_cache("cache")), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    with serving(project, env=env) as served:
        change(project)
        served.until("Rebuilt in", timeout=30)
        if then is not None:
            then(project)
            served.until("Rebuilt in", timeout=30)
        output = served.stop()
    assert "Traceback" not in output, output
    clean = jm_here(
        project,
        "build",
        "-o",
        str(tmp_path / "clean"),
        env={**env, "JOURNEYMAPS_CACHE": str(warm_cache("c2"))},
    )
    assert clean.returncode == 0, clean.stderr
    served_site, built = _tree(project / "site"), _tree(tmp_path / "clean")
    assert served_site.keys() == built.keys()
    assert [name for name in built if served_site[name] != built[name]] == []


def test_a_repository_made_while_serving_is_seen(tmp_path: Path, warm_cache: Callable[[str], Path]) -> None:
    """The maps were in no repository when serve started: it watched no git file, so
    ``git init`` and then the first commit left the What changed page without the history
    until some map was saved."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "maps", project / "maps")
    (project / "journeymaps.toml").write_text(SETTINGS, "utf-8")
    env = {"JOURNEYMAPS_CACHE": str(warm_cache("cache")), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    with serving(project, env=env) as served:
        _git(project, "init", "-q")
        while not re.match(r"Rebuilt in|Nothing changed", served.line(timeout=30)):
            pass
        _git(project, "add", "maps", "journeymaps.toml")
        _git(project, "commit", "-q", "-m", "Maps")
        served.until("Rebuilt in", timeout=30)
        output = served.stop()
    assert "Traceback" not in output, output
    clean = jm_here(
        project,
        "build",
        "-o",
        str(tmp_path / "clean"),
        env={**env, "JOURNEYMAPS_CACHE": str(warm_cache("c2"))},
    )
    assert clean.returncode == 0, clean.stderr
    served_site, built = _tree(project / "site"), _tree(tmp_path / "clean")
    assert [name for name in built if served_site.get(name) != built[name]] == []
