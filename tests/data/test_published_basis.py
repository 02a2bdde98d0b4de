"""How a source's publication date is known (``published_basis``): a date read only from the page's
metadata, and a lower bound ("not before November 2022"), each with the note that says how."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ots_analysis.build import render_outputs
from ots_analysis.errors import Failure
from ots_analysis.load import load_raw, validate_raw
from ots_analysis.paths import ProjectPaths

SOURCE = "aa-2019-09-turkey-welcomes-uzbekistan-turkic-council"  # line 4, published 2019-09-14, page


def edit_source(paths: ProjectPaths, **cells: str) -> int:
    """Set cells of SOURCE's row in sources.csv; return its CSV line."""
    path = paths.raw_table("sources")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    line = next(number for number, row in enumerate(rows[1:], start=2) if row[0] == SOURCE)
    for column, value in cells.items():
        rows[line - 1][header.index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return line


def only(failures: list[Failure]) -> Failure:
    assert len(failures) == 1, [failure.describe() for failure in failures]
    return failures[0]


@pytest.mark.parametrize("basis", ["metadata", "not_before"])
def test_a_basis_other_than_page_needs_its_note(scratch: ProjectPaths, basis: str) -> None:
    line = edit_source(scratch, published_basis=basis)
    failure = only(validate_raw(scratch))
    assert (Path(failure.file).name, failure.line, failure.column_number) == ("sources.csv", line, 7)
    assert failure.column == "published_note"
    assert "which metadata field" in failure.rule and "why only a lower bound is known" in failure.rule


def test_a_metadata_date_is_the_publication_date(scratch: ProjectPaths) -> None:
    note = "The page shows no date; its article:published_time meta field gives 2019-09-14."
    edit_source(scratch, published_basis="metadata", published_note=note)
    assert validate_raw(scratch) == []
    references = json.loads(render_outputs(load_raw(scratch), scratch).files["references.json"])
    (item,) = [item for item in references if item["id"] == SOURCE]
    assert item["issued"] == {"date-parts": [[2019, 9, 14]]}


def test_a_lower_bound_is_valid_and_never_published_as_the_date(scratch: ProjectPaths) -> None:
    note = "Undated; it reports Uzbekistan's accession of September 2019, so it cannot be earlier."
    edit_source(scratch, published="2019-09-01", published_basis="not_before", published_note=note)
    assert validate_raw(scratch) == []
    references = json.loads(render_outputs(load_raw(scratch), scratch).files["references.json"])
    (item,) = [item for item in references if item["id"] == SOURCE]
    assert item["issued"] == {"literal": "not before 2019-09-01"}


def test_a_lower_bound_after_the_reading_is_refused(scratch: ProjectPaths) -> None:
    line = edit_source(
        scratch, published="2026-11-28", published_basis="not_before", published_note="a bound"
    )
    failure = only(validate_raw(scratch))
    assert (failure.line, failure.column) == (line, "accessed")
    assert "accessed is before published" in failure.rule
