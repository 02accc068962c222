"""Files journeymaps writes get the permissions any other tool's files get (0666 less the
umask), so a web server, an artifact uploader or a teammate can read them; and each is
written whole or not at all."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import BASE, jm, serving, write_files
from in_process import jm_here
from journeymaps.output import write_atomic


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_follows_the_umask(tmp_path: Path) -> None:
    for umask, expected in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        previous = os.umask(umask)
        try:
            target = tmp_path / f"report-{umask:o}.json"
            write_atomic(target, b"{}")
        finally:
            os.umask(previous)
        assert mode(target) == expected, (oct(umask), oct(mode(target)))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"report-{u:o}.json" for u in (0o2, 0o22, 0o77)]


@pytest.mark.usefixtures("umask_022")
def test_reports_diagrams_and_baselines_are_readable_by_others(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    assert (
        jm_here(
            tmp_path, "lint", "--output", "sarif=out/results.sarif", "--output", "json=out/x.json"
        ).returncode
        == 0
    )
    assert jm_here(tmp_path, "baseline", "-o", "out/baseline.json").returncode == 0
    assert jm_here(tmp_path, "render", "-o", "out/diagrams", "--view", "journey").returncode == 0
    written = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert len(written) == 4, written
    assert {p.name: oct(mode(p)) for p in written} == {p.name: oct(0o644) for p in written}


def test_write_atomic_makes_the_folders_and_takes_a_str_path(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.svg"
    write_atomic(str(target), b"<svg/>")
    assert target.read_bytes() == b"<svg/>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.svg"]


def test_write_atomic_that_fails_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.svg"
    target.write_bytes(b"old")

    def refused(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refused)
    monkeypatch.setattr(Path, "replace", refused)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.svg"]


@pytest.mark.parametrize("command", [["lint", "--output"], ["build", "--report"]])
def test_a_report_to_a_pipe_or_a_device_is_written_into_it_not_over_it(
    tmp_path: Path, command: list[str]
) -> None:
    """``--output json=/dev/stdout`` (or ``>(jq .)``, or ``/dev/null``) replaced the link or
    the device node with a regular file: as root, /dev/null itself. Here a link to this
    run's standard output, a pipe, stands for /dev/stdout."""
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    result = jm(tmp_path, *command, "json=stdout", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert '"findings": [' in result.stdout
    assert (tmp_path / "stdout").is_symlink()


def test_a_report_through_a_link_to_a_file_keeps_the_link(tmp_path: Path) -> None:
    """The link was replaced by a regular file: /dev/stdout itself, when standard output
    went to a file (as root, in a CI container)."""
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    (tmp_path / "reports").mkdir()
    (tmp_path / "out.json").symlink_to("reports/out.json")
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    with (tmp_path / "log.txt").open("w") as log:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "journeymaps",
                "lint",
                "--output",
                "json=out.json",
                "--output",
                "sarif=stdout",
            ],
            cwd=tmp_path,
            stdout=log,
            timeout=60,
        )
    assert result.returncode == 0
    assert (tmp_path / "out.json").is_symlink() and (tmp_path / "stdout").is_symlink()
    assert '"findings": [' in (tmp_path / "reports" / "out.json").read_text()
    assert '"version": "2.1.0"' in (tmp_path / "log.txt").read_text()


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["lint", "--output", "sarif=results.sarif"], "--output sarif=results.sarif: "),
        (["build", "--report", "sarif=results.sarif"], "--report sarif=results.sarif: "),
        (["baseline", "-o", "results.sarif"], "-o results.sarif: "),
        (["export", "-o", "results.sarif"], "-o results.sarif: "),
    ],
)
def test_a_report_is_never_written_through_a_link_out_of_the_project(
    tmp_path: Path, args: list[str], what: str
) -> None:
    """A repository held ``results.sarif -> ../home/.bashrc`` under the name CI writes its
    report to: the file outside the project was replaced with the report, exit 0. Refused
    before anything runs; the file named itself, or a link inside the project, is written."""
    project, home = tmp_path / "project", tmp_path / "home"
    write_files(project, {"maps/m.yaml": BASE.lstrip(), "journeymaps.toml": 'paths = ["maps"]\n'})
    write_files(home, {".bashrc": "export PATH=~/bin:$PATH\n"})
    (project / "results.sarif").symlink_to("../home/.bashrc")
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}

    result = jm_here(project, *args, env=env)

    assert result.returncode == 2, result.stderr
    assert (
        f"journeymaps: error: {what}results.sarif is a link to ../home/.bashrc ({(home / '.bashrc').as_posix()}), "
        "which is outside the project: "
        "nothing is written through it; to write there, name that place itself, not the link"
    ) in result.stderr
    assert (home / ".bashrc").read_text() == "export PATH=~/bin:$PATH\n"
    assert not (project / "site").exists()  # refused before anything ran
    # named itself, it is written; so is a link that stays in the project
    assert (
        jm_here(project, *args[:-1], args[-1].replace("results.sarif", str(home / "out")), env=env).returncode
        != 2
    )
    assert (home / "out").stat().st_size > 0
    (project / "results.sarif").unlink()
    (project / "results.sarif").symlink_to("reports/results.sarif")
    (project / "reports").mkdir()
    assert jm_here(project, *args, env=env).returncode != 2
    assert (project / "reports/results.sarif").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "folder", "shown"),
    [
        (["render", "--view", "journey", "-o", "dd"], "dd/m.journey.svg", "dd/m.journey.svg"),
        (["export", "-o", "ex"], "ex/m.mmd", "ex/m.mmd"),
        (["lint", "--output", "json=report.json"], "report.json", "report.json"),
    ],
)
def test_a_folder_where_an_output_file_goes_is_named_not_a_temporary_file(
    tmp_path: Path, args: list[str], folder: str, shown: str
) -> None:
    """It said ``Is a directory: dd/.m.journey.svg.1a2b3c``: a file the user never named."""
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    (tmp_path / folder).mkdir(parents=True)
    result = jm(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == f"journeymaps: error: cannot write {shown}: it is a folder, not a file"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["baseline", "-o", "afile/baseline.json"],
        ["lint", "--output", "json=afile/x"],
        ["build", "-o", "out", "--report", "json=afile/x"],
        ["export", "-o", "afile/m.mmd"],
        ["new", "x", "-o", "afile/x.yaml"],  # said "afile is a file, not a folder" alone
    ],
)
def test_a_file_where_an_output_folder_goes_is_named(tmp_path: Path, args: list[str]) -> None:
    """``--output json=afile/x`` said only "File exists"."""
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip(), "afile": "not a folder\n"})
    result = jm(tmp_path, *args, env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 2, result.stderr
    written = args[-1].removeprefix("json=")
    assert result.stderr.splitlines()[-1] == (
        f"journeymaps: error: cannot write {written}: afile is a file, not a folder"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["schema", "--write", "out"],  # said "out is a file, not a folder"
        ["lint", "--output", "json=out/x.json"],
        ["export", "-o", "out/m.mmd"],
    ],
)
def test_an_output_folder_given_as_a_link_to_a_folder_not_made_yet_is_made(
    tmp_path: Path, args: list[str]
) -> None:
    """``out -> ../shared/out``, the shared folder not made yet: the build makes it (its
    site); every other output said the link was a file in the way."""
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip()})
    (tmp_path / "out").symlink_to(tmp_path / "shared" / "out")
    result = jm_here(tmp_path, *args, env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode in (0, 1), result.stderr  # lint's 1: the map's own findings
    assert "Traceback" not in result.stderr and "error:" not in result.stderr
    assert (tmp_path / "out").is_symlink()
    assert any((tmp_path / "shared" / "out").iterdir())


def test_a_file_behind_a_link_in_the_way_of_an_output_folder_is_named(tmp_path: Path) -> None:
    """The link itself is no file: what is in the way is where it leads."""
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip(), "afile": "not a folder\n"})
    (tmp_path / "out").symlink_to(tmp_path / "afile" / "deeper")
    result = jm_here(tmp_path, "schema", "--write", "out")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1].endswith(f"{tmp_path / 'afile'} is a file, not a folder")


def test_a_folder_that_refuses_the_file_is_named_not_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the user may not write in (as root, such folders are few: hence the stand-in)."""
    opened = os.open

    def refused(path: str, *args: Any) -> int:
        if Path(path).name.startswith(".x.svg."):
            raise PermissionError(13, "Permission denied", path)
        return opened(path, *args)

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(OSError) as caught:
        write_atomic(tmp_path / "x.svg", b"<svg/>")
    assert (
        str(caught.value)
        == f"cannot write {(tmp_path / 'x.svg').as_posix()}: no permission to write in {tmp_path}"
    )
    assert caught.value.errno == 13
    assert list(tmp_path.iterdir()) == []


#: Loaded into journeymaps' process (by PYTHONPATH): the folder JM_TEST_READ_ONLY refuses
#: every folder and file made in it, as a folder the user may not write in does (a root
#: user, as in CI containers, may write anywhere: hence the stand-in).
READ_ONLY_HOOK = """
import errno, os
_folder = os.environ["JM_TEST_READ_ONLY"]
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT

def _inside(path):
    try:
        return os.path.abspath(os.fsdecode(path)).startswith(_folder + os.sep)
    except TypeError:
        return False

def _refused(path):
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

def _guard(make, writes_only=False):
    def guarded(path, *args, **kwargs):
        flags = args[0] if args else kwargs.get("flags", 0)
        if _inside(path) and (not writes_only or flags & _WRITING):
            raise _refused(path)
        return make(path, *args, **kwargs)
    return guarded

os.mkdir = _guard(os.mkdir)
os.open = _guard(os.open, writes_only=True)
"""


def _in_read_only(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """journeymaps ARGS in ``tmp_path``, where the folder ``ro`` may not be written in."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(READ_ONLY_HOOK)
    (tmp_path / "ro").mkdir()
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")])),
        "JM_TEST_READ_ONLY": str(tmp_path / "ro"),
        "JOURNEYMAPS_CACHE": str(tmp_path / "cache"),
    }
    return jm(tmp_path, *args, env=env)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["build", "-o", "ro/site"], "cannot write the site to ro/site/: no permission to write in ro"),
        (
            ["schema", "--write", "ro/schema"],
            "cannot write the schemas to ro/schema/: cannot write ro/schema/journey-map.schema.json: "
            "no permission to write in ro",
        ),
        (
            ["lint", "--output", "json=ro/deep/x.json"],
            "cannot write ro/deep/x.json: no permission to write in ro",
        ),
    ],
)
def test_a_folder_that_may_not_be_written_in_is_named_as_the_user_gave_it(
    tmp_path: Path, args: list[str], said: str
) -> None:
    # build said "Permission denied: /tmp/.../ro/.site.new-k370h6z5", a temporary folder the
    # user never named; schema and lint named ro/schema and ro/deep, folders that do not exist.
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    result = _in_read_only(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == f"journeymaps: error: {said}"
    assert list((tmp_path / "ro").iterdir()) == []


def test_a_site_on_a_read_only_file_system_is_named_not_its_staging_folder(tmp_path: Path) -> None:
    """A site folder on a read-only mount (a container's ``:ro`` volume): build said
    "Read-only file system: ro/.site.new-4x2cbpi8", a temporary folder the user never named."""
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    (tmp_path / "ro").mkdir()
    probe = subprocess.run(["unshare", "-Urm", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here, so no mount can be made: {probe.stderr}")
    script = f"mount -t tmpfs -o ro none ro && {sys.executable} -m journeymaps build -o ro/site"
    result = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "journeymaps: error: cannot write the site to ro/site/: ro is on a read-only file system"
    )


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["build", "-o", "afile/site"], "the site to afile/site/"),
        (["diff", "HEAD", "--site", "afile/d"], "the diagrams to afile/d/"),
    ],
)
def test_a_file_in_the_way_of_the_site_is_named_as_the_user_gave_it(
    tmp_path: Path, args: list[str], what: str
) -> None:
    # "cannot make a folder at /tmp/pytest-.../afile: /tmp/pytest-.../afile is a file, not a
    # folder"; diff said that without saying what it was writing.
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip(), "afile": "not a folder\n"})
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull}
    for command in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "m"],
    ):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, capture_output=True)
    result = jm_here(tmp_path, *args, env=env)
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == f"journeymaps: error: cannot write {what}: afile is a file, not a folder"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--output", "json=afile/\x1b]0;owned\x07\x1b[2J.json"],
        ["build", "-o", "afile/\x1b[2J\nsite"],
        ["serve", "--host", "\x1b[2J127.0.0.1", "--port", "0"],
    ],
)
def test_an_error_never_writes_a_name_s_control_characters_to_the_terminal(
    tmp_path: Path, args: list[str]
) -> None:
    # An output name or host with an escape sequence was echoed as is: it cleared the
    # terminal, set its title, or split the message over two lines.
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip(), "afile": "not a folder\n"})
    result = jm(tmp_path, *args, env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 2, result.stderr
    error = result.stderr.rstrip("\n").splitlines()[-1]
    assert error.startswith("journeymaps: error: "), result.stderr
    assert not any(c in result.stderr for c in "\x1b\x07"), repr(result.stderr)
    assert "\\x1b" in error


#: A name holding an escape sequence (clear the screen, set the title) and a line break.
EVIL = "x\x1b[2J\x1b]0;owned\x07\nname"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["build", "-o", EVIL], "Built "),
        (["build", "-o", "site"], "up to date"),  # the second build of the same folder
        (["baseline", "-o", f"{EVIL}.json"], "Recorded "),
        (["render", "-o", EVIL, "--view", "journey"], "Rendered "),
        (["export", "-o", EVIL], "Wrote "),
        (["init", EVIL], "created "),
        (["new", "n2", "-o", f"{EVIL}.yaml"], "Created "),
        (["schema", "--write", EVIL], "journey-map.schema.json"),
        (["import", "j.mmd", "--id", "j", "-o", f"{EVIL}.yaml"], "Created "),
    ],
)
def test_a_success_line_never_writes_a_name_s_control_characters_to_the_terminal(
    tmp_path: Path, args: list[str], said: str
) -> None:
    # Errors escaped the names they echo, success lines did not: "Building x<ESC>[2J/"
    # cleared the terminal, and a line break in the name split the line in two.
    write_files(
        tmp_path,
        {"maps/m.yaml": BASE.lstrip(), "j.mmd": "journey\n  section A\n    Ask: 3: me\n"},
    )
    env = {"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    if args[0] in ("new", "import"):  # a map's name lint refuses (ESC): written only with the rule off
        (tmp_path / "journeymaps.toml").write_text('[rules]\nwindows-reserved-name = "off"\n')
    if args[-1] == "site":
        assert jm(tmp_path, "build", "-o", f"site{EVIL}", env=env).returncode == 0
        args = ["build", "-o", f"site{EVIL}"]
    result = jm(tmp_path, *args, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert said in out, out
    assert not any(c in out for c in "\x1b\x07"), repr(out)
    line = next(line for line in out.splitlines() if said in line)
    assert "x\\x1b[2J\\x1b]0;owned\\x07\\nname" in line, repr(out)


def test_serve_s_lines_escape_the_site_folder_s_name(tmp_path: Path) -> None:
    # "Serving x<ESC>[2J/ on http://..." cleared the terminal as serve started.
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip()})
    with serving(tmp_path, "-o", EVIL, env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}) as served:
        said = served.stop()
    assert "x\\x1b[2J\\x1b]0;owned\\x07\\nname/ on http://" in served.first, repr(said)
    assert not any(c in said for c in "\x1b\x07"), repr(said)


def test_a_refused_read_is_not_worded_as_a_refused_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only where journeymaps writes does "no permission to write in" apply: diff of a folder
    # it may not read said "no permission to write in m2".
    from journeymaps.command_support import os_reason as _os_reason

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m2").mkdir()
    refused = PermissionError(13, "Permission denied", str(tmp_path / "m2" / "maps"))
    assert _os_reason(refused) == "Permission denied: m2/maps"
    assert _os_reason(refused, writing=True) == "no permission to write in m2"


@pytest.mark.parametrize("args", [["rules"], ["schema"], ["lint", "--format", "json"]])
def test_a_full_standard_output_is_named(tmp_path: Path, args: list[str]) -> None:
    # "journeymaps: error: No space left on device" did not say what could not be written.
    write_files(tmp_path / "maps", {"m.yaml": BASE.lstrip()})
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, as a shell's > /dev/full
        result = subprocess.run(
            [sys.executable, "-m", "journeymaps", *args],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 2
    assert result.stderr == "journeymaps: error: cannot write standard output: No space left on device\n"


@pytest.mark.parametrize(
    ("args", "victim"),
    [
        (["lint", "--output", "json=maps/m.yaml"], "maps/m.yaml"),  # a map of the maps folders
        (["lint", "maps/m.yaml", "--output", "sarif=maps/m.yaml"], "maps/m.yaml"),  # the file named
        (["lint", "--output", "json=maps/teams.yaml"], "maps/teams.yaml"),  # a registry
        (["lint", "--output", "json=journeymaps.toml"], "journeymaps.toml"),  # the settings
        (["lint", "--baseline", "known.json", "--output", "json=known.json"], "known.json"),
        (["build", "-o", "site", "--report", "json=maps/m.yaml"], "maps/m.yaml"),
        (["export", "-o", "maps/m.yaml"], "maps/m.yaml"),  # the map replaced by its journey
        (["export", "maps/m.yaml", "-o", "journeymaps.toml"], "journeymaps.toml"),
        (["baseline", "-o", "maps/m.yaml"], "maps/m.yaml"),  # the map replaced by JSON
        # a measured snapshot: lint, build and diff read it, and CI has no raw data to remake it
        (["lint", "--output", "json=metrics/m.json"], "metrics/m.json"),
        (["build", "-o", "site", "--report", "sarif=metrics/m.json"], "metrics/m.json"),
        (["baseline", "-o", "metrics/m.json"], "metrics/m.json"),
    ],
)
def test_a_report_is_never_written_over_a_file_the_run_reads(
    tmp_path: Path, args: list[str], victim: str
) -> None:
    """`--output json=maps/a.yaml` (a slip of the shell's completion) replaced the map with
    the report, exit 0, without a word: the map was gone."""
    write_files(
        tmp_path,
        {
            "maps/m.yaml": BASE.lstrip(),
            "maps/teams.yaml": "teams:\n  - id: support\n    name: Support\n",
            "journeymaps.toml": 'paths = ["maps"]\n',
            "metrics/m.json": "{}\n",
        },
    )
    assert jm_here(tmp_path, "baseline", "-o", "known.json").returncode == 0
    before = (tmp_path / victim).read_bytes()
    result = jm_here(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert "that is a file this run reads" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / victim).read_bytes() == before
    assert not (tmp_path / "site").exists()  # refused before anything ran
    # a report of its own, written again, is the report's to overwrite
    for _ in range(2):
        assert jm_here(tmp_path, "lint", "--output", "json=report.json").returncode != 2
        assert '"findings": [' in (tmp_path / "report.json").read_text()


@pytest.mark.parametrize(
    ("args", "victim", "says"),
    [
        # a file named: the maps folders are read whole all the same (cross-map rules)
        (["lint", "maps/a.yaml", "--output", "json=maps/teams.yaml"], "maps/teams.yaml", "this run reads"),
        (["lint", "maps/a.yaml", "--output", "sarif=maps/b.yaml"], "maps/b.yaml", "this run reads"),
        (["baseline", "maps/a.yaml", "-o", "maps/personas.yaml"], "maps/personas.yaml", "this run reads"),
        # outside them: the registries beside the file named, there or not yet
        (["lint", "other/x.yaml", "--output", "json=other/teams.yaml"], "other/teams.yaml", "this run reads"),
        (["lint", "other/x.yaml", "--output", "json=other/personas.yml"], "other/personas.yml", "beside"),
    ],
)
def test_a_report_is_never_written_over_a_registry_or_map_when_files_are_named(
    tmp_path: Path, args: list[str], victim: str, says: str
) -> None:
    """``lint maps/a.yaml --output json=maps/teams.yaml`` (as pre-commit names files)
    replaced the teams registry with the report, exit 0: only the named files were
    guarded, though lint reads the maps folders and the registries beside them."""
    teams = "teams:\n  - id: support\n    name: Support\n"
    write_files(
        tmp_path,
        {
            "journeymaps.toml": 'paths = ["maps"]\n',
            "maps/a.yaml": BASE.lstrip(),
            "maps/b.yaml": BASE.lstrip().replace("id: ", "id: b-", 1),
            "maps/teams.yaml": teams,
            "maps/personas.yaml": "personas: []\n",
            "other/x.yaml": BASE.lstrip(),
            "other/teams.yaml": teams,
        },
    )
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = jm_here(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert f"{args[-1]}: " in result.stderr and says in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert not (tmp_path / victim).exists() or (tmp_path / victim) in before


@pytest.mark.parametrize(
    ("settings", "cwd", "args", "victim"),
    [
        # no settings yet: the report became them, and the next run failed on invalid TOML
        ({}, ".", ["lint", "--output", "json=journeymaps.toml"], "journeymaps.toml"),
        # settings in pyproject.toml: a journeymaps.toml beside it is read instead
        (
            {"pyproject.toml": '[tool.journeymaps]\npaths = ["maps"]\n'},
            ".",
            ["lint", "--output", "sarif=journeymaps.toml"],
            "journeymaps.toml",
        ),
        # from a maps folder: the nearer file is the settings of the maps there
        (
            {"journeymaps.toml": 'paths = ["maps"]\n'},
            "maps",
            ["lint", ".", "--output", "json=journeymaps.toml"],
            "maps/journeymaps.toml",
        ),
        # invalid settings: the report is still written, but never over them
        (
            {"journeymaps.toml": 'paths = ["maps"\n'},
            ".",
            ["lint", "--output", "json=journeymaps.toml"],
            "journeymaps.toml",
        ),
        (
            {"ci.toml": 'paths = ["maps"\n'},
            ".",
            ["lint", "--config", "ci.toml", "--output", "sarif=ci.toml"],
            "ci.toml",
        ),
        ({}, ".", ["export", "maps/m.yaml", "-o", "journeymaps.toml"], "journeymaps.toml"),
    ],
)
def test_a_report_is_never_written_as_the_settings(
    tmp_path: Path, settings: dict[str, str], cwd: str, args: list[str], victim: str
) -> None:
    """``--output json=journeymaps.toml`` with no settings file made the report the
    project's settings (exit 0), and every later run failed on its invalid TOML; over
    invalid settings, it replaced the user's file with the report."""
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip(), **settings})
    before = (tmp_path / victim).read_bytes() if (tmp_path / victim).exists() else None
    result = jm_here(tmp_path / cwd, *args)
    assert result.returncode == 2, result.stderr
    assert f"{args[-1]}: journeymaps reads its settings from that file" in result.stderr
    assert "Traceback" not in result.stderr
    assert ((tmp_path / victim).read_bytes() if (tmp_path / victim).exists() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["maps", *settings])


@pytest.mark.parametrize(
    "args",
    [
        ["export", "-o", "maps/journey.yaml"],  # a Mermaid journey as a "map"
        ["export", "-o", "maps/sub/journey.yml"],
        ["lint", "--output", "json=maps/report.yaml"],
        ["build", "-o", "site", "--report", "sarif=maps/report.yaml"],
        ["baseline", "-o", "maps/known.yaml"],
    ],
)
def test_an_output_is_never_a_new_yaml_file_in_the_maps_folders(tmp_path: Path, args: list[str]) -> None:
    """``export -o maps/journey.yaml`` wrote the Mermaid journey there, exit 0: the next lint
    read it as a map and failed on it (yaml-syntax), as on any report named so."""
    write_files(tmp_path, {"maps/m.yaml": BASE.lstrip(), "maps/sub/.keep": "", "journeymaps.toml": ""})
    result = jm_here(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert "is in a maps folder" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "maps").rglob("*.y*ml")) == ["m.yaml"]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["lint", "maps", "--output", "json=-"], "standard output carries the run's own report"),
        (["build", "maps", "--report", "json=-"], "standard output carries the run's own report"),
        (["baseline", "maps", "-o", "-"], "'-' (standard input or output) cannot be used here"),
        (["render", "maps", "-o", "-"], "'-' (standard input or output) cannot be used here"),
        (["schema", "--write", "-"], "'-' (standard input or output) cannot be used here"),
        (["build", "maps", "-o", "-"], "'-' (standard input or output) cannot be used here"),
    ],
)
def test_a_dash_where_no_stream_can_go_is_refused(tmp_path: Path, args: list[str], says: str) -> None:
    """`-` reads as standard output to anyone used to other tools; these options wrote a
    file (or a folder) named "-" instead, and said so only as "Recorded 18 findings in -."."""
    write_files(tmp_path, {"maps/m.yaml": BASE})
    result = jm_here(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "-").exists()


class _Stopped(BaseException):
    """Ctrl+C or SIGTERM (journeymaps.signals.Terminated), as a signal handler raises it."""


def _stopped_once_made(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """The ``after``-th file journeymaps.output makes is made, then a stop arrives: a
    signal's exception is raised between any two statements."""
    import journeymaps.output

    real, made = os.open, []

    def open_then_stop(path: Any, flags: int, mode: int = 0o777) -> int:
        fd = real(path, flags, mode)
        made.append(path)
        if len(made) == after:
            raise _Stopped
        return fd

    monkeypatch.setattr(journeymaps.output.os, "open", open_then_stop)


@pytest.mark.parametrize("after", [1, 3])
def test_an_export_stopped_as_it_writes_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    """SIGTERM (a CI job cancelled) as ``export -o out/`` wrote its files left a hidden
    '.m2.mmd.1a2b3c4d5e6f' in out/ for good (seen 2 times in 14 runs, on 300 maps)."""
    from journeymaps.interchange import Exported, write_exports

    out = tmp_path / "out"
    out.mkdir()
    for n in range(4):
        (out / f"m{n}.mmd").write_text("old\n")
    _stopped_once_made(monkeypatch, after)
    exported = Exported({f"m{n}": "journey\n  title new\n" for n in range(4)}, [])
    with pytest.raises(_Stopped):
        write_exports(exported, "mermaid", out, folder=True)
    assert sorted(p.name for p in out.iterdir()) == [f"m{n}.mmd" for n in range(4)]
    assert {p.read_text() for p in out.iterdir()} == {"old\n"}


def test_a_file_stopped_as_it_is_written_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.json").write_text("old\n")
    _stopped_once_made(monkeypatch, 1)
    with pytest.raises(_Stopped):
        write_atomic(tmp_path / "b.json", b"new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]
    assert (tmp_path / "b.json").read_text() == "old\n"


@pytest.mark.parametrize("command", [["export", "maps/m.yaml"], ["baseline", "maps"]])
def test_a_folder_where_no_file_can_be_made_is_named_not_a_missing_file(
    tmp_path: Path, command: list[str]
) -> None:
    """``-o /proc/version`` said "No such file or directory": the temporary file beside it,
    which the user never named, could not be made there, yet the file and folder exist."""
    write_files(tmp_path, {"maps/m.yaml": BASE})
    result = jm(tmp_path, *command, "-o", "/proc/version")
    assert result.returncode == 2
    assert result.stderr == "journeymaps: error: cannot write /proc/version: no file can be made in /proc\n"


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_set_that_fails_half_way_into_place_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    """A set of files (an export's, a measure's months, a render's diagrams) is written all or
    none, yet a rename that failed half-way (its place made a folder meanwhile, a file made
    immutable) left the files renamed before it new and the others old: two runs mixed,
    which is what the set is there to prevent. Those already in place are put back, also
    where the file system makes no hard links (FAT, some network shares)."""
    from journeymaps.output import FileSet, WriteError

    if not links:

        def no_link(*_: Any, **__: Any) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.mmd").write_text("old a\n")
    (out / "b.mmd").write_text("old b\n")
    (out / "b-link.mmd").symlink_to("b.mmd")
    with FileSet() as files:  # put in place whole: nothing else left beside the files
        files.write(out / "a.mmd", b"older a\n")
    assert sorted(p.name for p in out.iterdir()) == ["a.mmd", "b-link.mmd", "b.mmd"]
    (out / "a.mmd").write_text("old a\n")
    with pytest.raises(WriteError, match=r"d\.mmd: it is a folder, not a file"), FileSet() as files:
        for name in ("a", "b", "b-link", "c", "d"):  # c and d are new
            files.write(out / f"{name}.mmd", f"new {name}\n".encode())
        (out / "d.mmd").mkdir()  # in d's way now, as the set is put in place
        (out / "d.mmd" / "x").write_text("")
    assert sorted(p.name for p in out.iterdir()) == ["a.mmd", "b-link.mmd", "b.mmd", "d.mmd"]
    assert (out / "a.mmd").read_text() == "old a\n"
    assert (out / "b.mmd").read_text() == "old b\n"
    assert (out / "b-link.mmd").is_symlink() and (out / "b-link.mmd").readlink() == Path("b.mmd")
    assert [p.name for p in (out / "d.mmd").iterdir()] == ["x"]


def test_what_a_killed_run_left_beside_its_outputs_goes_with_the_next_run(tmp_path: Path) -> None:
    """kill -9 (the out-of-memory killer, a CI time-out) as ``measure``, ``render`` or
    ``export`` wrote its set left hidden '.NAME.1a2b3c4d5e6f' files for good, nothing
    being able to remove them; in metrics/ the next ``git add .`` took them in. The next run
    writing the same files removes those no live writer can still own (10 minutes old)."""
    import shutil
    import signal

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "site" / "fixture", project)
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal\n"
            "from journeymaps.output import FileSet\n"
            "files = FileSet().__enter__()\n"
            "files.write('out/refund.mmd', b'half of a set')\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n",
        ],
        cwd=project,
    )
    assert killed.returncode == -signal.SIGKILL
    out = project / "out"
    (left,) = out.iterdir()
    assert left.name.startswith(".refund.mmd.")
    unrelated = out / ".notes.txt.0123456789ab"  # not a file journeymaps writes here
    unrelated.write_text("someone's\n")
    assert jm_here(project, "export", "-o", "out/").returncode == 0
    assert left.exists()  # as young as a live writer's: left alone
    hour_ago = left.stat().st_mtime - 3600
    for path in (left, unrelated):
        os.utime(path, (hour_ago, hour_ago))
    assert jm_here(project, "export", "-o", "out/").returncode == 0
    assert sorted(p.name for p in out.iterdir()) == [".notes.txt.0123456789ab", "refund.mmd"]


#: ``journeymaps ARGS`` that stops as it puts PATH in place (as it renames or links its file
#: there) until GO exists, having made READY: an audit hook, which changes nothing it runs.
PAUSED = """
import os, runpy, sys, time
place, ready, go = (os.path.abspath(p) for p in sys.argv[1:4])
paused = []
def hook(event, args):
    if event in ("os.rename", "os.link") and not paused and os.path.abspath(os.fsdecode(args[1])) == place:
        paused.append(1)
        open(ready, "w").close()
        while not os.path.exists(go):
            time.sleep(0.01)
sys.addaudithook(hook)
sys.argv = ["journeymaps", *sys.argv[4:]]
runpy.run_module("journeymaps", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (
            ["import", "{name}.mmd", "--id", "j"],
            "maps/j.yaml already exists; choose another --id or --output",
        ),
        (["new", "j", "--title", "{name}"], "maps/j.yaml already exists; choose another id or --output"),
    ],
)
def test_two_runs_making_the_same_map_at_once_leave_the_first_and_refuse_the_second(
    tmp_path: Path, command: list[str], said: str
) -> None:
    """Two imports (or news) of one id at the same moment both found no maps/j.yaml, and
    the later put its map over the other's. The map is now put in place only where none is:
    the second run fails as it would have a moment later, and the first map is kept."""
    (tmp_path / "maps").mkdir()
    for name in ("first", "second"):
        (tmp_path / f"{name}.mmd").write_text(f"journey\n  section A\n    {name} step: 3: me\n", "utf-8")
    ready, go = tmp_path / "ready", tmp_path / "go"
    args = [arg.format(name="second") for arg in command]
    second = subprocess.Popen(
        [sys.executable, "-c", PAUSED, "maps/j.yaml", str(ready), str(go), *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not ready.exists():  # the second has checked, and is about to put its map there
            assert second.poll() is None, second.communicate()
            time.sleep(0.01)
        first = jm(tmp_path, *(arg.format(name="first") for arg in command))
        assert first.returncode == 0, first.stderr
    finally:
        go.touch()
        out, err = second.communicate(timeout=120)
    assert second.returncode == 2, out + err
    assert said in err and "Traceback" not in err
    written = (tmp_path / "maps" / "j.yaml").read_text("utf-8")
    assert "first" in written.lower() and "second" not in written.lower()
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["j.yaml"]  # no file left beside it
