"""What ``journeymaps serve`` says on the terminal, and what becomes of it when no one reads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import serving

FIXTURE = Path(__file__).parent / "fixture"


def test_the_first_build_says_what_it_made_as_build_does(tmp_path: Path) -> None:
    """The first build said nothing of its pages, maps and findings: only "Serving", where
    ``journeymaps build`` says "Built site/: …" and each later rebuild "Rebuilt in"."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}) as served:
        said = "".join(served.said)
        served.stop()
    built = re.search(r"Built site/: 13 pages, 1 map, 3 diagrams \(.*\); 0 errors, 1 warning", said)
    assert built, said
    assert built.start() < said.index("Serving"), said
