"""What changed over a period, from the repository's history: the site's "What changed"
page and each map's section of it.

The period ends at the HEAD commit's date (not the clock: the same repository gives the same
page on any day) and starts ``history-days`` before. The maps as they were at the last commit
before the start are compared with the maps at HEAD by ``journeymaps diff`` (one place decides
what a change is); the commits in between only say when and by whom each change was made:
each map's versions in those commits are compared in turn with the same comparison, and a
change is credited to the last commit that made it.

Everything here is read with git (a timeout, never the network) and depends only on commit
ids, so it is cached by them. Without git, without commits, or with a shallow clone, the page
says so plainly; the build never fails for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from journeymaps import git
from journeymaps.change_topics import topic_of, topics_words
from journeymaps.map_changes import Change, compare_maps
from journeymaps.model import Map
from journeymaps.reading import json_value, shown_name
from journeymaps.records import record
from journeymaps.reporters.base import counted
from journeymaps.settings import Settings

#: What a map's change is, for the page: its section, by the change's kind and field.
SECTIONS = (
    "opened",
    "mitigated",
    "resolved",
    "sizes",
    "shipped",
    "owners",
    "emotions",
    "stages",
    "handoffs",
    "other",
)
#: The changes that say how much a pain point hurts (and what it costs): a volume doubled
#: was folded under "other changes" with the evidence dates.
SIZES = frozenset({"volume", "severity", "contact_cost", "revenue_at_risk"})

#: The most versions of one map read to date its changes; older changes go undated.
MAX_VERSIONS = 60


#: Git's answers for a period, reused while the commits are the same (see :func:`key`).
CACHE_VERSION = "10"  # 2: a maps folder that is a link is read through it; 3: changes in
#: the site's words ("SLA 2 hours", "in progress"), and a cost of inaction dated by its commit;
#: 4: the settings' change; 5: a map's title at the start of the period (the search finds a
#: renamed map by it); 6: each change's topic (the "other changes" summary says them); 7: each
#: map's latest commit; 8: none in a shallow clone's first commits; 9: a map paired with its
#: earlier file by a few files only; 10: a map moved where the settings exclude it

if TYPE_CHECKING:
    from journeymaps.comparison import Comparison

_HEX = re.compile(r"\A[0-9a-f]{40}([0-9a-f]{24})?\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@record
class Commit:
    sha: str
    date: str  # the committer date, YYYY-MM-DD as the committer's clock said
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass
class MapHistory:
    """One map over the period."""

    map_id: str
    title: str
    status: str  # added | removed | changed | broken | repaired | still-broken (journeymaps.diff)
    file: str
    was_file: str | None = None  # its file at the start, when it moved
    was_title: str | None = None  # its title at the start, when it was renamed since
    problem: str | None = None  # why a side could not be read
    #: Paired with its file at the start (or, removed, looked for among the maps added) by
    #: its rarest lines and its name only: too many alike to compare each with each (see
    #: :func:`journeymaps.comparison_words.renamed_partly`).
    told_by_few: bool = False
    #: Removed: the file it moved to, where the settings exclude it (diff's ``excluded_as``).
    moved_out: str | None = None
    #: Removed: paired with the excluded files (or looked for among them) by its rarest lines
    #: and its name only, as :attr:`told_by_few` among the maps added (diff's ``excluded_partly``).
    out_by_few: bool = False
    #: Section -> items: {"text", "anchor", "opportunity", "date", "author", "commit"}; all
    #: but the text may be "" (a change git could not date, a change not about one thing);
    #: a change's item also has its "topic" (:func:`~journeymaps.change_topics.topic_of`).
    items: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)

    def count(self, section: str) -> int:
        return len(self.items.get(section, ()))

    def topics(self, section: str) -> str:
        """What the changes of ``section`` are about, in words (see :mod:`change_topics`):
        the summary of the "other changes" folded away says what it holds."""
        return topics_words(item.get("topic", "map") for item in self.items.get(section, ()))


@dataclass
class History:
    """The period and what changed in it; ``state`` other than "ok" is told in ``message``."""

    state: str  # ok | no-git | no-commits | failed
    days: int
    message: str = ""
    start: str = ""
    end: str = ""
    head: Commit | None = None
    base: Commit | None = None  # the state at the start; None: compared with nothing
    shallow: bool = False
    #: When the history that could be read begins after the start: that date.
    begins: str | None = None
    commits: int = 0
    maps: list[MapHistory] = field(default_factory=list)
    uncommitted: list[str] = field(default_factory=list)
    #: The settings file's change over the period (see :func:`_settings_change`); {}: none.
    settings: dict[str, Any] = field(default_factory=dict)
    #: Each map file's last commit, in the period or before it, by its name as lint shows it:
    #: a map page's "latest change" (the repository's latest commit may be another map's).
    latest: dict[str, Commit] = field(default_factory=dict)

    def for_map(self, map_id: str) -> MapHistory | None:
        return next((m for m in self.maps if m.map_id == map_id and m.status != "removed"), None)

    def total(self, section: str) -> int:
        return sum(m.count(section) for m in self.maps)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> History:
        d = json_value(text)
        d["head"] = Commit(**d["head"]) if d["head"] else None
        d["base"] = Commit(**d["base"]) if d["base"] else None
        d["latest"] = {name: Commit(**c) for name, c in d["latest"].items()}
        maps = []
        for m in d.pop("maps"):
            m["commits"] = [Commit(**c) for c in m["commits"]]
            maps.append(MapHistory(**m))
        return cls(maps=maps, **d)


def section_of(change: Change, now: Map | None = None) -> str:
    """Where a change of ``journeymaps diff`` goes on the page (``now``: the map after it)."""
    if change.kind == "pain-point-added":
        p = now.pain_point(change.ids["pain_point"]) if now else None
        return {"resolved": "resolved", "mitigated": "mitigated"}.get(p.status if p else "", "opened")
    if change.kind == "pain-point-resolved":
        return "resolved"
    if change.kind == "pain-point-changed" and change.field == "status":
        return {"mitigated": "mitigated", "open": "opened", "resolved": "resolved"}.get(
            str(change.after), "other"
        )
    if change.kind == "opportunity-added":
        o = now.opportunity(change.ids["opportunity"]) if now else None
        return "shipped" if o is not None and o.status == "shipped" else "other"
    if change.kind == "opportunity-changed" and change.field == "status":
        return "shipped" if change.after == "shipped" else "other"
    if change.field == "owner":
        return "owners"
    if change.field == "emotion":
        return "emotions"
    if change.kind in ("stage-added", "stage-removed"):
        return "stages"
    if change.kind in ("pain-point-changed", "cost-changed") and change.field in SIZES:
        return "sizes"
    if change.kind.startswith("handoff-"):  # where customers repeat themselves
        return "handoffs"
    return "other"


def clean(text: str, limit: int = 200) -> str:
    """Text from a commit (author, subject): one line, no control or direction characters."""
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reading git ------------------------------------------------------------------------


def _run(args: list[str], cwd: Path) -> str:
    return git._git(args, cwd, offline=True).decode("utf-8", "replace")


def _text(token: str) -> str:
    """A token decoded with surrogateescape, as text to show (bytes that are not UTF-8 replaced)."""
    return token.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _commit(fields: list[str]) -> Commit:
    sha, date, author, subject = fields
    return Commit(sha, date[:10], clean(author, 80), clean(subject))


def _head(root: Path) -> tuple[Commit, dt.datetime]:
    out = _run(["log", "-1", "--format=%H%x00%cI%x00%aN%x00%s", "HEAD", "--"], root).rstrip("\n")
    fields = out.split("\0")
    return _commit(fields), dt.datetime.fromisoformat(fields[1])


def head_id(root: Path) -> str:
    """The HEAD commit and whether the clone is shallow ("" outside a repository): what the
    history page depends on besides the maps and the settings."""
    try:
        return _run(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root).strip() + (
            " shallow" if _shallow(root) else ""
        )
    except git.GitError:
        return ""


def _shallow(root: Path) -> bool:
    return _run(["rev-parse", "--is-shallow-repository"], root).strip() == "true"


def _base(root: Path, before: dt.datetime) -> Commit | None:
    """The last commit (first parents from HEAD) committed on or before ``before``."""
    out = _run(
        [
            "log",
            "-1",
            "--first-parent",
            f"--before={before.isoformat()}",
            "--format=%H%x00%cI%x00%aN%x00%s",
            "HEAD",
            "--",
        ],
        root,
    ).rstrip("\n")
    return _commit(out.split("\0")) if out else None


def _oldest(root: Path) -> Commit:
    """The oldest commit git has (a root commit, or where a shallow clone stops)."""
    out = _run(["log", "--max-parents=0", "--format=%H%x00%cI%x00%aN%x00%s", "HEAD", "--"], root)
    found = [_commit(line.split("\0")) for line in out.splitlines() if line]
    return min(found, key=lambda c: (c.date, c.sha))


@dataclass
class Touch:
    """A commit and the files (under the maps folders) it touched: (status, path, old path)."""

    commit: Commit
    files: list[tuple[str, str, str | None]]


def touches(
    root: Path,
    base: str | None,
    paths: list[str],
    links: Mapping[str, str] | None = None,
    *,
    upto: str | None = None,
) -> list[Touch]:
    """Every commit after ``base`` up to HEAD that touched ``paths``, oldest first, with its
    files (renames found). One git call; the output is NUL-separated, so no path or subject
    can be mistaken for another field. ``links``: files under a linked folder's target are
    named as under the link (see :func:`_linked_roots`), as lint names them. ``upto``: every
    commit up to and including that one instead, renames not looked for (a renamed file is
    touched under its new name all the same)."""
    links = links or {}
    span = upto or (f"{base}..HEAD" if base else "HEAD")
    fmt = "--format=%H%x00%cI%x00%aN%x00%s"
    renames = [] if upto else ["-M"]
    out = git._git(
        ["log", "-z", "--relative", "--name-status", *renames, fmt, span, "--", *paths], root, offline=True
    )
    # Paths as the file system names them (a name that is not UTF-8 kept as its bytes, to
    # read it back from git), the rest as text.
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    found: list[Touch] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i].lstrip("\n")
        if _HEX.match(tok) and i + 3 < len(tokens):
            fields = [_text(t) for t in tokens[i + 1 : i + 4]]
            found.append(Touch(_commit([tok, *fields]), []))
            i += 4
            continue
        if tok and found and tok[0] in "AMDTRCU":
            if tok[0] in "RC" and i + 2 < len(tokens):
                found[-1].files.append(
                    (tok[0], _relinked(tokens[i + 2], links.items()), _relinked(tokens[i + 1], links.items()))
                )
                i += 3
            elif i + 1 < len(tokens):
                found[-1].files.append((tok[0], _relinked(tokens[i + 1], links.items()), None))
                i += 2
            else:
                i += 1
            continue
        i += 1
    found.reverse()
    return found


def _uncommitted(root: Path, paths: list[str]) -> list[str]:
    out = _run(["status", "--porcelain", "-z", "--untracked-files=all", "--", *paths], root)
    names = []
    tokens = iter(out.split("\0"))
    for tok in tokens:
        if len(tok) > 3:
            names.append(clean(tok[3:]))
            if tok[0] in "RC":
                next(tokens, None)
    return sorted(n for n in names if n.lower().endswith((".yaml", ".yml")))


# --- the period -------------------------------------------------------------------------


def read(settings: Settings, days: int) -> History:
    """What changed in the ``days`` before the HEAD commit, from the cache when it has it."""
    root: Path = settings.root
    try:
        git.toplevel(root)
    except git.GitError as exc:
        if "git is needed" in str(exc):
            return History("no-git", days, "git is not installed here, so the history cannot be read.")
        if "not a git repository" not in str(exc):  # dubious ownership, a damaged .git...
            return History("failed", days, f"git cannot read this repository: {clean(str(exc))}.")
        return History(
            "no-git",
            days,
            "This project is not in a git repository, so there is no history to compare. "
            "Commit the maps to a git repository and build again to see what changed.",
        )
    try:
        head, head_time = _head(root)
    except git.GitError:
        return History("no-commits", days, "The git repository has no commits yet: nothing to compare.")
    except ValueError:  # git takes 9999-12-31 at +14:00, and shows it as year 10000
        why = "the latest commit's date is past the year 9999"
        return History("failed", days, f"The history could not be read: {why}.")
    rel = _relative_roots(settings)
    from journeymaps.diff import DiffError

    try:
        links = _linked_roots(root, rel)
        history = _cached(settings, days, head, head_time, rel, links)
        history.uncommitted = sorted(_relinked(n, links.items()) for n in _uncommitted(root, [*rel, *links]))
    except (git.GitError, DiffError) as exc:
        # DiffError: settings a revision cannot be read with (maps folders outside the
        # settings' folder or the repository): the page says why; the build goes on.
        return History("failed", days, f"The history could not be read: {exc}.")
    return history


def _relative_roots(settings: Settings) -> list[str]:
    root: Path = settings.root
    return [r.relative_to(root).as_posix() if r.is_relative_to(root) else str(r) for r in settings.roots()]


def _linked_roots(root: Path, rel: list[str]) -> dict[str, str]:
    """Each maps folder that is a link to a folder of the repository (``maps ->
    content/maps``): where it leads, as git names it, to the folder as the settings name it.
    git follows no link: its log of ``maps`` held only the link's own commits, so a map there
    was counted as added but never listed."""
    top = Path(os.path.realpath(root))
    found = {}
    for r in rel:
        real = Path(os.path.realpath(root / r))
        if real != top / os.path.normpath(r) and real.is_relative_to(top) and real != top:
            found[real.relative_to(top).as_posix()] = r
    return found


def _relinked(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``path`` with its folder ``old`` named ``new`` for the first (old, new) of ``pairs``
    it is under: a linked folder's files named as under the link (``links.items()``, see
    :func:`_linked_roots`) or back as git names them (the pairs swapped: git reads no blob
    through a link of its tree)."""
    for old, new in pairs:
        if path.startswith(f"{old}/"):
            return f"{new}/{path[len(old) + 1 :]}"
    return path


def _swapped(links: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(shown, target) for target, shown in links.items()]


def _cached(
    settings: Settings,
    days: int,
    head: Commit,
    head_time: dt.datetime,
    rel: list[str],
    links: Mapping[str, str],
) -> History:
    from journeymaps import cache_files, keys
    from journeymaps.diagrams.render import cache_dir

    start_time = head_time - dt.timedelta(days=days)
    shallow = _shallow(settings.root)
    base = _base(settings.root, start_time)
    key = keys.history_key(settings, CACHE_VERSION, head.sha, base.sha if base else "", days, shallow)
    path = cache_dir() / "history" / f"{key}.json"
    # Sealed with this user's cache key (journeymaps.cache_seal), as compiled templates are:
    # the page was published from whatever JSON a restored or shared cache held under the
    # key (which anyone can compute from the commit ids), fake changes, commits and authors
    # included. Without a key nothing is kept: git is read each build.
    name = f"history/{key}.json"
    payload = cache_files.read_sealed(path, name, MAX_BYTES)
    if payload is not None:
        try:
            cached = History.from_json(str(payload, "utf-8"))
            os.utime(path)  # just used: the last to be pruned
            return cached
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # not readable as ours: read git again
    history = _compute(settings, days, head, start_time, shallow, base, rel, links)
    cache_files.write_sealed(path, name, history.to_json().encode("utf-8"), _PERIOD, KEEP)
    return history


#: Periods kept in the cache (one per HEAD commit and period; a few KB each).
KEEP = 50
#: A period's file (its key).
_PERIOD = re.compile(r"[0-9a-f]{64}\.json\Z")
#: No period of ours is larger (a year of a busy repository's map changes is a few MB).
MAX_BYTES = 256 * 1024 * 1024


def _compute(
    settings: Settings,
    days: int,
    head: Commit,
    start_time: dt.datetime,
    shallow: bool,
    base: Commit | None,
    rel: list[str],
    links: Mapping[str, str],
) -> History:
    from journeymaps import diff
    from journeymaps.rules import all_rules
    from journeymaps.rules.input import INPUT_RULES

    root: Path = settings.root
    history = History(
        "ok", days, start=start_time.date().isoformat(), end=head.date, head=head, shallow=shallow
    )
    if base is None:
        oldest = _oldest(root)
        history.begins = oldest.date
        if shallow:  # what came before the clone's first commit is unknown: start there
            base = oldest
    history.base = base
    end_day = dt.date.fromisoformat(head.date)
    # The models are compared, not the findings: the rules are left off (a third of the
    # time), except the input rules that say why a map cannot be read.
    models_only = dataclasses.replace(
        settings, rules={name: "off" for name in all_rules() if name not in INPUT_RULES}
    )
    with tempfile.TemporaryDirectory(prefix="journeymaps-history-") as empty:
        comparison = diff.run(base.sha if base else empty, head.sha, models_only, root, end_day)
    walked = touches(root, base.sha if base else None, [*rel, *links], links)
    history.commits = len(walked)
    theirs = {
        id(md): _follow(walked, {e.file for e in (md.old, md.new) if e is not None}) for md in comparison.maps
    }
    # Every version the dating needs, read in one git call.
    wanted = [
        (t.commit.sha, path)
        for md in comparison.maps
        if md.changes
        for t in theirs[id(md)][-MAX_VERSIONS:]
        if (path := _path_after(t, _names(theirs[id(md)], md))) is not None
    ]
    as_git = _swapped(links)
    fetched = dict(zip(wanted, _blobs(root, [(sha, _relinked(p, as_git)) for sha, p in wanted]), strict=True))
    for md in comparison.maps:
        mine = theirs[id(md)]
        history.maps.append(_map_history(md, mine, fetched, end_day, models_only))
    history.latest = _latest(root, base, walked, [*rel, *links], links, shallow=shallow)
    history.maps.sort(key=lambda m: (m.title.casefold(), m.map_id))
    if base is not None:
        history.settings = _settings_change(settings, base, head)
    return history


def _latest(
    root: Path,
    base: Commit | None,
    walked: list[Touch],
    paths: list[str],
    links: Mapping[str, str],
    *,
    shallow: bool = False,
) -> dict[str, Commit]:
    """Each file's last commit, by its name as lint shows it: the period's commits
    (``walked``, oldest first), then those before it, read in one git call whatever the
    number of maps. A file whose last commit deleted it is left out, and so is one a shallow
    clone cannot date: git says its oldest commits add every file (their parents are not
    fetched), and each map page said it changed on the clone's first day."""
    before = touches(root, None, paths, links, upto=base.sha) if base is not None else []
    cut = (
        set(_run(["log", "--max-parents=0", "--format=%H", "HEAD", "--"], root).split()) if shallow else set()
    )
    found: dict[str, tuple[str, Commit]] = {}
    for t in reversed([*before, *walked]):  # newest first
        for status, path, _was in t.files:
            if t.commit.sha in cut:  # what it did to the file is unknown: older than the clone
                found.setdefault(shown_name(path), ("?", t.commit))
                continue
            found.setdefault(shown_name(path), (status, t.commit))
    return {name: c for name, (status, c) in sorted(found.items()) if status not in ("D", "?")}


def _settings_change(settings: Settings, base: Commit, head: Commit) -> dict[str, Any]:
    """The settings file's values the period changed, in words, dated by the last commit that
    changed the file: {"file", "values": [[key, before, after]], "notes", "date", "author",
    "commit"}, or {} (no change, or a side that cannot be read). The page counts every cost
    on both sides at today's price, and never said that the price had changed."""
    from journeymaps import setting_words
    from journeymaps.settings import SettingsError, load_settings

    if settings.file is None or base.sha == head.sha:  # a clone of depth 1: nothing to compare
        return {}
    root: Path = settings.root
    rel = Path(os.path.relpath(settings.file, root)).as_posix()
    try:  # both sides in one read (two git calls): read_files took three calls a side
        found = _blobs(root, [(base.sha, rel), (head.sha, rel)])
    except git.GitError:  # settings above the repository (--config ../x.toml): no history
        return {}
    sides = []
    with tempfile.TemporaryDirectory(prefix="journeymaps-history-settings-") as tmp:
        for side, raw in zip(("base", "head"), found, strict=True):
            folder = Path(tmp) / side  # not the commit: a one-commit clone has one for both
            folder.mkdir()
            try:
                if raw is None:
                    sides.append(Settings(root=folder))
                    continue
                (folder / settings.file.name).write_bytes(raw)
                sides.append(load_settings(folder, folder / settings.file.name))
            except (OSError, SettingsError):
                return {}
    was, now = sides
    keys = setting_words.keys(was, now)
    if not keys:
        return {}
    shown = setting_words.values(was, now, keys)
    log = _run(["log", "-1", "--format=%H%x00%cI%x00%aN%x00%s", f"{base.sha}..{head.sha}", "--", rel], root)
    fields = log.rstrip("\n").split("\0")
    by = _commit(fields) if len(fields) == 4 else None
    return {
        "file": rel,
        "values": [[k, *shown.get(k, ("", ""))] for k in keys],
        "notes": setting_words.price_notes(shown, now, where="this page"),
        "date": by.date if by else "",
        "author": by.author if by else "",
        "commit": by.short if by else "",
    }


def _map_history(
    md: Any,
    mine: list[Touch],
    fetched: dict[tuple[str, str], bytes | None],
    today: dt.date,
    settings: Settings,
) -> MapHistory:
    from journeymaps.comparison_words import describe_status, moved_out_short

    old, new = md.old, md.new
    file = (new or old).file
    out = MapHistory(
        md.map_id, md.title, md.status, file, old.file if old and new and old.file != new.file else None
    )
    if old and new and old.model and new.model and old.model.title != new.model.title:
        out.was_title = old.model.title
    out.told_by_few = md.renamed_partly
    out.moved_out, out.out_by_few = md.excluded_as, md.excluded_partly
    if md.status in ("broken", "still-broken"):  # "repaired" says why it was broken
        side = new
        if side is not None and side.problem is not None:
            p = side.problem
            out.problem = f"{p.file}:{p.line}:{p.column}: {p.rule}: {p.message}"
    out.commits = [t.commit for t in reversed(mine)]
    dated = _dates(md, mine, fetched, today, settings) if md.changes else {}
    for change in md.changes:
        if change.kind == "map-moved":
            continue
        c = dated.get(_key(change))
        item = {
            "text": change.text,
            "anchor": _anchor(change),
            "opportunity": change.ids.get("opportunity", ""),
            "date": c.date if c else "",
            "author": c.author if c else "",
            "commit": c.short if c else "",
            "topic": topic_of(change),
        }
        out.items.setdefault(section_of(change, new.model if new else None), []).append(item)
    if md.status in ("added", "removed") and mine:
        c = mine[-1].commit if md.status == "removed" else _added_in(mine)
        out.items["map"] = [
            {
                "text": f"map added{_holding(new.model if new else None)}"
                if md.status == "added"
                else moved_out_short(md),  # "map removed" alone said no move out of the checks
                "anchor": "",
                "opportunity": "",
                "date": c.date,
                "author": c.author,
                "commit": c.short,
            }
        ]
    if md.status not in ("added", "removed", "changed"):
        out.items["map"] = [
            {
                "text": describe_status(md, cast("Comparison", _Names())),
                "anchor": "",
                "opportunity": "",
                "date": "",
                "author": "",
                "commit": "",
            }
        ]
    return out


def _holding(m: Map | None) -> str:
    """What an added map brings: its pain points and opportunities, in words.

    Those already resolved or shipped when the map was added are said apart, as not counted
    in the page's totals: "4 open pain points (1 resolved)" beside a "0 pain points
    resolved" tile read as a contradiction (and as one of the four being resolved)."""
    if m is None:
        return ""
    fixed = sum(1 for p in m.pain_points if p.fixed)
    # a mitigated one is not "open" (it said "1 open pain point" of one), nor counted in the
    # page's "pain points mitigated" when the map came with it so
    eased = sum(1 for p in m.pain_points if p.status == "mitigated")
    still = len(m.pain_points) - fixed - eased
    shipped = sum(1 for o in m.opportunities if o.status == "shipped")
    ops = len(m.opportunities) - shipped
    parts = []
    if still:
        parts.append(counted(still, "open pain point"))
    if ops:
        parts.append(counted(ops, "opportunity", "opportunities"))
    already = []
    if eased:
        already.append(f"{counted(eased, 'pain point')} already mitigated")
    if fixed:
        already.append(f"{counted(fixed, 'pain point')} already resolved")
    if shipped:
        already.append(f"{counted(shipped, 'opportunity', 'opportunities')} already shipped")
    said = f" with {' and '.join(parts)}" if parts else ""
    if already:
        listed = ", ".join(already[:-1]) + (" and " if len(already) > 1 else "") + already[-1]
        said += f"{';' if said else ','} {listed} when it was added (not counted above)"
    return said


def _anchor(c: Change) -> str:
    """The section of the map page the change is about (its ids are the page's anchors)."""
    for key, prefix in (
        ("pain_point", "pain-"),
        ("opportunity", "opportunity-"),
        ("step", "step-"),
        ("stage", "stage-"),
    ):
        if key in c.ids:
            return prefix + c.ids[key]
    return ""


class _Names:
    """What describe_status calls the two sides, on this page."""

    base = "the commit before the period"
    head = "the latest commit"

    def said(self, head: bool) -> str:
        """A side as describe_status's sentences name it (as :meth:`Comparison.said`)."""
        return self.head if head else self.base


def _added_in(mine: list[Touch]) -> Commit:
    for t in mine:
        if any(status in "AR" for status, _, _ in t.files):
            return t.commit
    return mine[0].commit


def _follow(walked: list[Touch], names: set[str]) -> list[Touch]:
    """The commits that touched a map under any of its names (renames followed both ways).
    ``names`` are as lint shows them (a name that is not UTF-8 as ``lat\\xe9.yaml``), git's as
    the file system has them: compared as shown (a map with such a name was left out)."""
    names = set(names)
    for _ in range(2):
        for t in (*walked, *reversed(walked)):
            for _status, path, was in t.files:
                if was and (shown_name(path) in names or shown_name(was) in names):
                    names |= {shown_name(path), shown_name(was)}
    return [
        t
        for t in walked
        if any(shown_name(p) in names or (w and shown_name(w) in names) for _, p, w in t.files)
    ]


def _key(c: Change) -> tuple[str, tuple[tuple[str, str], ...], str | None]:
    return (c.kind, tuple(sorted(c.ids.items())), c.field)


def _dates(
    md: Any,
    mine: list[Touch],
    fetched: dict[tuple[str, str], bytes | None],
    today: dt.date,
    settings: Settings,
) -> dict[Any, Commit]:
    """Each change's last commit: the map's versions compared in turn, their costs of
    inaction too (a volume doubled moved it: it read "date unknown" beside the volume's
    own date). A cost that moved with measured data alone is no commit's, and stays undated."""
    from journeymaps.cost_changes import money_changes

    prev = md.old.model if md.old else None
    credited: dict[Any, Commit] = {}
    names = _names(mine, md)
    for t in mine[-MAX_VERSIONS:]:
        path = _path_after(t, names)
        raw = fetched.get((t.commit.sha, path)) if path else None
        model = _model(raw, path) if raw is not None and path else None
        if model is None or model.id != md.map_id:
            continue  # broken in this commit, or not this map: its changes show in the next good one
        if prev is not None:
            changes = compare_maps(prev, model, today, settings.evidence_max_age_days)
            for c in [*changes, *money_changes(prev, model, settings, None, None)]:
                credited[_key(c)] = t.commit
        prev = model
    return credited


def _names(mine: list[Touch], md: Any) -> set[str]:
    """Every name a map's file had in its commits, as shown (see :func:`_follow`)."""
    names = {e.file for e in (md.old, md.new) if e is not None}
    for t in mine:
        for _status, path, was in t.files:
            if was and (shown_name(path) in names or shown_name(was) in names):
                names |= {shown_name(path), shown_name(was)}
    return names


def _path_after(t: Touch, names: set[str]) -> str | None:
    """The map's file after commit ``t`` (a commit may touch many maps), as git names it."""
    kept = [p for status, p, _ in t.files if status != "D" and shown_name(p) in names]
    return kept[0] if len(kept) == 1 else None


def _blobs(root: Path, wanted: list[tuple[str, str]]) -> list[bytes | None]:
    """Each file's bytes at its commit (None when absent or larger than a map can be: a
    version of a map larger than :data:`journeymaps.git.MAX_BLOB_BYTES` is not read to date
    its changes; the loader's own limit applies to the two ends)."""
    # "./": the path is relative to the maps' project, which may be a folder of the repository.
    return git.blobs([f"{sha}:./{p}" for sha, p in wanted], root, offline=True)


def _model(raw: bytes, name: str) -> Any:
    """One version of a map, modelled alone (None when it does not load or validate)."""
    from journeymaps.loader import from_bytes
    from journeymaps.project import model_project

    src = from_bytes(Path(name), name, raw)
    if not src.ok:
        return None
    loaded = model_project([src])
    if src.problems:
        return None
    return loaded.project.maps[0] if loaded.project.maps else None
