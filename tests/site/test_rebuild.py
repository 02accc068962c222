"""When ``build`` rebuilds, and what it says: the site follows the maps, the settings and the
code that builds it, and a build says why it ran or why it did nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from in_process import jm_here
from journeymaps.site.staging import MARKER

FIXTURE = Path(__file__).parent / "fixture"
EPOCH = "1795651200"  # 2026-11-22


def build(
    cwd: Path, *paths: str, code: Path | None = None, epoch: str = EPOCH, own_process: bool = False
) -> subprocess.CompletedProcess[str]:
    """``journeymaps build [PATH...]``, in this process (see :mod:`in_process`) unless in
    its ``own_process`` or with ``code``: then the journeymaps found there runs."""
    added = {"SOURCE_DATE_EPOCH": epoch, "JOURNEYMAPS_CACHE": str(cwd.parent / "cache")}
    if code is None and not own_process:
        return jm_here(cwd, "build", *paths, env=added)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env |= added
    if code is not None:
        env["PYTHONPATH"] = str(code / "compiler")
    return subprocess.run(
        [sys.executable, "-m", "journeymaps", "build", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "project")
    return tmp_path / "project"


def test_a_change_to_the_code_rebuilds_the_site(project: Path, tmp_path: Path) -> None:
    """As in an editable install: a rule's message changes, the version does not. The site
    must not keep the old text (it used to: "site/ is up to date")."""
    code = tmp_path / "code"
    for folder in ("compiler", "templates", "schema"):
        shutil.copytree(ROOT / folder, code / folder, ignore=shutil.ignore_patterns("__pycache__"))
    first = build(project, code=code)
    assert first.returncode == 0, first.stderr
    assert "must ask again for what is already known" in (project / "site/findings.html").read_text()
    rule = code / "compiler/journeymaps/rules/handoffs.py"
    rule.write_text(rule.read_text().replace("what is already known", "what was already known"))

    again = build(project, code=code)

    assert again.returncode == 0, again.stderr
    assert "Building site/: journeymaps changed\n" in again.stdout
    findings = (project / "site/findings.html").read_text()
    assert "what was already known" in findings and "what is already known" not in findings


def test_a_change_to_a_template_rebuilds_the_site(project: Path, tmp_path: Path) -> None:
    code = tmp_path / "code"
    for folder in ("compiler", "templates", "schema"):
        shutil.copytree(ROOT / folder, code / folder, ignore=shutil.ignore_patterns("__pycache__"))
    assert build(project, code=code).returncode == 0
    template = code / "templates/format.html"
    template.write_text(template.read_text().replace("for newcomers", "for new colleagues"))
    again = build(project, code=code)
    assert "Building site/: journeymaps changed\n" in again.stdout
    assert "for new colleagues" in (project / "site/format.html").read_text()


def test_build_says_why_it_ran(project: Path) -> None:
    first = build(project)
    assert "Building site/: no previous build\n" in first.stdout

    assert "site/ is up to date" in build(project).stdout

    refund = project / "maps/refund.yaml"
    refund.write_text(refund.read_text().replace("name: Refund issued", "name: Refund sent"))
    (project / "maps/new.yaml").write_text(refund.read_text().replace("id: refund", "id: refund-copy", 1))
    assert "Building site/: maps changed: 2\n" in build(project).stdout

    teams = project / "maps/teams.yaml"
    teams.write_text(teams.read_text() + "\n")
    refund.write_text(refund.read_text().replace("name: Refund sent", "name: Refund issued"))
    assert "Building site/: maps changed: 1, maps/teams.yaml changed\n" in build(project).stdout

    settings = project / "journeymaps.toml"
    settings.write_text(settings.read_text().replace("cost-per-contact = 12", "cost-per-contact = 20"))
    assert "Building site/: settings changed\n" in build(project).stdout

    (project / "maps/new.yaml").unlink()
    later = build(project, epoch=str(int(EPOCH) + 86400))
    assert "Building site/: date changed, maps changed: 1\n" in later.stdout


def test_a_build_of_other_paths_is_not_up_to_date(project: Path) -> None:
    """``journeymaps build site`` (the output named as maps) built a site of no map; the
    ``build`` after it, of every map, said "site/ is up to date", the files read being the
    same, and the site kept no map."""
    assert build(project).returncode == 0
    (project / "drafts").mkdir()
    drafts = build(project, "drafts")
    assert "Built site/: 9 pages, 0 maps" in drafts.stdout  # (no map: no teams diagram, nor its page)
    # ...and said so only as "0 maps", exit 0
    assert drafts.stderr == (
        "journeymaps: warning: no map in drafts: the site lists none (the settings' maps folders: "
        "maps; journeymaps build without a path builds them)\n"
    )
    assert not (project / "site/maps/refund.html").exists()
    again = build(project)
    assert "Building site/: paths changed\n" in again.stdout
    assert (project / "site/maps/refund.html").is_file()
    assert "site/ is up to date" in build(project).stdout  # a build of the maps folders: as before
    assert "Building site/: paths changed\n" in build(project, "maps/refund.yaml").stdout
    (project / "drafts" / "broken.yaml").write_text('id: broken\ntitle: "Refund\n')
    broken = build(project, "drafts")  # listed on the site as a map that cannot be read
    assert "JM001" in broken.stderr and "warning: no map" not in broken.stderr


def test_the_site_named_as_maps_is_refused_and_kept(project: Path) -> None:
    """``journeymaps build site`` replaced the site with one of no map, exit 0."""
    assert build(project).returncode == 0
    for named in ("site", "site/maps", "./site/"):
        refused = build(project, named, own_process=True)  # its exit code and stderr
        assert refused.returncode == 2, refused.stdout
        assert refused.stderr == (
            f"journeymaps: error: {Path(named).as_posix()} is where the site is written, not maps: run "
            "journeymaps build without a path (the maps folders of the settings), name the maps "
            "folders, or give -o FOLDER to write the site elsewhere\n"
        )
    assert (project / "site/maps/refund.html").is_file()
    served = subprocess.run(
        [sys.executable, "-m", "journeymaps", "serve", "site", "--port", "0"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 2 and "site is where the site is written, not maps" in served.stderr


def test_a_site_from_before_stamps_is_rebuilt(project: Path) -> None:
    """A site whose record predates the stamp (or was edited) is built again, and says so."""
    assert build(project).returncode == 0
    marker = project / "site" / MARKER
    record = json.loads(marker.read_text())
    del record["stamp"]
    record["fingerprint"] = "0" * 64  # an older journeymaps hashed other things
    marker.write_text(json.dumps(record))
    again = build(project)
    assert "Building site/: the previous build kept no record of its inputs\n" in again.stdout


def test_a_site_file_deleted_by_hand_is_written_again(project: Path) -> None:
    """A file edited in the built site was noticed and the site built again; one deleted was
    not: ``build`` said "up to date" and the site kept every "Teams" link broken."""
    assert build(project).returncode == 0
    site = project / "site"
    gone = [
        "teams.html",
        "static/style.css",
        *(p.relative_to(site).as_posix() for p in site.glob("diagrams/*.svg")),
    ][:3]
    written = {name: (site / name).read_bytes() for name in gone}
    for name in gone:
        (site / name).unlink()
    again = build(project)
    assert again.returncode == 0, again.stderr
    assert "Building site/: site files deleted since it was built: 3\n" in again.stdout
    assert {name: (site / name).read_bytes() for name in gone} == written
    assert "site/ is up to date" in build(project).stdout


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_files_added_to_the_site_by_hand_are_kept(project: Path, tmp_path: Path) -> None:
    """A team publishing to GitHub Pages added ``site/CNAME`` and ``site/.nojekyll``: the next
    build said "site files edited since it was built: 2" and removed them (the custom domain
    gone with the next deploy). Files no build wrote are left alone; a removed map's page,
    written by a build, still goes; the site's own files are byte for byte as without them."""
    assert build(project).returncode == 0
    site = project / "site"
    mine = {"CNAME": b"journeys.example.com\n", ".nojekyll": b"", ".well-known/security.txt": b"Contact: x\n"}
    for rel, data in mine.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    (site / "robots.txt").symlink_to("CNAME")  # a link the user made: kept as a link
    # a build's staging folder inside the site (a mount point's; a live build's): not the user's
    (site / ".journeymaps-new-live").mkdir()
    (site / ".journeymaps-new-live" / "index.html").write_bytes(b"half")

    assert "site/ is up to date" in build(project).stdout  # none of it is the build's

    refund = project / "maps/refund.yaml"
    (project / "maps/copy.yaml").write_text(refund.read_text().replace("id: refund", "id: refund-copy", 1))
    again = build(project)
    assert again.returncode == 0, again.stderr
    assert "Building site/: maps changed: 1\n" in again.stdout
    assert (site / "maps/refund-copy.html").is_file()
    (project / "maps/copy.yaml").unlink()
    assert build(project).returncode == 0
    assert not (site / "maps/refund-copy.html").exists()  # a page of an earlier build goes
    assert {rel: (site / rel).read_bytes() for rel in mine} == mine
    assert (site / "robots.txt").readlink() == Path("CNAME")
    assert not (site / ".journeymaps-new-live").exists()

    # the build's own files are as a build without the user's files writes them
    ours = _site_files(site)
    for rel in [*mine, "robots.txt"]:
        del ours[rel]
    site.rename(tmp_path / "with-mine")
    assert build(project).returncode == 0
    assert ours == _site_files(site)


def test_a_file_added_by_hand_that_the_build_now_writes_is_said_to_be_replaced(project: Path) -> None:
    """``site/maps/copy.html`` written by hand, then a map with the id ``copy``: the build's
    page took its place and the user's file was gone without a word."""
    assert build(project).returncode == 0
    site = project / "site"
    (site / "maps/copy.html").write_bytes(b"<p>mine</p>\n")
    (site / "CNAME").write_bytes(b"journeys.example.com\n")
    refund = project / "maps/refund.yaml"
    (project / "maps/copy.yaml").write_text(refund.read_text().replace("id: refund", "id: copy", 1))

    result = build(project)

    assert result.returncode == 0, result.stderr
    assert (
        "journeymaps: warning: 1 file added to site/ by hand (maps/copy.html) is now written by the "
        "build, which replaced it: keep yours elsewhere, under another name"
    ) in result.stderr
    assert (site / "CNAME").read_bytes() == b"journeys.example.com\n"
    assert "CNAME" not in result.stderr


def test_a_named_pipe_put_in_the_site_is_said_to_be_left_out(project: Path) -> None:
    """A FIFO in the site (``mkfifo site/feed``) vanished with the next build without a
    word. It is still left out (no web host publishes one, and serve's reader of it would
    wait for good), and said so; the CNAME beside it is kept."""
    assert build(project).returncode == 0
    site = project / "site"
    os.mkfifo(site / "feed")
    (site / "CNAME").write_bytes(b"journeys.example.com\n")
    refund = project / "maps/refund.yaml"
    refund.write_text(refund.read_text().replace("title: ", "title: New ", 1))

    result = build(project)

    assert result.returncode == 0, result.stderr
    assert (
        "journeymaps: warning: left out of site/: feed, neither a file nor a link (a named pipe, a "
        "socket, a device), which no web host publishes"
    ) in result.stderr
    assert not (site / "feed").exists() and (site / "CNAME").is_file()


def test_an_empty_folder_made_in_the_site_by_hand_is_kept(project: Path) -> None:
    """``mkdir site/.well-known`` (its file to come): the next build dropped the folder,
    though a file there was kept. A removed map's folder of pages is still the build's."""
    assert build(project).returncode == 0
    site = project / "site"
    for rel in (".well-known", "downloads/2026", "maps/drafts"):
        (site / rel).mkdir(parents=True)
    refund = project / "maps/refund.yaml"
    refund.write_text(refund.read_text().replace("title: ", "title: New ", 1))

    result = build(project)

    assert result.returncode == 0, result.stderr
    assert all((site / rel).is_dir() for rel in (".well-known", "downloads/2026", "maps/drafts"))
    assert not list((site / ".well-known").iterdir())


@pytest.mark.parametrize("damage", ["stray-byte", "files-emptied"])
def test_a_marker_that_cannot_be_read_loses_none_of_the_users_files(project: Path, damage: str) -> None:
    """The marker edited by hand (a stray byte, its list of files emptied): the site was
    built again whole and the CNAME and .nojekyll the user added were gone without a word
    (the custom domain with the next deploy). With no list of the build's files, every file
    the build does not write is kept and named, and the site is the build's otherwise. (A
    marker from before the list has no such key: its build's files were all the site's.)"""
    assert build(project).returncode == 0
    site = project / "site"
    mine = {"CNAME": b"journeys.example.com\n", ".nojekyll": b"", ".well-known/security.txt": b"Contact: x\n"}
    for rel, data in mine.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    if damage == "stray-byte":
        (site / MARKER).write_bytes(b'{"files": ["index.html"], "fingerprint": \xff}\n')
    else:
        (site / MARKER).write_text(
            json.dumps({**json.loads((site / MARKER).read_text("utf-8")), "files": []})
        )

    result = build(project)

    assert result.returncode == 0, result.stderr
    assert {rel: (site / rel).read_bytes() for rel in mine} == mine
    assert (
        "journeymaps: warning: site/.journeymaps-site could not be read, so the build could not tell "
        "the files it wrote from yours: kept 3 files it does not write (.nojekyll, .well-known/security.txt, "
        "CNAME); delete those that are not yours"
    ) in result.stderr
    assert json.loads((site / MARKER).read_text("utf-8"))["maps"] == 1
    again = build(project)  # the marker whole again: the user's files are no build's
    assert "site/ is up to date" in again.stdout
    assert again.stderr == ""
    assert (project / "maps/refund.yaml").write_text(
        (project / "maps/refund.yaml").read_text().replace("title: ", "title: New ", 1)
    )
    assert build(project).returncode == 0
    assert {rel: (site / rel).read_bytes() for rel in mine} == mine
