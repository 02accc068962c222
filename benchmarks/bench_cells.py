"""Benchmark: where ``journeymaps measure`` says a finding's cell is (``cells.cell_at``), on
large generated exports with the finding's cell near their end.

    python benchmarks/bench_cells.py [--rows 200000] [--repeat 3]

Four Zendesk-like exports of ``--rows`` tickets (about 21 MB at the default), the 10th ticket
from the end dated 'n/a':
- multi: each description quoted over three lines, doubled quotes in it (most help desks)
- plain: one line a ticket, nothing quoted (2.5 x the rows, about 45 MB)
- busy: the value's text in a quoted subject and description of every ticket, so every line
  is read cell by cell
- escaped: quotes escaped with a backslash (the dialect DuckDB sniffs so), in the subject and a
  description over two lines

Prints the best CPU time (this process's, user + system) of ``--repeat`` lookups of each, and
the place found. To compare with another checkout, put its ``compiler`` folder first on
PYTHONPATH.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

COLUMNS = ["Id", "Subject", "Created at", "Tags", "Description"]
COMMAS = "auto_detect=false, delim=',', quote='\"', escape='\"', new_line='\\n', skip=0"
BACKSLASH = COMMAS.replace("escape='\"'", "escape='\\'")


def _date(i: int, rows: int) -> bytes:
    return b"n/a" if i == rows - 10 else b"2026-01-%02d 09:00" % (1 + i % 28)


def multi(i: int, rows: int) -> bytes:
    return b'T-%d,"Subject, %d",%s,billing,"Customer wrote:\n""it broke"" again\nend of note %d"\n' % (
        i,
        i,
        _date(i, rows),
        i,
    )


def plain(i: int, rows: int) -> bytes:
    return b"T-%d,Subject %d,%s,billing,a plain description of the ticket %d\n" % (i, i, _date(i, rows), i)


def busy(i: int, rows: int) -> bytes:
    return b'T-%d,"re: n/a, ""%d""",%s,billing,"see n/a\nend %d"\n' % (i, i, _date(i, rows), i)


def escaped(i: int, rows: int) -> bytes:
    return b'T-%d,"re: \\"%d\\"",%s,billing,"he said \\"no\\"\nend %d"\n' % (i, i, _date(i, rows), i)


#: Each export: how a ticket is written, how many tickets for ``--rows``, its dialect.
EXPORTS: dict[str, tuple[Callable[[int, int], bytes], float, str]] = {
    "multi": (multi, 1, COMMAS),
    "plain": (plain, 2.5, COMMAS),
    "busy": (busy, 1.5, COMMAS),
    "escaped": (escaped, 1.5, BACKSLASH),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from journeymaps.measure import cells

    print(f"cells.py: {cells.__file__}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, (ticket, scale, dialect) in EXPORTS.items():
            rows = max(20, int(args.rows * scale))
            path = Path(scratch) / f"{name}.csv"
            with path.open("wb") as f:
                f.write(b"Id,Subject,Created at,Tags,Description\n")
                f.writelines(ticket(i, rows) for i in range(rows))
            times, place = [], (0, 0)
            for _ in range(args.repeat):
                started = time.process_time()
                place = cells.cell_at(path, COLUMNS, "Created at", "n/a", dialect)
                times.append(time.process_time() - started)
            size = path.stat().st_size / 1e6
            print(
                f"{name}: {size:.1f} MB, {rows:,} tickets: {min(times):.3f} s CPU (best of {args.repeat}), at {place}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
