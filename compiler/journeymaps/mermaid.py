"""Mermaid ``journey`` diagrams: GitHub and GitLab draw them inline in Markdown, so a
pull-request comment can show a map's emotion journey with no upload.

Export: a section per stage, a task per step (a stage without steps is one task), scored
with a whole number 1-5 from the emotion -3..+3 (see :data:`SCORES`; a step without emotion
takes its stage's, else the neutral 3), with the owning team as the actor. Import reads such
a diagram back (any Mermaid ``journey``) into a starting map: sections become stages, tasks
steps, scores emotions (see :func:`emotion`), actors that are teams owners.

Mermaid's journey grammar ends a name at ':', '#' or ';' and reads a line starting with
``title`` or ``section`` as a keyword, so names are written with look-alike characters there
(U+2236 RATIO, U+FF03 FULLWIDTH NUMBER SIGN, U+204F REVERSED SEMICOLON, a zero-width
space before a keyword), which import turns back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from journeymaps import yaml_quote
from journeymaps.model import Map, Stage, Step

#: Characters Mermaid's journey grammar reserves, and what is written instead.
_RESERVED = {":": "\u2236", "#": "\uff03", ";": "\u204f"}
_BACK = {v: k for k, v in _RESERVED.items()}
_ZWSP = "\u200b"
_BOM = "\ufeff"
_KEYWORDS = re.compile(r"(title|section|journey|accTitle|accDescr|%%)", re.IGNORECASE)


#: An emotion -3..+3 as a Mermaid score. Mermaid's scores are whole numbers 1..5 (its faces
#: smile above 3, frown below it; each point is one step up the chart): a linear 3 + e*2/3
#: wrote 1.67 and 2.33, which reviewers read as a bug. Seven values in five keep the sign
#: (3 is neutral) and the order, so two pairs must share a score: the strong feelings do
#: (-3 and -2 are 1, +2 and +3 are 5) and the mild ones keep theirs (-1 is 2, +1 is 4), so a
#: step that slips from mildly annoying to frustrating moves on the chart, and a mild one
#: never looks like a pain point. What is lost is -3 against -2 (and +2 against +3).
SCORES = {-3: 1, -2: 1, -1: 2, 0: 3, 1: 4, 2: 5, 3: 5}

#: A whole Mermaid score back to an emotion: the inverse of :data:`SCORES` where it has
#: one, the extremes where two emotions share a score (1 is -3, 5 is +3), so exporting an
#: imported journey gives its scores back unchanged.
EMOTIONS = {1: -3, 2: -1, 3: 0, 4: 1, 5: 3}


def score(emotion: int | None) -> str:
    """An emotion -3..+3 as a Mermaid score 1..5 (:data:`SCORES`; none is the neutral 3)."""
    return str(SCORES[0 if emotion is None else emotion])


def emotion(value: float) -> int:
    """A Mermaid score back to an emotion -3..+3, with its sign: a whole score by
    :data:`EMOTIONS`; any other (another tool's 2.5, or journeymaps' own 2.33 before scores
    were whole) by the linear inverse of ``3 + e*2/3``, never neutral off 3."""
    value = max(1.0, min(5.0, value))
    if value.is_integer():
        return EMOTIONS[int(value)]
    felt = round((value - 3) * 1.5)
    return felt or (1 if value > 3 else -1)


def _name(text: str, colon: bool = True, line_start: bool = False) -> str:
    """Text Mermaid reads back as written: one line, no reserved character, and (at the
    start of a line) no keyword."""
    text = " ".join(text.split())
    for char, look_alike in _RESERVED.items():
        if colon or char != ":":
            text = text.replace(char, look_alike)
    if line_start and _KEYWORDS.match(text):
        text = _ZWSP + text
    return text or "(unnamed)"


#: The map states export names after the title, as " (current state)", which import takes
#: back as the map's ``state`` (a title of another tool's journey that ends so is read the same).
STATES = ("current", "future")


def titled(title: str, state: str) -> str:
    """A map's title as its journey's: with its state, ``Checkout (current state)``; a
    title that already ends with those words keeps them once (a future-state map titled
    "… (future state)" was exported "… (future state) (future state)")."""
    words = _words(state)
    head = title.removesuffix(words)
    if head != title and head.strip() and head == head.rstrip():  # what import takes off
        return title
    return f"{title}{words}"


def _words(state: str) -> str:
    return f" ({state} state)"


def untitled(title: str) -> tuple[str, str | None]:
    """A journey's title as a map's title and state: what :func:`titled` added taken off
    (once), else no state. So a map titled "Checkout (future state)" comes back titled
    "Checkout", its state future, and is exported the same again."""
    for state in STATES:
        suffix = _words(state).lstrip()
        if title.endswith(suffix) and title[: -len(suffix)].strip():
            return title[: -len(suffix)].rstrip(), state
    return title, None


def journey(m: Map) -> str:
    """The Mermaid journey of one map."""
    lines = ["journey", f"  title {_name(titled(m.title, m.state), colon=False)}"]
    for stage in m.stages:
        lines.append(f"  section {_name(stage.name)}")
        tasks: list[Stage | Step] = list(stage.steps) or [stage]
        for task in tasks:
            feeling = task.emotion if task.emotion is not None else stage.emotion
            actor = task.owner or stage.owner
            actors = f": {_name(actor)}" if actor else ""
            lines.append(f"    {_name(task.name, line_start=True)}: {score(feeling)}{actors}")
    return "\n".join(lines) + "\n"


def left_out(maps: Sequence[Map]) -> list[str]:
    """What ``maps`` hold that a Mermaid journey has no place for ("6 pain points"): said
    when exporting, so that nobody takes the .mmd for the whole map."""
    from journeymaps.reporters.base import counted

    found = [
        (sum(len(m.pain_points) for m in maps), "pain point", ""),
        (sum(len(m.opportunities) for m in maps), "opportunity", "opportunities"),
        (sum(len(m.handoffs) for m in maps), "handoff", ""),
        (sum(len(s.kpis) for m in maps for s in m.stages), "KPI", ""),
        (sum(1 for m in maps for _ in m.all_evidence()), "piece of evidence", "pieces of evidence"),
        (sum(1 for m in maps if m.persona_ref or m.persona), "persona", ""),
    ]
    return [counted(n, word, words) for n, word, words in found if n]


class MermaidError(Exception):
    """Not a Mermaid journey; ``line`` and ``column`` say where (1-based)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column = line, column


@dataclass
class Task:
    name: str
    score: float
    actors: list[str]
    line: int


@dataclass
class Section:
    name: str
    line: int
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Journey:
    title: str | None  # without the state export adds (:func:`untitled`)
    sections: list[Section]
    state: str | None = None  # the state the title ended with, if any
    #: What a map has no place for, by line: (line, what), said by import (it was dropped
    #: without a word, and a round trip through a map lost it unsaid).
    dropped: list[tuple[int, str]] = field(default_factory=list)
    #: The line the title is written on, where import points at a title too long for a map.
    title_line: int = 1


def _text(raw: str) -> str:
    text = raw.strip().removeprefix(_ZWSP)
    for look_alike, char in _BACK.items():
        text = text.replace(look_alike, char)
    return text


#: A score as Mermaid's documentation has it, "a number between 1 and 5, inclusive": a
#: decimal number, a fraction allowed (Mermaid draws 2.5 half-way between 2 and 3).
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def _score(text: str) -> float | None:
    """A task's score 1..5, or None. Mermaid's parser takes any JavaScript number and draws
    a 0 below its 1s, a 9 above its 5s; import took them too and clamped them to -3 and +3
    without a word (a journey scored 0..10 was read as if scored 1..5, every 6 to 10 as
    delight). Python's float() also reads 'nan', '1_0' and other scripts' digits."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if 1 <= number <= 5 else None


#: Where a line ends, as Mermaid and editors count lines: Mermaid's journey grammar ends one
#: only at a line feed (a carriage return is blank to it), editors at CR LF, CR and LF.
_LINE_END = re.compile(r"\r\n|\r|\n")


def source_lines(source: str) -> list[str]:
    """The lines of a Mermaid source, as :data:`_LINE_END` ends them. ``str.splitlines()``
    also ends one at U+2028, NEL, a form feed...: a title holding one was cut in two (the
    second half refused as a task), and each later line was named one line too far down."""
    lines = _LINE_END.split(source)
    return lines[:-1] if lines and not lines[-1] else lines


def _front_matter_text(value: str) -> str:
    """A front matter's ``title:`` value as YAML reads it (Mermaid reads its front matter
    as YAML): quoted, its escapes and quotes undone; plain, up to a comment. Its quotes
    only stripped, ``"Checkout \\"fast\\" path"`` kept its backslashes, ``'It''s'`` its
    doubled quote, and ``Plain # note`` the comment."""
    text = value.strip()
    if text[:1] in ("'", '"'):
        import yaml

        try:  # one quoted scalar (and a comment): no nesting, no alias to expand
            read = yaml.safe_load(text)
        except yaml.YAMLError:
            return text.strip("\"'")  # not closed: as it was read before
        # "\ud800" reads as a lone surrogate, which no map file can hold: kept as written
        return read if isinstance(read, str) and _encodes(read) else text.strip("\"'")
    return re.split(r"\s#", text, maxsplit=1)[0].rstrip()


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse(source: str) -> Journey:
    """A Mermaid journey diagram's title, sections and tasks; MermaidError otherwise."""
    lines = source_lines(source)
    i, title, started, title_line = 0, None, False, 1
    dropped: list[tuple[int, str]] = []
    if lines and lines[0].strip() == "---":  # front matter: only its title is used
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        if end is None:
            raise MermaidError(1, 1, "front matter '---' is never closed")
        for j in range(1, end):
            key, _, value = lines[j].partition(":")
            if key.strip() == "title":
                title, title_line = _front_matter_text(value), j + 1
            elif key.strip() and key == key.lstrip() and not key.startswith("#"):  # a top-level key
                dropped.append((j + 1, f"front matter '{key.strip()}'"))
        i = end + 1
    sections: list[Section] = []
    in_description = False
    opened = (1, 1)  # where the last 'accDescr {' opened
    for n in range(i, len(lines)):
        raw = lines[n]
        # A byte order mark starting a line (two files joined with cat, each saved with one)
        # is blank to Mermaid (JavaScript's \s holds it), not to str.strip(): "section B"
        # was refused as a task, at a line that looks right.
        line = raw.strip().lstrip(_BOM).strip()
        where = n + 1, len(raw) - len(raw.lstrip()) + 1
        if in_description:
            in_description = "}" not in line
            continue
        if not line or line.startswith("%%"):
            continue
        word, _, rest = line.partition(" ")
        if not started:
            if line != "journey":
                raise MermaidError(*where, f"expected 'journey' (a Mermaid user journey), got {line[:40]!r}")
            started = True
            continue
        if word == "title":
            title, title_line = _text(rest), n + 1
        elif line.startswith(("accTitle", "accDescr")):
            in_description = line.startswith("accDescr") and "{" in line and "}" not in line
            opened = where
            dropped.append((n + 1, "accDescr" if line.startswith("accDescr") else "accTitle"))
        elif word == "section":
            if not _text(rest):
                raise MermaidError(*where, "a section needs a name: 'section Contact support'")
            sections.append(Section(_text(rest), n + 1))
        else:
            name, colon, data = line.partition(":")
            if not colon:
                raise MermaidError(
                    *where, "a task is 'Name: score: actors', e.g. 'Reset password: 2: support'"
                )
            value, _, actors = data.partition(":")
            actors, extra, _ = actors.partition(":")  # Mermaid reads no further either
            if extra:
                dropped.append((n + 1, "a task's text after its actors"))
            number = _score(value)
            if number is None:
                column = where[1] + len(name) + 1 + len(value) - len(value.lstrip())
                raise MermaidError(
                    n + 1, column, f"the score must be a number from 1 to 5, got {value.strip()!r}"
                )
            if not _text(name):
                raise MermaidError(*where, "a task needs a name before its ':'")
            if not sections:
                sections.append(Section("Journey", n + 1))
            people = [_text(a) for a in actors.split(",") if a.strip()]
            sections[-1].tasks.append(Task(_text(name), number, people, n + 1))
    if not started:
        raise MermaidError(1, 1, "the file is empty: expected a Mermaid journey")
    if in_description:  # every line after it was read as description: "no section" misled
        raise MermaidError(*opened, "'accDescr {' is never closed with '}'")
    if not sections:
        raise MermaidError(len(lines) or 1, 1, "the journey has no section and no task")
    title, state = untitled(title) if title is not None else (None, None)
    return Journey(title, sections, state, dropped, title_line)


#: The longest id an import makes from a name: ids may have 100 characters, and a numbered
#: one (``-2``...) must still fit. A section named in a sentence made an id the map refused.
SLUG_LIMIT = 60


def slug(text: str) -> str:
    """A kebab-case id from a name (accents dropped), whole words up to :data:`SLUG_LIMIT`
    characters (a single longer word cut there)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    made = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    if len(made) <= SLUG_LIMIT:
        return made
    cut = made.rfind("-", 0, SLUG_LIMIT + 1)
    return made[:cut] if cut > 0 else made[:SLUG_LIMIT]


class _Ids:
    """Ids given so far; the next free ``base``, ``base-2``, ``base-3``… of a name.

    Each base remembers where its count stopped: counting from 2 every time made an import
    of thousands of same-named tasks quadratic (8,000 took 22 s)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def unique(self, base: str, fallback: str) -> str:
        base = base or fallback
        name, n = base, self.next.get(base, 2)
        if name in self.taken:
            name = f"{base}-{n}"
            while name in self.taken:
                n += 1
                name = f"{base}-{n}"
            self.next[base] = n + 1
        self.taken.add(name)
        return name


def _quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as it is. Written as is, a DEL
    in a name made a map YAML refuses, and the import was refused "at the top of the file"."""
    return yaml_quote.quoted(text)


def _comment_text(text: str) -> str:
    """A file name as a YAML comment holds it: on one line, and a character YAML refuses
    (U+FFFE) or a byte that is not UTF-8 (read by Python as a lone surrogate) as its escape,
    ``\\udcff``. Written as is, the map could not be encoded ('internal error:
    UnicodeEncodeError') or was refused "at the top of the file"."""
    return yaml_quote.escaped(" ".join(text.split()))


_FUTURE = "# A future-state map: name the current-state map it improves in based_on."


def to_map(
    j: Journey, map_id: str, owner: str, teams: set[str], today: str, schema_ref: str, origin: str
) -> str:
    """The YAML text of a starting map from a parsed journey."""
    title = j.title or map_id.replace("-", " ").capitalize()
    out = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Imported from {_comment_text(origin)}: add the persona, the evidence behind each stage,",
        "# pain points and opportunities, then run journeymaps lint.",
        *([_FUTURE] if j.state == "future" else []),
        f"id: {yaml_quote.identifier(map_id)}",
        f"title: {_quote(title)}",
        *([f"state: {j.state}"] if j.state else []),
        f"owner: {yaml_quote.identifier(owner)}",
        f"reviewed: {today}",
        "stages:",
    ]
    stage_ids, step_ids = _Ids(), _Ids()
    for number, section in enumerate(j.sections, 1):
        stage_id = stage_ids.unique(slug(section.name), f"stage-{number}")
        out += [
            f"  - id: {yaml_quote.identifier(stage_id)}",
            f"    name: {_quote(section.name)}",
            f"    owner: {yaml_quote.identifier(owner)}",
        ]
        if not section.tasks:
            continue
        out.append("    steps:")
        for k, task in enumerate(section.tasks, 1):
            step_id = step_ids.unique(slug(task.name), f"step-{number}-{k}")
            out += [
                f"      - id: {yaml_quote.identifier(step_id)}",
                f"        name: {_quote(task.name)}",
                f"        emotion: {emotion(task.score)}",
            ]
            team = next((a for a in task.actors if a in teams), None)
            if team is not None and team != owner:
                out.append(f"        owner: {yaml_quote.identifier(team)}")
            others = [a for a in task.actors if a != team]
            if others:
                out.append(
                    f"        description: {_quote('Actors in the Mermaid journey: ' + ', '.join(others))}"
                )
    return "\n".join(out) + "\n"
