"""Project settings from ``journeymaps.toml`` or ``[tool.journeymaps]`` in ``pyproject.toml``."""

from __future__ import annotations

import errno
import functools
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from journeymaps.business_time import Calendar
from journeymaps.conflicts import ADVICE, first_marker
from journeymaps.diagnostics import Diagnostic, Severity, Span, shorten
from journeymaps.direction_controls import shown
from journeymaps.reading import DEFAULT_MAX_KB, Refused, dangling, is_folder, is_link_loop, read_regular
from journeymaps.records import record
from journeymaps.toml_positions import key_at, value_at

SEVERITIES = ("error", "warning", "info", "off")


@record
class Settings:
    """Everything configurable, with the defaults a new project gets."""

    root: Path
    file: Path | None = None
    paths: tuple[str, ...] = ("maps",)
    exclude: tuple[str, ...] = ()
    review_cadence_days: int = 90
    evidence_max_age_days: int = 365
    cost_per_contact: float | None = None
    value_per_customer: float | None = None
    currency: str = "$"
    repository_url: str | None = None
    site_title: str = "Customer journeys"
    maps_per_page: int = 48
    #: Rows on each page of the portfolio's ranked pain points, and the most items a list
    #: of the portfolio, teams or scorecard page shows before it is split into pages.
    rows_per_page: int = 100
    #: The period of the site's "What changed" page, in days before the HEAD commit.
    history_days: int = 90
    max_file_size_kb: int = DEFAULT_MAX_KB
    rules: Mapping[str, str] = field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Where the settings file sets ``paths`` (the file as shown, where each folder is
    #: named), when it does.
    paths_at: tuple[str, tuple[Span, ...]] | None = None
    #: ``[sources.NAME]`` tables, as written (journeymaps.measure.sources reads them).
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    measure: MeasureSettings = field(default_factory=lambda: MeasureSettings())
    business_calendar: Calendar = field(default_factory=lambda: Calendar())

    def roots(self) -> list[Path]:
        return [self.root / p for p in self.paths]

    def by_maps_folder(self, path: Path) -> Path:
        """The absolute ``path`` named through the maps folder that holds it, where that
        folder is a link (``maps -> docs/journeys``) and ``path`` names the file where the
        link leads, as git (so pre-commit and --changed-since) names it; else ``path``."""
        roots = [Path(os.path.abspath(r)) for r in self.roots()]  # noqa: PTH100 - links kept
        if any(r == path or r in path.parents for r in roots):
            return path
        real = Path(os.path.realpath(path))
        for root in roots:
            there = Path(os.path.realpath(root))
            if there == real or there in real.parents:
                return root / real.relative_to(there)
        return path

    def existing_roots(self) -> list[Path]:
        """The maps folders that exist. One that the settings file names but that does not
        exist is a settings error: a typo would otherwise check nothing, and pass."""
        if self.paths_at is not None:
            display, spans = self.paths_at
            for name, root, span in zip(self.paths, self.roots(), spans, strict=True):
                if not _exists(root):
                    why = _link_to_nothing(root) or f"does not exist (looked for {root.as_posix()})"
                    raise SettingsError(_error(display, span, f"paths: '{name}' {why}"))
                if (holds := around(root, self.root)) is not None:
                    raise SettingsError(
                        _error(
                            display,
                            span,
                            f"paths: '{name}' is {holds}: every YAML file in it would be read"
                            " as a map; name the folder that holds the maps, such as 'maps'",
                        )
                    )
        # A default folder that is a link leading round in a loop (maps -> maps) is one: it
        # is there, and is read as a folder not read (one finding), as a link out of the
        # project is; "no maps folder found" said there was none.
        return [r for r in self.roots() if _exists(r) or is_link_loop(r)]

    def severity(self, rule: str, default: Severity) -> Severity | None:
        """The configured severity of a rule; None when it is off."""
        value = self.rules.get(rule)
        if value is None:
            return default
        return None if value == "off" else Severity(value)


def around(folder: Path, project: Path) -> str | None:
    """How ``folder`` holds the project's own folder (``paths = ["/"]`` or ``[".."]``), None
    when it does not: lint then walked every folder of the machine, for minutes, as maps."""
    try:
        folder, project = folder.resolve(), project.resolve()
    except (OSError, RuntimeError):  # a link loop: reported where the folder is read
        return None
    if folder == project or folder not in project.parents:
        return None
    if folder == Path(folder.anchor):
        return "the file system's root, the whole machine"
    return f"{folder.as_posix()}, the folder around the project's"


def _link_to_nothing(path: Path) -> str | None:
    """What a maps folder that is a link leading to no folder is; None when it is no link.
    A link to itself (swapped in under a running ``serve``) or to a share not mounted was
    "does not exist", though the link was there."""
    try:
        target = os.readlink(path)  # noqa: PTH115 - str, as the user wrote it
    except OSError:  # not a link, or no name a file can have
        return None
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a link that leads back to itself (a loop of links)"
    return f"is a link to {target}, which is not there"


def _exists(path: Path) -> bool:
    """``path.exists()``, false for a path no file can have: Path.exists raises for "File
    name too long", which ended every command with a bare "error: File name too long: …",
    not at the setting that named it."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


@record
class MeasureSettings:
    """``[measure]``: where snapshots go, the privacy floor, and the thresholds of the rules
    that compare a map with its measured data."""

    metrics: str = "metrics"
    k: int = 5
    timezone: str = "UTC"
    volume_tolerance: float = 0.5
    worsening_periods: int = 3
    sla_breach_threshold: float = 0.1
    #: The most (ticket, selector) rows one aggregate query of a file source holds.
    batch_rows: int = 500_000
    #: The embedded DuckDB's memory for a file source; past it, it spills to a temporary folder.
    memory_limit: str = "256MB"
    #: Seconds one query of a source may run (on the PostgreSQL server, its
    #: statement_timeout): one that never ends hung measure until it was stopped.
    timeout: float = 3600

    @classmethod
    def from_toml(cls, d: Mapping[str, Any]) -> MeasureSettings:
        return cls(**{k.replace("-", "_"): v for k, v in d.items()})


def memory_mib(text: str) -> int:
    """``256MB``, ``1 GiB``... in MiB, near enough (the schema checked the form)."""
    m = re.fullmatch(r"([0-9]+) ?([MG])i?B", text.strip())
    assert m is not None
    return int(m[1]) * (1024 if m[2] == "G" else 1)


#: Less and DuckDB cannot hold two batches' hash tables at once: the run would fail mid-way
#: (DuckDB 1.5, what Python 3.10 gets, ran out of memory at 64MB on 1,500 tickets).
MIN_MEMORY_MIB = 128


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, for a setting the user is told to paste: quotes,
    backslashes and control characters escaped (a column named ``Created "local"`` was said
    as ``"Created "local""``, which no TOML reader takes)."""
    escaped = []
    for ch in text:
        if ch in ('"', "\\"):
            escaped.append("\\" + ch)
        elif (ch < " " and ch != "\t") or ch == "\x7f":
            escaped.append(f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":  # a byte no encoding read (surrogateescape): not text
            escaped.append("\ufffd")
        else:
            escaped.append(ch)
    return '"' + "".join(escaped) + '"'


class SettingsError(Exception):
    """Invalid settings: reported as an ``invalid-settings`` finding, exit code 2."""

    def __init__(self, diagnostic: Diagnostic, *more: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        #: Every problem found at once (all the unknown keys of a settings file, say).
        self.diagnostics = (diagnostic, *more)


#: The settings files a folder may hold, in the order lint looks for them in each folder.
SETTINGS_NAMES = ("journeymaps.toml", "pyproject.toml")


def find_settings_file(start: Path) -> Path | None:
    """The nearest journeymaps.toml, or pyproject.toml with [tool.journeymaps], upwards.

    Any entry of that name counts, not only a regular file: a FIFO, a folder or a link to
    ``/dev/zero`` named journeymaps.toml was skipped, and the defaults applied without a
    word. Returned, it is refused when read (invalid-settings, exit 2), as with --config. A
    pyproject.toml that cannot be read safely is returned too: whether it holds settings
    cannot be known."""
    for folder in (start, *start.parents):
        candidate = folder / SETTINGS_NAMES[0]
        if os.path.lexists(candidate):
            return candidate
        pyproject = folder / SETTINGS_NAMES[1]
        if not os.path.lexists(pyproject):
            continue
        try:
            text = _settings_bytes(pyproject).decode("utf-8", "replace")
        except OSError:
            return pyproject
        if holds_settings(text):
            return pyproject
    return None


#: A pyproject.toml that is not TOML seems to hold settings when it has one of these.
_NAMED = r"""\btool\s*\.\s*["']?journeymaps\b|^\s*journeymaps\s*[.=]"""


def holds_settings(pyproject: str) -> bool:
    """Whether a pyproject.toml has a ``tool.journeymaps``: written as the usual header at
    once, else as TOML reads it (an indented or spaced header, a quoted or dotted key, an
    inline table were missed by the header's pattern alone: the defaults applied, without
    a word). One that is not TOML and seems to name it is read, and refused as invalid."""
    if re.search(r"^\[tool\.journeymaps[\].]", pyproject, re.M):
        return True
    # [tool.journeymap]: read, to be refused as misspelt (see _misspelt_table); skipped, the
    # defaults applied without a word ("Nothing to check", exit 0).
    headers = re.findall(r"^\s*\[\s*tool\s*\.\s*([\w-]+)", pyproject, re.M)
    if any(_close_to_ours(name) for name in headers):
        return True
    if "journeymaps" not in pyproject:
        return False
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    if too_deep_key(pyproject) is not None:  # read, it is refused as too deep
        return re.search(_NAMED, pyproject, re.M) is not None
    try:
        tool = tomllib.loads(pyproject.removeprefix("\ufeff")).get("tool")
    except (tomllib.TOMLDecodeError, RecursionError):
        return re.search(_NAMED, pyproject, re.M) is not None
    return isinstance(tool, dict) and "journeymaps" in tool


def settings_file_for(targets: Sequence[Path], cwd: Path) -> Path | None:
    """The settings of the project the targets are in, as ruff finds its own: the nearest
    settings file above them, so ``journeymaps lint ~/proj/maps`` run from anywhere gets
    ~/proj's settings (photos and paths are relative to the project). With no target, or
    none under a settings file, the current folder's. Targets in two projects are refused:
    one run has one set of settings, and the other project's would silently be wrong."""
    found: dict[Path, Path] = {}  # settings file -> the first target under it
    for target in targets:
        start = Path(os.path.abspath(cwd / target))  # noqa: PTH100 - keeps links as named
        file = find_settings_file(start if is_folder(start) else start.parent)
        if file is not None:
            found.setdefault(file, target)
    if len(found) > 1:
        (file, target), (other, other_target) = list(found.items())[:2]
        raise SettingsError(
            _error(
                _display(other, cwd),
                Span.point(1, 1),
                f"{other_target.as_posix()} is in another project than {target.as_posix()} "
                f"(settings {_display(file, cwd)}): run once per project, or name the settings "
                "with --config",
            )
        )
    return next(iter(found), None) or find_settings_file(cwd)


def load_settings(cwd: Path, explicit: Path | None = None, targets: Sequence[Path] = ()) -> Settings:
    """Settings for a run started in ``cwd`` on ``targets``: the ``explicit`` file, else the
    one of the targets' project (see settings_file_for); defaults when there is none."""
    path = explicit or settings_file_for(targets, cwd)
    if path is None:
        return Settings(root=cwd)
    # Here, not at the top: a project without settings (a one-file lint) never parses TOML.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

    display = _display(path, cwd)
    try:
        text = read_settings_text(path)
        if (deep := too_deep_key(text)) is not None:
            raise SettingsError(_error(display, deep, TOO_DEEP))
        data: dict[str, Any] = tomllib.loads(text)
    except OSError as exc:
        why = dangling(path) or exc.strerror or str(exc)
        raise SettingsError(_error(display, Span.point(1, 1), f"cannot read settings: {why}")) from None
    except UnicodeDecodeError as exc:
        raise SettingsError(_not_utf8(display, exc)) from None
    except tomllib.TOMLDecodeError as exc:
        if (marker := first_marker(lines := text.splitlines())) is not None:
            span = Span(marker + 1, 1, marker + 1, 1 + len(lines[marker].rstrip()))
            raise SettingsError(
                _error(display, span, f"'{shorten(lines[marker].strip())}' {ADVICE}")
            ) from None
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        if m:
            span = Span.point(int(m[1]), int(m[2]))
        else:  # "at end of document"
            span = Span.point(text.count("\n") + 1, len(text) - text.rfind("\n"))
        raise SettingsError(_error(display, span, f"invalid TOML: {str(exc).split(' (at')[0]}")) from None
    except RecursionError:  # x = [[[[… or {a={a={… deeper than tomllib recurses: internal error
        raise SettingsError(_error(display, Span.point(1, 1), TOO_DEEP)) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        if (misspelt := _misspelt_table(tool, explicit is not None)) is not None:
            raise SettingsError(_error(display, Span.point(1, 1), misspelt))
        data = tool.get("journeymaps", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):  # journeymaps = "x", or [[tool.journeymaps]]: was an AttributeError
            span = value_at(text, ("journeymaps",))
            raise SettingsError(_error(display, span, "[tool.journeymaps] must be a table of settings"))
    try:
        _check(data, text, display)
        data = _whole_numbers(data)
    except RecursionError:  # [a.a.a.…] 20,000 tables deep: read, but no check can walk it
        raise SettingsError(_error(display, Span.point(1, 1), TOO_DEEP)) from None
    calendar = Calendar.from_toml(data.get("business-calendar", {}))
    if calendar.day_minutes <= 0:
        span = value_at(text, ("business-calendar", "hours"))
        raise SettingsError(
            _error(display, span, "business-calendar.hours: the business must close after it opens")
        )
    return Settings(
        root=path.parent,
        file=path,
        paths=tuple(data.get("paths", ("maps",))),
        exclude=tuple(data.get("exclude", ())),
        review_cadence_days=data.get("review-cadence-days", 90),
        evidence_max_age_days=data.get("evidence-max-age-days", 365),
        cost_per_contact=data.get("cost-per-contact"),
        value_per_customer=data.get("value-per-customer"),
        # shown on every page, as a map's texts are: a direction control as its escape
        currency=shown(data.get("currency", "$")),
        repository_url=data.get("repository-url"),
        site_title=shown(data.get("site-title", "Customer journeys")),
        maps_per_page=data.get("maps-per-page", 48),
        rows_per_page=data.get("rows-per-page", 100),
        history_days=data.get("history-days", 90),
        max_file_size_kb=data.get("max-file-size-kb", DEFAULT_MAX_KB),
        rules=dict(data.get("rules", {})),
        per_file_ignores={k: tuple(v) for k, v in data.get("per-file-ignores", {}).items()},
        paths_at=(display, tuple(value_at(text, ("paths", i)) for i in range(len(data["paths"]))))
        if "paths" in data
        else None,
        sources=data.get("sources", {}),
        measure=MeasureSettings.from_toml(data.get("measure", {})),
        business_calendar=calendar,
    )


def _close_to_ours(name: str) -> bool:
    """A tool table's name that is ours misspelt (journeymap, journey-maps, jounreymaps); not
    a tool of another name, such as "journey"."""
    import difflib

    return name != "journeymaps" and difflib.SequenceMatcher(None, name, "journeymaps").ratio() >= 0.85


def _misspelt_table(tool: Any, named: bool) -> str | None:
    """Why a pyproject.toml holds no settings when a table of a close name is there
    ([tool.journeymap]): it ran on the defaults without a word ("Nothing to check: 0
    files.", exit 0), named with --config (``named``) or found above the folder. None when it
    has [tool.journeymaps], or nothing like it (no settings of ours: the defaults, as before)."""
    if not isinstance(tool, dict) or "journeymaps" in tool:
        return None
    close = [str(name) for name in tool if _close_to_ours(str(name))]
    if not close:
        return None
    then = "--config names settings to use" if named else "rename it [tool.journeymaps]"
    return f"pyproject.toml has no [tool.journeymaps] table ([tool.{close[0]}] is not it): {then}"


def _not_utf8(display: str, exc: UnicodeDecodeError) -> Diagnostic:
    """The first byte that is not UTF-8, at its line and column (in characters): said at 1:1,
    the user searched the whole file for an é saved as Latin-1."""
    from journeymaps.reading import wide_encoding

    raw = bytes(exc.object)
    if (wide := wide_encoding(raw)) is not None:  # PowerShell's > writes UTF-16
        return _error(display, Span.point(1, 1), f"settings file is {wide}; save it as UTF-8")
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
    span = Span.point(raw.count(b"\n", 0, exc.start) + 1, column)
    return _error(
        display, span, f"settings file is not UTF-8: byte 0x{raw[exc.start]:02x} here; save it as UTF-8"
    )


def read_settings_text(path: Path) -> str:
    """The settings file as text; a byte-order mark (Notepad writes one) is not TOML, and is
    dropped. Only a regular file is read (a FIFO named journeymaps.toml would hang), and a
    link only when it leads inside its own folder (see :func:`_beside`)."""
    raw = _settings_bytes(path)
    return raw.decode("utf-8").removeprefix("\ufeff")


def _settings_bytes(path: Path) -> bytes:
    """A settings file's bytes: a regular file, a link only when it leads inside its own
    folder (:func:`_beside`), and not in a folder that a link takes out of the working
    folder (:func:`_linked_away`)."""
    if (why := _linked_away(path)) is not None:
        raise Refused(why)
    return read_regular(path, MAX_SETTINGS_BYTES, inside=_beside(path))


def _linked_away(path: Path) -> str | None:
    """Why the settings file ``path``, inside the working folder by its path, is not read
    when a link takes its folder out of it (``maps -> /home/runner/.config``, in a pull
    request: the pre-commit hook, naming maps/x.yaml, read maps/journeymaps.toml there and
    quoted its values in the log); None otherwise. The project is not known yet (the
    settings make it), so the working folder stands for it, as it does without settings."""
    try:
        cwd = Path(os.getcwd())  # noqa: PTH109 - as named, links kept
    except OSError:  # the working folder was removed: nothing is inside it
        return None
    named = Path(os.path.abspath(path.parent))  # noqa: PTH100 - as named, links kept
    if not (named == cwd or cwd in named.parents):
        return _linked_out_of_a_project(named)
    real, real_cwd = Path(os.path.realpath(named)), Path(os.path.realpath(cwd))
    if real == real_cwd or real_cwd in real.parents:
        # Run from / (or a folder above the project), the working folder holds everything.
        return _linked_out_of_a_project(named)
    return (
        f"the folder that holds it is a link to {real.as_posix()}, outside the working folder; "
        "journeymaps reads no settings from outside the project, so that a link in a repository "
        "cannot put a file of the machine in a log: replace the link with the folder, or name the "
        "settings file with --config"
    )


def _linked_out_of_a_project(named: Path) -> str | None:
    """Why settings in the folder ``named``, outside the working folder by its path, are not
    read: a link takes it out of a project above it, one whose settings file holds it by its
    path, as that project's maps folder would be refused (see reading.ReadPolicy.around);
    None otherwise. From the project's docs/, ``journeymaps lint ../maps/x.yaml`` (``maps ->
    /home/runner/.config``) read the settings where the link led, nearer than the
    project's own, and with them every map there; so did ``cd / && journeymaps lint
    /repo/maps/x.yaml``. Each folder above it looked at once, up to the first no link
    leaves (the folder's parent, most often: one realpath each)."""
    real = os.path.realpath(named)
    for above in named.parents:
        real_above = os.path.realpath(above)
        if real == real_above or real.startswith(real_above.rstrip(os.sep) + os.sep):
            return None  # inside it by its real path too: no link out of it on the way
        if (outer := find_settings_file(above)) is not None:
            return (
                f"the folder that holds it is a link to {Path(real).as_posix()}, outside the project of "
                f"{outer.as_posix()}; journeymaps reads no settings from outside the project, so that a "
                "link in a repository cannot put a file of the machine in a log: replace the link with the "
                "folder, or name the settings file by its own path with --config"
            )
    return None


def _beside(path: Path) -> Callable[[Path], str | None]:
    """Where a settings file that is a link may lead: within the folder that holds the link,
    the project's top. A pull request's journeymaps.toml linked to a file of the CI machine
    (``/home/runner/.aws/credentials``) was read as settings, and lint, build and diff quoted
    its values in the log ("paths: expected a list, got 's3cr3t-value'")."""
    top = Path(os.path.realpath(path.parent))

    def refusal(real: Path) -> str | None:
        if real == top or top in real.parents:
            return None
        advice = "replace the link with a copy of the file, or name the file it leads to with --config"
        if real.name in SETTINGS_NAMES and real.parent in top.parents:  # maps/sub/ -> the top's
            advice = "remove the link: the settings file it leads to applies to this folder without it"
        return (
            f"the file is a link to {real.as_posix()}, outside the folder that holds it (the "
            "project's); journeymaps reads no settings from outside the project, so that a link in "
            f"a repository cannot put a file of the machine in a log: {advice}"
        )

    return refusal


#: What settings nested deeper than Python can read or check are (no setting is deep).
TOO_DEEP = "invalid TOML: nested too deeply to read (no setting nests more than a few levels)"

#: The parts of a dotted key (``a.b.c = 1``, ``[a.b.c]``) past which it is too deep to read.
_KEY_PARTS = 100
#: A key of more than _KEY_PARTS parts, where a key starts: a line's start (a header's
#: ``[`` or ``[[``), an inline table's ``{`` or ``,``.
_DEEP_KEY = re.compile(
    r"""(?:^[ \t]*\[{0,2}|[{,])[ \t]*(?:(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')[ \t]*\.[ \t]*)"""
    rf"{{{_KEY_PARTS},}}",
    re.M,
)


def too_deep_key(text: str) -> Span | None:
    """Where a key of more parts than any setting has starts; None when there is none.
    Python's TOML reader takes time and memory by the square of a dotted key's parts: a
    key of 50,000 (100 KB) took 8 GB and minutes, before the check that says it is too
    deep (:data:`TOO_DEEP`)."""
    found = _DEEP_KEY.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    start = found.start()
    while text[start] in " \t{,":  # at the key, or its table's [
        start += 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Span.point(line, column)


#: A settings file is a few hundred bytes; a larger one is a mistake, not settings.
MAX_SETTINGS_BYTES = 1024 * 1024


def _check(data: dict[str, Any], text: str, display: str) -> None:
    from journeymaps.rules import all_rules
    from journeymaps.rules.input import INPUT_RULES
    from journeymaps.suggest import Suggestions
    from journeymaps.validate import explain

    for path, value in _numbers(data, ()):  # first: the schema would call inf "above the maximum"
        if not math.isfinite(value):
            raise SettingsError(
                _error(display, value_at(text, path), f"{path[-1]}: {value} is not a finite number")
            )
    # Every problem at once, like a map's: a newcomer's three typos are three findings of one run.
    # At the key when the key is wrong (unknown), else at the value (a type, a range).
    found = [
        _error(display, key_at(text, path) if at_key else value_at(text, path), message)
        for path, at_key, message in explain(data, "config")
    ]
    measure = data.get("measure")
    limit = measure.get("memory-limit") if isinstance(measure, dict) else None
    pattern = r"[1-9][0-9]{0,6} ?(MB|MiB|GB|GiB)"  # the schema's: another form was reported above
    if isinstance(limit, str) and re.fullmatch(pattern, limit) and memory_mib(limit) < MIN_MEMORY_MIB:
        message = (
            f"measure.memory-limit: {limit} is too little for DuckDB to measure in "
            f"(at least {MIN_MEMORY_MIB}MB)"
        )
        found.append(_error(display, value_at(text, ("measure", "memory-limit")), message))
    found += _unknown_zones(data, text, display)
    found += _unnameable_paths(data, text, display)
    found += _unknown_ticket_sources(data, text, display)
    rules = all_rules()
    known = Suggestions(rules)
    codes = {r.code: name for name, r in rules.items()}
    for table in ("rules", "per-file-ignores"):
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            continue  # the schema said so above
        for key, value in entries.items():
            # [rules] names a rule by its key; per-file-ignores in its list of names.
            names = [(key, key_at(text, (table, key)))] if table == "rules" else []
            if table != "rules" and isinstance(value, list):
                names = [(name, value_at(text, (table, key, i))) for i, name in enumerate(value)]
            for name, span in names:
                if isinstance(name, str) and name not in rules:
                    message = f"{table}: unknown rule '{name}'{known.hint(name)}"
                    if (rule := codes.get(name.upper())) is not None:  # what --select takes
                        message = (
                            f"{table}: '{name}' is the code of {rule}; the settings name rules: write {rule}"
                        )
                    found.append(_error(display, span, message))
                elif name in INPUT_RULES and (table != "rules" or value != "error"):
                    # Silenced, the file was checked no further and lint said "All checks passed".
                    silenced = "turned off or lowered" if table == "rules" else "ignored"
                    message = (
                        f"{table}: {name} cannot be {silenced}: a file it reports is checked "
                        "no further, so any other error in it would pass unseen (fix the file instead"
                        f"{'; keys of your own start with x-' if name == 'schema' else ''})"
                    )
                    found.append(
                        _error(display, value_at(text, (table, key)) if table == "rules" else span, message)
                    )
    if found:
        found.sort(key=lambda d: (d.line, d.column))
        raise SettingsError(*found)


def _unknown_zones(data: dict[str, Any], text: str, display: str) -> list[Diagnostic]:
    """``[measure] timezone`` and each source's: a name no time zone has (``Mars/Olympus``)
    linted clean, and failed only once ``journeymaps measure`` ran."""
    wanted: list[tuple[tuple[str, ...], Any]] = []
    measure, sources = data.get("measure"), data.get("sources")
    if isinstance(measure, dict):
        wanted.append((("measure", "timezone"), measure.get("timezone")))
    for name, source in sources.items() if isinstance(sources, dict) else ():
        if isinstance(source, dict):
            wanted.append((("sources", name, "timezone"), source.get("timezone")))
    return [
        _error(
            display,
            value_at(text, path),
            f"{'.'.join(path)}: unknown time zone '{shorten(zone)}' (use an IANA name such as Europe/Paris)",
        )
        for path, zone in wanted
        if isinstance(zone, str) and zone and unknown_zone(zone)
    ]


def _unnameable_paths(data: dict[str, Any], text: str, display: str) -> list[Diagnostic]:
    """A maps folder named with a NUL, which no file name can hold: lint said it "does not
    exist", and new and import, which write into it, ended in 'internal error: ValueError:
    embedded null byte'."""
    paths = data.get("paths")
    return [
        _error(
            display,
            value_at(text, ("paths", i)),
            f"paths[{i}]: '{_printable(path)}' holds a NUL character, which no folder's name can",
        )
        for i, path in enumerate(paths if isinstance(paths, list) else ())
        if isinstance(path, str) and "\x00" in path
    ]


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _unknown_ticket_sources(data: dict[str, Any], text: str, display: str) -> list[Diagnostic]:
    """A survey's ``tickets`` naming no configured source: it linted clean, and ``measure``
    said so only once a map measured that survey (and then at no line). Nor a survey: one
    naming itself ended measure in a RecursionError, one naming another was joined to its
    responses, and none matched."""
    sources = data.get("sources")
    if not isinstance(sources, dict):
        return []
    ticket_sources = sorted(
        n for n, s in sources.items() if isinstance(s, dict) and s.get("kind") != "survey"
    )
    found = []
    for name, source in sources.items():
        named = source.get("tickets") if isinstance(source, dict) else None
        if not isinstance(named, str):
            continue
        if named not in sources:
            said = f"'{named}' is not a configured source (configured: {', '.join(sorted(sources))})"
        elif named not in ticket_sources:
            listed = ", ".join(ticket_sources) or "none"
            said = f"'{named}' is a survey, not a ticket source (ticket sources: {listed})"
        elif (why := _unjoinable(name, source, named, sources[named])) is not None:
            said = why
        else:
            continue
        found.append(
            _error(
                display,
                value_at(text, ("sources", name, "tickets")),
                f"sources.{name}.tickets: {said}",
            )
        )
    return found


def _unjoinable(name: str, survey: dict[str, Any], named: str, tickets: Any) -> str | None:
    """Why a survey cannot be joined to the ticket source it names, or None. Only a file
    survey joins a file ticket source (in DuckDB): a SQL survey's ``tickets`` was ignored
    without a word, every response taken with its table's own tags (none, most often)."""
    if "url-env" in survey and survey.get("kind") == "survey":
        return (
            "a SQL survey source is measured in its database, where no ticket source is joined "
            "to it: remove tickets, and give its table (a view joining the tickets) the tags, "
            f"channel, group and touchpoint columns (or map them under [sources.{name}.columns])"
        )
    if isinstance(tickets, dict) and "url-env" in tickets:
        return (
            f"'{named}' is a SQL source, and a file survey joins a file ticket source "
            "only: export the tickets to a file source, or load the responses into the database"
        )
    return None


def unknown_zone(name: str) -> bool:
    """Whether ``name`` is no time zone of the IANA database. Python reads the system's
    database (/usr/share/zoneinfo) or the ``tzdata`` package; where there is neither (Windows
    without tzdata, a slim container), no name can be told from another, and none is called
    unknown: DuckDB, which converts the times, has a database of its own."""
    return not _zone_exists(name) and _zone_exists("UTC")


def _zone_exists(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # ValueError: '../x', a NUL
        return False
    # Files of the database that are no zone's name: Python reads them ("localtime",
    # "posixrules", "right/UTC"), DuckDB does not, and measure failed after the settings had
    # passed ("Not implemented Error: Unknown TimeZone 'right/UTC'"), at the wrong line.
    listed = _listed_zones()
    return name not in _NOT_ZONES and (not listed or name in listed)


#: Names the system's database has that are not zones (see :func:`_zone_exists`).
_NOT_ZONES = frozenset({"localtime", "posixrules"})


@functools.cache
def _listed_zones() -> frozenset[str]:
    """The zones' names the database lists (empty where it lists none: then any it reads)."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def _whole_numbers(data: Any) -> Any:
    """``maps-per-page = 2.0`` passes the schema's integer (as JSON Schema counts), and
    stopped ``build`` with an internal error (``range()`` of a float): a whole number written
    as a float is read as the int it is."""
    if isinstance(data, float) and data.is_integer():
        return int(data)
    if isinstance(data, dict):
        return {key: _whole_numbers(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_whole_numbers(value) for value in data]
    return data


def _numbers(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], float]]:
    """Every float in the settings (TOML allows nan and inf; JSON Schema cannot refuse them)."""
    if isinstance(data, float):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _numbers(value, (*path, i))


def _display(path: Path, cwd: Path) -> str:
    """The settings file as the user sees it: from the current folder, its own name kept. A
    link was resolved: one to itself ended the run ("RuntimeError: Symlink loop"), one to a
    device was named by its absolute path."""
    try:
        return (path.parent.resolve() / path.name).relative_to(cwd.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # elsewhere; a loop of folders above it
        return path.as_posix()


def _error(display: str, span: Span, message: str) -> Diagnostic:
    from journeymaps.rules import all_rules
    from journeymaps.rules.input import INVALID_SETTINGS

    rule = all_rules()[INVALID_SETTINGS]
    # a key or value quoted from the file: its direction controls as escapes, in every format
    return Diagnostic(rule.name, rule.code, Severity.ERROR, display, span, shown(message))
