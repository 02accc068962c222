"""Personas: frustrations, preferred channels, proficiency and a photo read like a map is (JM704)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE, TEAMS, write_files

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PERSONAS = """personas:
  - id: admin
    name: Workspace admin
    proficiency: expert
    preferred_channels: [chat, in-app]
    frustrations: [Scripted answers, Repeating the account details]
    photo: PHOTO
"""


def lint_with(tmp_path: Path, photo: str, files: dict[str, str | bytes] | None = None) -> list:
    write_files(
        tmp_path,
        {
            "maps/teams.yaml": TEAMS,
            "maps/personas.yaml": PERSONAS.replace("PHOTO", photo),
            "maps/m.yaml": BASE.replace("persona: {name: Admin}", "persona: admin"),
            **(files or {}),
        },
    )
    result = subprocess.run(
        [sys.executable, "-m", "journeymaps", "lint", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "persona-photo"]


def test_a_photo_inside_the_project_is_accepted(tmp_path: Path) -> None:
    assert lint_with(tmp_path, "maps/img/admin.png", {"maps/img/admin.png": PNG}) == []


@pytest.mark.parametrize(
    ("photo", "files", "message"),
    [
        ("/etc/passwd", {}, "photo: '/etc/passwd' is an absolute path; give a path relative to the project"),
        ("../secret.png", {}, "photo: '../secret.png' goes outside the project; keep the image inside it"),
        ("maps/img/gone.png", {}, "photo: no file 'maps/img/gone.png' in the project"),
        (
            "maps/img/a.png",
            {"maps/img/a.png": b"not an image at all"},
            "is not a PNG, JPEG, GIF or WebP image",
        ),
        (
            "maps/img/a.svg",
            {"maps/img/a.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'},
            "photo: 'maps/img/a.svg' is not a PNG, JPEG, GIF or WebP image",
        ),
        ("maps/img", {"maps/img/x.png": PNG}, "the file is a folder, not a regular file"),
        # the loader shows the NUL as its escape (JM904 reports it): no such file
        ('"maps/\\0x.png"', {}, "photo: no file 'maps/\\x00x.png' in the project"),
        (
            "maps/big.png",
            {"maps/big.png": PNG + b"\x00" * (2 * 1024 * 1024)},
            "photo: 'maps/big.png' is 2.0 MB; a photo may be at most 2 MB",
        ),
    ],
)
def test_a_photo_that_cannot_be_used_is_an_error_at_its_path(
    tmp_path: Path, photo: str, files: dict[str, bytes], message: str
) -> None:
    (finding,) = lint_with(tmp_path, photo, files)
    assert message in finding["message"]
    assert (finding["file"], finding["line"], finding["column"], finding["severity"]) == (
        "maps/personas.yaml",
        7,
        12,
        "error",
    )


def test_a_link_leaving_the_project_and_a_fifo_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.png").write_bytes(PNG)
    project = tmp_path / "project"
    (project / "maps").mkdir(parents=True)
    (project / "maps" / "link.png").symlink_to(outside / "real.png")
    (finding,) = lint_with(project, "maps/link.png")
    assert "is a link to" in finding["message"] and "outside the project" in finding["message"]
    os.mkfifo(project / "maps" / "pipe.png")
    (finding,) = lint_with(project, "maps/pipe.png")  # and it does not hang
    assert "a named pipe (FIFO), not a regular file" in finding["message"]
