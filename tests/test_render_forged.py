"""render replaces only the diagrams it drew, known by where its signature is in them (an
SVG's title right after its opening ``<svg>``, a .dot's first line), not by those words
anywhere in a file's first 8 KB: a user's own file that quotes them is not replaced."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import BASE, jm, write_files

GOOD = textwrap.dedent(BASE).strip() + "\n"

#: A user's own files under a diagram's name that quote what render's own begin with.
FORGED = {
    "dot": 'graph mine {\n  // copied from render: digraph "journey-m" {\n  a -- b\n}\n',
    "svg": (
        '<svg xmlns="http://www.w3.org/2000/svg"><text>My notes on <title id="m-journey-title"></text>'
        "</svg>\n"
    ),
}


@pytest.mark.parametrize("fmt", ["dot", "svg"])
def test_a_file_quoting_a_diagrams_signature_is_not_replaced(tmp_path: Path, fmt: str) -> None:
    """Each was replaced, exit 0: the signature was looked for anywhere in the file's head."""
    write_files(tmp_path, {"journeymaps.toml": "", "maps/m.yaml": GOOD})
    result = jm(tmp_path, "render", "--format", fmt, "--view", "journey")
    assert result.returncode == 0, result.stderr
    drawn = tmp_path / "diagrams" / f"m.journey.{fmt}"
    ours = drawn.read_bytes()
    assert FORGED[fmt].split("\n", 1)[0].encode() not in ours[:200]

    drawn.write_text(FORGED[fmt])
    result = jm(tmp_path, "render", "--format", fmt, "--view", "journey")
    assert result.returncode == 2, result.stdout
    assert result.stderr == (
        f"journeymaps: error: diagrams/m.journey.{fmt} is not a diagram journeymaps drew, and render "
        "replaces only those: move it, or name another folder with -o\n"
    )
    assert drawn.read_text() == FORGED[fmt]

    drawn.write_bytes(ours)  # its own, drawn before, is replaced as ever
    assert jm(tmp_path, "render", "--format", fmt, "--view", "journey").returncode == 0
    assert drawn.read_bytes() == ours
