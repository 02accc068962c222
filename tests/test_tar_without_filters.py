"""``diff``, and ``build`` in a git repository (its "What changed" page), read each revision
through ``git archive``: on a Python without tar extraction filters (before 3.10.12 and
3.11.4; Debian 12's python3 is 3.11.2) every run ended in an internal error, extractall's
``filter`` argument unknown there. Here the tarfile module is made what those Pythons ship."""

from __future__ import annotations

import re
import shutil
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from in_process import jm_here
from test_diff import git


@pytest.fixture
def filterless_tarfile(monkeypatch: pytest.MonkeyPatch) -> None:
    """tarfile as Python 3.11.2 has it: no ``data_filter`` nor ``FilterError``, and
    ``extract``/``extractall`` without a ``filter`` argument (each member trusted, as there)."""
    if not hasattr(tarfile, "data_filter"):
        return  # this Python is one of them
    extractall, extract = tarfile.TarFile.extractall, tarfile.TarFile.extract

    def old_extractall(
        self: tarfile.TarFile,
        path: str = ".",
        members: Iterable[tarfile.TarInfo] | None = None,
        *,
        numeric_owner: bool = False,
    ) -> None:
        extractall(self, path, members, numeric_owner=numeric_owner, filter="fully_trusted")

    def old_extract(
        self: tarfile.TarFile,
        member: Any,
        path: str = "",
        set_attrs: bool = True,
        *,
        numeric_owner: bool = False,
    ) -> None:
        extract(self, member, path, set_attrs, numeric_owner=numeric_owner, filter="fully_trusted")

    for name in ("data_filter", "tar_filter", "fully_trusted_filter", "FilterError"):
        monkeypatch.delattr(tarfile, name)
    monkeypatch.setattr(tarfile.TarFile, "extractall", old_extractall)
    monkeypatch.setattr(tarfile.TarFile, "extract", old_extract)


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """The example maps committed, a link to /etc/passwd among them; then a stage renamed
    and the link gone in a second commit."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    (tmp_path / "maps" / "support" / "passwd.yaml").symlink_to("/etc/passwd")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "maps")
    billing = tmp_path / "maps" / "support" / "billing-dispute.yaml"
    billing.write_text(
        billing.read_text().replace("name: Finance review\n", "name: Finance investigation\n", 1)
    )
    (tmp_path / "maps" / "support" / "passwd.yaml").unlink()
    git(tmp_path, "commit", "-qam", "edits")
    return tmp_path


@pytest.mark.usefixtures("filterless_tarfile")
def test_diff_compares_revisions_where_python_has_no_extraction_filters(edited: Path) -> None:
    result = jm_here(edited, "diff", "HEAD~1", "HEAD", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert "Finance investigation" in result.stdout
    assert "root:" not in result.stdout  # the committed link was neither followed nor read


@pytest.mark.usefixtures("filterless_tarfile")
def test_build_in_a_git_repository_says_what_changed_where_python_has_no_extraction_filters(
    edited: Path,
) -> None:
    result = jm_here(edited, "build", "maps/")
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    page = re.sub(r"\s+", " ", (edited / "site" / "changes.html").read_text())
    assert "2 edits to the maps" in page  # both commits read
    assert "2 commits touched this map" in page
