"""Mermaid journeys: exported for any map and for pull-request comments, drawn by Mermaid
itself in Chromium (as GitHub and GitLab draw them), and imported back as a starting map."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, jm, write_files
from in_process import jm_here
from journeymaps import mermaid

#: The Mermaid release the tests draw with (from the npm registry, cached between runs).
MERMAID = "12.3.0"


@pytest.fixture(scope="session")
def mermaid_js() -> Path:
    cache = Path(os.environ.get("JOURNEYMAPS_TEST_CACHE", Path.home() / ".cache" / "journeymaps-tests"))
    target = cache / f"mermaid-{MERMAID}.min.js"
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        # In the cache's own folder: renamed into place from the same file system (from a
        # $TMPDIR in /dev/shm, as CI has it, a rename across devices fails).
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            subprocess.run(
                ["npm", "pack", f"mermaid@{MERMAID}", "--silent", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                timeout=600,
            )
            with tarfile.open(Path(tmp) / f"mermaid-{MERMAID}.tgz") as tar:
                member = tar.extractfile("package/dist/mermaid.min.js")
                assert member is not None
                partial = Path(tmp) / "mermaid.min.js"
                partial.write_bytes(member.read())
            partial.replace(target)
    return target


@pytest.fixture(scope="session")
def draw(browser, mermaid_js: Path):
    """``draw(text)`` → what Mermaid drew: the diagram type, section and task texts, and each
    face's height (higher on the page = happier), or the parse error."""
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(mermaid_js))
    page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
    counter = iter(range(10_000))

    def run(text: str) -> dict:
        return page.evaluate(
            """async ([text, id]) => {
                try {
                    const parsed = await mermaid.parse(text);
                    const {svg} = await mermaid.render(id, text);
                    const box = document.createElement('div');
                    box.innerHTML = svg;
                    const texts = (sel) => [...box.querySelectorAll(sel)].map(t => t.textContent);
                    return {type: parsed.diagramType,
                            sections: texts('text.journey-section'),
                            tasks: texts('text.task'),
                            faces: [...box.querySelectorAll('circle.face')].map(c => -Number(c.getAttribute('cy')))};
                } catch (e) { return {error: String(e)}; }
            }""",
            [text, f"d{next(counter)}"],
        )

    yield run
    page.close()


def squeeze(texts: list[str]) -> list[str]:
    """Mermaid wraps long names over several lines: compare without spaces (nor the
    invisible zero-width space that keeps a task named "title..." from being a keyword)."""
    return ["".join(t.replace("\u200b", "").split()) for t in texts]


def test_every_example_map_is_drawn_by_mermaid(examples, draw) -> None:
    for m in examples.maps:
        drawn = draw(mermaid.journey(m))
        assert drawn.get("type") == "journey", (m.id, drawn)
        assert squeeze(drawn["sections"]) == squeeze([s.name for s in m.stages])
        tasks = [st.name for s in m.stages for st in (s.steps or [s])]
        assert squeeze(drawn["tasks"]) == squeeze(tasks)
        feelings = [
            st.emotion if st.emotion is not None else s.emotion for s in m.stages for st in (s.steps or [s])
        ]
        faces = drawn["faces"]
        for (a, fa), (b, fb) in zip(
            zip(feelings, faces, strict=True), zip(feelings[1:], faces[1:], strict=True), strict=False
        ):
            if a is not None and b is not None and a < b:  # a happier step's face is not lower,
                assert fa <= fb, (m.id, feelings, faces)  # and higher across neutral or from mild
                assert fa < fb or (a < -1 and b < -1) or (a > 1 and b > 1), (m.id, feelings, faces)


HOSTILE = """
id: m
title: "Refunds: the #1 complaint; really"
owner: support
stages:
  - id: one
    name: "Section: billing"
    owner: support
    emotion: -3
    steps:
      - {id: a, name: "title of the ticket", emotion: 3}
      - {id: b, name: "Pay: card #2; then wait", emotion: -1}
      - {id: c, name: "Line\\nbreak %% not a comment"}
"""


def test_names_mermaid_would_misread_are_drawn_as_written(tmp_path: Path, draw) -> None:
    write_files(tmp_path / "maps", {"m.yaml": HOSTILE})
    text = jm_here(tmp_path, "export").stdout
    drawn = draw(text)
    assert drawn.get("type") == "journey", drawn
    assert drawn["sections"] == ["Section\u2236 billing"]  # one section: no task became a section
    assert squeeze(drawn["tasks"]) == squeeze(
        ["title of the ticket", "Pay\u2236 card \uff032\u204f then wait", "Line break %% not a comment"]
    )
    back = mermaid.parse(text)
    assert (back.title, back.state) == ("Refunds: the #1 complaint; really", "current")
    assert [t.name for t in back.sections[0].tasks] == [
        "title of the ticket",
        "Pay: card #2; then wait",
        "Line break %% not a comment",
    ]
    assert [mermaid.emotion(t.score) for t in back.sections[0].tasks] == [3, -1, -3]


EVERY_FEELING = """
id: m
title: Every feeling
owner: support
stages:
  - id: one
    name: One
    owner: support
    steps:
      - {id: a, name: Furious, emotion: -3}
      - {id: b, name: Frustrated, emotion: -2}
      - {id: c, name: Annoyed, emotion: -1}
      - {id: d, name: Neutral, emotion: 0}
      - {id: e, name: Pleased, emotion: 1}
      - {id: f, name: Happy, emotion: 2}
      - {id: g, name: Delighted, emotion: 3}
"""


def test_scores_are_whole_numbers_that_keep_the_sign_and_order(tmp_path: Path, draw) -> None:
    """Emotions -3..+3 were scored 3 + e*2/3: "Annoyed: 2.33" in a pull-request comment read
    as a bug. Whole scores 1..5 now, the strong feelings sharing the ends; Mermaid draws
    a frowning face below the neutral one for each negative, a smiling one above for each
    positive; and import brings back each feeling's sign and order."""
    write_files(tmp_path / "maps", {"m.yaml": EVERY_FEELING})
    exported = jm(tmp_path, "export")
    assert exported.returncode == 0, exported.stderr
    tasks = exported.stdout.splitlines()[3:]
    assert tasks == [
        "    Furious: 1: support",
        "    Frustrated: 1: support",
        "    Annoyed: 2: support",
        "    Neutral: 3: support",
        "    Pleased: 4: support",
        "    Happy: 5: support",
        "    Delighted: 5: support",
    ]
    drawn = draw(exported.stdout)
    assert drawn.get("type") == "journey", drawn
    furious, frustrated, annoyed, neutral, pleased, happy, delighted = drawn["faces"]
    assert furious == frustrated < annoyed < neutral < pleased < happy == delighted
    imported = jm(tmp_path, "import", "-", "--id", "copy", stdin=exported.stdout)
    assert imported.returncode == 0, imported.stderr
    copy = yaml.safe_load((tmp_path / "maps" / "copy.yaml").read_text())
    assert [s["emotion"] for s in copy["stages"][0]["steps"]] == [-3, -3, -1, 0, 1, 3, 3]
    again = jm(tmp_path, "export", "--map", "copy").stdout.splitlines()[3:]
    assert [t.rsplit(":", 2)[1] for t in again] == [t.rsplit(":", 2)[1] for t in tasks]


@pytest.mark.parametrize(
    ("score", "feeling"),
    # whole: the inverse of the export; others: journeymaps' scores before they were whole,
    # and any other tool's, by the old linear inverse, never neutral off 3
    [
        *[("1", -3), ("2", -1), ("3", 0), ("4", 1), ("5", 3), ("+5", 3), ("1.0", -3), ("5e0", 3)],
        *[("1.67", -2), ("2.33", -1), ("3.67", 1), ("4.33", 2), ("2.9", -1), ("3.1", 1), ("1.5", -2)],
        *[("2.5", -1), ("3.5", 1), (".5e1", 3)],
    ],
)
def test_import_reads_any_score_with_its_sign(score: str, feeling: int) -> None:
    parsed = mermaid.parse(f"journey\n  section A\n    Task: {score}: me\n")
    assert mermaid.emotion(parsed.sections[0].tasks[0].score) == feeling


@pytest.mark.parametrize("score", ["0", "-1", "9", "5.01", "0.99", "-3", "", "1_0", "\uff13", "0x3", "1/2"])
def test_import_refuses_a_score_outside_1_to_5(score: str) -> None:
    """Mermaid documents "a number between 1 and 5, inclusive". 0, -1 and 9 were clamped
    to -3 and +3 without a word, while 'abc' was refused with "must be a number from 1 to
    5"; Python's float() read '1_0' as 10 and a fullwidth digit as a number."""
    with pytest.raises(mermaid.MermaidError, match=f"from 1 to 5, got '{score}'$") as caught:
        mermaid.parse(f"journey\n  section A\n    Task:  {score}: me\n")
    assert (caught.value.line, caught.value.column) == (3, 12)


def test_a_pull_request_comment_journey_is_drawn(tmp_path: Path, draw) -> None:
    import shutil

    from test_diff import ENV, history

    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "maps"]):
        subprocess.run(
            ["git", *args], cwd=tmp_path, check=True, env={**ENV, "HOME": str(tmp_path)}, capture_output=True
        )
    history(tmp_path)
    comment = jm_here(tmp_path, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    blocks = [b.split("\n", 1)[1] for b in comment.split("```")[1::2]]
    assert len(blocks) == 2
    before, after = (draw(b) for b in blocks)
    assert "Help-center search" not in before["sections"] and "Help-center search" in after["sections"]


def test_import_gives_a_starting_map_that_lints(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    source = tmp_path / "login.mmd"
    source.write_text(
        "%% from our wiki\n"
        "journey\n"
        "  title Admin locked out\n"
        "  accDescr {\n    The lockout journey\n  }\n"
        "  section Discovery\n"
        "    Login fails three times: 1: Admin, product\n"
        "    Reads the error: 2: Admin\n"
        "  section Reset\n"
        "    Reset mail lands in spam: 1: support\n"
        "    Logs in: 5: Admin\n"
    )
    result = jm_here(tmp_path, "import", "login.mmd")
    assert result.returncode == 0, result.stderr
    assert "Created maps/admin-locked-out.yaml from login.mmd: 2 stages, 4 steps" in result.stdout
    data = yaml.safe_load((tmp_path / "maps" / "admin-locked-out.yaml").read_text())
    assert data["title"] == "Admin locked out" and data["owner"] == "support"
    steps = data["stages"][0]["steps"]
    assert [(s["id"], s["emotion"], s.get("owner")) for s in steps] == [
        ("login-fails-three-times", -3, "product"),
        ("reads-the-error", -1, None),
    ]
    assert steps[0]["description"] == "Actors in the Mermaid journey: Admin"
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert lint["summary"]["errors"] == 0, lint["findings"]
    again = jm_here(tmp_path, "import", "login.mmd")
    assert again.returncode == 2 and "already exists" in again.stderr  # never overwritten


def test_an_imported_map_points_its_editor_at_the_project_s_schema_copy(tmp_path: Path) -> None:
    """In a project without schema/ (maps made by hand, not by init), the imported map
    pointed at a journeymaps.dev address no host serves: it started with a schema-reference
    finding. It points at schema/ now, written with it, as new does."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text("teams:\n  - id: support\n    name: Support\n")
    (tmp_path / "j.mmd").write_text("journey\n  title Refund\n  section Ask\n    Writes in: 2: support\n")
    result = jm_here(tmp_path, "import", "j.mmd")
    assert result.returncode == 0, result.stderr
    assert "Wrote schema/journey-map.schema.json (editors read it for completion)." in result.stdout
    first = (tmp_path / "maps" / "refund.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/journey-map.schema.json"
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert [f for f in lint["findings"] if f["rule"] == "schema-reference"] == []


def test_export_then_import_round_trips_names_emotions_and_owners(tmp_path: Path) -> None:
    shutil_maps(tmp_path)
    exported = jm_here(tmp_path, "export", "--map", "billing-dispute").stdout
    imported = jm_here(tmp_path, "import", "-", "--id", "billing-copy", stdin=exported)
    assert imported.returncode == 0, imported.stderr
    copy = yaml.safe_load((tmp_path / "maps" / "billing-copy.yaml").read_text())
    original = yaml.safe_load((tmp_path / "maps" / "support" / "billing-dispute.yaml").read_text())
    assert [s["name"] for s in copy["stages"]] == [s["name"] for s in original["stages"]]
    for was, now in zip(original["stages"], copy["stages"], strict=True):
        for a, b in zip(was["steps"], now["steps"], strict=True):
            assert b["name"] == a["name"]
            # whole scores 1..5 hold seven feelings: -2 comes back as -3, +2 as +3
            assert b["emotion"] == {-2: -3, 2: 3}.get(felt := a.get("emotion", was.get("emotion")), felt)
            assert b.get("owner", "support") == a.get("owner", was["owner"])


@pytest.mark.parametrize(
    ("map_id", "title_line", "title", "state"),
    [
        (
            "billing-dispute",
            "Unexpected charge on the monthly invoice (current state)",
            "Unexpected charge on the monthly invoice",
            "current",
        ),
        # titled "... (future state)" itself: exported with the words once (it said them
        # twice), which import takes back as the state
        (
            "admin-locked-out-future",
            "Admin locked out of their account (future state)",
            "Admin locked out of their account",
            "future",
        ),
    ],
)
def test_export_then_import_keeps_the_title_and_the_state(
    tmp_path: Path, map_id: str, title_line: str, title: str, state: str
) -> None:
    """Export adds " (current state)" to the title; import kept it in the title and the id
    (maps/unexpected-charge-on-the-monthly-invoice-current-state.yaml) and lost the state."""
    shutil_maps(tmp_path)
    exported = jm_here(tmp_path, "export", "--map", map_id)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines()[1] == f"  title {title_line}"
    (tmp_path / "j.mmd").write_text(exported.stdout)
    imported = jm_here(tmp_path, "import", "j.mmd")
    assert imported.returncode == 0, imported.stderr
    ident = mermaid.slug(title)
    assert f"Created maps/{ident}.yaml from j.mmd" in imported.stdout
    copy = yaml.safe_load((tmp_path / "maps" / f"{ident}.yaml").read_text())
    assert (copy["id"], copy["title"], copy["state"]) == (ident, title, state)
    again = jm_here(tmp_path, "export", "--map", ident)
    assert again.returncode == 0, again.stderr
    assert again.stdout == exported.stdout  # the same journey, title line included


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Checkout (current state)", ("Checkout", "current")),
        ("Checkout (future state)", ("Checkout", "future")),
        ("Checkout (future state) (future state)", ("Checkout (future state)", "future")),
        # only the words export writes, at the very end
        ("Checkout (Current State)", ("Checkout (Current State)", None)),
        ("Checkout (past state)", ("Checkout (past state)", None)),
        ("Checkout (current state) v2", ("Checkout (current state) v2", None)),
        ("(current state)", ("(current state)", None)),
        ("Checkout", ("Checkout", None)),
    ],
)
def test_import_reads_the_state_export_adds_to_the_title(title: str, expected: tuple) -> None:
    parsed = mermaid.parse(f"journey\n  title {title}\n  section A\n    Task: 3: me\n")
    assert (parsed.title, parsed.state) == expected
    front = mermaid.parse(f"---\ntitle: {title}\n---\njourney\n  section A\n    Task: 3: me\n")
    assert (front.title, front.state) == expected


@pytest.mark.parametrize(
    ("title", "state", "line"),
    [
        ("Checkout", "future", "Checkout (future state)"),
        ("Checkout (future state)", "future", "Checkout (future state)"),  # not said twice
        ("Checkout (current state)", "current", "Checkout (current state)"),
        ("Checkout (current state)", "future", "Checkout (current state) (future state)"),
        # words import would not take off as they are: said again, so they come back
        ("Checkout  (future state)", "future", "Checkout  (future state) (future state)"),
        ("(future state)", "future", "(future state) (future state)"),
    ],
)
def test_export_says_the_state_once_and_import_reads_it_back(title: str, state: str, line: str) -> None:
    assert mermaid.titled(title, state) == line
    back = mermaid.untitled(line)
    assert back[1] == state and mermaid.titled(*back) == line  # export -> import -> export


def test_an_imported_future_state_map_asks_for_its_baseline(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    source = "journey\n  title Checkout (future state)\n  section Pay\n    Pays in one click: 5: support\n"
    assert jm_here(tmp_path, "import", "-", stdin=source).returncode == 0
    text = (tmp_path / "maps" / "checkout.yaml").read_text()
    assert "\nstate: future\n" in text and "based_on" in text.split("\nid:")[0]  # said in the header
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert "future-without-baseline" in {f["rule"] for f in lint["findings"]}, lint["findings"]


def shutil_maps(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "maps", tmp_path / "maps")


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("graph TD\n  a-->b\n", "1:1", "expected 'journey'"),
        ("journey\n  section A\n    Task without score\n", "3:5", "a task is 'Name: score: actors'"),
        ("journey\n  section A\n    Task: lots: me\n", "3:11", "the score must be a number"),
        # Not finite: 'internal error: ValueError: cannot convert float NaN to integer'.
        ("journey\n  section A\n    Task: nan: me\n", "3:11", "the score must be a number"),
        ("journey\n  section A\n    Task: -inf: me\n", "3:11", "the score must be a number"),
        # Outside Mermaid's documented 1..5: read as -3 or +3 without a word (0 -> -3, 9 -> +3).
        *[
            (f"journey\n  section A\n    Task: {score}: me\n", "3:11", f"from 1 to 5, got '{score}'")
            for score in ("0", "-1", "9", "5.5")
        ],
        ("journey\n  section A\n    Task:   0: me\n", "3:13", "from 1 to 5, got '0'"),  # at the score
        ("", "1:1", "the file is empty"),
        ("journey\n  section A\n    : 3: me\n", "3:5", "a task needs a name"),
        ("journey\n  section\n", "2:3", "a section needs a name"),
    ],
)
def test_import_errors_say_where(tmp_path: Path, text: str, where: str, words: str) -> None:
    (tmp_path / "j.mmd").write_text(text)
    result = jm_here(tmp_path, "import", "j.mmd")
    assert result.returncode == 1
    assert (
        result.stderr.startswith(f"j.mmd:{where}: JM008 [mermaid-syntax] error: ") and words in result.stderr
    )
    assert not (tmp_path / "maps").exists()
    (tmp_path / "latin1.mmd").write_bytes("journey\n  title Caf\xe9\n".encode("latin-1"))
    bad = jm_here(tmp_path, "import", "latin1.mmd")
    assert (
        bad.returncode == 1
        and "latin1.mmd:2:12: JM008 [mermaid-syntax] error: invalid UTF-8 byte 0xe9" in bad.stderr
    )


def test_export_writes_a_folder_and_names_what_it_cannot_read(tmp_path: Path) -> None:
    shutil_maps(tmp_path)
    several = jm_here(tmp_path, "export")
    assert several.returncode == 2 and "4 maps: choose one with --map ID" in several.stderr
    (tmp_path / "maps" / "support" / "broken.yaml").write_text("id: [\n")
    result = jm_here(tmp_path, "export", "-o", "journeys")
    assert result.returncode == 1
    assert "maps/support/broken.yaml:1:5: JM001 [yaml-syntax] error:" in result.stderr
    assert sorted(p.name for p in (tmp_path / "journeys").iterdir()) == [
        "admin-locked-out-future.mmd",
        "admin-locked-out.mmd",
        "billing-dispute.mmd",
        "production-outage.mmd",
    ]
    unknown = jm_here(tmp_path, "export", "--map", "billing-disputes")
    assert unknown.returncode == 2 and "did you mean 'billing-dispute'?" in unknown.stderr


def test_export_of_several_maps_to_a_file_name_is_refused_not_made_a_folder(tmp_path: Path) -> None:
    """`-o journeys.mmd` with four maps made a folder named journeys.mmd holding four files."""
    shutil_maps(tmp_path)
    result = jm_here(tmp_path, "export", "-o", "journeys.mmd")
    assert result.returncode == 2, result.stderr
    assert "4 maps" in result.stderr and "choose one with --map ID" in result.stderr
    assert "a folder" in result.stderr
    assert not (tmp_path / "journeys.mmd").exists()
    one = jm_here(tmp_path, "export", "--map", "billing-dispute", "-o", "journeys.mmd")
    assert one.returncode == 0 and (tmp_path / "journeys.mmd").read_text().startswith("journey\n")


def test_export_of_one_map_to_a_name_ending_in_a_slash_writes_a_folder(tmp_path: Path) -> None:
    """`-o journeys/` wrote a file named journeys for one map, a folder for several."""
    shutil_maps(tmp_path)
    result = jm_here(tmp_path, "export", "--map", "billing-dispute", "-o", "journeys/")
    assert result.returncode == 0, result.stderr
    assert "Wrote journeys/billing-dispute.mmd" in result.stderr
    assert (tmp_path / "journeys" / "billing-dispute.mmd").read_text().startswith("journey\n")


@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero", "too-large", "stdin-too-large"])
def test_import_refuses_what_lint_refuses_to_read(tmp_path: Path, kind: str) -> None:
    """`import FILE` read any file whole: a FIFO hung it, a link to /dev/zero filled the
    memory, a huge file was read at any size. It reads as lint does: a JM005 finding."""
    source, stdin = "j.mmd", None
    if kind == "fifo":
        os.mkfifo(tmp_path / source)
    elif kind == "link-to-dev-zero":
        (tmp_path / source).symlink_to("/dev/zero")
    elif kind == "too-large":
        (tmp_path / source).write_text("journey\n  section A\n" + "    Task: 3: me\n" * 80_000)
    else:
        source, stdin = "-", "journey\n  section A\n" + "    Task: 3: me\n" * 80_000
    result = jm(tmp_path, "import", source, stdin=stdin)
    shown = "<stdin>" if source == "-" else source
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{shown}:1:1: JM005 [unreadable-file] error: the file is "), (
        result.stderr
    )
    assert "Traceback" not in result.stderr and not (tmp_path / "maps").exists()


def test_import_never_writes_a_map_lint_refuses_for_its_size(tmp_path: Path) -> None:
    """A journey under the size limit as Mermaid can be over it as YAML (20,000 steps: a
    550 KB journey, a 1.4 MB map): import wrote it and lint then refused the whole file.
    Refused instead, at the task where the map goes over, and nothing written; one task
    fewer is written and lint reads it."""
    shutil_maps(tmp_path)
    (tmp_path / "journeymaps.toml").write_text("max-file-size-kb = 4\n")  # small: a quick test
    lines = ["journey", "  title Long wait"]
    for s in range(5):
        lines += [f"  section Stage {s}", *(f"    Waits on hold {s}-{t}: 2: support" for t in range(10))]
    source = tmp_path / "long.mmd"
    source.write_text("\n".join(lines) + "\n")
    assert source.stat().st_size < 4 * 1024  # the journey itself is read
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "maps").rglob("*"))
    result = jm_here(tmp_path, "import", "long.mmd")
    assert result.returncode == 1, result.stderr
    first = result.stderr.splitlines()[0]
    where, _, words = first.partition(": JM005 [unreadable-file] error: ")
    assert words.startswith(
        "the map this would write (maps/long-wait.yaml) is 5 KB, over the limit of 4 KB"
    ), first
    assert "Nothing was written" in words and "Traceback" not in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "maps").rglob("*")) == before
    line, column = (int(n) for n in where.removeprefix("long.mmd:").split(":"))
    assert column == 5 and lines[line - 1].startswith("    Waits on hold")
    # up to the line before: written, and lint reads it (no unreadable-file finding)
    (tmp_path / "short.mmd").write_text("\n".join(lines[: line - 1]) + "\n")
    written = jm_here(tmp_path, "import", "short.mmd", "--id", "short-wait")
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "maps" / "short-wait.yaml").stat().st_size <= 4 * 1024
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json", "maps/short-wait.yaml").stdout)
    assert [f for f in lint["findings"] if f["rule"] == "unreadable-file"] == [], lint["findings"]


def test_importing_many_same_named_tasks_takes_linear_time() -> None:
    """Each task named like the ones before counted "task-2", "task-3"… from 2 again: 8,000
    same-named tasks took 22 s (a 1 MB file, under the size limit, many minutes). Twice the
    tasks must take about twice the time (CPU time ratios, best of three, the collector off: a
    quadratic path quadruples it). A linear one measured over 3x by a one-off (another
    process on a busy CI machine: 3.1x once) is measured again, up to three times in all."""
    import gc
    import time

    def cpu(n: int) -> float:
        parsed = mermaid.parse("journey\n  section A\n" + "    Task: 3: me\n" * n)
        best = float("inf")
        gc.collect()
        gc.disable()
        try:
            for _ in range(3):
                started = time.process_time()
                text = mermaid.to_map(parsed, "m", "support", set(), "2026-11-22", "s.json", "j.mmd")
                best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        assert f"id: task-{n}\n" in text  # every task has its own id
        return best

    cpu(500)  # warm up
    ratios: list[float] = []
    while len(ratios) < 3 and (not ratios or ratios[-1] >= 3.0):
        ratios.append(cpu(8000) / cpu(4000))
    assert ratios[-1] < 3.0, f"8,000 tasks took {ratios}x the time of 4,000"


@pytest.mark.parametrize(
    ("sections", "tasks", "at", "words"),
    [
        (101, 1, "  section Part 100", "stages: too many items (101; at most 100)"),
        (1, 101, "    Step 0-100: 3: Me", "stages[0].steps: too many items (101; at most 100)"),
    ],
)
def test_import_never_writes_a_map_that_breaks_the_format(
    tmp_path: Path, sections: int, tasks: int, at: str, words: str
) -> None:
    """101 sections made a map with 101 stages: written ("Created ... 101 stages"), then
    refused by lint. Refused at the section or task past the limit; nothing written."""
    lines = ["journey", "  title Big one"]
    for s in range(sections):
        lines += [f"  section Part {s}", *(f"    Step {s}-{t}: 3: Me" for t in range(tasks))]
    (tmp_path / "big.mmd").write_text("\n".join(lines) + "\n")
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", "big.mmd")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    where, _, message = result.stderr.splitlines()[0].partition(": JM004 [schema] error: ")
    line, column = (int(n) for n in where.removeprefix("big.mmd:").split(":"))
    assert lines[line - 1] == at and column == len(at) - len(at.lstrip()) + 1
    assert message.startswith(f"the map this would write (maps/big-one.yaml) breaks the map format: {words}")
    assert "Nothing was written" in message
    assert list((tmp_path / "maps").iterdir()) == []


def test_a_section_named_in_a_sentence_imports_as_a_map_lint_accepts(tmp_path: Path) -> None:
    """Ids were made of every word of a name: a 300-character section name made a stage id
    over the 100 characters an id may have, and lint refused the map it had just written.
    (168 characters: a name has at most 200, see the next test.)"""
    name = "When the customer finally reaches someone " * 4
    (tmp_path / "long.mmd").write_text(f"journey\n  title {name}\n  section {name}\n    {name}: 3: Me\n")
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", "long.mmd")
    assert result.returncode == 0, result.stderr
    assert "1 stage, 1 step." in result.stdout
    (written,) = (tmp_path / "maps").iterdir()
    assert len(written.stem) <= mermaid.SLUG_LIMIT
    lint = json.loads(
        jm_here(tmp_path, "lint", "--format", "json", str(written.relative_to(tmp_path))).stdout
    )
    assert [f for f in lint["findings"] if f["severity"] == "error"] == [], lint["findings"]


def test_a_name_past_200_characters_is_refused_at_its_line_saying_to_shorten_it(tmp_path: Path) -> None:
    """A task of 293 characters made a step name lint refuses; refused, the advice was
    "import the journey in parts (a few sections each)", which shortens no name."""
    name = "When the customer finally reaches someone " * 7
    (tmp_path / "long.mmd").write_text(f"journey\n  title T\n  section Ask\n    {name}: 3: Me\n")
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", "long.mmd")
    assert result.returncode == 1
    assert result.stderr.startswith("long.mmd:4:5: JM004 [schema] error: the map this would write ")
    assert result.stderr.rstrip().endswith(
        "stages[0].steps[0].name: too long (293 characters; at most 200). Nothing was written: "
        "shorten it in the journey, and say the rest in the map"
    )
    assert list((tmp_path / "maps").iterdir()) == []


def test_an_export_that_cannot_write_one_file_changes_none(tmp_path: Path) -> None:
    """`export -o journeys/` replaced the files before the one it could not write (a folder
    in its place), then stopped: the folder mixed two exports. Now it is all or none."""
    shutil_maps(tmp_path)
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    old = {name: f"old {name}\n" for name in ("admin-locked-out.mmd", "billing-dispute.mmd")}
    for name, text in old.items():
        (journeys / name).write_text(text)
    (journeys / "production-outage.mmd").mkdir()  # sorted last: the others come first

    result = jm(tmp_path, "export", "-o", "journeys/")  # the error main() says: a real process
    assert result.returncode != 0
    assert "journeys/production-outage.mmd" in result.stderr and "it is a folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in journeys.iterdir()) == [*sorted(old), "production-outage.mmd"]
    assert {name: (journeys / name).read_text() for name in old} == old


def test_export_to_a_dash_writes_standard_output(tmp_path: Path) -> None:
    """`export -o -` wrote a file named "-" in the working folder, and printed nothing."""
    shutil_maps(tmp_path)
    result = jm(tmp_path, "export", "--map", "billing-dispute", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("journey\n") and "title " in result.stdout
    assert not (tmp_path / "-").exists()


def test_export_says_what_the_journey_has_no_place_for(tmp_path: Path) -> None:
    """The .mmd holds stages, steps, feelings and owners; a team that shared it took it for
    the whole map. Export now says, on standard error, what stays in the YAML."""
    shutil_maps(tmp_path)
    result = jm_here(tmp_path, "export", "--map", "admin-locked-out")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("journey\n") and "has no place" not in result.stdout
    assert result.stderr == (
        "Mermaid's journey has no place for 5 pain points, 5 opportunities, 1 handoff, 9 KPIs,"
        " 9 pieces of evidence and 1 persona: they stay in the YAML and on the site.\n"
    )
    bare = "id: bare\ntitle: Bare\nowner: support\nreviewed: 2026-11-01\nstages:\n"
    bare += "  - {id: one, name: One, owner: support}\n"
    write_files(tmp_path / "only", {"maps/bare.yaml": bare})
    result = jm_here(tmp_path / "only", "export")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "nothing is left out"


@pytest.mark.parametrize("inside", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c"])
def test_a_name_holding_a_character_python_breaks_lines_at_is_one_line(tmp_path: Path, inside: str) -> None:
    """Mermaid ends a line only at a line feed; str.splitlines() also broke it at U+2028,
    NEL, form feed...: a title holding one was refused ("a task is 'Name: score: actors'"),
    and every line after it was named one line too far down."""
    (tmp_path / "j.mmd").write_text(f"journey\n  title Ti{inside}tle\n  section A\n    Task: 3: me\n")
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "maps" / "j.yaml").read_text(encoding="utf-8"))
    assert data["title"] == f"Ti{inside}tle"
    (tmp_path / "bad.mmd").write_text(f"journey\n  title Ti{inside}tle\n  section A\n    Task: nine\n")
    bad = jm_here(tmp_path, "import", "bad.mmd", "--id", "bad")
    assert bad.returncode == 1 and bad.stderr.startswith("bad.mmd:4:11: JM008 [mermaid-syntax] error: "), (
        bad.stderr
    )


@pytest.mark.parametrize("char", ["\x7f", "\x80", "\x9f", "\x85", "\ufffe", "\uffff", "\x1b"])
def test_a_name_holding_a_character_yaml_cannot_hold_is_written_as_its_escape(
    tmp_path: Path, char: str
) -> None:
    """json.dumps leaves DEL, the C1 controls and U+FFFE as they are; YAML refuses them, and
    the import was refused with "expected a mapping ... got nothing (null)" at 1:1."""
    (tmp_path / "j.mmd").write_text(f"journey\n  title T\n  section A{char}B\n    Ta{char}sk: 3: me{char}2\n")
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", "j.mmd", "--id", "j")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "maps" / "j.yaml").read_text(encoding="utf-8"))
    (stage,) = data["stages"]
    assert stage["name"] == f"A{char}B" and stage["steps"][0]["name"] == f"Ta{char}sk"
    assert stage["steps"][0]["description"] == f"Actors in the Mermaid journey: me{char}2"


@pytest.mark.parametrize(
    ("name", "shown"), [("bad\udcffname.mmd", "bad\\udcffname.mmd"), ("x\ufffey.mmd", "x\\ufffey.mmd")]
)
def test_a_source_whose_name_yaml_cannot_hold_is_imported(tmp_path: Path, name: str, shown: str) -> None:
    """The map's first lines name the file it came from: a name with a byte that is not
    UTF-8 (b'\\xff', read by Python as a lone surrogate) ended the import in 'internal error:
    UnicodeEncodeError'; one with U+FFFE was refused "at the top of the file"."""
    (tmp_path / os.fsdecode(os.fsencode(name))).write_text("journey\n  section A\n    Task: 3: me\n")
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", name, "--id", "j")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "maps" / "j.yaml").read_text(encoding="utf-8")
    assert f"# Imported from {shown}:" in text


def test_import_refuses_an_id_another_map_has(tmp_path: Path) -> None:
    """``new`` refuses an id a map in another file has; ``import`` wrote a second map of that
    id (its file named otherwise, or -o elsewhere), which lint then refused as a duplicate."""
    write_files(tmp_path, {"maps/support/locked.yaml": "id: admin-locked-out\ntitle: T\nstages: []\n"})
    (tmp_path / "j.mmd").write_text("journey\n  title Admin locked out\n  section A\n    Task: 3: me\n")
    for args in ((), ("--id", "admin-locked-out", "-o", "maps/other.yaml")):
        result = jm_here(tmp_path, "import", "j.mmd", *args)
        assert result.returncode == 2, result.stdout
        assert (
            "a map with id 'admin-locked-out' exists already: maps/support/locked.yaml; choose another --id"
            in result.stderr
        )
    assert sorted(p.name for p in (tmp_path / "maps").rglob("*.yaml")) == ["locked.yaml"]


def test_an_acc_descr_never_closed_is_named_where_it_opens(tmp_path: Path) -> None:
    """An ``accDescr {`` without its ``}`` read every line after it as description: the
    error was "the journey has no section and no task", at the file's last line."""
    (tmp_path / "j.mmd").write_text("journey\n  accDescr {\n  about it\n  section A\n    Task: 3: me\n")
    result = jm_here(tmp_path, "import", "j.mmd")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "j.mmd:2:3: JM008 [mermaid-syntax] error: 'accDescr {' is never closed with '}'"
    ), result.stderr


def test_an_export_of_nothing_but_broken_maps_says_what_is_wrong_with_them(tmp_path: Path) -> None:
    """``export maps/broken.yaml`` said only "no map to export", and ``--map broken`` "no
    valid map with this id": what was wrong with the file, and where, was never said."""
    write_files(tmp_path, {"maps/broken.yaml": "id: broken\ntitle: B\nstages: 5\n"})
    for args in (["maps/broken.yaml"], ["--map", "broken"]):
        result = jm_here(tmp_path, "export", *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "maps/broken.yaml:3:9: JM004 [schema] error: " in result.stderr, result.stderr


def test_an_export_of_two_maps_with_one_id_loses_neither(tmp_path: Path) -> None:
    """Two maps with the same id (lint's duplicate-id error) were exported as one file, the
    other map dropped without a word, exit 0. Each is written under its page's name, as the
    site and render name them (``id--2`` for the later one)."""
    base = "id: same\nowner: support\nstages:\n  - {id: a, name: A, owner: support}\n"
    write_files(tmp_path, {"maps/a.yaml": f"title: First\n{base}", "maps/b.yaml": f"title: Second\n{base}"})
    result = jm_here(tmp_path, "export", "-o", "out/")
    assert result.returncode == 0, result.stderr
    written = {p.name: p.read_text() for p in (tmp_path / "out").iterdir()}
    assert sorted(written) == ["same--2.mmd", "same.mmd"]
    assert "title First" in written["same.mmd"] and "title Second" in written["same--2.mmd"]


def test_import_says_what_of_the_journey_it_does_not_keep(tmp_path: Path) -> None:
    """The front matter's settings, accTitle and accDescr and a task's text after its actors
    were dropped without a word: a round trip through a map lost them unsaid."""
    (tmp_path / "j.mmd").write_text(
        "---\ntitle: Checkout\nconfig:\n  theme: dark\n---\njourney\n  accTitle: Checkout journey\n"
        "  accDescr {\n    How customers pay\n  }\n  section A\n    Pay: 3: me: extra\n    Wait: 2: me\n"
    )
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "import", "j.mmd")
    assert result.returncode == 0, result.stderr
    assert (
        "Not kept (a map has no place for them): front matter 'config' (line 3), accTitle (line 7), "
        "accDescr (line 8), a task's text after its actors (line 12)." in " ".join(result.stdout.split())
    ), result.stdout
    (tmp_path / "k.mmd").write_text("journey\n  section A\n    Pay: 3: me\n")
    assert "Not kept" not in jm_here(tmp_path, "import", "k.mmd").stdout


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_journey_saved_as_utf16_is_named_so(tmp_path: Path, encoding: str) -> None:
    """PowerShell's ``>`` writes UTF-16: import said "invalid UTF-8 byte 0xff", which does
    not tell a user what their file is, where lint says "file is UTF-16"."""
    (tmp_path / "j.mmd").write_bytes("journey\n  section A\n    Task: 3\n".encode(encoding))
    result = jm_here(tmp_path, "import", "j.mmd")
    assert result.returncode == 1
    assert result.stderr.startswith("j.mmd:1:1: JM008 [mermaid-syntax] error: the file is UTF-"), (
        result.stderr
    )
    assert "save it as UTF-8" in result.stderr


def test_the_map_names_its_source_from_the_project_not_as_typed(tmp_path: Path) -> None:
    """The map's first lines named the source as typed: ``../../j.mmd`` from maps/billing
    (wrong from the map's folder and the project's alike), and an absolute path put the
    user's own folders into a file meant to be committed. It is named from the project's
    folder now, or by its file name when it is outside the project."""
    project = tmp_path / "project"
    (project / "maps" / "billing").mkdir(parents=True)
    (project / "journeymaps.toml").write_text('paths = ["maps"]\n')
    (project / "exports").mkdir()
    journey = "journey\n  section A\n    Task: 3: me\n"
    (project / "exports" / "j.mmd").write_text(journey)
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "k.mmd").write_text(journey)
    billing = project / "maps" / "billing"
    assert jm_here(billing, "import", "../../exports/j.mmd", "--id", "j").returncode == 0
    assert "# Imported from exports/j.mmd:" in (project / "maps" / "j.yaml").read_text()
    outside = (tmp_path / "downloads" / "k.mmd").as_posix()
    assert jm_here(billing, "import", outside, "--id", "k").returncode == 0
    assert "# Imported from k.mmd:" in (project / "maps" / "k.yaml").read_text()
