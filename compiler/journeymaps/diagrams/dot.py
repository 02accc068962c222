"""DOT source written line by line: the part of ``graphviz.Digraph`` the views use, with the
same output, at a fraction of its cost.

Building DOT through the ``graphviz`` package took about 4.5 ms per diagram, half of the
layout time itself (its quoting runs several regular expressions and an argument-checking
wrapper per attribute), and a site draws two diagrams per map. This writer quotes the same way
(a test checks it gives the package's bytes for every view), with two differences that only
make it stricter: a string is never taken as an HTML-like label (the embedded Graphviz cannot
draw them, so everything is quoted text), and a string that would end a quoted ID with a lone
backslash is refused instead of warned about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: A DOT ID that needs no quotes (graphviz.quoting.ID).
_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$")
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
#: '"' not already escaped, after any number of escaped backslashes (\" is taken as ").
_QUOTE = re.compile(r'(?P<backslashes>(?:\\{2})*)\\?(?P<quote>")')
_ODD_BACKSLASHES = re.compile(r"(?<!\\)(?:\\{2})*\\$")

# Names, attribute keys and values repeat a lot (shapes, colours, styles): quoted once each.
_quoted: dict[str, str] = {}


def quote(text: str) -> str:
    """``text`` as a DOT ID: bare when DOT allows it, else double-quoted."""
    done = _quoted.get(text)
    return done if done is not None else _quote(text)


def _quote(text: str) -> str:
    """:func:`quote` for a text not in ``_quoted`` (callers look it up inline: most are)."""
    if _ID.match(text) and text.lower() not in _KEYWORDS:
        done = text
    else:
        if text.endswith("\\") and _ODD_BACKSLASHES.search(text):
            raise ValueError(f"a DOT string cannot end with a lone backslash: {text!r}")
        done = '"' + (_QUOTE.sub(r"\g<backslashes>\\\g<quote>", text) if '"' in text else text) + '"'
    if len(text) <= 64:  # labels are long and seldom repeat: keep the cache to the short ones
        if len(_quoted) >= 50_000:  # bounded, for long-running processes (serve)
            _quoted.clear()
        _quoted[text] = done
    return done


def _endpoint(name: str) -> str:
    """A node in an edge statement: ``node[:port[:compass]]`` (graphviz.quoting.quote_edge)."""
    if ":" not in name:
        return _quoted.get(name) or _quote(name)
    node, _, rest = name.partition(":")
    port, _, compass = rest.partition(":")
    return f"{quote(node)}:{quote(port)}:{compass}" if compass else f"{quote(node)}:{quote(port)}"


def _attributes(label: str | None, attrs: dict[str, str | None]) -> str:
    """`` [label=… key=value …]``: the label first, then the keys sorted, None left out."""
    # A site draws two diagrams per map with ~250 attribute lists each, in the drawing
    # workers the build waits for: the same lists recur (invisible edges, spacers, styles),
    # so each list's text is kept by its items as given (sorting and joining them again was
    # a third of writing the DOT); the label's quoting is read from the cache inline. A
    # list with an ``id`` is a shape's own and never recurs: it is written without being
    # kept (looking it up first, and keeping it, cost more than writing it).
    if "id" in attrs:
        listed = _written(attrs)
    else:
        key = tuple(attrs.items())
        kept = _lists.get(key)
        listed = kept if kept is not None else _list(key)
    if label is None:
        return f" [{listed}]" if listed else ""
    label_text = _quoted.get(label) or _quote(label)
    return f" [label={label_text} {listed}]" if listed else f" [label={label_text}]"


def _written(attrs: dict[str, str | None]) -> str:
    """The ``key=value`` statements of ``attrs``, keys sorted, None left out."""
    # A shape's list is written for it alone, but its keys recur (every step of a view
    # gives the same ones, in the same order): their sorted order and ``key=`` texts are
    # kept by the keys, so only the values are quoted (sorting the items and looking up
    # each pair cost ~60 % of writing a shape's list, issue 18).
    order = _orders.get(keys := tuple(attrs))
    if order is None:
        order = _order(keys)
    quoted = _quoted
    return " ".join(
        [
            prefix + (quoted.get(value) or _quote(value))
            for key, prefix in order
            if (value := attrs[key]) is not None
        ]
    )


#: ``(key, "key=")`` of a list's keys, sorted, by its keys in the order given.
_orders: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}


def _order(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if len(_orders) >= 10_000:  # bounded, for long-running processes (serve)
        _orders.clear()
    order = _orders[keys] = tuple((key, f"{quote(key)}=") for key in sorted(keys))
    return order


#: ``key=value key=value …`` of one attribute list, by its items as given.
_lists: dict[tuple[tuple[str, str | None], ...], str] = {}


def _list(items: tuple[tuple[str, str | None], ...]) -> str:
    """The items' ``key=value`` statements, keys sorted, None left out (kept in _lists)."""
    pairs = _pairs
    listed = " ".join(
        pairs.get(item) or _pair(item)  # type: ignore[arg-type]
        for item in sorted(items)
        if item[1] is not None
    )
    if len(_lists) >= 50_000:  # bounded, for long-running processes (serve)
        _lists.clear()
    _lists[items] = listed
    return listed


#: ``key=value`` statements already quoted, by (key, value).
_pairs: dict[tuple[str, str], str] = {}


def _pair(item: tuple[str, str]) -> str:
    key, value = item
    done = f"{quote(key)}={quote(value)}"
    if len(value) <= 64:  # as for _quoted: labels, links and tooltips seldom repeat
        if len(_pairs) >= 50_000:
            _pairs.clear()
        _pairs[item] = done
    return done


class Digraph:
    """A directed graph, or a subgraph of one, as DOT statements."""

    def __init__(
        self,
        name: str | None = None,
        graph_attr: dict[str, str] | None = None,
        node_attr: dict[str, str] | None = None,
        edge_attr: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.defaults = {"graph": graph_attr or {}, "node": node_attr or {}, "edge": edge_attr or {}}
        self.body: list[str] = []
        #: Before each statement: one tab more than the graph holding it. A subgraph's
        #: lines are written indented once, not indented again by every graph they are in.
        self._indent = "\t"

    def attr(self, kw: str | None = None, **attrs: str | None) -> None:
        """Attributes of the graph (``kw=None``: ``key=value`` lines) or defaults for
        ``graph``, ``node`` or ``edge``."""
        if not attrs:
            return
        if kw is None:
            self.body.append(f"{self._indent}{_attributes(None, attrs)[2:-1]}\n")
        elif kw in self.defaults:
            self.body.append(f"{self._indent}{kw}{_attributes(None, attrs)}\n")
        else:
            raise ValueError(f"attr statement must target graph, node, or edge: {kw!r}")

    def node(self, name: str, label: str | None = None, **attrs: str | None) -> None:
        self.body.append(f"{self._indent}{_quoted.get(name) or _quote(name)}{_attributes(label, attrs)}\n")

    def edge(self, tail: str, head: str, label: str | None = None, **attrs: str | None) -> None:
        self.body.append(f"{self._indent}{_endpoint(tail)} -> {_endpoint(head)}{_attributes(label, attrs)}\n")

    def nodes(self, names: Iterable[str], label: str | None = None, **attrs: str | None) -> None:
        """A node statement for each of ``names``, all with the same attributes (no ``id``:
        it names one shape), written once."""
        listed = _attributes(label, attrs)
        quoted, indent = _quoted, self._indent
        self.body += [f"{indent}{quoted.get(name) or _quote(name)}{listed}\n" for name in names]

    def edges(self, pairs: Iterable[tuple[str, str]], label: str | None = None, **attrs: str | None) -> None:
        """An edge statement for each ``(tail, head)`` of ``pairs``, all with the same
        attributes (no ``id``), written once: a diagram's scaffolding is mostly such runs."""
        listed = _attributes(label, attrs)
        indent = self._indent
        self.body += [f"{indent}{_endpoint(tail)} -> {_endpoint(head)}{listed}\n" for tail, head in pairs]

    def extend(self, statements: Iterable[str]) -> None:
        """Add statements written by :meth:`part` graph (e.g. kept from an earlier diagram)."""
        self.body += statements

    def part(self) -> Digraph:
        """An empty graph whose statements are written as this graph's are, for
        :meth:`extend`: a piece made once and added to many diagrams (a legend)."""
        piece = Digraph()
        piece._indent = self._indent
        return piece

    @property
    def depth(self) -> int:
        """How deep in subgraphs this graph's statements are (0: the graph's own)."""
        return len(self._indent) - 1

    def subgraph(self, name: str | None = None) -> _Subgraph:
        """A subgraph (a cluster when its name starts with ``cluster``), added on leaving."""
        return _Subgraph(self, name)

    def lines(self) -> Iterator[str]:
        named = f"{quote(self.name)} " if self.name else ""
        yield f"digraph {named}{{\n"
        yield from self._inside()
        yield "}\n"

    def _inside(self) -> Iterator[str]:
        """The statements between the braces."""
        for kw, attrs in self.defaults.items():
            if attrs:
                yield f"{self._indent}{kw}{_attributes(None, dict(attrs))}\n"
        yield from self.body

    @property
    def source(self) -> str:
        return "".join(self.lines())


class _Subgraph:
    """``with graph.subgraph(name) as sub:``: the subgraph's statements join its graph's on
    leaving without an error (a class: the generator of contextlib.contextmanager cost a
    twentieth of writing a diagram's DOT)."""

    __slots__ = ("graph", "sub")

    def __init__(self, graph: Digraph, name: str | None) -> None:
        self.graph = graph
        self.sub = Digraph(name)
        self.sub._indent = graph._indent + "\t"

    def __enter__(self) -> Digraph:
        return self.sub

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            return
        sub, indent = self.sub, self.graph._indent
        named = f"{quote(sub.name)} " if sub.name else ""
        body = self.graph.body
        body.append(f"{indent}subgraph {named}{{\n" if named else f"{indent}{{\n")
        body.extend(sub._inside())
        body.append(f"{indent}}}\n")
