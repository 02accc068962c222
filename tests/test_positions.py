"""Positions: the loader keeps where each value was written in compact records instead of
PyYAML's node tree (issue 18: the tree was 85 % of lint's memory at scale). Every finding's
file:line:col comes from them, so they must answer exactly as the node tree does, for every
path a rule can name, including paths that stop early (a missing key, an index past the end,
a path through a scalar), keys, duplicate keys, keys that are not text, flow and block
collections and multi-line scalars, whichever parser composed the file."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from conftest import BASE
from journeymaps import loader
from journeymaps.diagnostics import FILE_START, Span
from journeymaps.direction_controls import shown
from journeymaps.loader import PARSERS, JsonPath, Source

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    [*(ROOT / "maps").rglob("*.yaml"), *(ROOT / "tests/site/fixture/maps").rglob("*.yaml")],
    key=str,
)

TRICKY = """\
# a comment first
id: tricky
title: "quoted: with a colon"
scenario: >
  folded over
  two lines
goal: |
  literal
    kept
stages:
  - {id: one, name: Flow stage, steps: [{id: a, doing: x}, {id: b}]}
  - id: two
    name: Block stage
    steps:
      - id: c
        doing: Posts to #team
        feels: 3
      - []
      - {}
      -
empty_map: {}
empty_list: []
nothing:
dup: first
dup: second
? [not, text]
: value
'single': 'quoted'
number: 0x1F
tagged: !!str 12
"""


def reference_span(root: Node | None, path: JsonPath, key: bool) -> Span:
    """The span of ``path`` read from PyYAML's node tree, as the loader answered before it
    stopped keeping the tree."""
    node = root
    if node is None:
        return FILE_START
    for i, part in enumerate(path):
        child: Node | None = None
        if isinstance(node, MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.value == part:
                    if key and i == len(path) - 1:
                        return _node_span(k)
                    child = v
                    break
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return _node_span(node)


def _node_span(node: Node) -> Span:
    s, e = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode):
        return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)
    return Span(s.line + 1, s.column + 1, s.line + 1, s.column + 1)


def paths(data: Any, path: JsonPath = ()) -> Iterator[JsonPath]:
    """Every path into ``data``, and a few that go nowhere from each collection."""
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, (*path, k))
        yield (*path, "no-such-key")
        yield (*path, 0)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, (*path, i))
        yield (*path, len(data))
        yield (*path, -1)
        yield (*path, "id")
    else:
        yield (*path, "below-a-scalar")
        yield (*path, 0)


def check_all(text: str, parser: str) -> int:
    src = Source(path=Path("f.yaml"), display="f.yaml", text=text)
    loader.parse(src, parser)
    root = src.nodes()
    if root is None:
        assert src.span(("a",)) == FILE_START
        return 0
    checked = 0
    for path in paths(src.data):
        for key in (False, True):
            assert src.span(path, key=key) == reference_span(root, path, key), (path, key)
            checked += 1
    return checked


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_positions_answer_as_the_node_tree_for_every_path_of_every_example(parser: str) -> None:
    checked = sum(check_all(f.read_text("utf-8"), parser) for f in FILES)
    assert checked > 5_000  # the examples were read, and every path of them checked


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_positions_of_duplicates_odd_keys_flow_and_multiline_values(parser: str) -> None:
    assert check_all(TRICKY, parser) > 100
    src = Source(path=Path("f.yaml"), display="f.yaml", text=TRICKY)
    loader.parse(src, parser)
    # The first of two duplicate keys is the one the data kept, and the one findings point at.
    assert src.span(("dup",)) == Span(24, 6, 24, 11)
    assert src.span(("dup",), key=True) == Span(24, 1, 24, 4)
    # A multi-line folded scalar spans its lines; a block collection points at its start.
    assert src.span(("scenario",)).line == 4
    assert src.span(("stages", 1)) == Span.point(12, 5)
    assert src.span(("stages", 1, "steps", 3)) == src.span(("stages", 1, "steps", 3, "id"))


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("text", ["", "# only a comment\n", "just text\n", "- a\n- b\n", "{}\n", "---\n"])
def test_positions_of_documents_with_little_in_them(parser: str, text: str) -> None:
    check_all(text, parser)


_SCALARS = st.one_of(
    st.sampled_from(["x", "", "'q'", '"a b"', "1", "0x1f", "~", "true", "-1.5e3", "a # b", "'a\n  b'"]),
    st.from_regex(r"[a-z][a-z ]{0,8}", fullmatch=True),
)
_KEYS = st.sampled_from(["id", "name", "steps", "a", "b", "x-note", "id"])


@st.composite
def _yaml(draw: st.DrawFn, depth: int = 0) -> str:
    """Well-formed YAML of mixed flow and block collections (flow inside flow only)."""
    kind = draw(
        st.sampled_from(
            ["scalar", "flow-map", "flow-seq"]
            if depth > 2
            else ["scalar", "map", "seq", "flow-map", "flow-seq"]
        )
    )
    if kind == "scalar":
        return draw(_SCALARS)
    if kind.startswith("flow"):
        items = draw(st.lists(_SCALARS.filter(lambda s: "#" not in s and "\n" not in s), max_size=4))
        if kind == "flow-map":
            keys = draw(st.lists(_KEYS, min_size=len(items), max_size=len(items)))
            return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=True)) + "}"
        return "[" + ", ".join(items) + "]"
    pad = "  " * (depth + 1)
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        child = draw(_yaml(depth + 1))
        head = f"{draw(_KEYS)}:" if kind == "map" else "-"
        if "\n" in child and not child.startswith(("'", '"')):
            lines.append(f"{head}\n{pad}" + child.replace("\n", f"\n{pad}").rstrip())
        else:
            lines.append(f"{head} {child}")
    return "\n".join(lines)


@given(_yaml())
def test_positions_answer_as_the_node_tree_for_generated_yaml(text: str) -> None:
    for parser in PARSERS:
        check_all(text + "\n", parser)


def test_a_loaded_file_keeps_no_yaml_nodes() -> None:
    """What made lint need ~4 GiB for 10,000 maps: each Source kept PyYAML's node tree."""
    src = loader.from_bytes(FILES[0], "f.yaml", FILES[0].read_bytes())
    assert src.ok
    seen: set[int] = set()
    todo: list[Any] = [src]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type):  # its class leads to every module
            continue
        seen.add(id(obj))
        assert not isinstance(obj, Node), obj
        todo.extend(gc.get_referents(obj))


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_a_line_break_only_yaml_11_knows_is_no_line(parser: str, char: str) -> None:
    """NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR (pasted from web pages and documents)
    are line breaks to YAML 1.1 and both parsers, not to editors, GitHub or YAML 1.2: every
    later position was a line below the line an editor shows, and a plain value was split
    in two ('b' read as a key with no ':'). NEL, a C1 control, is shown as its escape, as
    every control character is (JM904)."""
    seen = shown(char)
    text = f'id: m\ntitle: "a{char}b"\ngoal: c{char}d\n# {char}x\nowner: support\n'
    src = Source(Path("m.yaml"), "m.yaml", text=text)
    loader.parse(src, parser)
    assert src.problems == []
    assert src.data == {"id": "m", "title": f"a{seen}b", "goal": f"c{seen}d", "owner": "support"}
    assert src.span(("owner",)) == Span(5, 8, 5, 15)
    assert src.span(("goal",)) == Span(3, 7, 3, 10)
    assert src.span(("owner",), key=True).line == 5
    broken = Source(Path("m.yaml"), "m.yaml", text=f"title: a{char}b\nowner: x: y\n")
    loader.parse(broken, parser)
    assert [(p.span.line, p.span.column) for p in broken.problems] == [(2, 9)]
    quoted = Source(Path("m.yaml"), "m.yaml", text=f"owner:x{char}y\nid: m\n")
    loader.parse(quoted, parser)
    assert [p.message[: 10 + len(seen)] for p in quoted.problems] == [f"'owner:x{seen}y'"]
    key = Source(Path("m.yaml"), "m.yaml", text=f"a{char}b: 1\nc: 2\n")
    loader.parse(key, parser)
    assert key.data == {f"a{seen}b": 1, "c": 2} and key.span((f"a{seen}b",)) == Span(1, 6, 1, 7)


def test_a_suppression_after_a_yaml_11_line_break_applies_to_its_own_line(project) -> None:
    found = project(
        {
            "m.yaml": BASE.replace("title: T", 'title: "a\u2028b"')
            .replace("    owner: product\n", "")
            .replace("  - id: two\n", "  - id: two  # journeymaps: ignore[missing-owner]\n")
        }
    )
    assert "missing-owner" not in {d.rule for d in found}, found
    assert "unused-suppression" not in {d.rule for d in found}, found


def test_a_file_holding_every_private_use_character_still_reads() -> None:
    """The YAML-1.1-only line breaks are given to the parsers as private-use characters the
    file does not hold; a file made to hold them all keeps YAML's own lines, and its values."""
    every = "".join(
        chr(c) for r in ((0xE000, 0xF900), (0xF0000, 0xFFFFE), (0x100000, 0x10FFFE)) for c in range(*r)
    )
    for held, line in (("".join(chr(c) for c in range(0xE000, 0xF900)), 3), (every, 4)):
        src = Source(Path("m.yaml"), "m.yaml", text=f'id: m\ngoal: "{held}a\u2028b"\nowner: x\n')
        loader.parse(src, "python")
        assert src.problems == [] and src.data["goal"] == f"{held}a\u2028b"
        assert src.span(("owner",)).line == line
