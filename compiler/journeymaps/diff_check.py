"""``journeymaps diff --check``: whether a change fails the gate, and why, in words: the
findings it introduces, and those it brings that its settings, a ``per-file-ignores`` move, a
move where the settings exclude a map or a suppression it adds would hide, or that a file
loading again would bring unseen; what is reported and not judged is said too, lest the log
read as a plain pass."""

from __future__ import annotations

from journeymaps.comparison import STILL_BROKEN, Comparison, MapDiff
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.reporters.base import plural
from journeymaps.suppression_changes import ends_words


def verdict(comparison: Comparison, strict: bool) -> tuple[list[str], bool]:
    """What ``--check`` says of the change, a line each, and whether it fails; ``strict``: a
    warning introduced fails too."""
    failing = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)
    bad = [d for d in comparison.introduced if d.severity in failing]
    silenced = comparison.settings.silenced if comparison.settings is not None else []
    hidden = [s.finding for s in silenced if s.new and s.moved is None and s.finding.severity in failing]
    moved = [s.finding for s in silenced if s.new and s.moved is not None and s.finding.severity in failing]
    unvetted = [d for d in comparison.unvetted if d.severity in failing]
    concealed = [d for d in comparison.suppressed_new if d.severity in failing]

    def counted(found: list[Diagnostic]) -> str:
        counts = [(sum(1 for d in found if d.severity is s), s.value) for s in failing]
        return " and ".join(plural(n, word) for n, word in counts if n)

    said: list[str] = []
    if bad:
        said.append(f"journeymaps diff --check: the change introduces {counted(bad)}")
    if unvetted:
        said.append(
            f"journeymaps diff --check: a file that loads again has {counted(unvetted)} the base "
            "could not show (the file did not load there), judged as introduced"
        )
    if hidden and comparison.settings is not None:
        # Judged by the rules it was made under: a deliberate rule change passes on its
        # own (what it hides is only reported), not together with the errors it hides.
        said.append(
            f"journeymaps diff --check: the change to {comparison.settings.file} silences "
            f"{counted(hidden)} it brings, judged as introduced; to change the rules "
            "deliberately, change the settings in a change of their own"
        )
    if moved and comparison.settings is not None:
        # As a rule turned off: a map moved under an ignore on its own (with the errors it
        # had) is only reported; moved with new errors, those are the change's.
        said.append(
            f"journeymaps diff --check: {comparison.settings.file}'s per-file-ignores hide "
            f"{counted(moved)} the change brings in the maps it moves under them, judged as "
            "introduced; to move a map under an ignore, move it in a change of its own"
        )
    if concealed:
        # As a settings change: a suppression added on its own hides what the base had
        # (reported only); added with the errors it hides, those are the change's.
        said.append(
            f"journeymaps diff --check: suppression comments the change adds hide "
            f"{counted(concealed)} it brings, judged as introduced; to suppress findings the "
            "base already has, add the suppression in a change of its own"
        )
    if kept := [h.finding for h in comparison.suppressed_in_base if h.new and h.finding.severity in failing]:
        # Not a failure: the suppression was reviewed when it landed (as a rule off on both
        # sides), but a log reading as a plain pass would hide that new errors are under it.
        said.append(
            f"journeymaps diff --check: suppressions {comparison.said(False)} has too hide "
            f"{counted(kept)} new in this change: reported, not judged (the suppression was "
            "in the base)"
        )
    retargeted = [h for h in comparison.suppressed_in_base if h.retargeted and h.finding.severity in failing]
    if aimed := [h.finding for h in retargeted]:
        # The base's finding, hidden there too; but the handoff it is about goes elsewhere
        # now, and the suppression's reason was written for where it went.
        said.append(
            f"journeymaps diff --check: a suppression {comparison.said(False)} has too now hides "
            f"{counted(aimed)} about a handoff the change {ends_words(retargeted)}: reported, not "
            "judged (the suppression was in the base)"
        )
    movers = [md for md in comparison.moved_out() if any(d.severity in failing for d in md.excluded_new)]
    if brought := [d for md in movers for d in md.excluded_new if d.severity in failing]:
        # As a map moved under a per-file-ignores pattern: moved alone (with the errors it
        # had) it is only reported; edited in the move, what the edit brings is the change's.
        # Where the errors are: a copy of the map beside its edited move took the move's name.
        listed = ", ".join(f"{md.map_id}, now at {_brought_at(md, failing)}" for md in movers[:3])
        said.append(
            f"journeymaps diff --check: {counted(brought)} the change brings in "
            f"{plural(len(movers), 'map')} it moves where the settings exclude "
            f"{'it' if len(movers) == 1 else 'them'} ({listed}{', ...' if len(movers) > 3 else ''}), "
            "judged as introduced; to move a map where the settings exclude it, move it in a change "
            "of its own (or fix the errors first)"
        )
    if left := comparison.moved_out():
        # Not a failure (as a deleted map), but the map is still in the change, where no
        # check reads it: a log reading as a pass would let its findings pass as fixed.
        listed = ", ".join(f"{md.map_id}, now at {md.excluded_as}" for md in left[:3])
        findings = plural(sum(len(md.gone) for md in left), "finding")
        said.append(
            f"journeymaps diff --check: {plural(len(left), 'map')} moved where the settings exclude "
            f"{'it' if len(left) == 1 else 'them'}, out of every check ({listed}"
            f"{', ...' if len(left) > 3 else ''}): {'its' if len(left) == 1 else 'their'} {findings} "
            "are not fixed: reported, not judged"
        )
    if unchecked := comparison.having(STILL_BROKEN):
        # Not a failure (its errors are the base's too), but the log should not read as a pass.
        listed = ", ".join(md.map_id for md in unchecked[:3]) + (", ..." if len(unchecked) > 3 else "")
        them = "it" if len(unchecked) == 1 else "them"
        # Their format errors (schema, duplicate keys) are compared when both sides parse.
        what = f"nothing else in {them} was checked" if all(md.parses_both for md in unchecked) else ""
        said.append(
            f"journeymaps diff --check: {plural(len(unchecked), 'map')} edited but broken on both "
            f"sides ({listed}): "
            + (
                f"only {'its' if them == 'it' else 'their'} format errors were compared, {what}"
                if what
                else f"nothing in {them} was checked"
            )
        )
    return said, bool(bad or unvetted or hidden or moved or concealed or brought)


def _brought_at(md: MapDiff, failing: tuple[Severity, ...]) -> str:
    """The excluded files of a map moved out that have the failing findings it brings."""
    return " and ".join(sorted({d.file for d in md.excluded_new if d.severity in failing}))
