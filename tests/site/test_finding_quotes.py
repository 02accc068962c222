"""Findings on the site quote names as every other line of the site does, in curly marks
("Customer's reply" read as a typo beside the map page's curly marks); lint's own
output (terminal, JSON) and a pull request's comment keep lint's words exactly."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from conftest import MAP_HEAD, TODAY, site_of
from in_process import jm_here

TEAMS = "teams:\n  - {id: support, name: Support}\n"

#: A step whose name holds an apostrophe and a quotation, in a stage with no owner (the step
#: has none: a finding names it), and a KPI named likewise, off its target.
REPLY = (
    "id: reply\ntitle: Refund reply\n" + MAP_HEAD + "stages:\n"
    "  - id: s\n    name: Start\n"
    "    kpis: [{name: 'Customer''s \"first\" reply time', current: 5, target: 3, direction: lower}]\n"
    "    steps:\n"
    "      - id: r\n        name: 'Customer''s \"final\" reply'\n        channel: email\n"
)
STEP = "Step \u201cStart \u203a Customer\u2019s \u2018final\u2019 reply\u201d has no owner"
KPI = "KPI \u201cCustomer\u2019s \u2018first\u2019 reply time\u201d is 5"


def _messages(page: str) -> str:
    """The findings' messages on a page, as written in its HTML."""
    return " | ".join(re.findall(r'<span class="message">(.*?)</span>', page, re.S))


def test_finding_messages_on_the_site_quote_names_in_curly_marks(tmp_path: Path) -> None:
    site = site_of(tmp_path, {"teams.yaml": TEAMS, "reply.yaml": REPLY})
    for name in ("findings.html", "maps/reply.html"):  # the Teams page counts them, linked here
        written = _messages((site / name).read_text("utf-8"))
        # Typeset, and written as such: no straight mark escaped around or inside a name.
        assert STEP in written, (name, written)
        assert KPI in written, (name, written)
        assert "&#34;" not in written and "&#39;Customer" not in written, (name, written)


def test_lint_s_own_output_keeps_its_words(tmp_path: Path) -> None:
    """The terminal and JSON say what lint wrote, straight marks and ids: what an author
    types and greps for."""
    site_of(tmp_path, {"teams.yaml": TEAMS, "reply.yaml": REPLY})
    found = jm_here(tmp_path, "lint", "maps", "--format", "json")
    messages = [d["message"] for d in json.loads(found.stdout)["findings"]]
    assert any(m.startswith("KPI 'Customer's \"first\" reply time' is 5") for m in messages), messages
    assert any(m.startswith("step 's.r' has no owner") for m in messages), messages
    text = jm_here(tmp_path, "lint", "maps").stdout
    assert "KPI 'Customer's \"first\" reply time' is 5" in text
    assert "\u201c" not in text and "\u2019" not in text


def _git(cwd: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a"}
    env |= {"GIT_COMMITTER_EMAIL": "a@b", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def test_a_pull_request_s_site_page_quotes_names_in_curly_marks_its_comment_straight(tmp_path: Path) -> None:
    """``diff --site`` is read as the site is; the comment posted on the pull request keeps
    lint's straight marks (as the checks beside it print them)."""
    site_of(tmp_path, {"teams.yaml": TEAMS, "reply.yaml": REPLY.replace("current: 5", "current: 2")})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "maps")
    _git(tmp_path, "commit", "-q", "-m", "maps")
    (tmp_path / "maps/reply.yaml").write_text(REPLY, "utf-8")
    today = ("--today", TODAY.isoformat())
    assert jm_here(tmp_path, "diff", "HEAD", "--site", "review", *today).returncode == 0
    page = (tmp_path / "review/index.html").read_text("utf-8")
    introduced = page[page.index('id="findings-introduced"') :]
    assert KPI in _messages(introduced), _messages(introduced)
    comment = jm_here(tmp_path, "diff", "HEAD", "--format", "markdown", *today).stdout
    assert "KPI 'Customer's \"first\" reply time' is 5" in comment, comment


def test_a_finding_at_a_schema_path_names_the_place_on_the_site(tmp_path: Path) -> None:
    """The findings said "stages[0].steps[0].name: 'TODO the customer notices' is a
    placeholder": the schema's path, jargon to a director, as the home page no longer says a
    file that could not be read. The site names the stage and step; lint keeps its path."""
    todo = REPLY.replace("'Customer''s \"final\" reply'", "TODO the customer's reply")
    site = site_of(tmp_path, {"teams.yaml": TEAMS, "reply.yaml": todo})
    # The step by its place: named by its placeholder, it read "step “TODO…”, name: “TODO…”".
    said = "Stage \u201cStart\u201d, the 1st step, name: "
    said += "\u201cTODO the customer\u2019s reply\u201d is a placeholder (TODO)"
    for name in ("findings.html", "maps/reply.html"):
        written = _messages((site / name).read_text("utf-8"))
        assert said in written, (name, written)
        assert "stages[" not in written, (name, written)
    found = jm_here(tmp_path, "lint", "maps", "--format", "json")
    messages = [d["message"] for d in json.loads(found.stdout)["findings"]]
    assert any(m.startswith("stages[0].steps[0].name: 'TODO the customer's reply' is a") for m in messages)


def test_a_pull_request_s_site_page_names_a_finding_s_place_as_the_site_does(tmp_path: Path) -> None:
    """``diff --site`` said "stages[0].steps[0].name: 'TODO …' is a placeholder" where the
    site names the stage and step; the comment keeps lint's words."""
    site_of(tmp_path, {"teams.yaml": TEAMS, "reply.yaml": REPLY})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "maps")
    _git(tmp_path, "commit", "-q", "-m", "maps")
    todo = REPLY.replace("'Customer''s \"final\" reply'", "TODO the reply")
    (tmp_path / "maps/reply.yaml").write_text(todo, "utf-8")
    today = ("--today", TODAY.isoformat())
    assert jm_here(tmp_path, "diff", "HEAD", "--site", "review", *today).returncode == 0
    page = (tmp_path / "review/index.html").read_text("utf-8")
    said = _messages(page[page.index('id="findings-introduced"') :])
    assert "Stage \u201cStart\u201d, the 1st step, name: \u201cTODO the reply\u201d is a" in said, said
    assert "stages[" not in said, said
    comment = jm_here(tmp_path, "diff", "HEAD", "--format", "markdown", *today).stdout
    assert "stages[0].steps[0].name: 'TODO the reply' is a placeholder" in comment, comment
