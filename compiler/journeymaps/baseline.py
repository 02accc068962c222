"""Baselines: record today's findings so that CI fails only on new ones.

A baseline is a JSON file of fingerprints (map id + place in the map + rule), with the rule,
file and message kept beside each for people reading it in review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from journeymaps.diagnostics import Diagnostic

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used; the message says why."""


def dump(diagnostics: Iterable[Diagnostic]) -> bytes:
    entries = sorted(
        (
            {"fingerprint": d.fingerprint, "rule": d.rule, "file": d.file, "message": d.message}
            for d in diagnostics
        ),
        key=lambda e: (e["file"], e["rule"], e["fingerprint"]),
    )
    return (
        json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    ).encode()


def load(path: Path) -> set[str]:
    """The fingerprints a baseline holds."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise BaselineError(f"{path} is not a journeymaps baseline (invalid JSON: {exc})") from None
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(f"{path} is not a journeymaps baseline (version {VERSION})")
    return {e["fingerprint"] for e in data["findings"] if isinstance(e, dict) and "fingerprint" in e}


def split(diagnostics: list[Diagnostic], known: set[str]) -> tuple[list[Diagnostic], int]:
    """(the findings not in the baseline, how many were in it)."""
    new = [d for d in diagnostics if d.fingerprint not in known]
    return new, len(diagnostics) - len(new)
