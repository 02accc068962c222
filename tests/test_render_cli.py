"""journeymaps render, as a user runs it."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BASE, ROOT, jm, tangled, write_files
from in_process import jm_here

GOOD = textwrap.dedent(BASE).strip() + "\n"
#: GOOD with a case handed from support to product (GOOD's stages have no step: no
#: handoff, and then no teams diagram is drawn).
HANDING = GOOD.replace(
    "    owner: support\n", "    owner: support\n    steps: [{id: s, name: Checks, lane: backstage}]\n", 1
).replace(
    "    owner: product\n", "    owner: product\n    steps: [{id: t, name: Fixes, lane: backstage}]\n", 1
)


def test_render_writes_every_view_of_the_examples(tmp_path: Path) -> None:
    result = jm_here(ROOT, "render", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    maps = ["admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage"]
    assert names == sorted(
        [f"{m}.{v}.svg" for m in maps for v in ("journey", "blueprint")] + ["team-handoffs.svg"]
    )
    for path in tmp_path.iterdir():
        ET.fromstring(path.read_bytes())
    assert "Rendered 9 diagrams" in result.stdout


def test_render_one_map_one_view_as_dot(tmp_path: Path) -> None:
    result = jm_here(
        ROOT,
        "render",
        "maps/support/billing-dispute.yaml",
        "--view",
        "journey",
        "--format",
        "dot",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 0
    (only,) = tmp_path.iterdir()
    assert only.name == "billing-dispute.journey.dot"
    assert only.read_text().startswith('digraph "journey-billing-dispute" {')


def test_a_view_asked_twice_is_one_diagram_counted_once(tmp_path: Path) -> None:
    """It said "Rendered 2 diagrams" for one file written twice."""
    map_file = "maps/support/billing-dispute.yaml"
    result = jm_here(ROOT, "render", map_file, "--view", "journey", "--view", "journey", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["billing-dispute.journey.svg"]
    assert result.stdout.startswith("Rendered 1 diagram to ")


def test_render_draws_a_measured_pain_point_s_volume_as_the_site_does(tmp_path: Path) -> None:
    """The examples' admin map is measured (examples/metrics): its diagram showed the declared
    volume while the site showed the measured one."""
    result = jm_here(
        ROOT, "render", "maps/support/admin-locked-out.yaml", "--view", "journey", "-o", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "admin-locked-out.journey.svg").read_text("utf-8")
    assert ">41 contacts/month, measured<" in svg
    assert "Reset emails land in spam" in svg


@pytest.mark.parametrize(
    ("name", "title"),
    [
        # titled "... (future state)" itself: it was said twice, after the title and the persona
        ("admin-locked-out-future", "Admin locked out of their account (future state) — Workspace admin"),
        ("admin-locked-out", "Admin locked out of their account — Workspace admin (current state)"),
    ],
)
def test_the_journey_says_the_map_s_state_once(tmp_path: Path, name: str, title: str) -> None:
    args = (
        "render",
        f"maps/support/{name}.yaml",
        "--view",
        "journey",
        "--format",
        "dot",
        "-o",
        str(tmp_path),
    )
    assert jm_here(ROOT, *args).returncode == 0
    dot = (tmp_path / f"{name}.journey.dot").read_text()
    assert f'label="{title}"' in dot


def test_same_map_same_bytes(tmp_path: Path) -> None:
    jm(ROOT, "render", "-o", str(tmp_path / "a"))
    jm(ROOT, "render", "-o", str(tmp_path / "b"))
    for first in (tmp_path / "a").iterdir():
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()


def test_a_map_that_fails_does_not_take_the_others_down(tmp_path: Path) -> None:
    write_files(
        tmp_path / "maps",
        {"good.yaml": GOOD, "tangled.yaml": tangled(45), "broken.yaml": "id: broken\ntitle: [\n"},
    )
    result = jm(tmp_path, "render", "--timeout", "0.2", "--view", "journey")
    assert result.returncode == 1
    assert (tmp_path / "diagrams" / "m.journey.svg").is_file()
    assert not (tmp_path / "diagrams" / "tangled.journey.svg").exists()
    # named at its map, with a rule, as lint names a problem (it said "tangled.journey: ...")
    assert (
        "maps/tangled.yaml:1:1: JM009 [diagram-failed] error: the journey diagram could not be drawn: "
        "Graphviz took longer than 0.2 s" in result.stderr
    )
    assert "maps/broken.yaml:2:8: JM001 [yaml-syntax]" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "1e308"])
def test_a_timeout_that_is_not_a_finite_number_is_a_usage_error(tmp_path: Path, value: str) -> None:
    """Each was 'internal error: ValueError/OverflowError: cannot convert float ... to integer'."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    result = jm_here(tmp_path, "render", "--timeout", value)
    assert result.returncode == 2
    assert "Invalid value for '--timeout'" in result.stderr
    assert not (tmp_path / "diagrams").exists()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abc", "'abc' is not a number of seconds"),
        ("", "'' is not a number of seconds"),
        ("0", "'0' is not a positive number of seconds"),
        ("-5", "'-5' is not a positive number of seconds"),
        ("0.01", "'0.01' seconds is too short for a layout"),
        ("1e9", "'1e9' seconds is more than a day"),
    ],
)
@pytest.mark.parametrize("command", [["render"], ["build"], ["serve", "--port", "0"], ["diff", "a", "b"]])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused_in_words(
    tmp_path: Path, command: list[str], value: str, words: str
) -> None:
    # click's FloatRange said "'abc' is not a valid float range" and "0.0 is not in the
    # range 0.1<=x<=86400": names of its own, and 0 for the 0.01 written.
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    run = jm if command[0] == "serve" else jm_here  # serve taking it would serve: a process, with its timeout
    result = run(tmp_path, *command, f"--timeout={value}")
    assert result.returncode == 2, result.stderr
    error = result.stderr.splitlines()[-1]
    assert error == (
        f"Error: Invalid value for '--timeout': {words}; give 0.1 to 86400 (a day), e.g. --timeout 30"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]  # nothing was written


@pytest.mark.embedded  # the system dot needs no such reservation: it draws under this limit
def test_graphviz_that_cannot_get_its_memory_fails_each_diagram_in_words(tmp_path: Path) -> None:
    """Under an address-space limit (ulimit -v, as some CI runners and shared hosts set)
    wasmtime cannot reserve an instance's memory: that error escaped the renderer, and
    render was 'internal error: WasmtimeError', build 'ValueError: ctypes objects containing
    pointers cannot be pickled'."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # below wasmtime's 4 GB reservation

    for args in (
        ["render", "--view", "journey", "--renderer", "embedded"],
        ["build", "--renderer", "embedded"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "journeymaps", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=limited,
            env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
        )
        assert result.returncode == 1, result.stderr
        assert "internal error" not in result.stderr
        assert "Graphviz failed: Cannot allocate memory" in result.stderr


def test_system_renderer_is_chosen_by_flag(tmp_path: Path) -> None:
    result = jm_here(
        ROOT,
        "render",
        "maps/support/billing-dispute.yaml",
        "--renderer",
        "system",
        "--view",
        "journey",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 0
    svg = (tmp_path / "billing-dispute.journey.svg").read_bytes()
    assert b"Generated by graphviz version 16" not in svg  # the embedded build is version 16
    assert any(el.get("id") == "stage-review" for el in ET.fromstring(svg).iter())


def test_a_render_stopped_half_way_keeps_the_last_run_s_diagrams(tmp_path: Path) -> None:
    """Ctrl+C during ``render`` left the folder half new, half from the run before, with
    nothing to tell which: a set of diagrams that never existed together. Now each diagram
    waits beside its place and all move in at the end: stopped before, the folder is as it
    was, with no temporary file left."""
    text = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text("utf-8")
    maps, out = tmp_path / "maps", tmp_path / "out"
    maps.mkdir()
    for i in range(30):  # a render that takes seconds, time to stop it half-way
        (maps / f"copy-{i:02d}.yaml").write_text(text.replace("id: billing-dispute", f"id: copy-{i:02d}"))
    first = jm(tmp_path, "render", "maps", "-o", "out")
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for path in maps.iterdir():  # every diagram of the next run differs from this one's
        path.write_text(path.read_text("utf-8").replace("title: ", "title: Renamed ", 1))

    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymaps", "render", "maps", "-o", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline and _as_before(out, before):
        time.sleep(0.005)
    assert proc.poll() is None, "the render ended before it could be stopped"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _as_before(out: Path, before: dict[str, bytes]) -> bool:
    """Whether the folder holds the first run's files alone, unchanged (a file being written
    or moved counts as a change)."""
    try:
        return all(p.name in before and p.read_bytes() == before[p.name] for p in out.iterdir())
    except FileNotFoundError:
        return False


def test_render_writes_beside_the_settings_whichever_folder_it_runs_in(tmp_path: Path) -> None:
    """``cd maps && journeymaps render`` wrote maps/diagrams/, which the .gitignore that
    ``init`` writes (``/diagrams/``) does not cover: the next ``git add .`` took the SVGs in.
    Now beside the settings, as build's site; an -o given is still from the current folder."""
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "site" / "fixture", project)
    result = jm_here(project / "maps", "render")
    assert result.returncode == 0, result.stderr
    assert "to ../diagrams/" in result.stdout  # named from where the user is
    assert sorted(p.name for p in (project / "diagrams").iterdir())
    assert not (project / "maps" / "diagrams").exists()
    assert jm_here(project / "maps", "render", "-o", "here").returncode == 0
    assert any((project / "maps" / "here").iterdir())


def test_the_timeout_ends_a_system_dot_that_runs_its_layout_in_a_child(tmp_path: Path) -> None:
    """A ``dot`` on PATH that is a wrapper script (``#!/bin/sh`` running the real dot, not
    exec-ing it) kept its child, and the child the output pipe: at the timeout only the
    wrapper was killed, and render waited for the child's end (here 60 s, not 1 s)."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "dot").write_text("#!/bin/sh\nsleep 60\n")
    (bin_folder / "dot").chmod(0o755)
    started = time.monotonic()
    result = jm(
        tmp_path,
        *("render", "--renderer", "system", "--view", "journey", "--timeout", "1"),
        env={"PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
        timeout=120,
    )
    assert time.monotonic() - started < 30, "the timeout did not end the layout"
    assert result.returncode == 1
    assert "Graphviz took longer than 1 s to lay out this diagram" in result.stderr


def test_the_timeout_ends_a_wrapper_dot_s_child_too(tmp_path: Path) -> None:
    """At the timeout only the wrapper was killed: its child (the real layout) ran on after
    render had ended, up to the end of a hostile map's layout, one per diagram."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    pid_file = tmp_path / "child.pid"
    (bin_folder / "dot").write_text(f"#!/bin/sh\nsh -c 'echo $$ > {pid_file}; exec sleep 60'\n")
    (bin_folder / "dot").chmod(0o755)
    result = jm(
        tmp_path,
        *("render", "--renderer", "system", "--view", "journey", "--timeout", "1"),
        env={"PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
        timeout=120,
    )
    assert result.returncode == 1
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child), "the wrapper's child still lays out"


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent to read it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_a_system_dot_whose_output_is_no_whole_svg_fails_its_diagram(tmp_path: Path) -> None:
    """A ``dot`` on PATH that exits 0 with half an SVG (or another program named dot) had
    that written as the diagram, exit 0: a file no browser can show."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "dot").write_text('#!/bin/sh\ncat >/dev/null\nprintf "<svg><g>"\n')
    (bin_folder / "dot").chmod(0o755)
    result = jm(
        tmp_path,
        *("render", "--renderer", "system", "--view", "journey"),
        env={"PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 1, result.stderr
    assert "Graphviz's output is not a whole SVG" in result.stderr
    assert not (tmp_path / "diagrams").exists()


def test_the_default_diagrams_folder_is_never_written_through_a_link_out_of_the_project(
    tmp_path: Path,
) -> None:
    """A repository can hold ``diagrams -> ~/somewhere``: ``render``, with no ``-o``,
    replaced same-named files there (a user's own ``team-handoffs.svg``) and said exit 0.
    Refused as a report through such a link is, before anything is drawn; the link named
    with ``-o`` is the user's choice, and written through."""
    project, home = tmp_path / "project", tmp_path / "home"
    write_files(project, {"journeymaps.toml": "", "maps/m.yaml": GOOD})
    home.mkdir()
    (home / "notes.svg").write_text("<svg>mine</svg>\n")
    (project / "diagrams").symlink_to("../home")
    result = jm_here(project, "render")
    assert result.returncode == 2, result.stdout
    assert result.stderr == (
        f"journeymaps: error: diagrams is a link to ../home ({home.as_posix()}), which is outside the "
        "project: nothing is written through it; to write there, name that place itself, not the link\n"
    )
    assert result.stdout == ""
    assert [p.name for p in home.iterdir()] == ["notes.svg"]
    # named by the user, the link is followed
    result = jm_here(project, "render", "-o", "diagrams")
    assert result.returncode == 0, result.stderr
    assert (home / "m.journey.svg").is_file() and (project / "diagrams").is_symlink()


def test_render_replaces_only_the_diagrams_it_drew(tmp_path: Path) -> None:
    """``render -o ~`` replaced the user's own ``team-handoffs.svg`` there (and a named
    pipe of a diagram's name), exit 0. As ``build`` replaces only a site it wrote, render
    replaces only diagrams it drew: anything else under a diagram's name is named, and
    nothing is drawn; its own diagrams of an earlier run are replaced."""
    write_files(tmp_path / "project", {"journeymaps.toml": "", "maps/m.yaml": HANDING})
    home = tmp_path / "home"
    home.mkdir()
    (home / "team-handoffs.svg").write_text("<svg>mine</svg>\n")
    os.mkfifo(home / "m.journey.svg")
    result = jm(tmp_path / "project", "render", "-o", "../home")
    assert result.returncode == 2, result.stdout
    assert result.stderr == (
        "journeymaps: error: ../home/m.journey.svg (a named pipe) and ../home/team-handoffs.svg are not "
        "diagrams journeymaps drew, and render replaces only those: move them, or name another folder with -o\n"
    )
    assert sorted(p.name for p in home.iterdir()) == ["m.journey.svg", "team-handoffs.svg"]
    assert (home / "team-handoffs.svg").read_text() == "<svg>mine</svg>\n"
    # its own diagrams of a run before, in either format, are replaced
    (home / "team-handoffs.svg").unlink()
    (home / "m.journey.svg").unlink()
    for fmt in ("svg", "dot"):
        for _ in range(2):
            result = jm_here(tmp_path / "project", "render", "-o", "../home", "--format", fmt)
            assert result.returncode == 0, result.stderr
    assert len(list(home.iterdir())) == 6


def test_a_file_that_is_no_map_is_not_called_a_map_not_drawn(tmp_path: Path) -> None:
    """``render team-list.yaml`` (a teams list under another name) and a broken teams.yaml
    each said "1 map not drawn (its 1 error above)": neither is a map."""
    write_files(tmp_path, {"team-list.yaml": "teams:\n  - {id: support, name: Support}\n"})
    result = jm_here(tmp_path, "render", "team-list.yaml", "-o", "out")
    assert result.returncode == 1
    assert "this is not a journey map but a list of teams" in result.stderr
    assert result.stdout.endswith("; 1 file that is no journey map (its 1 error above)\n"), result.stdout
    write_files(
        tmp_path, {"maps/teams.yaml": "teams: {}\n", "maps/m.yaml": BASE.replace("title: T", "titel: T")}
    )
    both = jm_here(tmp_path, "render", "maps", "-o", "out")
    assert both.stdout.endswith(
        "; 1 map not drawn, 1 file that is no journey map (their 2 errors above)\n"
    ), both.stdout
