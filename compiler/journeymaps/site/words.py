"""A map's YAML words as a reader of the site reads them: ``x-sla-tier`` -> "Sla tier",
``in-progress`` -> "in progress". Only for what people read; machine-readable outputs
(JSON, search data, CSS classes, anchors) keep the words as written."""

from __future__ import annotations


def field_label(key: str) -> str:
    """An extension key as a label: its ``x-`` dropped, hyphens and underscores as spaces,
    the first letter capitalised (``x-sla-tier`` -> "Sla tier", ``x-jira`` -> "Jira")."""
    text = " ".join(key.removeprefix("x-").replace("_", " ").replace("-", " ").split())
    return text[0].upper() + text[1:] if text else key


def state_words(state: str) -> str:
    """A state or status as words: ``in-progress`` -> "in progress" (hyphens as spaces;
    the case as written, so it reads inside a sentence)."""
    return state.replace("-", " ")
