"""Names a Windows checkout cannot hold: a map id that names a device names its page."""

from __future__ import annotations

import pytest

from conftest import BASE, TEAMS, at


@pytest.mark.parametrize("map_id", ["con", "nul", "aux", "prn", "com1", "lpt9", "com0"])
def test_a_map_id_windows_keeps_for_a_device_is_reported_at_the_id(project, map_id: str) -> None:
    """``id: con`` built maps/con.html and diagrams/con.journey.svg: a Windows checkout of the
    site (or a build on Windows, which writes to the console) cannot hold them."""
    found = project({"teams.yaml": TEAMS, "m.yaml": BASE.replace("id: m\n", f"id: {map_id}\n", 1)})
    assert at(found, "windows-reserved-name") == [(1, 5)]
    (d,) = [d for d in found if d.rule == "windows-reserved-name"]
    assert d.severity.value == "error"
    assert f"maps/{map_id}.html" in d.message and "Windows" in d.message


@pytest.mark.parametrize(
    "name",
    ["CON.yaml", "aux.yaml", "nul.map.yaml", "Com1/m.yaml", "com¹.yaml", "LPT³.tar.yaml", "con./m.yaml"],
)
def test_a_map_file_windows_keeps_for_a_device_is_reported(project, name: str) -> None:
    """A map file named ``con.yaml`` (any case, any extension), or in a folder ``com1``: the
    repository cannot be checked out on Windows. ``com¹.yaml`` passed: Windows reads the
    superscript digits as 1, 2 and 3."""
    found = project({"teams.yaml": TEAMS, name: BASE})
    assert at(found, "windows-reserved-name") == [(1, 1)]
    (d,) = [d for d in found if d.rule == "windows-reserved-name"]
    assert d.file == f"maps/{name}"


@pytest.mark.parametrize(
    "map_id", ["console", "com10", "lpt", "nul-report", "auxiliary", "com\u2074", "\uff43\uff4f\uff4e"]
)
def test_names_that_only_look_like_a_device_are_fine(project, map_id: str) -> None:
    found = project({"teams.yaml": TEAMS, f"{map_id}.yaml": BASE.replace("id: m\n", f"id: {map_id}\n", 1)})
    assert at(found, "windows-reserved-name") == []


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("billing: refunds.yaml", "':'"),
        ('say "hi".yaml', "'\"'"),
        ("why?.yaml", "'?'"),
        ("a|b/m.yaml", "the folder maps/a|b/"),
        ("tab\there.yaml", "'\\t'"),
        ("trailing./m.yaml", "ends in a dot"),
    ],
)
def test_a_map_file_name_windows_refuses_is_reported(project, name: str, said: str) -> None:
    """``maps/billing: refunds.yaml`` linted and built fine on Linux and macOS; a Windows
    checkout of the repository failed on it ("invalid path")."""
    found = project({"teams.yaml": TEAMS, name: BASE})
    assert at(found, "windows-reserved-name") == [(1, 1)]
    (d,) = [d for d in found if d.rule == "windows-reserved-name"]
    assert said in d.message, d.message
