"""``journeymaps build``: lint, lay out, render every page in memory, then swap the output
folder in one move, so a failed build never leaves a half-written site."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from journeymaps import __version__
from journeymaps.diagnostics import Diagnostic, Severity
from journeymaps.diagrams import MAP_VIEWS, project_diagram
from journeymaps.diagrams import style as diagram_style
from journeymaps.diagrams.render import DEFAULT_RENDERER, identity
from journeymaps.lint import INPUT_RULES, Report, lint, read_inputs
from journeymaps.model import Map
from journeymaps.project import kind_of
from journeymaps.rules import all_rules
from journeymaps.settings import Settings
from journeymaps.site import cache, measured, pages, story
from journeymaps.site.diagrams import Drawing, Laid, terminal_progress
from journeymaps.site.kept import keep_broken_pages
from journeymaps.site.publish import Publisher
from journeymaps.site.staging import MARKER, StagedFolder


@dataclass(frozen=True)
class Summary:
    """What a build did, kept in the site's marker file so an up-to-date build can say it again."""

    fingerprint: str
    pages: int
    maps: int
    diagrams: int
    errors: int
    warnings: int
    broken: tuple[str, ...]  # files that could not be loaded, as text findings
    failed: tuple[str, ...]  # diagrams that could not be laid out, with why
    #: Each diagram of the site -> the cache file it was published from (the next build
    #: takes an unchanged one from the site instead of checking the cache's copy again).
    published: dict[str, str] = field(default_factory=dict)
    #: Each map file -> its page and diagrams (``serve`` keeps them while the file is broken).
    pages_of: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return (json.dumps(self.__dict__, indent=1, sort_keys=True) + "\n").encode()


@dataclass
class BuildResult:
    summary: Summary
    up_to_date: bool  # nothing changed since the last build: nothing was written
    report: Report | None = None
    laid: list[Laid] | None = None
    #: Cached diagrams refused (damaged, or holding what runs in a browser) and drawn again.
    refused: tuple[str, ...] = ()

    @property
    def unchanged_diagrams(self) -> int:
        """Diagrams that came from the cache (kept out of the summary: the site must not
        depend on what a cache held)."""
        return sum(1 for x in self.laid or () if x.cached) - len(self.refused)


def fingerprint(
    inputs: Mapping[Path, bytes | str | None], settings: Settings, renderer: str, today: dt.date
) -> str:
    """A hash of everything a site depends on: maps, settings, templates, version, renderer
    (its :func:`~journeymaps.diagrams.render.identity`, Graphviz version included), date."""
    h = hashlib.sha256()
    for part in (__version__, renderer, today.isoformat(), repr(sorted(vars(settings).items(), key=str))):
        h.update(part.encode() + b"\0")
    others = [settings.file] if settings.file else []
    others += sorted((settings.root / settings.measure.metrics).glob("*.json"))  # measured numbers
    read = {**inputs, **{path: _read(path) for path in [*others, *sorted(templates_dir().rglob("*"))]}}
    for path, data in read.items():
        h.update(str(path).encode() + b"\0")
        h.update(b"unreadable" if data is None else data.encode() if isinstance(data, str) else data)
        h.update(b"\0")
    return h.hexdigest()


def _read(path: Path) -> bytes | None:
    """A file's bytes; b"" for a folder, None when unreadable."""
    try:
        return path.read_bytes() if path.is_file() else b""
    except OSError:
        return None


def previous_summary(out: Path) -> Summary | None:
    """The summary a previous build left, if it is readable and whole."""
    try:
        data: dict[str, Any] = json.loads((out / MARKER).read_text("utf-8"))
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        if not isinstance(fields.get("published", {}), dict) or not isinstance(
            fields.get("pages_of", {}), dict
        ):
            return None
        return Summary(**fields)
    except (OSError, ValueError, TypeError):
        return None


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def build(
    targets: Sequence[Path],
    settings: Settings,
    cwd: Path,
    out: Path,
    *,
    renderer: str = DEFAULT_RENDERER,
    today: dt.date | None = None,
    jobs: int | None = None,
    keep_broken: bool = False,
) -> BuildResult:
    """The whole build, in phase order. ``keep_broken`` (``serve``): a map that no longer
    parses keeps its previous page, marked broken (see :mod:`journeymaps.site.kept`)."""
    today = today or build_date()
    # 0. nothing changed since the last build: nothing to do
    inputs = read_inputs(targets, settings)  # read once: hashed here, parsed by lint
    stamp = fingerprint(inputs.contents, settings, identity(renderer), today)
    previous = previous_summary(out)
    if previous is not None and previous.fingerprint == stamp:
        return BuildResult(previous, up_to_date=True)

    cache_limit = cache.limit()  # a bad limit is refused before any work
    # The registries every map diagram draws from: persona names and team names.
    personas = [
        (p, data)
        for p in inputs.files
        if kind_of(p) in ("personas", "teams") and isinstance(data := inputs.contents[p], bytes)
    ]
    progress = terminal_progress("Laying out diagrams")
    with StagedFolder(out) as staged, Drawing(renderer, jobs=jobs, progress=progress) as drawing:
        drawing.start(personas, MAP_VIEWS, [p for p in inputs.targets if kind_of(p) == "map"])
        # 1. lint: the findings and the model (left frozen out of the cyclic collector:
        #    rescanning it while pages render cost ~3 s on 1,000 maps);
        # 2. meanwhile, each map lint parses goes to a worker to be drawn, unless the
        #    content-hashed cache has its diagrams
        report = lint(targets, settings, today, cwd, on_load=drawing.offer, inputs=inputs)
        assert report.project is not None
        maps = sorted((m for m in report.project.maps if m.src.display in report.targets), key=lambda m: m.id)
        # 3. pages, each map's as soon as its diagrams are laid out, written to the staging
        #    folder in the background
        publisher = Publisher(staged, out, previous.published if previous else {})
        unwritten = render_pages(report, maps, drawing, settings, today, staged, publisher)
        unwritten += [f"{rel}: cannot be written here: {why}" for rel, why in staged.drain().items()]
        refused, redrawn_failed = publisher.check(drawing)  # every file is written: check the copies
        unwritten += redrawn_failed
        laid = drawing.laid
        broken = [d for d in report.diagnostics if d.rule in INPUT_RULES and d.severity is Severity.ERROR]
        pages_of = {
            m.src.display: [
                page,
                *(rel for v in MAP_VIEWS if (rel := f"diagrams/{m.slug}.{v}.svg") in staged.written),
            ]
            for m in maps
            if (page := f"maps/{m.slug}.html") in staged.written
        }
        if keep_broken and previous is not None:
            first_problem = {d.file: d for d in reversed(broken)}
            pages_of |= keep_broken_pages(out, previous.pages_of, first_problem, staged)
        summary = Summary(
            fingerprint=stamp,
            pages=sum(1 for name in staged.written if name.endswith(".html")),
            maps=len(maps),
            diagrams=len(laid),
            errors=report.count(Severity.ERROR),
            warnings=report.count(Severity.WARNING),
            broken=tuple(f"{d.file}:{d.line}:{d.column}: {d.code} [{d.rule}] {d.message}" for d in broken),
            failed=tuple(
                sorted([*(f"{x.diagram.filename}: {x.error}" for x in laid if not x.ok), *unwritten])
            ),
            published=dict(sorted(publisher.names.items())),
            pages_of=dict(sorted(pages_of.items())),
        )
        staged.write(MARKER, summary.to_json())
        # 4. one move
        staged.commit()
    # 5. the cache kept within its limit (the diagrams just used count as the newest)
    cache.prune(drawing.folder, cache_limit)
    return BuildResult(summary, up_to_date=False, report=report, laid=laid, refused=tuple(refused))


def templates_dir() -> Path:
    """The shipped templates: inside the installed package, or the repository's templates/."""
    packaged = Path(str(resources.files("journeymaps"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a build renders each template ~1,000 times: no stat per page
    )
    env.filters["emotion"] = diagram_style.emotion_label
    env.filters["money"] = _money
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    env.globals["emotion_fill"] = diagram_style.emotion_fill
    env.filters["lane"] = lambda lane: diagram_style.LANE_TITLES.get(lane, lane)
    env.filters["channel"] = diagram_style.channel_word
    return env


def _money(value: float, currency: str = "$") -> str:
    return f"{currency}{value:,.0f}"


def render_pages(
    report: Report,
    maps: list[Map],
    drawing: Drawing,
    settings: Settings,
    today: dt.date,
    staged: StagedFolder,
    publisher: Publisher,
) -> list[str]:
    """Every file of the site, into ``staged`` by its path inside the site; the map pages
    that could not be rendered, with why (one map never fails the whole build)."""
    failed: list[str] = []
    write = staged.write
    put = publisher.put

    env = environment()
    project = report.project
    assert project is not None
    diagnostics = sorted(report.diagnostics, key=pages.severity_order)
    health = pages.health_by_map(diagnostics)
    futures: dict[str, list[Map]] = {}
    for m in maps:
        if m.based_on:
            futures.setdefault(m.based_on, []).append(m)
    by_id: dict[str, Map] = {}
    for m in maps:
        by_id.setdefault(m.id, m)  # the first of two maps with one id, as references resolve
    rules = all_rules()
    repo = settings.repository_url.rstrip("/") + "/" if settings.repository_url else None
    common: dict[str, Any] = {
        "site_title": settings.site_title,
        "version": __version__,
        "today": today,
        "currency": settings.currency,
        "repo": repo,
        "rules": rules,
        "stale_after": settings.review_cadence_days,
        "settings_file": settings.file.name if settings.file else None,
    }

    def page(template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(root=root, path=path, **common, **context)
        write(path, html.encode("utf-8"))

    stale = {
        m.slug for m in maps if m.reviewed is None or (today - m.reviewed).days > settings.review_cadence_days
    }
    team_names = {t.id: t.name for t in (project.teams or {}).values()}
    cards = [
        {
            "map": m,
            "health": health.get(m.src.display, pages.Health()),
            "stale": m.slug in stale,
            "teams": sorted({x for x in [m.owner, *(s.owner for s in m.stages)] if x}),
            "open": sum(1 for o in m.opportunities if o.open),
        }
        for m in maps
    ]
    page(
        "index.html",
        "index.html",
        cards=cards,
        team_names=team_names,
        personas=sorted({m.persona.name for m in maps if m.persona}),
        counts=pages.counts(diagnostics),
        broken=[d for d in diagnostics if d.rule in INPUT_RULES],
    )
    ranked = pages.ranked_pains(maps, settings)
    page(
        "portfolio.html",
        "portfolio.html",
        ranked=ranked,
        matrix=pages.matrix(maps),
        teams=sorted(
            {o.owner for m in maps for o in m.opportunities if o.owner} | {r.team for r in ranked if r.team},
            key=lambda t: team_names.get(t, t),
        ),
        team_names=team_names,
    )
    personas = sorted(
        {(m.persona.id or "", m.persona.name): m.persona for m in maps if m.persona}.values(),
        key=lambda p: p.name,
    )
    # Grouped once: filtering every map per persona was quadratic where maps name their own.
    maps_of_persona: dict[str, list[Map]] = {}
    for m in maps:
        if m.persona:
            maps_of_persona.setdefault(m.persona.name, []).append(m)
    page(
        "personas.html",
        "personas.html",
        personas=personas,
        maps_of=maps_of_persona,
    )
    team_pages = pages.team_pages(project, diagnostics, today)
    by_rule: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_rule.setdefault(d.rule, []).append(d)
    page(
        "findings.html",
        "findings.html",
        by_rule=dict(sorted(by_rule.items(), key=lambda kv: rules[kv[0]].code)),
        by_team=team_pages,
        diagnostics=diagnostics,
        counts=pages.counts(diagnostics),
    )
    page("format.html", "format.html")
    path, template, context = measured.scorecard_page(maps, settings, team_names)
    page(template, path, **context)
    static = templates_dir() / "static"
    for asset in sorted(static.iterdir()):
        write(f"static/{asset.name}", asset.read_bytes())
    for name, data in search_index(maps, project.teams or {}).items():
        write(name, data)
    # Last, the pages that show diagrams: the workers have had the most time to draw them.
    # Grouped once: filtering the whole list per map made page rendering quadratic.
    pains_of: dict[int, list[pages.RankedPain]] = {}
    for r in ranked:
        pains_of.setdefault(id(r.map), []).append(r)
    findings_of: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        findings_of.setdefault(d.file, []).append(d)

    def map_page(m: Map, diagrams: list[Laid]) -> None:
        told = story.map_story(m, team_names, pains_of.get(id(m), []), today, settings.review_cadence_days)
        told["canvas_html"] = story.render_canvas(env, m, told, settings.currency)
        page(
            "map.html",
            f"maps/{m.slug}.html",
            m=m,
            health=health.get(m.src.display, pages.Health()),
            stale=m.slug in stale,
            pains=pains_of.get(id(m), []),
            findings=findings_of.get(m.src.display, []),
            diagrams=[(x.diagram.view, x) for x in diagrams],
            baseline=by_id.get(m.based_on) if m.based_on else None,
            futures=futures.get(m.id, []),
            team_names=team_names,
            **told,
            measured=measured.map_measures(m, settings),
        )
        extra: list[story.Page | None] = [story.canvas_page(m, told)]
        extra += [story.diagram_page(x, f"../maps/{m.slug}.html", m.title) for x in diagrams]
        for made in extra:
            if made is not None:
                path, template, context = made
                page(template, path, **context)

    # Map pages in the order the workers were given the maps (by path), so a page seldom waits.
    for m in sorted(maps, key=lambda m: str(m.src.path)):
        diagrams = drawing.map_diagrams(m)
        for x in diagrams:
            put(x)
        try:
            map_page(m, diagrams)
        except Exception as exc:  # a defect shown with this map, not a site lost
            failed.append(f"maps/{m.slug}.html: could not be rendered: {type(exc).__name__}: {exc}")
    handoffs = drawing.diagram(project_diagram("teams", project, page="../teams.html"))
    put(handoffs)
    handoffs_page = story.diagram_page(handoffs, "../teams.html", "Teams")
    if handoffs_page is not None:
        page(handoffs_page[1], handoffs_page[0], **handoffs_page[2])
    page("teams.html", "teams.html", teams=team_pages, handoffs=handoffs, maps=maps, team_names=team_names)
    return failed


#: Maps per part of the search index. Pages load none of it: the search box loads the
#: parts when it is first used, so a 10,000-map site does not ship its whole index (about
#: 10 KB a map) with every page, and results show while the later parts arrive.
SEARCH_PART_MAPS = 250


def search_index(maps: list[Map], teams: dict[str, Any]) -> dict[str, bytes]:
    """The search index by its path in the site: ``static/search-index.js`` says how many
    parts there are; ``static/search/N.js`` are the parts, scripts (fetching JSON is not
    allowed from file://) that hand their entries to the search box. Each entry: ``t`` its
    title, ``k`` its kind, ``u`` where it leads, ``x`` more text to match, ``m`` the map it
    belongs to (shown with the result). The teams come last, in the last part."""
    parts = [
        [e for m in maps[start : start + SEARCH_PART_MAPS] for e in _search_entries(m)]
        for start in range(0, len(maps), SEARCH_PART_MAPS)
    ] or [[]]
    for t in sorted(teams.values(), key=lambda t: t.id):
        parts[-1].append({"t": t.name, "k": "team", "u": f"teams.html#team-{t.id}", "x": t.id})
    files = {"static/search-index.js": f"window.JOURNEYMAPS_SEARCH_PARTS = {len(parts)};\n".encode()}
    for number, entries in enumerate(parts):
        payload = json.dumps(entries, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        # Inert inside any HTML context a script might end up in.
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        script = f"window.JOURNEYMAPS_SEARCH_PART({number}, {payload});\n"
        files[f"static/search/{number}.js"] = script.encode()
    return files


def _search_entries(m: Map) -> list[dict[str, str]]:
    """One map's entries in the search index: the map, its stages, steps, evidence, pain
    points and opportunities."""
    url = f"maps/{m.slug}.html"
    persona = m.persona.name if m.persona else ""
    about = " ".join(filter(None, (m.scenario, m.goal, persona)))
    entries = [{"t": m.title, "k": "map", "u": url, "x": about}]

    def entry(title: str, kind: str, anchor: str, *more: str | None) -> None:
        text = " ".join(x for x in (*more, m.title) if x)
        entries.append({"t": title, "k": kind, "u": f"{url}#{anchor}", "x": text, "m": m.title})

    for s in m.stages:
        entry(s.name, "stage", f"stage-{s.id}", s.doing, s.thinking, s.feeling)
        for st in s.steps:
            entry(st.name, "step", f"step-{st.ref}", st.does, st.thinks, st.feels, s.name)
        for e in (*s.evidence, *(e for st in s.steps for e in st.evidence)):
            entry(f"{e.kind} from {e.source}", "evidence", f"stage-{s.id}", e.ref, e.note, s.name)
    for p in m.pain_points:
        entry(p.summary, "pain point", f"pain-{p.id}", p.description, p.kind)
        for e in p.evidence:
            entry(f"{e.kind} from {e.source}", "evidence", f"pain-{p.id}", e.ref, e.note, p.summary)
    for o in m.opportunities:
        entry(o.believe, "opportunity", f"opportunity-{o.id}", o.will, o.signal)
    return entries
