"""The metric definitions, written once as SQL over the canonical columns.

Each row is fanned out to the selectors it matches, then grouped by selector and month.
Only these aggregates leave the engine. A SQL source runs one query (:func:`aggregate_sql`),
written in DuckDB's dialect and transpiled by sqlglot for its engine (PostgreSQL is tested);
a file source is parsed once by the embedded DuckDB and aggregated in batches of bounded
size (:class:`Staged`), so memory does not grow with the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from journeymaps.measure import selectors
from journeymaps.measure.snapshot import Sla
from journeymaps.measure.sources import POINT_ZERO, split_tags, sql_string
from journeymaps.records import record

#: The ticket metrics that are a share of tickets, written once: each ticket's indicator
#: (``{yes}`` where it counts, ``{no}`` where it does not, NULL where the metric does not
#: apply) and the count of tickets it applies to. TICKET_METRICS averages the indicator
#: (``1.0``/``0.0``); SUMMED adds it up (``1``/``0``) per signature, then divides.
SHARES: dict[str, tuple[str, str]] = {
    "fcr": (
        "CASE WHEN solved THEN CASE WHEN one_touch THEN {yes} ELSE {no} END END",
        "COUNT(CASE WHEN solved THEN one_touch END)",
    ),
    "reopen": (
        "CASE WHEN solved THEN CASE WHEN reopens > 0 THEN {yes} ELSE {no} END END",
        "COUNT(CASE WHEN solved THEN reopens END)",
    ),
    "escalation": ("CASE WHEN escalated THEN {yes} WHEN NOT escalated THEN {no} END", "COUNT(escalated)"),
    "csat": ("satisfied", "COUNT(satisfied)"),  # already 1 or 0 (or NULL: no rating)
}


def _shares(total: str, yes: str, no: str) -> dict[str, tuple[str, str | None]]:
    return {
        name: (f"{total}({indicator.format(yes=yes, no=no)})", count)
        for name, (indicator, count) in SHARES.items()
    }


#: A handoff's SLA is held against the ticket's resolution time, or its first reply time
#: (``sla_clock: first-reply``: a bot or a form handing over to the first person to reply);
#: the tickets counted are those that crossed it: escalated ones (a change of group) for the
#: resolution, every ticket with a first reply for the first reply.
_CLOCK = "CASE WHEN s.first_reply_clock THEN first_reply ELSE resolution END"
_CROSSED = (
    f"s.sla IS NOT NULL AND {_CLOCK} IS NOT NULL AND (s.first_reply_clock OR COALESCE(escalated, TRUE))"
)

#: Ticket metrics: name -> (aggregate SQL, the count it is computed over, or None).
TICKET_METRICS: dict[str, tuple[str, str | None]] = {
    "contacts": ("COUNT(*)", None),
    "customers": ("COUNT(DISTINCT requester)", None),
    # Both percentiles from one sort of the values (split by PERCENTILES).
    "frt": ("QUANTILE_CONT(first_reply, [0.5, 0.9])", "COUNT(first_reply)"),
    "ttr": ("QUANTILE_CONT(resolution, [0.5, 0.9])", "COUNT(resolution)"),
    "aht": ("AVG(handle)", "COUNT(handle)"),
    **_shares("AVG", "1.0", "0.0"),
    # The handoff SLA: of the tickets that crossed it (escalated, where the export knows),
    # the share resolved later than the SLA allows.
    "sla_breach": (
        f"AVG(CASE WHEN {_CROSSED} THEN CASE WHEN {_CLOCK} > s.sla THEN 1.0 ELSE 0.0 END END)",
        f"COUNT(CASE WHEN {_CROSSED} THEN 1 END)",
    ),
}
#: The ticket metrics that add up, as (the sum, the count it is over) of each (signature,
#: month): a file source sums them per selector over the signatures it matches, instead of
#: once per (ticket, selector) row. Each is its TICKET_METRICS average, sum / count, which
#: the tests check against an independent count and against PostgreSQL's one query.
SUMMED: dict[str, tuple[str, str | None]] = {"contacts": ("COUNT(*)", None), **_shares("SUM", "1", "0")}
#: A metric computed as [median, 90th percentile], and the names of its two values.
PERCENTILES: dict[str, tuple[str, str]] = {"frt": ("frt", "frt_p90"), "ttr": ("ttr", "ttr_p90")}

#: The canonical fields each metric needs: a metric whose fields the export lacks is left out.
NEEDS: dict[str, tuple[str, ...]] = {
    "customers": ("requester",),
    "frt": ("first_reply",),
    "frt_p90": ("first_reply",),
    "ttr": ("resolution",),
    "ttr_p90": ("resolution",),
    "aht": ("handle",),
    "fcr": ("one_touch", "solved"),
    "reopen": ("reopens", "solved"),
    "escalation": ("escalated",),
    "csat": ("satisfied",),
    "sla_breach": ("resolution",),  # (or first_reply, by the handoff's clock)
}

SURVEY_METRICS: dict[str, tuple[str, str | None]] = {
    "responses": ("COUNT(score)", None),
    "csat": (
        "AVG(CASE WHEN score >= {sat} THEN 1.0 WHEN score IS NOT NULL THEN 0.0 END)",
        "COUNT(score)",
    ),
    "ces": ("AVG(score)", "COUNT(score)"),
    "nps": (
        "100.0 * (COUNT(CASE WHEN score >= 9 THEN 1 END) - COUNT(CASE WHEN score <= 6 THEN 1 END)) "
        "/ NULLIF(COUNT(score), 0)",
        "COUNT(score)",
    ),
}


@record
class Selection:
    """One selector of one source to measure, with a handoff's SLA when it has one."""

    sel: int
    selector: str  # canonical selector text
    sla: Sla | None = None


#: The columns the metrics read: all a fanned-out row carries.
_INPUTS = (
    "id", "created", "first_reply", "resolution", "handle", "requester", "satisfied",
    "reopens", "escalated", "one_touch", "solved", "score",
)  # fmt: skip


class Signatures:
    """The field tests (atoms) of a source's selectors as bits of per-row signatures.

    Each field test the selectors use (``tag:x``, ``channel:y``...) is evaluated once per
    row and kept as one bit; the data holds far fewer distinct signatures than rows. Every
    selector is then decided once per distinct signature, not once per row.
    """

    def __init__(self, selections: list[Selection], tag_lookup: bool = False) -> None:
        """``tag_lookup``: find a row's tag bits by looking each of its tags up in a map
        (DuckDB only) instead of testing every tag the selectors name against the row."""
        self.parsed = [(s, selectors.parse(s.selector)) for s in selections]
        self.atoms: dict[selectors.Atom, int] = {}
        for _, node in self.parsed:
            for a in selectors.atoms(node):
                self.atoms.setdefault(a, len(self.atoms))
        chunks = max(1, (len(self.atoms) + 61) // 62)
        self.columns = [f"sig{c}" for c in range(chunks)]
        self.exprs = []
        #: Per chunk, the bits of the field tests other than tags, and of the tag tests
        #: (looked up, DuckDB only): disjoint bits, so their sum is the signature.
        self.plain: list[str] = []
        self.tagged: list[str] = []
        for c in range(chunks):
            mine = [(a, i) for a, i in self.atoms.items() if i // 62 == c]
            tags = [(a, i) for a, i in mine if a.field == "tag"] if tag_lookup else []
            bits = [
                f"CASE WHEN {selectors.atom_sql(a)} THEN {1 << (i % 62)} ELSE 0 END"
                for a, i in mine
                if (a, i) not in tags
            ]
            if tag_lookup:
                # One LOWER and one CASE per field, not per test: a field has one value, so
                # its tests' bits are exclusive (the same bits, a third of the parse's cost).
                by_field: dict[str, list[str]] = {}
                for a, i in mine:
                    if a.field != "tag":
                        by_field.setdefault(a.field, []).append(
                            f"WHEN {sql_string(a.value)} THEN {1 << (i % 62)}"
                        )
                plain = [
                    f"CASE LOWER({selectors.FIELDS[f]}) {' '.join(whens)} ELSE 0 END"
                    for f, whens in by_field.items()
                ]
                self.plain.append(f"CAST({' + '.join(plain) or '0'} AS BIGINT)")
            else:
                self.plain.append(f"CAST({' + '.join(bits) or '0'} AS BIGINT)")
            if tags:
                lookup = ", ".join(f"{sql_string(a.value)}: CAST({1 << (i % 62)} AS BIGINT)" for a, i in tags)
                self.tagged.append(
                    "COALESCE(LIST_AGGREGATE(LIST_TRANSFORM(STRING_SPLIT(tags, ','), "
                    f"lambda x: COALESCE(MAP {{{lookup}}}[x], 0)), 'bit_or'), 0)"
                )
                bits.append(self.tagged[-1])
            else:
                self.tagged.append("CAST(0 AS BIGINT)")
            self.exprs.append(f"CAST({' + '.join(bits) or '0'} AS BIGINT) AS sig{c}")

    def bit_sql(self, a: selectors.Atom) -> str:
        i = self.atoms[a]
        return f"(((sig{i // 62} >> {i % 62}) & 1) = 1)"

    def matches(self, combos: list[tuple[int, ...]]) -> Iterator[tuple[int, list[int]]]:
        """(selector, the indexes in ``combos`` of the signatures it matches), selector 0
        matching all, decided by set algebra: each field test's signatures are one bitset
        (a Python int, bit n for signature n), so a selector costs a few bitwise operations
        whatever the number of signatures."""
        size = len(combos)
        members: dict[int, bytearray] = {i: bytearray((size + 7) // 8) for i in self.atoms.values()}
        for n, combo in enumerate(combos):
            for chunk, value in enumerate(combo):
                while value:  # only the bits that are set: a few per signature
                    low = value & -value
                    members[chunk * 62 + low.bit_length() - 1][n >> 3] |= 1 << (n & 7)
                    value ^= low
        having = {i: int.from_bytes(b, "little") for i, b in members.items()}
        everything = (1 << size) - 1

        def matching(node: selectors.Node) -> int:
            if isinstance(node, selectors.Atom):
                return having[self.atoms[node]]
            if isinstance(node, selectors.Not):
                return everything ^ matching(node.operand)
            left, right = matching(node.left), matching(node.right)
            return left & right if isinstance(node, selectors.And) else left | right

        yield 0, list(range(size))
        for s, node in self.parsed:
            bits = f"{matching(node):b}"[::-1]  # character n is bit n
            found = []
            n = bits.find("1")
            while n >= 0:
                found.append(n)
                n = bits.find("1", n + 1)
            yield s.sel, found


def aggregate_sql(
    relation: str,
    selections: list[Selection],
    source_zone: str,
    report_zone: str,
    metrics: dict[str, tuple[str, str | None]],
    bad: list[str],
    satisfied_at: float = 4,
    inputs: tuple[str, ...] = (),
    once: bool = False,
) -> str:
    """The one query of a source, in DuckDB's dialect. Selector 0 is every row: the source's
    totals, its months and its malformed rows.

    ``once``: each ticket id is counted once (a table's rows are tickets): of a ticket's
    rows, the one first by its values (a valid one first), as a file source keeps one, and
    ``dup__row`` counts the rows left out (selector 0's, summed over its months), and
    ``point_zero__row`` and ``zeros__row`` the ids another's but for a trailing .0 or for
    leading zeros (:data:`SIMILAR_IDS`), as a file source's are said.

    Each row carries its signature (:class:`Signatures`) and joins the selectors its
    signature matched, decided in SQL once per distinct signature (``combos``): the work per
    row is a few field tests and one hash lookup, not one test per selector. This is the
    query SQL sources run in their database; DuckDB runs file sources in :class:`Staged`.
    """
    local = _local(source_zone, report_zone)
    sigs = Signatures(selections)
    sig_cols = sigs.columns
    cols = _aggregates(metrics, bad, satisfied_at)
    join = _sla_join(selections, metrics)
    carried = [c for c in _INPUTS if c in inputs] + [f"bad_{i}" for i in range(len(bad))]
    on = " AND ".join(f"t.{c} = f.f_{c}" for c in sig_cols)
    windows, kept, in_m = "", "", carried
    if once:
        # One window pass (a sort by id) in the scan the query makes anyway; a ticket's
        # copies are counted on the row kept, so the rows left out need no pass of their own.
        values = ["created IS NULL", *(c for c in carried if c not in ("id", "created")), "created"]
        values += ["tags", "channel", "grp", "form"]
        values = [bytewise(c) if c in _TEXT else c for c in values]
        by_id = "OVER (PARTITION BY id"
        windows = (
            f", ROW_NUMBER() {by_id} ORDER BY {', '.join(values)}) AS jm__n, COUNT(*) {by_id}) AS jm__copies"
        )
        kept = " AND (t.id IS NULL OR t.jm__n = 1)"
        in_m = [*carried, "jm__copies", "jm__point_zero", "jm__zeros"]
        cols.append("SUM(jm__point_zero) AS point_zero__row")
        cols.append("SUM(jm__zeros) AS zeros__row")
        cols.append("SUM(CASE WHEN id IS NOT NULL THEN jm__copies - 1 ELSE 0 END) AS dup__row")
    fan = ", ".join(
        ["0"]
        + [f"CASE WHEN {selectors.to_sql(node, sigs.bit_sql)} THEN {s.sel} END" for s, node in sigs.parsed]
    )
    decided = (
        f"combos AS (SELECT DISTINCT {', '.join(sig_cols)} FROM t), "
        f"fanned AS (SELECT {', '.join(f'{c} AS f_{c}' for c in sig_cols)}, "
        f"UNNEST([{fan}]) AS sel FROM combos), "
        "f AS (SELECT * FROM fanned WHERE sel IS NOT NULL), "
    )
    # The time zones are converted once per row, before the fan-out multiplies rows.
    scanned = (
        f"SELECT {', '.join(carried)}, STRFTIME({local}, '%Y-%m') AS month, "
        f"CAST({local} AS DATE) AS local_day, {', '.join(sigs.exprs)}{windows} FROM ({relation}) AS r"
    )
    if once:  # over the rows the scan gave, in this query: no second read of the table
        scanned = f"SELECT *, {SIMILAR_IDS} FROM ({scanned}) AS w"
    return (
        f"WITH t AS NOT MATERIALIZED ({scanned}), "
        f"{decided}"
        f"m AS (SELECT {', '.join(f't.{c}' for c in in_m)}, t.month, t.local_day, f.sel AS sel "
        f"FROM t JOIN f ON {on} WHERE (f.sel = 0 OR (t.id IS NOT NULL AND t.created IS NOT NULL)){kept}) "
        f"SELECT m.sel AS sel, m.month AS month, {', '.join(cols)} "
        f"FROM m{join} GROUP BY m.sel, m.month ORDER BY 1, 2"
    )


#: A SQL source's ids that are another's but for a trailing .0 (``jm__point_zero``: 42.0 beside
#: 42) or for leading zeros (``jm__zeros``: 0042 beside 42 or 042), as a file source's
#: (:attr:`Staged.similar_ids_sql`): 1 on the kept row (``jm__n = 1``) of each such id, else 0.
#: Windows over the scan's rows, each id once (its kept row sorts first in its partition).
_ID = "CAST(id AS VARCHAR)"
_BARE = f"LTRIM({_ID}, '0')"
# LIKE first: the regular expression on the rows that may end in .0 only, not on every row
_WHOLE = f"CASE WHEN {_ID} LIKE '%.0%' THEN {POINT_ZERO.format(_ID)} ELSE {_ID} END"
SIMILAR_IDS = (
    f"CASE WHEN jm__n = 1 AND {_ID} <> {_WHOLE} AND MAX(CASE WHEN {_ID} = {_WHOLE} THEN 1 ELSE 0 END) "
    f"OVER (PARTITION BY {_WHOLE}) = 1 THEN 1 ELSE 0 END AS jm__point_zero, "
    f"CASE WHEN jm__n = 1 AND {_BARE} <> '' AND ROW_NUMBER() OVER (PARTITION BY {_BARE} "
    f"ORDER BY jm__n, {_ID}) > 1 THEN 1 ELSE 0 END AS jm__zeros"
)


#: The most fanned-out rows (row x selector it matches) one aggregate query of a file source
#: holds by default (``[measure] batch-rows``): exact percentiles and distinct counts keep
#: every value of their group, so memory is bounded by this, not by the size of the export.
#: 500,000 holds a month of 1,000,000 tickets x 800 selectors: one query per month.
BATCH_ROWS = 500_000  # ~60 MB of percentile and distinct-customer state


@record
class Batch:
    """One aggregate query of a staged source: one month, the selectors ``lo`` to ``hi``."""

    month: str | None
    lo: int
    hi: int


class Staged:
    """A file source measured in stages, in DuckDB (the embedded engine).

    The export is parsed once into the table ``rows`` (the canonical fields, the month, the
    bits of the non-tag field tests); the tag tests are decided once per distinct tag list
    (``tagsig``), not per row; the selectors once per distinct signature, in Python
    (``fan``). The aggregates then run in batches of one month and a range of selectors,
    each holding at most ``[measure] batch-rows`` fanned-out rows (:data:`BATCH_ROWS`), two
    at a time. A batch computes its groups completely, so the numbers are those of one query
    over everything. The source's totals (selector 0) are one scan of ``rows``.
    """

    def __init__(
        self,
        relation: str,
        selections: list[Selection],
        source_zone: str,
        report_zone: str,
        metrics: dict[str, tuple[str, str | None]],
        bad: list[str],
        satisfied_at: float = 4,
        inputs: tuple[str, ...] = (),
        tags_read: str | None = None,
        duplicates: bool = False,
    ) -> None:
        """``tags_read``: the relation's ``tags`` are as written, to be split by this tag
        reader (:func:`~journeymaps.measure.sources.split_tags`) once per distinct text.
        ``duplicates``: the relation has each row's file (``jm__file``); a row whose ticket id
        is also in a file later in name order, or again in its own file, is loaded, counted,
        then deleted (:attr:`dups_sql`, :attr:`duplicates_sql`, :attr:`drop_sql`)."""
        self.selections = selections
        self.sigs = Signatures(selections, tag_lookup=True)
        # A row's id and creation time matter only as there or not (a malformed row): one flag.
        self.carried = [c for c in _INPUTS if c in inputs and c not in ("id", "created")]
        self.carried += [f"bad_{i}" for i in range(len(bad))]
        marks = "id AS jm__id, jm__file, " if duplicates else ""
        # The ids on more than one row (in two files, or twice in one: a ticket twice in one
        # export was counted twice), by a hash aggregate over the loaded rows (no second
        # read of the exports; less memory than a window over every row, partitioned by id).
        self.dups_sql = (
            "CREATE TABLE dups AS SELECT jm__id, MAX(jm__file) AS kept_in FROM rows "
            "WHERE jm__id IS NOT NULL GROUP BY jm__id HAVING COUNT(*) > 1"
            if duplicates
            else None
        )
        # Per file, the rows left out: those of a ticket a later file has, and in the file
        # kept, each ticket's rows but one (dropped_from = kept_in).
        self.duplicates_sql = (
            "SELECT r.jm__file AS dropped_from, d.kept_in AS kept_in, COUNT(*) - CASE WHEN "
            "r.jm__file = d.kept_in THEN COUNT(DISTINCT r.jm__id) ELSE 0 END AS n FROM rows AS r "
            "JOIN dups AS d USING (jm__id) GROUP BY r.jm__file, d.kept_in HAVING n > 0 ORDER BY ALL"
        )
        # The files with a row: one without (a header alone) is a month missing, said.
        self.files_sql = "SELECT DISTINCT jm__file AS file FROM rows" if duplicates else None
        # Ids another row has but for a trailing .0 (42.0 and 42: ``n``) or but for leading
        # zeros (``zeros``), once each ticket is once: never equated, but said. Of the ids
        # that are one number but for their zeros, all but one are another's: the padded ids
        # of a number (few; grouped), and the bare number if a row has it (0042 beside 042,
        # without 42, was not said). Each id is one row here.
        ids = "(SELECT jm__id FROM rows WHERE jm__id IS NOT NULL)"
        padded = (
            "SELECT LTRIM(jm__id, '0') AS bare, COUNT(*) AS k FROM rows WHERE jm__id LIKE '0%' "
            "AND LTRIM(jm__id, '0') <> '' GROUP BY bare"
        )
        self.similar_ids_sql = (
            f"SELECT (SELECT COUNT(*) FROM rows WHERE jm__id LIKE '%0' AND {POINT_ZERO.format('jm__id')} "
            f"<> jm__id AND {POINT_ZERO.format('jm__id')} IN {ids}) AS n, "
            f"(SELECT COALESCE(SUM(k - 1 + CASE WHEN bare IN {ids} THEN 1 ELSE 0 END), 0) "
            f"FROM ({padded})) AS zeros"
            if duplicates
            else None
        )
        local = _local(source_zone, report_zone)
        plain = ", ".join(f"{e} AS p_{c}" for e, c in zip(self.sigs.plain, self.sigs.columns, strict=True))
        # The row kept of a ticket's: the later file's, then, as rows are read in parallel
        # (no order), by its values, so that the snapshot is the same on every run.
        values = [
            "ok DESC",
            *self.carried,
            "month",
            "local_day",
            "tags",
            *(f"p_{c}" for c in self.sigs.columns),
        ]
        ranked = (
            "SELECT r.rowid AS jm__row, ROW_NUMBER() OVER (PARTITION BY r.jm__id ORDER BY r.jm__file DESC, "
            f"{', '.join(values)}) AS jm__n FROM rows AS r SEMI JOIN dups AS d ON r.jm__id = d.jm__id"
        )
        self.drop_sql = f"DELETE FROM rows WHERE rowid IN (SELECT jm__row FROM ({ranked}) WHERE jm__n > 1)"
        # The time zones are converted once per row, before the fan-out multiplies rows.
        self.load_sql = (
            "CREATE TABLE rows AS SELECT id IS NOT NULL AND created IS NOT NULL AS ok, "
            f"{''.join(f'{c}, ' for c in self.carried)}{marks}STRFTIME({local}, '%Y-%m') AS month, "
            f"CAST({local} AS DATE) AS local_day, COALESCE(tags, '') AS tags, {plain} FROM ({relation}) AS r"
        )
        tagged = ", ".join(f"{e} AS t_{c}" for e, c in zip(self.sigs.tagged, self.sigs.columns, strict=True))
        distinct = "SELECT DISTINCT tags FROM rows"
        if tags_read is not None:  # split here, once per distinct text ('' is no tags)
            split = split_tags("NULLIF(raw, '')", tags_read)
            distinct = (
                f"SELECT raw, COALESCE({split}, '') AS tags FROM (SELECT DISTINCT tags AS raw FROM rows)"
            )
        key = "tags" if tags_read is None else "raw AS tags"
        self.tagsig_sql = f"CREATE TABLE tagsig AS SELECT {key}, {tagged} FROM ({distinct})"
        sig = ", ".join(f"t.p_{c} + g.t_{c} AS {c}" for c in self.sigs.columns)
        # The metrics that add up, summed once per signature and month (of the rows with an
        # id and a date, as every metric), then per selector by ``summed_sql``.
        self.summed = {k: v for k, v in SUMMED.items() if k in metrics} if "contacts" in metrics else {}
        valid = "FILTER (WHERE t.ok)"
        sums = "".join(
            f", {total} {valid} AS s_{name}" + (f", {count} {valid} AS n_{name}" if count else "")
            for name, (total, count) in self.summed.items()
        )
        self.combos_sql = (
            f"CREATE TABLE combos AS SELECT {sig}, t.month AS month, COUNT(*) AS n{sums} "
            "FROM rows AS t JOIN tagsig AS g ON g.tags = t.tags GROUP BY ALL"
        )
        cols = ", ".join(self.sigs.columns)
        self.distinct_sql = f"SELECT DISTINCT {cols} FROM combos ORDER BY {cols}"
        on = " AND ".join(f"f.f_{c} = c.{c}" for c in self.sigs.columns)
        # Selector 0 (every row) needs none of the fanned-out metrics: one scan of ``rows``.
        self.totals_sql = (
            f"SELECT 0 AS sel, month, {', '.join(_totals(metrics, bad))} FROM rows GROUP BY month"
        )
        finished = [
            f"CAST(SUM(c.s_{name}) AS DOUBLE) / SUM(c.n_{name}) AS {name}, SUM(c.n_{name}) AS {name}__n"
            if count
            else f"SUM(c.s_{name}) AS {name}"
            for name, (_, count) in self.summed.items()
        ]
        # One pass over (signature, selector) for both: the plan, each selector's rows per
        # month (``rows__n``, malformed ones too: the batches are cut from it), and the sums.
        self.plan_sql = (
            f"SELECT f.sel AS sel, c.month AS month, {', '.join(['SUM(c.n) AS rows__n', *finished])} "
            f"FROM combos AS c JOIN fan AS f ON {on} GROUP BY f.sel, c.month ORDER BY month NULLS FIRST, sel"
        )
        # Per (ticket, selector) row: only what does not add up (percentiles, distinct counts).
        fanned = {k: v for k, v in metrics.items() if k not in self.summed}
        aggregates = _aggregates(fanned, [], satisfied_at, totals=False)
        self._aggregates = ", ".join(aggregates)
        self._fanned = [c for c in self.carried if re.search(rf"\b{c}\b", " ".join(aggregates))]
        self._sla_join = _sla_join(selections, metrics)
        self._on = " AND ".join(f"f.f_{c} = t.p_{c} + g.t_{c}" for c in self.sigs.columns)

    def batches(self, plan: list[tuple[str | None, int, int]], limit: int | None = None) -> list[Batch]:
        """Cut the (month, selector, fanned-out rows) plan, in month and selector order, into
        batches of at most ``limit`` rows (default :data:`BATCH_ROWS`; a selector's month
        alone may exceed it: it is one group)."""
        limit = BATCH_ROWS if limit is None else limit
        out: list[Batch] = []
        current: tuple[str | None, int, int, int] | None = None  # month, lo, hi, rows
        for month, sel, n in plan:
            if current is not None and (current[0] != month or current[3] + n > limit):
                out.append(Batch(*current[:3]))
                current = None
            current = (month, sel, sel, n) if current is None else (month, current[1], sel, current[3] + n)
        if current is not None:
            out.append(Batch(*current[:3]))
        return out

    def batch_sql(self, batch: Batch) -> str:
        month = "t.month IS NULL" if batch.month is None else f"t.month = {sql_string(batch.month)}"
        return (
            f"SELECT m.sel AS sel, m.month AS month, {self._aggregates} FROM ("
            f"SELECT {''.join(f't.{c}, ' for c in self._fanned)}t.month, f.sel AS sel "
            f"FROM rows AS t JOIN tagsig AS g ON g.tags = t.tags JOIN fan AS f ON {self._on} "
            f"WHERE {month} AND f.sel BETWEEN {batch.lo} AND {batch.hi} "
            "AND t.ok"
            f") AS m{self._sla_join} GROUP BY m.sel, m.month"
        )


def _local(source_zone: str, report_zone: str) -> str:
    """A row's creation time in the report's time zone (the months are counted there)."""
    return f"TIMEZONE({sql_string(report_zone)}, TIMEZONE({sql_string(source_zone)}, created))"


def _aggregates(
    metrics: dict[str, tuple[str, str | None]], bad: list[str], satisfied_at: float, totals: bool = True
) -> list[str]:
    """The SELECT list of the aggregate: every metric and its count, and (``totals``) the
    malformed rows and the last day."""
    cols = []
    for name, (agg, count) in metrics.items():
        cols.append(f"{agg.format(sat=float(satisfied_at))} AS {name}")
        if count is not None:
            cols.append(f"{count} AS {name}__n")
    if not totals:
        return cols
    cols.append("SUM(CASE WHEN id IS NULL OR created IS NULL THEN 1 ELSE 0 END) AS bad__row")
    cols += [f"SUM(CASE WHEN bad_{i} THEN 1 ELSE 0 END) AS bad__{i}" for i in range(len(bad))]
    cols.append("MAX(local_day) AS last__day")
    return cols


def _totals(metrics: dict[str, tuple[str, str | None]], bad: list[str]) -> list[str]:
    """A source's totals per month (selector 0): its size, malformed rows, last day."""
    size = "responses" if "responses" in metrics else "contacts"
    cols = [f"{metrics[size][0]} AS {size}"]
    cols.append("SUM(CASE WHEN ok THEN 0 ELSE 1 END) AS bad__row")
    cols += [f"SUM(CASE WHEN bad_{i} THEN 1 ELSE 0 END) AS bad__{i}" for i in range(len(bad))]
    cols.append("MAX(local_day) AS last__day")
    return cols


def _sla_join(selections: list[Selection], metrics: dict[str, tuple[str, str | None]]) -> str:
    """The handoff SLAs of the selections, joined by selector (``s.sla``)."""
    slas = [(s.sel, s.sla) for s in selections if s.sla is not None]
    if slas:
        values = ", ".join(
            f"({sel}, {float(sla.minutes)}, {'TRUE' if sla.clock == 'first-reply' else 'FALSE'})"
            for sel, sla in slas
        )
        return f" LEFT JOIN (VALUES {values}) AS s(sel, sla, first_reply_clock) ON s.sel = m.sel"
    if "sla_breach" in metrics:
        nothing = (
            "SELECT CAST(NULL AS INTEGER) AS sel, CAST(NULL AS DOUBLE) AS sla, "
            "CAST(NULL AS BOOLEAN) AS first_reply_clock"
        )
        return f" LEFT JOIN ({nothing}) AS s ON s.sel = m.sel"
    return ""


#: The canonical text columns a ticket's copies are told apart by (see :func:`bytewise`).
_TEXT = frozenset({"requester", "tags", "channel", "grp", "form"})
#: The engines whose C collation orders text by its bytes, as DuckDB orders it.
C_COLLATION = frozenset({"duckdb", "postgres"})


def bytewise(column: str) -> str:
    """``column`` as text ordered by its bytes (UTF-8's, code point order): a database's
    collation (en_US.UTF-8, ICU's) sorts 'chat' before 'Voice', DuckDB after, so a ticket's
    copies that differed in their channel only were counted as another copy in PostgreSQL
    than in DuckDB. Cast first: a table's requester may be a number, which has no collation."""
    return f'CAST({column} AS VARCHAR) COLLATE "C"'


def transpile(sql: str, dialect: str) -> str:
    """The query for another engine; DuckDB runs it as written. An engine without a C
    collation (:data:`C_COLLATION`) orders text by its own: there the ``COLLATE`` is left out."""
    if dialect == "duckdb":
        return sql
    # Here, not at the top: sqlglot takes 0.1 s of CPU to import, and only a SQL source
    # (a database, not an export file) needs it.
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    if dialect not in C_COLLATION:
        tree = tree.transform(lambda node: node.this if isinstance(node, exp.Collate) else node)
    return tree.sql(dialect=dialect)
