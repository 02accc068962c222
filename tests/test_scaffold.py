"""journeymaps init and new: a start that lints and builds from the first minute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import jm
from in_process import jm_here


def test_init_scaffolds_a_repository_that_lints_and_builds(tmp_path: Path) -> None:
    result = jm(tmp_path, "init")
    assert result.returncode == 0
    for rel in (
        "maps/teams.yaml",
        "maps/first-journey.yaml",
        "journeymaps.toml",
        ".pre-commit-config.yaml",
        ".github/workflows/journeymaps.yml",
    ):
        assert (tmp_path / rel).is_file(), rel
        if rel.endswith((".yaml", ".yml")):
            yaml.safe_load((tmp_path / rel).read_text())
    lint = json.loads(jm(tmp_path, "lint", "--format", "json").stdout)
    assert lint["summary"]["errors"] == 0
    # The prompts to fill the template in: evidence for each stage, text for each TODO.
    assert {f["rule"] for f in lint["findings"]} == {"unvalidated-stage", "placeholder-text"}
    assert jm(tmp_path, "build").returncode == 0 and (tmp_path / "site" / "index.html").is_file()


def test_init_into_a_folder_says_to_go_there_first(tmp_path: Path) -> None:
    """'journeymaps init journeys' then 'journeymaps lint', as it said, found no maps folder:
    the settings are found from the working folder."""
    result = jm_here(tmp_path, "init", "cx journeys")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == (
        "Next: cd 'cx journeys', edit maps/first-journey.yaml into your first map (or delete it and start "
        "one with journeymaps new ID), then run journeymaps lint and journeymaps build."
    )
    assert jm_here(tmp_path / "cx journeys", "lint").returncode == 0
    assert "Next: edit maps/" in jm_here(tmp_path / "cx journeys", "init").stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text("teams: [{id: mine, name: Mine}]\n")
    result = jm_here(tmp_path, "init")
    assert "kept    maps/teams.yaml" in result.stdout.replace(str(tmp_path) + "/", "")
    assert (tmp_path / "maps" / "teams.yaml").read_text() == "teams: [{id: mine, name: Mine}]\n"


def test_init_again_does_not_bring_back_the_example_map_a_team_deleted(tmp_path: Path) -> None:
    """A team deletes the example map once it has maps of its own; ``init`` run again (to
    get the files a newer version adds) wrote it back, 22 placeholder warnings and a page."""
    assert jm_here(tmp_path, "init").returncode == 0
    assert jm_here(tmp_path, "new", "refund-delay").returncode == 0
    (tmp_path / "maps" / "first-journey.yaml").unlink()
    (tmp_path / ".gitignore").unlink()
    result = jm_here(tmp_path, "init")
    said = result.stdout.replace(str(tmp_path) + "/", "")
    assert "skipped maps/first-journey.yaml (maps/ has maps already)" in said
    assert "created .gitignore" in said and "kept    maps/teams.yaml" in said
    assert (
        said.splitlines()[-1]
        == "Next: run journeymaps lint and journeymaps build (journeymaps new ID starts a map)."
    )
    assert not (tmp_path / "maps" / "first-journey.yaml").exists()


def test_new_refuses_an_id_a_map_has_already(tmp_path: Path) -> None:
    """``new admin-locked-out`` beside maps/support/admin-locked-out.yaml wrote a second map
    of that id, exit 0, and lint then blamed the first one (duplicate-id)."""
    assert jm_here(tmp_path, "init").returncode == 0
    (tmp_path / "maps" / "support").mkdir()
    (tmp_path / "maps" / "first-journey.yaml").rename(tmp_path / "maps" / "support" / "locked.yaml")
    result = jm_here(tmp_path, "new", "first-journey", "--template", "lifecycle")
    assert result.returncode == 2
    assert "a map with id 'first-journey' exists already: maps/support/locked.yaml" in result.stderr
    assert sorted(p.name for p in (tmp_path / "maps").rglob("*.yaml")) == ["locked.yaml", "teams.yaml"]
    assert jm_here(tmp_path, "new", "first-journey-2").returncode == 0  # another id: written


@pytest.mark.parametrize("template", ["support-issue", "lifecycle", "service-blueprint"])
def test_new_map_from_each_template_is_valid(tmp_path: Path, template: str) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    result = jm_here(
        tmp_path, "new", "refund-delay", "--template", template, "--title", 'Refund "late" <again>'
    )
    assert result.returncode == 0 and "Created maps/refund-delay.yaml" in result.stdout
    data = yaml.safe_load((tmp_path / "maps" / "refund-delay.yaml").read_text())
    assert data["title"] == 'Refund "late" <again>' and data["owner"] == "support"  # the first team
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert lint["summary"]["errors"] == 0, lint["findings"]
    # "will: lets admins update the card" read "We believe ... will lets admins ..." on the site:
    # the map says how its hypothesis is read before the user writes it.
    text = (tmp_path / "maps" / "refund-delay.yaml").read_text()
    assert '"We believe <believe> will <will>. We will know we succeeded when <signal>."' in text


def test_a_map_not_filled_in_yet_puts_no_made_up_numbers_on_the_site(tmp_path: Path) -> None:
    """The template's `volume: 100` put $14,400 a year of a map still all TODOs into the
    portfolio's cost of inaction, and its example KPIs went to the scorecard as measured ones
    no lint finding named."""
    (tmp_path / "journeymaps.toml").write_text("cost-per-contact = 12\n")
    assert jm_here(tmp_path, "init").returncode == 0
    for template in ("lifecycle", "service-blueprint"):
        assert jm_here(tmp_path, "new", f"new-{template}", "--template", template).returncode == 0
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    kpis = [f for f in lint["findings"] if f["rule"] == "placeholder-text" and ".kpis[" in f["message"]]
    assert len(kpis) == 3, kpis  # one example KPI in each template, until it is written
    assert jm(tmp_path, "build").returncode == 0
    home = (tmp_path / "site" / "index.html").read_text()
    assert "Cost of inaction across the current maps" not in home and "$" not in home


@pytest.mark.parametrize(
    ("teams", "owner"),
    [
        ("teams: [{id: mine, name: Mine}]\n", "mine"),
        ("teams: " + "[" * 50_000 + "\n", "support"),  # was 'internal error: RecursionError'
        ("teams: [{id: [mine], name: Mine}]\n", "support"),  # was owner: '[''mine'']'
    ],
)
def test_new_takes_the_first_team_of_a_teams_file_lint_can_read(
    tmp_path: Path, teams: str, owner: str
) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text(teams)
    result = jm(tmp_path, "new", "refund-delay")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((tmp_path / "maps" / "refund-delay.yaml").read_text())["owner"] == owner


def test_new_with_an_owner_teams_yaml_lacks_says_so_when_it_writes_the_map(tmp_path: Path) -> None:
    """`new refund --owner finance` wrote the map without a word, and lint then reported
    'finance' at each of its eight owners."""
    assert jm_here(tmp_path, "init").returncode == 0
    result = jm_here(tmp_path, "new", "refund", "--owner", "finance")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Team 'finance' is not in maps/teams.yaml yet: add it there, or lint reports each owner it gave."
    )
    listed = jm_here(tmp_path, "new", "refund-two", "--owner", "product")  # a team it lists: nothing to say
    assert "not in maps/teams.yaml" not in listed.stdout


def test_new_refuses_bad_ids_and_existing_files(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    bad = jm_here(tmp_path, "new", "Refund Delay")
    assert bad.returncode == 2 and "Invalid value for 'ID': 'Refund Delay' is not a valid id" in bad.stderr
    # the id it could be, from the words typed: not an unrelated 'login-fails'
    assert "single hyphens, e.g. 'refund-delay'" in bad.stderr, bad.stderr
    again = jm_here(tmp_path, "new", "first-journey")
    assert again.returncode == 2 and "a map with id 'first-journey' exists already" in again.stderr
    over = jm_here(tmp_path, "new", "another", "-o", "maps/first-journey.yaml")  # a file there: kept
    assert over.returncode == 2 and "already exists" in over.stderr


LONG_ID = "a" * 101


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # a 300-character id ended in "File name too long"; 101 wrote a map lint refused
        (
            ["new", "a" * 300],
            "Invalid value for 'ID': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long",
        ),
        (
            ["new", LONG_ID],
            "Invalid value for 'ID': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long "
            "(101 characters; an id has at most 100)",
        ),
        (
            ["new", "refunds", "--owner", "../../x"],
            "Invalid value for '--owner': '../../x' is not a team id: name the team by its id in "
            "teams.yaml (lowercase letters, digits and single hyphens, e.g. 'support'), not by its name",
        ),
        (
            ["new", "refunds", "--owner", "a" * 101],
            "Invalid value for '--owner': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long",
        ),
        (
            ["import", "j.mmd", "--id", LONG_ID],
            "Invalid value for '--id': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long",
        ),
        (["import", "j.mmd", "--id", "Refunds"], "Invalid value for '--id': 'Refunds' is not a valid id"),
        (
            ["import", "j.mmd", "--owner", "../../x"],
            "Invalid value for '--owner': '../../x' is not a team id",
        ),
    ],
)
def test_new_and_import_refuse_an_id_or_owner_the_schema_refuses(
    tmp_path: Path, args: list[str], said: str
) -> None:
    """The rule is the schema's own (its ``id`` and ``teamId``): refused before anything is
    written, as a usage error."""
    assert jm_here(tmp_path, "init").returncode == 0
    (tmp_path / "j.mmd").write_text("journey\n  title Refunds\n  section Ask\n    Write in: 3: support\n")
    before = sorted(p.name for p in (tmp_path / "maps").iterdir())
    result = jm_here(tmp_path, *args)
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == before


def test_an_id_of_100_characters_is_a_map(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    assert jm_here(tmp_path, "new", "a" * 100, "--owner", "b" * 100).returncode == 0
    assert jm_here(tmp_path, "lint", "--select", "schema").returncode == 0


def schema_comment_target(path: Path) -> Path:
    """The file a map's yaml-language-server comment points at."""
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    ref = first.split("=", 1)[1]
    assert "://" not in ref, f"{ref}: editors must find the schema offline"
    return (path.parent / ref).resolve()


def test_init_gives_editors_a_schema_they_can_read_offline(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    for rel, name in (
        ("maps/first-journey.yaml", "journey-map.schema.json"),
        ("maps/teams.yaml", "teams.schema.json"),
    ):
        target = schema_comment_target(tmp_path / rel)
        assert target == (tmp_path / "schema" / name).resolve()
        assert json.loads(target.read_text())["$id"].endswith(name)  # a real copy of the schema
    assert (tmp_path / "journeymaps.toml").read_text().startswith("#:schema ./schema/config.schema.json")
    assert (tmp_path / "schema" / "config.schema.json").is_file()
    # What `journeymaps schema` prints is what init wrote.
    printed = json.loads(jm_here(tmp_path, "schema").stdout)
    assert printed == json.loads((tmp_path / "schema" / "journey-map.schema.json").read_text())


def test_an_outdated_schema_copy_is_reported_and_schema_write_updates_it(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    copy = tmp_path / "schema" / "journey-map.schema.json"
    old = json.loads(copy.read_text())
    old["properties"].pop("goal")  # as if written by an earlier journeymaps
    copy.write_text(json.dumps(old))
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    [finding] = [f for f in lint["findings"] if f["rule"] == "schema-reference"]
    assert (finding["file"], finding["line"], finding["column"]) == ("maps/first-journey.yaml", 1, 33)
    assert "run 'journeymaps schema --write schema' to update it" in finding["message"]
    write = jm_here(tmp_path, "schema", "--write", "schema")
    assert write.returncode == 0
    assert "updated   schema/journey-map.schema.json" in write.stdout
    assert "unchanged schema/teams.schema.json" in write.stdout
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert "schema-reference" not in {f["rule"] for f in lint["findings"]}


def test_a_missing_schema_or_a_dead_address_is_reported(tmp_path: Path) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    teams = tmp_path / "maps" / "teams.yaml"
    teams.write_text(
        teams.read_text().replace(
            "../schema/teams.schema.json", "https://journeymaps.dev/schema/teams.schema.json"
        )
    )
    (tmp_path / "schema" / "journey-map.schema.json").unlink()
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    found = {f["file"]: f["message"] for f in lint["findings"] if f["rule"] == "schema-reference"}
    assert "does not exist" in found["maps/first-journey.yaml"]
    assert "no host serves" in found["maps/teams.yaml"]


def test_new_writes_the_schemas_when_the_repository_has_none(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    result = jm_here(tmp_path, "new", "refund-delay")
    assert result.returncode == 0, result.stderr
    assert "Wrote schema/journey-map.schema.json" in result.stdout
    target = schema_comment_target(tmp_path / "maps" / "refund-delay.yaml")
    assert target == (tmp_path / "schema" / "journey-map.schema.json").resolve()
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert "schema-reference" not in {f["rule"] for f in lint["findings"]}


@pytest.mark.parametrize("template", ["support-issue", "lifecycle", "service-blueprint"])
def test_templates_show_every_block_and_write_titles_as_typed(tmp_path: Path, template: str) -> None:
    assert jm_here(tmp_path, "init").returncode == 0
    assert (
        jm_here(tmp_path, "new", "cant-log-in", "--template", template, "--title", "can't log in").returncode
        == 0
    )
    text = (tmp_path / "maps" / "cant-log-in.yaml").read_text()
    assert '\ntitle: "can\'t log in"\n' in text  # not can\u0027t
    data = yaml.safe_load(text)
    for block in ("evidence", "kpis", "steps"):
        assert any(stage.get(block) for stage in data["stages"]), block
    assert data["pain_points"][0]["severity"] and data["opportunities"][0]["addresses"]
    assert "\n# handoffs:\n#   - from: " in text  # shown, to uncomment when teams change
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json", "maps/cant-log-in.yaml").stdout)
    assert lint["summary"]["errors"] == 0
    placeholders = [f for f in lint["findings"] if f["rule"] == "placeholder-text"]
    assert placeholders and all("TODO" in f["message"] for f in placeholders)
    # The pain point's comments in one column: the support issue's "at: contact.opens-ticket"
    # pushed its comment past the others'.
    block = text[text.index("\npain_points:") :].split("\n")[1:8]
    columns = {line.index(" # ") for line in block if " # " in line and not line.lstrip().startswith("#")}
    assert len(columns) == 1, block


def test_each_map_is_judged_by_the_copy_its_own_reference_leads_to(tmp_path: Path) -> None:
    """What a reference says is worked out once per folder, reference and kind in a run
    (1,000 maps point at one copy), never shared between maps whose same text leads to
    different copies: a map one folder deeper, its reference not adjusted, points at a
    missing copy; one in the same folder as a good map points at an outdated one."""
    assert jm_here(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    text = first.read_text()
    deeper = tmp_path / "maps" / "deeper" / "second.yaml"
    deeper.parent.mkdir()
    deeper.write_text(text.replace("id: first-journey", "id: second", 1))
    old_copy = tmp_path / "maps" / "old.schema.json"
    old = json.loads((tmp_path / "schema" / "journey-map.schema.json").read_text())
    old["properties"].pop("goal")
    old_copy.write_text(json.dumps(old))
    (tmp_path / "maps" / "third.yaml").write_text(
        text.replace("id: first-journey", "id: third", 1).replace(
            "../schema/journey-map.schema.json", "old.schema.json"
        )
    )
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    found = {f["file"]: f["message"] for f in lint["findings"] if f["rule"] == "schema-reference"}
    assert sorted(found) == ["maps/deeper/second.yaml", "maps/third.yaml"]
    assert "does not exist" in found["maps/deeper/second.yaml"]
    # The copy init wrote is where the comment should point: written where the old path
    # led instead (the fix it gave), a copy landed outside the project for a map at the top
    assert found["maps/deeper/second.yaml"].endswith(
        "point the comment at ../../schema/journey-map.schema.json, this version's copy"
    )
    assert "is not this journeymaps version's" in found["maps/third.yaml"]


def test_init_workflow_checks_out_the_history_the_site_shows(tmp_path: Path) -> None:
    """The site's What changed page reads the last quarter of commits: a shallow checkout
    (actions/checkout's default) would publish "The history is incomplete" on every build."""
    assert jm_here(tmp_path, "init").returncode == 0
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "journeymaps.yml").read_text())
    steps = workflow["jobs"]["lint-and-build"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout.get("with", {}).get("fetch-depth") == 0
    assert any("journeymaps build" in s.get("run", "") for s in steps)


def test_init_workflow_builds_on_pushes_to_the_branch_the_repository_has(tmp_path: Path) -> None:
    """In a repository whose first branch git named master, the workflow said
    ``branches: [main]``: pushed, it never built the site on a push, and nothing said why."""
    import subprocess

    def branches(folder: Path) -> list[str]:
        assert jm_here(folder, "init").returncode == 0
        workflow = yaml.safe_load((folder / ".github" / "workflows" / "journeymaps.yml").read_text())
        return workflow[True]["push"]["branches"]  # PyYAML reads the key `on` as True

    def git(folder: Path, *args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    git(fresh, "init", "-q", "-b", "master")
    assert branches(fresh) == ["master"]  # no commit yet: the branch HEAD names
    used = tmp_path / "used"
    used.mkdir()
    git(used, "init", "-q", "-b", "master")
    git(
        used,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x",
    )
    git(used, "checkout", "-q", "-b", "add-journeymaps")  # init on a topic branch: still master
    assert branches(used) == ["master"]
    git(used, "checkout", "-q", "-b", "trunk")
    cloned = tmp_path / "cloned"
    git(tmp_path, "clone", "-q", str(used), str(cloned))
    git(cloned, "checkout", "-q", "-b", "topic")
    assert branches(cloned) == ["trunk"]  # the one origin/HEAD names
    for folder in (tmp_path / "no-repo", tmp_path / "odd"):
        folder.mkdir()
    git(tmp_path / "odd", "init", "-q", "-b", "yes")  # a word YAML reads as true
    assert branches(tmp_path / "no-repo") == ["main"]
    assert branches(tmp_path / "odd") == ["main"]


def test_init_keeps_the_built_site_out_of_git_and_says_what_the_workflow_needs(tmp_path: Path) -> None:
    """A newcomer's `git add -A` after `journeymaps build` committed the site (and serve's
    spare copy of it); the workflow, pushed as written, failed at pip install, nothing on
    the terminal having said to set where journeymaps comes from."""
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = jm_here(tmp_path, "init")
    assert "Before you push: set JOURNEYMAPS in .github/workflows/journeymaps.yml" in result.stdout
    assert jm(tmp_path, "build").returncode == 0
    assert jm(tmp_path, "render").returncode == 0  # diagrams/, render's default, was listed
    assert (tmp_path / "diagrams" / "first-journey.journey.svg").is_file()
    (tmp_path / ".site.new-x1y2z3").mkdir()  # serve's spare, while it runs
    (tmp_path / ".site.new-x1y2z3" / "index.html").write_text("<p>spare</p>")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)  # journeymaps installed here, as the README says
    (tmp_path / ".venv" / "bin" / "journeymaps").write_text("#!/bin/sh\n")
    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    ).stdout
    assert "site/" not in listed and ".site.new" not in listed and "diagrams/" not in listed, listed
    assert ".venv" not in listed, listed
    assert "maps/first-journey.yaml" in listed and ".gitignore" in listed
    again = jm_here(tmp_path, "init")  # nothing written: nothing to set
    assert "Before you push" not in again.stdout


def test_the_readme_map_in_ten_lines_lints_in_a_new_repository(tmp_path: Path) -> None:
    """Copied into a repository `init` had just made, it failed: its persona was an id from a
    personas.yaml that only this repository has."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme[readme.index("## A map in ten lines") :]
    text = section[section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", 10)]
    assert jm_here(tmp_path, "init").returncode == 0
    (tmp_path / "maps" / "admin-locked-out.yaml").write_text(text)
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json", "maps/admin-locked-out.yaml").stdout)
    assert lint["summary"]["errors"] == 0, lint["findings"]


def test_the_readme_says_where_each_command_writes(tmp_path: Path) -> None:
    """`cd maps && journeymaps render` wrote maps/diagrams/ (which init's .gitignore does not
    cover); it now writes beside the settings, as build and serve do, and measure did, and
    so does baseline (it wrote maps/.journeymaps-baseline.json, which the project's lint
    never read): the README says where each command writes."""
    assert jm_here(tmp_path, "init").returncode == 0
    assert jm(tmp_path / "maps", "render").returncode == 0
    assert (tmp_path / "diagrams").is_dir() and not (tmp_path / "maps" / "diagrams").exists()
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    commands = " ".join(readme[readme.index("## Commands") : readme.index("`lint` options")].split())
    assert (
        "`build`, `serve` and `render` write their outputs (`site/`, `diagrams/`) beside the project's settings file"
        in commands
    )
    assert "`baseline` writes `.journeymaps-baseline.json` beside the settings file too" in commands
    assert jm(tmp_path / "maps", "baseline").returncode == 0
    assert (tmp_path / ".journeymaps-baseline.json").is_file()
    assert not (tmp_path / "maps" / ".journeymaps-baseline.json").exists()
    assert "`measure` writes its snapshots relative to the settings file's folder" in commands


@pytest.mark.parametrize("char", ["\ufffe", "\u2028", "\u2029", "\t"])
def test_a_title_holding_what_yaml_refuses_or_folds_is_written_as_its_escape(
    tmp_path: Path, char: str
) -> None:
    """json.dumps writes U+FFFE as it is: ``new --title`` wrote a map lint refused
    (yaml-syntax); U+2028 was folded by YAML into nothing, and the title read back was not
    the one typed."""
    result = jm_here(tmp_path, "new", "m", "--title", f"a{char}b")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "maps" / "m.yaml").read_text(encoding="utf-8"))
    assert data["title"] == f"a{char}b"
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json", "maps/m.yaml").stdout)
    assert not [f for f in lint["findings"] if f["rule"].startswith("text-")]


@pytest.mark.parametrize(
    ("char", "said"),
    [
        ("\x7f", "U+007F, a control character (text-control-character)"),
        ("\x9f", "U+009F, a control character (text-control-character)"),
        ("\x85", "U+0085, a control character (text-control-character)"),
        ("\x1b", "U+001B, a control character (text-control-character)"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE, a direction control (text-direction-control)"),
    ],
)
def test_a_title_holding_what_lint_reports_is_refused(tmp_path: Path, char: str, said: str) -> None:
    """``new --title`` wrote DEL, NEL, ESC or a direction control into the map as its escape,
    exit 0, and the map's first lint warned about the title just typed (JM904, JM903). Now
    refused, naming the character and the rule; no map is written."""
    result = jm_here(tmp_path, "new", "m", "--title", f"a{char}b")
    assert result.returncode == 2, result.stdout
    shown = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    assert (
        f"Invalid value for '--title': 'a{shown}b' holds {said}, which lint reports in a map" in result.stderr
    )
    assert char not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "maps" / "m.yaml").exists()


def test_a_title_that_is_not_utf8_is_refused_in_words(tmp_path: Path) -> None:
    """A title with a byte that is not UTF-8 (from a Latin-1 shell) ended ``new`` in
    'internal error: UnicodeEncodeError'."""
    result = jm_here(tmp_path, "new", "m", "--title", "Caf\udce9")  # b"Caf\xe9"
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "--title" in result.stderr and "not UTF-8" in result.stderr and "internal error" not in result.stderr
    )
    assert not (tmp_path / "maps" / "m.yaml").exists()


def test_init_that_cannot_write_one_file_writes_none(tmp_path: Path) -> None:
    """A file named .github (where the workflow's folder goes) stopped ``init`` half-way:
    the maps, schemas, settings and pre-commit config were written, the workflow and the
    .gitignore not, and the command failed. Now nothing is written; the error names why."""
    (tmp_path / ".github").write_text("")
    result = jm(tmp_path, "init")  # the error main() says: a real process
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ".github is a file, not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == [".github"]  # no folder made either


def test_init_in_a_project_configured_in_pyproject_keeps_its_settings(tmp_path: Path) -> None:
    """``init`` wrote a journeymaps.toml beside a pyproject.toml holding [tool.journeymaps];
    journeymaps.toml is found first, so the project's settings were dropped without a word:
    its maps folder (journeys/) was no longer linted, its rules no longer applied, and the
    example map and teams went into a maps/ the project does not use."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.journeymaps]\npaths = ["journeys"]\nsite-title = "Acme"\n'
    )
    (tmp_path / "journeys").mkdir()
    result = jm_here(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "journeymaps.toml").exists()
    assert "skipped journeymaps.toml (the settings are in pyproject.toml)" in result.stdout
    assert (tmp_path / "journeys" / "teams.yaml").is_file()
    assert (tmp_path / "journeys" / "first-journey.yaml").is_file() and not (tmp_path / "maps").exists()
    assert "Next: edit journeys/first-journey.yaml" in result.stdout
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert lint["summary"]["errors"] == 0 and lint["summary"]["maps"] == 1
    assert {f["file"] for f in lint["findings"]} == {"journeys/first-journey.yaml"}


def test_init_puts_the_example_into_the_maps_folder_its_settings_name(tmp_path: Path) -> None:
    """With a journeymaps.toml naming paths = ["docs/journeys"], init made maps/ beside it,
    and lint then failed: "paths: 'docs/journeys' does not exist"."""
    (tmp_path / "journeymaps.toml").write_text('paths = ["docs/journeys"]\n')
    result = jm_here(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs" / "journeys" / "first-journey.yaml").is_file()
    assert not (tmp_path / "maps").exists()
    assert jm_here(tmp_path, "lint", "--format", "json").returncode == 0


@pytest.mark.parametrize("command", [["new", "abc"], ["import", "j.mmd"]])
def test_new_and_import_that_cannot_write_the_map_write_no_schema_either(
    tmp_path: Path, command: list[str]
) -> None:
    """The schema copies were written first, then the map failed (-o through a file): the
    command failed, and left a schema/ folder behind in a project that had none."""
    (tmp_path / "afile").write_text("")
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    result = jm_here(tmp_path, *command, "-o", "afile/m.yaml")
    assert result.returncode == 2 and "afile is a file, not a folder" in result.stderr
    assert not (tmp_path / "schema").exists()


@pytest.mark.parametrize("command", [["new", "abc"], ["import", "j.mmd"]])
def test_an_output_named_as_a_folder_is_refused_not_made_a_file(tmp_path: Path, command: list[str]) -> None:
    """``-o journeys/`` (a folder, by its slash) wrote the map as a file named journeys."""
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    result = jm_here(tmp_path, *command, "-o", "journeys/")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'journeys/' names a folder: name the map's file" in result.stderr, result.stderr
    assert not (tmp_path / "journeys").exists()


@pytest.mark.parametrize("command", [["new", "abc"], ["import", "j.mmd", "--id", "abc"]])
def test_a_team_id_the_format_refuses_is_never_the_default_owner(tmp_path: Path, command: list[str]) -> None:
    """The first team of teams.yaml became the owner as written: an id lint refuses there
    ("Bad team: x") made new write a map that was not YAML, and import refuse the journey
    ("got nothing (null)"). The first team whose id is one is taken."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text(
        'teams:\n  - {id: "Bad team: x", name: Bad}\n  - {id: good, name: Good}\n'
    )
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    result = jm_here(tmp_path, *command)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((tmp_path / "maps" / "abc.yaml").read_text())["owner"] == "good"


@pytest.mark.parametrize(
    "written",
    [
        b"id: taken\r\ntitle: T\r\nstages: []\r\n",  # saved on Windows
        b"\xef\xbb\xbfid: taken\ntitle: T\nstages: []\n",  # by Notepad, with a BOM
        b'"id": taken\ntitle: T\nstages: []\n',  # a quoted key
        b"id: taken # the one\r\ntitle: T\r\n",
        b"# " + b"a long header comment " * 500 + b"\ntitle: T\nid: taken\n",  # id after 8 KB
        b"{id: taken, title: T, stages: []}\n",  # flow style
        b"title: T\nid: 'taken'  \n",  # quoted, with trailing spaces after the quote
    ],
)
def test_new_finds_a_map_of_its_id_however_the_file_is_saved(tmp_path: Path, written: bytes) -> None:
    """The id was looked for with LF line ends, no BOM and a bare key: a map saved on Windows
    (CR LF) or by Notepad (a BOM) was not found, and new wrote a second map of that id. So was
    one whose id came after its first 8 KB, or written in flow style."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "other.yaml").write_bytes(written)
    result = jm_here(tmp_path, "new", "taken")
    assert result.returncode == 2 and "a map with id 'taken' exists already: maps/other.yaml" in result.stderr
    assert not (tmp_path / "maps" / "taken.yaml").exists()


def test_schema_write_that_cannot_write_one_copy_changes_none(tmp_path: Path) -> None:
    """A folder where one copy goes (schema/personas.schema.json/) stopped ``schema --write``
    half-way: two copies written, two not, and the command failed. All or none now."""
    (tmp_path / "schema" / "personas.schema.json").mkdir(parents=True)
    result = jm_here(tmp_path, "schema", "--write", "schema")
    assert result.returncode == 2 and "it is a folder, not a file" in result.stderr
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == ["personas.schema.json"]


@pytest.mark.parametrize(
    "command",
    [["new", "personas"], ["new", "teams"], ["import", "j.mmd"], ["new", "x", "-o", "maps/personas.yaml"]],
)
def test_a_map_is_never_written_as_a_registry_file(tmp_path: Path, command: list[str]) -> None:
    """``new personas`` (or importing a journey titled "Personas") wrote the map as
    maps/personas.yaml, which lint reads as the personas registry: a wall of schema errors
    ("unknown key 'id'; allowed here: personas")."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text("journey\n  title Personas\n  section A\n    Task: 3: me\n")
    result = jm_here(tmp_path, *command)
    assert result.returncode == 2, result.stdout
    assert "is where lint reads the" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "maps").iterdir()) == []


@pytest.mark.parametrize("ident", ["012", "0x1f", "1e3", "1e-3", "404", "true", "false", "null", "yes", "on"])
def test_an_id_yaml_would_read_as_a_number_or_a_word_is_written_quoted(tmp_path: Path, ident: str) -> None:
    """``new 404`` (or ``--owner 0x1f``) wrote ``id: 404`` unquoted: read as a number (012
    octal, 0x1f hex, 1e3 a float; true, null...), and lint refused the map it had just
    written ("id: expected text, got 404"). So did import, of a journey titled "2024" or a
    section named "404"."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "teams.yaml").write_text(f'teams:\n  - {{id: "{ident}", name: T}}\n')
    assert jm_here(tmp_path, "new", ident, "--owner", ident).returncode == 0
    (tmp_path / "j.mmd").write_text(f"journey\n  title T\n  section {ident}\n    {ident}: 3: {ident}\n")
    assert jm_here(tmp_path, "import", "j.mmd", "--id", f"imported-{ident}", "--owner", ident).returncode == 0
    lint = json.loads(jm_here(tmp_path, "lint", "--format", "json").stdout)
    assert [f for f in lint["findings"] if f["severity"] == "error"] == []
    data = yaml.safe_load((tmp_path / "maps" / f"imported-{ident}.yaml").read_text())
    assert data["stages"][0]["id"] == ident and data["stages"][0]["steps"][0]["id"] == ident


@pytest.mark.parametrize(
    ("command", "link"),
    [
        (["new", "abc"], "maps/abc.yaml"),
        (["import", "j.mmd", "--id", "abc"], "maps/abc.yaml"),
        (["new", "abc", "-o", "mine.yaml"], "mine.yaml"),
        (["init"], ".gitignore"),
    ],
)
def test_a_link_to_a_missing_file_is_never_replaced(tmp_path: Path, command: list[str], link: str) -> None:
    """A link whose file is not there yet (a dotfile manager's) did not 'exist': new and
    import replaced it with the map, init with its .gitignore, and the user's link was lost."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    (tmp_path / link).symlink_to(tmp_path / "elsewhere" / "kept.yaml")
    result = jm_here(tmp_path, *command)
    assert (tmp_path / link).is_symlink(), result.stdout
    assert not (tmp_path / "elsewhere").exists()
    assert "Traceback" not in result.stderr
    if command != ["init"]:
        assert result.returncode == 2
        assert (
            f"{link} already exists, as a link to {(tmp_path / 'elsewhere' / 'kept.yaml').as_posix()} (missing)"
            in result.stderr
        )
    else:
        assert result.returncode == 0 and f"kept    {link}" in result.stdout


@pytest.mark.parametrize(
    ("command", "link"),
    [
        (["init"], "maps"),
        (["schema", "--write", "schema"], "schema"),
        (["schema", "--write", "schema"], "schema/journey-map.schema.json"),
        (["new", "abc"], "maps"),
        (["import", "j.mmd", "--id", "abc"], "maps"),
    ],
)
def test_nothing_is_made_through_a_link_out_of_the_project_to_nothing(
    tmp_path: Path, command: list[str], link: str
) -> None:
    """``maps -> /nonexistent/x``: init, new and import made /nonexistent/x and wrote the
    maps there; schema --write did so through ``schema``. The link is named, and nothing is
    made outside the project."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    (project / link).symlink_to(outside / "x")
    result = jm_here(project, *command)
    assert not outside.exists(), result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    said = f"{link} is a link to {(outside / 'x').as_posix()}, which is outside the project and not there"
    if command == ["init"]:  # as for a file there already: the rest is written
        assert result.returncode == 0
        assert f"skipped maps/teams.yaml ({said}" in result.stdout
        assert (project / "journeymaps.toml").is_file()
    else:
        assert result.returncode == 2 and said in result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    ("command", "link", "leads"),
    [
        (["new", "abc"], "maps", "shared"),
        (["import", "j.mmd", "--id", "abc"], "maps", "shared"),
        (["init"], "maps", "shared"),
        (["schema", "--write", "schema"], "schema", "shared"),
        (["schema", "--write", "schema"], "schema/journey-map.schema.json", "shared/journey-map.schema.json"),
    ],
)
def test_nothing_is_written_through_a_link_out_of_the_project(
    tmp_path: Path, command: list[str], link: str, leads: str
) -> None:
    """``maps -> ~/elsewhere`` (a cloned repository's link, say): ``new`` wrote the map into
    that folder, outside the project, and ``schema --write`` replaced a linked schema with
    a file. As git writes nothing beyond a link out of its work tree: the link is named
    with where it leads, nothing is written (init skips those files, as it keeps a file
    there already)."""
    project, shared = tmp_path / "project", tmp_path / "shared"
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    shared.mkdir()
    (shared / "journey-map.schema.json").write_text("{}\n")
    (project / "j.mmd").write_text("journey\n  section A\n    Task: 3: me\n")
    (project / link).symlink_to(tmp_path / leads)
    before = _tree(shared)
    result = jm_here(project, *command)
    assert _tree(shared) == before, result.stdout + result.stderr
    assert (project / link).is_symlink()
    assert "Traceback" not in result.stderr
    said = f"{link} is a link to {(tmp_path / leads).as_posix()}, which is outside the project"
    if command == ["init"]:
        assert result.returncode == 0
        assert f"skipped maps/teams.yaml ({said}" in result.stdout
        assert (project / "journeymaps.toml").is_file()
    else:
        assert result.returncode == 2 and said in result.stderr, result.stderr


def test_a_shared_maps_folder_is_written_when_named_and_read_when_named_by_its_own_path(
    tmp_path: Path,
) -> None:
    """``new`` writes in a shared maps folder when the user names the place itself. lint
    reads the folder named by its own path; through a link in the project (which a pull
    request could add, leading anywhere on the machine) it is refused, saying how to name it."""
    project, shared = tmp_path / "project", tmp_path / "shared"
    project.mkdir()
    shared.mkdir()
    (project / "maps").symlink_to(shared)
    assert jm_here(project, "new", "abc", "-o", str(shared / "abc.yaml")).returncode == 0
    assert (shared / "abc.yaml").is_file()
    linked = jm_here(project, "lint", "maps").stdout
    assert (
        "the folder maps/ is a link to" in linked
        and "remove it and name the folder by its own path" in linked
    )
    (project / "maps").unlink()
    assert "abc.yaml" in jm_here(project, "lint", str(shared)).stdout


def test_init_again_says_an_old_pre_commit_hook_misses_deleted_maps(tmp_path: Path) -> None:
    """A config written by an earlier init runs the hook only on the YAML a commit names:
    a commit that only deletes a map passes whatever it breaks. init keeps the file (it is
    the team's) and says what to add."""
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: journeymaps-lint\n        name: journeymaps lint\n"
        "        entry: journeymaps lint --force-exclude\n        language: system\n        types: [yaml]\n"
    )
    said = jm_here(tmp_path, "init")
    assert said.returncode == 0, said.stderr
    out = said.stdout + said.stderr
    assert "kept    .pre-commit-config.yaml (its journeymaps hook" in out.replace(str(tmp_path) + "/", ""), (
        out
    )
    assert "--staged-deletions" in out and "always_run: true" in out
    # the last init's: deletions seen, but a commit that only changes the settings skipped
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: journeymaps-lint\n        name: journeymaps lint\n"
        "        entry: journeymaps lint --force-exclude --staged-deletions\n        language: system\n"
        "        types: [yaml]\n        always_run: true\n"
    )
    out = jm_here(tmp_path, "init").stdout
    assert "skips a commit that only changes the settings" in out and "types_or: [yaml, toml]" in out, out
    assert "--staged-deletions" not in out
    (tmp_path / "fresh").mkdir()
    again = jm_here(tmp_path / "fresh", "init")  # a config init writes now: nothing to add
    assert again.returncode == 0
    assert "hook" not in jm_here(tmp_path / "fresh", "init").stdout


def test_init_pre_commit_config_says_how_to_turn_the_hook_on(tmp_path: Path) -> None:
    """The config said "pip install journeymaps in that environment first" (journeymaps is not
    on a public package index) and never how to turn the hook on: a newcomer who committed
    without the environment active met pre-commit's "Executable `journeymaps` not found"."""
    assert jm_here(tmp_path, "init").returncode == 0
    config = (tmp_path / ".pre-commit-config.yaml").read_text()
    comment = " ".join(line.lstrip("# ") for line in config.splitlines() if line.startswith("#"))
    assert "pip install journeymaps" not in comment
    assert "pip install pre-commit" in comment and "pre-commit install" in comment
    assert ". .venv/bin/activate" in comment and "Executable `journeymaps` not found" in comment


def test_a_first_site_s_home_page_says_how_to_see_the_cost_of_inaction(tmp_path: Path) -> None:
    """The examples' home page leads with the cost of inaction; a first map's, whose settings
    have `cost-per-contact` commented out, said nothing of it: the director opening it did
    not learn that a setting was all it took."""
    assert jm_here(tmp_path, "init").returncode == 0
    first = tmp_path / "maps" / "first-journey.yaml"
    first.write_text(first.read_text().replace("# volume: 100 ", "volume: 100 "))
    assert jm(tmp_path, "build").returncode == 0
    home = (tmp_path / "site" / "index.html").read_text()
    assert (
        "Cost of inaction: not costed yet. Give pain points a <code>volume</code> (contacts a month) and "
        "set <code>cost-per-contact</code> in the project settings (journeymaps.toml)" in home
    )
    settings = tmp_path / "journeymaps.toml"
    settings.write_text(settings.read_text().replace("# cost-per-contact = 12", "cost-per-contact = 12"))
    assert jm(tmp_path, "build").returncode == 0
    home = (tmp_path / "site" / "index.html").read_text()
    assert "not costed yet" not in home
    assert "Cost of inaction across the current maps: <strong>$14,400/year" in home


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["new", "con"], "Invalid value for 'ID': 'con' is a name Windows keeps for a device"),
        (["import", "j.mmd", "--id", "lpt1"], "Invalid value for '--id': 'lpt1' is a name Windows keeps"),
        (["import", "j.mmd"], "'aux' is a name Windows keeps for a device"),  # the id from the title
    ],
)
def test_new_and_import_refuse_an_id_windows_keeps_for_a_device(
    tmp_path: Path, args: list[str], said: str
) -> None:
    """``new con`` wrote maps/con.yaml, a map lint refuses (windows-reserved-name) in a file
    a Windows checkout cannot hold: refused before anything is written, as a usage error."""
    assert jm_here(tmp_path, "init").returncode == 0
    (tmp_path / "j.mmd").write_text("journey\n  title Aux\n  section Ask\n    Write in: 3: support\n")
    before = sorted(p.name for p in (tmp_path / "maps").iterdir())
    result = jm_here(tmp_path, *args)
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == before


def test_a_title_lint_would_find_too_long_is_refused_by_new(tmp_path: Path) -> None:
    """``new --title`` took 100,000 characters, exit 0, and wrote a map with them."""
    assert jm_here(tmp_path, "init").returncode == 0
    before = sorted(p.name for p in (tmp_path / "maps").iterdir())
    result = jm_here(tmp_path, "new", "refunds", "--title", "x" * 100_000)
    assert result.returncode == 2, result.stderr
    assert (
        "Invalid value for '--title': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is too long (100,000 characters; a title has at most 200)"
        in result.stderr
    )
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == before
    assert jm_here(tmp_path, "new", "refunds", "--title", "x" * 200).returncode == 0
    assert jm_here(tmp_path, "lint", "--select", "schema", "maps/refunds.yaml").returncode == 0


def test_init_in_a_project_s_maps_folder_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    """`cd maps/billing && journeymaps init` made a project there: the project above then read
    its teams.yaml and example map as maps of its own (a second teams list, the example's id
    twice: 3 errors became 6). Refused now, naming that project; a folder outside its maps
    folder (docs/) may hold a project of its own, and init at its top adds what it lacks."""
    assert jm_here(tmp_path, "init").returncode == 0
    billing = tmp_path / "maps" / "billing"
    billing.mkdir()
    refused = jm_here(billing, "init")
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"journeymaps: error: . is inside {tmp_path.as_posix()}/maps, the maps folder"
    )
    assert f"the project of {tmp_path.as_posix()}/journeymaps.toml" in refused.stderr
    assert not any(billing.iterdir())
    assert jm_here(tmp_path / "maps", "init", "new/place").returncode == 2
    assert not (tmp_path / "maps" / "new").exists()
    (tmp_path / "docs").mkdir()
    assert jm_here(tmp_path / "docs", "init").returncode == 0
    again = jm_here(tmp_path, "init")
    assert again.returncode == 0 and "kept    maps/teams.yaml" in again.stdout
