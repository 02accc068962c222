"""Pain point lifecycle: a fixed pain point says when, and which shipped change fixed it."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map

_PAIN = """pain_points:
  - id: reset-email-missing
    at: discovery
    kind: technical
    summary: Reset emails land in spam.
    status: resolved
{extra}opportunities:
  - id: reset-email-status
    addresses: [reset-email-missing]
    believe: Sending reset mail from our own domain
    will: keep it out of spam
    signal: 30% fewer "didn't receive email" tickets
    owner: product
    due: 2026-10-01
    status: shipped
"""


@map_rule(
    "pain-point-lifecycle",
    "JM606",
    Severity.WARNING,
    "A mitigated or resolved pain point does not say since when, or which shipped opportunity fixed it.",
    bad=with_map(GOOD_MAP + _PAIN.format(extra="")),
    good=with_map(
        GOOD_MAP + _PAIN.format(extra="    since: 2026-10-12\n    resolved_by: reset-email-status\n")
    ),
)
def pain_point_lifecycle(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    A pain point is open (default), mitigated (a workaround makes it hurt less) or resolved.
    A fixed pain point stays on the map, so the opportunity that fixed it keeps its
    `addresses` and the map keeps the record of what was fixed; it leaves the cost of
    inaction. A mitigated or resolved pain point says `since` (the day the change went live)
    and a resolved one says `resolved_by`: the opportunity that fixed it, which should be
    shipped.
    """
    for p in m.pain_points:
        if p.status == "open":
            continue
        if p.since is None:
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' is {p.status} but does not say since when: add since: YYYY-MM-DD",
                "status",
            )
        if p.status == "resolved" and p.resolved_by is None:
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' is resolved but does not say by what: add resolved_by: the opportunity "
                "that fixed it",
                "status",
            )
        fix = m.opportunity(p.resolved_by) if p.resolved_by else None
        if p.status == "resolved" and fix is not None and fix.status != "shipped":
            yield Finding.at(
                p.loc,
                f"pain point '{p.id}' is resolved by '{fix.id}', which is {fix.status}, not shipped",
                "resolved_by",
            )


_CYCLE = """pain_points:
  - id: notes-lost
    at: discovery
    kind: process
    summary: The agent's notes are lost at the handoff.
    caused_by: [{first}]
  - id: no-shared-queue
    at: discovery
    kind: technical
    summary: Finance works in its own queue.
    caused_by: [{second}]
  - id: no-integration
    at: discovery
    kind: technical
    summary: The two desks are not integrated.
opportunities:
  - id: shared-queue
    addresses: [notes-lost, no-shared-queue, no-integration]
    believe: One queue for Support and Finance
    will: keep the notes with the ticket
    signal: No contract sent twice
    owner: support
    due: 2027-01-01
"""


@map_rule(
    "caused-by-cycle",
    "JM609",
    Severity.WARNING,
    "A pain point's caused_by chain comes back to itself (a → b → a), possibly across maps.",
    bad=with_map(GOOD_MAP + _CYCLE.format(first="no-shared-queue", second="notes-lost")),
    good=with_map(GOOD_MAP + _CYCLE.format(first="no-shared-queue", second="no-integration")),
)
def caused_by_cycle(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    `caused_by` points upstream, at the pain point that causes this one (in this map, `id`,
    or in another, `map-id/pain-point-id`), so a team can fix the cause rather than the
    symptom. Followed upstream, the chain must end at a root cause: when it comes back to
    where it started, nothing in it is the cause and the site would send a reader round in
    circles. Each pain point on the loop is reported at the `caused_by` entry that continues
    it, with the loop in words. (A pain point naming itself is an unknown-reference.)
    """
    if not any(p.caused_by for p in m.pain_points):
        return  # most maps: no need to index the project's maps
    by_map = {o.id: o for o in ctx.project.maps}
    by_map[m.id] = m

    def upstream(map_id: str, pain_id: str) -> list[tuple[str, str]]:
        owner = by_map.get(map_id)
        p = owner.pain_point(pain_id) if owner else None
        if p is None:
            return []
        out = []
        for ref in p.caused_by:
            other, _, pid = ref.rpartition("/")
            out.append((other or map_id, pid))
        return out

    for p in m.pain_points:
        for i, ref in enumerate(p.caused_by):
            start = (m.id, p.id)
            other, _, pid = ref.rpartition("/")
            first = (other or m.id, pid)
            if first == start:
                continue  # itself: unknown-reference says so
            # Breadth-first from the cause back to this pain point, keeping the way taken.
            came_from: dict[tuple[str, str], tuple[str, str] | None] = {first: None}
            queue = [first]
            found = None
            while queue and found is None:
                node = queue.pop(0)
                for nxt in upstream(*node):
                    if nxt == start:
                        found = node
                        break
                    if nxt not in came_from:
                        came_from[nxt] = node
                        queue.append(nxt)
            if found is None:
                continue
            path: list[tuple[str, str]] = []
            step: tuple[str, str] | None = found
            while step is not None:
                path.append(step)
                step = came_from[step]
            names = [p.id, *(pid if mid == m.id else f"{mid}/{pid}" for mid, pid in reversed(path)), p.id]
            yield Finding.at(
                p.loc,
                f"caused_by: '{ref}' leads back to '{p.id}' ({' → '.join(names)}): a chain of causes "
                "must end at a root cause; remove the link that is an effect, not a cause",
                "caused_by",
                i,
            )
