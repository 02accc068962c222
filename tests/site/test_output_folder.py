"""The output folder (issue 13): replaced in one move, wherever it is, and nothing a killed
or terminated build left lingers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, hangup_as_in_a_terminal, jm
from in_process import jm_here

FIXTURE = Path(__file__).parent / "fixture"

POLLER = """
import os, sys
target, stop = sys.argv[1], sys.argv[2]
polls = misses = 0
print("ready", flush=True)
while not os.path.exists(stop):
    polls += 1
    try:
        os.stat(target)
    except FileNotFoundError:
        misses += 1
print(polls, misses)
"""


def test_the_swap_leaves_no_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A poller saw site/index.html missing 3,458 times across 147 builds: the old folder
    was moved away, then the new one in."""
    import datetime as dt

    from journeymaps.settings import load_settings
    from journeymaps.site.build import build

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    settings = load_settings(project)
    out = project / "site"
    build([project / "maps"], settings, project, out, today=TODAY, jobs=1)
    stop = tmp_path / "stop"
    poller = subprocess.Popen(
        [sys.executable, "-c", POLLER, str(out / "index.html"), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert poller.stdout is not None and poller.stdout.readline() == "ready\n"
        for day in range(1, 41):  # another date each time: each build replaces the site
            result = build(
                [project / "maps"], settings, project, out, today=TODAY + dt.timedelta(days=day), jobs=1
            )
            assert not result.up_to_date
    finally:
        stop.touch()
        polls, misses = map(int, poller.communicate(timeout=30)[0].split())
    assert polls > 1000  # it was looking
    assert misses == 0
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")]


def test_an_output_that_is_a_symlink_stays_one(tmp_path: Path) -> None:
    """It was replaced by a real folder, its target never updated, exit 0."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (tmp_path / "www" / "journeys").mkdir(parents=True)
    (project / "site").symlink_to(tmp_path / "www" / "journeys")
    (project / "later").symlink_to(tmp_path / "www" / "not-yet")  # a link to nothing yet
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    index = tmp_path / "www" / "journeys" / "index.html"
    assert jm_here(project, "build", env=env).returncode == 0
    assert (project / "site").is_symlink()
    assert "Refund takes too long" in index.read_text("utf-8")
    refund = project / "maps" / "refund.yaml"
    refund.write_text(refund.read_text("utf-8").replace("Refund takes too long", "Refund is slow"))
    assert jm_here(project, "build", env=env).returncode == 0  # a site there now: replaced
    assert (project / "site").is_symlink()
    assert "Refund is slow" in index.read_text("utf-8")
    assert jm_here(project, "build", "-o", "later", env=env).returncode == 0
    assert (project / "later").is_symlink() and (tmp_path / "www" / "not-yet" / "index.html").is_file()
    leftovers = [p.name for p in (tmp_path / "www").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_an_output_that_is_a_loop_of_links_is_refused(tmp_path: Path) -> None:
    """It was exit 0: the link was swapped for the site, and the link itself, under the
    staging name, lingered beside it for good."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "site").symlink_to("www")
    (project / "www").symlink_to("site")
    result = jm(project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 2
    assert "site is a loop of symbolic links" in result.stderr
    assert sorted(p.name for p in project.iterdir()) == ["journeymaps.toml", "maps", "site", "www"]
    assert (project / "site").readlink() == Path("www")


@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "0"]])
def test_the_default_site_is_never_made_through_a_link_out_of_the_project_to_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    """A repository's ``site -> ../home/.config/autostart`` (not there yet): the build made
    that folder, outside the project, and wrote the site into it, exit 0, though the user
    named no place. Refused as init and new refuse it; a link out to a folder that is there
    (a web server's) is followed, and one the user names with -o is made (see
    test_an_output_that_is_a_symlink_stays_one)."""
    project, outside = tmp_path / "project", tmp_path / "home" / ".config" / "autostart"
    shutil.copytree(FIXTURE, project)
    (project / "site").symlink_to(outside)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}

    result = jm(project, *command, env=env, timeout=60)

    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        f"journeymaps: error: site is a link to {outside.as_posix()}, which is outside the project and "
        "not there: nothing is made through it; make that place, or remove the link"
    ) in result.stderr
    assert not (tmp_path / "home").exists()
    outside.mkdir(parents=True)  # made by the user: written there
    assert jm(project, "build", env=env).returncode == 0
    assert (outside / "index.html").is_file()


@pytest.mark.parametrize(
    "marker", ["list", "broken-not-a-list", "broken-line-not-ours", "fifo", "link-to-dev-zero"]
)
def test_a_damaged_marker_is_no_previous_build(tmp_path: Path, marker: str) -> None:
    """The previous site's marker was read whole and trusted to be a mapping: a JSON list
    was 'internal error: AttributeError', a FIFO hung the build, /dev/zero ran it out of
    memory, and an up-to-date build printed its broken lines raw (a line break started a
    '::error' command to GitHub's runner, an escape sequence recoloured the terminal). Such
    a site is built again whole."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm(project, "build", env=env).returncode == 0
    path = project / "site" / ".journeymaps-site"
    summary = json.loads(path.read_text("utf-8"))
    path.unlink()
    if marker == "list":
        path.write_text("[1, 2]\n")
    elif marker == "broken-not-a-list":
        path.write_text(json.dumps({**summary, "broken": 5}))
    elif marker == "broken-line-not-ours":
        line = "maps/x.yaml:1:1: JM001 [yaml-syntax] error: bad\n::error file=x::injected \x1b[31mred"
        path.write_text(json.dumps({**summary, "broken": [line]}))
    elif marker == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = jm(project, "build", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Building site/: no previous build\n")
    assert "injected" not in result.stdout + result.stderr
    assert json.loads(path.read_text("utf-8"))["maps"] == 1


MOUNTED = """
set -e
mount -t tmpfs none site
{python} -m journeymaps build > /dev/null
sed -i 's/Refund takes too long/Refund is slow/' maps/refund.yaml
{python} -m journeymaps build > /dev/null
{python} -c 'import json, os; print(json.dumps(sorted(os.listdir("site"))))'
grep -c "Refund is slow" site/index.html
mountpoint -q site && echo still-mounted
"""


def test_an_output_that_is_a_mount_point_is_written(tmp_path: Path) -> None:
    """A mount point (a Docker volume) cannot be renamed: the site could not be written at all."""
    if shutil.which("unshare") is None or shutil.which("mountpoint") is None:
        pytest.fail("this test needs util-linux's unshare and mountpoint")
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "site").mkdir()
    probe = subprocess.run(["unshare", "-Urm", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here, so no mount point can be made: {probe.stderr}")
    result = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", MOUNTED.format(python=sys.executable)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    listing, count, mounted = result.stdout.splitlines()
    assert json.loads(listing) == [
        ".journeymaps-site",
        "404.html",
        "changes.html",
        "diagrams",
        "findings.html",
        "format.html",
        "index.html",
        "maps",
        "personas.html",
        "portfolio.html",
        "scorecard.html",
        "static",
        "teams.html",
    ]
    assert int(count) >= 1 and mounted == "still-mounted"


MOUNTED_WITH_MINE = """
set -e
mount -t tmpfs none site
{python} -m journeymaps build > /dev/null
echo journeys.example.com > site/CNAME
mkdir -p site/.journeymaps-new-dead/maps && echo half > site/.journeymaps-new-dead/maps/x.html
sed -i 's/Refund takes too long/Refund is slow/' maps/refund.yaml
{python} -m journeymaps build > /dev/null
{python} -c 'import json, os; print(json.dumps(sorted(os.listdir("site"))))'
cat site/CNAME
"""


def test_a_mount_point_keeps_the_users_files_not_a_killed_builds(tmp_path: Path) -> None:
    """A site that is a mount point is given its new files entry by entry: a CNAME added by
    hand was removed with the entries the new site did not have. It is kept; a killed
    build's staging folder, inside it too, is not taken for the user's: it goes."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "site").mkdir()
    probe = subprocess.run(["unshare", "-Urm", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here, so no mount point can be made: {probe.stderr}")
    result = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", MOUNTED_WITH_MINE.format(python=sys.executable)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    listing, cname = result.stdout.splitlines()
    assert "CNAME" in json.loads(listing)
    assert not [name for name in json.loads(listing) if name.startswith(".journeymaps-new-")]
    assert cname == "journeys.example.com"


BOUND_WITH_MINE = """
set -e
{python} -m journeymaps build > /dev/null
mount --bind site site
echo journeys.example.com > site/CNAME
sed -i 's/Refund takes too long/Refund is slow/' maps/refund.yaml
{python} -m journeymaps build
grep -c "Refund is slow" site/index.html
cat site/CNAME
mountpoint -q site && echo still-mounted
"""


def test_an_output_bind_mounted_from_the_same_file_system_is_written(tmp_path: Path) -> None:
    """A bind mount of a folder of the same file system (a container's volume of a host
    folder) is a mount point Python's ismount does not see: the build renamed it, and
    failed with "Device or resource busy: .site.new-x1y2z3", the site never updated. It is
    written entry by entry, as any mount point, the CNAME kept."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    probe = subprocess.run(["unshare", "-Urm", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here, so no mount point can be made: {probe.stderr}")
    result = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", BOUND_WITH_MINE.format(python=sys.executable)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    *_, count, cname, mounted = result.stdout.splitlines()
    assert int(count) >= 1 and cname == "journeys.example.com" and mounted == "still-mounted"
    assert sorted(p.name for p in project.iterdir()) == ["journeymaps.toml", "maps", "site"]


def _many_maps(root: Path, copies: int = 80) -> None:
    """The examples and ``copies`` of one: enough maps for worker processes and a build that
    takes seconds (fewer for the tests that wait for the build to end: 80 took ~18 s; 12,
    16 maps, still draw ~2 s after the workers start, while a signal is sent at once)."""
    maps = root / "maps"
    shutil.copytree(ROOT / "maps", maps)
    text = (ROOT / "maps" / "support" / "billing-dispute.yaml").read_text("utf-8")
    for i in range(copies):
        (maps / f"copy-{i:02d}.yaml").write_text(text.replace("id: billing-dispute", f"id: copy-{i:02d}"))


def _start_build(root: Path, *before: str) -> subprocess.Popen[str]:
    """``journeymaps build`` (after ``before``: ``nohup``) in its own session, once its
    staging folder and workers are there. SIGHUP as a terminal's session has it, whatever
    these tests run under (a CI job started with nohup ignores it, and so would the build)."""
    proc = subprocess.Popen(
        [*before, sys.executable, "-m", "journeymaps", "build"],
        preexec_fn=hangup_as_in_a_terminal,
        cwd=root,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(root / "cache")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    # Staging has begun and the workers are running (the build leads its session: any
    # other process in it is a worker).
    while (
        not (list(root.glob(".site.new-*")) and len(_session(proc.pid)) > 1)
        and proc.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it could be stopped"
    return proc


def _session(pid: int) -> list[str]:
    """The processes still running in the session ``pid`` leads."""
    listed = subprocess.run(["pgrep", "-a", "-s", str(pid)], capture_output=True, text=True).stdout
    return [line for line in listed.splitlines() if "<defunct>" not in line]


def _until_empty(pid: int, seconds: float = 20) -> list[str]:
    deadline = time.monotonic() + seconds
    while (running := _session(pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return running


def test_sigterm_to_the_build_stops_its_workers_and_cleans_up(tmp_path: Path) -> None:
    """SIGTERM (a CI runner cancelling a job) sent to the build's own pid left a staging
    folder, and two workers alive for minutes holding stdout: the caller hung."""
    _many_maps(tmp_path)
    proc = _start_build(tmp_path)
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=30)  # returns only when every holder of stdout is gone
    assert proc.returncode == 143, err
    assert err.rstrip().endswith("journeymaps: terminated")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert _until_empty(proc.pid) == []
    assert not list(tmp_path.glob(".site.*")) and not (tmp_path / "site").exists()


def test_a_closed_terminal_s_sighup_stops_the_build_cleanly(tmp_path: Path) -> None:
    """The terminal closed (or the ssh session dropped) mid-build: SIGHUP's default action
    killed the build on the spot, leaving its .site.new-* folder beside the site and "There
    appear to be 5 leaked semaphore objects". The whole group gets it, as from a terminal."""
    _many_maps(tmp_path)
    proc = _start_build(tmp_path)
    os.killpg(proc.pid, signal.SIGHUP)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 129, err  # 128 + SIGHUP, as shells report it
    assert err.rstrip().endswith("journeymaps: hung up")
    assert "Traceback" not in err and "leaked" not in err, err
    assert _until_empty(proc.pid) == []
    assert not list(tmp_path.glob(".site.*")) and not (tmp_path / "site").exists()


def test_a_build_under_nohup_goes_on_after_sighup(tmp_path: Path) -> None:
    """nohup (SIGHUP ignored) is how a long build is kept past a closed terminal: it must
    not be undone by the build's own handler."""
    _many_maps(tmp_path, copies=12)
    proc = _start_build(tmp_path, "nohup")
    os.killpg(proc.pid, signal.SIGHUP)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (tmp_path / "site" / "index.html").is_file() and not list(tmp_path.glob(".site.*"))


def test_what_kill_9_left_is_removed_by_the_next_build(tmp_path: Path) -> None:
    """kill -9 left .site.new-* folders that later builds never removed (and workers that
    drew on for minutes)."""
    _many_maps(tmp_path, copies=12)
    proc = _start_build(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert _until_empty(proc.pid) == []  # the workers followed their parent
    assert list(tmp_path.glob(".site.new-*"))  # what a killed build leaves
    again = jm(tmp_path, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert again.returncode == 0, again.stderr
    assert not list(tmp_path.glob(".site.*"))
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_live_builds_staging_folder_is_left_alone(tmp_path: Path) -> None:
    """Only what no running build holds is removed: two builds at once must not break each
    other."""
    import fcntl

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    live = project / ".site.new-live"
    dead = project / ".site.new-dead"
    for folder in (live, dead):
        (folder / "maps").mkdir(parents=True)
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as the build writing into it holds it
    try:
        result = jm(project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
        assert result.returncode == 0, result.stderr
        assert live.is_dir() and not dead.exists()
    finally:
        os.close(fd)


def test_a_killed_writers_temporary_files_leave_the_cache(tmp_path: Path) -> None:
    """Interrupted cache writes left .<hash>.svg.XXXX files that pruning never saw."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    assert jm_here(project, "build", env=env).returncode == 0
    diagrams = tmp_path / "cache" / "diagrams"
    # Named as write_atomic names them (.<entry>.<12 hex>): pruning removes only those
    # (a folder of the user's named as the cache keeps its own dot-files).
    old = diagrams / f".{'a' * 64}.{'b' * 32}.svg.0123456789ab"
    young = diagrams / f".{'c' * 64}.{'d' * 32}.svg.ba9876543210"
    for path in (old, young):
        path.write_bytes(b"<svg half-writ")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    (project / "journeymaps.toml").write_text(
        textwrap.dedent((project / "journeymaps.toml").read_text("utf-8")).replace("Acme", "Acme Inc")
    )
    assert jm_here(project, "build", env=env).returncode == 0
    assert not old.exists()
    assert young.exists()  # another build may be writing it right now
