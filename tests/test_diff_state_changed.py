"""`journeymaps diff` on a map the change turns into a future-state map: `unvalidated-stage`
judges current-state maps only (a future-state map is a hypothesis, not expected to be
validated by data), so its warnings stopped applying; they were not fixed. They read
"✓ fixed" and the summary "2 fixed"."""

from __future__ import annotations

import html
import json
from pathlib import Path

from test_diff import diff_here
from test_diff_restaged import MAP
from test_diff_restaged import measured as measured  # the fixture under unvalidated
from test_diff_stage_renamed import unvalidated as unvalidated  # "Finance review" without evidence

UNVALIDATED = 'stage "Finance review" has no evidence'


def _to_future(repo: Path) -> None:
    path = repo / MAP
    text = path.read_text()
    assert "owner: finance\nreviewed:" in text
    path.write_text(text.replace("owner: finance\nreviewed:", "owner: finance\nstate: future\nreviewed:", 1))


def test_a_map_made_future_state_no_longer_checks_its_unvalidated_stages(
    unvalidated: Path, tmp_path: Path
) -> None:
    _to_future(unvalidated)
    result = diff_here(unvalidated, "HEAD", "--site", str(tmp_path / "review"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("✓ fixed") and "unvalidated-stage" in line], lines
    (said,) = [line for line in lines if "unvalidated-stage" in line]
    assert said.startswith(f"? no longer checked: {MAP}: JM202 [unvalidated-stage] warning: {UNVALIDATED}")
    assert said.endswith(
        "(not fixed: unvalidated-stage judges current-state maps only, and the map is now future-state)"
    )
    assert "    state: current → future" in lines, lines

    data = json.loads(diff_here(unvalidated, "HEAD", "--format", "json").stdout)
    assert "unvalidated-stage" not in [f["rule"] for f in data["findings_fixed"]]
    (billing,) = [m for m in data["maps"] if m["id"] == "billing-dispute"]
    assert [f["rule"] for f in billing["findings_gone"]] == ["unvalidated-stage"]
    assert data["summary"]["findings_gone"] == 1

    comment = diff_here(unvalidated, "HEAD", "--format", "markdown").stdout
    summary = "1 no longer checked (not fixed: their rule does not judge the map in its new state)"
    assert summary in comment, comment
    assert "<details><summary>Findings no longer checked (not fixed: their rule does not judge" in comment
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    assert summary in page


def test_the_review_page_lists_the_findings_no_longer_checked(unvalidated: Path, tmp_path: Path) -> None:
    """The page counted them in its summary but listed them nowhere: a reviewer could not
    see which warnings stopped applying, as the comment and the text output show."""
    _to_future(unvalidated)
    assert diff_here(unvalidated, "HEAD", "--site", str(tmp_path / "review")).returncode == 0
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    heading = "Findings no longer checked: not fixed, their rule does not judge the map in its new state (1)"
    assert heading in page, page
    listed = page[page.index(heading) :]
    assert "Finance review" in listed and "JM202" in listed
