"""journeymaps render, as a user runs it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BASE, ROOT, jm, write_files

GOOD = textwrap.dedent(BASE).strip() + "\n"


def tangled(n: int) -> str:
    """A map whose every stage may lead to every other: its journey takes 0.2-0.4 s to lay out
    at n=30 (too close to a 0.2 s limit on a quick machine: the test saw it drawn), 1.6 s at
    n=45 (2026-12-01, embedded Graphviz)."""
    lines = [
        "id: tangled",
        "title: Tangled",
        "owner: support",
        "reviewed: 2026-11-01",
        "persona: {name: A}",
        "stages:",
    ]
    for s in range(n):
        lines += [f"  - id: s{s}", f"    name: Stage {s}", "    owner: support", "    steps:"]
        lines += [f"      - {{id: p{s}-{i}, name: Step {i}}}" for i in range(3)]
        lines += ["    next:"] + [f"      - {{to: s{t}, breaker: b}}" for t in range(n) if t != s]
    return "\n".join(lines) + "\n"


def test_render_writes_every_view_of_the_examples(tmp_path: Path) -> None:
    result = jm(ROOT, "render", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    maps = ["admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage"]
    assert names == sorted(
        [f"{m}.{v}.svg" for m in maps for v in ("journey", "blueprint")] + ["team-handoffs.svg"]
    )
    for path in tmp_path.iterdir():
        ET.fromstring(path.read_bytes())
    assert "Rendered 9 diagrams" in result.stdout


def test_render_one_map_one_view_as_dot(tmp_path: Path) -> None:
    result = jm(
        ROOT,
        "render",
        "maps/support/billing-dispute.yaml",
        "--view",
        "journey",
        "--format",
        "dot",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 0
    (only,) = tmp_path.iterdir()
    assert only.name == "billing-dispute.journey.dot"
    assert only.read_text().startswith('digraph "journey-billing-dispute" {')


def test_same_map_same_bytes(tmp_path: Path) -> None:
    jm(ROOT, "render", "-o", str(tmp_path / "a"))
    jm(ROOT, "render", "-o", str(tmp_path / "b"))
    for first in (tmp_path / "a").iterdir():
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()


def test_a_map_that_fails_does_not_take_the_others_down(tmp_path: Path) -> None:
    write_files(
        tmp_path / "maps",
        {"good.yaml": GOOD, "tangled.yaml": tangled(45), "broken.yaml": "id: broken\ntitle: [\n"},
    )
    result = jm(tmp_path, "render", "--timeout", "0.2", "--view", "journey")
    assert result.returncode == 1
    assert (tmp_path / "diagrams" / "m.journey.svg").is_file()
    assert not (tmp_path / "diagrams" / "tangled.journey.svg").exists()
    assert "tangled.journey: Graphviz took longer than 0.2 s" in result.stderr
    assert "maps/broken.yaml:3:1: JM001 [yaml-syntax]" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "1e308"])
def test_a_timeout_that_is_not_a_finite_number_is_a_usage_error(tmp_path: Path, value: str) -> None:
    """Each was 'internal error: ValueError/OverflowError: cannot convert float ... to integer'."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})
    result = jm(tmp_path, "render", "--timeout", value)
    assert result.returncode == 2
    assert "Invalid value for '--timeout'" in result.stderr
    assert not (tmp_path / "diagrams").exists()


@pytest.mark.embedded  # the system dot needs no such reservation: it draws under this limit
def test_graphviz_that_cannot_get_its_memory_fails_each_diagram_in_words(tmp_path: Path) -> None:
    """Under an address-space limit (ulimit -v, as some CI runners and shared hosts set)
    wasmtime cannot reserve an instance's memory: that error escaped the renderer, and
    render was 'internal error: WasmtimeError', build 'ValueError: ctypes objects containing
    pointers cannot be pickled'."""
    write_files(tmp_path / "maps", {"good.yaml": GOOD})

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # below wasmtime's 4 GB reservation

    for args in (
        ["render", "--view", "journey", "--renderer", "embedded"],
        ["build", "--renderer", "embedded"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "journeymaps", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=limited,
            env={**os.environ, "JOURNEYMAPS_CACHE": str(tmp_path / "cache")},
        )
        assert result.returncode == 1, result.stderr
        assert "internal error" not in result.stderr
        assert "Graphviz failed: Cannot allocate memory" in result.stderr


def test_system_renderer_is_chosen_by_flag(tmp_path: Path) -> None:
    result = jm(
        ROOT,
        "render",
        "maps/support/billing-dispute.yaml",
        "--renderer",
        "system",
        "--view",
        "journey",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 0
    svg = (tmp_path / "billing-dispute.journey.svg").read_bytes()
    assert b"Generated by graphviz version 16" not in svg  # the embedded build is version 16
    assert any(el.get("id") == "stage-review" for el in ET.fromstring(svg).iter())
