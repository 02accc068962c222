"""The YAML parsers a map can be read with (libyaml's, else PyYAML's pure-Python one), made
to resolve no type themselves: every plain scalar arrives as text, typed later by the
loader as YAML 1.2 would."""

from __future__ import annotations

from typing import Any, ClassVar

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

#: The tag an untagged plain scalar gets: its type is read from its text later (YAML 1.2
#: typing, in loader.plain_scalar). Not ``!!str``: an explicit ``!!str 5`` got that same tag, so
#: it could not be told from a plain ``5`` and was read as the number.
PLAIN = "tag:journeymaps,2026:plain"


class _Unresolved(BaseResolver):
    """No implicit or path resolvers: an untagged plain scalar gets :data:`PLAIN`, an
    untagged quoted one ``!!str``, a collection its kind's default tag (a tagged node keeps
    its tag: the composer asks only about untagged ones).

    The composer asks for every node; BaseResolver's general methods, finding nothing to
    do, cost ~0.8 s per 1,000 maps of lint time, so they are answered directly.
    """

    _TAGS: ClassVar[dict[type[Node], str]] = {
        SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
        MappingNode: BaseResolver.DEFAULT_MAPPING_TAG,
    }

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:  # implicit: (plain and untagged, quoted and untagged)
            return PLAIN if implicit[0] else BaseResolver.DEFAULT_SCALAR_TAG
        return self._TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _PythonComposer(Reader, Scanner, Parser, Composer, _Unresolved):
    """PyYAML's pure-Python parser: the fallback where libyaml is missing."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Unresolved.__init__(self)


#: The parsers a document can be composed with, by name; each parses to the same node tree.
#: Their limits differ (libyaml stops nesting at 1,000 levels with an error of its own, the
#: pure-Python composer recurses until Python's stack ends), so the loader enforces its own,
#: lower limit and words it the same whatever parser ran.
PARSERS: dict[str, type[Any]] = {"python": _PythonComposer}
#: The pure-Python event parser for each: the event stream needed to find anchors.
EVENT_LOADERS: dict[str, type[Any]] = {"python": yaml.SafeLoader}

try:  # libyaml is the speed floor of the whole tool; the pure-Python parser is the fallback.
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _LibyamlComposer(CParser, _Unresolved):
        """libyaml's parser with no implicit resolvers: every plain scalar arrives as text."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _Unresolved.__init__(self)

    PARSERS["libyaml"] = _LibyamlComposer
    EVENT_LOADERS["libyaml"] = yaml.CSafeLoader
    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - exercised only where libyaml is missing
    HAVE_LIBYAML = False

#: The parser used unless one is named.
DEFAULT_PARSER = "libyaml" if HAVE_LIBYAML else "python"


def compose(text: str, parser: str) -> Node | None:
    """The node tree of ``text`` (None for an empty document); YAML errors propagate."""
    composer = PARSERS[parser](text)
    try:
        return composer.get_single_node()  # type: ignore[no-any-return]
    finally:
        composer.dispose()


def empty_document() -> Node:
    """A document with nothing in it: a null at 1:1."""
    node = ScalarNode(PLAIN, "", None, None)
    node.start_mark = node.end_mark = _Mark0()
    return node


class _Mark0:
    line = 0
    column = 0
