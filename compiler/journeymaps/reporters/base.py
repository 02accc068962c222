"""What every reporter receives."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field
from typing import overload

from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.direction_controls import SHOWN
from journeymaps.records import record


@record
class Outcome:
    """Findings of a run and what its summary needs."""

    diagnostics: list[Diagnostic]
    files: int
    maps: int
    targets: frozenset[str] = frozenset()  # display paths of the files checked
    #: Files checked that are no journey map (a workflow, a teams list under another name):
    #: counted apart from ``maps``.
    not_maps: frozenset[str] = frozenset()
    #: Paths checked that are folders not read (a maps folder a link takes out of the
    #: project, one that cannot be listed): neither files nor maps, counted apart. The
    #: refused ``maps -> /home/runner/.config`` was "1 file (1 map)".
    folders: frozenset[str] = frozenset()
    strict: bool = False  # warnings fail the run too
    #: Problems of the run itself (invalid settings): nothing was checked. SARIF reports
    #: them as tool notifications; the other formats list them with the findings.
    notifications: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0  # how long the checks took
    quiet: bool = False  # the findings only: no summary
    #: The bytes of each shown file name that is not the name itself (not UTF-8: its bytes
    #: shown as \xff), for the formats a tool reads to find the file (SARIF).
    raw_names: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def scope(self) -> str:
        """What was checked, for a summary: "2 files (1 map, 1 not a journey map)", and
        the folders not read: "0 files (0 maps), 1 folder not read"."""
        n = len(self.not_maps)
        others = f", {n} not {'a journey map' if n == 1 else 'journey maps'}" if n else ""
        unread = f", {plural(len(self.folders), 'folder')} not read" if self.folders else ""
        return f"{plural(self.files, 'file')} ({plural(self.maps, 'map')}{others}){unread}"

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.everything if d.severity is severity)

    @property
    def everything(self) -> list[Diagnostic]:
        """The run's problems, then its findings."""
        return [*self.notifications, *self.diagnostics]

    def fails(self, d: Diagnostic) -> bool:
        """Whether this finding fails the run (an error, or a warning when strict)."""
        return d.severity is Severity.ERROR or (self.strict and d.severity is Severity.WARNING)


def unique_fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """Each finding's fingerprint, the second of two alike (one duplicate key twice in a
    map) ending in ``-1``, the third ``-2``: unique, still stable. Code scanning and GitLab
    take one fingerprint for one alert, so a pull request's second duplicate read as the
    alert main already had, and was shown as nothing new."""
    seen: dict[str, int] = {}
    out = []
    for d in diagnostics:
        fingerprint = d.fingerprint
        n = seen.get(fingerprint, 0)
        seen[fingerprint] = n + 1
        out.append(f"{fingerprint}-{n}" if n else fingerprint)
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def counted(n: int, word: str, words: str = "") -> str:
    """``n`` with thousands separators and ``word`` in its number: "1 row", "4,000 rows";
    ``words``: the plural when it is not ``word`` + "s" ("opportunities")."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), *range(0x7F, 0xA0)]}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
#: What ``str.splitlines()`` (and editors, and log viewers) break a line at besides CR and
#: LF; U+2028/U+2029 were left raw, so one finding read as several lines.
LINE_BREAKS = {c: f"\\x{c:02x}" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85)}
LINE_BREAKS.update({0x2028: "\\u2028", 0x2029: "\\u2029"})
#: Bidirectional controls ("Trojan Source", CVE-2021-42574): invisible, they reorder what a
#: reader sees, so a finding could show a different id or path than the one it names. The
#: direction controls as the data shows them (one table: two near-copies could drift apart),
#: and the marks, which a line written for people shows too.
BIDI_CONTROLS = {**{c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F)}, **SHOWN}
#: What a one-line message written for people must not hold raw, besides CR and LF.
INVISIBLE = {**LINE_BREAKS, **BIDI_CONTROLS}
_CONTROL.update(INVISIBLE)


def one_line(text: str) -> str:
    """Text on one line, with no control character: a newline in a message (from a map's
    own text) cannot start a fake finding, nor an escape sequence repaint the terminal."""
    return text.translate(_CONTROL)


def printable(text: str) -> str:
    """``text`` with its unprintable characters (C0, DEL, C1, line breaks, bidirectional
    controls) as Python escapes (\\x1b, \\n): for a line that names what the user gave."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


#: Where CI checked the repository out (GitHub Actions, GitLab CI). Annotations, code
#: scanning and Code Quality place a finding by its path from there, whatever folder lint
#: ran in (the action's working-directory input, a job's cd).
WORKSPACE_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")


@overload
def in_workspace(file: str) -> str: ...
@overload
def in_workspace(file: bytes) -> bytes: ...
def in_workspace(file: str | bytes) -> str | bytes:
    """``file`` as shown (relative to the working folder, or absolute) made relative to the
    CI workspace when it is inside one; as it is otherwise, and outside CI. Bytes: a name
    that is not UTF-8, as it is on disk."""
    if isinstance(file, bytes):
        return os.fsencode(in_workspace(os.fsdecode(file)))
    root = next((os.environ[name] for name in WORKSPACE_VARIABLES if os.environ.get(name)), "")
    if not root or not file or file == "-":
        return file
    # The workspace or a folder on the way may be a link itself (a runner's work folder, a
    # checkout reached through one): where they lead counts too, and first: a maps folder
    # linked inside the repository (maps -> docs/journeys) has its files where it leads, as
    # git does; by the link's name, annotations missed the pull request's lines. So has a
    # map that is itself a link (maps/a.yaml -> ../docs/a.yaml): git holds the link as one
    # line naming its target, and the pull request shows the lines lint read in the target,
    # so its annotations were on no line of the diff. By the link's name only when where it
    # leads is outside the workspace.
    named = os.path.abspath(file)  # noqa: PTH100
    folder, name = os.path.split(named)
    files = (os.path.realpath(named), os.path.join(os.path.realpath(folder), name), named)  # noqa: PTH118
    for start in (os.path.abspath(root), os.path.realpath(root)):  # noqa: PTH100
        for path in files:
            inside = os.path.relpath(path, start)
            if not (inside == os.curdir or inside == os.pardir or inside.startswith(os.pardir + os.sep)):
                return inside.replace(os.sep, "/")
    return file
