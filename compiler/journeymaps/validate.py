"""Check plain data against the JSON Schemas in ``schema/`` and explain failures in user words.

The Rust validator (jsonschema-rs) answers "is it valid?" for every file, which keeps
validation a small share of lint time. Only files that fail are walked again with the
pure-Python ``jsonschema`` to pick the best match among ``oneOf`` branches and word each error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymaps.diagnostics import FILE_START, shorten
from journeymaps.loader import JsonPath, LoadProblem, Source, path_text, plain_scalar, tag_name
from journeymaps.rules.input import SCHEMA
from journeymaps.windows_names import device_name
from journeymaps.yaml_parsers import PLAIN

#: Which schema each kind of file follows.
SCHEMA_FILES: dict[str, str] = {
    "map": "journey-map.schema.json",
    "teams": "teams.schema.json",
    "personas": "personas.schema.json",
    "config": "config.schema.json",
}

_WHAT: dict[str, str] = {
    "map": "a journey map needs id, title and stages",
    "teams": "teams.yaml needs a list under 'teams'",
    "personas": "personas.yaml needs a list under 'personas'",
    "config": "settings",
}


def schema_dir() -> Path:
    """The shipped schemas: inside the installed package, or the repository's ``schema/``."""
    # The package's own folder, as importlib.resources would give it for an installed (never
    # zipped) package, without importing importlib.resources and its tempfile and zipfile.
    packaged = Path(__file__).resolve().parent / "schema"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schema"


@cache
def schema(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((schema_dir() / SCHEMA_FILES[kind]).read_text("utf-8"))
    return data


@cache
def _fast(kind: str) -> Any:
    return jsonschema_rs.validator_for(schema(kind), validate_formats=True, formats={"date": _is_date})


def _is_date(text: str) -> bool:
    """The ``date`` format as the explaining validator and the model read it: Python's
    calendar. RFC 3339's, which jsonschema-rs checks, has a year 0000 that Python has not, so
    such a date passed as valid and then broke the model."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@cache
def _slow(kind: str) -> Any:
    import jsonschema  # imported on first failure only: it is slow to import

    base = jsonschema.validators.validator_for(schema(kind))
    items = base.VALIDATORS["items"]

    def bounded_items(validator: Any, each: Any, instance: Any, schema_part: Any) -> Iterator[Any]:
        """Items past a list's ``maxItems`` are not explained: the list is too long, and
        that one finding is enough. Explaining them all made the cost of a bad file grow
        with its size (~1 ms per stage)."""
        limit = schema_part.get("maxItems")
        if isinstance(limit, int) and isinstance(instance, list) and len(instance) > limit:
            instance = instance[:limit]
        yield from items(validator, each, instance, schema_part)

    cls = jsonschema.validators.extend(
        base, {"uniqueItems": _unique_items, "items": bounded_items, "pattern": _pattern}
    )
    return cls(schema(kind), format_checker=base.FORMAT_CHECKER)


def _pattern(validator: Any, pattern: str, instance: Any, schema_part: Any) -> Iterator[Any]:
    """``pattern`` as JSON Schema (ECMA 262) reads it, where ``$`` is the end of the text.
    jsonschema uses Python's ``re``, whose ``$`` also matches before a final line break: an
    id "login-fails\\n" passed, and the site got a page of that name."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    # The schemas' patterns have `$` only at their end; `\Z` is Python's end of the text.
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


def _unique_items(validator: Any, unique: bool, instance: Any, schema_part: Any) -> Iterator[Any]:
    """``uniqueItems`` in one pass over hashed items. jsonschema's own falls back to
    comparing every pair when items are lists or mappings: a list of 20,000 such tags took
    minutes to explain."""
    from jsonschema.exceptions import ValidationError

    if not unique or not isinstance(instance, list):
        return
    seen: set[Any] = set()
    for item in instance:
        key = _comparable(item)
        if key in seen:
            yield ValidationError("has non-unique elements")
            return
        seen.add(key)


def _comparable(value: Any) -> Any:
    """A hashable stand-in equal for values JSON Schema calls equal (1 and 1.0; not true and 1)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(_comparable(v) for v in value))
    if isinstance(value, dict):
        return ("map", frozenset((k, _comparable(v)) for k, v in value.items()))
    return ("number", value) if isinstance(value, (int, float)) else (type(value).__name__, value)


def validate(src: Source, kind: str) -> list[LoadProblem]:
    """Every schema problem of one parsed file, each at its key or value."""
    data = src.data
    if data is None:
        return [LoadProblem(SCHEMA, FILE_START, f"the file is empty; {_WHAT[kind]}")]
    if _fast(kind).is_valid(data):
        return []
    if kind == "map" and (foreign := _not_a_map(data)):
        return [LoadProblem(SCHEMA, FILE_START, foreign)]
    if kind in _REGISTRY_KEYS and (misnamed := _misnamed(data, kind)):
        return [LoadProblem(SCHEMA, FILE_START, misnamed)]
    # A value the loader already reported (an infinite number, say) is not reported twice.
    known = {p.span for p in src.problems}
    found = [
        LoadProblem(SCHEMA, src.span(path, key=key), message)
        for path, key, message in explain(data, kind, src)
    ] or _unexplained(src, kind)
    return [p for p in found if p.span not in known]


#: How the finding on a file that is no journey map begins: lint counts such files apart
#: from the maps (see :func:`not_a_map`).
NOT_A_MAP = "this is not a journey map"


def not_a_map(src: Source) -> bool:
    """Whether ``src``, read as a map, was found to be another kind of file: one said so, or
    one whose top is text or a list holding no map (a list of words, a note): each was
    counted as a map and "checked no further than its format errors". An empty file, or a
    map written under a ``- `` by mistake, is a map to fix."""
    if any(p.rule == SCHEMA and p.message.startswith(NOT_A_MAP) for p in src.problems):
        return True
    data = src.data
    if data is None or isinstance(data, dict) or not any(p.rule == SCHEMA for p in src.problems):
        return False
    keys = _map_keys()
    return not (isinstance(data, list) and any(isinstance(i, dict) and keys.intersection(i) for i in data))


def _not_a_map(data: Any) -> str | None:
    """Why a mapping with none of a map's keys is another tool's file (a docker-compose.yml
    or a workflow met by ``lint .``), or a registry under another name, in one finding;
    None for anything else. Each of its keys was an "unknown key" error (``teams``: "did you
    mean 'tags'?"), beside a "missing required key 'id'", which read as a broken map."""
    if not isinstance(data, dict) or not data:
        return None
    if len(data) == 1 and (key := next(iter(data))) in _REGISTRY_KEYS:
        # Its key alone says what it is, whatever its value (``teams: {support: ...}``).
        what = f"a list of {key}" if isinstance(data[key], list) else f"a {key} file"
        return (
            f"{NOT_A_MAP} but {what}: journeymaps reads one only from a file named "
            f"{key}.yaml (or {key}.yml), in a maps folder: rename it"
        )
    keys_known = sorted(_map_keys())
    if any(key in keys_known or _suggest(key, keys_known) for key in data):  # a map, misspelt
        return None
    keys = [k for k in data if isinstance(k, str)][:3]
    named = (
        f" ({', '.join(shorten(k) for k in keys)}{', ...' if len(data) > len(keys) else ''})" if keys else ""
    )
    return (
        f"{NOT_A_MAP}: none of its keys{named} is a map's ({_WHAT['map']}); "
        "every YAML file under the paths given is read as a map: name the maps' folder "
        "instead, or leave this file out with the settings' exclude"
    )


#: The list key of each registry file (teams.yaml holds ``teams``).
_REGISTRY_KEYS = ("teams", "personas")


def _misnamed(data: Any, kind: str) -> str | None:
    """Why a registry file (``kind``: teams or personas, by its name) is another kind of file
    under that name, in one finding; None otherwise. A map saved as teams.yaml had an
    "unknown key" error for each of its keys and "missing required key 'teams'"; a teams
    list saved as personas.yaml, "unknown key 'teams'"."""
    if not isinstance(data, dict) or kind in data:
        return None
    if "stages" in data or ("id" in data and "title" in data):
        named = data.get("id")
        rename = f" (its id: {shorten(named)}.yaml)" if isinstance(named, str) and named else ""
        return (
            f"this is a journey map, but journeymaps reads a file named {kind}.yaml as the list "
            f"of {kind}: rename it{rename}"
        )
    other = next((k for k in _REGISTRY_KEYS if k != kind and k in data), None)
    if other is None:
        return None
    return (
        f"this is a list of {other}, not of {kind}: journeymaps reads {other} only from a file "
        f"named {other}.yaml (or {other}.yml): rename it"
    )


#: What a registry's key at the top of a map says instead of a spelling's guess: ``teams``
#: was "did you mean 'tags'?", no help.
_LISTED_ELSEWHERE = {
    "teams": " (teams are listed in teams.yaml in the maps folder; a map names its team with owner)",
    "personas": (
        " (shared personas are listed in personas.yaml in the maps folder; a map names its own with persona)"
    ),
}


@cache
def _map_keys() -> frozenset[str]:
    return frozenset(schema("map")["properties"])


def _unexplained(src: Source, kind: str) -> list[LoadProblem]:
    """The fast validator's own words, where it rejects a file the explaining one finds
    nothing in: the two read a few things differently (a year 0000, a ``$`` before a final
    line break, each since mended), and such a file passed lint silently, then broke the
    build. A file either validator rejects is never let through."""
    errors = list(_fast(kind).iter_errors(src.data))[:20]
    return [
        LoadProblem(
            SCHEMA,
            src.span(path := tuple(error.instance_path), key=False),
            f"{where(path) or 'the file'}: {shorten(error.message, 200)}",
        )
        for error in errors
    ]


#: What an unknown key's message suggests instead (see :func:`_suggest`).
_SUGGESTED = re.compile(r"\(did you mean '([^']*)'\?\)")


def explain(data: Any, kind: str, src: Source | None = None) -> Iterator[tuple[JsonPath, bool, str]]:
    """(path, point-at-key, message) for every error, best ``oneOf`` branch first.

    Every unknown key of a mapping is its own error (a newcomer's map with three typos gets
    all three in one run); ``src``, when given, lets the message see how the YAML was
    written (the comma trap of flow mappings). A required key that an unknown key of the
    same mapping is the misspelling of is not also said to be missing: "missing required
    key 'summary'", at the item's first line, came before the one error that said what to
    fix ("unknown key 'sumary' ... did you mean 'summary'?"), at its line.
    """
    found = list(_explained(data, kind, src))
    misspelt = {
        (path[:-1], m[1])
        for path, at_key, message in found
        if at_key and message.startswith("unknown key") and (m := _SUGGESTED.search(message))
    }
    for path, at_key, message in found:
        m = _MISSING.search(message)
        if m is not None and not at_key and (path, m[1]) in misspelt:
            continue
        yield path, at_key, message


#: The key a "missing required key" message names.
_MISSING = re.compile(r"missing required key '([^']*)'$")


def _explained(data: Any, kind: str, src: Source | None = None) -> Iterator[tuple[JsonPath, bool, str]]:
    """:func:`explain`'s errors, each said once."""
    from jsonschema.exceptions import best_match, relevance

    nodes = _Nodes(src)
    seen: set[tuple[JsonPath, str]] = set()
    for error in sorted(_slow(kind).iter_errors(data), key=relevance):
        path: JsonPath = tuple(error.absolute_path)
        if error.context:
            # Errors from branches of the value's own type explain it; a branch that wants
            # another type ("expected text, got a mapping") does not.
            same_type = [e for e in error.context if e.validator != "type" or e.relative_path]
            if not same_type:
                expected = " or ".join(
                    dict.fromkeys(
                        _TYPE_WORDS.get(e.validator_value, str(e.validator_value)) for e in error.context
                    )
                )
                got = describe(error.instance) if path else what_it_is(error.instance)
                message = f"{where(path) or 'the file'}: expected {expected}, got {got}"
                if (path, message) not in seen:
                    seen.add((path, message))
                    yield path, False, message
                continue
            error = best_match(same_type)
            path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            for name, message in _unknown_keys(error, path, nodes):
                if (path, message) not in seen:
                    seen.add((path, message))
                    yield (*path, name), True, message
            continue
        key, message = _word(error, path, kind, nodes)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        yield ((*path, key) if isinstance(key, str) else path), isinstance(key, str), message


where = path_text


def describe(value: Any) -> str:
    """A value as a user would name it (at most 40 characters of it)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return shorten(repr(value))
    if isinstance(value, str):
        return f"'{shorten(value)}'"
    return what_it_is(value)


def what_it_is(value: Any) -> str:
    """The kind of a value, none of its content: what a file that is not a map at all (a
    linked secret, a log) is described as."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (dt.date, dt.time)):  # TOML's own (holidays = [2026-12-25]): no mapping
        return "a TOML date or time (put it in quotes to keep it as text)"
    return "a mapping"


_TYPE_WORDS = {
    "object": "a mapping (key: value pairs)",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO"}


def _suggest(word: Any, choices: list[str]) -> str:
    if not isinstance(word, str):
        return ""
    import difflib  # here: only a misspelt key or value needs it

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _keys_hint(schema_part: dict[str, Any]) -> str:
    """What a mapping written as one value should hold: "expected a mapping, got '50% fewer
    tickets'" did not say which keys (``kpi: {name: CSAT, target: 0.9}``)."""
    keys = [k for k in schema_part.get("properties", {}) if isinstance(k, str)]
    if not keys:
        return ""
    required = [k for k in schema_part.get("required", []) if k in keys]
    shown = ", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "")
    example = ", ".join(f"{k}: ..." for k in required[:3])
    return f" (its keys: {shown}; e.g. {{{example}}})" if example else f" (its keys: {shown})"


def _word(error: Any, path: JsonPath, kind: str, nodes: _Nodes) -> tuple[str | None, str]:
    """A message in the user's words, and the key to point at (None: the value itself)."""
    at = where(path)
    prefix = f"{at}: " if at else ""
    value, rule, schema_part = error.instance, error.validator, error.schema
    if rule == "required":
        missing = [k for k in error.validator_value if k not in value]
        name = missing[0] if missing else "?"
        if (not at and value == {}) or (not at and kind != "config" and not isinstance(value, dict)):
            return None, f"{_WHAT[kind]}; missing '{name}'"
        return None, f"{prefix}missing required key '{name}'"
    if rule == "type":
        expected = error.validator_value
        words = (
            _TYPE_WORDS.get(expected, str(expected))
            if isinstance(expected, str)
            else " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        )
        if not path:
            return None, f"expected {words} at the top of the file, got {what_it_is(value)}; {_WHAT[kind]}"
        hint = ""
        if expected == "boolean" and isinstance(value, str) and value in _YAML11_BOOLS:
            hint = " (journey maps read YAML 1.2: write true or false)"
        if expected in ("integer", "number") and isinstance(value, str):
            hint = _number_hint(value, path, schema_part, nodes)
        if expected == "string" and (value is None or isinstance(value, (bool, int, float))):
            hint = " (put it in quotes to keep it as text)"
        if expected == "object" and not isinstance(value, (dict, list)):
            hint = _keys_hint(schema_part)  # kpi: 50% fewer tickets
        # next: contact, tags: billing, addresses: slow-reply
        one = expected == "array" and isinstance(value, str) and _ONE_ID.match(value)
        if one and _takes_text(schema_part.get("items", {}), kind):
            hint = f" (a list of one is written [{value}])"
        return None, f"{prefix}expected {words}, got {describe(value)}{hint}"
    if rule == "enum":
        choices = [str(c) for c in error.validator_value]
        return (
            None,
            f"{prefix}{describe(value)} is not one of {', '.join(choices)}{_enum_hint(value, choices)}",
        )
    if rule == "const":
        return None, f"{prefix}must be {describe(error.validator_value)}"
    if rule in ("minimum", "exclusiveMinimum"):
        return None, f"{prefix}{describe(value)} is below the minimum of {error.validator_value}"
    if rule in ("maximum", "exclusiveMaximum"):
        return None, f"{prefix}{describe(value)} is above the maximum of {error.validator_value}"
    if rule == "minLength":
        return None, f"{prefix}must not be empty"
    if rule == "minItems":
        n = error.validator_value
        return None, f"{prefix}needs at least {n} item{'s' if n != 1 else ''}"
    if rule == "uniqueItems":
        return None, f"{prefix}lists the same item twice"
    if rule == "maxItems":
        return None, f"{prefix}too many items ({len(value):,}; at most {error.validator_value:,})"
    if rule == "maxLength":
        return None, f"{prefix}too long ({len(value):,} characters; at most {error.validator_value:,})"
    if rule in ("pattern", "format"):
        return None, f"{prefix}{describe(value)} {_format_words(schema_part, value)}"
    return None, f"{prefix}{error.message}"


#: A value that reads the same as the only item of a flow list: ``[contact]``.
_ONE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\Z")


def _takes_text(items: Any, kind: str, depth: int = 0) -> bool:
    """Whether a list's items may be text (an id or a word), following ``$ref`` and the
    choices of ``oneOf``/``anyOf``."""
    if not isinstance(items, dict) or depth > 5:
        return False
    ref = items.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _takes_text(schema(kind).get("$defs", {}).get(ref.removeprefix("#/$defs/")), kind, depth + 1)
    kinds = items.get("type")
    if kinds == "string" or (isinstance(kinds, list) and "string" in kinds):
        return True
    choices = [*items.get("oneOf", ()), *items.get("anyOf", ())]
    return any(_takes_text(choice, kind, depth + 1) for choice in choices)


def _unknown_keys(error: Any, path: JsonPath, nodes: _Nodes) -> Iterator[tuple[str, str]]:
    """One message per unknown key, in the order written: the closest allowed key, the
    allowed keys of that object, and the comma trap when the YAML shows it."""
    schema_part, value = error.schema, error.instance
    allowed = list(schema_part.get("properties", {}))
    extension = "^x-" in schema_part.get("patternProperties", {})
    where_hint = f" in {where(path)}" if path else ""
    listed = ", ".join(allowed) + (", or an x- key of your own" if extension else "")
    for name in value:
        if not isinstance(name, str) or name in allowed or _pattern_ok(name, schema_part):
            continue
        cut = _after_plain_in_flow(nodes, path, name)
        trap = _COMMA_TRAP.format(shorten(f"{cut}, {name}")) if cut is not None else ""
        at_top = not path and "stages" in allowed  # a map's own keys
        hint = _LISTED_ELSEWHERE.get(name, "") if at_top else ""
        yield (
            name,
            (
                f"unknown key '{shorten(name)}'{where_hint}{hint or _suggest(name, allowed)}{trap}"
                f"; allowed here: {listed}"
            ),
        )


_COMMA_TRAP = (
    ": inside {{ }} a comma ends an unquoted value, so '{}' was split here;"
    " put text that contains commas in quotes"
)


class _Nodes:
    """The file's YAML nodes for the hints of one file: composed at most once, and each
    mapping's keys indexed the first time it is looked into. A hint per unknown key composed
    the whole file again (4,000 unknown keys took minutes)."""

    def __init__(self, src: Source | None) -> None:
        self._src = src
        self._root: Node | None = None
        self._composed = False
        self._keys: dict[int, dict[str, int]] = {}

    def at(self, path: JsonPath) -> Node | None:
        """The node of the value at ``path``, or None."""
        if self._src is None:
            return None
        if not self._composed:
            self._root, self._composed = self._src.nodes(), True
        node = self._root
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str):
                i = self.index(node).get(part)
                node = None if i is None else node.value[i][1]
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node

    def index(self, node: MappingNode) -> dict[str, int]:
        """Where each key of ``node`` is first written among its pairs."""
        if id(node) not in self._keys:
            keys: dict[str, int] = {}
            for i, (k, _) in enumerate(node.value):
                if isinstance(k, ScalarNode):
                    keys.setdefault(k.value, i)
            self._keys[id(node)] = keys
        return self._keys[id(node)]


def _after_plain_in_flow(nodes: _Nodes, path: JsonPath, name: str) -> str | None:
    """The unquoted value before ``name`` when ``name`` is a key with no value after it in a
    flow mapping: ``{name: asks again, by email}`` split at the comma (None otherwise)."""
    node = nodes.at(path)
    if not isinstance(node, MappingNode) or not node.flow_style:
        return None
    i = nodes.index(node).get(name)
    if i is None:
        return None
    pairs = node.value
    v = pairs[i][1]
    before = pairs[i - 1][1] if i else None
    # Plain style is None for PyYAML's parser and "" for libyaml's.
    empty = isinstance(v, ScalarNode) and v.value == "" and not v.style
    plain = isinstance(before, ScalarNode) and not before.style and before.value != ""
    return str(before.value) if empty and plain and before is not None else None


#: Words people write for an allowed value, and the value they mean.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "done": ("shipped", "resolved"),
    "complete": ("shipped", "resolved"),
    "completed": ("shipped", "resolved"),
    "released": ("shipped",),
    "live": ("shipped",),
    "fixed": ("resolved", "shipped"),
    "closed": ("resolved", "shipped"),
    "wip": ("in-progress",),
    "doing": ("in-progress",),
    "started": ("in-progress",),
    "ongoing": ("in-progress",),
    "idea": ("proposed",),
    "new": ("proposed", "open"),
    "todo": ("proposed", "open"),
    "backlog": ("proposed",),
    "scheduled": ("planned",),
    "cancelled": ("dropped",),
    "canceled": ("dropped",),
    "abandoned": ("dropped",),
    "rejected": ("dropped",),
    "wontfix": ("dropped",),
    "partial": ("mitigated",),
    "workaround": ("mitigated",),
    "med": ("medium",),
    "mid": ("medium",),
    "hi": ("high",),
    "lo": ("low",),
}


def _enum_hint(value: Any, choices: list[str]) -> str:
    """``(did you mean …?)`` by spelling, else by meaning (``done`` → ``shipped``)."""
    close = _suggest(value, choices)
    if close or not isinstance(value, str):
        return close
    meant = next((c for c in _SYNONYMS.get(value.strip().lower(), ()) if c in choices), None)
    return f" (did you mean '{meant}'?)" if meant else ""


def _number_hint(value: str, path: JsonPath, schema_part: dict[str, Any], nodes: _Nodes) -> str:
    """Quotes are the problem only when the text would be a number without them (YAML
    1.2's number syntax, not Python's: an unquoted ``1_0`` is text, and has no quotes to
    remove); words need another hint. A number written plain is text only by its tag
    (``!!str 5``, or YAML's non-specific ``! 5``): the tag is what to remove."""
    try:
        number = not isinstance(plain_scalar(value), str)
    except ValueError:  # more digits than Python reads: a number all the same
        number = True
    if number:
        node = nodes.at(path)
        if isinstance(node, ScalarNode) and not node.style:  # plain: None or "" by parser
            tag = "!" if node.tag == PLAIN else tag_name(node.tag)
            return f" (remove the '{tag}' tag if it is a number)"
        return " (remove the quotes if it is a number)"
    low, high = schema_part.get("minimum"), schema_part.get("maximum")
    # Signs only on a scale that goes below zero (emotion, -3 to +3): "from +0" read oddly.
    signed = "{:+d}" if isinstance(low, int) and low < 0 else "{:d}"
    scale = (
        f" from {signed.format(low)} to {signed.format(high)}"
        if isinstance(low, int) and isinstance(high, int)
        else ""
    )
    if path and path[-1] == "emotion":
        words = "feels" if "steps" in path else "feeling"
        return f" (emotion is a score{scale}, e.g. -2 for frustrated; write the words under {words}:)"
    return f" (write a number{scale})"


def _why_not_a_day(value: object) -> str:
    """What is wrong with a date written in the right form (``2026-13-01``: no month 13;
    ``2026-02-30``: February has 28 days), which "(YYYY-MM-DD)" alone did not say: it was
    written so. Any other text is told the form."""
    import calendar
    import re

    shaped = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value) if isinstance(value, str) else None
    if shaped is None:
        return " (YYYY-MM-DD)"
    year, month, day = (int(part) for part in shaped.groups())
    if year == 0:
        return ": there is no year 0"
    if not 1 <= month <= 12:
        return f": there is no month {month} (YYYY-MM-DD: the month comes before the day)"
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return " (YYYY-MM-DD)"
    return f": {_MONTHS[month - 1]} {year} has {days} days"


#: In English whatever the locale (calendar.month_name follows it).
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _pattern_ok(key: str, schema_part: dict[str, Any]) -> bool:
    import re

    return any(re.search(p, key) for p in schema_part.get("patternProperties", {}))


def id_problem(value: str, definition: str = "id") -> str | None:
    """Why ``value`` is not an id as the map schema defines one (``$defs.id``, or
    ``"teamId"``), in the words lint would use for it in a map; None when it is one. What
    ``new`` and ``import`` are given on the command line is checked by this, before a map that
    lint would refuse (or a file name the system refuses) is written."""
    part = schema("map")["$defs"][definition]
    if (long := too_long(value, definition, "an id")) is not None:
        return long
    if not _ecma_regex(part["pattern"]).search(value):
        return f"{describe(value)} {_format_words(part, value)}"
    if definition == "id" and device_name(value) is not None:
        # a map's id names its file and page: lint refuses it (windows-reserved-name)
        return (
            f"{describe(value)} is a name Windows keeps for a device: a Windows checkout could not "
            "hold its file and page; choose another id"
        )
    return None


def too_long(value: str, definition: str, what: str) -> str | None:
    """Why ``value`` is longer than the map schema's ``$defs`` ``definition`` allows, in the
    words lint uses; None when it is not (``new --title``, before a map lint refuses is
    written)."""
    limit = schema("map")["$defs"][definition].get("maxLength")
    if isinstance(limit, int) and len(value) > limit:
        return f"{describe(value)} is too long ({len(value):,} characters; {what} has at most {limit:,})"
    return None


def _format_words(schema_part: dict[str, Any], value: object = None) -> str:
    if schema_part.get("format") == "date":
        return "is not a valid date" + _why_not_a_day(value)
    desc = schema_part.get("description", "")
    if desc.startswith("A team id"):
        # `owner: Customer Support`, the team's name as teams.yaml shows it: "not a valid id,
        # e.g. 'login-fails'" did not say an owner is a team's id.
        return (
            "is not a team id: name the team by its id in teams.yaml (lowercase letters, digits "
            "and single hyphens, e.g. 'support'), not by its name"
        )
    if "kebab-case" in desc:
        # `journeymaps new "Refund Request"`, `id: My Map`: the id it could be, not an unrelated
        # 'login-fails' the newcomer had to turn their words into by hand.
        from journeymaps.mermaid import slug

        made = slug(value) if isinstance(value, str) else ""
        example = made if made and made != value else "login-fails"
        return f"is not a valid id: use lowercase letters, digits and single hyphens, e.g. '{example}'"
    if "duration" in desc.lower():
        return (
            "is not a duration: write a number and m, h, d or w (calendar time, e.g. 30m, 4h, 2d),"
            " or bh or bd (business hours or days, e.g. 4bh, 2bd)"
        )
    if desc.startswith("A step"):
        return "is not a step reference: write stage-id.step-id"
    if "stage-id.step-id" in desc:
        return "is not a reference: write stage-id or stage-id.step-id"
    return f"does not match the expected form ({desc or schema_part.get('pattern')})"
