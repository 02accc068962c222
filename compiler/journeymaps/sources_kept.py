"""Each file parsed and validated, kept from one run to the next of ``journeymaps build`` (for
the same site) and of ``journeymaps lint`` (for the same project) (issue 18).

``serve`` keeps every file it parsed and validated in memory (a :class:`~journeymaps.project.Memo`),
so an edit parses the edited file alone. ``journeymaps build`` and ``journeymaps lint`` parsed
every file again: after one map's edit, ~1.3 s of a 1,000-map rebuild (a quarter of it), and
~1.5 s of the ~2 s the pre-commit hook took to lint one file among 1,000 maps (it reads every
map, for the cross-map rules). The files a run parsed are kept in one file per site or project
in the cache, by their path and bytes; the next run starts its memo from them, and parses only
the files whose bytes it does not find.

The file is each file's fields in :mod:`marshal`'s format (:func:`encoded`), sealed with this
user's cache key (:mod:`journeymaps.cache_seal`), as compiled templates are: only a file this
user's journeymaps wrote is read, and only by the code that wrote it (its code digest is in the
seal's name). Without a key nothing is kept. It holds
only the last run's files, so it never grows with edits; the files of the sites and projects
least recently run go first.
"""

from __future__ import annotations

import marshal
import pickle
import re
import threading
from array import array
from pathlib import Path
from typing import Any

from journeymaps import cache_files
from journeymaps.loader import Positions, Source
from journeymaps.project import ContentKey, Memo, collector_paused

#: Sites, and projects linted, whose files are kept (~45 MB each for 1,000 realistic maps).
KEEP = 4
#: No file of ours is larger (10,000 realistic maps: ~450 MB).
MAX_BYTES = 2 * 1024 * 1024 * 1024
#: A build or lint rewrites the kept file once this share of its files (1 in N) was parsed anew.
REWRITE_SHARE = 20
#: What each kind of run names its file: a site's build, a project's lint.
SITE, LINT = "sources", "lint-sources"


class KeptSources:
    """The files the previous run parsed (:meth:`memo`), and this run's, written once it has
    them (:meth:`keep` in a build, :meth:`keep_new` in lint). ``where``: the site's output
    folder (``kind`` :data:`SITE`), or the project's root (:data:`LINT`)."""

    def __init__(self, where: Path, kind: str = SITE) -> None:
        from journeymaps import keys
        from journeymaps.diagrams.render import cache_dir
        from journeymaps.yaml_parsers import DEFAULT_PARSER

        name = f"{cache_files.site_key(where)}.{kind}"
        self.path = cache_dir() / "sources" / name
        self._pattern = re.compile(rf"[0-9a-f]{{64}}\.{re.escape(kind)}\Z")
        #: The keys of the files read (what :meth:`keep_new` need not write again).
        self._found: set[ContentKey] = set()
        # What made the files: the code (the fields encoded), the schemas (their findings are
        # in each file's problems), the parser, and the libraries that word the problems.
        # Another's file does not verify.
        libraries = "/".join(map(_version, ("pyyaml", "jsonschema", "jsonschema-rs")))
        made_by = f"{keys.code_digest()}/{keys.schemas_digest()}/{DEFAULT_PARSER}/{libraries}"
        self._name = f"sources/{name}/{made_by}"
        self._writer: threading.Thread | None = None

    def memo(self) -> Memo:
        """A memo holding the files the previous build kept (none when there is no file,
        or it is not one this user's journeymaps sealed for this code)."""
        return Memo(sources=self._read())

    def _read(self) -> dict[ContentKey, Source]:
        payload = cache_files.read_sealed(self.path, self._name, MAX_BYTES)
        if payload is None:
            return {}
        try:
            # Millions of objects, none in a cycle: the collector's passes over them while
            # they were made cost as much as making them (1,000 realistic maps: 0.58 s of CPU
            # to read a pickle with the collector on, 0.28 s for these fields with it paused).
            with collector_paused():
                kept = decoded(payload)
        except Exception:  # not ours after all (nothing sealed fails): the files are parsed again
            return {}
        self._found = set(kept)
        return kept

    def keep(self, memo: Memo) -> None:
        """The files in ``memo`` (parsed and validated by this build), for the next build of
        the site: encoded here, before the pages read them (and fill the caches they hold: an
        encoding made beside the pages could meet an object mid-change), then sealed and
        written in a thread of its own, which :meth:`done` waits for. A cache that cannot be
        written costs the next build time, never this one its site. Not after each edit: as
        :meth:`keep_new`, once enough files were parsed anew."""
        if not self._worth_writing(memo.sources):
            return
        payload = encoded(memo.sources)
        self._writer = threading.Thread(
            target=cache_files.write_sealed,
            args=(self.path, self._name, payload, self._pattern, KEEP),
            name="journeymaps-sources-kept",
            daemon=True,
        )
        self._writer.start()

    def keep_new(self, memo: Memo, leave_out: Path | None = None) -> None:
        """The files in ``memo`` for the next lint of the project, written here (the run ends
        with it) once one in :data:`REWRITE_SHARE` of them was not read from the kept file.
        Rewriting ~45 MB for 1,000 realistic maps costs ~0.25 s, parsing a file ~1.5 ms: the
        few files each commit edits are parsed again by the next lints until there are enough
        of them. ``leave_out``: a file whose text came from standard input (an editor's
        unsaved buffer, new at every keystroke), never kept."""
        from journeymaps.cache_seal import secret_key

        sources = {k: s for k, s in memo.sources.items() if leave_out is None or k[0] != str(leave_out)}
        if not self._worth_writing(sources) or secret_key() is None:
            return
        payload = encoded(sources)
        cache_files.write_sealed(self.path, self._name, payload, self._pattern, KEEP)

    def _worth_writing(self, sources: dict[ContentKey, Source]) -> bool:
        """Whether one in :data:`REWRITE_SHARE` of ``sources`` was not read from the kept
        file (a build after one edit among 1,000 maps wrote ~45 MB again: ~0.25 s of CPU)."""
        new = len(sources.keys() - self._found)
        return bool(new) and new * REWRITE_SHARE >= len(sources)

    def done(self) -> None:
        """Wait for the file to be written (an interrupted build leaves at most a temporary
        file, removed by a later build's pruning)."""
        if self._writer is not None:
            self._writer.join()


#: The fields of each file, in this order (see :func:`encoded`).
_Row = tuple[
    str,
    str,
    str,
    str,
    str,
    str,
    Any,
    bytes | None,
    tuple[str, bytes, bytes, tuple[str, ...]] | None,
    str,
    bool,
    bytes | None,
]


def encoded(sources: dict[ContentKey, Source]) -> bytes:
    """``sources`` as :func:`decoded` reads them: each file's fields as plain values, in
    :mod:`marshal`'s format. A pickle of the same files (1,000 realistic maps) took 0.78 s
    of CPU to write, on a full build's main thread after lint, against 0.32 s: it makes each
    object by its class and remembers every object it wrote. The few values that are not
    plain (a file's problems, its hidden controls; data of a type YAML alone does not make)
    are pickled, each on its own."""
    rows = [_row(key, src) for key, src in sources.items()]
    try:
        return marshal.dumps(rows)
    except ValueError:  # a value marshal cannot write in some file's data: that data pickled
        return marshal.dumps([_row(key, src, _plain(src.data)) for key, src in sources.items()])


def _row(key: ContentKey, src: Source, plain: bool = True) -> _Row:
    pos = src.positions
    extra = (src.problems, src.hidden)
    return (
        *key,
        str(src.path),
        src.display,
        src.text,
        src.data if plain else None,
        None if plain else pickle.dumps(src.data, protocol=pickle.HIGHEST_PROTOCOL),
        None if pos is None else (pos.records.typecode, pos.records.tobytes(), pos.kinds, pos.names),
        src.parser,
        src.folder,
        pickle.dumps(extra, protocol=pickle.HIGHEST_PROTOCOL) if any(extra) else None,
    )


def _plain(data: Any) -> bool:
    try:
        marshal.dumps(data)
    except ValueError:
        return False
    return True


def decoded(payload: bytes | memoryview) -> dict[ContentKey, Source]:
    """The files :func:`encoded` wrote, by their content keys."""
    kept: dict[ContentKey, Source] = {}
    for (
        path,
        display_key,
        digest,
        src_path,
        display,
        text,
        data,
        pickled,
        pos,
        parser,
        folder,
        extra,
    ) in marshal.loads(payload):
        positions = None
        if pos is not None:
            typecode, records, kinds, names = pos
            positions = Positions(array(typecode, records), kinds, names)
        problems, hidden = pickle.loads(extra) if extra is not None else ([], [])
        kept[(path, display_key, digest)] = Source(
            path=Path(src_path),
            display=display,
            text=text,
            data=pickle.loads(pickled) if pickled is not None else data,
            positions=positions,
            problems=problems,
            parser=parser,
            hidden=hidden,
            folder=folder,
        )
    return kept


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "none"
