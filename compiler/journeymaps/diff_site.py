"""``journeymaps diff --site``: before and after journey diagrams of every changed map, with
what changed outlined, beside the comparison's words."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from journeymaps.comparison import ADDED, CHANGED, REMOVED, Comparison
from journeymaps.comparison_words import (
    baseline_lines,
    describe_status,
    folder_words,
    pairing_lines,
    registry_lines,
    removed_words,
    settings_lines,
    suppression_lines,
    unread_words,
)
from journeymaps.diagrams.render import DEFAULT_RENDERER, DEFAULT_TIMEOUT
from journeymaps.model import Map


def write_site(
    c: Comparison, out: Path, renderer: str = DEFAULT_RENDERER, timeout: float = DEFAULT_TIMEOUT
) -> None:
    """Before and after journey diagrams of every changed map, with what changed outlined;
    a diagram that takes longer than ``timeout`` seconds to lay out is left out."""
    from journeymaps.diagrams import Diagram, RenderError, describe, to_svg
    from journeymaps.diagrams import journey as journey_view
    from journeymaps.site.staging import MARKER, replace_folder
    from journeymaps.templating import environment, templates_dir

    files: dict[str, bytes] = {}
    #: Why a side's diagram is missing, by (map id, side): shown in its place, not left out.
    missing: dict[tuple[str, str], str] = {}

    def draw(m: Map | None, side: str, marks: frozenset[str]) -> str | None:
        if m is None:
            return None
        d = Diagram(
            "journey",
            m.id,
            f"Journey of {m.title} ({side})",
            describe("journey", m),
            journey_view.build(m, marks, teams=c.teams).source,  # owners by name, as the site's
        )
        try:
            files[f"{m.id}.{side}.svg"] = to_svg(d, renderer, timeout)
        except RenderError as exc:
            missing[m.id, side] = str(exc)
            return None
        return f"{m.id}.{side}.svg"

    def retitled(old: Map, new: Map, was: frozenset[str], now: frozenset[str]) -> bool:
        before = journey_view.build(old, was, teams=c.teams).source
        return before == journey_view.build(replace(new, title=old.title), now, teams=c.teams).source

    entries = []
    was: frozenset[str]
    now: frozenset[str]
    for md in c.maps:
        old = md.old.model if md.old else None
        new = md.new.model if md.new else None
        unread = c.unread_in(md) if md.status == REMOVED else None
        if md.folder:  # a maps folder not read (a link out of the project): no map
            lines, was, now = [folder_words(md)], frozenset(), frozenset()
        elif unread is not None:
            lines, was, now = [unread_words(md, unread)], frozenset(), frozenset()
        elif md.status == ADDED and new is not None:
            lines, was, now = ["map added"], frozenset(), _everything(new)
        elif md.status == REMOVED:
            lines, was, now = [removed_words(md, c)], frozenset(), frozenset()
        elif md.status == CHANGED:
            lines = [ch.text for ch in md.changes]
            was = frozenset().union(*(ch.marks("before") for ch in md.changes))
            now = frozenset().union(*(ch.marks("after") for ch in md.changes))
        else:
            lines, was, now = [describe_status(md, c)], frozenset(), frozenset()
        undrawn = old is not None and new is not None and retitled(old, new, was, now)
        if undrawn:
            old = new = None  # a map renamed: two diagrams alike but their titles (as the comment)
        entries.append(
            {
                "title": md.title,
                "id": md.map_id,
                "changes": lines,
                # Not "removed": the file is still in the change, where no check reads it.
                "kind": "moved out of the checks"
                if md.excluded_as
                else "folder not read"
                if md.folder
                else "not read"
                if unread
                else md.status,
                "before": draw(old, "before", was),
                "after": draw(new, "after", now),
                # Said: a KPI's target moved left the page with no diagram and no word why.
                "undrawn": undrawn,
                "missing": {side: why for (map_id, side), why in missing.items() if map_id == md.map_id},
            }
        )
    # The settings change too: the page said "no finding introduced or fixed" of a change
    # turning a rule off, as the comment's summary did. A registry renamed, as every format
    # says it (the page said only "No change to any journey map").
    page = (
        environment()
        .get_template("diff.html")
        .render(
            c=c,
            entries=entries,
            settings=settings_lines(c),
            registries=registry_lines(c),
            pairing=pairing_lines(c),
            suppressions=suppression_lines(c),
            baseline=baseline_lines(c),
        )
    )
    files["index.html"] = page.encode()
    files["style.css"] = (templates_dir() / "static" / "style.css").read_bytes()
    files[MARKER] = b"{}\n"
    replace_folder(out, files, option="--site")


def _everything(m: Map) -> frozenset[str]:
    return frozenset({s.id for s in m.stages} | {st.ref for st in m.steps()})
