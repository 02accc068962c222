"""A single NUL byte inside an export's tag value (a byte of the file zeroed, not a block of
them, not its end): the ticket's tags, read as text, matched none of its selectors."""

from __future__ import annotations

from pathlib import Path

from measuring import DESK, ONE_TAG_MAP, project

from in_process import jm_here

MAP = ONE_TAG_MAP
ZENDESK = DESK.format(preset="zendesk")


def test_a_nul_byte_in_a_tag_is_said_at_its_line(tmp_path: Path) -> None:
    """It was 40 tickets of 41 counted, exit 0, nothing said: 'bill\\x00ing' is no tag."""
    rows = [f"T-{n},2026-03-05 10:00,billing\n".encode() for n in range(41)]
    rows[20] = b"T-20,2026-03-05 10:00,bill\x00ing\n"
    path = tmp_path / "exports" / "desk.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"Id,Created at,Tags\n" + b"".join(rows))
    project(tmp_path, ZENDESK, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert (
        "exports/desk.csv:22:27: JM010 [unreadable-source] error: source 'desk': desk.csv has a NUL byte "
        "in a ticket's tags"
    ) in said
    assert not (tmp_path / "metrics" / "m.json").exists()
