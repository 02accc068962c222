"""The home page's alert lists the first few problems of a map that could not be read and
counts the rest: a map written against an older schema (a key each step no longer takes)
listed every step's problem there, above every map's card."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from in_process import jm_here

FIXTURE = Path(__file__).parent / "fixture"


def _old_schema_map(steps: int) -> str:
    listed = "".join(
        f"      - {{id: s{i}, name: Step {i}, lane: customer, colour: red}}\n" for i in range(steps)
    )
    return (
        "id: old\ntitle: Old schema map\nowner: support\nreviewed: 2026-11-01\n"
        f"stages:\n  - id: one\n    name: One\n    owner: support\n    steps:\n{listed}"
    )


def _alert(page_html: str) -> str:
    start = page_html.index('<div class="alert"')
    shown = re.sub(r"<[^>]+>", "", page_html[start : page_html.index("</div>", start)])
    return " ".join(shown.replace("&#39;", "'").replace("&amp;", "&").split())


def test_a_map_with_many_problems_lists_five_and_counts_the_rest(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "maps" / "old.yaml").write_text(_old_schema_map(40))
    (project / "maps" / "bad.yaml").write_text("id: bad\ntitle: [unclosed\n")
    result = jm_here(project, "build")
    assert result.returncode == 1, result.output
    alert = _alert((project / "site" / "index.html").read_text("utf-8"))
    assert alert.count("Unknown key 'colour'") == 5
    assert "in maps/old.yaml, line 10" in alert and "in maps/old.yaml, line 14" in alert
    assert "line 15" not in alert
    assert "…and 35 more problems in maps/old.yaml: see every finding" in alert
    assert "maps/bad.yaml" in alert  # another broken map is still listed, in full
    # every finding is still on the findings page the alert links to
    findings = (project / "site" / "findings.html").read_text("utf-8")
    assert len(re.findall(r"colour&#39; in stages\[0\]\.steps\[\d+\]", findings)) == 40


def test_a_map_with_five_problems_lists_them_all(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "maps" / "old.yaml").write_text(_old_schema_map(5))
    assert jm_here(project, "build").returncode == 1
    alert = _alert((project / "site" / "index.html").read_text("utf-8"))
    assert alert.count("Unknown key 'colour'") == 5
    assert "more problem" not in alert
