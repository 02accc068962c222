"""Colours, fonts and words shared by every view.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms
of colour blindness; every colour is paired with text (a value, a word, a symbol), never
used alone.
"""

from __future__ import annotations

from collections.abc import Mapping

# No bold anywhere: Graphviz sizes bold text with regular metrics, so browsers' bold text
# overflows its box (caught by tests/diagrams/test_screenshots.py).
FONT = "Helvetica"
FONT_SIZE = "14"  # Graphviz's default size: no text is smaller
INK = "#1a1a1a"
MUTED = "#4d4d4d"
LINE = "#666666"

# Okabe-Ito
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"

#: Emotion -3..+3: a diverging scale, vermillion (negative) to blue (positive), light
#: enough for dark text on top.
EMOTION_FILL = {
    -3: "#F4B183",
    -2: "#F8CBAD",
    -1: "#FBE5D6",
    0: "#F2F2F2",
    1: "#DEEBF7",
    2: "#BDD7EE",
    3: "#9DC3E6",
}
EMOTION_WORD = {
    -3: "very negative",
    -2: "negative",
    -1: "slightly negative",
    0: "neutral",
    1: "slightly positive",
    2: "positive",
    3: "very positive",
}

PAIN_FILL = {"technical": "#FFF2CC", "process": "#E2F0D9", "emotional": "#FCE4EC"}
PAIN_SYMBOL = {"technical": "\u2699", "process": "\u21c4", "emotional": "\u2665"}

LANE_TITLES = {
    "physical-evidence": "Physical evidence",
    "customer": "Customer actions",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
}
LANES = tuple(LANE_TITLES)
#: A blueprint's rows and lines in plain words, for readers who never met the terms (the
#: canvas's key): "Frontstage" and "Line of visibility" said nothing to someone opening a map.
BLUEPRINT_WORDS = {
    "Physical evidence": "what the customer sees or receives: a page, an email, an invoice",
    "Customer actions": "what the customer does, step by step",
    "Line of interaction": "where the customer and we meet: above it the customer, below it us",
    "Frontstage": "our people and bots the customer deals with directly",
    "Line of visibility": "what lies below it the customer does not see",
    "Backstage": "our teams' work on the case that the customer does not see",
    "Support processes": "the systems and other teams that this work relies on",
}

CHANNEL_WORDS = {
    "web": "Web",
    "app": "App",
    "in-app": "In-app message",
    "email": "Email",
    "chat": "Chat",
    "whatsapp": "WhatsApp",
    "messenger": "Messenger",
    "phone": "Phone",
    "ivr": "Phone menu (IVR)",
    "sms": "SMS",
    "social": "Social media",
    "community": "Community",
    "status-page": "Status page",
    "in-person": "In person",
    "other": "Other channel",
}


def channel_word(channel: str | None) -> str:
    """A channel as people say it (the schema's word when it is not one we know)."""
    return CHANNEL_WORDS.get(channel or "", channel or "")


#: Who acts, said in a diagram when it is not the customer (a customer's step says nothing new).
ACTOR_WORDS = {"agent": "by an agent", "bot": "by a bot", "system": "by a system"}
#: The marks of the emotion curve (\u2605 truth, \u2726 wow), so a diagram reads like the curve.
MOMENT_WORDS = {"truth": "\u2605 moment of truth", "wow": "\u2726 wow moment"}


def actor_word(actor: str | None) -> str | None:
    return ACTOR_WORDS.get(actor or "")


def moment_word(moment: str | None) -> str | None:
    return MOMENT_WORDS.get(moment or "")


def team_name(team_id: str, teams: Mapping[str, str] | None) -> str:
    """A team's name from the registry, its id when the registry does not know it."""
    return (teams or {}).get(team_id, team_id)


def signed(value: int) -> str:
    """An emotion's number as the site writes it: "+3", "0", and U+2212 MINUS SIGN before
    a negative one, not a hyphen (the curve's labels said "-2" beside the badges')."""
    return f"+{value}" if value > 0 else f"\u2212{-value}" if value < 0 else "0"


def volume_figure(value: float) -> str:
    """A monthly volume as the site and diagrams write it: "1,200"; a measured one (the mean
    of three months, to a tenth) with its tenth, "27.7". Shown as 28, it read 28 x severity 3
    = 83 and 28 x $12 x 12 = $3,989: the figures beside it were made of 27.7."""
    tenths = round(float(value), 1)
    return f"{tenths:,.0f}" if tenths.is_integer() else f"{tenths:,.1f}"


def emotion_label(value: int | None) -> str:
    """A readable emotion: sign, number and word."""
    if value is None:
        return ""
    if type(value) is int and (known := _EMOTION_LABELS.get(value)) is not None:
        return known  # (not for a float from YAML's 1.0, which reads "+1.0 …")
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "\u00b1")
    return f"{sign}{abs(value)} {EMOTION_WORD[value]}"


#: Each emotion's label, made once (every step of every diagram says its emotion).
_EMOTION_LABELS: dict[int, str] = {}
_EMOTION_LABELS.update({value: emotion_label(value) for value in EMOTION_WORD})


def emotion_fill(value: int | None) -> str:
    return EMOTION_FILL.get(value, "#FFFFFF") if value is not None else "#FFFFFF"


def graph_defaults() -> dict[str, dict[str, str]]:
    """Attributes every view starts from (keyword arguments of dot.Digraph)."""
    return {
        "graph_attr": {
            "fontname": FONT,
            "fontsize": FONT_SIZE,
            "fontcolor": INK,
            "bgcolor": "white",
            "pad": "0.3",
            "labeljust": "l",
            "labelloc": "t",
        },
        "node_attr": {"fontname": FONT, "fontsize": FONT_SIZE, "fontcolor": INK, "color": LINE},
        "edge_attr": {"fontname": FONT, "fontsize": FONT_SIZE, "fontcolor": INK, "color": LINE},
    }
