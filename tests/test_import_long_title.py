"""import: a journey's title longer than a map's is refused at the title's line, where the
user shortens it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import jm


@pytest.mark.parametrize(
    ("journey", "where"),
    [
        ("journey\n  title {t}\n  section S\n    Ask: 3: Me\n", "2:3"),
        ("---\nconfig: {{}}\ntitle: {t}\n---\njourney\n  section S\n    Ask: 3: Me\n", "3:1"),
    ],
)
def test_a_title_past_200_characters_is_refused_at_its_line(tmp_path: Path, journey: str, where: str) -> None:
    """Refused at 1:1 (the 'journey' line or the front matter's start) while the message
    said to "shorten it in the journey". 201 combining accents are 201 characters, as lint
    counts them, though they draw as one."""
    title = "e" + "\u0301" * 200
    (tmp_path / "long.mmd").write_text(journey.format(t=title), "utf-8")
    (tmp_path / "maps").mkdir()
    result = jm(tmp_path, "import", "long.mmd")
    assert result.returncode == 1
    assert result.stderr.startswith(f"long.mmd:{where}: JM004 [schema] error: the map this would write "), (
        result.stderr
    )
    assert "title: too long (201 characters; at most 200)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "maps").iterdir()) == []
