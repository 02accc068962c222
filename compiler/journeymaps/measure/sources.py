"""Sources declared in the settings, and the SQL that reads each into canonical columns.

File sources (CSV, JSON Lines, Parquet; a file, a folder or a glob of monthly files) are
read in place by DuckDB: every column as text, each field parsed by its reader, so a value
that does not parse is counted against its column instead of failing the run. SQL sources
name a table or view whose columns already have the canonical names and types (or map them
in ``columns``); they are queried where they live.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import shorten
from journeymaps.measure import date_layouts
from journeymaps.measure.offset_names import at_offset
from journeymaps.measure.presets import (
    CANONICAL,
    CUSTOM_READS,
    FIELD_NAMES,
    PRESETS,
    SURVEY_CANONICAL,
    SURVEY_DEFAULTS,
    Field,
    Preset,
)
from journeymaps.reading import special_kind, walked
from journeymaps.records import record
from journeymaps.settings import unknown_zone

FILE_KINDS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".parquet": "parquet",
}
SURVEY_TYPES = ("csat", "ces", "nps")


class MeasureError(Exception):
    """A source that cannot be measured: said in words, with the source's name, and where to
    fix it: an export ``file`` (at ``line`` and ``column``; its header row by default), else the source's
    ``setting`` in the settings file (the key path under ``[sources]``, the table's own line
    for ``()``). ``settings`` says the settings are wrong (invalid-settings) rather than the
    data unreadable (unreadable-source); ``rule`` names another rule (a snapshot's)."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | None = None,
        line: int = 1,
        column: int = 1,
        setting: tuple[str, ...] | None = None,
        settings: bool = False,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file, self.line, self.column = file, line, column
        self.setting, self.settings, self.rule = setting, settings, rule


@record
class SourceConfig:
    name: str
    kind: str  # tickets | survey
    preset: str  # a PRESETS name, custom, or survey
    fields: dict[str, Field]
    path: str | None = None
    url_env: str | None = None
    table: str | None = None
    timezone: str | None = None
    survey: str | None = None  # csat | ces | nps
    tickets: str | None = None  # the ticket source a survey's ticket ids point into
    satisfied_at: float = 4  # a CSAT score at or above it is "satisfied"
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_sql(self) -> bool:
        return self.url_env is not None

    def describe(self) -> str:
        if self.preset in PRESETS:
            return f"preset {self.preset}: the {PRESETS[self.preset].title}"
        return f"{self.preset} columns"


def configs(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, SourceConfig]:
    """Every source of the settings' ``[sources.NAME]`` tables (already schema-valid)."""
    return {name: _config(name, data) for name, data in sorted(raw.items())}


def _config(name: str, d: Mapping[str, Any]) -> SourceConfig:
    kind = d.get("kind", "tickets")
    if kind == "survey":
        fields = dict(SURVEY_DEFAULTS)
        preset = "survey"
    else:
        preset = d.get("preset", "custom" if "columns" in d else "canonical")
        if preset in PRESETS:
            fields = dict(PRESETS[preset].fields)
        else:  # custom columns, or a SQL table with the canonical names
            fields = {f: Field(CUSTOM_READS.get(f, "text"), FIELD_NAMES[f]) for f in CANONICAL}
            if preset == "custom":
                fields = {}
    for key, spec in d.get("columns", {}).items():
        canonical = "grp" if key == "group" else key
        if isinstance(spec, str):
            spec = {"column": spec}
        fields[canonical] = Field(
            spec.get("read", CUSTOM_READS.get(canonical, "text")),
            spec.get("column"),
            formats=tuple([spec["format"]] if "format" in spec else ()),
            values={str(k).lower(): float(v) for k, v in spec.get("values", {}).items()},
            threshold=spec.get("threshold", 1 if canonical in ("escalated", "one_touch") else 4),
            since="created" if spec.get("read") == "timestamp_since" else None,
        )
    if kind == "tickets" and preset == "custom":
        fields.setdefault(
            "solved", Field("words", "status", values={"solved": 1, "closed": 1, "resolved": 1})
        )
    tz = d.get("timezone")
    if tz is not None and unknown_zone(str(tz)):
        raise MeasureError(
            f"source '{name}': unknown time zone '{shorten(str(tz))}' "
            "(use an IANA name such as Europe/Paris)",
            setting=(name, "timezone"),
            settings=True,
        )
    zones = _zone_names(name, d.get("zone-names", {}))
    if zones:
        fields = {f: replace(s, zones=zones) if s.read in TIME_READS else s for f, s in fields.items()}
    return SourceConfig(
        name=name,
        kind=kind,
        preset=preset,
        fields=fields,
        path=d.get("path"),
        url_env=d.get("url-env"),
        table=d.get("table"),
        timezone=tz,
        survey=d.get("survey"),
        tickets=d.get("tickets"),
        satisfied_at=d.get("satisfied-at", 4),
        settings=d,
    )


#: Readers of a time, whose values can have a zone's name after them.
TIME_READS = frozenset({"timestamp", "timestamp_since"})
#: The most characters a time's text can have: the longest written are ~100 (JavaScript's
#: ``Date.toString()`` with its zone's long name in the browser's language, ~35 and ~60 in
#: parentheses; Go's ``time.Time.String()`` with ``m=+`` and nanoseconds, ~70; a time and
#: the longest IANA name, America/Argentina/ComodRivadavia, ~70), twice that is no time. A
#: value longer is not read as one: each of the readers' regular expressions ran over all of
#: it (a 2 MB cell, 11 s before its error was said).
LONGEST_TIME = 200


def _zone_names(name: str, names: Mapping[str, Any]) -> dict[str, str]:
    """A source's ``zone-names``: each name (letters) and the zone it means, an offset
    (``+08:00``) or an IANA name (``Asia/Shanghai``); one Python does not know is a settings
    error at it (the schema checks the names' letters and the offsets' digits)."""
    zones = {str(k): str(v) for k, v in names.items()}
    for key, zone in zones.items():
        if re.fullmatch(r"[+-][0-9]{2}:?[0-9]{2}", zone):
            continue
        if unknown_zone(zone):
            raise MeasureError(
                f"source '{name}': zone-names: {key} = '{shorten(zone)}' is no time zone (use an IANA "
                'name such as Asia/Shanghai, or an offset such as "+08:00")',
                setting=(name, "zone-names", key),
                settings=True,
            )
        if "/" not in zone:
            # a name is told from an offset by its slash: UTC, Japan were read as offsets, and
            # every time named so was left uncounted, said as a date in no format read
            if unknown_zone(f"Etc/{zone}"):
                raise MeasureError(
                    f"source '{name}': zone-names: {key} = '{zone}' is an old name of a zone, kept "
                    "without its area: use its Area/City name (Japan is Asia/Tokyo, PRC "
                    'Asia/Shanghai), or an offset such as "+08:00"',
                    setting=(name, "zone-names", key),
                    settings=True,
                )
            zones[key] = f"Etc/{zone}"  # UTC, GMT, Zulu...: the same zone, with its area
    return zones


def files_of(cfg: SourceConfig, root: Path, snapshots: Path | None = None) -> list[Path]:
    """The export files a file source names: a file, every export in a folder, or a glob.
    A folder's or a glob's files in ``snapshots`` (``[measure] metrics``) are measure's own
    snapshots, not exports: with ``path = "."``, each run after the first read them."""
    assert cfg.path is not None
    if "\x00" in cfg.path:  # "internal error: ValueError: embedded null byte"
        raise MeasureError(
            f"source '{cfg.name}': the path {cfg.path} has a NUL character, which no file's name can have",
            setting=(cfg.name, "path"),
        )
    try:
        return _files_of(cfg, root, snapshots)
    except OSError as exc:  # a name too long: "journeymaps: error: File name too long", no rule
        raise MeasureError(
            f"source '{cfg.name}': cannot look at {cfg.path}: {exc.strerror or exc}",
            setting=(cfg.name, "path"),
        ) from None


def _files_of(cfg: SourceConfig, root: Path, snapshots: Path | None) -> list[Path]:
    assert cfg.path is not None
    base = root / cfg.path
    if base.is_dir():
        named_folders: list[Path] = []
        unlisted: list[OSError] = []
        walk = _walk(base, named_folders, unlisted)
        for exc in unlisted:  # its months missing from every number
            where = Path(exc.filename) if exc.filename else base
            raise MeasureError(
                f"source '{cfg.name}': cannot read the folder {in_project(where, root)}: "
                f"{exc.strerror or exc}; the exports in it would not be measured",
                file=where,
            )
        listed = [p for p in walk if p.suffix.lower() in FILE_KINDS and not _in(p, snapshots)]
        # A sub-folder named like an export is walked as any other (a tool's folder of parts,
        # x.csv/part-0.csv); holding none, it is a month that is missing, not nothing.
        empty = [d for d in named_folders if not any(p.is_relative_to(d) for p in listed)]
        _only_export_files(cfg, listed + empty, root)
        found = sorted(p for p in listed if p.is_file())
        if not found and not _in(base, snapshots):
            raise _no_export_in(cfg, base, walk)
    elif any(ch in cfg.path for ch in "*?["):
        # An absolute pattern from its anchor: Path.glob takes relative ones only (it
        # raised NotImplementedError, an internal error).
        pattern = Path(cfg.path)
        start = Path(pattern.anchor) if pattern.is_absolute() else root
        relative = pattern.relative_to(pattern.anchor) if pattern.is_absolute() else pattern
        # A name's leading dot is matched only by a dot, as the shell's * (the '._x.csv' a
        # Mac leaves beside each file on a shared drive, binary, stopped measure).
        hidden = relative.name.startswith(".")
        listed = [
            p
            for p in start.glob(relative.as_posix())
            if not _in(p, snapshots) and (hidden or not p.name.startswith("."))
        ]
        _only_export_files(cfg, listed, root)
        found = sorted(p for p in listed if p.is_file())
    else:
        found = [base] if base.is_file() else []
        kind = special_kind(base) or _broken_link(base)
        if kind is not None:  # it said "no export found" of a file that is there
            raise MeasureError(
                f"source '{cfg.name}': {cfg.path} is {kind}, not an export file",
                setting=(cfg.name, "path"),
            )
    if not found and snapshots is not None and _in(base if base.exists() else root, snapshots):
        # metrics = "/" or "..": every export is in the snapshots' folder, left out as theirs,
        # and "no export found at exports/*.csv" blamed the path beside files that are there.
        raise MeasureError(
            f"source '{cfg.name}': the exports at {cfg.path} are inside [measure] metrics "
            f"({in_project(snapshots, root)}), whose files are snapshots, never read as exports: "
            'give metrics a folder of its own (metrics = "metrics")',
            setting=(cfg.name, "path"),
        )
    if not found:
        # Where it looked, when that is not as typed (exports/./x.csv): it was the absolute
        # path, a home folder and all, in a CI log.
        looked = Path(
            os.path.normpath(cfg.path) if Path(cfg.path).is_absolute() else os.path.relpath(base, root)
        ).as_posix()
        # A folder on the way that is a link to nothing (a share not mounted, a loop): the
        # file was looked for, not the link.
        on_the_way = (
            Path(os.path.relpath(p, root)) for p in reversed(base.parents) if p.is_relative_to(root)
        )
        broken = next(((p, k) for p in on_the_way if p.parts and (k := _broken_link(root / p))), None)
        # "no export found at X" alone was said of an empty folder too: here X is not there.
        why = (
            "no file matches it" if any(ch in cfg.path for ch in "*?[") else "no file or folder of that name"
        )
        raise MeasureError(
            f"source '{cfg.name}': no export found at {cfg.path}"
            + (f" (looked in {looked})" if looked != cfg.path else "")
            + (f": {broken[0].as_posix()} is {broken[1]}" if broken else f": {why}"),
            setting=(cfg.name, "path"),
        )
    found = _once_each(found)
    for p in found:
        if p.suffix.lower() not in FILE_KINDS:
            raise MeasureError(
                f"source '{cfg.name}': {p.name} is not CSV, JSON Lines or Parquet "
                f"({', '.join(sorted(FILE_KINDS))})",
                file=p,
            )
    return found


def _no_export_in(cfg: SourceConfig, folder: Path, held: list[Path]) -> MeasureError:
    """A folder source's folder that holds no export (this month's not copied in yet; a
    spreadsheet's .xlsx): it was "no export found at exports", as of a path not there, and
    the user looked for a typo in the settings. What it holds instead is named."""
    kinds = [f"*{suffix}" for suffix in FILE_KINDS]
    others = sorted(p.relative_to(folder).as_posix() for p in held)
    instead = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return MeasureError(
        f"source '{cfg.name}': the folder {cfg.path} holds no export: no {', '.join(kinds[:-1])} or "
        f"{kinds[-1]} file" + (f" (it holds {instead})" if others else ""),
        setting=(cfg.name, "path"),
    )


def _walk(folder: Path, named_folders: list[Path], unlisted: list[OSError]) -> list[Path]:
    """Every file below ``folder`` as lint walks a folder: no hidden file or folder (a Mac's
    binary '._2026-01.csv' on a shared drive, .venv), nor other tools' (node_modules), and
    no link to a folder followed; a link to a file, or to nothing, is listed. The walked
    sub-folders named like an export (``2026-03.csv``) are added to ``named_folders``, and
    why a folder could not be listed to ``unlisted``: os.walk skipped it without a word."""
    found = []
    for top, dirs, files in os.walk(folder, onerror=unlisted.append):
        dirs[:] = [d for d in dirs if walked(d)]
        named_folders += [Path(top, d) for d in dirs if Path(d).suffix.lower() in FILE_KINDS]
        found += [Path(top, name) for name in files if not name.startswith(".")]
    return found


def _in(path: Path, folder: Path | None) -> bool:
    """Whether ``path`` is in ``folder`` (by their real paths)."""
    if folder is None:
        return False
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def _broken_link(path: Path) -> str | None:
    """What a link that leads to no file is ("a link to X, which is not there"); None for
    anything else. An export linked from a share not mounted was "no export found" alone,
    or, among monthly exports, skipped without a word: a month missing from every number."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link that leads back to itself (a loop of links)"
        if exc.errno == errno.ENOENT:
            return f"a link to {path.readlink()}, which is not there"
    return None


def _not_an_export(path: Path) -> str | None:
    """What a folder's or a glob's entry named like an export is when it is no export file
    ("a named pipe (FIFO)", "a folder", a broken link); None for an export file. Found by
    its status alone: a FIFO is never opened (reading one waits for a writer, for ever)."""
    if path.suffix.lower() not in FILE_KINDS:  # exports/* matching exports/archive/
        return None
    return _broken_link(path) or special_kind(path) or ("a folder" if path.is_dir() else None)


def _only_export_files(cfg: SourceConfig, listed: list[Path], root: Path) -> None:
    """MeasureError at the first of a folder's or a glob's exports that is a broken link, a
    FIFO, a device or a folder (a month skipped without a word, from every number)."""
    for path in sorted(listed):
        kind = _not_an_export(path)
        if kind is not None:
            shown = in_project(path, root)
            raise MeasureError(f"source '{cfg.name}': {shown} is {kind}, not an export file", file=path)


def in_project(path: Path | str, root: Path) -> str:
    """``path`` as measure's messages name it: relative to the project's folder ``root``
    (with '/') when inside it, else as it is."""
    try:
        return Path(path).relative_to(root).as_posix() or "."
    except ValueError:
        return Path(path).as_posix()


def _once_each(files: list[Path]) -> list[Path]:
    """``files`` with each file once: one reached again through a link (``again.csv ->
    zendesk.csv``, a folder linked in) or a hard link was read twice, and every ticket in it
    counted twice, with nothing said. The file's own name is kept over a link's."""
    by_file: dict[tuple[int, int], Path] = {}
    for path in sorted(files, key=lambda p: (p.is_symlink(), p)):
        try:
            st = path.stat()
        except OSError:  # gone meanwhile: DuckDB says so
            by_file[(-1, len(by_file))] = path
            continue
        by_file.setdefault((st.st_dev, st.st_ino), path)
    kept = set(by_file.values())
    return [p for p in files if p in kept]


#: An id without a trailing .0 (SQL, of the column named in braces): 42.0 is how a
#: spreadsheet re-saves 42. Never equated (42.0 may not be 42), but counted and said.
POINT_ZERO = "REGEXP_REPLACE({}, '\\.0+$', '')"


#: The characters DuckDB's readers take a path's as a glob's: an export named 2026-0[1].csv
#: beside 2026-01.csv was read as 2026-01.csv (twice), its own tickets never.
_GLOB = re.compile(r"([\[*?])")


def literal_path(path: Path) -> str:
    """``path`` as DuckDB's readers read it, the file of that name: each glob character
    in brackets (``[[]``), which match it alone; DuckDB reports the file's own name. A
    path with a backslash is left as it is: DuckDB's glob matches none of it (``a\\[x].csv``
    was found by no pattern), and reads it as named (Windows' paths all have one)."""
    text = str(path)
    return text if "\\" in text else _GLOB.sub(r"[\1]", text)


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: DuckDB's longest CSV line by default: a ticket with a pasted log over it stopped measure.
LINE_BYTES = 2_000_000


def reader_sql(
    path: Path,
    *more: Path,
    line_bytes: int = LINE_BYTES,
    columns: Sequence[str] | None = None,
    filename: str | None = None,
    dialect: str = "",
) -> str:
    """DuckDB's table function reading exports in place (several files of one layout in one
    scan), every column as text where the format has text (CSV, JSON Lines); broken CSV
    lines are set aside and counted, not fatal. A CSV line (a row) of up to ``line_bytes`` is
    read. JSON Lines: without ``columns``, every record's keys are found (for the header);
    with them (the header), they are read as text. ``filename``: a column of that name holds
    each row's file (a name no export's column takes: DuckDB's own ``filename`` would be one).
    ``dialect``: a CSV's options as a sniff of it found them (``SniffedCsv.dialect``), which
    read it without sniffing it again."""
    kind = FILE_KINDS[path.suffix.lower()]
    named = f", filename = {sql_string(filename)}" if filename else ""
    p = (
        sql_string(literal_path(path))
        if not more
        else "[" + ", ".join(sql_string(literal_path(f)) for f in (path, *more)) + "]"
    )
    if kind == "csv":
        # The buffer holds a whole line; DuckDB's own is 16 x its 2 MB lines, so no larger
        # than before up to 32 MB, the longest line read with the default memory-limit.
        buffer = max(line_bytes, 16 * LINE_BYTES)
        # Text is the only type its sniffer tries: it tried numbers on every value, in time
        # quadratic in a value's length (a 400 KB id took 3.6 s a read, 5 MB minutes).
        detect = dialect or "all_varchar = true, auto_type_candidates = ['VARCHAR']"
        return (
            f"read_csv({p}, {detect}, header = true, "
            "ignore_errors = true, "
            f"store_rejects = true, null_padding = false, max_line_size = {line_bytes}, "
            f"buffer_size = {buffer}{named})"
        )
    if kind == "json":
        if columns is None:
            # Every record, not DuckDB's sample of the first: a key or a type that first came
            # later (a field set in March) failed the whole run ("JSON transform error").
            # Records, never a map: many empty records ({}) or rare keys were read as one
            # ("expected records, but got non-record JSON").
            return (
                f"read_json({p}, format = 'newline_delimited', records = true, sample_size = -1, "
                f"map_inference_threshold = -1{named})"
            )
        # As text, as CSV is read, each field by its reader: a number where the sample had
        # dates was a transform error; a key the header lacks is left out.
        types = ", ".join(f"{sql_string(c)}: 'VARCHAR'" for c in columns)
        return f"read_json({p}, format = 'newline_delimited', records = true, columns = {{{types}}}{named})"
    return f"read_parquet({p}{named})"


@dataclass
class Resolved:
    """A source's fields resolved against the columns its export really has."""

    exprs: dict[str, str]  # canonical column -> SQL over :meth:`over`'s columns
    bad: dict[str, str]  # header -> SQL true when a non-empty value did not parse (as exprs)
    available: frozenset[str]
    zone: str
    missing: dict[str, str]  # canonical field -> the header the preset expected
    #: The tags as written and their reader (see :func:`split_tags`), when they are split.
    tags_text: tuple[str, str] | None = None
    #: canonical field -> the export's column it reads and that column's text as SQL.
    raw: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: What exprs read by name, as SQL named (``expr AS "jm__text_0"``): each column's text,
    #: then each of its :data:`FORMS` (over the text, then over the form before), a
    #: projection each.
    projections: tuple[tuple[str, ...], ...] = ()

    def over(self, scan: str) -> str:
        """``scan`` (a table function or a parenthesised query) with the columns' texts and
        their forms that :attr:`exprs` and :attr:`bad` read, each computed once a row, a
        projection around the one it reads. Written out in each use instead, a time's text
        was repeated 327 times in its reader: 140 KB of SQL that DuckDB took 0.9 s of CPU to
        plan, in every measure of an export, for ten rows."""
        for named in self.projections:
            scan = f"(SELECT *, {', '.join(named)} FROM {scan})" if named else scan
        return scan


def resolve(
    cfg: SourceConfig, columns: list[str], where: str, canonical: Mapping[str, str], file: Path | None = None
) -> Resolved:
    """Match the preset's headers to the export's (case-insensitively), build each field's
    SQL, and name what is missing. ``id`` and ``created`` are required."""
    # A header's name as written first, then without the spaces or byte order marks around
    # it: a file saved with two marks (DuckDB takes off one) had no column 'Id', its
    # columns said to be "Id, ..." (the mark unseen).
    by_lower = {c.strip(WHITESPACE).lower(): c for c in columns} | {c.lower(): c for c in columns}
    zone = cfg.timezone
    found: dict[str, list[str]] = {}
    missing: dict[str, str] = {}
    for name, spec in cfg.fields.items():
        if name not in canonical:
            continue
        hits = _hits(spec, columns, by_lower)
        header_zone = _zone_in_header(cfg, name, hits[0]) if hits else None
        zone = header_zone or zone
        if hits:
            found[name] = hits
        else:
            missing[name] = spec.header()
    if cfg.kind == "survey":  # a response needs no id of its own: never a missing one
        missing.pop("id", None)
    for required in ("id", "created", "score") if cfg.kind == "survey" else ("id", "created"):
        if required in missing:
            # a name cut at 40 characters: a header of 10,000 was quoted whole
            shown = ", ".join(c if len(c) <= 40 else f"{c[:40]}..." for c in columns[:12])
            shown += ", ..." if len(columns) > 12 else ""
            # Excel writes "sep=," above the header when asked for the delimiter: read as the
            # header, it gave "its columns are: sep=, column1" and the advice to map columns.
            other = _preset_of(columns, by_lower) if cfg.kind == "tickets" else None
            if columns[:1] and columns[0].strip().lower().startswith("sep="):
                fix = "Its first line is Excel's delimiter line ('sep=...'): remove that line."
            elif other is not None and other.name != cfg.preset:
                # Another desk's export under this preset: mapping its columns one by one,
                # as was advised, rebuilt a preset that exists.
                fix = f'It has the columns of the {other.title}: set preset = "{other.name}".'
            else:
                fix = f'Map its column under [sources.{cfg.name}.columns]: {FIELD_NAMES[required]} = "...".'

            raise MeasureError(
                f"source '{cfg.name}': {where} has no column '{missing[required]}' for the "
                f"{FIELD_NAMES[required]} field ({cfg.describe()}); its columns are: {shown}. {fix}",
                file=file,
            )
    if zone is None:
        raise MeasureError(
            f"source '{cfg.name}': set timezone = \"Area/City\": the export's times carry no zone"
            + (" (Zendesk writes them in the account's time zone)" if cfg.preset == "zendesk" else ""),
            setting=(cfg.name,),
            settings=True,
        )
    if unknown_zone(zone):
        raise MeasureError(f"source '{cfg.name}': unknown time zone '{shorten(zone)}' in {where}", file=file)
    exprs: dict[str, str] = {}
    bad: dict[str, str] = {}
    tags_text = None
    texts: dict[str, tuple[str, str]] = {}
    named: dict[str, tuple[str, str]] = {}  # texts, as exprs read them: by their names
    computed: list[list[str]] = [[]]  # those names' expressions and the forms' (Resolved.over)
    taken = {c.lower() for c in columns}
    for name, sql_type in canonical.items():
        if name not in found:
            exprs[name] = (
                "'response'" if (name == "id" and cfg.kind == "survey") else f"CAST(NULL AS {sql_type})"
            )
            continue
        spec = cfg.fields[name]
        whole = [f"NULLIF({_trimmed(_text(ident(c), spec.read))}, '')" for c in found[name]]
        texts[name] = (found[name][0], whole[0])
        raw = []
        for text in whole:
            alias = _free_name(f"jm__text_{len(computed[0])}", taken)
            computed[0].append(f"{text} AS {ident(alias)}")
            raw.append(ident(alias))
        named[name] = (found[name][0], raw[0])
        forms = _forms(raw[0], spec, computed, taken)
        expr = READERS[spec.read]([raw[0], *forms] if forms else raw, spec, exprs, sql_type, zone)
        if name == "tags" and spec.read in TAG_SEPARATORS:
            tags_text = (_tags_text(raw), spec.read)
        if sql_type == "BOOLEAN" and spec.read in ("words", "stage"):
            expr = f"({expr}) = 1"
        exprs[name] = expr
        if spec.read in PARSED and name not in ("id", "created"):  # those make a row malformed
            bad[found[name][0]] = f"({raw[0]} IS NOT NULL AND ({expr}) IS NULL)"
    if "id" in texts and "created" in texts:
        # The header row again (exports joined with their headers, by cat): a row without an
        # id, as malformed rows are, never a ticket 'Id' (de-duplicated, several said to be
        # one ticket on two rows); the caller says what it is (see header_again).
        exprs["id"] = f"CASE WHEN {header_again(named)} THEN NULL ELSE {exprs['id']} END"
    return Resolved(
        exprs, bad, frozenset(found), zone, missing, tags_text, texts, tuple(map(tuple, computed))
    )


def _zone_in_header(cfg: SourceConfig, name: str, header: str) -> str | None:
    """The time zone the export wrote ``name``'s column ``header`` with (Intercom's
    ``Conversation started at (America/New_York)``), by the field's pattern or the preset's
    own: a column named under ``columns`` (with the format measure says to name) was said
    to carry no zone, and measure asked for a timezone its header says."""
    preset = PRESETS.get(cfg.preset)
    own = preset.fields.get(name) if preset is not None else None
    for spec in (cfg.fields[name], own):
        if spec is not None and spec.pattern is not None:
            found = re.fullmatch(spec.pattern, header, re.I)
            if found is not None and "tz" in found.re.groupindex:
                return found["tz"]
    return None


def _forms(text: str, spec: Field, computed: list[list[str]], taken: set[str]) -> list[str]:
    """The names of the :data:`FORMS` of the text named ``text`` that ``spec``'s reader reads,
    each added as SQL to its projection in ``computed`` (the text's is the first)."""
    names: list[str] = []
    for level, (form, sql) in enumerate(FORMS.get(spec.read, ()), 1):
        if level == len(computed):
            computed.append([])
        alias = _free_name(f"jm__{form}_{len(computed[level])}", taken)
        computed[level].append(f"{sql(names[-1] if names else text, spec)} AS {ident(alias)}")
        names.append(ident(alias))
    return names


def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or with underscores added until no column of the export (``taken``, lower
    case: DuckDB's names are not case-sensitive) is called so: one that was would be read
    in its place."""
    while name.lower() in taken:
        name += "_"
    taken.add(name.lower())
    return name


def _hits(spec: Field, columns: list[str], by_lower: Mapping[str, str]) -> list[str]:
    """The export's columns ``spec`` reads (``by_lower``: its columns by lower-case name)."""
    if spec.pattern is None:
        hit = by_lower.get((spec.column or "").lower())
        return [hit] if hit else []
    rx = re.compile(spec.pattern, re.I)
    hits = [c for c in columns if rx.fullmatch(c)]
    return hits if spec.multi else hits[:1]


def _preset_of(columns: list[str], by_lower: Mapping[str, str]) -> Preset | None:
    """The preset whose id and creation columns the export has, if one has them."""
    for preset in PRESETS.values():
        if all(_hits(preset.fields[f], columns, by_lower) for f in ("id", "created")):
            return preset
    return None


def header_again(texts: Mapping[str, tuple[str, str]]) -> str:
    """SQL true on a row whose id and creation time are their columns' names: the header
    row again. ``texts``: :attr:`Resolved.raw`."""
    # On every row of the 1M-ticket path: the creation time's value as read is compared
    # first (a repeated header is the first one's bytes, a byte order mark at most), and
    # only where it is its name is the id trimmed and compared (DuckDB's AND goes no further).
    column, _ = texts["created"]
    name = column.strip(WHITESPACE)
    created = f"CAST({ident(column)} AS VARCHAR) IN ({sql_string(name)}, {sql_string(chr(0xFEFF) + name)})"
    id_column, id_text = texts["id"]
    return f"{created} AND {id_text} = {sql_string(id_column.strip(WHITESPACE))}"


#: What is trimmed from a value's ends: DuckDB's TRIM took spaces only, so an id pasted
#: with a tab ("42\t", from a spreadsheet) or a byte order mark (exports concatenated) was
#: another ticket, counted twice. Leading zeros are kept: "0042" is not said to be 42.
WHITESPACE = " \t\n\r\v\f\u00a0\u1680\u200b\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def _trimmed(text: str) -> str:
    """``text`` (SQL) without :data:`WHITESPACE` at its ends. TRIM with a set of characters
    costs 15 times DuckDB's TRIM of spaces (0.7 us a value): only a value whose first or last
    character is not printable ASCII (most are) is trimmed so."""
    ends = f"ASCII({text}) BETWEEN 33 AND 126 AND ASCII(REVERSE({text})) BETWEEN 33 AND 126"
    return f"CASE WHEN {ends} THEN {text} ELSE TRIM({text}, {sql_string(WHITESPACE)}) END"


def _text(column: str, read: str) -> str:
    """A column as text; a list of tags (a Parquet list column) as its JSON array, which
    :func:`split_tags` splits (as text, DuckDB wrote ``[a b, 'x,y']``: not its items)."""
    if read not in TAG_SEPARATORS:
        return f"CAST({column} AS VARCHAR)"
    return (
        f"CASE WHEN TYPEOF({column}) LIKE '%[]' THEN CAST(TO_JSON({column}) AS VARCHAR) "
        f"ELSE CAST({column} AS VARCHAR) END"
    )


def _timestamp(raw: list[str], spec: Field, zone: str) -> str:
    """A time as the source's local time (``zone``). One written with its offset
    (``2026-01-31T23:30:00Z``, ``...+05:00``, as APIs and JSON exports write them), a zone's
    name (``15:17 CDT``, :data:`ZONE_NAMES`) or an IANA name (``10:00 Europe/Paris``) is the
    instant it names: its offset was dropped, and the time read in ``zone``, so a ticket
    moved by hours and, near midnight at a month's end, into the other month. An offset with
    a name after it (Go's ``10:00:00 +0000 UTC``) is read at the offset
    (:mod:`journeymaps.measure.offset_names`). Anything else
    after a time (``IST``, ``AEST``: DuckDB's cast dropped one word) is no time: NULL, which
    :mod:`journeymaps.measure.zone_words` says at its cell."""
    # raw: the text, then its FORMS, columns of the projections around the export's (see
    # Resolved.over). Named by a lambda (LIST_TRANSFORM) inside the reader instead, whose
    # repeated work DuckDB does not share, a 1,000,000-ticket Zendesk measure took ~25 %
    # more CPU (12.0 s against 9.7 s), 300,000 Jira tickets ~50 % (7.3 s against 4.9 s).
    _, value, _, named, short_first = raw
    return _instant_or_local(value, named, short_first, spec, zone_meanings(spec), zone)


def _any_timestamp(raw: list[str], spec: Field, zone: str) -> str:
    """:func:`_timestamp`, else the time as JavaScript, an email or Go writes it
    (:mod:`journeymaps.measure.date_layouts`), asked only of a value the first left NULL."""
    return (
        f"COALESCE({_timestamp(raw, spec, zone)}, {date_layouts.instant(raw[1], zone_meanings(spec), zone)})"
    )


def _instant_or_local(
    value: str, named: str, short_first: str, spec: Field, meanings: Mapping[str, str], zone: str
) -> str:
    """:func:`_timestamp` of the text ``value``, ``named`` its text with a zone's name at its
    end written as its offset, ``short_first`` whether its date's first number has one or
    two digits (:func:`_short_first`; SQL names, see :data:`FORMS`)."""
    tried = [short for f in spec.formats for short in _two_digit_year(f)]
    # A format with %z reads an offset, and only a value with one: "name the export's
    # format" was said of 03/31/2026 23:30 -05:00 again, whatever format was named.
    zoned = _sql_list([f for f in tried if "%z" in f])
    formats = _sql_list([f for f in tried if "%z" not in f])
    # Most values end with their time (or are a date): read by the cast as they were. One
    # with AM or PM is read on its half of the day (the cast dropped PM: 08:00 PM was 08:00).
    # One with something else after its time is read if that is an offset and a name (Go's).
    after = _offset_then_name(value, short_first, meanings, tried, zone)
    bare = _cast_time(value, short_first)
    half_day = _half_day(value, short_first, formats)
    cast = (
        f"CASE WHEN REGEXP_MATCHES({value}, {sql_string(_TIME + '$')}) THEN {bare} "
        f"WHEN REGEXP_MATCHES({value}, {sql_string(_TIME + _AM_PM)}) THEN {half_day} "
        f"WHEN REGEXP_MATCHES({value}, {sql_string(_TIME + _AFTER)}) THEN {after} "
        f"ELSE {bare} END"
    )
    local = f"COALESCE(TRY_STRPTIME({value}, {formats}), {cast})" if formats else cast
    # DuckDB reads no space before the offset (10:00:00 +05:30): it is taken out
    offset = f"REGEXP_REPLACE({named}, {sql_string(_SPACED + '$')}, '\\1')"
    read = _cast_time(offset, short_first, "TIMESTAMPTZ")
    read = f"COALESCE({read}, TRY_STRPTIME({named}, {zoned}))" if zoned else read
    # the field's formats with the offset after them: 09/30/2026 11:00 PM EDT (HubSpot's)
    with_offset = _sql_list([f"{f}%z" for f in tried if "%z" not in f])
    read = f"COALESCE({read}, TRY_STRPTIME({offset}, {with_offset}))" if with_offset else read
    instant = f"TIMEZONE({sql_string(zone)}, {read})"
    iana = f"TIMEZONE({sql_string(zone)}, {_cast_time(named, short_first, 'TIMESTAMPTZ')})"
    return (
        f"CASE WHEN REGEXP_MATCHES({named}, {sql_string(_OFFSET)}) THEN {instant} "
        # a name has a slash: one test of most values, cheaper than the expression's
        f"WHEN CONTAINS({named}, '/') AND REGEXP_MATCHES({named}, {sql_string(_TIME + _IANA)}) THEN {iana} "
        f"ELSE {local} END"
    )


#: A date whose first number has one or two digits (3/1/26, 1-3-26), as LIKE patterns
#: (half the cost of a regular expression): DuckDB's cast reads that number as the year,
#: 3/1/26 11:59 as 26 January of the year 3, which no export means.
_SHORT_FIRST = ("_/%", "__/%", "_-%", "__-%")


def _short_first(text: str) -> str:
    """SQL: whether ``text`` (a time's) starts with a date whose first number has one or two
    digits (:data:`_SHORT_FIRST`): a form of its own, computed once a row (:data:`FORMS`),
    each cast of the reader asking it by name (written in each, its SQL grew by a tenth)."""
    return "(" + " OR ".join(f"{text} LIKE {sql_string(p)}" for p in _SHORT_FIRST) + ")"


def _cast_time(text: str, short_first: str, sql_type: str = "TIMESTAMP") -> str:
    """SQL: ``text`` cast to ``sql_type`` (a time, NULL where it is none), except where its
    date's first number has one or two digits (``short_first``, SQL true): such a date is
    read by the field's formats alone, each of which says which number is the month. A US
    desk's 3/1/26 11:59 PM was the year 3 in HubSpot's and Intercom's presets, said to be
    "dated before 1980"; 3/1/26 11:59:30 so in every preset."""
    return f"CASE WHEN NOT {short_first} THEN TRY_CAST({text} AS {sql_type}) END"


def _offset_then_name(
    value: str, short_first: str, meanings: Mapping[str, str], formats: list[str], zone: str
) -> str:
    """A time, its offset and its zone's name (``10:00:00 +0000 UTC``, as Go writes a time)
    read at the offset, as a local time of ``zone``; NULL where the name says another offset
    (:func:`journeymaps.measure.offset_names.at_offset`). Only values that did not read
    otherwise are asked: a plain time is never searched for this."""
    text = at_offset(value, meanings)
    with_offset = _sql_list([f"{f}%z" for f in formats if "%z" not in f] + [f for f in formats if "%z" in f])
    read = _cast_time(text, short_first, "TIMESTAMPTZ")
    read = f"COALESCE({read}, TRY_STRPTIME({text}, {with_offset}))" if with_offset else read
    return f"TIMEZONE({sql_string(zone)}, {read})"


def zone_meanings(spec: Field) -> dict[str, str]:
    """The zones' names ``spec`` reads after a time (upper case) and what each means: the US
    ones (:data:`ZONE_NAMES`) and its source's ``zone-names``."""
    return ZONE_NAMES | {word.upper(): meant for word, meant in spec.zones.items()}


def _24_hour(value: str) -> str:
    """``value`` with a time written with AM or PM and then something (a zone's name:
    ``11:00 PM EDT``) as its 24-hour time (``23:00 EDT``), read then as its zone says; a
    time with AM or PM at its end is :func:`_half_day`'s, an hour of 0 or over 12 NULL."""
    rx = sql_string(_HALF_DAY_THEN)
    hour = f"TRY_CAST(REGEXP_EXTRACT({value}, {rx}, 2) AS INTEGER)"
    pm = f"UPPER(REGEXP_EXTRACT({value}, {rx}, 4)) = 'P'"
    hour = f"CASE WHEN {hour} BETWEEN 1 AND 12 THEN {hour} % 12 + CASE WHEN {pm} THEN 12 ELSE 0 END END"
    text = (
        f"REGEXP_EXTRACT({value}, {rx}, 1) || LPAD(CAST({hour} AS VARCHAR), 2, '0') || "
        f"REGEXP_EXTRACT({value}, {rx}, 3) || REGEXP_EXTRACT({value}, {rx}, 5)"
    )
    # an M in it first: most values have none, and are not searched for more
    has_m = f"(CONTAINS({value}, 'M') OR CONTAINS({value}, 'm'))"
    return f"(CASE WHEN {has_m} AND REGEXP_MATCHES({value}, {rx}) THEN {text} ELSE {value} END)"


def _half_day(value: str, short_first: str, formats: str | None) -> str:
    """A time written with AM or PM (``2026-10-01 08:00 PM``) as a 24-hour time: 12 AM is
    midnight, 12 PM noon; an hour of 0 or over 12 is no time (NULL). Without it, the time is
    read as ISO 8601 or by the field's ``formats`` (SQL): 12/31/2026 11:59 PM, as a desk in a
    US locale writes it, was no date of Zendesk's %m/%d/%Y %H:%M."""
    hours = f"REGEXP_REPLACE({value}, {sql_string(_AM_PM)}, '')"
    bare = _cast_time(hours, short_first)
    bare = f"COALESCE(TRY_STRPTIME({hours}, {formats}), {bare})" if formats else bare
    pm = f"REGEXP_MATCHES({value}, {sql_string('[Pp][.]?[Mm][.]?$')})"
    # the time written twice, not four times: each of its formats is in it
    return f"{bare} + TO_HOURS(CASE WHEN {pm} THEN 12 ELSE 0 END + {_AM_HOURS}[HOUR({bare}) + 1])"


#: The hours to add to a time written with AM, by its hour (the first item is the hour 0's):
#: none to 1 to 11, 12 back from 12 (12 AM is midnight); NULL, no time, for 0 and (out of
#: the list) 13 to 23. PM adds 12 more.
_AM_HOURS = "[NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -12]"


#: US time zones as exports name them after a time (``2026-03-01 15:17 CDT``, as a HubSpot
#: portal shows its times; scripts over its exports strip them), and their UTC offsets: the
#: zones they name in the US (CST is US Central, not China Standard Time: a source says
#: otherwise with ``zone-names``). Read in any case (``cdt``).
ZONE_NAMES = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
}


def _zone_named(value: str, meanings: Mapping[str, str]) -> str:
    """``value`` with a time zone's name at its end written as its offset (``15:17 CDT`` as
    ``15:17 -05:00``), or as the zone a source's ``zone-names`` says it is (``meanings``:
    :data:`ZONE_NAMES` and those, an offset or an IANA name), read then as the instant it
    names: DuckDB's cast to TIMESTAMP drops a name after a time (one word), and the time was
    read in the source's zone."""
    word = f"UPPER(REGEXP_EXTRACT({value}, {sql_string(_TIME + _WORD)}, 3))"
    cases = " ".join(f"WHEN {sql_string(name)} THEN {sql_string(zone)}" for name, zone in meanings.items())
    cut = f"REGEXP_REPLACE({value}, {sql_string(_WORD)}, '')"
    # most values end with a digit: one test
    return (
        f"(CASE WHEN REGEXP_MATCHES({value}, '[A-Za-z]$') "
        f"THEN COALESCE({cut} || ' ' || (CASE {word} {cases} END), {value}) ELSE {value} END)"
    )


#: What a reader reads of a column's text besides the text, by name: each form SQL over
#: the one before it (the first over the text), a column of its own projection
#: (:meth:`Resolved.over`), computed once a row. A time's text if it is short enough to be
#: one (:func:`short_enough`), that as a 24-hour time, that with its zone's name as an
#: offset, and whether its date's first number is short (:func:`_short_first`): written out
#: in each mention, a time's reading
#: mentions its text about 500 times, and a Jira export's load query was 1.2 MB, 12 s of
#: DuckDB's planning before a row was read, whatever the export's size.
TIME_FORMS: tuple[tuple[str, Callable[[str, Field], str]], ...] = (
    ("short", lambda text, spec: short_enough(text)),
    ("24h", lambda text, spec: _24_hour(text)),
    ("named", lambda hours, spec: _zone_named(hours, zone_meanings(spec))),
    ("first", lambda named, spec: _short_first(named)),
)
FORMS = dict.fromkeys(TIME_READS, TIME_FORMS)


def short_enough(text: str) -> str:
    """SQL: ``text`` when it is no longer than a time can be (:data:`LONGEST_TIME`), else
    NULL: what the time readers read, so that no regular expression of theirs runs over a
    value that cannot be a time (said at its cell by zone_words)."""
    return f"CASE WHEN LENGTH({text}) <= {LONGEST_TIME} THEN {text} END"


def _sql_list(formats: list[str]) -> str | None:
    return "[" + ", ".join(sql_string(f) for f in formats) + "]" if formats else None


def _two_digit_year(fmt: str) -> list[str]:
    """``fmt`` with a year of two digits where it has one of four (%y for %Y), then ``fmt``
    itself: DuckDB's %Y read 5/1/26 (Excel's CSV in a US locale) as the year 26, and every
    ticket was "dated before 1980". Its %y reads no year of four digits: each reads its own."""
    short = re.sub(r"(?<!%)((?:%%)*)%Y", r"\1%y", fmt)
    return [short, fmt] if short != fmt else [fmt]


#: A time's end (10:00, 10:00:00, 10:00:00.123); a UTC offset (Z, +05:00, -0800, +05), and
#: a time followed by one.
_TIME = r"[0-9]:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?"
_SPACED = r"\s*([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)"
_OFFSET = _TIME + _SPACED + "$"
#: After a time: a word (a zone's name), AM or PM, an IANA name, or anything.
_WORD = r"\s+([A-Za-z]+)$"
_AM_PM = r"\s*[AaPp]\.?[Mm]\.?$"
_IANA = r"\s+[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$"
_AFTER = r"\s*\S.*$"
#: A time with AM or PM and something after it: before the hour, the hour, the rest of the
#: time, A or P, and what follows.
_HALF_DAY_THEN = r"^(.*?)([0-9]{1,2})(:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)\s*([AaPp])\.?[Mm]\.?(\s+\S.*)$"
#: A time followed by something (the group ``after``) but AM or PM: a zone's word, or no
#: time zone measure reads. Not more of the time: the seconds of 31.01.2026 14:05:30, a
#: date in no format read, were said to be "':30', no time zone measure reads".
TIME_AND_AFTER = _TIME + r"(?P<after>\s+\S.*|[^\s0-9:.,].*)$"
AM_PM = _AM_PM


def _number(raw: list[str]) -> str:
    """A number, or NULL (a value that does not read). "nan" and "inf" read as doubles in
    DuckDB but are no number a metric can hold: a snapshot is JSON, and measure stopped
    with an internal error ("Out of range float values are not JSON compliant")."""
    number = f"TRY_CAST({raw[0]} AS DOUBLE)"
    return f"CASE WHEN ISFINITE({number}) THEN {number} END"


def _hms(raw: list[str]) -> str:
    """Minutes of a duration written as hours, minutes and maybe seconds (``01:30:00``,
    ``1:30``), or as hours with a decimal part (``1.5``: 90 minutes). Freshdesk's "(in hrs)"
    columns are ``HH:MM:SS``; an export saved through a spreadsheet, or a tool's, has the
    hours as a number: those were each "could not be read", left out of their metric."""
    v = raw[0]
    part = "TRY_CAST(SPLIT_PART({v}, ':', {i}) AS DOUBLE)"
    minutes = (
        f"CASE WHEN REGEXP_MATCHES({v}, '^[0-9]+:[0-9]{{1,2}}(:[0-9]{{1,2}})?$') THEN "
        f"{part.format(v=v, i=1)} * 60 + {part.format(v=v, i=2)} + "
        f"COALESCE({part.format(v=v, i=3)}, 0) / 60.0 "
        f"WHEN REGEXP_MATCHES({v}, {sql_string(_DECIMAL_HOURS)}) THEN TRY_CAST({v} AS DOUBLE) * 60 END"
    )
    # 500 digits of hours cast to infinity, which no snapshot's JSON can hold: not read
    return f"CASE WHEN ISFINITE({minutes}) THEN {minutes} END"


#: Hours written as a number, with a decimal point or without (``1.5``, ``.25``, ``2``).
_DECIMAL_HOURS = r"^([0-9]+([.][0-9]*)?|[.][0-9]+)$"


def _words(raw: list[str], spec: Field, sql_type: str) -> str:
    cases = " ".join(f"WHEN {sql_string(k)} THEN {float(v)}" for k, v in sorted(spec.values.items()))
    return f"CASE LOWER({raw[0]}) {cases} END"


def _stage(raw: list[str], spec: Field) -> str:
    """A pipeline stage's name by its words: the whole name, else its first word. HubSpot's
    stages are the portal's own ("Closed Resolved", "Closed - duplicate"): read as the whole
    name only, a closed ticket was counted open, and left out of every solved ticket's metric."""
    cases = " ".join(f"WHEN {sql_string(k)} THEN {float(v)}" for k, v in sorted(spec.values.items()))
    first = f"REGEXP_EXTRACT(LOWER({raw[0]}), '^[[:alpha:]]+')"
    return f"COALESCE(CASE LOWER({raw[0]}) {cases} END, CASE {first} {cases} END)"


def _compare(raw: list[str], spec: Field, sql_type: str, op: str) -> str:
    test = f"TRY_CAST({raw[0]} AS DOUBLE) {op} {spec.threshold}"
    if sql_type == "BOOLEAN":
        return test
    return f"CASE WHEN {test} THEN 1.0 WHEN TRY_CAST({raw[0]} AS DOUBLE) IS NOT NULL THEN 0.0 END"


def _tags_text(raw: list[str]) -> str:
    """A row's tags as the export wrote them (its tag columns joined): NULL or not empty."""
    return raw[0] if len(raw) == 1 else f"NULLIF(CONCAT_WS(',', {', '.join(raw)}), '')"


def split_tags(text: str, read: str) -> str:
    """Tags as written (``_tags_text``) into the canonical lower-case ``,a,b,``.

    Text that is a JSON array (a help desk API's ``"tags": ["billing", "sev1"]``, read as
    text; a Parquet list, read as JSON) is split into its items, whatever the reader: read as
    written, it was one tag, or '["billing"' and '"sev1"]', and no selector matched. An item
    is a tag as JSON means it (``"caf\\u00e9"`` is café), an object its ``name`` (Front's,
    Intercom's ``[{"name": "billing"}]``); a null, an empty item and an empty array are no
    tags. A Python list as pandas writes a list column to CSV (``['billing', "agent's"]``)
    is its items too. Text that is neither is split as written: ``[VIP]`` is a tag."""
    split = f"REGEXP_REPLACE({text}, '{TAG_SEPARATORS[read]}', ',', 'g')"
    if read in LABEL_TAGS:  # a label's words joined as a selector's tag is written
        split = f"REGEXP_REPLACE({split}, '\\s+', '_', 'g')"
    split = f"',' || LOWER({split}) || ','"
    array = f"CASE WHEN JSON_VALID({text}) THEN JSON_TYPE({text}) = 'ARRAY' END"
    items = f"LIST_TRANSFORM(CAST(JSON_EXTRACT({text}, '$[*]') AS JSON[]), lambda i: TRIM({_ITEM}))"
    tags = f"NULLIF(ARRAY_TO_STRING(LIST_FILTER({items}, lambda t: t <> ''), ','), '')"
    quoted = f"REGEXP_EXTRACT_ALL({text}, {sql_string(_PY_STRING)})"
    py_items = f"LIST_TRANSFORM({quoted}, lambda i: TRIM(i[2:-2]))"
    py_tags = f"NULLIF(ARRAY_TO_STRING(LIST_FILTER({py_items}, lambda t: t <> ''), ','), '')"
    python = f"REGEXP_FULL_MATCH({text}, {sql_string(_PY_LIST)})"
    return (
        f"CASE WHEN {array} THEN ',' || LOWER({tags}) || ',' "
        f"WHEN {python} THEN ',' || LOWER({py_tags}) || ',' ELSE {split} END"
    )


#: A Python string literal without escapes (a tag with a backslash is read as written), and
#: a Python list of them: what pandas writes for a list column, as ``str(list)``.
_PY_STRING = r"'[^'\\\n]*'" + "|" + r'"[^"\\\n]*"'
_PY_LIST = rf"\s*\[\s*(?:{_PY_STRING})(?:\s*,\s*(?:{_PY_STRING}))*\s*,?\s*\]\s*"


#: A JSON array's item (``i``) as the tag it names, or NULL.
_ITEM = (
    "CASE JSON_TYPE(i) WHEN 'VARCHAR' THEN i ->> '$' WHEN 'OBJECT' THEN i ->> '$.name' "
    "WHEN 'NULL' THEN NULL WHEN 'ARRAY' THEN NULL ELSE CAST(i AS VARCHAR) END"
)


#: The tag readers, and what separates two tags in the text each reads.
TAG_SEPARATORS = {
    "tags_space": r"\s+",
    "tags_comma": r"\s*[,;]\s*",
    "tags_columns": r"\s*,\s*",
    "tags_labels": r"\s*;\s*",
}
#: Tag readers of labels with spaces (HubSpot's "Billing issue"): a selector's tag has none,
#: so a label is its words joined by ``_`` (``tag:billing_issue``); read as written, no
#: selector could name it.
LABEL_TAGS = frozenset({"tags_labels"})


READERS: dict[str, Any] = {
    "text": lambda raw, spec, done, t, zone: raw[0],
    "timestamp": lambda raw, spec, done, t, zone: _any_timestamp(raw, spec, zone),
    "timestamp_since": lambda raw, spec, done, t, zone: (
        f"DATE_DIFF('second', {done['created']}, {_any_timestamp(raw, spec, zone)}) / 60.0"
    ),
    "minutes": lambda raw, spec, done, t, zone: _number(raw),
    "seconds": lambda raw, spec, done, t, zone: f"{_number(raw)} / 60.0",
    "hours": lambda raw, spec, done, t, zone: f"{_number(raw)} * 60.0",
    "hms": lambda raw, spec, done, t, zone: _hms(raw),
    "number": lambda raw, spec, done, t, zone: _number(raw),
    "integer": lambda raw, spec, done, t, zone: f"TRY_CAST({raw[0]} AS INTEGER)",
    "words": lambda raw, spec, done, t, zone: _words(raw, spec, t),
    "stage": lambda raw, spec, done, t, zone: _stage(raw, spec),
    # 1 where the column has a value, 0 where it is empty: HubSpot's "Ticket reopen date"
    # says a ticket was reopened (when last), not how often.
    "present": lambda raw, spec, done, t, zone: f"CASE WHEN {raw[0]} IS NULL THEN 0 ELSE 1 END",
    "at_least": lambda raw, spec, done, t, zone: _compare(raw, spec, t, ">="),
    "at_most": lambda raw, spec, done, t, zone: _compare(raw, spec, t, "<="),
} | {
    read: (lambda raw, spec, done, t, zone: split_tags(_tags_text(raw), spec.read)) for read in TAG_SEPARATORS
}
#: Readers that parse text: a non-empty value they cannot read is a malformed value.
PARSED = frozenset(
    {
        "timestamp",
        "timestamp_since",
        "minutes",
        "seconds",
        "hours",
        "hms",
        "number",
        "integer",
        "at_least",
        "at_most",
    }
)


def canonical_for(cfg: SourceConfig) -> dict[str, str]:
    return SURVEY_CANONICAL if cfg.kind == "survey" else CANONICAL


def sql_relation(cfg: SourceConfig) -> tuple[str, frozenset[str]]:
    """A SQL source's canonical relation: its columns renamed, types as they are."""
    assert cfg.table is not None
    canonical = canonical_for(cfg)
    mapped = {name: spec.column for name, spec in cfg.fields.items() if spec.column}
    cols = ", ".join(
        f"{ident(mapped[name])} AS {name}" if name in mapped else f"CAST(NULL AS {t}) AS {name}"
        for name, t in canonical.items()
    )
    table = ".".join(ident(part) for part in cfg.table.split("."))
    return f"SELECT {cols} FROM {table}", frozenset(mapped)


def connection_url(cfg: SourceConfig) -> str:
    assert cfg.url_env is not None
    url = os.environ.get(cfg.url_env)
    if not url:
        raise MeasureError(
            f"source '{cfg.name}': the environment variable {cfg.url_env} is not set: it holds the "
            "database's connection URL (kept out of the repository)",
            setting=(cfg.name, "url-env"),
        )
    return url


#: A connection URL's scheme (``postgresql://``); what has none is a keyword string or a typo.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
#: Where a password is written: ``scheme://user:PASSWORD@``, ``password=PASSWORD`` (in a URL's
#: query or a keyword string, quoted or not).
_PASSWORDS = re.compile(r"://[^/?#@]*?:([^/?#]*)@|password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+)", re.I)


def url_scheme(cfg: SourceConfig, url: str) -> str:
    """The scheme of a source's connection URL. A keyword string (``host=... password=...``)
    is refused without being said: it was quoted whole as the scheme of an unsupported URL,
    password and all."""
    found = _SCHEME.match(url)
    if found is None:
        raise MeasureError(
            f"source '{cfg.name}': the environment variable {cfg.url_env} holds no connection URL "
            "(postgresql://user@host/database)",
            setting=(cfg.name, "url-env"),
        )
    return found[1].split("+", 1)[0].lower()


def without_secrets(text: str, url: str) -> str:
    """``text`` (a database's message) with the passwords of ``url`` as ``***``: libpq
    quotes a URL it cannot parse, so measure printed the password to the terminal and to
    the CI log."""
    from urllib.parse import unquote

    for found in _PASSWORDS.finditer(url):
        secret = found[1] if found[1] is not None else found[2]
        for said in sorted({secret, secret.strip("'"), unquote(secret)}, key=len, reverse=True):
            if said:
                text = text.replace(said, "***")
    return text
