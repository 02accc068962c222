"""``journeymaps export`` and ``journeymaps import``: maps to and from other tools' formats.

The registries below drive the commands' ``--format`` choices: an exporter turns a Map into
text, an importer turns text into the YAML of a starting map.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymaps import mermaid
from journeymaps.diagnostics import Diagnostic, Severity, Span
from journeymaps.direction_controls import shown
from journeymaps.loader import Source
from journeymaps.model import Map
from journeymaps.output import FileSet, write_output
from journeymaps.reading import size_text
from journeymaps.rules.input import INPUT_RULES
from journeymaps.settings import Settings


@dataclass(frozen=True)
class Exporter:
    """A format ``export`` writes: a map's text, its files' suffix, and what of the maps the
    format has no place for (said on standard error)."""

    write: Callable[[Map], str]
    suffix: str
    left_out: Callable[[Sequence[Map]], list[str]]
    name: str


EXPORTERS: dict[str, Exporter] = {
    "mermaid": Exporter(mermaid.journey, ".mmd", mermaid.left_out, "Mermaid's journey"),
}
IMPORTERS = {"mermaid"}


class InterchangeError(Exception):
    """The command cannot do what was asked; nothing was written. ``broken``: the files that
    could not be read, which may be why (the map asked for is one of them)."""

    def __init__(self, message: str, broken: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.broken = broken or []


class TooLarge(Exception):
    """The map an import would write (``path``) is ``size`` bytes, over the ``limit`` for
    one file, and lint would refuse it; ``line`` and ``column`` (1-based) name the source's
    task or section where it goes over. Nothing was written."""

    def __init__(self, line: int, column: int, path: Path, size: int, limit: int) -> None:
        super().__init__(f"{path.as_posix()}: {size} bytes, over {limit}")
        self.line, self.column, self.path, self.size, self.limit = line, column, path, size, limit

    def words(self, shown_path: str) -> str:
        return (
            f"the map this would write ({shown_path}) is {size_text(self.size)}, over the limit of "
            f"{size_text(self.limit)} for one file (max-file-size-kb in the settings), which lint refuses "
            "as unreadable; it goes over at this line. Nothing was written: import the journey in parts "
            "(a few sections each), or raise max-file-size-kb"
        )


class NotAMap(Exception):
    """The map an import would write breaks the map format (more stages than a map may
    have, say), and lint would refuse it; ``line`` and ``column`` (1-based) name the
    source's section or task it comes from. Nothing was written."""

    def __init__(self, line: int, column: int, path: Path, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.line, self.column, self.path = line, column, path
        self.fix = fix or "import the journey in parts (a few sections each)"

    def words(self, shown_path: str) -> str:
        return (
            f"the map this would write ({shown_path}) breaks the map format: {self}. "
            f"Nothing was written: {self.fix}"
        )


@dataclass
class Exported:
    texts: dict[str, str]  # map page name (its id, id--2 for a second of that id) -> text, in order
    broken: list[Diagnostic]  # files that could not be read (the other maps are exported)
    #: What the exported maps hold and the format does not, in words; None when nothing.
    left_out: str | None = None


def export(targets: list[Path], settings: Settings, cwd: Path, fmt: str, wanted: tuple[str, ...]) -> Exported:
    """The chosen maps (every map under ``targets`` when none is named) in ``fmt``."""
    from journeymaps.lint import lint

    report = lint(targets, settings, dt.date.today(), cwd)
    # By page name, not id: of two maps with one id (a duplicate-id error), the later one
    # replaced the other, which was never exported, without a word.
    maps = {
        m.slug: m for m in (report.project.maps if report.project else ()) if m.src.display in report.targets
    }
    broken = [d for d in report.diagnostics if d.rule in INPUT_RULES]
    ids = {m.id for m in maps.values()}
    for ident in wanted:
        if ident not in ids:
            import difflib

            close = difflib.get_close_matches(ident, sorted(ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InterchangeError(f"--map {ident}: no valid map with this id{hint}", broken)
    chosen = sorted(slug for slug, m in maps.items() if not wanted or m.id in wanted)
    exporter = EXPORTERS[fmt]
    texts = {slug: exporter.write(maps[slug]) for slug in chosen}
    missing = exporter.left_out([maps[slug] for slug in chosen])
    said = None
    if missing:
        listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        said = f"{exporter.name} has no place for {listed}: they stay in the YAML and on the site"
    return Exported(texts, broken, said)


def write_exports(exported: Exported, fmt: str, out: Path | None, *, folder: bool = False) -> list[Path]:
    """Write to ``out`` (a file for one map, else, or when ``folder``, a folder of ID.ext
    files); [] for stdout."""
    texts = exported.texts
    if not texts:
        raise InterchangeError("no map to export", exported.broken)
    if out is None:
        if len(texts) > 1:
            raise InterchangeError(
                f"{len(texts)} maps: choose one with --map ID, or write each to a folder with -o DIR"
            )
        return []
    suffix = EXPORTERS[fmt].suffix
    if len(texts) > 1 and out.suffix == suffix and not out.is_dir():  # meant as one file
        raise InterchangeError(
            f"{len(texts)} maps, and {out.as_posix()} names one {suffix} file: choose one with --map ID, "
            f"or name a folder for their ID{suffix} files (-o DIR)"
        )
    if len(texts) == 1 and not folder and not out.is_dir():
        write_output(out, next(iter(texts.values())).encode())
        return [out]
    written = []
    with FileSet() as files:  # all or none: an export stopped half-way mixes no two runs
        for ident, text in texts.items():
            files.write(out / f"{ident}{suffix}", text.encode())
            written.append(out / f"{ident}{suffix}")
    return written


def read_text(source: Path, raw: bytes) -> str:
    """UTF-8 text (a BOM is fine) or an error that says where."""
    from journeymaps.reading import wide_encoding

    if not raw.startswith(b"\xef\xbb\xbf") and (wide := wide_encoding(raw)) is not None:
        # as lint names it: "invalid UTF-8 byte 0xff" did not say what the file is
        # (PowerShell's > writes UTF-16)
        raise mermaid.MermaidError(1, 1, f"the file is {wide}: save it as UTF-8")
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        # at the byte's column (in characters), not the line's start: the user looks for it
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        line = raw[: exc.start].count(b"\n") + 1
        raise mermaid.MermaidError(
            line, column, f"invalid UTF-8 byte 0x{raw[exc.start]:02x}: save it as UTF-8"
        ) from None


def import_journey(
    text: str, origin: str, settings: Settings, map_id: str | None, owner: str | None, out: Path | None
) -> tuple[Path, str, mermaid.Journey, list[Diagnostic]]:
    """(where the map goes, its YAML, the parsed journey, what lint will warn of in it, at
    the journey's lines); MermaidError for bad input."""
    from journeymaps.validate import id_problem

    parsed = mermaid.parse(text)
    ident = map_id or mermaid.slug(parsed.title or Path(origin).stem) or "imported-journey"
    if (problem := id_problem(ident)) is not None:
        raise InterchangeError(problem)
    teams = _teams(settings)
    team = owner or (next(iter(teams)) if teams else "support")
    path = out or settings.roots()[0] / f"{ident}.yaml"
    from journeymaps.scaffold import registry_problem, taken

    portable = settings.severity("windows-reserved-name", Severity.ERROR) is not None
    if (problem := registry_problem(path, portable)) is not None:
        raise InterchangeError(problem)
    if (there := taken(path)) is not None:
        raise InterchangeError(f"{there}; choose another --id or --output")
    _refuse_taken_id(ident, settings)

    def to_map(journey: mermaid.Journey) -> str:
        return mermaid.to_map(
            journey, ident, team, set(teams), dt.date.today().isoformat(), schema_ref(settings, path), origin
        )

    yaml_text = to_map(parsed)
    limit = settings.max_file_size_kb * 1024
    size = len(yaml_text.encode("utf-8"))
    if size > limit:
        # Refused rather than split: a journey's sections in several maps are no longer one
        # journey (one emotion curve, one id, one page); where to cut is the user's call.
        line = _line_over(parsed, lambda j: len(to_map(j).encode("utf-8")) > limit)
        column = 1 + len(source_line := mermaid.source_lines(text)[line - 1]) - len(source_line.lstrip())
        raise TooLarge(line, column, path, size, limit)
    from journeymaps.loader import from_bytes

    src = from_bytes(path, path.name, yaml_text.encode("utf-8"))
    _check_format(src, parsed, text, path)
    return path, yaml_text, parsed, _hidden_controls(src, parsed, text, origin, settings)


#: How many lines of one kind, and how many kinds, "Not kept" names before "and N more".
_LINES_SAID, _KINDS_SAID = 3, 10


def dropped_words(dropped: Sequence[tuple[int, str]]) -> str:
    """What of a journey a map has no place for, each kind once with its first lines:
    ``accTitle (lines 2, 3, 4 and 29,997 more)``. A line each, 30,000 accTitle lines made a
    message of 680 KB."""
    lines: dict[str, list[int]] = {}
    for line, name in dropped:
        lines.setdefault(name, []).append(line)
    said = []
    for name, found in list(lines.items())[:_KINDS_SAID]:
        shown = ", ".join(str(n) for n in found[:_LINES_SAID])
        more = f" and {len(found) - _LINES_SAID:,} more" if len(found) > _LINES_SAID else ""
        said.append(f"{name} (line{'s' if len(found) > 1 else ''} {shown}{more})")
    if len(lines) > _KINDS_SAID:
        said.append(f"and {len(lines) - _KINDS_SAID:,} more")
    return ", ".join(said)


def _refuse_taken_id(ident: str, settings: Settings) -> None:
    """As ``new`` does: a map of that id in another file (or ``-o`` elsewhere) was written,
    and lint then refused the two as a duplicate id."""
    from journeymaps.project import display_path
    from journeymaps.scaffold import map_with_id

    taken = map_with_id(settings.roots(), ident)
    if taken is not None:
        shown = display_path(taken, Path.cwd())
        raise InterchangeError(f"a map with id '{ident}' exists already: {shown}; choose another --id")


def _check_format(src: Source, parsed: mermaid.Journey, source: str, path: Path) -> None:
    """Raise :class:`NotAMap` at the source line of the map's first schema error: an import
    wrote maps lint then refused (101 sections), and the user learned it only from lint."""
    from journeymaps.validate import explain, validate

    if not validate(src, "map"):
        return
    where, _, message = next(iter(explain(src.data, "map")), ((), False, "not a journey map"))
    line = _source_line(parsed, where)
    lines = mermaid.source_lines(source)
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    # A title or name over its length ("import in parts" was no help there): shortened in the
    # journey, the rest said in the map's own texts once imported.
    fix = (
        "shorten it in the journey, and say the rest in the map"
        if where[-1:] in (("title",), ("name",))
        else ""
    )
    raise NotAMap(line, 1 + len(source_line) - len(source_line.lstrip()), path, message, fix)


def _hidden_controls(
    src: Source, parsed: mermaid.Journey, source: str, origin: str, settings: Settings
) -> list[Diagnostic]:
    """The direction controls (U+202E...) and control characters (NUL, ESC...) the map
    holds, each a warning in lint's words at the journey's line and column, as lint would
    give it (or not, when the rule is off). The map holds them as escapes, so it is still
    YAML lint reads; it was written without a word, and its first lint warned of them."""
    from journeymaps.lint import severity_in
    from journeymaps.rules import all_rules
    from journeymaps.rules.writing import hidden_in_values

    lines = mermaid.source_lines(source)
    found = []
    for name, hidden, message in hidden_in_values(src):
        rule = all_rules()[name]
        if (severity := severity_in(rule, src, settings)) is None:
            continue
        line = _source_line(parsed, hidden.path)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        at = text.find(hidden.control)
        column = at + 1 if at >= 0 else 1 + len(text) - len(text.lstrip())
        found.append(Diagnostic(name, rule.code, severity, origin, Span.point(line, column), shown(message)))
    return found


def _source_line(j: mermaid.Journey, where: tuple[Any, ...]) -> int:
    """The line of the title, section (stage) or task (step) a schema error at ``where`` is
    in; at a list that is too long, of its first item past the limit."""
    from journeymaps.validate import schema

    if where == ("title",):  # it was said at line 1, while the message said to shorten it
        return j.title_line
    if where[:1] != ("stages",) or not j.sections:
        return 1
    document = schema("map")
    index = where[1] if len(where) > 1 else document["properties"]["stages"].get("maxItems", 0)
    if not isinstance(index, int):
        return 1
    section = j.sections[min(index, len(j.sections) - 1)]
    if where[2:3] != ("steps",) or not section.tasks:
        return section.line
    limit = document["$defs"]["stage"]["properties"]["steps"].get("maxItems", 0)
    task = where[3] if len(where) > 3 else limit
    return section.tasks[min(task, len(section.tasks) - 1)].line if isinstance(task, int) else section.line


def _line_over(j: mermaid.Journey, over: Callable[[mermaid.Journey], bool]) -> int:
    """The source line of the first section or task whose map goes ``over`` the limit (the
    map only grows with each): found by halving, each try a map of the journey up to there."""
    items = [(s, t) for s, section in enumerate(j.sections) for t in range(-1, len(section.tasks))]

    def upto(k: int) -> mermaid.Journey:  # the sections and tasks before items[k], and it
        s, t = items[k]
        last = j.sections[s]
        return mermaid.Journey(
            j.title, [*j.sections[:s], mermaid.Section(last.name, last.line, last.tasks[: t + 1])], j.state
        )

    low, high = 0, len(items) - 1  # the whole journey is over
    while low < high:
        mid = (low + high) // 2
        if over(upto(mid)):
            high = mid
        else:
            low = mid + 1
    s, t = items[low]
    return j.sections[s].line if t < 0 else j.sections[s].tasks[t].line


def schema_ref(settings: Settings, path: Path) -> str:
    """How a new map points at its schema: the copy in the project's schema/ (written with
    it when missing, as ``new`` does). It pointed at a journeymaps.dev address without one,
    which no host serves: every imported map started with a schema-reference finding."""
    from journeymaps.schema_copies import DEFAULT_FOLDER
    from journeymaps.validate import SCHEMA_FILES

    target = settings.root / DEFAULT_FOLDER / SCHEMA_FILES["map"]
    return Path(os.path.relpath(target, path.parent)).as_posix()


def _teams(settings: Settings) -> list[str]:
    """Team ids of the first maps folder's teams.yaml, in order (none when unreadable); only
    ids the format takes: the first became the owner, and "Bad team: x" (which lint refuses
    there) made a map that was not YAML."""
    from journeymaps.loader import from_bytes
    from journeymaps.registry_links import read_as_lint
    from journeymaps.validate import id_problem

    path = settings.roots()[0] / "teams.yaml"
    if (raw := read_as_lint(path, settings)) is None:  # as lint: a link out of the project is not read
        return []
    src = from_bytes(path, "teams.yaml", raw)
    if not src.ok or not isinstance(src.data, dict) or not isinstance(src.data.get("teams"), list):
        return []
    ids = [t.get("id") for t in src.data["teams"] if isinstance(t, dict)]
    return [i for i in ids if isinstance(i, str) and id_problem(i, "teamId") is None]
