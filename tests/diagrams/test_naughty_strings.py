"""Every string of the Big List of Naughty Strings, in every text field a diagram shows,
gives valid DOT and a valid SVG with both renderers, and never becomes markup."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import TODAY
from journeymaps.diagrams import map_diagram, project_diagram, to_svg
from journeymaps.lint import lint
from journeymaps.model import Project
from journeymaps.settings import Settings

BLNS = json.loads((Path(__file__).resolve().parents[1] / "data" / "blns" / "blns.json").read_text("utf-8"))
STRINGS = [s for s in BLNS if s]  # the schema asks for non-empty text


class _Quoted(yaml.SafeDumper):
    """Quotes every string: PyYAML writes YAML 1.1 and would leave '1e2' bare, which YAML 1.2
    (and journeymaps) reads as a number."""


_Quoted.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Quoted, allow_unicode=True, sort_keys=False)


def naughty_map(i: int, s: str) -> dict:
    # A name or title has at most 200 characters (the schema's maxLength, in code points as
    # Python counts them); the long texts take the whole string.
    name = s[:200]
    step = {"id": "s", "name": name, "lane": "backstage", "does": s, "thinks": s, "feels": s, "emotion": -1}
    return {
        "id": f"naughty-{i:03d}",
        "title": name,
        "owner": "support",
        "reviewed": "2026-11-01",
        "persona": {"name": name, "archetype": s, "goal": s},
        "scenario": s,
        "goal": s,
        "stages": [
            {
                "id": "one",
                "name": name,
                "owner": "support",
                "thinking": s,
                "steps": [step],
                "next": [{"to": "two", "label": s}],
            },
            {
                "id": "two",
                "name": name,
                "owner": "finance",
                "steps": [{"id": "t", "name": name, "lane": "frontstage"}],
                "next": [{"to": "one", "label": s, "breaker": s}],
            },
        ],
        "pain_points": [
            {"id": "p", "at": "one.s", "kind": "emotional", "summary": s, "volume": 3, "severity": 2}
        ],
    }


@pytest.fixture(scope="module")
def naughty(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("naughty")
    maps = root / "maps"
    maps.mkdir()
    teams = [{"id": f"t{i}", "name": s[:200]} for i, s in enumerate(STRINGS)]
    teams += [{"id": "support", "name": "Support"}, {"id": "finance", "name": "Finance"}]
    (maps / "teams.yaml").write_text(dump({"teams": teams}), "utf-8")
    for i, s in enumerate(STRINGS):
        text = dump(naughty_map(i, s))
        (maps / f"m{i:03d}.yaml").write_text(text, "utf-8")
    report = lint([maps], Settings(root=root), TODAY, root)
    schema_errors = [d for d in report.diagnostics if d.rule in ("schema", "yaml-syntax", "encoding")]
    assert schema_errors == []
    assert report.project is not None and len(report.project.maps) == len(STRINGS)
    return report.project


def _check_svg(svg: bytes) -> None:
    root = ET.fromstring(svg)  # well-formed XML
    assert not any(el.tag.endswith(("script", "foreignObject")) for el in root.iter())
    assert b"<script" not in svg.lower()
    assert b"javascript:" not in svg.lower() or b"xlink:href" not in svg


@pytest.mark.embedded
def test_every_string_in_every_field_with_the_embedded_renderer(naughty: Project) -> None:
    for m in naughty.maps:
        for view in ("journey", "blueprint"):
            _check_svg(to_svg(map_diagram(view, m), "embedded"))
    _check_svg(to_svg(project_diagram("teams", naughty), "embedded"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="the system renderer needs Graphviz's dot")
def test_every_string_in_every_field_with_the_system_renderer(naughty: Project) -> None:
    dots = [map_diagram(view, m).dot for m in naughty.maps for view in ("journey", "blueprint")]
    for start in range(0, len(dots), 200):  # dot lays out many graphs from one input
        batch = dots[start : start + 200]
        proc = subprocess.run(
            ["dot", "-Tsvg"], input="\n".join(batch).encode(), capture_output=True, timeout=300
        )
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")[:500]
        documents = [b"<?xml" + d for d in proc.stdout.split(b"<?xml")[1:]]
        assert len(documents) == len(batch)
        for svg in documents:
            _check_svg(svg)
    for m in naughty.maps[:25]:  # and through the renderer class itself
        _check_svg(to_svg(map_diagram("journey", m), "system"))
    _check_svg(to_svg(project_diagram("teams", naughty), "system"))


def test_markup_stays_text() -> None:
    from journeymaps.diagrams.dot import Digraph
    from journeymaps.diagrams.text import label, plain

    assert label("<b>bold</b>").startswith("<b>")  # kept as characters...
    g = Digraph()
    g.node("a", label=label("<b>bold</b> \\N \\G"))
    g.node("b", label=plain("<i>x</i>"))
    assert 'label="<b>bold</b> \\\\N \\\\G\\l"' in g.source  # ...quoted, backslashes inert
    assert 'label="<i>x</i>"' in g.source


def test_same_dot_as_the_graphviz_package(naughty: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_dot_writer import with_reference

    for m in naughty.maps:
        for view in ("journey", "blueprint"):
            ours, theirs = with_reference(monkeypatch, lambda: map_diagram(view, m).dot)  # noqa: B023
            assert ours == theirs, m.title
    ours, theirs = with_reference(monkeypatch, lambda: project_diagram("teams", naughty).dot)
    assert ours == theirs
