"""The README's description of `diff --format json` is what bots are written against: a
change kind or field diff writes that the description does not name is one no bot expects.
`cost-changed` and `map-changed`'s counts (`channel_switches`) were written but missing from
its list of kinds, which also said every `field` is a key of the map format."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT
from test_diff import edit, jm
from test_diff import repo as repo  # the fixture: the example maps, committed on main


def _kinds_paragraph() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("`kind` is `map-added|")
    return readme[start : readme.index("`evidence-stale` has the old", start)]


def test_the_readmes_kind_list_names_the_kinds_and_fields_diff_computes(repo: Path) -> None:
    (repo / "journeymaps.toml").write_text("cost-per-contact = 12\n")
    edit(repo, "admin-locked-out.yaml", "    volume: 40\n", "    volume: 80\n")  # the cost of inaction
    edit(  # the customer stays in the chat: one channel switch fewer, none losing context
        repo,
        "billing-dispute.yaml",
        "        channel: email\n        context: lost\n",
        "        channel: chat\n        context: carried\n",
    )
    edit(
        repo,
        "billing-dispute.yaml",
        '        channel: email\n        does: Reads "your refund',
        '        channel: chat\n        does: Reads "your refund',
    )
    changes = json.loads(jm(repo, "HEAD", "--format", "json").stdout)["changes"]
    computed = {
        (c["kind"], c["field"])
        for c in changes
        if c["kind"] == "cost-changed"
        or c["field"]
        in {
            "channel_switches",
            "channel_switches_lost",
        }
    }
    assert computed == {
        ("cost-changed", "contact_cost"),
        ("map-changed", "channel_switches"),
        ("map-changed", "channel_switches_lost"),
    }
    described = _kinds_paragraph()
    for kind, field in sorted(computed):
        assert f"`{kind}`" in described or kind == "map-changed", kind  # map-changed: `map-…|changed`
        assert f"`{field}`" in described, field
