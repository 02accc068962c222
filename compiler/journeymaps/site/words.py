"""A map's YAML words as a reader of the site reads them: ``x-sla-tier`` -> "SLA tier",
``in-progress`` -> "in progress". Only for what people read; machine-readable outputs
(JSON, search data, CSS classes, anchors) keep the words as written."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymaps.diagnostics import Diagnostic

#: Abbreviations support and CX teams write in keys, in lower case like the rest of a key,
#: and read in capitals: "x-sla-tier" is "SLA tier", not "Sla tier".
ABBREVIATIONS = frozenset(
    {
        "aht",
        "api",
        "b2b",
        "b2c",
        "cx",
        "crm",
        "csat",
        "ces",
        "eta",
        "faq",
        "fcr",
        "gdpr",
        "id",
        "ivr",
        "kpi",
        "mfa",
        "nps",
        "okr",
        "pii",
        "qa",
        "sku",
        "sla",
        "slo",
        "sms",
        "sso",
        "ui",
        "url",
        "ux",
        "vip",
        "yaml",
    }
)


def field_label(key: str) -> str:
    """An extension key as a label: its ``x-`` dropped, hyphens and underscores as spaces,
    known abbreviations in capitals, the first letter capitalised (``x-sla-tier`` -> "SLA
    tier", ``x-jira`` -> "Jira"); a word written in capitals stays so (``x-Q3-target``)."""
    found = key.removeprefix("x-").replace("_", " ").replace("-", " ").split()
    text = " ".join(word.upper() if word in ABBREVIATIONS else word for word in found)
    return text[0].upper() + text[1:] if text else key


def rule_title(name: str) -> str:
    """A rule's name as a heading a reader reads: ``kpi-off-target`` -> "KPI off target"
    (the name itself and its code stay beside it, for whoever searches the findings)."""
    return field_label(name)


#: What an opportunity of lower impact worth more than every high-impact one asks, on the
#: matrix's cards and the pages of its cells alike.
#: A handoff between two steps one team owns (a bot to an agent), listed once on its page.
WITHIN = "Within the team"
OUTWORTH = "worth more than every high-impact opportunity: is its impact right?"
#: Why a map is marked a draft, in its badge's title.
DRAFT_WHY = "Steps still named TODO or another placeholder: this map is not finished"


def draft_words(draft: tuple[int, int], what: str = "draft map") -> str:
    """A map that is a draft, (steps still a placeholder, steps) as words: "draft map: 1 of
    2 steps not written yet" beside what it holds, "draft: …" on its own card (``what``)."""
    unwritten, steps = draft
    return f"{what}: {unwritten} of {steps} step{'' if steps == 1 else 's'} not written yet"


def draft_badge(draft: tuple[int, int], what: str = "draft map") -> list[str]:
    """A draft's badge as the tables' and cards' data has it (classes, words, title): the
    filters draw it from this as the templates' ``draft_badge`` writes it."""
    return ["badge warning draft", draft_words(draft, what), DRAFT_WHY]


def state_words(state: str) -> str:
    """A state or status as words: ``in-progress`` -> "in progress" (hyphens as spaces;
    the case as written, so it reads inside a sentence)."""
    return state.replace("-", " ")


#: Words that start a phrase with a capital only because they start it: lowercased inside
#: a sentence. A gerund ("Adding ...") is the usual start of a hypothesis's experiment.
_SENTENCE_STARTS = frozenset(
    {"a", "an", "the", "no", "our", "fewer", "more", "less", "half", "median", "average"}
    | {"under", "over", "below", "above", "at", "within", "every", "each"}
)


def in_sentence(phrase: str) -> str:
    """A phrase written to stand alone, as it reads inside a sentence: "We believe Adding send
    time ..." read as a typo. Only a first word known to be no name is lowercased (a gerund,
    an article, a quantity word): "Zendesk", "CES" or "Search-to-ticket ratio" keep theirs."""
    first, _, rest = phrase.partition(" ")
    if not first[:1].isupper() or not first[1:].islower():
        return phrase
    word = first.lower()
    if (word.endswith("ing") and len(word) > 5) or word in _SENTENCE_STARTS:
        return word + (" " + rest if rest else "")
    return phrase


def _word_list(text: str) -> list[str]:
    return text.lower().replace("-", " ").replace("_", " ").split()


def says(name: str, key: str) -> bool:
    """Whether a name already says a key's words: "Billing dispute contacts" says
    ``contacts``, so the key beside it would read as a word said twice."""
    said, words_of_key = _word_list(name), _word_list(key)
    n = len(words_of_key)
    return n > 0 and any(said[i : i + n] == words_of_key for i in range(len(said) - n + 1))


#: English month abbreviations, fixed here: a page reads the same whatever the build
#: machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_words(month: str) -> str:
    """An ISO month as people write it: "2026-10" -> "Oct 2026"; anything else as it is."""
    year, _, number = month.partition("-")
    if len(year) == 4 and year.isdigit() and number.isdigit() and 1 <= int(number) <= 12 and len(number) == 2:
        return f"{_MONTHS[int(number) - 1]} {year}"
    return month


def date_words(day: dt.date | str) -> str:
    """A date as people write it: 2026-11-10 -> "10 Nov 2026" (a director read "2026-11-10"
    as a database's); anything that is no ISO date as it is."""
    if isinstance(day, dt.date):
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if len(day) != 10:  # fromisoformat reads "20261110" and "2026-W46-2" too
        return day
    try:
        return date_words(dt.date.fromisoformat(day))
    except ValueError:
        return day


#: A date standing alone as a database writes it: not part of a longer number or id.
_ISO_DATE = re.compile(r"(?<![\w-])(\d{4}-\d{2}-\d{2})(?![\w-])")


def dates_in_words(text: str) -> str:
    """Each ISO date in a sentence as people write it: a finding's "last reviewed 400 days
    ago (2025-10-31)" reads "(31 Oct 2025)" on the site (lint's message keeps ISO)."""
    return _ISO_DATE.sub(lambda found: date_words(found.group(1)), text)


#: A month standing alone as a database writes it: not part of a date or a longer number.
_ISO_MONTH = re.compile(r"(?<![\w-])(\d{4}-(?:0[1-9]|1[0-2]))(?![\w-])")


def months_in_words(text: str) -> str:
    """Each ISO month in a sentence as people write it: a finding's "28 contacts in 2026-10"
    reads "in Oct 2026" on the site (lint's own message, for the terminal, keeps ISO)."""
    return _ISO_MONTH.sub(lambda found: month_words(found.group(1)), text)


#: A finding's severity as the pages name it, most severe first.
_SEVERITY_NOUNS = (("error", "error"), ("warning", "warning"), ("info", "note"))


def finding_counts(findings: list[Diagnostic]) -> str:
    """How many findings of each severity, in words: "1 error, 2 warnings and 1 note"."""
    levels = [d.severity.value for d in findings]
    said = [
        f"{n} {noun}{'' if n == 1 else 's'}" for level, noun in _SEVERITY_NOUNS if (n := levels.count(level))
    ]
    return " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
