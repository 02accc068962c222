"""Words a support director reads on the site, who never opens the YAML: where a file that
could not be read is wrong, said by the names on its map, not by the schema's path."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MAP_HEAD, site_of

TEAMS = "teams:\n  - {id: support, name: Support}\n  - {id: finance, name: Finance}\n"


def _visible(html: str) -> str:
    """The page's words as a reader sees them (no tags, no attributes)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_a_file_that_could_not_be_read_says_where_by_the_names_on_its_map(tmp_path: Path) -> None:
    """The home page's alert said "stages[1].steps[0].channel: 'pigeon' is not one of …": the
    schema's path, jargon to a director. It names the map by its title and the place by its
    stage's and step's names; the file and line stay for the author, the path in a tooltip."""
    broken = (
        "id: refund\ntitle: Refund request\n" + MAP_HEAD + "stages:\n"
        "  - id: ask\n    name: Asks for a refund\n    owner: support\n"
        "    steps:\n      - {id: form, name: Fills in the form, channel: web}\n"
        "  - id: pay\n    name: Refund paid\n    owner: finance\n"
        "    steps:\n      - {id: mail, name: Gets the refund email, channel: pigeon}\n"
    )
    site = site_of(tmp_path, {"refund.yaml": broken, "teams.yaml": TEAMS})
    home = (site / "index.html").read_text("utf-8")
    alert = _visible(
        home[home.index('<div class="alert"') : home.index("</div>", home.index('class="alert"'))]
    )
    assert "Refund request : Stage “Refund paid”, step “Gets the refund email”, channel: 'pigeon'" in alert
    assert "in maps/refund.yaml , line 16" in alert
    assert "stages[" not in alert and "$." not in alert
    assert 'title="stages[1].steps[0].channel"' in home
