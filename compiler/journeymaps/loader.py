"""Bytes → YAML nodes → plain data, keeping compact positions so any path maps back to
line:column.

The loader is strict where YAML is surprising: UTF-8 only, duplicate keys are findings,
anchors and aliases are refused, and plain scalars follow the YAML 1.2 core schema, so
``no``/``on`` stay text, dates stay text and ``1:30`` is not base 60. An explicit tag is
honoured (``!!str 5`` and ``! 5`` are the text "5"); one the value does not fit, or that is
not YAML's own, is a finding.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from journeymaps.diagnostics import FILE_START, Span, position_after, shorten
from journeymaps.direction_controls import ESCAPED, Hidden, may_hold, revealed, shown
from journeymaps.reading import DEFAULT_MAX_KB, FolderNotRead, Refused, read_regular, wide_encoding
from journeymaps.records import record
from journeymaps.rules.input import (
    DUPLICATE_KEY,
    ENCODING,
    FATAL_RULES,
    SCHEMA,
    UNREADABLE_FILE,
    YAML_SYNTAX,
)
from journeymaps.yaml_parsers import DEFAULT_PARSER, EVENT_LOADERS, PLAIN, compose, empty_document
from journeymaps.yaml_parsers import PARSERS as PARSERS  # re-exported: the tests run each parser by name

JsonPath = tuple[str | int, ...]


def path_text(path: JsonPath) -> str:
    """``stages[2].emotion`` from ``("stages", 2, "emotion")``: how findings name a place."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@record(slots=True)
class LoadProblem:
    """A problem found while reading a file, before any rule runs."""

    rule: str
    span: Span
    message: str
    path: str = ""  # where in the data, when known


#: What a position record is: a scalar, a mapping or a sequence (one byte each in ``kinds``).
_SCALAR, _MAPPING, _SEQUENCE = 0, 1, 2
_KEY_AND_SCALAR = bytes((_SCALAR, _SCALAR))
#: Fields per record: start line, start column, end line, end column (0-based, as YAML marks
#: them), then for a collection the number of records in its subtree, for a key its name's
#: index in ``names``.
_FIELDS = 5
#: Collections of up to this many records are searched in place; larger ones are indexed.
_SCAN_UP_TO = 64


@record(slots=True)
class Positions:
    """Where every value of a file was written, ~30 bytes a node instead of the ~370 of
    PyYAML's node tree (85 % of lint's memory at 10,000 maps before this).

    Records in document order, one per node the plain data kept (a mapping's keys as
    written the first time, each key before its value); as flat unsigned ints, so a node
    costs no Python object.
    """

    records: array[int]
    kinds: bytes
    names: tuple[str, ...]
    #: The children of each large collection asked about, indexed the first time: a finding
    #: per key of a mapping of 4,000 keys scanned the mapping each time (quadratic).
    _keys: dict[int, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)
    _items: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def span(self, path: JsonPath, *, key: bool = False) -> Span:
        """See :meth:`Source.span`."""
        rec, names, kinds = self.records, self.names, self.kinds
        at = 0
        for i, part in enumerate(path):
            kind = kinds[at]
            child = -1
            large = kind != _SCALAR and rec[at * _FIELDS + 4] > _SCAN_UP_TO
            if large and kind == _MAPPING and isinstance(part, str):
                k = self._keys_of(at).get(part, -1)
                if k >= 0 and key and i == len(path) - 1:
                    return self._span(k)
                child = k + 1 if k >= 0 else -1
            elif large and kind == _SEQUENCE and isinstance(part, int) and part >= 0:
                items = self._items_of(at)
                child = items[part] if part < len(items) else -1
            elif kind == _MAPPING and isinstance(part, str):
                end = at + rec[at * _FIELDS + 4]
                k = at + 1
                while k < end:  # k is a key; its value's subtree follows it
                    v = k + 1
                    if names[rec[k * _FIELDS + 4]] == part:
                        if key and i == len(path) - 1:
                            return self._span(k)
                        child = v
                        break
                    k = v + (rec[v * _FIELDS + 4] if kinds[v] != _SCALAR else 1)
            elif kind == _SEQUENCE and isinstance(part, int) and part >= 0:
                end = at + rec[at * _FIELDS + 4]
                v, n = at + 1, 0
                while v < end:
                    if n == part:
                        child = v
                        break
                    v += rec[v * _FIELDS + 4] if kinds[v] != _SCALAR else 1
                    n += 1
            if child < 0:
                break
            at = child
        return self._span(at)

    def _keys_of(self, at: int) -> dict[str, int]:
        """A large mapping's keys: name → the record of the key, the first one written."""
        if at not in self._keys:
            rec, kinds = self.records, self.kinds
            keys: dict[str, int] = {}
            end, k = at + rec[at * _FIELDS + 4], at + 1
            while k < end:
                keys.setdefault(self.names[rec[k * _FIELDS + 4]], k)
                v = k + 1
                k = v + (rec[v * _FIELDS + 4] if kinds[v] != _SCALAR else 1)
            self._keys[at] = keys
        return self._keys[at]

    def _items_of(self, at: int) -> list[int]:
        """A large sequence's items: the record of each."""
        if at not in self._items:
            rec, kinds = self.records, self.kinds
            items: list[int] = []
            end, v = at + rec[at * _FIELDS + 4], at + 1
            while v < end:
                items.append(v)
                v += rec[v * _FIELDS + 4] if kinds[v] != _SCALAR else 1
            self._items[at] = items
        return self._items[at]

    def _span(self, at: int) -> Span:
        base = at * _FIELDS
        line, column = self.records[base] + 1, self.records[base + 1] + 1
        if self.kinds[at] == _SCALAR:
            return Span(line, column, self.records[base + 2] + 1, self.records[base + 3] + 1)
        # A block collection ends where the next token starts; point at its first line instead.
        return Span(line, column, line, column)


@dataclass(slots=True)
class Source:
    """One YAML file: its text, its plain data and where each value was written."""

    path: Path
    display: str
    text: str = ""
    data: Any = None
    positions: Positions | None = None
    problems: list[LoadProblem] = field(default_factory=list)
    parser: str = DEFAULT_PARSER  # the one that composed it, to compose it again the same way
    #: The texts that held a direction control or a control character, now written as
    #: escapes in ``data`` (see journeymaps.direction_controls): for the rules that report them.
    hidden: list[Hidden] = field(default_factory=list)
    #: A folder the read policy refused (a loop of links, a link out of the project), with
    #: its one unreadable-file finding: no file nor map (see :attr:`Outcome.folders`).
    folder: bool = False
    _block_ends: dict[int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the file parsed; schema problems may still follow."""
        return self.positions is not None and not any(p.rule in FATAL_RULES for p in self.problems)

    def nodes(self) -> Node | None:
        """The file's YAML node tree, composed again (None when the file did not parse): how
        each value was written (flow or block, quoted or plain), which neither the data nor
        the positions say. Not kept, for its size: for the rare questions that need it."""
        if self.positions is None:
            return None
        return compose(yaml_input(self.text), self.parser) or empty_document()

    def node(self, path: JsonPath) -> Node | None:
        """The YAML node of the value at ``path`` (None when there is none); composes the file
        again (see :meth:`nodes`)."""
        node = self.nodes()
        for part in path:
            child: Node | None = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                child = next(
                    (v for k, v in node.value if isinstance(k, ScalarNode) and _named(k.value, part)), None
                )
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                child = node.value[part]
            if child is None:
                return None
            node = child
        return node

    def span(self, path: JsonPath, *, key: bool = False) -> Span:
        """The span of the value at ``path`` (or of its key), or of its nearest ancestor."""
        if self.positions is None:
            return FILE_START
        return self.positions.span(path, key=key)

    def block_end(self, line: int) -> int:
        """The last line of the largest node that starts on ``line`` (1-based); ``line`` if none.
        Asked only of files with suppression comments, so the tree is composed again for it."""
        if self._block_ends is None:  # one walk of the tree, then a lookup per question
            ends: dict[int, int] = {}
            root = self.nodes()
            todo = [root] if root is not None else []
            while todo:
                node = todo.pop()
                if not isinstance(node, ScalarNode):
                    start = node.start_mark.line + 1
                    end = node.end_mark.line + (1 if node.end_mark.column else 0)
                    ends[start] = max(ends.get(start, start), end)
                if isinstance(node, MappingNode):
                    todo.extend(n for pair in node.value for n in pair)
                elif isinstance(node, SequenceNode):
                    todo.extend(node.value)
            self._block_ends = ends
        return max(line, self._block_ends.get(line, line))


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode):
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    # A block collection ends where the next token starts; point at its first line instead.
    return Span(start.line + 1, start.column + 1, start.line + 1, start.column + 1)


def load(path: Path, display: str, max_bytes: int = DEFAULT_MAX_KB * 1024) -> Source:
    """Read one YAML file (a regular file only); problems are recorded on the Source, never
    raised."""
    try:
        raw = read_regular(path, max_bytes)
    except Refused as exc:
        return refused(path, display, str(exc))
    except OSError as exc:
        return refused(path, display, f"cannot read file: {exc.strerror or exc}")
    return from_bytes(path, display, raw)


def refused(path: Path, display: str, why: str) -> Source:
    """A file that was not read, and why (a :class:`~journeymaps.reading.FolderNotRead`:
    a folder not read)."""
    src = Source(path=path, display=display, folder=isinstance(why, FolderNotRead))
    src.problems.append(LoadProblem(UNREADABLE_FILE, FILE_START, str(why)))
    return src


def from_bytes(path: Path, display: str, raw: bytes) -> Source:
    """One YAML file's bytes, already read, decoded and parsed."""
    src = Source(path=path, display=display)
    text = decode(raw, src)
    if text is not None:
        src.text = text
        parse(src)
    return src


def decode(raw: bytes, src: Source) -> str | None:
    """UTF-8 (with or without a BOM) or a finding at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif (wide := wide_encoding(raw)) is not None:
        src.problems.append(LoadProblem(ENCODING, FILE_START, f"file is {wide}; save it as UTF-8"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position_after(raw[: exc.start].decode("utf-8", "replace"))
        src.problems.append(
            LoadProblem(
                ENCODING,
                Span.point(line, column),
                f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; journey maps must be saved as UTF-8",
            )
        )
        return None


def parse(src: Source, parser: str = DEFAULT_PARSER) -> None:
    """Compose the node tree, convert it to plain data and keep its positions, recording
    problems on ``src``; the node tree itself is dropped."""
    text = yaml_input(src.text)
    known = len(src.problems)
    _parse(src, text, parser)
    if text is not src.text:  # the line breaks only YAML 1.1 knows, back in values and words
        stand_ins = _stand_ins(src.text)
        table = {ord(s): real for s, real in zip(stand_ins, _YAML_ONLY_BREAKS, strict=True)}
        src.data = _restored(src.data, table)
        if (positions := src.positions) is not None:
            names = tuple(name.translate(table) for name in positions.names)
            src.positions = Positions(positions.records, positions.kinds, names)
        src.problems[known:] = [
            dataclasses.replace(p, message=p.message.translate(table)) for p in src.problems[known:]
        ]
    # A parser's words quote the line ("'owner:supp\u202eort' has no ': '"): shown as the
    # data is, in every format (SARIF, GitLab and JUnit wrote the control raw)
    src.problems[known:] = [
        p if p.message.isprintable() else dataclasses.replace(p, message=shown(p.message))
        for p in src.problems[known:]
    ]
    if src.data is not None and may_hold(src.text):
        src.data, src.hidden, twice = revealed(src.data)
        if src.hidden and (positions := src.positions) is not None:  # keys are found by name
            names = tuple(name.translate(ESCAPED) for name in positions.names)
            src.positions = Positions(positions.records, positions.kinds, names)
        src.problems += [_shown_twice(src, path) for path in twice]


def _shown_twice(src: Source, path: JsonPath) -> LoadProblem:
    """A duplicate key that only showing controls as escapes made (see
    :func:`journeymaps.direction_controls.revealed`), at its second key."""
    *at, name = path
    mapping = src.node(tuple(at))
    keys = [
        k
        for k, _ in (mapping.value if isinstance(mapping, MappingNode) else ())
        if isinstance(k, ScalarNode) and _named(k.value, name)
    ]
    if len(keys) < 2:  # pragma: no cover - both are found by name
        return LoadProblem(DUPLICATE_KEY, src.span(path, key=True), f"duplicate key '{shorten(str(name))}'")
    return LoadProblem(
        DUPLICATE_KEY,
        _span(keys[1]),
        f"duplicate key '{shorten(str(name))}' (first defined on line {keys[0].start_mark.line + 1}), "
        "once its control is shown as an escape; the later value is ignored",
    )


def _parse(src: Source, text: str, parser: str) -> None:
    src.parser = parser
    # Anchors need '&' and aliases '*'; most maps have neither, so the event scan is rare.
    if ("&" in text or "*" in text) and _refuse_anchors(src, text, parser):
        return
    try:
        root = compose(text, parser)
    except yaml.MarkedYAMLError as exc:
        from journeymaps.yaml_errors import yaml_errors

        src.problems += yaml_errors(exc, text, parser)
        return
    except yaml.reader.ReaderError:
        from journeymaps.yaml_errors import reader_problem

        src.problems.append(reader_problem(text))
        return
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always gives marks
        src.problems.append(LoadProblem(YAML_SYNTAX, FILE_START, str(exc)))
        return
    except RecursionError:  # the pure-Python composer recurses once per level
        from journeymaps.nesting import too_deep

        src.problems.append(too_deep(text) or _TOO_DEEP_AT_START)
        return
    converter = _Converter(src.problems)
    try:
        src.data = converter.convert(root or empty_document(), 0)
    except _TooDeep as exc:
        from journeymaps.nesting import too_deep

        src.problems.append(too_deep(text) or LoadProblem(YAML_SYNTAX, _span(exc.node), TOO_DEEP))
        return
    src.positions = converter.positions()
    if converter.non_finite:
        _name_non_finite(src, converter.non_finite)


def _name_non_finite(src: Source, problems: list[LoadProblem]) -> None:
    """Each problem of a number that is not finite, its path first (``stages[0].emotion:
    '.inf' is not a finite number``), as every other schema message names it. The converter
    keeps no paths (a path per node cost time on every map); such a number is rare, so its
    path is found afterwards, by its span."""
    paths: dict[Span, JsonPath] = {}
    todo: list[tuple[JsonPath, Any]] = [((), src.data)]
    while todo:
        path, value = todo.pop()
        if isinstance(value, float) and not math.isfinite(value):
            paths[src.span(path)] = path
        elif isinstance(value, dict):
            todo += [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            todo += [((*path, i), v) for i, v in enumerate(value)]
    named = {
        id(p): dataclasses.replace(p, message=f"{path_text(paths[p.span])}: {p.message}")
        for p in problems
        if paths.get(p.span)
    }
    src.problems[:] = [named.get(id(p), p) for p in src.problems]


#: Line breaks to YAML 1.1 (and both parsers) but not to editors, GitHub or YAML 1.2: NEL,
#: LINE SEPARATOR, PARAGRAPH SEPARATOR. Pasted text carries them; each one put every later
#: finding a line below where an editor shows it, and split a plain value in two.
_YAML_ONLY_BREAKS = "\x85\u2028\u2029"


def yaml_input(text: str) -> str:
    """``text`` as the parsers are given it: each of :data:`_YAML_ONLY_BREAKS` replaced by a
    private-use character the file does not hold, so that YAML's lines and columns are the
    editor's (restored in the values by :func:`parse`); ``text`` itself when it has none, or
    holds every private-use character (then YAML's own lines are kept)."""
    if not any(c in text for c in _YAML_ONLY_BREAKS) or not (stand_ins := _stand_ins(text)):
        return text
    return text.translate({ord(real): s for real, s in zip(_YAML_ONLY_BREAKS, stand_ins, strict=True)})


def _stand_ins(text: str) -> list[str]:
    """The first private-use characters ``text`` does not hold, one per YAML-only break; none
    when it holds fewer than that many (a file made to hold them all)."""
    present = set(text)
    found: list[str] = []
    for code in _private_use():
        if chr(code) not in present:
            found.append(chr(code))
            if len(found) == len(_YAML_ONLY_BREAKS):
                return found
    return []


def _private_use() -> Iterator[int]:
    """Private-use code points, which YAML reads as any other character."""
    return itertools.chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


def _restored(value: Any, table: dict[int, str]) -> Any:
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, dict):
        return {k.translate(table): _restored(v, table) for k, v in value.items()}
    if isinstance(value, list):
        return [_restored(v, table) for v in value]
    return value


def _named(written: str, part: str | int) -> bool:
    """Whether a key as written is the key ``part`` of the data (which shows its direction
    controls and control characters as escapes)."""
    return written == part or (isinstance(part, str) and written.translate(ESCAPED) == part)


MAX_DEPTH = 64
TOO_DEEP = f"the document is nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)"
_TOO_DEEP_AT_START = LoadProblem(YAML_SYNTAX, FILE_START, TOO_DEEP)


def _refuse_anchors(src: Source, text: str, parser: str) -> bool:
    """One finding for every anchor and alias of a file, at the first; True when there was
    one (or the YAML is broken). One per file: a 12-line alias bomb gave ~90 findings."""
    counts = {"anchor": 0, "alias": 0}
    first: tuple[str, str, Span] | None = None
    try:
        for event in yaml.parse(text, Loader=EVENT_LOADERS[parser]):
            anchor = getattr(event, "anchor", None)
            if anchor is None:
                continue
            what = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            counts[what] += 1
            if first is None:
                first = (what, anchor, _mark_span(event.start_mark, event.end_mark))
    except yaml.MarkedYAMLError as exc:
        from journeymaps.yaml_errors import yaml_errors

        src.problems += yaml_errors(exc, text, parser)
        return True
    except yaml.reader.ReaderError:
        from journeymaps.yaml_errors import reader_problem

        src.problems.append(reader_problem(text))
        return True
    if first is None:
        return False
    what, name, span = first
    total = counts["anchor"] + counts["alias"]
    others = ""
    if total > 1:
        parts = [
            f"{n} {kind}{'es' if kind == 'alias' and n != 1 else 's' if n != 1 else ''}"
            for kind, n in counts.items()
            if n
        ]
        others = f" (this file has {' and '.join(parts)})"
    src.problems.append(
        LoadProblem(
            YAML_SYNTAX,
            span,
            f"YAML {what} '{shorten(name)}' is not supported in journey maps; write the value out{others}",
        )
    )
    return True


def _mark_span(start: Any, end: Any) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


# YAML 1.2 core schema, applied to plain (unquoted) scalars only.
_INT = re.compile(r"[-+]?[0-9]+\Z")
_HEX_OCT = re.compile(r"0x[0-9a-fA-F]+\Z|0o[0-7]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_WORDS: dict[str, Any] = {
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "+.Inf": float("inf"),
    "+.INF": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
_NUMBER_START = frozenset("0123456789-+.")
_STR = BaseResolver.DEFAULT_SCALAR_TAG
_COLLECTION_TAGS: dict[type[Node], str] = {
    MappingNode: BaseResolver.DEFAULT_MAPPING_TAG,
    SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
}
#: What an explicitly tagged scalar's text must read as (the types it may read as, and what
#: to call them in a finding); ``!!float 1`` is the float 1.0.
_TAGGED: dict[str, tuple[tuple[type, ...], str]] = {
    "tag:yaml.org,2002:int": ((int,), "a whole number"),
    "tag:yaml.org,2002:float": ((float, int), "a number"),
    "tag:yaml.org,2002:bool": ((bool,), "true or false"),
    "tag:yaml.org,2002:null": ((type(None),), "null, ~ or nothing"),
}
#: Python writes integers of up to 4,300 digits (~14,284 bits); a longer one, read from
#: hexadecimal, broke the schema's messages.
_MAX_INT_BITS = 14_000


def plain_scalar(value: str) -> Any:
    """Resolve an unquoted scalar the way YAML 1.2 (and JSON) would."""
    if not value:
        return None
    word = _WORDS.get(value, value)
    if word is not value:
        return word
    if value[0] in _NUMBER_START:
        if _INT.match(value):
            return int(value)
        if _HEX_OCT.match(value):
            return int(value, 0)
        if _FLOAT.match(value):
            return float(value)
    return value


class _TooDeep(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _Converter:
    """Node tree → plain data and its positions; duplicate keys and odd tags become problems,
    not exceptions."""

    def __init__(self, problems: list[LoadProblem]) -> None:
        self.problems = problems
        # A list while converting, an array once done: extending an array converts each
        # number on the way in, which cost more than one conversion of the whole list.
        self.records: list[int] = []
        self.kinds = bytearray()
        self.names: list[str] = []
        #: Problems of numbers that are not finite: placed at their path once it is known
        #: (see :func:`_name_non_finite`).
        self.non_finite: list[LoadProblem] = []

    def positions(self) -> Positions:
        return Positions(array("I", self.records), bytes(self.kinds), tuple(self.names))

    def convert(self, node: Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        start, end = node.start_mark, node.end_mark
        if isinstance(node, ScalarNode):
            self.records.extend((start.line, start.column, end.line, end.column, 0))
            self.kinds.append(_SCALAR)
            return self._scalar(node)
        if node.tag != _COLLECTION_TAGS[type(node)]:
            self._bad_tag(node)
        records, kinds = self.records, self.kinds
        at = len(kinds)
        records.extend((start.line, start.column, end.line, end.column, 0))
        # A scalar child is recorded and read here, not by a call of its own: most nodes
        # are scalars, and a call per node was half the conversion's time. Not at the
        # last level: a scalar there is too deep, which the call reports.
        inline = depth < MAX_DEPTH
        if isinstance(node, MappingNode):
            kinds.append(_MAPPING)
            names = self.names
            out: dict[str, Any] = {}
            for k, v in node.value:
                if not isinstance(k, ScalarNode):
                    self.problems.append(
                        LoadProblem(YAML_SYNTAX, _span(k), "a key must be plain text, not a list or mapping")
                    )
                    continue
                if k.tag not in (PLAIN, _STR):  # a key is text: '!!int 1:' or '!x goal:' was ignored
                    self._bad_tag(k, "a key")
                # Interned: the same few key names repeat in every map (~20 KB a map otherwise).
                name = intern(k.value)
                if name in out:
                    self._duplicate(node, k, name)
                    continue
                start, end = k.start_mark, k.end_mark
                if inline and isinstance(v, ScalarNode):
                    vstart, vend = v.start_mark, v.end_mark
                    records.extend(
                        (
                            start.line,
                            start.column,
                            end.line,
                            end.column,
                            len(names),
                            vstart.line,
                            vstart.column,
                            vend.line,
                            vend.column,
                            0,
                        )
                    )
                    kinds += _KEY_AND_SCALAR
                    names.append(name)
                    out[name] = self._scalar(v)
                    continue
                records.extend((start.line, start.column, end.line, end.column, len(names)))
                kinds.append(_SCALAR)
                names.append(name)
                out[name] = self.convert(v, depth + 1)
            records[at * _FIELDS + 4] = len(kinds) - at
            return out
        kinds.append(_SEQUENCE)
        items = []
        for item in node.value:
            if inline and isinstance(item, ScalarNode):
                start, end = item.start_mark, item.end_mark
                records.extend((start.line, start.column, end.line, end.column, 0))
                kinds.append(_SCALAR)
                items.append(self._scalar(item))
            else:
                items.append(self.convert(item, depth + 1))
        records[at * _FIELDS + 4] = len(kinds) - at
        return items

    def _scalar(self, node: ScalarNode) -> Any:
        """A scalar's value (its position is recorded by the caller)."""
        if node.tag != PLAIN:  # quoted, or tagged: !!str 5 is the text "5"
            return node.value if node.tag == _STR else self._tagged_scalar(node)
        value: str = node.value
        # Quoted, with the non-specific tag ('! "5"'): both parsers report it as plain
        # (libyaml marks plain scalars with style "", the pure-Python parser with None).
        if node.style:
            return value
        if value and value[0] not in _NUMBER_START:  # as plain_scalar, for all but numbers
            word = _WORDS.get(value, value)
            return value if word is not value and _non_specific(node) else word
        if _non_specific(node):
            return value
        return self._plain(node)

    def _duplicate(self, mapping: MappingNode, key: ScalarNode, name: str) -> None:
        # The first key of that name (a rare question: no table of them is kept for it).
        first = next(k for k, _ in mapping.value if isinstance(k, ScalarNode) and k.value == name)
        self.problems.append(
            LoadProblem(
                DUPLICATE_KEY,
                _span(key),
                f"duplicate key '{shorten(name)}' (first defined on line "
                f"{first.start_mark.line + 1}); the later value is ignored",
            )
        )

    def _plain(self, node: ScalarNode) -> Any:
        """A plain scalar's value; a number no map can use (infinite, not a number, too many
        digits to read) is a finding, never a crash or a '$nan' on the site."""
        try:
            value = plain_scalar(node.value)
            if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
                raise ValueError  # 0x and 0o numbers are read at any length, not written
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            self.problems.append(
                LoadProblem(
                    SCHEMA,
                    _span(node),
                    f"a number of {len(node.value):,} digits is too long to read; write a smaller number",
                )
            )
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            problem = LoadProblem(
                SCHEMA,
                _span(node),
                f"'{shorten(node.value)}' is not a finite number; journey maps need finite numbers",
            )
            self.problems.append(problem)
            self.non_finite.append(problem)
        return value

    def _tagged_scalar(self, node: ScalarNode) -> Any:
        """The value of a scalar tagged !!int, !!float, !!bool or !!null (quoted or not, as
        YAML reads ``!!int "5"``); a finding for a text that is not one, or another tag."""
        found = _TAGGED.get(node.tag)
        if found is None:
            self._bad_tag(node)
            return node.value
        types, words = found
        problems = len(self.problems)
        value = self._plain(node)
        if len(self.problems) > problems:  # a number too long to read: said once, not twice
            return value
        if type(value) in types:  # not isinstance: True is an int, and !!int true is no number
            return float(value) if types[0] is float else value
        self.problems.append(
            LoadProblem(
                YAML_SYNTAX,
                _span(node),
                f"'{shorten(node.value)}' is tagged {tag_name(node.tag)} but is not {words}; "
                "correct the value or remove the tag",
            )
        )
        return node.value

    def _bad_tag(self, node: Node, what: str = "") -> None:
        """A tag the node cannot have; ``what``: "a key", for a key's."""
        kinds = {ScalarNode: "a text", MappingNode: "a mapping", SequenceNode: "a list"}
        known = node.tag in _TAGGED or node.tag == _STR or node.tag in _COLLECTION_TAGS.values()
        why = f"cannot be on {what or kinds[type(node)]}" if known else "is not supported in journey maps"
        kept = "a key is text" if what else _VALUES
        self.problems.append(
            LoadProblem(
                YAML_SYNTAX,
                _span(node),
                f"YAML tag '{shorten(tag_name(node.tag))}' {why}; remove the tag ({kept})",
            )
        )


def _non_specific(node: ScalarNode) -> bool:
    """Whether a plain scalar was written with YAML's non-specific tag (``! 5``), which makes
    it text ("5"). Both parsers hand it over as an untagged plain scalar (the '!' is gone;
    libyaml alone made ``!`` with nothing after it text), but its start is the tag's: the
    node is wider than its value. Asked only of values that would not be text (numbers,
    true, null), which are written on one line, so the widths compare."""
    start, end = node.start_mark, node.end_mark
    return start.line == end.line and end.column - start.column != len(node.value)


_VALUES = "a value is text, a number, true or false, null, a list or a mapping"


def tag_name(tag: str) -> str:
    """A tag as it is written: ``!!int`` for ``tag:yaml.org,2002:int``."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
