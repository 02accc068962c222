"""A living document: maps are reviewed on a cadence."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Loc, Map
from journeymaps.reporters.base import plural
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map

STALE_MAP = "stale-map"


def after_today(loc: Loc, said: str, ctx: Context, key: str, fix: str) -> Finding:
    """A date after today (a year typed wrong), at ``key``: such a date never grows old, so
    the staleness rules would never report its map or evidence."""
    return Finding.at(loc, f"{said}, after today ({ctx.today}): {fix}", key)


@map_rule(
    STALE_MAP,
    "JM501",
    Severity.WARNING,
    "The map was never reviewed, not within the review cadence (default 90 days), or on a date after today.",
    bad=with_map(GOOD_MAP.replace("reviewed: 2026-11-01", "reviewed: 2025-06-30")),
    good=with_map(GOOD_MAP),
)
def stale_map(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    "A map nobody reviewed is worse than useless." Review each map on a cadence (quarterly
    by default: `review-cadence-days = 90`) and record the date in `reviewed:`. A map with no
    `reviewed` date, or one older than the cadence, is reported. So is a date after today:
    a year typed wrong (2027 for 2026) kept a map from ever being reported stale.
    """
    cadence = ctx.settings.review_cadence_days
    age = m.review_age(ctx.today)
    if age is not None and age < 0:
        said = f"map '{m.id}' says it was reviewed on {m.reviewed}"
        yield after_today(m.loc, said, ctx, "reviewed", "write the date of the last review")
        return
    if not m.is_stale(ctx.today, cadence):
        return
    if age is None:
        yield Finding.at(
            m.loc, f"map '{m.id}' has never been reviewed: add reviewed: YYYY-MM-DD", "id", key=True
        )
    else:
        yield Finding.at(
            m.loc,
            f"map '{m.id}' was last reviewed {plural(age, 'day')} ago ({m.reviewed}); the review "
            f"cadence is {plural(cadence, 'day')}: walk through the map with its owner, update what "
            "changed, and set reviewed: to the day of that review",
            "reviewed",
        )
