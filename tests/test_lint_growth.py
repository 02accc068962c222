"""Slow on purpose (issue 13): no input makes lint do more than ~n log n work.

A list of 20,000 tags that are lists and mappings took over two minutes: jsonschema's
uniqueItems compares every pair of such items. Each test here doubles a hostile input and
checks that the time to lint it roughly doubles too: a quadratic path quadruples it. Time
ratios, not absolute times, so the tests hold on a slow or busy machine.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from journeymaps.lint import Inputs, lint
from journeymaps.settings import Settings

Files = dict[Path, bytes]
ROOT = Path("/nonexistent/project")  # nothing is read from disk: the bytes are given


def _one(name: str, text: str) -> Files:
    return {ROOT / "maps" / name: text.encode()}


def mixed_tags(n: int) -> Files:
    """The issue's reproducer: tags: [[0], {a: 1}, [2], ...]."""
    items = ", ".join(f"[{i}]" if i % 2 == 0 else f"{{a: {i}}}" for i in range(n))
    return _one("tags.yaml", f"id: a\ntitle: t\nstages: [{{id: s, name: n}}]\ntags: [{items}]\n")


def stages_pointing_nowhere(n: int) -> Files:
    """Each unknown `next` looked for a 'did you mean' among all n stage ids."""
    stages = "".join(f"  - {{id: s{i}, name: n, next: [s{i}x]}}\n" for i in range(n))
    return _one("stages.yaml", "id: a\ntitle: t\nstages:\n" + stages)


def suppressions(n: int) -> Files:
    """Each suppression walked the whole node tree, and each finding tried every one."""
    stages = "".join(
        f"  # journeymaps: ignore[missing-owner] legacy\n  - {{id: s{i}, name: n}}\n" for i in range(n)
    )
    return _one("suppressed.yaml", "id: a\ntitle: t\nstages:\n" + stages)


def unknown_addresses(n: int) -> Files:
    """Opportunities addressing pain points that do not exist, with ids close to real ones."""
    pains = "".join(f"  - {{id: p{i}, at: s, kind: process, summary: x}}\n" for i in range(min(n, 500)))
    opportunities = "".join(
        f"  - {{id: o{i}, believe: b, will: w, addresses: [p{i}x, p{i}y]}}\n" for i in range(n)
    )
    return _one(
        "addresses.yaml",
        "id: a\ntitle: t\nstages: [{id: s, name: n}]\npain_points:\n"
        + pains
        + "opportunities:\n"
        + opportunities,
    )


def maps_based_on_nothing(n: int) -> Files:
    """n maps, each based on a map that does not exist, with an id close to an existing one."""
    return {
        ROOT / "maps" / f"m{i:05d}.yaml": (
            f"id: map-{i:05d}\ntitle: t\nstate: future\nbased_on: map-{i:05d}-x\nstages: [{{id: s, name: n}}]\n"
        ).encode()
        for i in range(n)
    }


def unknown_keys(n: int) -> Files:
    """Each unknown key composed the whole file again to word its hint (4,000 keys: minutes)."""
    keys = "".join(f"k{i}: 1\n" for i in range(n))
    return _one("keys.yaml", "id: m\ntitle: t\nstages: []\n" + keys)


def unknown_keys_in_flow(n: int) -> Files:
    """The same in one flow mapping, where the hint looks for the comma trap."""
    keys = ", ".join(f"k{i}: v" for i in range(n))
    return _one("flow.yaml", f"id: m\ntitle: t\nstages: [{{id: s, name: n, {keys}}}]\n")


def unused_suppressions(n: int) -> Files:
    """Each finding without ids (here an unused suppression) split the whole file into lines
    again for its fingerprint: 4,000 took 13 s."""
    body = "".join(f"# journeymaps: ignore[missing-owner] r\nx-k{i}: 1\n" for i in range(n))
    return _one("unused.yaml", "id: m\ntitle: t\nowner: s\nstages: [{id: s, name: n}]\n" + body)


def duplicate_keys(n: int) -> Files:
    """The same with a duplicate key per line, in a file of long lines (10,000: 13.6 s)."""
    body = "".join(f"x-k: {'v' * 90}\n" for _ in range(n))
    return _one("duplicates.yaml", "id: m\ntitle: t\nowner: s\nstages: [{id: s, name: n}]\n" + body)


def controls_in_comments(n: int) -> Files:
    """Each direction control in a comment was looked for among every key and value of the
    file (3,000 lines: 5 s)."""
    body = "".join(f'x-k{i}: "a \u2067 b"  # c \u202e\n' for i in range(n))
    return _one("controls.yaml", "id: m\ntitle: t\nowner: s\nstages: [{id: s, name: n}]\n" + body)


def _lint_time(files: Files) -> float:
    """CPU time of this process, with the cyclic collector paused: wall time counted the
    other test worker and every other process on a busy machine (CI saw 3.4x on a linear
    path at load average 9), and a full collection landing in one run but not the other
    is not lint's work."""
    paths = sorted(files)
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        lint(paths, Settings(root=ROOT), dt.date(2026, 11, 22), ROOT, inputs=Inputs(paths, paths, files))
        return time.process_time() - started
    finally:
        gc.enable()


def growth(make: Callable[[int], Files], n: int, budget: float = 20.0) -> float:
    """time(2n) / time(n), the best of three runs each (a run that takes longer than
    ``budget`` is not repeated: it already says enough)."""

    def best(files: Files) -> float:
        times = [_lint_time(files)]
        while len(times) < 3 and sum(times) < budget:
            times.append(_lint_time(files))
        return min(times)

    small, large = make(n), make(2 * n)
    _lint_time(small)  # warm up: imports, compiled schemas
    return best(large) / best(small)


@pytest.mark.parametrize(
    ("make", "n"),
    [
        (mixed_tags, 4000),
        (stages_pointing_nowhere, 2000),
        (suppressions, 2000),
        (unknown_addresses, 2000),
        (unknown_keys, 1000),
        (unknown_keys_in_flow, 1000),
        (unused_suppressions, 2000),
        (duplicate_keys, 4000),
        (controls_in_comments, 4000),
        # From 2,000: between 1,000 and 2,000 maps the time steps up once (memory first
        # touched; 3.3x in one CI run, 1.9x from 2,000 to 4,000 on the same machine).
        (maps_based_on_nothing, 2000),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_twice_the_input_is_about_twice_the_time(make: Callable[[int], Files], n: int) -> None:
    """A quadratic path takes ~4x every time; a linear one measured over 3x by a one-off
    (another process, the allocator) is measured again, up to three times in all."""
    ratios = []
    while len(ratios) < 3 and (not ratios or ratios[-1] >= 3.0):
        ratios.append(growth(make, n))
    assert ratios[-1] < 3.0, f"{make.__name__}: {2 * n} took {ratios}x the time of {n}"


def test_the_reproducer_is_reported_in_a_bounded_way() -> None:
    """What the user sees for the 20,000 tags: the list is too long, and the first items that
    are not text; not 20,000 findings."""
    files = mixed_tags(20_000)
    paths = sorted(files)
    report = lint(paths, Settings(root=ROOT), dt.date(2026, 11, 22), ROOT, inputs=Inputs(paths, paths, files))
    messages = [d.message for d in report.diagnostics if d.rule == "schema"]
    assert "tags: too many items (20,000; at most 50)" in messages
    assert len(messages) <= 60
