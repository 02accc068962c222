"""What ``journeymaps diff`` found, as every format prints it: each map across the two sides,
the findings introduced and fixed, and what the settings and suppressions the change touches
hide or show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from journeymaps import baseline_changes
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.map_changes import Change
from journeymaps.map_pairing import Entry
from journeymaps.model import Map
from journeymaps.reporters.base import plural
from journeymaps.rules.input import FATAL_RULES
from journeymaps.suppression_changes import Hidden

#: How each side of a map pair reads, and the change it makes.
ADDED, REMOVED, CHANGED, BROKEN, REPAIRED, STILL_BROKEN = (
    "added",
    "removed",
    "changed",
    "broken",
    "repaired",
    "still-broken",
)


#: Findings their rule no longer checks, in the summary's words (see :attr:`Comparison.unchecked`).
UNCHECKED = "no longer checked (not fixed: their rule does not judge the map in its new state)"


@dataclass
class MapDiff:
    """One map across the two sides."""

    status: str  # added | removed | changed | broken | repaired | still-broken
    old: Entry | None
    new: Entry | None
    changes: list[Change] = field(default_factory=list)
    #: Findings of the side that loads, on a broken or repaired map: with the other side
    #: unreadable they are neither introduced nor fixed, only unknown there.
    uncompared: list[Diagnostic] = field(default_factory=list)
    #: Findings of a removed map: gone with it, not fixed (a pull request deleting a map
    #: with three errors said "3 fixed"). Of a changed map: those its rules no longer check,
    #: the change turning it to a state they do not judge (a current-state map made
    #: future-state: its ``unvalidated-stage``), not fixed either.
    gone: list[Diagnostic] = field(default_factory=list)
    #: A removed map's file moved to where the settings exclude it: that file (see
    #: :mod:`journeymaps.excluded_moves`).
    excluded_as: str | None = None
    #: That file differs from the map BASE had: edited in the move.
    excluded_edited: bool = False
    #: The other excluded files the change adds or edits that are at least half alike to
    #: the map (a copy of it beside its edited move): judged as an edited move.
    excluded_alike: list[str] = field(default_factory=list)
    #: Paired with the excluded files by content against only a few of them (those sharing
    #: its rarest lines), too many being alike to measure it against each: said, as the
    #: pairing may have missed its move or taken another file for it.
    excluded_partly: bool = False
    #: Told from HEAD's other maps by content (its file renamed and its id changed, or not
    #: found so) against only a few of them (those sharing its rarest lines), too many being
    #: alike to measure it against each: said, as the pairing may have missed its rename.
    renamed_partly: bool = False
    #: The findings of that edited file (linted as if the settings included it) that BASE's
    #: map did not have: brought by the change and hidden by the move; ``--check`` judges them.
    excluded_new: list[Diagnostic] = field(default_factory=list)
    #: A removed future-state map: the current-state map it improved (``based_on``), as
    #: (its id, its title in BASE or None, whether HEAD still has it).
    future_of: tuple[str, str | None, bool] | None = None

    @property
    def map_id(self) -> str:
        sides = [e for e in (self.new, self.old) if e is not None]
        return next((e.map_id for e in sides if e.map_id), sides[0].file)

    @property
    def folder(self) -> bool:
        """A folder not read on a side (a maps folder a link takes out of the project, a link
        to a folder named like a map), not a map."""
        return any(e is not None and e.folder for e in (self.old, self.new))

    @property
    def parses_now_only(self) -> bool:
        """Still broken, BASE's file not parsing and HEAD's parsing: its errors in HEAD are
        ones BASE could not show (see :func:`journeymaps.finding_changes.still_broken`)."""
        return self.status == STILL_BROKEN and [_parses(e) for e in (self.old, self.new)] == [False, True]

    @property
    def parses_both(self) -> bool:
        """Still broken, both files parsing: their format errors were compared."""
        return self.status == STILL_BROKEN and _parses(self.old) and _parses(self.new)

    @property
    def title(self) -> str:
        for side in (self.new, self.old):
            if side is not None and side.title:
                return side.title
        return self.map_id


def _parses(e: Entry | None) -> bool:
    """Whether a side's file parsed (its problem, if any, is one of format, not of reading)."""
    return e is not None and (e.problem is None or e.problem.rule not in FATAL_RULES)


@dataclass
class Silenced:
    """A finding of HEAD's maps that BASE's settings report and HEAD's do not show."""

    finding: Diagnostic  # as BASE's settings report it
    why: str  # what HEAD's settings do, in words: "turns off missing-owner"
    new: bool  # the change brings it: BASE's maps did not have it
    now: Severity | None = None  # lowered: how HEAD's settings show it
    #: BASE's file of a map the change moves under a ``per-file-ignores`` pattern that
    #: hides it (see :mod:`journeymaps.moved_ignores`); None: hidden by a settings change.
    moved: str | None = None


@dataclass
class SettingsChange:
    """The settings file across the two sides, and the findings HEAD's settings hide."""

    file: str  # as named in the project's folder: journeymaps.toml, pyproject.toml
    #: added | removed | changed | invalid (in BASE: read with HEAD's) | unchanged (alike
    #: on both sides, with maps the change moves under its per-file-ignores)
    status: str
    keys: list[str]  # the settings that differ, as the file names them: rules.missing-owner
    problem: Diagnostic | None = None  # why BASE's file could not be read (invalid)
    silenced: list[Silenced] = field(default_factory=list)
    #: Findings HEAD's settings show that BASE's maps had too, unseen with BASE's settings
    #: (a rule turned on): in neither findings list, and never failing --check.
    revealed: list[Silenced] = field(default_factory=list)
    #: BASE's settings file, when it had another name (pyproject.toml → journeymaps.toml).
    base_file: str | None = None
    #: The maps BASE's settings read and HEAD's do not, each with why ("excludes ...").
    unchecked: dict[str, str] = field(default_factory=dict)
    #: The changed settings' values in words, by key: (before, after); those that have short
    #: words ("$12", "error"), not a table of sources.
    values: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: What a new price does to the costs listed (see journeymaps.setting_words).
    notes: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    base: str
    head: str
    maps: list[MapDiff]
    introduced: list[Diagnostic]
    fixed: list[Diagnostic]
    #: The teams' names by id (as the head names them), for owners in people's words.
    teams: dict[str, str] = field(default_factory=dict)
    #: The HEAD findings of a teams.yaml or personas.yaml that BASE could not read: unknown
    #: there, so in neither list (see :attr:`unvetted`).
    registries_read_again: list[Diagnostic] = field(default_factory=list)
    #: A teams.yaml or personas.yaml renamed or moved: BASE's file → HEAD's, its findings
    #: followed (said: a rename alone read "No change to any journey map").
    registries_renamed: dict[str, str] = field(default_factory=dict)
    #: Each team both sides list whose name the change edits in teams.yaml: its id -> (that
    #: file as HEAD names it, the name before, the name after). Said: every map and page
    #: names the team by it, and a rename alone read "No change to any journey map".
    teams_renamed: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: Each persona BASE's personas.yaml lists that HEAD's no longer does: its id -> (the
    #: file as BASE names it, its name). Said: one no map names changed no map, and its
    #: deletion read "No change to any journey map".
    personas_removed: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: How many files the two sides had in their maps folders (None: not counted).
    files_read: int | None = None
    #: How the settings differ between the sides, and what HEAD's silence (None: alike).
    settings: SettingsChange | None = None
    #: HEAD's findings that a suppression comment the change adds hides: in neither
    #: findings list (see :attr:`suppressed_new`).
    suppressed: list[Hidden] = field(default_factory=list)
    #: HEAD's findings that BASE already had, hidden there by a suppression the change
    #: removes: shown again, not introduced, and never failing ``--check``.
    unsuppressed: list[Hidden] = field(default_factory=list)
    #: HEAD's findings that a suppression both sides have hides and BASE's did not: new in
    #: the change (``new``), or shown in BASE (the finding moved under it). Reported, never
    #: judged: the suppression was reviewed when it landed, as a rule off on both sides.
    suppressed_in_base: list[Hidden] = field(default_factory=list)
    #: BASE's findings on measured numbers that HEAD no longer measures (a handoff's SLA
    #: relaxed, its evidence dropped): neither fixed nor still there until measured again.
    unmeasured: list[Diagnostic] = field(default_factory=list)
    #: BASE's fingerprints that the change rewrites, by HEAD's, of findings still there (a
    #: step moved to another stage, a stage's or a map's id renamed): a baseline holding the old one no
    #: longer hides the finding.
    rekeyed: dict[str, str] = field(default_factory=dict)
    #: A BASE finding's fingerprint as in HEAD (see :func:`journeymaps.finding_changes.as_in_head`):
    #: what a settings change hides or shows is matched through a stage split or a map's id
    #: renamed in the same change, as the findings themselves are.
    in_head: Callable[[Diagnostic], str] = field(default=lambda d: d.fingerprint, repr=False, compare=False)
    #: What the change does to the project's baseline (None: nothing, or neither has one).
    baseline: baseline_changes.BaselineChange | None = None
    #: How many maps have each id, for :meth:`label`: counted once (with ``len(maps)`` when
    #: counted), not once per map: a comparison of 2,000 maps took 9 s to print.
    _ids: tuple[int, Counter[str]] | None = field(default=None, init=False, repr=False, compare=False)
    #: Each side's maps by file, for :meth:`words` (counted as :attr:`_ids`).
    _models: tuple[int, dict[tuple[bool, str], Map]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    #: The maps folders not read, for :meth:`folders` (counted as :attr:`_ids`).
    _folders: tuple[int, list[MapDiff]] | None = field(default=None, init=False, repr=False, compare=False)
    #: The maps told by a few files only, for :meth:`told_by_few` (counted as :attr:`_ids`).
    _few: tuple[int, tuple[list[MapDiff], list[MapDiff]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    #: How sentences name BASE and HEAD when not as given: "the working tree", "the merge
    #: base of main and HEAD" (``main...HEAD``'s settings read as HEAD's, the other side).
    names: tuple[str, str] = ("", "")
    #: The working tree's folder the findings' files are named from (the project's), and the
    #: repository's top, when a side is a revision (None: two folders compared).
    root: Path | None = None
    top: Path | None = None

    def said(self, head: bool) -> str:
        """A side as a sentence names it."""
        return self.names[head] or (self.head if head else self.base)

    def of(self, head: bool, what: str) -> str:
        """A side's ``what``: "main's settings", "the settings of the merge base of main and HEAD"."""
        name = self.said(head)
        return f"the {what} of {name}" if name.startswith("the merge base") else f"{name}'s {what}"

    def having(self, *status: str) -> list[MapDiff]:
        """The maps of these statuses; a maps folder not read is none (see :meth:`folders`)."""
        return [m for m in self.maps if m.status in status and not m.folder]

    def folders(self) -> list[MapDiff]:
        """The maps folders not read on a side: links out of the project (``maps ->
        /home/runner/.config``), each one unreadable-file finding. It was "map added, but
        broken", and counted as a map."""
        # Counted once (as _ids): each removed map asks (see unread_in), and 10,000 maps
        # removed took 200 s to print.
        if self._folders is None or self._folders[0] != len(self.maps):
            self._folders = (len(self.maps), [m for m in self.maps if m.folder])
        return list(self._folders[1])

    def unread_in(self, md: MapDiff) -> str | None:
        """The folder not read in HEAD (as its finding names it) that holds ``md``, a map
        BASE has: not removed, unread."""
        if md.old is None:
            return None
        return next(
            (
                f.new.file
                for f in self.folders()
                if f.new is not None and f.new.folder and md.old.file.startswith(f.new.file.rstrip("/") + "/")
            ),
            None,
        )

    def moved_out(self) -> list[MapDiff]:
        """The removed maps whose file moved where the settings exclude it: still in the
        change, out of every check (see :mod:`journeymaps.excluded_moves`), not removed."""
        return [m for m in self.having(REMOVED) if m.excluded_as]

    def moved_map_of(self, d: Diagnostic) -> MapDiff | None:
        """The map moved where the settings exclude it that a finding of
        :attr:`excluded_new` was brought in (its file is the excluded one, not the map's)."""
        return next((md for md in self.moved_out() if any(x is d for x in md.excluded_new)), None)

    def label(self, md: MapDiff) -> str:
        """How a map is named beside its title: its id, and its file when another map in the
        comparison has the same id (two sections read alike, so which was which?)."""
        if self._ids is None or self._ids[0] != len(self.maps):
            self._ids = (len(self.maps), Counter(m.map_id for m in self.maps))
        if self._ids[1][md.map_id] < 2:
            return md.map_id
        side = md.new or md.old
        return f"{md.map_id}, {side.file}" if side is not None else md.map_id

    def told_by_few(self) -> tuple[list[MapDiff], list[MapDiff]]:
        """The maps told from HEAD's added maps by a few of them only (``renamed_partly``),
        and those told from the excluded files so (``excluded_partly``), in the order they
        are listed: counted once, as each map's words ask (see
        :func:`journeymaps.comparison_words.pairing_lines`), after the moves out are noted."""
        if self._few is None or self._few[0] != len(self.maps):
            renamed = [md for md in self.maps if md.renamed_partly]
            self._few = (len(self.maps), (renamed, [md for md in self.maps if md.excluded_partly]))
        return self._few[1]

    def words(self, d: Diagnostic, head: bool = True, typeset: bool = False, curly: bool = False) -> str:
        """A finding's message with the places it names as the site names them (see
        :mod:`journeymaps.finding_words`), in the map of its file on its side (``head``:
        False for a fixed finding, named as BASE has it); ``typeset``: as the site says it
        (names in curly quotes, a schema's path by the map's names), for the ``--site``
        page; ``curly``: the names it puts in place in curly quotes, as a comment names
        them in its changes (lint's own words kept); else as the text output quotes."""
        from journeymaps.finding_words import in_words, on_the_site
        from journeymaps.quotes import quotation, quoted

        m = self.map_of(d, head)
        if typeset:
            return on_the_site(d.message, m, self.teams)
        return in_words(d.message, m, self.teams, quote=quotation if curly else quoted)

    def map_of(self, d: Diagnostic, head: bool = True) -> Map | None:
        """The map of a finding's file on its side, when the comparison lists it."""
        if self._models is None or self._models[0] != len(self.maps):  # once, as _ids
            by_file: dict[tuple[bool, str], Map] = {}
            for md in self.maps:
                for side, e in ((True, md.new), (False, md.old)):
                    if e is not None and e.model is not None:
                        by_file.setdefault((side, e.file), e.model)
            self._models = (len(self.maps), by_file)
        return self._models[1].get((head, d.file))

    @property
    def empty(self) -> bool:
        return not (
            self.maps
            or self.introduced
            or self.fixed
            or self.registries_renamed
            or self.teams_renamed
            or self.personas_removed
            or self.suppressed
            or self.unsuppressed
            or self.suppressed_in_base
            or self.baseline
        )

    @property
    def silenced_new(self) -> list[Diagnostic]:
        """The findings the change brings that its own settings hide: ``--check`` judges
        them as introduced (a rule turned off in the pull request that breaks it)."""
        return [s.finding for s in self.settings.silenced if s.new] if self.settings else []

    @property
    def excluded_new(self) -> list[Diagnostic]:
        """The findings the change brings in maps it moves where the settings exclude them,
        edited in the move (see :mod:`journeymaps.excluded_moves`): ``--check`` judges them
        as introduced, as :attr:`silenced_new`."""
        return [d for md in self.moved_out() for d in md.excluded_new]

    @property
    def suppressed_new(self) -> list[Diagnostic]:
        """The findings the change brings that a suppression it adds hides: ``--check``
        judges them as introduced, as :attr:`silenced_new`. Not in a map the change adds:
        all its findings are new, so a suppression written in it (with its reason) failed
        the gate whatever it hid, and no map with one could land; reported only."""
        added = self.added_files()
        return [h.finding for h in self.suppressed if h.new and h.finding.file not in added]

    def added_files(self) -> set[str]:
        """The files of the maps the change adds, as HEAD names them."""
        return {md.new.file for md in self.having(ADDED) if md.new is not None}

    @property
    def unchecked(self) -> list[tuple[Diagnostic, str]]:
        """BASE's findings of a changed map that their rule no longer checks, each with why:
        the change turns the map to a state the rule does not judge."""
        from journeymaps.rules import all_rules

        out = []
        for md in self.having(CHANGED):
            now = md.new.model.state if md.new is not None and md.new.model is not None else "?"
            for d in md.gone:
                rule = all_rules().get(d.rule)
                judged = " and ".join(sorted(rule.states)) if rule is not None else "?"
                out.append((d, f"{d.rule} judges {judged}-state maps only, and the map is now {now}-state"))
        return out

    @property
    def unvetted(self) -> list[Diagnostic]:
        """The findings of maps (and registries) that load again in HEAD: unknown in BASE,
        so in neither list, yet they are the file's from now on. ``--check`` judges them as
        introduced: let through, a pull request that repaired a map brought in its errors
        unseen, and later ones found them in their base."""
        maps = [d for md in self.having(REPAIRED) for d in md.uncompared]
        maps += [d for md in self.having(STILL_BROKEN) if md.parses_now_only for d in md.uncompared]
        return maps + self.registries_read_again

    def findings_summary(self) -> str:
        """The findings a change brings, in words, each count of zero left out ("0 fixed"
        said nothing): ``findings: 1 introduced (1 error), 2 fixed``, or that there are none."""
        errors = sum(1 for d in self.introduced if d.severity is Severity.ERROR)
        unknown = sum(len(md.uncompared) for md in self.maps)
        gone = sum(len(md.gone) for md in self.having(REMOVED) if not md.excluded_as)
        # Not removed: still in the change, where no check reads it; not fixed either.
        left = sum(len(md.gone) for md in self.having(REMOVED) if md.excluded_as)
        parts = []
        if self.introduced:
            bad = f" ({plural(errors, 'error')})" if errors else ""
            parts.append(f"{len(self.introduced)} introduced{bad}")
        if self.fixed:
            parts.append(f"{len(self.fixed)} fixed")
        if self.unmeasured:
            parts.append(
                f"{len(self.unmeasured)} no longer measured (not fixed until 'journeymaps measure' says so)"
            )
        if self.unchecked:
            parts.append(f"{len(self.unchecked)} {UNCHECKED}")
        if gone:
            # Of the maps removed: one moved out of the checks is said apart, below.
            removed = (
                "a removed map" if len(self.having(REMOVED)) - len(self.moved_out()) == 1 else "removed maps"
            )
            parts.append(f"{gone} gone with {removed}")
        if left:
            parts.append(
                f"{left} no longer checked (not fixed: their map moved where the settings exclude it)"
            )
        if moved_in := len(self.excluded_new):
            parts.append(f"{moved_in} brought by edits in maps moved where the settings exclude them")
        if unknown:
            parts.append(f"{unknown} not compared (a map that cannot be read)")
        if self.settings is not None and self.settings.silenced:
            new = len(self.silenced_new)
            brought = f", {new} of them new" if new else ""
            parts.append(f"{len(self.settings.silenced)} silenced by the settings{brought}")
        if self.suppressed:
            new = len(self.suppressed_new)
            brought = f", {new} of them new" if new else ""
            parts.append(f"{len(self.suppressed)} hidden by suppressions this change adds{brought}")
        if self.suppressed_in_base:
            new = sum(1 for h in self.suppressed_in_base if h.new)
            brought = f", {new} of them new" if new else ""
            parts.append(
                f"{len(self.suppressed_in_base)} hidden by suppressions {self.said(False)} has too"
                f"{brought} (reported, not judged)"
            )
        if self.unsuppressed:
            parts.append(
                f"{len(self.unsuppressed)} already in {self.said(False)}, shown again by suppressions "
                "this change removes"
            )
        if self.settings is not None and self.settings.revealed:
            # A stricter setting: "no finding introduced or fixed" hid that 4 errors now show.
            parts.append(
                f"{len(self.settings.revealed)} already in {self.said(False)}, now shown by the settings"
            )
        return f"findings: {', '.join(parts)}" if parts else "no finding introduced or fixed"
