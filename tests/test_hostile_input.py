"""Hostile and clumsy input (issue 13): every file gives a finding in the chosen format,
never an internal error, a hang, or a secret quoted back."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, jm, refuse_listing, write_files
from in_process import jm_here
from test_malformed_input import GOOD, lint_here, lint_json

MAP = "id: m\ntitle: T\nstages:\n  - {id: s, name: S}\n"


def _only(out: dict, file: str) -> dict:
    (finding,) = [f for f in out["findings"] if f["file"] == file]
    return finding


@pytest.mark.parametrize(
    ("content", "where", "fragment"),
    [
        # A control character with '&' or '*' went through the anchor scan, which let
        # libyaml's ReaderError out: "internal error", exit 2, nothing on stdout.
        (b'a: "&"\x04\n', (1, 7), "control character (U+0004)"),
        (b"id: x\nb: [*a]\x01\n", (2, 8), "control character (U+0001)"),
        # Without '&' or '*' it was a finding, but at 1:1 with libyaml's byte offset.
        (b"id: x\ntitle: caf\xc3\xa9 \x00bar\n", (2, 13), "NUL character (U+0000)"),
        (b"id: x\ntitle: a\x1fb\n", (2, 9), "control character (U+001F)"),
    ],
)
def test_a_control_character_is_a_finding_where_it_is(
    tmp_path: Path, content: bytes, where: tuple[int, int], fragment: str
) -> None:
    write_files(tmp_path / "maps", {"x.yaml": content, "good.yaml": GOOD})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    finding = _only(out, "maps/x.yaml")
    assert (finding["rule"], finding["line"], finding["column"]) == ("yaml-syntax", *where)
    assert fragment in finding["message"]
    assert "position" not in finding["message"] and "<unicode string>" not in finding["message"]


@pytest.mark.parametrize("value", ["[]", "[true]", "{a: 1}"])
def test_a_list_or_mapping_where_true_or_false_goes(tmp_path: Path, value: str) -> None:
    # TypeError: unhashable type: 'list' while wording the schema error.
    write_files(
        tmp_path / "maps", {"x.yaml": f"id: a\ntitle: t\nstages: [{{id: s, name: n, end: {value}}}]\n"}
    )
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    finding = _only(out, "maps/x.yaml")
    assert finding["rule"] == "schema" and finding["line"] == 3
    assert "stages[0].end: expected true or false, got a" in finding["message"]


def test_a_number_of_4301_digits(tmp_path: Path) -> None:
    # ValueError: Exceeds the limit (4300 digits) for integer string conversion.
    write_files(tmp_path / "maps", {"x.yaml": MAP + "pain_points: []\nx-size: " + "7" * 4301 + "\n"})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    finding = _only(out, "maps/x.yaml")
    assert (finding["rule"], finding["line"], finding["column"]) == ("schema", 6, 9)
    assert "a number of 4,301 digits is too long" in finding["message"]
    assert "7777777777" not in finding["message"]


def test_a_long_hexadecimal_number(tmp_path: Path) -> None:
    """Found by the fuzz test: 0x and 5,000 digits is read (Python reads hexadecimal at any
    length), then the schema could not write it in a message (ValueError)."""
    write_files(
        tmp_path / "maps",
        {"x.yaml": MAP + "pain_points: [{id: p, at: s, kind: " + "0x" + "f" * 5000 + ", summary: x}]\n"},
    )
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    finding = _only(out, "maps/x.yaml")
    assert finding["rule"] == "schema" and "a number of 5,002 digits is too long" in finding["message"]


def test_a_quoted_number_of_4301_digits_where_a_number_belongs(tmp_path: Path) -> None:
    """A quoted number is refused with a hint to remove the quotes; to give it, the schema
    read the text as a number, and 4,301 digits were an internal error (ValueError)."""
    write_files(
        tmp_path / "maps", {"x.yaml": MAP.replace("name: S}", 'name: S, emotion: "' + "7" * 4301 + '"}')}
    )
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    finding = _only(out, "maps/x.yaml")
    assert (finding["rule"], finding["line"]) == ("schema", 4)
    assert "remove the quotes if it is a number" in finding["message"]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.Inf", "1e999"])
def test_a_number_that_is_not_finite_is_refused(tmp_path: Path, value: str) -> None:
    """`.nan` and `.inf` were accepted and shown on the site as $nan."""
    text = MAP.replace("{id: s, name: S}", f"{{id: s, name: S, kpis: [{{name: k, current: {value}}}]}}")
    write_files(tmp_path / "maps", {"x.yaml": text})
    code, out, _ = lint_here(tmp_path)
    assert code == 1
    finding = _only(out, "maps/x.yaml")
    assert (finding["rule"], finding["line"]) == ("schema", 4)
    # with its path, as every other schema message has it (it had none)
    assert finding["message"] == (
        f"stages[0].kpis[0].current: '{value}' is not a finite number; journey maps need finite numbers"
    )


def test_a_number_that_is_not_finite_is_named_by_its_path_in_the_text_output(tmp_path: Path) -> None:
    text = MAP.replace("{id: s, name: S}", "{id: s, name: S, emotion: .inf}")
    write_files(tmp_path / "maps", {"x.yaml": text})
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith(
        "maps/x.yaml:4:31: JM004 [schema] error: stages[0].emotion: '.inf' is not a finite number;"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "+inf", "-nan"])
def test_settings_refuse_a_number_that_is_not_finite(tmp_path: Path, value: str) -> None:
    write_files(
        tmp_path, {"maps/m.yaml": GOOD, "journeymaps.toml": f'currency = "€"\ncost-per-contact = {value}\n'}
    )
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 2
    assert "journeymaps.toml:2:20: JM007 [invalid-settings]" in result.stdout  # at the value
    assert "cost-per-contact" in result.stdout and "not a finite number" in result.stdout


def test_settings_with_a_byte_order_mark(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a BOM: it gave 'Invalid statement'."""
    write_files(tmp_path, {"maps/m.yaml": GOOD, "journeymaps.toml": b'\xef\xbb\xbfsite-title = "Acme"\n'})
    result = jm_here(tmp_path, "lint", "--today", "2026-11-22")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_alias_bomb_is_one_finding_with_the_count(tmp_path: Path) -> None:
    from test_malformed_input import BOMB

    write_files(tmp_path / "maps", {"bomb.yaml": BOMB})
    code, out, _ = lint_json(tmp_path)  # its timeout fails the test: expansion would never end
    assert code == 1
    (finding,) = out["findings"]  # ~90 before: one per anchor and alias
    assert (finding["rule"], finding["line"], finding["column"]) == ("yaml-syntax", 1, 4)
    assert "YAML anchor 'a' is not supported" in finding["message"]
    assert "(this file has 21 anchors and 80 aliases)" in finding["message"]


# Files that are not what they seem -----------------------------------------------------


def test_a_link_to_a_fifo_or_a_fifo_does_not_hang(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.mkfifo(outside / "pipe")
    project = tmp_path / "project"
    write_files(project / "maps", {"good.yaml": GOOD})
    (project / "maps" / "link.yaml").symlink_to(outside / "pipe")
    os.mkfifo(project / "maps" / "inside.yaml")
    (project / "maps" / "to-inside.yaml").symlink_to("inside.yaml")  # a link inside the project
    code, out, err = lint_json(project)  # hung for ever
    assert (code, err) == (1, "")
    messages = {f["file"]: (f["rule"], f["message"]) for f in out["findings"]}
    assert messages["maps/link.yaml"][0] == "unreadable-file"
    assert "outside the project" in messages["maps/link.yaml"][1]
    for name in ("maps/inside.yaml", "maps/to-inside.yaml"):
        assert messages[name] == (
            "unreadable-file",
            "the file is a named pipe (FIFO), not a regular file; journeymaps reads only regular files",
        )
    # Named on the command line, as pre-commit names changed files: the map linked to it is
    # that file too (ci39: a link's map is checked when the file it leads to changed).
    code, out, err = lint_json(project, "maps/inside.yaml")
    assert (code, err) == (1, "")
    found = sorted((f["file"], f["rule"]) for f in out["findings"])
    assert found == [("maps/inside.yaml", "unreadable-file"), ("maps/to-inside.yaml", "unreadable-file")]


def test_a_socket_named_like_a_map_is_said_to_be_one(tmp_path: Path) -> None:
    """A socket in the maps folder (a tool's, named x.yaml) was "cannot read file: No such
    device or address"; a FIFO there is named for what it is, and so is a socket now."""
    import socket

    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "maps" / "x.yaml"))
        code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    assert [(f["file"], f["rule"], f["message"]) for f in out["findings"]] == [
        (
            "maps/x.yaml",
            "unreadable-file",
            "the file is a socket, not a regular file; journeymaps reads only regular files",
        )
    ]


def test_a_link_to_a_folder_named_like_a_map_is_a_finding(tmp_path: Path) -> None:
    """maps/x.yaml -> ../elsewhere/ was neither read (a folder) nor walked (a link): its maps
    went unchecked and the run was green, without a word."""
    write_files(tmp_path, {"maps/good.yaml": GOOD, "elsewhere/m.yaml": "id: broken\n"})
    (tmp_path / "maps" / "x.yaml").symlink_to("../elsewhere")
    (tmp_path / "maps" / "sub").mkdir()
    (tmp_path / "maps" / "sub" / "y.yml").symlink_to("../../elsewhere")
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    words = (
        "the file is a link to a folder; journeymaps does not follow links to folders, so the maps "
        "in it are not checked (name the folder on the command line to check them)"
    )
    assert [(f["file"], f["line"], f["rule"], f["message"]) for f in out["findings"]] == [
        ("maps/sub/y.yml", 1, "unreadable-file", words),
        ("maps/x.yaml", 1, "unreadable-file", words),
    ]
    # Named on the command line, the folder it leads to is walked, as it was.
    code, out, err = lint_here(tmp_path, "maps/x.yaml")
    assert [(f["file"], f["rule"]) for f in out["findings"]] == [("maps/x.yaml/m.yaml", "schema")]


def test_other_tools_folders_are_not_walked_unless_named(tmp_path: Path) -> None:
    """lint . in a project with a node_modules (or a venv) read every YAML file of every
    package in it, and reported each as a broken map; hidden folders (.git, .venv) were
    skipped already. Named on the command line, such a folder is walked."""
    files = {"maps/good.yaml": GOOD}
    for folder in ("node_modules/pkg", "venv/lib", "site-packages/p", "__pycache__", "__pypackages__/3.12"):
        files[f"maps/{folder}/x.yaml"] = "id: not-a-map\n"
    write_files(tmp_path, files)
    code, out, err = lint_here(tmp_path)
    assert (code, err, out["findings"], out["summary"]["files"]) == (0, "", [], 1)
    code, out, err = lint_here(tmp_path, "maps/node_modules")
    assert (code, err) == (1, "")
    assert {f["file"] for f in out["findings"]} == {"maps/node_modules/pkg/x.yaml"}


def test_a_link_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    """It grew to 5.4 GB and died with MemoryError."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    (tmp_path / "maps" / "zero.yaml").symlink_to("/dev/zero")
    code, out, err = lint_json(tmp_path)
    assert (code, err) == (1, "")
    assert "link to /dev/zero, outside the project" in _only(out, "maps/zero.yaml")["message"]
    code, out, err = lint_json(tmp_path, "/dev/zero")  # named: a device, not a file
    assert (code, err) == (1, "")
    assert "is a character device, not a regular file" in out["findings"][0]["message"]


@pytest.mark.parametrize("target", ["pipe.json", "/dev/zero"])
def test_a_schema_comment_pointing_at_a_fifo_or_a_device_does_not_hang(tmp_path: Path, target: str) -> None:
    """The copy an editor comment points at was read whole: a FIFO hung lint for ever, and
    /dev/zero ended in MemoryError (or the OOM killer)."""
    os.mkfifo(tmp_path / "maps-pipe")
    comment = f"# yaml-language-server: $schema={target}\n"
    write_files(tmp_path / "maps", {"good.yaml": comment + GOOD})
    (tmp_path / "maps" / "pipe.json").symlink_to(tmp_path / "maps-pipe")
    code, out, err = lint_json(tmp_path)
    assert (code, err) == (0, "")
    finding = _only(out, "maps/good.yaml")
    assert (finding["rule"], finding["line"]) == ("schema-reference", 1)
    assert "is not this journeymaps version's" in finding["message"]


SECRET = "ghp_s3cr3tT0kenThatMustNeverBeShown0123456789"


def test_a_link_to_a_secret_is_never_published(tmp_path: Path) -> None:
    """`ln -s ~/token maps/notes.yaml` put the token's first 40 characters into lint output,
    site/index.html and findings.html."""
    home = tmp_path / "home"
    write_files(home, {"token": SECRET + "\n"})
    project = tmp_path / "project"
    write_files(project / "maps", {"good.yaml": GOOD})
    (project / "maps" / "notes.yaml").symlink_to(home / "token")
    code, out, err = lint_here(project)
    assert code == 1
    assert "outside the project" in _only(out, "maps/notes.yaml")["message"]
    built = jm(project, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 1
    shown = json.dumps(out) + err + built.stdout + built.stderr
    for page in (project / "site").rglob("*"):
        if page.is_file():
            shown += page.read_text("utf-8", "replace")
    assert "s3cr3t" not in shown and "ghp_" not in shown
    assert "maps/notes.yaml" in (project / "site" / "index.html").read_text("utf-8")


def test_a_file_that_is_not_a_map_is_not_quoted(tmp_path: Path) -> None:
    """A file inside the project that is not a map at all (a pasted token, a log) is
    described, not quoted."""
    write_files(tmp_path / "maps", {"notes.yaml": SECRET + "\n"})
    _, out, _ = lint_here(tmp_path)
    finding = _only(out, "maps/notes.yaml")
    assert finding["message"].startswith(
        "expected a mapping (key: value pairs) at the top of the file, got text"
    )
    assert "s3cr3t" not in finding["message"]


def test_a_link_inside_the_project_is_read(tmp_path: Path) -> None:
    write_files(tmp_path, {"shared/good.yaml": GOOD, "maps/.keep": ""})
    (tmp_path / "maps" / "good.yaml").symlink_to("../shared/good.yaml")
    code, out, _ = lint_here(tmp_path)
    assert (code, out["findings"], out["summary"]["maps"]) == (0, [], 1)


def test_maps_elsewhere_are_read_when_named_there_not_through_a_link_in_the_project(tmp_path: Path) -> None:
    """A maps folder outside the project is read when the command line (or the settings)
    names it by its own path; a link in the project leading there is a link out of the
    project, which a pull request could add (see test_maps_folder_links.py)."""
    write_files(tmp_path / "elsewhere", {"good.yaml": GOOD})
    (tmp_path / "project").mkdir()
    code, out, _ = lint_here(tmp_path / "project", str(tmp_path / "elsewhere"))
    assert (code, out["findings"], out["summary"]["maps"]) == (0, [], 1)
    (tmp_path / "project" / "maps").symlink_to(tmp_path / "elsewhere")
    code, out, _ = lint_here(tmp_path / "project")
    assert code == 1 and [f["rule"] for f in out["findings"]] == ["unreadable-file"]


@pytest.mark.parametrize("command", ["lint", "build"])
def test_a_maps_folder_that_is_a_link_to_the_root_is_refused_without_settings(
    tmp_path: Path, command: str
) -> None:
    """``maps -> /`` in a project without settings: every YAML file of the machine was read
    as a map (seconds to minutes, each a finding or a page). The same folder named in the
    settings is refused, saying why."""
    (tmp_path / "maps").symlink_to("/")
    result = subprocess.run(
        [sys.executable, "-m", "journeymaps", command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "journeymaps: error: maps, the default maps folder, is the file system's root, the whole machine: every"
        " YAML file in it would be read as a map; name the folder that holds the maps (on the command line,"
        " or as paths in journeymaps.toml)\n"
    )
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("limit_kb", "extra", "shown"),
    [
        (None, 1, "the file is 1,048,577 bytes, over the limit of 1,048,576 bytes"),
        (100, 300, "the file is 102,700 bytes, over the limit of 102,400 bytes"),
    ],
)
def test_a_file_just_over_the_size_limit_says_by_how_much(
    tmp_path: Path, limit_kb: int | None, extra: int, shown: str
) -> None:
    """It said "the file is 1.0 MB, over the limit of 1.0 MB": both rounded alike."""
    limit = (limit_kb or 1024) * 1024
    text = GOOD.replace("good-map", "big-map") + "#"
    write_files(tmp_path / "maps", {"big.yaml": text + "x" * (limit + extra - len(text) - 1) + "\n"})
    if limit_kb:
        write_files(tmp_path, {"journeymaps.toml": f"max-file-size-kb = {limit_kb}\n"})
    _, out, _ = lint_here(tmp_path)
    assert (
        _only(out, "maps/big.yaml")["message"] == f"{shown} for one file (max-file-size-kb in the settings)"
    )


def test_a_file_over_the_size_limit_is_a_finding_and_the_limit_is_a_setting(tmp_path: Path) -> None:
    big = GOOD.replace("good-map", "big-map") + "# " + "x" * 1100 * 1024 + "\n"
    write_files(tmp_path / "maps", {"big.yaml": big, "good.yaml": GOOD})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    finding = _only(out, "maps/big.yaml")
    assert finding["rule"] == "unreadable-file"
    assert finding["message"] == (
        "the file is 1.1 MB, over the limit of 1.0 MB for one file (max-file-size-kb in the settings)"
    )
    write_files(tmp_path, {"journeymaps.toml": "max-file-size-kb = 2048\n"})
    code, out, _ = lint_here(tmp_path)
    assert (code, out["findings"]) == (0, [])
    write_files(tmp_path, {"journeymaps.toml": "max-file-size-kb = 0\n"})
    result = jm_here(tmp_path, "lint")
    assert result.returncode == 2 and "max-file-size-kb" in result.stdout


def test_an_unreadable_sub_folder_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It was skipped silently: its maps unchecked, the run green. (The test runs as root in
    CI, where permissions do not apply: there the kernel's refusal is given by hand.)"""
    from journeymaps.lint import lint
    from journeymaps.settings import load_settings

    write_files(tmp_path / "maps", {"good.yaml": GOOD, "team-a/hidden.yaml": "id: [\n"})
    locked = tmp_path / "maps" / "team-a"
    refuse_listing(monkeypatch, locked)
    monkeypatch.chdir(tmp_path)
    try:
        report = lint([tmp_path / "maps"], load_settings(tmp_path), TODAY, tmp_path)
    finally:
        locked.chmod(0o755)
    (finding,) = report.diagnostics
    assert (finding.rule, finding.file, finding.line) == ("unreadable-file", "maps/team-a", 1)
    assert finding.message == "cannot read this folder: Permission denied; the maps in it are not checked"


def _refused(monkeypatch: pytest.MonkeyPatch, *refused: Path) -> None:
    """The kernel's refusals for ``refused`` made unreadable, given by hand when the tests
    run as root (in CI), where permissions do not apply: ``refused`` cannot be opened or
    listed, and nothing in a refused folder can even be looked at."""
    for path in refused:
        path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open, real_access, real_scandir = os.open, os.access, os.scandir
    real_stat, real_lstat = os.stat, os.lstat
    names = {str(path) for path in refused}

    def where(path: object) -> str:
        return str(Path(os.fspath(path)).absolute())  # type: ignore[arg-type]

    def denied(path: object) -> bool:
        return where(path) in names or inside(path)

    def inside(path: object) -> bool:
        return any(where(path).startswith(name + os.sep) for name in names)

    def refuse(path: object) -> PermissionError:
        return PermissionError(13, "Permission denied", str(path))

    def open_(path: object, *args: object, **kwargs: object) -> int:
        if isinstance(path, (str, bytes, os.PathLike)) and denied(path):
            raise refuse(path)
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def scandir(path: object = ".") -> object:
        if isinstance(path, (str, bytes, os.PathLike)) and denied(path):
            raise refuse(path)
        return real_scandir(path)  # type: ignore[call-overload]

    def stat(path: object, *args: object, **kwargs: object) -> object:
        if isinstance(path, (str, bytes, os.PathLike)) and inside(path):
            raise refuse(path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def lstat(path: object, *args: object, **kwargs: object) -> object:
        if isinstance(path, (str, bytes, os.PathLike)) and inside(path):
            raise refuse(path)
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: not denied(path) and real_access(path, mode, **kw)
    )
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "lstat", lstat)


@pytest.mark.parametrize("command", ["lint", "build", "render", "baseline"])
def test_an_unreadable_map_named_on_the_command_line_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """``journeymaps lint maps/s.yaml`` on a file it may not read said "Usage: ... Path
    'maps/s.yaml' is not readable" (click's check), exit 2 and an empty report, where the
    same file found in a folder is an unreadable-file finding at its line."""
    from conftest import run_cli

    write_files(tmp_path / "maps", {"good.yaml": GOOD, "s.yaml": GOOD.replace("id: ", "id: s-", 1)})
    monkeypatch.chdir(tmp_path)
    _refused(monkeypatch, tmp_path / "maps" / "s.yaml")
    args = {
        "lint": ["lint", "--format", "json"],
        "build": ["build", "-o", "site"],
        "render": ["render", "-o", "out"],
        "baseline": ["baseline", "-o", "b.json"],
    }[command]
    try:
        result = run_cli([*args, "maps/s.yaml"])
    finally:
        (tmp_path / "maps" / "s.yaml").chmod(0o644)
    assert "Usage:" not in result.output and "not readable" not in result.output, result.output
    assert "maps/s.yaml:1:1: JM005 [unreadable-file]" in result.output or command == "lint", result.output
    if command == "lint":
        (finding,) = json.loads(result.stdout)["findings"]
        assert (finding["rule"], finding["file"], finding["line"]) == ("unreadable-file", "maps/s.yaml", 1)
        assert "Permission denied" in finding["message"]
    # baseline records the others and says this one is not (it always fails lint)
    assert result.exit_code == (0 if command == "baseline" else 1)


def test_an_unreadable_folder_named_on_the_command_line_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``journeymaps lint maps/locked``: click's "Path 'maps/locked' is not readable",
    where the same folder found in a walk is a finding."""
    from conftest import run_cli

    write_files(tmp_path / "maps", {"good.yaml": GOOD, "locked/x.yaml": GOOD})
    monkeypatch.chdir(tmp_path)
    _refused(monkeypatch, tmp_path / "maps" / "locked")
    try:
        result = run_cli(["lint", "--format", "json", "maps/locked"])
    finally:
        (tmp_path / "maps" / "locked").chmod(0o755)
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["file"]) == ("unreadable-file", "maps/locked")
    assert finding["message"].startswith("cannot read this folder: Permission denied")
    assert result.exit_code == 1


@pytest.mark.parametrize("command", ["lint", "build", "render"])
def test_a_map_named_in_a_folder_the_user_may_not_enter_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """``journeymaps lint maps/locked/x.yaml``, maps/locked not to be entered: lint ended
    with "journeymaps: error: Permission denied" (Path.is_dir raised), build and render said
    the file "does not exist"."""
    from conftest import run_cli

    write_files(tmp_path / "maps", {"good.yaml": GOOD, "locked/x.yaml": GOOD})
    monkeypatch.chdir(tmp_path)
    _refused(monkeypatch, tmp_path / "maps" / "locked")
    args = {"lint": ["lint"], "build": ["build", "-o", "site"], "render": ["render", "-o", "out"]}[command]
    try:
        result = run_cli([*args, "maps/locked/x.yaml"])
    finally:
        (tmp_path / "maps" / "locked").chmod(0o755)
    assert "maps/locked/x.yaml:1:1: JM005 [unreadable-file] error: cannot read file: Permission denied" in (
        result.output
    ), result.output
    assert "does not exist" not in result.output and "journeymaps: error" not in result.output
    if command == "render":  # it said "1 map errors"
        assert "; 1 map not drawn (its 1 error above)" in result.output
    assert result.exit_code == 1


def test_a_schema_copy_that_cannot_be_read_is_not_said_to_be_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``chmod 000 schema/journey-map.schema.json``: schema-reference said the copy "does not
    exist", and to write it again, over a file that is there."""
    from conftest import run_cli

    assert jm_here(tmp_path, "init").returncode == 0
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "schema" / "journey-map.schema.json"
    _refused(monkeypatch, copy)
    try:
        result = run_cli(["lint", "--format", "json"])
    finally:
        copy.chmod(0o644)
    said = [f["message"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "schema-reference"]
    assert said == [
        "the schema ../schema/journey-map.schema.json cannot be read (Permission denied), so editors "
        "show no completion: make it readable, or run 'journeymaps schema --write schema'"
    ]


def test_the_settings_file_as_a_fifo_does_not_hang(tmp_path: Path) -> None:
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    os.mkfifo(tmp_path / "settings.toml")
    result = jm(tmp_path, "lint", "--config", "settings.toml")
    assert result.returncode == 2
    assert "cannot read settings: the file is a named pipe (FIFO)" in result.stdout


@pytest.mark.parametrize("target", ["journeymaps.toml", "/dev/zero"])
def test_a_nearer_settings_file_that_is_a_link_is_named_as_the_user_sees_it(
    tmp_path: Path, target: str
) -> None:
    """``maps/support/journeymaps.toml``, a link to itself (the hook's one-file lint finds
    it nearest): "internal error: RuntimeError: Symlink loop", exit 2. A link to a device was
    named by its absolute path, the project's own files relative to it."""
    write_files(tmp_path, {"journeymaps.toml": "", "maps/support/good.yaml": GOOD})
    (tmp_path / "maps" / "support" / "journeymaps.toml").symlink_to(target)
    result = jm(tmp_path, "lint", "maps/support/good.yaml")
    assert result.returncode == 2, result.stdout
    assert result.stderr == ""
    first = result.stdout.splitlines()[0]
    why = {
        "journeymaps.toml": "the file is a link that leads back to itself (a loop of links)",
        # out of the folder that holds it, as any settings link out of the project
        "/dev/zero": "the file is a link to /dev/zero, outside the folder that holds it (the project's)",
    }[target]
    assert first.startswith(
        f"maps/support/journeymaps.toml:1:1: JM007 [invalid-settings] error: cannot read settings: {why}"
    )
    assert "internal error" not in result.stdout


def test_new_does_not_hang_on_a_teams_fifo(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    os.mkfifo(tmp_path / "maps" / "teams.yaml")
    result = jm(tmp_path, "new", "locked-out")
    assert result.returncode == 0, result.stderr
    assert "owner: support" in (tmp_path / "maps" / "locked-out.yaml").read_text("utf-8")


def test_the_examples_still_lint_clean() -> None:
    result = jm_here(ROOT, "lint", "--today", "2026-11-22")
    assert result.returncode == 0, result.stdout


def test_numbers_too_large_for_the_site_are_findings(tmp_path: Path) -> None:
    """Found by the fuzz test: a volume of 4,000 digits passed lint, then the build died
    computing the cost of inaction (OverflowError: int too large to convert to float)."""
    pain = "{id: p, at: s, kind: process, summary: x, volume: " + "9" * 4000 + ", severity: 3}"
    write_files(tmp_path / "maps", {"x.yaml": MAP + f"pain_points: [{pain}]\n", "good.yaml": GOOD})
    write_files(tmp_path, {"journeymaps.toml": "cost-per-contact = 12\n"})
    code, out, _ = lint_here(tmp_path)
    assert code == 1
    finding = _only(out, "maps/x.yaml")
    assert finding["rule"] == "schema" and "is above the maximum of 1000000000000" in finding["message"]
    assert "9" * 41 not in finding["message"]
    built = jm(tmp_path, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 1 and "internal error" not in built.stderr, built.stderr
    assert (tmp_path / "site" / "maps" / "good-map.html").is_file()


def _lint_stdin(cwd: Path, data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "journeymaps", "lint", "--format", "json", *args, "-"],
        cwd=cwd,
        input=data,
        capture_output=True,
        timeout=300,
        env=env,
    )


def test_standard_input_over_the_size_limit_is_a_finding(tmp_path: Path) -> None:
    """max-file-size-kb applied to files only: standard input was read whole, whatever its
    size (an endless stream grew to 21.8 GB before the kernel killed it)."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    big = b"# " + b"a" * 3_000_000 + b"\n"
    result = _lint_stdin(tmp_path, big, "--stdin-filename", "maps/big.yaml")
    assert (result.returncode, result.stderr) == (1, b"")
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["file"], finding["rule"], finding["line"]) == ("maps/big.yaml", "unreadable-file", 1)
    assert finding["message"].startswith("the file is more than 1.0 MB, over the limit of 1.0 MB")
    result = _lint_stdin(tmp_path, big)  # without a name: <stdin>
    assert result.returncode == 1
    assert json.loads(result.stdout)["findings"][0]["rule"] == "unreadable-file"
    write_files(tmp_path, {"journeymaps.toml": "max-file-size-kb = 4096\n"})
    result = _lint_stdin(tmp_path, GOOD.encode() + big, "--stdin-filename", "maps/big.yaml")
    assert (result.returncode, json.loads(result.stdout)["findings"]) == (0, [])


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_standard_input_streams_in_ends_the_run(
    tmp_path: Path, signum: signal.Signals, code: int
) -> None:
    """Standard input was read in one call: with data always waiting, SIGTERM (a cancelled
    CI job) and Ctrl+C were handled only once the stream ended, never for an endless one.
    Here the stream is bounded (200 MB) and the limit above it: after the signal the reader
    must stop taking data at once, not drain the rest."""
    write_files(tmp_path, {"journeymaps.toml": "max-file-size-kb = 1048576\n"})
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    with (tmp_path / "stderr").open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "journeymaps", "lint", "-"],
            cwd=tmp_path,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
        )
    assert proc.stdin is not None
    chunk, total, sent_at = b"# " + b"a" * 65533 + b"\n", 200 * 1024 * 1024, None
    written = 0
    try:
        while written < total:
            proc.stdin.write(chunk)
            written += len(chunk)
            if sent_at is None and written >= 4 * 1024 * 1024:  # the reader is taking data
                proc.send_signal(signum)
                sent_at = written
    except BrokenPipeError:
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    assert proc.wait(timeout=120) == code
    assert sent_at is not None
    assert written - sent_at < 32 * 1024 * 1024, f"{(written - sent_at) >> 20} MB read after the signal"
    assert "Traceback" not in (tmp_path / "stderr").read_text("utf-8")


def _special(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()


@pytest.mark.parametrize("name", ["journeymaps.toml", "pyproject.toml"])
@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero", "folder"])
def test_a_found_settings_file_that_is_not_a_file_is_a_finding(tmp_path: Path, name: str, kind: str) -> None:
    """Found by walking up (not named with --config), a settings file that is a FIFO, a link
    to /dev/zero or a folder was skipped: the defaults applied, exit 0, not a word."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    _special(tmp_path / name, kind)
    run = jm_here if kind == "folder" else jm  # a FIFO or /dev/zero: a process, with its timeout
    for cwd in (tmp_path, tmp_path / "maps"):  # found in the folder and from below
        result = run(cwd, "lint", "--format", "json")
        assert result.returncode == 2, result.stdout
        (finding,) = json.loads(result.stdout)["findings"]
        assert (finding["rule"], finding["file"].rsplit("/", 1)[-1]) == ("invalid-settings", name)
        assert finding["message"].startswith("cannot read settings: the file is "), finding["message"]
    if (name, kind) == ("journeymaps.toml", "fifo"):  # every command finds settings alike
        result = jm(tmp_path, "build", "-o", "site")
        assert result.returncode == 2 and not (tmp_path / "site").exists()


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_line_separators_in_a_message_stay_on_its_line(tmp_path: Path, fmt: str) -> None:
    """U+2028 and U+2029 (and the other breaks str.splitlines() honours) were written raw:
    one finding read as several lines in editors, log viewers and line-based tools."""
    bad = GOOD + '"a\\u2028b\\u2029c\\x1cd\\x85e\\x0bf": 1\n'
    write_files(tmp_path / "maps", {"good.yaml": bad})
    result = jm_here(tmp_path, "lint", "--format", fmt)
    assert result.returncode == 1, result.stdout
    assert len(result.stdout.splitlines()) == result.stdout.count("\n")
    assert "a\\u2028b\\u2029c\\x1cd\\x85e\\x0bf" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_bidi_controls_in_a_finding_are_shown_not_obeyed(tmp_path: Path, fmt: str) -> None:
    """Bidirectional controls (Trojan Source) were written raw: invisible, they reordered
    what a reviewer read, so a finding could seem to name another key."""
    bad = GOOD + '"admin\\u202e\\u2066x\\u2069\\u200f": 1\n'
    write_files(tmp_path / "maps", {"good.yaml": bad})
    result = jm_here(tmp_path, "lint", "--format", fmt)
    assert result.returncode == 1, result.stdout
    assert "admin\\u202e\\u2066x\\u2069\\u200f" in result.stdout
    assert not any(ch in result.stdout for ch in "\u202e\u2066\u2069\u200f")


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "json"])
def test_a_parser_s_words_quoting_a_direction_control_show_it_as_its_escape(tmp_path: Path, fmt: str) -> None:
    """The yaml-syntax finding quotes the line it is about: SARIF's message (code scanning's
    alert), GitLab's description, JUnit's failure message and JSON wrote its control raw,
    where every text from a map's data shows it as an escape since 6043bdd."""
    write_files(tmp_path / "maps", {"q.yaml": "id: q\ntitle: Q\nowner:supp\u202eort\nstages: []\n"})
    result = jm_here(tmp_path, "lint", "--format", fmt)
    assert result.returncode == 1, result.stdout
    shown = "owner:supp\\u202eort"  # the escape, as text
    assert (shown if fmt == "junit" else json.dumps(shown)[1:-1]) in result.stdout
    assert "\u202e" not in result.stdout


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "json"])
def test_a_finding_quoting_a_comment_shows_a_direction_control_as_its_escape(
    tmp_path: Path, fmt: str
) -> None:
    """A ``$schema`` comment's path and a suppression comment's rule are quoted by their
    findings; comments are not data, so nothing had shown their controls: the machine
    formats wrote them raw."""
    schema = "# yaml-language-server: $schema=../sch\u202eema.json\n" + GOOD.replace(
        "id: good-map\n", "id: s\n"
    )
    ignored = GOOD.replace("id: good-map\n", "id: u  # journeymaps: ignore[rul\u2066e]\n")
    write_files(tmp_path / "maps", {"s.yaml": schema, "u.yaml": ignored})
    result = jm_here(tmp_path, "lint", "--format", fmt, "--strict")  # JUnit: a failure, with its message
    assert result.returncode == 1, result.stdout
    for escaped in ("../sch\\u202eema.json does not exist", "'rul\\u2066e' is not a rule"):
        assert (escaped if fmt == "junit" else json.dumps(escaped)[1:-1]) in result.stdout
    assert "\u202e" not in result.stdout and "\u2066" not in result.stdout


def test_a_finding_quoting_another_file_s_name_shows_its_direction_control_as_its_escape(
    tmp_path: Path,
) -> None:
    """duplicate-id names the file that has the id first: its control was written raw in
    the message (JSON, SARIF, GitLab, JUnit), where the file fields keep the exact name."""
    write_files(tmp_path / "maps", {"a\u202e.yaml": GOOD, "b.yaml": GOOD})
    result = jm_here(tmp_path, "lint", "--format", "json")
    (found,) = json.loads(result.stdout)["findings"]
    assert (found["file"], found["rule"]) == ("maps/b.yaml", "duplicate-id")
    assert found["message"].startswith("map id 'good-map' is already used by maps/a\\u202e.yaml;")


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_terminal_escapes_in_a_finding_are_shown_not_obeyed(tmp_path: Path, fmt: str) -> None:
    """The github format wrote ESC and BEL raw (text escaped them): a map's key could colour
    or retitle the CI log, or the terminal of whoever ran it under GITHUB_ACTIONS."""
    bad = GOOD + '"a\\x1b[31mred\\x1b]0;title\\x07\\x01\\x7f\\x9b": 1\n'
    write_files(tmp_path / "maps", {"good.yaml": bad})
    result = jm(tmp_path, "lint", "--format", fmt)
    assert result.returncode == 1, result.stdout
    assert "a\\x1b[31mred\\x1b]0;title\\x07\\x01\\x7f\\x9b" in result.stdout
    assert not any((ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) < 0xA0 for ch in result.stdout)


@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero"])
def test_a_committed_snapshot_that_is_not_a_file_is_not_read(tmp_path: Path, kind: str) -> None:
    """metrics/<map-id>.json is committed, so a pull request can make it a FIFO (lint hung
    for ever) or a link to /dev/zero (read until memory ran out); and a NUL in the
    metrics setting was 'internal error: ValueError: embedded null byte'."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    (tmp_path / "metrics").mkdir()
    _special(tmp_path / "metrics" / "good-map.json", kind)
    code, out, err = lint_json(tmp_path)
    # read no further than what it is, and reported (it was silently "not measured")
    assert (code, err) == (1, "")
    assert [f["rule"] for f in out["findings"]] == ["unreadable-snapshot"]
    (tmp_path / "journeymaps.toml").write_text('[measure]\nmetrics = "a\\u0000b"\n')
    code, out, err = lint_json(tmp_path)
    assert (code, err) == (0, "")


DEEP_JSON = "[" * 100_000  # 100 KB: deeper than Python's JSON decoder can recurse


def test_json_nested_too_deeply_is_a_finding_not_an_internal_error(tmp_path: Path) -> None:
    """A committed metrics snapshot or schema copy, a baseline or the site's marker holding
    ``[[[[…``: each ended lint or build in 'internal error: RecursionError'."""
    comment = "# yaml-language-server: $schema=../schema/journey-map.schema.json\n"
    write_files(tmp_path / "maps", {"good.yaml": comment + GOOD})
    write_files(tmp_path, {"metrics/good-map.json": DEEP_JSON, "schema/journey-map.schema.json": DEEP_JSON})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    assert sorted((f["rule"], f["line"]) for f in out["findings"]) == [
        ("schema-reference", 1),
        ("unreadable-snapshot", 2),
    ]
    assert "metrics/good-map.json is not JSON (nested too deeply)" in out["findings"][1]["message"]
    (tmp_path / "baseline.json").write_text(DEEP_JSON)
    result = jm_here(tmp_path, "lint", "--baseline", "baseline.json")
    assert result.returncode == 2
    assert "baseline.json is not a journeymaps baseline (invalid JSON: nested too deeply" in result.stderr
    (tmp_path / "metrics" / "good-map.json").unlink()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / ".journeymaps-site").write_text(DEEP_JSON)  # as a previous build's
    result = jm(tmp_path, "build")
    assert "internal error" not in result.stderr
    assert "Built site/" in result.stdout and (tmp_path / "site" / "index.html").is_file()


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_output(tmp_path: Path) -> None:
    """maps/bad\\xff.yaml (git takes any bytes) made the json and text outputs invalid
    UTF-8, and sarif, --output and build ended in 'internal error: UnicodeEncodeError'."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    (tmp_path / os.fsdecode(b"maps/bad\xff.yaml")).write_text("id: [\n")
    shown = "maps/bad\\xff.yaml"
    for fmt in ("text", "json", "sarif", "gitlab", "junit", "github"):
        result = subprocess.run(
            [sys.executable, "-m", "journeymaps", "lint", "--format", fmt, "--output", f"{fmt}=out.{fmt}"],
            cwd=tmp_path,
            capture_output=True,
            timeout=60,
        )
        assert (result.returncode, result.stderr) == (1, b""), fmt
        out = result.stdout.decode("utf-8")  # valid UTF-8
        # the byte shown, as \\xff; SARIF's uri is for finding the file: its byte, %FF
        assert ("bad%FF.yaml" if fmt == "sarif" else "xff.yaml") in out, fmt
        assert (tmp_path / f"out.{fmt}").read_bytes() == result.stdout, fmt
    result = jm(tmp_path, "build", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 1, result.stderr
    assert shown in (tmp_path / "site" / "findings.html").read_text("utf-8")


def test_a_map_whose_extension_is_in_capitals_is_checked_not_skipped(tmp_path: Path) -> None:
    """maps/Billing.YAML (as Windows and macOS tools save it) was checked when named, and
    skipped without a word by the folder walk: never linted, missing from the site, the
    run green. The walk matches .yaml and .yml in any case, as naming the file does."""
    write_files(
        tmp_path, {"maps/good.yaml": GOOD, "maps/B.YAML": "id: broken\n", "maps/sub/c.Yml": "id: [\n"}
    )
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    assert sorted({(f["file"], f["rule"]) for f in out["findings"]}) == [
        ("maps/B.YAML", "schema"),
        ("maps/sub/c.Yml", "yaml-syntax"),
    ]


@pytest.mark.parametrize("name", ["teams.yaml", "personas.yml"])
def test_a_folder_named_like_a_registry_is_a_finding(tmp_path: Path, name: str) -> None:
    """maps/teams.yaml made a folder (an unzip, a mistaken mkdir) was walked as any folder:
    with no teams.yaml every owner was accepted, and the run was green without a word."""
    write_files(tmp_path, {"maps/good.yaml": GOOD, f"maps/{name}/notes.txt": "x\n"})
    code, out, err = lint_here(tmp_path)
    assert (code, err) == (1, "")
    assert [(f["file"], f["rule"], f["message"]) for f in out["findings"]] == [
        (
            f"maps/{name}",
            "unreadable-file",
            f"the file is a folder; {name} must be a file, so nothing is checked against it",
        )
    ]


def test_a_home_folder_that_does_not_exist_is_never_made(tmp_path: Path) -> None:
    """``HOME=/nonexistent`` is Debian's convention for system users (a CI runner, a service
    running ``serve``): that folder must stay absent. journeymaps made it, with ``.cache`` and
    ``.local`` inside, to keep its cache and cache key; without a home it keeps no cache."""
    home = tmp_path / "nonexistent"
    unset = ("XDG_CACHE_HOME", "XDG_STATE_HOME", "JOURNEYMAPS_CACHE", "JOURNEYMAPS_CACHE_KEY_FILE")
    env = {k: v for k, v in os.environ.items() if k not in unset} | {"HOME": str(home)}
    project = tmp_path / "project"
    project.mkdir()
    for args in (["init", "."], ["build", "-o", "site"], ["lint"]):
        result = subprocess.run(
            [sys.executable, "-m", "journeymaps", *args], cwd=project, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert not home.exists()
    assert list((project / "site" / "diagrams").rglob("*.svg"))  # drawn all the same


def test_no_home_folder_at_all_keeps_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """No $HOME and no password entry (a container's made-up user id): Path.home() raises,
    which ended in an internal error; no cache is kept instead."""
    import pwd

    from journeymaps.cache_seal import key_path
    from journeymaps.diagrams.render import NOWHERE, user_cache_dir

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(uid)

    for name in ("HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "JOURNEYMAPS_CACHE_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    assert user_cache_dir().is_relative_to(NOWHERE)
    assert key_path().is_relative_to(NOWHERE)


def test_a_relative_xdg_folder_is_ignored_not_made_where_the_command_runs(tmp_path: Path) -> None:
    """``XDG_CACHE_HOME="~/.cache"`` (a tilde no shell expanded: a Dockerfile's ENV) made a
    folder named ``~`` in the project, with the cache and this user's secret cache key in it,
    for ``git add -A`` to commit. The XDG specification says to ignore a relative path."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k not in ("JOURNEYMAPS_CACHE", "JOURNEYMAPS_CACHE_KEY_FILE")
    }
    env |= {"HOME": str(home), "XDG_CACHE_HOME": "~/.cache", "XDG_STATE_HOME": "~/.local/state"}
    project = tmp_path / "project"
    project.mkdir()
    for args in (["init", "."], ["build", "-o", "site"]):
        result = subprocess.run(
            [sys.executable, "-m", "journeymaps", *args], cwd=project, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    assert not (project / "~").exists()
    assert list((home / ".cache" / "journeymaps" / "diagrams").glob("*.svg"))  # the home's cache instead
    assert (home / ".local" / "state" / "journeymaps" / "cache-key").is_file()
