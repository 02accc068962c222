"""The rule registry: every rule declares its name, code, kind, severity and docs next to its
check. It is the only list of rules: ``rules``, ``explain``, settings, suppressions, the
loader's and validator's findings (:mod:`journeymaps.rules.input`) and the README's table
(checked by a test) all read it.

Rule modules in this package are discovered automatically; adding a rule is adding a module
(or a function to a module of related rules) with the ``@map_rule`` or ``@project_rule``
decorator. Rules never print: they yield Findings, and the pipeline gives them a severity, a
file and a position.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import pkgutil
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import field
from typing import TYPE_CHECKING, TypeVar, cast

from journeymaps.diagnostics import Severity, Span
from journeymaps.records import record

if TYPE_CHECKING:
    from journeymaps.loader import Source
    from journeymaps.model import Loc, Map, Project
    from journeymaps.settings import Settings

_T = TypeVar("_T")


@record(slots=True)
class Finding:
    """What a rule found, before settings give it a severity."""

    src: Source
    span: Span
    message: str
    path: str = ""  # where in the map's data (stages[2].owner), as people read it
    anchor: str = ""  # the same place by ids (stages[contact].owner): the fingerprint's

    @classmethod
    def at(cls, loc: Loc, message: str, *sub: str | int, key: bool = False, about: str = "") -> Finding:
        """A finding at ``loc`` (and ``sub`` inside it); ``about`` adds what else the finding
        is about when the place alone does not say it (e.g. both ends of a handoff)."""
        from journeymaps.fingerprints import semantic_path
        from journeymaps.loader import path_text

        path = loc.path + sub
        anchor = semantic_path(loc.src.data, path, about)
        return cls(loc.src, loc.span(*sub, key=key), message, path_text(path), anchor)


@record(slots=True)
class Context:
    """What every check may read besides the map itself."""

    project: Project
    settings: Settings
    today: dt.date
    #: ``serve`` (a :class:`~journeymaps.project.Memo`): what a project check computed from
    #: one map alone, kept while the map is the same object (see :meth:`per_map`).
    kept: dict[tuple[str, int], tuple[Map, object]] | None = field(default=None, compare=False, repr=False)
    #: The project's maps by id (the last of a repeated id), made when a check first asks.
    maps_index: dict[str, Map] = field(default_factory=dict, compare=False, repr=False)

    def map_by_id(self, map_id: str) -> Map | None:
        """The project's map of this id: a map check's look-up, in a dict made once a run (a
        dict made per map was quadratic in the maps)."""
        maps = self.project.maps  # read on every call: serve's memo must see the check read the project
        if not self.maps_index:
            self.maps_index.update((m.id, m) for m in maps)
        return self.maps_index.get(map_id)

    def per_map(self, what: str, m: Map, compute: Callable[[Map], _T]) -> _T:
        """``compute(m)``, a project check's part that reads nothing but ``m`` (and the
        settings and date, the same while ``kept`` is): kept from the previous run of a
        ``serve`` process while ``m`` is the same object (the memo keeps an unchanged
        map's object), else computed."""
        if self.kept is None:
            return compute(m)
        hit = self.kept.get((what, id(m)))
        if hit is not None and hit[0] is m:
            return cast(_T, hit[1])
        value = compute(m)
        self.kept[(what, id(m))] = (m, value)
        return value


MapCheck = Callable[["Map", Context], Iterable[Finding]]
ProjectCheck = Callable[[Context], Iterable[Finding]]


class Kind(enum.Enum):
    """Where a rule's findings come from."""

    #: Reading a file failed: the file has no data, no other rule runs on it.
    FATAL = "fatal"
    #: The loader or the validator (the data is there, but not all of it can be trusted).
    INPUT = "input"
    #: A check run once per valid map.
    MAP = "map"
    #: A check run once over the whole project.
    PROJECT = "project"
    #: The run itself: its settings, its suppression comments.
    RUN = "run"


@record
class Rule:
    """A rule's identity, documentation and check.

    ``bad`` and ``good`` are example projects (file name → YAML): ``explain`` prints them and
    the test suite checks that ``bad`` triggers the rule and ``good`` does not.
    """

    name: str
    code: str
    severity: Severity
    summary: str
    doc: str
    bad: dict[str, str] = field(default_factory=dict)
    good: dict[str, str] = field(default_factory=dict)
    check_map: MapCheck | None = None
    check_project: ProjectCheck | None = None
    kind: Kind = Kind.RUN
    #: The map states (``current``, ``future``) its map check judges; empty: every map. The
    #: pipeline runs the check on these maps only (:meth:`judges`), and its findings on a map
    #: the change turns to another state are no longer checked, not fixed (see
    #: :func:`journeymaps.finding_changes.unchecked`).
    states: frozenset[str] = frozenset()

    def judges(self, m: Map) -> bool:
        """Whether the map check runs on ``m``: its state is one the rule judges."""
        return not self.states or m.state in self.states


REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.name in REGISTRY or any(r.code == rule.code for r in REGISTRY.values()):
        raise ValueError(f"rule {rule.name} ({rule.code}) is registered twice")
    if rule.states and rule.check_map is None:
        # only a map check is run per map: states on any other rule would be obeyed by no one
        raise ValueError(f"rule {rule.name} declares states but has no map check to run on them")
    import inspect

    # The reading and run rules' docs are indented string literals: as written, explain
    # printed them, and SARIF's help (Markdown to code scanning) carried them, as code blocks.
    rule = dataclasses.replace(rule, doc=inspect.cleandoc(rule.doc))
    REGISTRY[rule.name] = rule
    return rule


def map_rule(
    name: str,
    code: str,
    severity: Severity,
    summary: str,
    *,
    bad: dict[str, str] | str,
    good: dict[str, str] | str,
    states: tuple[str, ...] = (),
) -> Callable[[MapCheck], MapCheck]:
    """Register a check run once per valid map; its docstring is the rule's documentation.
    ``states``: the map states it judges (the pipeline runs it on no other map); none: every
    state."""
    return _registering(
        Rule(
            name,
            code,
            severity,
            summary,
            "",
            _files(bad),
            _files(good),
            kind=Kind.MAP,
            states=frozenset(states),
        )
    )


def project_rule(
    name: str,
    code: str,
    severity: Severity,
    summary: str,
    *,
    bad: dict[str, str] | str,
    good: dict[str, str] | str,
) -> Callable[[ProjectCheck], ProjectCheck]:
    """Register a check run once over the whole project (cross-map rules)."""
    return _registering(Rule(name, code, severity, summary, "", _files(bad), _files(good), kind=Kind.PROJECT))


_Check = TypeVar("_Check", bound=Callable[..., Iterable[Finding]])


def _registering(rule: Rule) -> Callable[[_Check], _Check]:
    """The decorator that registers ``rule`` with the function as its check (a map's or the
    project's, by its kind) and the function's docstring as its documentation."""

    def decorate(fn: _Check) -> _Check:
        is_map = rule.kind is Kind.MAP
        register(
            dataclasses.replace(
                rule, doc=_doc(fn), check_map=fn if is_map else None, check_project=None if is_map else fn
            )
        )
        return fn

    return decorate


def _doc(fn: Callable[..., object]) -> str:
    import inspect

    return inspect.cleandoc(fn.__doc__ or "")


def _files(example: dict[str, str] | str) -> dict[str, str]:
    """An example given as one string is a single map file."""
    if isinstance(example, str):
        example = {"map.yaml": example}
    # dedent, not inspect.cleandoc: cleandoc expands tabs, and one example is about tabs.
    return {name: textwrap.dedent(text).strip("\n") + "\n" for name, text in example.items()}


_loaded = False


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by name, in code order."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True
        ordered = sorted(REGISTRY.values(), key=lambda r: r.code)
        REGISTRY.clear()
        REGISTRY.update((r.name, r) for r in ordered)
    return REGISTRY


def names_of(*kinds: Kind) -> frozenset[str]:
    """The names of the registered rules of these kinds."""
    return frozenset(r.name for r in all_rules().values() if r.kind in kinds)


def find_rule(name_or_code: str) -> Rule | None:
    """The rule of this name or code, in any case (``Undeclared-Handoff`` as ``jm401``):
    names are lowercase, so a capital can only be a way of writing one."""
    rules = all_rules()
    wanted = name_or_code.strip().lower()
    if wanted in rules:
        return rules[wanted]
    return next((r for r in rules.values() if r.code.lower() == wanted), None)


def named_with(word: str) -> list[str]:
    """The rules one of whose name's words is ``word`` (``owner``: missing-owner), sorted:
    how a newcomer asks for a rule, which the closest spelling did not find."""
    wanted = word.strip().lower()
    return sorted(name for name in all_rules() if wanted in name.split("-"))


def with_code_prefix(prefix: str) -> list[Rule]:
    """The rules whose code starts with ``prefix`` (``JM2``: JM201, JM202), in code order;
    none for a word that is not a code's start."""
    upper = prefix.strip().upper()
    if not upper.startswith("JM"):
        return []
    return sorted((r for r in all_rules().values() if r.code.startswith(upper)), key=lambda r: r.code)
