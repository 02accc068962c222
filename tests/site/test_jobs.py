"""``build --jobs N``: a number that cannot work is a usage error, a number above the
cores is capped to them (layout is CPU-bound: a worker more only costs a process)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, jm


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_that_cannot_work_are_a_usage_error(tmp_path: Path, jobs: str) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    result = jm(tmp_path, "build", "--jobs", jobs)
    assert result.returncode == 2
    assert "Invalid value for '--jobs'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_more_jobs_than_cores_build_the_site(tmp_path: Path) -> None:
    """--jobs 99999999999 ended in "internal error: OverflowError" (the worker pool's queue
    is sized by it); it is capped to the cores, and the site is built."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    result = jm(
        tmp_path, "build", "--jobs", "99999999999", env={"JOURNEYMAPS_CACHE": str(tmp_path / "cache")}
    )
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert "9 diagrams (9 drawn, 0 from the cache)" in result.stdout
    assert (tmp_path / "site" / "maps" / "billing-dispute.html").is_file()
