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
