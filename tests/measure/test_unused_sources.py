"""A source no map's evidence names: not read, so its url-env may be unset (as dbt resolves
only the profile it runs), and measure says it was not read."""

from __future__ import annotations

from pathlib import Path

from measuring import export, project

from in_process import jm_here
from journeymaps.measure.fixtures import Spec

DESK = '[sources.desk]\npreset = "zendesk"\npath = "exports/zendesk.csv"\ntimezone = "UTC"\n'
WAREHOUSE = '[sources.warehouse]\nurl-env = "JOURNEYMAPS_TEST_UNSET_URL"\ntable = "support.tickets"\ntimezone = "UTC"\n'


def test_a_source_no_map_names_is_not_read_and_measure_says_so(tmp_path: Path) -> None:
    """The warehouse's variable unset in CI, where no map measures it yet: measure succeeds
    (the README said an unset url-env was an error), and says the source was not read; it
    said nothing of it, and a newcomer could not tell whether it had been measured."""
    export(tmp_path, "zendesk", "zendesk.csv", Spec(rows=60))
    project(tmp_path, DESK + WAREHOUSE)
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stderr
    assert "wrote metrics/lockouts.json" in result.stdout
    assert "not read: warehouse (no map's evidence names it)\n" in result.stdout


def test_when_no_map_names_a_source_measure_says_nothing_was_measured(tmp_path: Path) -> None:
    """Sources set, but no evidence names one (a new project): measure printed nothing at
    all and exited 0."""
    project(tmp_path, WAREHOUSE, maps={"m.yaml": "id: m\ntitle: M\nstages:\n  - {id: one, name: One}\n"})
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "not read: warehouse (no map's evidence names it)\n"
        "Nothing measured: no map's evidence names a configured source (evidence: [{source: warehouse, "
        "kind: tickets, ref: tag:...}])\n"
    )


def test_a_long_source_name_is_shortened_and_said_once(tmp_path: Path) -> None:
    """A source named in 10,000 characters (a key pasted whole) was printed whole, twice: in
    "not read:" and in the evidence to write, 20,000 characters of terminal. It is cut as
    other long names in messages are, and said once."""
    name = "w" * 10_000
    project(
        tmp_path,
        WAREHOUSE.replace("warehouse", name),
        maps={"m.yaml": "id: m\ntitle: M\nstages:\n  - {id: one, name: One}\n"},
    )
    result = jm_here(tmp_path, "measure")
    assert result.returncode == 0, result.stderr
    short = "w" * 37 + "..."
    assert result.stdout == (
        f"not read: {short} (no map's evidence names it)\n"
        "Nothing measured: no map's evidence names a configured source (evidence: [{source: NAME, "
        "kind: tickets, ref: tag:...}], NAME a source's name)\n"
    )
