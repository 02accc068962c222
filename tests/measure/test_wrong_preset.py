"""An export measured under another desk's preset: its own preset is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from measuring import export, project

from in_process import jm_here
from journeymaps.measure.fixtures import Spec

MAP = """
id: m
title: M
stages:
  - id: a
    name: A
    evidence:
      - {source: desk, kind: tickets, ref: "tag:locked_out"}
"""


@pytest.mark.parametrize(
    ("written", "preset"),
    [("zendesk", "hubspot"), ("freshdesk", "zendesk"), ("intercom", "freshdesk"), ("zendesk", "custom")],
)
def test_an_export_under_another_desks_preset_is_told_its_own(
    tmp_path: Path, written: str, preset: str
) -> None:
    """A Zendesk export under `preset = "hubspot"` was told to "Map its column under
    [sources.desk.columns]: id = ...", one column at a time, the preset for it unsaid."""
    export(tmp_path, written, "desk.csv", Spec(rows=50))
    settings = f'[sources.desk]\npreset = "{preset}"\npath = "exports/desk.csv"\ntimezone = "UTC"\n'
    if preset == "custom":
        settings += '[sources.desk.columns]\nid = "ticket"\ncreated = "opened"\n'
    project(tmp_path, settings, {"m.yaml": MAP})
    result = jm_here(tmp_path, "measure")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "exports/desk.csv:1:1: JM010 [unreadable-source]" in said
    assert f': set preset = "{written}".' in said
    assert "Map its column" not in said
