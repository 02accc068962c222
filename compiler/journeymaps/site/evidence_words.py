"""An evidence entry in words a reader of the site reads: ``{source: zendesk, kind: tickets,
ref: "tag:billing_dispute"}`` -> "Support tickets from Zendesk tagged “billing dispute”",
the selector kept as written (in the page's title of it) for whoever counts or checks the
numbers."""

from __future__ import annotations

import urllib.parse

from journeymaps.measure import selectors
from journeymaps.model import Evidence
from journeymaps.records import record

#: Each kind of data (the schema's enum) as a reader names it, and the word that, already in
#: the source's name, says it ("customer interviews" needs no "Interviews from").
KINDS: dict[str, tuple[str, str]] = {
    "tickets": ("Support tickets", "ticket"),
    "survey": ("Survey responses", "survey"),
    "transcript": ("Conversation transcripts", "transcript"),
    "interview": ("Interviews", "interview"),
    "analytics": ("Analytics", "analytic"),
    "other": ("Data", ""),
}

#: What a selector's field:value says of the tickets it counts.
FIELDS: dict[str, str] = {
    "tag": "tagged “{}”",
    "channel": "received by {}",
    "group": "in group “{}”",
    "form": "from form “{}”",
}


@record(slots=True)
class EvidenceWords:
    text: str  # "Support tickets from Zendesk tagged “billing dispute”"
    selector: str | None  # the ref as written when it is a selector, in the text's title


def evidence_words(e: Evidence) -> EvidenceWords:
    """The entry in words; a ref that is a selector said in words (the selector kept apart),
    any other ref (a report's name, a sample) as written, in parentheses (after a dash when
    it has parentheses of its own)."""
    what, word = KINDS.get(e.kind, (e.kind, e.kind))
    if word and word in e.source.lower():  # "customer interviews": the source says the kind
        text = e.source[:1].upper() + e.source[1:]
    else:
        text = f"{what} from {source_name(e.source)}"
    if not e.ref:
        return EvidenceWords(text, None)
    try:
        tree = selectors.parse(e.ref)
    except selectors.SelectorError:
        # A name with parentheses of its own in more read "(Q3 billing interviews (6))".
        return EvidenceWords(f"{text} — {e.ref}" if "(" in e.ref else f"{text} ({e.ref})", None)
    return EvidenceWords(f"{text} {_said(tree)}", e.ref)


#: The schemes an evidence ``url`` may link with: a web page. Any other (``javascript:``,
#: ``file:``, ``data:``, a bare path) is shown as text, never made a link.
LINKED_SCHEMES = frozenset({"http", "https"})


def evidence_link(url: str | None) -> tuple[str, str] | None:
    """An evidence entry's ``url`` as (href, the host a reader sees as the link's words) when
    it is a web address; None for anything else, which the page shows as text."""
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unbalanced "[" in the host, a port that is not a number
        return None
    if parts.scheme.lower() not in LINKED_SCHEMES or not host:
        return None
    return url, host


def source_name(source: str) -> str:
    """A data source as a reader names it: a tool's id in lower case ("zendesk") as its name
    ("Zendesk"); any other name as written ("customer interviews", "PagerDuty")."""
    return source.capitalize() if source.isalpha() and source.islower() else source


def _said(node: selectors.Node, parent: type | None = None) -> str:
    """A selector's tree in words: a part joined otherwise than its parent in parentheses."""
    if isinstance(node, selectors.Atom):
        return FIELDS[node.field].format(node.value.replace("_", " "))
    if isinstance(node, selectors.Not):
        return f"not {_said(node.operand, selectors.Not)}"
    joined = " and " if isinstance(node, selectors.And) else " or "
    text = _said(node.left, type(node)) + joined + _said(node.right, type(node))
    return text if parent in (None, type(node)) else f"({text})"
