"""A second director's review of the site: which way a KPI should go, a page for a broken
link, the billing blueprint's labels, and the scorecard on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, build_examples
from journeymaps.settings import load_settings
from journeymaps.site.build import build


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_examples(out)
    return out


HEAD = "owner: support\nreviewed: 2026-11-16\npersona: {name: Account owner, archetype: no-code user}\n"


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    maps = tmp_path / "maps"
    maps.mkdir()
    for name, text in files.items():
        (maps / name).write_text(text, "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(ROOT), ROOT, out, today=TODAY)
    return out


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


KPIS = (
    "id: m\ntitle: M\n" + HEAD + "stages:\n"
    "  - id: a\n    name: Asks\n    owner: support\n    evidence: [{source: zendesk, kind: tickets}]\n"
    "    kpis:\n"
    "      - {name: Search-to-ticket ratio, current: 0.92, target: 0.6, direction: lower, owner: support}\n"
    "      - {name: Self-served share, current: 0.7, target: 0.5, direction: higher, owner: support}\n"
)


def test_a_kpi_says_which_way_is_better_and_whether_it_is_on_target_wherever_it_is_shown(
    tmp_path: Path,
) -> None:
    """ "Search-to-ticket ratio: now 0.92, target 0.6" on the canvas and the map's stages left a
    director guessing whether 0.92 was good; the scorecard said "off target" but not which way
    the number should go. Now each says it in the same words: "target 0.6 or less", and the
    verdict."""
    out = _site(tmp_path, {"m.yaml": KPIS, "teams.yaml": "teams:\n  - {id: support, name: Support}\n"})
    canvas = _words((out / "maps" / "m.canvas.html").read_text("utf-8"))
    page = _words((out / "maps" / "m.html").read_text("utf-8"))
    for text in (canvas, page):
        assert "Search-to-ticket ratio: now 0.92, target 0.6 or less off target" in text
        assert "Self-served share: now 0.7, target 0.5 or more on target" in text
    score = (out / "scorecard.html").read_text("utf-8")
    rows = {_words(r).split(" 0")[0]: _words(r) for r in re.findall(r"<tr>(.*?)</tr>", score, re.S)}
    assert "0.6 or less off target" in rows["Search-to-ticket ratio"]
    assert "0.5 or more on target" in rows["Self-served share"]
