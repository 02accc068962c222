"""``journeymaps lint`` of a large project starts from the files its last lint parsed (issue 18).

The pre-commit hook lints the files a commit changes in the context of the whole project (the
cross-map rules need every map): in a project of 1,000 maps it parsed them all at every commit,
~1.5 s of its ~2 s. Each lint of a project of :data:`KEEP_PARSED_FROM` files or more now keeps
the files it parsed and validated in the cache (:mod:`journeymaps.sources_kept`), and the next
lint parses only the files whose bytes changed since they were kept. Its findings are those of a lint that parses
everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import PARSED_HOOK, jm
from journeymaps.lint_command import KEEP_PARSED_FROM
from journeymaps.loader import Source, load, parse
from journeymaps.project import ContentKey
from journeymaps.sources_kept import LINT, REWRITE_SHARE, KeptSources, decoded, encoded

FIXTURE = Path(__file__).parent / "site" / "fixture"


def _project(tmp_path: Path, maps: int = KEEP_PARSED_FROM) -> Path:
    """A project of ``maps`` maps (the fixture's, each its own id) and its teams.yaml."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    text = (project / "maps" / "refund.yaml").read_text("utf-8")
    (project / "maps" / "refund.yaml").unlink()
    for i in range(maps):
        # every third map names no owner for its first stage: findings in files nobody named
        mine = text.replace("id: refund", f"id: refund-{i}", 1)
        if i % 3 == 0:
            mine = mine.replace("    owner: support\n", "", 1)
        (project / "maps" / f"refund-{i:03}.yaml").write_text(mine, "utf-8")
    return project


class _Linting:
    """``journeymaps lint ARGS`` in ``project``, as a user runs it, each file it parses
    logged (a ``sitecustomize`` on ``PYTHONPATH``: the real command, not a call of ours)."""

    def __init__(self, tmp_path: Path, project: Path) -> None:
        self.project = project
        self.cache = tmp_path / "cache"
        hook = tmp_path / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(PARSED_HOOK, "utf-8")
        self.log = tmp_path / "parsed"
        self.env = {
            "JOURNEYMAPS_CACHE": str(self.cache),
            "PYTHONPATH": str(hook),
            "PARSED_LOG": str(self.log),
        }

    def __call__(self, *args: str, stdin: str | None = None, cache: bool = True) -> tuple[str, set[str]]:
        """Its output and the names of the files it parsed."""
        self.log.unlink(missing_ok=True)
        env = self.env if cache else {**self.env, "JOURNEYMAPS_CACHE": str(self.cache.parent / "elsewhere")}
        result = jm(self.project, "lint", *args, env=env, stdin=stdin)
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        parsed = set(self.log.read_text("utf-8").split()) if self.log.exists() else set()
        return result.stdout, parsed


def test_a_second_lint_parses_only_the_file_a_commit_changed(tmp_path: Path) -> None:
    """The hook's lint of one file: the first parses every file of the project, the next ones
    only the file edited, and each reports what a lint without the kept files reports
    (findings in the maps nobody named included, as the hook's context lint does)."""
    project = _project(tmp_path)
    lint = _Linting(tmp_path, project)
    every = {f"refund-{i:03}.yaml" for i in range(KEEP_PARSED_FROM)} | {"teams.yaml"}

    first, parsed = lint("maps/refund-007.yaml")
    assert parsed == every
    again, parsed = lint("maps/refund-007.yaml")
    assert parsed == set()
    assert again == first

    edited = project / "maps" / "refund-003.yaml"
    edited.write_text(
        edited.read_text("utf-8").replace("  - id: contact\n", "  - id: contact\n    owner: nobody\n", 1)
    )
    after, parsed = lint("maps/refund-003.yaml")
    assert parsed == {"refund-003.yaml"}
    fresh, _ = lint("maps/refund-003.yaml", cache=False)
    assert after == fresh
    assert "refund-003.yaml" in after and "unknown-team" in after  # the edit is what it judged

    # One file edited is parsed again by each lint (rewriting the kept file would cost more)
    # until one file in REWRITE_SHARE is new: then the kept file is rewritten.
    whole, parsed = lint()
    assert parsed == {"refund-003.yaml"}
    assert whole == lint(cache=False)[0]
    more = [
        project / "maps" / f"refund-{i:03}.yaml" for i in range(50, 50 + KEEP_PARSED_FROM // REWRITE_SHARE)
    ]
    for path in more:
        path.write_text(path.read_text("utf-8") + "# edited\n", "utf-8")
    _, parsed = lint()
    assert parsed == {"refund-003.yaml", *(p.name for p in more)}
    again, parsed = lint()
    assert parsed == set()
    assert again == whole
    unowned = {line.split(":")[0] for line in whole.splitlines() if "[missing-owner]" in line}
    assert unowned == {f"maps/refund-{i:03}.yaml" for i in range(0, KEEP_PARSED_FROM, 3)} - {
        "maps/refund-003.yaml"
    }


def test_text_from_standard_input_is_judged_but_not_kept(tmp_path: Path) -> None:
    """An editor lints its unsaved buffer through standard input at every pause: the buffer
    is parsed and judged, the project's files are not parsed again, and the kept file is not
    rewritten for a text that is gone at the next keystroke."""
    project = _project(tmp_path)
    lint = _Linting(tmp_path, project)
    lint("maps/refund-001.yaml")
    kept = next((tmp_path / "cache" / "sources").glob(f"*.{LINT}"))
    before = kept.stat().st_mtime_ns, kept.read_bytes()

    buffer = (
        (project / "maps" / "refund-001.yaml")
        .read_text("utf-8")
        .replace("owner: support\nreviewed", "reviewed", 1)
    )
    out, parsed = lint("--stdin-filename", "maps/refund-001.yaml", "-", stdin=buffer)
    assert parsed == {"refund-001.yaml"}
    assert "refund-001.yaml" in out and "missing-owner" in out
    assert (kept.stat().st_mtime_ns, kept.read_bytes()) == before

    # and the file on disk is still the one kept: nothing parsed
    _, parsed = lint("maps/refund-001.yaml")
    assert parsed == set()


def test_a_small_project_keeps_nothing(tmp_path: Path) -> None:
    """Below KEEP_PARSED_FROM files a lint parses its files faster than it would read and write
    the kept ones: nothing is written, and every lint parses every file."""
    project = _project(tmp_path, maps=KEEP_PARSED_FROM - 2)  # and teams.yaml: one file short
    lint = _Linting(tmp_path, project)
    lint("maps/refund-001.yaml")
    _, parsed = lint("maps/refund-001.yaml")
    assert len(parsed) == KEEP_PARSED_FROM - 1
    assert not (tmp_path / "cache" / "sources").exists()


def test_kept_files_planted_for_the_project_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pickle put where the project's kept files go, unsealed (a restored or planted cache):
    it is not unpickled (the code it would run leaves no marker), every file is parsed, and
    the findings are a clean lint's."""
    project = _project(tmp_path)
    lint = _Linting(tmp_path, project)
    clean, _ = lint("maps/refund-001.yaml", cache=False)
    marker = tmp_path / "ran"

    class _Runs:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(marker),))

    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(lint.cache))
    target = KeptSources(project, LINT).path
    target.parent.mkdir(parents=True)
    target.write_bytes(pickle.dumps({("x", "y", "z"): _Runs()}))
    target.chmod(0o600)

    out, parsed = lint("maps/refund-001.yaml")
    assert not marker.exists()
    assert len(parsed) == KEEP_PARSED_FROM + 1
    assert out == clean


def test_each_kept_file_reads_back_as_it_was_parsed(tmp_path: Path) -> None:
    """The next run starts from what the kept file holds, not from the files: each file's
    data, where each value was written (a finding's line and column), its problems (a
    duplicate key, a file that does not parse), the controls it hid, and data of a type
    the kept file's format cannot hold as it is, read back equal."""
    texts = {
        "plain.yaml": "id: a\ntitle: A map\nstages:\n  - id: s\n    name: Sign up\n",
        "twice.yaml": "id: b\ntitle: B\nid: c\n",
        "hidden.yaml": 'id: d\ntitle: "over\\u202ehere"\n',
        "broken.yaml": "id: [\n",
    }
    sources: dict[ContentKey, Source] = {}
    for name, text in texts.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        src = load(path, name)
        parse(src)
        sources[(str(path), name, f"digest of {name}")] = src
    plain = sources[(str(tmp_path / "plain.yaml"), "plain.yaml", "digest of plain.yaml")]
    odd = dataclasses.replace(plain, data={"when": dt.date(2026, 12, 7), "ids": {"a", "b"}})
    sources[("odd", "odd.yaml", "digest of odd.yaml")] = odd

    back = decoded(encoded(sources))

    assert back == sources
    assert list(back) == list(sources)
    twice, hidden, broken = (back[key] for key in list(sources)[1:4])
    assert twice.problems and "duplicate key 'id'" in twice.problems[0].message
    assert hidden.hidden and hidden.hidden[0].control == "\u202e"
    assert broken.positions is None and broken.problems
    again = back[(str(tmp_path / "plain.yaml"), "plain.yaml", "digest of plain.yaml")]
    assert again.span(("stages", 0, "name")) == plain.span(("stages", 0, "name")) != again.span(("title",))
    assert back[("odd", "odd.yaml", "digest of odd.yaml")].data == {
        "when": dt.date(2026, 12, 7),
        "ids": {"a", "b"},
    }
