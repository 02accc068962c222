"""While ``serve`` runs: a map that stops parsing keeps its last page, marked broken.

Without it, a typo turned the page open in the browser into a 404, and a 404 has no reload
script: the page never came back by itself once the typo was fixed. The page the previous
build wrote (and its diagrams) is carried into the new site with a banner that says what
is wrong, in words (see :mod:`load_words`: the stage's and step's names, not the schema's
path), and where; the next build that can read the map replaces it. ``build`` does not do
this: a published site shows only what its maps say today.

A teams or personas file that stops parsing is not one page's: every map's owners and
people hang on it, and the site built without it was another one (teams shown by their ids,
their contacts gone), the reason on no page the user had open. That rebuild is refused
(:func:`refuse_unread_registries`): the last good site stays, every page saying why, as
for settings that cannot be read. Owners naming a team no teams.yaml lists (a team renamed
there) are said on every page too (:func:`unlisted_owners`): the Teams page shows such a
team by its id, with no word of why.
"""

from __future__ import annotations

import html
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.direction_controls import shown
from journeymaps.project import kind_of
from journeymaps.reading import REGISTRY_NAMES, read_regular
from journeymaps.reporters.base import one_line
from journeymaps.site.load_words import load_words
from journeymaps.site.staging import StagedFolder

_BANNER = re.compile(rb"<!--journeymaps:broken-->.*?<!--/journeymaps:broken-->\n?", re.DOTALL)
_MAIN = re.compile(rb"<main\b[^>]*>\n?")


def keep_broken_pages(
    previous_site: Path,
    previous: Mapping[str, Sequence[str]],
    broken: Mapping[str, Diagnostic],
    staged: StagedFolder,
    data: Mapping[str, Any],
) -> dict[str, list[str]]:
    """The pages (and diagrams) of maps that no longer parse, from ``previous_site`` into
    ``staged``, each page marked with why; ``previous`` is each map file's page and diagrams
    as the previous build wrote them, ``data`` each file's data as read (None: not read).
    What was kept, in the same form."""
    kept: dict[str, list[str]] = {}
    for file, finding in sorted(broken.items()):
        files = list(previous.get(file, ()))
        if not files or files[0] in staged.written:  # another map has that page now
            continue
        # Only the regular files a build writes: a page or diagram replaced by a link (to
        # ~/.ssh/id_rsa, in a site folder a pull request changed) was followed, and what it
        # led to copied into the site.
        try:
            page = read_regular(previous_site / files[0], _PAGE_MAX_BYTES, follow=False)
        except OSError:  # Refused too: a link, a FIFO
            continue
        staged.write(files[0], mark_broken(page, finding, data.get(file)))
        for rel in files[1:]:
            if rel not in staged.written and _regular(previous_site / rel):
                staged.copy(rel, previous_site / rel)
        kept[file] = files
    return kept


class UnreadRegistry(Exception):
    """A teams or personas file could not be read: ``diagnostics`` say why (as a
    :class:`journeymaps.settings.SettingsError`'s do)."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        super().__init__(diagnostics[0].message)
        self.diagnostics = diagnostics


#: Where a text finding's file ends (``file:line:col: CODE [rule] severity: ...``): the
#: first such place. A file named at any ``teams.yaml:1:1: `` in the line (its message
#: quoting a map's value, "x/teams.yaml:1:1: ", or a folder so named) took a broken map
#: for an unread teams file: every page said the site was built without one.
_FINDING_FILE_END = re.compile(r":\d+:\d+: [A-Z]+\d+ \[[\w-]+\] \w+: ")


def _registry_of(line: str) -> str | None:
    """The teams or personas file a text finding is of (as the line names it); else None."""
    found = _FINDING_FILE_END.search(line)
    if found is None:
        return None
    file = line[: found.start()]
    return file if file.rpartition("/")[2] in REGISTRY_NAMES else None


def unread_registries(broken: Sequence[str]) -> tuple[str, ...]:
    """The lines among a site's ``broken`` (its summary's: files that could not be read,
    as text findings) that are a teams or personas file's."""
    return tuple(x for x in broken if _registry_of(x) is not None)


def refuse_unread_registries(broken: Sequence[Diagnostic], previous_broken: Sequence[str]) -> None:
    """Raise :class:`UnreadRegistry` when any of the files that could not be read (their
    ``broken`` findings) is a teams or personas file that the previous site was built with
    (``previous_broken``: its summary's): one it was built without too (serve started with
    it broken) leaves no better site to keep, and the maps edited meanwhile are shown."""
    found = tuple(d for d in broken if kind_of(Path(d.file)) != "map")
    lacked = {file for x in previous_broken if (file := _registry_of(x)) is not None}
    if any(one_line(d.file) not in lacked for d in found):
        raise UnreadRegistry(found)


#: The rule of an owner naming a team no teams.yaml lists.
UNKNOWN_TEAM = "unknown-team"


def unlisted_owners(findings: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The errors among ``findings`` of owners naming a team their teams.yaml does not list
    (a team renamed or removed there, or an owner mistyped): serve says them on every page,
    as the Teams page shows such a team by its id, with no word of why."""
    return tuple(d for d in findings if d.rule == UNKNOWN_TEAM and d.severity is Severity.ERROR)


#: Far more than any page a build writes (the largest, a map's, is ~1 MB at most).
_PAGE_MAX_BYTES = 64 * 1024 * 1024


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file, not a link to one."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def mark_broken(page: bytes, finding: Diagnostic, data: Any = None) -> bytes:
    """``page`` with a banner saying its map could not be read (replacing an earlier one):
    what is wrong said by the names on ``data`` (the file as read), as the home page's alert
    says it; then, smaller, the file, line and column its author opens, the schema's path in
    their title. The banner quoted "stages[1].steps[0].channel: …" to a director."""
    said = load_words(finding.message, data)
    # (a direction control in the file's name or the line a parser's words quote, as an escape)
    where = html.escape(shown(f"{finding.file}:{finding.line}:{finding.column}"))
    path = f' title="{html.escape(shown(said.path))}"' if said.path else ""
    what = html.escape(shown(said.what), quote=False)
    banner = (
        '<!--journeymaps:broken--><div class="alert" role="alert"><p><strong>This map could not '
        f"be read</strong>: {what}. This is its last page that built; it is replaced as soon as the "
        f'file is fixed. <span class="where">In <code{path}>{where}</code></span></p></div>'
        "<!--/journeymaps:broken-->\n"
    ).encode()
    page = _BANNER.sub(b"", page)
    main = _MAIN.search(page)
    at = main.end() if main else 0
    return page[:at] + banner + page[at:]
