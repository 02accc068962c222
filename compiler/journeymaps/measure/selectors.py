"""Evidence selectors: ``tag:locked_out and not (channel:email or group:"Tier 2")``.

A selector names the tickets (or survey responses) an evidence entry stands for. It is
parsed here into a small tree, printed back in one canonical spelling (the key of its
numbers in a snapshot), and turned into a SQL predicate over the canonical columns every
source is normalised to (see :mod:`journeymaps.measure.sources`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from journeymaps.records import record

#: Fields a selector may test, and the canonical column each reads.
FIELDS: dict[str, str] = {"tag": "tags", "channel": "channel", "group": "grp", "form": "form"}


class SelectorError(ValueError):
    """A selector that does not parse; ``offset`` is 0-based in the selector's text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@record(slots=True)
class Atom:
    field: str
    value: str  # lower-case: exports disagree on case, people type either

    def __str__(self) -> str:
        return f"{self.field}:{_quote(self.value)}"


@record(slots=True)
class Not:
    operand: Node

    def __str__(self) -> str:
        return f"not {_wrap(self.operand, Not)}"


@record(slots=True)
class And:
    left: Node
    right: Node

    def __str__(self) -> str:
        return f"{_wrap(self.left, And)} and {_wrap(self.right, And)}"


@record(slots=True)
class Or:
    left: Node
    right: Node

    def __str__(self) -> str:
        return f"{_wrap(self.left, Or)} or {_wrap(self.right, Or)}"


Node = Atom | Not | And | Or
_PRECEDENCE = {Or: 1, And: 2, Not: 3, Atom: 4}


def _wrap(node: Node, parent: type) -> str:
    text = str(node)
    return f"({text})" if _PRECEDENCE[type(node)] < _PRECEDENCE[parent] else text


#: The deepest a selector nests parentheses and 'not's (a real one nests two or three).
MAX_DEPTH = 50


def _quote(value: str) -> str:
    """``value`` as a selector writes it, read back as the same value: quoted, with its
    quotes and backslashes escaped, when it holds a space, a bracket, a quote or a backslash
    (a value ending in a backslash was written back quoted, its backslash then escaping the
    closing quote: lint passed it, measure stopped with an internal error)."""
    plain = re.fullmatch(r"[^\s()\"\\]+", value) and value not in ("and", "or", "not")
    return value if plain else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<lparen>\()|(?P<rparen>\))
      |(?P<atom>(?P<field>[A-Za-z_][\w-]*):(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s()"]+)))
      |(?P<word>[^\s()"]+)""",
    re.X,
)


@record(slots=True)
class _Tok:
    kind: str  # atom | and | or | not | ( | ) | end
    offset: int
    text: str
    node: Atom | None = None


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            what = "an unterminated quote" if text[pos] == '"' else f"unexpected {text[pos]!r}"
            raise SelectorError(f'{what} (quote a value with spaces: group:"Tier 2")', pos)
        if m["lparen"]:
            out.append(_Tok("(", pos, "("))
        elif m["rparen"]:
            out.append(_Tok(")", pos, ")"))
        elif m["atom"]:
            field = m["field"].lower()
            if field not in FIELDS:
                raise SelectorError(
                    f"unknown field '{m['field']}': use one of {', '.join(f + ':' for f in FIELDS)}", pos
                )
            raw = m["quoted"] if m["quoted"] is not None else m["bare"]
            value = re.sub(r"\\(.)", r"\1", raw).strip().lower()
            if not value:
                raise SelectorError(f"'{field}:' needs a value", pos)
            if field == "tag" and ("," in value or " " in value):
                raise SelectorError("a tag has no spaces or commas", pos)
            out.append(_Tok("atom", pos, m["atom"], Atom(field, value)))
        elif m["word"]:
            word = m["word"].lower()
            if word.endswith(":") and text[m.end() : m.end() + 1] == '"':
                raise SelectorError('an unterminated quote: close it with "', m.end())
            if ":" in word:
                field = m["word"].split(":")[0]
                why = f"'{field}:' needs a value" if field.lower() in FIELDS else f"unknown field '{field}'"
                raise SelectorError(f"{why}: use {', '.join(f + ':value' for f in FIELDS)}", pos)
            if word in ("and", "or", "not"):
                out.append(_Tok(word, pos, m["word"]))
            else:
                raise SelectorError(
                    f"expected field:value, 'and', 'or', 'not' or a parenthesis, found '{m['word']}'", pos
                )
        pos = m.end()
    out.append(_Tok("end", len(text), ""))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expr(self) -> Node:
        node = self.conj()
        while self.peek().kind == "or":
            self.take()
            node = Or(node, self.conj())
        return node

    def conj(self) -> Node:
        node = self.unary()
        while self.peek().kind == "and":
            self.take()
            node = And(node, self.unary())
        return node

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind in ("not", "("):
            # Each level is a few frames of this parser: 500 '(' ran out of Python's stack
            # ("internal error: RecursionError" in lint, measure and build).
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise SelectorError(f"nested more than {MAX_DEPTH} deep: write it flatter", tok.offset)
        if tok.kind == "not":
            return Not(self.unary())
        if tok.kind == "(":
            node = self.expr()
            close = self.take()
            if close.kind != ")":
                raise SelectorError(f"missing ')' for the '(' at column {tok.offset + 1}", close.offset)
            return node
        if tok.kind == "atom":
            assert tok.node is not None
            return tok.node
        if tok.kind == "end":
            raise SelectorError("the selector ends where field:value was expected", tok.offset)
        raise SelectorError(f"expected field:value, found '{tok.text}'", tok.offset)


def parse(text: str) -> Node:
    """The selector's tree; :class:`SelectorError` with the offset of the problem."""
    if not text.strip():
        raise SelectorError("empty selector: write e.g. tag:locked_out", 0)
    p = _Parser(text)
    node = p.expr()
    tok = p.peek()
    if tok.kind != "end":
        why = "unmatched ')'" if tok.kind == ")" else f"expected 'and' or 'or' before '{tok.text}'"
        raise SelectorError(why, tok.offset)
    return node


def canonical(text: str) -> str:
    """One spelling per meaning (case, spaces, redundant parentheses): the snapshot's key."""
    return str(parse(text))


def atoms(node: Node) -> list[Atom]:
    if isinstance(node, Atom):
        return [node]
    if isinstance(node, Not):
        return atoms(node.operand)
    return atoms(node.left) + atoms(node.right)


def to_sql(node: Node, atom: Callable[[Atom], str] | None = None) -> str:
    """A predicate over the canonical columns, in DuckDB's dialect (transpiled for others);
    ``atom`` renders the field tests instead (the aggregate query tests precomputed bits).

    Tags are kept as one lower-case text ``,a,b,``, so a tag test is a substring test that
    every SQL engine has: no arrays, no LIKE (tags hold ``_``, LIKE's wildcard).
    """
    if isinstance(node, Atom):
        return atom(node) if atom is not None else atom_sql(node)
    if isinstance(node, Not):
        return f"(NOT {to_sql(node.operand, atom)})"
    op = "AND" if isinstance(node, And) else "OR"
    return f"({to_sql(node.left, atom)} {op} {to_sql(node.right, atom)})"


def atom_sql(node: Atom) -> str:
    """One field test; a missing value matches nothing, and is never NULL."""
    literal = "'" + node.value.replace("'", "''") + "'"
    if node.field == "tag":
        test = f"POSITION(',{node.value.replace(chr(39), chr(39) * 2)},' IN tags) > 0"
    else:
        test = f"LOWER({FIELDS[node.field]}) = {literal}"
    return f"COALESCE({test}, FALSE)"
