"""``journeymaps init`` and ``journeymaps new``: start a maps repository, or a map, that
lints and builds from the first minute."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from journeymaps import __version__, yaml_quote
from journeymaps.output import FileSet, link_out_of
from journeymaps.reading import REGISTRY_NAMES, YAML_SUFFIXES
from journeymaps.registry_links import maps_among
from journeymaps.templating import text_environment

TEMPLATES = {
    "support-issue": "a support journey: discovery, self-service, contact, resolution, follow-up",
    "lifecycle": "the customer lifecycle: awareness to churn or advocacy",
    "service-blueprint": "a service blueprint: every lane of every stage, with handoffs",
}


class ScaffoldError(Exception):
    """Nothing was written; the message says why."""


#: Larger than any map lint reads (its max-file-size): a file beyond it is not looked in.
_LARGEST = 64 * 1024 * 1024


def map_with_id(roots: list[Path], map_id: str) -> Path | None:
    """A map under ``roots`` whose top-level ``id`` is ``map_id``. Only a file saying
    ``id: map_id`` somewhere is looked at, by its top-level ``id:`` line, and parsed only
    when that line is not there (``new`` and ``import`` run in projects of thousands of
    maps). A map whose ``id`` came after its first 8 KB (a long header comment), or was
    written in flow style (``{id: x, ...}``), was missed, and a second map of its id written."""
    import contextlib
    import re

    from journeymaps.loader import from_bytes
    from journeymaps.reading import Refused, read_regular, yaml_files

    # A BOM (Notepad), CR LF line ends (Windows) and a quoted key are found too: a map saved
    # so was missed, and a second map of its id written.
    line = re.compile(
        rb"^(?:\xef\xbb\xbf)?([\"']?)id\1[ \t]*:[ \t]*([\"']?)"
        + re.escape(map_id.encode())
        + rb"\2[ \t]*(?:#[^\r\n]*)?\r?$",
        re.M,
    )
    anywhere = re.compile(rb"\bid[\"']?[ \t]*:[ \t]*[\"']?" + re.escape(map_id.encode()) + rb"(?![\w-])")
    for root in roots:
        if not root.is_dir():
            continue
        for name, problem in yaml_files(root):
            if problem is None and Path(name).name not in REGISTRY_NAMES:
                with contextlib.suppress(OSError, Refused):
                    raw = read_regular(Path(name), _LARGEST)
                    if not anywhere.search(raw):  # no "id: x" at all, nested or in flow style
                        continue
                    if line.search(raw):
                        return Path(name)
                    data = from_bytes(Path(name), name, raw).data
                    if isinstance(data, dict) and data.get("id") == map_id:
                        return Path(name)
    return None


def new_map(map_id: str, template: str, title: str | None, owner: str, schema_comment: str) -> str:
    """The text of a new map (checked, not yet written)."""
    from journeymaps.validate import id_problem

    if (problem := id_problem(map_id)) is not None:
        raise ScaffoldError(problem)
    env = text_environment("scaffold")  # YAML, not HTML: values are JSON-quoted
    env.filters["yaml_text"] = yaml_text
    env.filters["yaml_id"] = yaml_quote.identifier  # 404 or null, unquoted, are no text
    today = dt.date.today()
    return env.get_template(f"{template}.yaml.j2").render(
        id=map_id,
        title=title or map_id.replace("-", " ").capitalize(),
        owner=owner,
        today=today.isoformat(),
        due=(today + dt.timedelta(days=90)).isoformat(),
        schema_comment=schema_comment,
    )


def yaml_text(value: str) -> str:
    """Text as a YAML double-quoted scalar, written as typed and read back as typed: with
    json.dumps alone, a title holding DEL or U+FFFE made a map lint refused (yaml-syntax),
    and one holding NEL lost it, folded by YAML."""
    return yaml_quote.quoted(value)


def registry_problem(path: Path, portable: bool = True) -> str | None:
    """Why a map cannot be written at ``path``: its name is a registry's (personas.yaml,
    teams.yaml), which lint reads as one. ``new personas`` wrote the map there, and lint
    answered with a wall of schema errors ("unknown key 'id'; allowed here: personas").
    ``portable``: lint's windows-reserved-name is on, and a name Windows refuses is one."""
    if portable and (problem := _windows_problem(path)) is not None:
        return problem
    if not path.name.lower().endswith(YAML_SUFFIXES) or path.name.startswith("."):
        # -o maps/m.txt or maps/.m.yaml was written, then "run journeymaps lint" never read it
        named = f"{path.stem.lstrip('.') or 'the-map'}.yaml"
        return (
            f"{path.as_posix()}: lint and build read only maps in files named *.yaml or *.yml, not "
            f"hidden, so they would never check this one: name it {named} (--output)"
        )
    if path.name.lower() not in REGISTRY_NAMES:
        return None
    registry = path.name.split(".")[0].lower()
    return (
        f"{path.as_posix()} is where lint reads the {registry} registry, not a map: "
        "choose another id (--id) or --output"
    )


def _windows_problem(path: Path) -> str | None:
    """Lint's windows-reserved-name error on ``path`` (its name, or a folder as written):
    ``-o 'maps/billing: refunds.yaml'`` was written, then refused by lint as an error."""
    from journeymaps.windows_names import name_problem

    # As lint: the folders inside the project (as written here), else the name alone
    parts = (
        [p for p in path.parts if p != "."]
        if not path.is_absolute() and ".." not in path.parts
        else [path.name]
    )
    for depth, part in enumerate(parts, start=1):
        if (problem := name_problem(part)) is not None:
            what = "the file's name" if depth == len(parts) else f"the folder {'/'.join(parts[:depth])}/"
            return (
                f"{path.as_posix()}: {what} {problem}, and lint refuses it (windows-reserved-name): "
                "a Windows checkout could not hold it; choose another name (--output)"
            )
    return None


def outside_note(path: Path, roots: list[Path]) -> str | None:
    """What to say of a new map written outside every maps folder (``-o notes/m.yaml``), or
    None: told "run journeymaps lint", the user ran it, and lint, reading the maps folders,
    passed without reading the new map (nor did build show it)."""
    import os

    full = Path(os.path.abspath(path))  # noqa: PTH100 - links as named, as lint walks them
    folders = [Path(os.path.abspath(r)) for r in roots]  # noqa: PTH100
    if any(f in full.parents for f in folders):
        return None
    named = ", ".join(f"{r.as_posix()}/" for r in roots)
    return (
        f"It is outside the maps folders ({named}): lint and build read it only once it is moved "
        "there (or when lint is given its name)."
    )


def taken(path: Path) -> str | None:
    """How ``path`` is taken already, for a refusal (``already exists``), or None: a link
    counts, even one to nothing (a dotfile manager's, a file not made yet). It was replaced
    by the new file, and the user's link lost."""
    if path.is_symlink() and not path.exists():
        return f"{path.as_posix()} already exists, as a link to {path.readlink().as_posix()} (missing)"
    if path.exists():
        return f"{path.as_posix()} already exists"
    return None


def write_new(path: Path, text: str, files: FileSet, portable: bool = True) -> None:
    """Stage the new map in ``files`` (never over a file). Whole or not at all, and a
    refusal says which file: "afile is a file, not a folder" alone did not say what was
    being written. ``portable``: as for :func:`registry_problem`."""
    if (problem := registry_problem(path, portable)) is not None:
        raise ScaffoldError(problem)
    if (there := taken(path)) is not None:
        raise ScaffoldError(f"{there}; choose another id or --output")
    files.write(path, text.encode("utf-8"), new=True)  # nor one made meanwhile (AlreadyThere)


TEAMS = """\
# yaml-language-server: $schema=../schema/teams.schema.json
# The teams that may own maps, stages, steps and opportunities.
teams:
  - id: support
    name: Customer Support
    contact: "#support"
  - id: product
    name: Product
"""

SETTINGS = """\
#:schema ./schema/config.schema.json
# journeymaps settings: `journeymaps schema config` lists every key.
paths = ["maps"]
review-cadence-days = 90
evidence-max-age-days = 365
# cost-per-contact = 12            # shows the cost of inaction of each pain point
# repository-url = "https://github.com/ORG/REPO/blob/main"
"""

PRE_COMMIT = """\
# journeymaps lint on the maps a commit touches. To turn it on: pip install pre-commit, then
# run pre-commit install here. It runs the journeymaps installed where you commit (language:
# system): commit with the environment you installed journeymaps into active (. .venv/bin/activate),
# or the hook says "Executable `journeymaps` not found".
repos:
  - repo: local
    hooks:
      - id: journeymaps-lint
        name: journeymaps lint
        # --force-exclude: YAML files outside the maps folders (this file, workflows) are skipped;
        # --staged-deletions and always_run: a commit that deletes a map checks the maps it breaks;
        # toml: a commit changing only the settings checks every map;
        # --pre-commit: a staged file named like an option (--exit-zero.yaml) is checked, not obeyed
        entry: journeymaps lint --pre-commit --force-exclude --staged-deletions
        language: system
        types_or: [yaml, toml]
        always_run: true
        require_serial: true  # cross-map rules want every map in one run
"""

WORKFLOW = """\
# Lint the maps (annotations on the pull request) and build the site on every change.
# JOURNEYMAPS is what pip installs: journeymaps is not on a public package index yet, so set
# it to a version your index has, a wheel, or "journeymaps @ git+https://github.com/ORG/REPO@TAG".
name: journey maps
on:
  pull_request:
  push:
    branches: [main]
env:
  JOURNEYMAPS: "journeymaps==VERSION"
jobs:
  lint-and-build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}  # the site's What changed page reads the last quarter of history
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: pip install "$JOURNEYMAPS"
      - run: journeymaps lint  # GitHub annotations: the format is chosen automatically under Actions
      - run: journeymaps build -o site
        if: ${{ !cancelled() }}
      - uses: actions/upload-artifact@v4
        if: ${{ !cancelled() }}
        with: {name: site, path: site}
""".replace("VERSION", __version__)


#: A branch name written plain in the workflow's ``branches`` (GitHub reads it as a pattern:
#: none of its pattern characters, nor a word YAML reads as something else).
_PLAIN_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def _workflow(folder: Path) -> str:
    """The workflow, building the site on pushes to the repository's main branch: written
    as ``main`` in a repository whose first branch git named ``master``, it never ran on a
    push there, and nothing said so."""
    from journeymaps import git

    branch = git.main_branch(folder) if folder.is_dir() else None
    if branch is None or not _PLAIN_BRANCH.fullmatch(branch) or branch.lower() in yaml_quote.WORDS:
        return WORKFLOW
    return WORKFLOW.replace("    branches: [main]\n", f"    branches: [{branch}]\n", 1)


GITIGNORE = """\
# What journeymaps builds (journeymaps build, serve; render): made from the maps, never committed.
/site/
/diagrams/
# serve's spare copy of the site beside it, while it runs
.site.new-*/
# a virtual environment journeymaps is installed into here (python3 -m venv .venv)
/.venv/
"""


#: What :func:`init` did with a starter file.
CREATED, KEPT, SKIPPED = "created", "kept", "skipped"


def init(folder: Path) -> list[tuple[str, str, str]]:
    """Write the starter files that do not exist yet: (path, what was done, why) for each.

    The schemas go into ``schema/`` beside the settings, where the files' yaml-language-server
    comments point: editors give completion offline from the first minute. The example map
    only goes into a maps folder without maps: run again in a project whose team deleted it,
    it came back (22 placeholder warnings, and a page on the site). The teams and the example
    go into the maps folder the folder's settings name, and no journeymaps.toml is written
    beside a pyproject.toml holding the settings (see :func:`_existing_settings`)."""
    from journeymaps import schema_copies
    from journeymaps.validate import SCHEMA_FILES

    in_pyproject, maps = _existing_settings(folder)
    first = folder / maps / "first-journey.yaml"
    schemas = folder / schema_copies.DEFAULT_FOLDER
    files = {
        f"{maps}/teams.yaml": TEAMS,
        f"{maps}/first-journey.yaml": new_map(
            "first-journey",
            "support-issue",
            "Customer locked out of their account",
            "support",
            schema_copies.comment(first, schemas, "map"),
        ),
        **{
            f"{schema_copies.DEFAULT_FOLDER}/{name}": schema_copies.text(kind)
            for kind, name in SCHEMA_FILES.items()
        },
        "journeymaps.toml": SETTINGS,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/journeymaps.yml": _workflow(folder),
        ".gitignore": GITIGNORE,
    }
    # Not the file a linked teams.yaml leads to (all-teams.yaml): the first map was skipped
    # as "maps/ has maps already" of a folder lint then said had 0 maps.
    has_maps = (folder / maps).is_dir() and bool(
        maps_among({p for p in (folder / maps).rglob("*") if p.suffix in (".yaml", ".yml")})
    )
    done = []
    # All or none: a file that could not be written (a file named .github where the
    # workflow's folder goes) stopped init half-way, with the settings and maps written and
    # the workflow and .gitignore not, which a second run then "kept" as they were.
    with FileSet(within=folder) as written:
        for rel, text in files.items():
            path = folder / rel
            if (out := link_out_of(path, folder)) is not None:  # as a file there: not ours to make
                done.append((rel, SKIPPED, out))
            elif taken(path) is not None:  # a link to nothing too: it is the user's
                done.append((rel, KEPT, _old_hook(path) if rel == ".pre-commit-config.yaml" else ""))
            elif rel == f"{maps}/first-journey.yaml" and has_maps:
                done.append((rel, SKIPPED, f"{maps}/ has maps already"))
            elif rel == "journeymaps.toml" and in_pyproject:
                done.append((rel, SKIPPED, "the settings are in pyproject.toml"))
            else:
                written.write(path, text.encode("utf-8"))
                done.append((rel, CREATED, ""))
    return done


def _old_hook(config: Path) -> str:
    """What a pre-commit config written by an earlier init misses, in words ("" for none):
    its hook ran only on the YAML a commit names, so a commit that only deleted a map, or
    only changed the settings, passed whatever it broke; and it read a staged file named
    like an option as one. Read from the journeymaps hooks' own keys: the whole file was
    searched, and a comment naming --pre-commit (as init's own do) hid an entry without it."""
    try:
        text = config.read_text("utf-8", "replace") if config.is_file() else ""
    except OSError:
        return ""
    for hook in _lint_hooks(text):
        words = [*str(hook.get("entry")).split(), *map(str, _listed(hook.get("args")))]
        if "--staged-deletions" not in words:
            return (
                "its journeymaps hook skips a commit that only deletes a map: add --staged-deletions "
                "to its entry and always_run: true"
            )
        if any(key in hook and "toml" not in _listed(hook[key]) for key in ("types", "types_or")):
            return (
                "its journeymaps hook skips a commit that only changes the settings: "
                "use types_or: [yaml, toml] instead of types: [yaml]"
            )
        if "--pre-commit" not in words:
            return (
                "its journeymaps hook reads a staged file named like an option (--exit-zero.yaml) "
                "as one: add --pre-commit to its entry, after journeymaps lint"
            )
    return ""


def _lint_hooks(text: str) -> list[dict[Any, Any]]:
    """The hooks of a pre-commit config whose own entry runs journeymaps lint (none when it
    cannot be read: pre-commit says why itself)."""
    import yaml

    try:
        config = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return []
    repos = config.get("repos") if isinstance(config, dict) else None
    return [
        hook
        for repo in _listed(repos)
        if isinstance(repo, dict)
        for hook in _listed(repo.get("hooks"))
        if isinstance(hook, dict) and "journeymaps lint" in " ".join(str(hook.get("entry", "")).split())
    ]


def _listed(value: object) -> list[Any]:
    """A YAML list as a list; anything else as none."""
    return value if isinstance(value, list) else []


def _existing_settings(folder: Path) -> tuple[bool, str]:
    """Whether ``folder``'s settings are in its pyproject.toml, and the maps folder they
    name first (``maps`` without settings, or with settings that cannot be read: lint
    reports those). A journeymaps.toml written beside a pyproject.toml's [tool.journeymaps]
    is found first, and the project's own settings (its maps folder, its rules) were
    dropped without a word; with ``paths = ["journeys"]``, the example went into a maps/
    nothing reads."""
    from journeymaps.settings import SettingsError, holds_settings, load_settings, read_settings_text

    in_pyproject = False
    settings_file = folder / "journeymaps.toml"
    if not settings_file.exists():
        settings_file = folder / "pyproject.toml"
        try:
            in_pyproject = settings_file.is_file() and holds_settings(read_settings_text(settings_file))
        except (OSError, UnicodeDecodeError):
            return False, "maps"  # unreadable: whether it holds settings cannot be known
        if not in_pyproject:
            return False, "maps"
    try:
        paths = load_settings(folder.absolute(), settings_file).paths
    except SettingsError:
        return in_pyproject, "maps"
    return in_pyproject, Path(paths[0]).as_posix() if paths else "maps"
