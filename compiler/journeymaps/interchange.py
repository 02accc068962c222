"""``journeymaps export`` and ``journeymaps import``: maps to and from other tools' formats.

The registries below drive the commands' ``--format`` choices: an exporter turns a Map into
text, an importer turns text into the YAML of a starting map.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeymaps import mermaid
from journeymaps.diagnostics import Diagnostic
from journeymaps.model import Map
from journeymaps.output import write_atomic, write_output
from journeymaps.rules.input import INPUT_RULES
from journeymaps.settings import Settings

EXPORTERS: dict[str, tuple[Callable[[Map], str], str]] = {"mermaid": (mermaid.journey, ".mmd")}
IMPORTERS = {"mermaid"}


class InterchangeError(Exception):
    """The command cannot do what was asked; nothing was written."""


@dataclass
class Exported:
    texts: dict[str, str]  # map id -> text, in id order
    broken: list[Diagnostic]  # files that could not be read (the other maps are exported)


def export(targets: list[Path], settings: Settings, cwd: Path, fmt: str, wanted: tuple[str, ...]) -> Exported:
    """The chosen maps (every map under ``targets`` when none is named) in ``fmt``."""
    from journeymaps.lint import lint

    report = lint(targets, settings, dt.date.today(), cwd)
    maps = {
        m.id: m for m in (report.project.maps if report.project else ()) if m.src.display in report.targets
    }
    broken = [d for d in report.diagnostics if d.rule in INPUT_RULES]
    for ident in wanted:
        if ident not in maps:
            import difflib

            close = difflib.get_close_matches(ident, list(maps), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InterchangeError(f"--map {ident}: no valid map with this id{hint}")
    chosen = sorted(wanted or maps)
    write, _ = EXPORTERS[fmt]
    return Exported({i: write(maps[i]) for i in chosen}, broken)


def write_exports(exported: Exported, fmt: str, out: Path | None) -> list[Path]:
    """Write to ``out`` (a file for one map, else a folder of ID.ext files); [] for stdout."""
    texts = exported.texts
    if not texts:
        raise InterchangeError("no map to export")
    if out is None:
        if len(texts) > 1:
            raise InterchangeError(
                f"{len(texts)} maps: choose one with --map ID, or write each to a folder with -o DIR"
            )
        return []
    suffix = EXPORTERS[fmt][1]
    if len(texts) > 1 and out.suffix == suffix and not out.is_dir():  # meant as one file
        raise InterchangeError(
            f"{len(texts)} maps, and {out.as_posix()} names one {suffix} file: choose one with --map ID, "
            f"or name a folder for their ID{suffix} files (-o DIR)"
        )
    if len(texts) == 1 and not out.is_dir():
        write_output(out, next(iter(texts.values())).encode())
        return [out]
    written = []
    for ident, text in texts.items():
        write_atomic(out / f"{ident}{suffix}", text.encode())
        written.append(out / f"{ident}{suffix}")
    return written


def read_text(source: Path, raw: bytes) -> str:
    """UTF-8 text (a BOM is fine) or an error that says where."""
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise mermaid.MermaidError(
            line, 1, f"invalid UTF-8 byte 0x{raw[exc.start]:02x}: save it as UTF-8"
        ) from None


def import_journey(
    text: str, origin: str, settings: Settings, map_id: str | None, owner: str | None, out: Path | None
) -> tuple[Path, str, mermaid.Journey]:
    """(where the map goes, its YAML, the parsed journey); MermaidError for bad input."""
    from journeymaps.scaffold import ID

    parsed = mermaid.parse(text)
    ident = map_id or mermaid.slug(parsed.title or Path(origin).stem) or "imported-journey"
    if not ID.match(ident):
        raise InterchangeError(
            f"'{ident}' is not a valid map id: use lowercase letters, digits and single hyphens"
        )
    teams = _teams(settings)
    team = owner or (next(iter(teams)) if teams else "support")
    path = out or settings.roots()[0] / f"{ident}.yaml"
    if path.exists():
        raise InterchangeError(f"{path.as_posix()} already exists; choose another --id or --output")
    yaml_text = mermaid.to_map(
        parsed, ident, team, set(teams), dt.date.today().isoformat(), schema_ref(settings, path), origin
    )
    return path, yaml_text, parsed


def schema_ref(settings: Settings, path: Path) -> str:
    """How a new map points at its schema: relative to the repository's schema/, else the URL."""
    if (settings.root / "schema").is_dir():
        target = settings.root / "schema" / "journey-map.schema.json"
        return Path(os.path.relpath(target, path.parent)).as_posix()
    return "https://journeymaps.dev/schema/journey-map.schema.json"


def _teams(settings: Settings) -> list[str]:
    """Team ids of the first maps folder's teams.yaml, in order (none when unreadable)."""
    from journeymaps.loader import load

    src = load(settings.roots()[0] / "teams.yaml", "teams.yaml")
    if not src.ok or not isinstance(src.data, dict) or not isinstance(src.data.get("teams"), list):
        return []
    return [t["id"] for t in src.data["teams"] if isinstance(t, dict) and isinstance(t.get("id"), str)]
