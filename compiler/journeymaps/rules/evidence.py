"""Evidence: a journey map is built from data, and data ages."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.diagnostics import Severity
from journeymaps.model import Map
from journeymaps.rules import Context, Finding, map_rule
from journeymaps.rules.examples import GOOD_MAP, with_map
from journeymaps.rules.freshness import after_today

_RESOLUTION_EVIDENCE = "    evidence:\n      - {source: delighted, kind: survey, as_of: 2026-10-30}\n"


@map_rule(
    "unvalidated-stage",
    "JM202",
    Severity.WARNING,
    "A stage of a current-state map has no evidence: it is a guess.",
    bad=with_map(GOOD_MAP.replace(_RESOLUTION_EVIDENCE, "")),
    good=with_map(GOOD_MAP),
    states=("current",),
)
def unvalidated_stage(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    "Every stage of the map should be validated by at least one data source": ticket tags
    and volumes, CSAT/CES surveys, transcripts, interviews, analytics. A stage is validated
    when the stage, one of its steps, or a pain point at it lists `evidence`. Future-state
    maps are hypotheses and are judged by their baseline and signals instead.
    """
    for stage in m.stages:
        if not m.stage_evidence(stage):
            yield Finding.at(
                stage.loc,
                f"stage '{stage.id}' has no evidence: add the data behind it to the stage, a step or "
                "a pain point at it, e.g. evidence: [{source: zendesk, kind: tickets, ref: ...}] "
                "(kind: tickets, survey, transcript, interview, analytics or other)",
                "id",
                key=True,
            )


@map_rule(
    "stale-evidence",
    "JM502",
    Severity.WARNING,
    "Evidence is older than the configured age (evidence-max-age-days, default 365), or dated after today.",
    bad=with_map(
        GOOD_MAP.replace("as_of: 2026-10-30}\n  - id: resolution", "as_of: 2024-01-31}\n  - id: resolution")
    ),
    good=with_map(GOOD_MAP),
)
def stale_evidence(m: Map, ctx: Context) -> Iterator[Finding]:
    """
    Ticket volumes and survey scores describe the journey as it was when they were pulled.
    Evidence whose `as_of` date is older than `evidence-max-age-days` (default 365) should
    be pulled again, and the stage checked against it. An `as_of` after today (a year typed
    wrong) is reported too: it would never grow old.
    """
    limit = ctx.settings.evidence_max_age_days
    for e in m.all_evidence():
        age = e.age(ctx.today)
        if age is not None and age < 0:
            said = f"evidence from {e.source} says it was pulled on {e.as_of}"
            yield after_today(e.loc, said, ctx, "as_of", "write the date the data was pulled")
        elif e.is_stale(ctx.today, limit):
            yield Finding.at(
                e.loc,
                f"evidence from {e.source} is {age} days old (as_of {e.as_of}); the limit is "
                f"{limit} days: pull the data again",
                "as_of",
            )
