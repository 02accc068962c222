"""What a change folded under the What changed page's "other changes" is about, and the
words its summary says them in: "4 other changes (steps, KPIs, evidence…)" stood over what
the customer now thinks, a stage's description and a hypothesis reworded too, which the
summary did not say it held."""

from __future__ import annotations

from collections.abc import Iterable

from journeymaps.map_changes import Change

#: Each topic and its words, in the order the summary lists them: the words first (what a
#: director reads the map for), then the things changed.
TOPICS: dict[str, str] = {
    "customer": "what the customer does, thinks and feels",
    "description": "descriptions",
    "hypothesis": "hypotheses",
    "step": "steps",
    "stage": "stages",
    "kpi": "KPIs",
    "evidence": "evidence",
    "pain-point": "pain points",
    "cost": "costs",
    "opportunity": "opportunities",
    "handoff": "handoffs",
    "map": "the map's details",
}

#: A field's topic, whatever its thing: these are words, not the thing's facts.
BY_FIELD: dict[str, str] = {
    **dict.fromkeys(("doing", "thinking", "feeling", "does", "thinks", "feels"), "customer"),
    **dict.fromkeys(("description", "scenario", "goal", "archetype", "note"), "description"),
}

#: An opportunity's fields that are its hypothesis ("We believe … will … We will know …").
HYPOTHESIS = frozenset({"believe", "will", "signal"})


def topic_of(change: Change) -> str:
    """The topic of ``change`` (a key of :data:`TOPICS`): by its field when that is words, else
    by the thing its kind names (``kpi-changed``: "kpi"); the map's for anything else."""
    if change.field in BY_FIELD:
        return BY_FIELD[change.field]
    thing = change.kind.rsplit("-", 1)[0]
    if thing == "opportunity" and change.field in HYPOTHESIS:
        return "hypothesis"
    return thing if thing in TOPICS else "map"


def topics_words(topics: Iterable[str]) -> str:
    """The words for ``topics`` (unknown ones as the map's details), each once, in the order
    of :data:`TOPICS`, joined by semicolons (the customer's words have commas of their own)."""
    present = {t if t in TOPICS else "map" for t in topics}
    return "; ".join(words for topic, words in TOPICS.items() if topic in present)
