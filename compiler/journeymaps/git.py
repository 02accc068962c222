"""The little git that ``lint --changed-since`` and ``diff`` need, in one place.

A revision comes from the command line, so it is never allowed to become an option: one
that starts with '-' is refused, revisions are resolved to a commit id with
``--end-of-options`` before any other command sees them, and paths always follow ``--``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import posixpath
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from journeymaps.project import absolute
from journeymaps.records import record


class GitError(Exception):
    """git is missing, or refused; the message says which and why."""


def check_revision(rev: str) -> None:
    """Refuse what git would read as an option (``--output=FILE`` writes a file)."""
    if not rev or rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision (a revision cannot be empty or start with '-')")


#: No git command journeymaps runs should take this long; a hung one (a lock, a network
#: filesystem) fails the question, not the whole run.
TIMEOUT_SECONDS = 120


#: For questions that must never reach the network (a partial clone fetches missing objects
#: on demand, and might prompt for a password).
OFFLINE = {"GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0"}


def _git(args: list[str], cwd: Path, stdin: bytes | None = None, *, offline: bool = False) -> bytes:
    env = {**os.environ, **OFFLINE} if offline else None
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
            env=env,
        )
    except OSError:
        raise GitError("git is needed on PATH for this") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {TIMEOUT_SECONDS} s and was stopped") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[0].removeprefix("fatal: ") if lines else f"git {args[0]} failed")
    return proc.stdout


#: What ``git rev-parse --verify`` says of a revision it cannot find (of a tree: the type).
_UNKNOWN_REVISION = ("Needed a single revision", "expected commit type")


def _unreadable(said: str) -> str:
    """git refusing the repository itself (its files owned by another user, as in a CI
    container; a .git file that is not one): said as "the repository has no commit yet",
    which sent people to commit what was committed."""
    hint = ""
    if "dubious ownership" in said:
        at = re.search(r"at '(.+)'", said)
        hint = (
            ": its files belong to another user; if you trust them, git config --global --add "
            f"safe.directory {at.group(1) if at else 'PATH'}"
        )
    return f"git cannot read this repository ({said}){hint}"


def commit(rev: str, cwd: Path) -> str:
    """The commit id ``rev`` names (GitError for an unknown revision)."""
    check_revision(rev)
    try:
        out = _git(["rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"], cwd)
    except GitError as exc:
        if "git is needed" in str(exc):
            raise
        if "not a git repository" in str(exc):  # not "unknown revision 'HEAD'": there is none
            raise GitError(f"{absolute(cwd).as_posix()} is in no git repository") from None
        if not any(said in str(exc) for said in _UNKNOWN_REVISION):
            raise GitError(_unreadable(str(exc))) from None
        if "..." in rev:  # no ref name holds "..": git's A...B
            return _merge_base(rev, cwd)
        if (kind := _object_kind(rev, cwd)) in _NOT_COMMITS:
            raise GitError(_not_a_commit(rev, kind)) from None
        raise GitError(f"unknown revision '{rev}' ({_why_unknown(rev, cwd)})") from None
    return out.decode().strip()


#: What git objects that are no commit are, in words.
_NOT_COMMITS = {"tree": "a tree (a folder's contents)", "blob": "a blob (a file's contents)"}


def _object_kind(rev: str, cwd: Path) -> str | None:
    """The kind of object ``rev`` names, a tag peeled (``tree``, ``blob``, ``commit``);
    None for none."""
    try:
        # In two steps: after a colon (HEAD:maps/a.yaml) "^{}" would be read as the path's
        oid = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", rev], cwd, offline=True)
        return _git(["cat-file", "-t", f"{oid.decode().strip()}^{{}}"], cwd, offline=True).decode().strip()
    except GitError:
        return None


def _not_a_commit(rev: str, kind: str) -> str:
    """Why ``rev``, which names a ``kind`` of object, cannot be compared. ``HEAD^{tree}`` was
    called an unknown revision ("not a branch, tag or commit"), which it is."""
    commit = re.sub(r"\^\{tree\}$", "", rev).partition(":")[0]  # HEAD^{tree}, HEAD:maps/a.yaml
    instead = f" ({commit}, say)" if commit and commit != rev else ""
    return f"'{rev}' is {_NOT_COMMITS[kind]}, not a commit: name the commit{instead} to compare with"


def _merge_base(rev: str, cwd: Path) -> str:
    """``A...B`` as ``git diff A...B`` reads it: the commit where B left A (their merge base;
    an empty side is HEAD). A pull request's branch compared with ``main`` showed the
    changes main had since, undone; ``main...HEAD`` was refused as an unknown revision."""
    left, _, right = rev.partition("...")
    ends = [commit(side or "HEAD", cwd) for side in (left, right)]
    try:
        return _git(["merge-base", *ends], cwd).decode().strip()
    except GitError:  # git says nothing: there is none, or not in this shallow clone
        why = _shallow_hint(cwd) or "they have no commit in common"
        raise GitError(f"no commit where '{right or 'HEAD'}' left '{left or 'HEAD'}' ({why})") from None


def _shallow_hint(cwd: Path) -> str | None:
    """What to do in a shallow clone, where older commits are not fetched; None in another."""
    try:
        shallow = _git(["rev-parse", "--is-shallow-repository"], cwd, offline=True).strip() == b"true"
    except GitError:
        shallow = False
    if not shallow:
        return None
    return (
        "not in this shallow clone: fetch the history, e.g. actions/checkout with fetch-depth: 0, "
        "GIT_DEPTH: 0 in GitLab, or git fetch --unshallow"
    )


#: How many branch names an unknown revision's message lists.
_BRANCHES_SHOWN = 6


def _why_unknown(rev: str, cwd: Path) -> str:
    """Why a revision may be missing: in a shallow clone (CI checkouts usually are) the
    base branch and older commits are simply not fetched."""
    if (shallow := _shallow_hint(cwd)) is not None:
        return shallow
    try:
        _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd, offline=True)
    except GitError:  # 'diff HEAD' in a new repository named HEAD "not a ... commit"
        return "the repository has no commit yet: commit the maps first"
    if ".." in rev:  # git's A..B: two revisions, where one is asked for
        return "a range names two revisions: name one, or A...B for the commit where B left A"
    branches = _branch_names(cwd)
    if not branches:
        return "not a branch, tag or commit of this repository"
    # `journeymaps diff main`, as the README says, in a repository whose first branch git
    # named master: say which branches there are, so the one meant is at hand.
    shown = ", ".join(branches[:_BRANCHES_SHOWN])
    more = f" and {len(branches) - _BRANCHES_SHOWN} more" if len(branches) > _BRANCHES_SHOWN else ""
    return f"not a branch, tag or commit of this repository; its branches: {shown}{more}"


def _branch_names(cwd: Path) -> list[str]:
    """The repository's local branches, then its remote-tracking ones (``origin/main``),
    without a remote's ``HEAD``; empty when git cannot say."""
    try:
        out = _git(["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes"], cwd, offline=True)
    except GitError:
        return []
    names = []
    for ref in out.decode("utf-8", "surrogateescape").splitlines():
        if ref.startswith("refs/heads/"):
            names.append(ref.removeprefix("refs/heads/"))
        elif ref.startswith("refs/remotes/") and not ref.endswith("/HEAD"):
            names.append(ref.removeprefix("refs/remotes/"))
    return names


def main_branch(cwd: Path) -> str | None:
    """The branch work lands on in ``cwd``'s repository, as far as git here can tell: the
    one ``origin/HEAD`` names; else ``main`` or ``master``, whichever the repository has;
    else, before the first commit, the branch HEAD names (a first push makes it the
    default). None outside a repository, without git, or when none of these says."""
    try:
        said = _git(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], cwd, offline=True)
    except GitError:
        said = b""
    if said.strip().startswith(b"refs/remotes/origin/"):
        return said.strip().decode("utf-8", "surrogateescape").removeprefix("refs/remotes/origin/")
    branches = _branch_names(cwd)
    for usual in ("main", "master"):
        if usual in branches:
            return usual
    if branches:
        return None  # commits on other branches only: which one is the main one is not known
    try:
        head = _git(["symbolic-ref", "--quiet", "HEAD"], cwd, offline=True).strip()
    except GitError:
        return None
    return head.decode("utf-8", "surrogateescape").removeprefix("refs/heads/") or None


def toplevel(cwd: Path) -> Path:
    """The top folder of the work tree ``cwd`` is in (as ``cwd`` names it, links kept)."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode("utf-8", "surrogateescape").strip())
    prefix = _git(["rev-parse", "--show-prefix"], cwd).decode("utf-8", "surrogateescape").strip()
    here = absolute(cwd)
    for _ in Path(prefix).parts if prefix else ():
        here = here.parent
    return here if here.resolve() == top.resolve() else top


#: The largest file read from a revision: above a map's size limit by default (1 MB) and a
#: photo's (2 MB). A larger blob is never read into memory (git's answer held it whole,
#: and the parse 2-6 times over: a 300 MB YAML file once committed took 1.7 GB).
MAX_BLOB_BYTES = 4 * 1024 * 1024
_OBJECT_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


def blobs(
    specs: list[str], cwd: Path, max_bytes: int = MAX_BLOB_BYTES, *, offline: bool = False
) -> list[bytes | None]:
    """Each ``REV:PATH``'s file bytes, None where it is missing, not a file or larger than
    ``max_bytes``. Two git calls: the sizes first, then only the blobs within the limit."""
    asked = {s: q for s in specs if (q := _one_line_spec(s, cwd, offline=offline)) is not None}
    if not asked:
        return [None] * len(specs)
    query = "".join(f"{q}\n" for q in asked.values()).encode("utf-8", "surrogateescape")
    sizes = _git(
        ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], cwd, query, offline=offline
    )
    ids: dict[str, str] = {}
    for spec, line in zip(asked, sizes.splitlines(), strict=True):
        # "<id> blob <size>", or "<spec as asked> missing" (the spec may hold spaces)
        parts = line.split(b" ")
        if (
            len(parts) == 3
            and _OBJECT_ID.fullmatch(parts[0])
            and parts[1] == b"blob"
            and parts[2].isdigit()
            and int(parts[2]) <= max_bytes
        ):
            ids[spec] = parts[0].decode("ascii")
    if not ids:
        return [None] * len(specs)
    unique = sorted(set(ids.values()))
    out = _git(
        ["cat-file", "--batch"], cwd, "".join(f"{i}\n" for i in unique).encode("ascii"), offline=offline
    )
    data: dict[str, bytes] = {}
    pos = 0
    for object_id in unique:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        data[object_id] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return [data[ids[s]] if s in ids else None for s in specs]


def _one_line_spec(spec: str, cwd: Path, *, offline: bool = False) -> str | None:
    """``spec`` as ``git cat-file --batch`` can read it, one a line: a ``REV:PATH`` whose
    path holds a line break as its object's id (None when missing). Left out, a map so named
    was not there: its staged deletion checked nothing, the maps based on it passed the hook.
    (``cat-file -z`` reads such names, from git 2.38 only.)"""
    if "\n" not in spec:
        return spec
    try:
        return (
            _git(["rev-parse", "--verify", "--quiet", "--end-of-options", spec], cwd, offline=offline)
            .decode("ascii")
            .strip()
        )
    except GitError:
        return None


def _names(raw: bytes) -> list[str]:
    return [n.decode("utf-8", "surrogateescape") for n in raw.split(b"\0") if n]


@record
class Changes:
    """What changed in the work tree since a commit."""

    commit: str
    top: Path  # the work tree's top folder
    paths: list[Path]  # absolute; added, changed, deleted or renamed (both names), untracked
    #: Files the index deletes that are still in the work tree (``git rm --cached``): gone
    #: from the commit, so not to be read.
    kept_on_disk: tuple[Path, ...] = ()
    #: A merge is being committed: ``paths`` are all the files it stages.
    merging: bool = False
    #: Compared with a revision pre-commit was given (--from-ref, a pre-push hook), not
    #: with the index: the revision as given.
    since: str = ""
    #: The work tree's files git does not have (untracked or ignored), as ``git ls-files
    #: --others --directory`` names them from ``top`` (a folder of them once, ending in /):
    #: not in the commit, so not to be read.
    not_in_git: frozenset[str] = frozenset()

    def outside_git(self, path: Path) -> bool:
        """Whether ``path`` is among :attr:`not_in_git` (in a folder of them too)."""
        if not self.not_in_git:
            return False
        try:
            rel = absolute(path).relative_to(self.top).as_posix()
        except ValueError:
            return False
        if rel in self.not_in_git:
            return True
        parts = rel.split("/")
        return any("/".join(parts[:n]) + "/" in self.not_in_git for n in range(1, len(parts)))

    def before(self, paths: list[Path]) -> dict[Path, bytes | None]:
        """Each file's bytes at the commit (None where it did not exist, or was larger than
        :data:`MAX_BLOB_BYTES`: no map then, and never read)."""
        rels = {}
        for p in paths:
            try:
                rels[p] = p.relative_to(self.top).as_posix()
            except ValueError:
                continue
        if not rels:
            return {}
        found = blobs([f"{self.commit}:{r}" for r in rels.values()], self.top)
        return dict(zip(rels, found, strict=True))


def changed_since(rev: str, cwd: Path) -> Changes:
    """Every file added, changed, renamed (both names) or deleted since ``rev``, and every
    untracked file git does not ignore."""
    sha = commit(rev, cwd)
    top = toplevel(cwd)
    names = _names(_git(["diff", "--name-only", "-z", "--no-renames", sha, "--"], top))
    names += _names(_git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--"], top))
    paths = {top / n for n in names}
    for sub in [p for p in paths if (p / ".git").exists() and not p.is_symlink()]:
        paths |= _submodule_changes(sha, sub, top)
    return Changes(sha, top, sorted(paths))


def staged_deletions(cwd: Path) -> Changes:
    """The files the index deletes from HEAD (none before the first commit): pre-commit names
    no deleted file, and a commit that only deleted a map ran no hook. With them, the files
    it stages that pre-commit does not name (see :data:`PRE_COMMIT_NAMES`): a link (tagged
    "symlink", never "yaml": a map made a link to another passed the hook), a metrics
    snapshot or a persona's photo (a snapshot's conflict markers passed). Before the first
    commit, those it stages against no tree at all. Outside a repository there is no index,
    and nothing is staged."""
    try:
        top = toplevel(cwd)
    except GitError as exc:
        if "not a git repository" not in str(exc):
            raise
        return Changes("", absolute(cwd), [])
    pushed = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if pushed[0] and pushed[1]:
        return _between(pushed[0], pushed[1], top)
    try:
        sha = commit("HEAD", top)
    except GitError as exc:
        if "unknown revision" not in str(exc):
            raise
        # The first commit: its links staged were never looked at (a map linked to nothing
        # passed the hook, and lint failed), so they are staged against the empty tree.
        sha = empty_tree(top)
    raw = _git(["diff", "--cached", "--raw", "-z", "--no-renames", sha, "--"], top)
    # pre-commit stashes what is not staged, but leaves untracked files: a map untracked
    # (git rm --cached) was read from the disk, and the commit, which has it no longer,
    # passed the hook with the maps it breaks.
    kept = tuple(p for n in _entries(raw) if n[0] == b"D" and _listed(p := top / n[1]))
    # Committing a merge, pre-commit names only the files that were in conflict: a map the
    # other branch brought, owned by a team this one deleted, passed the hook. All it stages.
    merging = _merging(top)
    staged = [n[1] for n in _entries(raw)] if merging else _not_named(raw)
    return Changes(sha, top, sorted(top / n for n in staged), kept, merging, not_in_git=_not_in_git(top))


def _not_in_git(top: Path) -> frozenset[str]:
    """The work tree's files git does not have, untracked or ignored (see
    :attr:`Changes.not_in_git`): pre-commit leaves them where they are, and a new map
    nobody added, read by the hook, made the commit pass that lint failed without it."""
    return frozenset(_names(_git(["ls-files", "--others", "--directory", "-z", "--"], top)))


def _between(old: str, new: str, top: Path) -> Changes:
    """What pre-commit compares when given two revisions (``--from-ref``/``--to-ref``, as a
    pre-push hook and CI run it): the files changed from where ``new`` left ``old`` to
    ``new`` that it does not name. The index was compared with HEAD, where nothing is
    staged: a pushed commit deleting a map passed with the maps it broke."""
    try:
        sha = _merge_base(f"{old}...{new}", top)
    except GitError:  # no commit in common: as pre-commit, the whole difference
        sha = commit(old, top)
    raw = _git(["diff", "--raw", "-z", "--no-renames", sha, commit(new, top), "--"], top)
    return Changes(sha, top, sorted(top / n for n in _not_named(raw)), since=old, not_in_git=_not_in_git(top))


def _merging(top: Path) -> bool:
    """Whether a merge is being committed (git has a MERGE_HEAD)."""
    try:
        _git(["rev-parse", "--quiet", "--verify", "MERGE_HEAD"], top, offline=True)
    except GitError:
        return False
    return True


def _listed(path: Path) -> bool:
    """Whether ``path`` is in its folder by that very name: on a disk that ignores case, a
    map renamed ``A.yaml`` → ``a.yaml`` is there as ``A.yaml`` too, and is no file left."""
    try:
        return any(entry.name == path.name for entry in path.parent.iterdir())
    except OSError:
        return False


def empty_tree(cwd: Path) -> str:
    """The id of the tree of no file, in this repository's hash (SHA-1 or SHA-256): what a
    first commit is compared with; reading a file from it finds none."""
    return _git(["hash-object", "-t", "tree", "--stdin"], cwd, b"").decode().strip()


#: The files pre-commit names to the hook (``types_or: [yaml, toml]``, by suffix in any case).
PRE_COMMIT_NAMES = (".yaml", ".yml", ".toml")


def _entries(raw: bytes) -> list[tuple[bytes, str, bytes]]:
    """(status, path, mode after) of each entry of ``git diff --raw -z`` output
    (``:old-mode new-mode old new status``, then the path)."""
    fields = raw.split(b"\0")
    out = []
    for head, name in zip(fields[::2], fields[1::2], strict=False):
        parts = head.split()
        if len(parts) == 5:
            out.append((parts[4], name.decode("utf-8", "surrogateescape"), parts[1]))
    return out


def _not_named(raw: bytes) -> list[str]:
    """The paths of ``git diff --raw -z`` output that pre-commit does not name: deleted,
    links after the change, or neither YAML nor TOML."""
    return [
        path
        for status, path, mode in _entries(raw)
        if status == b"D" or mode == b"120000" or not path.lower().endswith(PRE_COMMIT_NAMES)
    ]


def _submodule_changes(sha: str, sub: Path, top: Path) -> set[Path]:
    """The files changed in a submodule that git names as one changed path: since the
    commit ``sha`` records for it, or all of them when it records none (or the submodule
    does not have it). Its maps were never checked: "No map changed"."""
    found = _git(["ls-tree", "-z", sha, "--", sub.relative_to(top).as_posix()], top).split(b"\0")[0]
    fields = found.partition(b"\t")[0].split()
    if len(fields) == 3 and fields[0] == b"160000" and _OBJECT_ID.fullmatch(fields[2]):
        with contextlib.suppress(GitError):
            return set(changed_since(fields[2].decode("ascii"), sub).paths)
    listed = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--"], sub)
    return {sub / n for n in _names(listed)}


#: How many links in a row a revision's link may go through to reach its file (as the
#: system's own limit on following links, far below it).
LINK_HOPS = 8


def export(rev: str, paths: list[str], cwd: Path, dest: Path, max_bytes: int = MAX_BLOB_BYTES) -> None:
    """Write the files under ``paths`` (relative to ``cwd``) as they are at ``rev`` into
    ``dest``, keeping their paths; a path that did not exist at ``rev`` is left out.

    A file larger than ``max_bytes`` is not read from git: it is made as a sparse file of
    its size (no disk, no memory), which a reader refuses as too large, as it would the
    real one. git's archive of a 300 MB map held it whole in memory.

    A link committed there is made again as a link to where it points in the work tree
    (see :func:`_relink`), and a file it points to inside ``cwd`` is fetched too: a map
    committed as a link was left out of the revision's side, while the working tree's
    side reads it (or reports it: a link out of the project, or to nothing)."""
    sha = commit(rev, cwd)
    dest.mkdir(parents=True, exist_ok=True)
    wanted = paths
    asked = {os.path.normpath(p) for p in paths}  # and where their links lead
    for hop in range(LINK_HOPS):
        present = [p for p in wanted if _exists(sha, p, cwd)]
        if not present:
            return
        if hop == 0:
            _export_submodules(sha, present, cwd, dest, max_bytes)
        listed = _listing(sha, present, cwd)
        large = {e.path: e.size for e in listed if e.mode in REGULAR and e.size > max_bytes}
        left_out = [f":(exclude,literal){p}" for p in large]
        data = _git(["archive", "--format=tar", sha, "--", *present, *left_out], cwd)
        links = []
        # An archive of no file (every one export-ignore) is a header Python cannot open.
        with contextlib.suppress(tarfile.ReadError), tarfile.open(fileobj=io.BytesIO(data)) as tar:
            _extract_files(tar, dest)
            links = [m for m in tar.getmembers() if m.issym()]
        for path, size in large.items():
            _sparse(dest, path, size)
        _unsubstituted(sha, present, listed, large, dest, cwd)
        links += _unarchived(listed, large, dest, cwd)
        relinked = {os.path.normpath(m.name): t for m in links if (t := _relink(m, dest, cwd)) is not None}
        targets = sorted(set(relinked.values()))
        kinds = _object_types(sha, targets, cwd)
        # A folder asked for that is a link (maps -> journeys/maps) is read through it in the
        # work tree: its folder is fetched whole (the revision's side had no maps at all).
        asked = {t for name, t in relinked.items() if name in asked}
        for folder in (t for t in targets if kinds.get(t) == "tree" and t not in asked):
            # refused as a folder (as in the work tree), not copied whole; made only inside
            if Path(os.path.realpath(dest / folder)).is_relative_to(os.path.realpath(dest)):
                (dest / folder).mkdir(parents=True, exist_ok=True)
        wanted = [t for t in targets if kinds.get(t) == "blob" or (t in asked and kinds.get(t) == "tree")]


def _export_submodules(sha: str, paths: list[str], cwd: Path, dest: Path, max_bytes: int) -> None:
    """The submodules under ``paths`` at ``sha``, as that commit records them: their files
    are in their own repositories, which ``git archive`` leaves out, so the maps of a
    submodule checked out in the work tree read as added by every change, with all their
    findings introduced. One not checked out, or without the recorded commit, is left out."""
    out = _git(["ls-tree", "-r", "-z", sha, "--", *paths], cwd)
    for entry in out.split(b"\0"):
        info, tab, name = entry.partition(b"\t")
        fields = info.split()
        if not tab or len(fields) != 3 or fields[0] != b"160000" or not _OBJECT_ID.fullmatch(fields[2]):
            continue
        path = name.decode("utf-8", "surrogateescape")
        here = cwd / path
        if not (here / ".git").exists() or here.is_symlink():
            continue
        try:
            export(fields[2].decode("ascii"), ["."], here, dest / path, max_bytes)
        except GitError:
            continue


#: The modes of a regular file in a git tree, and of a link.
REGULAR = (b"100644", b"100755")
LINK = b"120000"


@record
class _Listed:
    """One file of a tree, as ``git ls-tree -l`` lists it (``path`` relative to ``cwd``)."""

    mode: bytes
    object_id: str
    size: int
    path: str


def _listing(sha: str, paths: list[str], cwd: Path) -> list[_Listed]:
    """The regular files and links under ``paths`` at ``sha``, with their sizes, in one git call."""
    out = _git(["ls-tree", "-r", "-l", "-z", sha, "--", *paths], cwd)
    found = []
    for entry in out.split(b"\0"):
        info, tab, name = entry.partition(b"\t")
        fields = info.split()
        if tab and len(fields) == 4 and fields[0] in (*REGULAR, LINK) and fields[3].isdigit():
            path = name.decode("utf-8", "surrogateescape")
            found.append(_Listed(fields[0], fields[2].decode("ascii"), int(fields[3]), path))
    return found


def _unarchived(listed: list[_Listed], large: dict[str, int], dest: Path, cwd: Path) -> list[tarfile.TarInfo]:
    """Make the files ``git archive`` left out (what the revision's .gitattributes mark
    ``export-ignore``) from their blobs, and return its links as archive members: left out,
    a branch marking its broken map so read as having removed it, and passed the gate."""
    missing = [e for e in listed if e.path not in large and not os.path.lexists(dest / e.path)]
    if not missing:
        return []
    found = blobs([e.object_id for e in missing], cwd)
    links = []
    for e, data in zip(missing, found, strict=True):
        if data is None:
            continue
        if e.mode == LINK:
            if not _folder_for(dest, e.path):
                continue
            member = tarfile.TarInfo(e.path)
            member.type, member.linkname = tarfile.SYMTYPE, data.decode("utf-8", "surrogateescape")
            links.append(member)
        else:
            _make(dest, e.path, functools.partial(_write_all, data=data))
    return links


def _unsubstituted(
    sha: str, paths: list[str], listed: list[_Listed], large: dict[str, int], dest: Path, cwd: Path
) -> None:
    """Write again from their blobs the files ``git archive`` filled ``$Format:...$`` in
    (what the revision's .gitattributes mark ``export-subst``): a branch so marking its maps
    had ``# $Format:%n$    owner: success`` read as a second line with an owner, and its
    missing owner passed ``diff main HEAD --check`` ("No change to any journey map")."""
    names = _grep_files(sha, "$Format:", paths, cwd)
    again = [e for e in listed if e.path in names and e.mode in REGULAR and e.path not in large]
    if not again:
        return
    for e, data in zip(again, blobs([e.object_id for e in again], cwd), strict=True):
        target = dest / e.path
        if data is None or target.is_symlink() or not target.is_file():
            continue
        target.unlink()
        _make(dest, e.path, functools.partial(_write_all, data=data))


#: Names from cwd, plain, of this repository only: whatever grep.fullName, color.grep or
#: submodule.recurse a user set.
_GREP_PLAIN = ("--no-full-name", "--no-color", "--no-recurse-submodules")


def _grep_files(sha: str, fixed: str, paths: list[str], cwd: Path) -> set[str]:
    """The files under ``paths`` (relative to ``cwd``) at ``sha`` that hold ``fixed``, in
    one git call (``git grep`` ends with 1 when none does)."""
    try:
        proc = subprocess.run(
            ["git", "grep", *_GREP_PLAIN, "-l", "-z", "-F", "-e", fixed, sha, "--", *paths],
            cwd=cwd,
            capture_output=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git grep could not read {sha[:12]}: {exc}") from None
    if proc.returncode not in (0, 1):
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[0].removeprefix("fatal: ") if lines else "git grep failed")
    return {
        name.decode("utf-8", "surrogateescape").removeprefix(f"{sha}:")
        for name in proc.stdout.split(b"\0")
        if name
    }


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _sparse(dest: Path, path: str, size: int) -> None:
    """A file of ``size`` bytes at ``dest``/``path`` that holds no data."""
    _make(dest, path, lambda fd: os.ftruncate(fd, size))


def _folder_for(dest: Path, path: str) -> bool:
    """Whether ``dest``/``path``'s folder is (made) a real folder inside ``dest``."""
    target = dest / path
    if Path(os.path.normpath(target)) != target or not target.is_relative_to(dest):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(os.path.realpath(target.parent)) == Path(os.path.realpath(dest)) / Path(path).parent


def _make(dest: Path, path: str, fill: Callable[[int], None]) -> None:
    """A new file at ``dest``/``path``, filled by ``fill(fd)``: made only inside ``dest``,
    through no link, and never over anything there."""
    if not _folder_for(dest, path):
        return
    try:
        fd = os.open(dest / path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError:
        return
    try:
        fill(fd)
    finally:
        os.close(fd)


def files(rev: str, paths: list[str], cwd: Path) -> list[str]:
    """Those of ``paths`` (relative to ``cwd``) that are files at ``rev``, in one git call:
    a folder named where a file is expected is not one."""
    kinds = _object_types(commit(rev, cwd), paths, cwd)
    return [p for p in paths if kinds.get(p) == "blob"]


def git_dir(cwd: Path) -> Path:
    """The repository's own folder (``.git``, or a worktree's), absolute: never committed."""
    return Path(_git(["rev-parse", "--absolute-git-dir"], cwd).decode("utf-8", "surrogateescape").strip())


def prefix(cwd: Path) -> str:
    """``cwd`` relative to the work tree's top, ending in ``/`` ("" at the top)."""
    return _git(["rev-parse", "--show-prefix"], cwd).decode("utf-8", "surrogateescape").strip()


def read_files(rev: str, paths: list[str], cwd: Path, max_bytes: int = MAX_BLOB_BYTES) -> list[bytes | None]:
    """Each of ``paths`` (relative to ``cwd``, ``../`` allowed up to the work tree's top) as
    it is at ``rev``: None where it is missing, not a file, too large or outside the tree."""
    sha = commit(rev, cwd)
    at = prefix(cwd)
    full = [posixpath.normpath(at + p) for p in paths]
    inside = [f for f in full if f != ".." and not f.startswith("../")]
    found = dict(zip(inside, blobs([f"{sha}:{f}" for f in inside], cwd, max_bytes), strict=True))
    return [found.get(f) for f in full]


def object_size(rev: str, path: str, cwd: Path) -> tuple[str, int] | None:
    """What ``path`` (relative to ``cwd``) is at ``rev`` ("blob", "tree") and its size in
    bytes, None when missing: why :func:`read_files` gave no bytes for a file that is there."""
    spec = _one_line_spec(f"{commit(rev, cwd)}:{posixpath.normpath(prefix(cwd) + path)}", cwd)
    if spec is None:
        return None
    query = f"{spec}\n".encode("utf-8", "surrogateescape")
    parts = _git(["cat-file", "--batch-check=%(objecttype) %(objectsize)"], cwd, query).split()
    if len(parts) != 2 or not parts[1].isdigit():
        return None  # "<spec> missing"
    return parts[0].decode("ascii", "replace"), int(parts[1])


def _object_types(sha: str, paths: list[str], cwd: Path) -> dict[str, str]:
    """What each of ``paths`` (relative to ``cwd``) is at commit ``sha``: "blob" (a file or
    a link), "tree" (a folder); left out when missing, in one git call."""
    if not paths:
        return {}
    prefix = _git(["rev-parse", "--show-prefix"], cwd).decode("utf-8", "surrogateescape").strip()
    specs = {p: _one_line_spec(f"{sha}:{prefix}{p}", cwd) for p in paths}
    wanted = [p for p, spec in specs.items() if spec is not None]
    if not wanted:
        return {}
    query = "".join(f"{specs[p]}\n" for p in wanted).encode("utf-8", "surrogateescape")
    out = _git(["cat-file", "--batch-check=%(objecttype)"], cwd, query).decode().splitlines()
    return {p: line for p, line in zip(wanted, out, strict=True) if line in ("blob", "tree")}


def _relink(member: tarfile.TarInfo, dest: Path, cwd: Path) -> str | None:
    """Make the committed link ``member`` in ``dest`` (as a link, never written through):
    to the same place in ``dest`` when it points inside the tree (``dest`` mirrors
    ``cwd``), else to where it points from ``cwd`` (a link out of the project is then
    refused in the same words as in the work tree). The path it points to inside the
    tree, when it is not there yet (to be fetched), else None."""
    rel = Path(os.path.normpath(member.name))
    if rel.is_absolute() or rel.parts[:1] == ("..",):
        return None
    link = dest / rel
    # only into a real folder of the tree: nothing made through another link
    real_parent = Path(os.path.realpath(link.parent))
    if real_parent != Path(os.path.realpath(dest)) / rel.parent or os.path.lexists(link):
        return None
    top = absolute(cwd)
    target = Path(os.path.normpath(top / rel.parent / member.linkname))
    if not target.is_relative_to(top):
        link.symlink_to(target)
        return None
    inside = target.relative_to(top)
    link.symlink_to(os.path.relpath(dest / inside, link.parent))
    return None if os.path.lexists(dest / inside) else inside.as_posix()


def _extract_files(tar: tarfile.TarFile, dest: Path) -> None:
    """The archive's folders and regular files, written under ``dest`` as the "data" filter
    would let them: a link committed in an old revision (to /etc/passwd, or out of the tree)
    is not extracted (that ended the run), but made again by :func:`_relink`, never followed
    while extracting, and nothing is written through a link to outside ``dest``.

    Written here rather than by ``extractall(filter=...)``: Python has extraction filters
    from 3.10.12 and 3.11.4 on, and on Debian 12's python3 (3.11.2) every ``diff``, and
    every ``build`` in a git repository (its "What changed" page), ended in an internal
    error (TypeError)."""
    root = Path(os.path.realpath(dest))
    for member in tar:
        if not (member.isfile() or member.isdir()):
            continue
        # where it lands once the links already made in ``dest`` are followed
        target = Path(os.path.realpath(root / member.name))
        if not target.is_relative_to(root):
            continue
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        data = tar.extractfile(member)
        if data is None:  # pragma: no cover - a regular file always has its data
            continue
        with data, target.open("wb") as out:
            shutil.copyfileobj(data, out)
        os.utime(target, (member.mtime, member.mtime))  # the commit's time, as git archive says


def _exists(sha: str, path: str, cwd: Path) -> bool:
    try:
        return bool(_git(["ls-tree", "--name-only", sha, "--", path], cwd).strip())
    except GitError:
        return False
