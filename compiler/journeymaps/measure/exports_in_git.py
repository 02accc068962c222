"""Export files that git would take: raw ticket data does not belong in the maps' repository.

An export holds ticket subjects, requesters' names and e-mail addresses; the snapshots
``measure`` writes hold totals only, and are what the README says to commit. An export kept
in the repository's folder and not ignored goes in with the next ``git add -A`` (a newcomer's
try-out had it staged): ``measure`` says so, once, after its summary.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from journeymaps import git


def exports_git_takes(files: Iterable[Path], root: Path) -> tuple[list[Path], list[Path]]:
    """Of the export ``files`` measure read, those git tracks already, and those it would add
    (inside the work tree, not ignored). Nothing when ``root`` is in no git repository, or
    git is missing."""
    try:
        top = git.toplevel(root).resolve()
    except git.GitError:
        return [], []
    inside = sorted({f for f in files if f.resolve().is_relative_to(top)})
    if not inside:
        return [], []
    names = {os.path.relpath(f.resolve(), top): f for f in inside}
    try:
        tracked = _listed(top, ["--cached"], names)
        added = _listed(top, ["--others", "--exclude-standard"], names)
    except git.GitError:
        return [], []
    return tracked, [f for f in added if f not in tracked]


def _listed(top: Path, which: list[str], names: Mapping[str, Path]) -> list[Path]:
    out = git._git(["ls-files", "-z", *which, "--", *(f":(literal){n}" for n in names)], top, offline=True)
    seen = {os.path.normpath(n) for n in out.decode("utf-8", "surrogateescape").split("\0") if n}
    return [f for n, f in names.items() if os.path.normpath(n) in seen]


def warning(tracked: list[Path], added: list[Path], shown: Iterable[str]) -> str | None:
    """The sentence to say, or None. ``shown``: the files as the summary names them, in the
    order of ``tracked + added``."""
    if not tracked and not added:
        return None
    names = list(shown)
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    state = (
        "tracked by git"
        if not added
        else "not ignored by git"
        if not tracked
        else "tracked by git or not ignored by it"
    )
    one = len(names) == 1
    what = f"the export {listed} is" if one else f"the exports {listed} are"
    return (
        f"note: {what} {state}: {'it holds' if one else 'they hold'} ticket subjects and customers' "
        "details; commit the snapshots only, and add the exports' folder to .gitignore"
        + (f" (and git rm --cached {'it' if one else 'them'})" if tracked else "")
    )
