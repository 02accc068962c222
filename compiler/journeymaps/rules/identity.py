"""Identity and references: ids are unique, every reference resolves, every owner is a team."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Loc, Map, Project
from journeymaps.rules import Context, Finding, map_rule, project_rule
from journeymaps.rules.examples import GOOD_MAP, with_map
from journeymaps.suggest import Suggestions


@project_rule(
    "duplicate-id",
    "JM101",
    Severity.ERROR,
    "Two maps, stages, steps, pain points, opportunities, teams or personas share an id.",
    bad=with_map(GOOD_MAP.replace("id: resolution", "id: discovery")),
    good=with_map(GOOD_MAP),
)
def duplicate_id(ctx: Context) -> Iterator[Finding]:
    """
    Ids are how maps, handoffs, pain points and the site refer to things, so each must name
    exactly one: map ids across the whole maps folder; stage, step, pain point and opportunity
    ids within their map; team and persona ids across their registries (a teams.yaml in
    each of two folders is one list of teams). The first definition wins; every later one is
    reported. A map that does not follow the format yet is reported once it does: until
    then its own findings are what to fix.
    """
    # A map that does not follow the format is checked no further than its own findings (as
    # the summary says): never reported here. Its id, read first, still holds the page name
    # (pages are named as files are read: the valid map after it is on id--2), so that map
    # is told, and that the other has findings of its own.
    broken = {id(src) for src in ctx.project.invalid}
    for map_id, sources in ctx.project.map_ids.items():
        first = sources[0]
        why = f" ({first.display} does not follow the format yet: its own findings say why)"
        for n, src in enumerate(sources[1:], start=2):
            if id(src) in broken:
                continue
            yield Finding(
                src,
                src.span(("id",)),
                f"map id '{map_id}' is already used by {first.display}{why if id(first) in broken else ''}; "
                "map ids must be unique across the maps folder "
                f"(meanwhile this map's page is maps/{map_id}--{n}.html)",
                "id",
                f"id@{src.display}",
            )
    for m in ctx.project.maps:
        yield from ctx.per_map("duplicate-id", m, _duplicates_in)
    # One "first" per kind across files: two teams.yaml naming team support differently
    # gave it the name of whichever file's path sorted first, without a word.
    defined: dict[str, dict[str, Loc]] = {}
    for src, key in ctx.project.registries:
        items = src.data.get(key, []) if isinstance(src.data, dict) else []
        yield from _unique(
            key.rstrip("s"),
            (
                (item["id"], Loc(src, (key, i)))
                for i, item in enumerate(items)
                if isinstance(item, dict) and isinstance(item.get("id"), str)
            ),
            defined.setdefault(key, {}),
        )


def _duplicates_in(m: Map) -> list[Finding]:
    """The ids used twice within one map (its part of the rule: it reads nothing else)."""
    return [
        *_unique("stage", ((s.id, s.loc) for s in m.stages)),
        *_unique("step", ((st.id, st.loc) for st in m.steps())),
        *_unique("pain point", ((p.id, p.loc) for p in m.pain_points)),
        *_unique("opportunity", ((o.id, o.loc) for o in m.opportunities)),
    ]


def _unique(
    what: str, items: Iterable[tuple[str, Loc]], first: dict[str, Loc] | None = None
) -> Iterator[Finding]:
    """A finding for each id used before, in these items or in ``first`` (ids defined in
    other files, kept for the next)."""
    first = {} if first is None else first
    for ident, loc in items:
        if ident not in first:
            first[ident] = loc
            continue
        there = first[ident]
        line = there.span("id").line
        if there.src is loc.src:
            message = f"{what} id '{ident}' is already used on line {line}"
        else:
            message = (
                f"{what} id '{ident}' is already defined in {there.src.display}:{line}, and that "
                "definition is the one used: keep one of the two"
            )
        yield Finding.at(loc, message, "id")


@map_rule(
    "unknown-reference",
    "JM102",
    Severity.ERROR,
    "A next, at, from, to, addresses, based_on or persona reference points at nothing.",
    bad=with_map(GOOD_MAP.replace("    owner: product\n", "    owner: product\n    next: [resolve]\n")),
    good=with_map(GOOD_MAP.replace("    owner: product\n", "    owner: product\n    next: [resolution]\n")),
)
def unknown_reference(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Every reference must name something that exists: `next` a stage of the same map; a pain
    point's `at` a stage (`stage-id`) or a step (`stage-id.step-id`); a handoff's `from` and
    `to` steps; an opportunity's `addresses` pain points of the same map; `based_on` another
    map; `persona` an id from personas.yaml; a pain point's `resolved_by` an opportunity of
    the same map and its `caused_by` pain points of this map (`id`) or of another
    (`map-id/pain-point-id`); its `same_contacts_as` other pain points of the same map.
    The finding points at the reference itself.
    """
    stage_ids = _Listed("stages", [s.id for s in m.stages])
    step_refs = _Listed("steps", [st.ref for st in m.steps()])
    for stage in m.stages:
        for t in stage.next:
            if m.stage(t.to) is None:
                sub = ("to",) if _is_mapping(t.loc) else ()
                yield Finding.at(t.loc, f"next: no stage '{t.to}' in this map{stage_ids.hint(t.to)}", *sub)
    for p in m.pain_points:
        if not p.resolved:
            yield Finding.at(
                p.loc,
                f"at: no {_place(p.at)} '{p.at}' in this map"
                f"{(step_refs if '.' in p.at else stage_ids).hint(p.at)}",
                "at",
            )
    for h in m.handoffs:
        for end, ref, step in (("from", h.from_ref, h.from_step), ("to", h.to_ref, h.to_step)):
            if step is None:
                yield Finding.at(h.loc, f"{end}: no step '{ref}' in this map{step_refs.hint(ref)}", end)
    pain_ids = {p.id for p in m.pain_points}
    pains = Suggestions(pain_ids)
    for o in m.opportunities:
        for i, pid in enumerate(o.addresses):
            if pid not in pain_ids:
                yield Finding.at(
                    o.loc,
                    f"addresses: no pain point '{pid}' in this map{pains.hint(pid)}",
                    "addresses",
                    i,
                )
    yield from _lifecycle_references(m, ctx, pain_ids)
    if m.based_on is not None and m.based_on not in ctx.project.map_ids:
        yield Finding.at(
            m.loc,
            f"based_on: no map with id '{m.based_on}' in the maps folder"
            f"{_map_ids(ctx.project).hint(m.based_on)}",
            "based_on",
        )
    broken = ctx.project.broken_registries
    if m.persona_ref is not None and m.persona is None:
        registry = ctx.project.personas
        if "personas" in broken and (broken["personas"] is None or m.persona_ref in broken["personas"]):
            pass  # personas.yaml has findings of its own, at this persona or everywhere
        elif registry is None:
            # "add one" left the newcomer to guess where, and in what form.
            beside = _teams_file(ctx.project).rpartition("/")[0]
            where = f"{beside}/personas.yaml" if beside else "personas.yaml in the maps folder"
            why = (
                f"there is no personas.yaml; add {where} (its format: journeymaps schema personas), "
                "or write the persona inline"
            )
            yield Finding.at(m.loc, f"persona: '{m.persona_ref}' is not defined: {why}", "persona")
        else:
            yield Finding.at(
                m.loc,
                f"persona: no persona '{m.persona_ref}' in personas.yaml"
                f"{Suggestions(registry).hint(m.persona_ref)}",
                "persona",
            )


_last: tuple[Project, Suggestions] | None = None


def _map_ids(project: Project) -> Suggestions:
    """The project's map ids, indexed once per project (not once per map that misses)."""
    global _last
    if _last is None or _last[0] is not project:
        _last = (project, Suggestions(project.map_ids))
    return _last[1]


def _is_mapping(loc: Loc) -> bool:
    node: object = loc.src.data
    for part in loc.path:
        node = node[part]  # type: ignore[index]
    return isinstance(node, dict)


def _place(ref: str) -> str:
    return "step" if "." in ref else "stage"


#: An id as the format writes it (the schemas' id pattern).
_VALID_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@map_rule(
    "unknown-team",
    "JM103",
    Severity.ERROR,
    "An owner is not a team listed in teams.yaml.",
    bad=with_map(GOOD_MAP.replace("owner: support\nreviewed", "owner: support-ops\nreviewed")),
    good=with_map(GOOD_MAP),
)
def unknown_team(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    When the maps folder has a teams.yaml, it is the registry of who may own things: every
    owner of a map, stage, step or opportunity must be one of its ids. Without a teams.yaml
    any kebab-case owner is accepted. A teams.yaml with errors of its own is checked against
    the ids still legible in it (one broken entry does not make every owner unknown), and
    one that cannot be read at all checks nothing until it is fixed: its error fails the run.
    """
    teams, broken = ctx.project.teams, ctx.project.broken_registries
    if teams is None or ("teams" in broken and broken["teams"] is None):
        return  # no registry, or one that cannot be read: its own finding fails the run
    legible = broken.get("teams") or frozenset()
    known = Suggestions([*teams, *legible])
    where = _teams_file(ctx.project)
    owners: list[tuple[str | None, Loc]] = [(m.owner, m.loc)]
    owners += [(s.owner, s.loc) for s in m.stages]
    owners += [(st.owner, st.loc) for st in m.steps() if st.owner_given]
    owners += [(o.owner, o.loc) for o in m.opportunities]
    owners += [(p.owner, p.loc) for p in m.pain_points]
    for owner, loc in owners:
        if owner is not None and owner not in teams and owner not in legible:
            said = f"owner: team '{owner}' is not in {where}"
            hint = _miswritten(owner, legible) or known.hint(owner)
            yield Finding.at(loc, said + (hint or _add_or_use(sorted({*teams, *legible}))), "owner")


def _miswritten(owner: str, legible: frozenset[str]) -> str:
    """A broken teams.yaml's id that is not a valid id (``Support``), closest to ``owner``:
    "did you mean 'Support'?" led to an owner the format refuses, while teams.yaml's own
    error said to write 'support'. The fix is in teams.yaml."""
    invalid = [team for team in legible if not _VALID_ID.fullmatch(team)]
    close = Suggestions(invalid).closest(owner) if invalid else None
    if close is None:
        return ""
    from journeymaps.mermaid import slug

    return f" (its '{close}' is not a valid id: write it '{slug(close) or owner}' there)"


def _teams_file(project: Project) -> str:
    """The teams registry as the findings name it (``maps/teams.yaml``): the valid one, else
    the one with findings of its own."""
    valid = (src.display for src, kind in project.registries if kind == "teams")
    broken = (src.display for src in project.invalid if src.path.name.partition(".")[0] == "teams")
    return next(valid, None) or next(broken, "teams.yaml")


class _Listed(Suggestions):
    """The map's stages (or steps) a reference may name: the closest one when a name is near
    it, else the first few of them. "next: no stage 'closing' in this map" alone left the
    user to scroll up and read the ids off the map."""

    def __init__(self, what: str, ids: list[str]) -> None:
        super().__init__(ids)
        self._what, self._ids = what, ids

    def hint(self, word: object) -> str:
        close = super().hint(word)
        if close or not self._ids:
            return close
        ids = self._ids
        listed = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        return f" (its {self._what}: {listed})"


def _add_or_use(ids: list[str]) -> str:
    """What to do about an owner no team is close to: add the team, or use one there is.
    It said only "is not in teams.yaml": which file, and what teams it holds, were for the
    user to find out (the first error a new project's own team gives)."""
    if not ids:
        return ": add it there"
    listed = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return f": add it there, or name a team it lists ({listed})"


def _lifecycle_references(m: Map, ctx: Context, pain_ids: set[str]) -> Iterator[Finding]:
    """A pain point's ``resolved_by`` and ``caused_by`` (possibly in another map)."""
    opportunities = Suggestions(o.id for o in m.opportunities)
    for p in m.pain_points:
        if p.resolved_by is not None and m.opportunity(p.resolved_by) is None:
            hint = opportunities.hint(p.resolved_by)
            yield Finding.at(
                p.loc,
                f"resolved_by: no opportunity '{p.resolved_by}' in this map{hint}",
                "resolved_by",
            )
        for i, ref in enumerate(p.same_contacts_as):
            if ref == p.id:
                yield Finding.at(
                    p.loc, f"same_contacts_as: '{ref}' is this pain point itself", "same_contacts_as", i
                )
            elif ref not in pain_ids:
                hint = Suggestions(pain_ids).hint(ref)
                yield Finding.at(
                    p.loc, f"same_contacts_as: no pain point '{ref}' in this map{hint}", "same_contacts_as", i
                )
        for i, ref in enumerate(p.caused_by):
            map_id, _, pain_id = ref.rpartition("/")
            if pain_id == p.id and map_id in ("", m.id):
                yield Finding.at(p.loc, f"caused_by: '{ref}' is this pain point itself", "caused_by", i)
                continue
            if not map_id:
                if ref not in pain_ids:
                    hint = Suggestions(pain_ids).hint(ref)
                    yield Finding.at(
                        p.loc, f"caused_by: no pain point '{ref}' in this map{hint}", "caused_by", i
                    )
                continue
            others = [o for o in ctx.project.maps if o.id == map_id]
            if not others and map_id in ctx.project.map_ids:
                continue  # there, but broken: its own findings say why (as for based_on)
            if not others:
                hint = _map_ids(ctx.project).hint(map_id)
                yield Finding.at(p.loc, f"caused_by: no map with id '{map_id}'{hint}", "caused_by", i)
            elif others[0].pain_point(pain_id) is None:
                hint = Suggestions(q.id for q in others[0].pain_points).hint(pain_id)
                yield Finding.at(
                    p.loc, f"caused_by: no pain point '{pain_id}' in map '{map_id}'{hint}", "caused_by", i
                )
