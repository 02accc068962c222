"""Fuzzing the loader and lint (issue 13): whatever a file holds, lint answers with findings.

Two generators. One mutates the example maps byte by byte and token by token (control
characters, anchors, tags, brackets, huge numbers, a BOM in the middle, invalid UTF-8...),
which is what found most of issue 13's crashes. The other writes well-formed YAML from the
format's own vocabulary with values of every type in every place, which reaches the schema's
wording, the model and the diagrams' DOT. The properties: no exception, every finding has a
registered rule, a line and a column, every reporter can write the findings, and a map lint
accepts can be drawn.

CI runs a bounded number of examples (the ``ci`` profile, the default: well under a minute).
Before a release, run the long search, which keeps its findings in .hypothesis/:

    HYPOTHESIS_PROFILE=release python -m pytest tests/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymaps.diagnostics import text_lines
from journeymaps.diagrams import MAP_VIEWS, map_diagram
from journeymaps.lint import INPUT_RULES, Inputs, lint
from journeymaps.reporters import REPORTERS, Outcome
from journeymaps.rules import all_rules
from journeymaps.settings import Settings
from journeymaps.site import pages, story
from journeymaps.site.build import search_index
from journeymaps.templating import _money as money

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    database=None,  # nothing written into the repository
    # In CI the same examples every run: a new input found there failed a submission at
    # random, unrelated to its change. Local runs keep drawing new ones (and "release").
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "release",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted(
    p.read_bytes()
    for p in [*(ROOT / "maps").rglob("*.yaml"), *(ROOT / "tests/site/fixture/maps").rglob("*.yaml")]
)
TEAMS = (ROOT / "maps" / "teams.yaml").read_bytes()
PERSONAS = (ROOT / "maps" / "personas.yaml").read_bytes()
PROJECT = Path("/fuzz/project")  # nothing is read from disk: the bytes are given
TODAY = dt.date(2026, 11, 22)

#: Pieces that broke parsers before, or might.
TOKENS = [
    b"&a ",
    b"*a",
    b"&",
    b"*",
    b"!!python/object/apply:os.system ",
    b"!custom ",
    b"!!str ",
    b"!!int ",
    b"!!float ",
    b"!!bool ",
    b"!!null ",
    b"!!binary ",
    b"!!timestamp ",
    b"[",
    b"]",
    b"{",
    b"}",
    b": ",
    b"- ",
    b"? ",
    b"|",
    b">",
    b"#",
    b"\t",
    b'"',
    b"'",
    b"\\",
    b"\x00",
    b"\x04",
    b"\x1b[31m",
    b"\x7f",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
    b"!!int key: ",
    b"!x ",
    b"owner:support",
    b"emotion -1",
    b"-id: a",
    b"[DRAFT] x",
    b"'it's'",
    b"@team",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xae",
    b"\xed\xa0\x80",
    b"\xff\xfe",
    b"\xc3",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"%TAG ! tag:x,2000:\n",
    b"\r\n",
    b"\r",
    b"9" * 4400,
    b"0x" + b"f" * 5000,
    b"1e999",
    b".nan",
    b"-.inf",
    b"~",
    b"null",
    b"yes",
    b"no",
    b"on",
    b"2026-13-45",
    b"2026-02-30",
    b"12:30:45",
    b"0o17",
    b"+1",
    b"-0",
    b"1_000",
    b"a" * 300,
    b"<script>alert(1)</script>",
    b"{{ 7*7 }}",
    b"../../etc/passwd",
    b"[]",
    b"{}",
    b"[[0], {a: 1}]",
    b"x-",
    b"- {}",
    b"id: ",
    b"stages: []",
    b"next: [x]",
    b"end: []",
    b"emotion: 9",
    b"# journeymaps: ignore[schema] x",
    b"# journeymaps: ignore[",
    b"\n" * 3,
    b" " * 40,
]


@st.composite
def mutated_map(draw: st.DrawFn) -> bytes:
    """An example map with a few byte- and token-level changes."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, len(data)))
        kind = draw(
            st.sampled_from(["insert-token", "insert-bytes", "delete", "duplicate-line", "replace-value"])
        )
        if kind == "insert-token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "insert-bytes":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "duplicate-line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = bytes(data[start : end + 1 if end >= 0 else len(data)])
            data[start:start] = line * draw(st.integers(1, 3))
        else:
            values = [m.start(1) for m in re.finditer(rb": ([^\n]+)", bytes(data))]
            if values:
                start = draw(st.sampled_from(values))
                end = data.find(b"\n", start)
                data[start : end if end >= 0 else len(data)] = draw(st.sampled_from(TOKENS))
    return bytes(data)


#: The format's own words, so that generated data reaches past "unknown key".
KEYS = sorted(
    {
        *[
            "id",
            "title",
            "state",
            "based_on",
            "owner",
            "reviewed",
            "persona",
            "scenario",
            "goal",
            "description",
            "tags",
            "stages",
            "handoffs",
        ],
        *[
            "pain_points",
            "opportunities",
            "name",
            "emotion",
            "doing",
            "thinking",
            "feeling",
            "evidence",
            "kpis",
            "steps",
            "next",
            "end",
        ],
        *[
            "lane",
            "channel",
            "does",
            "thinks",
            "feels",
            "source",
            "kind",
            "ref",
            "url",
            "as_of",
            "note",
            "current",
            "target",
            "unit",
            "to",
            "label",
        ],
        *[
            "breaker",
            "from",
            "sla",
            "context",
            "at",
            "summary",
            "volume",
            "severity",
            "cost_per_contact",
            "addresses",
            "believe",
            "will",
        ],
        *["signal", "impact", "effort", "due", "status", "archetype", "x-extra"],
    }
)
WORDS = [
    "s",
    "t",
    "a",
    "b",
    "a.b",
    "s.t",
    "support",
    "product",
    "current",
    "future",
    "customer",
    "backstage",
    "support-ops",
    "web",
    "tickets",
    "lost",
    "carried",
    "high",
    "low",
    "shipped",
    "technical",
    "4h",
    "0m",
    "2026-11-01",
    "2026-02-30",
    "",
    " ",
    "x" * 120,
    "Ünïcödé ✓",
    "<b>&amp;</b>",
    "-",
    "--x",
    "1",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=40,
)


def _either(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value that fits the key half of the time, anything the other half."""
    return st.one_of(plausible, values)


def whole(low: int, high: int) -> st.SearchStrategy[int | float]:
    """A whole number, sometimes written as a float (``1.0`` passes the schema's integer)."""
    return st.one_of(st.integers(low, high), st.integers(low, high).map(float))


ids = st.sampled_from(["s", "t", "a", "b", "zz", "s-1"])
refs = st.sampled_from(["s", "t", "s.a", "t.b", "s.zz", "zz.a", "a.b.c"])
teams = st.sampled_from(["support", "product", "finance", "nobody-team"])
dates = st.sampled_from(["2026-11-01", "2020-01-01", "2030-12-31", "2026-02-30"])
step = st.fixed_dictionaries(
    {"id": ids, "name": st.sampled_from(WORDS)},
    optional={
        "owner": _either(teams),
        "lane": _either(st.sampled_from(["customer", "frontstage", "backstage", "support"])),
        "channel": _either(st.sampled_from(["web", "email", "chat", "phone"])),
        "emotion": _either(whole(-4, 4)),
        "does": _either(st.sampled_from(WORDS)),
    },
)
evidence = st.lists(
    st.fixed_dictionaries(
        {"source": st.just("zendesk"), "kind": _either(st.sampled_from(["tickets", "survey", "other"]))},
        optional={"as_of": _either(dates)},
    ),
    max_size=2,
)
stage = st.fixed_dictionaries(
    {"id": ids, "name": st.sampled_from(WORDS)},
    optional={
        "owner": _either(teams),
        "emotion": _either(whole(-4, 4)),
        "steps": _either(st.lists(step, max_size=3)),
        "next": _either(
            st.lists(
                st.one_of(ids, st.fixed_dictionaries({"to": ids}, optional={"breaker": st.just("b")})),
                max_size=2,
            )
        ),
        "end": _either(st.booleans()),
        "evidence": _either(evidence),
        "kpis": _either(
            st.lists(st.fixed_dictionaries({"name": st.just("k")}, optional={"current": scalars}), max_size=2)
        ),
    },
)
TOP: dict[str, st.SearchStrategy[Any]] = {
    "state": _either(st.sampled_from(["current", "future"])),
    "based_on": _either(st.sampled_from(["m", "a", "zz"])),
    "owner": _either(teams),
    "reviewed": _either(dates),
    "persona": _either(st.sampled_from(["workspace-admin", "nobody", {"name": "Admin"}])),
    "scenario": _either(st.sampled_from(WORDS)),
    "tags": _either(st.lists(st.sampled_from(WORDS), max_size=3)),
    "handoffs": _either(
        st.lists(
            st.fixed_dictionaries(
                {"from": refs, "to": refs},
                optional={
                    "sla": _either(st.just("4h")),
                    "context": _either(st.sampled_from(["lost", "carried"])),
                },
            ),
            max_size=2,
        )
    ),
    "pain_points": _either(
        st.lists(
            st.fixed_dictionaries(
                {"id": ids, "at": refs, "kind": st.just("process"), "summary": st.just("x")},
                optional={"volume": _either(whole(0, 10**6)), "severity": _either(whole(0, 6))},
            ),
            max_size=3,
        )
    ),
    "opportunities": _either(
        st.lists(
            st.fixed_dictionaries(
                {"id": ids, "believe": st.just("b"), "will": st.just("w")},
                optional={
                    "addresses": _either(st.lists(ids, max_size=2)),
                    "due": _either(dates),
                    "status": _either(st.sampled_from(["proposed", "shipped"])),
                    "owner": _either(teams),
                },
            ),
            max_size=2,
        )
    ),
}
for _key in KEYS:
    TOP.setdefault(_key, values)
for _key in ("id", "title", "stages"):
    TOP.pop(_key, None)


@st.composite
def shaped_map(draw: st.DrawFn) -> bytes:
    """Well-formed YAML shaped like a map: each value fits its key about half the time."""
    doc = draw(
        st.fixed_dictionaries(
            {
                "id": st.sampled_from(["m", "a", "m--2"]),
                "title": st.sampled_from(WORDS),
                "stages": _either(st.lists(stage, min_size=1, max_size=4)),
            },
            optional=TOP,
        )
    )
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def _check(content: bytes) -> None:
    """The properties every file must hold, linted next to the example registries."""
    files = {
        PROJECT / "maps" / "teams.yaml": TEAMS,
        PROJECT / "maps" / "personas.yaml": PERSONAS,
        PROJECT / "maps" / "fuzzed.yaml": content,
    }
    paths = sorted(files)
    report = lint(paths, Settings(root=PROJECT), TODAY, PROJECT, inputs=Inputs(paths, paths, files))
    registry = all_rules()
    # Lines as an editor counts them (CR and LF only): a finding past them is on no line.
    lines = text_lines(content.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"))
    for d in report.diagnostics:
        assert d.rule in registry and d.code == registry[d.rule].code
        assert d.line >= 1 and d.column >= 1 and d.span.end_line >= d.line, d
        assert isinstance(d.message, str) and d.message.strip(), d
        if d.file.endswith("fuzzed.yaml"):
            assert d.line <= len(lines) + 1, (d, len(lines))
            assert d.line > len(lines) or d.column <= len(lines[d.line - 1]) + 1, (d, lines[d.line - 1])
    outcome = Outcome(report.diagnostics, report.files, report.maps)
    for name, reporter in REPORTERS.items():
        out = io.StringIO()
        reporter(outcome, out, name == "text")
        if name in ("json", "sarif", "gitlab"):
            json.loads(out.getvalue())
    # What lint accepts, the site can draw.
    assert report.project is not None
    broken = {d.file for d in report.diagnostics if d.rule in INPUT_RULES}
    accepted = [m for m in report.project.maps if m.src.display not in broken]
    ranked_pains = pages.ranked_pains(accepted, Settings(root=PROJECT, cost_per_contact=12.5))
    for m in accepted:
        for view in MAP_VIEWS:
            assert map_diagram(view, m, page=f"../maps/{m.id}.html").dot.startswith("digraph")
        # The canvas, its emotion curve and the summary a map page shows.
        story.map_story(m, {}, [r for r in ranked_pains if r.map is m], TODAY, 90)
    for ranked in ranked_pains:
        if ranked.yearly_cost is not None:
            assert money(ranked.yearly_cost).startswith("$")
    search_index(accepted, report.project.teams or {})


@settings(max_examples=settings().max_examples * 8)  # ~10 ms each: eight times more
@given(mutated_map())
def test_mutated_maps_give_findings_never_errors(content: bytes) -> None:
    _check(content)


@given(shaped_map())
def test_any_value_anywhere_gives_findings_never_errors(content: bytes) -> None:
    _check(content)


def test_the_generators_reach_deep() -> None:
    """The fuzzing is worth its time only if it reaches past the parser: some generated
    maps must be modelled, and some rejected by the schema."""
    seen: dict[str, int] = {"modelled": 0, "schema": 0, "syntax": 0}

    @settings(max_examples=30, database=None, deadline=None, derandomize=True)
    @given(st.one_of(mutated_map(), shaped_map()))
    def probe(content: bytes) -> None:
        files: dict[Path, bytes] = {PROJECT / "maps" / "fuzzed.yaml": content}
        paths = sorted(files)
        report = lint(paths, Settings(root=PROJECT), TODAY, PROJECT, inputs=Inputs(paths, paths, files))
        rules = {d.rule for d in report.diagnostics}
        seen["modelled"] += bool(report.project and report.project.maps)
        seen["schema"] += "schema" in rules
        seen["syntax"] += bool(rules & {"yaml-syntax", "encoding", "duplicate-key"})

    probe()
    assert all(count > 0 for count in seen.values()), seen
