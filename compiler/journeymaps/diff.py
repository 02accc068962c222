"""``journeymaps diff``: what a change means for the journeys, not a YAML diff.

Both sides are linted in full, then compared by id: maps, stages, steps, owners, emotion,
pain points, opportunities, evidence and findings.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymaps.diagnostics import Diagnostic
from journeymaps.diagrams.render import DEFAULT_RENDERER
from journeymaps.lint import Report, lint
from journeymaps.measure.changes import measure_changes
from journeymaps.model import Map, Stage, Step
from journeymaps.reporters.json_format import finding as json_finding
from journeymaps.settings import Settings


class DiffError(Exception):
    """A side of the comparison cannot be read (unknown revision, no git)."""


@dataclass
class MapChange:
    """What changed in one map that exists on both sides."""

    map_id: str
    title: str
    changes: list[str] = field(default_factory=list)
    old: Map | None = None
    new: Map | None = None


def touched(old: Map, new: Map) -> tuple[frozenset[str], frozenset[str]]:
    """Stage ids and step refs a change touched: (on the old side, on the new side)."""
    before: set[str] = set()
    after: set[str] = set()
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    for sid in old_stages.keys() | new_stages.keys():
        a, b = old_stages.get(sid), new_stages.get(sid)
        if (
            a is None
            or b is None
            or (a.name, a.index, a.owner, a.emotion, len(a.evidence))
            != (b.name, b.index, b.owner, b.emotion, len(b.evidence))
        ):
            if a is not None:
                before.add(sid)
            if b is not None:
                after.add(sid)
    old_steps = {st.ref: st for st in old.steps()}
    new_steps = {st.ref: st for st in new.steps()}
    for ref in old_steps.keys() | new_steps.keys():
        x, y = old_steps.get(ref), new_steps.get(ref)
        if (
            x is None
            or y is None
            or (x.name, x.owner, x.emotion, x.lane) != (y.name, y.owner, y.emotion, y.lane)
        ):
            if x is not None:
                before.add(ref)
            if y is not None:
                after.add(ref)
    return frozenset(before), frozenset(after)


@dataclass
class Comparison:
    base: str
    head: str
    added: list[Map]
    removed: list[Map]
    changed: list[MapChange]
    introduced: list[Diagnostic]
    fixed: list[Diagnostic]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.introduced or self.fixed)


def _emotion(value: int | None) -> str:
    return "none" if value is None else f"{value:+d}" if value else "0"


def _owner_and_emotion(kind: str, before: Stage | Step, after: Stage | Step) -> list[str]:
    """The owner and emotion changes of a stage or a step, in the same words for both."""
    out = []
    if before.owner != after.owner:
        out.append(f'owner of {kind} "{after.name}": {before.owner or "none"} → {after.owner or "none"}')
    if before.emotion != after.emotion:
        out.append(
            f'emotion at {kind} "{after.name}": {_emotion(before.emotion)} → {_emotion(after.emotion)}'
        )
    return out


def compare_maps(old: Map, new: Map, today: dt.date, max_age: int) -> list[str]:
    """Plain sentences, in journey order, of what changed between two versions of a map."""
    out: list[str] = []
    if old.title != new.title:
        out.append(f'title: "{old.title}" → "{new.title}"')
    if old.owner != new.owner:
        out.append(f"map owner: {old.owner or 'none'} → {new.owner or 'none'}")
    if old.state != new.state:
        out.append(f"state: {old.state} → {new.state}")
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    for s in new.stages:
        before = old_stages.get(s.id)
        if before is None:
            out.append(f'stage added: "{s.name}" ({s.id}) at position {s.index + 1}')
            continue
        if before.name != s.name:
            out.append(f'stage renamed: "{before.name}" → "{s.name}" ({s.id})')
        if before.index != s.index:
            out.append(f'stage moved: "{s.name}" from position {before.index + 1} to {s.index + 1}')
        out.extend(_owner_and_emotion("stage", before, s))
        if len(s.evidence) > len(before.evidence):
            out.append(f'evidence added to stage "{s.name}" ({len(before.evidence)} → {len(s.evidence)})')
        elif len(s.evidence) < len(before.evidence):
            out.append(f'evidence removed from stage "{s.name}" ({len(before.evidence)} → {len(s.evidence)})')
    for s in old.stages:
        if s.id not in new_stages:
            out.append(f'stage removed: "{s.name}" ({s.id})')
    old_steps = {st.ref: st for st in old.steps()}
    new_steps = {st.ref: st for st in new.steps()}
    old_by_id = {st.id: st for st in old.steps()}
    for ref, st in new_steps.items():
        prev = old_steps.get(ref)
        if prev is None:
            moved = old_by_id.get(st.id)
            if moved is not None and moved.ref not in new_steps:
                out.append(f'step moved: "{st.name}" from stage {moved.stage_id} to {st.stage_id}')
            else:
                out.append(f'step added: "{st.name}" ({ref})')
            continue
        if prev.name != st.name:
            out.append(f'step renamed: "{prev.name}" → "{st.name}" ({ref})')
        out.extend(_owner_and_emotion("step", prev, st))
        if prev.lane != st.lane:
            out.append(f'step "{st.name}" moved lane: {prev.lane} → {st.lane}')
    new_ids = {st.id for st in new.steps()}
    for ref, st in old_steps.items():
        if ref not in new_steps and st.id not in new_ids:
            out.append(f'step removed: "{st.name}" ({ref})')
    old_pains = {p.id: p for p in old.pain_points}
    new_pains = {p.id: p for p in new.pain_points}
    for pid, p in new_pains.items():
        if pid not in old_pains:
            out.append(f'pain point added: "{p.summary}" ({p.kind}, severity {p.severity or "?"})')
        elif (old_pains[pid].severity, old_pains[pid].volume) != (p.severity, p.volume):
            b = old_pains[pid]
            out.append(
                f'pain point "{p.summary}": severity {b.severity} → {p.severity}, '
                f"volume {b.volume} → {p.volume}"
            )
    for pid, p in old_pains.items():
        if pid not in new_pains:
            out.append(f'pain point resolved (removed): "{p.summary}"')
    old_opps = {o.id: o for o in old.opportunities}
    for o in new.opportunities:
        before_o = old_opps.get(o.id)
        if before_o is None:
            out.append(f'opportunity added: "{o.believe}" ({o.status}, owner {o.owner or "none"})')
            continue
        if before_o.status != o.status:
            out.append(f'opportunity "{o.believe}": {before_o.status} → {o.status}')
        if before_o.owner != o.owner:
            out.append(
                f'owner of opportunity "{o.believe}": {before_o.owner or "none"} → {o.owner or "none"}'
            )
        if before_o.due != o.due:
            out.append(f'opportunity "{o.believe}" due: {before_o.due or "none"} → {o.due or "none"}')
    new_opps = {o.id for o in new.opportunities}
    for oid, o in old_opps.items():
        if oid not in new_opps:
            out.append(f'opportunity removed: "{o.believe}"')
    old_stale = _stale_evidence(old, today, max_age)
    new_stale = _stale_evidence(new, today, max_age)
    if new_stale > old_stale:
        out.append(f"evidence gone stale: {new_stale - old_stale} more source(s) older than {max_age} days")
    if old.reviewed != new.reviewed:
        out.append(f"reviewed: {old.reviewed or 'never'} → {new.reviewed or 'never'}")
    return out


def _stale_evidence(m: Map, today: dt.date, max_age: int) -> int:
    from journeymaps.rules.evidence import all_evidence

    return sum(1 for e in all_evidence(m) if e.as_of is not None and (today - e.as_of).days > max_age)


def compare(
    base: Report,
    head: Report,
    base_name: str,
    head_name: str,
    today: dt.date,
    settings: Settings,
    snapshots: tuple[dict[str, Any], dict[str, Any]] = ({}, {}),
) -> Comparison:
    assert base.project is not None and head.project is not None
    old = {m.id: m for m in base.project.maps}
    new = {m.id: m for m in head.project.maps}
    changed = []
    for map_id in sorted(old.keys() & new.keys()):
        sentences = compare_maps(old[map_id], new[map_id], today, settings.evidence_max_age_days)
        sentences += measure_changes(
            old[map_id], new[map_id], snapshots[0].get(map_id), snapshots[1].get(map_id), settings.sources
        )
        if sentences:
            changed.append(MapChange(map_id, new[map_id].title, sentences, old[map_id], new[map_id]))
    before = {d.fingerprint: d for d in base.diagnostics}
    after = {d.fingerprint: d for d in head.diagnostics}
    return Comparison(
        base_name,
        head_name,
        added=[new[i] for i in sorted(new.keys() - old.keys())],
        removed=[old[i] for i in sorted(old.keys() - new.keys())],
        changed=changed,
        introduced=[d for k, d in after.items() if k not in before],
        fixed=[d for k, d in before.items() if k not in after],
    )


@contextmanager
def checkout(spec: str, maps_rel: list[str], repo: Path) -> Iterator[Path]:
    """A folder holding ``spec``: itself when it is a folder, else the git revision's files."""
    as_path = Path(spec)
    if as_path.is_dir():
        yield as_path
        return
    tmp = Path(tempfile.mkdtemp(prefix="journeymaps-diff-"))
    try:
        proc = subprocess.run(
            ["git", "archive", "--format=tar", spec, "--", *maps_rel],
            cwd=repo,
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DiffError(f"{spec}: {message[0] if message else 'not a folder or a git revision'}")
        archive = tmp / "rev.tar"
        archive.write_bytes(proc.stdout)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp / "tree", filter="data")
        yield tmp / "tree"
    except FileNotFoundError:
        raise DiffError("comparing git revisions needs git on PATH") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(base: str, head: str | None, settings: Settings, cwd: Path, today: dt.date) -> Comparison:
    """Lint both sides and compare them; ``head`` None is the working tree."""
    rel = [
        r.relative_to(settings.root).as_posix() if r.is_relative_to(settings.root) else str(r)
        for r in settings.roots()
    ]
    metrics = settings.measure.metrics  # the snapshots come along, for KPI and volume changes
    with checkout(base, [*rel, *_present(base, [metrics], cwd)], cwd) as base_dir:
        base_report = _lint_side(base_dir, settings, rel, today)
        base_snaps = _snapshots(base_report, base_dir / metrics)
        if head is None:
            head_report = lint([r for r in settings.roots() if r.exists()], settings, today, cwd)
            head_snaps = _snapshots(head_report, settings.root / metrics)
        else:
            with checkout(head, [*rel, *_present(head, [metrics], cwd)], cwd) as head_dir:
                head_report = _lint_side(head_dir, settings, rel, today)
                head_snaps = _snapshots(head_report, head_dir / metrics)
    return compare(
        base_report, head_report, base, head or "working tree", today, settings, (base_snaps, head_snaps)
    )


def _present(spec: str, paths: list[str], repo: Path) -> list[str]:
    """The paths a git revision holds (git archive fails on a missing one); all for a folder."""
    if Path(spec).is_dir():
        return paths
    return [
        p
        for p in paths
        if subprocess.run(
            ["git", "cat-file", "-e", f"{spec}:{p}"], cwd=repo, capture_output=True, check=False
        ).returncode
        == 0
    ]


def _snapshots(report: Report, folder: Path) -> dict[str, Any]:
    """The measured snapshots of a side's maps, read while its files exist."""
    from journeymaps.measure import snapshot

    assert report.project is not None
    found = {m.id: snapshot.load(folder, m.id) for m in report.project.maps}
    return {k: v for k, v in found.items() if v is not None}


def _lint_side(folder: Path, settings: Settings, rel: list[str], today: dt.date) -> Report:
    from dataclasses import replace

    roots = [folder / r for r in rel if (folder / r).exists()] or [folder]
    side = replace(settings, root=folder)
    return lint(roots, side, today, folder)


def markdown(c: Comparison) -> str:
    """A pull-request comment: a short summary first, the details collapsible."""
    lines = [f"### Journey maps: {c.base} → {c.head}", ""]
    if c.empty:
        return "\n".join([*lines, "No change to any journey map."]) + "\n"
    summary = []
    if c.added:
        summary.append(f"**{len(c.added)} map(s) added**")
    if c.removed:
        summary.append(f"**{len(c.removed)} map(s) removed**")
    if c.changed:
        summary.append(f"{len(c.changed)} map(s) changed")
    summary.append(f"findings: {len(c.introduced)} introduced, {len(c.fixed)} fixed")
    lines += [" · ".join(summary), ""]
    for m in c.added:
        lines.append(f"- added: **{_md(m.title)}** (`{m.id}`, {m.state} state, {len(m.stages)} stages)")
    for m in c.removed:
        lines.append(f"- removed: **{_md(m.title)}** (`{m.id}`)")
    for ch in c.changed:
        lines += [
            "",
            f"<details><summary><b>{_md(ch.title)}</b> (<code>{ch.map_id}</code>): "
            f"{len(ch.changes)} change(s)</summary>",
            "",
        ]
        lines += [f"- {_md(s)}" for s in ch.changes]
        lines += ["", "</details>"]
    for title, found in (("Findings introduced", c.introduced), ("Findings fixed", c.fixed)):
        if found:
            lines += ["", f"<details><summary>{title} ({len(found)})</summary>", ""]
            lines += [f"- `{d.code}` {d.rule}: {_md(d.message)} ({d.file}:{d.line})" for d in found]
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def write_site(c: Comparison, out: Path, renderer: str = DEFAULT_RENDERER) -> None:
    """Before and after journey diagrams of every changed map, with what changed highlighted."""
    from journeymaps.diagrams import Diagram, RenderError, describe, to_svg
    from journeymaps.diagrams import journey as journey_view
    from journeymaps.site.build import environment, templates_dir
    from journeymaps.site.staging import MARKER, replace_folder

    files: dict[str, bytes] = {}

    def draw(m: Map, side: str, marks: frozenset[str]) -> str | None:
        d = Diagram(
            "journey",
            m.id,
            f"Journey of {m.title} ({side})",
            describe("journey", m),
            journey_view.build(m, marks).source,
        )
        try:
            files[f"{m.id}.{side}.svg"] = to_svg(d, renderer)
        except RenderError:
            return None
        return f"{m.id}.{side}.svg"

    entries = []
    for ch in c.changed:
        assert ch.old is not None and ch.new is not None
        was, now = touched(ch.old, ch.new)
        entries.append(
            {
                "title": ch.title,
                "id": ch.map_id,
                "changes": ch.changes,
                "kind": "changed",
                "before": draw(ch.old, "before", was),
                "after": draw(ch.new, "after", now),
            }
        )
    for m in c.added:
        everything = frozenset({s.id for s in m.stages} | {st.ref for st in m.steps()})
        entries.append(
            {
                "title": m.title,
                "id": m.id,
                "changes": ["map added"],
                "kind": "added",
                "before": None,
                "after": draw(m, "after", everything),
            }
        )
    for m in c.removed:
        entries.append(
            {
                "title": m.title,
                "id": m.id,
                "changes": ["map removed"],
                "kind": "removed",
                "before": draw(m, "before", frozenset()),
                "after": None,
            }
        )
    files["index.html"] = environment().get_template("diff.html").render(c=c, entries=entries).encode()
    files["style.css"] = (templates_dir() / "static" / "style.css").read_bytes()
    files[MARKER] = b"{}\n"
    replace_folder(out, files)


def _md(text: str) -> str:
    """Text safe inside Markdown and the HTML a PR comment allows."""
    import html

    return html.escape(text, quote=False).replace("|", "\\|").replace("`", "'").replace("\n", " ")


def as_json(c: Comparison) -> dict[str, Any]:
    def finding(d: Diagnostic) -> dict[str, Any]:
        return {**json_finding(d), "fingerprint": d.fingerprint}

    return {
        "version": 1,
        "base": c.base,
        "head": c.head,
        "maps_added": [{"id": m.id, "title": m.title} for m in c.added],
        "maps_removed": [{"id": m.id, "title": m.title} for m in c.removed],
        "maps_changed": [{"id": ch.map_id, "title": ch.title, "changes": ch.changes} for ch in c.changed],
        "findings_introduced": [finding(d) for d in c.introduced],
        "findings_fixed": [finding(d) for d in c.fixed],
    }


def text(c: Comparison) -> str:
    if c.empty:
        return f"No change to any journey map between {c.base} and {c.head}.\n"
    out = [f"Journey maps: {c.base} -> {c.head}"]
    out += [f"+ map added: {m.title} ({m.id})" for m in c.added]
    out += [f"- map removed: {m.title} ({m.id})" for m in c.removed]
    for ch in c.changed:
        out.append(f"~ {ch.title} ({ch.map_id})")
        out += [f"    {s}" for s in ch.changes]
    out += [f"! introduced: {d.file}:{d.line}: {d.code} [{d.rule}] {d.message}" for d in c.introduced]
    out += [f"✓ fixed: {d.file}: {d.code} [{d.rule}] {d.message}" for d in c.fixed]
    return "\n".join(out) + "\n"
