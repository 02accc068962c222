"""The test environment's lock (requirements/ci.txt) matches pyproject.toml: a dependency
added to pyproject.toml without running scripts/lock would otherwise be installed by nobody
in CI, or a range tightened there would be ignored."""

from __future__ import annotations

import re
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def pins() -> dict[str, list[str]]:
    """Every pinned name with its versions (one per Python marker)."""
    found: dict[str, list[str]] = {}
    for line in (ROOT / "requirements" / "ci.txt").read_text("utf-8").splitlines():
        m = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\]+)", line)
        if m:
            found.setdefault(canonicalize_name(m[1]), []).append(m[2])
    return found


def test_every_dependency_and_test_extra_is_locked_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = pins()
    problems = []
    for text in wanted:
        req = Requirement(text)
        versions = locked.get(canonicalize_name(req.name))
        if not versions:
            problems.append(f"{req.name} is not in requirements/ci.txt")
        elif not any(req.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{req.name} {versions} is outside {req.specifier}")
    assert not problems, "run scripts/lock and commit requirements/ci.txt:\n" + "\n".join(problems)


def test_every_pin_has_hashes() -> None:
    text = (ROOT / "requirements" / "ci.txt").read_text("utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    unhashed = [b.split()[0] for b in blocks if "==" in b.split("\n", 1)[0] and "--hash=sha256:" not in b]
    assert not unhashed, unhashed
