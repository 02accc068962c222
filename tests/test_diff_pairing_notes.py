"""journeymaps diff where many maps are told from the others by a few files only (maps of
one template differing only in their ids, renamed or moved out of the checks in one
change): why is said once, with how many and the first few, and each map says so in short,
by the same words, so a reviewer searching the comment for their map finds it. Each said the
whole sentence, 114 characters, on every one of a thousand maps, and the comment cut to
GitHub's size said nowhere how many were so told."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from journeymaps.comparison import REMOVED, Comparison, MapDiff
from journeymaps.diff_formats import as_json, comment, github, text
from journeymaps.likeness import CANDIDATES
from journeymaps.map_pairing import Entry
from test_diff import diff_here, repo
from test_diff_moves_renamed import _archive
from test_diff_renames_many import _rename

__all__ = ["repo"]  # the fixture, shared with test_diff

#: The whole why, said once where many maps are so told (each said it before).
WHY = "(too many are alike to compare it with each)"
#: What each of many maps so told says, in short.
SHORT = "; paired by its rarest lines and its name only"
COUNT = CANDIDATES + 10


def test_many_renames_told_by_a_few_say_why_once_and_each_map_in_short(repo: Path) -> None:
    """:data:`COUNT` maps differing only in their ids, renamed with new ids and edited: the
    text says once how many and the first three, each map's rename says it in short."""
    _rename(repo, COUNT, edit=True, own_title=False)
    data = json.loads(diff_here(repo, "main", "--format", "json").stdout)
    renamed = {m["id"]: m for m in data["maps"] if m["renamed_partly"]}
    found = [m for m in renamed.values() if m["file"]]
    assert len(renamed) == COUNT and len(found) >= CANDIDATES
    out = diff_here(repo, "main").stdout
    [note] = [line for line in out.splitlines() if line.startswith("? pairing: ")]
    first = list(renamed.values())[:3]  # as the maps are listed
    shown = ", ".join(
        f"{m['base_file']} → {m['file']}" if m["file"] else f"{m['base_file']} (no rename found)"
        for m in first
    )
    assert note == (
        f"? pairing: {COUNT} maps were told from the added maps by their rarest lines and their names only"
        " (too many are alike to compare each with each: a file one was not measured against could be as"
        " alike as its match, or, none found, alike enough to be its rename); each says so:"
        f" {shown} and {COUNT - 3} more"
    )
    assert WHY not in out
    # Each map findable by its name, said so there.
    for m in found:
        assert f"    file renamed: {m['base_file']} → {m['file']}{SHORT}\n" in out
    gone = "map removed, and its 3 findings with it; no rename of it found by its rarest lines and its name only\n"
    assert out.count(gone) == COUNT - len(found)
    assert out.count("by its rarest lines and its name only") == COUNT
    assert data["pairing_text"] == [note.removeprefix("? pairing: ")]
    assert data["summary"]["renamed_partly"] == COUNT
    assert data["summary"]["excluded_partly"] == 0
    said = {c["map"]: c["text"] for c in data["changes"] if c["kind"] == "map-moved"}
    assert said[found[0]["id"]] == f"file renamed: {found[0]['base_file']} → {found[0]['file']}{SHORT}"


def test_the_comment_says_how_many_before_the_maps(repo: Path) -> None:
    """The pull-request comment says it once, before the maps (a comment cut to GitHub's
    size keeps it), and each map's rename in short; annotations say it once in the log."""
    _rename(repo, COUNT, edit=True, own_title=False)
    md = diff_here(repo, "main", "--format", "markdown").stdout
    [note] = [line for line in md.splitlines() if "**Pairing**" in line]
    assert note.startswith(f"- ⚠️ **Pairing**: {COUNT} maps were told from the added maps by their rarest")
    assert md.index(note) < md.index("<details")
    assert WHY not in md
    assert f"- file renamed: maps/support/j17.yaml → maps/support/k17.yaml{SHORT}\n" in md
    log = diff_here(repo, "main", "--format", "github").stdout
    assert log.count(f"journeymaps diff: {COUNT} maps were told from the added maps") == 1


def test_many_moves_out_told_by_a_few_say_why_once(repo: Path) -> None:
    """The same of maps moved where the settings exclude them: once, with the first three."""
    _archive(repo, COUNT, edit=True, own_title=False)
    data = json.loads(diff_here(repo, "HEAD", "--format", "json").stdout)
    moved = [m for m in data["maps"] if m["excluded_partly"]]
    assert len(moved) == COUNT
    out = diff_here(repo, "HEAD").stdout
    [note] = [line for line in out.splitlines() if line.startswith("? pairing: ")]
    assert note.startswith(
        f"? pairing: {COUNT} maps were told from the excluded files by their rarest lines and their names only"
    )
    assert note.endswith(f" and {COUNT - 3} more")
    assert WHY not in out
    for m in moved:
        if m["excluded_file"]:
            assert f"map moved to {m['excluded_file']}, which the settings exclude" in out
    assert out.count("by its rarest lines and its name only") == COUNT
    assert data["summary"]["excluded_partly"] == COUNT


def _removed(files: list[str]) -> Comparison:
    """Maps removed, each looked for among HEAD's added maps by a few only, none found."""
    maps = []
    for i, f in enumerate(files):
        md = MapDiff(REMOVED, Entry(f, f"m{i}", f"Map {i}", None, None, ""), None)
        md.renamed_partly = True
        maps.append(md)
    return Comparison("main", "working tree", maps, [], [])


def test_one_map_told_by_a_few_says_it_whole_and_nothing_more() -> None:
    """One map so told: its own words say why, whole; a note counting one would repeat it."""
    c = _removed(["maps/a.yaml"])
    out = text(c)
    assert "? pairing" not in out
    assert (
        "map removed; no rename of it found: looked for among the added maps by its rarest lines and its"
        f" name only {WHY}" in out
    )
    assert "Pairing" not in comment(c)
    assert as_json(c)["pairing_text"] == []


def test_two_maps_are_named_both() -> None:
    c = _removed(["maps/a.yaml", "maps/b.yaml"])
    [note] = as_json(c)["pairing_text"]
    assert note.endswith("each says so: maps/a.yaml (no rename found) and maps/b.yaml (no rename found)")


def test_hostile_names_in_the_examples_are_shown_as_written_on_one_line() -> None:
    """Names with Markdown, HTML and a line break: the comment shows them as typed, starts
    no element and no workflow command, and the text keeps the note on one line."""
    names = [
        "maps/a*b_`c`.yaml",
        "maps/<img src=x onerror=alert(1)>.yaml",
        "maps/x\n::error::y.yaml",
        "m/d.yaml",
    ]
    c = _removed(names)
    out = text(c)
    [note] = [line for line in out.splitlines() if "pairing" in line]
    assert note.startswith("? pairing: 4 maps were told")
    assert not [line for line in out.splitlines() if line.startswith("::")]
    md = comment(c)
    [pairing] = [line for line in md.splitlines() if "**Pairing**" in line]
    assert "\\<img src=x onerror=alert(1)>" in pairing and not re.search(r"(?<!\\)<img", pairing)
    assert "a\\*b\\_\\`c\\`.yaml" in pairing
    assert pairing.endswith("and 1 more")
    assert not [line for line in md.splitlines() if line.startswith("::")]
    # The annotations' log line: no workflow command, the line break shown as written.
    log = github(c)
    assert not [line for line in log.splitlines() if line.startswith("::")]
    assert log.count("journeymaps diff: 4 maps were told") == 1 and "maps/x\\n::error::y.yaml" in log


def test_ten_thousand_maps_are_said_in_time_linear_in_their_number() -> None:
    """Each map's words ask how many are so told: counted once, not once per map."""
    small, large = (_removed([f"maps/j{i}.yaml" for i in range(n)]) for n in (1_000, 10_000))
    took = []
    for c in (small, large):
        start = time.perf_counter()
        out = text(c)
        comment(c)
        took.append(time.perf_counter() - start)
        assert out.count("? pairing:") == 1
    assert took[1] < 30 * took[0] + 0.5, took


def test_the_site_page_says_it_once_too(tmp_path: Path) -> None:
    """``diff --site``: a Pairing section says it once; each map in short."""
    from journeymaps.diff_site import write_site

    c = _removed(["maps/a.yaml", "maps/<b>.yaml", "maps/c.yaml", "maps/d.yaml"])
    write_site(c, tmp_path / "site")
    page = (tmp_path / "site" / "index.html").read_text()
    assert page.count('<h2 id="pairing">Pairing</h2>') == 1
    assert "4 maps were told from the added maps" in page and "maps/&lt;b&gt;.yaml (no rename found)" in page
    assert page.count("no rename of it found by its rarest lines and its name only") == 4
    assert WHY not in page
