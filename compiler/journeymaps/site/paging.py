"""The home page in numbered pages, so a portfolio of 10,000 maps is not one page of 10,000
cards; and the cards' data in one script, which the filters load when first used, so a
filter still finds every map, not only those of the page shown."""

from __future__ import annotations

import json
from typing import Any

from journeymaps.records import record
from journeymaps.site import words
from journeymaps.templating import money_words

#: Numbers shown either side of the current page in the navigation (first and last always).
AROUND = 2
#: Where the filters find every card (a script: fetching JSON is not allowed from file://).
CARDS_SCRIPT = "static/cards.js"


#: Where the portfolio's team filter finds every ranked pain point of a team (see
#: :func:`rows_script`): one script per team, so choosing a team loads that team's rows only.
PAINS_SCRIPTS = "static/pains/"


def page_path(number: int, stem: str = "index") -> str:
    """``index.html`` for the first page, ``index-2.html`` for the second... (``stem``:
    ``portfolio.html``, ``portfolio-2.html``...)"""
    return f"{stem}.html" if number == 1 else f"{stem}-{number}.html"


@record
class Pager:
    """One page of a paged list: which page, of how many."""

    number: int
    pages: int
    #: The first page's name without ``.html``; the others add ``-2``, ``-3``...
    stem: str = "index"

    @property
    def links(self) -> list[tuple[int, str] | None]:
        """(number, path) of each page the navigation names; None where numbers are left
        out (an ellipsis): the first, the last, and :data:`AROUND` either side of this one."""
        shown = sorted({1, self.pages, *range(self.number - AROUND, self.number + AROUND + 1)})
        out: list[tuple[int, str] | None] = []
        for n in shown:
            if not 1 <= n <= self.pages:
                continue
            if out and (prev := out[-1]) is not None and n - prev[0] > 1:
                out.append(None)
            out.append((n, page_path(n, self.stem)))
        return out

    @property
    def previous(self) -> str | None:
        return page_path(self.number - 1, self.stem) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return page_path(self.number + 1, self.stem) if self.number < self.pages else None


def paged(items: list[Any], per_page: int, stem: str = "index") -> list[tuple[Pager, list[Any]]]:
    """``items`` in pages of ``per_page`` (one empty page when there are none)."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    return [(Pager(number, len(chunks), stem), chunk) for number, chunk in enumerate(chunks, 1)]


def page_count(items: int, per_page: int) -> int:
    """How many pages :func:`paged` makes of ``items`` items."""
    return max(1, -(-items // per_page))


def _inert(rows: Any) -> str:
    payload = json.dumps(rows, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    # Inert inside any HTML context a script might end up in.
    return payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def rows_script(team: str, rows: list[dict[str, Any]]) -> bytes:
    """The rows of a table in numbered pages that ``team`` filters to, as a script that
    hands them to the filter (static/site.js renders them as the template does): ``f``
    what the filters match (``{"team": "support"}``), ``c`` the cells, each a text, or
    ``{"t": text, "u": link, "s": a note shown small after it, "b": [a badge's classes,
    its words, and its title if it has one]}``; the second cell is the row's header."""
    return f"window.JOURNEYMAPS_ROWS({_inert(team)},{_inert(rows)});\n".encode()


def cards_script(cards: list[dict[str, Any]], team_names: dict[str, str], currency: str) -> bytes:
    """Every card's data, in the order of the pages, as a script that hands it to the
    filters. The fields, short for a 10,000-map site (0.4-0.5 KB a map): ``u`` the map's page,
    ``t`` title, ``s`` state, ``p`` persona, ``o`` owner's name, ``d`` scenario, ``n`` stages,
    open pain points and open opportunities, ``r`` reviewed (``[iso, words]`` or "never"),
    ``z`` the stale badge's severity, ``h`` the health badge's level and label, ``m`` the
    teams it filters by, ``c`` the cost of inaction in words (empty when unknown), ``w`` a
    draft's badge (classes, words, title; only on a draft's card)."""
    rows = [card_row(c, team_names, currency) for c in cards]
    return f"window.JOURNEYMAPS_CARDS({_inert(rows)});\n".encode()


def card_row(c: dict[str, Any], team_names: dict[str, str], currency: str) -> dict[str, Any]:
    """One card's data (see :func:`cards_script`)."""
    m = c["map"]
    return {
        "u": f"maps/{m.slug}.html",
        "t": m.title,
        "s": m.state,
        "p": m.persona.name if m.persona else "",
        "o": team_names.get(m.owner, m.owner) if m.owner else "nobody",
        "d": m.scenario or "",
        "n": [len(m.stages), len(m.open_pain_points), c["open"]],
        # as the template writes it: the date in words, its ISO form for the <time> element
        "r": [m.reviewed.isoformat(), words.date_words(m.reviewed)] if m.reviewed else "never",
        "z": c["stale"] or "",
        "h": [c["health"].level, c["health"].label],
        "m": " ".join(c["teams"]),
        "c": money_words(c["money"], currency) if c["money"].known else "",
        # Only on a draft's card: its badge, as the template writes it.
        **({"w": words.draft_badge(c["draft"], "draft")} if c.get("draft") else {}),
    }
