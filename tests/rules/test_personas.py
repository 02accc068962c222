"""Personas: frustrations, preferred channels, proficiency and a photo read like a map is (JM704)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE, ROOT, TEAMS, write_files


def png(width: int, height: int) -> bytes:
    """A PNG's signature and IHDR chunk (what a viewer reads first), declaring this size."""
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height) + b"\x08\x06\x00\x00\x00"
    )


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00"


def jpeg(width: int, height: int) -> bytes:
    """SOI, a JFIF APP0 segment, then a baseline frame header (SOF0) with this size."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (
        b"\xff\xd8"
        + app0
        + b"\xff\xc0\x00\x11\x08"
        + struct.pack(">HH", height, width)
        + b"\x03"
        + b"\x00" * 9
    )


def webp(chunk: bytes, body: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 12 + len(body)) + b"WEBP" + chunk + struct.pack("<I", len(body)) + body


def webp_extended(width: int, height: int) -> bytes:
    return webp(b"VP8X", b"\x00" * 4 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little"))


def webp_lossless(width: int, height: int) -> bytes:
    return webp(b"VP8L", b"\x2f" + ((width - 1) | (height - 1) << 14).to_bytes(4, "little"))


def webp_lossy(width: int, height: int) -> bytes:
    return webp(b"VP8 ", b"\x00\x00\x00\x9d\x01\x2a" + struct.pack("<HH", width, height))


PNG = png(96, 96)
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


@pytest.mark.parametrize(
    "image",
    [
        png(96, 96),
        gif(1, 1),
        jpeg(6000, 4000),  # a camera's 24 megapixels
        webp_extended(10_000, 4_000),
        webp_lossless(321, 123),
        webp_lossy(321, 123),
        (ROOT / "maps" / "personas" / "workspace-admin.png").read_bytes(),
    ],
)
def test_a_photo_inside_the_project_is_accepted(tmp_path: Path, image: bytes) -> None:
    assert lint_with(tmp_path, "maps/img/admin.png", {"maps/img/admin.png": image}) == []


@pytest.mark.parametrize(
    ("photo", "files", "message"),
    [
        ("/etc/passwd", {}, "photo: '/etc/passwd' is an absolute path; give a path relative to the project"),
        ("../secret.png", {}, "photo: '../secret.png' goes outside the project; keep the image inside it"),
        (
            "maps/../../x.png",
            {},
            "photo: 'maps/../../x.png' goes outside the project; keep the image inside it",
        ),
        # inside the project all along: it said "goes outside the project"
        (
            "maps/img/../img/a.png",
            {"maps/img/a.png": PNG},
            "photo: 'maps/img/../img/a.png' goes through '..'; write the path without it: 'maps/img/a.png'",
        ),
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
        # a few hundred bytes that every viewer's browser would try to decode into 40 GB
        (
            "maps/bomb.png",
            {"maps/bomb.png": png(100_000, 100_000) + b"\x00" * 100},
            "photo: 'maps/bomb.png' is 100,000 x 100,000 pixels; a photo may be at most "
            "10,000 pixels a side and 40 megapixels (a portrait needs a few hundred pixels: resize it)",
        ),
        ("maps/a.gif", {"maps/a.gif": gif(10_001, 1)}, "is 10,001 x 1 pixels; a photo may be at most"),
        ("maps/a.jpg", {"maps/a.jpg": jpeg(8_000, 8_000)}, "is 8,000 x 8,000 pixels; a photo may be"),
        ("maps/a.webp", {"maps/a.webp": webp_extended(16_000, 16_000)}, "is 16,000 x 16,000 pixels"),
        ("maps/a.webp", {"maps/a.webp": webp_lossless(16_384, 16_384)}, "is 16,384 x 16,384 pixels"),
        ("maps/a.webp", {"maps/a.webp": webp_lossy(12_000, 5)}, "is 12,000 x 5 pixels"),
        # a header cut short gives no size: refused, not guessed
        (
            "maps/a.gif",
            {"maps/a.gif": b"GIF89a"},
            "photo: 'maps/a.gif' is cut short or damaged: its GIF header does not give the image's size; "
            "export the image again",
        ),
        ("maps/a.png", {"maps/a.png": png(96, 96)[:20]}, "its PNG header does not give the image's size"),
        ("maps/a.png", {"maps/a.png": png(0, 96)}, "its PNG header does not give the image's size"),
        ("maps/a.jpg", {"maps/a.jpg": jpeg(96, 96)[:24]}, "its JPEG header does not give the image's size"),
        ("maps/a.jpg", {"maps/a.jpg": b"\xff\xd8\xff\xda\x00\x02"}, "its JPEG header does not give"),
        ("maps/a.webp", {"maps/a.webp": webp_lossy(96, 96)[:24]}, "its WebP header does not give"),
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
