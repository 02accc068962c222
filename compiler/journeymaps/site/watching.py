"""What ``serve`` watches: every input the site is built from, not only the YAML files.

The site's stamp (see :func:`journeymaps.keys.site_stamp`) names more than the maps and the
settings: the persona photos the pages show, the measured numbers' snapshots and the git
HEAD (the What changed page). serve watched the YAML files of the maps folders it found at
start and the settings files only, so a photo replaced, a snapshot written by ``journeymaps
measure``, a commit, or a maps folder added to the settings' ``paths`` left the served site
stale (not what ``journeymaps build`` gives) until some YAML file happened to be saved. After
each rebuild, :func:`watched` says again what the site now depends on.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from journeymaps import git, keys
from journeymaps.reading import linked_out
from journeymaps.settings import Settings


def watched(
    named: list[Path], settings: Settings, stamp: dict[str, str], settings_files: list[Path]
) -> tuple[list[Path], list[Path]]:
    """The folders whose YAML files are watched, and the single files (and folders, by
    their own look: an entry added or removed) watched besides, for a site built with
    ``settings`` whose stamp is ``stamp``. ``named``: the maps named on the command line
    (then the settings' folders are not the maps); ``settings_files``: those watched so far."""
    # Every maps folder of the settings, even one missing now: it is seen once it appears.
    folders = list(named) or settings.roots()
    # A maps folder that a link takes out of the project is not read: looked at, not listed.
    linked = [f for f in folders if linked_out(f, settings.root) is not None]
    folders = [f for f in folders if f not in linked]
    files = list(dict.fromkeys([*settings_files, *([settings.file] if settings.file else []), *linked]))
    # The persona photos the site shows (their names as the stamp keeps them, from the root).
    files += [settings.root / k.removeprefix(keys.ALSO) for k in sorted(stamp) if k.startswith(keys.ALSO)]
    # The measured numbers: the snapshots folder (a snapshot added or removed) and each one.
    metrics = settings.root / settings.measure.metrics
    files.append(metrics)
    with contextlib.suppress(OSError):  # a folder that cannot be listed: the build says why
        files += sorted(metrics.glob("*.json"))
    files += _git_files(settings.root)
    return folders, list(dict.fromkeys(files))


def _git_files(root: Path) -> list[Path]:
    """The files a commit, a checkout, a reset or a fetch that deepens a shallow clone
    changes: where HEAD points, its log, and the refs. Asked of git (a linked worktree's
    HEAD is not in ``.git/``), once a rebuild."""
    with contextlib.suppress(git.GitError):
        out = git._git(["rev-parse", "--absolute-git-dir", "--git-common-dir"], root, offline=True)
        own, common = (Path(x) for x in out.decode("utf-8", "surrogateescape").splitlines()[:2])
        common = root / common  # said relative to where git ran, unless absolute
        found = [own / "HEAD", own / "logs" / "HEAD", common / "packed-refs", common / "shallow"]
        with contextlib.suppress(OSError, UnicodeDecodeError):
            head = (own / "HEAD").read_text("utf-8").strip()
            if head.startswith("ref: "):
                found.append(common / head.removeprefix("ref: "))
        return found
    # In no repository (yet): where ``git init`` or a clone around the maps would put one,
    # the root's ``.git`` and each parent's (a stat each a look). Nothing was watched, so
    # the repository, and then its first commit, were seen only at the next map saved.
    root = root.absolute()
    return [folder / ".git" for folder in (root, *root.parents)]
