"""The shipped Jinja templates and the one environment that renders the site's HTML (the
site, ``diff --format html`` and the scaffold all find their templates here)."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import types
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.runtime
import jinja2.utils
from markupsafe import Markup, escape

from journeymaps import business_time, quotes
from journeymaps.diagrams import style as diagram_style
from journeymaps.direction_controls import shown
from journeymaps.measure import kpis
from journeymaps.model import extra_text
from journeymaps.site import words
from journeymaps.site.evidence_words import evidence_link, evidence_words, source_name


def templates_dir() -> Path:
    """The shipped templates: inside the installed package, or the repository's templates/."""
    packaged = Path(str(resources.files("journeymaps"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


#: The tab's icon, in the page (a rising line on the header's blue): without one, a browser
#: asked every served page's host for /favicon.ico, a 404 in serve's and a static host's
#: logs and in the console, and the tab showed a blank page icon.
FAVICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Crect width='16' height='16' rx='3' fill='%230b3a5d'/%3E"
    "%3Cpath d='M3 11 6 6l4 3 3-5' fill='none' stroke='%23fff' stroke-width='2' "
    "stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E"
)


def environment() -> jinja2.Environment:
    """HTML pages: autoescaped, strict about undefined names, with the site's filters."""
    env = _Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a build renders each template ~1,000 times: no stat per page
        bytecode_cache=compiled_templates(),
    )
    env.code_generator_class = _EscapingCodeGenerator
    env.context_class = _Context
    env.filters["emotion"] = diagram_style.emotion_label
    env.filters["signed"] = diagram_style.signed
    env.filters["volume"] = diagram_style.volume_figure
    env.filters["money"] = _money
    env.globals["money_words"] = money_words
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    env.globals["emotion_fill"] = diagram_style.emotion_fill
    env.filters["lane"] = lambda lane: diagram_style.LANE_TITLES.get(lane, lane)
    env.globals["blueprint_words"] = diagram_style.BLUEPRINT_WORDS
    env.filters["channel"] = diagram_style.channel_word
    env.filters["sla"] = _sla
    env.filters["duration"] = business_time.words  # "1bd" -> "1 business day"
    env.filters["field_label"] = words.field_label  # "x-sla-tier" -> "SLA tier"
    env.filters["extra_text"] = extra_text  # an x- value that is no text: as JSON (4711, true, null)
    env.filters["rule_title"] = words.rule_title  # "kpi-off-target" -> "KPI off target"
    env.filters["state_words"] = words.state_words  # "in-progress" -> "in progress"
    env.filters["month"] = _month  # "2026-10" -> <time datetime="2026-10">Oct 2026</time>
    env.filters["month_words"] = words.month_words  # "2026-10" -> "Oct 2026", in an attribute or title
    env.filters["day"] = _day  # 2026-11-10 -> <time datetime="2026-11-10">10 Nov 2026</time>
    env.filters["day_words"] = words.date_words  # 2026-11-10 -> "10 Nov 2026", in an attribute or title
    env.filters["finding_counts"] = words.finding_counts  # [...] -> "1 error and 2 warnings"
    env.filters["says"] = words.says  # "Billing dispute contacts"|says("contacts") -> True
    env.filters["in_sentence"] = words.in_sentence  # "Adding x" -> "adding x", "Zendesk" kept
    env.globals["WITHIN"] = words.WITHIN  # a handoff inside one team, on its page
    env.globals["OUTWORTH"] = words.OUTWORTH  # the question a badge asks of an opportunity's impact
    env.globals["DRAFT_WHY"] = words.DRAFT_WHY  # why a map is marked a draft
    env.filters["draft_words"] = words.draft_words  # (1, 2) -> "draft map: 1 of 2 steps not written yet"
    env.filters["evidence_words"] = evidence_words  # "tag:x" -> "Support tickets ... tagged “x”"
    env.filters["source_name"] = source_name  # "zendesk" -> "Zendesk"
    env.filters["evidence_link"] = evidence_link  # an http(s) url -> (href, host); else None
    env.globals["kpi_value"] = kpis.value_text  # as lint's findings word a KPI's value
    env.globals["CLOCK_WORDS"] = kpis.CLOCK_WORDS  # what a handoff's SLA is held against
    env.globals["MORE_OR_LESS"] = kpis.MORE_OR_LESS  # which way a KPI's target is met
    env.globals["FAVICON"] = FAVICON
    env.filters["curly"] = quotes.curly  # 'a "resolved" mail' -> "a “resolved” mail"
    env.filters["typeset"] = quotes.typeset  # a diff's change: its quotations curly, nested as singles
    env.filters["quotation"] = quotes.quotation  # a thought, quoted once, its own quotes nested as singles
    env.filters["shown"] = shown  # a file's name or a finding's words: direction controls as escapes
    env.filters["doc"] = doc_html  # a rule's documentation: its `keys` as code, not backticks
    return env


# Both kept by value: a build writes a few dates (today's, the maps' reviews) on every page,
# ~8,000 times for 500 maps, and Markup.format's escaping formatter cost ~0.1 s of it.
@functools.lru_cache(maxsize=4096)
def _month(month: str) -> Markup:
    """A month in the page's words, its ISO form kept for machines in ``datetime``."""
    return Markup(f'<time class="date" datetime="{escape(month)}">{escape(words.month_words(month))}</time>')


@functools.lru_cache(maxsize=4096)
def _day(day: dt.date | str) -> Markup:
    """A date in the page's words, its ISO form kept for machines in ``datetime``."""
    iso = day.isoformat() if isinstance(day, dt.date) else day
    return Markup(f'<time class="date" datetime="{escape(iso)}">{escape(words.date_words(day))}</time>')


def doc_html(text: str) -> Markup:
    """A rule's documentation as HTML: its paragraphs (apart by a blank line, kept by the
    page's ``white-space: pre-line``) with the source's line breaks inside them as spaces,
    which on a phone cut lines half-way; what it writes between backticks (a key, a setting,
    a value to type: `evidence`, `worsening-periods`) as code, in place of backticks a reader
    takes for stray marks; text with an unpaired backtick escaped as it is."""
    text = "\n\n".join(" ".join(para.split("\n")) for para in text.strip().split("\n\n"))
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return escape(text)
    return Markup(
        "".join(f"<code>{escape(p)}</code>" if i % 2 else str(escape(p)) for i, p in enumerate(parts))
    )


def _escape_python(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:
    # markupsafe's own C escaping of a str, returning a str (what its ``escape`` wraps in
    # Markup): a quarter of the time of the five replaces above, on ~1,500 values a map.
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # markupsafe without its C speedups (or a version without this helper)
    _escape_str = _escape_python


def escape_text(value: Any) -> str:
    """``{{ value }}`` in an autoescaped page: exactly what markupsafe's ``escape`` gives,
    as plain text. Every output expression is escaped (~1,500 a small map's pages), and
    wrapping each result in a ``Markup`` cost more than the escaping: the result only joins
    the page's text, so it need not say it is safe. Text and numbers, nearly all of them,
    are done here, as is Markup; anything else (objects with ``__html__``, undefined names) is
    left to markupsafe."""
    kind = type(value)
    if kind is str:
        return _escape_str(value)
    if kind is int or kind is float:
        # digits, a sign, a point, an exponent, inf or nan: nothing to escape (a canvas
        # writes ~260 coordinates, which markupsafe wrapped in Markup one by one)
        return str(value)
    if kind is Markup:  # safe already (a macro's or a filter's HTML): its text as it is
        return str(value)
    return str(escape(value))


class _Globals(collections.ChainMap):  # type: ignore[type-arg]
    """A template's globals (its own over the environment's), as Jinja makes them, with keys
    that set operations take in C. Each ``{% from … import … %}`` of a page asks which of the
    page's globals the imported template lacks (``set - globals.keys()``): with a ChainMap's
    keys that was a Python loop over every global, ~50 us an import, several imports a
    page, ~3,000 pages a build of 500 maps (issue 18)."""

    def keys(self) -> Any:
        merged: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class _Environment(jinja2.Environment):
    """Jinja's environment, with template globals whose keys are quick to compare."""

    def make_globals(self, d: Any) -> Any:
        return _Globals(d or {}, self.globals)


#: Callables that take no context, environment or evaluation context unless marked with
#: ``jinja_pass_arg`` (C functions and methods cannot be).
_BUILTIN = type(len)
_PLAIN = frozenset({types.FunctionType, types.MethodType, jinja2.runtime.Macro})


class _Context(jinja2.runtime.Context):
    """Jinja's context, calling a C function or method, a macro, or a function not marked
    ``pass_context``/``pass_environment``/``pass_eval_context`` at once: Jinja looked for
    those marks on each call and its ``__call__`` (~250 calls a small map's pages, each
    costing ten times the call itself). Anything else goes to Jinja's own ``call``."""

    @jinja2.utils.internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind is _BUILTIN or (kind in _PLAIN and not hasattr(__obj, "jinja_pass_arg")):
            if kwargs:  # what Jinja passes for a pass_context callable, as Jinja drops them
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja's call
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class _EscapingCodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with autoescaped output written by :func:`escape_text` and
    attributes read inline (Jinja's own template code is otherwise unchanged:
    ``code_generator_class`` is its hook for this)."""

    def visit_Template(self, node: jinja2.nodes.Template, frame: jinja2.compiler.Frame | None = None) -> None:
        self.writeline("from journeymaps.templating import escape_text")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)

    #: The frame of the block function being written, until its body is (see blockvisit).
    _block_top: jinja2.compiler.Frame | None = None

    def enter_frame(self, frame: jinja2.compiler.Frame) -> None:
        if frame.block_frame and frame.buffer is None and not self.environment.is_async:
            self._block_top = frame  # a block's function: its body is buffered (blockvisit)
        super().enter_frame(frame)

    def blockvisit(self, nodes: Any, frame: jinja2.compiler.Frame) -> None:
        """A block's body written into a list, joined and yielded once at its end, where
        Jinja yields each piece: a map page's ~900 pieces each went up through three
        generators (the block's, its template's and the base template's root), ~9 % of
        rendering it (issue 18). Anything else as Jinja writes it."""
        if frame is not self._block_top:
            super().blockvisit(nodes, frame)
            return
        self._block_top = None
        self.buffer(frame)  # inner frames made from here on share the list
        super().blockvisit(nodes, frame)
        self.writeline(f"yield concat({frame.buffer})")

    @jinja2.compiler.optimizeconst
    def visit_Getattr(self, node: jinja2.nodes.Getattr, frame: jinja2.compiler.Frame) -> None:
        """``x.name`` as Python's ``getattr(x, "name", missing)``, and Jinja's
        ``environment.getattr`` (a key of a dict, or undefined) only when it finds none: a
        Python call a lookup cost ~0.3 s of a 500-map build (~2,200 lookups a map's pages).
        ``x`` is evaluated once; the names are the function's own (nothing in between)."""
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("(_jm_v if (_jm_v := getattr((_jm_o := ")
        self.visit(node.node, frame)
        attr = repr(node.attr)
        self.write(f"), {attr}, missing)) is not missing else environment.getattr(_jm_o, {attr}))")


def text_environment(folder: str) -> jinja2.Environment:
    """Plain text (YAML) from ``templates/FOLDER``: nothing escaped, the caller quotes values."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / folder),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


class _CompiledTemplates(jinja2.BytecodeCache):
    """The templates as an earlier run compiled them: compiling the site's ~30 templates
    cost every build ~0.4 s of the main process (a seventh of a one-map rebuild).

    A template's file is named by the template; what it holds is used only when it was
    compiled from the same source by the same code and Jinja (the options that shape the
    compiled code live in this module), so a changed template or a new journeymaps compiles
    it again, in place. Compiled code runs as it is found, so, like the compiled Graphviz
    module, it is kept and read only in a folder that only this user can write, from files
    only this user can have written (:func:`~journeymaps.diagrams.render.private_folder`),
    and only when this user's key sealed it (:mod:`journeymaps.cache_seal`): a cache restored
    in CI is this user's with mode 0600 whatever it holds. A cache that cannot be read or
    written, or a file that does not verify, only means compiling, never a failed build.
    A cache of its own (``$JOURNEYMAPS_CACHE``) reads what the user's own cache holds too,
    under the same checks (~0.4 s of CPU a build that would compile them again)."""

    def __init__(self, folder: Path, identity: str, shared: Path | None = None) -> None:
        self.folder = folder
        self.identity = identity
        #: The user's own cache folder of compiled templates, when ``folder`` is another
        #: (``$JOURNEYMAPS_CACHE`` set): read, never written, as for the Graphviz module.
        self.shared = shared

    def get_source_checksum(self, source: str) -> str:
        from journeymaps.keys import template_checksum

        return template_checksum(self.identity, source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from journeymaps.cache_seal import read_owned, unseal

        name = f"{bucket.key}.jinja"
        found = read_owned(self.folder / name)
        data = None if found is None else unseal(f"templates/{name}", found)
        if data is None and self.shared is not None:  # compiled by the user's own cache's runs
            found = read_owned(self.shared / name)
            data = None if found is None else unseal(f"templates/{name}", found)
        if data is None:  # none, or not sealed by this user's key: compiled again, replaced
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # damaged: compiled again, and the file replaced
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from journeymaps.cache_seal import seal
        from journeymaps.output import write_atomic

        name = f"{bucket.key}.jinja"
        sealed = seal(f"templates/{name}", bucket.bytecode_to_string())
        if sealed is None:
            return
        path = self.folder / name
        with contextlib.suppress(OSError):  # a read-only cache is only a slower next run
            write_atomic(path, sealed)
            path.chmod(0o600)


def compiled_templates() -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept: ``templates/`` in the cache folder, when only this
    user can write it and this user has a key to seal them with (else none: templates are
    compiled every run)."""
    from journeymaps.cache_seal import secret_key
    from journeymaps.diagrams.render import cache_dir, private_folder, user_cache_dir
    from journeymaps.keys import template_identity

    folder = private_folder(cache_dir() / "templates")
    if folder is None or secret_key() is None:
        return None
    user = user_cache_dir() / "templates"
    shared = private_folder(user, make=False) if user != folder else None
    return _CompiledTemplates(folder, template_identity(), shared)


def _sla(text: str, calendar: business_time.Calendar) -> str:
    """An SLA in words, as the teams page says it ("4h" -> "4 hours"); a business-time one
    with its calendar and what it means in the customer's calendar time (not after the
    value as written, "1bd: ...": words of the YAML file)."""
    longest = business_time.longest_wait(text, calendar)
    if longest is None:
        return business_time.words(text)
    return (
        f"{business_time.words(text)} ({calendar.describe()}), "
        f"up to {business_time.wait_words(longest)} for the customer"
    )


def _money(value: float, currency: str = "$") -> str:
    return f"{currency}{value:,.0f}"


#: An amount as the pages write it ("$57,600"), for data the filters render.
money_text = _money


def money_words(total: Any, currency: str) -> str:
    """A cost of inaction in one line ("$71,069/year in contacts · $36,000/year revenue at
    risk"): the same words on the cards a page renders and on those the filters build."""
    parts = []
    if total.contact_cost is not None:
        parts.append(f"{_money(total.contact_cost, currency)}/year in contacts")
    if total.revenue_at_risk is not None:
        parts.append(f"{_money(total.revenue_at_risk, currency)}/year revenue at risk")
    return " · ".join(parts)
