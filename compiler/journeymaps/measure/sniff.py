"""What DuckDB's CSV sniffer samples of an export: its first lines. A quote left open or a
change of line end among them changes how the whole export is read, or fails the read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

#: The lines DuckDB's CSV sniffer samples (its sample_size): a line too long among them is fatal.
SNIFFED_LINES = 20_480


def sniffed_lines(path: Path) -> Iterator[bytes]:
    """The lines of ``path`` DuckDB's sniffer samples (the first :data:`SNIFFED_LINES`), a MB
    at a time: the last chunk ends with the last of them (or the file). OSError when it
    cannot be read."""
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            ends = chunk.count(b"\n")
            if lines + ends >= SNIFFED_LINES:
                at = -1
                for _ in range(SNIFFED_LINES - lines):
                    at = chunk.index(b"\n", at + 1)
                yield chunk[: at + 1]
                return
            lines += ends
            yield chunk
