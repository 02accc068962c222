"""What journeymaps keeps in its cache for later runs (issue 18): a write that fails leaves
nothing behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: A kept file of 4 MiB written by a process that may write files of 1 MiB at most (as a
#: full disk refuses it: Python ignores SIGXFSZ, so the write fails with EFBIG).
TOO_BIG = """
import resource, sys
from pathlib import Path
from journeymaps import cache_files
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
try:
    cache_files.write_private(Path(sys.argv[1]) / "site.sources", b"x" * (4 << 20))
except OSError as exc:
    print("refused", exc.errno)
"""


def test_a_kept_file_that_does_not_fit_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    """A build keeps ~45 MB of parsed files for 1,000 maps; on a full disk the write fails
    (the build goes on: the next one only parses again), and neither the file nor a partial
    temporary one is left in the cache (one was, until a later build pruned it)."""
    folder = tmp_path / "sources"
    done = subprocess.run([sys.executable, "-c", TOO_BIG, str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused"), done.stdout
    assert list(folder.iterdir()) == []
