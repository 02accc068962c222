"""journeymaps serve tells a broken map from a teams.yaml that cannot be read. Which file a
finding is of was read off its line at any "teams.yaml:1:1: " in it: a map whose value
quoted one (its schema error quotes the value), or a map in a folder so named, made every
page say the site was built without a file it needs, while teams.yaml was fine."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import http_get, serving

FIXTURE = Path(__file__).parent / "fixture"
UNREAD = "This site was built without a file it needs"


def test_a_broken_map_quoting_a_teams_yaml_place_is_no_unread_teams_file(
    tmp_path: Path, fixture_cache: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    refund = project / "maps" / "refund.yaml"
    # a schema error quotes the owner: "... owner: 'see x/teams.yaml:1:1: JM001 [a] error: ..."
    quoted = refund.read_text("utf-8").replace(
        "owner: support", 'owner: "see x/teams.yaml:1:1: JM001 [a] error: here"', 1
    )
    (project / "maps" / "quoted.yaml").write_text(quoted.replace("id: refund", "id: quoted", 1), "utf-8")
    folder = project / "maps" / "teams.yaml:1:1: old"  # a folder so named, a map in it broken
    folder.mkdir()
    (folder / "m.yaml").write_text("id: [never closed\n", "utf-8")
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        status, body = http_get(served.base + "teams.html")
        assert status == 200
        assert UNREAD not in body
        assert 'id="team-finance-title">Finance</h2>' in body  # teams.yaml was read
        status, home = http_get(served.base)
        # each broken map is said as the map it is (missing from the site), not as teams.yaml
        assert "quoted.yaml" in home and "m.yaml" in home and UNREAD not in home
        served.stop()
