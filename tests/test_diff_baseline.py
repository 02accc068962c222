"""`journeymaps diff` says what a change does to the project's baseline: a pull request
could record its own new error in `.journeymaps-baseline.json` beside the map that brings
it, and `lint --baseline` passed while the comment said nothing of it."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from in_process import jm_here
from test_diff import diff_here, edit, git
from test_diff import repo as repo  # the fixture: the example maps, committed on main
from test_diff_restaged import measured as measured  # the fixture: with metrics snapshots
from test_diff_restaged import split_contact

BASELINE = ".journeymaps-baseline.json"


def _record(repo: Path) -> None:
    done = jm_here(repo, "baseline", "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr


def _committed_baseline(repo: Path) -> None:
    _record(repo)
    git(repo, "add", BASELINE)
    git(repo, "commit", "-qm", "baseline")


def _new_unknown_owner(repo: Path) -> None:
    edit(repo, "production-outage.yaml", "    owner: success\n", "    owner: legal\n")


def test_a_change_that_records_its_own_new_error_in_the_baseline_says_so_everywhere(
    repo: Path, tmp_path: Path
) -> None:
    _committed_baseline(repo)
    _new_unknown_owner(repo)
    assert jm_here(repo, "lint", "--baseline", BASELINE, "--today", "2026-11-22").returncode == 1
    _record(repo)  # the pull request records it: lint --baseline now passes
    assert jm_here(repo, "lint", "--baseline", BASELINE, "--today", "2026-11-22").returncode == 0

    checked = diff_here(repo, "HEAD", "--check", "--site", str(tmp_path / "review"))
    assert checked.returncode == 1, checked.stdout  # judged as ever: the baseline is not the gate
    said = [line for line in checked.stdout.splitlines() if line.startswith("! baseline: ")]
    assert len(said) == 1, checked.stdout
    assert said[0].startswith(
        f"! baseline: the baseline {BASELINE} accepts 1 more finding (1 of them new in this change): "
        "'lint --baseline' no longer shows it, and this comparison judges it as ever: "
        "unknown-team in production-outage: owner: team 'legal' is not in maps/teams.yaml"
    ), said

    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert data["summary"]["baseline_accepted"] == 1
    assert data["summary"]["baseline_dropped"] == 0
    (accepted,) = data["baseline"]["accepted"]
    assert (accepted["rule"], accepted["map"], accepted["new"]) == ("unknown-team", "production-outage", True)
    assert accepted["fingerprint"] in {f["fingerprint"] for f in data["findings_introduced"]}

    comment = diff_here(repo, "HEAD", "--format", "markdown").stdout
    assert f"- ⚠️ **Baseline**: the baseline {BASELINE} accepts 1 more finding (1 of them new" in comment
    assert "journeymaps diff: the baseline" in diff_here(repo, "HEAD", "--format", "github").stdout
    page = html.unescape((tmp_path / "review" / "index.html").read_text())
    assert '<h2 id="baseline">Baseline</h2>' in page
    assert "accepts 1 more finding (1 of them new in this change)" in page


def test_a_baseline_added_for_the_findings_already_there_is_said_and_passes_the_gate(repo: Path) -> None:
    _record(repo)
    checked = diff_here(repo, "HEAD", "--check")
    assert checked.returncode == 0, checked.stdout
    entries = json.loads((repo / BASELINE).read_text())["findings"]
    assert entries  # the example maps have findings
    assert (
        f"! baseline: this change adds the baseline {BASELINE}: it accepts {len(entries)} findings: "
        "'lint --baseline' no longer shows them"
    ) in checked.stdout
    assert "new in this change" not in checked.stdout
    assert f"; and {len(entries) - 5} more ('diff --format json' lists them all)" in checked.stdout


def test_entries_a_change_removes_from_the_baseline_are_said_shown_again(repo: Path) -> None:
    _committed_baseline(repo)
    document = json.loads((repo / BASELINE).read_text())
    gone = document["findings"].pop(0)
    (repo / BASELINE).write_text(json.dumps(document, indent=2))
    out = diff_here(repo, "HEAD").stdout
    assert (
        f"! baseline: the baseline {BASELINE} no longer accepts 1 finding: 'lint --baseline' "
        f"shows it again where it is still found: {gone['rule']} in {gone['map'] or gone['file']}"
    ) in out
    (repo / BASELINE).unlink()
    out = diff_here(repo, "HEAD").stdout
    assert (
        f"! baseline: this change deletes the baseline {BASELINE}, which accepted {len(document['findings']) + 1} findings"
        in out
    )


def test_a_baseline_alike_on_both_sides_says_nothing(repo: Path) -> None:
    _committed_baseline(repo)
    _record(repo)  # recorded again, the same findings
    assert not git(repo, "status", "--porcelain")
    done = diff_here(repo, "HEAD", "--format", "json")
    assert json.loads(done.stdout)["baseline"] is None
    assert "No change to any journey map" in diff_here(repo, "HEAD").stdout


def test_a_baseline_that_cannot_be_read_is_said_not_compared_and_a_fifo_is_never_opened(repo: Path) -> None:
    _committed_baseline(repo)
    (repo / BASELINE).write_text("{not json")
    done = diff_here(repo, "HEAD", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        f"! baseline: the baseline {BASELINE} in the working tree is not a journeymaps baseline (invalid JSON"
    ) in done.stdout
    assert "what it accepts was not compared" in done.stdout
    (repo / BASELINE).unlink()
    os.mkfifo(repo / BASELINE)  # no writer: reading it would wait forever
    done = diff_here(repo, "HEAD")
    assert done.returncode == 0, done.stderr
    assert f"the baseline {BASELINE} in the working tree is not a regular file" in done.stdout


def test_the_readmes_json_example_has_every_key_diff_writes(repo: Path) -> None:
    """The README's example of the versioned contract is what bots are written against: a
    key diff writes and the example lacks (``baseline``) is a key no bot knows of."""
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    start = readme.index('  {"version": 2, "base": "origin/main", "head": "working tree",')
    example = json.loads(readme[start : readme.index("```", start)])
    _new_unknown_owner(repo)
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert sorted(example) == sorted(data)
    assert sorted(example["summary"]) == sorted(data["summary"])
    assert sorted(example["maps"][0]) == sorted(data["maps"][0])
    assert sorted(example["changes"][0]) == sorted(data["changes"][0])


def test_an_entrys_control_characters_reach_no_format_raw(repo: Path) -> None:
    """A baseline is a file the pull request writes: an entry's escape sequence (a terminal
    title, a bell) reached the markdown comment raw."""
    _committed_baseline(repo)
    document = json.loads((repo / BASELINE).read_text())
    document["findings"].append(
        {
            "fingerprint": "f" * 32,
            "rule": "r",
            "file": "maps/x.yaml",
            "map": "x",
            "message": "a \x1b]0;t\x07 b",
        }
    )
    (repo / BASELINE).write_text(json.dumps(document))
    for fmt in ("text", "markdown", "github"):
        out = diff_here(repo, "HEAD", "--format", fmt).stdout
        assert "\x1b" not in out and "\x07" not in out, fmt
        assert "r in x: a \\x1b]0;t\\x07 b" in out, (fmt, out)


def test_a_baseline_too_large_to_compare_in_a_revision_is_said_so_not_deleted(repo: Path) -> None:
    """A revision's baseline over 64 MB was read as no baseline: "this change deletes the
    baseline, which accepted 9 findings", of a change that made it larger."""
    _committed_baseline(repo)
    with (repo / BASELINE).open("r+b") as f:  # valid JSON still, with padding after it
        f.seek(0, os.SEEK_END)
        f.write(b" " * (64 * 1024 * 1024))
    git(repo, "commit", "-qam", "a larger baseline")
    result = diff_here(repo, "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("! baseline: ")]
    assert said == [
        f"! baseline: the baseline {BASELINE} at HEAD is over 64 MB: what it accepts was not compared"
    ], result.stdout
    # the working tree's, read from the folder, in the same words
    said = [line for line in diff_here(repo, "HEAD~1").stdout.splitlines() if line.startswith("! baseline: ")]
    assert said == [
        f"! baseline: the baseline {BASELINE} in the working tree is over 64 MB: what it accepts was not "
        "compared"
    ]


def _lint_shown(repo: Path) -> set[str]:
    """The fingerprints of what `lint --baseline` shows (CI's gate), as code scanning reads them."""
    done = jm_here(repo, "lint", "--baseline", BASELINE, "--today", "2026-11-22", "--format", "sarif")
    assert done.returncode in (0, 1), done.stderr
    return {r["partialFingerprints"]["journeymaps/v2"] for r in json.loads(done.stdout)["runs"][0]["results"]}


def test_a_stage_split_that_moves_a_baselined_finding_says_lint_baseline_shows_it_again(
    measured: Path,
) -> None:
    """Before: nothing was said. The baseline holds the finding under its old stage's ids,
    so `lint --baseline` in CI showed it as new while this comparison (rightly) called
    nothing new or fixed."""
    _committed_baseline(measured)
    split_contact(measured)
    shown = _lint_shown(measured)
    assert len(shown) == 1  # CI's lint --baseline: the moved handoff's sla-breached, anew

    result = diff_here(measured, "HEAD")
    said = [line for line in result.stdout.splitlines() if line.startswith("! baseline: ")]
    assert said == [
        f"! baseline: the baseline {BASELINE} accepts 1 finding under the place this change moves it "
        "from (a step moved to another stage, a stage's or a map's id renamed): 'lint --baseline' "
        "shows it again as new until the baseline is recorded again ('journeymaps baseline'): sla-breached in "
        'billing-dispute: the handoff from "Billing bot answers first" to "Agent gathers\u2026'
    ], result.stdout
    data = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)
    assert data["summary"]["baseline_moved"] == 1
    (moved,) = data["baseline"]["moved"]
    assert moved["rule"] == "sla-breached" and {moved["now"]} == shown
    comment = diff_here(measured, "HEAD", "--format", "markdown").stdout
    assert f"- ⚠️ **Baseline**: the baseline {BASELINE} accepts 1 finding under the place" in comment


def test_a_baseline_recorded_again_after_the_split_is_said_to_follow_the_finding(measured: Path) -> None:
    """Recording the baseline in the same change is the fix: said as the finding followed,
    not as one more accepted and one dropped ("shows it again")."""
    _committed_baseline(measured)
    split_contact(measured)
    _record(measured)
    assert _lint_shown(measured) == set()
    result = diff_here(measured, "HEAD")
    said = [line for line in result.stdout.splitlines() if line.startswith("! baseline: ")]
    assert len(said) == 1, result.stdout
    assert said[0].startswith(
        f"! baseline: the baseline {BASELINE} records 1 finding again where this change moves it: "
        "'lint --baseline' hides it as before: sla-breached in billing-dispute"
    ), said
    baseline = json.loads(diff_here(measured, "HEAD", "--format", "json").stdout)["baseline"]
    assert (baseline["accepted"], baseline["dropped"], baseline["moved"]) == ([], [], [])
    assert [e["rule"] for e in baseline["followed"]] == ["sla-breached"]


def test_a_maps_id_renamed_names_every_baselined_finding_lint_baseline_shows_again(repo: Path) -> None:
    """A fingerprint is scoped by the map's id: all of the map's accepted findings come back."""
    _committed_baseline(repo)
    edit(repo, "production-outage.yaml", "id: production-outage\n", "id: outage\n")
    shown = _lint_shown(repo)
    assert len(shown) > 1
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    assert {e["now"] for e in data["baseline"]["moved"]} == shown
    assert data["summary"]["baseline_moved"] == len(data["baseline"]["moved"])
